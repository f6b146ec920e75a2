/*
 * plansim: "did you mean ...?" in one place.
 *
 * The edit distance between two names, counted in characters (code
 * points, so that one wrong Chinese character is one edit, as one wrong
 * letter is), and the one rule that decides when the nearest name is
 * close enough to be offered.  Every suggestion plansim makes (scenario
 * keys and variable names, model names, command-line names) uses these,
 * so the same slip gets the same suggestion wherever it is typed.
 */
#ifndef PLANSIM_SUGGEST_H
#define PLANSIM_SUGGEST_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The Levenshtein distance between the UTF-8 texts a and b: the fewest
   characters inserted, deleted or replaced to turn one into the other
   (characters as ps_utf8_next splits them).  (size_t)-1 when memory runs
   out. */
size_t ps_edit_distance(const char *a, const char *b);

/* The largest edit distance at which a name is taken for a misspelling
   of `word`, by its length in characters: none under 2 characters, one
   edit up to 5, two up to 8 (a swap of two letters), a third of a longer
   word. */
size_t ps_suggest_limit(const char *word);

/* The candidate nearest to `word` by ps_edit_distance (the first of
   equals), or NULL when none is within ps_suggest_limit(word).  The
   result is one of cands (borrowed). */
const char *ps_nearest(const char *word, const char *const *cands, size_t n);

#ifdef __cplusplus
}
#endif
#endif
