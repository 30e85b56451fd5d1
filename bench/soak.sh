#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Soak test (bench/soak.mjs): the release server under steady mixed traffic. Prints RSS and
# descriptors every 10 s and fails on a 5xx, a crash, >10% memory growth after the warm-up
# or descriptor growth.
#   bench/soak.sh [seconds] [ops-per-second]        (defaults: 600, 40)
set -euo pipefail
cd "$(dirname "$0")/.."
SOAK_SECONDS="${1:-600}" SOAK_RATE="${2:-40}" CLEANAI_BINARY="${CLEANAI_BINARY:-$PWD/build/release/cleanai}" \
  node --no-warnings bench/soak.mjs
