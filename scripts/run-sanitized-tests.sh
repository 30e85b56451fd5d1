#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Runs the tests under sanitizers, with the same throw-away PostgreSQL as `make test`:
#   asan: the debug preset (AddressSanitizer + UndefinedBehaviorSanitizer, LeakSanitizer
#         at exit) builds everything and runs the whole ctest suite; the servers the
#         tests start are the sanitized binary too. The tests that run on both backends
#         run on PostgreSQL only where the backend is the point (storage, migrations, the
#         change feed and kept answers, LISTEN, the outbox, leadership, bad input,
#         crashes): elsewhere the C++ that runs is the same on either, and SQLite runs it.
#         (This halves the step's test time; `make test` runs every test on both.)
#   tsan: the tsan preset (ThreadSanitizer) runs the tests of the threaded parts: the
#         HTTP worker pool and shutdown, live events and the change feed, the notification
#         outbox, the alert loop, leadership and several instances on one database. Not the AI service's: OpenCV's dnn runs about 100 times slower under
#         TSan here (31 s for one photo instead of 0.2 s), past every test's patience; its
#         threads are checked by the ASan run and the crash tests (docs/security.md).
# Every sanitized process writes its reports to a file under build/<preset>/sanitizer-logs;
# the run fails when one exists, whatever the tests said (a server's report would
# otherwise only show as a test failing for another reason, or not at all).
#   scripts/run-sanitized-tests.sh asan|tsan
set -euo pipefail
kind="${1:?asan or tsan}"
cd "$(dirname "$0")/.."
case "$kind" in
  asan) preset=debug; targets=(all); filter=""
        exclude='^Backends/(Ai|Alerts|Analytics|AuthFlow|Backup|Fleet|Flood|Geo|HttpCore|MediaS3|NotifyPush|Papers|Public|ReportFlow|ReportSubmit|Roles)Test\..*/postgres' ;;
  tsan) preset=tsan
        targets=(cleanai server_http_test server_lifecycle_test server_reports_test
                 server_notify_test server_alerts_test server_cluster_test storage_test
                 core_test auth_unit_test)
        exclude=""
        filter='HttpCore|Lifecycle|ReportLive|NotifyOutbox|NotifyPush|Alerts|Cluster|Coordination|Periodic|SigningKeys' ;;
  *) echo "usage: $0 asan|tsan" >&2; exit 2 ;;
esac
build="build/$preset"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --target "${targets[@]}"

logs="$PWD/$build/sanitizer-logs"
rm -rf "$logs"
mkdir -p "$logs"
supp="$PWD/scripts/sanitizers"
export ASAN_OPTIONS="log_path=$logs/asan:detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="log_path=$logs/ubsan:print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="log_path=$logs/tsan:suppressions=$supp/tsan.supp:second_deadlock_stack=1:halt_on_error=0"
export CLEANAI_REQUIRE_POSTGRES=1 CLEANAI_REQUIRE_S3=1

args=(--test-dir "$build" --output-on-failure -j2 --timeout 600)
[[ -n "$filter" ]] && args+=(-R "$filter")
[[ -n "$exclude" ]] && args+=(-E "$exclude")
status=0
scripts/with-postgres.sh scripts/with-swift.sh ctest "${args[@]}" || status=$?

reports=$(find "$logs" -type f | sort)
if [[ -n "$reports" ]]; then
  echo "sanitizers ($kind): reports were written:"
  for f in $reports; do echo "== $f"; head -60 "$f"; done
  status=1
else
  echo "sanitizers ($kind): no reports"
fi
exit $status
