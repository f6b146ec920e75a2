/*
 * "Did you mean ...?" in the scenario's error messages: the nearest name
 * by the one rule of plansim/suggest.h, put into words.
 */
#include <stdio.h>
#include <stdlib.h>

#include "plansim/suggest.h"
#include "scenario_impl.h"

void sc_suggestion(const char *word, const char *const *cands, size_t n,
                   char *buf, size_t size)
{
    const char *near = ps_nearest(word, cands, n);
    if (near)
        snprintf(buf, size, "; did you mean '%s'?", near);
    else if (size)
        buf[0] = '\0';
}

int sc_nearest_var(const ps_model *m, const char *name, const char **shown)
{
    const ps_var *near;
    int rc = ps_model_nearest(m, name, &near);
    *shown = near ? near->name : NULL;
    return rc;
}

const char *ps_scenario_nearest_target(const ps_scenario *sc, const char *name)
{
    const char **names = malloc((sc->ntargets + 1) * sizeof *names);
    if (!names)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < sc->ntargets; i++)
        if (sc->targets[i].name)
            names[n++] = sc->targets[i].name;
    const char *near = ps_nearest(name, names, n);
    free(names);
    return near;
}
