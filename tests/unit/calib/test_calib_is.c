/*
 * Importance reweighting of prior draws against the closed-form posterior
 * of a linear Gaussian model: weighted moments and the evidence agree with
 * the exact ones; the result is reproducible; a collapsed sample is
 * flagged; impossible data are refused.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linear_gauss.h"

static ps_status run_is(lg_problem *p, size_t n, uint64_t seed,
                        double ess_warning, ps_calib_result *r, ps_error *err)
{
    ps_calib_options o;
    ps_calib_options_default(&o);
    o.particles = n;
    o.seed = seed;
    o.ess_warning = ess_warning;
    ps_calib_prior prior = lg_prior(p);
    ps_calib_model model = lg_model(p);
    return ps_calibrate(PS_CALIB_IS, &prior, &model, &o, r, err);
}

/* Means within 4 sd / sqrt(ESS), sds within 5 %, the log evidence within
   0.05, for 50000 draws. */
static void check_against_exact(int correlated)
{
    lg_problem p;
    lg_init(&p, correlated);
    double mean[LG_MAX_D], cov[LG_MAX_D * LG_MAX_D], logz;
    lg_exact(&p, mean, cov, &logz);
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run_is(&p, 50000, 2, 0.01, &r, &err), PS_OK);
    const size_t d = p.d;
    assert_int_equal(r.nstages, 1);
    assert_int_equal(r.evaluations, 50000);
    assert_int_equal(r.complete, 1);
    assert_int_equal(r.collapsed, 0);
    assert_true(r.ess > 100.0);
    double worst_z = 0.0, worst_sd = 0.0;
    for (size_t j = 0; j < d; j++) {
        ps_calib_moments m;
        assert_int_equal(ps_calib_summarize(r.x, r.nparticles, d, j, r.weights,
                                            0, NULL, &m, NULL, NULL),
                         PS_OK);
        const double sd = sqrt(cov[j * d + j]);
        const double zerr = (m.mean - mean[j]) / (sd / sqrt(r.ess));
        worst_z = fmax(worst_z, fabs(zerr));
        worst_sd = fmax(worst_sd, fabs(m.sd / sd - 1.0));
        if (!(fabs(zerr) <= 4.0 && fabs(m.sd / sd - 1.0) <= 0.05))
            fail_msg("input %zu: mean %.5f (exact %.5f), sd %.5f (exact "
                     "%.5f)",
                     j, m.mean, mean[j], m.sd, sd);
    }
    print_message("  ESS %.0f of %zu; worst mean %.2f se, sd %.2f %%, log "
                  "evidence %.4f (exact %.4f)\n",
                  r.ess, r.nparticles, worst_z, 100.0 * worst_sd,
                  r.log_evidence, logz);
    assert_true(fabs(r.log_evidence - logz) <= 0.05);
    assert_memory_equal(r.x, r.prior_x, r.nparticles * d * sizeof *r.x);
    assert_true(r.stages[0].phi == 1.0);
    assert_true(r.stages[0].log_evidence_increment == r.log_evidence);
    ps_calib_result_free(&r);
}

static void is_matches_exact_posterior(void **state)
{
    (void)state;
    check_against_exact(0);
}

static void is_matches_exact_posterior_correlated(void **state)
{
    (void)state;
    check_against_exact(1);
}

static void is_is_reproducible_and_flags_collapse(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 1);
    ps_calib_result a, b;
    ps_error err;
    p.threads = 1;
    assert_int_equal(run_is(&p, 2000, 9, 0.01, &a, &err), PS_OK);
    p.threads = 3;
    assert_int_equal(run_is(&p, 2000, 9, 1.0, &b, &err), PS_OK);
    const size_t n = a.nparticles, d = a.nparams;
    assert_memory_equal(a.x, b.x, n * d * sizeof *a.x);
    assert_memory_equal(a.weights, b.weights, n * sizeof *a.weights);
    assert_memory_equal(a.extra, b.extra, n * a.nextra * sizeof *a.extra);
    assert_int_equal(a.collapsed, 0);
    assert_int_equal(b.collapsed, 1); /* an ESS below N always is */
    ps_calib_result_free(&a);
    ps_calib_result_free(&b);
}

static void is_refuses_impossible_data(void **state)
{
    (void)state;
    lg_problem p;
    lg_init(&p, 0);
    p.impossible = 1;
    ps_calib_result r;
    ps_error err;
    assert_int_equal(run_is(&p, 100, 1, 0.01, &r, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no prior draw reproduces"));
    assert_null(r.x);
    ps_calib_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(is_matches_exact_posterior),
        cmocka_unit_test(is_matches_exact_posterior_correlated),
        cmocka_unit_test(is_is_reproducible_and_flags_collapse),
        cmocka_unit_test(is_refuses_impossible_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
