#!/usr/bin/env bash
# Hourglass's performance figures in one command: builds the benchmarks and
# the desktop app in release mode, runs the relay (on SQLite, then on a private
# PostgreSQL), sync, search, reports, app and media benchmarks, and prints one table
# (Markdown) of what they measured.
#
#   scripts/bench.sh
#
# Environment:
#   CARGO_TARGET_DIR      where to build (default: target/); the benchmarks'
#                         logs and the table go to $CARGO_TARGET_DIR/bench/.
#   HOURGLASS_APP_BINARY  an app binary already built by
#                         `npx --prefix ui tauri build --no-bundle`: skips
#                         building the app (the benchmarks are still built).
#
# It installs nothing: scripts/setup.sh does. Everything runs on loopback;
# every benchmark stops by itself and is killed if it runs past its limit.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
fail() {
  printf 'bench: %s\n' "$*" >&2
  exit 1
}

started=$(date +%s)
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
OUT="$CARGO_TARGET_DIR/bench"
FEATURES=(--features tauri/custom-protocol)

# Prerequisites ---------------------------------------------------------------
missing=()
for tool in cargo node npx tauri-driver WebKitWebDriver xvfb-run dbus-run-session timeout awk; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[[ -x ui/node_modules/.bin/tauri ]] || missing+=("the UI's npm packages (ui/node_modules)")
if ((${#missing[@]})); then
  fail "missing: ${missing[*]}. Run scripts/setup.sh, which installs them, then run this again."
fi
if [[ -n "${HOURGLASS_APP_BINARY:-}" && ! -x "$HOURGLASS_APP_BINARY" ]]; then
  fail "HOURGLASS_APP_BINARY=$HOURGLASS_APP_BINARY is not an executable file"
fi
mkdir -p "$OUT" || fail "cannot create $OUT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# Build -----------------------------------------------------------------------
build_started=$(date +%s)
say "Build (release) into $CARGO_TARGET_DIR"
# app-bench and media-bench link the app's library and the WebDriver client;
# floor-window is the hello-world Tauri window app-bench measures as the
# floor of the stack, built with the same Tauri and features. Built in the
# same cargo run as the app (the Tauri CLI passes the arguments after `--` to
# cargo), both share one feature resolution, so the dependency tree is
# compiled once rather than twice: from a cold target folder that tree is by
# far the longest part of the build. Later runs rebuild what changed.
if [[ -n "${HOURGLASS_APP_BINARY:-}" ]]; then
  APP_BINARY="$HOURGLASS_APP_BINARY"
  echo "app: reusing $APP_BINARY"
  cargo build --release --locked "${FEATURES[@]}" --example app-bench --example media-bench --example floor-window >"$OUT/build-app.log" 2>&1 \
    || fail "building app-bench, media-bench and floor-window failed; see $OUT/build-app.log"
else
  APP_BINARY="$CARGO_TARGET_DIR/release/hourglass"
  # Also builds the UI (ui/dist) that the app bundles.
  npx --prefix ui tauri build --no-bundle -- --locked --example app-bench --example media-bench --example floor-window >"$OUT/build-app.log" 2>&1 \
    || fail "the app build failed; see $OUT/build-app.log"
fi
cargo build --release --locked -p hourglass-relay --example relay-bench >"$OUT/build-relay-bench.log" 2>&1 \
  || fail "building relay-bench failed; see $OUT/build-relay-bench.log"
cargo build --release --locked -p hourglass-core --example sync-bench --example search-bench --example reports-bench >"$OUT/build-sync-bench.log" 2>&1 \
  || fail "building sync-bench, search-bench and reports-bench failed; see $OUT/build-sync-bench.log"
build_s=$(($(date +%s) - build_started))
echo "build: ${build_s} s"

# Run -------------------------------------------------------------------------
EXAMPLES="$CARGO_TARGET_DIR/release/examples"
failed=()
run() { # name, time limit in seconds, command...
  local name=$1 limit=$2
  shift 2
  say "$name (at most ${limit} s; log: $OUT/$name.log)"
  local t0=$SECONDS
  if timeout -k 10 "$limit" "$@" >"$OUT/$name.log" 2>&1; then
    echo "$name: done in $((SECONDS - t0)) s"
  else
    echo "$name: FAILED (exit $?) after $((SECONDS - t0)) s; last lines of its log:" >&2
    tail -n 15 "$OUT/$name.log" >&2
    failed+=("$name")
  fi
}
run relay-bench 240 "$EXAMPLES/relay-bench"
# The same benchmark with the log in PostgreSQL: a private cluster on
# loopback (scripts/pg.sh), stopped by its own folder afterwards.
pg_env=""
if pg_env=$(scripts/pg.sh start 2>"$OUT/pg.log"); then
  PG_DIR=$(sed -n 's/^PG_DIR=//p' <<<"$pg_env")
  PG_URL=$(sed -n 's/^PG_URL=//p' <<<"$pg_env")
  if psql "$PG_URL" -qc "CREATE DATABASE relay_bench" >>"$OUT/pg.log" 2>&1; then
    run relay-bench-pg 240 "$EXAMPLES/relay-bench" --db "${PG_URL%/postgres}/relay_bench"
  else
    failed+=("relay-bench-pg")
  fi
  scripts/pg.sh stop "$PG_DIR" >>"$OUT/pg.log" 2>&1
else
  echo "relay-bench-pg: no PostgreSQL server could be started; see $OUT/pg.log" >&2
  failed+=("relay-bench-pg")
fi
run sync-bench 300 "$EXAMPLES/sync-bench"
run search-bench 300 "$EXAMPLES/search-bench" --rounds 100
run reports-bench 300 "$EXAMPLES/reports-bench" --rounds 10
run app-bench 480 env NO_AT_BRIDGE=1 HOURGLASS_APP_BINARY="$APP_BINARY" \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  "$EXAMPLES/app-bench" --launches 3 --timeout 420
run media-bench 360 env NO_AT_BRIDGE=1 HOURGLASS_APP_BINARY="$APP_BINARY" \
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  "$EXAMPLES/media-bench" --rounds 3 --timeout 320

# Table -----------------------------------------------------------------------
# Thousands separators for whole numbers: 44174 -> 44,174.
num() { sed -E ':a;s/([0-9])([0-9]{3})($|[^0-9])/\1,\2\3/;ta' <<<"$1"; }
# Column $2 (1-based, between the |) of the first table row of log $1 whose
# first cell matches the regex $3.
cell() {
  awk -F'|' -v col="$2" -v re="$3" \
    '$2 ~ re { v = $(col + 1); gsub(/^ +| +$/, "", v); print v; exit }' "$OUT/$1.log" 2>/dev/null
}
# The number after the word $2 on the first line of log $1 matching $3.
after() {
  awk -v key="$2" -v re="$3" \
    '$0 ~ re { for (i = 1; i < NF; i++) if ($i == key) { print $(i + 1); exit } }' "$OUT/$1.log" 2>/dev/null
}
# The value of key $1 in app-bench's result line.
appv() {
  awk -v key="$1" '/^app-bench result:/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] } } END { print v }' \
    "$OUT/app-bench.log" 2>/dev/null
}
or_failed() { # value, log name
  if [[ -n "$1" ]]; then printf '%s' "$1"; else printf 'FAILED (see %s)' "$OUT/$2.log"; fi
}

raw_rate=$(cell relay-bench 2 'rows per transaction' | head -n 1)
raw_single=$(cell relay-bench 2 '^ 1 row per transaction')
raw_batch=$(awk -F'|' '$2 ~ /rows per transaction/ { gsub(/^ +| rows.*$/, "", $2); print $2; exit }' "$OUT/relay-bench.log" 2>/dev/null)
plain_rate=$(cell relay-bench 2 'no-storage axum handler')
durable_rate=$(cell relay-bench 2 'relay, durable, max rate')
durable_p50=$(cell relay-bench 3 'relay, durable, max rate')
durable_p99=$(cell relay-bench 4 'relay, durable, max rate')
paced_p50=$(cell relay-bench 3 '^ relay at [0-9]+/s')
paced_p99=$(cell relay-bench 4 '^ relay at [0-9]+/s')
live_p50=$(after sync-bench p50 'webhook-to-committed')
live_p99=$(after sync-bench p99 'webhook-to-committed')
durable_failed=$(cell relay-bench 7 'relay, durable, max rate')
pg_rate=$(cell relay-bench-pg 2 'relay on PostgreSQL, durable, max rate')
pg_p50=$(cell relay-bench-pg 3 'relay on PostgreSQL, durable, max rate')
pg_p99=$(cell relay-bench-pg 4 'relay on PostgreSQL, durable, max rate')
pg_failed=$(cell relay-bench-pg 7 'relay on PostgreSQL, durable, max rate')
pg_paced_p99=$(cell relay-bench-pg 4 '^ relay on PostgreSQL at [0-9]+/s')
paced_failed=$(cell relay-bench 7 '^ relay at [0-9]+/s')
# Catch-up: either one run ("catch-up: N events in Ts = R events/s") or
# several ("catch-up, run 1: N events in …" and "catch-up: 3 runs, events/s
# best B, median M, worst W").
catchup_n=$(awk '/^catch-up/ && / events in / { for (i = 2; i <= NF; i++) if ($i == "events") { print $(i - 1); exit } }' "$OUT/sync-bench.log" 2>/dev/null)
catchup_median=$(after sync-bench median '^catch-up: .*runs' | tr -d ,)
if [[ -n "$catchup_median" ]]; then
  catchup=$catchup_median
  catchup_runs=$(awk '/^catch-up: .*runs/ { print $2; exit }' "$OUT/sync-bench.log")
  catchup_spread="median of $catchup_runs runs: best $(num "$(after sync-bench best '^catch-up: .*runs' | tr -d ,)"), worst $(num "$(after sync-bench worst '^catch-up: .*runs' | tr -d ,)")"
else
  catchup=$(awk '/^catch-up:/ { for (i = 1; i <= NF; i++) if ($i == "events/s") { print $(i - 1); exit } }' "$OUT/sync-bench.log" 2>/dev/null)
  catchup_spread="one run"
fi
seed_s=$(appv seed_s)
cold_p50=$(appv cold_start_ms_p50)
cold_max=$(appv cold_start_ms_max)
open_p50=$(appv open_chat_ms_p50)
open_max=$(appv open_chat_ms_max)
launches=$(appv launches)
rss_app=$(appv rss_app_mib)
rss_web=$(appv rss_web_mib)
rss_net=$(appv rss_network_mib)
rss_chat_app=$(appv rss_chat_app_mib)
rss_chat_web=$(appv rss_chat_web_mib)
interactive_p50=$(appv interactive_ms_p50)
interactive_p95=$(appv interactive_ms_p95)
direct_launches=$(appv direct_launches)
pss_floor=$(appv pss_floor_mib)
pss_floor_dv=$(appv pss_floor_dv_mib)
pss_inbox=$(appv pss_inbox_mib)
pss_chat=$(appv pss_chat_mib)
pss_inbox_above=$(appv pss_inbox_above_floor_mib)
pss_chat_above=$(appv pss_chat_above_floor_mib)
# The value of key $1 in media-bench's result line.
mediav() {
  awk -v key="$1" '/^media-bench result:/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] } } END { print v }' \
    "$OUT/media-bench.log" 2>/dev/null
}
first_image_p50=$(mediav first_image_ms_p50)
first_image_max=$(mediav first_image_ms_max)
media_fetched_open=$(mediav fetched_at_open)
media_web_closed=$(mediav rss_closed_web_mib)
media_web_open=$(mediav rss_open_web_mib)
media_web_top=$(mediav rss_top_web_mib)
media_app_closed=$(mediav rss_closed_app_mib)
media_app_top=$(mediav rss_top_app_mib)
# The value of key $1 in search-bench's result line.
searchv() {
  awk -v key="$1" '/^search-bench result:/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] } } END { print v }' \
    "$OUT/search-bench.log" 2>/dev/null
}
search_p50=$(searchv p50_ms)
search_p99=$(searchv p99_ms)
search_max=$(searchv max_ms)
search_calls=$(searchv calls)
search_like=$(searchv like_scan_ms)
search_messages=$(searchv messages)
# The value of key $1 in reports-bench's result line.
reportsv() {
  awk -v key="$1" '/^reports-bench result:/ { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) v = kv[2] } } END { print v }' \
    "$OUT/reports-bench.log" 2>/dev/null
}
reports30=$(reportsv report30_p50_ms)
reports365=$(reportsv report365_p50_ms)
reports_worst=$(reportsv worst_query_ms)
reports_messages=$(reportsv messages)

# "$3" filled with "$1" and "$2" when both were found, else nothing.
both() {
  if [[ -n "$1" && -n "$2" ]]; then
    # shellcheck disable=SC2059 # the format is ours
    printf "$3" "$1" "$2"
  fi
}

durable=$(or_failed "$(both "$(num "$durable_rate")" "$(both "$durable_p50" "$durable_p99" 'ack p50 %s ms, p99 %s ms')" '**%s** (%s)')" relay-bench)
durable_ref="raw SQLite insert, ${raw_batch:-?} rows per transaction: $(or_failed "$(num "$raw_rate")" relay-bench) rows/s; no-storage HTTP handler (HMAC only): $(or_failed "$(num "$plain_rate")" relay-bench) webhooks/s"
paced=$(or_failed "$(both "$paced_p50" "$paced_p99" 'p50 %s ms, **p99 %s ms**')" relay-bench)
pg_durable=$(or_failed "$(both "$(num "$pg_rate")" "$(both "$pg_p50" "$pg_p99" 'ack p50 %s ms, p99 %s ms')" '**%s** (%s)')" relay-bench-pg)
if [[ "${pg_failed:-0}" != 0 ]]; then pg_durable+=" — **$(num "$pg_failed") requests failed: not a valid run**"; fi
# A phase where requests failed (a full disk answers 503) measured no ingest.
if [[ "${durable_failed:-0}" != 0 ]]; then durable+=" — **$(num "$durable_failed") requests failed: not a valid run**"; fi
if [[ "${paced_failed:-0}" != 0 ]]; then paced+=" — **$(num "$paced_failed") requests failed: not a valid run**"; fi
live=$(or_failed "$(both "$live_p50" "$live_p99" 'p50 %s ms, **p99 %s ms**')" sync-bench)
catchup_v=$(or_failed "$(both "$(num "$catchup")" "$(num "$catchup_n")" '**%s** (backlog of %s events')" sync-bench)
[[ -n "$catchup" ]] && catchup_v+="; $catchup_spread)"
cold=$(or_failed "$(both "$(num "$cold_p50")" "$(num "$cold_max")" '**p50 %s ms**, max %s ms')" app-bench)
open=$(or_failed "$(both "$(num "$open_p50")" "$(num "$open_max")" '**p50 %s ms**, max %s ms')" app-bench)
rss=$(both "$rss_app" "$rss_web" 'app **%s MiB**, WebKitWebProcess **%s MiB**')
rss=$(or_failed "${rss:+$rss${rss_net:+, WebKitNetworkProcess $rss_net MiB}}" app-bench)
search=$(or_failed "$(both "$search_p50" "$search_p99" 'p50 %s ms, **p99 %s ms**')" search-bench)
[[ -n "$search_max" ]] && search+=", max $search_max ms ($(num "${search_calls:-0}") searches of 10 kinds over $(num "${search_messages:-0}") messages)"
reports=$(or_failed "$(both "$reports30" "$reports365" 'whole report p50 **%s ms** (last 30 days), %s ms (a year)')" reports-bench)
[[ -n "$reports_worst" ]] && reports+="; slowest single query **$reports_worst ms** over $(num "${reports_messages:-0}") messages"
first_image=$(or_failed "$(both "$(num "$first_image_p50")" "$(num "$first_image_max")" '**p50 %s ms**, max %s ms')" media-bench)
media_rss=$(both "$media_web_closed" "$media_web_open" 'WebKitWebProcess %s MiB closed, %s MiB open')
media_rss=$(or_failed "${media_rss:+$media_rss, **$media_web_top MiB** scrolled to the top; app $media_app_closed → $media_app_top MiB}" media-bench)
rss_chat=$(or_failed "$(both "$rss_chat_app" "$rss_chat_web" 'app %s MiB, WebKitWebProcess %s MiB')" app-bench)
interactive=$(or_failed "$(both "$(num "$interactive_p50")" "$(num "$interactive_p95")" '**p50 %s ms**, p95 %s ms')" app-bench)
pss=$(or_failed "$(both "$pss_inbox" "$pss_inbox_above" '**%s MiB** (%s MiB above the floor)')" app-bench)
pss_chat_v=$(or_failed "$(both "$pss_chat" "$pss_chat_above" '%s MiB (%s MiB above the floor)')" app-bench)

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
total_s=$(($(date +%s) - started))
{
  echo "Hourglass benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "load average (1/5/15 min) before: $load_before; after: $load_after; build ${build_s} s; total ${total_s} s"
  echo
  echo "| figure | measured | same run, for reference |"
  echo "|---|---|---|"
  echo "| relay durable ingest, max rate (webhooks/s) | $durable | $durable_ref |"
  echo "| relay durable ingest on PostgreSQL, max rate (webhooks/s) | $pg_durable | a private PostgreSQL on the same two cores; p99 at 1,000/s: ${pg_paced_p99:-?} ms |"
  echo "| relay ack latency at 1,000 webhooks/s | $paced | raw SQLite, 1 row (one fsync) per transaction: $(or_failed "$(num "$raw_single")" relay-bench) rows/s |"
  echo "| webhook → desktop store at 1,000 messages/s | $live | |"
  echo "| catch-up from cursor 0 (events/s) | $catchup_v | |"
  echo "| app cold start to an interactive inbox, 10,000 conversations / 1,000,000 messages | $cold | ${launches:-?} launches; seeding the profile took ${seed_s:-?} s |"
  echo "| app cold start without the driver: exec → \"inbox interactive\" log mark | $interactive | ${direct_launches:-?} launches; target: p50 under 500 ms |"
  echo "| opening a 5,000-message chat (click → newest message rendered; the UI loads the newest 500) | $open | |"
  echo "| search latency (the search box's whole call: messages, notes, contacts, snippets) | $search | the same store scanned with \`LIKE '%word%'\`, no index: $(or_failed "${search_like:+$search_like ms}" search-bench) |"
  echo "| Reports screen queries (opened, resolved/reopened, response times, missed windows, busiest hours, leads, spend) | $reports | target: each under 200 ms |"
  echo "| RSS at rest, inbox shown (5 s idle) | $rss | 5,000-message chat open: $rss_chat |"
  echo "| PSS at rest (app + WebKit processes), inbox shown, no driver | $pss | floor (hello-world Tauri window): ${pss_floor:-?} MiB, ${pss_floor_dv:-?} MiB with the single-document cache model; 5,000-message chat open (under the driver): $pss_chat_v; targets: ≤ 60 and ≤ 120 MiB above the floor |"
  echo "| opening a 200-photo chat (click → first visible photo decoded) | $first_image | photos fetched by then: ${media_fetched_open:-?} of 200 (fetched as their bubbles show) |"
  echo "| RSS at rest with a 200-photo chat (demo mode) | $media_rss | |"
} >"$OUT/summary.md"

echo
cat "$OUT/summary.md"
echo
echo "logs and this table: $OUT"
if ((${#failed[@]})); then
  fail "failed: ${failed[*]}"
fi
