/*
 * Subscripts in scenario files resolved against the model (subs_read.c
 * reads them).
 *
 * Checking (ps_scenario_select) resolves the subscripts: the
 * model's ranges are resolved into element lists and every variable's
 * ranges worked out as the compiler does (engine/compile/subscripts.c),
 * so that the elements named come out in the order a compiled program
 * lays them out.  Applying (sc_replace) gives the elements named a new
 * equation: equations wholly inside the selection are replaced, the
 * others lose the elements named through :EXCEPT: and each such element
 * gets an equation of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "plansim/suggest.h"
#include "scenario_impl.h"

#define NONE ((size_t)-1)
#define MAX_SUBS 8 /* ranges of one variable, as the compiler allows */

/* ------------------------------------------------- the model's ranges */

/* The model's elements and ranges, resolved as the compiler resolves
   them.  Names point into the model. */
typedef struct space {
    const ps_model *m;
    size_t nel;
    const char **el_name, **el_key;
    size_t **r_el; /* per range: its element ids */
    size_t *r_n;
    unsigned char *state; /* 0 new, 1 open, 2 done, 3 broken */
} space;

static void space_free(space *s)
{
    for (size_t i = 0; s->r_el && i < s->m->ndims; i++)
        free(s->r_el[i]);
    free(s->r_el);
    free(s->r_n);
    free(s->state);
    free(s->el_name);
    free(s->el_key);
    memset(s, 0, sizeof *s);
}

static size_t el_find(const space *s, const char *key)
{
    for (size_t i = 0; i < s->nel; i++)
        if (strcmp(s->el_key[i], key) == 0)
            return i;
    return NONE;
}

static size_t range_find(const space *s, const char *key)
{
    for (size_t i = 0; i < s->m->ndims; i++)
        if (strcmp(s->m->dims[i].key, key) == 0)
            return i;
    return NONE;
}

static int r_has(const space *s, size_t r, size_t e)
{
    for (size_t i = 0; i < s->r_n[r]; i++)
        if (s->r_el[r][i] == e)
            return 1;
    return 0;
}

/* 0, or -1 on no memory. */
static int r_push(space *s, size_t r, size_t e)
{
    size_t *v = realloc(s->r_el[r], (s->r_n[r] + 1) * sizeof *v);
    if (!v)
        return -1;
    s->r_el[r] = v;
    v[s->r_n[r]++] = e;
    return 0;
}

static size_t el_intern(space *s, const ps_subscript *sub)
{
    size_t e = el_find(s, sub->key);
    if (e != NONE)
        return e;
    const char **n = realloc(s->el_name, (s->nel + 1) * sizeof *n);
    if (!n)
        return NONE;
    s->el_name = n;
    const char **k = realloc(s->el_key, (s->nel + 1) * sizeof *k);
    if (!k)
        return NONE;
    s->el_key = k;
    s->el_name[s->nel] = sub->name;
    s->el_key[s->nel] = sub->key;
    return s->nel++;
}

/* Resolves range i (a broken range, which the compiler reports, is left
   empty).  0, or -1 on no memory. */
static int resolve(space *s, size_t i)
{
    if (s->state[i] >= 2)
        return 0;
    if (s->state[i] == 1) {
        s->state[i] = 3;
        return 0;
    }
    s->state[i] = 1;
    const ps_dim *d = &s->m->dims[i];
    if (d->equiv) {
        size_t j = range_find(s, d->equiv);
        if (j != NONE) {
            if (resolve(s, j))
                return -1;
            for (size_t k = 0; k < s->r_n[j]; k++)
                if (r_push(s, i, s->r_el[j][k]))
                    return -1;
        }
    }
    for (size_t k = 0; k < d->elems.n; k++) {
        const ps_subscript *sub = &d->elems.v[k];
        size_t j = range_find(s, sub->key);
        if (j != NONE && j != i) {
            if (resolve(s, j))
                return -1;
            for (size_t q = 0; q < s->r_n[j]; q++)
                if (!r_has(s, i, s->r_el[j][q]) && r_push(s, i, s->r_el[j][q]))
                    return -1;
            continue;
        }
        size_t e = el_intern(s, sub);
        if (e == NONE)
            return -1;
        if (!r_has(s, i, e) && r_push(s, i, e))
            return -1;
    }
    if (s->state[i] == 1)
        s->state[i] = 2;
    return 0;
}

