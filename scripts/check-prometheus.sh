#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# deploy/prometheus: the scrape configuration and the alert rules are valid, and each
# alert fires on the series that should fire it (promtool, Debian's prometheus package).
set -euo pipefail
cd "$(dirname "$0")/../deploy/prometheus"
command -v promtool >/dev/null || { echo "promtool is missing: make setup-test"; exit 1; }
promtool check config --syntax-only prometheus.yml >/dev/null
promtool check rules cleanai-rules.yml >/dev/null
promtool test rules cleanai-rules.test.yml
