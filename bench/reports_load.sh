#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Reports under load, with N reports stored (default 10,000, seeded by `cleanai
# bench-seed`): GET /api/reports (first page), GET /api/reports/:id (random ids) and
# GET /api/reports/nearby at 100 connections; then the server time of submitting a
# 4 MB phone-size JPEG (with EXIF GPS) through the whole photo pipeline.
# First, the ceiling: the same wrk against this machine's nginx serving a static 300-byte
# JSON file (access log on, like ours), so each figure's share of it is printed beside it.
#   bench/reports_load.sh [build-dir] [duration] [reports]
# BENCH_DB=postgresql://... runs against PostgreSQL instead of SQLite;
# BENCH_READS_ONLY=1 skips the photo submissions.
set -euo pipefail
BUILD_DIR="${1:-build/release}"
DURATION="${2:-10s}"
COUNT="${3:-10000}"
cd "$(dirname "$0")/.."
export BENCH_DIR="$PWD/bench"
for tool in wrk curl vips exiftool; do
  command -v $tool >/dev/null || { echo "$tool is missing: make setup-test"; exit 1; }
done

DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
export CLEANAI_STORAGE_DATA_DIR="$DATA"
export CLEANAI_DATABASE_URL="${BENCH_DB:-sqlite:///$DATA/bench.db}"
"$BUILD_DIR/cleanai" bench-seed --reports "$COUNT" >/dev/null
source bench/common.sh
start_server "$BUILD_DIR"
ADMIN_PW=$(grep -oP 'username: admin\s+password: \K\S+' "$DATA/stderr.log")
ADMIN=$(token admin "$ADMIN_PW")
CITIZEN=$(token bench_citizen "bench citizen passphrase")
curl -s "$URL/api/reports?limit=200" -H "Authorization: Bearer $ADMIN" |
  grep -o '"id":"[0-9a-f-]\{36\}","wasteType"' | cut -d'"' -f4 > "$DATA/ids.txt"
CITIZEN_ID=$(curl -s "$URL/api/auth/me" -H "Authorization: Bearer $CITIZEN" | grep -o '"id":"[0-9a-f-]\{36\}"' | head -1 | cut -d'"' -f4)
curl -s "$URL/api/reports/user/$CITIZEN_ID?limit=200" -H "Authorization: Bearer $CITIZEN" |
  grep -o '"id":"[0-9a-f-]\{36\}","wasteType"' | cut -d'"' -f4 > "$DATA/own_ids.txt"

# nginx with a static file: what this machine can serve at all.
NGINX="$DATA/nginx"
mkdir -p "$NGINX/www" "$NGINX/tmp"
# nginx's workers run as another user: they may pass through, and read the file only.
chmod 711 "$DATA" "$NGINX" && chmod 755 "$NGINX/www"
head -c 300 /dev/zero | tr '\0' ' ' | sed 's/^ /{"items":[],"padding":"/; s/ $/"}/' >"$NGINX/www/static.json"
NGINX_PORT=$(( 20000 + RANDOM % 20000 ))
cat >"$NGINX/nginx.conf" <<CONF
worker_processes 2;
pid $NGINX/nginx.pid;
error_log $NGINX/error.log;
events { worker_connections 1024; }
http {
  access_log $NGINX/access.log;
  client_body_temp_path $NGINX/tmp; proxy_temp_path $NGINX/tmp; fastcgi_temp_path $NGINX/tmp;
  uwsgi_temp_path $NGINX/tmp; scgi_temp_path $NGINX/tmp;
  server { listen 127.0.0.1:$NGINX_PORT; root $NGINX/www; default_type application/json; }
}
CONF
CEILING=""
if command -v nginx >/dev/null && nginx -p "$NGINX" -c "$NGINX/nginx.conf" 2>/dev/null; then
  sleep 0.3
  curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/static.json" || echo "nginx: the static file is not served"
  CEILING=$(BENCH_TOKEN=x wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua \
    "http://127.0.0.1:$NGINX_PORT/static.json" | grep RESULT)
  kill "$(cat "$NGINX/nginx.pid")" 2>/dev/null || true
fi
ceiling_rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"${CEILING:-rps=0}")
# Prints wrk's RESULT line and its share of the ceiling.
share() {
  local line; line=$(grep RESULT)
  local rps; rps=$(sed -E 's/.*rps=([0-9]+).*/\1/' <<<"$line")
  if (( ceiling_rps > 0 )); then
    echo "$line  ($(( 100 * rps / ceiling_rps ))% of nginx static)"
  else
    echo "$line"
  fi
}

echo "machine: $(nproc) cores; database: ${CLEANAI_DATABASE_URL%%:*}; $COUNT reports; $DURATION each, 100 connections"
echo "--- ceiling: nginx, a static 300-byte JSON file"
echo "${CEILING:-nginx did not start}"
echo "--- GET /api/reports (admin, first page: the default 25)"
BENCH_TOKEN=$ADMIN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/api/reports" | share
echo "--- GET /api/reports?limit=50"
BENCH_TOKEN=$ADMIN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/api/reports?limit=50" | share
echo "--- GET /api/reports/:id (admin, $(wc -l < "$DATA/ids.txt") random ids)"
BENCH_TOKEN=$ADMIN BENCH_IDS="$DATA/ids.txt" wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/" | share
echo "--- GET /api/reports/:id (citizen: their own reports, never kept in memory)"
BENCH_TOKEN=$CITIZEN BENCH_IDS="$DATA/own_ids.txt" wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/" | share
echo "--- GET /api/reports/nearby?radius=1000 (citizen)"
BENCH_TOKEN=$CITIZEN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua \
  "$URL/api/reports/nearby?lat=31.5204&lng=74.3587&radius=1000" | share

[[ -n "${BENCH_READS_ONLY:-}" ]] && exit 0
echo "--- POST /api/reports with a 4 MB phone photo (sequential, 10 submissions)"
vips gaussnoise "$DATA/noise.v" 4032 3024 --sigma 60 --mean 128
vips bandjoin "$DATA/noise.v $DATA/noise.v $DATA/noise.v" "$DATA/rgb.v"
vips jpegsave "$DATA/rgb.v" "$DATA/phone.jpg" --Q 88
exiftool -q -overwrite_original -GPSLatitude=31.52 -GPSLatitudeRef=N -GPSLongitude=74.35 \
  -GPSLongitudeRef=E "$DATA/phone.jpg"
echo "photo: $(( $(stat -c %s "$DATA/phone.jpg") / 1024 )) KiB, 4032x3024"
for i in $(seq 10); do
  curl -s -o /dev/null -w "%{time_total}\n" -X POST "$URL/api/reports" -H "Authorization: Bearer $CITIZEN" \
    -F wasteType=plastic -F "photo=@$DATA/phone.jpg" >> "$DATA/curl.txt"
done
sleep 0.2
grep '"path":"/api/reports","route":"/api/reports","status":201' "$LOG" |
  grep -o '"durationMs":[0-9.eE+-]*' | cut -d: -f2 |
  awk '{printf "%.1f\n", $1}' | sort -n > "$DATA/server_ms.txt"
echo "server time per submission (ms): median $(sed -n 5p "$DATA/server_ms.txt"), max $(tail -1 "$DATA/server_ms.txt"); all: $(tr '\n' ' ' < "$DATA/server_ms.txt")"
echo "client round trip (s): $(sort -n "$DATA/curl.txt" | tr '\n' ' ')"
echo "--- server memory after load: RSS $(( $(ps -o rss= -p $PID) / 1024 )) MiB"
