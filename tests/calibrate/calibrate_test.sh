#!/bin/sh
# End-to-end tests of `plansim calibrate` and of forecasts from its
# posterior, one group per CTest test:
#   calibrate_test.sh GROUP   (recover, methods, threads, forecast, errors,
#                              interrupt, formats)
# Environment (set by tests/calibrate/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   CASES      tests/calibrate/cases
#   WORK_BASE  a folder where each run makes its scratch folder
#
# cases/logistic.yaml calibrates the rate, capacity and starting stock of
# logistic growth to ten noisy observations simulated from rate 0.45,
# capacity 900 and starting stock 20 (the file says how).
set -u

group=${1:?usage: calibrate_test.sh GROUP}
: "${PLANSIM:?}" "${CASES:?}" "${WORK_BASE:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "calibrate-$group"

# value TABLE ROW COLUMN: a value of the long-form CSV on stdout.
value() {
    awk -F, -v t="$1" -v r="$2" -v c="$3" \
        '$1 == t && $2 == r && $3 == c { print $4; exit }' "$WORK/out"
}

# expect_inside WHAT X LO HI: LO <= X <= HI
expect_inside() {
    awk -v x="$2" -v lo="$3" -v hi="$4" \
        'BEGIN { exit !(x != "" && lo != "" && x >= lo && x <= hi) }' ||
        fail "$1: $2 is not inside [$3, $4]"
}

# rows: the data rows of an h5dump -y of a 2-D dataset, one per line
rows() {
    awk '/DATA \{/ { on = 1; next } on && /^ *\}/ { exit }
         on { sub(/^ +/, ""); sub(/,$/, ""); print }'
}

# expect_below WHAT X Y: X < Y
expect_below() {
    awk -v x="$2" -v y="$3" 'BEGIN { exit !(x != "" && y != "" && x < y) }' ||
        fail "$1: $2 is not below $3"
}

