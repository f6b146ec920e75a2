/*
 * Checking a scenario against its model.
 *
 * Rules (docs/scenario-format.md says them to users):
 *   - every variable named exists (else the closest name is suggested);
 *   - fixed values and levers replace the equation of an auxiliary or a
 *     constant (any auxiliary: fixing one cuts it from what it was computed
 *     from); stocks, lookups and the time settings cannot be fixed;
 *   - uncertain inputs must be constants: a number, a list of numbers, or
 *     arithmetic on numbers and other constants (the ensemble replaces
 *     their value at the start of each run, which means nothing for a
 *     variable computed anew at each step);
 *   - subscripts name elements or subranges of the variable's own ranges,
 *     one per range; an element is fixed, a lever or uncertain once; a
 *     target is about one element;
 *   - lever and target times lie within the run, whose time settings are
 *     the scenario's where it sets them and the model's otherwise; a target
 *     time is a saved time; SAVEPER is a whole number of time steps;
 *   - an observed series is about one value, and what it observed lies
 *     within the run (observed_check.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/instance.h"
#include "plansim/names.h"
#include "scenario_impl.h"

/* Deepest chain of references followed when evaluating a constant. */
#define DEPTH_MAX 64

enum { C_INITIAL, C_FINAL, C_STEP, C_SAVEPER, C_COUNT };

static const char *const control_key[C_COUNT] = {"initial_time", "final_time",
                                                 "time_step", "saveper"};
static const char *const control_name[C_COUNT] = {"INITIAL TIME", "FINAL TIME",
                                                  "TIME STEP", "SAVEPER"};
static const char *const control_yaml[C_COUNT] = {"initial", "final", "step",
                                                  "saveper"};

typedef struct checker {
    const ps_scenario *sc;
    const ps_model *model;
    ps_error *err;
    double t[C_COUNT];
} checker;

static int is_control(const char *key)
{
    for (int c = 0; c < C_COUNT; c++)
        if (strcmp(key, control_key[c]) == 0)
            return 1;
    return 0;
}

/* The fixed value of the whole variable `key`, if the scenario fixes it
   (a value fixed on some elements is not the variable's value). */
static const ps_sc_fixed *fixed_named(const ps_scenario *sc, const char *key)
{
    for (size_t i = 0; i < sc->nfixed; i++)
        if (sc->fixed[i].ref.nsubs == 0 &&
            ps_name_equal(sc->fixed[i].ref.var, key))
            return &sc->fixed[i];
    return NULL;
}

/* Is the variable `key`, or some of its elements, a lever? */
static int is_lever(const ps_scenario *sc, const char *key)
{
    for (size_t i = 0; i < sc->nlevers; i++)
        if (ps_name_equal(sc->levers[i].ref.var, key))
            return 1;
    return 0;
}

/* The scenario's value of a time setting, when it sets it. */
static int scenario_control(const ps_scenario *sc, int c, double *v)
{
    const int has[C_COUNT] = {sc->has_initial_time, sc->has_final_time,
                              sc->has_time_step, sc->has_saveper};
    const double val[C_COUNT] = {sc->initial_time, sc->final_time,
                                 sc->time_step, sc->saveper};
    if (has[c])
        *v = val[c];
    return has[c];
}

/* Value of a constant expression of the model as the scenario leaves it:
   time settings and fixed values as the scenario sets them.  0, or -1
   when e is not a constant (a call, a stock, a lever...). */
static int const_value(const checker *ck, const ps_expr *e, int depth,
                       double *out)
{
    double a, b;
    if (!e || depth > DEPTH_MAX)
        return -1;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        *out = e->u.number;
        return 0;
    case PS_EXPR_UNARY:
        if (const_value(ck, e->u.unary.arg, depth + 1, &a))
            return -1;
        if (e->u.unary.op == PS_OP_NEG)
            *out = -a;
        else if (e->u.unary.op == PS_OP_POS)
            *out = a;
        else
            return -1;
        return 0;
    case PS_EXPR_BINARY:
        if (const_value(ck, e->u.binary.lhs, depth + 1, &a) ||
            const_value(ck, e->u.binary.rhs, depth + 1, &b))
            return -1;
        switch (e->u.binary.op) {
        case PS_OP_ADD:
            *out = a + b;
            return 0;
        case PS_OP_SUB:
            *out = a - b;
            return 0;
        case PS_OP_MUL:
            *out = a * b;
            return 0;
        case PS_OP_DIV:
            *out = a / b;
            return 0;
        case PS_OP_POW:
            *out = pow(a, b);
            return 0;
        default:
            return -1;
        }
    case PS_EXPR_REF: {
        const char *key = e->u.ref.key;
        for (int c = 0; c < C_COUNT; c++)
            if (strcmp(key, control_key[c]) == 0 &&
                scenario_control(ck->sc, c, out))
                return 0;
        const ps_sc_fixed *f = fixed_named(ck->sc, key);
        if (f) {
            *out = f->value;
            return 0;
        }
        if (is_lever(ck->sc, key))
            return -1;
        const ps_var *v = ps_model_find_key(ck->model, key);
        if (!v || v->kind != PS_VAR_AUX || v->init)
            return -1;
        return const_value(ck, v->expr, depth + 1, out);
    }
    default:
        return -1;
    }
}

