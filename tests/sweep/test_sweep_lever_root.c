/*
 * The bracketing root finder of plansim solve (study/solve/lever_root.c),
 * on step functions shaped like an ensemble's probability: n runs, each of which
 * meets the target from its own lever value on.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plansim_study/lever_root.h"
#include "plansim/stats.h"

/* Run i meets the target when x >= i / n + OFFSET (rising), or when
   x <= 1 - i / n - OFFSET (falling). */
#define N 1000
#define OFFSET 0.000371

typedef struct fake {
    int falling;
    int bump; /* P rises, falls back, rises again     */
    size_t calls;
    size_t fail_at; /* 0: never; else fail on this call     */
} fake;

static ps_status fake_p(void *ctx, double x, long long *hits, long long *runs,
                        ps_error *err)
{
    fake *f = ctx;
    f->calls++;
    if (f->fail_at && f->calls == f->fail_at)
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0, "disk on fire");
    double y = f->falling ? 1 - x : x;
    long long h = 0;
    for (int i = 0; i < N; i++)
        h += y >= (double)i / N + OFFSET;
    /* the bump: between 0.7 and 0.9 the probability drops to 0.1 */
    if (f->bump && y > 0.7 && y < 0.9)
        h = N / 10;
    *hits = h;
    *runs = N;
    return PS_OK;
}

/* Where a rising fake first reaches q. */
static double crossing(double q)
{
    return (ceil(q * N) - 1) / N + OFFSET;
}

static void
test_root_solve_finds_the_crossing_within_the_tolerance(void **state)
{
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 1e-6);
    ps_root_result r;
    ps_error err;
    assert_int_equal(ps_root_solve(&s, 0.5, &r, &err), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_FOUND);
    double c = crossing(0.5);
    assert_true(r.x_miss < c && c <= r.x);
    assert_true(r.x - r.x_miss <= 1e-6);
    assert_true(r.at.p >= 0.5);
    assert_int_equal(r.at.runs, N);
    /* The ends first, then one evaluation per halving. */
    assert_int_equal(f.calls, s.n);
    assert_true(f.calls <= 2 + 21);
    ps_root_free(&s);
}

static void test_root_solve_reuses_evaluations_for_nearby_levels(void **state)
{
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 1e-6);
    ps_root_result r;
    assert_int_equal(ps_root_solve(&s, 0.5, &r, NULL), PS_OK);
    size_t first = f.calls;
    assert_int_equal(ps_root_solve(&s, 0.53, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_FOUND);
    double c = crossing(0.53);
    assert_true(r.x_miss < c && c <= r.x);
    /* The brackets found for 0.5 narrow the search for 0.53. */
    assert_true(f.calls - first < first);
    /* Asking again costs nothing. */
    size_t before = f.calls;
    assert_int_equal(ps_root_solve(&s, 0.53, &r, NULL), PS_OK);
    assert_int_equal(f.calls, before);
    ps_root_free(&s);
}

static void test_root_solve_finds_the_largest_when_p_falls(void **state)
{
    fake f = {.falling = 1};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 1, 1e-6);
    ps_root_result r;
    assert_int_equal(ps_root_solve(&s, 0.25, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_FOUND);
    /* P(x) >= q while 1 - x >= crossing(q). */
    double c = 1 - crossing(0.25);
    assert_true(r.x <= c + 1e-12 && c - 1e-12 < r.x_miss);
    assert_true(r.x_miss - r.x <= 1e-6);
    assert_true(r.at.p >= 0.25);
    ps_root_free(&s);
}

static void test_root_solve_says_when_no_value_reaches(void **state)
{
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 0.3, 0, 1e-6);
    ps_root_result r;
    assert_int_equal(ps_root_solve(&s, 0.9, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_NOWHERE);
    assert_true(r.x == 0.3); /* the better end, with its probability */
    assert_true(fabs(r.at.p - 0.3) < 2.0 / N);
    assert_true(isnan(r.x_miss));
    assert_int_equal(f.calls, 2);
    ps_root_free(&s);
}

static void test_root_solve_says_when_the_worse_end_reaches(void **state)
{
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0.5, 1, 0, 1e-6);
    ps_root_result r;
    assert_int_equal(ps_root_solve(&s, 0.2, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_EVERYWHERE);
    assert_true(r.x == 0.5);
    assert_int_equal(f.calls, 2);
    ps_root_free(&s);
    /* With --largest the worse end is the upper one. */
    fake g = {.falling = 1};
    ps_root_init(&s, fake_p, &g, 0, 0.5, 1, 1e-6);
    assert_int_equal(ps_root_solve(&s, 0.2, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_EVERYWHERE);
    assert_true(r.x == 0.5);
    ps_root_free(&s);
}

static void test_root_non_monotone_finds_a_fall(void **state)
{
    fake f = {.bump = 1};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 1e-3);
    ps_root_result r;
    const ps_root_point *a, *b;
    /* Solving for 0.3 evaluates nothing above 0.5: all rising. */
    assert_int_equal(ps_root_solve(&s, 0.3, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_FOUND);
    assert_int_equal(ps_root_non_monotone(&s, &a, &b), 0);
    /* Solving for 0.99 halves [0.5, 1] at 0.75, inside the bump. */
    assert_int_equal(ps_root_solve(&s, 0.99, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_FOUND);
    assert_int_equal(ps_root_non_monotone(&s, &a, &b), 1);
    assert_true(a->x == 0.5 && b->x == 0.75);
    assert_true(a->p > b->p);
    ps_root_free(&s);
    /* A monotone function never raises the flag. */
    fake g = {0};
    ps_root_init(&s, fake_p, &g, 0, 1, 0, 1e-6);
    assert_int_equal(ps_root_solve(&s, 0.5, &r, NULL), PS_OK);
    assert_int_equal(ps_root_non_monotone(&s, &a, &b), 0);
    ps_root_free(&s);
}

static void test_root_solve_returns_the_callbacks_error(void **state)
{
    fake f = {.fail_at = 4};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 1e-6);
    ps_root_result r;
    ps_error err;
    assert_int_equal(ps_root_solve(&s, 0.5, &r, &err), PS_ERR_IO);
    assert_string_equal(err.message, "disk on fire");
    assert_int_equal(s.n, 3); /* the failed evaluation is not kept */
    ps_root_free(&s);
}

static void test_root_solve_stops_at_max_evaluations(void **state)
{
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 1e-12);
    s.max_evaluations = 5;
    ps_root_result r;
    ps_error err;
    assert_int_equal(ps_root_solve(&s, 0.5, &r, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "5 evaluations"));
    assert_int_equal(f.calls, 5);
    ps_root_free(&s);
}

