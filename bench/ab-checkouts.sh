#!/usr/bin/env bash
# PostgreSQL checkouts of two release builds, alternating on one cluster (a database each)
# in the same hour, so the host's drift falls on both alike. Writes bench/ab-checkouts.md.
#   bench/ab-checkouts.sh BIN_A BIN_B [ROUNDS]
# Build each side with `cargo build --release -p emall-server` in its own worktree.
# Ends with each side's mean and spread and Welch's t of the difference: |t| < 2 is a
# difference the runs' own spread explains (noise); beyond it, a regression or a gain.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
source bench/lib.sh
A=$1; B=$2; R=${3:-3}
work=$(mktemp -d /tmp/abpg.XXXX); chmod 755 "$work"
trap 'stop_postgres "$work/pg"; rm -rf "$work"' EXIT
url=$(start_postgres "$work/pg" shared_buffers=512MB max_connections=200)
base=${url%/postgres}
psql "$url" -qc "CREATE DATABASE a" -c "CREATE DATABASE b"
DATABASE_URL="$base/a" "$A" seed --scale 20000 --orders 20000 >/dev/null
DATABASE_URL="$base/b" "$B" seed --scale 20000 --orders 20000 >/dev/null
out=bench/ab-checkouts.md
{
  echo "# Checkouts on PostgreSQL, two builds alternating"
  echo
  echo "\`bench/ab-checkouts.sh\` on $(date -u +%F): A = \`$(basename "$A")\`, B = \`$(basename "$B")\`;"
  echo "durable commits, 16 at once, 10 s a run, seed 20000 products and 20000 orders."
  echo
  echo "| round | build | orders/s | p50 | p99 |"
  echo "| --- | --- | --- | --- | --- |"
} > "$out"
for i in $(seq "$R"); do
  for x in a b; do
    bin=$A; [ $x = b ] && bin=$B
    r=$(DATABASE_URL="$base/$x" EMALL_DATA_DIR="$work/data-$x" "$bin" bench-orders --seconds 10 --concurrency 16)
    rate=$(sed -E 's/.*: ([0-9]+) orders\/s.*/\1/' <<<"$r")
    p50=$(sed -E 's/.*p50 ([0-9.]+ ms).*/\1/' <<<"$r")
    p99=$(sed -E 's/.*p99 ([0-9.]+ ms).*/\1/' <<<"$r")
    echo "| $i | $(basename "$bin") | $rate | $p50 | $p99 |" | tee -a "$out"
    echo "$x $rate" >> "$work/rates"
  done
done
python3 - "$work/rates" "$(basename "$A")" "$(basename "$B")" <<'PY' | tee -a "$out"
import statistics as st, sys
rates = {"a": [], "b": []}
for line in open(sys.argv[1]):
    side, rate = line.split()
    rates[side].append(float(rate))
a, b = rates["a"], rates["b"]
ma, mb, sa, sb = st.mean(a), st.mean(b), st.stdev(a), st.stdev(b)
t = (mb - ma) / ((sa**2 / len(a) + sb**2 / len(b)) ** 0.5)
verdict = "within noise" if abs(t) < 2 else ("B slower beyond noise" if t < 0 else "B faster beyond noise")
print()
print(f"Means: {sys.argv[2]} {ma:.0f} (sd {sa:.0f}), {sys.argv[3]} {mb:.0f} (sd {sb:.0f}) orders/s; "
      f"B against A {100 * (mb - ma) / ma:+.1f} %, Welch's t {t:+.2f}: {verdict}.")
PY
