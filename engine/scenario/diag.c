/*
 * Located errors with the offending text underlined, in the style of
 * libfyaml's diagnostics (and of C compilers):
 *
 *     expected a number, got 'one thousand'
 *       runs: one thousand
 *             ^~~~~~~~~~~~
 *
 * The first line of the message is the plain message; ps_error_print puts
 * "file:line:col: error: " before it.  The underline is aligned for a
 * terminal: Chinese (East Asian wide) characters take two columns, tabs
 * are copied.  Very long lines are shown as a window around the text.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "plansim/utf8.h"
#include "scenario_impl.h"

/* A line longer than SHOW_MAX characters is shown as a window of
   SHOW_MAX characters starting LEAD_MAX before the underlined text. */
#define LEAD_MAX 40
#define SHOW_MAX 120

typedef struct out {
    char *buf;
    size_t size, n;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (o->n + n + 1 > o->size)
        n = o->n + 1 < o->size ? o->size - o->n - 1 : 0;
    memcpy(o->buf + o->n, s, n);
    o->n += n;
    o->buf[o->n] = '\0';
}

static void put_rep(out *o, char c, int count)
{
    for (int i = 0; i < count; i++)
        put(o, &c, 1);
}

/* Writes "\n<source line>\n<underline>" for w into o, from the file's
   text; nothing when the line is not in the text. */
static void snippet(out *o, const char *text, const ps_sc_where *w)
{
    size_t len = strlen(text), pos = 0;
    for (int line = 1; line < w->loc.line; line++) {
        while (pos < len && text[pos] != '\n' && text[pos] != '\r')
            pos++;
        if (pos >= len)
            return;
        pos += (text[pos] == '\r' && pos + 1 < len && text[pos + 1] == '\n')
                   ? 2
                   : 1;
    }
    size_t end = pos;
    while (end < len && text[end] != '\n' && text[end] != '\r')
        end++;
    /* byte offsets of each character of the line, up to what we show */
    size_t at = pos;
    int col = 1;
    unsigned cp;
    while (col < w->loc.column && at < end) {
        at += ps_utf8_next(text + at, end - at, &cp);
        col++;
    }
    int line_chars = 0;
    for (size_t i = pos; i < end; line_chars++)
        i += ps_utf8_next(text + i, end - i, &cp);
    size_t from = pos; /* window start */
    int lead_chars = col - 1, cut_front = 0;
    if (line_chars > SHOW_MAX && lead_chars > LEAD_MAX) {
        int skip = lead_chars - LEAD_MAX;
        for (int i = 0; i < skip; i++)
            from += ps_utf8_next(text + from, end - from, &cp);
        cut_front = 1;
    }
    size_t to = from;
    int shown = 0;
    while (to < end && shown < SHOW_MAX) {
        to += ps_utf8_next(text + to, end - to, &cp);
        shown++;
    }
    put(o, "\n", 1);
    if (cut_front)
        put(o, "...", 3);
    put(o, text + from, to - from);
    if (to < end)
        put(o, "...", 3);
    put(o, "\n", 1);
    if (cut_front)
        put_rep(o, ' ', 3);
    for (size_t i = from; i < at;) {
        size_t k = ps_utf8_next(text + i, at - i, &cp);
        if (cp == '\t')
            put(o, "\t", 1);
        else
            put_rep(o, ' ', ps_uc_width(cp));
        i += k;
    }
    put(o, "^", 1);
    int width = 0;
    size_t i = at;
    for (int c = 0; c < w->length && i < to; c++) {
        i += ps_utf8_next(text + i, to - i, &cp);
        width += ps_uc_width(cp);
    }
    put_rep(o, '~', width - 1);
}

static const char *text_of(const ps_scenario *sc, const char *file)
{
    if (!sc || !file)
        return NULL;
    for (size_t i = 0; i < sc->nfiles; i++)
        if (sc->files[i] == file)
            return sc->texts[i];
    for (size_t i = 0; i < sc->nfiles; i++)
        if (strcmp(sc->files[i], file) == 0)
            return sc->texts[i];
    return NULL;
}

static ps_status vfail(const ps_scenario *sc, const ps_sc_where *w,
                       ps_status status, ps_error *err, const char *fmt,
                       va_list ap)
{
    if (!err)
        return status;
    char msg[PS_ERROR_MESSAGE_MAX];
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* the message is one line (names quoted in it may hold line breaks):
       the source line and the underline follow it */
    for (char *p = msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    out o = {msg, sizeof msg, strlen(msg)};
    const char *text = w ? text_of(sc, w->file) : NULL;
    if (text && w->loc.line > 0 && w->loc.column > 0)
        snippet(&o, text, w);
    return ps_error_set(err, status, w ? w->file : NULL, w ? w->loc.line : 0,
                        w ? w->loc.column : 0, "%s", msg);
}

ps_status ps_scenario_error_at(const ps_scenario *sc, const ps_sc_where *where,
                               ps_status status, ps_error *err, const char *fmt,
                               ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(sc, where, status, err, fmt, ap);
    va_end(ap);
    return status;
}

ps_status sc_fail(sc_loader *ld, const ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(ld->sc, n ? &n->where : NULL, PS_ERR_DATA, ld->err, fmt, ap);
    va_end(ap);
    return PS_ERR_DATA;
}

ps_status sc_fail_at(sc_loader *ld, const ps_sc_where *w, ps_status status,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(ld->sc, w, status, ld->err, fmt, ap);
    va_end(ap);
    return status;
}

ps_status sc_nomem(sc_loader *ld)
{
    return ps_error_set(ld->err, PS_ERR_NOMEM, NULL, 0, 0,
                        "out of memory while reading the scenario");
}

void sc_describe(const ynode *n, char *buf, size_t size)
{
    if (!n || (n->kind == Y_SCALAR && n->null)) {
        snprintf(buf, size, "nothing");
    } else if (n->kind == Y_MAP) {
        snprintf(buf, size, "a mapping");
    } else if (n->kind == Y_SEQ) {
        snprintf(buf, size, "a list");
    } else {
        /* quote at most 40 bytes of the first line, cut at a character
           boundary: the message stays on one line */
        size_t len = strcspn(n->text, "\r\n"), cut = len < n->len;
        if (len > 40) {
            len = ps_utf8_cut(n->text, len, 40);
            cut = 1;
        }
        snprintf(buf, size, "'%.*s%s'", (int)len, n->text, cut ? "..." : "");
    }
}
