#!/bin/sh
# scripts/skipped_tests.sh lists every test ctest skipped with the reason
# the test printed ("skipped: ..." on stdout or stderr, else its last
# line, else that it gave none), and prints nothing when none was skipped.
#   skipped_tests_test.sh SCRIPT
set -u
script=${1:?usage: skipped_tests_test.sh SCRIPT}
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# What ctest 3.25 prints and logs for one passed and three skipped tests.
cat >"$work/summary" <<'OUT'
75% tests passed, 0 tests failed out of 4

The following tests did not run:
	  2 - cli_conform_sdx (Skipped)
	  3 - no_reason (Skipped)
	 14 - last_line (Skipped)
OUT
section() { # NAME OUTPUT...
    name=$1
    shift
    printf '1/4 Testing: %s\n1/4 Test: %s\nCommand: "sh"\nDirectory: /x\n' "$name" "$name"
    printf '"%s" start time: Dec 06 22:02 UTC\nOutput:\n' "$name"
    echo "----------------------------------------------------------"
    for line in "$@"; do echo "$line"; done
    printf '<end of output>\nTest time =   0.01 sec\n'
    echo "----------------------------------------------------------"
    printf 'Test Passed.\n"%s" end time: Dec 06 22:02 UTC\n\n' "$name"
}
{
    section passes "skipped: not really, it passed"
    section cli_conform_sdx "looking for cases" \
        "skipped: no conformance cases at '/x/sdx-tests' (set PLANSIM_SHARED_DIR)"
    section no_reason
    section last_line "ncdump not found"
} >"$work/log"

sh "$script" "$work/summary" "$work/log" >"$work/out" 2>&1 || fail "exit status $?"
cat >"$work/want" <<'OUT'

Skipped tests and why:
  cli_conform_sdx: no conformance cases at '/x/sdx-tests' (set PLANSIM_SHARED_DIR)
  no_reason: (the test printed no reason)
  last_line: ncdump not found
OUT
cmp -s "$work/want" "$work/out" ||
    fail "unexpected list: $(diff "$work/want" "$work/out")"

# no skipped test: nothing printed
echo "100% tests passed, 0 tests failed out of 1" >"$work/summary"
sh "$script" "$work/summary" "$work/log" >"$work/out" 2>&1 || fail "exit status $?"
[ ! -s "$work/out" ] || fail "printed with nothing skipped: $(cat "$work/out")"

# a missing log is an error, not an empty list
sh "$script" "$work/summary" "$work/none" >"$work/out" 2>&1
[ $? -eq 2 ] || fail "a missing log is not exit status 2"

[ "$failures" -eq 0 ] || exit 1
echo "skipped_tests: ok"