static int is_reducer(const char *key)
{
    return !strcmp(key, "sum") || !strcmp(key, "prod") ||
           !strcmp(key, "vmin") || !strcmp(key, "vmax") ||
           !strcmp(key, "elmcount");
}

static int var_is_const(const checker *ck, const ps_var *head, int depth);

/* Is e constant over a run: numbers, arithmetic, and references to
   constants (of every element of a subscripted one), time settings,
   ranges (ELMCOUNT) and SUM/PROD/VMIN/VMAX of constants? */
static int expr_is_const(const checker *ck, const ps_expr *e, int depth)
{
    if (!e || depth > DEPTH_MAX)
        return 0;
    switch (e->kind) {
    case PS_EXPR_NUMBER:
        return 1;
    case PS_EXPR_UNARY:
        return e->u.unary.op != PS_OP_NOT &&
               expr_is_const(ck, e->u.unary.arg, depth + 1);
    case PS_EXPR_BINARY:
        switch (e->u.binary.op) {
        case PS_OP_ADD:
        case PS_OP_SUB:
        case PS_OP_MUL:
        case PS_OP_DIV:
        case PS_OP_POW:
            return expr_is_const(ck, e->u.binary.lhs, depth + 1) &&
                   expr_is_const(ck, e->u.binary.rhs, depth + 1);
        default:
            return 0;
        }
    case PS_EXPR_CALL:
        if (!is_reducer(e->u.call.key))
            return 0;
        for (size_t i = 0; i < e->u.call.argc; i++)
            if (!expr_is_const(ck, e->u.call.argv[i], depth + 1))
                return 0;
        return 1;
    case PS_EXPR_REF: {
        const char *key = e->u.ref.key;
        double v;
        if (is_control(key))
            return const_value(ck, e, depth, &v) == 0;
        if (fixed_named(ck->sc, key))
            return 1;
        if (is_lever(ck->sc, key))
            return 0;
        const ps_var *ref = ps_model_find_key(ck->model, key);
        if (!ref)
            return ps_model_find_dim(ck->model, key) != NULL;
        return var_is_const(ck, ref, depth + 1);
    }
    default:
        return 0;
    }
}

/* Is every equation of the variable (its first one is `head`) a
   constant: a number, a list of numbers, or constant arithmetic? */
static int var_is_const(const checker *ck, const ps_var *head, int depth)
{
    const ps_model *m = ck->model;
    if (depth > DEPTH_MAX)
        return 0;
    for (const ps_var *d = head; d;
         d = d->next_def == (size_t)-1 ? NULL : &m->vars[d->next_def]) {
        if (d->kind != PS_VAR_AUX || d->init || d->is_data)
            return 0;
        if (!d->values && !expr_is_const(ck, d->expr, depth + 1))
            return 0;
    }
    return 1;
}

/* Where to report a time setting: the scenario's text when it sets it. */
static const ps_sc_where *control_where(const ps_scenario *sc, int c)
{
    const int has[C_COUNT] = {sc->has_initial_time, sc->has_final_time,
                              sc->has_time_step, sc->has_saveper};
    const ps_sc_where *w[C_COUNT] = {&sc->initial_where, &sc->final_where,
                                     &sc->step_where, &sc->saveper_where};
    return has[c] ? w[c] : NULL;
}

static ps_status control_error(const checker *ck, int c, const char *msg)
{
    const ps_sc_where *w = control_where(ck->sc, c);
    if (w)
        return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err, "%s", msg);
    /* the model's own setting (no underline: the model text is not kept) */
    const ps_var *v = ps_model_find_key(ck->model, control_key[c]);
    return ps_error_set(ck->err, PS_ERR_DATA, ck->model->path,
                        v ? v->loc.line : 0, v ? v->loc.column : 0,
                        "%s (as the model sets it; the scenario can set it "
                        "under 'time:')",
                        msg);
}

