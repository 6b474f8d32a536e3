#!/usr/bin/env bash
# Sets everything up and runs every gate and every test, the real window
# included (under Xvfb and a private D-Bus session).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scripts/setup.sh

say "Format"
cargo fmt --all --check

say "Lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "Seams"
if grep -rlE "from ['\"]@tauri-apps/" ui/src --include='*.ts' --include='*.tsx' | grep -v '^ui/src/lib/ipc/'; then
  echo "Only ui/src/lib/ipc/ may import @tauri-apps/*" >&2
  exit 1
fi
if cargo tree -p hourglass-core -e normal --prefix none | grep -qE '^tauri '; then
  echo "crates/core must not depend on Tauri" >&2
  exit 1
fi

say "Rust tests (also regenerates ui/src/bindings)"
cargo test --workspace --locked

say "Generated bindings are committed and fresh"
if git rev-parse --git-dir >/dev/null 2>&1; then
  if [[ -n "$(git status --porcelain -- ui/src/bindings)" ]]; then
    git status --porcelain -- ui/src/bindings
    echo "ui/src/bindings is out of date: run cargo test and commit the changes" >&2
    exit 1
  fi
fi

say "UI: type-check and unit tests"
(cd ui && npm run typecheck && npm test)

say "Desktop app build (Tauri CLI; includes the UI production build)"
npx --prefix ui tauri build --debug --no-bundle

say "End-to-end tests in the real window"
export NO_AT_BRIDGE=1 WEBKIT_DISABLE_COMPOSITING_MODE=1
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test --locked --test e2e -- --ignored --test-threads=1

say "All gates and tests passed"
