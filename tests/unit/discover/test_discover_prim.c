/*
 * PRIM on synthetic data with a known answer: a planted box in five
 * uniform inputs (found, with only its two inputs restricted, bounds
 * close, quasi-p-values tiny for the real limits), the shape of the
 * trajectory (coverage down, density up while peeling), the counts
 * agreeing with the limits, discrete inputs peeled by whole values,
 * pasting, a second box on the remaining runs, the default choice, and
 * the edge cases and errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "plansim/discover.h"

/* Synthetic runs; owns its arrays. */
typedef struct synth {
    size_t n, k;
    double *x;
    unsigned char *y;
    unsigned char *discrete;
    ps_discover_data d;
} synth;

static void synth_alloc(synth *s, size_t n, size_t k)
{
    s->n = n;
    s->k = k;
    s->x = malloc(n * k * sizeof *s->x);
    s->y = calloc(n, 1);
    s->discrete = calloc(k, 1);
    assert_non_null(s->x);
    assert_non_null(s->y);
    assert_non_null(s->discrete);
    s->d = (ps_discover_data){n, k, s->x, s->y, NULL};
}

static void synth_free(synth *s)
{
    free(s->x);
    free(s->y);
    free(s->discrete);
}

static int inside(double v, double lo, double hi)
{
    return v >= lo && v <= hi;
}

/*
 * n runs of k inputs uniform on [0, 1]; y = 1 inside [0.2, 0.6] on input
 * 1 and [0.5, 0.9] on input 3; then each y flipped with probability
 * `noise`.
 */
static void planted(synth *s, size_t n, size_t k, double noise,
                    unsigned long seed)
{
    assert_true(k >= 4);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    synth_alloc(s, n, k);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++)
            s->x[i * k + j] = gsl_rng_uniform(r);
        int hit = inside(s->x[i * k + 1], 0.2, 0.6) &&
                  inside(s->x[i * k + 3], 0.5, 0.9);
        if (gsl_rng_uniform(r) < noise)
            hit = !hit;
        s->y[i] = (unsigned char)hit;
    }
    gsl_rng_free(r);
}

static ps_prim_trajectory *find(const synth *s, const unsigned char *active,
                                const ps_prim_options *o)
{
    ps_prim_trajectory *t = NULL;
    ps_error err;
    ps_status st = ps_prim_find(&s->d, active, o, &t, &err);
    if (st != PS_OK)
        fail_msg("ps_prim_find: %s", err.message);
    assert_non_null(t);
    return t;
}

/* The default box at min_coverage, with the quasi-p filter at max_p. */
static size_t choose(const synth *s, const ps_prim_trajectory *t,
                     double min_coverage, double max_p)
{
    size_t b = 99999;
    ps_error err;
    if (ps_prim_choose(&s->d, t, min_coverage, max_p, &b, &err) != PS_OK)
        fail_msg("ps_prim_choose: %s", err.message);
    assert_true(b < t->nboxes);
    return b;
}

static void test_prim_recovers_a_planted_box(void **state)
{
    (void)state;
    synth s;
    planted(&s, 5000, 5, 0.02, 20260101);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    size_t b = choose(&s, t, 0.5, 0.05);
    const ps_prim_box *box = &t->boxes[b];
    assert_int_equal(box->restricted, 2);
    for (size_t j = 0; j < 5; j++) {
        int want = j == 1 || j == 3;
        assert_int_equal(ps_prim_restricts(t, b, j, 0), want);
        assert_int_equal(ps_prim_restricts(t, b, j, 1), want);
    }
    assert_true(fabs(box->lo[1] - 0.2) <= 0.05);
    assert_true(fabs(box->hi[1] - 0.6) <= 0.05);
    assert_true(fabs(box->lo[3] - 0.5) <= 0.05);
    assert_true(fabs(box->hi[3] - 0.9) <= 0.05);
    assert_true(box->coverage >= 0.5);
    assert_true(box->density >= 0.85);

    double plo[5], phi[5];
    ps_error err;
    assert_int_equal(ps_prim_quasi_p(&s.d, t, b, plo, phi, &err), PS_OK);
    for (size_t j = 0; j < 5; j++) {
        if (j == 1 || j == 3) {
            assert_true(plo[j] < 1e-10);
            assert_true(phi[j] < 1e-10);
        } else {
            assert_true(isnan(plo[j]) && isnan(phi[j]));
        }
    }
    ps_prim_trajectory_free(&t);
    assert_null(t);
    synth_free(&s);
}