static ps_status read_times(checker *ck)
{
    for (int c = 0; c < C_COUNT; c++) {
        if (scenario_control(ck->sc, c, &ck->t[c]))
            continue;
        const ps_var *v = ps_model_find_key(ck->model, control_key[c]);
        if (!v && c == C_SAVEPER) {
            ck->t[c] = ck->t[C_STEP]; /* as the compiler does */
            continue;
        }
        if (!v)
            return ps_error_set(ck->err, PS_ERR_DATA, ck->model->path, 0, 0,
                                "the model does not define %s and the "
                                "scenario does not set it (time: %s:)",
                                control_name[c], control_yaml[c]);
        if (v->kind != PS_VAR_AUX || v->init ||
            const_value(ck, v->expr, 0, &ck->t[c]) || !isfinite(ck->t[c]))
            return ps_error_set(ck->err, PS_ERR_DATA, ck->model->path,
                                v->loc.line, v->loc.column,
                                "%s is not a number in the model; set it "
                                "in the scenario (time: %s:)",
                                control_name[c], control_yaml[c]);
    }
    char msg[160];
    if (!(ck->t[C_STEP] > 0)) {
        snprintf(msg, sizeof msg, "the time step must be positive, not %g",
                 ck->t[C_STEP]);
        return control_error(ck, C_STEP, msg);
    }
    if (!(ck->t[C_FINAL] > ck->t[C_INITIAL])) {
        snprintf(msg, sizeof msg,
                 "the final time (%g) must come after the initial time (%g)",
                 ck->t[C_FINAL], ck->t[C_INITIAL]);
        return control_error(
            ck, control_where(ck->sc, C_FINAL) ? C_FINAL : C_INITIAL, msg);
    }
    ps_time_settings ts = {ck->t[C_INITIAL], ck->t[C_FINAL], ck->t[C_STEP],
                           ck->t[C_SAVEPER]};
    uint64_t steps;
    if (ps_time_step_count(&ts, &steps) != 0) {
        snprintf(msg, sizeof msg,
                 "a run from %g to %g in steps of %g would take %g steps; at "
                 "most %llu are allowed",
                 ts.initial_time, ts.final_time, ts.time_step,
                 (ts.final_time - ts.initial_time) / ts.time_step,
                 PS_MAX_STEPS);
        int at = control_where(ck->sc, C_STEP)    ? C_STEP
                 : control_where(ck->sc, C_FINAL) ? C_FINAL
                                                  : C_STEP;
        return control_error(ck, at, msg);
    }
    double r = ck->t[C_SAVEPER] / ck->t[C_STEP];
    if (!(ck->t[C_SAVEPER] > 0) || fabs(r - nearbyint(r)) > 1e-9 * r ||
        nearbyint(r) < 1) {
        snprintf(msg, sizeof msg,
                 "saveper (%g) must be a whole number of time steps (%g)",
                 ck->t[C_SAVEPER], ck->t[C_STEP]);
        int at = control_where(ck->sc, C_SAVEPER) ? C_SAVEPER
                 : control_where(ck->sc, C_STEP)  ? C_STEP
                                                  : C_SAVEPER;
        return control_error(ck, at, msg);
    }
    return PS_OK;
}

/* The model variable `name`, or an error at w suggesting the closest. */
static ps_status find_var(const checker *ck, const char *name,
                          const ps_sc_where *w, const ps_var **out)
{
    *out = ps_model_find(ck->model, name);
    if (*out)
        return PS_OK;
    const char *shown;
    if (sc_nearest_var(ck->model, name, &shown) != 0)
        return ps_error_set(ck->err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (shown)
        return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                    "the model has no variable '%s'; did you "
                                    "mean '%s'?",
                                    name, shown);
    return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                "the model has no variable '%s'", name);
}

/* Can the scenario replace v's equation ("fixed", "a lever", ...)? */
static ps_status replaceable(const checker *ck, const ps_var *v,
                             const ps_sc_where *w, const char *as)
{
    if (is_control(v->key))
        return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                    "'%s' is a time setting; set it under "
                                    "'time:', not as %s",
                                    v->name, as);
    if (v->kind == PS_VAR_STOCK)
        return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                    "'%s' is a stock and cannot be %s (set "
                                    "the constant its initial value comes "
                                    "from instead)",
                                    v->name, as);
    if (v->kind == PS_VAR_LOOKUP)
        return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                    "'%s' is a lookup table and cannot be %s",
                                    v->name, as);
    return PS_OK;
}

