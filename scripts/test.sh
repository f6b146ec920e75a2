#!/bin/sh
# The test command of the README: sets plansim up (scripts/setup.sh), runs
# every test with ctest, then lists the tests that were skipped with the
# reason each gave.  Arguments go to ctest (e.g. -R docs_ or -j2).
# Exits with ctest's status.
#
#   scripts/test.sh [CTEST-ARGS...]
#   PLANSIM_BUILD_DIR=dir scripts/test.sh     test another build folder
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${PLANSIM_BUILD_DIR:-$root/build}

"$root/scripts/setup.sh"

out=$(mktemp)
rc_file=$(mktemp)
trap 'rm -f "$out" "$rc_file"' EXIT
{
    rc=0
    ctest --test-dir "$build" --output-on-failure "$@" || rc=$?
    echo "$rc" >"$rc_file"
} | tee "$out"
rc=$(cat "$rc_file")

"$root/scripts/skipped_tests.sh" "$out" "$build/Testing/Temporary/LastTest.log"
exit "$rc"
