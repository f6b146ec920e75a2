/*
 * `fixed:` values and `levers:` time paths.
 *
 *   fixed:
 *     depreciation rate: {value: 0.08, label: 折旧率, source: "..."}
 *     tfp growth: 0.02                          # short form
 *   levers:
 *     fai growth:
 *       label: 固定资产投资增速
 *       path: {2026: 0.20, 2027: 0.20, 2030: 0.15}
 *     tax rate: {2026: 0.25, 2028: 0.20}         # short form: the path
 */
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

ps_status sc_labels(sc_loader *ld, const ynode *m, char **label, char **source)
{
    const ynode *v = sc_get(m, "label", NULL);
    ps_status st = v ? sc_text(ld, v, label) : PS_OK;
    if (st == PS_OK && (v = sc_get(m, "source", NULL)))
        st = sc_text(ld, v, source);
    return st;
}

static ps_status read_fixed(sc_loader *ld, const ynode *k, const ynode *v,
                            ps_sc_fixed *f)
{
    static const char *const keys[] = {"value", "label", "source", NULL};
    ps_status st = sc_ref_read(ld, k, &f->name, &f->ref);
    if (st)
        return st;
    f->where = k->where;
    if (v->kind == Y_SCALAR)
        return sc_number(ld, v, &f->value);
    if (v->kind != Y_MAP) {
        char got[64];
        sc_describe(v, got, sizeof got);
        return sc_fail(ld, v,
                       "expected a number or a mapping (value:, label:, "
                       "source:), got %s",
                       got);
    }
    if ((st = sc_check_keys(ld, v, keys, "in a fixed value")))
        return st;
    const ynode *value = sc_get(v, "value", NULL);
    if (!value)
        return sc_fail(ld, sc_item_node(k, v), "'%s' needs 'value:'", f->name);
    if ((st = sc_number(ld, value, &f->value)))
        return st;
    return sc_labels(ld, v, &f->label, &f->source);
}

ps_status sc_build_fixed(sc_loader *ld, const ynode *section)
{
    ps_scenario *sc = ld->sc;
    ps_status st =
        sc_expect_map(ld, section, "a mapping of variable names to values");
    if (st)
        return st;
    sc->fixed = calloc(section->n + 1, sizeof *sc->fixed);
    if (!sc->fixed)
        return sc_nomem(ld);
    for (size_t i = 0; i < section->n; i++) {
        ps_sc_fixed *f = &sc->fixed[sc->nfixed++];
        if ((st = read_fixed(ld, section->keys[i], section->vals[i], f)))
            return st;
    }
    return PS_OK;
}

/* Reads path {t0: v0, t1: v1, ...} into the lever. */
static ps_status read_path(sc_loader *ld, const ynode *k, const ynode *path,
                           ps_sc_lever *l)
{
    ps_status st = sc_expect_map(ld, path,
                                 "a time path such as {2026: 0.2, 2030: "
                                 "0.15}");
    if (st)
        return st;
    if (path->n == 0)
        return sc_fail(ld, sc_item_node(k, path),
                       "the path of '%s' has no points", l->name);
    l->time = calloc(path->n, sizeof *l->time);
    l->value = calloc(path->n, sizeof *l->value);
    l->time_where = calloc(path->n, sizeof *l->time_where);
    if (!l->time || !l->value || !l->time_where)
        return sc_nomem(ld);
    for (size_t i = 0; i < path->n; i++) {
        const ynode *t = path->keys[i];
        if ((st = sc_number(ld, t, &l->time[i])) ||
            (st = sc_number(ld, path->vals[i], &l->value[i])))
            return st;
        l->time_where[i] = t->where;
        l->n++;
        if (i > 0 && !(l->time[i] > l->time[i - 1]))
            return sc_fail(ld, t,
                           "the times of a lever's path must increase: %g "
                           "comes after %g",
                           l->time[i], l->time[i - 1]);
    }
    return PS_OK;
}

static ps_status read_lever(sc_loader *ld, const ynode *k, const ynode *v,
                            ps_sc_lever *l)
{
    static const char *const keys[] = {"path", "label", "source", NULL};
    ps_status st = sc_ref_read(ld, k, &l->name, &l->ref);
    if (st)
        return st;
    l->where = k->where;
    if (v->kind != Y_MAP) {
        char got[64];
        sc_describe(v, got, sizeof got);
        return sc_fail(ld, v,
                       "expected a time path such as {2026: 0.2, 2030: 0.15} "
                       "or a mapping (path:, label:, source:), got %s",
                       got);
    }
    /* short form: the mapping is the path itself */
    if (v->n > 0 && sc_is_number(v->keys[0]))
        return read_path(ld, k, v, l);
    if ((st = sc_check_keys(ld, v, keys, "in a lever")))
        return st;
    const ynode *path = sc_get(v, "path", NULL);
    if (!path)
        return sc_fail(ld, sc_item_node(k, v), "the lever '%s' needs 'path:'",
                       l->name);
    if ((st = read_path(ld, k, path, l)))
        return st;
    return sc_labels(ld, v, &l->label, &l->source);
}

ps_status sc_build_levers(sc_loader *ld, const ynode *section)
{
    ps_scenario *sc = ld->sc;
    ps_status st =
        sc_expect_map(ld, section, "a mapping of variable names to time paths");
    if (st)
        return st;
    sc->levers = calloc(section->n + 1, sizeof *sc->levers);
    if (!sc->levers)
        return sc_nomem(ld);
    for (size_t i = 0; i < section->n; i++) {
        ps_sc_lever *l = &sc->levers[sc->nlevers++];
        if ((st = read_lever(ld, section->keys[i], section->vals[i], l)))
            return st;
    }
    return PS_OK;
}
