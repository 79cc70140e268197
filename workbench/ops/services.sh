#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer. Servers named by DATABASE_URL / REDIS_URL are used as they are;
# local ones that are down are started (as root) and listed in var/started-services for run.sh to stop.
set -euo pipefail

database_url=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/workbench}
redis_url=${REDIS_URL:-redis://127.0.0.1:6379/0}
mkdir -p var
: > var/started-services

is_local() { [[ "$1" == *"@127.0.0.1"* || "$1" == *"@localhost"* || "$1" == *"://127.0.0.1"* || "$1" == *"://localhost"* ]]; }
postgres_up() { pg_isready -q -d "${database_url%/*}/postgres"; }
redis_up() { [ "$(redis-cli -u "$redis_url" ping 2>/dev/null)" = "PONG" ]; }
wait_for() { for _ in $(seq 1 30); do "$1" && return 0; sleep 1; done; return 1; }

if ! postgres_up; then
  is_local "$database_url" && [ "$(id -u)" -eq 0 ] || { echo "PostgreSQL at DATABASE_URL does not answer" >&2; exit 1; }
  version=$(ls /etc/postgresql | sort -V | tail -n1)
  echo "Starting the local PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  echo "postgresql $version" >> var/started-services
  wait_for postgres_up || { echo "PostgreSQL did not start" >&2; exit 1; }
fi

if ! redis_up; then
  is_local "$redis_url" && [ "$(id -u)" -eq 0 ] || { echo "Redis at REDIS_URL does not answer" >&2; exit 1; }
  echo "Starting the local Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/workbench.log
  echo "redis" >> var/started-services
  wait_for redis_up || { echo "Redis did not start" >&2; exit 1; }
fi
