#!/bin/sh
# End-to-end tests of `plansim run` and `plansim summary`, one group per
# CTest test:  run_test.sh GROUP
# Environment (set by tests/scenarios/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   CASES      tests/scenarios/cases
#   CHECK      the Python checker (check_ensemble.py)
#   PYTHON     Debian's python3 with h5py, xarray and numpy
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: run_test.sh GROUP}
: "${PLANSIM:?}" "${CASES:?}" "${CHECK:?}" "${PYTHON:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "run-$group"


test_closed_form() {
    run "$PLANSIM" run -q "$CASES/growth.yaml" -o "$WORK/g.h5"
    expect_status 0
    expect_match out '地区生产总值力争达到700亿元 +GDP +2030 +≥ 700 +expected +0\.4[0-9]+ +\[0\.4'
    check closed-form "$WORK/g.h5"
    # The same question by Latin hypercube, through `extends:`.
    run "$PLANSIM" run -q "$CASES/growth_lhs.yaml" -o "$WORK/l.h5"
    expect_status 0
    check closed-form "$WORK/l.h5"
}

test_xarray() {
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 500 -o "$WORK/g.h5"
    expect_status 0
    check xarray "$WORK/g.h5"
    if command -v ncdump >/dev/null 2>&1; then
        run ncdump -h "$WORK/g.h5"
        expect_status 0
        expect_match out 'double GDP\(run, time\)'
        expect_match out 'GDP:long_name = "地区生产总值'
    fi
}

test_threads() {
    # The same scenario and seed give bit-identical datasets at 1 and 2
    # threads.
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 3000 --threads 1 -o "$WORK/t1.h5"
    expect_status 0
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 3000 --threads 2 -o "$WORK/t2.h5"
    expect_status 0
    check same "$WORK/t1.h5" "$WORK/t2.h5"
    # Correlated inputs (the flagship's Gaussian copula) as well.
    root="$CASES/../../.."
    run "$PLANSIM" run -q "$root/scenarios/plan.yaml" --runs 1500 --threads 1 -o "$WORK/p1.h5"
    expect_status 0
    run "$PLANSIM" run -q "$root/scenarios/plan.yaml" --runs 1500 --threads 2 -o "$WORK/p2.h5"
    expect_status 0
    check same "$WORK/p1.h5" "$WORK/p2.h5"
    # A different seed gives different inputs.
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 3000 --seed 99 -o "$WORK/s.h5"
    expect_status 0
    "$PYTHON" "$CHECK" same "$WORK/t1.h5" "$WORK/s.h5" >/dev/null 2>&1 &&
        fail "another seed gave the same ensemble"
}

test_failed_runs() {
    run "$PLANSIM" run "$CASES/fragile.yaml" -o "$WORK/f.h5"
    expect_status 0
    expect_match err 'warning: [0-9]+ of 400 runs failed'
    expect_match err "run [0-9]+: .*'fragile'"
    expect_match out 'failed [1-9][0-9]*'
    check failed "$WORK/f.h5" fragile
}

test_errors() {
    run "$PLANSIM" run "$CASES/unknown_variable.yaml" -o "$WORK/u.h5"
    expect_status 65
    expect_match err 'unknown_variable\.yaml:4:3: error: .*growth rate'
    expect_match err '^  \^~~~~~~~~~~$'
    [ -e "$WORK/u.h5" ] && fail "a failed run left $WORK/u.h5"
    [ -e "$WORK/u.h5.partial" ] && fail "a refused scenario left a .partial file"
    run "$PLANSIM" run "$CASES/no_such.yaml"
    expect_status 66
    run "$PLANSIM" run "$CASES/growth.yaml" -o "$WORK/no/such/dir/x.h5"
    expect_status 73
    run "$PLANSIM" run "$CASES/growth.yaml" --runs 0
    expect_status 64
    run "$PLANSIM" run
    expect_status 64
    run "$PLANSIM" summary "$WORK/missing.h5"
    expect_status 66
}

