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

# The Tauri CLI builds the app with `tauri/custom-protocol` (the window loads
# the bundled UI). Tests use the same feature set so they share its build and
# the e2e tests drive exactly that binary.
FEATURES=(--features tauri/custom-protocol)

say "UI: type-check, unit tests"
(cd ui && npm run typecheck && npm test)

say "Desktop app build (Tauri CLI; includes the UI production build)"
npx --prefix ui tauri build --debug --no-bundle

say "Rust tests (also regenerates ui/src/bindings)"
cargo test --workspace --locked "${FEATURES[@]}"

say "Generated bindings are committed and fresh"
if git rev-parse --git-dir >/dev/null 2>&1; then
  if [[ -n "$(git status --porcelain -- ui/src/bindings)" ]]; then
    git status --porcelain -- ui/src/bindings
    echo "ui/src/bindings is out of date: run cargo test and commit the changes" >&2
    exit 1
  fi
fi

say "End-to-end tests in the real window"
# Each test runs tauri-driver in its own process group and kills it when
# done; the trap also clears any left behind by a test that was killed.
cleanup_drivers() { pkill -KILL -f 'tauri-driver --port' 2>/dev/null || true; }
trap cleanup_drivers EXIT
export NO_AT_BRIDGE=1
timeout -k 10 1200 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --locked "${FEATURES[@]}" --test e2e -- --ignored --test-threads=1

say "All gates and tests passed"
