/*
 * Reading good scenario files: every key in its long and short forms,
 * Chinese text, defaults, YAML anchors and merge keys.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "scenario_test.h"

static const ps_sc_input *input(const ps_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->ninputs; i++)
        if (strcmp(sc->inputs[i].name, name) == 0)
            return &sc->inputs[i];
    fail_msg("no uncertain input '%s'", name);
    return NULL;
}

static size_t input_index(const ps_scenario *sc, const char *name)
{
    return (size_t)(input(sc, name) - sc->inputs);
}

static double corr(const ps_scenario *sc, const char *a, const char *b)
{
    assert_non_null(sc->correlation);
    return sc
        ->correlation[input_index(sc, a) * sc->ninputs + input_index(sc, b)];
}

/* ---- the complete example ---- */

static void test_load_reads_the_top_level_and_settings(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    assert_string_equal(sc->path, "fixtures/full.yaml");
    assert_int_equal(sc->nfiles, 1);
    assert_string_equal(sc->files[0], "fixtures/full.yaml");
    assert_non_null(strstr(sc->texts[0], "Every key of the format"));
    assert_string_equal(sc->title, "黔江区十五五规划情景");
    assert_string_equal(sc->description,
                        "投资保持20%左右增长的情景。\nSecond line.\n");
    assert_string_equal(sc->model_path, "fixtures/models/economy.mdl");
    assert_int_equal(sc->model_where.loc.line, 6);
    assert_int_equal(sc->model_where.loc.column, 8);
    assert_true(sc->has_initial_time && sc->has_final_time &&
                sc->has_time_step && sc->has_saveper);
    assert_true(sc->initial_time == 2025 && sc->final_time == 2030);
    assert_true(sc->time_step == 0.25 && sc->saveper == 1);
    assert_int_equal(sc->final_where.loc.line, 7);
    assert_int_equal(sc->final_where.loc.column, 30);
    assert_string_equal(sc->method, "rk4");
    assert_true(sc->abs_tol == 1e-6 && sc->rel_tol == 1e-7);
    assert_int_equal(sc->sampling, PS_DESIGN_SOBOL);
    assert_int_equal(sc->runs, 4096);
    assert_true(sc->seed == 20251201);
    assert_int_equal(sc->nsave, 3);
    assert_string_equal(sc->save[0], "gdp nominal");
    assert_string_equal(sc->save[2], "capital");
    assert_int_equal(sc->save_where[1].loc.line, 40);
    assert_int_equal(sc->save_where[1].loc.column, 21);
    assert_int_equal(sc->save_where[1].length, 8);
    ps_scenario_free(&sc);
    assert_null(sc);
}

static void test_load_reads_fixed_values_in_both_forms(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    assert_int_equal(sc->nfixed, 3);
    const ps_sc_fixed *f = &sc->fixed[0];
    assert_string_equal(f->name, "depreciation rate");
    assert_true(f->value == 0.08);
    assert_string_equal(f->label, "折旧率");
    assert_string_equal(f->source, "Zhang et al. 2004");
    assert_int_equal(f->where.loc.line, 11);
    assert_int_equal(f->where.loc.column, 3);
    assert_int_equal(f->where.length, 17);
    f = &sc->fixed[1];
    assert_string_equal(f->name, "tfp growth");
    assert_true(f->value == 0.02);
    assert_null(f->label);
    assert_null(f->source);
    /* a percentage is a number */
    assert_true(fabs(sc->fixed[2].value - 0.30) < 1e-15);
    ps_scenario_free(&sc);
}

static void test_load_reads_levers_in_both_forms(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    assert_int_equal(sc->nlevers, 2);
    const ps_sc_lever *l = &sc->levers[0];
    assert_string_equal(l->name, "fai growth");
    assert_string_equal(l->label, "固定资产投资增速");
    assert_string_equal(l->source, "规划纲要 第三章第四节");
    assert_int_equal(l->n, 5);
    assert_true(l->time[0] == 2026 && l->value[0] == 0.20);
    assert_true(l->time[4] == 2030 && l->value[4] == 0.15);
    assert_int_equal(l->time_where[3].loc.line, 18);
    assert_int_equal(l->time_where[3].loc.column, 48);
    l = &sc->levers[1];
    assert_string_equal(l->name, "migration");
    assert_int_equal(l->n, 2);
    assert_true(l->time[1] == 2030 && l->value[1] == 1.5);
    assert_null(l->label);
    ps_scenario_free(&sc);
}