test_interrupt() {
    # Ctrl-C: status 130, the runs so far in FILE.partial, nothing under
    # the final name.
    "$PLANSIM" run -q "$CASES/long.yaml" -o "$WORK/long.h5" \
        >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    i=0
    while [ ! -e "$WORK/long.h5.partial" ] && [ $i -lt 200 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    sleep 0.5
    kill -INT $pid
    wait $pid
    status=$?
    what="interrupted run"
    expect_status 130
    [ -e "$WORK/long.h5" ] && fail "an interrupted run left the final file"
    [ -e "$WORK/long.h5.partial" ] || fail "an interrupted run left no .partial file"
}

# A random pause of 0.3 to 1.5 s.
random_pause() {
    sleep "$(awk 'BEGIN { srand(); printf "%.2f", 0.3 + rand() * 1.2 }')"
}

# Skips the group (77) when Python cannot read the files.
need_h5py() {
    "$PYTHON" -c 'import h5py, numpy, xarray' 2>/dev/null && return
    echo "skipped: h5py, numpy or xarray missing"
    exit 77
}

# held FILE.partial: the runs the file holds, as `plansim summary` counts
# them (a file a killed writer left is marked open for writing, which
# other readers refuse until the marks are cleared; plansim clears them in
# memory), or -1 when it cannot read the file.
held() {
    held_err=$("$PLANSIM" summary "$1" 2>&1 >/dev/null)
    case $held_err in
    *"holds no runs"*) echo 0 ;;
    *" holds "*" of "*) echo "$held_err" | sed -n 's/.* holds \([0-9]*\) of .*/\1/p' | head -n 1 ;;
    *) echo -1 ;;
    esac
}

test_resume() {
    need_h5py
    # Killed (SIGKILL) at random moments and resumed each time, a run ends
    # with the file an uninterrupted run makes, identical in every dataset.
    run "$PLANSIM" run -q "$CASES/resume.yaml" --threads 2 -o "$WORK/whole.h5"
    expect_status 0
    out="$WORK/r.h5"
    # The interpreter makes the run last a few seconds; a run that still
    # finishes before its kill is started again.
    PLANSIM_ENGINE=interpreted
    export PLANSIM_ENGINE
    for attempt in 1 2 3 4 5; do
        rm -f "$out"
        "$PLANSIM" run -q "$CASES/resume.yaml" --threads 2 -o "$out" \
            --flush-every 0.2 >/dev/null 2>&1 &
        pid=$!
        random_pause
        if kill -KILL $pid 2>/dev/null; then
            wait $pid
            break
        fi
        wait $pid
    done
    before=0
    kills=1
    for i in 1 2 3; do
        # A resume may finish before its kill: then the test is done.
        if [ "$i" -gt 1 ] && [ ! -e "$out.partial" ] && [ -e "$out" ]; then
            break
        fi
        [ -e "$out.partial" ] || fail "kill $kills left no .partial file"
        n=$(held "$out.partial")
        [ "$n" -ge "$before" ] ||
            fail "kill $kills: the file holds $n runs, fewer than $before"
        before=$n
        echo "after kill $kills: $n of 2000 runs in the file"
        "$PLANSIM" run -q "$CASES/resume.yaml" --threads 2 \
            --resume "$out.partial" --flush-every 0.2 >/dev/null 2>&1 &
        pid=$!
        random_pause
        kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
        wait $pid
    done
    if [ -e "$out.partial" ]; then
        n=$(held "$out.partial")
        [ "$n" -ge "$before" ] || fail "the file lost runs: $n < $before"
        echo "after kill $kills: $n of 2000 runs in the file"
        run "$PLANSIM" run -q "$CASES/resume.yaml" --threads 1 \
            --resume "$out.partial"
        expect_status 0
    fi
    [ -e "$out.partial" ] && fail "a finished resume left the .partial file"
    [ -e "$out" ] || fail "a finished resume left no $out"
    check identical "$WORK/whole.h5" "$out"
}

