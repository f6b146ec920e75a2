/*
 * plansim fit: the observed table.  Reads it, matches its columns to
 * model variables and its times to steps of the run, and locates every
 * error at its cell (file:line:col) by walking the text again.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim_study/fit.h"
#include "plansim/csv.h"
#include "plansim/element.h"
#include "plansim/file.h"
#include "plansim_output/table.h"

/* A row of empty cells only (a blank line, or separators alone), which
   the table reader skips. */
static int row_is_blank(const ps_csv_row *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->fields[i].len > 0 || r->fields[i].quoted)
            return 0;
    return 1;
}

/*
 * Where cell `cell` of row `row` (0: the header; then the data rows in
 * order, blank rows not counted) of a table file starts, for errors: the
 * table reader keeps no positions, so the text is tokenized again by the
 * same reader (plansim/csv.h).  A cell past the end of its row is placed
 * at the row's start.  0 when the file cannot be read again.
 */
static void locate_cell(const char *path, size_t row, size_t cell, int *line,
                        int *col)
{
    *line = *col = 0;
    char *text;
    size_t len;
    ps_error ignored;
    if (ps_file_read_input(path, &text, &len, &ignored) != PS_OK)
        return;
    ps_table_format fmt;
    char sep = ',';
    if (ps_table_format_from_path(path, &fmt) == 0)
        sep = ps_table_separator(fmt);
    else if (memchr(text, '\t', strcspn(text, "\r\n")))
        sep = '\t'; /* decided on the first line */
    ps_csv_reader rd;
    ps_csv_row r = {0};
    ps_csv_reader_init(&rd, text, len, sep, path);
    size_t k = 0;
    while (ps_csv_read_row(&rd, &r, &ignored) == PS_OK && r.n > 0) {
        if (row_is_blank(&r) || k++ < row)
            continue;
        const ps_csv_field *f = &r.fields[cell < r.n ? cell : 0];
        *line = f->line;
        *col = cell < r.n ? f->column : 1;
        break;
    }
    ps_csv_row_free(&r);
    free(text);
}

/* An error in the data file at cell (row, cell) as locate_cell counts
   them. */
