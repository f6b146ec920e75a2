/*
 * PRIM pasting: after peeling, widen one restricted limit at a time while
 * that raises the box's density (Friedman and Fisher 1999, section 8; the
 * EMA Workbench's _paste).
 *
 * The runs a widening of input j's limit can add are the searched runs
 * outside the box on that limit only (inside every other limit).  One
 * pass finds them for every limit at once; sorted by (limit, value), each
 * limit's candidates are a run of the array, ordered by distance from
 * the box.  The new limit is the quantile of those candidates at
 * 1 - paste_alpha (lower limit) or paste_alpha (upper limit), taken as in
 * peeling, so it adds about the nearest paste_alpha of them, tied values
 * together.
 */
#include "prim_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A searched run outside the box on exactly one limit. */
typedef struct outside {
    size_t key; /* 2 j for input j's lower limit, 2 j + 1 for its upper */
    double v;   /* its value of input j                                 */
    size_t i;   /* the run                                              */
} outside;

static int outside_cmp(const void *a, const void *b)
{
    const outside *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

typedef struct widening {
    size_t input;
    int upper;
    double limit;
    size_t added, added_hits;
    double obj;        /* density gained per run added          */
    size_t restricted; /* restricted inputs after the widening   */
} widening;

/* Collects the runs outside the box on one limit only into buf; returns
   how many. */
static size_t collect(const prim_state *s, outside *buf)
{
    const ps_discover_data *d = s->d;
    size_t c = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!s->t->active[i] || s->in[i])
            continue;
        size_t violations = 0, key = 0;
        for (size_t j = 0; j < d->k && violations < 2; j++) {
            double v = prim_x(d, i, j);
            if (v < s->lo[j]) {
                violations++;
                key = 2 * j;
            } else if (v > s->hi[j]) {
                violations++;
                key = 2 * j + 1;
            }
        }
        if (violations == 1)
            buf[c++] = (outside){key, prim_x(d, i, key / 2), i};
    }
    qsort(buf, c, sizeof *buf, outside_cmp);
    return c;
}

/* The widening of one limit from its candidates g[0..n), sorted by
   value. */
static void widen(const prim_state *s, const outside *g, size_t n,
                  widening *w)
{
    size_t j = g[0].key / 2;
    int upper = (int)(g[0].key % 2);
    double alpha = s->o->paste_alpha;
    double q = (double)(n - 1) * (upper ? alpha : 1.0 - alpha);
    size_t a = (size_t)floor(q), b = (size_t)ceil(q);
    double limit;
    if (!upper) {
        /* Below the box: add the values above the cut. */
        while (g[a].v == g[b].v && a > 0)
            a--;
        limit = g[a].v < g[b].v ? 0.5 * (g[a].v + g[b].v) : g[b].v;
        if (g[a].v < g[b].v && !(limit > g[a].v))
            limit = g[b].v;
    } else {
        /* Above the box: add the values below the cut. */
        while (g[a].v == g[b].v && b < n - 1)
            b++;
        limit = g[a].v < g[b].v ? 0.5 * (g[a].v + g[b].v) : g[a].v;
        if (g[a].v < g[b].v && !(limit < g[b].v))
            limit = g[a].v;
    }
    w->input = j;
    w->upper = upper;
    w->added = w->added_hits = 0;
    double nearest_far = upper ? -INFINITY : INFINITY;
    for (size_t r = 0; r < n; r++) {
        if (upper ? g[r].v > limit : g[r].v < limit)
            continue;
        w->added++;
        w->added_hits += s->d->y[g[r].i];
        nearest_far = upper ? fmax(nearest_far, g[r].v)
                            : fmin(nearest_far, g[r].v);
    }
    /* A discrete input's limit sits on the farthest value added. */
    w->limit = prim_discrete(s->d, j) ? nearest_far : limit;
    double before = (double)s->hits / (double)s->m;
    double after =
        (double)(s->hits + w->added_hits) / (double)(s->m + w->added);
    w->obj = (after - before) / (double)w->added;
    double lo = upper ? s->lo[j] : w->limit, hi = upper ? w->limit : s->hi[j];
    int was = s->lo[j] > s->t->min[j] || s->hi[j] < s->t->max[j];
    int is = lo > s->t->min[j] || hi < s->t->max[j];
    w->restricted = prim_restricted(s->t, s->lo, s->hi) - (size_t)was +
                    (size_t)is;
}

/* Is `w` better than `best`?  Higher objective; of equal ones, fewer
   restricted inputs; then the first considered. */
static int better(const widening *w, const widening *best, int have_best)
{
    if (!have_best || w->obj > best->obj)
        return 1;
    return w->obj == best->obj && w->restricted < best->restricted;
}

int prim_paste(prim_state *s)
{
    outside *buf = malloc((s->d->n ? s->d->n : 1) * sizeof *buf);
    if (!buf)
        return -1;
    for (;;) {
        size_t c = collect(s, buf);
        widening best = {0}, w;
        size_t best_first = 0, best_n = 0;
        int have = 0;
        for (size_t g0 = 0, g1; g0 < c; g0 = g1) {
            for (g1 = g0 + 1; g1 < c && buf[g1].key == buf[g0].key; g1++)
                ;
            widen(s, buf + g0, g1 - g0, &w);
            if (better(&w, &best, have)) {
                best = w;
                best_first = g0;
                best_n = g1 - g0;
                have = 1;
            }
        }
        double mass = have ? (double)(s->m + best.added) / (double)s->d->n
                           : 0.0;
        if (!have || !(best.obj > 0.0) || mass < s->o->mass_min)
            break;
        for (size_t r = best_first; r < best_first + best_n; r++) {
            double v = buf[r].v;
            if (best.upper ? v <= best.limit : v >= best.limit)
                s->in[buf[r].i] = 1;
        }
        if (best.upper)
            s->hi[best.input] = best.limit;
        else
            s->lo[best.input] = best.limit;
        s->m += best.added;
        s->hits += best.added_hits;
        if (prim_push(s, PS_PRIM_PASTE, best.input, best.upper) < 0) {
            free(buf);
            return -1;
        }
    }
    free(buf);
    return 0;
}
