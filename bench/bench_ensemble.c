/*
 * plansim-bench: Monte Carlo ensembles through ps_ensemble_run, at 1 and
 * at 2 threads, into a sink that keeps nothing: runs per second, and the
 * speed-up of 2 threads over 1.  Each repetition is a whole ensemble
 * (thread start-up included); the two thread counts take turns, so that a
 * change in the machine's load hits both.  Every ensemble must reach the
 * sink whole and give the same values (the engine promises bit-identical
 * results at any thread count), or the benchmark prints FAIL.
 */
#include <stdio.h>
#include <unistd.h>

#include "bench_list.h"

#define MAX_REPS 16

typedef struct plan {
    size_t nruns;
    size_t reps;
} plan;

static const plan full_plan = {20000, 5};
static const plan quick_plan = {1000, 3};

/* One ensemble on `threads` threads: its ns, or -1 after a FAIL line.
   The checksum of its values goes to *checksum. */
static double run_once(const bench_mc *mc, size_t nruns, int threads,
                       uint64_t *checksum)
{
    ps_ensemble_spec spec = bench_mc_spec(mc, nruns, threads);
    bench_null_sink sink = {0};
    ps_ensemble_report rep;
    ps_error err;
    ps_error_clear(&err);
    double start = bench_now_ns();
    ps_status st =
        ps_ensemble_run(&spec, &bench_null_sink_type, &sink, &rep, &err);
    double ns = bench_now_ns() - start;
    if (st != PS_OK) {
        bench_fail(mc->model, "ensemble on %d threads: %s", threads,
                   err.message);
        return -1;
    }
    if (rep.failed > 0 || sink.received != nruns) {
        bench_fail(mc->model,
                   "ensemble on %d threads: %zu of %zu runs "
                   "received, %zu failed",
                   threads, sink.received, nruns, rep.failed);
        return -1;
    }
    *checksum = sink.checksum;
    return ns;
}

BENCH_IMPL(ensemble)
{
    const plan *pl = o->quick ? &quick_plan : &full_plan;
    bench_mc mc;
    if (bench_mc_open(o, BENCH_MC_SAVE_KEY, &mc) != 0)
        return 1;
    static const int threads[2] = {1, 2};
    double samples[2][MAX_REPS];
    uint64_t first = 0, sum;
    int rc = 1;
    /* Warm-up: the thread pool, the caches and the CPU clock. */
    for (int k = 0; k < 2; k++)
        if (run_once(&mc, pl->nruns, threads[k], &first) < 0)
            goto done;
    for (size_t r = 0; r < pl->reps; r++)
        for (int k = 0; k < 2; k++) {
            double ns = run_once(&mc, pl->nruns, threads[k], &sum);
            if (ns < 0)
                goto done;
            if (sum != first) {
                bench_fail(mc.model, "the ensemble's values differ between "
                                     "runs or thread counts");
                goto done;
            }
            samples[k][r] = ns / (double)pl->nruns;
        }
    bench_figure f1, f2;
    bench_summarize(samples[0], pl->reps, &f1);
    bench_summarize(samples[1], pl->reps, &f2);
    bench_row(mc.model,
              "1 thread %9.0f runs/s   2 threads %9.0f runs/s   speed-up "
              "2/1 %5.2fx   (%zu runs of %zu variables x %zu times saved, "
              "%d inputs; %ld cores online; spread %.0f%%, %.0f%%)",
              1e9 / f1.ns, 1e9 / f2.ns, f1.ns / f2.ns, pl->nruns, mc.nsave,
              mc.ntimes, BENCH_MC_NINPUTS, sysconf(_SC_NPROCESSORS_ONLN),
              100 * f1.spread, 100 * f2.spread);
    rc = 0;
done:
    bench_mc_close(&mc);
    return rc;
}
