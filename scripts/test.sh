#!/bin/sh
# The test command of the README, and what CI runs (.ci/run): sets plansim
# up (scripts/setup.sh); runs in that Release build the tests
# tests/release-only.regex names (the docs, the long statistical runs,
# the benchmarks: it says why); then every other test under
# AddressSanitizer and UndefinedBehaviorSanitizer, with the
# allocation-failure tests (scripts/test_sanitize.sh); then a short run of
# every fuzz harness (scripts/fuzz_smoke.sh); then the MPI build and its
# tests (scripts/test_mpi.sh).  Each test thus runs once,
# and each step lists the tests it skipped with the reason each gave.
# Each step runs even when one before it failed; the exit status is the
# first failure's.  Tests run on every core unless CTEST_PARALLEL_LEVEL
# says otherwise.
#
# With arguments, only the Release build's tests run, all of them that
# the arguments select (e.g. -R docs_; -E '^$' for every test), and the
# arguments go to ctest.
#
#   scripts/test.sh [CTEST-ARGS...]
#   PLANSIM_BUILD_DIR=dir scripts/test.sh     test another build folder
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_BUILD_DIR:-$root/build}

"$root/scripts/setup.sh"

CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$(nproc)}
export CTEST_PARALLEL_LEVEL

rc=0
if [ $# -gt 0 ]; then
    "$root/scripts/ctest_listing_skips.sh" "$build" "$@" || rc=$?
    exit "$rc"
fi
"$root/scripts/ctest_listing_skips.sh" "$build" \
    -R "$("$root/scripts/release_only.sh")" || rc=$?
echo "test: the tests that run in the Release build only: exit $rc"

status=$rc
for step in test_sanitize.sh fuzz_smoke.sh test_mpi.sh; do
    start=$(date +%s)
    step_rc=0
    "$root/scripts/$step" || step_rc=$?
    echo "test: scripts/$step: exit $step_rc after $(($(date +%s) - start)) s"
    if [ "$status" -eq 0 ]; then
        status=$step_rc
    fi
done
exit "$status"
