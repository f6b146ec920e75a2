/*
 * Applying a scenario to its model, then compiling and simulating it: the
 * time settings, fixed values and levers take effect in the run.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plansim/program.h"
#include "plansim/sim.h"
#include "scenario_test.h"

static const char *model_text = "g = 1 ~ ~ |\n"
                                "y = INTEG(g, 0) ~ ~ |\n"
                                "k = 2 ~ ~ |\n"
                                "twice = y * k ~ ~ |\n"
                                "held = ACTIVE INITIAL(y + 1, 5) ~ ~ |\n"
                                "INITIAL TIME = 0 ~ ~ |\n"
                                "FINAL TIME = 10 ~ ~ |\n"
                                "TIME STEP = 0.5 ~ ~ |\n"
                                "SAVEPER = 1 ~ ~ |\n";

/* Applies `scenario` to `model`, compiles and simulates it (with the
   scenario's method); the caller frees the series. */
static ps_series *run(const char *model, const char *scenario)
{
    ps_model *m = model_ok(model);
    ps_scenario *sc = parse_ok(scenario);
    ps_error err;
    if (ps_scenario_apply(sc, m, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to apply");
    }
    ps_program *prog = NULL;
    if (ps_program_compile(m, &prog, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the applied model to compile");
    }
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    opts.method = sc->method;
    ps_series *s = NULL;
    if (ps_simulate(prog, &opts, &s, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the applied model to run");
    }
    ps_program_free(&prog);
    ps_scenario_free(&sc);
    ps_model_free(&m);
    return s;
}

static double at(const ps_series *s, const char *name, double t)
{
    size_t col = ps_series_find(s, name);
    assert_true(col != (size_t)-1);
    for (size_t r = 0; r < s->nrows; r++)
        if (fabs(s->time[r] - t) < 1e-9)
            return ps_series_get(s, r, col);
    fail_msg("no saved time %g", t);
    return NAN;
}

static void test_lever_follows_its_path_and_holds_beyond(void **state)
{
    (void)state;
    ps_series *s = run(model_text, "model: m.mdl\n"
                                   "levers:\n"
                                   "  g: {2: 1, 4: 3, 8: 3.5}\n");
    assert_true(at(s, "g", 0) == 1); /* held before the first point */
    assert_true(at(s, "g", 2) == 1);
    assert_true(at(s, "g", 3) == 2); /* interpolated */
    assert_true(at(s, "g", 6) == 3.25);
    assert_true(at(s, "g", 10) == 3.5); /* held after the last */
    /* and the stock it drives integrates it (Euler, step 0.5):
       y(3) = 4 steps of 1 + g(2) + g(2.5) = 2 + 0.5 * (1 + 1.5) */
    assert_true(at(s, "y", 2) == 2);
    assert_true(at(s, "y", 3) == 3.25);
    ps_series_free(&s);
}

static void test_fixed_values_replace_equations(void **state)
{
    (void)state;
    ps_series *s = run(model_text, "model: m.mdl\n"
                                   "fixed:\n"
                                   "  k: 3\n"
                                   "  twice: {value: 7, label: 固定}\n"
                                   "  held: 4\n");
    assert_true(at(s, "twice", 5) == 7);
    assert_true(at(s, "k", 0) == 3);
    /* an ACTIVE INITIAL loses its initial value with its equation */
    assert_true(at(s, "held", 0) == 4 && at(s, "held", 10) == 4);
    ps_series_free(&s);
}

static void test_time_settings_replace_the_models(void **state)
{
    (void)state;
    ps_series *s =
        run(model_text, "model: m.mdl\n"
                        "time: {initial: 2025, final: 2030, step: 0.25, "
                        "saveper: 0.5}\n"
                        "method: rk4\n"
                        "levers: {g: {2025: 0, 2030: 10}}\n");
    assert_int_equal(s->nrows, 11);
    assert_true(s->time[0] == 2025 && s->time[10] == 2030);
    assert_true(at(s, "g", 2027.5) == 5);
    /* y' = 2 (t - 2025): exact under RK4 with g held over a step?  g is
       interpolated at each stage, so y(2030) = 25 up to rounding */
    assert_true(fabs(at(s, "y", 2030) - 25) < 1e-9);
    ps_series_free(&s);
}

static void test_time_setting_the_model_lacks_is_added(void **state)
{
    (void)state;
    const char *model = "y = INTEG(1, 0) ~ ~ |\n"
                        "INITIAL TIME = 0 ~ ~ |\n"
                        "FINAL TIME = 4 ~ ~ |\n";
    ps_model *m = model_ok(model);
    ps_scenario *sc = parse_ok("model: m.mdl\ntime: {step: 0.5, saveper: 2}\n");
    assert_int_equal(ps_scenario_apply(sc, m, NULL), PS_OK);
    ps_var *v = ps_model_find(m, "TIME STEP");
    assert_non_null(v);
    assert_int_equal(v->expr->kind, PS_EXPR_NUMBER);
    assert_true(v->expr->u.number == 0.5);
    assert_non_null(ps_model_find(m, "saveper"));
    ps_scenario_free(&sc);
    ps_model_free(&m);
    ps_series *s = run(model, "model: m.mdl\ntime: {step: 0.5, saveper: 2}\n");
    assert_int_equal(s->nrows, 3);
    assert_true(at(s, "y", 4) == 4);
    ps_series_free(&s);
}

static void test_lever_is_a_with_lookup_of_time(void **state)
{
    (void)state;
    ps_model *m = model_ok(model_text);
    ps_scenario *sc = parse_ok("model: m.mdl\nlevers: {k: {1: 10, 3: 30}}\n");
    assert_int_equal(ps_scenario_apply(sc, m, NULL), PS_OK);
    const ps_expr *e = ps_model_find(m, "k")->expr;
    assert_int_equal(e->kind, PS_EXPR_CALL);
    assert_string_equal(e->u.call.key, "with_lookup");
    assert_int_equal(e->u.call.argc, 2);
    assert_int_equal(e->u.call.argv[0]->kind, PS_EXPR_REF);
    assert_string_equal(e->u.call.argv[0]->u.ref.key, "time");
    const ps_table *t = e->u.call.argv[1]->u.table;
    assert_int_equal(e->u.call.argv[1]->kind, PS_EXPR_TABLE);
    assert_int_equal(t->n, 2);
    assert_true(t->x[1] == 3 && t->y[1] == 30);
    ps_scenario_free(&sc);
    ps_model_free(&m);
}

static void test_failed_check_leaves_the_model_unchanged(void **state)
{
    (void)state;
    ps_model *m = model_ok(model_text);
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "time: {final: 20}\n"
                               "fixed: {k: 5}\n"
                               "levers: {g: {0: 1, 30: 2}}\n");
    ps_error err;
    assert_int_equal(ps_scenario_apply(sc, m, &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.yaml", 4, 20,
                 "the lever time 30 lies outside the run (0 to 20)",
                 "levers: {g: {0: 1, 30: 2}}", "                   ^~");
    assert_true(ps_model_find(m, "k")->expr->u.number == 2);
    assert_true(ps_model_find(m, "FINAL TIME")->expr->u.number == 10);
    assert_int_equal(ps_model_find(m, "g")->expr->kind, PS_EXPR_NUMBER);
    ps_scenario_free(&sc);
    ps_model_free(&m);
}

static void test_fixture_scenario_runs_on_its_model(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/policy.yaml");
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(sc->model_path, &m, &err), PS_OK);
    assert_int_equal(ps_scenario_apply(sc, m, &err), PS_OK);
    ps_program *prog = NULL;
    assert_int_equal(ps_program_compile(m, &prog, &err), PS_OK);
    ps_series *s = NULL;
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    assert_int_equal(ps_simulate(prog, &opts, &s, &err), PS_OK);
    /* 2025 to 2035, saved every TIME STEP (the model's SAVEPER) */
    assert_int_equal(s->nrows, 41);
    assert_true(fabs(at(s, "fai growth", 2027) - 0.175) < 1e-15);
    assert_true(at(s, "fai growth", 2035) == 0.1);
    assert_true(at(s, "depreciation rate", 2030) == 0.08);
    ps_series_free(&s);
    ps_program_free(&prog);
    ps_model_free(&m);
    ps_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lever_follows_its_path_and_holds_beyond),
        cmocka_unit_test(test_fixed_values_replace_equations),
        cmocka_unit_test(test_time_settings_replace_the_models),
        cmocka_unit_test(test_time_setting_the_model_lacks_is_added),
        cmocka_unit_test(test_lever_is_a_with_lookup_of_time),
        cmocka_unit_test(test_failed_check_leaves_the_model_unchanged),
        cmocka_unit_test(test_fixture_scenario_runs_on_its_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
