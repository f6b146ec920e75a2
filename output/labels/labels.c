/*
 * The labels file: display names and units for readers, read with
 * libfyaml's document API.  Every error names the file, line and column
 * of the offending text.
 */
#include "plansim_output/labels.h"

#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plansim/file.h"

static const char *const section_names[PS_LABEL_KINDS] = {
    "variables", "targets", "inputs", "elements"};

typedef struct reader {
    const char *path;
    ps_error *err;
    ps_labels *l;
} reader;

/* 1-based line and column of node n (its first token), or 0, 0. */
static void where(struct fy_node *n, int *line, int *col)
{
    *line = *col = 0;
    struct fy_token *t = n ? fy_node_get_scalar_token(n) : NULL;
    if (!t && n && fy_node_is_mapping(n)) {
        void *it = NULL;
        struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
        if (p)
            t = fy_node_get_scalar_token(fy_node_pair_key(p));
    }
    const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
    if (m) {
        *line = m->line + 1;
        *col = m->column + 1;
    }
}

static ps_status fail(reader *r, struct fy_node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A PS_ERR_DATA error at node `at`. */
static ps_status fail(reader *r, struct fy_node *at, const char *fmt, ...)
{
    int line, col;
    where(at, &line, &col);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ps_error_set(r->err, PS_ERR_DATA, r->path, line, col, "%s", msg);
}

static ps_status nomem(reader *r)
{
    return ps_error_set(r->err, PS_ERR_NOMEM, r->path, 0, 0, "out of memory");
}

/* Advances *s past blanks and underscores; returns whether there were
   any. */
static int skip_gap(const char **s)
{
    const char *p = *s;
    while (**s == ' ' || **s == '_')
        (*s)++;
    return *s != p;
}

/* Vensim's name matching: ASCII case aside, a run of blanks and
   underscores is one gap, and gaps at either end do not count. */
static int same_name(const char *a, const char *b)
{
    skip_gap(&a);
    skip_gap(&b);
    for (;;) {
        int ga = skip_gap(&a), gb = skip_gap(&b);
        if (!*a || !*b)
            return !*a && !*b;
        if (ga != gb ||
            tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
}

static char *dup_text(const char *s)
{
    return strdup(s ? s : "");
}

static const char *scalar(struct fy_node *n)
{
    return n && fy_node_is_scalar(n) ? fy_node_get_scalar0(n) : NULL;
}

static ps_status read_entry(reader *r, ps_label_kind kind, struct fy_node *key,
                            struct fy_node *val, ps_label *e)
{
    const char *name = scalar(key);
    if (!name || !*name)
        return fail(r, key, "a name must be a plain text");
    e->scale = 1;
    e->name = dup_text(name);
    if (!e->name)
        return nomem(r);
    if (!fy_node_is_mapping(val))
        return fail(r, key, "'%s': expected a mapping of zh, en%s", name,
                    kind == PS_LABEL_VARIABLE
                        ? ", units_zh, units_en, scale, percent"
                        : "");
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(val, &it))) {
        struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
        const char *ks = scalar(k), *vs = scalar(v);
        if (!ks)
            return fail(r, k, "'%s': a key must be a plain text", name);
        if (!vs)
            return fail(r, v ? v : k, "'%s': %s must be a single value", name,
                        ks);
        char **text = NULL;
        if (strcmp(ks, "zh") == 0)
            text = &e->zh;
        else if (strcmp(ks, "en") == 0)
            text = &e->en;
        else if (kind == PS_LABEL_VARIABLE && strcmp(ks, "units_zh") == 0)
            text = &e->units_zh;
        else if (kind == PS_LABEL_VARIABLE && strcmp(ks, "units_en") == 0)
            text = &e->units_en;
        if (text) {
            if (*text)
                return fail(r, k, "'%s': %s given twice", name, ks);
            if (!(*text = dup_text(vs)))
                return nomem(r);
            continue;
        }
        if (kind == PS_LABEL_VARIABLE && strcmp(ks, "scale") == 0) {
            char *end;
            errno = 0;
            double x = strtod(vs, &end);
            if (end == vs || *end || errno || !isfinite(x) || x <= 0)
                return fail(r, v,
                            "'%s': scale must be a positive number, "
                            "not '%s'",
                            name, vs);
            e->scale = x;
        } else if (kind == PS_LABEL_VARIABLE && strcmp(ks, "percent") == 0) {
            if (strcmp(vs, "true") == 0)
                e->percent = 1;
            else if (strcmp(vs, "false") == 0)
                e->percent = 0;
            else
                return fail(r, v,
                            "'%s': percent must be true or false, not "
                            "'%s'",
                            name, vs);
        } else {
            return fail(r, k,
                        kind == PS_LABEL_VARIABLE
                            ? "'%s': unknown key '%s' (expected zh, en, "
                              "units_zh, units_en, scale or percent)"
                            : "'%s': unknown key '%s' (expected zh or en)",
                        name, ks);
        }
    }
    if (!e->zh || !*e->zh)
        return fail(r, key, "'%s': no zh label", name);
    if (!e->en || !*e->en)
        return fail(r, key, "'%s': no en label", name);
    if ((!e->units_zh && !(e->units_zh = dup_text(""))) ||
        (!e->units_en && !(e->units_en = dup_text(""))))
        return nomem(r);
    return PS_OK;
}

/* Orders names so that two compare equal exactly when same_name() says
   they are the same: gap and character by character, a gap first. */
static int name_order(const char *a, const char *b)
{
    skip_gap(&a);
    skip_gap(&b);
    for (;;) {
        int ga = skip_gap(&a), gb = skip_gap(&b);
        if (!*a || !*b)
            return (*a != 0) - (*b != 0);
        if (ga != gb)
            return ga ? -1 : 1;
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb)
            return ca - cb;
        a++;
        b++;
    }
}