test_resume_sensitivity() {
    need_h5py
    # sensitivity --resume: killed, resumed, the same file and results.
    set -- -q "$CASES/resume.yaml" -N 512 --of 'GDP@2500' --threads 2
    run "$PLANSIM" sensitivity "$@" -o "$WORK/whole.h5"
    expect_status 0
    cp "$WORK/out" "$WORK/whole.txt"
    "$PLANSIM" sensitivity "$@" -o "$WORK/s.h5" --flush-every 0.2 \
        >/dev/null 2>&1 &
    pid=$!
    random_pause
    kill -KILL $pid
    wait $pid
    if [ -e "$WORK/s.h5.partial" ]; then
        echo "after the kill: $(held "$WORK/s.h5.partial") runs in the file"
        run "$PLANSIM" sensitivity "$@" --resume "$WORK/s.h5.partial"
        expect_status 0
        cmp -s "$WORK/out" "$WORK/whole.txt" ||
            fail "the resumed analysis prints other results"
    fi
    check identical "$WORK/whole.h5" "$WORK/s.h5"
}

test_resume_errors() {
    # Ctrl-C a little after the .partial appears; on a fast machine the
    # run may end first, so try again with shorter pauses.
    make_partial() {
        for pause in 0.5 0.25 0.1 0.05 0; do
            rm -f "$WORK/e.h5"
            "$PLANSIM" run -q "$CASES/resume.yaml" --runs 400 --threads 1 \
                -o "$WORK/e.h5" >/dev/null 2>&1 &
            pid=$!
            i=0
            while [ ! -e "$WORK/e.h5.partial" ] && [ $i -lt 200 ]; do
                sleep 0.05
                i=$((i + 1))
            done
            sleep $pause
            kill -INT $pid 2>/dev/null
            wait $pid
            [ -e "$WORK/e.h5.partial" ] && return 0
        done
        return 1
    }
    make_partial
    [ -e "$WORK/e.h5.partial" ] || fail "no .partial file to resume"
    # summary and report read it, over the runs it holds, and say so.
    run "$PLANSIM" summary "$WORK/e.h5.partial"
    expect_status 0
    expect_match err 'e\.h5\.partial holds [0-9]+ of 400 runs; the rest did not finish'
    expect_match out '^Runs: 400 \(ok [0-9]+, failed 0, pending [0-9]+\)'
    run "$PLANSIM" report "$WORK/e.h5.partial" --output "$WORK/rep"
    expect_status 0
    expect_match err 'holds [0-9]+ of 400 runs'
    [ -e "$WORK/rep/index.md" ] || fail "no report of the .partial file"
    # Other settings than the file's: 65, naming the first difference.
    run "$PLANSIM" run -q "$CASES/resume.yaml" --runs 400 --seed 8 \
        --resume "$WORK/e.h5.partial"
    expect_status 65
    expect_match err "e\.h5\.partial: error: the file's seed is 7, this command's is 8"
    run "$PLANSIM" run -q "$CASES/resume.yaml" --runs 300 \
        --resume "$WORK/e.h5.partial"
    expect_status 65
    expect_match err 'ensemble of 400 runs, this command asks for 300'
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 400 \
        --resume "$WORK/e.h5.partial"
    expect_status 65
    expect_match err 'e\.h5\.partial: error: the file (was written|.s) '
    # Not a .partial name, or another --output: usage.
    run "$PLANSIM" run -q "$CASES/resume.yaml" --resume "$WORK/e.h5"
    expect_status 64
    run "$PLANSIM" run -q "$CASES/resume.yaml" --resume "$WORK/e.h5.partial" \
        -o "$WORK/other.h5"
    expect_status 64
    # Missing, a symbolic link, not HDF5: clear errors, no crash.
    run "$PLANSIM" run -q "$CASES/resume.yaml" --resume "$WORK/none.h5.partial"
    expect_status 66
    ln -s "$WORK/e.h5.partial" "$WORK/link.h5.partial"
    run "$PLANSIM" run -q "$CASES/resume.yaml" --resume "$WORK/link.h5.partial"
    expect_status 65
    expect_match err 'symbolic link'
    head -c 4096 /dev/urandom >"$WORK/junk.h5.partial"
    run "$PLANSIM" run -q "$CASES/resume.yaml" --resume "$WORK/junk.h5.partial"
    expect_status 65
    expect_match err 'cannot be opened as a plansim file'
    mkdir "$WORK/dir.h5.partial"
    run "$PLANSIM" run -q "$CASES/resume.yaml" --resume "$WORK/dir.h5.partial"
    expect_status 65
    expect_match err 'not a regular file'
    # After all that, the file still resumes to the uninterrupted result.
    run "$PLANSIM" run -q "$CASES/resume.yaml" --runs 400 \
        --resume "$WORK/e.h5.partial"
    expect_status 0
    run "$PLANSIM" run -q "$CASES/resume.yaml" --runs 400 -o "$WORK/w.h5"
    expect_status 0
    check identical "$WORK/w.h5" "$WORK/e.h5"
}

