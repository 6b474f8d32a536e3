#!/usr/bin/env bash
# A private PostgreSQL server for trying the relay on PostgreSQL by hand or
# benchmarking it: a fresh cluster in a temporary folder, listening on
# 127.0.0.1 only, on a free port. (The relay's tests start their own; they
# need none of this.)
#
#   scripts/pg.sh start          # prints PG_DIR=… and PG_URL=… (eval-able)
#   scripts/pg.sh stop <PG_DIR>  # stops that cluster and removes its folder
#
# Needs the `postgresql` package (scripts/setup.sh installs it). As root, the
# server runs as the `postgres` user, since initdb refuses to run as root.
# It stops only the cluster of the folder it is given, by its data directory.
set -euo pipefail

bin=""
for d in /usr/lib/postgresql/*/bin; do
  [[ -x "$d/initdb" ]] && bin="$d"
done
if [[ -n "${HOURGLASS_TEST_PG_BIN:-}" ]]; then bin="$HOURGLASS_TEST_PG_BIN"; fi
if [[ -z "$bin" ]]; then
  echo "no PostgreSQL under /usr/lib/postgresql: apt-get install -y postgresql (scripts/setup.sh does)" >&2
  exit 1
fi

as_owner=()
if [[ $EUID -eq 0 ]]; then as_owner=(runuser -u postgres --); fi

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/hourglass-pg.XXXXXX)
    chmod 755 "$dir"
    if [[ $EUID -eq 0 ]]; then chown postgres: "$dir"; fi
    cd "$dir"
    "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
    for _ in 1 2 3 4 5; do
      port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
      if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null; then
        echo "PG_DIR=$dir"
        echo "PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
    done
    cat "$dir/log" >&2
    echo "the cluster did not start" >&2
    exit 1
    ;;
  stop)
    dir="${2:?usage: scripts/pg.sh stop <PG_DIR>}"
    [[ -f "$dir/data/PG_VERSION" ]] || { echo "$dir holds no cluster" >&2; exit 1; }
    cd "$dir"
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    cd /
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/pg.sh start | scripts/pg.sh stop <PG_DIR>" >&2
    exit 2
    ;;
esac
