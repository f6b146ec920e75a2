/*
 * "Did you mean ...?": the nearest of a set of names by edit distance,
 * counted in characters so that Chinese names compare sensibly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "scenario_impl.h"

/* Longest name compared, in characters; longer names are cut. */
#define NAME_MAX_CHARS 128

/* Splits UTF-8 text into code points (malformed bytes stand alone). */
static size_t code_points(const char *s, unsigned *cp, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    while (*u && n < max) {
        unsigned c = *u++;
        if (c >= 0xC0) {
            int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
            c &= 0x3F >> more;
            while (more-- > 0 && (*u & 0xC0) == 0x80)
                c = (c << 6) | (*u++ & 0x3F);
        }
        cp[n++] = c;
    }
    return n;
}

size_t sc_edit_distance(const char *a, const char *b)
{
    unsigned ca[NAME_MAX_CHARS], cb[NAME_MAX_CHARS];
    size_t na = code_points(a, ca, NAME_MAX_CHARS);
    size_t nb = code_points(b, cb, NAME_MAX_CHARS);
    size_t row[NAME_MAX_CHARS + 1];
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
    return row[nb];
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

const char *sc_nearest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = sc_edit_distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    /* a likely misspelling: one edit in a short word, two in a word of six
       or more characters (a swap of two letters), a third of a long one */
    size_t len = chars(word);
    size_t limit = len < 2 ? 0 : len < 6 ? 1 : len < 9 ? 2 : len / 3;
    return best && best_d <= limit ? best : NULL;
}

void sc_suggestion(const char *word, const char *const *cands, size_t n,
                   char *buf, size_t size)
{
    const char *near = sc_nearest(word, cands, n);
    if (near)
        snprintf(buf, size, "; did you mean '%s'?", near);
    else if (size)
        buf[0] = '\0';
}

int sc_nearest_var(const ps_model *m, const char *name, const char **shown)
{
    *shown = NULL;
    const char **keys = malloc((m->nvars + 1) * sizeof *keys);
    char *key = ps_name_key(name, strlen(name));
    if (!keys || !key) {
        free(keys);
        free(key);
        return -1;
    }
    for (size_t i = 0; i < m->nvars; i++)
        keys[i] = m->vars[i].key;
    const char *near = sc_nearest(key, keys, m->nvars);
    for (size_t i = 0; near && i < m->nvars; i++)
        if (keys[i] == near)
            *shown = m->vars[i].name;
    free(keys);
    free(key);
    return 0;
}