/* An entry of a section, with its place in the file. */
typedef struct placed {
    const ps_label *e;
    size_t order;
} placed;

static int by_name(const void *x, const void *y)
{
    const placed *a = x, *b = y;
    int c = name_order(a->e->name, b->e->name);
    return c ? c : (a->order > b->order) - (a->order < b->order);
}

/* The first of the n entries (in file order) whose name an earlier entry
   has: returns 1 with *repeat its index and *first the earliest entry of
   that name, 0 when none repeats.  Sorting, not comparing every pair,
   keeps a long section linear-logarithmic. */
static int first_repeat(const ps_label *entries, size_t n, size_t *first,
                        size_t *repeat, int *failed)
{
    placed *v = malloc((n ? n : 1) * sizeof *v);
    *failed = v == NULL;
    if (!v)
        return 0;
    for (size_t i = 0; i < n; i++)
        v[i] = (placed){&entries[i], i};
    qsort(v, n, sizeof *v, by_name);
    int found = 0;
    for (size_t i = 1; i < n; i++)
        if (name_order(v[i].e->name, v[i - 1].e->name) == 0 &&
            (i < 2 || name_order(v[i - 1].e->name, v[i - 2].e->name) != 0) &&
            (!found || v[i].order < *repeat)) {
            *first = v[i - 1].order;
            *repeat = v[i].order;
            found = 1;
        }
    free(v);
    return found;
}

