/*
 * Names and keys given twice within one file.  Checked per file, before
 * `extends:` merges the trees, because merging resolves repeats (the child's
 * item replaces the parent's) and would hide a repeat inside one file. Sections
 * of the wrong type are skipped here and reported when read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "scenario_impl.h"

static const char *const sections[] = {SC_FIXED, SC_LEVERS, SC_UNCERTAIN};

static const char *section_text(int s)
{
    return s == 0 ? "fixed" : s == 1 ? "a lever" : "uncertain";
}

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

int sc_first_repeat(keyed *v, size_t n, size_t *first, size_t *repeat)
{
    int found = 0;
    qsort(v, n, sizeof *v, by_key);
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i].key, v[i - 1].key) == 0 &&
            (i < 2 || strcmp(v[i - 1].key, v[i - 2].key) != 0) &&
            (!found || v[i].order < *repeat)) {
            *first = v[i - 1].order;
            *repeat = v[i].order;
            found = 1;
        }
    return found;
}

void sc_keyed_free(keyed *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].key);
    free(v);
}

static ps_status check_variables(sc_loader *ld, const ynode *root)
{
    const ynode *m[3];
    size_t total = 0;
    for (int s = 0; s < 3; s++) {
        m[s] = sc_get(root, sections[s], NULL);
        if (m[s] && m[s]->kind != Y_MAP)
            m[s] = NULL;
        total += m[s] ? m[s]->n : 0;
    }
    keyed *v = calloc(total + 1, sizeof *v);
    const ynode **node = calloc(total + 1, sizeof *node);
    int *section = calloc(total + 1, sizeof *section);
    size_t n = 0;
    int ok = v && node && section;
    for (int s = 0; s < 3 && ok; s++)
        for (size_t i = 0; m[s] && i < m[s]->n && ok; i++, n++) {
            node[n] = m[s]->keys[i];
            section[n] = s;
            v[n] = (keyed){sc_name_key(node[n]->text), n};
            ok = v[n].key != NULL;
        }
    size_t f, r;
    ps_status st =
        !ok                              ? sc_nomem(ld)
        : !sc_first_repeat(v, n, &f, &r) ? PS_OK
        : section[f] == section[r]
            ? sc_fail(ld, node[r], "'%s' is given twice (also at line %d)",
                      node[r]->text, node[f]->where.loc.line)
            : sc_fail(ld, node[r],
                      "'%s' is already %s (line %d); a "
                      "variable is fixed, a lever or "
                      "uncertain, not two of these",
                      node[r]->text, section_text(section[f]),
                      node[f]->where.loc.line);
    sc_keyed_free(v, ok ? n : n + 1);
    free(node);
    free(section);
    return st;
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
    keyed *v = calloc(t->n + 1, sizeof *v);
    const ynode **name = calloc(t->n + 1, sizeof *name);
    size_t n = 0;
    int ok = v && name;
    for (size_t i = 0; ok && i < t->n; i++) {
        const ynode *a = scalar_at(t->vals[i], "name", 0);
        if (!a)
            continue;
        name[n] = a;
        v[n] = (keyed){strdup(a->text), n};
        ok = v[n++].key != NULL;
    }
    size_t f, r;
    ps_status st = !ok ? sc_nomem(ld)
                   : !sc_first_repeat(v, n, &f, &r)
                       ? PS_OK
                       : sc_fail(ld, name[r],
                                 "two targets are "
                                 "named '%s' (the "
                                 "other at line %d)",
                                 name[r]->text, name[f]->where.loc.line);
    sc_keyed_free(v, n);
    free(name);
    return st;
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
    /* a pair's key: its two names' keys in sorted order */
    keyed *v = calloc(pairs->n + 1, sizeof *v);
    size_t *item = calloc(pairs->n + 1, sizeof *item);
    size_t n = 0;
    int ok = v && item;
    for (size_t i = 0; ok && i < pairs->n; i++) {
        const ynode *a = scalar_at(pairs->vals[i], NULL, 0);
        const ynode *b = scalar_at(pairs->vals[i], NULL, 1);
        if (!a || !b)
            continue;
        char *ka = sc_name_key(a->text), *kb = sc_name_key(b->text);
        char *key = ka && kb ? malloc(strlen(ka) + strlen(kb) + 2) : NULL;
        if (key) {
            int order = strcmp(ka, kb) <= 0;
            sprintf(key, "%s\n%s", order ? ka : kb, order ? kb : ka);
        }
        free(ka);
        free(kb);
        item[n] = i;
        v[n] = (keyed){key, n};
        ok = v[n++].key != NULL;
    }
    size_t f, r;
    ps_status st = PS_OK;
    if (!ok) {
        st = sc_nomem(ld);
    } else if (sc_first_repeat(v, n, &f, &r)) {
        const ynode *p = pairs->vals[item[r]];
        st = sc_fail(ld, p,
                     "the correlation of '%s' and '%s' is given twice (also "
                     "at line %d)",
                     scalar_at(p, NULL, 0)->text, scalar_at(p, NULL, 1)->text,
                     pairs->vals[item[f]]->where.loc.line);
    }
    sc_keyed_free(v, n);
    free(item);
    return st;
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
    if (!m || m->kind != Y_MAP)
        return st;
    keyed *v = calloc(m->n + 1, sizeof *v);
    size_t n = 0;
    int ok = v != NULL;
    for (size_t i = 0; ok && i < m->n; i++, n++) {
        v[n] = (keyed){sc_name_key(m->keys[i]->text), i};
        ok = v[n].key != NULL;
    }
    size_t f, r;
    if (!ok)
        st = sc_nomem(ld);
    else if (sc_first_repeat(v, n, &f, &r))
        st = sc_fail(ld, m->keys[r],
                     "the series '%s' is given twice (also at line %d)",
                     m->keys[r]->text, m->keys[f]->where.loc.line);
    sc_keyed_free(v, n);
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
