#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Lighthouse (mobile emulation: a mid-range phone on slow 4G) on the home, sign-in and
# citizen pages, against a throw-away `cleanai serve --demo`. Lighthouse is fetched from
# npm into build/lighthouse on first use (it is not needed by `make test`).
#   bench/lighthouse.sh            (after `make build`)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -d build/lighthouse/node_modules/lighthouse ]]; then
  npm install --prefix build/lighthouse --no-audit --no-fund --loglevel=error lighthouse@12
fi
NODE_PATH="$PWD/build/lighthouse/node_modules" node bench/lighthouse.mjs
