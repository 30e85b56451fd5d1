#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
find server bench -name '*.h' -o -name '*.cc' | xargs clang-format -i
