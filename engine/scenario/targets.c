/*
 * `targets:`: the plan's targets whose probabilities an ensemble
 * estimates.
 *
 *   targets:
 *     - name: gdp_700
 *       label: 地区生产总值力争达到700亿元
 *       variable: gdp nominal
 *       year: 2030
 *       at least: 700          # or at most: X, or between: [a, b]
 *       kind: expected         # or binding (预期性 / 约束性)
 *       source: 第三章第四节
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

static const char *const keys[] = {"name", "label",    "variable", "year",
                                   "time", "at least", "at most",  "between",
                                   "kind", "source",   NULL};

/* A target name: no blanks or slashes (it names columns and datasets). */
static ps_status read_target_name(sc_loader *ld, const ynode *v, char **out)
{
    ps_status st = sc_text(ld, v, out);
    if (st)
        return st;
    for (const char *p = *out; *p; p++)
        if (*p == ' ' || *p == '\t' || *p == '/' || *p == '\n' ||
            (unsigned char)*p < 0x20)
            return sc_fail(ld, v,
                           "a target's name is a short identifier without "
                           "blanks or '/', such as gdp_700 (put the "
                           "description in 'label:')");
    return PS_OK;
}

static ps_status read_kind(sc_loader *ld, const ynode *v, int *binding)
{
    static const char *const names[] = {"expected", "binding"};
    char *s = NULL;
    ps_status st = sc_text(ld, v, &s);
    if (st)
        return st;
    char norm[64];
    sc_key_norm(s, norm, sizeof norm);
    free(s);
    /* the plan's own words are accepted too */
    if (strcmp(norm, "expected") == 0 || strcmp(norm, "预期性") == 0 ||
        strcmp(norm, "预期") == 0) {
        *binding = 0;
        return PS_OK;
    }
    if (strcmp(norm, "binding") == 0 || strcmp(norm, "约束性") == 0 ||
        strcmp(norm, "约束") == 0) {
        *binding = 1;
        return PS_OK;
    }
    char hint[96];
    sc_suggestion(norm, names, 2, hint, sizeof hint);
    return sc_fail(ld, v,
                   "a target's kind is 'expected' (预期性) or 'binding' "
                   "(约束性), not '%s'%s",
                   v->text, hint);
}

static ps_status read_threshold(sc_loader *ld, const ynode *item,
                                const ynode *at, ps_sc_target *t)
{
    const ynode *lo = sc_get(item, "at least", NULL);
    const ynode *hi = sc_get(item, "at most", NULL);
    const ynode *both = sc_get(item, "between", NULL);
    if (!!lo + !!hi + !!both != 1)
        return sc_fail(ld, at,
                       "a target needs exactly one of 'at least:', 'at "
                       "most:' or 'between: [low, high]'");
    ps_status st;
    if (lo) {
        t->compare = PS_SC_AT_LEAST;
        t->hi = INFINITY;
        return sc_number(ld, lo, &t->lo);
    }
    if (hi) {
        t->compare = PS_SC_AT_MOST;
        t->lo = -INFINITY;
        return sc_number(ld, hi, &t->hi);
    }
    t->compare = PS_SC_BETWEEN;
    if ((st = sc_expect_seq(ld, both, "a list [low, high]")))
        return st;
    if (both->n != 2)
        return sc_fail(ld, both, "expected [low, high], got %zu numbers",
                       both->n);
    if ((st = sc_number(ld, both->vals[0], &t->lo)) ||
        (st = sc_number(ld, both->vals[1], &t->hi)))
        return st;
    if (!(t->lo <= t->hi))
        return sc_fail(ld, both, "the low end (%g) is above the high end (%g)",
                       t->lo, t->hi);
    return PS_OK;
}

static ps_status read_target(sc_loader *ld, const ynode *item, ps_sc_target *t)
{
    ps_status st = sc_expect_map(ld, item,
                                 "a target (name:, variable:, year:, at "
                                 "least:, ...)");
    if (st || (st = sc_check_keys(ld, item, keys, "in a target")))
        return st;
    const ynode *name = sc_get(item, "name", NULL);
    if (!name)
        return sc_fail(ld, item, "a target needs 'name:' (e.g. gdp_700)");
    if ((st = read_target_name(ld, name, &t->name)))
        return st;
    t->where = name->where;
    const ynode *var = sc_get(item, "variable", NULL);
    if (!var)
        return sc_fail(ld, name, "the target '%s' needs 'variable:'", t->name);
    if ((st = sc_ref_read(ld, var, &t->variable, &t->ref)))
        return st;
    t->variable_where = var->where;
    const ynode *year = sc_get(item, "year", NULL);
    const ynode *time = sc_get(item, "time", NULL);
    if (year && time)
        return sc_fail(ld, time,
                       "give the target's 'year:' or its 'time:', not both");
    if (!year && !(year = time))
        return sc_fail(ld, name, "the target '%s' needs 'year:'", t->name);
    if ((st = sc_number(ld, year, &t->time)))
        return st;
    t->time_where = year->where;
    if ((st = read_threshold(ld, item, name, t)))
        return st;
    const ynode *kind = sc_get(item, "kind", NULL);
    if (kind && (st = read_kind(ld, kind, &t->binding)))
        return st;
    return sc_labels(ld, item, &t->label, &t->source);
}

ps_status sc_build_targets(sc_loader *ld, const ynode *section)
{
    ps_scenario *sc = ld->sc;
    ps_status st = sc_expect_seq(ld, section,
                                 "a list of targets (each starting with "
                                 "'- name:')");
    if (st)
        return st;
    sc->targets = calloc(section->n + 1, sizeof *sc->targets);
    if (!sc->targets)
        return sc_nomem(ld);
    for (size_t i = 0; i < section->n; i++) {
        ps_sc_target *t = &sc->targets[sc->ntargets++];
        if ((st = read_target(ld, section->vals[i], t)))
            return st;
    }
    return PS_OK;
}
