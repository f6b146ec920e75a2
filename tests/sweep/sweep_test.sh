#!/bin/sh
# End-to-end tests of `plansim sweep` and `plansim solve` on a model whose
# answers have a closed form (models/lever_growth.mdl, cases/lever.yaml):
#   GDP(2030) = GDP 2025 (1 + base growth + growth lever - drag)^5,
#   base growth ~ U(0.04, 0.12), so with g* = (700 / GDP 2025)^(1/5) - 1
#   P(GDP 2030 >= 700 | lever) = (0.12 + lever - g*) / 0.08, clipped, and
#   P = 0.5 needs lever = g* - 0.08.
# One group per CTest test:  sweep_test.sh GROUP
# Environment (set by tests/sweep/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   CASES      tests/sweep/cases
#   CHECK      the Python checker (check_sweep.py)
#   PYTHON     Debian's python3 with xarray and numpy
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: sweep_test.sh GROUP}
: "${PLANSIM:?}" "${CASES:?}" "${CHECK:?}" "${PYTHON:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "sweep-$group"

S="$CASES/lever.yaml"


# The lever value `plansim solve` must find for P(GDP 2030 >= 700) = p.
exact_700() {
    awk -v p="$1" 'BEGIN { printf "%.10f", exp(log(700 / 431.1) / 5) - 1 - 0.12 + 0.08 * p }'
}

# The lever value with P(GDP 2030 <= 800) = p (P falls with the lever).
exact_800() {
    awk -v p="$1" 'BEGIN { printf "%.10f", exp(log(800 / 431.1) / 5) - 1 - 0.04 - 0.08 * p }'
}

# answer / interval_low / interval_high: numbers from solve's report.
answer() {
    sed -n 's/^Answer: *[^=]*= \([-0-9.e]*\).*/\1/p' "$WORK/out"
}
interval_low() {
    sed -n 's/^Interval: *\[\([-0-9.e]*\), .*/\1/p' "$WORK/out"
}
interval_high() {
    sed -n 's/^Interval: *\[[^,]*, \([-0-9.e]*\)\].*/\1/p' "$WORK/out"
}

# expect_within LO X HI WHAT: LO <= X <= HI.
expect_within() {
    awk -v lo="$1" -v x="$2" -v hi="$3" \
        'BEGIN { exit !(lo != "" && hi != "" && lo + 0 <= x + 0 && x + 0 <= hi + 0) }' ||
        fail "$4: $2 not in [$1, $3]"
}

# expect_below A B WHAT: A < B.
expect_below() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 < b + 0) }' ||
        fail "$3: $1 is not below $2"
}

test_sweep_closed_form() {
    run "$PLANSIM" sweep -q "$S" --vary "growth lever=0:0.04:5" \
        --vary "GDP 2025=400:460:4" -o "$WORK/s.h5" --csv "$WORK/s.csv"
    expect_status 0
    # Two levers: a matrix per target, the first lever down.
    expect_match out '^gdp_700  地区生产总值力争达到700亿元$'
    expect_match out '^growth lever \\ GDP 2025 +400 +420 +440 +460$'
    expect_match out '^ +0\.04( +[01]\.[0-9]{3}){4}$'
    expect_match out 'growth lever takes one value in every year'
    check surface "$WORK/s.h5" "$WORK/s.csv" 4000
    [ -e "$WORK/s.h5.partial" ] && fail "a .partial file was left"
    [ -e "$WORK/s.csv.partial" ] && fail "a .partial CSV was left"
    # One lever: a row per target, a column per value.
    run "$PLANSIM" sweep -q "$S" --vary "growth lever=0:0.04:5"
    expect_status 0
    expect_match out '^P \\ growth lever +0 +0\.01 +0\.02 +0\.03 +0\.04$'
    expect_match out '^gdp_700( +0\.[0-9]{3}){5}$'
    expect_match out '^gdp_cap_800 +1\.000 +1\.000'
    # Three levers: a row per grid point.
    run "$PLANSIM" sweep -q "$S" --runs 200 --target gdp_700 \
        --vary "growth lever=0:0.04:2" --vary "GDP 2025=400:460:2" \
        --vary "drag=0:0.01:2"
    expect_status 0
    expect_match out '^growth lever  GDP 2025  drag  P +95% interval$'
    expect_match out '^ +0\.04 +460 +0\.01  [01]\.[0-9]{3}  \[[01]\.[0-9]{3}, [01]\.[0-9]{3}\]$'
}

