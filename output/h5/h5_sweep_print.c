/*
 * A probability surface of `plansim sweep` as one JSON document: the
 * levers with their grid values, and per target its definition and, at
 * every grid point, the probability with its 95 % Wilson interval.
 */
#include "h5_impl.h"

#include <math.h>
#include <stdio.h>

#include "plansim_output/json.h"
#include "plansim_output/study_json.h"

/* The value of lever i at grid point `pt` (row-major, the last axis
   fastest). */
static double point_value(const ps_h5_sweep *s, size_t pt, size_t i)
{
    for (size_t a = s->naxes; a-- > i + 1;)
        pt /= s->axes[a].n;
    return s->axes[i].values[pt % s->axes[i].n];
}

static void json_target(ps_json *j, const ps_h5_sweep *s, size_t k,
                        size_t npoints)
{
    const ps_h5_target_meta *t = &s->targets[k];
    ps_json_object(j);
    ps_json_target_members(j, t);
    ps_json_key(j, "points");
    ps_json_array(j);
    for (size_t pt = 0; pt < npoints; pt++) {
        size_t at = k * npoints + pt;
        ps_json_object(j);
        ps_json_key(j, "levers");
        ps_json_object(j);
        for (size_t i = 0; i < s->naxes; i++)
            ps_json_member_number(j, s->axes[i].name, point_value(s, pt, i));
        ps_json_end(j);
        ps_json_member_number(j, "probability", s->probability[at]);
        ps_json_member_number(j, "ci_low", s->ci_low[at]);
        ps_json_member_number(j, "ci_high", s->ci_high[at]);
        ps_json_member_integer(j, "hits", s->hits[at]);
        ps_json_member_integer(j, "runs", s->counted[at]);
        ps_json_member_integer(j, "failed", s->failed ? s->failed[pt] : 0);
        ps_json_end(j);
    }
    ps_json_end(j);
    ps_json_end(j);
}

ps_status ps_h5_sweep_print_json(FILE *out, const ps_h5_sweep *s, ps_error *err)
{
    if (s->naxes == 0 || !s->axes)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "a sweep without levers");
    size_t npoints = 1;
    for (size_t i = 0; i < s->naxes; i++)
        npoints *= s->axes[i].n;
    ps_json j;
    ps_json_init(&j, out);
    ps_json_object(&j);
    ps_json_member_integer(&j, "format_version", 1);
    ps_json_member_string(&j, "command", "sweep");
    ps_json_member_string(&j, "title", s->title);
    ps_json_member_string(&j, "scenario",
                          s->nscenario_files ? s->scenario_names[0] : NULL);
    ps_json_member_string(&j, "model_file", s->model_file);
    ps_json_member_integer(&j, "seed", (long long)s->seed);
    ps_json_member_string(&j, "sampling", s->sampling);
    ps_json_member_integer(&j, "runs_per_point", (long long)s->runs);
    ps_json_member_integer(&j, "points", (long long)npoints);
    ps_json_member_string(&j, "interval",
                          "95 % Wilson interval of the "
                          "Monte Carlo sampling error");
    ps_json_key(&j, "levers");
    ps_json_array(&j);
    for (size_t i = 0; i < s->naxes; i++) {
        const ps_h5_sweep_axis *a = &s->axes[i];
        ps_json_object(&j);
        ps_json_member_string(&j, "name", a->name);
        ps_json_member_string(&j, "label", a->label);
        ps_json_member_string(&j, "units", a->units);
        ps_json_member_string(&j, "kind", a->kind);
        ps_json_member_bool(&j, "path_set_aside", a->path_set_aside);
        ps_json_key(&j, "values");
        ps_json_numbers(&j, a->values, a->n);
        ps_json_end(&j);
    }
    ps_json_end(&j);
    ps_json_key(&j, "targets");
    ps_json_array(&j);
    for (size_t k = 0; k < s->ntargets; k++)
        json_target(&j, s, k, npoints);
    ps_json_end(&j);
    ps_json_end(&j);
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the sweep's results");
    return PS_OK;
}
