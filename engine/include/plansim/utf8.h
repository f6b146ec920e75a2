/*
 * plansim: UTF-8 text, in one place.
 *
 * Decoding and encoding code points, checking that bytes are UTF-8, and
 * reading the Windows-1252 text of older Vensim files (those written
 * without the "{UTF-8}" marker on a Western Windows) as UTF-8.
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

/* The display columns of the NUL-terminated UTF-8 text s: East Asian
   wide and fullwidth characters count 2, combining marks and other
   zero-width code points 0, control characters 0, every other code point
   (and each byte that starts no valid sequence) 1.  For aligning tables
   that hold Chinese. */
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