static int space_init(space *s, const ps_model *m)
{
    memset(s, 0, sizeof *s);
    s->m = m;
    size_t n = m->ndims ? m->ndims : 1;
    s->r_el = calloc(n, sizeof *s->r_el);
    s->r_n = calloc(n, sizeof *s->r_n);
    s->state = calloc(n, 1);
    if (!s->r_el || !s->r_n || !s->state)
        return -1;
    for (size_t i = 0; i < m->ndims; i++)
        if (resolve(s, i))
            return -1;
    /* elements named only on the left of equations ("x[a] = ...") are
       interned when a variable's ranges are worked out */
    return 0;
}

/* The elements subscript `sub` of an equation's left-hand side names:
   a range's, or one element.  *one holds a single element's id. */
static int sub_elems(space *s, const ps_subscript *sub, size_t *one,
                     const size_t **el, size_t *n, size_t *range)
{
    size_t r = range_find(s, sub->key);
    *range = r;
    if (r != NONE) {
        *el = s->r_el[r];
        *n = s->r_n[r];
        return 0;
    }
    *one = el_intern(s, sub);
    if (*one == NONE)
        return -1;
    *el = one;
    *n = 1;
    return 0;
}

static int same_set(const space *s, size_t r, const size_t *el, size_t n)
{
    if (s->r_n[r] != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!r_has(s, r, el[i]))
            return 0;
    return 1;
}

static int subset_of(const space *s, const size_t *el, size_t n, size_t r)
{
    for (size_t i = 0; i < n; i++)
        if (!r_has(s, r, el[i]))
            return 0;
    return 1;
}

/* A variable's ranges: at each position its elements in the order the
   compiler lays them out, and the name of the range they form. */
typedef struct vshape {
    size_t head; /* index of the first equation in model->vars */
    size_t nd;
    size_t *el[MAX_SUBS];
    size_t n[MAX_SUBS];
    const char *range[MAX_SUBS];
    size_t size;
} vshape;

static void vshape_free(vshape *v)
{
    for (size_t k = 0; k < v->nd; k++)
        free(v->el[k]);
    memset(v, 0, sizeof *v);
}

static size_t pos_of(const vshape *v, size_t k, size_t e)
{
    for (size_t i = 0; i < v->n[k]; i++)
        if (v->el[k][i] == e)
            return i;
    return NONE;
}

/* Works out the ranges of variable `head` (see choose_dim in the
   compiler).  0, -1 on no memory, 1 when the model's equations do not
   agree on its subscripts (the compiler reports it). */
