/*
 * Vensim name canonicalisation: case-insensitive, spaces and underscores
 * alike, runs collapsed, quotes removed, UTF-8 kept byte for byte.
 */
#include "plansim/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the blank at s[0..n) (space, tab, CR, LF, '_', U+00A0), or 0. */
static size_t blank_len(const char *s, size_t n, int underscore_is_blank)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        return 1;
    if (c == '_' && underscore_is_blank)
        return 1;
    if (c == 0xC2 && n > 1 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

/* Trims blanks and one pair of surrounding double quotes. */
static void trim(const char **text, size_t *len)
{
    const char *s = *text;
    size_t n = *len, b;
    while (n > 0 && (b = blank_len(s, n, 0)) > 0) {
        s += b;
        n -= b;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                     s[n - 1] == '\r'))
        n--;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    *text = s;
    *len = n;
}

/* Writes text with blank runs folded to `fold` into out (room for
   len + 1 bytes), lower-cased when asked. */
static void fold_blanks_into(const char *text, size_t len, char fold, int lower,
                             int underscore_is_blank, char *out)
{
    trim(&text, &len);
    size_t o = 0, i = 0;
    int pending = 0;
    while (i < len) {
        size_t b = blank_len(text + i, len - i, underscore_is_blank);
        if (b > 0) {
            pending = 1;
            i += b;
            continue;
        }
        if (pending && o > 0)
            out[o++] = fold;
        pending = 0;
        char c = text[i++];
        if (lower && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        out[o++] = c;
    }
    out[o] = '\0';
}

/* A new copy of text with blank runs folded (fold_blanks_into). */
static char *fold_blanks(const char *text, size_t len, char fold, int lower,
                         int underscore_is_blank)
{
    char *out = malloc(len + 1);
    if (out)
        fold_blanks_into(text, len, fold, lower, underscore_is_blank, out);
    return out;
}

char *ps_name_key(const char *text, size_t len)
{
    return fold_blanks(text, len, '_', 1, 1);
}

void ps_name_key_into(const char *text, size_t len, char *out)
{
    fold_blanks_into(text, len, '_', 1, 1, out);
}

char *ps_name_display(const char *text, size_t len)
{
    return fold_blanks(text, len, ' ', 0, 0);
}

/* A name's key (ps_name_key) read byte by byte, without building it. */
typedef struct key_cursor {
    const char *s;
    size_t n, i, out;
} key_cursor;

static void key_begin(key_cursor *c, const char *text)
{
    size_t len = strlen(text);
    trim(&text, &len);
    *c = (key_cursor){text, len, 0, 0};
}

/* The key's next byte, or -1 at its end. */
static int key_next(key_cursor *c)
{
    int pending = 0;
    while (c->i < c->n) {
        size_t b = blank_len(c->s + c->i, c->n - c->i, 1);
        if (b > 0) {
            pending = 1;
            c->i += b;
            continue;
        }
        c->out++;
        if (pending && c->out > 1)
            return '_';
        char ch = c->s[c->i++];
        return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : (unsigned char)ch;
    }
    return -1;
}

int ps_name_equal(const char *a, const char *b)
{
    /* compared as their keys, without allocating: names are compared
       often, and in long lists */
    key_cursor ca, cb;
    key_begin(&ca, a);
    key_begin(&cb, b);
    for (;;) {
        int x = key_next(&ca), y = key_next(&cb);
        if (x != y)
            return 0;
        if (x < 0)
            return 1;
    }
}

char *ps_name_with_elements(const char *name, const char *const *elems,
                            size_t n)
{
    size_t len = strlen(name) + 3;
    for (size_t k = 0; k < n; k++)
        len += strlen(elems[k]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    size_t o = (size_t)snprintf(s, len, "%s", name);
    for (size_t k = 0; k < n; k++)
        o += (size_t)snprintf(s + o, len - o, "%s%s", k ? "," : "[", elems[k]);
    if (n > 0)
        snprintf(s + o, len - o, "]");
    return s;
}

long ps_word_index(const char *const *table, size_t n, const char *word)
{
    for (size_t i = 0; word && i < n; i++)
        if (table[i] && strcmp(word, table[i]) == 0)
            return (long)i;
    return -1;
}
