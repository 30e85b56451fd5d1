#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Reports under load, with N reports stored (default 10,000, seeded by `cleanai
# bench-seed`): GET /api/reports (first page), GET /api/reports/:id (random ids) and
# GET /api/reports/nearby at 100 connections; then the server time of submitting a
# 4 MB phone-size JPEG (with EXIF GPS) through the whole photo pipeline.
#   bench/reports_load.sh [build-dir] [duration] [reports]
# BENCH_DB=postgresql://... runs against PostgreSQL instead of SQLite.
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

echo "machine: $(nproc) cores; database: ${CLEANAI_DATABASE_URL%%:*}; $COUNT reports; $DURATION each, 100 connections"
echo "--- GET /api/reports (admin, first page: the default 25)"
BENCH_TOKEN=$ADMIN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/api/reports" | grep RESULT
echo "--- GET /api/reports?limit=50"
BENCH_TOKEN=$ADMIN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/api/reports?limit=50" | grep RESULT
echo "--- GET /api/reports/:id (admin, $(wc -l < "$DATA/ids.txt") random ids)"
BENCH_TOKEN=$ADMIN BENCH_IDS="$DATA/ids.txt" wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua "$URL/" | grep RESULT
echo "--- GET /api/reports/nearby?radius=1000 (citizen)"
BENCH_TOKEN=$CITIZEN wrk -t2 -c100 -d"$DURATION" -s bench/get_auth.lua \
  "$URL/api/reports/nearby?lat=31.5204&lng=74.3587&radius=1000" | grep RESULT

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
