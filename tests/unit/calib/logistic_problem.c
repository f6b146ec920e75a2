/*
 * The logistic calibration problem of logistic_problem.h.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "logistic_problem.h"
#include "plansim/element.h"
#include "plansim/mdl.h"
#include "plansim/model.h"
#include "plansim/rng.h"
#include "plansim/sim.h"

static const char *model_text =
    "{UTF-8}\n"
    "population = INTEG(growth, initial population) ~ animals ~ |\n"
    "growth = rate * population * (1 - population / capacity)\n"
    "  ~ animals/Year ~ |\n"
    "rate = 0.5 ~ 1/Year ~ |\n"
    "capacity = 1000 ~ animals ~ |\n"
    "initial population = 20 ~ animals ~ |\n"
    "INITIAL TIME = 0 ~ Year ~ |\n"
    "FINAL TIME = 24 ~ Year ~ |\n"
    "TIME STEP = 0.125 ~ Year ~ |\n"
    "SAVEPER = 1 ~ Year ~ |\n";

static size_t find_var(const ps_program *prog, const char *name)
{
    size_t v = ps_program_find(prog, name);
    if (v == (size_t)-1)
        fail_msg("the logistic model has no variable '%s'", name);
    return v;
}

void lp_init(lp_problem *p, int threads)
{
    memset(p, 0, sizeof *p);
    ps_model *model = NULL;
    ps_error err;
    ps_status st = ps_mdl_parse(model_text, strlen(model_text), "logistic.mdl",
                                &model, &err);
    if (st == PS_OK)
        st = ps_program_compile(model, &p->prog, &err);
    ps_model_free(&model);
    if (st != PS_OK)
        fail_msg("logistic model: %s", err.message);

    p->dists[0] = (ps_dist){.kind = PS_DIST_UNIFORM, .p = {0.2, 0.8}};
    p->dists[1] = (ps_dist){.kind = PS_DIST_UNIFORM, .p = {500.0, 1500.0}};
    p->names[0] = "rate";
    p->names[1] = "capacity";
    for (size_t j = 0; j < LP_NPARAMS; j++) {
        p->dist_ptrs[j] = &p->dists[j];
        p->slots[j] = (ps_input_slot){j, find_var(p->prog, p->names[j]), 0};
    }
    p->prior = (ps_calib_prior){LP_NPARAMS, p->names, p->dist_ptrs, NULL};

    for (size_t k = 0; k < LP_NOBS; k++) {
        p->time[k] = 3.0 * (double)(k + 1);
        p->value[k] = 1.0;
        p->error[k] = (ps_obs_error){PS_OBS_LOGNORMAL, 0, LP_SIGMA};
    }
    p->series.kind = PS_OBS_LEVEL;
    p->series.lag = 1.0;
    p->series.n = LP_NOBS;
    p->series.time = p->time;
    p->series.value = p->value;
    p->series.error = p->error;
    p->observed.nseries = 1;
    p->observed.series = &p->series;
    p->obs_var = find_var(p->prog, "population");
    p->obs_elem = 0;

    ps_calib_batch_spec spec = {
        .prog = p->prog,
        .ninputs = LP_NPARAMS,
        .nslots = LP_NPARAMS,
        .slots = p->slots,
        .observed = &p->observed,
        .obs_var = &p->obs_var,
        .obs_elem = &p->obs_elem,
        .obs_of_var = &p->obs_var,
        .obs_of_elem = &p->obs_elem,
        .threads = threads,
    };
    ps_sim_options_default(&spec.sim);
    if (ps_calib_batch_new(&spec, &p->batch, &err) != PS_OK)
        fail_msg("batch: %s", err.message);
    assert_int_equal(ps_calib_batch_nobs(p->batch), LP_NOBS);
}

void lp_free(lp_problem *p)
{
    ps_calib_batch_free(&p->batch);
    ps_program_free(&p->prog);
    for (size_t j = 0; j < LP_NPARAMS; j++)
        ps_dist_clear(&p->dists[j]);
}

void lp_simulate(lp_problem *p, const double *x, double *sim)
{
    ps_calib_model m = ps_calib_batch_model(p->batch);
    assert_int_equal(m.nextra, LP_NOBS);
    double ll;
    ps_error err;
    if (m.loglik(m.ctx, 1, x, &ll, sim, &err) != PS_OK)
        fail_msg("simulating rate %g, capacity %g: %s", x[0], x[1],
                 err.message);
    for (size_t k = 0; k < LP_NOBS; k++)
        if (!(sim[k] > 0.0 && isfinite(sim[k])))
            fail_msg("rate %g, capacity %g: population %g in year %g", x[0],
                     x[1], sim[k], p->time[k]);
}

void lp_observe(lp_problem *p, const double *sim, uint64_t seed, uint64_t run,
                uint64_t stream, int noise)
{
    const ps_rng_address addr = {seed, run, stream};
    for (size_t k = 0; k < LP_NOBS; k++) {
        const double z =
            noise ? gsl_cdf_ugaussian_Pinv(ps_rng_uniform(&addr, k)) : 0.0;
        p->value[k] = ps_obs_replicate(&p->error[k], sim[k], sim[k], z);
    }
}

void lp_calibrate(lp_problem *p, size_t n, uint64_t seed, ps_calib_result *r)
{
    ps_calib_options o;
    ps_calib_options_default(&o);
    o.particles = n;
    o.seed = seed;
    const ps_calib_model m = ps_calib_batch_model(p->batch);
    ps_error err;
    ps_status st = ps_calibrate(PS_CALIB_SMC, &p->prior, &m, &o, r, &err);
    if (st != PS_OK)
        fail_msg("SMC (seed %llu): %s: %s", (unsigned long long)seed,
                 ps_status_name(st), err.message);
    assert_int_equal(r->complete, 1);
    assert_true(r->stages[r->nstages - 1].phi == 1.0);
}
