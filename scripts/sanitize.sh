#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer (with LeakSanitizer) and under ThreadSanitizer,
# each in a build directory of its own (.build-asan, .build-tsan; ignored by git). The end-to-end
# tests then run the sanitized acrscan binary too, with these settings. Every process writes its
# reports to <build dir>/sanitizer-reports/; the script lists them and fails if there is any.
# Leaks of Foundation, XCTest and swift-argument-parser are suppressed (scripts/lsan-suppressions.txt).
#
#   scripts/sanitize.sh [address|thread]...     default: both
#
# Exit status: 0 clean; 1 a sanitizer reported something; 2 no report, but tests failed
# (see <build dir>/test.log; tests failing on main for unrelated work in flight end up here too).
set -uo pipefail
cd "$(dirname "$0")/.."

sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)

# Swift's own backtracer does not run under the sanitizers' signal handlers.
export SWIFT_BACKTRACE="enable=no"

status=0
for sanitizer in "${sanitizers[@]}"; do
  case "$sanitizer" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "unknown sanitizer: $sanitizer (address or thread)" >&2; exit 2 ;;
  esac
  reports="$PWD/$scratch/sanitizer-reports"
  rm -rf "$reports"
  mkdir -p "$reports"
  export ASAN_OPTIONS="detect_leaks=1:log_path=$reports/asan"
  export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0"
  export TSAN_OPTIONS="second_deadlock_stack=1:log_path=$reports/tsan"
  echo "== swift test --sanitize=$sanitizer --scratch-path $scratch"
  swift test --sanitize="$sanitizer" --scratch-path "$scratch" 2>&1 | tee "$scratch/test.log"
  tests=${PIPESTATUS[0]}
  found=$(find "$reports" -type f | sort)
  if [ -n "$found" ]; then
    echo "== $sanitizer: reports in $reports:" >&2
    for report in $found; do
      echo "-- $report" >&2
      head -40 "$report" >&2
    done
    status=1
  elif [ "$tests" -ne 0 ]; then
    echo "== $sanitizer: no sanitizer report, but tests failed (see $scratch/test.log)" >&2
    [ $status -eq 0 ] && status=2
  else
    echo "== $sanitizer: clean"
  fi
done
exit $status
