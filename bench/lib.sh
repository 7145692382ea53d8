# Shared by the benchmark scripts (sourced after scripts/lib/prerequisites.sh).

as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$(printf '%q ' "$@")"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_ready URL: until the server answers /readyz (30 s at most).
wait_ready() {
  for _ in $(seq 1 300); do curl -fsS "$1/readyz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "server at $1 did not start" >&2
  exit 1
}

# start_postgres DIR [extra postgres -c settings…]: a throwaway cluster in DIR/data; prints its URL.
start_postgres() {
  local dir=$1; shift
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_pg initdb -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync >/dev/null
  local port
  port=$(free_port)
  local opts="-p $port -k $dir -c listen_addresses=127.0.0.1"
  for setting in "$@"; do opts="$opts -c $setting"; done
  as_pg pg_ctl -D "$dir/data" -l "$dir/log" -o "$opts" -w start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

# stop_postgres DIR
stop_postgres() {
  [ -f "$1/data/postmaster.pid" ] && as_pg pg_ctl -D "$1/data" -m immediate stop >/dev/null 2>&1 || true
}
