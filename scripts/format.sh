#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Formats every C++ file of the project (.clang-format: Google style, 100 columns).
# `scripts/format.sh --check` changes nothing and fails when a file is not formatted (CI).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(find server bench fuzz -name '*.h' -o -name '*.cc' | sort)
if [[ "${1:-}" == "--check" ]]; then
  clang-format-14 --dry-run -Werror $files
  echo "format: $(wc -w <<<"$files") C++ files formatted"
else
  clang-format-14 -i $files
fi
