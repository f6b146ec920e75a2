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
 * Pass 1 already bins: when a column outgrows `hold`, the values it held
 * (SAMPLE_MIN or more, not all equal) set the range of a histogram
 * (values beyond it go to the end bins), the held values are counted in
 * it and so is every later one; with fewer, pass 2 bins over [min, max].  Each interval
 * at least loses its largest or smallest distinct value per pass, so this
 * ends; on smooth data, pass 1 narrows a million values to a few hundred
 * and pass 2 collects them with the squared deviations.
 *
 * Ranks in the same interval share one group: one histogram or one
 * collection, and a value is found in a pass's groups once, not once per
 * rank.  The intervals of a pass are disjoint (bins of the last pass's
 * histograms), and when they all come from one histogram a value's group
 * is looked up by its bin in it.  The order statistics are exact, so the
 * quantiles equal those of the sorted column bit for bit.
 */
#include "plansim/stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats_impl.h"

#define BINS 4096
#define COLLECT 4096
/* Fewest held values that set the range of pass 1's histogram. */
#define SAMPLE_MIN 64

/* BINS counts of equal width over [lo, hi], and the least and greatest
   value counted in each bin. */
typedef struct histogram {
    double lo, scale; /* bin of v: (v/2 - lo/2) * scale */
    size_t *count;
    double *bmin, *bmax;
} histogram;

typedef struct target {
    size_t rank;   /* the order statistic sought (0-based) */
    int done;      /* value is the answer                  */
    double lo, hi; /* its interval                          */
    size_t below;  /* values below lo                       */
    size_t inside; /* values in [lo, hi]                    */
    size_t bin;    /* its bin in the histogram it came from  */
    int group;     /* its group in this pass                */
    double value;  /* once done                              */
} target;

/* The values of one interval in a pass: counted in a histogram, or
   gathered whole (at most COLLECT of them). */
typedef struct group {
    double lo, hi;
    size_t inside;
    int collect;
    histogram h; /* !collect */
    double *got; /* collect: `inside` values */
    size_t ngot;
} group;

