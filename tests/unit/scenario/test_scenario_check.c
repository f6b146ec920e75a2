/*
 * Checking a scenario against its model: names exist (with a suggestion
 * when not), fixed values and levers replace what may be replaced,
 * uncertain inputs are constants, times lie within the run as the
 * scenario and the model set it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "scenario_test.h"

static const char *model_text =
    "capital = INTEG(investment - capital * depreciation rate, 100) ~ ~ |\n"
    "investment = base investment * (1 + fai growth) ~ ~ |\n"
    "base investment = 10 ~ ~ |\n"
    "fai growth = 0.1 ~ ~ |\n"
    "depreciation rate = 0.05 ~ ~ |\n"
    "double rate = depreciation rate * 2 ~ ~ |\n"
    "output = capital * 0.3 ~ ~ |\n"
    "curve((0,0),(1,1)) ~ ~ |\n"
    "地区生产总值 = output ~ 亿元 ~ |\n"
    "INITIAL TIME = 0 ~ ~ |\n"
    "FINAL TIME = 10 ~ ~ |\n"
    "TIME STEP = 0.25 ~ ~ |\n"
    "SAVEPER = 1 ~ ~ |\n";

/* Checks `scenario` against `model`; the status, and err filled. */
static ps_status check(const char *model, const char *scenario, ps_error *err)
{
    ps_model *m = model_ok(model);
    ps_scenario *sc = parse_ok(scenario);
    ps_status st = ps_scenario_check(sc, m, err);
    ps_scenario_free(&sc);
    ps_model_free(&m);
    return st;
}