test_sweep_crn() {
    # Common random numbers: the same runs and seed give the same numbers,
    # at any thread count.
    run "$PLANSIM" sweep -q "$S" --vary "growth lever=0:0.04:5" --runs 3000 \
        --threads 1 -o "$WORK/a.h5"
    expect_status 0
    run "$PLANSIM" sweep -q "$S" --vary "growth lever=0:0.04:5" --runs 3000 \
        --threads 2 -o "$WORK/b.h5"
    expect_status 0
    check same "$WORK/a.h5" "$WORK/b.h5"
    run "$PLANSIM" sweep -q "$S" --vary "growth lever=0:0.04:5" --runs 3000 \
        --seed 7 -o "$WORK/c.h5"
    expect_status 0
    "$PYTHON" "$CHECK" same "$WORK/a.h5" "$WORK/c.h5" >/dev/null 2>&1 &&
        fail "another seed gave the same probabilities"
    # A grid point at the scenario's own values is `plansim run`: drag is
    # 0 in the model, the lever keeps its path.
    run "$PLANSIM" run -q "$S" -o "$WORK/run.h5"
    expect_status 0
    run "$PLANSIM" sweep -q "$S" --vary "drag=-0.01:0.01:3" -o "$WORK/d.h5"
    expect_status 0
    check matches-run "$WORK/d.h5" "$WORK/run.h5" drag 0
}

test_sweep_failed_runs() {
    # At shock = 1 every run fails: counted, the probabilities NaN.
    run "$PLANSIM" sweep "$S" --vary "shock=0:1:2" --runs 500 \
        -o "$WORK/f.h5" --csv "$WORK/f.csv"
    expect_status 0
    expect_match err 'warning: 500 of 500 runs failed at shock = 1'
    expect_match err "'fragile'"
    expect_match out '^gdp_700 +[01]\.[0-9]{3} +n/a$'
    check failed "$WORK/f.h5" 500
    expect_line_in "$WORK/f.csv" '1,gdp_700,,,,0,0'
    # Some runs fail: the same ones at every point.
    run "$PLANSIM" sweep "$CASES/fragile.yaml" --vary "growth lever=0:0.04:3" \
        -o "$WORK/some.h5"
    expect_status 0
    expect_match err 'warning: [0-9]+ of 800 runs failed at growth lever = 0 '
    check some-failed "$WORK/some.h5" 800
}

# expect_line_in FILE LINE: FILE holds exactly this line.
expect_line_in() {
    grep -qxF -- "$2" "$1" || fail "no line '$2' in $1"
}

