/*
 * YAML text to a tree of located nodes, with libfyaml's event parser.
 *
 * libfyaml's document API does not tell where a mapping or a list starts,
 * so the tree is built from parser events, which carry start and end marks
 * for every node.  Aliases are resolved to the anchored node and merge keys
 * ("<<: *base") are expanded, so later passes see plain mappings.  Duplicate
 * keys, which YAML forbids but the event parser lets through, are errors.
 * Syntax errors are collected from libfyaml's diagnostics (nothing is
 * printed) and reported in the same located, underlined form as the rest.
 */
#include <ctype.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/utf8.h"
#include "scenario_impl.h"

/* ------------------------------------------------------------- arena */

ynode *ynode_new(yarena *a, ykind kind)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? 2 * a->cap : 64;
        ynode **v = realloc(a->v, cap * sizeof *v);
        if (!v)
            return NULL;
        a->v = v;
        a->cap = cap;
    }
    ynode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    a->v[a->n++] = n;
    return n;
}

int ynode_push(ynode *n, ynode *key, ynode *val)
{
    if (n->n == n->cap) {
        size_t cap = n->cap ? 2 * n->cap : 8;
        ynode **vals = realloc(n->vals, cap * sizeof *vals);
        if (!vals)
            return -1;
        n->vals = vals;
        if (n->kind == Y_MAP) {
            ynode **keys = realloc(n->keys, cap * sizeof *keys);
            if (!keys)
                return -1;
            n->keys = keys;
        }
        n->cap = cap;
    }
    if (n->kind == Y_MAP)
        n->keys[n->n] = key;
    n->vals[n->n++] = val;
    return 0;
}

void yarena_free(yarena *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i]->text);
        free(a->v[i]->keys);
        free(a->v[i]->vals);
        free(a->v[i]);
    }
    free(a->v);
    memset(a, 0, sizeof *a);
}

/* ---------------------------------------------------------- positions */

typedef struct frame {
    ynode *node;
    ynode *key;   /* mapping: the key waiting for its value */
    char *anchor; /* registered when the node is complete  */
    struct fy_mark start;
} frame;

typedef struct anchor {
    char *name;
    ynode *node;
} anchor;

typedef struct tstate {
    sc_loader *ld;
    const char *file, *text;
    size_t len;
    frame *stack;
    size_t depth, cap;
    anchor *anchors;
    size_t nanchors, capanchors;
    ynode *root;
    int docs;
} tstate;

static int mark_ok(const struct fy_mark *m)
{
    return m && m->line >= 0 && m->column >= 0;
}

/* Characters from byte pos to the end of its line, counted up to
   REST_MAX bytes: an underline is shown within a window of the line, and
   counting a long line to its end for every node would make parsing
   quadratic in line length. */
#define REST_MAX 1024
static int rest_of_line(const tstate *ts, size_t pos)
{
    size_t end = pos,
           stop = ts->len - pos > REST_MAX ? pos + REST_MAX : ts->len;
    while (end < stop && ts->text[end] != '\n' && ts->text[end] != '\r')
        end++;
    return (int)ps_utf8_count(ts->text + pos, end - pos);
}

/* Scalar styles, as where_of needs them. */
enum { PLAIN, QUOTED, BLOCK };

/* The text from mark s to mark e, cut at the end of s's line.  A QUOTED
   scalar is widened by its quotes, which libfyaml's marks leave out; a
   BLOCK scalar (| or >) starts at its first content line, whose
   indentation is skipped. */
