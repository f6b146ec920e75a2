/*
 * Dataset names for model variables: usable as netCDF names and as Python
 * attributes (ds.GDP), unique in the file, still readable in Chinese.
 */
#include "h5_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/utf8.h"

/* Names the layout itself uses at the root of the file. */
static const char *const reserved[] = {
    H5N_RUN,
    H5N_TIME,
    H5N_PARAM,
    H5N_PARAM_VALUE,
    "param_label",
    "param_source",
    "param_distribution",
    H5N_RUN_STATUS,
    H5N_SUMMARY,
    H5N_ASSUMPTIONS,
};

static int is_word_ascii(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* The friendly form of one name, before uniqueness; NULL: no memory. */
static char *friendly(const char *model_name)
{
    const unsigned char *s = (const unsigned char *)model_name;
    size_t len = strlen(model_name);
    char *out = malloc(len + 3); /* room for the "v_" prefix */
    if (!out)
        return NULL;
    char *p = out + 2;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n;
        if (s[i] < 0x80 && is_word_ascii(s[i])) {
            *p++ = (char)s[i++];
            continue;
        }
        /* a whole non-ASCII character (an invalid byte decodes alone) */
        if (s[i] >= 0x80 &&
            (n = ps_utf8_next(model_name + i, len - i, &cp)) > 1) {
            memcpy(p, s + i, n);
            p += n;
            i += n;
            continue;
        }
        /* spaces, '/', punctuation, control and invalid bytes */
        *p++ = '_';
        i++;
    }
    *p = '\0';
    /* collapse runs of '_' and strip them at both ends */
    char *w = out + 2;
    for (char *r = out + 2; *r; r++)
        if (*r != '_' || (w > out + 2 && w[-1] != '_'))
            *w++ = *r;
    while (w > out + 2 && w[-1] == '_')
        w--;
    *w = '\0';
    char *start = out + 2;
    if (*start == '\0') {
        out[0] = 'v';
        out[1] = '\0';
        start = out;
    } else if (*start >= '0' && *start <= '9') {
        out[0] = 'v';
        out[1] = '_';
        start = out;
    }
    memmove(out, start, strlen(start) + 1);
    return out;
}

static int taken(const char *name, char **done, size_t ndone)
{
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(name, reserved[i]) == 0)
            return 1;
    for (size_t i = 0; i < ndone; i++)
        if (strcmp(name, done[i]) == 0)
            return 1;
    return 0;
}

char **h5_dataset_names(size_t n, const char *const *model_names)
{
    char **out = calloc(n ? n : 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char *base = friendly(model_names[i] ? model_names[i] : "");
        if (!base) {
            h5_free_strings(out, i);
            return NULL;
        }
        if (!taken(base, out, i)) {
            out[i] = base;
            continue;
        }
        size_t size = strlen(base) + 24;
        char *name = malloc(size);
        if (!name) {
            free(base);
            h5_free_strings(out, i);
            return NULL;
        }
        /* Ends: only the reserved names and the i earlier ones are taken. */
        for (size_t k = 2;; k++) {
            snprintf(name, size, "%s_%zu", base, k);
            if (!taken(name, out, i))
                break;
        }
        free(base);
        out[i] = name;
    }
    return out;
}

char **h5_dim_names(size_t n, const char *const *ranges, size_t nvars,
                    const char *const *var_names)
{
    /* The variables first, as they were named, then the ranges: the
       variables keep their names and the ranges take the next free ones. */
    const char **all = calloc(nvars + n + 1, sizeof *all);
    if (!all)
        return NULL;
    for (size_t i = 0; i < nvars; i++)
        all[i] = var_names[i];
    for (size_t i = 0; i < n; i++)
        all[nvars + i] = ranges[i];
    char **named = h5_dataset_names(nvars + n, all);
    free(all);
    if (!named)
        return NULL;
    char **out = calloc(n ? n : 1, sizeof *out);
    if (!out) {
        h5_free_strings(named, nvars + n);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        out[i] = named[nvars + i];
        named[nvars + i] = NULL;
    }
    h5_free_strings(named, nvars + n);
    return out;
}
