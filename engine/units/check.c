/*
 * plansim units: checking every equation of a model (ps_units_check).
 */
#include "units_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The control variables, in the order they are asked for the time unit. */
static const char *const control_keys[] = {"time_step", "initial_time",
                                           "final_time", "saveper"};
#define NCONTROL (sizeof control_keys / sizeof control_keys[0])

void ps__units_issue(ps__units_checker *c, ps_loc loc, const char *fmt, ...)
{
    if (loc.line <= 0)
        loc = c->var->loc;
    if (c->npending == c->cap_pending) {
        size_t cap = c->cap_pending ? c->cap_pending * 2 : 8;
        ps__units_pending *p = realloc(c->pending, cap * sizeof *p);
        if (!p) {
            c->out_of_memory = 1;
            return;
        }
        c->pending = p;
        c->cap_pending = cap;
    }
    ps__units_pending *p = &c->pending[c->npending++];
    p->loc = loc;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->message, sizeof p->message, fmt, ap);
    va_end(ap);
}

static int before(ps_loc a, ps_loc b)
{
    return a.line < b.line || (a.line == b.line && a.column < b.column);
}

/* Reports the current variable's issues by position (stable), then
   forgets them. */
static void flush(ps__units_checker *c, ps_units_report_fn report,
                  void *ctx, size_t *count)
{
    ps__units_pending *p = c->pending;
    for (size_t i = 1; i < c->npending; i++) {
        ps__units_pending x = p[i];
        size_t j = i;
        while (j > 0 && before(x.loc, p[j - 1].loc)) {
            p[j] = p[j - 1];
            j--;
        }
        p[j] = x;
    }
    for (size_t i = 0; i < c->npending; i++) {
        ps_units_issue issue = {.file = c->model->path,
                                .loc = p[i].loc,
                                .var = c->var->name};
        memcpy(issue.message, p[i].message, sizeof issue.message);
        if (report)
            report(&issue, ctx);
        (*count)++;
    }
    c->npending = 0;
}

static int is_control(const ps_var *v)
{
    for (size_t i = 0; i < NCONTROL; i++)
        if (strcmp(v->key, control_keys[i]) == 0)
            return 1;
    return 0;
}

/* Parses every units field; marks the unreadable ones in bad[]. */
static ps_status parse_all(ps__units_checker *c, unsigned char *bad,
                           ps_error *err)
{
    for (size_t i = 0; i < c->model->nvars; i++) {
        const ps_var *v = &c->model->vars[i];
        c->declared[i] = ps__units_unknown();
        if (!v->units)
            continue;
        ps_status st = ps__units_parse(c->table, v->units, strlen(v->units),
                                       &c->declared[i], NULL);
        if (st == PS_ERR_NOMEM)
            return ps_error_set(err, st, c->model->path, v->units_loc.line,
                                v->units_loc.column,
                                "out of memory reading units of %s", v->name);
        bad[i] = st != PS_OK;
    }
    /* The equations of a subscripted variable share its units, which
       Vensim writes on one of them (usually the last). */
    for (size_t i = 0; i < c->model->nvars; i++) {
        const ps_var *v = &c->model->vars[i];
        if (ps_model_find_key(c->model, v->key) != v || v->next_def == (size_t)-1)
            continue;
        size_t with = (size_t)-1;
        for (size_t k = i; k != (size_t)-1 && with == (size_t)-1;
             k = c->model->vars[k].next_def)
            if (c->model->vars[k].units && !bad[k])
                with = k;
        for (size_t k = i; with != (size_t)-1 && k != (size_t)-1;
             k = c->model->vars[k].next_def)
            if (!c->model->vars[k].units)
                c->declared[k] = c->declared[with];
    }
    return PS_OK;
}

/* The time unit: the units of the first control variable that has any. */
static void find_time_unit(ps__units_checker *c)
{
    c->time = ps__units_unknown();
    c->time_source = NULL;
    for (size_t k = 0; k < NCONTROL; k++) {
        const ps_var *v = ps_model_find_key(c->model, control_keys[k]);
        if (v && c->declared[v - c->model->vars].kind == PS__UNITS_KNOWN) {
            c->time = c->declared[v - c->model->vars];
            c->time_source = v;
            return;
        }
    }
}

static ps_loc where(const ps_expr *e, ps_loc fallback)
{
    return e && e->loc.line > 0 ? e->loc : fallback;
}

/* Reads the units field again to describe why it is unreadable. */
static void report_unreadable(ps__units_checker *c, const ps_var *v)
{
    ps_error e;
    ps__units ignored;
    ps_error_clear(&e);
    ps__units_parse(c->table, v->units, strlen(v->units), &ignored, &e);
    ps_loc at = v->units_loc.line > 0 ? v->units_loc : v->loc;
    ps__units_issue(c, at, "cannot read units \"%s\": %s (character %d)",
                    v->units, e.message, e.column);
}

