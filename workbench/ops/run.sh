#!/usr/bin/env bash
# Start the workbench (web, one worker, beat, the embedded LLM server) in the foreground.
# Ctrl-C stops all of it, and the local PostgreSQL or Redis too when services.sh had to start them.
set -uo pipefail

stop_started_services() {
  while read -r service version; do
    case "$service" in
      postgresql) pg_ctlcluster --skip-systemctl-redirect "$version" main stop ;;
      redis) redis-cli -u "${REDIS_URL:-redis://127.0.0.1:6379/0}" shutdown nosave >/dev/null 2>&1 ;;
    esac
  done < var/started-services 2>/dev/null
}
trap stop_started_services EXIT

port=${WORKBENCH_PORT:-8000}
# Every web and worker process keeps its request, task and masking counts in this directory (prometheus_client's
# multiprocess mode, operations/instrumentation.py); /metrics sums them. Counts of an earlier run are dropped.
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-$PWD/var/prometheus}
mkdir -p "$PROMETHEUS_MULTIPROC_DIR" && find "$PROMETHEUS_MULTIPROC_DIR" -maxdepth 1 -name '*.db' -delete
echo
echo "Workbench: http://127.0.0.1:${port}/   (health: http://127.0.0.1:${port}/healthz)"
echo "Press Ctrl-C to stop everything."
echo
WORKBENCH_PORT=$port .venv/bin/honcho -f workbench/ops/Procfile -d . start