test_sweep_errors() {
    run "$PLANSIM" sweep "$S" --vary "growth lever=0:0.04"
    expect_status 64
    expect_match err "--vary 'growth lever=0:0.04': expected NAME=FROM:TO:STEPS"
    expect_match err '^usage: plansim sweep '
    run "$PLANSIM" sweep "$S" --vary "growth lever=0:0.04:1"
    expect_status 64
    expect_match err 'STEPS must be at least 2'
    run "$PLANSIM" sweep "$S" --vary "growth lever=0:x:3"
    expect_status 64
    expect_match err "TO 'x' is not a number"
    run "$PLANSIM" sweep "$S" --vary "growth lever=0.1:0.1:3"
    expect_status 64
    expect_match err 'FROM and TO are the same value'
    run "$PLANSIM" sweep "$S" --vary "=0:1:3"
    expect_status 64
    run "$PLANSIM" sweep "$S"
    expect_status 64
    expect_match err 'nothing to vary'
    run "$PLANSIM" sweep "$S" --vary "growth levr=0:0.04:3"
    expect_status 64
    expect_match err "the model has no variable 'growth levr'; did you mean 'growth lever'\\?"
    run "$PLANSIM" sweep "$S" --vary "base growth=0:0.04:3"
    expect_status 64
    expect_match err "'base growth' is an uncertain input"
    run "$PLANSIM" sweep "$S" --vary "GDP=0:100:3"
    expect_status 64
    expect_match err "'GDP' is a stock"
    run "$PLANSIM" sweep "$S" --vary "g=0:0.1:3"
    expect_status 64
    expect_match err "'g' is computed anew at each step"
    run "$PLANSIM" sweep "$S" --vary "TIME STEP=0.5:1:2"
    expect_status 64
    expect_match err 'time setting'
    run "$PLANSIM" sweep "$S" --vary "drag=0:1:2" --vary "DRAG=0:1:2"
    expect_status 64
    expect_match err 'varied twice'
    run "$PLANSIM" sweep "$S" --vary "drag=0:1:2" --target gdp_900
    expect_status 64
    expect_match err "no target 'gdp_900' \\(its targets: gdp_700, gdp_cap_800\\)"
    run "$PLANSIM" sweep "$CASES/notargets.yaml" --vary "drag=0:1:2"
    expect_status 65
    expect_match err 'no targets'
    run "$PLANSIM" sweep "$CASES/no_such.yaml" --vary "drag=0:1:2"
    expect_status 66
    run "$PLANSIM" sweep "$S" --vary "drag=0:1:2" -o "$WORK/no/such/dir/x.h5"
    expect_status 73
    run "$PLANSIM" sweep "$S" --vary "drag=0:1:2" --csv "$WORK/no/such/dir/x.csv"
    expect_status 73
    run "$PLANSIM" sweep "$S" --vary "drag=0:1:2" --runs 0
    expect_status 64
    # A Chinese name one character off gets the same suggestion on the
    # command line as in a scenario file (edit distance in characters).
    Z="$CASES/zh_names.yaml"
    run "$PLANSIM" sweep "$Z" --vary "政册=0:0.02:3"
    expect_status 64
    expect_match err "the model has no variable '政册'; did you mean '政策'\\?"
    printf 'model: %s\nfixed: {政册: 0.01}\n' \
        "$CASES/../models/zh_names.mdl" >"$WORK/zh_fixed.yaml"
    run "$PLANSIM" run "$WORK/zh_fixed.yaml" -o "$WORK/zh_fixed.h5"
    expect_status 65
    expect_match err "the model has no variable '政册'; did you mean '政策'\\?"
    run "$PLANSIM" sweep "$Z" --vary "政策=0:0.02:3" --target 产出达表
    expect_status 64
    expect_match err "no target '产出达表' \\(its targets: 产出达标\\); did you mean '产出达标'\\?"
    run "$PLANSIM" sweep "$S" --vary "drag=0:1:2" --target gdp_900
    expect_status 64
    expect_match err "did you mean 'gdp_700'\\?"
}

# identical A B: every dataset of two files the same (check_ensemble.py);
# skips the group (77) when Python cannot read the files.
identical() {
    "$PYTHON" -c 'import h5py, numpy' 2>/dev/null || {
        echo "skipped: h5py or numpy missing"
        exit 77
    }
    "$PYTHON" "$(dirname "$0")/../scenarios/check_ensemble.py" identical \
        "$1" "$2" || fail "$2 is not the file of an uninterrupted sweep"
}

# held FILE: how many grid points a sweep's .partial file holds (read
# from a copy whose "open for writing" mark, which a killed writer leaves,
# h5clear clears).
held() {
    cp "$1" "$WORK/held.h5" && h5clear -s "$WORK/held.h5" >/dev/null 2>&1 &&
        "$PYTHON" -c 'import h5py, sys
print(int(h5py.File(sys.argv[1], "r")["point_done"][()].sum()))' \
            "$WORK/held.h5"
}

# random_pause: 0.3 to 1.5 seconds.
random_pause() {
    sleep "$(awk 'BEGIN { srand(); printf "%.2f", 0.3 + rand() * 1.2 }')"
}

# The tests that stop a sweep part-way need it to last a few seconds:
# the interpreter keeps long.yaml that long, where native code may finish
# it before the signal (both give the same file).
slow_engine() {
    PLANSIM_ENGINE=interpreted
    export PLANSIM_ENGINE
}