static ps_sc_where where_of(const tstate *ts, const struct fy_mark *s,
                            const struct fy_mark *e, int style)
{
    ps_sc_where w = {ts->file, {0, 0}, 1};
    if (!mark_ok(s))
        return w;
    size_t pos = s->input_pos;
    int col = s->column;
    if (style == BLOCK) {
        while (pos < ts->len &&
               (ts->text[pos] == ' ' || ts->text[pos] == '\t')) {
            pos++;
            col++;
        }
    }
    w.loc.line = s->line + 1;
    w.loc.column = col + 1;
    if (mark_ok(e) && e->line == s->line)
        w.length = e->column - col;
    else
        w.length = rest_of_line(ts, pos);
    if (style == QUOTED && col > 0) {
        w.loc.column--;
        w.length += (mark_ok(e) && e->line == s->line) ? 2 : 1;
    }
    if (w.length < 1)
        w.length = 1;
    return w;
}

/* ------------------------------------------------------------ building */

static ps_status fail_nomem(tstate *ts)
{
    return sc_nomem(ts->ld);
}

static const char *kind_text(const ynode *n)
{
    return n->kind == Y_MAP ? "a mapping" : "a list";
}

/* Expands "<<: mapping" and "<<: [mappings]" in m: the merged pairs take
   the place of the merge key, and never override a key m writes itself
   or one merged before. */
static ps_status apply_merges(tstate *ts, ynode *m)
{
    size_t merges = 0;
    for (size_t i = 0; i < m->n; i++)
        if (!m->keys[i]->quoted && strcmp(m->keys[i]->text, "<<") == 0)
            merges++;
    if (merges == 0)
        return PS_OK;
    ynode tmp = {.kind = Y_MAP};
    for (size_t i = 0; i < m->n; i++) {
        ynode *k = m->keys[i], *v = m->vals[i];
        if (k->quoted || strcmp(k->text, "<<") != 0) {
            if (ynode_push(&tmp, k, v))
                goto nomem;
            continue;
        }
        size_t nsrc = v->kind == Y_SEQ ? v->n : 1;
        for (size_t s = 0; s < nsrc; s++) {
            ynode *src = v->kind == Y_SEQ ? v->vals[s] : v;
            if (src->kind != Y_MAP) {
                free(tmp.keys);
                free(tmp.vals);
                return sc_fail(ts->ld, src,
                               "'<<' merges mappings into this one; this is "
                               "not a mapping");
            }
            for (size_t j = 0; j < src->n; j++) {
                const char *key = src->keys[j]->text;
                int taken = 0;
                for (size_t t = 0; t < m->n && !taken; t++)
                    taken = strcmp(m->keys[t]->text, key) == 0;
                for (size_t t = 0; t < tmp.n && !taken; t++)
                    taken = strcmp(tmp.keys[t]->text, key) == 0;
                if (!taken && ynode_push(&tmp, src->keys[j], src->vals[j]))
                    goto nomem;
            }
        }
    }
    free(m->keys);
    free(m->vals);
    m->keys = tmp.keys;
    m->vals = tmp.vals;
    m->n = tmp.n;
    m->cap = tmp.cap;
    return PS_OK;
nomem:
    free(tmp.keys);
    free(tmp.vals);
    return fail_nomem(ts);
}

/* Hangs a finished node on the open container (or makes it the root). */
static ps_status attach(tstate *ts, ynode *node)
{
    if (ts->depth == 0) {
        ts->root = node;
        return PS_OK;
    }
    frame *f = &ts->stack[ts->depth - 1];
    ynode *c = f->node;
    if (c->n >= SC_MAX_ITEMS && (c->kind == Y_SEQ || !f->key)) {
        ynode at = {.where = c->where};
        at.where.length = 1;
        return sc_fail(ts->ld, &at,
                       "%s of more than %d items (a scenario names a few "
                       "hundred at most)",
                       kind_text(c), SC_MAX_ITEMS);
    }
    if (c->kind == Y_SEQ) {
        if (node->null && node->where.loc.line == 0)
            node->where = c->where;
        return ynode_push(c, NULL, node) ? fail_nomem(ts) : PS_OK;
    }
    if (!f->key) {
        if (node->kind != Y_SCALAR)
            return sc_fail(ts->ld, node, "a key must be a name, not %s",
                           kind_text(node));
        f->key = node;
        return PS_OK;
    }
    ynode *key = f->key;
    f->key = NULL;
    if (node->null && node->where.loc.line == 0)
        node->where = key->where;
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->keys[i]->text, key->text) == 0)
            return sc_fail(ts->ld, key,
                           "duplicate key '%s' (first written at line %d)",
                           key->text, c->keys[i]->where.loc.line);
    return ynode_push(c, key, node) ? fail_nomem(ts) : PS_OK;
}

