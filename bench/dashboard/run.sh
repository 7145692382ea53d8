#!/usr/bin/env bash
# Dashboard benchmark (一屏管交易): seeds a catalogue of 100,000 offers and M orders
# (default 1,000,000) over two years into a fresh SQLite database, times the full and the
# incremental rebuild of the pre-aggregated figures, then measures the console page and
# the JSON and export endpoints through HTTP with wrk (one connection, so the latency is
# one request's). Writes bench/dashboard/RESULTS.md.
#
#   bench/dashboard/run.sh [M]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/prerequisites.sh
source bench/lib.sh
M=${1:-1000000}
out=bench/dashboard/RESULTS.md

need_rust
command -v wrk >/dev/null || { step "installing wrk"; apt_install wrk; }
command -v sqlite3 >/dev/null || { step "installing sqlite3"; apt_install sqlite3; }

step "building (release)"
cargo build --release --quiet --package emall-server
bin=$PWD/target/release/emall

work=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export EMALL_DATA_DIR="$work/sqlite"
unset DATABASE_URL
step "seeding 100,000 offers and $M orders into SQLite"
seed=$("$bin" seed --scale 100000 --orders "$M" | tail -n 1)
step "rebuilding every month of the dashboard's figures"
full=$("$bin" refresh-dashboard --full | tail -n 1)
rollup_rows=$(sqlite3 "$EMALL_DATA_DIR/emall.db" "SELECT COUNT(*) FROM spend_rollup")
step "one order changes: the incremental refresh"
sqlite3 "$EMALL_DATA_DIR/emall.db" "UPDATE orders SET updated_at = CAST(strftime('%s','now') AS INTEGER) WHERE id = (SELECT MAX(id) FROM orders)"
incremental=$("$bin" refresh-dashboard | tail -n 1)

port=$(free_port)
EMALL_ADDR="127.0.0.1:$port" EMALL_TIMER_INTERVAL_SECS=0 "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
base="http://127.0.0.1:$port"
cookie=$(curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"username":"bench-regulator","password":"Bench@2026"}' "$base/api/v1/auth/login" |
  grep -io 'emall_session=[^;]*' | head -n 1)
[ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }

db="$EMALL_DATA_DIR/emall.db"
city=$(sqlite3 "$db" "SELECT city FROM purchasing_units GROUP BY city ORDER BY COUNT(*) DESC LIMIT 1")
district=$(sqlite3 "$db" "SELECT district FROM purchasing_units WHERE city = '$city' GROUP BY district ORDER BY COUNT(*) DESC LIMIT 1")
unit=$(sqlite3 "$db" "SELECT unit_id FROM orders GROUP BY unit_id ORDER BY COUNT(*) DESC LIMIT 1")
category=$(sqlite3 "$db" "SELECT SUBSTR(p.category_code, 1, 3) FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
leaf3=$(sqlite3 "$db" "SELECT SUBSTR(p.category_code, 1, 5) FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1")
this_month=$(date -u -d '+8 hours' +%Y-%m)
two_years_ago=$(date -u -d '+8 hours -23 months' +%Y-%m)

scenarios=(
  "console, whole mall, last 12 months|/console"
  "console, one city|/console?city=$city"
  "console, one district and category|/console?city=$city&district=$district&category=$leaf3"
  "console, one category, 24 months|/console?from=$two_years_ago&to=$this_month&category=$category"
  "console, one purchasing unit|/console?unit=$unit"
  "JSON API, whole mall|/api/v1/dashboard"
  "export, suppliers (CSV)|/api/v1/dashboard/export?table=suppliers&format=csv"
  "export, units (XLSX)|/api/v1/dashboard/export?table=units&format=xlsx"
)
rows=""
for s in "${scenarios[@]}"; do
  name=${s%%|*}
  path=${s#*|}
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
  [ "$status" = 200 ] || { echo "$path answered $status" >&2; exit 1; }
  step "measuring: $name"
  result=$(wrk -t1 -c1 -d10s --latency -H "Cookie: $cookie" "$base$path")
  p50=$(awk '/^ +50%/ {print $2}' <<<"$result")
  p99=$(awk '/^ +99%/ {print $2}' <<<"$result")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$result")
  rows+="| $name | \`$path\` | $p50 | $p99 | $rps |"$'\n'
done

cat >"$out" <<MD
# Dashboard benchmark

Run by \`bench/dashboard/run.sh $M\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version | cut -d' ' -f1-2), SQLite (the embedded default), release build. Latency is
wrk with one connection for 10 s per page: the whole request, signed in as the regulator,
including the server-side render of the console page.

| step | result |
| --- | --- |
| seed | $seed |
| full rebuild of the figures | $full |
| rows in \`spend_rollup\` | $rollup_rows |
| incremental refresh after one changed order | $incremental |

| page | path | p50 | p99 | requests/s |
| --- | --- | --- | --- | --- |
$rows
Goal: every dashboard page ≤ 500 ms at 1,000,000 orders.
MD
cat "$out"
