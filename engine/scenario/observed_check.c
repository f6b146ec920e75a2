/*
 * Checking the `observed:` section against the model: each series (and
 * each share's denominator) is one element of a variable with a value,
 * and what was observed lies within the run: every time, and for a growth
 * rate the time it grows from.
 */
#include <math.h>
#include <stdlib.h>

#include "scenario_impl.h"

size_t sc_observed_items(const ps_scenario *sc)
{
    return sc->observed ? 2 * sc->observed->nseries : 0;
}

/* The variable of item k (named by ref, written at w) is one element of
   a variable with a value.  `role` says what it is to the series. */
static ps_status check_one(const ps_scenario *sc, sc_resolved *r, size_t k,
                           const ps_sc_ref *ref, const ps_sc_where *w,
                           const char *role, ps_error *err)
{
    const ps_var *v;
    ps_status st = sc_resolve_item(r, k, ref, w, &v);
    if (st)
        return st;
    if (v->kind == PS_VAR_LOOKUP)
        return ps_scenario_error_at(sc, w, PS_ERR_DATA, err,
                                    "'%s' is a lookup table; %s needs a "
                                    "variable with a value",
                                    v->name, role);
    if (sc_resolved_count(r, k) == 1)
        return PS_OK;
    char *el = sc_resolved_element(r, k, 0);
    st = ps_scenario_error_at(sc, w, PS_ERR_DATA, err,
                              "%s is about one value, and '%s' names %zu "
                              "elements of '%s': name one, such as '%s'",
                              role, ref->var, sc_resolved_count(r, k), v->name,
                              el ? el : v->name);
    free(el);
    return st;
}

ps_status sc_check_observed(const ps_scenario *sc, sc_resolved *r, size_t first,
                            double initial, double final, ps_error *err)
{
    const ps_sc_observed *o = sc->observed;
    double eps = 1e-9 * fmax(1, final - initial);
    for (size_t i = 0; o && i < o->nseries; i++) {
        const ps_sc_obs_series *s = &o->series[i];
        ps_status st = check_one(sc, r, first + 2 * i, &s->ref, &s->where,
                                 "an observed series", err);
        if (st == PS_OK && s->kind == PS_OBS_SHARE)
            st = check_one(sc, r, first + 2 * i + 1, &s->of_ref, &s->of_where,
                           "the whole of a share", err);
        if (st)
            return st;
        for (size_t j = 0; j < s->n; j++) {
            double t = s->time[j];
            if (t < initial - eps || t > final + eps)
                return ps_scenario_error_at(
                    sc, &s->where, PS_ERR_DATA, err,
                    "column '%s' has an observation at %g, outside the run "
                    "(%g to %g)",
                    s->column, t, initial, final);
            if (s->kind == PS_OBS_GROWTH && t - s->lag < initial - eps)
                return ps_scenario_error_at(
                    sc, &s->where, PS_ERR_DATA, err,
                    "the growth rate at %g in column '%s' is over %g to %g, "
                    "which starts before the run (%g to %g)",
                    t, s->column, t - s->lag, t, initial, final);
        }
    }
    return PS_OK;
}
