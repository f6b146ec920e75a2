/*
 * Names and keys given twice within one file.  Checked per file, before
 * `extends:` merges the trees, because merging resolves repeats (the child's
 * item replaces the parent's) and would hide a repeat inside one file. Sections
 * of the wrong type are skipped here and reported when read.
 */
#include <string.h>

#include "plansim/names.h"
#include "scenario_impl.h"

static const char *const sections[] = {SC_FIXED, SC_LEVERS, SC_UNCERTAIN};

static const char *section_text(int s)
{
    return s == 0 ? "fixed" : s == 1 ? "a lever" : "uncertain";
}

static ps_status check_variables(sc_loader *ld, const ynode *root)
{
    const ynode *m[3];
    for (int s = 0; s < 3; s++) {
        m[s] = sc_get(root, sections[s], NULL);
        if (m[s] && m[s]->kind != Y_MAP)
            m[s] = NULL;
    }
    for (int s = 0; s < 3; s++)
        for (size_t i = 0; m[s] && i < m[s]->n; i++) {
            const ynode *k = m[s]->keys[i];
            /* earlier items: same section before i, earlier sections */
            for (int t = 0; t <= s; t++)
                for (size_t j = 0; m[t] && j < (t == s ? i : m[t]->n); j++) {
                    const ynode *e = m[t]->keys[j];
                    if (!sc_names_same(e->text, k->text))
                        continue;
                    if (t == s)
                        return sc_fail(ld, k,
                                       "'%s' is given twice (also at line "
                                       "%d)",
                                       k->text, e->where.loc.line);
                    return sc_fail(ld, k,
                                   "'%s' is already %s (line %d); a "
                                   "variable is fixed, a lever or "
                                   "uncertain, not two of these",
                                   k->text, section_text(t), e->where.loc.line);
                }
        }
    return PS_OK;
}

static const ynode *scalar_at(const ynode *item, const char *key, size_t i)
{
    const ynode *n =
        key ? sc_get(item, key, NULL)
            : (item && item->kind == Y_SEQ && i < item->n ? item->vals[i]
                                                          : NULL);
    return n && n->kind == Y_SCALAR && !n->null ? n : NULL;
}

static ps_status check_targets(sc_loader *ld, const ynode *root)
{
    const ynode *t = sc_get(root, SC_TARGETS, NULL);
    if (!t || t->kind != Y_SEQ)
        return PS_OK;
    for (size_t i = 0; i < t->n; i++) {
        const ynode *a = scalar_at(t->vals[i], "name", 0);
        for (size_t j = 0; a && j < i; j++) {
            const ynode *b = scalar_at(t->vals[j], "name", 0);
            if (b && strcmp(a->text, b->text) == 0)
                return sc_fail(ld, a,
                               "two targets are named '%s' (the other at "
                               "line %d)",
                               a->text, b->where.loc.line);
        }
    }
    return PS_OK;
}

static ps_status check_pairs(sc_loader *ld, const ynode *root)
{
    ynode *mk, *pk;
    const ynode *matrix = sc_get(root, SC_CORRELATION, &mk);
    const ynode *pairs = sc_get(root, SC_CORRELATIONS, &pk);
    if (matrix && pairs)
        return sc_fail(ld, mk,
                       "give correlations either as pairs ('correlations:', "
                       "line %d) or as a matrix ('correlation:'), not both",
                       pk->where.loc.line);
    if (!pairs || pairs->kind != Y_SEQ)
        return PS_OK;
    for (size_t i = 0; i < pairs->n; i++) {
        const ynode *a = scalar_at(pairs->vals[i], NULL, 0);
        const ynode *b = scalar_at(pairs->vals[i], NULL, 1);
        for (size_t j = 0; a && b && j < i; j++) {
            const ynode *c = scalar_at(pairs->vals[j], NULL, 0);
            const ynode *d = scalar_at(pairs->vals[j], NULL, 1);
            if (c && d &&
                ((sc_names_same(a->text, c->text) &&
                  sc_names_same(b->text, d->text)) ||
                 (sc_names_same(a->text, d->text) &&
                  sc_names_same(b->text, c->text))))
                return sc_fail(ld, pairs->vals[i],
                               "the correlation of '%s' and '%s' is given "
                               "twice (also at line %d)",
                               a->text, b->text,
                               pairs->vals[j]->where.loc.line);
        }
    }
    return PS_OK;
}

/* One key spelt two ways in one mapping ("saveper", "SAVEPER"). */
static ps_status check_spellings(sc_loader *ld, const ynode *m)
{
    for (size_t i = 0; m && m->kind == Y_MAP && i < m->n; i++) {
        char key[64];
        sc_key_norm(m->keys[i]->text, key, sizeof key);
        for (size_t j = 0; j < i; j++)
            if (sc_key_is(m->keys[j], key))
                return sc_fail(ld, m->keys[i],
                               "'%s' is given twice (also at line %d)",
                               m->keys[i]->text, m->keys[j]->where.loc.line);
    }
    return PS_OK;
}

/* Two observed series of one name ("gdp real", "GDP_real"), and keys
   spelt two ways in `observed:`, which are merged key by key. */
static ps_status check_series(sc_loader *ld, const ynode *root)
{
    const ynode *o = sc_get(root, SC_OBSERVED, NULL);
    ps_status st = check_spellings(ld, o);
    const ynode *m = st ? NULL : sc_get(o, "series", NULL);
    for (size_t i = 0; m && m->kind == Y_MAP && i < m->n; i++)
        for (size_t j = 0; j < i; j++)
            if (sc_names_same(m->keys[j]->text, m->keys[i]->text))
                return sc_fail(ld, m->keys[i],
                               "the series '%s' is given twice (also at "
                               "line %d)",
                               m->keys[i]->text, m->keys[j]->where.loc.line);
    return st;
}

ps_status sc_check_names(sc_loader *ld, const ynode *root)
{
    static const char *const settings[] = {"time", "tolerance", "sampling"};
    ps_status st = check_spellings(ld, root);
    for (size_t i = 0; i < 3 && st == PS_OK; i++)
        st = check_spellings(ld, sc_get(root, settings[i], NULL));
    if (st == PS_OK)
        st = check_series(ld, root);
    if (st == PS_OK)
        st = check_variables(ld, root);
    if (st == PS_OK)
        st = check_targets(ld, root);
    if (st == PS_OK)
        st = check_pairs(ld, root);
    return st;
}
