#!/usr/bin/env bash
# Builds the Linux packages and proves the .deb installs and runs on a clean
# system:
#
# 1. `tauri build --bundles deb,rpm` (a debug build by default, which shares
#    the test suite's compilation; PACKAGE_CHECK_PROFILE=release for the
#    release one), without updater artifacts (no signing key needed);
# 2. a clean Debian bookworm root made with debootstrap (minbase: no desktop,
#    no WebKit), cached as a tarball under target/package-check/ and unpacked
#    fresh for every run;
# 3. `apt-get install ./hourglass.deb` inside it, so the package's declared
#    dependencies are what brings WebKitGTK, the tray's appindicator and the
#    CA certificates: a missing one fails the run (plus xvfb and dbus to run
#    it, which a desktop has anyway);
# 4. the installed desktop entry registers hourglass:// links;
# 5. `hourglass --demo` started in the root under Xvfb and a private session
#    bus; the check passes when the window shows the demo inbox (the window
#    tells the shell when it renders its first conversations, which logs
#    "the window shows the inbox"), and a screenshot is saved in
#    tests/artifacts/package-check/inbox.png.
#
# Needs root (chroot, mounts) and the network to Debian's packages, so
# scripts/test.sh leaves it out; CI (.ci/run, as root) runs it after the
# tests. It takes about 7 minutes after the test suite's build (4 with the
# cached root). Run it by hand after changing the bundle configuration:
#
#   sudo scripts/package-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'package-check: %s\n' "$*" >&2; exit 1; }

[[ $EUID -eq 0 ]] || die "run as root (it builds a chroot): sudo $0"
for tool in debootstrap chroot mount xwd; do
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install debootstrap x11-apps (or run scripts/setup.sh)"
done

PROFILE="${PACKAGE_CHECK_PROFILE:-debug}"
SUITE="${PACKAGE_CHECK_SUITE:-bookworm}"
MIRROR="${PACKAGE_CHECK_MIRROR:-http://deb.debian.org/debian}"
CACHE=target/package-check
ARTIFACTS=tests/artifacts/package-check
mkdir -p "$CACHE" "$ARTIFACTS"

say "Building the .deb and .rpm ($PROFILE)"
build=(npx --prefix ui tauri build --bundles deb,rpm --config '{"bundle":{"createUpdaterArtifacts":false}}')
[[ "$PROFILE" == debug ]] && build+=(--debug)
"${build[@]}"
# Bundling marks the binary in target/ as installed from a package (the
# CLI patches a marker string in place); unmark it, or the tests that run
# that binary afterwards would take it for an installed copy.
python3 - "target/$PROFILE/hourglass" <<'PY'
import re, sys
with open(sys.argv[1], "r+b") as f:
    data = f.read()
    for m in re.finditer(rb"__TAURI_BUNDLE_TYPE_VAR_(DEB|RPM|APP)", data):
        f.seek(m.start())
        f.write(b"__TAURI_BUNDLE_TYPE_VAR_UNK")
PY
deb=$(ls -t "target/$PROFILE/bundle/deb/"*.deb | head -n1)
rpm=$(ls -t "target/$PROFILE/bundle/rpm/"*.rpm | head -n1)
[[ -s "$deb" && -s "$rpm" ]] || die "no .deb or .rpm was built"
echo "built $deb ($(du -h "$deb" | cut -f1)) and $rpm ($(du -h "$rpm" | cut -f1))"
dpkg-deb --info "$deb" | sed -n '/Depends/p'

base="$CACHE/$SUITE-minbase.tar"
if [[ ! -s "$base" ]]; then
  say "Making a clean $SUITE root (debootstrap, once; cached in $base)"
  fresh=$(mktemp -d)
  # One retry: a mirror's hiccup should not fail the check.
  debootstrap --variant=minbase "$SUITE" "$fresh" "$MIRROR" \
    || { rm -rf "$fresh"; fresh=$(mktemp -d); debootstrap --variant=minbase "$SUITE" "$fresh" "$MIRROR"; }
  tar -C "$fresh" -cf "$base.part" .
  rm -rf "$fresh"
  mv "$base.part" "$base"
fi

root=$(mktemp -d /tmp/hourglass-package-check.XXXXXX)
display=":$((90 + RANDOM % 100))"
cleanup() {
  # The app and Xvfb run inside the root; end them before unmounting.
  if [[ -d "$root/proc" ]]; then
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
      if [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]]; then
        kill -TERM "$pid" 2>/dev/null || true
      fi
    done
    sleep 1
    for pid in $(ls /proc | grep -E '^[0-9]+$'); do
      if [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]]; then
        kill -KILL "$pid" 2>/dev/null || true
      fi
    done
  fi
  for m in dev/pts dev proc sys; do
    mountpoint -q "$root/$m" && umount -l "$root/$m"
  done
  rm -rf "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/hourglass.deb"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

say "Installing the .deb with its dependencies into the clean root"
in_root apt-get -o Acquire::Retries=3 update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=3 install -y -qq --no-install-recommends \
  /tmp/hourglass.deb xvfb xauth dbus dbus-x11 >"$ARTIFACTS/apt.log" 2>&1 \
  || { tail -30 "$ARTIFACTS/apt.log"; die "the .deb did not install"; }
in_root dpkg -s hourglass | sed -n '/^Version/p'
missing=$(in_root ldd /usr/bin/hourglass | grep 'not found' || true)
[[ -z "$missing" ]] || die "libraries the package does not bring: $missing"
desktop_file=$(in_root sh -c 'ls /usr/share/applications/*.desktop' | head -n1)
in_root grep -q 'x-scheme-handler/hourglass' "$desktop_file" \
  || die "$desktop_file does not register hourglass:// links"

say "Starting hourglass --demo in the root under Xvfb ($display)"
in_root sh -c "Xvfb $display -screen 0 1280x800x24 -nolisten tcp >/tmp/xvfb.log 2>&1 &"
for _ in $(seq 1 50); do
  xwd -root -display "$display" -silent >/dev/null 2>&1 && break
  sleep 0.2
done
in_root sh -c "cd /tmp && DISPLAY=$display NO_AT_BRIDGE=1 HOURGLASS_DATA_DIR=/tmp/profile \
  dbus-run-session -- hourglass --demo >/tmp/hourglass.out 2>&1 &"

log_dir="$root/tmp/profile/logs"
started=$SECONDS
until grep -qs 'the window shows the inbox' "$log_dir"/*.log; do
  if grep -qs 'panicked' "$root/tmp/hourglass.out"; then
    tail -40 "$root/tmp/hourglass.out" >&2
    die "the installed app crashed"
  fi
  if (( SECONDS - started > 180 )); then
    tail -40 "$root/tmp/hourglass.out" >&2 || true
    die "the installed app did not show the demo inbox within 180 s"
  fi
  sleep 1
done
grep -h 'the window shows the inbox' "$log_dir"/*.log | head -n1
sleep 2
if command -v convert >/dev/null && convert -version 2>/dev/null | grep -q ImageMagick; then
  xwd -root -display "$display" -silent | convert xwd:- "$ARTIFACTS/inbox.png"
  echo "screenshot: $ARTIFACTS/inbox.png"
else
  xwd -root -display "$display" -silent >"$ARTIFACTS/inbox.xwd"
  echo "screenshot: $ARTIFACTS/inbox.xwd (install imagemagick for a PNG)"
fi
say "The .deb installs on a clean $SUITE with its dependencies and shows the demo inbox"
echo "package-check: 1 passed, 0 failed"
