/*
 * The JSON document of `plansim solve` (plansim_output/study_json.h).
 */
#include <math.h>

#include "plansim_output/json.h"
#include "plansim_output/study_json.h"

static void json_point(ps_json *j, const char *key, const ps_solve_point *p)
{
    ps_json_key(j, key);
    ps_json_object(j);
    ps_json_member_number(j, "value", p->x);
    ps_json_member_number(j, "probability", p->probability);
    ps_json_member_number(j, "ci_low", p->ci_low);
    ps_json_member_number(j, "ci_high", p->ci_high);
    ps_json_member_integer(j, "hits", p->hits);
    ps_json_member_integer(j, "runs", p->runs);
    ps_json_end(j);
}

static void json_end_of(ps_json *j, const char *key, const ps_solve_end *e)
{
    ps_json_key(j, key);
    ps_json_object(j);
    ps_json_member_number(j, "value", e->x);
    ps_json_member_string(j, "relation", e->relation);
    ps_json_end(j);
}

ps_status ps_solve_print_json(FILE *out, const ps_solve_report *r,
                              ps_error *err)
{
    ps_json j;
    ps_json_init(&j, out);
    ps_json_object(&j);
    ps_json_member_integer(&j, "format_version", 1);
    ps_json_member_string(&j, "command", "solve");
    ps_json_member_string(&j, "title", r->title);
    ps_json_member_string(&j, "scenario", r->scenario);
    ps_json_member_integer(&j, "seed", (long long)r->seed);
    ps_json_key(&j, "target");
    if (r->target) {
        ps_json_object(&j);
        ps_json_target_members(&j, r->target);
        ps_json_end(&j);
    } else {
        ps_json_null(&j);
    }
    ps_json_key(&j, "lever");
    ps_json_object(&j);
    ps_json_member_string(&j, "name", r->lever);
    ps_json_member_string(&j, "label", r->lever_label);
    ps_json_member_string(&j, "units", r->lever_units);
    ps_json_member_string(&j, "kind", r->lever_kind);
    ps_json_member_number(&j, "scenario_value", r->lever_value);
    ps_json_member_bool(&j, "path_set_aside", r->path_set_aside);
    ps_json_end(&j);
    ps_json_key(&j, "question");
    ps_json_object(&j);
    ps_json_member_string(&j, "find", r->largest ? "largest" : "smallest");
    ps_json_key(&j, "range");
    double range[2] = {r->range_low, r->range_high};
    ps_json_numbers(&j, range, 2);
    ps_json_member_number(&j, "probability", r->probability);
    ps_json_member_number(&j, "tolerance", r->tolerance);
    ps_json_end(&j);
    ps_json_key(&j, "answer");
    ps_json_object(&j);
    ps_json_member_string(&j, "outcome", r->outcome);
    ps_json_member_number(&j, "value", r->x);
    ps_json_member_number(&j, "value_below_probability", r->x_miss);
    json_point(&j, "at", &r->at);
    ps_json_end(&j);
    ps_json_key(&j, "interval");
    if (r->has_interval) {
        ps_json_object(&j);
        ps_json_member_string(&j, "meaning",
                              "lever values where P crosses the ends of the "
                              "95 % Monte Carlo (sampling error) interval of "
                              "the asked probability");
        ps_json_member_number(&j, "probability_low", r->p_low);
        ps_json_member_number(&j, "probability_high", r->p_high);
        json_end_of(&j, "low", &r->low);
        json_end_of(&j, "high", &r->high);
        ps_json_end(&j);
    } else {
        ps_json_null(&j);
    }
    ps_json_key(&j, "evaluations");
    ps_json_object(&j);
    ps_json_member_integer(&j, "ensembles", (long long)r->evaluations);
    ps_json_member_integer(&j, "runs_per_ensemble",
                           (long long)r->runs_per_evaluation);
    ps_json_member_integer(
        &j, "runs", (long long)(r->evaluations * r->runs_per_evaluation));
    ps_json_end(&j);
    ps_json_key(&j, "non_monotone");
    if (r->non_monotone) {
        ps_json_object(&j);
        json_point(&j, "before", &r->before);
        json_point(&j, "after", &r->after);
        ps_json_end(&j);
    } else {
        ps_json_null(&j);
    }
    ps_json_end(&j);
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the answer");
    return PS_OK;
}
