/*
 * The outputs of a sensitivity analysis: a variable at a saved time
 * (VARIABLE@TIME) or a target's 0/1 indicator (target:NAME); by default
 * the scenario's scorecard.
 */
#include "plansim_study/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/element.h"
#include "plansim/program.h"

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Keeps `s` (a new string, or NULL) in o's strings; returns it. */
static char *keep(sens_outputs *o, char *s)
{
    if (s)
        o->text[o->ntext++] = s;
    return s;
}

/* Index of the saved time equal to t (to a relative 1e-9), or -1. */
static long time_index(const scenario_run *r, double t)
{
    for (size_t i = 0; i < r->ntimes; i++)
        if (fabs(r->times[i] - t) <= 1e-9 * fmax(1.0, fabs(t)))
            return (long)i;
    return -1;
}

/* The first line of a variable's documentation (a new string), or NULL
   when it has none. */
static char *doc_line(const ps_program *prog, size_t var)
{
    const char *doc = ps_program_var_doc(prog, var);
    if (!doc || !*doc)
        return NULL;
    return strndup(doc, strcspn(doc, "\n"));
}

/* Appends element `elem` of variable `var` at saved time index `ti`,
   unless listed. */
static ps_status add_value(scenario_run *r, sens_outputs *o, size_t var,
                           size_t elem, size_t ti, ps_error *err)
{
    for (size_t i = 0; i < o->n; i++)
        if (!o->v[i].target && o->v[i].var == var && o->v[i].elem == elem &&
            o->v[i].time_index == ti)
            return PS_OK;
    const char *name = keep(o, ps_program_element_name(r->prog, var, elem));
    if (!name)
        return nomem(err);
    size_t len = strlen(name) + 48;
    char *full = keep(o, malloc(len));
    if (!full)
        return nomem(err);
    snprintf(full, len, "%s@%.10g", name, r->times[ti]);
    char *label = doc_line(r->prog, var);
    if (label)
        keep(o, label);
    o->v[o->n++] = (sens_output){
        .h5 = {.name = full, .label = label, .variable = name,
               .time = r->times[ti], .base = NAN},
        .var = var,
        .elem = elem,
        .time_index = ti,
    };
    return scenario_save_also(r, var, err);
}

/* Appends the indicator of target t, unless listed. */
static ps_status add_target(scenario_run *r, sens_outputs *o,
                            const ps_sc_target *t, ps_error *err)
{
    for (size_t i = 0; i < o->n; i++)
        if (o->v[i].target == t)
            return PS_OK;
    size_t k = (size_t)(t - r->sc->targets);
    size_t var = r->bind.target_var[k];
    long ti = time_index(r, t->time);
    if (ti < 0) /* the scenario check vouched */
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "target '%s' has no saved value", t->name);
    size_t len = strlen(t->name) + 8;
    char *full = keep(o, malloc(len));
    if (!full)
        return nomem(err);
    snprintf(full, len, "target:%s", t->name);
    o->v[o->n++] = (sens_output){
        .h5 = {.name = full, .label = t->label,
               .variable = r->bind.target_names[k], .time = t->time,
               .is_target = 1, .base = NAN},
        .var = var,
        .elem = r->bind.target_elem[k],
        .time_index = (size_t)ti,
        .target = t,
    };
    return scenario_save_also(r, var, err);
}

/* "target:NAME". */
static ps_status parse_target(scenario_run *r, sens_outputs *o,
                              const char *spec, ps_error *err)
{
    const ps_scenario *sc = r->sc;
    const char *name = spec + strlen("target:");
    for (size_t i = 0; i < sc->ntargets; i++)
        if (sc->targets[i].name && strcmp(sc->targets[i].name, name) == 0)
            return add_target(r, o, &sc->targets[i], err);
    if (sc->ntargets == 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "--of %s: the scenario has no targets", spec);
    char known[512];
    size_t n = 0;
    known[0] = '\0';
    for (size_t i = 0; i < sc->ntargets && n < sizeof known; i++)
        n += (size_t)snprintf(known + n, sizeof known - n, "%s%s",
                              i ? ", " : "", sc->targets[i].name);
    const char *near = ps_scenario_nearest_target(sc, name);
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                        "--of %s: no target '%s' (targets: %s)%s%s%s", spec,
                        name, known, near ? "; did you mean 'target:" : "",
                        near ? near : "", near ? "'?" : "");
}

/* "VARIABLE@TIME". */
static ps_status parse_value(scenario_run *r, sens_outputs *o,
                             const char *spec, ps_error *err)
{
    const char *at = strrchr(spec, '@');
    double t;
    if (!at || at == spec || study_parse_number(at + 1, &t) != 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "--of %s: not VARIABLE@TIME (e.g. 'gdp "
                            "nominal@2030') or target:NAME",
                            spec);
    char *name = strndup(spec, (size_t)(at - spec));
    if (!name)
        return nomem(err);
    size_t var, elem;
    ps_error why;
    ps_status st = ps_element_find(r->prog, name, &var, &elem, &why);
    if (st == PS_ERR_NOMEM) {
        free(name);
        return nomem(err);
    }
    if (st != PS_OK)
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "--of %s: %s", spec,
                          why.message);
    else if (elem == PS_ALL_ELEMENTS && ps_program_var_ndims(r->prog, var)) {
        char *one = ps_program_element_name(r->prog, var, 0);
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "--of %s: '%s' is subscripted; name one element, "
                          "as in '%s@%g'",
                          spec, name, one ? one : name, t);
        free(one);
    }
    free(name);
    if (st != PS_OK)
        return st;
    if (elem == PS_ALL_ELEMENTS)
        elem = 0;
    long ti = time_index(r, t);
    if (ti < 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "--of %s: %g is not a saved time (%g to %g, %zu "
                            "times)",
                            spec, t, r->times[0], r->times[r->ntimes - 1],
                            r->ntimes);
    return add_value(r, o, var, elem, (size_t)ti, err);
}

ps_status sens_outputs_make(scenario_run *r, const char *const *specs,
                            size_t nspecs, sens_outputs *o, ps_error *err)
{
    memset(o, 0, sizeof *o);
    const ps_scenario *sc = r->sc;
    size_t cap = nspecs ? nspecs : 2 * sc->ntargets;
    o->v = calloc(cap ? cap : 1, sizeof *o->v);
    o->text = calloc(3 * cap + 1, sizeof *o->text);
    ps_status st = PS_OK;
    if (!o->v || !o->text) {
        st = nomem(err);
    } else if (nspecs == 0 && sc->ntargets == 0) {
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "the scenario has no targets: name the outputs "
                          "with --of VARIABLE@TIME");
    } else if (nspecs == 0) {
        for (size_t i = 0; i < sc->ntargets && st == PS_OK; i++) {
            const ps_sc_target *t = &sc->targets[i];
            long ti = time_index(r, t->time);
            if (ti >= 0)
                st = add_value(r, o, r->bind.target_var[i], r->bind.target_elem[i],
                               (size_t)ti, err);
            if (st == PS_OK)
                st = add_target(r, o, t, err);
        }
    } else {
        for (size_t i = 0; i < nspecs && st == PS_OK; i++)
            st = strncmp(specs[i], "target:", 7) == 0
                     ? parse_target(r, o, specs[i], err)
                     : parse_value(r, o, specs[i], err);
    }
    if (st != PS_OK)
        sens_outputs_free(o);
    return st;
}

void sens_outputs_free(sens_outputs *o)
{
    for (size_t i = 0; o->text && i < o->ntext; i++)
        free(o->text[i]);
    free(o->text);
    free(o->v);
    memset(o, 0, sizeof *o);
}
