#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Reads through nginx (deploy/nginx/) on PostgreSQL with 1 and with 3 instances:
# GET /api/reports (first page), /api/reports/:id and /api/reports/nearby, 100
# connections, 10,000 seeded reports. Everything shares this machine's cores.
#   scripts/with-postgres.sh bench/cluster_reads.sh [duration]      (default 10s)
set -euo pipefail
DURATION="${1:-10s}"
cd "$(dirname "$0")/.."
[[ -n "${CLEANAI_TEST_PG_URL:-}" ]] || { echo "run under scripts/with-postgres.sh"; exit 1; }
for tool in wrk curl nginx psql; do command -v $tool >/dev/null || { echo "$tool missing: make setup-test"; exit 1; }; done
BIN="$PWD/build/release/cleanai"
export BENCH_DIR="$PWD/bench"
W="$(mktemp -d /tmp/cleanai-cluster-bench-XXXXXX)"
PIDS=()
cleanup() {
  [[ -f "$W/nginx/nginx.pid" ]] && kill -TERM "$(cat "$W/nginx/nginx.pid")" 2>/dev/null || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$W"
}
trap cleanup EXIT

db="cleanai_reads_$$"
psql -X -q "$CLEANAI_TEST_PG_URL" -c "CREATE DATABASE $db"
export CLEANAI_DATABASE_URL="${CLEANAI_TEST_PG_URL%/*}/$db"
export CLEANAI_STORAGE_SECRETS_DIR="$W/secrets" CLEANAI_HTTP_RATE_LIMIT_PER_MINUTE=10000000
export CLEANAI_HTTP_TRUST_PROXY=true CLEANAI_NOTIFY_PUSH=false
export CLEANAI_SERVER_WORKER_THREADS=8 CLEANAI_DATABASE_POOL_SIZE=8
CLEANAI_STORAGE_DATA_DIR="$W/seed" "$BIN" bench-seed --reports 10000 >/dev/null
echo "bench admin passphrase" | CLEANAI_STORAGE_DATA_DIR="$W/seed" "$BIN" create-admin \
  --username benchadmin --email benchadmin@example.org >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORTS=()
for i in 0 1 2; do
  PORTS+=("$(free_port)")
  CLEANAI_SERVER_PORT="${PORTS[$i]}" CLEANAI_STORAGE_DATA_DIR="$W/i$i" "$BIN" serve >"$W/i$i.log" 2>&1 &
  PIDS+=($!)
done
for p in "${PORTS[@]}"; do
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$p/readyz" >/dev/null && break; sleep 0.1; done
done
PROXY=$(free_port)
mkdir -p "$W/nginx/tmp"
sed "s|root /usr/share/cleanai/web;.*|root $PWD/web/dist;|" deploy/nginx/cleanai-locations.conf >"$W/nginx/locations.conf"
nginx_conf() {  # the upstream with the first $1 instances
  local servers=""
  for p in "${PORTS[@]:0:$1}"; do servers+="    server 127.0.0.1:$p max_fails=2 fail_timeout=3s;"$'\n'; done
  cat >"$W/nginx/nginx.conf" <<CONF
worker_processes 1;
error_log $W/nginx/error.log warn;
pid $W/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path $W/nginx/tmp/body; proxy_temp_path $W/nginx/tmp/proxy;
  fastcgi_temp_path $W/nginx/tmp/f; uwsgi_temp_path $W/nginx/tmp/u; scgi_temp_path $W/nginx/tmp/s;
  upstream cleanai {
    least_conn;
$servers    keepalive 64;
  }
  limit_req_zone \$binary_remote_addr zone=cleanai_api:20m rate=1000000r/s;
  server { listen 127.0.0.1:$PROXY; include $W/nginx/locations.conf; }
}
CONF
}
nginx_conf 1
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf"
URL="http://127.0.0.1:$PROXY"
TOKEN=$(curl -s -X POST "$URL/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"benchadmin","password":"bench admin passphrase"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
CITIZEN=$(curl -s -X POST "$URL/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench_citizen","password":"bench citizen passphrase"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
curl -s "$URL/api/reports?limit=200" -H "Authorization: Bearer $TOKEN" |
  grep -o '"id":"[0-9a-f-]\{36\}","wasteType"' | cut -d'"' -f4 >"$W/ids.txt"
echo "machine: $(nproc) cores shared by nginx, the instances, PostgreSQL and wrk; 10,000 reports; $DURATION each, 100 connections"
for n in 1 3; do
  nginx_conf "$n"
  nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -s reload
  sleep 1
  echo "=== through nginx, $n instance(s)"
  echo -n "first page  "; BENCH_TOKEN=$TOKEN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/api/reports" | grep RESULT
  echo -n "by id       "; BENCH_TOKEN=$TOKEN BENCH_IDS="$W/ids.txt" wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/" | grep RESULT
  echo -n "nearby 1 km "; BENCH_TOKEN=$CITIZEN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua \
    "$URL/api/reports/nearby?lat=31.5204&lng=74.3587&radius=1000" | grep RESULT
done
