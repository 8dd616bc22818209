#!/usr/bin/env bash
# Installs the Debian packages the app and its test suite need, when any is missing.
#   gettext        compilemessages (kk/ru/en catalogues)
#   chromium       browser tests (Playwright drives /usr/bin/chromium; no browser is ever downloaded)
#   fonts-noto-core, fonts-dejavu-core  Kazakh Cyrillic glyphs in the browser and in PDF letters
#   libpango-1.0-0, libpangoft2-1.0-0   WeasyPrint (PDF letters)
#   curl           health checks in scripts
# Usage: scripts/system-deps.sh [run|test]   ("run" skips the browser)
set -euo pipefail
mode=${1:-test}
need=()
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v curl >/dev/null 2>&1 || need+=(curl)
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need+=(libpangoft2-1.0-0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
dpkg -s fonts-noto-core >/dev/null 2>&1 || need+=(fonts-noto-core)
if [[ $mode == test ]]; then
  [[ -x /usr/bin/chromium ]] || need+=(chromium)
fi
[[ ${#need[@]} -eq 0 ]] && exit 0
if [[ $(id -u) -eq 0 ]]; then
  echo "Installing system packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
else
  echo "Missing system packages: ${need[*]}" >&2
  echo "Run as root:  apt-get update && apt-get install -y ${need[*]}" >&2
  exit 1
fi