/* A time within the run [initial, final] (up to rounding). */
static int in_run(const checker *ck, double t)
{
    double eps = 1e-9 * fmax(1, ck->t[C_FINAL] - ck->t[C_INITIAL]);
    return t >= ck->t[C_INITIAL] - eps && t <= ck->t[C_FINAL] + eps;
}

/* Items in the order of the resolution: fixed values, levers, inputs,
   targets. */
static size_t lever_item(const ps_scenario *sc, size_t i)
{
    return sc->nfixed + i;
}

static size_t input_item(const ps_scenario *sc, size_t i)
{
    return sc->nfixed + sc->nlevers + i;
}

static size_t target_item(const ps_scenario *sc, size_t i)
{
    return sc->nfixed + sc->nlevers + sc->ninputs + i;
}

static ps_status check_fixed(const checker *ck, sc_resolved *r)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->nfixed; i++) {
        const ps_sc_fixed *f = &sc->fixed[i];
        const ps_var *v;
        ps_status st = sc_resolve_item(r, i, &f->ref, &f->where, &v);
        if (st || (st = replaceable(ck, v, &f->where, "fixed")))
            return st;
    }
    return PS_OK;
}

static ps_status check_levers(const checker *ck, sc_resolved *r)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->nlevers; i++) {
        const ps_sc_lever *l = &sc->levers[i];
        const ps_var *v;
        ps_status st =
            sc_resolve_item(r, lever_item(sc, i), &l->ref, &l->where, &v);
        if (st || (st = replaceable(ck, v, &l->where, "a lever")))
            return st;
        for (size_t j = 0; j < l->n; j++)
            if (!in_run(ck, l->time[j]))
                return ps_scenario_error_at(
                    sc, &l->time_where[j], PS_ERR_DATA, ck->err,
                    "the lever time %g lies outside the run (%g to %g)",
                    l->time[j], ck->t[C_INITIAL], ck->t[C_FINAL]);
    }
    return PS_OK;
}

static ps_status check_inputs(const checker *ck, sc_resolved *r)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->ninputs; i++) {
        const ps_sc_input *in = &sc->inputs[i];
        const ps_var *v;
        ps_status st =
            sc_resolve_item(r, input_item(sc, i), &in->ref, &in->where, &v);
        if (st || (st = replaceable(ck, v, &in->where, "uncertain")))
            return st;
        if (!var_is_const(ck, v, 0))
            return ps_scenario_error_at(
                sc, &in->where, PS_ERR_DATA, ck->err,
                "'%s' is not a constant in the model (its equation changes "
                "over time or calls a function), so it cannot be uncertain; "
                "draw a constant it depends on instead",
                v->name);
    }
    return PS_OK;
}

/* What section item k is in, and where it is written. */
static const char *item_section(const ps_scenario *sc, size_t k,
                                const ps_sc_where **w)
{
    if (k < sc->nfixed) {
        *w = &sc->fixed[k].where;
        return "fixed";
    }
    if (k < input_item(sc, 0)) {
        *w = &sc->levers[k - sc->nfixed].where;
        return "a lever";
    }
    *w = &sc->inputs[k - input_item(sc, 0)].where;
    return "uncertain";
}

/* The position of `file` in the chain of files, child first. */
static size_t file_rank(const ps_scenario *sc, const char *file)
{
    for (size_t i = 0; file && i < sc->nfiles; i++)
        if (sc->files[i] == file || strcmp(sc->files[i], file) == 0)
            return i;
    return sc->nfiles;
}

/* No element is set twice: fixed, a lever or uncertain, once. */
static ps_status check_overlaps(const checker *ck, const sc_resolved *r)
{
    const ps_scenario *sc = ck->sc;
    size_t n = target_item(sc, 0);
    for (size_t b = 1; b < n; b++)
        for (size_t a = 0; a < b; a++) {
            size_t e = sc_resolved_overlap(r, a, b);
            if (e == (size_t)-1)
                continue;
            const ps_sc_where *wa, *wb;
            const char *sa = item_section(sc, a, &wa);
            const char *sb = item_section(sc, b, &wb);
            /* reported at the item of the file extending the other */
            if (file_rank(sc, wa->file) < file_rank(sc, wb->file)) {
                const ps_sc_where *w = wa;
                const char *x = sa;
                wa = wb, sa = sb;
                wb = w, sb = x;
            }
            char *el = sc_resolved_element(r, b, e);
            /* the other item may be in a file this one extends */
            char other[400];
            if (wa->file && wb->file && strcmp(wa->file, wb->file) != 0)
                snprintf(other, sizeof other, "%s:%d", wa->file, wa->loc.line);
            else
                snprintf(other, sizeof other, "line %d", wa->loc.line);
            ps_status st = ps_scenario_error_at(
                sc, wb, PS_ERR_DATA, ck->err,
                "%s is %s here and %s at %s; an element is fixed, a lever "
                "or uncertain once",
                el ? el : "an element", sb, sa, other);
            free(el);
            return st;
        }
    return PS_OK;
}