test_interrupt_design() {
    # Ctrl-C early in a large correlated ensemble (the flagship at 200,000
    # runs, minutes of work): the inputs are drawn block by block as the
    # runs need them, with no design made up front, so the run stops at
    # once with status 130, whether or not a block was written yet.
    root="$CASES/../../.."
    "$PLANSIM" run -q "$root/scenarios/plan.yaml" --runs 200000 \
        -o "$WORK/big.h5" >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    i=0
    while [ ! -e "$WORK/big.h5.partial" ] && [ $i -lt 400 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -e "$WORK/big.h5.partial" ] || fail "no .partial file after 20 s"
    sleep 0.5
    start=$(date +%s)
    kill -INT $pid
    wait $pid
    status=$?
    took=$(($(date +%s) - start))
    what="run interrupted early"
    expect_status 130
    expect_match err 'interrupted (before any run was written|after [0-9]+ runs)'
    [ "$took" -le 5 ] || fail "Ctrl-C took $took s to stop the run"
}

test_subscripts() {
    # A subscripted model: one element drawn alone, one draw shared by a
    # subrange, draws per element, read back by element name.
    run "$PLANSIM" run -q "$CASES/chains.yaml" --threads 1 -o "$WORK/c1.h5"
    expect_status 0
    expect_match out '新材料产业链产值达到150亿元 +output\[新材料\] +2030 +≥ 150'
    check chains "$WORK/c1.h5"
    # 1 and 2 threads: bit-identical datasets
    run "$PLANSIM" run -q "$CASES/chains.yaml" --threads 2 -o "$WORK/c2.h5"
    expect_status 0
    check same "$WORK/c1.h5" "$WORK/c2.h5"
    run "$PLANSIM" summary "$WORK/c1.h5" --format csv
    expect_status 0
    expect_match out '^variable,"area output\[城区,新材料\]",2030,p50,'
    # an unknown element is reported where it is written
    run "$PLANSIM" run "$CASES/chains_unknown_element.yaml" -o "$WORK/u.h5"
    expect_status 65
    expect_match err 'chains_unknown_element\.yaml:5:15: error: unknown element or range .新材科.'
    expect_match err "did you mean '新材料'"
    # a draw per element of a range read from a file: one column each
    run "$PLANSIM" run -q "$CASES/sites_per_element.yaml" -o "$WORK/s.h5"
    expect_status 0
    h5dump -d /param "$WORK/s.h5" >"$WORK/param" 2>&1 ||
        fail "cannot read /param: $(head -3 "$WORK/param")"
    grep -q '"draw\[s1\]", "draw\[s2\]", "draw\[s3\]"' "$WORK/param" ||
        fail "the draws per site are not the file's sites: $(grep draw "$WORK/param")"
}

