/*
 * Column statistics in bounded memory: the mean, sd and type-7 quantiles
 * of many columns whose values are fed in passes, block after block, and
 * never held whole (ps_colstats in plansim/stats.h).
 *
 * Pass 1 counts, sums and keeps the minimum and maximum of each column,
 * holding its values as long as there are at most `hold` of them; a column
 * held whole is finished with ps_stats_mean_sd and selection, as if it had
 * been given at once.  A longer one needs more passes:
 *   - the sum of squared deviations from the mean (pass 2), in feeding
 *     order, so the sd equals ps_stats_mean_sd's bit for bit;
 *   - for each order statistic a quantile needs (rank k), an interval
 *     [lo, hi] of values known to hold it, with the count of values below
 *     lo.  A pass over a wide interval counts its values in BINS bins of
 *     equal width (the bin index is monotone in the value, so each bin is
 *     itself an interval, from its smallest to its largest value) and
 *     narrows to the bin holding rank k; an interval of at most COLLECT
 *     values is gathered whole in the next pass and the rank selected in
 *     it.  An interval whose ends are equal is the answer.
 * Each interval at least loses its largest or smallest distinct value per
 * pass, so this ends; on smooth data, pass 2 narrows a million values to
 * a few hundred and pass 3 collects them.  Ranks in the same interval
 * share its histogram.  The order statistics are exact, so the quantiles
 * equal those of the sorted column bit for bit.
 */
#include "plansim/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats_impl.h"

#define BINS 4096
#define COLLECT 4096

typedef enum { T_HIST, T_COLLECT, T_DONE } target_mode;

typedef struct target {
    size_t rank; /* the order statistic sought (0-based) */
    target_mode mode;
    double lo, hi; /* its interval                          */
    size_t below;  /* values below lo                       */
    size_t inside; /* values in [lo, hi]                    */
    int shared;    /* index of the target whose histogram it uses */
    size_t *count; /* BINS counts (T_HIST, owner only)      */
    double *bmin, *bmax;
    double *got; /* T_COLLECT: the values, `inside` of them */
    size_t ngot;
    double value; /* T_DONE                                */
} target;

typedef struct column {
    size_t count;
    double sum, mean, ss, sd;
    double min, max;
    double *held;
    size_t nheld;
    int overflow; /* more than `hold` values                */
    int done;
    size_t ntargets;
    target t[STATS_MAX_RANKS];
    double tw[STATS_MAX_RANKS / 2]; /* type-7 weights per level       */
    double q[STATS_MAX_RANKS / 2];
} column;

struct ps_colstats {
    size_t ncols, np, hold;
    double p[STATS_MAX_RANKS / 2];
    unsigned pass; /* passes begun */
    column *c;
};

ps_colstats *ps_colstats_new(size_t ncols, const double *p, size_t np,
                             size_t hold)
{
    if (np > STATS_MAX_RANKS / 2 || (np && !p))
        return NULL;
    ps_colstats *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->c = calloc(ncols ? ncols : 1, sizeof *s->c);
    if (!s->c) {
        free(s);
        return NULL;
    }
    s->ncols = ncols;
    s->np = np;
    s->hold = hold;
    for (size_t k = 0; k < np; k++)
        s->p[k] = p[k];
    for (size_t i = 0; i < ncols; i++) {
        s->c[i].min = INFINITY;
        s->c[i].max = -INFINITY;
    }
    return s;
}

static void target_free(target *t)
{
    free(t->count);
    free(t->bmin);
    free(t->bmax);
    free(t->got);
    t->count = NULL;
    t->bmin = t->bmax = t->got = NULL;
}

void ps_colstats_free(ps_colstats **s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < (*s)->ncols; i++) {
        column *c = &(*s)->c[i];
        free(c->held);
        for (size_t k = 0; k < c->ntargets; k++)
            target_free(&c->t[k]);
    }
    free((*s)->c);
    free(*s);
    *s = NULL;
}

