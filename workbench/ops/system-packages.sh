#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the workbench needs, when run as root and something is missing.
# Usage: system-packages.sh [test]   ("test" adds what the end-to-end tests need: Chromium, and npm for axe-core)
set -euo pipefail

wanted=(postgresql postgresql-client redis-server redis-tools gettext build-essential cmake fonts-dejavu-core fonts-noto-cjk)
[ "${1:-}" = "test" ] && wanted+=(chromium)
# npm may come with a Node.js installed another way (NodeSource's nodejs bundles it and conflicts with Debian's).
[ "${1:-}" = "test" ] && ! command -v npm >/dev/null && wanted+=(npm)
python3 -m venv --help >/dev/null 2>&1 || wanted+=(python3-venv)
# WeasyPrint subsets the report fonts with HarfBuzz when this library is there; its fontTools fallback takes
# seconds per CJK font. Releases without this package keep that fallback.
apt-cache show libharfbuzz-subset0 >/dev/null 2>&1 && wanted+=(libharfbuzz-subset0)

missing=()
for package in "${wanted[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages (install them, or run this as root on Debian/Ubuntu): ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Installing postgresql or redis-server must not fail where their init scripts cannot run (containers).
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
