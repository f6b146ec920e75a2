/*
 * `extends:`: merging a child scenario's tree over its parent's.
 *
 * The child's keys replace the parent's, item by item where items have
 * names: `fixed`, `levers` and `uncertain` by variable name, `targets` by
 * target name, correlation pairs by the pair of inputs, and the settings
 * mappings `time`, `tolerance` and `sampling` key by key.  A variable the
 * child puts in one of fixed/levers/uncertain leaves the parent's other
 * two (a child may turn a fixed value into a lever), and correlation
 * pairs of the parent that name an input the child no longer treats as
 * uncertain are dropped.  A child's correlation matrix replaces every
 * correlation of the parent.  `observed` is merged key by key, its
 * `series` series by series (by name); a child's `file:` drops the
 * parent's `sheet:`, which belongs to the parent's file.  Everything else
 * (scalars, `save`, an observed series or error model) is replaced
 * whole.  Merging happens before validation: a section of the
 * wrong type is simply taken from the child and reported when read.
 */
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "scenario_impl.h"

#define KEY_MAX 64

static const char *const named_sections[] = {SC_FIXED, SC_LEVERS, SC_UNCERTAIN};
static const char *const keyed_sections[] = {"time", "tolerance", "sampling"};

static ynode *new_like(sc_loader *ld, const ynode *like)
{
    ynode *n = ynode_new(&ld->arena, like->kind);
    if (n) {
        n->where = like->where;
        n->flow = like->flow;
    }
    return n;
}

/* Index of format key `key` in mapping m, or -1. */
static long find_key(const ynode *m, const char *key)
{
    for (size_t i = m->n; i-- > 0;)
        if (sc_key_is(m->keys[i], key))
            return (long)i;
    return -1;
}

/* Sets m[key] = (k, v), replacing an existing pair in place. */
static int set_pair(ynode *m, const char *key, ynode *k, ynode *v)
{
    long i = find_key(m, key);
    if (i < 0)
        return ynode_push(m, k, v);
    m->keys[i] = k;
    m->vals[i] = v;
    return 0;
}

static void remove_pair(ynode *m, const char *key)
{
    long i;
    while ((i = find_key(m, key)) >= 0) {
        memmove(m->keys + i, m->keys + i + 1,
                (m->n - (size_t)i - 1) * sizeof *m->keys);
        memmove(m->vals + i, m->vals + i + 1,
                (m->n - (size_t)i - 1) * sizeof *m->vals);
        m->n--;
    }
}

static ynode *map_or_null(ynode *n)
{
    return n && n->kind == Y_MAP ? n : NULL;
}

/* Does mapping m have an item named like variable `name`, or one for
   the whole variable of which `name` names elements? */
static int has_name(const ynode *m, const char *name)
{
    if (!m)
        return 0;
    for (size_t i = 0; i < m->n; i++)
        if (sc_names_same(m->keys[i]->text, name) ||
            sc_name_covers(m->keys[i]->text, name))
            return 1;
    return 0;
}

/* Does mapping m have an item named exactly like `name`? */
static int has_same_name(const ynode *m, const char *name)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (sc_names_same(m->keys[i]->text, name))
            return 1;
    return 0;
}

/* Does mapping m have an item for the whole variable of which `name`
   names elements? */
static int covers_name(const ynode *m, const char *name)
{
    for (size_t i = 0; m && i < m->n; i++)
        if (sc_name_covers(m->keys[i]->text, name))
            return 1;
    return 0;
}

/* Parent items (minus those named in drop[0..ndrop)), each replaced in
   place by the child's item of that name, then the child's other items. */
static ynode *merge_named(sc_loader *ld, ynode *p, ynode *c, ynode *const *drop,
                          size_t ndrop)
{
    ynode *out = new_like(ld, c ? c : p);
    if (!out)
        return NULL;
    size_t nc = c ? c->n : 0;
    for (size_t i = 0; p && i < p->n; i++) {
        const char *name = p->keys[i]->text;
        int dropped = 0;
        for (size_t d = 0; d < ndrop && !dropped; d++)
            dropped = has_name(drop[d], name);
        /* the child setting a whole variable replaces the parent's
           items on its elements */
        dropped |= covers_name(c, name);
        if (dropped)
            continue;
        ynode *k = p->keys[i], *v = p->vals[i];
        for (size_t j = 0; j < nc; j++)
            if (sc_names_same(c->keys[j]->text, name)) {
                k = c->keys[j];
                v = c->vals[j];
            }
        if (ynode_push(out, k, v))
            return NULL;
    }
    for (size_t j = 0; j < nc; j++)
        if (!has_same_name(out, c->keys[j]->text) &&
            ynode_push(out, c->keys[j], c->vals[j]))
            return NULL;
    return out;
}

