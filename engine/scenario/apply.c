/*
 * Applying a scenario to its model: the time settings and fixed values
 * become numbers, levers become WITH LOOKUP(Time, ((t0,v0), ...)).  A
 * fixed value or lever on some elements of a subscripted variable gives
 * those elements an equation of their own (subs.c).  The new equations
 * are built first and swapped in at the end, so that running out of
 * memory while building them leaves the model as it was.
 */
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "scenario_impl.h"

enum { C_COUNT = 4 };

static const char *const control_name[C_COUNT] = {"INITIAL TIME", "FINAL TIME",
                                                  "TIME STEP", "SAVEPER"};

/* One equation to replace: var (NULL: a time setting the model lacks,
   added under `name`) gets expr. */
typedef struct change {
    ps_var *var;
    const char *name;
    ps_expr *expr;
} change;

/* WITH LOOKUP(Time, ((t0,v0),(t1,v1),...)) for a lever. */
static ps_expr *lever_expr(const ps_sc_lever *l, ps_loc loc)
{
    ps_table *t = ps_table_new();
    for (size_t i = 0; t && i < l->n; i++)
        if (ps_table_push(t, l->time[i], l->value[i])) {
            ps_table_free(t);
            t = NULL;
        }
    if (t)
        t->loc = loc;
    ps_expr *argv[2] = {ps_expr_ref("Time", 4, loc),
                        t ? ps_expr_table(t, loc) : NULL};
    if (!argv[0] || !argv[1]) {
        ps_expr_free(argv[0]);
        ps_expr_free(argv[1]);
        return NULL;
    }
    return ps_expr_call("WITH LOOKUP", strlen("WITH LOOKUP"), argv, 2, loc);
}

static void commit(ps_var *v, ps_expr *e)
{
    ps_expr_free(v->expr);
    v->expr = e;
    /* an ACTIVE INITIAL's initial value goes with the equation */
    ps_expr_free(v->init);
    v->init = NULL;
}

ps_status ps_scenario_apply(const ps_scenario *sc, ps_model *model,
                            ps_error *err)
{
    sc_resolved *r = NULL;
    ps_status st = sc_check(sc, model, &r, err);
    if (st)
        return st;
    size_t max = C_COUNT + sc->nfixed + sc->nlevers, n = 0;
    change *ch = calloc(max + 1, sizeof *ch);
    if (!ch) {
        sc_resolved_free(r);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    const int has[C_COUNT] = {sc->has_initial_time, sc->has_final_time,
                              sc->has_time_step, sc->has_saveper};
    const double val[C_COUNT] = {sc->initial_time, sc->final_time,
                                 sc->time_step, sc->saveper};
    int failed = 0;
    for (int c = 0; c < C_COUNT; c++) {
        if (!has[c])
            continue;
        ps_var *v = ps_model_find(model, control_name[c]);
        ps_loc loc = v ? v->loc : (ps_loc){0, 0};
        ch[n] = (change){v, control_name[c], ps_expr_number(val[c], loc)};
        failed |= !ch[n++].expr;
    }
    size_t first_item = n;
    for (size_t i = 0; i < sc->nfixed; i++) {
        ps_var *v = ps_model_find(model, sc->fixed[i].ref.var);
        ch[n] =
            (change){v, v->name, ps_expr_number(sc->fixed[i].value, v->loc)};
        failed |= !ch[n++].expr;
    }
    for (size_t i = 0; i < sc->nlevers; i++) {
        ps_var *v = ps_model_find(model, sc->levers[i].ref.var);
        ch[n] = (change){v, v->name, lever_expr(&sc->levers[i], v->loc)};
        failed |= !ch[n++].expr;
    }
    if (failed) {
        for (size_t i = 0; i < n; i++)
            ps_expr_free(ch[i].expr);
        free(ch);
        sc_resolved_free(r);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* Time settings the model lacks are added first: adding may move
       the model's variables, so the pointers above are found again.
       (The resolution holds indices, which adding keeps.) */
    for (size_t i = 0; i < first_item; i++) {
        if (ch[i].var)
            continue;
        ps_var nv = {
            .name = strdup(ch[i].name), .kind = PS_VAR_AUX, .expr = ch[i].expr};
        ch[i].expr = NULL;
        if (!nv.name || (st = ps_model_add(model, &nv, err)) != PS_OK) {
            ps_expr_free(nv.expr);
            free(nv.name);
            for (size_t j = i + 1; j < n; j++)
                ps_expr_free(ch[j].expr);
            free(ch);
            sc_resolved_free(r);
            return st ? st
                      : ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                     "out of memory");
        }
    }
    for (size_t i = 0; i < first_item; i++)
        if (ch[i].expr)
            commit(ps_model_find(model, ch[i].name), ch[i].expr);
    /* Fixed values and levers: the elements they name get the new
       equation (every equation of a variable named whole). */
    for (size_t i = first_item; i < n; i++) {
        if (st == PS_OK)
            st = sc_replace(r, i - first_item, model, ch[i].expr, err);
        ps_expr_free(ch[i].expr);
    }
    free(ch);
    sc_resolved_free(r);
    return st;
}
