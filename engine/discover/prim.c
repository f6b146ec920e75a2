/*
 * PRIM: the search for one box, by peeling (here) and pasting
 * (prim_paste.c).  See plansim/discover.h for the method and its sources.
 *
 * Peeling keeps, for every input, the box's runs sorted by that input.
 * A quantile cut is then an index into the sorted list, the runs it
 * removes are a prefix or a suffix of it, and after a cut each list is
 * compacted in one pass: a step costs O(k m) for a box of m runs, with no
 * sorting after the first.
 */
#include "prim_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ps_prim_options_init(ps_prim_options *o)
{
    o->peel_alpha = 0.05;
    o->paste_alpha = 0.05;
    o->mass_min = 0.05;
    o->paste = 1;
}

void ps_prim_trajectory_free(ps_prim_trajectory **tp)
{
    if (!tp || !*tp)
        return;
    ps_prim_trajectory *t = *tp;
    for (size_t b = 0; b < t->nboxes; b++) {
        free(t->boxes[b].lo);
        free(t->boxes[b].hi);
    }
    free(t->boxes);
    free(t->min);
    free(t->max);
    free(t->active);
    free(t);
    *tp = NULL;
}

size_t prim_restricted(const ps_prim_trajectory *t, const double *lo,
                       const double *hi)
{
    size_t r = 0;
    for (size_t j = 0; j < t->k; j++)
        r += lo[j] > t->min[j] || hi[j] < t->max[j];
    return r;
}

int prim_push(prim_state *s, ps_prim_move move, size_t input, int upper)
{
    ps_prim_trajectory *t = s->t;
    if (t->nboxes == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        ps_prim_box *b = realloc(t->boxes, cap * sizeof *b);
        if (!b)
            return -1;
        t->boxes = b;
        s->cap = cap;
    }
    ps_prim_box *b = &t->boxes[t->nboxes];
    memset(b, 0, sizeof *b);
    b->lo = malloc(t->k * sizeof *b->lo);
    b->hi = malloc(t->k * sizeof *b->hi);
    if (!b->lo || !b->hi) {
        free(b->lo);
        free(b->hi);
        return -1;
    }
    t->nboxes++;
    memcpy(b->lo, s->lo, t->k * sizeof *b->lo);
    memcpy(b->hi, s->hi, t->k * sizeof *b->hi);
    b->move = move;
    b->input = input;
    b->upper = upper;
    b->count = s->m;
    b->hits = s->hits;
    b->coverage = (double)s->hits / (double)t->total_hits;
    b->density = (double)s->hits / (double)s->m;
    b->mass = (double)s->m / (double)t->n;
    b->restricted = prim_restricted(t, s->lo, s->hi);
    return 0;
}

/* ---- peeling ------------------------------------------------------------ */

/* A candidate cut of one limit. */
typedef struct cut {
    size_t input;
    int upper;             /* 0: the lower limit moves up, 1: the upper down */
    size_t removed, removed_hits;
    double limit;          /* the new limit                                  */
    double obj;            /* density gained per run removed                 */
    int new_restriction;   /* 1 when the input had no restriction yet        */
} cut;

typedef struct sort_key {
    double v;
    size_t i;
} sort_key;

