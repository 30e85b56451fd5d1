#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Builds the fuzz preset (clang 14, libFuzzer, AddressSanitizer + UBSan) and runs every
# target in fuzz/ for SECONDS each, on a scratch copy of its seed corpus (fuzz/corpus/NAME,
# left unchanged). A crash, leak, timeout or out-of-memory fails the run; the input that
# caused it is kept in build/fuzz/findings/NAME/ — turn it into a unit test.
#   scripts/fuzz.sh [SECONDS]          (make fuzz SECONDS=N)
set -euo pipefail
SECONDS_EACH="${1:-30}"
cd "$(dirname "$0")/.."
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

findings=build/fuzz/findings
rm -rf "$findings"
mkdir -p "$findings"
# Leaks inside third-party libraries' one-time caches are not ours (see the file).
export LSAN_OPTIONS="suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
failed=()
total=0
for target in build/fuzz/*_fuzz; do
  name=$(basename "$target" _fuzz)
  work=$(mktemp -d /tmp/cleanai-fuzz-XXXXXX)
  cp fuzz/corpus/"$name"/* "$work"/
  mkdir -p "$findings/$name"
  log="$findings/$name.log"
  start=$(date +%s)
  if ! "$target" "$work" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2560 \
       -max_len=65536 -artifact_prefix="$findings/$name/" -print_final_stats=1 >"$log" 2>&1; then
    failed+=("$name")
    echo "fuzz: $name FAILED — input in $findings/$name/"
    grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$log" | head -20 || tail -20 "$log"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}' | tail -1)
  printf 'fuzz: %-14s %10s executions in %3d s\n' "$name" "${runs:-?}" "$(( $(date +%s) - start ))"
  total=$(( total + ${runs:-0} ))
  rm -rf "$work" /tmp/cleanai-fuzz-media-* /tmp/cleanai-fuzz-cvrp-* /tmp/cleanai-fuzz-config-*
done
echo "fuzz: $total executions in total"
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}"
  exit 1
fi