test_subscript_commands() {
    # Every command that names variables takes elements of subscripted ones.
    run "$PLANSIM" run -q "$CASES/chains.yaml" --runs 200 -o "$WORK/c.h5"
    expect_status 0
    # report: one chart and one table per element
    run "$PLANSIM" report "$WORK/c.h5" --output "$WORK/rep"
    expect_status 0
    for f in fan_output_新材料.svg fan_area_output_园区_食品加工.svg \
        fan_emerging_output_电子信息.svg fan_total_output.svg; do
        [ -s "$WORK/rep/$f" ] || fail "report: no $f"
    done
    grep -q '^## 产业链产值.*\\\[新材料\\\]$' "$WORK/rep/variables.md" ||
        fail "report: no table of output[新材料]"
    # discover: a target on an element
    run "$PLANSIM" discover "$WORK/c.h5" --target xcl_150
    expect_status 0
    expect_match out 'output\[新材料\]'
    # sensitivity: an element at a time, groups of per-element draws
    run "$PLANSIM" sensitivity "$CASES/chains.yaml" --method oat \
        --of 'output[电子信息]@2030' --group 'base=base output[new chain]'
    expect_status 0
    expect_match out '^output\[电子信息\]@2030'
    expect_match out 'demand shock\[new chain\]'
    run "$PLANSIM" sensitivity "$CASES/chains.yaml" --method oat --of output@2030
    expect_status 64
    expect_match err "name one element, as in 'output\[新材料\]@2030'"
    # sweep and solve: a lever on one element
    run "$PLANSIM" sweep "$CASES/chains.yaml" --runs 100 \
        --vary 'policy support[电子信息]=0:0.04:3' --csv "$WORK/s.csv"
    expect_status 0
    expect_match out 'total_430 +0\.[0-9]+ +0\.[0-9]+ +0\.[0-9]+'
    grep -q '^0.04,total_430,' "$WORK/s.csv" || fail "sweep: no CSV row"
    run "$PLANSIM" solve "$CASES/chains.yaml" --target total_430 \
        --probability 0.9 --lever 'policy support[电子信息]' --range 0:0.1 \
        --runs 100
    expect_status 0
    expect_match out '^Answer: +policy support\[电子信息\] = 0\.0'
    run "$PLANSIM" sweep "$CASES/chains.yaml" --vary 'output[新材料]=1:2:2'
    expect_status 64
    expect_match err "'output' is a stock"
    # fit: observed columns named as Vensim names elements
    printf 'Time,output[新材料],output[食品加工],total output\n2025,100,110,290\n2027,118,121,345\n' \
        >"$WORK/obs.csv"
    run "$PLANSIM" fit "$CASES/chains.yaml" --observed "$WORK/obs.csv"
    expect_status 0
    expect_match out '^output\[食品加工\] +2 +0\.[0-9]+ '
    printf 'Time,output\n2025,100\n' >"$WORK/bad.csv"
    run "$PLANSIM" fit "$CASES/chains.yaml" --observed "$WORK/bad.csv"
    expect_status 65
    expect_match err "bad\.csv:1:6: error: column 'output' names a subscripted variable"
}

test_summary_formats() {
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 200 -o "$WORK/g.h5"
    expect_status 0
    for fmt in table md csv json; do
        run "$PLANSIM" summary "$WORK/g.h5" --format "$fmt"
        expect_status 0
        [ -s "$WORK/out" ] || fail "summary --format $fmt printed nothing"
    done
    run "$PLANSIM" summary "$WORK/g.h5" --format md
    expect_match out '^\| *地区生产总值力争达到700亿元'
    run "$PLANSIM" summary "$WORK/g.h5" --format json
    "$PYTHON" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out" ||
        fail "summary --format json is not valid JSON"
    run "$PLANSIM" summary "$WORK/g.h5" --format xml
    expect_status 64
}

