/*
 * `extends:` chains: a child overrides its parent item by item; paths are
 * resolved against the file that wrote them; cycles and missing parents
 * are errors at the `extends:` that causes them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "scenario_test.h"

static const ps_sc_fixed *fixed(const ps_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->nfixed; i++)
        if (strcmp(sc->fixed[i].name, name) == 0)
            return &sc->fixed[i];
    return NULL;
}

static const ps_sc_target *target(const ps_scenario *sc, const char *name)
{
    for (size_t i = 0; i < sc->ntargets; i++)
        if (strcmp(sc->targets[i].name, name) == 0)
            return &sc->targets[i];
    return NULL;
}

static void test_child_lists_its_files_child_first(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/high.yaml");
    assert_int_equal(sc->nfiles, 3);
    assert_string_equal(sc->files[0], "fixtures/extends/high.yaml");
    assert_string_equal(sc->files[1], "fixtures/extends/policy.yaml");
    assert_string_equal(sc->files[2], "fixtures/extends/baseline.yaml");
    assert_non_null(strstr(sc->texts[1], "Slower investment"));
    ps_scenario_free(&sc);
}

static void test_child_replaces_scalars_and_merges_settings(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/policy.yaml");
    assert_string_equal(sc->title, "投资放缓情景");
    /* the parent's model, resolved against the parent's folder */
    assert_string_equal(sc->model_path,
                        "fixtures/extends/../models/economy.mdl");
    assert_string_equal(sc->model_where.file, "fixtures/extends/baseline.yaml");
    /* time: final from the child, initial and step from the parent */
    assert_true(sc->final_time == 2035 && sc->initial_time == 2025 &&
                sc->time_step == 0.25);
    assert_string_equal(sc->final_where.file, "fixtures/extends/policy.yaml");
    assert_string_equal(sc->initial_where.file,
                        "fixtures/extends/baseline.yaml");
    assert_false(sc->has_saveper);
    /* sampling: runs from the child, method and seed from the parent */
    assert_int_equal(sc->runs, 5000);
    assert_int_equal(sc->sampling, PS_DESIGN_LHS);
    assert_true(sc->seed == 1);
    ps_scenario_free(&sc);
}

static void test_child_moves_a_variable_between_sections(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/policy.yaml");
    /* fai growth was fixed in the baseline: now a lever only */
    assert_null(fixed(sc, "fai growth"));
    assert_int_equal(sc->nlevers, 1);
    assert_string_equal(sc->levers[0].name, "fai growth");
    /* deflator growth was uncertain: now fixed only */
    assert_non_null(fixed(sc, "deflator growth"));
    assert_non_null(fixed(sc, "depreciation rate"));
    assert_int_equal(sc->nfixed, 2);
    assert_int_equal(sc->ninputs, 2);
    assert_string_equal(sc->inputs[0].name, "capital share");
    /* project delay replaced in place by the child's distribution */
    assert_string_equal(sc->inputs[1].name, "project delay");
    assert_int_equal(sc->inputs[1].dist.kind, PS_DIST_PERT);
    assert_string_equal(sc->inputs[1].where.file,
                        "fixtures/extends/policy.yaml");
    /* the pair naming deflator growth went with it; the other stays */
    assert_non_null(sc->correlation);
    assert_true(sc->correlation[0 * 2 + 1] == -0.5);
    ps_scenario_free(&sc);
}

static void test_child_replaces_targets_by_name(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/policy.yaml");
    assert_int_equal(sc->ntargets, 3);
    assert_string_equal(sc->targets[0].name, "gdp_700");
    assert_true(sc->targets[0].lo == 680);
    assert_string_equal(sc->targets[0].where.file,
                        "fixtures/extends/policy.yaml");
    assert_string_equal(sc->targets[1].name, "capital_cap");
    assert_true(target(sc, "capital_cap")->binding);
    assert_int_equal(target(sc, "gdp_real")->compare, PS_SC_BETWEEN);
    /* save is replaced whole, here inherited */
    assert_int_equal(sc->nsave, 2);
    ps_scenario_free(&sc);
}

static void test_grandchild_matrix_replaces_inherited_pairs(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/high.yaml");
    assert_string_equal(sc->method, "rk4");
    assert_int_equal(sc->ninputs, 2);
    assert_true(sc->correlation[0 * 2 + 1] == 0.3);
    assert_true(sc->correlation[1 * 2 + 0] == 0.3);
    assert_int_equal(sc->nsave, 1);
    assert_string_equal(sc->save[0], "gdp real");
    /* inherited from two levels up */
    assert_int_equal(sc->runs, 5000);
    assert_true(sc->final_time == 2035);
    ps_scenario_free(&sc);
}

static void test_paths_resolve_against_the_file_that_wrote_them(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/extends/sub/child.yaml");
    assert_string_equal(sc->files[1], "fixtures/extends/sub/../baseline.yaml");
    assert_string_equal(sc->model_path,
                        "fixtures/extends/sub/../../models/economy.mdl");
    assert_string_equal(sc->title, "子情景");
    ps_scenario_free(&sc);
    sc = load_ok("fixtures/extends/sub/own_model.yaml");
    assert_string_equal(sc->model_path, "fixtures/extends/sub/local.mdl");
    ps_scenario_free(&sc);
}