static int vshape_make(space *s, size_t head, vshape *v)
{
    const ps_model *m = s->m;
    memset(v, 0, sizeof *v);
    v->head = head;
    v->nd = m->vars[head].subs.n;
    v->size = 1;
    if (v->nd > MAX_SUBS) {
        v->nd = 0;
        return 1;
    }
    for (size_t k = 0; k < v->nd; k++) {
        size_t *cov = NULL, ncov = 0, written = NONE;
        for (size_t i = head; i != NONE; i = m->vars[i].next_def) {
            const ps_var *def = &m->vars[i];
            if (def->subs.n != v->nd) {
                free(cov);
                return 1;
            }
            const size_t *el;
            size_t n, one, r;
            if (sub_elems(s, &def->subs.v[k], &one, &el, &n, &r)) {
                free(cov);
                return -1;
            }
            if (i == head)
                written = r;
            for (size_t q = 0; q < n; q++) {
                int seen = 0;
                for (size_t c = 0; c < ncov && !seen; c++)
                    seen = cov[c] == el[q];
                if (seen)
                    continue;
                size_t *nc = realloc(cov, (ncov + 1) * sizeof *nc);
                if (!nc) {
                    free(cov);
                    return -1;
                }
                cov = nc;
                cov[ncov++] = el[q];
            }
        }
        size_t r = NONE;
        if (written != NONE && same_set(s, written, cov, ncov))
            r = written;
        for (size_t d = 0; r == NONE && d < m->ndims; d++)
            if (same_set(s, d, cov, ncov))
                r = d;
        if (r != NONE) {
            free(cov);
            v->el[k] = malloc((s->r_n[r] ? s->r_n[r] : 1) * sizeof *v->el[k]);
            if (!v->el[k])
                return -1;
            if (s->r_n[r]) /* a range read from a file has none here */
                memcpy(v->el[k], s->r_el[r], s->r_n[r] * sizeof *v->el[k]);
            v->n[k] = s->r_n[r];
            v->range[k] = m->dims[r].name;
        } else {
            /* a part of the smallest range holding them, in its order */
            size_t family = NONE;
            for (size_t d = 0; d < m->ndims; d++)
                if (subset_of(s, cov, ncov, d) &&
                    (family == NONE || s->r_n[d] < s->r_n[family]))
                    family = d;
            if (family != NONE) {
                size_t o = 0;
                for (size_t i = 0; i < s->r_n[family]; i++)
                    for (size_t c = 0; c < ncov; c++)
                        if (cov[c] == s->r_el[family][i])
                            cov[o++] = cov[c];
                v->range[k] = m->dims[family].name;
            } else {
                v->range[k] = "elements";
            }
            v->el[k] = cov;
            v->n[k] = ncov;
        }
        v->size *= v->n[k];
    }
    return 0;
}

/* ----------------------------------------------------------- selecting */

/* A selection inside a variable: the flat (row-major) indices named, in
   row-major order. */
typedef struct sel {
    size_t n;
    size_t *flat;
    size_t *pos; /* n * nd positions, tuple-major */
    int whole;
} sel;

static void sel_free(sel *x)
{
    free(x->flat);
    free(x->pos);
    memset(x, 0, sizeof *x);
}

static int sel_has(const sel *x, size_t flat)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->flat[i] == flat)
            return 1;
    return 0;
}

typedef struct resolver {
    const ps_scenario *sc;
    space sp;
    ps_status status; /* of located errors: PS_ERR_DATA or _USAGE */
    ps_error *err;
} resolver;