test_sweep_interrupt() {
    # Ctrl-C: status 130, no final file, and a .partial holding the
    # finished points, which --resume completes.
    slow_engine
    L="$CASES/long.yaml"
    V="growth lever=0:0.04:40"
    run "$PLANSIM" sweep -q "$L" --vary "$V" -o "$WORK/whole.h5"
    expect_status 0
    cp "$WORK/out" "$WORK/whole.txt"
    "$PLANSIM" sweep -q "$L" --vary "$V" -o "$WORK/long.h5" \
        >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    sleep 1
    kill -INT $pid
    wait $pid
    status=$?
    what="interrupted sweep"
    expect_status 130
    expect_match err "interrupted; the finished grid points are in .*long\\.h5\\.partial \\(finish it with --resume"
    [ -e "$WORK/long.h5" ] && fail "an interrupted sweep left the final file"
    [ -e "$WORK/long.h5.partial" ] || fail "an interrupted sweep left no .partial file"
    echo "after Ctrl-C: $(held "$WORK/long.h5.partial") of 40 points in the file"
    # A second sweep on the same output is refused while the .partial is there.
    run "$PLANSIM" sweep -q "$L" --vary "$V" -o "$WORK/long.h5"
    expect_status 73
    run "$PLANSIM" sweep -q "$L" --vary "$V" --resume "$WORK/long.h5.partial"
    expect_status 0
    cmp -s "$WORK/out" "$WORK/whole.txt" ||
        fail "the resumed sweep prints other probabilities"
    [ -e "$WORK/long.h5.partial" ] && fail "a finished resume left the .partial"
    identical "$WORK/whole.h5" "$WORK/long.h5"
}

test_sweep_resume() {
    # Killed (SIGKILL) at random moments and resumed each time, a sweep
    # ends with the file an uninterrupted sweep makes.
    slow_engine
    L="$CASES/long.yaml"
    V="growth lever=0:0.04:40"
    run "$PLANSIM" sweep -q "$L" --vary "$V" --threads 2 -o "$WORK/whole.h5"
    expect_status 0
    out="$WORK/r.h5"
    "$PLANSIM" sweep -q "$L" --vary "$V" --threads 2 -o "$out" \
        --flush-every 0.2 >/dev/null 2>&1 &
    pid=$!
    random_pause
    kill -KILL $pid
    wait $pid
    before=0
    for i in 1 2 3; do
        [ -e "$out.partial" ] || fail "kill $i left no .partial file"
        n=$(held "$out.partial")
        [ "$n" -ge "$before" ] ||
            fail "kill $i: the file holds $n points, fewer than $before"
        before=$n
        echo "after kill $i: $n of 40 points in the file"
        "$PLANSIM" sweep -q "$L" --vary "$V" --threads 2 \
            --resume "$out.partial" --flush-every 0.2 >/dev/null 2>&1 &
        pid=$!
        random_pause
        kill -KILL $pid 2>/dev/null
        wait $pid
        [ -e "$out.partial" ] || break
    done
    if [ -e "$out.partial" ]; then
        run "$PLANSIM" sweep -q "$L" --vary "$V" --threads 1 \
            --resume "$out.partial"
        expect_status 0
    fi
    [ -e "$out.partial" ] && fail "a finished resume left the .partial file"
    identical "$WORK/whole.h5" "$out"
    # A .partial made with other settings is refused, naming what differs.
    "$PLANSIM" sweep -q "$L" --vary "$V" -o "$WORK/e.h5" >/dev/null 2>&1 &
    pid=$!
    sleep 0.5
    kill -KILL $pid
    wait $pid
    [ -e "$WORK/e.h5.partial" ] || fail "no .partial file to resume"
    run "$PLANSIM" sweep -q "$L" --vary "$V" --runs 100 \
        --resume "$WORK/e.h5.partial"
    expect_status 65
    expect_match err "the file's runs is 200000, this command's is 100"
    run "$PLANSIM" sweep -q "$L" --vary "growth lever=0:0.05:40" \
        --resume "$WORK/e.h5.partial"
    expect_status 65
    expect_match err "values of growth lever differ from this command's --vary"
    run "$PLANSIM" sweep -q "$L" --vary "$V" --target gdp_cap_800 \
        --resume "$WORK/e.h5.partial"
    expect_status 65
    run "$PLANSIM" sweep -q "$L" --vary "$V" --resume "$WORK/e.h5"
    expect_status 64
    expect_match err "is not the .partial file of an interrupted run"
    run "$PLANSIM" sweep -q "$L" --vary "$V" -o "$WORK/other.h5" \
        --resume "$WORK/e.h5.partial"
    expect_status 64
    run "$PLANSIM" sweep -q "$L" --vary "$V" --resume "$WORK/none.h5.partial"
    expect_status 66
    run "$PLANSIM" sweep -q "$L" --vary "$V" --flush-every 0 -o "$WORK/x.h5"
    expect_status 64
}

