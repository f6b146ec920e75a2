#!/bin/sh
# Runs ctest in build folder BUILD with the given arguments, then lists
# the tests that were skipped with the reason each gave
# (scripts/skipped_tests.sh) and repeats ctest's closing line after the
# list.  Exits with ctest's status.
#
#   scripts/ctest_listing_skips.sh BUILD [CTEST-ARGS...]
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=$1
shift

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
