/*
 * Edit distance on characters and the "did you mean" rule (suggest.h).
 */
#include "plansim/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/utf8.h"

/* The code points of s in a new array, their number in *n; NULL when
   memory runs out. */
static unsigned *code_points(const char *s, size_t *n)
{
    size_t len = strlen(s);
    unsigned *cp = malloc((len ? len : 1) * sizeof *cp);
    if (!cp)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; k++)
        i += ps_utf8_next(s + i, len - i, &cp[k]);
    *n = k;
    return cp;
}

size_t ps_edit_distance(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    unsigned *ca = code_points(a, &na);
    unsigned *cb = code_points(b, &nb);
    size_t *row = malloc((nb + 1) * sizeof *row);
    size_t d = (size_t)-1;
    if (ca && cb && row) {
        /* one row of the Wagner-Fischer table at a time */
        for (size_t j = 0; j <= nb; j++)
            row[j] = j;
        for (size_t i = 1; i <= na; i++) {
            size_t diag = row[0];
            row[0] = i;
            for (size_t j = 1; j <= nb; j++) {
                size_t up = row[j];
                size_t best = diag + (ca[i - 1] != cb[j - 1]);
                if (up + 1 < best)
                    best = up + 1;
                if (row[j - 1] + 1 < best)
                    best = row[j - 1] + 1;
                row[j] = best;
                diag = up;
            }
        }
        d = row[nb];
    }
    free(ca);
    free(cb);
    free(row);
    return d;
}

size_t ps_suggest_limit(const char *word)
{
    size_t len = ps_utf8_count(word, strlen(word));
    return len < 2 ? 0 : len < 6 ? 1 : len < 9 ? 2 : len / 3;
}

const char *ps_nearest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = ps_edit_distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best && best_d <= ps_suggest_limit(word) ? best : NULL;
}
