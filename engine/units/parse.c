/*
 * plansim units: reading Vensim units text ("yuan/(person*Year)").
 */
#include "units_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "plansim/utf8.h"

typedef struct parser {
    ps__unit_table *table;
    const char *s;
    size_t len;
    size_t pos;
    ps_error *err;
    ps_status status; /* first failure, PS_OK while all is well */
} parser;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Characters that end a unit name. */
static int is_special(char c)
{
    return c == '*' || c == '/' || c == '^' || c == '(' || c == ')';
}

static void skip_blanks(parser *p)
{
    while (p->pos < p->len && is_blank(p->s[p->pos]))
        p->pos++;
}

/* 1-based column, in characters, of byte offset `at`. */
static int column_of(const parser *p, size_t at)
{
    return 1 + (int)ps_utf8_count(p->s, at < p->len ? at : p->len);
}

/* Records a syntax error at byte offset `at`; returns -1. */
static int fail(parser *p, size_t at, const char *what)
{
    if (p->status == PS_OK)
        p->status = ps_error_set(p->err, PS_ERR_SYNTAX, NULL, 0,
                                 column_of(p, at), "%s", what);
    return -1;
}

static int fail_nomem(parser *p)
{
    if (p->status == PS_OK)
        p->status = ps_error_set(p->err, PS_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory reading units");
    return -1;
}

/* The description of what is at p->pos, for "expected ..." messages. */
static const char *found(const parser *p)
{
    if (p->pos >= p->len)
        return "end of text";
    switch (p->s[p->pos]) {
    case '*': return "'*'";
    case '/': return "'/'";
    case '^': return "'^'";
    case '(': return "'('";
    case ')': return "')'";
    case '[': return "'['";
    case ']': return "']'";
    default:  return "text";
    }
}

static int parse_units(parser *p, ps__units *out);

/* Text that reads as a number ("1", "2.5", "-1"). */
static int looks_numeric(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    return i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.');
}

/* A unit name, "1", "Dmnl" or "dimensionless" at p->pos. */
static int parse_name(parser *p, ps__units *out)
{
    size_t start = p->pos;
    while (p->pos < p->len && !is_special(p->s[p->pos])) {
        char c = p->s[p->pos];
        if (c == '[' || c == ']')
            /* A [min,max] range belongs after the units, not inside. */
            return fail(p, p->pos, "unexpected '[' or ']' in units "
                                   "(a range must come last)");
        p->pos++;
    }
    size_t end = p->pos;
    while (end > start && is_blank(p->s[end - 1]))
        end--;
    size_t n = end - start;
    const char *name = p->s + start;
    if (looks_numeric(name, n)) {
        char buf[64];
        char *stop = NULL;
        double v = 0;
        if (n < sizeof buf) {
            memcpy(buf, name, n);
            buf[n] = '\0';
            v = strtod(buf, &stop);
        }
        /* "2020 yuan" is a name that starts with digits; "2" is not. */
        if (stop && *stop == '\0') {
            if (v != 1.0)
                return fail(p, start, "the only number allowed in units is 1");
            *out = ps__units_dmnl();
            return 0;
        }
    }
    char *key = ps_name_key(name, n);
    if (!key)
        return fail_nomem(p);
    int dmnl = strcmp(key, "dmnl") == 0 || strcmp(key, "dimensionless") == 0;
    free(key);
    if (dmnl) {
        *out = ps__units_dmnl();
        return 0;
    }
    int base = ps__unit_table_intern(p->table, name, n);
    if (base < 0)
        return fail_nomem(p);
    *out = ps__units_base(base);
    return 0;
}

/* A name, "1", or a parenthesised product. */
static int parse_primary(parser *p, ps__units *out)
{
    skip_blanks(p);
    if (p->pos < p->len && p->s[p->pos] == '(') {
        size_t open = p->pos++;
        if (parse_units(p, out) != 0)
            return -1;
        skip_blanks(p);
        if (p->pos >= p->len || p->s[p->pos] != ')')
            return fail(p, open, "'(' is never closed");
        p->pos++;
        return 0;
    }
    if (p->pos >= p->len || is_special(p->s[p->pos])) {
        char msg[64];
        snprintf(msg, sizeof msg, "expected a unit name, found %s", found(p));
        return fail(p, p->pos, msg);
    }
    return parse_name(p, out);
}

/* An integer exponent after '^': 2, -1, (-1). */
static int parse_exponent(parser *p, int *exp)
{
    skip_blanks(p);
    int paren = p->pos < p->len && p->s[p->pos] == '(';
    if (paren) {
        p->pos++;
        skip_blanks(p);
    }
    size_t start = p->pos;
    int sign = 1;
    if (p->pos < p->len && (p->s[p->pos] == '-' || p->s[p->pos] == '+'))
        sign = p->s[p->pos++] == '-' ? -1 : 1;
    long v = 0;
    size_t digits = p->pos;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        v = v * 10 + (p->s[p->pos++] - '0');
        if (v > PS__UNITS_MAX_EXP)
            return fail(p, start, "exponent is too large");
    }
    if (p->pos == digits)
        return fail(p, start, "expected an integer exponent after '^'");
    if (p->pos < p->len && (p->s[p->pos] == '.' || p->s[p->pos] == '/'))
        return fail(p, start, "exponents in units must be integers");
    if (paren) {
        skip_blanks(p);
        if (p->pos >= p->len || p->s[p->pos] != ')')
            return fail(p, p->pos, "expected ')' after the exponent");
        p->pos++;
    }
    *exp = (int)(sign * v);
    return 0;
}

static int parse_term(parser *p, ps__units *out)
{
    if (parse_primary(p, out) != 0)
        return -1;
    skip_blanks(p);
    if (p->pos < p->len && p->s[p->pos] == '^') {
        p->pos++;
        int exp;
        if (parse_exponent(p, &exp) != 0)
            return -1;
        *out = ps__units_pow(out, exp);
        if (out->kind != PS__UNITS_KNOWN)
            return fail(p, p->pos, "units are too complex");
    }
    return 0;
}

static int parse_units(parser *p, ps__units *out)
{
    if (parse_term(p, out) != 0)
        return -1;
    for (;;) {
        skip_blanks(p);
        if (p->pos >= p->len || (p->s[p->pos] != '*' && p->s[p->pos] != '/'))
            return 0;
        char op = p->s[p->pos++];
        ps__units rhs;
        if (parse_term(p, &rhs) != 0)
            return -1;
        *out = op == '*' ? ps__units_mul(out, &rhs) : ps__units_div(out, &rhs);
        if (out->kind != PS__UNITS_KNOWN)
            return fail(p, p->pos, "units are too complex");
    }
}

ps_status ps__units_parse(ps__unit_table *t, const char *text, size_t len,
                          ps__units *out, ps_error *err)
{
    parser p = {.table = t, .s = text, .len = len, .pos = 0, .err = err,
                .status = PS_OK};
    *out = ps__units_unknown();
    skip_blanks(&p);
    if (p.pos == p.len)
        return PS_OK; /* no units given */
    ps__units u;
    if (parse_units(&p, &u) == 0) {
        skip_blanks(&p);
        if (p.pos < p.len) {
            char msg[64];
            snprintf(msg, sizeof msg, "unexpected %s", found(&p));
            fail(&p, p.pos, msg);
        }
    }
    if (p.status == PS_OK)
        *out = u;
    return p.status;
}