# The inputs' true values lie inside their 90 % posterior intervals.
check_recovered() {
    for pair in rate:0.45 capacity:900 "initial population:20"; do
        name=${pair%%:*}
        truth=${pair#*:}
        expect_inside "$1: $name" "$truth" \
            "$(value input "$name" posterior_q05)" \
            "$(value input "$name" posterior_q95)"
    done
}

test_recover() {
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 400 \
        -o "$WORK/post.h5" --format csv
    expect_status 0
    check_recovered smc
    # the data narrow the rate's 90 % interval from 0.54 wide to a tenth
    lo=$(value input rate posterior_q05)
    hi=$(value input rate posterior_q95)
    expect_below "rate interval" "$(awk -v a="$lo" -v b="$hi" 'BEGIN { print b - a }')" 0.06
    expect_inside "log evidence" "$(value calibration smc log_evidence)" -80 -30
    # the predictive check: 10 observations, about 90 % inside the 90 % band
    expect_inside "inside 90 %" "$(value series population inside_90)" 0.7 1
    [ -e "$WORK/post.h5" ] || fail "no posterior file"
    [ -e "$WORK/post.h5.partial" ] && fail "a .partial file was left"
}

test_methods() {
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --method is \
        --particles 4000 -o "$WORK/is.h5" --format csv
    expect_status 0
    check_recovered is
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --method optimize \
        -o "$WORK/opt.h5" --format csv
    expect_status 0
    check_recovered optimize
    # the maximum-likelihood rate is close to the truth
    expect_inside "ML rate" "$(value input rate posterior_mean)" 0.42 0.48
    # too few draws for the data: the weights collapse, with a warning
    run "$PLANSIM" calibrate "$CASES/logistic.yaml" --method is \
        --particles 50 -o "$WORK/few.h5"
    expect_status 0
    expect_match err 'warning: the importance weights collapsed'
}

test_threads() {
    # bit for bit the same at 1 and 2 threads: tables and particles
    for t in 1 2; do
        run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 200 \
            --threads $t --seed 5 -o "$WORK/t$t.h5" --format csv
        expect_status 0
        cp "$WORK/out" "$WORK/t$t.csv"
        h5dump -d particle_value -d weight -d log_likelihood "$WORK/t$t.h5" |
            tail -n +2 >"$WORK/t$t.dump"
    done
    cmp -s "$WORK/t1.csv" "$WORK/t2.csv" || fail "tables differ at 1 and 2 threads"
    cmp -s "$WORK/t1.dump" "$WORK/t2.dump" || fail "particles differ at 1 and 2 threads"
    [ -s "$WORK/t1.dump" ] || fail "no particles dumped"
    # another seed gives other particles
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 200 \
        --seed 6 -o "$WORK/t3.h5" --format csv
    cmp -s "$WORK/t1.csv" "$WORK/out" && fail "seed 6 gave the same tables as seed 5"
}

test_forecast() {
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        -o "$WORK/post.h5"
    expect_status 0
    # the forecast prints the prior's probability beside the posterior's
    run "$PLANSIM" run -q "$CASES/logistic.yaml" --posterior "$WORK/post.h5" \
        -o "$WORK/fore.h5" --format csv
    expect_status 0
    prior=$(awk -F, '$1 == "target" && $4 == "prior_probability" { print $5 }' "$WORK/out")
    post=$(awk -F, '$1 == "target" && $4 == "probability" { print $5 }' "$WORK/out")
    expect_inside "prior P" "$prior" 0.3 0.6
    expect_inside "posterior P" "$post" 0 1
    run "$PLANSIM" summary "$WORK/fore.h5"
    expect_match out 'Calibrated inputs drawn from .*post\.h5 \(smc'
    expect_match out 'prior P +posterior P'
    # every run's inputs are one particle's, all three from the same one
    h5dump -y -d particle_value "$WORK/post.h5" | rows >"$WORK/particles"
    h5dump -y -d param_value "$WORK/fore.h5" | rows >"$WORK/runs"
    [ "$(wc -l <"$WORK/runs")" -eq 400 ] || fail "not 400 runs of inputs"
    awk 'NR == FNR { p[$0] = 1; next } !($0 in p) { bad++ }
         END { exit bad > 0 }' "$WORK/particles" "$WORK/runs" ||
        fail "a run's inputs are not a particle's"
    [ "$(sort -u "$WORK/runs" | wc -l)" -gt 50 ] ||
        fail "the runs use too few particles"
    # fit at the posterior medians: the calibrated run reproduces the data
    run "$PLANSIM" fit "$CASES/logistic.yaml" --observed \
        "$CASES/logistic_observed.csv" --format csv
    prior_mape=$(awk -F, '$1 == "population" && $2 == "mape_percent" { print $3 }' "$WORK/out")
    run "$PLANSIM" fit "$CASES/logistic.yaml" --observed \
        "$CASES/logistic_observed.csv" --posterior "$WORK/post.h5" --format csv
    expect_status 0
    post_mape=$(awk -F, '$1 == "population" && $2 == "mape_percent" { print $3 }' "$WORK/out")
    expect_below "MAPE at the posterior medians" "$post_mape" 1
    expect_below "MAPE: posterior against prior" "$post_mape" "$prior_mape"
    run "$PLANSIM" fit "$CASES/logistic.mdl" --observed \
        "$CASES/logistic_observed.csv" --posterior "$WORK/post.h5"
    expect_status 64
    # without --observed, the scenario's observed section: the same
    # figures as its file gives; a window left out of the calibration
    # (extends, observed: {from: 12}) is scored on its own
    run "$PLANSIM" fit "$CASES/logistic.yaml" --posterior "$WORK/post.h5" --format csv
    expect_status 0
    own=$(awk -F, '$1 == "population" && $2 == "mape_percent" { print $3 }' "$WORK/out")
    [ "$own" = "$post_mape" ] ||
        fail "the observed section gives MAPE $own, the file $post_mape"
    printf 'extends: %s/logistic.yaml\nobserved: {from: 12}\n' "$CASES" | write late
    run "$PLANSIM" fit "$WORK/late.yaml" --posterior "$WORK/post.h5" --format csv
    expect_status 0
    expect_match out '^population,n,5$'
    run "$PLANSIM" fit "$CASES/logistic.mdl"
    expect_status 64
    expect_match err 'missing --observed FILE'
    run "$PLANSIM" fit "$CASES/logistic.yaml" --set rate=0.5
    expect_status 64
    "$PLANSIM" run -q "$CASES/logistic.yaml" -o "$WORK/prior.h5" >/dev/null
    # sweep, solve and sensitivity draw from the posterior too
    run "$PLANSIM" sweep -q "$CASES/logistic.yaml" --vary "stocking=0:20:3" \
        --posterior "$WORK/post.h5" --output "$WORK/sweep.h5"
    expect_status 0
    run "$PLANSIM" solve -q "$CASES/logistic.yaml" --target big \
        --probability 0.9 --lever stocking --range 0:40 \
        --posterior "$WORK/post.h5"
    expect_status 0
    run "$PLANSIM" sensitivity -q "$CASES/logistic.yaml" --method morris \
        --samples 4 --posterior "$WORK/post.h5"
    expect_status 0
    # not a posterior file
    run "$PLANSIM" run -q "$CASES/logistic.yaml" --posterior "$WORK/prior.h5" \
        -o "$WORK/x.h5"
    expect_status 65
    expect_match err 'prior\.h5.*not a posterior file'
    run "$PLANSIM" run -q "$CASES/logistic.yaml" --posterior "$WORK/absent.h5" \
        -o "$WORK/x.h5"
    expect_status 66
}

# write NAME: the scenario on stdin as $WORK/NAME.yaml, beside the model
write() {
    cp "$CASES/logistic.mdl" "$CASES/logistic_observed.csv" "$WORK/" 2>/dev/null
    cat >"$WORK/$1.yaml"
}

test_errors() {
    write base <<'EOF'
model: logistic.mdl
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
EOF
    run "$PLANSIM" calibrate -q "$WORK/base.yaml"
    expect_status 65
    expect_match err 'no observed series to calibrate to'
    write unknown <<'EOF'
model: logistic.mdl
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
observed:
  file: logistic_observed.csv
  series:
    populaton: {column: population, error: {model: normal, sd: 5}}
EOF
    run "$PLANSIM" calibrate -q "$WORK/unknown.yaml"
    expect_status 65
    expect_match err 'unknown\.yaml:7:5: error: .*populaton'
    expect_match err 'population'
    write noerror <<'EOF'
model: logistic.mdl
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
observed:
  file: logistic_observed.csv
  series:
    population: {}
EOF
    run "$PLANSIM" calibrate -q "$WORK/noerror.yaml"
    expect_status 65
    expect_match err "noerror\\.yaml:7:17: error: .*no error model"
    write outside <<'EOF'
model: logistic.mdl
time: {final: 15}
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
observed:
  file: logistic_observed.csv
  series:
    population: {error: {model: normal, sd: 5}}
EOF
    run "$PLANSIM" calibrate -q "$WORK/outside.yaml"
    expect_status 65
    expect_match err 'outside\.yaml:8:5: error: .*(16|18|20)'
    write badsd <<'EOF'
model: logistic.mdl
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
observed:
  file: logistic_observed.csv
  series:
    population: {error: {model: normal, sd: -5}}
EOF
    run "$PLANSIM" calibrate -q "$WORK/badsd.yaml"
    expect_status 65
    expect_match err 'badsd\.yaml:7:'
    write nofile <<'EOF'
model: logistic.mdl
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
observed:
  file: absent.csv
  series:
    population: {error: {model: normal, sd: 5}}
EOF
    run "$PLANSIM" calibrate -q "$WORK/nofile.yaml"
    expect_status 66
    expect_match err 'nofile\.yaml:5:9: error: .*absent\.csv'
    # from: and to: keep a window of the table: one table serves a
    # calibration and its hold-out
    write window <<'EOF'
model: logistic.mdl
uncertain:
  rate: {dist: uniform, min: 0.2, max: 0.8}
observed:
  file: logistic_observed.csv
  from: 2
  to: 10
  series:
    population: {error: {model: lognormal, sd: 0.05}}
EOF
    run "$PLANSIM" calibrate -q "$WORK/window.yaml" --particles 100 \
        -o "$WORK/window.h5" --format csv
    expect_status 0
    times=$(h5dump -y -d observation_time "$WORK/window.h5" |
        awk '/DATA \{/ { getline; gsub(/ /, ""); print; exit }')
    [ "$times" = "2,4,6,8,10" ] || fail "the window kept times '$times'"
    sed 's/  to: 10/  to: 1/' "$WORK/window.yaml" >"$WORK/reversed.yaml"
    run "$PLANSIM" calibrate -q "$WORK/reversed.yaml"
    expect_status 65
    expect_match err "reversed\\.yaml:7:7: error: 'to: 1' is before 'from: 2'"
    sed 's/  from: 2/  from: 30/; s/  to: 10/  to: 40/' "$WORK/window.yaml" \
        >"$WORK/empty.yaml"
    run "$PLANSIM" calibrate -q "$WORK/empty.yaml"
    expect_status 65
    expect_match err "empty\\.yaml:5:9: error: no series has an observation from 30 to 40"
    # every run goes NaN: the error says so and shows the first
    write nan <<'EOF'
model: logistic.mdl
uncertain:
  capacity: {dist: uniform, min: -1e-9, max: 1e-9}
observed:
  file: logistic_observed.csv
  series:
    population: {error: {model: lognormal, sd: 0.05}}
EOF
    for m in smc is optimize; do
        run "$PLANSIM" calibrate -q "$WORK/nan.yaml" --method $m --particles 20 \
            -o "$WORK/nan.h5"
        expect_status 65
        expect_match err "nan\\.yaml: error: no .* reproduces the observations.*runs failed, the first: .*(NaN|inf)"
    done
    [ -e "$WORK/nan.h5" ] || [ -e "$WORK/nan.h5.partial" ] &&
        fail "a failed calibration left a file"
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --method mcmc
    expect_status 64
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 1
    expect_status 64
    run "$PLANSIM" calibrate -q "$WORK/absent.yaml"
    expect_status 66
    run "$PLANSIM" calibrate
    expect_status 64
}

test_interrupt() {
    # Ctrl-C: status 130; the last whole stage in POST.h5.partial, a valid
    # file that says it is incomplete; nothing under the final name.  The
    # first stage (50 000 runs) takes a fraction of the 3 s even on a busy
    # machine; the whole calibration (some 5 M runs) takes far longer.
    "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 50000 \
        -o "$WORK/post.h5" >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    sleep 3
    kill -INT $pid
    wait $pid
    status=$?
    what="interrupted calibration"
    expect_status 130
    expect_match err 'interrupted after [0-9]+ stages'
    [ -e "$WORK/post.h5" ] && fail "an interrupted calibration left the final file"
    [ -e "$WORK/post.h5.partial" ] || fail "no .partial file"
    h5dump -A -a complete "$WORK/post.h5.partial" >"$WORK/attr" 2>&1 ||
        fail "the .partial file is not readable HDF5"
    grep -q '(0): 0' "$WORK/attr" || fail "the .partial file does not say complete = 0"
    run "$PLANSIM" run -q "$CASES/logistic.yaml" \
        --posterior "$WORK/post.h5.partial" -o "$WORK/x.h5"
    expect_status 65
    expect_match err 'interrupted'
}

random_pause() {
    sleep "$(awk 'BEGIN { srand(); printf "%.2f", 0.3 + rand() * 1.5 }')"
}

# stages FILE.partial: the whole stages an interrupted calibration holds
# (0 when it holds its settings only).
stages() {
    h5ls "$1/stage" 2>/dev/null | sed -n 's/.*Dataset {\([0-9]*\)}.*/\1/p' |
        grep . || echo 0
}

# same_posterior A B: every dataset and setting the same, bit for bit.
same_posterior() {
    "${PYTHON:-python3}" "$(dirname "$0")/same_posterior.py" "$1" "$2" \
        >"$WORK/same" 2>&1
    rc=$?
    cat "$WORK/same"
    [ "$rc" -eq 77 ] && { echo "skipped: $(cat "$WORK/same")"; exit 77; }
    [ "$rc" -eq 0 ] || fail "$2 is not the posterior of $1"
}

test_resume() {
    # Killed (SIGKILL) at random moments and resumed each time, a
    # calibration ends with the posterior an uninterrupted one writes,
    # identical in every dataset and setting; the stages its .partial
    # holds never fall; no staging file is left behind.
    set -- -q "$CASES/logistic.yaml" --particles 2000 --threads 2
    run "$PLANSIM" calibrate "$@" -o "$WORK/whole.h5"
    expect_status 0
    cp "$WORK/out" "$WORK/whole.txt"
    out="$WORK/r.h5"
    "$PLANSIM" calibrate "$@" -o "$out" --flush-every 0.01 >/dev/null 2>&1 &
    pid=$!
    random_pause
    kill -KILL $pid 2>/dev/null
    wait $pid
    before=0
    for kill in 1 2 3; do
        [ -e "$out" ] && break # a resume finished before its kill
        [ -e "$out.partial" ] || fail "kill $kill left no .partial file"
        n=$(stages "$out.partial")
        [ "$n" -ge "$before" ] ||
            fail "kill $kill: the file holds $n stages, fewer than $before"
        before=$n
        echo "after kill $kill: $n stages in the file"
        "$PLANSIM" calibrate "$@" --resume "$out.partial" --flush-every 0.01 \
            >/dev/null 2>&1 &
        pid=$!
        random_pause
        kill -KILL $pid 2>/dev/null
        wait $pid
    done
    if [ ! -e "$out" ]; then
        run "$PLANSIM" calibrate "$@" --resume "$out.partial"
        expect_status 0
        cmp -s "$WORK/out" "$WORK/whole.txt" ||
            fail "the resumed calibration prints other results"
    fi
    [ -e "$out.partial" ] && fail "a finished calibration left its .partial"
    for f in "$out".partial.*; do
        [ -e "$f" ] && fail "a staging file was left: $f"
    done
    same_posterior "$WORK/whole.h5" "$out"

    # Ctrl-C writes the last whole stage whatever --flush-every says, and
    # the resume from it ends the same.
    "$PLANSIM" calibrate "$@" -o "$WORK/c.h5" --flush-every 1000 \
        >/dev/null 2>&1 &
    pid=$!
    random_pause
    kill -INT $pid 2>/dev/null
    wait $pid
    if [ -e "$WORK/c.h5.partial" ]; then
        echo "after Ctrl-C: $(stages "$WORK/c.h5.partial") stages in the file"
        run "$PLANSIM" calibrate "$@" --resume "$WORK/c.h5.partial"
        expect_status 0
    fi
    same_posterior "$WORK/whole.h5" "$WORK/c.h5"
}

# claim_partial OUT ARGS...: starts a calibration and kills it as soon as
# OUT.partial exists (it holds the settings, perhaps a stage).  A small
# calibration can finish, or be killed before its claim, between two
# looks: it is then started again, up to 30 times.
claim_partial() {
    out=$1
    shift
    attempt=0
    while [ $attempt -lt 30 ]; do
        attempt=$((attempt + 1))
        rm -f "$out"
        "$PLANSIM" calibrate -q "$CASES/logistic.yaml" -o "$out" "$@" \
            >/dev/null 2>&1 &
        pid=$!
        while [ ! -e "$out.partial" ] && kill -0 $pid 2>/dev/null; do
            :
        done
        kill -KILL $pid 2>/dev/null
        wait $pid
        rm -f "$out"
        [ -e "$out.partial" ] && return 0
    done
    fail "no $out.partial left in 30 attempts"
}

test_resume_errors() {
    claim_partial "$WORK/p.h5" --particles 300 --seed 4
    # another calibration on the same output is refused before any run
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" -o "$WORK/p.h5"
    expect_status 73
    expect_match err 'p\.h5\.partial.*--resume'
    # other settings: refused, naming the first difference
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        --seed 5 --resume "$WORK/p.h5.partial"
    expect_status 65
    expect_match err "p\.h5\.partial: error: the file's seed is 4, this command's is 5"
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 400 \
        --seed 4 --resume "$WORK/p.h5.partial"
    expect_status 65
    expect_match err "n_particles is 300, this command's is 400"
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        --seed 4 --method is --resume "$WORK/p.h5.partial"
    expect_status 65
    expect_match err "method is smc, this command's is is"
    # not a .partial, another --output, a missing file, a link
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --resume "$WORK/p.h5"
    expect_status 64
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" -o "$WORK/q.h5" \
        --resume "$WORK/p.h5.partial"
    expect_status 64
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" \
        --resume "$WORK/absent.h5.partial"
    expect_status 66
    ln -s "$WORK/p.h5.partial" "$WORK/l.h5.partial"
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        --seed 4 --resume "$WORK/l.h5.partial"
    expect_status 65
    expect_match err 'symbolic link'
    [ -e "$WORK/l.h5" ] && fail "a refused resume wrote a file"
    # a posterior file is not something to continue
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        --seed 4 --resume "$WORK/p.h5.partial"
    expect_status 0
    cp "$WORK/p.h5" "$WORK/done.h5.partial"
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        --seed 4 --resume "$WORK/done.h5.partial"
    expect_status 65
    # the finished resume is the calibration run in one go
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
        --seed 4 -o "$WORK/one.h5"
    expect_status 0
    same_posterior "$WORK/one.h5" "$WORK/p.h5"
    # is and optimize keep no stage: their resume starts again, the same
    for m in is optimize; do
        claim_partial "$WORK/$m.h5" --particles 300 --method $m
        run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
            --method $m --resume "$WORK/$m.h5.partial"
        expect_status 0
        run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 300 \
            --method $m -o "$WORK/$m-one.h5"
        expect_status 0
        same_posterior "$WORK/$m-one.h5" "$WORK/$m.h5"
    done
}

test_formats() {
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 200 \
        -o "$WORK/post.h5" --format json
    expect_status 0
    if command -v "${PYTHON:-python3}" >/dev/null 2>&1; then
        "${PYTHON:-python3}" -c 'import json,sys; d = json.load(open(sys.argv[1])); assert d["method"] == "smc" and len(d["inputs"]) == 3' \
            "$WORK/out" || fail "--format json is not the expected JSON"
    fi
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 200 \
        -o "$WORK/post.h5" --format md --force
    expect_match out '^\| input +\| prior +\|'
    # xarray opens the posterior as it is: dimensions, coordinates, the
    # weights, a parameter's posterior quantiles by name
    if "${PYTHON:-python3}" -c 'import xarray' 2>/dev/null; then
        "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 200 \
            -o "$WORK/xr.h5" >/dev/null
        "${PYTHON:-python3}" - "$WORK/xr.h5" <<'EOF' || fail "xarray cannot read the posterior file"
import sys
import xarray as xr
ds = xr.open_dataset(sys.argv[1])
assert ds.sizes["particle"] == 200 and ds.sizes["parameter"] == 3
assert abs(float(ds.weight.sum()) - 1) < 1e-9
q = ds.posterior_quantile.sel(parameter="rate").values
assert 0.2 < q[0] <= q[1] <= q[2] < 0.8
assert ds.attrs["method"] == "smc" and int(ds.attrs["complete"]) == 1
assert list(ds.target.values) == ["big"]
EOF
    fi
    # plansim summary prints a posterior file's tables again
    run "$PLANSIM" calibrate -q "$CASES/logistic.yaml" --particles 200 \
        -o "$WORK/post.h5" --force
    cp "$WORK/out" "$WORK/printed"
    run "$PLANSIM" summary "$WORK/post.h5"
    expect_status 0
    cmp -s "$WORK/printed" "$WORK/out" ||
        fail "summary of the posterior differs from what calibrate printed"
    run "$PLANSIM" calibrate --help
    expect_status 0
    expect_match out '^usage: plansim calibrate SCENARIO.yaml'
}

# A start value (an initial condition of the calibrated run) is
# calibrated and marked so in the posterior; a forecast that starts at
# another time keeps its own prior for it, while fit and a run from the
# same start take the posterior.
test_start_values() {
    sed -e 's/^  initial population: {\(.*\)}$/  initial population: {\1, start value: true}/' \
        -e 's/^sampling:/time: {initial: 0}\nsampling:/' \
        "$CASES/logistic.yaml" | write start
    grep -q 'start value: true' "$WORK/start.yaml" || fail "no start value in the test scenario"
    run "$PLANSIM" calibrate -q "$WORK/start.yaml" --particles 300 -o "$WORK/post.h5"
    expect_status 0
    h5dump -y -d param_start_value "$WORK/post.h5" | rows | tr -d ' \n' >"$WORK/flags"
    [ "$(cat "$WORK/flags")" = "0,0,1" ] ||
        fail "param_start_value is $(cat "$WORK/flags"), not 0,0,1"
    # the same start: every input from the particles, no note
    run "$PLANSIM" run -q "$WORK/start.yaml" --posterior "$WORK/post.h5" -o "$WORK/same.h5"
    expect_status 0
    expect_empty err
    # a later start: initial population keeps its prior U(18, 22)
    sed 's/^time: {initial: 0}$/time: {initial: 2}/' "$WORK/start.yaml" | write later
    run "$PLANSIM" run "$WORK/later.yaml" --posterior "$WORK/post.h5" -o "$WORK/later.h5"
    expect_status 0
    expect_match err 'calibrated 1 start value of its run .start value: true.; the forecast keeps its own'
    # initial population: the posterior's particles in the same-start
    # forecast, fresh prior draws in the later one
    h5dump -y -d particle_value "$WORK/post.h5" | rows | awk -F, '{ print $3 + 0 }' >"$WORK/particles"
    for f in same later; do
        h5dump -y -d param_value "$WORK/$f.h5" | rows |
            awk -F, 'NR == FNR { p[$1] = 1; next } !(($3 + 0) in p) { n++ }
                END { print n + 0 }' "$WORK/particles" - >"$WORK/$f.off"
    done
    [ "$(cat "$WORK/same.off")" -eq 0 ] ||
        fail "$(cat "$WORK/same.off") same-start runs draw initial population off the particles"
    [ "$(cat "$WORK/later.off")" -gt 300 ] ||
        fail "only $(cat "$WORK/later.off") later runs draw initial population from its prior"
}

case "$group" in
recover | methods | threads | forecast | errors | interrupt | formats | \
    start_values | resume | resume_errors)
    "test_$group" ;;
*)
    echo "calibrate_test.sh: unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "calibrate $group"