static char *token_copy(struct fy_token *t)
{
    size_t n = 0;
    const char *s = t ? fy_token_get_text(t, &n) : NULL;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    if (n)
        memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

static ps_status remember_anchor(tstate *ts, char *name, ynode *node)
{
    if (!name)
        return PS_OK;
    if (ts->nanchors == ts->capanchors) {
        size_t cap = ts->capanchors ? 2 * ts->capanchors : 8;
        anchor *v = realloc(ts->anchors, cap * sizeof *v);
        if (!v) {
            free(name);
            return fail_nomem(ts);
        }
        ts->anchors = v;
        ts->capanchors = cap;
    }
    ts->anchors[ts->nanchors].name = name;
    ts->anchors[ts->nanchors].node = node;
    ts->nanchors++;
    return PS_OK;
}

static ps_status on_scalar(tstate *ts, struct fy_event *ev)
{
    struct fy_token *t = ev->scalar.value;
    ynode *n = ynode_new(&ts->ld->arena, Y_SCALAR);
    if (!n || !(n->text = token_copy(t)))
        return fail_nomem(ts);
    n->len = strlen(n->text);
    enum fy_scalar_style style = t ? fy_token_scalar_style(t) : FYSS_PLAIN;
    n->quoted = style != FYSS_PLAIN && style != FYSS_ANY;
    if (!n->quoted)
        n->null = n->len == 0 || strcmp(n->text, "~") == 0 ||
                  strcmp(n->text, "null") == 0 ||
                  strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
    if (t) {
        int how = PLAIN;
        if (style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED)
            how = QUOTED;
        else if (style == FYSS_LITERAL || style == FYSS_FOLDED)
            how = BLOCK;
        n->where =
            where_of(ts, fy_token_start_mark(t), fy_token_end_mark(t), how);
    }
    if (ev->scalar.anchor) {
        char *name = token_copy(ev->scalar.anchor);
        if (!name)
            return fail_nomem(ts);
        ps_status st = remember_anchor(ts, name, n);
        if (st)
            return st;
    }
    return attach(ts, n);
}

static ps_status on_alias(tstate *ts, struct fy_event *ev)
{
    size_t n = 0;
    const char *name = fy_token_get_text(ev->alias.anchor, &n);
    for (size_t i = ts->nanchors; i-- > 0;)
        if (strlen(ts->anchors[i].name) == n &&
            memcmp(ts->anchors[i].name, name, n) == 0)
            return attach(ts, ts->anchors[i].node);
    const struct fy_mark *s = fy_event_start_mark(ev);
    ynode at = {.where = where_of(ts, s, fy_event_end_mark(ev), PLAIN)};
    /* the mark leaves out the '*': underline it too */
    if (mark_ok(s) && s->input_pos > 0 && ts->text[s->input_pos - 1] == '*' &&
        at.where.loc.column > 1) {
        at.where.loc.column--;
        at.where.length++;
    }
    return sc_fail(ts->ld, &at, "unknown anchor '*%.*s'", (int)n,
                   name ? name : "");
}

static ps_status on_start(tstate *ts, struct fy_event *ev, ykind kind)
{
    if (ts->depth >= SC_MAX_DEPTH) {
        const struct fy_mark *m = fy_event_start_mark(ev);
        ynode at = {.where = where_of(ts, m, m, PLAIN)};
        if (at.where.loc.line == 0)
            at.where.loc = (ps_loc){1, 1};
        return sc_fail(ts->ld, &at,
                       "lists and mappings nested more than %d deep (a "
                       "scenario needs a few levels)",
                       SC_MAX_DEPTH);
    }
    if (ts->depth == ts->cap) {
        size_t cap = ts->cap ? 2 * ts->cap : 16;
        frame *v = realloc(ts->stack, cap * sizeof *v);
        if (!v)
            return fail_nomem(ts);
        ts->stack = v;
        ts->cap = cap;
    }
    ynode *n = ynode_new(&ts->ld->arena, kind);
    if (!n)
        return fail_nomem(ts);
    struct fy_token *start = kind == Y_MAP ? ev->mapping_start.mapping_start
                                           : ev->sequence_start.sequence_start;
    struct fy_token *anchor_tok =
        kind == Y_MAP ? ev->mapping_start.anchor : ev->sequence_start.anchor;
    enum fy_token_type tt = start ? fy_token_get_type(start) : FYTT_NONE;
    n->flow = tt == FYTT_FLOW_MAPPING_START || tt == FYTT_FLOW_SEQUENCE_START;
    frame *f = &ts->stack[ts->depth];
    memset(f, 0, sizeof *f);
    const struct fy_mark *m = fy_event_start_mark(ev);
    if (m)
        f->start = *m;
    else
        f->start.line = -1;
    f->node = n;
    if (anchor_tok && !(f->anchor = token_copy(anchor_tok)))
        return fail_nomem(ts);
    ts->depth++;
    /* known from the start, so that errors inside may already use it */
    n->where = where_of(ts, &f->start, NULL, PLAIN);
    return PS_OK;
}

static ps_status on_end(tstate *ts, struct fy_event *ev)
{
    frame *f = &ts->stack[ts->depth - 1];
    ynode *n = f->node;
    n->where = where_of(ts, &f->start, fy_event_end_mark(ev), PLAIN);
    ps_status st = n->kind == Y_MAP ? apply_merges(ts, n) : PS_OK;
    char *name = f->anchor;
    f->anchor = NULL;
    ts->depth--;
    if (st) {
        free(name);
        return st;
    }
    st = remember_anchor(ts, name, n);
    return st ? st : attach(ts, n);
}

static ps_status on_event(tstate *ts, struct fy_event *ev)
{
    switch (ev->type) {
    case FYET_DOCUMENT_START:
        if (ts->docs++ > 0) {
            ynode at = {.where = where_of(ts, fy_event_start_mark(ev),
                                          fy_event_end_mark(ev), PLAIN)};
            if (at.where.loc.line == 0)
                at.where.loc = (ps_loc){1, 1};
            return sc_fail(ts->ld, &at,
                           "a scenario file holds one YAML document; this "
                           "starts a second one");
        }
        return PS_OK;
    case FYET_SCALAR:
        return on_scalar(ts, ev);
    case FYET_ALIAS:
        return on_alias(ts, ev);
    case FYET_MAPPING_START:
        return on_start(ts, ev, Y_MAP);
    case FYET_SEQUENCE_START:
        return on_start(ts, ev, Y_SEQ);
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        return on_end(ts, ev);
    default:
        return PS_OK;
    }
}

/* A name written with brackets, as in "output[新材料]", on line `line`
   of the text, outside quotes: copied into buf (at most size - 1 bytes).
   Returns 1 when found.  In YAML's flow style ({...}, [...]) such a name
   breaks the mapping, and libfyaml's message does not say why. */
static int bracketed_name_on_line(const tstate *ts, int line, char *buf,
                                  size_t size)
{
    const char *p = ts->text, *end = ts->text + ts->len;
    for (int l = 1; l < line && p < end; p++)
        if (*p == '\n')
            l++;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    char quote = 0;
    for (const char *q = p; q < eol; q++) {
        if (quote) {
            quote = *q == quote ? 0 : quote;
            continue;
        }
        if (*q == '"' || *q == '\'') {
            quote = *q;
            continue;
        }
        unsigned char before = q > p ? (unsigned char)q[-1] : 0;
        if (*q != '[' || !(isalnum(before) || before == '_' || before >= 0x80))
            continue;
        const char *close = memchr(q, ']', (size_t)(eol - q));
        if (!close)
            return 0;
        /* the name starts after "{", "[", "," or ": " */
        const char *start = q;
        while (start > p && start[-1] != '{' && start[-1] != '[' &&
               start[-1] != ',' &&
               !(start[-1] == ' ' && start - 1 > p && start[-2] == ':'))
            start--;
        while (*start == ' ')
            start++;
        size_t n = (size_t)(close + 1 - start);
        if (n >= size)
            n = size - 1;
        memcpy(buf, start, n);
        buf[n] = '\0';
        return 1;
    }
    return 0;
}

/* libfyaml's first collected error, located like ours. */
static ps_status syntax_error(tstate *ts, struct fy_diag *diag)
{
    void *it = NULL;
    struct fy_diag_error *de;
    while ((de = fy_diag_errors_iterate(diag, &it)))
        if (de->type >= FYET_ERROR)
            break;
    ps_sc_where w = {ts->file, {1, 1}, 1};
    if (!de)
        return sc_fail_at(ts->ld, &w, PS_ERR_DATA, "invalid YAML");
    if (de->line > 0 && de->column > 0)
        w.loc = (ps_loc){de->line, de->column};
    if (de->fyt) {
        const struct fy_mark *s = fy_token_start_mark(de->fyt);
        const struct fy_mark *e = fy_token_end_mark(de->fyt);
        if (mark_ok(s) && mark_ok(e) && s->line + 1 == w.loc.line &&
            s->column + 1 == w.loc.column && e->line == s->line &&
            e->column > s->column)
            w.length = e->column - s->column;
    }
    const char *msg = de->msg ? de->msg : "invalid YAML";
    char name[128];
    if (strstr(msg, "flow") &&
        bracketed_name_on_line(ts, w.loc.line, name, sizeof name))
        return sc_fail_at(ts->ld, &w, PS_ERR_DATA,
                          "%s: inside {...} and [...] a name with brackets "
                          "must be quoted, as in \"%s\"",
                          msg, name);
    return sc_fail_at(ts->ld, &w, PS_ERR_DATA, "%s", msg);
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

ps_status ytree_parse(sc_loader *ld, size_t file, ynode **root)
{
    tstate ts = {.ld = ld,
                 .file = ld->sc->files[file],
                 .text = ld->sc->texts[file],
                 .len = strlen(ld->sc->texts[file])};
    *root = NULL;
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = drop_output;
    dcfg.colorize = false;
    dcfg.level = FYET_ERROR;
    struct fy_diag *diag = fy_diag_create(&dcfg);
    if (!diag)
        return sc_nomem(ld);
    fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg pcfg = {
        .flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2, .diag = diag};
    struct fy_parser *p = fy_parser_create(&pcfg);
    ps_status st = PS_OK;
    if (!p || fy_parser_set_string(p, ts.text, ts.len) != 0) {
        st = sc_nomem(ld);
    } else {
        struct fy_event *ev;
        while ((ev = fy_parser_parse(p))) {
            st = on_event(&ts, ev);
            fy_parser_event_free(p, ev);
            if (st)
                break;
        }
        if (st == PS_OK && fy_parser_get_stream_error(p))
            st = syntax_error(&ts, diag);
    }
    for (size_t i = 0; i < ts.depth; i++)
        free(ts.stack[i].anchor);
    free(ts.stack);
    for (size_t i = 0; i < ts.nanchors; i++)
        free(ts.anchors[i].name);
    free(ts.anchors);
    if (p)
        fy_parser_destroy(p);
    fy_diag_destroy(diag);
    if (st == PS_OK)
        *root = ts.root;
    return st;
}
