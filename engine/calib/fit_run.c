/*
 * The fit of one run to a scenario's observed series
 * (plansim/calib_scenario.h): the batch likelihood of the calibration
 * run once, its simulated observations set against the observed ones.
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/calib_scenario.h"

ps_status ps_calib_fit_run(const ps_calib_problem *p, const ps_sc_observed *obs,
                           const double *x, ps_fit *fits, ps_error *err)
{
    ps_calib_model model = ps_calib_batch_model(p->batch);
    size_t nobs = ps_calib_batch_nobs(p->batch);
    double *extra = malloc((model.nextra ? model.nextra : 1) * sizeof *extra);
    double *observed = malloc((nobs ? nobs : 1) * sizeof *observed);
    if (!extra || !observed) {
        free(extra);
        free(observed);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for the fit");
    }
    for (size_t i = 0; i < model.nextra; i++)
        extra[i] = NAN;
    double loglik;
    ps_status st = model.loglik(model.ctx, 1, x, &loglik, extra, err);
    if (st == PS_OK && ps_calib_batch_failed(p->batch) > 0) {
        *err = *ps_calib_batch_first_failure(p->batch);
        st = err->status != PS_OK ? err->status : PS_ERR_DATA;
    }
    for (size_t s = 0; st == PS_OK && s < obs->nseries; s++) {
        const ps_sc_obs_series *se = &obs->series[s];
        size_t at = ps_calib_batch_obs_offset(p->batch, s);
        for (size_t j = 0; j < se->n; j++)
            observed[at + j] = se->value[j];
        ps_fit_compute(extra + at, observed + at, se->n, &fits[s]);
    }
    free(extra);
    free(observed);
    return st;
}
