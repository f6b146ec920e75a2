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

/* Units per call for about one repetition of `work`; the calibration's
   time is added to *spent.  0 or -1. */
static int calibrate(const plan *pl, bench_work_fn work, void *ctx,
                     size_t *per_rep, double *spent)
{
    double t;
    size_t n = 1;
    for (;;) {
        if ((t = work(ctx, n)) < 0)
            return -1;
        *spent += t;
        if (t >= pl->rep_ns / 8 || n >= ((size_t)1 << 40))
            break;
        n *= 2;
    }
    double units = ceil((double)n * pl->rep_ns / fmax(t, 1));
    *per_rep = units < 1 ? 1 : (size_t)units;
    return 0;
}

int bench_measure_interleaved(const bench_options *o, size_t k,
                              bench_work_fn const work[], void *const ctx[],
                              bench_interleaved *out)
{
    const plan *pl = o->quick ? &quick_plan : &full_plan;
    size_t per_rep[BENCH_MAX_CONTENDERS];
    double samples[BENCH_MAX_CONTENDERS][MAX_REPS], ratios[MAX_REPS];
    size_t rounds = o->quick ? pl->reps : 2 * pl->reps + 1;
    if (k < 2 || k > BENCH_MAX_CONTENDERS)
        return -1;
    if (rounds > MAX_REPS)
        rounds = MAX_REPS;
    for (size_t i = 0; i < k; i++) {
        double spent = 0, t;
        if (calibrate(pl, work[i], ctx[i], &per_rep[i], &spent) != 0)
            return -1;
        while (spent < pl->warmup_ns / 2) {
            if ((t = work[i](ctx[i], per_rep[i])) < 0)
                return -1;
            spent += t;
        }
    }
    for (size_t r = 0; r < rounds; r++)
        for (size_t i = 0; i < k; i++) {
            double t = work[i](ctx[i], per_rep[i]);
            if (t < 0)
                return -1;
            samples[i][r] = t / (double)per_rep[i];
        }
    out->rounds = rounds;
    for (size_t i = 0; i < k; i++) {
        for (size_t r = 0; r < rounds; r++)
            ratios[r] = samples[i][r] / fmax(samples[k - 1][r], 1e-9);
        qsort(ratios, rounds, sizeof *ratios, by_value);
        out->ratio[i] = quantile(ratios, rounds, 0.5);
        bench_summarize(samples[i], rounds, &out->fig[i]);
        out->min_ns[i] = samples[i][0]; /* sorted by bench_summarize */
    }
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
