/*
 * The display width of UTF-8 text: how many terminal columns it takes
 * (plansim/utf8.h).  The width of each character is libunistring's
 * uc_width, which follows Unicode's East Asian Width and general
 * categories.  The text is walked with ps_utf8_next rather than handed to
 * u8_width whole, for two reasons: u8_width answers -1 for the whole text
 * when it holds one control character (a tab in a table cell), and it
 * would decode an invalid sequence differently from the rest of plansim.
 */
#include <string.h>

#include <uniwidth.h>

#include "plansim/utf8.h"

/* uc_width's encoding argument: for a CJK legacy encoding it would make
   "ambiguous" characters (·, —, ≥ …) wide; UTF-8 text keeps them narrow,
   as terminals show them. */
#define WIDTH_ENCODING "UTF-8"

int ps_uc_width(unsigned cp)
{
    int w = uc_width((ucs4_t)cp, WIDTH_ENCODING);
    return w < 0 ? 0 : w; /* control characters take no column */
}

size_t ps_utf8_nwidth(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += ps_utf8_next(s + i, n - i, &cp);
        w += (size_t)ps_uc_width(cp);
    }
    return w;
}

size_t ps_utf8_width(const char *s)
{
    return s ? ps_utf8_nwidth(s, strlen(s)) : 0;
}
