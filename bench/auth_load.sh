#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Auth under concurrent load with wrk: GET /api/auth/me (100 connections) and
# POST /api/auth/login (16 connections; each login is one Argon2id hash, 64 MiB, by
# design), plus /healthz as the transport baseline. Prints figures; asserts nothing.
#   bench/auth_load.sh [build-dir] [duration]        e.g. bench/auth_load.sh build/release 10s
# BENCH_DB=postgresql://... runs against PostgreSQL instead of SQLite.
set -euo pipefail
BUILD_DIR="${1:-build/release}"
DURATION="${2:-10s}"
cd "$(dirname "$0")/.."
export BENCH_DIR="$PWD/bench"
command -v wrk >/dev/null || { echo "wrk is missing: make setup-test"; exit 1; }

DATA="$(mktemp -d /tmp/cleanai-bench-XXXXXX)"
export CLEANAI_STORAGE_DATA_DIR="$DATA"
export CLEANAI_DATABASE_URL="${BENCH_DB:-sqlite:///$DATA/bench.db}"
source bench/common.sh
start_server "$BUILD_DIR"

export BENCH_USER="bench_user" BENCH_PASSWORD="bench passphrase 1"
REG=$(curl -s -X POST "$URL/api/auth/register" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$BENCH_USER\",\"email\":\"bench@example.org\",\"password\":\"$BENCH_PASSWORD\"}")
export BENCH_TOKEN=$(echo "$REG" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; database: ${CLEANAI_DATABASE_URL%%:*}; duration $DURATION each"
echo "--- GET /healthz, 100 connections"
wrk -t2 -c100 -d"$DURATION" -s bench/report.lua "$URL/healthz" | grep RESULT
echo "--- GET /api/auth/me, 100 connections"
wrk -t2 -c100 -d"$DURATION" -s bench/me.lua "$URL/api/auth/me" | grep RESULT
echo "--- POST /api/auth/login, 1 connection (one Argon2id verify per request)"
wrk -t1 -c1 -d"$DURATION" --timeout 10s -s bench/login.lua "$URL/api/auth/login" | grep RESULT
echo "--- POST /api/auth/login, 16 connections"
wrk -t2 -c16 -d"$DURATION" --timeout 10s -s bench/login.lua "$URL/api/auth/login" | grep RESULT
echo "--- server memory after load: RSS $(( $(ps -o rss= -p $PID) / 1024 )) MiB"