/* Settings mappings: the child's keys over the parent's. */
static ynode *merge_keyed(sc_loader *ld, ynode *p, ynode *c)
{
    ynode *out = new_like(ld, c);
    if (!out)
        return NULL;
    for (size_t i = 0; i < p->n; i++)
        if (ynode_push(out, p->keys[i], p->vals[i]))
            return NULL;
    for (size_t j = 0; j < c->n; j++) {
        char key[KEY_MAX];
        sc_key_norm(c->keys[j]->text, key, sizeof key);
        if (set_pair(out, key, c->keys[j], c->vals[j]))
            return NULL;
    }
    return out;
}

/* The identity of a list item: a target's name, or "a|b" names of a
   correlation pair; NULL when the item has none (it is then kept). */
static const ynode *target_name(const ynode *item)
{
    const ynode *n = sc_get(item, "name", NULL);
    return n && n->kind == Y_SCALAR && !n->null ? n : NULL;
}

static int same_target(const ynode *a, const ynode *b)
{
    const ynode *na = target_name(a), *nb = target_name(b);
    return na && nb && strcmp(na->text, nb->text) == 0;
}

static int pair_names(const ynode *item, const char **a, const char **b)
{
    if (!item || item->kind != Y_SEQ || item->n < 2 ||
        item->vals[0]->kind != Y_SCALAR || item->vals[1]->kind != Y_SCALAR)
        return 0;
    *a = item->vals[0]->text;
    *b = item->vals[1]->text;
    return 1;
}

static int same_pair(const ynode *x, const ynode *y)
{
    const char *a, *b, *c, *d;
    if (!pair_names(x, &a, &b) || !pair_names(y, &c, &d))
        return 0;
    return (sc_names_same(a, c) && sc_names_same(b, d)) ||
           (sc_names_same(a, d) && sc_names_same(b, c));
}

/* Does pair item x name a variable of one of drop[0..ndrop)? */
static int pair_dropped(const ynode *x, ynode *const *drop, size_t ndrop)
{
    const char *a, *b;
    if (!pair_names(x, &a, &b))
        return 0;
    for (size_t d = 0; d < ndrop; d++)
        if (has_name(drop[d], a) || has_name(drop[d], b))
            return 1;
    return 0;
}

/* Lists merged item by item: parent items (minus dropped ones), each
   replaced in place by the child's item with the same identity, then the
   child's other items. */
static ynode *merge_items(sc_loader *ld, ynode *p, ynode *c,
                          int (*same)(const ynode *, const ynode *),
                          ynode *const *drop, size_t ndrop)
{
    ynode *out = new_like(ld, c ? c : p);
    if (!out)
        return NULL;
    size_t nc = c ? c->n : 0;
    unsigned char *used = calloc(nc + 1, 1);
    if (!used)
        return NULL;
    for (size_t i = 0; p && i < p->n; i++) {
        ynode *v = p->vals[i];
        if (pair_dropped(v, drop, ndrop))
            continue;
        for (size_t j = 0; j < nc; j++)
            if (!used[j] && same(c->vals[j], p->vals[i])) {
                v = c->vals[j];
                used[j] = 1;
            }
        if (ynode_push(out, NULL, v)) {
            free(used);
            return NULL;
        }
    }
    for (size_t j = 0; j < nc; j++)
        if (!used[j] && ynode_push(out, NULL, c->vals[j])) {
            free(used);
            return NULL;
        }
    free(used);
    return out;
}

static ynode *seq_or_null(ynode *n)
{
    return n && n->kind == Y_SEQ ? n : NULL;
}

