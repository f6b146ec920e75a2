/*
 * Subscripts: the model's ranges resolved into element lists, the shape of
 * each subscripted variable and the iterations of each of its equations,
 * and the element a subscripted reference reads at each iteration.
 *
 * Semantics follow Vensim (as PySD and SDEverywhere read it):
 *   - a range's list may name other ranges (their elements are merged in)
 *     and numeric ranges "(d1-d5)"; "A <-> B" makes A another name of B;
 *   - a variable may be defined by several equations over subranges or
 *     single elements; together they must define each element once.  A
 *     variable's dimension at a position is the range whose elements are
 *     exactly those defined there (a named one when one matches, else an
 *     anonymous part of the enclosing range);
 *   - a range named on the right-hand side takes its element from the
 *     left-hand side position of the same range, of a range with the same
 *     elements or a subrange of it, or through a mapping "A: ... -> B" in
 *     either direction; ranges written with '!' are reduced over.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"
#include "plansim/names.h"

#define NONE ((size_t)-1)
#define MAX_ELEMENTS 10000000u /* elements of one variable (80 MB of values) */

static ps_status nomem(const eqn_set *set, ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, set->path, 0, 0,
                        "out of memory while compiling");
}

static ps_status fail_at(const eqn_set *set, ps_error *err, ps_status st,
                         ps_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static ps_status fail_at(const eqn_set *set, ps_error *err, ps_status st,
                         ps_loc loc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(err, st, set->path, loc.line, loc.column, fmt, ap);
    va_end(ap);
    return st;
}

/* FNV-1a over a key's bytes, and over an element id. */
static size_t hash_key(const char *s)
{
    size_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static size_t hash_id(size_t e)
{
    return (e + 1) * 11400714819323198485ull;
}

size_t subs_elem_find(const eqn_set *set, const char *key)
{
    if (!set->elem_index_cap)
        return NONE;
    size_t mask = set->elem_index_cap - 1;
    for (size_t h = hash_key(key) & mask; set->elem_index[h]; h = (h + 1) & mask)
        if (strcmp(set->elem_keys[set->elem_index[h] - 1], key) == 0)
            return set->elem_index[h] - 1;
    return NONE;
}

size_t subs_dim_find(const eqn_set *set, const char *key)
{
    for (size_t i = 0; i < set->ndims; i++)
        if (!set->dims[i].anonymous && strcmp(set->dims[i].key, key) == 0)
            return i;
    return NONE;
}

size_t subs_pos(const cdim *d, size_t e)
{
    if (!d->pos_index) { /* a temporary range: a few elements */
        for (size_t i = 0; i < d->n; i++)
            if (d->elem[i] == e)
                return i;
        return NONE;
    }
    size_t mask = d->pos_cap - 1;
    for (size_t h = hash_id(e) & mask; d->pos_index[h]; h = (h + 1) & mask)
        if (d->elem[d->pos_index[h] - 1] == e)
            return d->pos_index[h] - 1;
    return NONE;
}

/* Rebuilds an open-addressing index of `cap` slots (a power of two)
   holding value + 1 for each of n entries hashed by hash(i). */
static size_t *index_build(size_t n, size_t cap, size_t (*hash)(const void *, size_t),
                           const void *ctx)
{
    size_t *index = calloc(cap, sizeof *index);
    if (!index)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t h = hash(ctx, i) & (cap - 1);
        while (index[h])
            h = (h + 1) & (cap - 1);
        index[h] = i + 1;
    }
    return index;
}

static size_t elem_hash_at(const void *ctx, size_t i)
{
    return hash_key(((const eqn_set *)ctx)->elem_keys[i]);
}

static size_t pos_hash_at(const void *ctx, size_t i)
{
    return hash_id(((const cdim *)ctx)->elem[i]);
}

/* The id of element (name, key), added when new; NONE on no memory. */
static size_t elem_intern(eqn_set *set, const char *name, const char *key)
{
    size_t e = subs_elem_find(set, key);
    if (e != NONE)
        return e;
    if (set->nelems == set->elems_cap) {
        size_t cap = set->elems_cap ? 2 * set->elems_cap : 64;
        char **n = realloc(set->elem_names, cap * sizeof *n);
        if (!n)
            return NONE;
        set->elem_names = n;
        char **k = realloc(set->elem_keys, cap * sizeof *k);
        if (!k)
            return NONE;
        set->elem_keys = k;
        set->elems_cap = cap;
    }
    set->elem_names[set->nelems] = strdup(name);
    set->elem_keys[set->nelems] = strdup(key);
    if (!set->elem_names[set->nelems] || !set->elem_keys[set->nelems]) {
        free(set->elem_names[set->nelems]);
        free(set->elem_keys[set->nelems]);
        return NONE;
    }
    e = set->nelems++;
    if (2 * set->nelems > set->elem_index_cap) {
        size_t cap = set->elem_index_cap ? 2 * set->elem_index_cap : 128;
        size_t *index = index_build(set->nelems, cap, elem_hash_at, set);
        if (!index) {
            set->nelems--;
            free(set->elem_names[e]);
            free(set->elem_keys[e]);
            return NONE;
        }
        free(set->elem_index);
        set->elem_index = index;
        set->elem_index_cap = cap;
    } else {
        size_t mask = set->elem_index_cap - 1, h = hash_key(key) & mask;
        while (set->elem_index[h])
            h = (h + 1) & mask;
        set->elem_index[h] = e + 1;
    }
    return e;
}

/* Appends element e to range d, keeping its position index. */
static int elem_push(cdim *d, size_t e)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 8;
        size_t *v = realloc(d->elem, cap * sizeof *v);
        if (!v)
            return -1;
        d->elem = v;
        d->cap = cap;
    }
    d->elem[d->n++] = e;
    if (2 * d->n > d->pos_cap) {
        size_t cap = d->pos_cap ? 2 * d->pos_cap : 16;
        size_t *index = index_build(d->n, cap, pos_hash_at, d);
        if (!index) {
            d->n--;
            return -1;
        }
        free(d->pos_index);
        d->pos_index = index;
        d->pos_cap = cap;
    } else {
        size_t mask = d->pos_cap - 1, h = hash_id(e) & mask;
        while (d->pos_index[h])
            h = (h + 1) & mask;
        d->pos_index[h] = d->n;
    }
    return 0;
}