static void test_root_solve_ends_when_no_double_lies_between(void **state)
{
    /* A tolerance of 0 stops when the bracket cannot be halved. */
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 0);
    ps_root_result r;
    assert_int_equal(ps_root_solve(&s, 0.5, &r, NULL), PS_OK);
    assert_int_equal(r.outcome, PS_ROOT_FOUND);
    assert_true(nextafter(r.x_miss, 2) == r.x);
    ps_root_free(&s);
}

static void test_root_answer_brackets_the_answer_with_its_interval(void **state)
{
    (void)state;
    fake f = {0};
    ps_root_solver s;
    ps_root_init(&s, fake_p, &f, 0, 1, 0, 1e-6);
    ps_root_answer a;
    ps_error err;
    assert_int_equal(ps_root_answer_for(&s, 0.5, &a, &err), PS_OK);
    assert_int_equal(a.answer.outcome, PS_ROOT_FOUND);
    double lo, hi;
    ps_root_wilson(0.5, (double)a.answer.at.runs, &lo, &hi);
    assert_true(a.qlo == lo && a.qhi == hi && lo < 0.5 && 0.5 < hi);
    /* P rises: its lower end is reached first, its upper end last */
    assert_true(a.ends[0].x <= a.answer.x && a.answer.x <= a.ends[1].x);
    assert_true(a.ends[0].x < a.ends[1].x);
    assert_null(a.before);
    ps_root_free(&s);
    /* reached nowhere: no interval */
    fake g = {0};
    ps_root_init(&s, fake_p, &g, 0, 0.3, 0, 1e-6);
    assert_int_equal(ps_root_answer_for(&s, 0.9, &a, &err), PS_OK);
    assert_int_equal(a.answer.outcome, PS_ROOT_NOWHERE);
    assert_true(isnan(a.qlo) && isnan(a.qhi));
    ps_root_free(&s);
    /* a fall of P among the evaluations is named */
    fake b = {.bump = 1};
    ps_root_init(&s, fake_p, &b, 0, 1, 0, 1e-3);
    assert_int_equal(ps_root_answer_for(&s, 0.99, &a, &err), PS_OK);
    assert_non_null(a.before);
    assert_non_null(a.after);
    assert_true(a.after->p < a.before->p);
    ps_root_free(&s);
}

static void test_root_wilson_matches_the_stats_module(void **state)
{
    static const size_t cases[][2] = {{0, 100},  {1, 100},   {50, 100},
                                      {99, 100}, {100, 100}, {1234, 4000}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t h = cases[i][0], n = cases[i][1];
        double lo, hi, want_lo, want_hi;
        ps_root_wilson((double)h / (double)n, (double)n, &lo, &hi);
        ps_stats_wilson(h, n, 0.95, &want_lo, &want_hi);
        assert_true(fabs(lo - want_lo) < 1e-9);
        assert_true(fabs(hi - want_hi) < 1e-9);
    }
    /* Between whole hits too: p = 0.5 at n = 4000 is +-0.0155. */
    double lo, hi;
    ps_root_wilson(0.5, 4000, &lo, &hi);
    assert_true(fabs(lo - 0.4845) < 1e-4 && fabs(hi - 0.5155) < 1e-4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_root_solve_finds_the_crossing_within_the_tolerance),
        cmocka_unit_test(test_root_solve_reuses_evaluations_for_nearby_levels),
        cmocka_unit_test(test_root_solve_finds_the_largest_when_p_falls),
        cmocka_unit_test(
            test_root_answer_brackets_the_answer_with_its_interval),
        cmocka_unit_test(test_root_solve_says_when_no_value_reaches),
        cmocka_unit_test(test_root_solve_says_when_the_worse_end_reaches),
        cmocka_unit_test(test_root_non_monotone_finds_a_fall),
        cmocka_unit_test(test_root_solve_returns_the_callbacks_error),
        cmocka_unit_test(test_root_solve_stops_at_max_evaluations),
        cmocka_unit_test(test_root_solve_ends_when_no_double_lies_between),
        cmocka_unit_test(test_root_wilson_matches_the_stats_module),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
