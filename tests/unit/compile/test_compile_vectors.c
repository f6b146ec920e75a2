/*
 * Vector functions compiled and run over a subscripted model: VECTOR SORT
 * ORDER, RANK, REORDER, SELECT, ELM MAP, INVERT MATRIX and the two
 * ALLOCATE functions, each against values worked out by hand.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "model_fixture.h"
#include "plansim/expr.h"

#define D3 "d: d1, d2, d3 ~ ~ |\nsd: s1, s2, s3 ~ ~ |\n"

static void test_sort_order_rank_and_reorder(void **state)
{
    (void)state;
    ps_series *s = run_text(
        D3 "v[d] = 3, 1, 2 ~ ~ |\n"
           "up[d] = VECTOR SORT ORDER(v[d], 1) ~ ~ |\n"
           "down[d] = VECTOR SORT ORDER(v[d], 0) ~ ~ |\n"
           "rank[d] = VECTOR RANK(v[d], 1) ~ ~ |\n"
           "sorted[d] = VECTOR REORDER(v[d], up[d]) ~ ~ |\n" CONTROL(1, 1),
        NULL);
    const double up[] = {1, 2, 0}, down[] = {0, 2, 1}, rank[] = {3, 1, 2},
                 sorted[] = {1, 2, 3};
    const char *el[] = {"d1", "d2", "d3"};
    char name[64];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "up[%s]", el[i]);
        assert_float_equal(value_at(s, name, 0), up[i], 0);
        snprintf(name, sizeof name, "down[%s]", el[i]);
        assert_float_equal(value_at(s, name, 0), down[i], 0);
        snprintf(name, sizeof name, "rank[%s]", el[i]);
        assert_float_equal(value_at(s, name, 0), rank[i], 0);
        snprintf(name, sizeof name, "sorted[%s]", el[i]);
        assert_float_equal(value_at(s, name, 0), sorted[i], 0);
    }
    ps_series_free(&s);
}

static void test_select_and_elm_map(void **state)
{
    (void)state;
    ps_series *s = run_text(
        D3 "x[d] = 10, 20, 30 ~ ~ |\n"
           "sel[d] = 0, 1, 2 ~ ~ |\n"
           "none[d] = 0, 0, 0 ~ ~ |\n"
           "weighted sum = VECTOR SELECT(sel[d!], x[d!], -1, 0, 0) ~ ~ |\n"
           "plain max = VECTOR SELECT(sel[d!], x[d!], -1, 9, 0) ~ ~ |\n"
           "mean = VECTOR SELECT(sel[d!], x[d!], -1, 10, 0) ~ ~ |\n"
           "missing = VECTOR SELECT(none[d!], x[d!], -1, 0, 0) ~ ~ |\n"
           "shifted[d] = VECTOR ELM MAP(x[d1], d - 1) ~ ~ |\n"
           "beyond = VECTOR ELM MAP(x[d2], 5) ~ ~ |\n" CONTROL(1, 1),
        NULL);
    assert_float_equal(value_at(s, "weighted sum", 0), 80, 0);
    assert_float_equal(value_at(s, "plain max", 0), 30, 0);
    assert_float_equal(value_at(s, "mean", 0), 25, 0);
    assert_float_equal(value_at(s, "missing", 0), -1, 0);
    assert_float_equal(value_at(s, "shifted[d3]", 0), 30, 0);
    assert_float_equal(value_at(s, "beyond", 0), PS_NA, 0);
    ps_series_free(&s);
}

static void test_invert_matrix(void **state)
{
    (void)state;
    ps_series *s = run_text(
        "r: r1, r2 ~ ~ |\nc: c1, c2 ~ ~ |\n"
        "m[r, c] = 4, 7; 2, 6; ~ ~ |\n"
        "inv[r, c] = INVERT MATRIX(m[r, c], 2) ~ ~ |\n" CONTROL(1, 1),
        NULL);
    assert_float_equal(value_at(s, "inv[r1,c1]", 0), 0.6, 1e-12);
    assert_float_equal(value_at(s, "inv[r1,c2]", 0), -0.7, 1e-12);
    assert_float_equal(value_at(s, "inv[r2,c1]", 0), -0.2, 1e-12);
    assert_float_equal(value_at(s, "inv[r2,c2]", 0), 0.4, 1e-12);
    ps_series_free(&s);
}

static void test_allocations(void **state)
{
    (void)state;
    ps_series *s = run_text(
        "t: t1, t2, t3, t4 ~ ~ |\nb: b1, b2 ~ ~ |\n"
        "p: ptype, ppriority, pwidth, pextra ~ ~ |\n"
        "request[t] = 3, 6, 2.5, 2 ~ ~ |\n"
        "priority[t] = 10, 9, 7, 2 ~ ~ |\n"
        "by priority[t] = ALLOCATE BY PRIORITY(request[t], priority[t], "
        "ELMCOUNT(t), 3, 5) ~ ~ |\n"
        "req[b] = 10, 10 ~ ~ |\n"
        "profile[b, p] = 1, 5, 2, 0; 1, 3, 2, 0; ~ ~ |\n"
        "available[b] = ALLOCATE AVAILABLE(req[b], profile[b, ptype], 12) "
        "~ ~ |\n" CONTROL(1, 1),
        NULL);
    /* t1 runs alone for 1 unit, then t1 and t2 share 4 by 3:6 */
    assert_float_equal(value_at(s, "by priority[t1]", 0), 1 + 4.0 / 3, 1e-12);
    assert_float_equal(value_at(s, "by priority[t2]", 0), 8.0 / 3, 1e-12);
    assert_float_equal(value_at(s, "by priority[t3]", 0), 0, 0);
    /* rectangular profiles: b1 (priority 5) is served in full, b2 gets the
       rest */
    assert_float_equal(value_at(s, "available[b1]", 0), 10, 1e-9);
    assert_float_equal(value_at(s, "available[b2]", 0), 2, 1e-9);
    ps_series_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort_order_rank_and_reorder),
        cmocka_unit_test(test_select_and_elm_map),
        cmocka_unit_test(test_invert_matrix),
        cmocka_unit_test(test_allocations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
