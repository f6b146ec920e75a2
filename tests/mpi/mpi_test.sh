#!/bin/sh
# plansim built with PLANSIM_MPI, started by mpirun: a job of 2 or 3
# ranks gives the file, and prints the results, of one process with the
# same seed; a rank killed mid-run leaves a .partial that --resume
# finishes into that same file.  One group per CTest test:
#   mpi_test.sh GROUP
# Environment (set by tests/mpi/CMakeLists.txt):
#   PLANSIM    the plansim binary (built with MPI)
#   MPIEXEC    Open MPI's mpirun (empty in a build without MPI, whose
#              one group, without_mpi, needs none)
#   SCENARIOS  the repository's scenarios/
#   CHECK      tests/scenarios/check_ensemble.py
#   PYTHON     Debian's python3 with h5py and numpy
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: mpi_test.sh GROUP}
: "${PLANSIM:?}" "${MPIEXEC?}" "${SCENARIOS:?}" "${CHECK:?}" "${PYTHON:?}"

. "$(dirname "$0")/../support/expect.sh"
expect_begin "mpi-$group"
# every rank builds the model into the same private cache
PLANSIM_CACHE_DIR=$WORK/cache
export PLANSIM_CACHE_DIR

# mpi N ARGS...: plansim ARGS as a job of N ranks on this machine.
mpi() {
    n=$1
    shift
    "$MPIEXEC" --oversubscribe -n "$n" "$PLANSIM" "$@"
}


need_h5py() {
    "$PYTHON" -c 'import h5py, numpy' 2>/dev/null && return
    echo "skipped: h5py or numpy missing"
    exit 77
}

# same_as_one CMD ARGS...: `plansim CMD ARGS -o FILE` by one process and
# by jobs of 2 and 3 ranks: the same printed results, the same datasets.
same_as_one() {
    cmd=$1
    shift
    run "$PLANSIM" "$cmd" "$@" -o "$WORK/one.h5"
    expect_status 0
    cp "$WORK/out" "$WORK/one.out"
    for n in 2 3; do
        run mpi "$n" "$cmd" "$@" -o "$WORK/job$n.h5"
        expect_status 0
        cmp -s "$WORK/one.out" "$WORK/out" ||
            fail "$cmd on $n ranks prints other results"
        check identical "$WORK/one.h5" "$WORK/job$n.h5"
    done
}

test_run() {
    need_h5py
    same_as_one run -q "$SCENARIOS/plan.yaml" --runs 3000 --threads 1
}

test_sensitivity() {
    need_h5py
    same_as_one sensitivity -q "$SCENARIOS/plan.yaml" --samples 64 \
        --threads 1
    # without a file, the same indices are printed
    run mpi 2 sensitivity -q "$SCENARIOS/plan.yaml" --samples 64 --threads 1
    expect_status 0
    cmp -s "$WORK/one.out" "$WORK/out" ||
        fail "sensitivity without a file on 2 ranks prints other results"
}

test_calibrate() {
    need_h5py
    same_as_one calibrate -q "$SCENARIOS/calibrate_2015.yaml" \
        --particles 200 --threads 1
    # a calibration continues in one process
    run mpi 2 calibrate -q "$SCENARIOS/calibrate_2015.yaml" \
        --resume "$WORK/none.h5.partial"
    expect_status 64
    expect_match err 'resume continues a calibration in one process'
}

test_sweep() {
    need_h5py
    # a sweep's file and table, and a solve's answer, as one process's
    same_as_one sweep -q "$SCENARIOS/plan.yaml" --runs 400 --threads 1 \
        --vary "incentive effect=1:3:3" --csv "$WORK/unused.csv" --force
    run "$PLANSIM" solve "$SCENARIOS/plan.yaml" --runs 400 --threads 1 \
        --target gdp_700 --probability 0.1 --lever "incentive effect" \
        --range 1:5
    expect_status 0
    cp "$WORK/out" "$WORK/solve.out"
    run mpi 3 solve "$SCENARIOS/plan.yaml" --runs 400 --threads 1 \
        --target gdp_700 --probability 0.1 --lever "incentive effect" \
        --range 1:5
    expect_status 0
    cmp -s "$WORK/solve.out" "$WORK/out" ||
        fail "solve on 3 ranks answers otherwise: $(diff "$WORK/solve.out" "$WORK/out")"
}

# rank_pid OUT RANK: the pid of that rank of the job writing OUT; empty
# until it has started.
rank_pid() {
    for p in $(pgrep -f -- "-o $1"); do
        if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
            grep -qx "OMPI_COMM_WORLD_RANK=$2"; then
            echo "$p"
            return
        fi
    done
}

