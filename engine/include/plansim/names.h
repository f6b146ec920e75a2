/*
 * plansim: model names as Vensim compares them.
 *
 * Vensim names are case-insensitive, treat spaces and underscores alike and
 * collapse runs of them; a name may be written in double quotes to hold
 * characters that would otherwise end it.  UTF-8 names (Chinese) are kept
 * byte for byte: only ASCII letters change case.
 */
#ifndef PLANSIM_NAMES_H
#define PLANSIM_NAMES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Returns the canonical key of the name text[0..len): surrounding double
 * quotes removed, leading and trailing blanks dropped, ASCII letters
 * lower-cased, and every run of spaces, tabs, underscores, newlines and
 * U+00A0 turned into a single '_'.  Two names are the same variable exactly
 * when their keys are equal.  The caller owns the returned string (free());
 * NULL only when memory runs out.
 */
char *ps_name_key(const char *text, size_t len);

/* As ps_name_key, written into out, which has room for len + 1 bytes (a
   key is never longer than its name): for lookups that must not fail. */
void ps_name_key_into(const char *text, size_t len, char *out);

/*
 * Returns a display copy of text[0..len): surrounding quotes kept off,
 * blanks trimmed and inner runs of blanks collapsed to one space, case kept.
 * The caller owns the result (free()); NULL only when memory runs out.
 */
char *ps_name_display(const char *text, size_t len);

/*
 * The name of one element of a subscripted variable as Vensim writes it:
 * "name[e1,e2]" for the n element names elems[0..n), or a copy of `name`
 * when n is 0.  The caller owns the result; NULL when memory runs out.
 */
char *ps_name_with_elements(const char *name, const char *const *elems,
                            size_t n);

/* Returns non-zero when a and b name the same variable (compares keys). */
int ps_name_equal(const char *a, const char *b);

/* The index of `word` in table[0..n) (exact comparison), for the short
   keywords of options and files ("lhs", "smc"); -1 when it is not there
   or is NULL. */
long ps_word_index(const char *const *table, size_t n, const char *word);

#ifdef __cplusplus
}
#endif
#endif