static ps_status rfail(const resolver *rv, const ps_sc_where *w,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static ps_status rfail(const resolver *rv, const ps_sc_where *w,
                       const char *fmt, ...)
{
    char msg[PS_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    const ps_sc_where *at = w && w->loc.line > 0 ? w : NULL;
    return ps_scenario_error_at(rv->sc, at, rv->status, rv->err, "%s", msg);
}

static ps_status rnomem(const resolver *rv)
{
    return ps_error_set(rv->err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* "a, b, c" of the elements at position k, cut short when long. */
static void list_elements(const space *s, const vshape *v, size_t k, char *buf,
                          size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->n[k] && o + 1 < size; i++) {
        if (o > 160) {
            snprintf(buf + o, size - o, ", ...");
            return;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "",
                              s->el_name[v->el[k][i]]);
    }
}

/* The positions at range position k named by subscript `text`. */
static ps_status resolve_sub(resolver *rv, const char *var, const vshape *v,
                             size_t k, const char *text, const ps_sc_where *w,
                             size_t **out, size_t *n)
{
    space *s = &rv->sp;
    char *key = ps_name_key(text, strlen(text));
    if (!key)
        return rnomem(rv);
    size_t r = range_find(s, key);
    size_t e = el_find(s, key);
    char list[200];
    *out = NULL;
    *n = 0;
    if (r != NONE) {
        size_t *p = malloc((v->n[k] ? v->n[k] : 1) * sizeof *p);
        if (!p) {
            free(key);
            return rnomem(rv);
        }
        for (size_t i = 0; i < v->n[k]; i++)
            if (r_has(s, r, v->el[k][i]))
                p[(*n)++] = i;
        int all = *n == s->r_n[r] && *n > 0;
        if (!all) {
            free(p);
            free(key);
            list_elements(s, v, k, list, sizeof list);
            return rfail(rv, w,
                         "range '%s' is not part of '%s''s range '%s' (%s)",
                         text, var, v->range[k], list);
        }
        free(key);
        *out = p;
        return PS_OK;
    }
    size_t pos = e != NONE ? pos_of(v, k, e) : NONE;
    if (pos != NONE) {
        free(key);
        *out = malloc(sizeof **out);
        if (!*out)
            return rnomem(rv);
        **out = pos;
        *n = 1;
        return PS_OK;
    }
    list_elements(s, v, k, list, sizeof list);
    if (e != NONE) {
        free(key);
        return rfail(rv, w, "'%s' is not an element of '%s''s range '%s' (%s)",
                     text, var, v->range[k], list);
    }
    /* neither: suggest an element of the position or a range */
    size_t nc = v->n[k] + s->m->ndims;
    const char **cands = malloc((nc ? nc : 1) * sizeof *cands);
    char hint[160] = "";
    if (cands) {
        for (size_t i = 0; i < v->n[k]; i++)
            cands[i] = s->el_key[v->el[k][i]];
        for (size_t d = 0; d < s->m->ndims; d++)
            cands[v->n[k] + d] = s->m->dims[d].key;
        const char *near = ps_nearest(key, cands, nc);
        /* show the candidate as the model writes it */
        for (size_t i = 0; near && i < nc; i++)
            if (cands[i] == near)
                snprintf(hint, sizeof hint, "; did you mean '%s'?",
                         i < v->n[k] ? s->el_name[v->el[k][i]]
                                     : s->m->dims[i - v->n[k]].name);
        free(cands);
    }
    free(key);
    return rfail(rv, w,
                 "unknown element or range '%s' ('%s' runs over '%s': %s)%s",
                 text, var, v->range[k], list, hint);
}

/* The model variable of ref (its first equation), or a located error
   suggesting the closest name. */
static ps_status find_head(resolver *rv, const ps_sc_ref *ref,
                           const ps_sc_where *w, size_t *head)
{
    const ps_model *m = rv->sp.m;
    char *key = ps_name_key(ref->var, strlen(ref->var));
    if (!key)
        return rnomem(rv);
    *head = ps_model_index(m, key);
    free(key);
    if (*head != NONE)
        return PS_OK;
    const char *shown;
    if (sc_nearest_var(m, ref->var, &shown) != 0)
        return rnomem(rv);
    if (shown)
        return rfail(rv, w,
                     "the model has no variable '%s'; did you mean "
                     "'%s'?",
                     ref->var, shown);
    return rfail(rv, w, "the model has no variable '%s'", ref->var);
}

/* Resolves ref (written at w) into the variable's shape and selection. */
static ps_status select_in(resolver *rv, const ps_sc_ref *ref,
                           const ps_sc_where *w, vshape *v, sel *x)
{
    memset(x, 0, sizeof *x);
    memset(v, 0, sizeof *v);
    size_t head;
    ps_status st = find_head(rv, ref, w, &head);
    if (st)
        return st;
    const ps_var *hv = &rv->sp.m->vars[head];
    int rc = vshape_make(&rv->sp, head, v);
    if (rc < 0)
        return rnomem(rv);
    if (rc > 0 && ref->nsubs > 0)
        return rfail(rv, w,
                     "the equations of '%s' do not agree on its "
                     "subscripts",
                     hv->name);
    if (rc > 0) { /* the compiler will say what is wrong */
        vshape_free(v);
        v->head = head;
        v->size = 1;
    }
    if (ref->nsubs > 0 && v->nd == 0)
        return rfail(rv, &ref->sub_where[0],
                     "'%s' has no subscripts: name it without brackets",
                     hv->name);
    if (ref->nsubs > 0 && ref->nsubs != v->nd) {
        char ranges[200];
        size_t o = 0;
        ranges[0] = '\0';
        for (size_t k = 0; k < v->nd && o + 1 < sizeof ranges; k++)
            o += (size_t)snprintf(ranges + o, sizeof ranges - o, "%s%s",
                                  k ? ", " : "", v->range[k]);
        return rfail(rv, &ref->sub_where[0],
                     "'%s' has %zu subscript%s (%s), not %zu", hv->name, v->nd,
                     v->nd == 1 ? "" : "s", ranges, ref->nsubs);
    }
    size_t *pick[MAX_SUBS] = {0}, npick[MAX_SUBS];
    size_t total = 1;
    for (size_t k = 0; k < v->nd && st == PS_OK; k++) {
        if (ref->nsubs == 0) {
            pick[k] = malloc((v->n[k] ? v->n[k] : 1) * sizeof *pick[k]);
            if (!pick[k]) {
                st = rnomem(rv);
                break;
            }
            for (size_t i = 0; i < v->n[k]; i++)
                pick[k][i] = i;
            npick[k] = v->n[k];
        } else {
            st = resolve_sub(rv, hv->name, v, k, ref->subs[k],
                             &ref->sub_where[k], &pick[k], &npick[k]);
        }
        total *= npick[k];
    }
    if (st == PS_OK) {
        x->flat = malloc(total * sizeof *x->flat);
        x->pos = malloc((total * v->nd + 1) * sizeof *x->pos);
        if (!x->flat || !x->pos)
            st = rnomem(rv);
    }
    if (st == PS_OK) {
        size_t idx[MAX_SUBS] = {0};
        for (size_t t = 0; t < total; t++) {
            size_t flat = 0;
            for (size_t k = 0; k < v->nd; k++) {
                size_t p = pick[k][idx[k]];
                flat = flat * v->n[k] + p;
                x->pos[t * v->nd + k] = p;
            }
            x->flat[x->n++] = flat;
            for (size_t k = v->nd; k-- > 0;) {
                if (++idx[k] < npick[k])
                    break;
                idx[k] = 0;
            }
        }
        x->whole = x->n == v->size;
    }
    for (size_t k = 0; k < v->nd; k++)
        free(pick[k]);
    if (st != PS_OK) {
        sel_free(x);
        vshape_free(v);
    }
    return st;
}

static void resolver_init(resolver *rv, const ps_scenario *sc, ps_status status,
                          ps_error *err)
{
    memset(rv, 0, sizeof *rv);
    rv->sc = sc;
    rv->status = status;
    rv->err = err;
}

/* The where of a ref as a whole: its item's. */
ps_status ps_scenario_select(const ps_scenario *sc, const ps_sc_ref *ref,
                             const ps_model *model, ps_sc_selection *out,
                             ps_error *err)
{
    memset(out, 0, sizeof *out);
    resolver rv;
    resolver_init(&rv, sc, PS_ERR_DATA, err);
    if (space_init(&rv.sp, model)) {
        space_free(&rv.sp);
        return rnomem(&rv);
    }
    /* the variable's own position is its item's, which the caller's
       ref does not carry: errors about the name itself are located at
       the first subscript, or stand alone */
    const ps_sc_where *w = ref->nsubs ? &ref->sub_where[0] : NULL;
    vshape v;
    sel x;
    ps_status st = select_in(&rv, ref, w, &v, &x);
    if (st == PS_OK) {
        out->ndims = v.nd;
        out->n = x.n;
        out->whole = x.whole;
        out->names = calloc(x.n * v.nd + 1, sizeof *out->names);
        if (!out->names)
            st = rnomem(&rv);
        for (size_t i = 0; st == PS_OK && i < x.n * v.nd; i++) {
            size_t k = i % v.nd;
            out->names[i] = strdup(rv.sp.el_name[v.el[k][x.pos[i]]]);
            if (!out->names[i])
                st = rnomem(&rv);
        }
        sel_free(&x);
        vshape_free(&v);
    }
    space_free(&rv.sp);
    if (st != PS_OK)
        ps_sc_selection_free(out);
    return st;
}

void ps_sc_selection_free(ps_sc_selection *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->names && i < s->n * s->ndims; i++)
        free(s->names[i]);
    free(s->names);
    memset(s, 0, sizeof *s);
}

/* ----------------------------------------------- checking (check.c) */

struct sc_resolved {
    resolver rv;
    size_t n;
    size_t *head;  /* per item: the variable's first equation        */
    sel *x;        /* per item: the elements named                   */
    vshape *shape; /* per item                                       */
};

sc_resolved *sc_resolved_new(const ps_scenario *sc, const ps_model *model,
                             size_t n, ps_error *err)
{
    sc_resolved *r = calloc(1, sizeof *r);
    if (!r) {
        ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    resolver_init(&r->rv, sc, PS_ERR_DATA, err);
    r->head = calloc(n + 1, sizeof *r->head);
    r->x = calloc(n + 1, sizeof *r->x);
    r->shape = calloc(n + 1, sizeof *r->shape);
    if (!r->head || !r->x || !r->shape || space_init(&r->rv.sp, model)) {
        sc_resolved_free(r);
        ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    r->n = n;
    for (size_t i = 0; i < n; i++)
        r->head[i] = NONE;
    return r;
}

void sc_resolved_free(sc_resolved *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        sel_free(&r->x[i]);
        vshape_free(&r->shape[i]);
    }
    free(r->head);
    free(r->x);
    free(r->shape);
    space_free(&r->rv.sp);
    free(r);
}

ps_status sc_resolve_item(sc_resolved *r, size_t i, const ps_sc_ref *ref,
                          const ps_sc_where *w, const ps_var **var)
{
    ps_status st = select_in(&r->rv, ref, w, &r->shape[i], &r->x[i]);
    if (st)
        return st;
    r->head[i] = r->shape[i].head;
    *var = &r->rv.sp.m->vars[r->head[i]];
    return PS_OK;
}

size_t sc_resolved_count(const sc_resolved *r, size_t i)
{
    return r->x[i].n;
}

int sc_resolved_whole(const sc_resolved *r, size_t i)
{
    return r->x[i].whole;
}

size_t sc_resolved_dims(const sc_resolved *r, size_t i)
{
    return r->shape[i].nd;
}

size_t sc_resolved_overlap(const sc_resolved *r, size_t a, size_t b)
{
    if (r->head[a] == NONE || r->head[a] != r->head[b])
        return NONE;
    for (size_t i = 0; i < r->x[a].n; i++)
        if (sel_has(&r->x[b], r->x[a].flat[i]))
            return r->x[a].flat[i];
    return NONE;
}

char *sc_resolved_element(const sc_resolved *r, size_t i, size_t flat)
{
    const vshape *v = &r->shape[i];
    const char *names[MAX_SUBS];
    for (size_t k = v->nd; k-- > 0;) {
        names[k] = r->rv.sp.el_name[v->el[k][flat % v->n[k]]];
        flat /= v->n[k];
    }
    return ps_name_with_elements(r->rv.sp.m->vars[v->head].name, names, v->nd);
}

/* ------------------------------------------------ applying (apply.c) */

/* The flat indices an equation defines, in the order the compiler
   iterates them (row-major over its subscripts, excepted ones left
   out).  0, or -1 on no memory. */
static int def_flats(space *s, const vshape *v, const ps_var *def, size_t **out,
                     size_t *n)
{
    const size_t *el[MAX_SUBS];
    size_t cnt[MAX_SUBS], ones[MAX_SUBS], total = 1;
    for (size_t k = 0; k < v->nd; k++) {
        size_t r;
        if (sub_elems(s, &def->subs.v[k], &ones[k], &el[k], &cnt[k], &r))
            return -1;
        total *= cnt[k];
    }
    *n = 0;
    *out = malloc((total ? total : 1) * sizeof **out);
    if (!*out)
        return -1;
    size_t idx[MAX_SUBS] = {0};
    for (size_t t = 0; t < total; t++) {
        size_t tuple[MAX_SUBS], flat = 0;
        int ok = 1;
        for (size_t k = 0; k < v->nd; k++) {
            tuple[k] = el[k][idx[k]];
            size_t p = pos_of(v, k, tuple[k]);
            ok &= p != NONE;
            flat = flat * v->n[k] + (p == NONE ? 0 : p);
        }
        int excepted = 0;
        for (size_t x = 0; x < def->nexcepts && !excepted; x++) {
            const ps_subscripts *ex = &def->excepts[x];
            int all = ex->n == v->nd;
            for (size_t k = 0; all && k < v->nd; k++) {
                size_t r = range_find(s, ex->v[k].key);
                all = r != NONE ? r_has(s, r, tuple[k])
                                : el_find(s, ex->v[k].key) == tuple[k];
            }
            excepted = all;
        }
        if (ok && !excepted)
            (*out)[(*n)++] = flat;
        for (size_t k = v->nd; k-- > 0;) {
            if (++idx[k] < cnt[k])
                break;
            idx[k] = 0;
        }
    }
    return 0;
}

/* Gives def the equation e (a copy): a number or a lever's WITH
   LOOKUP replaces its expression, its constant list, its ACTIVE
   INITIAL's initial value and its data source. */
static int give_equation(ps_var *def, const ps_expr *e)
{
    ps_expr *c = ps_expr_clone(e);
    if (!c)
        return -1;
    ps_expr_free(def->expr);
    def->expr = c;
    ps_expr_free(def->init);
    def->init = NULL;
    free(def->values);
    free(def->value_locs);
    def->values = NULL;
    def->value_locs = NULL;
    def->nvalues = 0;
    def->is_data = 0;
    return 0;
}

/* The subscripts of element `flat` (element names). */
static int tuple_subs(const space *s, const vshape *v, size_t flat,
                      ps_subscripts *out, ps_loc loc)
{
    size_t pos[MAX_SUBS];
    for (size_t k = v->nd; k-- > 0;) {
        pos[k] = flat % v->n[k];
        flat /= v->n[k];
    }
    out->v = calloc(v->nd, sizeof *out->v);
    if (!out->v)
        return -1;
    out->n = v->nd;
    for (size_t k = 0; k < v->nd; k++) {
        size_t e = v->el[k][pos[k]];
        out->v[k].name = strdup(s->el_name[e]);
        out->v[k].key = strdup(s->el_key[e]);
        out->v[k].loc = loc;
        if (!out->v[k].name || !out->v[k].key)
            return -1;
    }
    return 0;
}

static void subs_clear(ps_subscripts *s)
{
    for (size_t i = 0; s->v && i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].key);
    }
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* Takes element `flat` out of def (an :EXCEPT: and, for a constant
   list, its value at position `at` of the list). */
static int except_one(const space *s, const vshape *v, ps_var *def, size_t flat,
                      size_t at)
{
    ps_subscripts ex = {0};
    if (tuple_subs(s, v, flat, &ex, def->loc)) {
        subs_clear(&ex);
        return -1;
    }
    ps_subscripts *e =
        realloc(def->excepts, (def->nexcepts + 1) * sizeof *def->excepts);
    if (!e) {
        subs_clear(&ex);
        return -1;
    }
    def->excepts = e;
    def->excepts[def->nexcepts++] = ex;
    if (def->values && at < def->nvalues) {
        memmove(def->values + at, def->values + at + 1,
                (def->nvalues - at - 1) * sizeof *def->values);
        if (def->value_locs)
            memmove(def->value_locs + at, def->value_locs + at + 1,
                    (def->nvalues - at - 1) * sizeof *def->value_locs);
        def->nvalues--;
    }
    return 0;
}

/*
 * Gives the elements x of variable v (shape in s) the equation e.
 * 0, or -1 on no memory (the model may then be half changed; callers
 * give up on it).
 */
static int replace_elements(ps_model *m, space *s, const vshape *v,
                            const sel *x, const ps_expr *e, ps_error *err)
{
    if (x->whole || v->nd == 0) {
        for (size_t i = v->head; i != NONE; i = m->vars[i].next_def)
            if (give_equation(&m->vars[i], e))
                return -1;
        return 0;
    }
    size_t *alone = malloc((x->n ? x->n : 1) * sizeof *alone), nalone = 0;
    if (!alone)
        return -1;
    for (size_t i = v->head; i != NONE; i = m->vars[i].next_def) {
        size_t *fl, n;
        if (def_flats(s, v, &m->vars[i], &fl, &n)) {
            free(alone);
            return -1;
        }
        size_t inside = 0;
        for (size_t q = 0; q < n; q++)
            inside += sel_has(x, fl[q]);
        int rc = 0;
        if (inside == n && n > 0) {
            rc = give_equation(&m->vars[i], e);
        } else if (inside > 0) {
            /* from the end, so the constant list's positions hold */
            for (size_t q = n; q-- > 0 && rc == 0;)
                if (sel_has(x, fl[q])) {
                    rc = except_one(s, v, &m->vars[i], fl[q], q);
                    alone[nalone++] = fl[q];
                }
        }
        free(fl);
        if (rc) {
            free(alone);
            return -1;
        }
    }
    /* an equation of its own for each element taken out */
    const ps_var *hv = &m->vars[v->head];
    char *name = strdup(hv->name);
    char *units = hv->units ? strdup(hv->units) : NULL;
    ps_loc loc = hv->loc;
    int rc = !name || (hv->units && !units) ? -1 : 0;
    for (size_t a = nalone; a-- > 0 && rc == 0;) {
        ps_var nv = {.kind = PS_VAR_AUX, .loc = loc, .next_def = NONE};
        nv.name = strdup(name);
        nv.units = units ? strdup(units) : NULL;
        nv.expr = ps_expr_clone(e);
        if (!nv.name || (units && !nv.units) || !nv.expr ||
            tuple_subs(s, v, alone[a], &nv.subs, loc)) {
            ps_var_clear(&nv);
            rc = -1;
            break;
        }
        if (ps_model_add(m, &nv, err) != PS_OK)
            rc = -1;
    }
    free(name);
    free(units);
    free(alone);
    return rc;
}

ps_status sc_replace(sc_resolved *r, size_t i, ps_model *model,
                     const ps_expr *e, ps_error *err)
{
    /* the resolution was made on this very model, which only gained
       equations since: indices still hold */
    if (replace_elements(model, &r->rv.sp, &r->shape[i], &r->x[i], e, err))
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return PS_OK;
}

ps_status ps_scenario_fix(ps_model *model, const char *name, double value,
                          ps_error *err)
{
    resolver rv;
    resolver_init(&rv, NULL, PS_ERR_USAGE, err);
    ps_sc_ref ref;
    ps_status st = ps_sc_ref_parse(name, &ref, err);
    if (st != PS_OK)
        return st;
    if (space_init(&rv.sp, model)) {
        space_free(&rv.sp);
        sc_ref_clear(&ref);
        return rnomem(&rv);
    }
    vshape v;
    sel x;
    st = select_in(&rv, &ref, NULL, &v, &x);
    if (st == PS_OK) {
        const ps_var *hv = &model->vars[v.head];
        if (hv->kind != PS_VAR_AUX)
            st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                              "'%s' is a %s and cannot be fixed", hv->name,
                              hv->kind == PS_VAR_STOCK ? "stock" : "lookup");
    }
    if (st == PS_OK) {
        ps_expr *e = ps_expr_number(value, model->vars[v.head].loc);
        if (!e || replace_elements(model, &rv.sp, &v, &x, e, err))
            st = rnomem(&rv);
        ps_expr_free(e);
    }
    sel_free(&x);
    vshape_free(&v);
    space_free(&rv.sp);
    sc_ref_clear(&ref);
    return st;
}
