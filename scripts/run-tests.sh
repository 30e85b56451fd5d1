#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs every test: ctest (unit and whole-server tests, with a throw-away PostgreSQL so each
# storage test runs on both backends, and a throw-away Swift for the S3 photo store), then the web app's unit tests (Vitest) and its
# end-to-end tests (playwright-core driving Debian's Chromium against the real server).
set -euo pipefail
BUILD_DIR="${1:-build/release}"
cd "$(dirname "$0")/.."
export CLEANAI_REQUIRE_POSTGRES=1 CLEANAI_REQUIRE_S3=1
scripts/with-postgres.sh scripts/with-swift.sh ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 --timeout 300

cd web
npx vitest run
CLEANAI_BINARY="$PWD/../$BUILD_DIR/cleanai" node --test e2e/
