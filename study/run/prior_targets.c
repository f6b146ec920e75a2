/*
 * The targets' probabilities under the priors (plansim_study/run.h): the
 * scenario's own design, counted by the library's target sink.
 */
#include "plansim_study/run.h"

#include "plansim/calib_scenario.h"

ps_status prior_target_probabilities(const scenario_run *r, size_t nruns,
                                     uint64_t seed, int threads,
                                     volatile sig_atomic_t *cancel, double *p,
                                     ps_error *err)
{
    /* the same scenario without its posterior */
    scenario_run prior = *r;
    prior.posterior = NULL;
    scenario_inputs inputs = {0};
    ps_status st = scenario_inputs_init(&inputs, &prior, nruns, seed, err);
    if (st == PS_OK) {
        ps_ensemble_spec spec = {
            .prog = r->prog,
            .sim = r->sim,
            .nruns = nruns,
            .seed = seed,
            .ninputs = r->bind.ncolumns,
            .nslots = r->bind.nslots,
            .slots = r->bind.slots,
            .fill_inputs = scenario_fill_inputs,
            .inputs_ctx = &inputs,
            .nsave = r->nsave,
            .save_vars = r->save_vars,
            .threads = threads,
            .cancel = cancel,
        };
        st = ps_target_probabilities(&spec, r->sc->targets, r->bind.target_var,
                                     r->bind.target_elem, r->bind.ntargets, p,
                                     err);
    }
    scenario_inputs_free(&inputs);
    return st;
}