/* fixed / levers / uncertain, each against the child's other two. */
static int merge_named_sections(sc_loader *ld, ynode *out, ynode *parent,
                                ynode *child)
{
    ynode *cs[3];
    for (int s = 0; s < 3; s++)
        cs[s] = map_or_null(sc_get(child, named_sections[s], NULL));
    for (int s = 0; s < 3; s++) {
        ynode *pk, *ck;
        ynode *p = sc_get(parent, named_sections[s], &pk);
        ynode *c = sc_get(child, named_sections[s], &ck);
        if ((c && c->kind != Y_MAP) || (!c && !p))
            continue; /* the child's value stands (or nothing to do) */
        if (p && p->kind != Y_MAP) {
            if (!c)
                continue; /* the parent's value stands, reported later */
            p = NULL;
        }
        ynode *drop[2] = {cs[(s + 1) % 3], cs[(s + 2) % 3]};
        ynode *m = merge_named(ld, p, c, drop, 2);
        if (!m || set_pair(out, named_sections[s], c ? ck : pk, m))
            return -1;
    }
    return 0;
}

static int merge_correlations(sc_loader *ld, ynode *out, ynode *parent,
                              ynode *child)
{
    ynode *ck;
    if (sc_get(child, SC_CORRELATION, &ck)) {
        /* a matrix replaces everything the parent said */
        ynode *k;
        ynode *pairs = sc_get(child, SC_CORRELATIONS, &k);
        remove_pair(out, SC_CORRELATIONS);
        if (pairs && ynode_push(out, k, pairs))
            return -1;
        return 0;
    }
    ynode *pk, *c = sc_get(child, SC_CORRELATIONS, &ck);
    ynode *p = sc_get(parent, SC_CORRELATIONS, &pk);
    if ((c && c->kind != Y_SEQ) || (!c && !p) || (p && p->kind != Y_SEQ))
        return 0;
    /* inputs the child fixed or made levers are no longer uncertain */
    ynode *drop[2] = {map_or_null(sc_get(child, SC_FIXED, NULL)),
                      map_or_null(sc_get(child, SC_LEVERS, NULL))};
    ynode *m = merge_items(ld, seq_or_null(p), c, same_pair, drop, 2);
    return !m || set_pair(out, SC_CORRELATIONS, c ? ck : pk, m) ? -1 : 0;
}

/* `observed:`: the child's keys over the parent's, series by name. */
static ynode *merge_observed(sc_loader *ld, ynode *p, ynode *c)
{
    ynode *out = merge_keyed(ld, p, c);
    if (!out)
        return NULL;
    if (sc_get(c, "file", NULL) && !sc_get(c, "sheet", NULL))
        remove_pair(out, "sheet");
    ynode *ck, *ps = map_or_null(sc_get(p, "series", NULL));
    ynode *cs = map_or_null(sc_get(c, "series", &ck));
    if (!ps || !cs)
        return out; /* the one given stands (or is reported when read) */
    ynode *m = merge_named(ld, ps, cs, NULL, 0);
    return m && !set_pair(out, "series", ck, m) ? out : NULL;
}

ynode *sc_merge(sc_loader *ld, ynode *parent, ynode *child)
{
    if (!parent)
        return child;
    ynode *out = new_like(ld, child);
    if (!out)
        return NULL;
    for (size_t i = 0; i < parent->n; i++)
        if (ynode_push(out, parent->keys[i], parent->vals[i]))
            return NULL;
    for (size_t j = 0; j < child->n; j++) {
        char key[KEY_MAX];
        sc_key_norm(child->keys[j]->text, key, sizeof key);
        ynode *p = sc_get(parent, key, NULL), *c = child->vals[j];
        ynode *v = c;
        for (size_t s = 0; s < 3; s++)
            if (strcmp(key, keyed_sections[s]) == 0 && map_or_null(p) &&
                map_or_null(c) && !(v = merge_keyed(ld, p, c)))
                return NULL;
        if (strcmp(key, SC_TARGETS) == 0 && seq_or_null(p) && seq_or_null(c) &&
            !(v = merge_items(ld, p, c, same_target, NULL, 0)))
            return NULL;
        if (strcmp(key, SC_OBSERVED) == 0 && map_or_null(p) && map_or_null(c) &&
            !(v = merge_observed(ld, p, c)))
            return NULL;
        if (set_pair(out, key, child->keys[j], v))
            return NULL;
    }
    if (merge_named_sections(ld, out, parent, child) ||
        merge_correlations(ld, out, parent, child))
        return NULL;
    return out;
}
