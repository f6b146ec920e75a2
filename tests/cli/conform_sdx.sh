#!/bin/sh
# Runs `plansim conform` over the SDXorg/test-models cases kept beside the
# project (PLANSIM_SHARED_DIR/sdx-tests) and checks that the cases that
# fail are exactly those of KNOWN (conform_known_failures.txt), each with
# its reason there, and that each DOC (README.md, docs/conformance.md)
# shows the run's summary line and every line that is not a PASS as they
# are printed.  A clone without the cases reports the test as skipped
# (status 77), never as passed or failed.
#   conform_sdx.sh PLANSIM CASES_DIR KNOWN [DOC...]
usage="usage: conform_sdx.sh PLANSIM CASES_DIR KNOWN [DOC...]"
plansim=${1:?$usage}
cases=${2:?$usage}
known=${3:?$usage}
shift 3
if [ ! -d "$cases" ]; then
    echo "skipped: no conformance cases at '$cases' (set PLANSIM_SHARED_DIR)"
    exit 77
fi
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$plansim" conform "$cases" >"$out"
status=$?
cat "$out"
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "FAIL: plansim conform exited with $status"
    exit 1
fi
ok=0
# every failure must be a known one
for c in $(sed -n 's/^FAIL  \([^:]*\):.*/\1/p' "$out"); do
    if ! grep -q "^$c:" "$known"; then
        echo "FAIL: $c fails and is not a known failure"
        ok=1
    fi
done
# every known failure present in these cases must still fail
for c in $(sed -n 's/^\([^#][^:]*\):.*/\1/p' "$known"); do
    [ -d "$cases/$c" ] || continue
    if ! grep -q "^FAIL  $c:" "$out"; then
        echo "FAIL: known failure $c no longer fails: take it off $known"
        ok=1
    fi
done
# the docs show what the run prints
for doc in "$@"; do
    grep -v '^PASS  ' "$out" | while IFS= read -r line; do
        grep -qxF -- "$line" "$doc" || {
            echo "FAIL: $doc does not show the line: $line"
            exit 1
        }
    done || ok=1
done
[ "$ok" -eq 0 ] && echo "conformance: every failure is a known one"
exit "$ok"