static ps_status range_elements(eqn_set *set, size_t i,
                                const ps_subscripts *elems,
                                unsigned char *state, ps_error *err);

/* Resolves model range i into set->dims[i] (state: 0 new, 1 open, 2
   done), following ranges named in its list and equivalences. */
static ps_status resolve_dim(eqn_set *set, size_t i, unsigned char *state,
                             ps_error *err)
{
    const ps_model *m = set->model;
    const ps_dim *md = &m->dims[i];
    cdim *d = &set->dims[i];
    if (state[i] == 2)
        return PS_OK;
    if (state[i] == 1)
        return fail_at(set, err, PS_ERR_SEMANTIC, md->loc,
                       "range '%s' is defined through itself", md->name);
    state[i] = 1;
    ps_subscripts read = {0};
    const ps_subscripts *elems = &md->elems;
    if (md->get) { /* GET DIRECT SUBSCRIPT: the elements are in a file */
        if (!ext_is_call(md->get, "subscript"))
            return fail_at(set, err, PS_ERR_SEMANTIC, md->get->loc,
                           "range '%s' is defined by a call that lists no "
                           "elements",
                           md->name);
        ps_status st = ext_subscript(set, md->get, &read, err);
        if (st != PS_OK) {
            ps_subscripts_clear(&read);
            return st;
        }
        elems = &read;
    }
    ps_status st = range_elements(set, i, elems, state, err);
    ps_subscripts_clear(&read);
    if (st != PS_OK)
        return st;
    if (d->n == 0)
        return fail_at(set, err, PS_ERR_SEMANTIC, md->loc,
                       "range '%s' has no element", md->name);
    state[i] = 2;
    return PS_OK;
}

/* The elements of range i from its list `elems` (names of elements or of
   other ranges) and its equivalence. */
static ps_status range_elements(eqn_set *set, size_t i,
                                const ps_subscripts *elems,
                                unsigned char *state, ps_error *err)
{
    const ps_model *m = set->model;
    const ps_dim *md = &m->dims[i];
    cdim *d = &set->dims[i];
    if (md->equiv) {
        size_t j = NONE;
        for (size_t k = 0; k < m->ndims; k++)
            if (strcmp(m->dims[k].key, md->equiv) == 0)
                j = k;
        if (j == NONE)
            return fail_at(set, err, PS_ERR_SEMANTIC, md->loc,
                           "'%s' is made equivalent to '%s', which is not "
                           "a range",
                           md->name, md->equiv);
        ps_status st = resolve_dim(set, j, state, err);
        if (st != PS_OK)
            return st;
        for (size_t k = 0; k < set->dims[j].n; k++)
            if (elem_push(d, set->dims[j].elem[k]))
                return nomem(set, err);
    }
    for (size_t k = 0; k < elems->n; k++) {
        const ps_subscript *s = &elems->v[k];
        size_t j = NONE;
        for (size_t q = 0; q < m->ndims; q++)
            if (q != i && strcmp(m->dims[q].key, s->key) == 0)
                j = q;
        if (j != NONE) { /* a range named in the list: its elements */
            ps_status st = resolve_dim(set, j, state, err);
            if (st != PS_OK)
                return st;
            for (size_t q = 0; q < set->dims[j].n; q++)
                if (subs_pos(d, set->dims[j].elem[q]) == NONE &&
                    elem_push(d, set->dims[j].elem[q]))
                    return nomem(set, err);
            continue;
        }
        size_t e = elem_intern(set, s->name, s->key);
        if (e == NONE)
            return nomem(set, err);
        if (subs_pos(d, e) != NONE)
            return fail_at(set, err, PS_ERR_SEMANTIC, s->loc,
                           "element '%s' is listed twice in range '%s'",
                           s->name, md->name);
        if (elem_push(d, e))
            return nomem(set, err);
    }
    return PS_OK;
}

