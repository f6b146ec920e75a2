/*
 * A scenario's calibration problem (plansim/calib_scenario.h): its
 * uncertain columns as the prior, its observed series as the likelihood.
 */
#include <stdlib.h>
#include <string.h>

#include "plansim/calib_scenario.h"

void ps_calib_problem_free(ps_calib_problem *p)
{
    if (!p)
        return;
    ps_calib_batch_free(&p->batch);
    free(p->names);
    free(p->dists);
    free(p->target_time);
    memset(p, 0, sizeof *p);
}

static ps_status need_observed(const ps_scenario *sc, const ps_sc_binding *b,
                               ps_error *err)
{
    if (!sc->observed || sc->observed->nseries == 0)
        return ps_error_set(err, PS_ERR_DATA, sc->path, 0, 0,
                            "the scenario has no observed series to "
                            "calibrate to: add an `observed:` section "
                            "(docs/calibration.md)");
    if (b->ncolumns == 0)
        return ps_error_set(err, PS_ERR_DATA, sc->path, 0, 0,
                            "the scenario has no uncertain inputs to "
                            "calibrate: give their priors under "
                            "`uncertain:`");
    return PS_OK;
}

ps_status ps_calib_problem_init(ps_calib_problem *p, const ps_scenario *sc,
                                const ps_sc_binding *b, const ps_program *prog,
                                const ps_sim_options *sim, int threads,
                                volatile sig_atomic_t *cancel, ps_error *err)
{
    memset(p, 0, sizeof *p);
    ps_status st = need_observed(sc, b, err);
    if (st != PS_OK)
        return st;
    p->names = calloc(b->ncolumns, sizeof *p->names);
    p->dists = calloc(b->ncolumns, sizeof *p->dists);
    p->target_time = calloc(sc->ntargets + 1, sizeof *p->target_time);
    if (!p->names || !p->dists || !p->target_time)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for the calibration");
    for (size_t j = 0; j < b->ncolumns; j++) {
        p->names[j] = b->columns[j].name;
        p->dists[j] = b->columns[j].dist;
    }
    for (size_t t = 0; t < sc->ntargets; t++)
        p->target_time[t] = sc->targets[t].time;
    p->prior =
        (ps_calib_prior){b->ncolumns, p->names, p->dists, b->correlation};
    ps_calib_batch_spec spec = {
        .prog = prog,
        .sim = *sim,
        .ninputs = b->ncolumns,
        .nslots = b->nslots,
        .slots = b->slots,
        .observed = sc->observed,
        .obs_var = b->obs_var,
        .obs_elem = b->obs_elem,
        .obs_of_var = b->obs_of_var,
        .obs_of_elem = b->obs_of_elem,
        .ntargets = sc->ntargets,
        .target_var = b->target_var,
        .target_elem = b->target_elem,
        .target_time = p->target_time,
        .threads = threads,
        .cancel = cancel,
    };
    return ps_calib_batch_new(&spec, &p->batch, err);
}
