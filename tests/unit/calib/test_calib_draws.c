/*
 * What forecasts from a posterior use: drawing particles by their
 * weights (ps_calib_draws), the targets' probabilities over an ensemble
 * (ps_target_probabilities, on the logistic model through the engine),
 * and the refusals of a scenario that cannot be calibrated
 * (ps_calib_problem_init).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "logistic_problem.h"
#include "plansim/calib_scenario.h"

/* Four particles of two inputs, weights 0.1, 0.2, 0, 0.7 (unnormalised:
   1, 2, 0, 7). */
static const double x[] = {3, 30, 1, 10, 2, 20, 4, 5};
static const double w[] = {1, 2, 0, 7};

static void test_pick_follows_running_weights(void **state)
{
    (void)state;
    ps_calib_draws dr;
    ps_error err;
    assert_int_equal(ps_calib_draws_init(&dr, 4, 2, x, w, &err), PS_OK);
    /* running weights 0.1, 0.3, 0.3, 1.0: the first above v */
    assert_int_equal(ps_calib_draws_pick(&dr, 0.0), 0);
    assert_int_equal(ps_calib_draws_pick(&dr, 0.1), 1);
    assert_int_equal(ps_calib_draws_pick(&dr, 0.29), 1);
    assert_int_equal(ps_calib_draws_pick(&dr, 0.3), 3); /* skips weight 0 */
    assert_int_equal(ps_calib_draws_pick(&dr, 0.999), 3);
    /* systematic over 10 runs: 1, 2, 0 and 7 of them */
    size_t count[4] = {0};
    for (size_t r = 0; r < 10; r++)
        count[ps_calib_draws_pick(&dr, (r + 0.5) / 10)]++;
    assert_int_equal(count[0], 1);
    assert_int_equal(count[1], 2);
    assert_int_equal(count[2], 0);
    assert_int_equal(count[3], 7);
    ps_calib_draws_free(&dr);
}

static void test_quantiles_are_the_weighted_marginals(void **state)
{
    (void)state;
    ps_calib_draws dr;
    ps_error err;
    assert_int_equal(ps_calib_draws_init(&dr, 4, 2, x, w, &err), PS_OK);
    /* input 0 in order 1 (0.2), 2 (0), 3 (0.1), 4 (0.7): running 0.2,
       0.2, 0.3, 1.0 */
    assert_true(ps_calib_draws_quantile(&dr, 0, 0.1) == 1);
    assert_true(ps_calib_draws_quantile(&dr, 0, 0.2) == 1);
    assert_true(ps_calib_draws_quantile(&dr, 0, 0.25) == 3);
    assert_true(ps_calib_draws_quantile(&dr, 0, 0.5) == 4);
    /* input 1 in order 5 (0.7), 10 (0.2), 20 (0), 30 (0.1) */
    assert_true(ps_calib_draws_quantile(&dr, 1, 0.5) == 5);
    assert_true(ps_calib_draws_quantile(&dr, 1, 0.8) == 10);
    assert_true(ps_calib_draws_quantile(&dr, 1, 0.95) == 30);
    ps_calib_draws_free(&dr);
    /* no positive weight: nothing to draw from */
    static const double zero[] = {0, -1, 0, 0};
    assert_int_equal(ps_calib_draws_init(&dr, 4, 2, x, zero, &err),
                     PS_ERR_USAGE);
}

static void test_target_probabilities_count_the_runs(void **state)
{
    (void)state;
    lp_problem p;
    lp_init(&p, 1);
    /* rate 0.8: by year 24 the population is at its capacity */
    static const double in[] = {0.8, 500, 0.8, 800, 0.8, 1000, 0.8, 1500};
    size_t save = p.obs_var;
    ps_ensemble_spec spec = {
        .prog = p.prog,
        .nruns = 4,
        .ninputs = 2,
        .nslots = 2,
        .slots = p.slots,
        .inputs = in,
        .nsave = 1,
        .save_vars = &save,
        .threads = 1,
    };
    ps_sim_options_default(&spec.sim);
    ps_sc_target t[2] = {
        {.name = "big", .time = 24, .compare = PS_SC_AT_LEAST, .lo = 900},
        {.name = "early", .time = 3, .compare = PS_SC_AT_LEAST, .lo = 1e6},
    };
    size_t var[2] = {p.obs_var, p.obs_var}, elem[2] = {0, 0};
    double prob[2];
    ps_error err;
    assert_int_equal(
        ps_target_probabilities(&spec, t, var, elem, 2, prob, &err), PS_OK);
    assert_true(prob[0] == 0.5);
    assert_true(prob[1] == 0.0);
    /* a time that is not saved is refused, not guessed */
    t[1].time = 3.5;
    assert_int_equal(
        ps_target_probabilities(&spec, t, var, elem, 2, prob, &err),
        PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "early"));
    lp_free(&p);
}

static void test_problem_needs_observed_series_and_inputs(void **state)
{
    (void)state;
    lp_problem p;
    lp_init(&p, 1);
    ps_scenario sc;
    memset(&sc, 0, sizeof sc);
    sc.path = "s.yaml";
    ps_sc_binding b;
    memset(&b, 0, sizeof b);
    ps_sim_options sim;
    ps_sim_options_default(&sim);
    ps_calib_problem prob;
    ps_error err;
    assert_int_equal(
        ps_calib_problem_init(&prob, &sc, &b, p.prog, &sim, 1, NULL, &err),
        PS_ERR_DATA);
    assert_string_equal(err.file, "s.yaml");
    assert_non_null(strstr(err.message, "no observed series"));
    ps_calib_problem_free(&prob);
    sc.observed = &p.observed;
    assert_int_equal(
        ps_calib_problem_init(&prob, &sc, &b, p.prog, &sim, 1, NULL, &err),
        PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no uncertain inputs"));
    ps_calib_problem_free(&prob);
    lp_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_follows_running_weights),
        cmocka_unit_test(test_quantiles_are_the_weighted_marginals),
        cmocka_unit_test(test_target_probabilities_count_the_runs),
        cmocka_unit_test(test_problem_needs_observed_series_and_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
