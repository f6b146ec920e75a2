#!/bin/sh
# The MPI build of plansim on this machine: the flagship ensemble
# (scenarios/plan.yaml) as jobs of 1, 2 and 4 ranks, one thread each
# (mpirun --oversubscribe where the ranks outnumber the cores), in
# interleaved rounds (1, 2, 4, 1, 2, 4, ...) so that a busy moment of the
# machine falls on every size.  Prints, per size, the median wall time,
# runs per second and their ratio to one rank, the load imbalance between
# the computing ranks (the busiest one's model time over the mean, less
# one) and the bytes rank 0 receives per run; then a projection to 64
# nodes from what one rank measured: its start-up, its serial time per
# run (the summary, on rank 0), the thread time
# per run (inputs and model, which the computing ranks share) and the
# writer's time per run, with the values crossing rank 0's link.
#
#   bench/ranks.sh [--plansim PATH] [--runs N] [--rounds R]
#                  [--cores-per-node C] [--link-gbit G] [--heavier K]
#
# Defaults: build-mpi/cli/plansim, 100000 runs, 3 rounds, 32 cores per
# node and a 100 Gbit/s link (EDR InfiniBand's rate): the projection's
# two assumptions, printed with it.  The projection is made for the
# flagship and for a model K (default 100) times slower per run with the
# same output, such as one with adaptive steps.  Files go to a new folder under
# $TMPDIR (or /tmp), removed at the end.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
plansim=$root/build-mpi/cli/plansim
runs=100000
rounds=3
cores=32
link_gbit=100
heavier=100
while [ $# -gt 0 ]; do
    case $1 in
    --plansim) plansim=$2 ;;
    --runs) runs=$2 ;;
    --rounds) rounds=$2 ;;
    --cores-per-node) cores=$2 ;;
    --link-gbit) link_gbit=$2 ;;
    --heavier) heavier=$2 ;;
    *)
        echo "usage: bench/ranks.sh [--plansim PATH] [--runs N] [--rounds R]" \
            "[--cores-per-node C] [--link-gbit G] [--heavier K]" >&2
        exit 64 ;;
    esac
    shift 2
done
"$plansim" --version | grep -q 'with MPI' || {
    echo "bench/ranks.sh: $plansim is not built with MPI (-DPLANSIM_MPI=ON)" >&2
    exit 64
}
work=$(mktemp -d "${TMPDIR:-/tmp}/plansim-ranks.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Open MPI refuses root unless told; a bench as root is no risk.
OMPI_ALLOW_RUN_AS_ROOT=1
OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
PLANSIM_CACHE_DIR=$work/cache
export OMPI_ALLOW_RUN_AS_ROOT OMPI_ALLOW_RUN_AS_ROOT_CONFIRM PLANSIM_CACHE_DIR

now() { date +%s.%N; }

# job RANKS RUNS: one timed job; appends "RANKS WALL TIMINGS..." to
# $work/results.
job() {
    rm -f "$work/r.h5"
    t0=$(now)
    if ! mpirun --oversubscribe -n "$1" "$plansim" run -q \
        "$root/scenarios/plan.yaml" --runs "$2" --threads 1 --timings \
        -o "$work/r.h5" >/dev/null 2>"$work/timings"; then
        echo "bench/ranks.sh: the job of $1 ranks failed:" >&2
        cat "$work/timings" >&2
        exit 1
    fi
    t1=$(now)
    awk -v n="$1" -v wall="$(echo "$t1 - $t0" | bc -l)" '
        /^timings: inputs/ { gsub(",", ""); inputs = $3; model = $6
                             writing = $12; summary = $15 }
        /workers, imbalance/ { gsub(",", ""); imb = $5; bytes = $7 }
        END { printf "%s %.4f %s %s %s %s %s %s\n", n, wall, inputs, model,
                     writing, summary, imb + 0, bytes + 0 }' \
        "$work/timings" >>"$work/results"
}

echo "# ranks: the flagship, $runs runs, one thread per rank, $rounds interleaved rounds;" \
    "$(nproc) cores online, load $(cut -d' ' -f1 /proc/loadavg)"
job 1 100 # the model built into the cache, and the start-up measured
mv "$work/results" "$work/startup"
for _ in $(seq 1 "$rounds"); do
    for n in 1 2 4; do
        job "$n" "$runs"
    done
done
echo "# load at the end $(cut -d' ' -f1 /proc/loadavg)"

# medians per size, then the table and the projection
awk -v runs="$runs" -v cores="$cores" -v gbit="$link_gbit" -v heavier="$heavier" \
    -v startup="$(awk '{ print $2 }' "$work/startup")" '
function median(a, k,   i, j, t) {
    for (i = 2; i <= k; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
        }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
{
    k = ++count[$1]
    wall[$1, k] = $2; inputs[$1, k] = $3; model[$1, k] = $4
    writing[$1, k] = $5; summary[$1, k] = $6; imb[$1, k] = $7
    bytes[$1, k] = $8
}
END {
    for (n = 1; n <= 4; n *= 2) {
        k = count[n]
        for (i = 1; i <= k; i++) {
            w[i] = wall[n, i]; p[i] = inputs[n, i] + model[n, i]
            x[i] = writing[n, i]; im[i] = imb[n, i]; b[i] = bytes[n, i]
            su[i] = summary[n, i]
        }
        W[n] = median(w, k); P[n] = median(p, k); X[n] = median(x, k)
        S[n] = median(su, k)
        I[n] = median(im, k); B[n] = median(b, k)
    }
    for (n = 1; n <= 4; n *= 2)
        printf "ranks %d  workers %d  wall %7.2f s  %8.0f runs/s  ratio to 1 rank %5.2fx  imbalance %5.1f %%  %5.0f bytes/run to rank 0\n",
            n, n == 1 ? 1 : n - 1, W[n], runs / W[n], W[1] / W[n],
            n == 1 ? 0 : I[n], n == 1 ? 0 : B[n]
    # one rank: thread time p, writer time x and serial time s per run
    p1 = P[1] / runs; x1 = X[1] / runs
    s1 = S[1] / runs
    link = B[2] / (gbit * 1e9 / 8)          # seconds per run on the link
    x1g = x1; s1g = s1; linkg = link
    printf "serial   start-up %.2f s, then per run: serial %.2f us, thread time %.2f us, writer %.2f us, link %.3f us\n",
        startup, 1e6 * s1, 1e6 * p1, 1e6 * x1, 1e6 * link
    M = 1000000
    project("the flagship", p1)
    project("a model " heavier "x the flagship'"'"'s thread time per run", heavier * p1)
}
# project(WHAT, P): 1M runs of thread time P per run on 1 to 64 nodes
function project(what, p1,   nsizes, sizes, z, nodes, comp, feed, t, t1) {
    nsizes = split("1 2 4 8 16 64", sizes, " ")
    for (z = 1; z <= nsizes; z++) {
        nodes = sizes[z]
        # one rank per node; rank 0 writes and the other nodes compute,
        # except on one node, where one process does both
        comp = nodes == 1 ? cores : (nodes - 1) * cores
        feed = nodes == 1 ? x1g : x1g + linkg
        t = startup + M * s1g + (M * p1 / comp > M * feed ? M * p1 / comp : M * feed)
        if (nodes == 1) t1 = t
        printf "project  %2d nodes x %d cores  1M runs in %8.1f s  %8.0f runs/s  speed-up %5.2fx  (%s: %s)\n",
            nodes, cores, t, M / t, t1 / t, what,
            (M * p1 / comp > M * feed ? "computing bound" : "writer bound")
    }
}' "$work/results"
