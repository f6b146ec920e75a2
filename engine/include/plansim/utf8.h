/*
 * plansim: UTF-8 text, in one place.
 *
 * Decoding and encoding code points, checking that bytes are UTF-8,
 * counting and cutting text by characters, the display width of text on
 * a terminal, and reading the Windows-1252 text of older Vensim files
 * (those written without the "{UTF-8}" marker on a Western Windows) as
 * UTF-8.  Decoding and widths come from GNU libunistring.
 *
 * Invalid bytes, everywhere in this header: a byte that starts no valid
 * sequence (a stray continuation byte, an overlong form, a surrogate, a
 * sequence cut short) stands alone as one U+FFFD REPLACEMENT CHARACTER,
 * one character wide.  Everything that walks text uses ps_utf8_next, so
 * counts, cuts and widths agree on where characters start.
 */
#ifndef PLANSIM_UTF8_H
#define PLANSIM_UTF8_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The code point of the UTF-8 sequence at s[0..n) in *cp, returning its
   length in bytes (at least 1 when n > 0).  A byte that starts no valid
   sequence (a stray continuation byte, an overlong form, a surrogate, a
   sequence cut short) decodes as U+FFFD and counts 1 byte.  n = 0 gives
   0 and U+FFFD. */
size_t ps_utf8_next(const char *s, size_t n, unsigned *cp);

/* Writes code point cp (U+FFFD when it is not a Unicode scalar value) as
   UTF-8 into out, which has room for 4 bytes; returns the bytes written. */
size_t ps_utf8_put(char *out, unsigned cp);

/* Non-zero when s[0..n) is valid UTF-8 throughout. */
int ps_utf8_valid(const char *s, size_t n);

/* The offset of the first byte of s[0..n) that starts no valid UTF-8
   sequence, or n when all of it is valid.  For pointing at the byte. */
size_t ps_utf8_invalid_at(const char *s, size_t n);

/* The number of characters in s[0..n), as ps_utf8_next splits it (each
   invalid byte one character). */
size_t ps_utf8_count(const char *s, size_t n);

/* The longest prefix of s[0..n) of at most max bytes that ends between
   two characters, in bytes: text cut there never holds half a character. */
size_t ps_utf8_cut(const char *s, size_t n, size_t max);

/* The terminal columns of code point cp, by libunistring's uc_width for
   UTF-8 text (Unicode's East Asian Width: "ambiguous" characters are
   narrow): 2 for wide and fullwidth characters (CJK, Hangul, fullwidth
   forms, most emoji), 0 for combining marks, other zero-width code points
   and control characters, 1 for every other code point. */
int ps_uc_width(unsigned cp);

/* The display columns of the UTF-8 text s[0..n): the sum of ps_uc_width
   over its characters, each invalid byte counting 1 (the width of
   U+FFFD).  For aligning tables and underlines that hold Chinese. */
size_t ps_utf8_nwidth(const char *s, size_t n);

/* ps_utf8_nwidth of the NUL-terminated text s (NULL is empty). */
size_t ps_utf8_width(const char *s);

/* A new UTF-8 copy of the Windows-1252 text s[0..n), NUL-terminated, with
   its length in *out_len (may be NULL).  The five bytes Windows-1252
   leaves undefined become U+FFFD.  The caller frees it; NULL when memory
   runs out. */
char *ps_cp1252_to_utf8(const char *s, size_t n, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
