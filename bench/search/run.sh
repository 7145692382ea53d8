#!/usr/bin/env bash
# Search benchmark: seeds N offers (default 1,000,000) into a fresh SQLite database and a
# fresh PostgreSQL cluster, rebuilds the index, measures query latency in process and over
# HTTP, and the SQLite FTS5 (trigram) and PostgreSQL pg_trgm baselines over the same rows.
# Writes bench/search/RESULTS.md.
#
#   bench/search/run.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/prerequisites.sh
source bench/lib.sh
N=${1:-1000000}
out=bench/search/RESULTS.md
queries=bench/search/queries.txt

need_rust
need_postgres
command -v wrk >/dev/null || { step "installing wrk"; apt_install wrk; }

step "building (release)"
cargo build --release --quiet --package emall-server
bin=$PWD/target/release/emall

work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  stop_postgres "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT

export EMALL_DATA_DIR="$work/sqlite"
unset DATABASE_URL
step "seeding $N offers into SQLite"
seed_sqlite=$("$bin" seed --scale "$N" | tail -n 1)
sync # the seed's writes reach the disk before the rebuild is timed
step "rebuilding the search index"
reindex=$("$bin" reindex | tail -n 1)
index_size=$(du -sh "$EMALL_DATA_DIR/index" | cut -f1)
db_size=$(du -sh "$EMALL_DATA_DIR/emall.db" | cut -f1)

step "starting a PostgreSQL cluster for the pg_trgm baseline"
pg_url=$(start_postgres "$work/pg" fsync=off synchronous_commit=off shared_buffers=512MB)
step "seeding the same $N offers into PostgreSQL"
seed_pg=$(DATABASE_URL="$pg_url" "$bin" seed --scale "$N" | tail -n 1)

step "measuring query latency (index, FTS5, pg_trgm)"
latency=$("$bin" bench-search --queries "$queries" --rounds 3 --postgres "$pg_url")

step "measuring through HTTP"
port=$(free_port)
EMALL_ADDR="127.0.0.1:$port" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
export BENCH_QUERIES="$PWD/$queries" BENCH_CONNECTIONS=4
http=$(wrk -t2 -c4 -d20s -s bench/search/wrk.lua "http://127.0.0.1:$port" | grep '^| HTTP')

cat >"$out" <<MD
# Search benchmark

Run by \`bench/search/run.sh $N\` on $(date -u +%Y-%m-%d): $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB,
$(rustc --version | cut -d' ' -f1-2). $(wc -l <"$queries") queries from \`bench/search/queries.txt\`, each run
3 times after a warm-up; city 310100. Every engine answers the same question: the standard
products matching every word, with their lowest price in the city, at most 20.

| step | result |
| --- | --- |
| seed SQLite | $seed_sqlite |
| seed PostgreSQL | $seed_pg |
| full reindex | $reindex |
| index size | $index_size (SQLite database $db_size) |

| engine | queries | p50 (ms) | p99 (ms) | mean (ms) | index build / throughput |
| --- | --- | --- | --- | --- | --- |
$(printf '%s\n' "$latency" | tail -n +3)
$http

Goals: p50 ≤ 3 ms and p99 ≤ 15 ms server-side at 1M offers, ≥ 10× faster than both
baselines, full reindex ≤ 30 s.
MD
cat "$out"
