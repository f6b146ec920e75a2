/*
 * The shape of a saved variable in a file: a scalar is (run, time); a
 * subscripted variable (run, time, range 1, ...), each range a dimension
 * whose coordinate holds the element names.  Readers (the summary, the
 * summary reader, scenario discovery) find a variable's elements here,
 * from the file alone.
 */
#include "h5_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"

void h5_shape_free(h5_shape *s)
{
    for (size_t k = 0; k < s->ndims; k++) {
        free(s->dim[k]);
        h5_free_strings(s->elements[k], s->n[k]);
    }
    memset(s, 0, sizeof *s);
}

/* H5DSiterate_scales visitor: the path of the axis's first scale (the
   scale's id is the library's, closed after the visit). */
static herr_t scale_path(hid_t dset, unsigned axis, hid_t scale, void *data)
{
    (void)dset;
    (void)axis;
    char **out = data;
    ssize_t len = H5Iget_name(scale, NULL, 0);
    *out = len > 0 ? malloc((size_t)len + 1) : NULL;
    if (*out && H5Iget_name(scale, *out, (size_t)len + 1) < 0) {
        free(*out);
        *out = NULL;
    }
    return 1; /* stop: one scale per axis */
}

int h5_shape_read(hid_t d, h5_shape *s)
{
    memset(s, 0, sizeof *s);
    s->size = 1;
    hid_t space = H5Dget_space(d);
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    hsize_t dims[2 + H5_MAX_RANGES];
    int rc = rank >= 2 && rank <= 2 + H5_MAX_RANGES &&
                     H5Sget_simple_extent_dims(space, dims, NULL) >= 0
                 ? 0
                 : -1;
    if (space >= 0)
        H5Sclose(space);
    if (rc < 0)
        return -1;
    for (int k = 2; k < rank && rc == 0; k++) {
        size_t i = s->ndims++;
        s->n[i] = (size_t)dims[k];
        s->size *= s->n[i];
        char *path = NULL;
        int idx = 0;
        if (H5DSiterate_scales(d, (unsigned)k, &idx, scale_path, &path) < 0 ||
            !path) {
            free(path);
            rc = -1;
            break;
        }
        const char *base = strrchr(path, '/');
        s->dim[i] = strdup(base ? base + 1 : path);
        /* the scale by its full path, from the dataset's file */
        if (!s->dim[i] ||
            h5_read_strings(d, path, s->n[i], &s->elements[i]) < 0)
            rc = -1;
        free(path);
    }
    if (rc < 0)
        h5_shape_free(s);
    return rc;
}

/* Position of element text[0..len) in range k, or -1. */
static long position(const h5_shape *s, size_t k, const char *text, size_t len)
{
    char *key = ps_name_key(text, len);
    if (!key)
        return -1;
    long found = -1;
    for (size_t e = 0; e < s->n[k] && found < 0; e++) {
        char *ek = ps_name_key(s->elements[k][e], strlen(s->elements[k][e]));
        if (ek && strcmp(ek, key) == 0)
            found = (long)e;
        free(ek);
    }
    free(key);
    return found;
}

size_t h5_shape_find(const h5_shape *s, const char *model_name,
                     const char *text)
{
    if (strcmp(text, model_name) == 0)
        return s->ndims == 0 ? 0 : (size_t)-1;
    size_t n = strlen(model_name);
    if (s->ndims == 0 || strncmp(text, model_name, n) != 0)
        return (size_t)-1;
    const char *p = text + n;
    while (*p == ' ')
        p++;
    if (*p != '[')
        return (size_t)-1;
    p++;
    size_t flat = 0;
    for (size_t k = 0; k < s->ndims; k++) {
        const char *end = p;
        while (*end && *end != ',' && *end != ']')
            end++;
        if (!*end || (k + 1 < s->ndims) != (*end == ','))
            return (size_t)-1;
        const char *a = p, *b = end;
        while (a < b && *a == ' ')
            a++;
        while (b > a && b[-1] == ' ')
            b--;
        long pos = position(s, k, a, (size_t)(b - a));
        if (pos < 0)
            return (size_t)-1;
        flat = flat * s->n[k] + (size_t)pos;
        p = end + 1;
    }
    while (*p == ' ')
        p++;
    return *p ? (size_t)-1 : flat;
}

char *h5_shape_element(const h5_shape *s, size_t flat)
{
    size_t pos[H5_MAX_RANGES], len = 1;
    for (size_t k = s->ndims; k-- > 0;) {
        pos[k] = flat % s->n[k];
        flat /= s->n[k];
        len += strlen(s->elements[k][pos[k]]) + 1;
    }
    char *t = malloc(len);
    if (!t)
        return NULL;
    size_t o = 0;
    t[0] = '\0';
    for (size_t k = 0; k < s->ndims; k++)
        o += (size_t)snprintf(t + o, len - o, "%s%s", k ? "," : "",
                              s->elements[k][pos[k]]);
    return t;
}