/* The column's results from its values held whole. */
static void finish_held(const ps_colstats *s, column *c)
{
    ps_stats_mean_sd(c->held, c->nheld, &c->mean, &c->sd, NULL);
    ps_stats_quantiles(c->held, c->nheld, s->p, s->np, c->q, c->held);
    free(c->held);
    c->held = NULL;
    c->done = 1;
}

/* Sets up the column's targets after pass 1 (count > hold). */
static int plan_targets(const ps_colstats *s, column *c)
{
    free(c->held);
    c->held = NULL;
    c->mean = c->sum / (double)c->count;
    size_t nr = 0;
    for (size_t k = 0; k < s->np; k++) {
        size_t lo, hi;
        if (!(s->p[k] >= 0.0 && s->p[k] <= 1.0)) {
            c->tw[k] = NAN;
            continue;
        }
        stats_type7_ranks(c->count, s->p[k], &lo, &hi, &c->tw[k]);
        c->t[nr++].rank = lo;
        c->t[nr++].rank = hi;
    }
    c->ntargets = nr;
    for (size_t k = 0; k < nr; k++) {
        target *t = &c->t[k];
        t->lo = c->min;
        t->hi = c->max;
        t->below = 0;
        t->inside = c->count;
        t->mode = c->min == c->max ? T_DONE : T_HIST;
        t->value = c->min;
    }
    return 0;
}

/* Decides, before a pass, what each target does in it and which share a
   histogram; -1 on no memory. */
static int prepare_targets(column *c)
{
    for (size_t k = 0; k < c->ntargets; k++) {
        target *t = &c->t[k];
        t->shared = (int)k;
        if (t->mode == T_DONE)
            continue;
        if (t->inside <= COLLECT) {
            t->mode = T_COLLECT;
            t->ngot = 0;
            t->got = malloc((t->inside ? t->inside : 1) * sizeof *t->got);
            if (!t->got)
                return -1;
            continue;
        }
        t->mode = T_HIST;
        for (size_t j = 0; j < k; j++) {
            target *o = &c->t[j];
            if (o->mode == T_HIST && o->shared == (int)j && o->lo == t->lo &&
                o->hi == t->hi) {
                t->shared = (int)j;
                break;
            }
        }
        if (t->shared != (int)k)
            continue;
        t->count = calloc(BINS, sizeof *t->count);
        t->bmin = malloc(BINS * sizeof *t->bmin);
        t->bmax = malloc(BINS * sizeof *t->bmax);
        if (!t->count || !t->bmin || !t->bmax)
            return -1;
        for (size_t b = 0; b < BINS; b++) {
            t->bmin[b] = INFINITY;
            t->bmax[b] = -INFINITY;
        }
    }
    return 0;
}

int ps_colstats_begin_pass(ps_colstats *s)
{
    int more = 0;
    s->pass++;
    for (size_t i = 0; i < s->ncols; i++) {
        column *c = &s->c[i];
        if (c->done)
            continue;
        if (s->pass > 1 && prepare_targets(c) < 0)
            return -1;
        more = 1;
    }
    return more || s->pass == 1;
}

/* The bin of v in [lo, hi] (lo < hi): monotone in v.  Halves keep the
   width finite whatever the ends. */
static size_t bin_of(double v, double lo, double hi)
{
    const double w = hi * 0.5 - lo * 0.5;
    double f = (v * 0.5 - lo * 0.5) / w * (double)BINS;
    if (!(f > 0.0))
        return 0;
    return f >= (double)(BINS - 1) ? BINS - 1 : (size_t)f;
}

static void feed_pass1(const ps_colstats *s, column *c, const double *x,
                       size_t n)
{
    for (size_t r = 0; r < n; r++) {
        const double v = x[r];
        if (!isfinite(v))
            continue;
        c->count++;
        c->sum += v;
        if (v < c->min)
            c->min = v;
        if (v > c->max)
            c->max = v;
        if (c->overflow)
            continue;
        if (c->nheld == s->hold) {
            c->overflow = 1;
            free(c->held);
            c->held = NULL;
            continue;
        }
        if (!c->held) {
            c->held = malloc((s->hold ? s->hold : 1) * sizeof *c->held);
            if (!c->held) {
                /* counted as too many to hold: more passes, no memory */
                c->overflow = 1;
                continue;
            }
        }
        c->held[c->nheld++] = v;
    }
}

