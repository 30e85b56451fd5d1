#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# 10,000 live-update streams on one instance (bench/sse_fanout.mjs): memory per stream,
# database queries per second (flat), and the time for an event to reach every stream.
#   bench/sse_fanout.sh                      SQLite
#   scripts/with-postgres.sh bench/sse_fanout.sh   PostgreSQL (LISTEN/NOTIFY)
#   SSE_CONNECTIONS=2000 SSE_EVENTS=10 bench/sse_fanout.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)"  # a descriptor per stream on each side (20,000 here)
if [[ -n "${CLEANAI_TEST_PG_URL:-}" && -z "${CLEANAI_DATABASE_URL:-}" ]]; then
  db="cleanai_bench_$$"
  psql -X -q "$CLEANAI_TEST_PG_URL" -c "CREATE DATABASE $db"
  export CLEANAI_DATABASE_URL="${CLEANAI_TEST_PG_URL%/*}/$db"
fi
CLEANAI_BINARY="${CLEANAI_BINARY:-$PWD/build/release/cleanai}" node --no-warnings bench/sse_fanout.mjs
