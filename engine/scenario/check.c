/*
 * Checking a scenario against its model.
 *
 * Rules (docs/scenario-format.md says them to users):
 *   - every variable named exists (else the closest name is suggested);
 *   - fixed values and levers replace the equation of an auxiliary or a
 *     constant (any auxiliary: fixing one cuts it from what it was computed
 *     from); stocks, lookups and the time settings cannot be fixed;
 *   - uncertain inputs must be constants: a number, or arithmetic on
 *     numbers and other constants (the ensemble replaces their value at
 *     the start of each run, which means nothing for a variable computed
 *     anew at each step);
 *   - lever and target times lie within the run, whose time settings are
 *     the scenario's where it sets them and the model's otherwise; a target
 *     time is a saved time; SAVEPER is a whole number of time steps.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static const ps_sc_fixed *fixed_named(const ps_scenario *sc, const char *key)
{
    for (size_t i = 0; i < sc->nfixed; i++)
        if (ps_name_equal(sc->fixed[i].name, key))
            return &sc->fixed[i];
    return NULL;
}

static int is_lever(const ps_scenario *sc, const char *key)
{
    for (size_t i = 0; i < sc->nlevers; i++)
        if (ps_name_equal(sc->levers[i].name, key))
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
    const ps_model *m = ck->model;
    const char **keys = malloc((m->nvars + 1) * sizeof *keys);
    char *key = ps_name_key(name, strlen(name));
    if (!keys || !key) {
        free(keys);
        free(key);
        return ps_error_set(ck->err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < m->nvars; i++)
        keys[i] = m->vars[i].key;
    const char *near = sc_nearest(key, keys, m->nvars);
    const char *shown = NULL;
    for (size_t i = 0; near && i < m->nvars; i++)
        if (keys[i] == near)
            shown = m->vars[i].name;
    free(keys);
    free(key);
    if (shown)
        return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                    "the model has no variable '%s'; did you "
                                    "mean '%s'?",
                                    name, shown);
    return ps_scenario_error_at(ck->sc, w, PS_ERR_DATA, ck->err,
                                "the model has no variable '%s'", name);
}

/* A variable whose equation the scenario may replace. */
static ps_status replaceable(const checker *ck, const char *name,
                             const ps_sc_where *w, const char *as,
                             const ps_var **out)
{
    ps_status st = find_var(ck, name, w, out);
    if (st)
        return st;
    const ps_var *v = *out;
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

static ps_status check_levers(const checker *ck)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->nlevers; i++) {
        const ps_sc_lever *l = &sc->levers[i];
        const ps_var *v;
        ps_status st = replaceable(ck, l->name, &l->where, "a lever", &v);
        if (st)
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

static ps_status check_inputs(const checker *ck)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->ninputs; i++) {
        const ps_sc_input *in = &sc->inputs[i];
        const ps_var *v;
        double value;
        ps_status st = replaceable(ck, in->name, &in->where, "uncertain", &v);
        if (st)
            return st;
        if (v->kind != PS_VAR_AUX || v->init ||
            const_value(ck, v->expr, 0, &value))
            return ps_scenario_error_at(
                sc, &in->where, PS_ERR_DATA, ck->err,
                "'%s' is not a constant in the model (its equation changes "
                "over time or calls a function), so it cannot be uncertain; "
                "draw a constant it depends on instead",
                v->name);
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

static ps_status check_targets(const checker *ck)
{
    const ps_scenario *sc = ck->sc;
    for (size_t i = 0; i < sc->ntargets; i++) {
        const ps_sc_target *t = &sc->targets[i];
        const ps_var *v;
        ps_status st = find_var(ck, t->variable, &t->variable_where, &v);
        if (st)
            return st;
        if (v->kind == PS_VAR_LOOKUP)
            return ps_scenario_error_at(sc, &t->variable_where, PS_ERR_DATA,
                                        ck->err,
                                        "'%s' is a lookup table; a target "
                                        "needs a variable with a value",
                                        v->name);
        if (!in_run(ck, t->time))
            return ps_scenario_error_at(
                sc, &t->time_where, PS_ERR_DATA, ck->err,
                "the target time %g lies outside the "
                "run (%g to %g)",
                t->time, ck->t[C_INITIAL], ck->t[C_FINAL]);
        double k = (t->time - ck->t[C_INITIAL]) / ck->t[C_SAVEPER];
        if (fabs(k - nearbyint(k)) > 1e-6)
            return ps_scenario_error_at(
                sc, &t->time_where, PS_ERR_DATA, ck->err,
                "the target time %g is not a saved "
                "time (the run saves every %g from "
                "%g)",
                t->time, ck->t[C_SAVEPER], ck->t[C_INITIAL]);
    }
    return PS_OK;
}

ps_status ps_scenario_check(const ps_scenario *sc, const ps_model *model,
                            ps_error *err)
{
    if (!sc || !model)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no scenario or no model to check");
    checker ck = {.sc = sc, .model = model, .err = err};
    ps_status st = read_times(&ck);
    for (size_t i = 0; i < sc->nfixed && st == PS_OK; i++) {
        const ps_var *v;
        st = replaceable(&ck, sc->fixed[i].name, &sc->fixed[i].where, "fixed",
                         &v);
    }
    if (st == PS_OK)
        st = check_levers(&ck);
    if (st == PS_OK)
        st = check_inputs(&ck);
    if (st == PS_OK)
        st = check_saved(&ck);
    if (st == PS_OK)
        st = check_targets(&ck);
    return st;
}
