#!/bin/sh
# Tests of the Slurm batch script (scripts/slurm/plansim.sbatch) on a
# one-node Slurm cluster started for the test (local_cluster.sh), one group
# per CTest test:  slurm_test.sh GROUP
#   ensemble   a job's ensemble of the flagship, and its Sobol' analysis,
#              are the file (and indices) one process makes, run with
#              the job's CPUs as threads
#   requeue    a job told its time limit is near (USR1) stops, requeues
#              itself and finishes the same file
#   resubmit   a job cancelled (SIGTERM) leaves its .partial; the same
#              job submitted again finishes the same file
#   outside    the script outside Slurm: without -o it refuses (64); with
#              PLANSIM_SRUN empty it runs plansim itself, and finishes
#              a .partial it finds
# Skipped (77) when the cluster cannot run: not root, Slurm or munge not
# installed, a daemon that does not start; or Python cannot read HDF5.
# Environment (set by tests/slurm/CMakeLists.txt):
#   PLANSIM    the plansim binary
#   SBATCH     the batch script
#   ROOT       the repository (scenarios/, tests/scenarios/cases/)
#   CHECK      tests/scenarios/check_ensemble.py
#   PYTHON     Debian's python3 with h5py, xarray and numpy
#   WORK_BASE  a folder where each run makes its scratch folder
set -u

group=${1:?usage: slurm_test.sh GROUP}
: "${PLANSIM:?}" "${SBATCH:?}" "${ROOT:?}" "${CHECK:?}" "${PYTHON:?}" \
    "${WORK_BASE:?}"
here=$(cd "$(dirname "$0")" && pwd)

. "$here/../support/expect.sh"
. "$here/local_cluster.sh"
expect_begin "slurm-$group"

skip() {
    echo "skipped: $*"
    exit 77
}


# The cluster in a short private folder (munge's socket path must fit in
# 108 bytes), stopped and removed on exit, and by a guard should the test
# be killed.
start_cluster() {
    cluster_can_run
    "$PYTHON" -c 'import h5py, numpy, xarray' 2>/dev/null ||
        skip "h5py, numpy or xarray missing"
    cluster=$(mktemp -d "${TMPDIR:-/tmp}/plansim-slurm.XXXXXX") || exit 1
    trap 'cluster_stop; rm -rf "$WORK" "$cluster"' EXIT
    CLUSTER_DIR=$cluster
    cluster_guard "$here/local_cluster.sh" $$
    cluster_start "$cluster"
    cpus=$(nproc)
    [ "$cpus" -gt 2 ] && cpus=2
}

# job_field JOB FIELD: a field of `scontrol show job` (JobState, ExitCode,
# Restarts).
job_field() {
    scontrol show job "$1" 2>/dev/null | tr ' ' '\n' |
        sed -n "s/^$2=//p" | head -n 1
}

# wait_job JOB SECONDS: true when JOB ended (any final state) in time.
wait_job() {
    i=0
    while [ "$i" -lt $(($2 * 4)) ]; do
        case $(job_field "$1" JobState) in
        COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY)
            return 0
            ;;
        esac
        sleep 0.25
        i=$((i + 1))
    done
    return 1
}

# wait_partial FILE: until FILE.partial exists and its job has run half a
# second further (the runs it holds are written every 0.2 s).
wait_partial() {
    i=0
    while [ ! -e "$1.partial" ] && [ "$i" -lt 400 ]; do
        sleep 0.05
        i=$((i + 1))
    done
    [ -e "$1.partial" ] || fail "no $1.partial after 20 s"
    sleep 0.5
}

# A plansim that notes its threads and arguments, to see what the script
# ran.
wrap_plansim() {
    cat >"$WORK/plansim" <<EOF
#!/bin/sh
echo "OMP_NUM_THREADS=\$OMP_NUM_THREADS \$*" >>"$WORK/calls"
exec "$PLANSIM" "\$@"
EOF
    chmod +x "$WORK/plansim"
}