typedef struct column {
    size_t count;
    double sum, mean, ss, sd;
    double min, max;
    double *held;
    size_t nheld;
    int overflow; /* more than `hold` values                */
    int binning;  /* pass 1 counts into `first`             */
    int done;
    histogram first; /* pass 1's histogram                  */
    size_t ntargets, ngroups;
    target t[STATS_MAX_RANKS];
    group g[STATS_MAX_RANKS];
    /* when every group of the pass is a bin of one histogram of the last
       pass: that histogram's range, and each bin's group + 1 (0: none) */
    int routed;
    double rlo, rscale;
    unsigned char *route;
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

static void histogram_free(histogram *h)
{
    free(h->count);
    free(h->bmin);
    free(h->bmax);
    h->count = NULL;
    h->bmin = h->bmax = NULL;
}

/* Empty bins over [lo, hi] (lo < hi); -1 on no memory. */
static int histogram_init(histogram *h, double lo, double hi)
{
    h->lo = lo;
    /* halves keep the width finite whatever the ends */
    h->scale = (double)BINS / (hi * 0.5 - lo * 0.5);
    h->count = calloc(BINS, sizeof *h->count);
    h->bmin = malloc(BINS * sizeof *h->bmin);
    h->bmax = malloc(BINS * sizeof *h->bmax);
    if (!h->count || !h->bmin || !h->bmax) {
        histogram_free(h);
        return -1;
    }
    for (size_t b = 0; b < BINS; b++) {
        h->bmin[b] = INFINITY;
        h->bmax[b] = -INFINITY;
    }
    return 0;
}

/* The bin of v: monotone in v, lo in the first bin and hi in the last;
   values beyond the ends go to the end bins. */
static size_t bin_of(double v, double lo, double scale)
{
    double f = (v * 0.5 - lo * 0.5) * scale;
    if (!(f > 0.0))
        return 0;
    return f >= (double)(BINS - 1) ? BINS - 1 : (size_t)f;
}

static void histogram_add(histogram *h, double v)
{
    size_t b = bin_of(v, h->lo, h->scale);
    h->count[b]++;
    if (v < h->bmin[b])
        h->bmin[b] = v;
    if (v > h->bmax[b])
        h->bmax[b] = v;
}

static void groups_free(column *c)
{
    for (size_t j = 0; j < c->ngroups; j++) {
        histogram_free(&c->g[j].h);
        free(c->g[j].got);
        c->g[j].got = NULL;
    }
    c->ngroups = 0;
}

void ps_colstats_free(ps_colstats **s)
{
    if (!s || !*s)
        return;
    for (size_t i = 0; i < (*s)->ncols; i++) {
        column *c = &(*s)->c[i];
        free(c->held);
        histogram_free(&c->first);
        groups_free(c);
        free(c->route);
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

/* Sets up the column's targets after pass 1 (count > hold): each holds
   [min, max], or is done when they are equal. */
static void plan_targets(const ps_colstats *s, column *c)
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
        t->done = c->min == c->max;
        t->value = c->min;
    }
}

/* Narrows target t to the bin of h holding its rank. */
static void narrow(target *t, const histogram *h)
{
    size_t below = t->below, b = 0;
    while (b < BINS - 1 && below + h->count[b] <= t->rank)
        below += h->count[b++];
    t->below = below;
    t->inside = h->count[b];
    t->lo = h->bmin[b];
    t->hi = h->bmax[b];
    t->bin = b;
    if (t->lo == t->hi) {
        t->value = t->lo;
        t->done = 1;
    }
}

/* Groups the targets left for a pass by interval, gives each group a
   histogram or a collection, and a lookup from the last pass's bins when
   every target is a bin of one histogram (`routed`); -1 on no memory. */
static int prepare_groups(column *c)
{
    c->ngroups = 0;
    for (size_t k = 0; k < c->ntargets; k++) {
        target *t = &c->t[k];
        if (t->done)
            continue;
        size_t j = 0;
        while (j < c->ngroups && !(c->g[j].lo == t->lo && c->g[j].hi == t->hi))
            j++;
        t->group = (int)j;
        if (j < c->ngroups)
            continue;
        group *g = &c->g[c->ngroups++];
        memset(g, 0, sizeof *g);
        g->lo = t->lo;
        g->hi = t->hi;
        g->inside = t->inside;
        g->collect = t->inside <= COLLECT;
        if (g->collect) {
            g->got = malloc((g->inside ? g->inside : 1) * sizeof *g->got);
            if (!g->got)
                return -1;
        } else if (histogram_init(&g->h, g->lo, g->hi) < 0) {
            return -1;
        }
    }
    if (c->routed) {
        if (!c->route && !(c->route = malloc(BINS)))
            return -1;
        memset(c->route, 0, BINS);
        for (size_t k = 0; k < c->ntargets; k++)
            if (!c->t[k].done)
                c->route[c->t[k].bin] = (unsigned char)(c->t[k].group + 1);
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
        if (s->pass > 1 && prepare_groups(c) < 0)
            return -1;
        more = 1;
    }
    return more || s->pass == 1;
}

/* Pass 1 outgrows the held values: their range sets the histogram's, and
   they are counted in it (none when too few or all equal). */
static void start_binning(column *c)
{
    if (c->nheld >= SAMPLE_MIN && c->min < c->max &&
        histogram_init(&c->first, c->min, c->max) == 0) {
        c->binning = 1;
        for (size_t r = 0; r < c->nheld; r++)
            histogram_add(&c->first, c->held[r]);
    }
    free(c->held);
    c->held = NULL;
}

/* Counts, sums and bounds of pass 1 are kept in locals while a block is
   fed (the compiler cannot keep fields in registers across the stores to
   the held values and bins), in the same order as ever. */
static void feed_pass1(const ps_colstats *s, column *c, const double *x,
                       size_t n)
{
    size_t count = c->count, r = 0;
    double sum = c->sum, min = c->min, max = c->max;
    for (; r < n && !c->binning; r++) {
        const double v = x[r];
        if (!isfinite(v))
            continue;
        count++;
        sum += v;
        if (v < min)
            min = v;
        if (v > max)
            max = v;
        if (c->overflow)
            continue;
        if (c->nheld == s->hold) {
            c->overflow = 1;
            c->min = min;
            c->max = max;
            start_binning(c);
            if (c->binning)
                histogram_add(&c->first, v);
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
    histogram h = c->first;
    for (; r < n; r++) {
        const double v = x[r];
        if (!isfinite(v))
            continue;
        count++;
        sum += v;
        if (v < min)
            min = v;
        if (v > max)
            max = v;
        histogram_add(&h, v);
    }
    c->count = count;
    c->sum = sum;
    c->min = min;
    c->max = max;
}

/* v into its group (one of c's, disjoint intervals), if any. */
static void group_add(group *g, double v)
{
    if (!g->collect)
        histogram_add(&g->h, v);
    else if (g->ngot < g->inside)
        g->got[g->ngot++] = v;
}

/* The squared deviations are summed in a local, as in feed_pass1. */
static void feed_groups(column *c, const double *x, size_t n, int first)
{
    const double mean = c->mean, rlo = c->rlo, rscale = c->rscale;
    const unsigned char *route = c->routed ? c->route : NULL;
    double ss = c->ss;
    for (size_t r = 0; r < n; r++) {
        const double v = x[r];
        if (!isfinite(v))
            continue;
        if (first)
            ss += (v - mean) * (v - mean);
        if (route) {
            /* the bin finds the only group v may be in; values beyond the
               histogram's range share its end bins */
            unsigned j = route[bin_of(v, rlo, rscale)];
            if (j && v >= c->g[j - 1].lo && v <= c->g[j - 1].hi)
                group_add(&c->g[j - 1], v);
            continue;
        }
        for (size_t j = 0; j < c->ngroups; j++)
            if (v >= c->g[j].lo && v <= c->g[j].hi) {
                group_add(&c->g[j], v);
                break;
            }
    }
    c->ss = ss;
}

void ps_colstats_feed(ps_colstats *s, size_t col, const double *x, size_t n)
{
    column *c = &s->c[col];
    if (c->done)
        return;
    if (s->pass == 1)
        feed_pass1(s, c, x, n);
    else
        feed_groups(c, x, n, s->pass == 2);
}

/* Whether every target left is a bin of the histogram h: then the next
   pass finds a value's group by its bin in h (a value of the group's
   interval is in its bin, h being monotone). */
static void set_route(column *c, const histogram *h)
{
    c->routed = h != NULL;
    if (h) {
        c->rlo = h->lo;
        c->rscale = h->scale;
    }
}

/* After a pass: narrows or settles every target of the column. */
static void settle_targets(column *c)
{
    const histogram *from = NULL;
    int one = 1;
    for (size_t k = 0; k < c->ntargets; k++) {
        target *t = &c->t[k];
        if (t->done)
            continue;
        group *g = &c->g[t->group];
        if (g->collect) {
            t->value = stats_select(g->got, g->ngot, t->rank - t->below);
            t->done = 1;
            continue;
        }
        narrow(t, &g->h);
        if (!t->done) {
            one = one && (!from || from == &g->h);
            from = &g->h;
        }
    }
    set_route(c, one ? from : NULL);
    groups_free(c);
}

static void finish_targets(const ps_colstats *s, column *c)
{
    for (size_t k = 0; k < c->ntargets; k++)
        if (!c->t[k].done)
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
    free(c->route);
    c->route = NULL;
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
        if (c->binning) {
            for (size_t k = 0; k < c->ntargets; k++)
                if (!c->t[k].done)
                    narrow(&c->t[k], &c->first);
            set_route(c, &c->first);
            histogram_free(&c->first);
            c->binning = 0;
        }
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