static void test_load_reads_every_distribution(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    assert_int_equal(sc->ninputs, 11);
    const ps_sc_input *in = input(sc, "deflator growth");
    assert_int_equal(in->dist.kind, PS_DIST_TRUNCNORMAL);
    assert_true(in->dist.p[0] == 0.02 && in->dist.p[1] == 0.01);
    assert_true(in->dist.p[2] == -0.01 && in->dist.p[3] == 0.05);
    assert_string_equal(in->label, "价格指数增速");
    assert_string_equal(in->source, "专栏2");
    in = input(sc, "capital share");
    assert_int_equal(in->dist.kind, PS_DIST_UNIFORM);
    assert_true(in->dist.p[0] == 0.35 && in->dist.p[1] == 0.55);
    in = input(sc, "project delay");
    assert_int_equal(in->dist.kind, PS_DIST_TRIANGULAR);
    assert_true(in->dist.p[0] == 0.5 && in->dist.p[1] == 1 &&
                in->dist.p[2] == 2.5);
    in = input(sc, "growth");
    assert_int_equal(in->dist.kind, PS_DIST_PERT);
    assert_true(in->dist.p[3] == 6);
    in = input(sc, "labour growth");
    assert_int_equal(in->dist.kind, PS_DIST_NORMAL);
    assert_true(in->dist.p[0] == 0.01 && in->dist.p[1] == 0.002);
    /* lognormal three ways: median, mu, and the mean and sd of x */
    in = input(sc, "land supply");
    assert_int_equal(in->dist.kind, PS_DIST_LOGNORMAL);
    assert_true(fabs(in->dist.p[0] - log(100)) < 1e-12);
    assert_true(in->dist.p[1] == 0.2);
    in = input(sc, "tourism demand");
    assert_true(in->dist.p[0] == 0 && in->dist.p[1] == 0.1);
    in = input(sc, "export demand");
    assert_true(fabs(ps_dist_mean(&in->dist) - 2) < 1e-12);
    double s2 = in->dist.p[1] * in->dist.p[1];
    assert_true(fabs(sqrt((exp(s2) - 1) * exp(2 * in->dist.p[0] + s2)) - 0.5) <
                1e-12);
    in = input(sc, "urban pull");
    assert_int_equal(in->dist.kind, PS_DIST_DISCRETE);
    assert_int_equal(in->dist.n, 3);
    assert_true(in->dist.values[2] == 1.0 && in->dist.weights[1] == 2);
    /* weights left out are equal */
    in = input(sc, "airport routes");
    assert_int_equal(in->dist.n, 2);
    assert_true(in->dist.weights[0] == in->dist.weights[1]);
    /* a truncated normal with one bound is unbounded on the other side */
    in = input(sc, "rd intensity");
    assert_true(in->dist.p[2] == 0 && isinf(in->dist.p[3]) &&
                in->dist.p[3] > 0);
    ps_scenario_free(&sc);
}

static void test_load_fills_the_correlation_matrix(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    assert_true(corr(sc, "capital share", "project delay") == -0.5);
    assert_true(corr(sc, "project delay", "capital share") == -0.5);
    assert_true(corr(sc, "labour growth", "deflator growth") == 0.3);
    assert_true(corr(sc, "growth", "growth") == 1);
    assert_true(corr(sc, "growth", "capital share") == 0);
    ps_scenario_free(&sc);
}

static void test_loaded_correlation_is_one_the_sampler_accepts(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    ps_copula *c = NULL;
    ps_error err;
    assert_int_equal(ps_copula_new(sc->correlation, sc->ninputs, &c, &err),
                     PS_OK);
    assert_int_equal(ps_copula_linked(c), 4);
    ps_copula_free(&c);
    ps_scenario_free(&sc);
}

static void test_load_reads_targets_in_every_form(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/full.yaml");
    assert_int_equal(sc->ntargets, 3);
    const ps_sc_target *t = &sc->targets[0];
    assert_string_equal(t->name, "gdp_700");
    assert_string_equal(t->label, "地区生产总值力争达到700亿元");
    assert_string_equal(t->variable, "gdp nominal");
    assert_string_equal(t->source, "第三章第四节");
    assert_true(t->time == 2030);
    assert_int_equal(t->compare, PS_SC_AT_LEAST);
    assert_true(t->lo == 700);
    assert_false(t->binding);
    assert_int_equal(t->where.loc.line, 42);
    assert_int_equal(t->where.loc.column, 11);
    assert_int_equal(t->variable_where.loc.line, 44);
    assert_int_equal(t->variable_where.loc.column, 15);
    assert_int_equal(t->time_where.loc.line, 45);
    t = &sc->targets[1];
    assert_int_equal(t->compare, PS_SC_AT_MOST);
    assert_true(t->hi == 3000);
    assert_true(t->binding);
    t = &sc->targets[2];
    assert_int_equal(t->compare, PS_SC_BETWEEN);
    assert_true(t->lo == 500 && t->hi == 600 && t->time == 2028);
    assert_true(t->binding); /* 约束性 */
    ps_scenario_free(&sc);
}