test_ensemble() {
    start_cluster
    wrap_plansim
    cd "$WORK" || exit 1
    # (not sbatch --wait, which looks at the job every few seconds only)
    # two tasks, ranks 0 and 1 of plansim's MPI job, a CPU each
    job=$(PLANSIM="$WORK/plansim" sbatch --parsable -n 2 \
        --ntasks-per-node=2 -c 1 -o job.log "$SBATCH" run \
        "$ROOT/scenarios/plan.yaml" -n 200 -o slurm.h5) ||
        fail "sbatch refused the job"
    wait_job "$job" 120 || fail "job $job did not end within 120 s"
    [ "$(job_field "$job" JobState)" = COMPLETED ] ||
        fail "job $job ended $(job_field "$job" JobState)"
    [ "$(job_field "$job" ExitCode)" = 0:0 ] ||
        fail "job $job: exit code $(job_field "$job" ExitCode)"
    grep -q "plansim run: 200 runs written to slurm.h5" job.log ||
        fail "the job's log does not say the file was written:" \
            "$(tail -n 5 job.log)"
    [ "$(grep -cx "OMP_NUM_THREADS=1 run --threads 1 .*-n 200 -o slurm.h5" \
        calls)" -eq 2 ] || fail "plansim ran as: $(cat calls)"
    [ -e slurm.h5.partial ] && fail "a finished job left slurm.h5.partial"
    run "$PLANSIM" run -q "$ROOT/scenarios/plan.yaml" -n 200 --threads 1 \
        -o one.h5
    expect_status 0
    [ -e slurm.h5 ] && check identical one.h5 slurm.h5
    # Submitted again, the job refuses to replace the file (plansim's 73).
    again=$(sbatch --parsable -n 1 -o again.log "$SBATCH" run \
        "$ROOT/scenarios/plan.yaml" -n 200 -o slurm.h5)
    wait_job "$again" 120 || fail "job $again did not end within 120 s"
    [ "$(job_field "$again" JobState)" = FAILED ] ||
        fail "a second job ended $(job_field "$again" JobState)," \
            "not refusing to replace slurm.h5"
    grep -q "slurm.h5.*exists" again.log ||
        fail "the second job's log: $(cat again.log)"
    # A Sobol' analysis: the file and the indices of one process.
    set -- sensitivity "$ROOT/scenarios/plan.yaml" -N 8 \
        --of 'gdp nominal@2030' -q
    sens=$(sbatch --parsable -n 2 --ntasks-per-node=2 -c 1 -o sens.out \
        -e sens.err "$SBATCH" "$@" -o sens.h5) ||
        fail "sbatch refused the analysis"
    wait_job "$sens" 120 || fail "job $sens did not end within 120 s"
    [ "$(job_field "$sens" JobState)" = COMPLETED ] ||
        fail "the analysis ended $(job_field "$sens" JobState):" \
            "$(cat sens.err)"
    run "$PLANSIM" "$@" --threads 1 -o one-sens.h5
    expect_status 0
    grep -q "^gdp nominal@2030" "$WORK/out" ||
        fail "no indices printed: $(cat "$WORK/out")"
    cmp -s sens.out "$WORK/out" || fail "the job printed other indices:" \
        "$(diff sens.out "$WORK/out")"
    [ -e sens.h5 ] && check identical one-sens.h5 sens.h5
}

# The interrupted job's ensemble: an interpreted model of many short
# runs, to last seconds on one thread and be stopped midway.
slow_scenario=$ROOT/tests/scenarios/cases/resume.yaml
slow_runs=3000
slow_job() {
    PLANSIM_ENGINE=interpreted sbatch --parsable -n 2 --ntasks-per-node=2 \
        -c 1 -o "$1.log" \
        "$SBATCH" run "$slow_scenario" -n "$slow_runs" -o "$1.h5" \
        --flush-every 0.2
}

# interrupted LOG: the runs the job's log says it had when stopped.
interrupted() {
    sed -n 's/^plansim run: interrupted after \([0-9]*\) runs.*/\1/p' "$1" |
        head -n 1
}

# finished_like_one_process NAME: NAME.h5 is complete and identical to
# the same ensemble run in one process.
finished_like_one_process() {
    [ -e "$1.h5.partial" ] && fail "the job left $1.h5.partial"
    [ -e "$1.h5" ] || fail "the job left no $1.h5"
    run "$PLANSIM" run -q "$slow_scenario" -n "$slow_runs" --threads 2 \
        -o "$WORK/whole.h5"
    expect_status 0
    [ -e "$1.h5" ] && check identical "$WORK/whole.h5" "$1.h5"
}