static ps_status data_error(const char *path, size_t row, size_t cell,
                            ps_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static ps_status data_error(const char *path, size_t row, size_t cell,
                            ps_error *err, const char *fmt, ...)
{
    int line, col;
    locate_cell(path, row, cell, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(err, PS_ERR_DATA, path, line, col, fmt, ap);
    va_end(ap);
    return PS_ERR_DATA;
}

void fit_data_free(fit_data *d)
{
    ps_series_free(&d->obs);
    free(d->vars);
    free(d->elems);
    free(d->steps);
    free(d->sim);
}

/* Each column names a model variable that has values over time, once. */
static ps_status match_columns(fit_data *d, const ps_program *prog,
                               ps_error *err)
{
    const ps_series *o = d->obs;
    for (size_t j = 0; j < o->ncols; j++) {
        size_t var, elem;
        ps_error why;
        ps_status st = ps_element_find(prog, o->names[j], &var, &elem, &why);
        if (st == PS_ERR_NOMEM)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                "out of memory");
        if (st != PS_OK && strchr(o->names[j], '['))
            return data_error(d->path, 0, j + 1, err, "column '%s': %s",
                              o->names[j], why.message);
        if (st != PS_OK) {
            char *end;
            strtod(o->names[j], &end);
            /* A header of numbers: times run across, not down. */
            const char *hint = *end == '\0' && end != o->names[j]
                                   ? " (times go down the first column, one "
                                     "variable per column)"
                                   : "";
            return data_error(d->path, 0, j + 1, err,
                              "column '%s' names no variable of %s%s",
                              o->names[j], ps_program_path(prog), hint);
        }
        if (elem == PS_ALL_ELEMENTS && ps_program_var_ndims(prog, var) > 0) {
            char *one = ps_program_element_name(prog, var, 0);
            ps_status bad = data_error(
                d->path, 0, j + 1, err,
                "column '%s' names a subscripted variable: give one column "
                "per element, named as Vensim writes them ('%s')",
                o->names[j], one ? one : o->names[j]);
            free(one);
            return bad;
        }
        if (elem == PS_ALL_ELEMENTS)
            elem = 0;
        if (ps_program_var_class(prog, var) == PS_CLASS_LOOKUP)
            return data_error(d->path, 0, j + 1, err,
                              "column '%s' names a lookup, which has no "
                              "values over time",
                              o->names[j]);
        for (size_t i = 0; i < j; i++)
            if (d->vars[i] == var && d->elems[i] == elem)
                return data_error(d->path, 0, j + 1, err,
                                  "column '%s' names the same variable as "
                                  "column %zu ('%s')",
                                  o->names[j], i + 2, o->names[i]);
        d->vars[j] = var;
        d->elems[j] = elem;
    }
    return PS_OK;
}

/* Each row's time falls on a step of the run (a saved one when SAVEPER
   could not be changed), once; values are numbers or missing. */
ps_status fit_data_match_rows(fit_data *d, const ps_time_settings *ts,
                              int every_step, ps_error *err)
{
    const ps_series *o = d->obs;
    uint64_t nsteps = (uint64_t)llround((ts->final_time - ts->initial_time) /
                                        ts->time_step);
    long long save_every = llround(ts->saveper / ts->time_step);
    for (size_t i = 0; i < o->nrows; i++) {
        double t = o->time[i], k = round((t - ts->initial_time) / ts->time_step);
        double on_step = ts->initial_time + k * ts->time_step;
        if (k < 0 || k > (double)nsteps)
            return data_error(d->path, i + 1, 0, err,
                              "time %g is outside the run, from INITIAL TIME "
                              "%g to FINAL TIME %g",
                              t, ts->initial_time, ts->final_time);
        /* Observed times are written in decimal, steps are sums of binary
           fractions: 2020.3 and 2020 + 3 * 0.1 differ in the last bits. */
        if (fabs(t - on_step) > 1e-6 * ts->time_step)
            return data_error(d->path, i + 1, 0, err,
                              "time %g falls between time steps (INITIAL "
                              "TIME %g, TIME STEP %g)",
                              t, ts->initial_time, ts->time_step);
        d->steps[i] = (uint64_t)k;
        if (!every_step && save_every > 1 && d->steps[i] % save_every != 0)
            return data_error(d->path, i + 1, 0, err,
                              "time %g is not a saved time: SAVEPER (%g) is "
                              "not a constant, so the run cannot save every "
                              "TIME STEP",
                              t, ts->saveper);
        for (size_t p = 0; p < i; p++) {
            if (d->steps[p] != d->steps[i])
                continue;
            int line, col;
            locate_cell(d->path, p + 1, 0, &line, &col);
            return data_error(d->path, i + 1, 0, err,
                              "time %g appears twice (first on line %d)", t,
                              line);
        }
        for (size_t j = 0; j < o->ncols; j++) {
            double v = o->values[i * o->ncols + j];
            if (isinf(v))
                return data_error(d->path, i + 1, j + 1, err,
                                  "observed value of '%s' is infinite",
                                  o->names[j]);
        }
    }
    return PS_OK;
}

ps_status fit_data_prepare(const char *path, const ps_program *prog,
                           fit_data *d, ps_error *err)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    ps_status st = ps_table_read_file(path, &d->obs, err);
    if (st != PS_OK)
        return st;
    size_t nr = d->obs->nrows, nc = d->obs->ncols;
    if (nc == 0)
        return data_error(path, 0, 0, err,
                          "no variable columns after the time column");
    d->vars = calloc(nc, sizeof *d->vars);
    d->elems = calloc(nc, sizeof *d->elems);
    d->steps = calloc(nr ? nr : 1, sizeof *d->steps);
    d->sim = malloc((nr > 0 && nc > 0 ? nr * nc : 1) * sizeof *d->sim);
    if (!d->vars || !d->elems || !d->steps || !d->sim)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < nr * nc; i++)
        d->sim[i] = NAN;
    return match_columns(d, prog, err);
}