static int key_cmp(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* order[j]: the box's runs sorted by input j.  0, or -1 when out of
   memory. */
static int sort_orders(prim_state *s)
{
    const ps_discover_data *d = s->d;
    sort_key *keys = malloc(s->m * sizeof *keys);
    s->order = calloc(d->k, sizeof *s->order);
    if (!keys || !s->order) {
        free(keys);
        return -1;
    }
    for (size_t j = 0; j < d->k; j++) {
        s->order[j] = malloc(s->m * sizeof **s->order);
        if (!s->order[j]) {
            free(keys);
            return -1;
        }
        size_t c = 0;
        for (size_t i = 0; i < d->n; i++)
            if (s->in[i])
                keys[c++] = (sort_key){prim_x(d, i, j), i};
        qsort(keys, c, sizeof *keys, key_cmp);
        for (size_t r = 0; r < c; r++)
            s->order[j][r] = keys[r].i;
    }
    free(keys);
    return 0;
}

/* Value at rank r of the box on input j. */
static double ranked(const prim_state *s, size_t j, size_t r)
{
    return prim_x(s->d, s->order[j][r], j);
}

/*
 * The lower cut of input j: the quantile at peel_alpha as the EMA
 * Workbench (after sdtoolkit) takes it, half-way between the order
 * statistic at floor((m - 1) alpha) and the next larger value, so that
 * tied values stay together.  The runs below it go.  0 when the cut
 * removes nothing.
 */
static int lower_cut(const prim_state *s, size_t j, cut *c)
{
    size_t m = s->m;
    double q = (double)(m - 1) * s->o->peel_alpha;
    size_t a = (size_t)floor(q), b = (size_t)ceil(q), p;
    while (ranked(s, j, a) == ranked(s, j, b) && b < m - 1)
        b++;
    double va = ranked(s, j, a), vb = ranked(s, j, b);
    if (vb > va) {
        p = b; /* ranks below b hold values <= va */
        c->limit = 0.5 * (va + vb);
        /* Adjacent doubles: the midpoint rounds onto one of them. */
        if (!(c->limit > va))
            c->limit = vb;
    } else {
        /* Every value from rank a on is va: only smaller ones can go. */
        p = a;
        while (p > 0 && ranked(s, j, p - 1) == va)
            p--;
        c->limit = va;
    }
    if (p == 0)
        return 0;
    if (prim_discrete(s->d, j))
        c->limit = ranked(s, j, p);
    c->removed = p;
    c->removed_hits = 0;
    for (size_t r = 0; r < p; r++)
        c->removed_hits += s->d->y[s->order[j][r]];
    return 1;
}

/* The upper cut of input j, the mirror image at 1 - peel_alpha. */
static int upper_cut(const prim_state *s, size_t j, cut *c)
{
    size_t m = s->m;
    double q = (double)(m - 1) * (1.0 - s->o->peel_alpha);
    size_t a = (size_t)floor(q), b = (size_t)ceil(q), kept;
    while (ranked(s, j, a) == ranked(s, j, b) && a > 0)
        a--;
    double va = ranked(s, j, a), vb = ranked(s, j, b);
    if (va < vb) {
        kept = a + 1; /* ranks above a hold values >= vb */
        c->limit = 0.5 * (va + vb);
        if (!(c->limit < vb))
            c->limit = va;
    } else {
        /* Every value up to rank b is vb: only larger ones can go. */
        kept = b + 1;
        while (kept < m && ranked(s, j, kept) == vb)
            kept++;
        c->limit = vb;
    }
    if (kept == m)
        return 0;
    if (prim_discrete(s->d, j))
        c->limit = ranked(s, j, kept - 1);
    c->removed = m - kept;
    c->removed_hits = 0;
    for (size_t r = kept; r < m; r++)
        c->removed_hits += s->d->y[s->order[j][r]];
    return 1;
}

/* Scores a cut: the density gained per run removed (the Workbench's
   "lenient1" objective). */
static void score(const prim_state *s, cut *c)
{
    double before = (double)s->hits / (double)s->m;
    double after = (double)(s->hits - c->removed_hits) /
                   (double)(s->m - c->removed);
    c->obj = (after - before) / (double)c->removed;
    size_t j = c->input;
    c->new_restriction =
        !(s->lo[j] > s->t->min[j] || s->hi[j] < s->t->max[j]);
}

/* Is `c` better than `best`?  Higher objective; of equal ones, the cut
   that restricts no new input; then the first considered. */
static int better(const cut *c, const cut *best, int have_best)
{
    if (!have_best || c->obj > best->obj)
        return 1;
    return c->obj == best->obj && c->new_restriction < best->new_restriction;
}

/* Applies cut c: the runs it removes leave the box and every sorted
   list. */
static void apply_cut(prim_state *s, const cut *c)
{
    size_t j = c->input, m = s->m;
    const size_t *ord = s->order[j];
    size_t first = c->upper ? m - c->removed : 0;
    for (size_t r = first; r < first + c->removed; r++)
        s->in[ord[r]] = 0;
    if (c->upper)
        s->hi[j] = c->limit;
    else
        s->lo[j] = c->limit;
    s->m -= c->removed;
    s->hits -= c->removed_hits;
    for (size_t jj = 0; jj < s->d->k; jj++) {
        size_t *o = s->order[jj], w = 0;
        for (size_t r = 0; r < m; r++)
            if (s->in[o[r]])
                o[w++] = o[r];
    }
}

/* Peels until the best cut would leave less than mass_min of all runs or
   no cut raises the density.  0, or -1 when out of memory. */
static int peel(prim_state *s)
{
    const ps_discover_data *d = s->d;
    for (;;) {
        cut best = {0}, c;
        int have = 0;
        for (size_t j = 0; j < d->k; j++) {
            for (int upper = 0; upper < 2; upper++) {
                memset(&c, 0, sizeof c);
                c.input = j;
                c.upper = upper;
                if (!(upper ? upper_cut(s, j, &c) : lower_cut(s, j, &c)))
                    continue;
                score(s, &c);
                if (better(&c, &best, have)) {
                    best = c;
                    have = 1;
                }
            }
        }
        if (!have || !(best.obj > 0.0))
            return 0;
        double mass = (double)(s->m - best.removed) / (double)d->n;
        if (mass < s->o->mass_min)
            return 0;
        apply_cut(s, &best);
        if (prim_push(s, PS_PRIM_PEEL, best.input, best.upper) < 0)
            return -1;
    }
}

/* ---- the search ------------------------------------------------------------ */

static ps_status check_options(const ps_prim_options *o, ps_error *err)
{
    if (!(o->peel_alpha > 0.0 && o->peel_alpha < 0.5))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the peeling share must be in (0, 0.5), got %g",
                            o->peel_alpha);
    if (!(o->paste_alpha > 0.0 && o->paste_alpha < 0.5))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the pasting share must be in (0, 0.5), got %g",
                            o->paste_alpha);
    if (!(o->mass_min >= 0.0 && o->mass_min < 1.0))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "the minimum mass must be in [0, 1), got %g",
                            o->mass_min);
    return PS_OK;
}

