#!/usr/bin/env bash
# The performance suite, in one run on this machine; writes bench/RESULTS.md with the goals
# beside the results.
#
#   1. cached comparison page (brotli) through HTTP with wrk: peak throughput against nginx
#      serving the same bytes with the same headers, then latency at 70 % of that peak;
#   2. uncached render: in process (render alone; reads + render) and through HTTP with the
#      page cache off;
#   3. search through HTTP (/api/v1/search over bench/search/queries.txt);
#   4. checkouts per second on SQLite and on PostgreSQL;
#   5. client weight: wasm, JS, CSS and the page's HTML, brotli;
#   6. Lighthouse performance score with Debian's Chromium.
#
# Catalogue: `emall seed --scale N --orders M` (default 20,000 offers, 20,000 orders, which
# also makes the purchasing units that place the benchmark's orders).
#
#   bench/run.sh [N] [M]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
source bench/lib.sh
N=${1:-20000}
M=${2:-20000}
out=bench/RESULTS.md
DURATION=${BENCH_DURATION:-10s}

need_rust
need_wasm_target
need_wasm_opt
need_postgres
need_chromium
command -v wrk >/dev/null || { step "installing wrk"; apt_install wrk; }
command -v nginx >/dev/null || { step "installing nginx"; apt_install nginx-light; }
command -v sqlite3 >/dev/null || { step "installing sqlite3"; apt_install sqlite3; }
command -v brotli >/dev/null || { step "installing brotli"; apt_install brotli; }

step "building the release (wasm, CSS, server)"
cargo xtask build --release
bin=$PWD/target/release/emall
site=$PWD/target/site
step "installing Lighthouse"
(cd bench && npm install --silent --no-audit --no-fund)

work=$(mktemp -d)
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  stop_postgres "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT
# wrk … → "rps p50 p99 p999 requests errors"
measure() { wrk "$@" -s bench/wrk/report.lua | awk '/^RESULT/ {print $2, $3, $4, $5, $6, $7}'; }
field() { echo "$1" | cut -d' ' -f"$2"; }
serve() { # port, extra env…
  local port=$1; shift
  env "$@" EMALL_ADDR="127.0.0.1:$port" EMALL_TIMER_INTERVAL_SECS=0 EMALL_SITE_ROOT="$site" \
    EMALL_LOG=warn "$bin" serve >"$work/server-$port.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$port"
}

export EMALL_DATA_DIR="$work/sqlite"
unset DATABASE_URL
step "seeding $N offers and $M orders into SQLite"
seed=$("$bin" seed --scale "$N" --orders "$M" | tail -n 1)
"$bin" reindex >/dev/null
db="$EMALL_DATA_DIR/emall.db"
product=$(sqlite3 "$db" "SELECT o.product_id FROM offers o JOIN offer_cities oc ON oc.offer_id = o.id \
  WHERE oc.city = '310100' AND o.status = 'on_sale' GROUP BY o.product_id ORDER BY COUNT(*) DESC, o.product_id LIMIT 1")
page="/product/$product?city=310100"

step "1. cached page: emall against nginx with the same bytes"
port=$(free_port)
serve "$port"
base="http://127.0.0.1:$port"
curl -fsS -o /dev/null -H 'Accept-Encoding: br' "$base$page"           # fills the cache
curl -fsS -D "$work/headers" -o "$work/page.br" -H 'Accept-Encoding: br' "$base$page"
grep -qi '^x-cache: HIT' "$work/headers" || { echo "the page was not cached" >&2; exit 1; }
page_br=$(stat -c %s "$work/page.br")
page_html=$(brotli -dc "$work/page.br" | wc -c)
# nginx sends the same headers (its own Date, Content-Length, Server and Last-Modified aside).
add_headers=$(tr -d '\r' <"$work/headers" | awk -F': ' 'NR > 1 && NF >= 2 {
  name = tolower($1)
  if (name == "date" || name == "content-length" || name == "content-type" || name == "connection") next
  value = substr($0, length($1) + 3); gsub(/"/, "\\\"", value)
  printf "      add_header %s \"%s\" always;\n", $1, value }')
nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  etag off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  types { }
  default_type "text/html; charset=utf-8";
  server {
    listen 127.0.0.1:$nport;
    location = /page {
      alias $work/page.br;
$add_headers
    }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
curl -fsS -o "$work/nginx.br" "http://127.0.0.1:$nport/page"
cmp -s "$work/page.br" "$work/nginx.br" || { echo "nginx does not serve the same bytes" >&2; exit 1; }
response_emall=$(curl -fsS -D - -o /dev/null -H 'Accept-Encoding: br' "$base$page" | wc -c)
response_nginx=$(curl -fsS -D - -o /dev/null -H 'Accept-Encoding: br' "http://127.0.0.1:$nport/page" | wc -c)

wrk -t1 -c64 -d3s -H 'Accept-Encoding: br' "$base$page" >/dev/null           # warm-up
wrk -t1 -c64 -d3s -H 'Accept-Encoding: br' "http://127.0.0.1:$nport/page" >/dev/null
# Two servers and wrk share two cores, so one run of each swings by several per cent with
# scheduling. Three rounds, each server in turn, and the median run of each.
emall_runs=(); nginx_runs=()
for _ in 1 2 3; do
  emall_runs+=("$(measure -t1 -c64 -d"$DURATION" -H 'Accept-Encoding: br' "$base$page")")
  nginx_runs+=("$(measure -t1 -c64 -d"$DURATION" -H 'Accept-Encoding: br' "http://127.0.0.1:$nport/page")")
done
median() { printf '%s\n' "$@" | sort -n -k1,1 | sed -n 2p; }
rates() { printf '%s\n' "$@" | cut -d' ' -f1 | paste -sd/ -; }
emall_peak=$(median "${emall_runs[@]}")
nginx_peak=$(median "${nginx_runs[@]}")
ratio=$(python3 -c "print(f'{$(field "$emall_peak" 1) / $(field "$nginx_peak" 1):.3f}')")
# 70 % of emall's peak: connections that each wait 1 ms after each response, as many as
# give that rate (found in short calibration runs; wrk's rate is not linear in connections).
# Few connections with short pauses, not many with long ones: the latency measured is the
# server's, not that of a wrk thread juggling a thousand sockets. Two wrk threads pace them:
# wrk scans a thread's whole list of pending pauses on every pass of its loop, so one thread
# pacing a few hundred connections falls behind and its lag is counted as the server's.
paced_run() { BENCH_DELAY_MS=1 measure -t2 -c"$conns" -d"$1" -H 'Accept-Encoding: br' "$2"; }
target=$(python3 -c "print(round(0.7 * $(field "$emall_peak" 1)))")
conns=$(python3 -c "print(max(1, round($target * 0.0015)))")
for _ in 1 2 3; do
  rate=$(paced_run 3s "$base$page" | cut -d' ' -f1)
  conns=$(python3 -c "print(max(1, round($conns * (1 + ($target / max($rate, 1) - 1) * 0.8))))")
done
# The measured run must itself land near 70 %: if it does not, correct and run again.
for _ in 1 2 3; do
  paced=$(paced_run "$DURATION" "$base$page")
  python3 -c "import sys; sys.exit(0 if abs($(field "$paced" 1) / $target - 1) <= 0.04 else 1)" && break
  conns=$(python3 -c "print(max(1, round($conns * $target / max($(field "$paced" 1), 1))))")
done
nginx_paced=$(paced_run "$DURATION" "http://127.0.0.1:$nport/page")
kill "$(cat "$work/nginx.pid")"; rm -f "$work/nginx.pid"

step "2. uncached render"
# A second process on the same database keeps its search index in a directory of its own.
sqlite_url="sqlite://$db?mode=rwc"
render=$(DATABASE_URL="$sqlite_url" EMALL_DATA_DIR="$work/render" EMALL_LOG=warn "$bin" bench-render --product "$product" --rounds 2000 | tail -n 1)
uport=$(free_port)
serve "$uport" EMALL_PAGE_CACHE_MB=0 DATABASE_URL="$sqlite_url" EMALL_DATA_DIR="$work/uncached"
uncached=$(measure -t1 -c1 -d"$DURATION" "http://127.0.0.1:$uport$page")
kill "${pids[-1]}"; unset 'pids[-1]'

step "3. search through HTTP"
export BENCH_QUERIES="$PWD/bench/search/queries.txt" BENCH_CONNECTIONS=4
# wrk.lua prints "| name | requests | p50 | p99 | mean | N req/s |".
search=$(wrk -t1 -c4 -d"$DURATION" -s bench/search/wrk.lua "$base" | grep '^| HTTP' \
  | awk -F'|' '{sub(/ req\/s/, "", $7); gsub(/ /, "", $7); gsub(/ /, "", $4); gsub(/ /, "", $5); print $7, $4, $5}')

step "5. client weight"
# The assets the page itself names: its style sheet, and the wasm module and glue its boot
# script imports (the storefront module on a catalogue page).
brotli -dc "$work/page.br" > "$work/page.html"
asset() { grep -o "$1" "$work/page.html" | head -n 1; }
css=$(asset "/pkg/[^'\"]*\.css"); js=$(asset "/pkg/[^'\"]*\.js"); wasm=$(asset "/pkg/[^'\"]*\.wasm")
br_size() { stat -c %s "$site$1.br"; }
wasm_br=$(br_size "$wasm"); js_br=$(br_size "$js"); css_br=$(br_size "$css")
wasm_raw=$(stat -c %s "$site$wasm")
workspace=$(python3 -c "import json; print(json.load(open('$site/pkg/assets.json'))['bundles'][-1]['wasm'])")
workspace_br=$(br_size "$workspace")
first_load=$((page_br + wasm_br + js_br + css_br))

step "6. Lighthouse (mobile, simulated slow 4G and 4× CPU slowdown)"
CHROME_PATH=/usr/bin/chromium bench/node_modules/.bin/lighthouse "$base$page" \
  --only-categories=performance --output=json --output-path="$work/lighthouse.json" --quiet \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$work/chrome" \
  || echo "lighthouse failed" >&2
lighthouse=$(python3 - "$work/lighthouse.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
except Exception:
    print("— (did not run)"); sys.exit()
a = r["audits"]
ms = lambda k: a[k]["numericValue"]
print(f'{round(r["categories"]["performance"]["score"] * 100)} '
      f'(FCP {ms("first-contentful-paint"):.0f} ms, LCP {ms("largest-contentful-paint"):.0f} ms, '
      f'TBT {ms("total-blocking-time"):.0f} ms, CLS {a["cumulative-layout-shift"]["numericValue"]:.3f})')
PY
)
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
pids=()
sleep 1

step "4. checkouts per second"
orders_sqlite=$("$bin" bench-orders --seconds 10 --concurrency 16)
# Durable: synchronous_commit and fsync at their defaults (on); every order counted is on disk.
pg_url=$(start_postgres "$work/pg" shared_buffers=512MB max_connections=200)
[ "$(psql "$pg_url" -Atc 'SHOW synchronous_commit')" = on ] || { echo "PostgreSQL commits are not durable" >&2; exit 1; }
DATABASE_URL="$pg_url" "$bin" seed --scale "$N" --orders "$M" >/dev/null
orders_pg=$(DATABASE_URL="$pg_url" EMALL_DATA_DIR="$work/pgdata" "$bin" bench-orders --seconds 10 --concurrency 16)

ok() { python3 -c "print('yes' if $1 else '**no**')"; }
num() { echo "$1" | grep -o '[0-9.]* orders/s' | cut -d' ' -f1; }
render_p50=$(echo "$render" | sed -E 's/^render p50 ([0-9.]+) ms.*/\1/')
lh_score=$(echo "$lighthouse" | cut -d' ' -f1)

# What bounds each missed goal, as read with perf on this machine; only the missed ones.
notes=""
missed() { [ "$(ok "$1")" != yes ]; }
if missed "$ratio >= 0.95"; then notes+="
- **Cached page against nginx.** A hit is a parse of the request head, a cache lookup and a
  copy of the prepared response into one write; most of the server's CPU time is the
  kernel's TCP work, as nginx's is. nginx's own rate varies by about ±6 % between runs on
  these shared cores."; fi
if missed "$(field "$paced" 3) <= 2"; then notes+="
- **Latency at 70 % of peak.** wrk and the server share the two cores, and 70 % of the
  server's peak is $target req/s, more than 80 % of nginx's: the tail is time a runnable
  thread waits for a core. nginx at the same connections: p99 $(field "$nginx_paced" 3) ms."; fi
if missed "$(num "$orders_pg") >= 1000"; then notes+="
- **Checkouts on PostgreSQL.** A checkout is six statements between its BEGIN and COMMIT,
  each a round trip to a PostgreSQL server that shares the two cores with the benchmark, which is bound
  by CPU: about four fifths of it is PostgreSQL's (about a tenth of that is its foreign-key
  checks). Commits are durable; waiting for the disk is a small part."; fi
if missed "$(num "$orders_sqlite") >= 3000"; then notes+="
- **Checkouts on SQLite.** SQLite writes one transaction at a time: each checkout runs
  whole on the direct writer, so the rate is SQLite's own work per checkout (eight
  statements and the WAL's page writes) on one core."; fi
if missed "$wasm_br <= 100000"; then notes+="
- **wasm.** The storefront module holds the framework's reactive runtime and views,
  serde_json for island props and API answers, and the catalogue's islands."; fi
[ -z "$notes" ] || notes="
Where a goal is missed, what bounds it (read with \`perf\` on this machine):
$notes

The two cores are shared with other tenants of the host, and their speed varies between
runs: nginx's own peak, serving the same bytes, is the yardstick (it has measured from
about 70,000 to 145,000 req/s on different days). Goals in absolute terms (checkouts per
second, latency) move with it."

cat >"$out" <<MD
# Performance suite

Run by \`bench/run.sh $N $M\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version | cut -d' ' -f1-2), $(nginx -v 2>&1 | cut -d' ' -f3), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2),
Chromium $(chromium --version 2>/dev/null | awk '{print $2}'). wrk, the server and nginx share the same two
cores; each wrk run lasts $DURATION with one wrk thread (two for the paced run). Catalogue: $seed.

The page is the comparison page of the product with the most offers in Shanghai
(\`$page\`): $page_html bytes of HTML, $page_br bytes in brotli.

| measure | goal | result | met |
| --- | --- | --- | --- |
| cached page, peak (64 connections; median of three runs each, in turn) | ≥ 0.95 × nginx | emall $(field "$emall_peak" 1) req/s, nginx $(field "$nginx_peak" 1) req/s: **$ratio ×** (runs: emall $(rates "${emall_runs[@]}"), nginx $(rates "${nginx_runs[@]}")) | $(ok "$ratio >= 0.95") |
| cached page at 70 % of peak ($target req/s asked: $conns connections on two wrk threads, 1 ms pause after each response) | p99 ≤ 2 ms | $(field "$paced" 1) req/s: p50 $(field "$paced" 2) ms, **p99 $(field "$paced" 3) ms**, p99.9 $(field "$paced" 4) ms (nginx at the same load: p99 $(field "$nginx_paced" 3) ms) | $(ok "$(field "$paced" 3) <= 2") |
| uncached render (in process) | p50 ≤ 1 ms | $render | $(ok "$render_p50 <= 1") |
| uncached page through HTTP (cache off, 1 connection) | — | $(field "$uncached" 1) req/s: p50 $(field "$uncached" 2) ms, p99 $(field "$uncached" 3) ms | — |
| search through HTTP (4 connections, $(wc -l <bench/search/queries.txt) queries) | — | $(field "$search" 1) req/s: p50 $(field "$search" 2) ms, p99 $(field "$search" 3) ms | — |
| checkouts, SQLite | ≥ 3,000 orders/s | $orders_sqlite | $(ok "$(num "$orders_sqlite") >= 3000") |
| checkouts, PostgreSQL 15 (durable: synchronous_commit on) | ≥ 1,000 orders/s | $orders_pg | $(ok "$(num "$orders_pg") >= 1000") |
| wasm, brotli (the module the page loads) | ≤ 100 kB | **$((wasm_br / 1000)) kB** ($((wasm_raw / 1000)) kB raw; the signed-in workspaces' module with every island: $((workspace_br / 1000)) kB) | $(ok "$wasm_br <= 100000") |
| first load of the page, brotli | — | $((first_load / 1000)) kB: HTML $((page_br / 1000)) kB, wasm $((wasm_br / 1000)) kB, JS $((js_br / 1000)) kB, CSS $((css_br / 1000)) kB | — |
| Lighthouse performance (mobile) | ≥ 95 | $lighthouse | $(ok "${lh_score:-0} >= 95" 2>/dev/null || echo "**no**") |

Response sizes with headers: emall $response_emall bytes, nginx $response_nginx bytes (nginx adds
its own Server, Last-Modified and Accept-Ranges). Checkouts go through \`store::checkout\`,
the code behind \`POST /api/v1/checkout\`: one-line orders of random offers, 16 at once,
each by a unit of its own city against its own budget line; the time ends when the last
order's audit entry is sealed into the chain.
$notes
MD
cat "$out"
