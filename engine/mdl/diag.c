/*
 * Parser plumbing shared by the .mdl reader: advancing, failing at a
 * position, and describing tokens in messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"
#include "plansim/names.h"
#include "plansim/utf8.h"

/* Longest name quoted in a message, in bytes (cut at a character). */
#define QUOTE_MAX 48

ps_status mdl_next(mdl_parser *p)
{
    return mdl_lex_next(&p->lx, &p->tok, p->err);
}

ps_status mdl_nomem(mdl_parser *p)
{
    return mdl_fail(p, PS_ERR_NOMEM, p->tok.loc,
                    "out of memory while reading the model");
}

ps_status mdl_fail(mdl_parser *p, ps_status status, ps_loc loc,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(p->err, status, p->lx.path, loc.line, loc.column, fmt, ap);
    va_end(ap);
    return status;
}

char *mdl_token_display(const mdl_parser *p, const mdl_token *tok)
{
    char *joined = mdl_join_lines(p->lx.text, tok->start, tok->end);
    if (!joined)
        return NULL;
    char *display = ps_name_display(joined, strlen(joined));
    free(joined);
    return display;
}

/* Copies s into buf as 's', cut at a character boundary when long. */
static void quote(char *buf, size_t size, const char *s, size_t n)
{
    int cut = 0;
    if (n > QUOTE_MAX) {
        n = ps_utf8_cut(s, n, QUOTE_MAX);
        cut = 1;
    }
    snprintf(buf, size, "'%.*s%s'", (int)n, s, cut ? "..." : "");
}

void mdl_describe(const mdl_parser *p, const mdl_token *tok, char *buf,
                  size_t size)
{
    const char *s = p->lx.text + tok->start;
    size_t n = tok->end - tok->start;
    if (tok->kind == T_EOF) {
        snprintf(buf, size, "the end of the file");
    } else if (tok->kind == T_NAME) {
        char *display = mdl_token_display(p, tok);
        if (display)
            quote(buf, size, display, strlen(display));
        else
            snprintf(buf, size, "a name");
        free(display);
    } else if (tok->kind == T_BAD && n == 1 &&
               ((unsigned char)s[0] < 0x20 || (unsigned char)s[0] == 0x7F)) {
        snprintf(buf, size, "the control character U+%04X",
                 (unsigned)(unsigned char)s[0]);
    } else {
        quote(buf, size, s, n);
    }
}

ps_status mdl_expected(mdl_parser *p, const char *what)
{
    char found[QUOTE_MAX + 16];
    mdl_describe(p, &p->tok, found, sizeof found);
    return mdl_fail(p, PS_ERR_SYNTAX, p->tok.loc, "expected %s, found %s",
                    what, found);
}