ps_status subs_build_dims(eqn_set *set, ps_error *err)
{
    const ps_model *m = set->model;
    if (m->ndims == 0)
        return PS_OK;
    set->dims = calloc(m->ndims, sizeof *set->dims);
    unsigned char *state = calloc(m->ndims, 1);
    if (!set->dims || !state) {
        free(state);
        return nomem(set, err);
    }
    set->ndims = m->ndims;
    for (size_t i = 0; i < m->ndims; i++) {
        set->dims[i].name = strdup(m->dims[i].name);
        set->dims[i].key = strdup(m->dims[i].key);
        set->dims[i].model_dim = i;
        if (!set->dims[i].name || !set->dims[i].key) {
            free(state);
            return nomem(set, err);
        }
    }
    ps_status st = PS_OK;
    for (size_t i = 0; i < m->ndims && st == PS_OK; i++)
        st = resolve_dim(set, i, state, err);
    free(state);
    /* every mapping must name a range of the right size */
    for (size_t i = 0; i < m->ndims && st == PS_OK; i++)
        for (size_t k = 0; k < m->dims[i].nmaps && st == PS_OK; k++) {
            const ps_dim_map *mp = &m->dims[i].maps[k];
            size_t to = subs_dim_find(set, mp->to);
            if (to == NONE)
                st = fail_at(set, err, PS_ERR_SEMANTIC, mp->loc,
                             "range '%s' is mapped to '%s', which is not a "
                             "range",
                             m->dims[i].name, mp->to_name);
            else if (mp->elems.n == 0 && set->dims[to].n != set->dims[i].n)
                st = fail_at(set, err, PS_ERR_SEMANTIC, mp->loc,
                             "range '%s' (%zu elements) cannot be mapped to "
                             "'%s' (%zu elements): the sizes differ",
                             m->dims[i].name, set->dims[i].n, mp->to_name,
                             set->dims[to].n);
            else if (mp->elems.n != 0 && mp->elems.n != set->dims[i].n)
                st = fail_at(set, err, PS_ERR_SEMANTIC, mp->loc,
                             "the mapping of '%s' to '%s' lists %zu "
                             "elements for %zu",
                             m->dims[i].name, mp->to_name, mp->elems.n,
                             set->dims[i].n);
        }
    return st;
}

/* --------------------------------------------------------- mappings */

/* The element of range `to` that element `e` of range `from` maps to
   through a mapping "from: ... -> to", or NONE when there is none. */
static size_t map_forward(const eqn_set *set, size_t from, size_t to,
                          size_t e)
{
    const cdim *f = &set->dims[from];
    if (f->anonymous || f->model_dim == NONE)
        return NONE;
    const ps_dim *md = &set->model->dims[f->model_dim];
    for (size_t k = 0; k < md->nmaps; k++) {
        const ps_dim_map *mp = &md->maps[k];
        if (strcmp(mp->to, set->dims[to].key) != 0)
            continue;
        size_t pos = subs_pos(f, e);
        if (pos == NONE)
            return NONE;
        if (mp->elems.n == 0)
            return pos < set->dims[to].n ? set->dims[to].elem[pos] : NONE;
        return subs_elem_find(set, mp->elems.v[pos].key);
    }
    return NONE;
}

static int maps_to(const eqn_set *set, size_t from, size_t to)
{
    const cdim *f = &set->dims[from];
    if (f->anonymous || f->model_dim == NONE)
        return 0;
    const ps_dim *md = &set->model->dims[f->model_dim];
    for (size_t k = 0; k < md->nmaps; k++)
        if (strcmp(md->maps[k].to, set->dims[to].key) == 0)
            return 1;
    return 0;
}

static int is_subset(const cdim *a, const cdim *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (subs_pos(b, a->elem[i]) == NONE)
            return 0;
    return 1;
}

/* How a range R on the right-hand side takes its element from a range B
   bound on the left: the same elements, or through a mapping. */
enum relation { REL_NONE, REL_SAME, REL_FORWARD, REL_INVERSE };

static enum relation relate(const eqn_set *set, size_t bound, size_t r)
{
    if (bound == r || is_subset(&set->dims[bound], &set->dims[r]))
        return REL_SAME;
    if (maps_to(set, bound, r))
        return REL_FORWARD;
    if (maps_to(set, r, bound))
        return REL_INVERSE;
    return REL_NONE;
}

