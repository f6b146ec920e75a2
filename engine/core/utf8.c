/*
 * UTF-8 decoding, encoding and validation, and Windows-1252 to UTF-8.
 */
#include "plansim/utf8.h"

#include <stdlib.h>

#define REPLACEMENT 0xFFFDu

size_t ps_utf8_next(const char *s, size_t n, unsigned *cp)
{
    *cp = REPLACEMENT;
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, min = 0x80, c &= 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, min = 0x800, c &= 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, min = 0x10000, c &= 0x07;
    else
        return 1;
    if (n < len)
        return 1;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 1;
        c = (c << 6) | (u[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 1;
    *cp = c;
    return len;
}

size_t ps_utf8_put(char *out, unsigned cp)
{
    unsigned char *o = (unsigned char *)out;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = REPLACEMENT;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int ps_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t k = ps_utf8_next(s + i, n - i, &cp);
        /* U+FFFD written as such is valid; produced by an error it is 1
           byte where the real one takes 3 */
        if (cp == REPLACEMENT && k == 1)
            return 0;
        i += k;
    }
    return 1;
}

/* Code points of bytes 0x80-0x9F in Windows-1252 (0 for the five that
   are undefined); bytes from 0xA0 on are Latin-1, their own code point. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

char *ps_cp1252_to_utf8(const char *s, size_t n, size_t *out_len)
{
    if (n > ((size_t)-1 - 1) / 3)
        return NULL;
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xA0)
            c = cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : REPLACEMENT;
        o += ps_utf8_put(out + o, c);
    }
    out[o] = '\0';
    if (out_len)
        *out_len = o;
    return out;
}
