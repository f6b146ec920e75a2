/*
 * Names with subscripts in scenario files, as written: "capacity[新材料]",
 * "capacity[coast]", "flow[north, 电子]".  Reading splits a name into the
 * variable and its subscripts, each with the position it is written at;
 * names are compared with their subscripts (subs.c resolves them against
 * the model).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "plansim/utf8.h"
#include "scenario_impl.h"

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* UTF-8 characters in s[0..n). */
static int chars(const char *s, size_t n)
{
    return (int)ps_utf8_count(s, n);
}

void sc_ref_clear(ps_sc_ref *ref)
{
    if (!ref)
        return;
    free(ref->var);
    for (size_t i = 0; i < ref->nsubs; i++)
        free(ref->subs[i]);
    free(ref->subs);
    free(ref->sub_where);
    memset(ref, 0, sizeof *ref);
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int sc_ref_split(const char *text, const ps_sc_where *at, ps_sc_ref *ref,
                 char *msg, size_t size, ps_sc_where *bad)
{
    memset(ref, 0, sizeof *ref);
    size_t len = strlen(text);
    const char *open = strchr(text, '[');
    const char *close = strchr(text, ']');
    *bad = *at;
    /* where the characters text[from..from+n) are written */
#define WHERE(from, n)                                                         \
    (at->loc.line > 0                                                          \
         ? (ps_sc_where){at->file,                                             \
                         {at->loc.line,                                        \
                          at->loc.column + chars(text, (size_t)(from))},       \
                         (n) > 0 ? chars(text + (from), (size_t)(n)) : 1}      \
         : *at)
    if (!open && !close) {
        ref->var = strdup(text);
        return ref->var ? 0 : -2;
    }
    if (!open || (close && close < open)) {
        *bad = WHERE(close - text, 1);
        snprintf(msg, size, "a ']' without its '['");
        return -1;
    }
    size_t vlen = (size_t)(open - text);
    while (vlen > 0 && blank(text[vlen - 1]))
        vlen--;
    size_t vstart = 0;
    while (vstart < vlen && blank(text[vstart]))
        vstart++;
    if (vstart == vlen) {
        *bad = WHERE(open - text, 1);
        snprintf(msg, size, "a variable name is missing before '['");
        return -1;
    }
    if (!close) {
        *bad = WHERE(open - text, 1);
        snprintf(msg, size, "this '[' is not closed by a ']'");
        return -1;
    }
    const char *nested = strchr(open + 1, '[');
    if (nested && nested < close) {
        *bad = WHERE(nested - text, 1);
        snprintf(msg, size, "subscripts do not nest");
        return -1;
    }
    size_t after = (size_t)(close - text) + 1;
    while (after < len && blank(text[after]))
        after++;
    if (after < len) {
        *bad = WHERE(after, len - after);
        snprintf(msg, size,
                 "unexpected text after ']' (write the subscripts last, as "
                 "in 'capacity[新材料]')");
        return -1;
    }
    size_t n = 1;
    for (const char *p = open + 1; p < close; p++)
        n += *p == ',';
    ref->var = dup_n(text + vstart, vlen - vstart);
    ref->subs = calloc(n, sizeof *ref->subs);
    ref->sub_where = calloc(n, sizeof *ref->sub_where);
    if (!ref->var || !ref->subs || !ref->sub_where)
        return -2;
    const char *p = open + 1;
    for (size_t k = 0; k < n; k++) {
        const char *end = p;
        while (end < close && *end != ',')
            end++;
        const char *s = p, *e = end;
        while (s < e && blank(*s))
            s++;
        while (e > s && blank(e[-1]))
            e--;
        if (s == e) {
            *bad = WHERE(s - text, 0);
            snprintf(msg, size, "an empty subscript");
            return -1;
        }
        ref->sub_where[k] = WHERE(s - text, e - s);
        ref->subs[k] = dup_n(s, (size_t)(e - s));
        if (!ref->subs[k])
            return -2;
        ref->nsubs++;
        p = end + 1;
    }
#undef WHERE
    return 0;
}

ps_status ps_sc_ref_parse(const char *text, ps_sc_ref *out, ps_error *err)
{
    char msg[160];
    ps_sc_where none = {0}, bad;
    int rc = sc_ref_split(text, &none, out, msg, sizeof msg, &bad);
    if (rc == 0)
        return PS_OK;
    sc_ref_clear(out);
    if (rc == -2)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "'%s': %s", text, msg);
}

void ps_sc_ref_free(ps_sc_ref *ref)
{
    sc_ref_clear(ref);
}

/* "var[a,b]" of a ref; a new string. */
static char *ref_text(const ps_sc_ref *ref)
{
    return ps_name_with_elements(ref->var, (const char *const *)ref->subs,
                                 ref->nsubs);
}

ps_status sc_ref_read(sc_loader *ld, const ynode *n, char **name,
                      ps_sc_ref *ref)
{
    ps_status st = sc_name(ld, n, name);
    if (st)
        return st;
    sc_ref_clear(ref);
    ps_sc_where at = n->where;
    if (n->quoted)
        at.loc.column++;
    /* positions inside a name are only known on one line */
    if (strchr(*name, '\n') || strchr(*name, '\r'))
        at.loc.line = 0;
    char msg[160];
    ps_sc_where bad;
    int rc = sc_ref_split(*name, &at, ref, msg, sizeof msg, &bad);
    if (rc == -2)
        return sc_nomem(ld);
    if (rc == -1)
        return sc_fail_at(ld, bad.loc.line ? &bad : &n->where, PS_ERR_DATA,
                          "%s", msg);
    for (size_t k = 0; k < ref->nsubs; k++)
        if (ref->sub_where[k].loc.line == 0)
            ref->sub_where[k] = n->where;
    if (ref->nsubs) {
        char *t = ref_text(ref);
        if (!t)
            return sc_nomem(ld);
        free(*name);
        *name = t;
    }
    return PS_OK;
}

/* The canonical form of a name that may carry subscripts: the key of the
   variable and of each subscript.  A new string, NULL on no memory. */
static char *name_key(const char *text)
{
    ps_sc_ref ref;
    char msg[8];
    ps_sc_where none = {0}, bad;
    if (sc_ref_split(text, &none, &ref, msg, sizeof msg, &bad) != 0) {
        sc_ref_clear(&ref);
        return ps_name_key(text, strlen(text));
    }
    int ok = 1;
    char *k = ps_name_key(ref.var, strlen(ref.var));
    free(ref.var);
    ref.var = k;
    ok &= k != NULL;
    for (size_t i = 0; ok && i < ref.nsubs; i++) {
        char *sk = ps_name_key(ref.subs[i], strlen(ref.subs[i]));
        free(ref.subs[i]);
        ref.subs[i] = sk;
        ok &= sk != NULL;
    }
    char *out = ok ? ref_text(&ref) : NULL;
    sc_ref_clear(&ref);
    return out;
}

char *sc_name_key(const char *text)
{
    return name_key(text);
}

int sc_names_same(const char *a, const char *b)
{
    char *ka = name_key(a), *kb = name_key(b);
    int same = ka && kb && strcmp(ka, kb) == 0;
    free(ka);
    free(kb);
    return same;
}

int sc_name_covers(const char *whole, const char *name)
{
    if (strchr(whole, '['))
        return 0;
    ps_sc_ref ref;
    char msg[8];
    ps_sc_where none = {0}, bad;
    int covers = sc_ref_split(name, &none, &ref, msg, sizeof msg, &bad) == 0 &&
                 ref.nsubs > 0 && ps_name_equal(ref.var, whole);
    sc_ref_clear(&ref);
    return covers;
}