static ps_status read_section(reader *r, ps_label_kind kind,
                              struct fy_node *key, struct fy_node *sec)
{
    if (r->l->entries[kind])
        return fail(r, key, "section '%s' given twice", section_names[kind]);
    if (!fy_node_is_mapping(sec))
        return fail(r, sec ? sec : key,
                    "section '%s' must be a mapping of names",
                    section_names[kind]);
    size_t n = (size_t)fy_node_mapping_item_count(sec);
    r->l->entries[kind] = calloc(n ? n : 1, sizeof(ps_label));
    if (!r->l->entries[kind])
        return nomem(r);
    struct fy_node **keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return nomem(r);
    void *it = NULL;
    struct fy_node_pair *p;
    ps_status st = PS_OK;
    while (st == PS_OK && (p = fy_node_mapping_iterate(sec, &it))) {
        ps_label *e = &r->l->entries[kind][r->l->n[kind]];
        keys[r->l->n[kind]++] = fy_node_pair_key(p);
        st = read_entry(r, kind, fy_node_pair_key(p), fy_node_pair_value(p), e);
    }
    size_t first = 0, repeat = 0;
    int failed = 0;
    if (st == PS_OK && first_repeat(r->l->entries[kind], r->l->n[kind], &first,
                                    &repeat, &failed))
        st = fail(r, keys[repeat], "'%s' given twice (as '%s')",
                  r->l->entries[kind][repeat].name,
                  r->l->entries[kind][first].name);
    else if (st == PS_OK && failed)
        st = nomem(r);
    free(keys);
    return st;
}

/* libfyaml's diagnostics go nowhere: errors are collected instead. */
static void drop_output(struct fy_diag *diag, void *user, const char *buf,
                        size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

static ps_status syntax_error(reader *r, struct fy_diag *diag)
{
    void *it = NULL;
    struct fy_diag_error *de;
    while ((de = fy_diag_errors_iterate(diag, &it)))
        if (de->type >= FYET_ERROR)
            break;
    return ps_error_set(r->err, PS_ERR_DATA, r->path,
                        de && de->line > 0 ? de->line : 1,
                        de && de->column > 0 ? de->column : 1, "%s",
                        de && de->msg ? de->msg : "invalid YAML");
}

static ps_status read_document(reader *r, struct fy_node *root)
{
    if (!root)
        return PS_OK; /* an empty file: no labels */
    if (!fy_node_is_mapping(root))
        return fail(r, root,
                    "expected a mapping with variables, targets, inputs and "
                    "elements");
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(root, &it))) {
        const char *ks = scalar(fy_node_pair_key(p));
        int kind = -1;
        for (int k = 0; k < PS_LABEL_KINDS && ks; k++)
            if (strcmp(ks, section_names[k]) == 0)
                kind = k;
        if (kind < 0)
            return fail(r, fy_node_pair_key(p),
                        "unknown section '%s' (expected variables, targets, "
                        "inputs or elements)",
                        ks ? ks : "?");
        ps_status st = read_section(r, (ps_label_kind)kind, fy_node_pair_key(p),
                                    fy_node_pair_value(p));
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}

ps_status ps_labels_load(const char *path, ps_labels **out, ps_error *err)
{
    *out = NULL;
    char *text;
    size_t len;
    ps_error why;
    ps_status st = ps_file_read_input(path, &text, &len, &why);
    if (st != PS_OK)
        return ps_error_set(err, st, path, 0, 0,
                            "cannot read the labels file: %s", why.message);
    /* libfyaml sees only UTF-8 text ('%' and a stray byte hung its
       scanner) */
    if ((st = ps_text_check(path, text, len, err)) != PS_OK) {
        free(text);
        return st;
    }
    reader r = {path, err, calloc(1, sizeof(ps_labels))};
    if (!r.l || !(r.l->path = strdup(path))) {
        free(r.l);
        free(text);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = drop_output;
    dcfg.colorize = false;
    dcfg.level = FYET_ERROR;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag) {
        st = nomem(&r);
    } else {
        fy_diag_set_collect_errors(diag, true);
        /* keys given twice are found by read_section, in linear-
           logarithmic time (libfyaml compares each new key with every key
           before it) */
        struct fy_parse_cfg pcfg = {.flags = FYPCF_QUIET |
                                             FYPCF_DEFAULT_VERSION_1_2 |
                                             FYPCF_ALLOW_DUPLICATE_KEYS,
                                    .diag = diag};
        struct fy_document *doc =
            fy_document_build_from_string(&pcfg, text, len);
        if (!doc)
            st = syntax_error(&r, diag);
        else
            st = read_document(&r, fy_document_root(doc));
        fy_document_destroy(doc);
        fy_diag_destroy(diag);
    }
    free(text);
    if (st != PS_OK) {
        ps_labels_free(&r.l);
        return st;
    }
    *out = r.l;
    return PS_OK;
}

