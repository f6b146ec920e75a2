/*
 * Saved time series: a growable row-major table of doubles.
 */
#include "plansim/series.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"

ps_series *ps_series_new(size_t ncols, const char *const names[])
{
    ps_series *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ncols = ncols;
    s->names = calloc(ncols ? ncols : 1, sizeof *s->names);
    if (!s->names)
        goto fail;
    for (size_t i = 0; i < ncols; i++) {
        s->names[i] = strdup(names[i]);
        if (!s->names[i])
            goto fail;
    }
    return s;
fail:
    ps_series_free(&s);
    return NULL;
}

int ps_series_append(ps_series *s, double t, const double row[])
{
    if (s->nrows == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        double *time = realloc(s->time, cap * sizeof *time);
        if (!time)
            return -1;
        s->time = time;
        double *values =
            realloc(s->values, cap * (s->ncols ? s->ncols : 1) * sizeof *values);
        if (!values)
            return -1;
        s->values = values;
        s->cap = cap;
    }
    s->time[s->nrows] = t;
    if (s->ncols)
        memcpy(s->values + s->nrows * s->ncols, row, s->ncols * sizeof *row);
    s->nrows++;
    return 0;
}

double ps_series_get(const ps_series *s, size_t row, size_t col)
{
    return s->values[row * s->ncols + col];
}

size_t ps_series_find(const ps_series *s, const char *name)
{
    for (size_t i = 0; i < s->ncols; i++)
        if (ps_name_equal(s->names[i], name))
            return i;
    return (size_t)-1;
}

void ps_series_free(ps_series **s)
{
    if (!s || !*s)
        return;
    if ((*s)->names)
        for (size_t i = 0; i < (*s)->ncols; i++)
            free((*s)->names[i]);
    free((*s)->names);
    free((*s)->time);
    free((*s)->values);
    free(*s);
    *s = NULL;
}
