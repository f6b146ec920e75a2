/*
 * Units in the files: a `units` attribute only where udunits-2 (the unit
 * library CF names) can read it, and the model's own unit text always in
 * `vensim_units`.
 *
 * Vensim unit text is mostly free text: "Dmnl", "Year", "亿元/Year",
 * "Person".  A few words Vensim models use for dimensionless quantities
 * and counts, and the plural time words, are rewritten into udunits
 * spelling word by word (Dmnl -> 1, Person -> 1, Years -> year); then
 * the whole text must parse with ut_parse against udunits' own XML
 * database, or the file carries no `units` for it.  The claim that
 * every `units` attribute reads with udunits is thus checked by udunits
 * itself when the file is written.
 */
#include "h5_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <udunits2.h>

struct h5_udunits {
    ut_system *system;
};

h5_udunits *h5_udunits_open(void)
{
    h5_udunits *u = malloc(sizeof *u);
    if (!u)
        return NULL;
    /* udunits reports through a process-wide handler; the library never
       prints, so its messages are dropped. */
    ut_set_error_message_handler(ut_ignore);
    u->system = ut_read_xml(NULL);
    if (!u->system) {
        free(u);
        return NULL;
    }
    return u;
}

void h5_udunits_close(h5_udunits *u)
{
    if (!u)
        return;
    ut_free_system(u->system);
    free(u);
}

/* Vensim words with a udunits spelling that udunits does not read as
   written (matched without regard to case). */
static const struct {
    const char *vensim, *udunits;
} words[] = {
    {"dmnl", "1"},        {"dimensionless", "1"}, {"fraction", "1"},
    {"person", "1"},      {"persons", "1"},       {"people", "1"},
    {"year", "year"},     {"years", "year"},      {"month", "month"},
    {"months", "month"},  {"week", "week"},       {"weeks", "week"},
    {"day", "day"},       {"days", "day"},        {"hour", "hour"},
    {"hours", "hour"},    {"minute", "minute"},   {"minutes", "minute"},
    {"second", "second"}, {"seconds", "second"},
};

static int is_operator(unsigned char c)
{
    return c == '/' || c == '*' || c == '(' || c == ')' || c == '^' ||
           isspace(c);
}

/* Rewrites the words of `text` (runs between operators) that the table
   knows; 0, or -1 when buf is too small. */
static int rewrite(const char *text, char *buf, size_t size)
{
    size_t n = 0;
    const char *p = text;
    while (*p) {
        const char *piece;
        size_t len;
        if (is_operator((unsigned char)*p)) {
            piece = p;
            len = 1;
        } else {
            const char *end = p;
            while (*end && !is_operator((unsigned char)*end))
                end++;
            piece = p;
            len = (size_t)(end - p);
            for (size_t i = 0; i < sizeof words / sizeof *words; i++)
                if (strlen(words[i].vensim) == len &&
                    strncasecmp(p, words[i].vensim, len) == 0) {
                    piece = words[i].udunits;
                    break;
                }
            if (piece != p) {
                p = end;
                size_t plen = strlen(piece);
                if (n + plen >= size)
                    return -1;
                memcpy(buf + n, piece, plen);
                n += plen;
                continue;
            }
        }
        if (n + len >= size)
            return -1;
        memcpy(buf + n, piece, len);
        n += len;
        p += len;
    }
    buf[n] = '\0';
    return 0;
}

int h5_udunits_translate(const h5_udunits *u, const char *vensim, char *buf,
                         size_t size)
{
    if (!u || !vensim || size == 0)
        return -1;
    while (isspace((unsigned char)*vensim))
        vensim++;
    if (!*vensim || rewrite(vensim, buf, size) != 0)
        return -1;
    size_t n = strlen(buf);
    while (n && isspace((unsigned char)buf[n - 1]))
        buf[--n] = '\0';
    ut_unit *unit = ut_parse(u->system, buf, UT_UTF8);
    if (!unit)
        return -1;
    ut_free(unit);
    return 0;
}

int h5_attr_units(hid_t obj, const h5_udunits *u, const char *vensim)
{
    if (!vensim || !*vensim)
        return 0;
    char text[256];
    if (h5_udunits_translate(u, vensim, text, sizeof text) == 0 &&
        h5_attr_short(obj, "units", text) < 0)
        return -1;
    return h5_attr_short(obj, "vensim_units", vensim);
}

char *h5_units_read(hid_t obj)
{
    char *text = NULL;
    if (H5Aexists(obj, "vensim_units") > 0 &&
        h5_attr_read_text(obj, "vensim_units", &text) == 0 && text)
        return text;
    free(text);
    text = NULL;
    if (H5Aexists(obj, "units") > 0 &&
        h5_attr_read_text(obj, "units", &text) == 0 && text)
        return text;
    free(text);
    return strdup("");
}