static void check_ok(const char *model, const char *scenario)
{
    ps_error err;
    if (check(model, scenario, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to pass its check");
    }
}

static void check_fails(const char *model, const char *scenario, int line,
                        int column, const char *fragment, const char *source,
                        const char *underline)
{
    ps_error err;
    assert_int_equal(check(model, scenario, &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.yaml", line, column, fragment, source,
                 underline);
}

/* ---- the fixtures pass against their model ---- */

static void test_fixture_scenarios_pass_against_their_model(void **state)
{
    (void)state;
    const char *files[] = {"fixtures/full.yaml", "fixtures/extends/policy.yaml",
                           "fixtures/extends/high.yaml"};
    for (size_t i = 0; i < 3; i++) {
        ps_scenario *sc = load_ok(files[i]);
        ps_model *m = NULL;
        ps_error err;
        assert_int_equal(ps_model_load(sc->model_path, &m, &err), PS_OK);
        if (ps_scenario_check(sc, m, &err) != PS_OK) {
            ps_error_print(stderr, &err);
            fail_msg("%s should pass its check", files[i]);
        }
        ps_model_free(&m);
        ps_scenario_free(&sc);
    }
}

/* ---- names ---- */

static void test_unknown_variable_suggests_the_closest(void **state)
{
    (void)state;
    check_fails(model_text, "model: m.mdl\nfixed:\n  depreciaton rate: 0.1\n",
                3, 3,
                "the model has no variable 'depreciaton rate'; did you mean "
                "'depreciation rate'?",
                "  depreciaton rate: 0.1", "  ^~~~~~~~~~~~~~~~");
    check_fails(model_text, "model: m.mdl\nsave: [地区生产总直]\n", 2, 8,
                "the model has no variable '地区生产总直'; did you mean "
                "'地区生产总值'?",
                "save: [地区生产总直]", "       ^~~~~~~~~~~~");
    check_fails(model_text,
                "model: m.mdl\ntargets:\n  - {name: t, variable: gdp, year: "
                "10, at least: 1}\n",
                3, 25, "the model has no variable 'gdp'",
                "  - {name: t, variable: gdp, year: 10, at least: 1}",
                "                        ^~~");
}

static void test_names_match_as_vensim_compares_them(void **state)
{
    (void)state;
    check_ok(model_text, "model: m.mdl\n"
                         "fixed: {Depreciation_Rate: 0.1}\n"
                         "save: [\"base  investment\", 地区生产总值]\n");
}

/* ---- what may be replaced ---- */

static void test_stock_lookup_and_time_settings_cannot_be_fixed(void **state)
{
    (void)state;
    check_fails(model_text, "model: m.mdl\nfixed: {capital: 1}\n", 2, 9,
                "'capital' is a stock and cannot be fixed",
                "fixed: {capital: 1}", "        ^~~~~~~");
    check_fails(model_text, "model: m.mdl\nlevers: {curve: {1: 1}}\n", 2, 10,
                "'curve' is a lookup table and cannot be a lever",
                "levers: {curve: {1: 1}}", "         ^~~~~");
    check_fails(model_text, "model: m.mdl\nfixed: {time step: 1}\n", 2, 9,
                "'TIME STEP' is a time setting; set it under 'time:', not as "
                "fixed",
                "fixed: {time step: 1}", "        ^~~~~~~~~");
}

static void test_any_auxiliary_can_be_fixed_or_a_lever(void **state)
{
    (void)state;
    check_ok(model_text, "model: m.mdl\n"
                         "fixed: {output: 5}\n"
                         "levers: {investment: {0: 1, 10: 2}}\n");
}

static void test_uncertain_inputs_must_be_constants(void **state)
{
    (void)state;
    check_ok(model_text, "model: m.mdl\n"
                         "uncertain:\n"
                         "  fai growth: {dist: uniform, min: 0, max: 1}\n"
                         "  double rate: {dist: uniform, min: 0, max: 1}\n");
    check_fails(model_text,
                "model: m.mdl\n"
                "uncertain:\n"
                "  output: {dist: uniform, min: 0, max: 1}\n",
                3, 3,
                "'output' is not a constant in the model (its equation "
                "changes over time or calls a function), so it cannot be "
                "uncertain",
                "  output: {dist: uniform, min: 0, max: 1}", "  ^~~~~~");
    check_fails(model_text,
                "model: m.mdl\n"
                "uncertain:\n"
                "  capital: {dist: uniform, min: 0, max: 1}\n",
                3, 3, "'capital' is a stock and cannot be uncertain",
                "  capital: {dist: uniform, min: 0, max: 1}", "  ^~~~~~~");
}

static void test_input_computed_from_a_lever_is_not_constant(void **state)
{
    (void)state;
    check_fails(model_text,
                "model: m.mdl\n"
                "levers: {depreciation rate: {0: 0.05, 10: 0.1}}\n"
                "uncertain:\n"
                "  double rate: {dist: uniform, min: 0, max: 1}\n",
                4, 3, "'double rate' is not a constant in the model",
                "  double rate: {dist: uniform, min: 0, max: 1}",
                "  ^~~~~~~~~~~");
}

/* ---- times ---- */

static void test_lever_times_lie_within_the_run(void **state)
{
    (void)state;
    check_fails(model_text,
                "model: m.mdl\nlevers:\n  fai growth: {0: 0.1, 11: 0.2}\n", 3,
                24, "the lever time 11 lies outside the run (0 to 10)",
                "  fai growth: {0: 0.1, 11: 0.2}", "                       ^~");
    /* the scenario's own horizon counts */
    check_ok(model_text, "model: m.mdl\n"
                         "time: {final: 12}\n"
                         "levers:\n  fai growth: {0: 0.1, 11: 0.2}\n");
    check_fails(model_text,
                "model: m.mdl\ntime: {initial: 2}\n"
                "levers:\n  fai growth: {1: 0.1, 5: 0.2}\n",
                4, 16, "the lever time 1 lies outside the run (2 to 10)",
                "  fai growth: {1: 0.1, 5: 0.2}", "               ^");
}

static void test_target_times_are_saved_times_within_the_run(void **state)
{
    (void)state;
    check_fails(model_text,
                "model: m.mdl\ntargets:\n"
                "  - {name: t, variable: output, year: 12, at most: 1}\n",
                3, 39, "the target time 12 lies outside the run (0 to 10)",
                "  - {name: t, variable: output, year: 12, at most: 1}",
                "                                      ^~");
    check_fails(model_text,
                "model: m.mdl\ntime: {saveper: 2}\ntargets:\n"
                "  - {name: t, variable: output, year: 5, at most: 1}\n",
                4, 39,
                "the target time 5 is not a saved time (the run saves every 2 "
                "from 0)",
                "  - {name: t, variable: output, year: 5, at most: 1}",
                "                                      ^");
}

static void test_saveper_is_a_whole_number_of_steps(void **state)
{
    (void)state;
    /* the scenario's step against the model's SAVEPER: at the step */
    check_fails(model_text, "model: m.mdl\ntime: {step: 0.3}\n", 2, 14,
                "saveper (1) must be a whole number of time steps (0.3)",
                "time: {step: 0.3}", "             ^~~");
    check_fails(model_text, "model: m.mdl\ntime: {saveper: 0.3}\n", 2, 17,
                "saveper (0.3) must be a whole number of time steps (0.25)",
                "time: {saveper: 0.3}", "                ^~~");
    check_ok(model_text, "model: m.mdl\ntime: {step: 0.5, saveper: 2}\n");
}

static void test_horizon_set_half_by_each_must_be_ordered(void **state)
{
    (void)state;
    check_fails(model_text, "model: m.mdl\ntime: {initial: 2025}\n", 2, 17,
                "the final time (10) must come after the initial time (2025)",
                "time: {initial: 2025}", "                ^~~~");
}

static void test_step_count_is_bounded(void **state)
{
    (void)state;
    /* 10^21 steps: refused at once, at the step, never counted */
    check_fails(
        model_text, "model: m.mdl\ntime: {final: 1e12, step: 1e-9}\n", 2, 27,
        "a run from 0 to 1e+12 in steps of 1e-09 would take 1e+21 "
        "steps; at most 100000000 are allowed",
        "time: {final: 1e12, step: 1e-9}", "                          ^~~~");
    /* the final time alone: at the final time */
    check_fails(model_text, "model: m.mdl\ntime: {final: 1e300}\n", 2, 15,
                "would take 4e+300 steps", "time: {final: 1e300}",
                "              ^~~~~");
    /* exactly the limit is allowed */
    check_ok(model_text, "model: m.mdl\ntime: {final: 1e8, step: 1}\n");
    check_fails(model_text, "model: m.mdl\ntime: {final: 100000001, step: 1}\n",
                2, 32, "would take 1e+08 steps",
                "time: {final: 100000001, step: 1}",
                "                               ^");
    /* the model's own tiny TIME STEP: at its line in the model */
    const char *model = "x = 1 ~ ~ |\n"
                        "INITIAL TIME = 0 ~ ~ |\n"
                        "FINAL TIME = 4 ~ ~ |\n"
                        "TIME STEP = 1e-300 ~ ~ |\n";
    ps_error err;
    assert_int_equal(check(model, "model: m.mdl\n", &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.mdl", 4, 1,
                 "would take 4e+300 steps; at most 100000000 are allowed", NULL,
                 NULL);
}

/* ---- the model's own time settings ---- */

static void test_model_time_settings_are_evaluated(void **state)
{
    (void)state;
    /* SAVEPER = TIME STEP follows the scenario's step; FINAL TIME = 5 * 2 */
    const char *model = "x = 1 ~ ~ |\n"
                        "INITIAL TIME = 0 ~ ~ |\n"
                        "FINAL TIME = 5 * 2 ~ ~ |\n"
                        "TIME STEP = 0.25 ~ ~ |\n"
                        "SAVEPER = TIME STEP ~ ~ |\n";
    check_ok(model, "model: m.mdl\ntime: {step: 0.3}\n"
                    "levers: {x: {0: 1, 10: 2}}\n");
    check_fails(model, "model: m.mdl\nlevers: {x: {0: 1, 10.5: 2}}\n", 2, 20,
                "outside the run (0 to 10)", "levers: {x: {0: 1, 10.5: 2}}",
                "                   ^~~~");
}

static void test_model_time_setting_that_is_not_a_number(void **state)
{
    (void)state;
    const char *model = "x = INTEG(1, 0) ~ ~ |\n"
                        "INITIAL TIME = 0 ~ ~ |\n"
                        "FINAL TIME = x ~ ~ |\n"
                        "TIME STEP = 1 ~ ~ |\n";
    ps_error err;
    assert_int_equal(check(model, "model: m.mdl\n", &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.mdl", 3, 1,
                 "FINAL TIME is not a number in the model; set it in the "
                 "scenario (time: final:)",
                 NULL, NULL);
    check_ok(model, "model: m.mdl\ntime: {final: 4}\n");
}

static void test_missing_time_setting_must_come_from_the_scenario(void **state)
{
    (void)state;
    const char *model = "x = 1 ~ ~ |\n"
                        "INITIAL TIME = 0 ~ ~ |\n"
                        "FINAL TIME = 4 ~ ~ |\n";
    ps_error err;
    assert_int_equal(check(model, "model: m.mdl\n", &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.mdl", 0, 0,
                 "the model does not define TIME STEP and the scenario does "
                 "not set it (time: step:)",
                 NULL, NULL);
    check_ok(model, "model: m.mdl\ntime: {step: 0.5}\n");
}

/* ---- saved variables ---- */

static void test_lookup_cannot_be_saved(void **state)
{
    (void)state;
    check_fails(model_text, "model: m.mdl\nsave: [output, curve]\n", 2, 16,
                "'curve' is a lookup table; it has no value to save",
                "save: [output, curve]", "               ^~~~~");
}

/* ---- errors at stored positions ---- */

static void test_error_at_formats_a_stored_position(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "fixed:\n"
                               "  折旧率: {value: 0.08, label: 折旧率}\n");
    ps_error err;
    assert_int_equal(ps_scenario_error_at(sc, &sc->fixed[0].where, PS_ERR_DATA,
                                          &err, "'%s' is not used", "折旧率"),
                     PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.yaml", 3, 3, "'折旧率' is not used",
                 "  折旧率: {value: 0.08, label: 折旧率}", "  ^~~~~~");
    /* a position in no file of the scenario: the plain message */
    ps_sc_where elsewhere = {"other.yaml", {4, 2}, 3};
    ps_scenario_error_at(sc, &elsewhere, PS_ERR_DATA, &err, "plain");
    assert_error(&err, PS_ERR_DATA, "other.yaml", 4, 2, "plain", NULL, NULL);
    ps_scenario_error_at(sc, NULL, PS_ERR_INTERNAL, &err, "nowhere");
    assert_error(&err, PS_ERR_INTERNAL, "", 0, 0, "nowhere", NULL, NULL);
    assert_int_equal(ps_scenario_error_at(sc, NULL, PS_ERR_DATA, NULL, "x"),
                     PS_ERR_DATA);
    ps_scenario_free(&sc);
}

static void test_check_without_scenario_or_model_is_usage(void **state)
{
    (void)state;
    ps_model *m = model_ok(model_text);
    ps_error err;
    assert_int_equal(ps_scenario_check(NULL, m, &err), PS_ERR_USAGE);
    ps_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_scenarios_pass_against_their_model),
        cmocka_unit_test(test_unknown_variable_suggests_the_closest),
        cmocka_unit_test(test_names_match_as_vensim_compares_them),
        cmocka_unit_test(test_stock_lookup_and_time_settings_cannot_be_fixed),
        cmocka_unit_test(test_any_auxiliary_can_be_fixed_or_a_lever),
        cmocka_unit_test(test_uncertain_inputs_must_be_constants),
        cmocka_unit_test(test_input_computed_from_a_lever_is_not_constant),
        cmocka_unit_test(test_lever_times_lie_within_the_run),
        cmocka_unit_test(test_target_times_are_saved_times_within_the_run),
        cmocka_unit_test(test_saveper_is_a_whole_number_of_steps),
        cmocka_unit_test(test_horizon_set_half_by_each_must_be_ordered),
        cmocka_unit_test(test_step_count_is_bounded),
        cmocka_unit_test(test_model_time_settings_are_evaluated),
        cmocka_unit_test(test_model_time_setting_that_is_not_a_number),
        cmocka_unit_test(test_missing_time_setting_must_come_from_the_scenario),
        cmocka_unit_test(test_lookup_cannot_be_saved),
        cmocka_unit_test(test_error_at_formats_a_stored_position),
        cmocka_unit_test(test_check_without_scenario_or_model_is_usage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
