/*
 * plansim: saved time series of one run.
 *
 * A ps_series is a table: one row per saved time, one column per variable.
 * Values are stored row-major (values[row * ncols + col]); a missing value
 * (an empty cell in a file read back) is NaN.
 */
#ifndef PLANSIM_SERIES_H
#define PLANSIM_SERIES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_series {
    size_t ncols;
    char **names;   /* ncols column names (without the Time column) */
    size_t nrows;
    size_t cap;     /* rows allocated */
    double *time;   /* nrows times */
    double *values; /* nrows * ncols values, row-major */
} ps_series;

/* A new empty series with copies of the ncols names; the caller owns it.
   NULL when memory runs out. */
ps_series *ps_series_new(size_t ncols, const char *const names[]);

/* Appends one row: time t and ncols values (copied).  0, or -1 on no memory. */
int ps_series_append(ps_series *s, double t, const double row[]);

/* The value at (row, col). */
double ps_series_get(const ps_series *s, size_t row, size_t col);

/* The column named `name` (compared as model names are), or (size_t)-1. */
size_t ps_series_find(const ps_series *s, const char *name);

/* Frees the series and sets *s to NULL.  NULL is allowed. */
void ps_series_free(ps_series **s);

#ifdef __cplusplus
}
#endif
#endif
