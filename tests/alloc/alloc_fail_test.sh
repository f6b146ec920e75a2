#!/bin/sh
# Allocation-failure injection, as SQLite tests it: a command of a small
# run is first run once counting plansim's allocations (total T), then
# again for N = 1..T with the N-th allocation failing
# (alloc_fail.c).  Every such run must end cleanly: exit 70 with
# "out of memory" and where it happened on stderr, or exit 0 when that
# allocation had a fallback; never a signal, another status, or a report
# of AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer (the
# test is built in the Sanitize build only, so leaks are reported).
#
#   alloc_fail_test.sh PLANSIM_ALLOC_FAIL_BINARY CASES_DIR GROUP
#
# GROUP: run (plansim run of tests/calibrate/cases/logistic.yaml: model,
# scenario, observed data, sampling, the ensemble file and its summary,
# 3 runs on one thread), check (plansim check of its model), summary
# (plansim summary of that run's file).  When T exceeds
# PLANSIM_ALLOC_FAIL_MAX (default 400) every k-th N is tried, k the
# smallest step that keeps the count under it, so that the test stays
# within minutes; the step is printed.
set -u

plansim=$1
cases=$2
group=$3
max=${PLANSIM_ALLOC_FAIL_MAX:-400}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Sanitizers: leaks on, every report fatal and recognisable.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=98
export ASAN_OPTIONS UBSAN_OPTIONS

scenario=$cases/logistic.yaml
case $group in
run)
    set -- run -q "$scenario" --runs 3 --threads 1 -o "$work/out.h5"
    ;;
check)
    set -- check "$cases/logistic.mdl"
    ;;
summary)
    PLANSIM_ALLOC_FAIL=0 "$plansim" run -q "$scenario" --runs 3 \
        --threads 1 -o "$work/in.h5" >/dev/null 2>&1 ||
        {
            echo "FAIL: the summary's input could not be made"
            exit 1
        }
    set -- summary "$work/in.h5"
    ;;
*)
    echo "unknown group $group"
    exit 64
    ;;
esac

clean() { rm -f "$work/out.h5" "$work/out.h5.partial"; }

clean
PLANSIM_ALLOC_FAIL=0 PLANSIM_ALLOC_COUNT_FILE=$work/count \
    "$plansim" "$@" >"$work/stdout" 2>"$work/stderr"
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: plansim $* without failures exits $rc"
    cat "$work/stderr"
    exit 1
fi
total=$(cat "$work/count")
step=$(((total + max - 1) / max))
echo "plansim $group: $total allocations; failing every one from 1 in steps of $step"

failures=0
handled=0
n=1
while [ "$n" -le "$total" ]; do
    clean
    PLANSIM_ALLOC_FAIL=$n "$plansim" "$@" >"$work/stdout" 2>"$work/stderr"
    rc=$?
    bad=
    if grep -qE 'Sanitizer|runtime error' "$work/stderr"; then
        bad="a sanitizer report"
    elif [ "$rc" -eq 0 ]; then
        handled=$((handled + 1))
    elif [ "$rc" -ne 70 ]; then
        bad="exit $rc"
    elif ! grep -q 'out of memory' "$work/stderr"; then
        bad="exit 70 without 'out of memory'"
    fi
    if [ -n "$bad" ]; then
        failures=$((failures + 1))
        echo "FAIL: allocation $n: $bad"
        head -n 30 "$work/stderr" | sed 's/^/    /'
    fi
    n=$((n + step))
done
echo "plansim $group: $(((total + step - 1) / step)) failures injected," \
    "$handled handled by a fallback, $failures wrong"
[ "$failures" -eq 0 ]