static void test_parsed_text_extends_a_file(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    const char *text = "extends: extends/baseline.yaml\n"
                       "fixed: {depreciation rate: 0.05}\n";
    ps_error err;
    assert_int_equal(
        ps_scenario_parse(text, strlen(text), "fixtures/stdin.yaml", &sc, &err),
        PS_OK);
    assert_int_equal(sc->nfiles, 2);
    assert_true(fixed(sc, "depreciation rate")->value == 0.05);
    assert_true(fixed(sc, "fai growth")->value == 0.2);
    ps_scenario_free(&sc);
}

static void test_empty_section_of_a_child_inherits(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("extends: fixtures/extends/baseline.yaml\n"
                               "fixed:\n"
                               "targets:\n");
    assert_int_equal(sc->nfixed, 2);
    assert_int_equal(sc->ntargets, 2);
    ps_scenario_free(&sc);
}

static void test_cycle_names_both_files(void **state)
{
    (void)state;
    ps_scenario *sc = (ps_scenario *)1;
    ps_error err;
    assert_int_equal(ps_scenario_load("fixtures/cycle/a.yaml", &sc, &err),
                     PS_ERR_DATA);
    assert_null(sc);
    assert_error(&err, PS_ERR_DATA, "fixtures/cycle/b.yaml", 3, 10,
                 "a cycle of 'extends': 'fixtures/cycle/a.yaml' extends "
                 "'fixtures/cycle/b.yaml' extends 'fixtures/cycle/a.yaml'",
                 "extends: a.yaml", "         ^~~~~~");
}

static void test_file_extending_itself_is_a_cycle(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    ps_error err;
    assert_int_equal(ps_scenario_load("fixtures/cycle/self.yaml", &sc, &err),
                     PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "fixtures/cycle/self.yaml", 2, 10,
                 "'fixtures/cycle/self.yaml' extends "
                 "'fixtures/cycle/self.yaml'",
                 "extends: self.yaml", "         ^~~~~~~~~");
}

static void test_missing_parent_is_noinput_at_the_extends(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    ps_error err;
    assert_int_equal(
        ps_scenario_load("fixtures/errors/missing_parent.yaml", &sc, &err),
        PS_ERR_NOINPUT);
    assert_error(&err, PS_ERR_NOINPUT, "fixtures/errors/missing_parent.yaml", 2,
                 10, "cannot read 'fixtures/errors/nowhere.yaml': No such file",
                 "extends: nowhere.yaml", "         ^~~~~~~~~~~~");
}

static void test_error_in_a_parent_is_reported_in_the_parent(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    ps_error err;
    assert_int_equal(
        ps_scenario_load("fixtures/errors/child_of_bad.yaml", &sc, &err),
        PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "fixtures/errors/bad_parent.yaml", 2, 18,
                 "expected a whole number, got 'one thousand'",
                 "sampling: {runs: one thousand}",
                 "                 ^~~~~~~~~~~~");
}

static void test_repeat_within_one_file_is_found_before_merging(void **state)
{
    (void)state;
    /* the child would replace 'fai growth', but the parent itself names
       it twice: that is still an error, in the parent */
    assert_parse_error("extends: fixtures/extends/baseline.yaml\n"
                       "fixed:\n"
                       "  fai growth: 0.1\n"
                       "levers:\n"
                       "  FAI_growth: {2026: 0.1}\n",
                       5, 3, "'FAI_growth' is already fixed (line 3)",
                       "  FAI_growth: {2026: 0.1}", "  ^~~~~~~~~~");
    assert_parse_error("extends: fixtures/extends/baseline.yaml\n"
                       "time: {final: 2031, Final: 2032}\n",
                       2, 21, "'Final' is given twice (also at line 2)",
                       "time: {final: 2031, Final: 2032}",
                       "                    ^~~~~");
}

static void test_missing_scenario_is_noinput(void **state)
{
    (void)state;
    ps_scenario *sc = (ps_scenario *)1;
    ps_error err;
    assert_int_equal(ps_scenario_load("fixtures/none.yaml", &sc, &err),
                     PS_ERR_NOINPUT);
    assert_null(sc);
    assert_error(&err, PS_ERR_NOINPUT, "fixtures/none.yaml", 0, 0,
                 "cannot read the scenario: No such file or directory", NULL,
                 NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_lists_its_files_child_first),
        cmocka_unit_test(test_child_replaces_scalars_and_merges_settings),
        cmocka_unit_test(test_child_moves_a_variable_between_sections),
        cmocka_unit_test(test_child_replaces_targets_by_name),
        cmocka_unit_test(test_grandchild_matrix_replaces_inherited_pairs),
        cmocka_unit_test(test_paths_resolve_against_the_file_that_wrote_them),
        cmocka_unit_test(test_parsed_text_extends_a_file),
        cmocka_unit_test(test_empty_section_of_a_child_inherits),
        cmocka_unit_test(test_cycle_names_both_files),
        cmocka_unit_test(test_file_extending_itself_is_a_cycle),
        cmocka_unit_test(test_missing_parent_is_noinput_at_the_extends),
        cmocka_unit_test(test_error_in_a_parent_is_reported_in_the_parent),
        cmocka_unit_test(test_repeat_within_one_file_is_found_before_merging),
        cmocka_unit_test(test_missing_scenario_is_noinput),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