test_flagship_units() {
    # The flagship's files (an ensemble, a sweep's surface, a sensitivity
    # design): every units attribute parses with udunits-2,
    # every variable keeps the model's unit text; xarray and ncdump open
    # them.
    root="$CASES/../../.."
    run "$PLANSIM" run -q "$root/scenarios/plan.yaml" --runs 20 -o "$WORK/plan.h5"
    expect_status 0
    run "$PLANSIM" sweep -q "$root/scenarios/plan.yaml" --runs 10 \
        --vary "incentive effect=1:2:2" --output "$WORK/sweep.h5"
    expect_status 0
    run "$PLANSIM" sensitivity -q "$root/scenarios/plan.yaml" --method oat \
        --of 'gdp nominal@2030' --output "$WORK/oat.h5"
    expect_status 0
    "$PYTHON" "$(dirname "$CHECK")/check_units.py" \
        "$root/models/qianjiang/qianjiang.mdl" "$WORK/plan.h5" \
        "$WORK/sweep.h5" "$WORK/oat.h5" >"$WORK/check" 2>&1
    rc=$?
    cat "$WORK/check"
    [ "$rc" -eq 77 ] && { echo "skipped: $(cat "$WORK/check")"; exit 77; }
    [ "$rc" -eq 0 ] || fail "units of the flagship's files"
    "$PYTHON" -c 'import sys, xarray as xr
ds = xr.open_dataset(sys.argv[1])
assert ds.gdp_nominal.attrs["vensim_units"] == "亿元/Year"
assert "units" not in ds.gdp_nominal.attrs
xr.open_dataset(sys.argv[1], group="summary").load()
xr.open_dataset(sys.argv[2]).load()' "$WORK/plan.h5" "$WORK/sweep.h5" ||
        fail "xarray cannot read the flagship's files"
    if command -v ncdump >/dev/null 2>&1; then
        run ncdump -h "$WORK/plan.h5"
        expect_status 0
        expect_match out 'string gdp_nominal:vensim_units = "亿元/Year" ;'
        expect_match out ':units_convention = "udunits-2'
    fi
}

# model_engine FILE: the engine the file records.
model_engine() {
    "$PYTHON" -c 'import sys, h5py
v = h5py.File(sys.argv[1], "r").attrs["model_engine"]
print(v.decode() if isinstance(v, bytes) else v)' "$1"
}

test_engines() {
    # Native code and the interpreter give the same file, bit for bit,
    # and each file says which ran the model.
    export PLANSIM_CACHE_DIR="$WORK/cache"
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 2000 --engine native -o "$WORK/n.h5"
    expect_status 0
    run "$PLANSIM" run -q "$CASES/growth.yaml" --runs 2000 --engine interpreted -o "$WORK/i.h5"
    expect_status 0
    check same "$WORK/n.h5" "$WORK/i.h5"
    [ "$(model_engine "$WORK/n.h5")" = native ] ||
        fail "n.h5 does not record model_engine = native"
    [ "$(model_engine "$WORK/i.h5")" = interpreted ] ||
        fail "i.h5 does not record model_engine = interpreted"
    # Without a working compiler, auto falls back with a note (none with -q).
    run env PLANSIM_CC=/bin/false "$PLANSIM" run "$CASES/growth.yaml" --runs 2000 -o "$WORK/f.h5"
    expect_status 0
    expect_match err '^plansim: note: the model runs interpreted \(.*compiler failed'
    check same "$WORK/f.h5" "$WORK/i.h5"
    [ "$(model_engine "$WORK/f.h5")" = interpreted ] ||
        fail "f.h5 does not record model_engine = interpreted"
    run env PLANSIM_CC=/bin/false "$PLANSIM" run -q "$CASES/growth.yaml" --runs 10 -o "$WORK/q.h5"
    expect_status 0
    expect_empty err
    run env PLANSIM_CC=/bin/false "$PLANSIM" run -q "$CASES/growth.yaml" --runs 10 --engine native -o "$WORK/x.h5"
    expect_status 69
    [ ! -e "$WORK/x.h5" ] || fail "a failed --engine native left x.h5"
}

case "$group" in
closed_form | xarray | threads | failed_runs | errors | interrupt | summary_formats | subscripts | subscript_commands | flagship_units | resume | resume_errors | interrupt_design | resume_sensitivity | engines)
    "test_$group" ;;
*)
    echo "run_test.sh: unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "run $group"
