/*
 * Reading keys and typed values from nodes, with the error messages a
 * person editing the file by hand needs: which keys are allowed here and
 * which one was probably meant, what was expected and what was found.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

#define KEY_MAX 64

void sc_key_norm(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    int blank = 1; /* drops leading blanks and collapses runs */
    for (; *s && n + 1 < size; s++) {
        char c = *s;
        if (c == '_' || c == '-' || c == ' ' || c == '\t') {
            if (!blank)
                buf[n++] = ' ';
            blank = 1;
            continue;
        }
        buf[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        blank = 0;
    }
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

int sc_key_is(const ynode *k, const char *key)
{
    char norm[KEY_MAX];
    if (!k || k->kind != Y_SCALAR)
        return 0;
    sc_key_norm(k->text, norm, sizeof norm);
    return strcmp(norm, key) == 0;
}

ynode *sc_get(const ynode *m, const char *key, ynode **key_node)
{
    if (key_node)
        *key_node = NULL;
    if (!m || m->kind != Y_MAP)
        return NULL;
    for (size_t i = m->n; i-- > 0;)
        if (sc_key_is(m->keys[i], key)) {
            if (key_node)
                *key_node = m->keys[i];
            return m->vals[i];
        }
    return NULL;
}

ps_status sc_check_keys(sc_loader *ld, const ynode *m,
                        const char *const *allowed, const char *what)
{
    size_t nallowed = 0;
    while (allowed[nallowed])
        nallowed++;
    for (size_t i = 0; i < m->n; i++) {
        const ynode *k = m->keys[i];
        char norm[KEY_MAX];
        sc_key_norm(k->text, norm, sizeof norm);
        size_t a = 0;
        while (a < nallowed && strcmp(norm, allowed[a]) != 0)
            a++;
        if (a < nallowed) {
            /* two spellings of one key ("at least", "at_least") */
            for (size_t j = 0; j < i; j++)
                if (sc_key_is(m->keys[j], norm))
                    return sc_fail(ld, k,
                                   "'%s' is given twice (also at line %d)",
                                   k->text, m->keys[j]->where.loc.line);
            continue;
        }
        char list[512] = "", hint[160];
        size_t used = 0;
        for (size_t j = 0; j < nallowed && used < sizeof list; j++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                     j ? ", " : "", allowed[j]);
        sc_suggestion(norm, allowed, nallowed, hint, sizeof hint);
        return sc_fail(ld, k, "unknown key '%s' %s%s (allowed: %s)", k->text,
                       what, hint, list);
    }
    return PS_OK;
}

ps_status sc_expect_map(sc_loader *ld, const ynode *n, const char *what)
{
    if (n && n->kind == Y_MAP)
        return PS_OK;
    char got[64];
    sc_describe(n, got, sizeof got);
    return sc_fail(ld, n, "expected %s, got %s", what, got);
}

ps_status sc_expect_seq(sc_loader *ld, const ynode *n, const char *what)
{
    if (n && n->kind == Y_SEQ)
        return PS_OK;
    char got[64];
    sc_describe(n, got, sizeof got);
    return sc_fail(ld, n, "expected %s, got %s", what, got);
}

/* YAML 1.2 core-schema numbers: [-+]?(.digits|digits[.digits])([eE][-+]?
   digits)?, .inf / -.inf / .nan in any of their spellings, and, for
   economists, a trailing '%' (8% is 0.08).  0 or -1. */
static int parse_number(const char *s, double *out)
{
    const char *p = s;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
        strcmp(p, ".INF") == 0) {
        *out = neg ? -INFINITY : INFINITY;
        return 0;
    }
    if (p == s && (strcmp(p, ".nan") == 0 || strcmp(p, ".NaN") == 0 ||
                   strcmp(p, ".NAN") == 0)) {
        *out = NAN;
        return 0;
    }
    size_t digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (digits == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int percent = *p == '%';
    if (percent)
        p++;
    if (*p)
        return -1;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE && isinf(v))
        return -1;
    *out = percent ? v / 100 : v;
    return 0;
}

int sc_is_number(const ynode *n)
{
    double v;
    return n && n->kind == Y_SCALAR && !n->null && !n->quoted &&
           parse_number(n->text, &v) == 0;
}

const ynode *sc_item_node(const ynode *key, const ynode *val)
{
    return val && val->flow && val->kind != Y_SCALAR &&
                   val->where.loc.line == key->where.loc.line
               ? val
               : key;
}

static ps_status number(sc_loader *ld, const ynode *n, int allow_inf,
                        double *out)
{
    char got[64];
    sc_describe(n, got, sizeof got);
    if (!n || n->kind != Y_SCALAR || n->null)
        return sc_fail(ld, n, "expected a number, got %s", got);
    double v;
    if (parse_number(n->text, &v) != 0)
        return sc_fail(ld, n, "expected a number, got %s", got);
    if (n->quoted)
        return sc_fail(ld, n,
                       "expected a number, got the text %s (write numbers "
                       "without quotes)",
                       got);
    if (isnan(v) || (isinf(v) && !allow_inf))
        return sc_fail(ld, n, "expected a finite number, got %s", got);
    *out = v;
    return PS_OK;
}

ps_status sc_number(sc_loader *ld, const ynode *n, double *out)
{
    return number(ld, n, 0, out);
}

ps_status sc_number_or_inf(sc_loader *ld, const ynode *n, double *out)
{
    return number(ld, n, 1, out);
}

ps_status sc_uint(sc_loader *ld, const ynode *n, uint64_t min, uint64_t *out)
{
    char got[64];
    sc_describe(n, got, sizeof got);
    if (!n || n->kind != Y_SCALAR || n->null || n->quoted)
        return sc_fail(ld, n, "expected a whole number, got %s", got);
    const char *p = n->text + (n->text[0] == '+');
    uint64_t v = 0;
    if (!*p)
        return sc_fail(ld, n, "expected a whole number, got %s", got);
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return sc_fail(ld, n, "expected a whole number, got %s", got);
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return sc_fail(ld, n, "%s is too large", got);
        v = v * 10 + d;
    }
    if (v < min)
        return sc_fail(ld, n,
                       "expected a whole number of at least %llu, "
                       "got %s",
                       (unsigned long long)min, got);
    *out = v;
    return PS_OK;
}

ps_status sc_text(sc_loader *ld, const ynode *n, char **out)
{
    char got[64];
    sc_describe(n, got, sizeof got);
    if (!n || n->kind != Y_SCALAR || n->null)
        return sc_fail(ld, n, "expected text, got %s", got);
    char *s = strdup(n->text);
    if (!s)
        return sc_nomem(ld);
    free(*out); /* a later file's value replaces an earlier one */
    *out = s;
    return PS_OK;
}

ps_status sc_name(sc_loader *ld, const ynode *n, char **out)
{
    char got[64];
    sc_describe(n, got, sizeof got);
    if (!n || n->kind != Y_SCALAR || n->null)
        return sc_fail(ld, n, "expected the name of a model variable, got %s",
                       got);
    size_t i = 0;
    while (n->text[i] == ' ' || n->text[i] == '\t' || n->text[i] == '_')
        i++;
    if (!n->text[i])
        return sc_fail(ld, n, "a variable name cannot be blank");
    return sc_text(ld, n, out);
}
