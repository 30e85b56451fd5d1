#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Where the read path spends its time (issue 19, step 1): the three requests of
# bench/reports_load.sh (first page, by id, nearby) each under wrk (2 threads, 100
# connections) while `perf record` samples the server (99 Hz, every thread). The figures
# are self time per symbol, so they need no unwinding through Debian's libraries. Prints,
# per request, the share of samples by layer (HTTP and sockets, JWT/session check, SQL,
# JSON, allocation, logging and metrics, locks, kernel; grouped by symbol name, so
# roughly) and the 25 hottest symbols, and writes a flame graph of each (whole stacks,
# unwound with DWARF; bench/flamegraph.py) as an SVG into FLAME_DIR (default
# docs/flamegraphs). Needs root (or perf_event_paranoid <= 1).
#   bench/profile_reads.sh [build-dir] [seconds] [reports]
set -euo pipefail
BUILD_DIR="${1:-build/release}"
SECONDS_EACH="${2:-8}"
COUNT="${3:-10000}"
cd "$(dirname "$0")/.."
FLAME_DIR="${FLAME_DIR:-docs/flamegraphs}"
mkdir -p "$FLAME_DIR"
export BENCH_DIR="$PWD/bench"
for tool in wrk curl perf; do
  command -v $tool >/dev/null || { echo "$tool is missing: make setup-test (linux-perf)"; exit 1; }
done
DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
export CLEANAI_STORAGE_DATA_DIR="$DATA"
export CLEANAI_DATABASE_URL="${BENCH_DB:-sqlite:///$DATA/bench.db}"
"$BUILD_DIR/cleanai" bench-seed --reports "$COUNT" >/dev/null 2>&1
source bench/common.sh
start_server "$BUILD_DIR"
ADMIN_PW=$(grep -oP 'username: admin\s+password: \K\S+' "$DATA/stderr.log")
ADMIN=$(token admin "$ADMIN_PW")
CITIZEN=$(token bench_citizen "bench citizen passphrase")
curl -s "$URL/api/reports?limit=200" -H "Authorization: Bearer $ADMIN" |
  grep -o '"id":"[0-9a-f-]\{36\}","wasteType"' | cut -d'"' -f4 > "$DATA/ids.txt"

profile() {
  local label="$1" name="$2"; shift 2
  echo "=== $label"
  "$@" > "$DATA/wrk.txt" &
  local wrk_pid=$!
  sleep 1
  perf record -F 99 --call-graph dwarf,16384 -p "$PID" -o "$DATA/perf.data" -- sleep "$SECONDS_EACH" 2>/dev/null >/dev/null
  wait $wrk_pid
  grep RESULT "$DATA/wrk.txt"
  perf script -i "$DATA/perf.data" 2>/dev/null |
    /usr/bin/python3 bench/flamegraph.py --root-at 'scheduler::run$' --write-folded "$DATA/$name.folded" --title "$label: $(grep -o 'rps=[0-9]*' "$DATA/wrk.txt") ($(date +%F))" \
      > "$FLAME_DIR/$name.svg"
  echo "  flame graph: $FLAME_DIR/$name.svg"
  [[ -z "${FOLDED_DIR:-}" ]] || cp "$DATA/$name.folded" "$FOLDED_DIR/"
  perf report -i "$DATA/perf.data" --stdio --no-children --sort symbol -F overhead,sym 2>/dev/null |
    grep -E '^ +[0-9.]+%' | sed -E 's/^ +([0-9.]+)% +(.*)$/\1\t\2/' > "$DATA/symbols.tsv"
  echo "  by layer (self time, all threads of the server):"
  /usr/bin/python3 bench/flamegraph.py --layers "$DATA/symbols.tsv"  # the graphs' own layers
  echo "  hottest symbols:"
  sort -t$'\t' -k1,1 -rn "$DATA/symbols.tsv" | awk -F'\t' 'NR <= 25 { printf "  %6.2f%%  %s\n", $1, substr($2, 1, 110) }'
}

DUR="$((SECONDS_EACH + 2))s"
echo "machine: $(nproc) cores (shared with wrk and perf); database: ${CLEANAI_DATABASE_URL%%:*}; $COUNT reports"
ONLY="${ONLY:-first-page by-id nearby}"
[[ " $ONLY " != *" first-page "* ]] ||
profile "GET /api/reports?limit=50 (admin)" first-page env BENCH_TOKEN="$ADMIN" wrk -t2 -c100 -d"$DUR" \
  -s bench/get_auth.lua "$URL/api/reports?limit=50"
[[ " $ONLY " != *" by-id "* ]] ||
profile "GET /api/reports/:id (admin, random ids)" by-id env BENCH_TOKEN="$ADMIN" BENCH_IDS="$DATA/ids.txt" \
  wrk -t2 -c100 -d"$DUR" -s bench/get_auth.lua "$URL/"
[[ " $ONLY " != *" nearby "* ]] ||
profile "GET /api/reports/nearby (citizen)" nearby env BENCH_TOKEN="$CITIZEN" wrk -t2 -c100 -d"$DUR" \
  -s bench/get_auth.lua "$URL/api/reports/nearby?lat=31.5204&lng=74.3587&radius=2000"
