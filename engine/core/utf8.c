/*
 * UTF-8 decoding (libunistring's u8_mbtoucr), encoding and validation,
 * counting and cutting by characters, and Windows-1252 to UTF-8.
 */
#include "plansim/utf8.h"

#include <stdint.h>
#include <stdlib.h>

#include <unistr.h>

#define REPLACEMENT 0xFFFDu

size_t ps_utf8_next(const char *s, size_t n, unsigned *cp)
{
    *cp = REPLACEMENT;
    if (n == 0)
        return 0;
    /* libunistring's strict decoder: -1 for an invalid sequence, -2 for
       one cut short; either way the first byte stands alone */
    ucs4_t uc;
    int len = u8_mbtoucr(&uc, (const uint8_t *)s, n);
    if (len < 1)
        return 1;
    *cp = uc;
    return (size_t)len;
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

size_t ps_utf8_invalid_at(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t k = ps_utf8_next(s + i, n - i, &cp);
        /* U+FFFD written as such is valid; produced by an error it is 1
           byte where the real one takes 3 */
        if (cp == REPLACEMENT && k == 1)
            return i;
        i += k;
    }
    return n;
}

int ps_utf8_valid(const char *s, size_t n)
{
    return ps_utf8_invalid_at(s, n) == n;
}

size_t ps_utf8_count(const char *s, size_t n)
{
    size_t count = 0;
    unsigned cp;
    for (size_t i = 0; i < n; count++)
        i += ps_utf8_next(s + i, n - i, &cp);
    return count;
}

size_t ps_utf8_cut(const char *s, size_t n, size_t max)
{
    if (max >= n)
        return n;
    size_t i = 0;
    unsigned cp;
    for (;;) {
        size_t k = ps_utf8_next(s + i, n - i, &cp);
        if (i + k > max)
            return i;
        i += k;
    }
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