/* ---- defaults and small forms ---- */

static void test_parse_gives_defaults_for_what_is_left_out(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n");
    assert_string_equal(sc->path, "test.yaml");
    assert_string_equal(sc->model_path, "m.mdl");
    assert_null(sc->title);
    assert_null(sc->method);
    assert_false(sc->has_initial_time || sc->has_final_time ||
                 sc->has_time_step || sc->has_saveper);
    assert_true(sc->abs_tol == 0 && sc->rel_tol == 0);
    assert_int_equal(sc->sampling, PS_DESIGN_LHS);
    assert_int_equal(sc->runs, 1000);
    assert_true(sc->seed == 0);
    assert_null(sc->save);
    assert_null(sc->correlation);
    assert_int_equal(sc->nfixed + sc->nlevers + sc->ninputs + sc->ntargets, 0);
    ps_scenario_free(&sc);
}

static void test_parse_takes_one_title_text_for_every_language(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "title: 规划情景\n"
                               "description: 扩大专项债券申请\n");
    assert_string_equal(sc->title, "规划情景");
    assert_string_equal(sc->description, "扩大专项债券申请");
    assert_null(sc->title_zh);
    assert_null(sc->title_en);
    assert_null(sc->description_zh);
    assert_null(sc->description_en);
    ps_scenario_free(&sc);
}

static void test_parse_reads_title_and_description_per_language(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "title:\n"
                               "  en: Plan scenario\n"
                               "  zh: 规划情景\n"
                               "description:\n"
                               "  zh: |\n"
                               "    扩大专项债券申请\n"
                               "  en: More bonds.\n");
    /* the default text is the zh: one, wherever it is written */
    assert_string_equal(sc->title, "规划情景");
    assert_string_equal(sc->title_zh, "规划情景");
    assert_string_equal(sc->title_en, "Plan scenario");
    assert_string_equal(sc->description, "扩大专项债券申请\n");
    assert_string_equal(sc->description_zh, "扩大专项债券申请\n");
    assert_string_equal(sc->description_en, "More bonds.");
    ps_scenario_free(&sc);
}

static void test_parse_takes_the_only_language_as_the_default(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "title: {en: Plan scenario}\n");
    assert_string_equal(sc->title, "Plan scenario");
    assert_null(sc->title_zh);
    assert_string_equal(sc->title_en, "Plan scenario");
    assert_null(sc->description);
    assert_null(sc->description_en);
    ps_scenario_free(&sc);
}

static void test_parse_accepts_keys_spelt_with_underscores_or_case(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("Model: m.mdl\n"
                               "TIME: {Initial: 2000, Final: 2001}\n"
                               "targets:\n"
                               "  - {name: a, variable: x, year: 2001,"
                               " at_least: 3}\n"
                               "  - {name: b, variable: x, year: 2001,"
                               " At-Most: 4}\n"
                               "sampling: {method: Sobol}\n");
    assert_true(sc->initial_time == 2000);
    assert_int_equal(sc->targets[0].compare, PS_SC_AT_LEAST);
    assert_int_equal(sc->targets[1].compare, PS_SC_AT_MOST);
    assert_int_equal(sc->sampling, PS_DESIGN_SOBOL);
    ps_scenario_free(&sc);
}

static void test_parse_resolves_anchors_and_merge_keys(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok(
        "model: m.mdl\n"
        "uncertain:\n"
        "  a: &share {dist: uniform, min: 0.35, max: 0.55, source: &src 纲要}\n"
        "  b: *share\n"
        "  c: {<<: *share, max: 0.6}\n"
        "fixed:\n"
        "  d: {value: 1, source: *src}\n");
    assert_int_equal(sc->ninputs, 3);
    assert_true(sc->inputs[1].dist.p[1] == 0.55);
    assert_string_equal(sc->inputs[1].source, "纲要");
    assert_true(sc->inputs[2].dist.p[0] == 0.35);
    assert_true(sc->inputs[2].dist.p[1] == 0.6);
    assert_string_equal(sc->fixed[0].source, "纲要");
    ps_scenario_free(&sc);
}

