#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis (every check it has) against the built server on a
# fresh demo database, signed in as a buyer, a supplier and the operator in turn. Every
# finding is listed; the run fails on any server error, any status code the OpenAPI
# document does not list for its operation, and any response whose body is not of a
# content type the document lists (an error as text or HTML).
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export EMALL_DATA_DIR="$data" EMALL_ADDR="127.0.0.1:$port" EMALL_SECURE_COOKIES=false \
  EMALL_TIMER_INTERVAL_SECS=0 EMALL_LOG=warn
unset DATABASE_URL
target/debug/emall seed --demo >/dev/null
target/debug/emall reindex >/dev/null
target/debug/emall openapi >"$data/openapi.json"
target/debug/emall serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The session and CSRF cookies of a signed-in demo account, as one Cookie header value.
cookies() {
  curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo@2026\"}" "$base/api/v1/auth/login" |
    tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p' | paste -sd';'
}

for who in demo-buyer demo-supplier demo-operator; do
  cookie=$(cookies "$who")
  csrf=$(tr ';' '\n' <<<"$cookie" | sed -n 's/^emall_csrf=//p')
  echo "--- $who"
  # Signing out would end the session the run uses; everything else is fair game.
  target/py/bin/schemathesis run "$data/openapi.json" --url "$base" \
    -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H "Accept-Language: en" \
    --checks all --max-examples 10 --continue-on-failure --exclude-path /api/v1/auth/logout \
    --seed 2026 --no-color --report json --report-json-path "$data/$who.json" \
    >"$data/$who.txt" 2>&1 || true
  target/py/bin/python scripts/api-fuzz-verdict.py "$data/$who.json" || {
    tail -80 "$data/$who.txt" >&2
    echo "--- server log" >&2
    tail -20 "$data/server.log" >&2
    exit 1
  }
done