char *ps_labels_path_for_model(const char *model_path, char *buf, size_t size)
{
    const char *slash = strrchr(model_path, '/');
    const char *dot = strrchr(model_path, '.');
    size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - model_path)
                                                 : strlen(model_path);
    int n = snprintf(buf, size, "%.*s.labels.yaml", (int)stem, model_path);
    return n < 0 || (size_t)n >= size ? NULL : buf;
}

ps_status ps_labels_load_for_model(const char *model_path, ps_labels **out,
                                   ps_error *err)
{
    *out = NULL;
    size_t n = strlen(model_path) + sizeof ".labels.yaml";
    char *path = malloc(n);
    if (!path || !ps_labels_path_for_model(model_path, path, n)) {
        free(path);
        return ps_error_set(err, PS_ERR_NOMEM, model_path, 0, 0,
                            "out of memory");
    }
    ps_status st = PS_OK;
    if (access(path, F_OK) == 0)
        st = ps_labels_load(path, out, err);
    free(path);
    return st;
}

const ps_label *ps_labels_find(const ps_labels *l, ps_label_kind kind,
                               const char *name)
{
    if (!l || !name || kind < 0 || kind >= PS_LABEL_KINDS)
        return NULL;
    for (size_t i = 0; i < l->n[kind]; i++)
        if (same_name(l->entries[kind][i].name, name))
            return &l->entries[kind][i];
    return NULL;
}

const ps_label *ps_labels_lookup(const ps_labels *l, ps_label_kind kind,
                                 const char *name, char *elem, size_t size)
{
    if (size)
        elem[0] = '\0';
    const ps_label *e = ps_labels_find(l, kind, name);
    if (e || !name)
        return e;
    const char *open = strchr(name, '[');
    size_t n = strlen(name);
    if (!open || n < 2 || name[n - 1] != ']')
        return NULL;
    char *base = strndup(name, (size_t)(open - name));
    if (!base)
        return NULL;
    e = ps_labels_find(l, kind, base);
    free(base);
    if (e && size)
        snprintf(elem, size, "%.*s", (int)(name + n - 1 - open - 1), open + 1);
    return e;
}

char *ps_labels_elements(const ps_labels *l, const char *elements, int en,
                         char *buf, size_t size)
{
    size_t o = 0;
    if (size)
        buf[0] = '\0';
    for (const char *p = elements; p && *p && o + 1 < size;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        char *name = strndup(p, n);
        const ps_label *e =
            name ? ps_labels_find(l, PS_LABEL_ELEMENT, name) : NULL;
        int w = snprintf(buf + o, size - o, "%s%s",
                         p == elements ? ""
                         : en          ? ", "
                                       : "，",
                         e      ? (en ? e->en : e->zh)
                         : name ? name
                                : "");
        free(name);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
        p = comma ? comma + 1 : p + n;
    }
    return buf;
}

void ps_labels_free(ps_labels **l)
{
    if (!l || !*l)
        return;
    for (int k = 0; k < PS_LABEL_KINDS; k++) {
        for (size_t i = 0; i < (*l)->n[k]; i++) {
            ps_label *e = &(*l)->entries[k][i];
            free(e->name);
            free(e->zh);
            free(e->en);
            free(e->units_zh);
            free(e->units_en);
        }
        free((*l)->entries[k]);
    }
    free((*l)->path);
    free(*l);
    *l = NULL;
}