/* ------------------------------------------------------------ shapes */

/* Elements a subscript names: a range's, or one element.  *dim is the
   range (or NONE).  Returns the count and the list in *out (owned by the
   set or `one`). */
static ps_status subscript_elems(const eqn_set *set, const ps_subscript *s,
                                 size_t *one, const size_t **out, size_t *n,
                                 size_t *dim, ps_error *err)
{
    size_t d = subs_dim_find(set, s->key);
    *dim = d;
    if (d != NONE) {
        *out = set->dims[d].elem;
        *n = set->dims[d].n;
        return PS_OK;
    }
    size_t e = subs_elem_find(set, s->key);
    if (e == NONE)
        return fail_at(set, err, PS_ERR_SEMANTIC, s->loc,
                       "unknown subscript '%s' (neither a range nor an "
                       "element)",
                       s->name);
    *one = e;
    *out = one;
    *n = 1;
    return PS_OK;
}

static int same_set(const cdim *d, const size_t *elems, size_t n)
{
    if (d->n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (subs_pos(d, elems[i]) == NONE)
            return 0;
    return 1;
}

/* The range for position k of a variable whose equations define the
   elements covered[0..n): a named range with exactly these elements
   (the one written first, when it fits), else a new anonymous part of the
   smallest named range holding them all, in that range's order. */
static ps_status choose_dim(eqn_set *set, size_t first_written,
                            const size_t *covered, size_t n, ps_loc loc,
                            const char *var, size_t *out, ps_error *err)
{
    if (first_written != NONE && same_set(&set->dims[first_written], covered, n)) {
        *out = first_written;
        return PS_OK;
    }
    for (size_t d = 0; d < set->ndims; d++)
        if (!set->dims[d].anonymous && same_set(&set->dims[d], covered, n)) {
            *out = d;
            return PS_OK;
        }
    size_t family = NONE;
    for (size_t d = 0; d < set->ndims; d++) {
        if (set->dims[d].anonymous)
            continue;
        cdim tmp = {.n = n, .elem = (size_t *)covered};
        if (is_subset(&tmp, &set->dims[d]) &&
            (family == NONE || set->dims[d].n < set->dims[family].n))
            family = d;
    }
    cdim *dims = realloc(set->dims, (set->ndims + 1) * sizeof *dims);
    if (!dims)
        return nomem(set, err);
    set->dims = dims;
    cdim *a = &set->dims[set->ndims];
    memset(a, 0, sizeof *a);
    a->anonymous = 1;
    a->model_dim = NONE;
    const char *base = family != NONE ? set->dims[family].name : "elements";
    size_t len = strlen(base) + strlen(var) + 8;
    a->name = malloc(len);
    a->key = malloc(len);
    if (!a->name || !a->key) {
        free(a->name);
        free(a->key);
        return nomem(set, err);
    }
    snprintf(a->name, len, "%s", base);
    snprintf(a->key, len, "%c%s:%s", HIDDEN_KEY_MARK, base, var);
    if (family != NONE) {
        for (size_t i = 0; i < set->dims[family].n; i++) {
            size_t e = set->dims[family].elem[i];
            for (size_t k = 0; k < n; k++)
                if (covered[k] == e && elem_push(a, e))
                    return nomem(set, err);
        }
    } else {
        for (size_t k = 0; k < n; k++)
            if (elem_push(a, covered[k]))
                return nomem(set, err);
    }
    (void)loc;
    *out = set->ndims++;
    return PS_OK;
}

void box_free(box *b)
{
    free(b->tuple);
    free(b->flat);
    b->tuple = b->flat = NULL;
    b->n = 0;
}

/* Non-zero when `tuple` matches one of the :EXCEPT: lists of def. */
static int excepted(const eqn_set *set, const ps_var *def,
                    const size_t *tuple, size_t nd)
{
    for (size_t x = 0; x < def->nexcepts; x++) {
        const ps_subscripts *ex = &def->excepts[x];
        int all = ex->n == nd;
        for (size_t k = 0; all && k < nd; k++) {
            size_t d = subs_dim_find(set, ex->v[k].key);
            if (d != NONE)
                all = subs_pos(&set->dims[d], tuple[k]) != NONE;
            else
                all = subs_elem_find(set, ex->v[k].key) == tuple[k];
        }
        if (all)
            return 1;
    }
    return 0;
}

ps_status subs_shape(eqn_set *set, size_t first, cvar *v, box *boxes,
                     size_t ndefs, ps_error *err)
{
    const ps_model *m = set->model;
    const ps_var *head = &m->vars[first];
    size_t nd = head->subs.n;
    ps_status st = PS_OK;
    if (nd > MAX_DIMS)
        return fail_at(set, err, PS_ERR_UNSUPPORTED, head->loc,
                       "'%s' has %zu subscripts; at most %d are supported",
                       head->name, nd, MAX_DIMS);
    v->ndims = nd;
    /* the elements each position covers, over all definitions */
    size_t *covered = NULL, ncov, cov_cap = 0, one;
    unsigned char *seen = calloc(set->nelems + 1, 1);
    if (!seen)
        return nomem(set, err);
    for (size_t k = 0; k < nd && st == PS_OK; k++) {
        ncov = 0;
        size_t written = NONE;
        for (size_t i = first; i != NONE && st == PS_OK;
             i = m->vars[i].next_def) {
            const ps_var *def = &m->vars[i];
            if (def->subs.n != nd) {
                st = fail_at(set, err, PS_ERR_SEMANTIC, def->loc,
                             "'%s' is defined with %zu subscripts here and "
                             "%zu at %d:%d",
                             def->name, def->subs.n, nd, head->loc.line,
                             head->loc.column);
                break;
            }
            const size_t *el = NULL;
            size_t n = 0, d = NONE;
            if ((st = subscript_elems(set, &def->subs.v[k], &one, &el, &n,
                                      &d, err)) != PS_OK)
                break;
            if (written == NONE)
                written = d;
            for (size_t q = 0; q < n; q++) {
                if (seen[el[q]])
                    continue;
                seen[el[q]] = 1;
                if (ncov == cov_cap) {
                    cov_cap = cov_cap ? 2 * cov_cap : 16;
                    size_t *nc = realloc(covered, cov_cap * sizeof *nc);
                    if (!nc) {
                        st = nomem(set, err);
                        break;
                    }
                    covered = nc;
                }
                covered[ncov++] = el[q];
            }
        }
        if (st == PS_OK)
            st = choose_dim(set, written, covered, ncov, head->loc,
                            head->name, &v->dim[k], err);
        if (st == PS_OK)
            v->len[k] = set->dims[v->dim[k]].n;
        for (size_t c = 0; c < ncov; c++) /* clean for the next position */
            seen[covered[c]] = 0;
    }
    free(covered);
    free(seen);
    if (st != PS_OK)
        return st;
    v->size = 1;
    for (size_t k = 0; k < nd; k++) {
        if (v->size > MAX_ELEMENTS / v->len[k])
            return fail_at(set, err, PS_ERR_UNSUPPORTED, head->loc,
                           "'%s' has more than %u elements", head->name,
                           MAX_ELEMENTS);
        v->size *= v->len[k];
    }
    /* the iterations of each definition; each element defined once */
    size_t *owner = malloc(v->size * sizeof *owner);
    if (!owner)
        return nomem(set, err);
    for (size_t e = 0; e < v->size; e++)
        owner[e] = NONE;
    size_t di = 0;
    for (size_t i = first; i != NONE && st == PS_OK;
         i = m->vars[i].next_def, di++) {
        const ps_var *def = &m->vars[i];
        box *b = &boxes[di];
        memset(b, 0, sizeof *b);
        b->ndims = nd;
        const size_t *el[MAX_DIMS];
        size_t n[MAX_DIMS], ones[MAX_DIMS], total = 1;
        for (size_t k = 0; k < nd && st == PS_OK; k++) {
            st = subscript_elems(set, &def->subs.v[k], &ones[k], &el[k],
                                 &n[k], &b->bind[k], err);
            total *= n[k];
        }
        if (st != PS_OK)
            break;
        b->tuple = malloc((total * nd + 1) * sizeof *b->tuple);
        b->flat = malloc((total + 1) * sizeof *b->flat);
        if (!b->tuple || !b->flat) {
            st = nomem(set, err);
            break;
        }
        size_t idx[MAX_DIMS] = {0}, tuple[MAX_DIMS];
        for (size_t t = 0; t < total && st == PS_OK; t++) {
            size_t flat = 0;
            for (size_t k = 0; k < nd; k++) {
                tuple[k] = el[k][idx[k]];
                flat = flat * v->len[k] + subs_pos(&set->dims[v->dim[k]], tuple[k]);
            }
            if (!excepted(set, def, tuple, nd)) {
                if (owner[flat] != NONE) {
                    char *name = subs_element_name(set, v, flat);
                    const ps_var *o = &m->vars[owner[flat]];
                    st = fail_at(set, err, PS_ERR_SEMANTIC, def->loc,
                                 "%s is defined twice (also at %d:%d)",
                                 name ? name : def->name, o->loc.line,
                                 o->loc.column);
                    free(name);
                    break;
                }
                owner[flat] = i;
                memcpy(b->tuple + b->n * nd, tuple, nd * sizeof *tuple);
                b->flat[b->n++] = flat;
            }
            for (size_t k = nd; k-- > 0;) {
                if (++idx[k] < n[k])
                    break;
                idx[k] = 0;
            }
        }
        if (st == PS_OK && b->n == 0)
            st = fail_at(set, err, PS_ERR_SEMANTIC, def->loc,
                         "this equation of '%s' defines no element (every "
                         "one is excepted)",
                         def->name);
    }
    for (size_t e = 0; st == PS_OK && e < v->size; e++)
        if (owner[e] == NONE) {
            char *name = subs_element_name(set, v, e);
            st = fail_at(set, err, PS_ERR_SEMANTIC, head->loc,
                         "%s is not defined by any equation",
                         name ? name : head->name);
            free(name);
        }
    free(owner);
    (void)ndefs;
    return st;
}

char *subs_element_name(const eqn_set *set, const cvar *v, size_t flat)
{
    const char *elems[MAX_DIMS];
    for (size_t k = v->ndims; k-- > 0;) {
        const cdim *d = &set->dims[v->dim[k]];
        elems[k] = set->elem_names[d->elem[flat % v->len[k]]];
        flat /= v->len[k];
    }
    return ps_name_with_elements(v->name, elems, v->ndims);
}

/* -------------------------------------------------------- references */

static int is_reducer(const char *key)
{
    return !strcmp(key, "sum") || !strcmp(key, "prod") ||
           !strcmp(key, "vmin") || !strcmp(key, "vmax");
}

static ps_status reduction_walk(const eqn_set *set, const ps_expr *e,
                                reduction *red, ps_error *err)
{
    ps_status st = PS_OK;
    const ps_subscripts *subs = ps_expr_csubs(e);
    for (size_t i = 0; subs && i < subs->n; i++) {
        if (!subs->v[i].bang)
            continue;
        size_t d = subs_dim_find(set, subs->v[i].key);
        if (d == NONE)
            return fail_at(set, err, PS_ERR_SEMANTIC, subs->v[i].loc,
                           "'%s!' does not name a range", subs->v[i].name);
        int seen = 0;
        for (size_t k = 0; k < red->ndims; k++)
            seen |= red->dim[k] == d;
        if (seen)
            continue;
        if (red->ndims == MAX_DIMS)
            return fail_at(set, err, PS_ERR_UNSUPPORTED, subs->v[i].loc,
                           "too many ranges reduced at once");
        red->dim[red->ndims++] = d;
        red->m *= set->dims[d].n;
    }
    switch (e->kind) {
    case PS_EXPR_UNARY:
        return reduction_walk(set, e->u.unary.arg, red, err);
    case PS_EXPR_BINARY:
        st = reduction_walk(set, e->u.binary.lhs, red, err);
        return st != PS_OK ? st : reduction_walk(set, e->u.binary.rhs, red, err);
    case PS_EXPR_CALL:
        if (is_reducer(e->u.call.key))
            return PS_OK; /* a nested reduction has its own ranges */
        for (size_t i = 0; i < e->u.call.argc && st == PS_OK; i++)
            st = reduction_walk(set, e->u.call.argv[i], red, err);
        return st;
    default:
        return PS_OK;
    }
}

ps_status subs_reduction(const eqn_set *set, const ps_expr *e,
                         reduction *red, ps_error *err)
{
    memset(red, 0, sizeof *red);
    red->m = 1;
    return reduction_walk(set, e, red, err);
}

/* How subscript j of a reference takes its element. */
typedef struct sub_rule {
    enum { BY_ELEMENT, BY_LHS, BY_REDUCTION } how;
    size_t elem;        /* BY_ELEMENT                    */
    size_t k;           /* BY_LHS: position on the left  */
    enum relation rel;  /* BY_LHS                        */
    size_t r;           /* BY_REDUCTION: reduced range   */
    size_t dim;         /* the range written             */
} sub_rule;

static ps_status rule_of(const eqn_set *set, const box *lhs,
                         const ps_subscript *s, const reduction *red,
                         sub_rule *rule, ps_error *err)
{
    size_t d = subs_dim_find(set, s->key);
    rule->dim = d;
    if (d == NONE) {
        rule->how = BY_ELEMENT;
        rule->elem = subs_elem_find(set, s->key);
        if (rule->elem == NONE)
            return fail_at(set, err, PS_ERR_SEMANTIC, s->loc,
                           "unknown subscript '%s' (neither a range nor an "
                           "element)",
                           s->name);
        return PS_OK;
    }
    if (s->bang) {
        for (size_t k = 0; red && k < red->ndims; k++)
            if (red->dim[k] == d) {
                rule->how = BY_REDUCTION;
                rule->r = k;
                return PS_OK;
            }
        return fail_at(set, err, PS_ERR_SEMANTIC, s->loc,
                       "'%s!' is only meaningful inside SUM, PROD, VMIN or "
                       "VMAX",
                       s->name);
    }
    /* the same range first, then one with its elements, then mappings */
    for (size_t k = 0; k < lhs->ndims; k++)
        if (lhs->bind[k] == d) {
            rule->how = BY_LHS;
            rule->k = k;
            rule->rel = REL_SAME;
            return PS_OK;
        }
    static const enum relation order[] = {REL_SAME, REL_FORWARD, REL_INVERSE};
    for (size_t o = 0; o < 3; o++)
        for (size_t k = 0; k < lhs->ndims; k++) {
            if (lhs->bind[k] == NONE)
                continue;
            if (relate(set, lhs->bind[k], d) == order[o]) {
                rule->how = BY_LHS;
                rule->k = k;
                rule->rel = order[o];
                return PS_OK;
            }
        }
    return fail_at(set, err, PS_ERR_SEMANTIC, s->loc,
                   "range '%s' is not on the left-hand side of this equation "
                   "(write '%s!' inside SUM, PROD, VMIN or VMAX to run over "
                   "it)",
                   s->name, s->name);
}

ps_status subs_resolve(const eqn_set *set, const eqn *node,
                       const cvar *target, const ps_subscripts *subs,
                       ps_loc loc, const reduction *red, size_t *out,
                       ps_error *err)
{
    const box *lhs = &set->eqns[node->ctx].it;
    size_t n = node->it.n, m = red ? red->m : 1;
    if (target->box_of != NONE) {
        for (size_t i = 0; i < n * m; i++)
            out[i] = i / m;
        return PS_OK;
    }
    size_t nsubs = subs ? subs->n : 0;
    if (nsubs != target->ndims) {
        if (target->ndims == 0)
            return fail_at(set, err, PS_ERR_SEMANTIC, loc,
                           "'%s' has no subscripts", target->name);
        return fail_at(set, err, PS_ERR_SEMANTIC, loc,
                       "'%s' needs %zu subscript%s, not %zu", target->name,
                       target->ndims, target->ndims == 1 ? "" : "s", nsubs);
    }
    sub_rule rules[MAX_DIMS];
    for (size_t j = 0; j < nsubs; j++) {
        ps_status st = rule_of(set, lhs, &subs->v[j], red, &rules[j], err);
        if (st != PS_OK)
            return st;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < m; r++) {
            /* the reduced elements of index r, row-major */
            size_t red_elem[MAX_DIMS], rr = r;
            for (size_t k = red ? red->ndims : 0; k-- > 0;) {
                const cdim *rd = &set->dims[red->dim[k]];
                red_elem[k] = rd->elem[rr % rd->n];
                rr /= rd->n;
            }
            size_t flat = 0;
            for (size_t j = 0; j < nsubs; j++) {
                const sub_rule *u = &rules[j];
                size_t e = NONE;
                if (u->how == BY_ELEMENT)
                    e = u->elem;
                else if (u->how == BY_REDUCTION)
                    e = red_elem[u->r];
                else {
                    size_t le = lhs->tuple[i * lhs->ndims + u->k];
                    if (u->rel == REL_SAME)
                        e = le;
                    else if (u->rel == REL_FORWARD)
                        e = map_forward(set, lhs->bind[u->k], u->dim, le);
                    else { /* the element of u->dim that maps to le */
                        const cdim *rd = &set->dims[u->dim];
                        for (size_t q = 0; q < rd->n && e == NONE; q++)
                            if (map_forward(set, u->dim, lhs->bind[u->k],
                                            rd->elem[q]) == le)
                                e = rd->elem[q];
                    }
                }
                const cdim *td = &set->dims[target->dim[j]];
                size_t pos = e == NONE ? NONE : subs_pos(td, e);
                if (pos == NONE)
                    return fail_at(set, err, PS_ERR_SEMANTIC, subs->v[j].loc,
                                   "'%s' has no element %s%s%s in its range "
                                   "'%s'",
                                   target->name, e == NONE ? "for '" : "'",
                                   e == NONE ? subs->v[j].name
                                             : set->elem_names[e],
                                   "'", td->name);
                flat = flat * target->len[j] + pos;
            }
            out[i * m + r] = flat;
        }
    return PS_OK;
}

size_t subs_root(const eqn_set *set, const cdim *of)
{
    size_t root = NONE;
    for (size_t d = 0; d < set->ndims; d++)
        if (!set->dims[d].anonymous && is_subset(of, &set->dims[d]) &&
            (root == NONE || set->dims[d].n > set->dims[root].n))
            root = d;
    return root;
}

ps_status subs_range_values(const eqn_set *set, const eqn *node, size_t dim,
                            ps_loc loc, double *out, ps_error *err)
{
    const box *lhs = &set->eqns[node->ctx].it;
    ps_subscript s = {set->dims[dim].name, set->dims[dim].key, loc, 0};
    sub_rule rule;
    ps_status st = rule_of(set, lhs, &s, NULL, &rule, err);
    if (st != PS_OK)
        return st;
    size_t root = subs_root(set, &set->dims[dim]);
    for (size_t i = 0; i < node->it.n; i++) {
        size_t e = lhs->tuple[i * lhs->ndims + rule.k];
        if (rule.rel == REL_FORWARD)
            e = map_forward(set, lhs->bind[rule.k], dim, e);
        size_t pos = e == NONE ? NONE : subs_pos(&set->dims[root], e);
        if (pos == NONE)
            return fail_at(set, err, PS_ERR_SEMANTIC, loc,
                           "range '%s' has no element for this equation's "
                           "element",
                           set->dims[dim].name);
        out[i] = (double)(pos + 1);
    }
    return PS_OK;
}

ps_status subs_resolve_vector(const eqn_set *set, const eqn *node,
                              const cvar *target, const ps_subscripts *subs,
                              ps_loc loc, size_t nv, size_t last_count,
                              size_t *out, size_t *m, ps_error *err)
{
    const box *lhs = &set->eqns[node->ctx].it;
    size_t nsubs = subs ? subs->n : 0;
    if (target->box_of != NONE || nsubs != target->ndims || nsubs < nv)
        return fail_at(set, err, PS_ERR_SEMANTIC, loc,
                       "this argument must be a variable with at least %zu "
                       "subscript%s, written with all of them",
                       nv, nv == 1 ? "" : "s");
    size_t start[MAX_DIMS] = {0}, count[MAX_DIMS] = {0};
    sub_rule rules[MAX_DIMS];
    *m = 1;
    for (size_t j = 0; j < nsubs; j++) {
        if (j + nv < nsubs) {
            ps_status st = rule_of(set, lhs, &subs->v[j], NULL, &rules[j], err);
            if (st != PS_OK)
                return st;
            continue;
        }
        const cdim *td = &set->dims[target->dim[j]];
        size_t e = subs_dim_find(set, subs->v[j].key) == NONE
                       ? subs_elem_find(set, subs->v[j].key)
                       : NONE;
        start[j] = e == NONE ? 0 : subs_pos(td, e);
        if (start[j] == NONE)
            return fail_at(set, err, PS_ERR_SEMANTIC, subs->v[j].loc,
                           "'%s' has no element '%s'", target->name,
                           subs->v[j].name);
        count[j] = td->n - start[j];
        if (j + 1 == nsubs && last_count) {
            if (count[j] < last_count)
                return fail_at(set, err, PS_ERR_SEMANTIC, subs->v[j].loc,
                               "'%s' needs %zu elements from '%s' on", target->name,
                               last_count, subs->v[j].name);
            count[j] = last_count;
        }
        *m *= count[j];
    }
    if (*m > VEC_MAX)
        return fail_at(set, err, PS_ERR_UNSUPPORTED, loc,
                       "vectors of more than %d elements are not supported",
                       VEC_MAX);
    for (size_t i = 0; i < node->it.n; i++)
        for (size_t r = 0; r < *m; r++) {
            size_t flat = 0, rr = r, idx[MAX_DIMS];
            for (size_t j = nsubs; j-- > nsubs - nv;) {
                idx[j] = start[j] + rr % count[j];
                rr /= count[j];
            }
            for (size_t j = 0; j < nsubs; j++) {
                size_t pos;
                if (j + nv >= nsubs) {
                    pos = idx[j];
                } else {
                    const sub_rule *u = &rules[j];
                    size_t e = u->how == BY_ELEMENT
                                   ? u->elem
                                   : lhs->tuple[i * lhs->ndims + u->k];
                    if (u->how == BY_LHS && u->rel == REL_FORWARD)
                        e = map_forward(set, lhs->bind[u->k], u->dim, e);
                    pos = e == NONE ? NONE
                                    : subs_pos(&set->dims[target->dim[j]], e);
                    if (pos == NONE)
                        return fail_at(set, err, PS_ERR_SEMANTIC,
                                       subs->v[j].loc,
                                       "'%s' has no element for '%s' here",
                                       target->name, subs->v[j].name);
                }
                flat = flat * target->len[j] + pos;
            }
            out[i * *m + r] = flat;
        }
    return PS_OK;
}

void subs_lhs_positions(const eqn_set *set, const eqn *node, size_t from_end,
                        size_t *out)
{
    const eqn *ctx = &set->eqns[node->ctx];
    const cvar *v = &set->vars[ctx->var];
    const box *lhs = &ctx->it;
    for (size_t i = 0; i < node->it.n; i++) {
        if (lhs->ndims < from_end || v->box_of != NONE) {
            out[i] = 0;
            continue;
        }
        size_t k = lhs->ndims - from_end;
        out[i] = subs_pos(&set->dims[v->dim[k]], lhs->tuple[i * lhs->ndims + k]);
    }
}
