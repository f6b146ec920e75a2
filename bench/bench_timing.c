/*
 * plansim-bench: the clock and the median of timed repetitions.
 *
 * A figure is measured in three phases: calibration (double the units per
 * call until one call lasts an eighth of a repetition), warm-up (caches,
 * branch predictors and the CPU clock settle), then the repetitions, each
 * of the same number of units.  The figure is the median over repetitions
 * of ns per unit: unlike the mean it ignores the few repetitions that a
 * busy machine interrupts.  The spread (interquartile range over median)
 * tells how busy the machine was.
 */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

/* How long each phase lasts, in ns of measured work. */
typedef struct plan {
    double warmup_ns;
    double rep_ns;
    size_t reps;
} plan;

/* About 0.5 s per figure, or a few ms for a smoke run. */
static const plan full_plan = {50e6, 30e6, 15};
static const plan quick_plan = {1e6, 2e6, 3};

#define MAX_REPS 64

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The value at quantile q of the sorted v[0..n), by linear interpolation
   between the nearest ranks. */
static double quantile(const double *v, size_t n, double q)
{
    double pos = q * (double)(n - 1);
    size_t i = (size_t)pos;
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (v[i + 1] - v[i]) * (pos - (double)i);
}

int bench_measure(const bench_options *o, bench_work_fn work, void *ctx,
                  bench_figure *fig)
{
    const plan *pl = o->quick ? &quick_plan : &full_plan;
    double spent = 0, t;
    size_t n = 1;
    for (;;) {
        if ((t = work(ctx, n)) < 0)
            return -1;
        spent += t;
        if (t >= pl->rep_ns / 8 || n >= ((size_t)1 << 40))
            break;
        n *= 2;
    }
    /* Units per repetition, from the last calibration call. */
    double units = ceil((double)n * pl->rep_ns / fmax(t, 1));
    size_t per_rep = units < 1 ? 1 : (size_t)units;
    while (spent < pl->warmup_ns) {
        if ((t = work(ctx, per_rep)) < 0)
            return -1;
        spent += t;
    }
    double samples[MAX_REPS];
    size_t nreps = pl->reps < MAX_REPS ? pl->reps : MAX_REPS;
    for (size_t r = 0; r < nreps; r++) {
        if ((t = work(ctx, per_rep)) < 0)
            return -1;
        samples[r] = t / (double)per_rep;
    }
    bench_summarize(samples, nreps, fig);
    return 0;
}

void bench_summarize(double *samples, size_t n, bench_figure *fig)
{
    qsort(samples, n, sizeof *samples, by_value);
    fig->ns = quantile(samples, n, 0.5);
    fig->spread = fig->ns > 0 ? (quantile(samples, n, 0.75) -
                                 quantile(samples, n, 0.25)) /
                                    fig->ns
                              : 0;
    fig->reps = n;
}
