#!/usr/bin/env bash
# Lighthouse (mobile: simulated slow 4G, 4× CPU slowdown) on the pages people work in:
# search, and a buyer's signed-in pages. Writes bench/lighthouse.md.
#   bench/lighthouse.sh                       builds the release first
#   EMALL_BIN=… EMALL_SITE_ROOT=… bench/lighthouse.sh   measures a build already made
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prerequisites.sh
need_chromium
if [ -z "${EMALL_BIN:-}" ]; then
  need_rust; need_wasm_target; need_wasm_opt
  step "building the release (wasm, CSS, server)"
  cargo xtask build --release
fi
bin=${EMALL_BIN:-$PWD/target/release/emall}
site=${EMALL_SITE_ROOT:-$PWD/target/site}
(cd bench && npm install --silent --no-audit --no-fund)

work=$(mktemp -d); chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export EMALL_DATA_DIR="$work/data" EMALL_ADDR="127.0.0.1:$port" EMALL_SECURE_COOKIES=false \
  EMALL_SITE_ROOT="$site" EMALL_LOG=warn
unset DATABASE_URL
"$bin" seed --demo >/dev/null
"$bin" reindex >/dev/null
"$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

# A buyer's session, as the browser keeps it after signing in.
cookie=$(curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"username":"demo-buyer","password":"Demo@2026"}' "$base/api/v1/auth/login" |
  awk -F'[:;] *' 'tolower($1) == "set-cookie" && $2 ~ /session/ {print $2; exit}')
[ -n "$cookie" ] || { echo "no session cookie" >&2; exit 1; }

measure() { # name, path, [cookie]
  local json="$work/$1.json" headers=()
  [ -n "${3:-}" ] && headers=(--extra-headers "{\"Cookie\": \"$3\"}")
  CHROME_PATH=/usr/bin/chromium bench/node_modules/.bin/lighthouse "$base$2" "${headers[@]}" \
    --only-categories=performance --output=json --output-path="$json" --quiet \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$work/chrome-$1" \
    || echo "lighthouse failed on $2" >&2
  python3 - "$json" "$1" "$2" <<'PY'
import json, sys
path, name, page = sys.argv[1:]
try:
    r = json.load(open(path))
except Exception:
    print(f"| {name} | `{page}` | — | — | — | — | — | no |"); sys.exit()
a = r["audits"]
final = r.get("finalDisplayedUrl") or r.get("finalUrl", "")
if not final.endswith(page):
    # Sent elsewhere (signed out: the sign-in page): not the page asked for.
    print(f"| {name} | `{page}` | — | — | — | — | — | **no** (ended at {final}) |"); sys.exit()
score = round(r["categories"]["performance"]["score"] * 100)
cls = a["cumulative-layout-shift"]["numericValue"]
ms = lambda k: f'{a[k]["numericValue"]:.0f} ms'
met = "yes" if score >= 95 and cls <= 0.05 else "**no**"
print(f"| {name} | `{page}` | {score} | {cls:.3f} | {ms('first-contentful-paint')} | {ms('largest-contentful-paint')} | {ms('total-blocking-time')} | {met} |")
PY
}

out=bench/lighthouse.md
{
  echo "# Lighthouse on the pages people work in"
  echo
  echo "\`bench/lighthouse.sh\` on $(date -u +%F), a release build, the demo mall; mobile"
  echo "(simulated slow 4G, 4× CPU slowdown). Goal: performance ≥ 95 and CLS ≤ 0.05."
  echo
  echo "| page | address | performance | CLS | FCP | LCP | TBT | met |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  measure search "/search?q=%E5%A4%8D%E5%8D%B0%E7%BA%B8&city=310100"
  measure buyer-home "/buyer" "$cookie"
  measure cart "/buyer/cart" "$cookie"
  measure orders "/orders" "$cookie"
} | tee "$out"
