/*
 * Comparing a simulated series with a conformance case's expected output,
 * by the rule of SDXorg/test-models' regression-test.py.
 */
#include "plansim_study/conform.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"
#include "plansim_output/table.h"

/* Python's math.isclose as the suite defines it (method "weak"): the
   tolerance scales with the larger of the two magnitudes. */
static int isclose(double a, double b, double rel_tol, double abs_tol)
{
    if (a == b)
        return 1;
    if (isinf(a) || isinf(b))
        return 0;
    double diff = fabs(b - a);
    return diff <= fabs(rel_tol * b) || diff <= fabs(rel_tol * a) ||
           diff <= abs_tol;
}

int ps_conform_close(double expected, double simulated)
{
    /* isclose's default rel_tol (1e-9) as the suite calls it */
    int around_zero =
        isclose(expected, 0, 1e-9, 1e-6) && isclose(simulated, 0, 1e-9, 1e-6);
    return around_zero || isclose(expected, simulated, 1e-4, 0);
}

int ps_conform_close_within(double expected, double simulated,
                            double resolution)
{
    return ps_conform_close(expected, simulated) ||
           fabs(expected - simulated) <= resolution;
}

int ps_conform_ignored(const char *name)
{
    static const char *const ignored[] = {"saveper", "initial_time",
                                          "final_time", "time_step"};
    char *key = ps_name_key(name, strlen(name));
    int hit = 0;
    for (size_t i = 0; key && i < sizeof ignored / sizeof ignored[0]; i++)
        hit |= strcmp(key, ignored[i]) == 0;
    free(key);
    return hit;
}

/* Time tolerance: a millionth of the smallest saving interval. */
static double time_tolerance(const ps_series *s)
{
    double step = 0;
    for (size_t r = 1; r < s->nrows; r++) {
        double d = s->time[r] - s->time[r - 1];
        if (d > 0 && (step == 0 || d < step))
            step = d;
    }
    return 1e-6 * (step > 0 ? step : 1);
}

/* Row of `s` saved at time t (within tol), searching from *from on; times
   are increasing.  Returns (size_t)-1 when there is none. */
static size_t find_row(const ps_series *s, double t, double tol, size_t *from)
{
    size_t r = *from;
    while (r < s->nrows && s->time[r] < t - tol)
        r++;
    *from = r;
    if (r < s->nrows && fabs(s->time[r] - t) <= tol)
        return r;
    return (size_t)-1;
}

/* For each expected column, the simulated column, or (size_t)-1 for an
   ignored one.  Returns 1 and a message when a column is missing. */
static int match_columns(const ps_series *expected, const ps_series *simulated,
                         size_t *map, char *msg, size_t size)
{
    for (size_t c = 0; c < expected->ncols; c++) {
        const char *name = expected->names[c];
        map[c] = (size_t)-1;
        if (ps_conform_ignored(name))
            continue;
        map[c] = ps_series_find(simulated, name);
        if (map[c] == (size_t)-1) {
            snprintf(msg, size, "variable '%s' is not in the model", name);
            return 1;
        }
    }
    return 0;
}

int ps_conform_compare(const ps_series *expected, const ps_series *resolution,
                       const ps_series *simulated, char *msg, size_t size)
{
    char a[PS_TABLE_NUMBER_MAX], b[PS_TABLE_NUMBER_MAX], g[PS_TABLE_NUMBER_MAX];
    size_t *map = malloc((expected->ncols ? expected->ncols : 1) * sizeof *map);
    if (!map)
        return -1;
    int failed = match_columns(expected, simulated, map, msg, size);
    double tol = time_tolerance(simulated);
    size_t from = 0;
    for (size_t r = 0; !failed && r < expected->nrows; r++) {
        double t = expected->time[r];
        size_t sr = find_row(simulated, t, tol, &from);
        if (sr == (size_t)-1) {
            snprintf(msg, size, "no simulated values at time %s",
                     ps_table_format_number(t, a));
            failed = 1;
            break;
        }
        for (size_t c = 0; c < expected->ncols; c++) {
            double e = ps_series_get(expected, r, c);
            if (map[c] == (size_t)-1 || isnan(e))
                continue; /* ignored column, or a cell left empty */
            double s = ps_series_get(simulated, sr, map[c]);
            double res = resolution ? ps_series_get(resolution, r, c) : 0;
            if (!ps_conform_close_within(e, s, res)) {
                snprintf(msg, size,
                         "variable '%s' at time %s: expected %s, got %s",
                         expected->names[c], ps_table_format_number(t, a),
                         ps_table_format_number(e, b),
                         isnan(s) ? "nan" : ps_table_format_number(s, g));
                failed = 1;
                break;
            }
        }
    }
    free(map);
    return failed;
}