static void check_stock(ps__units_checker *c, const ps__units *decl)
{
    const ps_var *v = c->var;
    char s1[PS__UNITS_TEXT], s2[PS__UNITS_TEXT], s3[PS__UNITS_TEXT];
    ps__units rate = ps__units_infer(c, v->expr);
    ps__units want = ps__units_div(decl, &c->time);
    if (rate.kind == PS__UNITS_KNOWN && want.kind == PS__UNITS_KNOWN &&
        !ps__units_equal(&rate, &want))
        ps__units_issue(c, where(v->expr, v->loc),
                        "rate is %s, expected %s (stock units per %s)",
                        ps__units_show(c, &rate, s1),
                        ps__units_show(c, &want, s2),
                        ps__units_show(c, &c->time, s3));
    ps__units init = ps__units_infer(c, v->init);
    if (init.kind == PS__UNITS_KNOWN && decl->kind == PS__UNITS_KNOWN &&
        !ps__units_equal(&init, decl))
        ps__units_issue(c, where(v->init, v->loc),
                        "initial value is %s, stock is %s",
                        ps__units_show(c, &init, s1),
                        ps__units_show(c, decl, s2));
}

static void check_aux(ps__units_checker *c, const ps__units *decl)
{
    const ps_var *v = c->var;
    char s1[PS__UNITS_TEXT], s2[PS__UNITS_TEXT];
    ps__units rhs = ps__units_infer(c, v->expr);
    if (rhs.kind == PS__UNITS_KNOWN && decl->kind == PS__UNITS_KNOWN &&
        !ps__units_equal(&rhs, decl))
        ps__units_issue(c, v->loc, "left side is %s, right side is %s",
                        ps__units_show(c, decl, s1),
                        ps__units_show(c, &rhs, s2));
    if (v->init) { /* ACTIVE INITIAL's initial value */
        ps__units init = ps__units_infer(c, v->init);
        if (init.kind == PS__UNITS_KNOWN && decl->kind == PS__UNITS_KNOWN &&
            !ps__units_equal(&init, decl))
            ps__units_issue(c, where(v->init, v->loc),
                            "initial value is %s, left side is %s",
                            ps__units_show(c, &init, s1),
                            ps__units_show(c, decl, s2));
    }
    /* The control variables must all be in the time unit. */
    if (is_control(v) && c->time_source && v != c->time_source &&
        decl->kind == PS__UNITS_KNOWN && !ps__units_equal(decl, &c->time))
        ps__units_issue(c, v->units_loc.line > 0 ? v->units_loc : v->loc,
                        "%s is in %s, but the time unit is %s (from %s)",
                        v->name, ps__units_show(c, decl, s1),
                        ps__units_show(c, &c->time, s2),
                        c->time_source->name);
}

static void check_var(ps__units_checker *c, size_t i, int unreadable)
{
    const ps_var *v = &c->model->vars[i];
    c->var = v;
    if (unreadable)
        report_unreadable(c, v);
    switch (v->kind) {
    case PS_VAR_STOCK:
        check_stock(c, &c->declared[i]);
        break;
    case PS_VAR_AUX:
        check_aux(c, &c->declared[i]);
        break;
    case PS_VAR_LOOKUP:
    default:
        break; /* a table: numbers only */
    }
}

ps_status ps_units_check(const ps_model *model, ps_units_report_fn report,
                         void *ctx, size_t *count, ps_error *err)
{
    size_t n = 0;
    if (count)
        *count = 0;
    if (!model)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "ps_units_check: no model");
    ps__units_checker c = {.model = model};
    unsigned char *bad = calloc(model->nvars + 1, 1);
    c.declared = malloc((model->nvars + 1) * sizeof *c.declared);
    c.table = ps__unit_table_new();
    ps_status st = PS_OK;
    if (!bad || !c.declared || !c.table ||
        ps__unit_table_add_defaults(c.table) != PS_OK) {
        st = ps_error_set(err, PS_ERR_NOMEM, model->path, 0, 0,
                          "out of memory checking units");
        goto done;
    }
    st = parse_all(&c, bad, err);
    if (st != PS_OK)
        goto done;
    find_time_unit(&c);
    for (size_t i = 0; i < model->nvars; i++) {
        check_var(&c, i, bad[i]);
        if (c.out_of_memory) {
            st = ps_error_set(err, PS_ERR_NOMEM, model->path, 0, 0,
                              "out of memory checking units");
            goto done;
        }
        flush(&c, report, ctx, &n);
    }
done:
    if (count)
        *count = n;
    free(c.pending);
    free(c.declared);
    free(bad);
    ps__unit_table_free(c.table);
    return st;
}