test_requeue() {
    start_cluster
    cd "$WORK" || exit 1
    job=$(slow_job r) || fail "sbatch refused the job"
    wait_partial r.h5
    [ "$(job_field "$job" JobState)" = RUNNING ] ||
        fail "job $job ended before it could be stopped"
    # What --signal=B:USR1@SECONDS sends when the time limit is near.
    scancel --signal=USR1 --batch "$job"
    wait_job "$job" 120 || fail "job $job did not end within 120 s"
    [ "$(job_field "$job" JobState)" = COMPLETED ] ||
        fail "job $job ended $(job_field "$job" JobState)"
    [ "$(job_field "$job" Restarts)" = 1 ] ||
        fail "job $job restarted $(job_field "$job" Restarts) times, not once"
    n=$(interrupted r.log)
    [ -n "$n" ] && [ "$n" -lt "$slow_runs" ] ||
        fail "the job was not stopped midway: $(cat r.log)"
    echo "stopped after $n runs, requeued"
    grep -q '^plansim.sbatch: resuming r.h5.partial (restart 1)$' r.log ||
        fail "the requeued job did not resume: $(cat r.log)"
    finished_like_one_process r
}

test_resubmit() {
    start_cluster
    cd "$WORK" || exit 1
    job=$(slow_job c) || fail "sbatch refused the job"
    wait_partial c.h5
    # Slurm's SIGTERM to every process of the job, as at a time limit.
    scancel "$job"
    wait_job "$job" 60 || fail "job $job did not end within 60 s"
    [ "$(job_field "$job" JobState)" = CANCELLED ] ||
        fail "job $job ended $(job_field "$job" JobState)"
    [ -e c.h5.partial ] || fail "the cancelled job left no c.h5.partial"
    n=$(interrupted c.log)
    [ -n "$n" ] && [ "$n" -lt "$slow_runs" ] ||
        fail "plansim did not write its runs when cancelled: $(cat c.log)"
    echo "cancelled after $n runs"
    again=$(slow_job c) || fail "sbatch refused the second job"
    wait_job "$again" 120 || fail "job $again did not end within 120 s"
    [ "$(job_field "$again" JobState)" = COMPLETED ] ||
        fail "job $again ended $(job_field "$again" JobState)"
    grep -q '^plansim.sbatch: resuming c.h5.partial (restart 0)$' c.log ||
        fail "the second job did not resume: $(cat c.log)"
    finished_like_one_process c
}

test_outside() {
    cd "$WORK" || exit 1
    run sh "$SBATCH" run "$ROOT/scenarios/plan.yaml" -n 10
    expect_status 64
    expect_match err '^plansim.sbatch: usage: '
    [ -e plan.h5 ] && fail "the script ran plansim without -o"
    run sh "$SBATCH"
    expect_status 64
    # Without a launcher: plansim itself, on one thread.
    wrap_plansim
    run env PLANSIM="$WORK/plansim" PLANSIM_SRUN= sh "$SBATCH" run \
        "$ROOT/scenarios/plan.yaml" -n 50 -o direct.h5
    expect_status 0
    grep -qx "OMP_NUM_THREADS=1 run --threads 1 .*-n 50 -o direct.h5" calls ||
        fail "plansim ran as: $(cat calls)"
    # Stopped by SIGTERM to all its processes, as Slurm stops a job, and
    # run again: the .partial is finished.
    PLANSIM_ENGINE=interpreted PLANSIM_SRUN='' setsid sh "$SBATCH" run \
        "$slow_scenario" -n "$slow_runs" -o cut.h5 --flush-every 0.2 \
        >cut.log 2>&1 &
    pid=$!
    wait_partial cut.h5
    kill -TERM "-$pid"
    wait "$pid"
    status=$?
    what="the script stopped by SIGTERM"
    expect_status 130
    n=$(interrupted cut.log)
    [ -n "$n" ] || fail "plansim did not write its runs when stopped:" \
        "$(cat cut.log)"
    run env PLANSIM_ENGINE=interpreted PLANSIM_SRUN= sh "$SBATCH" run \
        "$slow_scenario" -n "$slow_runs" -o cut.h5
    expect_status 0
    expect_line err "plansim.sbatch: resuming cut.h5.partial (restart 0)"
    finished_like_one_process cut
}

case $group in
ensemble | requeue | resubmit | outside) "test_$group" ;;
*)
    echo "slurm_test.sh: unknown group $group" >&2
    exit 64
    ;;
esac
expect_end "slurm-$group"