# kill_rank_mid_run RANK OUT: starts a job of 3 ranks writing OUT and
# SIGKILLs that rank 1 s after the .partial appears (by then rank 0 has
# flushed it several times, at --flush-every 0.2); a job that ends
# before its kill is started again.
kill_rank_mid_run() {
    for attempt in 1 2 3; do
        rm -f "$2" "$2.partial"
        mpi 3 run -q "$SCENARIOS/plan.yaml" --runs $RUNS --threads 1 \
            --flush-every 0.2 -o "$2" >/dev/null 2>&1 &
        job=$!
        victim=
        for _ in $(seq 1 300); do
            [ -n "$victim" ] || victim=$(rank_pid "$2" "$1")
            [ -n "$victim" ] && [ -e "$2.partial" ] && break
            sleep 0.1
        done
        [ -n "$victim" ] || fail "rank $1 of the job never started"
        sleep 1
        if kill -KILL "$victim" 2>/dev/null; then
            wait "$job"
            break
        fi
        wait "$job"
        [ "$attempt" -lt 3 ] || fail "rank $1 ended before its kill, 3 times"
    done
    kept=$("$PLANSIM" summary "$2.partial" 2>&1 >/dev/null |
        sed -n 's/.* holds \([0-9]*\) of .*/\1/p' | head -n 1)
    echo "rank $1 killed: ${kept:-no} runs of $RUNS kept"
}

test_resume() {
    need_h5py
    # Interpreted, the runs last long enough to be killed in the middle.
    PLANSIM_ENGINE=interpreted
    export PLANSIM_ENGINE
    RUNS=40000
    run "$PLANSIM" run -q "$SCENARIOS/plan.yaml" --runs $RUNS --threads 2 \
        -o "$WORK/one.h5"
    expect_status 0
    for rank in 1 0; do
        out="$WORK/killed$rank.h5"
        kill_rank_mid_run "$rank" "$out"
        [ -e "$out.partial" ] || fail "killing rank $rank left no .partial"
        [ ! -e "$out" ] || fail "killing rank $rank left a whole file"
        run mpi 2 run -q "$SCENARIOS/plan.yaml" --runs $RUNS \
            --resume "$out.partial"
        expect_status 0
        [ ! -e "$out.partial" ] || fail "the resume left the .partial"
        check identical "$WORK/one.h5" "$out"
    done
}

test_errors() {
    # rank 0's error ends the job with its status; nothing is replaced
    run "$PLANSIM" run -q "$SCENARIOS/plan.yaml" --runs 50 -o "$WORK/e.h5"
    expect_status 0
    cksum "$WORK/e.h5" >"$WORK/before"
    run mpi 2 run -q "$SCENARIOS/plan.yaml" --runs 50 -o "$WORK/e.h5"
    expect_status 73
    expect_match err 'exists; --force replaces it'
    cksum "$WORK/e.h5" | cmp -s - "$WORK/before" || fail "e.h5 was changed"
    # a command that does not spread its runs runs once, on rank 0
    run "$PLANSIM" check "$SCENARIOS/../models/qianjiang/qianjiang.mdl"
    cp "$WORK/out" "$WORK/one.out"
    run mpi 3 check "$SCENARIOS/../models/qianjiang/qianjiang.mdl"
    expect_status 0
    cmp -s "$WORK/one.out" "$WORK/out" ||
        fail "check on 3 ranks prints other than once"
}

test_without_mpi() {
    # Built without MPI, started as one of several processes, plansim
    # refuses before it writes anything.
    for launcher in OMPI_COMM_WORLD_SIZE SLURM_STEP_NUM_TASKS; do
        run env "$launcher=3" "$PLANSIM" run -q "$SCENARIOS/plan.yaml" \
            --runs 10 -o "$WORK/w.h5"
        expect_status 64
        expect_match err "one of 3 processes \\($launcher\\).*without MPI"
        [ ! -e "$WORK/w.h5" ] && [ ! -e "$WORK/w.h5.partial" ] ||
            fail "a refused start left a file"
    done
    run env OMPI_COMM_WORLD_SIZE=1 "$PLANSIM" run -q "$SCENARIOS/plan.yaml" \
        --runs 10 -o "$WORK/w.h5"
    expect_status 0
}

case "$group" in
run | sensitivity | calibrate | sweep | resume | errors | without_mpi)
    "test_$group" ;;
*)
    echo "mpi_test.sh: unknown group '$group'" >&2
    exit 2 ;;
esac
expect_end "mpi $group"
