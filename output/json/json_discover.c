/*
 * The JSON document of `plansim discover` (plansim_output/study_json.h).
 */
#include <math.h>

#include "plansim_output/json.h"
#include "plansim_output/study_json.h"

static const char *move_name(ps_prim_move m)
{
    return m == PS_PRIM_START ? "start" : m == PS_PRIM_PEEL ? "peel" : "paste";
}

static void json_target(ps_json *j, const ps_discover_report *r)
{
    const ps_h5_discover_data *h = r->data;
    ps_json_key(j, "target");
    ps_json_object(j);
    ps_json_member_string(j, "name", h->target);
    ps_json_member_string(j, "label", h->target_label);
    ps_json_member_string(j, "variable", h->variable);
    ps_json_member_string(j, "units", h->units);
    ps_json_member_number(j, "time", h->time);
    ps_json_member_string(j, "compare", ps_sc_compare_name(h->compare));
    ps_json_member_number(j, "lo", h->lo);
    ps_json_member_number(j, "hi", h->hi);
    ps_json_end(j);
}

/* The limits of the chosen step, input by input (restricted ones only). */
static void json_limits(ps_json *j, const ps_discover_report *r,
                        const ps_discover_box_view *b)
{
    const ps_prim_trajectory *t = b->trajectory;
    const ps_prim_box *x = &t->boxes[b->chosen];
    ps_json_key(j, "limits");
    ps_json_array(j);
    for (size_t k = 0; k < t->k; k++) {
        int lo = ps_prim_restricts(t, b->chosen, k, 0);
        int hi = ps_prim_restricts(t, b->chosen, k, 1);
        if (!lo && !hi)
            continue;
        ps_json_object(j);
        ps_json_member_string(j, "input", r->data->inputs[k].name);
        ps_json_member_string(j, "label", r->data->inputs[k].label);
        ps_json_member_number(j, "lower", lo ? x->lo[k] : NAN);
        ps_json_member_number(j, "upper", hi ? x->hi[k] : NAN);
        ps_json_member_number(j, "p_lower", b->p_lo[k]);
        ps_json_member_number(j, "p_upper", b->p_hi[k]);
        ps_json_member_number(j, "min", t->min[k]);
        ps_json_member_number(j, "max", t->max[k]);
        ps_json_end(j);
    }
    ps_json_end(j);
}

static void json_trajectory(ps_json *j, const ps_discover_report *r,
                            const ps_discover_box_view *b)
{
    const ps_prim_trajectory *t = b->trajectory;
    ps_json_key(j, "trajectory");
    ps_json_array(j);
    for (size_t s = 0; s < t->nboxes; s++) {
        const ps_prim_box *x = &t->boxes[s];
        int start = x->move == PS_PRIM_START;
        ps_json_object(j);
        ps_json_member_integer(j, "step", (long long)s);
        ps_json_member_string(j, "move", move_name(x->move));
        ps_json_member_string(j, "input",
                              start ? NULL : r->data->inputs[x->input].name);
        ps_json_member_string(j, "side",
                              start      ? NULL
                              : x->upper ? "upper"
                                         : "lower");
        ps_json_member_integer(j, "runs", (long long)x->count);
        ps_json_member_integer(j, "cases", (long long)x->hits);
        ps_json_member_number(j, "coverage", x->coverage);
        ps_json_member_number(j, "density", x->density);
        ps_json_member_number(j, "mass", x->mass);
        ps_json_member_integer(j, "restricted", (long long)x->restricted);
        ps_json_end(j);
    }
    ps_json_end(j);
}

static void json_box(ps_json *j, const ps_discover_report *r, size_t i)
{
    const ps_discover_box_view *b = &r->boxes[i];
    const ps_prim_box *x = &b->trajectory->boxes[b->chosen];
    ps_json_object(j);
    ps_json_member_integer(j, "box", (long long)(i + 1));
    ps_json_member_string(j, "searched",
                          i == 0 ? "all runs" : "the runs outside box 1");
    ps_json_member_integer(j, "chosen_step", (long long)b->chosen);
    ps_json_member_number(j, "coverage", x->coverage);
    ps_json_member_number(j, "density", x->density);
    ps_json_member_number(j, "mass", x->mass);
    ps_json_member_integer(j, "runs", (long long)x->count);
    ps_json_member_integer(j, "cases", (long long)x->hits);
    ps_json_member_integer(j, "restricted", (long long)x->restricted);
    json_limits(j, r, b);
    json_trajectory(j, r, b);
    ps_json_end(j);
}

ps_status ps_discover_print_json(FILE *out, const ps_discover_report *r,
                                 ps_error *err)
{
    const ps_h5_discover_data *h = r->data;
    ps_json j;
    ps_json_init(&j, out);
    ps_json_object(&j);
    ps_json_member_integer(&j, "format_version", 1);
    ps_json_member_string(&j, "command", "discover");
    ps_json_member_string(&j, "file", r->file);
    ps_json_member_string(&j, "title", h->title);
    json_target(&j, r);
    ps_json_member_string(&j, "cases_are", r->missed ? "missed" : "met");
    ps_json_key(&j, "runs");
    ps_json_object(&j);
    ps_json_member_integer(&j, "in_file", h->runs);
    ps_json_member_integer(&j, "ok", h->runs_ok);
    ps_json_member_integer(&j, "used", (long long)h->n);
    ps_json_end(&j);
    ps_json_member_integer(&j, "cases", (long long)r->cases);
    ps_json_member_number(&j, "case_share",
                          h->n ? (double)r->cases / (double)h->n : NAN);
    ps_json_key(&j, "boxes");
    ps_json_array(&j);
    for (size_t i = 0; i < r->nboxes; i++)
        json_box(&j, r, i);
    ps_json_end(&j);
    ps_json_key(&j, "factors");
    ps_json_array(&j);
    for (size_t i = 0; i < h->ninputs; i++) {
        const ps_ks_factor *f = &r->factors[i];
        ps_json_object(&j);
        ps_json_member_integer(&j, "rank", (long long)(i + 1));
        ps_json_member_string(&j, "input", h->inputs[f->input].name);
        ps_json_member_string(&j, "label", h->inputs[f->input].label);
        ps_json_member_number(&j, "ks_d", f->d);
        ps_json_member_number(&j, "p_value", f->p);
        ps_json_member_integer(&j, "direction", f->direction);
        ps_json_end(&j);
    }
    ps_json_end(&j);
    ps_json_end(&j);
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the discovery");
    return PS_OK;
}
