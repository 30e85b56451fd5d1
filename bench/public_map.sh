#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The public map with a city's history stored: N reports (default 1,000,000) over a year in
# five cities (cleanai bench-seed --history-days 365). wrk, 2 threads, 50 connections,
# DURATION (10 s) per scenario, anonymous (as the public is): a view five tiles wide at a
# country, city, district and street zoom, at random places in the cities (some answers
# come from the in-process cache, most do not), and one filtered by type and status.
#   bench/public_map.sh [build-dir] [reports] [duration]
# BENCH_DB=postgresql://... runs against PostgreSQL; BENCH_SEEDED=1 reuses its data.
set -euo pipefail
BUILD_DIR="${1:-build/release}"
COUNT="${2:-1000000}"
DURATION="${3:-10s}"
cd "$(dirname "$0")/.."
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: make setup-test"; exit 1; }
done
DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
export CLEANAI_STORAGE_DATA_DIR="$DATA"
export CLEANAI_DATABASE_URL="${BENCH_DB:-sqlite:///$DATA/bench.db}"
export CLEANAI_ALERTS_INTERVAL_SECONDS=3600
export BENCH_DIR="$PWD/bench"
if [[ -z "${BENCH_SEEDED:-}" ]]; then  # BENCH_DB=sqlite:////path with BENCH_SEEDED=1 reuses a file
  SEED_START=$(date +%s)
  "$BUILD_DIR/cleanai" bench-seed --reports "$COUNT" --history-days 365 2>/dev/null | tail -1
  echo "seeding took $(( $(date +%s) - SEED_START )) s"
fi
source bench/common.sh
start_server "$BUILD_DIR"
echo "machine: $(nproc) cores (shared with wrk); database: ${CLEANAI_DATABASE_URL%%:*}; $COUNT reports over 365 days"
one() {
  local label="$1" zoom="$2" query="${3:-}"
  local sample
  sample=$(curl -s "$URL/api/public/map?bbox=74.2,31.4,74.5,31.6&zoom=$zoom$query" | head -c 60 || true)
  printf "%-34s " "$label"
  BENCH_ZOOM=$zoom BENCH_QUERY="$query" wrk -t2 -c50 -d"$DURATION" -s bench/public_map.lua "$URL" |
    grep RESULT | sed 's/^RESULT //'
  echo "    sample answer: $sample…"
}
one "country (zoom 6, cells)" 6
one "city (zoom 11, cells)" 11
one "district (zoom 14)" 14
one "street (zoom 16, points)" 16
one "city, plastic, open only (zoom 12)" 12 "&types=plastic&show=open"
echo "server memory (RSS): $(( $(awk '/VmRSS/{print $2}' /proc/$PID/status) / 1024 )) MiB"
