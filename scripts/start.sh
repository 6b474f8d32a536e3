#!/usr/bin/env bash
# Sets everything up and starts Hourglass in demo mode: a simulated WhatsApp
# Cloud API and relay run inside the app, and customers start writing in.
# Set HOURGLASS_DEMO=0 to start without the demo. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export HOURGLASS_DEMO="${HOURGLASS_DEMO:-1}"
if (($#)); then
  exec npx --prefix ui tauri dev -- -- "$@"
fi
exec npx --prefix ui tauri dev
