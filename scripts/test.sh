#!/bin/sh
# The test command of the README: sets plansim up (scripts/setup.sh), runs
# every test with ctest, then lists the tests that were skipped with the
# reason each gave (and repeats ctest's closing line after the list).
# Arguments go to ctest (e.g. -R docs_).  Tests run on every core unless
# CTEST_PARALLEL_LEVEL says otherwise.  Exits with ctest's status.
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
exit "$rc"