static ps_status check_saved(const checker *ck)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->nsave; i++) {
        const ps_var *v;
        ps_status st = find_var(ck, sc->save[i], &sc->save_where[i], &v);
        if (st)
            return st;
        if (v->kind == PS_VAR_LOOKUP)
            return ps_scenario_error_at(sc, &sc->save_where[i], PS_ERR_DATA,
                                        ck->err,
                                        "'%s' is a lookup table; it has no "
                                        "value to save",
                                        v->name);
    }
    return PS_OK;
}

static ps_status check_targets(const checker *ck, sc_resolved *r)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->ntargets; i++) {
        const ps_sc_target *t = &sc->targets[i];
        const ps_var *v;
        size_t k = target_item(sc, i);
        ps_status st = sc_resolve_item(r, k, &t->ref, &t->variable_where, &v);
        if (st)
            return st;
        if (v->kind == PS_VAR_LOOKUP)
            return ps_scenario_error_at(sc, &t->variable_where, PS_ERR_DATA,
                                        ck->err,
                                        "'%s' is a lookup table; a target "
                                        "needs a variable with a value",
                                        v->name);
        if (sc_resolved_count(r, k) != 1) {
            char *el = sc_resolved_element(r, k, 0);
            st = ps_scenario_error_at(
                sc, &t->variable_where, PS_ERR_DATA, ck->err,
                "a target is about one value, and '%s' names %zu elements "
                "of '%s': name one, such as '%s'",
                t->variable, sc_resolved_count(r, k), v->name,
                el ? el : v->name);
            free(el);
            return st;
        }
        if (!in_run(ck, t->time))
            return ps_scenario_error_at(
                sc, &t->time_where, PS_ERR_DATA, ck->err,
                "the target time %g lies outside the "
                "run (%g to %g)",
                t->time, ck->t[C_INITIAL], ck->t[C_FINAL]);
        double q = (t->time - ck->t[C_INITIAL]) / ck->t[C_SAVEPER];
        if (fabs(q - nearbyint(q)) > 1e-6)
            return ps_scenario_error_at(
                sc, &t->time_where, PS_ERR_DATA, ck->err,
                "the target time %g is not a saved "
                "time (the run saves every %g from "
                "%g)",
                t->time, ck->t[C_SAVEPER], ck->t[C_INITIAL]);
    }
    return PS_OK;
}

ps_status sc_check(const ps_scenario *sc, const ps_model *model,
                   sc_resolved **out, ps_error *err)
{
    if (out)
        *out = NULL;
    if (!sc || !model)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no scenario or no model to check");
    checker ck = {.sc = sc, .model = model, .err = err};
    ps_status st = read_times(&ck);
    if (st)
        return st;
    size_t first_observed = target_item(sc, sc->ntargets);
    sc_resolved *r =
        sc_resolved_new(sc, model, first_observed + sc_observed_items(sc), err);
    if (!r)
        return PS_ERR_NOMEM;
    if ((st = check_fixed(&ck, r)) == PS_OK &&
        (st = check_levers(&ck, r)) == PS_OK &&
        (st = check_inputs(&ck, r)) == PS_OK &&
        (st = check_overlaps(&ck, r)) == PS_OK &&
        (st = check_saved(&ck)) == PS_OK &&
        (st = check_targets(&ck, r)) == PS_OK)
        st = sc_check_observed(sc, r, first_observed, ck.t[C_INITIAL],
                               ck.t[C_FINAL], err);
    if (st == PS_OK && out)
        *out = r;
    else
        sc_resolved_free(r);
    return st;
}

ps_status ps_scenario_check(const ps_scenario *sc, const ps_model *model,
                            ps_error *err)
{
    return sc_check(sc, model, NULL, err);
}