static void test_parse_takes_one_name_as_a_list_to_save(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\nsave: 地区生产总值\n");
    assert_int_equal(sc->nsave, 1);
    assert_string_equal(sc->save[0], "地区生产总值");
    ps_scenario_free(&sc);
}

static void test_parse_resolves_the_model_against_the_file(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    const char *text = "model: ../models/x.mdl\n";
    assert_int_equal(
        ps_scenario_parse(text, strlen(text), "a/b/s.yaml", &sc, NULL), PS_OK);
    assert_string_equal(sc->model_path, "a/b/../models/x.mdl");
    ps_scenario_free(&sc);
    text = "model: /abs/x.mdl\n";
    assert_int_equal(
        ps_scenario_parse(text, strlen(text), "a/s.yaml", &sc, NULL), PS_OK);
    assert_string_equal(sc->model_path, "/abs/x.mdl");
    ps_scenario_free(&sc);
}

static void test_parse_reads_a_correlation_matrix(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "uncertain:\n"
                               "  a: {dist: normal, mean: 0, sd: 1}\n"
                               "  b: {dist: normal, mean: 0, sd: 1}\n"
                               "  c: {dist: normal, mean: 0, sd: 1}\n"
                               "correlation:\n"
                               "  order: [c, a]\n"
                               "  matrix:\n"
                               "    - [1, 0.4]\n"
                               "    - [0.4, 1]\n");
    assert_true(corr(sc, "a", "c") == 0.4);
    assert_true(corr(sc, "c", "a") == 0.4);
    assert_true(corr(sc, "a", "b") == 0);
    assert_true(corr(sc, "b", "b") == 1);
    ps_scenario_free(&sc);
}

static void test_parse_reads_empty_sections_as_left_out(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "fixed:\n"
                               "  # tfp growth: 0.02\n"
                               "levers:\n"
                               "targets:\n"
                               "save:\n");
    assert_int_equal(sc->nfixed + sc->nlevers + sc->ntargets, 0);
    assert_null(sc->save);
    ps_scenario_free(&sc);
}

static void test_target_met_compares_with_the_threshold(void **state)
{
    (void)state;
    ps_sc_target t = {.compare = PS_SC_AT_LEAST, .lo = 700, .hi = INFINITY};
    assert_true(ps_sc_target_met(&t, 700));
    assert_false(ps_sc_target_met(&t, 699.9));
    assert_false(ps_sc_target_met(&t, NAN));
    t = (ps_sc_target){.compare = PS_SC_AT_MOST, .lo = -INFINITY, .hi = 5.5};
    assert_true(ps_sc_target_met(&t, 5.4));
    assert_false(ps_sc_target_met(&t, 5.6));
    t = (ps_sc_target){.compare = PS_SC_BETWEEN, .lo = 1, .hi = 2};
    assert_true(ps_sc_target_met(&t, 1) && ps_sc_target_met(&t, 2));
    assert_false(ps_sc_target_met(&t, 0.5) || ps_sc_target_met(&t, 2.5));
}

static void test_free_accepts_null(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    ps_scenario_free(&sc);
    ps_scenario_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_reads_the_top_level_and_settings),
        cmocka_unit_test(test_load_reads_fixed_values_in_both_forms),
        cmocka_unit_test(test_load_reads_levers_in_both_forms),
        cmocka_unit_test(test_load_reads_every_distribution),
        cmocka_unit_test(test_load_fills_the_correlation_matrix),
        cmocka_unit_test(test_loaded_correlation_is_one_the_sampler_accepts),
        cmocka_unit_test(test_load_reads_targets_in_every_form),
        cmocka_unit_test(test_parse_gives_defaults_for_what_is_left_out),
        cmocka_unit_test(test_parse_takes_one_title_text_for_every_language),
        cmocka_unit_test(test_parse_reads_title_and_description_per_language),
        cmocka_unit_test(test_parse_takes_the_only_language_as_the_default),
        cmocka_unit_test(
            test_parse_accepts_keys_spelt_with_underscores_or_case),
        cmocka_unit_test(test_parse_resolves_anchors_and_merge_keys),
        cmocka_unit_test(test_parse_takes_one_name_as_a_list_to_save),
        cmocka_unit_test(test_parse_resolves_the_model_against_the_file),
        cmocka_unit_test(test_parse_reads_a_correlation_matrix),
        cmocka_unit_test(test_parse_reads_empty_sections_as_left_out),
        cmocka_unit_test(test_target_met_compares_with_the_threshold),
        cmocka_unit_test(test_free_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
