/*
 * Freeing a scenario, and judging a target.
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/scenario.h"
#include "scenario_impl.h"

static void sc_ref_free(ps_sc_ref *ref)
{
    free(ref->var);
    for (size_t i = 0; i < ref->nsubs; i++)
        free(ref->subs[i]);
    free(ref->subs);
    free(ref->sub_where);
}

void ps_scenario_free(ps_scenario **scp)
{
    if (!scp || !*scp)
        return;
    ps_scenario *sc = *scp;
    free(sc->path);
    for (size_t i = 0; i < sc->nfiles; i++) {
        free(sc->files[i]);
        free(sc->texts[i]);
    }
    free(sc->files);
    free(sc->texts);
    free(sc->title);
    free(sc->description);
    free(sc->title_zh);
    free(sc->title_en);
    free(sc->description_zh);
    free(sc->description_en);
    free(sc->model_path);
    free(sc->method);
    for (size_t i = 0; i < sc->nfixed; i++) {
        free(sc->fixed[i].name);
        sc_ref_free(&sc->fixed[i].ref);
        free(sc->fixed[i].label);
        free(sc->fixed[i].source);
    }
    free(sc->fixed);
    for (size_t i = 0; i < sc->nlevers; i++) {
        ps_sc_lever *l = &sc->levers[i];
        free(l->name);
        sc_ref_free(&l->ref);
        free(l->time);
        free(l->value);
        free(l->time_where);
        free(l->label);
        free(l->source);
    }
    free(sc->levers);
    for (size_t i = 0; i < sc->ninputs; i++) {
        free(sc->inputs[i].name);
        sc_ref_free(&sc->inputs[i].ref);
        ps_dist_clear(&sc->inputs[i].dist);
        free(sc->inputs[i].label);
        free(sc->inputs[i].source);
    }
    free(sc->inputs);
    free(sc->correlation);
    for (size_t i = 0; i < sc->nsave; i++)
        free(sc->save[i]);
    free(sc->save);
    free(sc->save_where);
    for (size_t i = 0; i < sc->ntargets; i++) {
        ps_sc_target *t = &sc->targets[i];
        free(t->name);
        free(t->label);
        free(t->variable);
        sc_ref_free(&t->ref);
        free(t->source);
    }
    free(sc->targets);
    sc_observed_free(sc->observed);
    free(sc);
    *scp = NULL;
}

int ps_sc_target_met(const ps_sc_target *t, double value)
{
    if (!t || isnan(value))
        return 0;
    return ps_sc_rule_met(t->compare, t->lo, t->hi, value);
}
