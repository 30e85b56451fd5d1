#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The admin's statistics with a city's history stored: N reports (default 1,000,000) over a
# year in five cities, most old ones resolved (cleanai bench-seed --history-days 365).
# Each query is asked 20 times in a row by one client; the figures are the server's own
# time per request (its access log): median, p95 and the slowest (the first request of
# a cached figure), and the answer's size.
#   bench/analytics_load.sh [build-dir] [reports]
# BENCH_DB=postgresql://... runs against PostgreSQL instead of SQLite; BENCH_SEEDED=1 with
# BENCH_DB reuses a database seeded before (the figures then skip the 4-minute seeding).
set -euo pipefail
BUILD_DIR="${1:-build/release}"
COUNT="${2:-1000000}"
cd "$(dirname "$0")/.."
command -v curl >/dev/null || { echo "curl is missing: make setup-test"; exit 1; }

DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
export CLEANAI_STORAGE_DATA_DIR="$DATA"
export CLEANAI_DATABASE_URL="${BENCH_DB:-sqlite:///$DATA/bench.db}"
export CLEANAI_ANALYTICS_UTC_OFFSET_MINUTES=300
export CLEANAI_ALERTS_INTERVAL_SECONDS=3600
if [[ -z "${BENCH_SEEDED:-}" ]]; then
  SEED_START=$(date +%s)
  "$BUILD_DIR/cleanai" bench-seed --reports "$COUNT" --history-days 365 2>/dev/null | tail -1
  echo "seeding took $(( $(date +%s) - SEED_START )) s"
fi
# An admin of the benchmark's own (kept when the database is reused).
echo "bench admin passphrase" | "$BUILD_DIR/cleanai" create-admin --username bench_admin \
  --email bench_admin@cleanai.local >/dev/null 2>&1 || true
source bench/common.sh
start_server "$BUILD_DIR"
ADMIN=$(curl -s -X POST "$URL/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"bench_admin","password":"bench admin passphrase"}' | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')

DAY=$(date -u -d '2 days ago' +%Y-%m-%dT00:00:00Z)
echo "machine: $(nproc) cores; database: ${CLEANAI_DATABASE_URL%%:*}; $COUNT reports over 365 days"
printf "%-62s %8s %8s %8s %9s\n" "query" "p50 ms" "p95 ms" "max ms" "bytes"
measure() {
  local target="$1" path="${1%%\?*}"
  local before
  before=$(wc -l < "$LOG")
  local bytes=0
  for _ in $(seq 20); do
    bytes=$(curl -s -o /dev/null -w '%{size_download}' "$URL$target" -H "Authorization: Bearer $ADMIN")
  done
  sleep 0.2
  tail -n +"$((before + 1))" "$LOG" | grep "\"path\":\"$path\"" |
    grep -o '"durationMs":[0-9.eE+-]*' | cut -d: -f2 | awk '{printf "%.2f\n", $1}' |
    sort -n > "$DATA/ms.txt"
  printf "%-62s %8s %8s %8s %9s\n" "$target" "$(sed -n 10p "$DATA/ms.txt")" "$(sed -n 19p "$DATA/ms.txt")" \
    "$(sed -n 20p "$DATA/ms.txt")" "$bytes"
}
measure "/api/analytics/summary"
measure "/api/analytics/impact"
measure "/api/analytics/series?days=30"
measure "/api/analytics/series?days=90"
measure "/api/analytics/cities?days=30"
measure "/api/analytics/response-times?days=30"
measure "/api/analytics/grid?zoom=5&bbox=60,23,78,37"
measure "/api/analytics/grid?zoom=12&bbox=74.25,31.45,74.45,31.6"
measure "/api/analytics/grid?zoom=5&bbox=60,23,78,37&scope=all&days=30"
measure "/api/flood/risk"
measure "/api/alerts?state=all"
measure "/api/reports?status=submitted&bbox=74.25,31.45,74.45,31.6&limit=200"
measure "/api/analytics/export.csv?city=Lahore&from=$DAY"
measure "/api/analytics/export.geojson?city=Lahore&from=$DAY"
echo "server memory (RSS): $(( $(awk '/VmRSS/{print $2}' /proc/$PID/status) / 1024 )) MiB"