/* The trajectory's fixed parts: ranges, searched runs, counts. */
static ps_status start(const ps_discover_data *d, const unsigned char *active,
                       ps_prim_trajectory *t, ps_error *err)
{
    size_t n = d->n, k = d->k;
    t->n = n;
    t->k = k;
    t->min = malloc(k * sizeof *t->min);
    t->max = malloc(k * sizeof *t->max);
    t->active = malloc(n);
    if (!t->min || !t->max || !t->active)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t j = 0; j < k; j++) {
        t->min[j] = t->max[j] = prim_x(d, 0, j);
        for (size_t i = 1; i < n; i++) {
            double v = prim_x(d, i, j);
            t->min[j] = fmin(t->min[j], v);
            t->max[j] = fmax(t->max[j], v);
        }
    }
    for (size_t i = 0; i < n; i++) {
        t->active[i] = active ? active[i] != 0 : 1;
        t->total_hits += d->y[i];
        t->searched += t->active[i];
        t->searched_hits += t->active[i] && d->y[i];
    }
    if (t->searched_hits == 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "no case of interest among the %zu runs "
                            "searched: PRIM has nothing to find",
                            t->searched);
    return PS_OK;
}

static void state_free(prim_state *s)
{
    if (s->order)
        for (size_t j = 0; j < s->d->k; j++)
            free(s->order[j]);
    free(s->order);
    free(s->in);
    free(s->lo);
    free(s->hi);
}

ps_status ps_prim_find(const ps_discover_data *d, const unsigned char *active,
                       const ps_prim_options *opts, ps_prim_trajectory **out,
                       ps_error *err)
{
    if (!out)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "ps_prim_find: no place for the result");
    *out = NULL;
    ps_prim_options defaults;
    if (!opts) {
        ps_prim_options_init(&defaults);
        opts = &defaults;
    }
    ps_status st = check_options(opts, err);
    if (st == PS_OK)
        st = ps_discover_check(d, err);
    if (st != PS_OK)
        return st;
    ps_prim_trajectory *t = calloc(1, sizeof *t);
    if (!t)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    st = start(d, active, t, err);
    if (st != PS_OK) {
        ps_prim_trajectory_free(&t);
        return st;
    }
    prim_state s = {.d = d, .o = opts, .t = t};
    s.in = malloc(d->n);
    s.lo = malloc(d->k * sizeof *s.lo);
    s.hi = malloc(d->k * sizeof *s.hi);
    int rc = -1;
    if (s.in && s.lo && s.hi) {
        memcpy(s.in, t->active, d->n);
        memcpy(s.lo, t->min, d->k * sizeof *s.lo);
        memcpy(s.hi, t->max, d->k * sizeof *s.hi);
        s.m = t->searched;
        s.hits = t->searched_hits;
        rc = prim_push(&s, PS_PRIM_START, 0, 0);
        if (rc == 0)
            rc = sort_orders(&s);
        if (rc == 0)
            rc = peel(&s);
        if (rc == 0 && opts->paste)
            rc = prim_paste(&s);
    }
    state_free(&s);
    if (rc < 0) {
        ps_prim_trajectory_free(&t);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = t;
    return PS_OK;
}
