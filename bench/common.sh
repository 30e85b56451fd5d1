# SPDX-License-Identifier: AGPL-3.0-or-later
# Shared by the bench scripts: starts `cleanai serve` on a free port with a temporary
# data directory (and whatever CLEANAI_* the caller exported), sets URL, PID and DATA,
# and stops and cleans up on exit. Source it; do not run it.
start_server() {
  local build_dir="$1"
  LOG="$DATA/server.log"
  export CLEANAI_SERVER_PORT=0
  export CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE=10000000
  export CLEANAI_DATABASE_POOL_SIZE="${BENCH_POOL:-8}"
  export CLEANAI_SERVER_WORKER_THREADS="${BENCH_WORKERS:-8}"
  "$build_dir/cleanai" serve >"$LOG" 2>"$DATA/stderr.log" &
  PID=$!
  trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
  local port=""
  for _ in $(seq 100); do
    port=$(grep -o '"msg":"listening".*"port":[0-9]*' "$LOG" 2>/dev/null | grep -o '[0-9]*$' || true)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  [[ -n "$port" ]] || { echo "server did not start"; cat "$DATA/stderr.log"; exit 1; }
  URL="http://127.0.0.1:$port"
}

# An access token for username $1 with password $2 (the server started by start_server).
token() {
  curl -s -X POST "$URL/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}
