#!/bin/sh
# The test command of the README, and what CI runs (.ci/run): sets plansim
# up (scripts/setup.sh), runs every test with ctest, then lists the tests
# that were skipped with the reason each gave (and repeats ctest's closing
# line after the list); then the test suite again under AddressSanitizer
# and UndefinedBehaviorSanitizer with the allocation-failure tests
# (scripts/test_sanitize.sh), and a short run of every fuzz harness
# (scripts/fuzz_smoke.sh).  Each of the three steps runs even when one
# before it failed; the exit status is the first failure's.  Tests run on
# every core unless CTEST_PARALLEL_LEVEL says otherwise.
#
# With arguments, only the first step runs, and the arguments go to its
# ctest (e.g. -R docs_).
#
#   scripts/test.sh [CTEST-ARGS...]
#   PLANSIM_BUILD_DIR=dir scripts/test.sh     test another build folder
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_BUILD_DIR:-$root/build}

"$root/scripts/setup.sh"

CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$(nproc)}
export CTEST_PARALLEL_LEVEL

out=$(mktemp)
rc_file=$(mktemp)
trap 'rm -f "$out" "$rc_file"' EXIT
{
    rc=0
    ctest --test-dir "$build" --output-on-failure "$@" || rc=$?
    echo "$rc" >"$rc_file"
} | tee "$out"
rc=$(cat "$rc_file")

if [ -f "$build/Testing/Temporary/LastTest.log" ]; then
    "$root/scripts/skipped_tests.sh" "$out" \
        "$build/Testing/Temporary/LastTest.log"
    # ctest's closing line again, so that the run still ends with it
    summary=$(grep -E '^[0-9]+% tests passed' "$out" | tail -n 1)
    if [ -n "$summary" ] && grep -q '(Skipped)$' "$out"; then
        echo
        echo "$summary"
    fi
fi
echo "test: the Release suite: exit $rc"
if [ $# -gt 0 ]; then
    exit "$rc"
fi

status=$rc
for step in test_sanitize.sh fuzz_smoke.sh; do
    start=$(date +%s)
    step_rc=0
    "$root/scripts/$step" || step_rc=$?
    echo "test: scripts/$step: exit $step_rc after $(($(date +%s) - start)) s"
    if [ "$status" -eq 0 ]; then
        status=$step_rc
    fi
done
exit "$status"
