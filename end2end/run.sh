#!/usr/bin/env bash
# Starts the built server on a free port with a fresh demo database, runs the browser tests
# against it, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Plain http on loopback: cookies without `Secure`, said explicitly.
export EMALL_DATA_DIR="$data" EMALL_ADDR="127.0.0.1:$port" EMALL_SECURE_COOKIES=false
# The site the test command built (scripts/test), not the run command's target/site.
export EMALL_SITE_ROOT="${EMALL_SITE_ROOT:-$PWD/target/site-test}"
unset DATABASE_URL
target/debug/emall seed --demo >/dev/null
target/debug/emall reindex >/dev/null
target/debug/emall serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://$EMALL_ADDR/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done
cd end2end
EMALL_BASE_URL="http://$EMALL_ADDR" npm test || { echo "--- server log" >&2; tail -50 "$data/server.log" >&2; exit 1; }
