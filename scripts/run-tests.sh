#!/usr/bin/env bash
# Runs every test, with a throw-away PostgreSQL so each storage test runs on both
# backends. CLEANAI_REQUIRE_POSTGRES=1 makes a missing server a failure, not a skip.
set -euo pipefail
BUILD_DIR="${1:-build/release}"
cd "$(dirname "$0")/.."
export CLEANAI_REQUIRE_POSTGRES=1
scripts/with-postgres.sh ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 300