test_solve_closed_form() {
    x=$(exact_700 0.5)
    run "$PLANSIM" solve -q "$S" --target gdp_700 --probability 0.5 \
        --lever "growth lever"
    expect_status 0
    # The default range: the lever's value in the scenario (0.02 on
    # average over its path) -100 % to +100 %.
    expect_match out '^Question: +the smallest value in \[0, 0\.04\] with P ≥ 0\.5$'
    expect_match out '^Evaluations: +[0-9]+ ensembles of 4000 runs'
    lo=$(interval_low) hi=$(interval_high) a=$(answer)
    expect_within "$lo" "$x" "$hi" "the exact lever for P = 0.5 (4000 runs)"
    expect_within "$lo" "$a" "$hi" "the answer (4000 runs)"
    width_small=$(awk -v lo="$lo" -v hi="$hi" 'BEGIN { print hi - lo }')
    # Ten times the runs: the interval shrinks about threefold.
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.5 -l "growth lever" \
        --runs 40000 --tolerance 1e-5
    expect_status 0
    lo=$(interval_low) hi=$(interval_high)
    expect_within "$lo" "$x" "$hi" "the exact lever for P = 0.5 (40000 runs)"
    width=$(awk -v lo="$lo" -v hi="$hi" 'BEGIN { print hi - lo }')
    expect_below "$width" 0.0012 "the interval at 40000 runs"
    expect_below "$width" "$(awk -v w="$width_small" 'BEGIN { print w / 2 }')" \
        "the interval at 40000 runs against 4000"
    # A lever that works against the target: the largest value.
    x=$(exact_800 0.8)
    run "$PLANSIM" solve -q "$S" -T gdp_cap_800 -p 0.8 -l "growth lever" \
        --largest --range 0:0.06
    expect_status 0
    expect_match out '^Question: +the largest value in \[0, 0\.06\] with P ≥ 0\.8$'
    expect_within "$(interval_low)" "$x" "$(interval_high)" \
        "the exact largest lever for P = 0.8"
    # A fixed value and a model constant can be solved for too.
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.5 -l "GDP 2025" \
        --range 380:480
    expect_status 0
    expect_match out '^Lever: +GDP 2025 \(fixed value, 431\.1 in the scenario\)$'
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.2 -l drag --range 0:0.05 \
        --largest
    expect_status 0
    expect_match out '^Lever: +drag \(model constant, 0 in the scenario\)$'
    expect_match out '^Answer: +drag = 0\.0[0-9]+'
}

test_solve_edges() {
    # No value reaches P: an answer, status 0.
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.9 -l "growth lever" \
        --range 0:0.03
    expect_status 0
    expect_match out '^Answer: +none: no value in \[0, 0\.03\] reaches P = 0\.9; at 0\.03 the probability is 0\.[0-9]+ \[0\.[0-9]+, 0\.[0-9]+\]'
    expect_match out '^Evaluations: +2 ensembles'
    # Already reached at the lower end.
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.1 -l "growth lever" \
        --range 0:0.03
    expect_status 0
    expect_match out '^Answer: +growth lever = 0, the end of the range'
    # The same question twice: the same answer (common random numbers).
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.5 -l "growth lever" -v
    expect_status 0
    cp "$WORK/out" "$WORK/first"
    expect_match err '^plansim solve: growth lever = 0\.04: P = 0\.[0-9]+ \([0-9]+ of 4000\)$'
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.5 -l "growth lever"
    cmp -s "$WORK/first" "$WORK/out" || fail "the same solve gave another answer"
    # Not monotone: the band target rises, stays at 0.5, falls.
    run "$PLANSIM" solve "$CASES/band.yaml" -T gdp_band -p 0.2 \
        -l "growth lever" --range -0.02:0.08
    expect_status 0
    expect_match err 'warning: P is not monotone in growth lever'
    # Every run failing at the lever's value is an error, not an answer.
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.5 -l shock --range 0:1
    expect_status 65
    expect_match err 'no run ended with a value'
}

