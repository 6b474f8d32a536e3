#!/usr/bin/env bash
# Sets everything up and starts Hourglass. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if (($#)); then
  exec npx --prefix ui tauri dev -- -- "$@"
fi
exec npx --prefix ui tauri dev