static void test_prim_trajectory_trades_coverage_for_density(void **state)
{
    (void)state;
    synth s;
    planted(&s, 3000, 5, 0.05, 7);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    assert_true(t->nboxes > 10);
    const ps_prim_box *first = &t->boxes[0];
    assert_int_equal(first->move, PS_PRIM_START);
    assert_int_equal(first->count, 3000);
    assert_true(first->coverage == 1.0 && first->mass == 1.0);
    assert_int_equal(first->restricted, 0);
    for (size_t b = 1; b < t->nboxes; b++) {
        const ps_prim_box *p = &t->boxes[b - 1], *c = &t->boxes[b];
        /* Every move raises the density. */
        assert_true(c->density > p->density);
        size_t j = c->input;
        if (c->move == PS_PRIM_PEEL) {
            assert_int_equal(p->move == PS_PRIM_PASTE, 0);
            assert_true(c->coverage <= p->coverage);
            assert_true(c->count < p->count);
            /* The limit it names moved in, and only that one. */
            assert_true(c->upper ? c->hi[j] < p->hi[j] : c->lo[j] > p->lo[j]);
            assert_true(c->upper ? c->lo[j] == p->lo[j]
                                 : c->hi[j] == p->hi[j]);
        } else {
            assert_int_equal(c->move, PS_PRIM_PASTE);
            assert_true(c->count > p->count);
        }
        assert_true(c->mass >= 0.05);
        assert_true(c->mass == (double)c->count / 3000.0);
        assert_true(c->density == (double)c->hits / (double)c->count);
    }
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_counts_match_the_limits(void **state)
{
    (void)state;
    synth s;
    planted(&s, 2000, 4, 0.1, 11);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    unsigned char *in = malloc(s.n);
    assert_non_null(in);
    for (size_t b = 0; b < t->nboxes; b++) {
        ps_prim_members(&s.d, t, b, in);
        size_t count = 0, hits = 0;
        for (size_t i = 0; i < s.n; i++) {
            count += in[i];
            hits += in[i] && s.y[i];
        }
        assert_int_equal(count, t->boxes[b].count);
        assert_int_equal(hits, t->boxes[b].hits);
    }
    free(in);
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_peels_about_alpha_each_step(void **state)
{
    (void)state;
    synth s;
    planted(&s, 4000, 5, 0.0, 3);
    ps_prim_options o;
    ps_prim_options_init(&o);
    o.paste = 0;
    o.peel_alpha = 0.1;
    ps_prim_trajectory *t = find(&s, NULL, &o);
    for (size_t b = 1; b < t->nboxes; b++) {
        double kept = (double)t->boxes[b].count / (double)t->boxes[b - 1].count;
        assert_true(kept > 0.88 && kept < 0.92);
    }
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_stops_at_the_minimum_mass(void **state)
{
    (void)state;
    /* y = 1 on the top 1 %: every lower peel raises the density, so only
       the mass stops it. */
    synth s;
    synth_alloc(&s, 1000, 1);
    for (size_t i = 0; i < 1000; i++) {
        s.x[i] = (double)i / 1000.0;
        s.y[i] = i >= 990;
    }
    ps_prim_options o;
    ps_prim_options_init(&o);
    o.mass_min = 0.3;
    o.paste = 0;
    ps_prim_trajectory *t = find(&s, NULL, &o);
    const ps_prim_box *last = &t->boxes[t->nboxes - 1];
    assert_true(last->mass >= 0.3);
    /* One more peel (5 % of the box, the 0.5 rounding up) would have gone
       below it. */
    assert_true(last->count - (last->count - 1) / 20 - 1 < 300);
    assert_true(last->coverage == 1.0);
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

/* Input 0 takes the values 0, 1, 2, 3, 4; y = 1 when it is 3 and input 1
   (uniform) is above 0.5. */
static void discrete_data(synth *s, size_t n)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    synth_alloc(s, n, 2);
    s->discrete[0] = 1;
    s->d.discrete = s->discrete;
    for (size_t i = 0; i < n; i++) {
        double level = (double)gsl_rng_uniform_int(r, 5);
        s->x[i * 2] = level;
        s->x[i * 2 + 1] = gsl_rng_uniform(r);
        s->y[i] = level == 3.0 && s->x[i * 2 + 1] > 0.5;
    }
    gsl_rng_free(r);
}

static void test_prim_peels_discrete_inputs_by_whole_values(void **state)
{
    (void)state;
    synth s;
    discrete_data(&s, 3000);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    for (size_t b = 0; b < t->nboxes; b++) {
        /* A discrete input's limits sit on its values. */
        double lo = t->boxes[b].lo[0], hi = t->boxes[b].hi[0];
        assert_true(lo == floor(lo) && hi == floor(hi));
    }
    size_t b = choose(&s, t, 0.5, 0.05);
    const ps_prim_box *box = &t->boxes[b];
    assert_true(box->lo[0] == 3.0 && box->hi[0] == 3.0);
    assert_true(fabs(box->lo[1] - 0.5) <= 0.05);
    assert_false(ps_prim_restricts(t, b, 1, 1));
    assert_true(box->density > 0.95);
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_pasting_extends_the_peeling_trajectory(void **state)
{
    (void)state;
    synth s;
    planted(&s, 5000, 5, 0.02, 20260101);
    ps_prim_options o;
    ps_prim_options_init(&o);
    o.paste = 0;
    ps_prim_trajectory *peeled = find(&s, NULL, &o);
    o.paste = 1;
    ps_prim_trajectory *pasted = find(&s, NULL, &o);
    /* The same peels, then pastes, each adding runs and raising the
       density, with counts that match the widened limits. */
    assert_true(pasted->nboxes > peeled->nboxes);
    for (size_t b = 0; b < peeled->nboxes; b++) {
        assert_int_equal(pasted->boxes[b].count, peeled->boxes[b].count);
        assert_int_equal(pasted->boxes[b].move, peeled->boxes[b].move);
    }
    unsigned char *in = malloc(s.n);
    for (size_t b = peeled->nboxes; b < pasted->nboxes; b++) {
        const ps_prim_box *p = &pasted->boxes[b - 1], *c = &pasted->boxes[b];
        assert_int_equal(c->move, PS_PRIM_PASTE);
        assert_true(c->density > p->density);
        assert_true(c->count > p->count && c->hits > p->hits);
        size_t j = c->input;
        assert_true(c->lo[j] < p->lo[j] || c->hi[j] > p->hi[j]);
        ps_prim_members(&s.d, pasted, b, in);
        size_t count = 0;
        for (size_t i = 0; i < s.n; i++)
            count += in[i];
        assert_int_equal(count, c->count);
    }
    free(in);
    ps_prim_trajectory_free(&peeled);
    ps_prim_trajectory_free(&pasted);
    synth_free(&s);
}

static void test_prim_choice_drops_limits_that_fit_noise(void **state)
{
    (void)state;
    /* With 2 % of the outcomes flipped, the densest box cuts input 4 for
       a sliver of density; its quasi-p-value shows it, and the default
       choice passes it over. */
    synth s;
    planted(&s, 5000, 5, 0.02, 20260101);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    size_t densest = choose(&s, t, 0.5, 1.0);
    assert_true(t->boxes[densest].restricted > 2);
    double plo[5], phi[5];
    assert_int_equal(ps_prim_quasi_p(&s.d, t, densest, plo, phi, NULL), PS_OK);
    int noisy = 0;
    for (size_t j = 0; j < 5; j++)
        if (j != 1 && j != 3)
            noisy |= plo[j] > 0.05 || phi[j] > 0.05;
    assert_true(noisy);
    size_t chosen = choose(&s, t, 0.5, 0.05);
    assert_int_equal(t->boxes[chosen].restricted, 2);
    assert_true(t->boxes[chosen].density <= t->boxes[densest].density);
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_finds_a_second_box_in_the_remaining_runs(void **state)
{
    (void)state;
    /* Two ways to meet the target: input 0 below 0.25, or input 2 above
       0.8.  One box cannot hold both; the second search, on the runs
       left outside the first box, finds the other. */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 23);
    synth s;
    synth_alloc(&s, 4000, 3);
    for (size_t i = 0; i < s.n; i++) {
        for (size_t j = 0; j < 3; j++)
            s.x[i * 3 + j] = gsl_rng_uniform(r);
        s.y[i] = s.x[i * 3] < 0.25 || s.x[i * 3 + 2] > 0.8;
    }
    gsl_rng_free(r);
    ps_prim_trajectory *t1 = find(&s, NULL, NULL);
    size_t b1 = choose(&s, t1, 0.4, 0.05);
    unsigned char *rest = malloc(s.n);
    ps_prim_members(&s.d, t1, b1, rest);
    for (size_t i = 0; i < s.n; i++)
        rest[i] = !rest[i];
    ps_prim_trajectory *t2 = find(&s, rest, NULL);
    assert_int_equal(t2->searched, s.n - t1->boxes[b1].count);
    assert_int_equal(t2->total_hits, t1->total_hits);
    size_t b2 = choose(&s, t2, 0.5, 0.05);
    const ps_prim_box *x1 = &t1->boxes[b1], *x2 = &t2->boxes[b2];
    assert_true(x1->density > 0.95 && x2->density > 0.95);
    /* One box per way, in either order. */
    int first_is_0 = ps_prim_restricts(t1, b1, 0, 1);
    const ps_prim_box *on0 = first_is_0 ? x1 : x2, *on2 = first_is_0 ? x2 : x1;
    assert_true(fabs(on0->hi[0] - 0.25) < 0.05);
    assert_true(fabs(on2->lo[2] - 0.8) < 0.05);
    assert_int_equal(ps_prim_restricts(first_is_0 ? t2 : t1,
                                       first_is_0 ? b2 : b1, 2, 0),
                     1);
    /* Coverage stays relative to all the cases of interest. */
    assert_true(x1->coverage + x2->coverage <= 1.0 + 1e-12);
    assert_true(x1->coverage + x2->coverage > 0.8);
    free(rest);
    ps_prim_trajectory_free(&t1);
    ps_prim_trajectory_free(&t2);
    synth_free(&s);
}

static void test_prim_choose_prefers_density_above_the_coverage(void **state)
{
    (void)state;
    ps_prim_box boxes[4] = {
        {.hits = 100, .count = 400, .density = 0.25},
        {.hits = 90, .count = 150, .density = 0.60, .restricted = 1},
        {.hits = 60, .count = 70, .density = 60.0 / 70.0, .restricted = 1},
        {.hits = 40, .count = 40, .density = 1.0, .restricted = 2},
    };
    ps_prim_trajectory t = {.nboxes = 4, .boxes = boxes, .searched_hits = 100};
    size_t b;
    assert_int_equal(ps_prim_choose(NULL, &t, 0.5, 1.0, &b, NULL), PS_OK);
    assert_int_equal(b, 2);
    assert_int_equal(ps_prim_choose(NULL, &t, 0.0, 1.0, &b, NULL), PS_OK);
    assert_int_equal(b, 3);
    assert_int_equal(ps_prim_choose(NULL, &t, 0.7, 1.0, &b, NULL), PS_OK);
    assert_int_equal(b, 1);
    assert_int_equal(ps_prim_choose(NULL, &t, 1.0, 1.0, &b, NULL), PS_OK);
    assert_int_equal(b, 0);
    /* Equal densities: the larger coverage. */
    boxes[3] = (ps_prim_box){.hits = 60, .count = 70, .density = 60.0 / 70.0};
    boxes[2] = (ps_prim_box){.hits = 61, .count = 70, .density = 60.0 / 70.0};
    assert_int_equal(ps_prim_choose(NULL, &t, 0.5, 1.0, &b, NULL), PS_OK);
    assert_int_equal(b, 2);
    /* The quasi-p filter needs the data. */
    ps_error err;
    assert_int_equal(ps_prim_choose(NULL, &t, 0.5, 0.05, &b, &err),
                     PS_ERR_USAGE);
    assert_int_equal(ps_prim_choose(NULL, &t, 0.5, 1.0, NULL, &err),
                     PS_ERR_USAGE);
}

static void test_prim_with_every_run_a_hit_keeps_the_start_box(void **state)
{
    (void)state;
    synth s;
    planted(&s, 200, 4, 0.0, 1);
    memset(s.y, 1, s.n);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    assert_int_equal(t->nboxes, 1);
    assert_true(t->boxes[0].density == 1.0);
    assert_int_equal(choose(&s, t, 0.5, 0.05), 0);
    double plo[4], phi[4];
    assert_int_equal(ps_prim_quasi_p(&s.d, t, 0, plo, phi, NULL), PS_OK);
    for (size_t j = 0; j < 4; j++)
        assert_true(isnan(plo[j]) && isnan(phi[j]));
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_without_hits_is_an_error(void **state)
{
    (void)state;
    synth s;
    planted(&s, 100, 4, 0.0, 1);
    memset(s.y, 0, s.n);
    ps_prim_trajectory *t = (ps_prim_trajectory *)&s; /* must be reset */
    ps_error err;
    assert_int_equal(ps_prim_find(&s.d, NULL, NULL, &t, &err), PS_ERR_DATA);
    assert_null(t);
    assert_non_null(strstr(err.message, "nothing to find"));
    /* The same when the searched runs hold none, though others do. */
    s.y[0] = 1;
    unsigned char *active = malloc(s.n);
    memset(active, 1, s.n);
    active[0] = 0;
    assert_int_equal(ps_prim_find(&s.d, active, NULL, &t, &err), PS_ERR_DATA);
    free(active);
    synth_free(&s);
}

static void test_prim_with_one_input(void **state)
{
    (void)state;
    synth s;
    synth_alloc(&s, 1000, 1);
    for (size_t i = 0; i < 1000; i++) {
        s.x[i] = (double)((i * 611) % 1000) / 1000.0; /* a shuffled grid */
        s.y[i] = s.x[i] >= 0.7;
    }
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    size_t b = choose(&s, t, 0.5, 0.05);
    /* The first box made of hits only: its limit is the first cut at or
       above 0.7, within one peel (5 % of 300 runs) of it. */
    assert_true(t->boxes[b].density == 1.0);
    assert_true(t->boxes[b].lo[0] >= 0.7 && t->boxes[b].lo[0] < 0.7 + 0.016);
    assert_true(t->boxes[b].coverage > 0.94);
    assert_false(ps_prim_restricts(t, b, 0, 1));
    assert_true(ps_prim_restricts(t, b, 0, 0));
    double plo, phi;
    assert_int_equal(ps_prim_quasi_p(&s.d, t, b, &plo, &phi, NULL), PS_OK);
    assert_true(plo < 1e-100 && isnan(phi));
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_quasi_p_of_a_useless_limit_is_large(void **state)
{
    (void)state;
    /* The planted box, plus by hand a limit on input 0, which y ignores:
       dropping it changes the density by noise only. */
    synth s;
    planted(&s, 4000, 5, 0.05, 99);
    ps_prim_trajectory *t = find(&s, NULL, NULL);
    size_t b = choose(&s, t, 0.5, 0.05);
    ps_prim_box *box = &t->boxes[b];
    assert_false(ps_prim_restricts(t, b, 0, 0));
    double keep = box->lo[0];
    box->lo[0] = 0.1;
    double plo[5], phi[5];
    assert_int_equal(ps_prim_quasi_p(&s.d, t, b, plo, phi, NULL), PS_OK);
    assert_true(plo[0] > 0.05);
    assert_true(plo[1] < 1e-10 && plo[3] < 1e-10);
    box->lo[0] = keep;
    ps_prim_trajectory_free(&t);
    synth_free(&s);
}

static void test_prim_is_deterministic(void **state)
{
    (void)state;
    synth s;
    planted(&s, 2000, 4, 0.1, 41);
    ps_prim_trajectory *a = find(&s, NULL, NULL), *b = find(&s, NULL, NULL);
    assert_int_equal(a->nboxes, b->nboxes);
    for (size_t i = 0; i < a->nboxes; i++)
        for (size_t j = 0; j < 4; j++) {
            assert_true(a->boxes[i].lo[j] == b->boxes[i].lo[j]);
            assert_true(a->boxes[i].hi[j] == b->boxes[i].hi[j]);
        }
    ps_prim_trajectory_free(&a);
    ps_prim_trajectory_free(&b);
    synth_free(&s);
}

static void test_prim_rejects_bad_options_and_data(void **state)
{
    (void)state;
    synth s;
    planted(&s, 50, 4, 0.0, 1);
    s.y[0] = 1;
    ps_prim_trajectory *t = NULL;
    ps_prim_options o;
    ps_error err;
    ps_prim_options_init(&o);
    o.peel_alpha = 0.5;
    assert_int_equal(ps_prim_find(&s.d, NULL, &o, &t, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "peeling share"));
    ps_prim_options_init(&o);
    o.paste_alpha = 0.0;
    assert_int_equal(ps_prim_find(&s.d, NULL, &o, &t, &err), PS_ERR_USAGE);
    ps_prim_options_init(&o);
    o.mass_min = 1.0;
    assert_int_equal(ps_prim_find(&s.d, NULL, &o, &t, &err), PS_ERR_USAGE);
    o.mass_min = NAN;
    assert_int_equal(ps_prim_find(&s.d, NULL, &o, &t, &err), PS_ERR_USAGE);
    assert_int_equal(ps_prim_find(&s.d, NULL, NULL, NULL, &err), PS_ERR_USAGE);

    s.x[3 * 4 + 1] = NAN;
    assert_int_equal(ps_prim_find(&s.d, NULL, NULL, &t, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "run 3: input 1 is not finite"));
    s.x[3 * 4 + 1] = 0.5;
    s.y[4] = 2;
    assert_int_equal(ps_discover_check(&s.d, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "run 4"));
    s.y[4] = 0;
    assert_int_equal(ps_discover_check(&s.d, &err), PS_OK);
    ps_discover_data empty = {0};
    assert_int_equal(ps_discover_check(&empty, &err), PS_ERR_USAGE);
    assert_int_equal(ps_discover_check(NULL, NULL), PS_ERR_USAGE);
    assert_null(t);
    ps_prim_trajectory_free(NULL);
    ps_prim_trajectory_free(&t);

    ps_prim_trajectory *ok = find(&s, NULL, NULL);
    double p[4];
    assert_int_equal(ps_prim_quasi_p(&s.d, ok, ok->nboxes, p, p, &err),
                     PS_ERR_USAGE);
    assert_false(ps_prim_restricts(ok, ok->nboxes, 0, 0));
    ps_prim_trajectory_free(&ok);
    synth_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prim_recovers_a_planted_box),
        cmocka_unit_test(test_prim_trajectory_trades_coverage_for_density),
        cmocka_unit_test(test_prim_counts_match_the_limits),
        cmocka_unit_test(test_prim_peels_about_alpha_each_step),
        cmocka_unit_test(test_prim_stops_at_the_minimum_mass),
        cmocka_unit_test(test_prim_peels_discrete_inputs_by_whole_values),
        cmocka_unit_test(test_prim_pasting_extends_the_peeling_trajectory),
        cmocka_unit_test(test_prim_choice_drops_limits_that_fit_noise),
        cmocka_unit_test(test_prim_finds_a_second_box_in_the_remaining_runs),
        cmocka_unit_test(test_prim_choose_prefers_density_above_the_coverage),
        cmocka_unit_test(test_prim_with_every_run_a_hit_keeps_the_start_box),
        cmocka_unit_test(test_prim_without_hits_is_an_error),
        cmocka_unit_test(test_prim_with_one_input),
        cmocka_unit_test(test_prim_quasi_p_of_a_useless_limit_is_large),
        cmocka_unit_test(test_prim_is_deterministic),
        cmocka_unit_test(test_prim_rejects_bad_options_and_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