test_solve_errors() {
    run "$PLANSIM" solve "$S" -p 0.5 -l "growth lever"
    expect_status 64
    expect_match err 'missing --target'
    run "$PLANSIM" solve "$S" -T gdp_700 -l "growth lever"
    expect_status 64
    expect_match err 'missing --probability'
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5
    expect_status 64
    expect_match err 'missing --lever'
    run "$PLANSIM" solve "$S" -T gdp_700 -p 1.5 -l "growth lever"
    expect_status 64
    expect_match err "--probability: '1\\.5' is not a number between 0 and 1"
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5 -l "growth lever" --range 0.1:0.05
    expect_status 64
    expect_match err 'A must be below B'
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5 -l "growth lever" --range 0.1
    expect_status 64
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5 -l drag
    expect_status 64
    expect_match err "--range A:B is needed: 'drag' is 0 in the scenario"
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5 -l "no such" --range 0:1
    expect_status 64
    expect_match err "the model has no variable 'no such'"
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5 -l "drag[a" --range 0:1
    expect_status 64
    expect_match err "'drag\\[a': this '\\[' is not closed by a '\\]'"
    run "$PLANSIM" solve "$S" -T gdp_900 -p 0.5 -l drag --range 0:1
    expect_status 64
    expect_match err "no target 'gdp_900'"
    run "$PLANSIM" solve "$S" -T gdp_700 -p 0.5 -l drag --range 0:1 --tolerance 0
    expect_status 64
    run "$PLANSIM" help solve
    expect_status 0
    expect_match out '^usage: plansim solve SCENARIO.yaml --target NAME'
    run "$PLANSIM" help sweep
    expect_status 0
    expect_match out '^usage: plansim sweep SCENARIO.yaml --vary'
}

# json_same KIND JSON OTHER: the JSON document holds the numbers of the
# CSV or text beside it (tests/support/check_json.py).
json_same() {
    "$PYTHON" "$(dirname "$0")/../support/check_json.py" "$@" \
        >"$WORK/check" 2>&1 || fail "$(cat "$WORK/check")"
}

test_sweep_solve_json() {
    # sweep: the JSON document and the long CSV hold the same numbers.
    run "$PLANSIM" sweep -q "$S" --runs 500 --vary "growth lever=0:0.04:3" \
        --vary "GDP 2025=400:460:2" --csv "$WORK/s.csv" --format json
    expect_status 0
    cp "$WORK/out" "$WORK/s.json"
    json_same sweep "$WORK/s.json" "$WORK/s.csv"
    expect_match out '"units": "亿元"'
    # solve: the answer, its interval and the evaluations as the text says
    # them; a value found, then none in the range.
    for p in 0.5 0.999; do
        run "$PLANSIM" solve -q "$S" -T gdp_700 -p "$p" -l "growth lever" \
            --range 0:0.04 --runs 500
        expect_status 0
        cp "$WORK/out" "$WORK/solve.txt"
        run "$PLANSIM" solve -q "$S" -T gdp_700 -p "$p" -l "growth lever" \
            --range 0:0.04 --runs 500 --format json
        expect_status 0
        cp "$WORK/out" "$WORK/solve.json"
        json_same solve "$WORK/solve.json" "$WORK/solve.txt"
    done
    expect_match out '"outcome": "nowhere"'
    # A format neither command knows.
    run "$PLANSIM" sweep -q "$S" --vary "growth lever=0:0.04:3" --format csv
    expect_status 64
    expect_match err "^plansim sweep: --format: 'csv' is not table or json$"
    run "$PLANSIM" solve -q "$S" -T gdp_700 -p 0.5 -l "growth lever" \
        --format xml
    expect_status 64
    expect_match err "^plansim solve: --format: 'xml' is not table or json$"
}

case "$group" in
sweep_closed_form | sweep_crn | sweep_failed_runs | sweep_errors | \
    sweep_interrupt | sweep_resume | solve_closed_form | solve_edges | solve_errors | sweep_solve_json)
    "test_$group" ;;
*)
    echo "sweep_test.sh: unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "sweep $group"