static void feed_targets(column *c, const double *x, size_t n, int first)
{
    for (size_t r = 0; r < n; r++) {
        const double v = x[r];
        if (!isfinite(v))
            continue;
        if (first)
            c->ss += (v - c->mean) * (v - c->mean);
        for (size_t k = 0; k < c->ntargets; k++) {
            target *t = &c->t[k];
            if (t->mode == T_DONE || v < t->lo || v > t->hi)
                continue;
            if (t->mode == T_COLLECT) {
                if (t->ngot < t->inside)
                    t->got[t->ngot++] = v;
                continue;
            }
            if (t->shared != (int)k)
                continue;
            size_t b = bin_of(v, t->lo, t->hi);
            t->count[b]++;
            if (v < t->bmin[b])
                t->bmin[b] = v;
            if (v > t->bmax[b])
                t->bmax[b] = v;
        }
    }
}

void ps_colstats_feed(ps_colstats *s, size_t col, const double *x, size_t n)
{
    column *c = &s->c[col];
    if (c->done)
        return;
    if (s->pass == 1)
        feed_pass1(s, c, x, n);
    else
        feed_targets(c, x, n, s->pass == 2);
}

/* After a pass: narrows or settles every target of the column. */
static void settle_targets(column *c)
{
    for (size_t k = 0; k < c->ntargets; k++) {
        target *t = &c->t[k];
        if (t->mode == T_COLLECT) {
            t->value = stats_select(t->got, t->ngot, t->rank - t->below);
            t->mode = T_DONE;
            continue;
        }
        if (t->mode != T_HIST)
            continue;
        const target *h = &c->t[t->shared];
        size_t below = t->below, b = 0;
        while (b < BINS - 1 && below + h->count[b] <= t->rank)
            below += h->count[b++];
        t->below = below;
        t->inside = h->count[b];
        t->lo = h->bmin[b];
        t->hi = h->bmax[b];
        if (t->lo == t->hi) {
            t->value = t->lo;
            t->mode = T_DONE;
        }
    }
    /* the histograms are read: free them (owners last, as others read
       theirs above) */
    for (size_t k = 0; k < c->ntargets; k++)
        target_free(&c->t[k]);
}

static void finish_targets(const ps_colstats *s, column *c)
{
    for (size_t k = 0; k < c->ntargets; k++)
        if (c->t[k].mode != T_DONE)
            return;
    size_t r = 0;
    for (size_t k = 0; k < s->np; k++) {
        if (isnan(c->tw[k])) {
            c->q[k] = NAN;
            continue;
        }
        const double a = c->t[r].value, b = c->t[r + 1].value;
        c->q[k] = c->t[r].rank == c->t[r + 1].rank
                      ? a
                      : stats_type7_lerp(a, b, c->tw[k]);
        r += 2;
    }
    c->sd = c->count > 1 ? sqrt(c->ss / (double)(c->count - 1)) : NAN;
    c->done = 1;
}

void ps_colstats_end_pass(ps_colstats *s, size_t col)
{
    column *c = &s->c[col];
    if (c->done)
        return;
    if (s->pass == 1) {
        if (!c->overflow) {
            finish_held(s, c);
            return;
        }
        plan_targets(s, c);
        return;
    }
    settle_targets(c);
    finish_targets(s, c);
}

void ps_colstats_result(const ps_colstats *s, size_t col, double *mean,
                        double *sd, size_t *count, double *q)
{
    const column *c = &s->c[col];
    if (mean)
        *mean = c->done && c->count ? c->mean : NAN;
    if (sd)
        *sd = c->done ? c->sd : NAN;
    if (count)
        *count = c->count;
    for (size_t k = 0; q && k < s->np; k++)
        q[k] = c->done && c->count ? c->q[k] : NAN;
}
