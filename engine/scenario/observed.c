/*
 * `observed:`: what was observed of the model's variables, for
 * calibration to history.
 *
 *   observed:
 *     file: data/history_2015_2025.csv       # .csv, .tab/.tsv or .xlsx
 *     sheet: Sheet1                          # a workbook's sheet
 *     source: "..."
 *     error: {model: normal, cv: 0.02}       # default of every series
 *     series:
 *       gdp real growth: {error: {model: normal, sd: 0.005}, label: ...}
 *       gdp nominal:
 *         error: {model: lognormal, cv: 0.01, by year: {2024: 0.03}}
 *       output growth:
 *         variable: output                   # the key is then a name
 *         measure: growth                    # level | growth | share
 *         lag: 1
 *         column: output growth              # default: the key
 *
 * The section is read whole here, data included (observed_data.c reads
 * the file); observed_check.c checks it against the model.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

static const char *const section_keys[] = {
    "file", "sheet", "source", "from", "to", "error", "series", NULL};
static const char *const series_keys[] = {"variable", "column", "measure",
                                          "lag",      "of",     "error",
                                          "label",    "source", NULL};
static const char *const error_keys[] = {"model", "sd", "cv", "by year", NULL};

/* An error model as written: the model and its scale, and the mapping of
   per-year scales (checked, read again when applied). */
typedef struct err_spec {
    int given;
    ps_obs_error e;
    const ynode *by_year;
} err_spec;

/* What a series says besides its data: the nodes errors point at. */
typedef struct series_spec {
    const ynode *key;
    const ynode *column; /* NULL: the column is named by the key */
    err_spec error;
} series_spec;

static int same_time(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(1, fabs(a));
}

static ps_status read_error_kind(sc_loader *ld, const ynode *v,
                                 ps_obs_error_kind *kind)
{
    static const char *const names[] = {"normal", "lognormal"};
    char *s = NULL;
    ps_status st = sc_text(ld, v, &s);
    if (st)
        return st;
    char norm[64];
    sc_key_norm(s, norm, sizeof norm);
    free(s);
    if (strcmp(norm, "normal") == 0 || strcmp(norm, "lognormal") == 0) {
        *kind = norm[0] == 'n' ? PS_OBS_NORMAL : PS_OBS_LOGNORMAL;
        return PS_OK;
    }
    char hint[96];
    sc_suggestion(norm, names, 2, hint, sizeof hint);
    return sc_fail(ld, v, "unknown error model '%s'%s (normal or lognormal)",
                   v->text, hint);
}

/* A positive number. */
static ps_status positive(sc_loader *ld, const ynode *v, const char *what,
                          double *out)
{
    ps_status st = sc_number(ld, v, out);
    if (st == PS_OK && !(*out > 0))
        return sc_fail(ld, v, "%s must be positive, not %g", what, *out);
    return st;
}

/* `by year: {2024: 0.03, ...}`: times once each, scales positive. */
static ps_status check_by_year(sc_loader *ld, const ynode *m)
{
    ps_status st = sc_expect_map(ld, m,
                                 "a mapping of years to scales, such as "
                                 "{2024: 0.03}");
    for (size_t i = 0; st == PS_OK && i < m->n; i++) {
        double t, scale, u;
        if ((st = sc_number(ld, m->keys[i], &t)) ||
            (st = positive(ld, m->vals[i], "a scale", &scale)))
            return st;
        for (size_t j = 0; j < i; j++)
            if (sc_number(ld, m->keys[j], &u) == PS_OK && same_time(t, u))
                return sc_fail(ld, m->keys[i],
                               "the year %g is given twice (also at line %d)",
                               t, m->keys[j]->where.loc.line);
    }
    return st;
}

/* {model: normal|lognormal, sd: X | cv: X, by year: {...}} under key k. */
static ps_status read_error(sc_loader *ld, const ynode *k, const ynode *v,
                            err_spec *out)
{
    ps_status st = sc_expect_map(ld, v,
                                 "an error model such as {model: normal, "
                                 "sd: 0.01}");
    if (st || (st = sc_check_keys(ld, v, error_keys, "in an error model")))
        return st;
    const ynode *model = sc_get(v, "model", NULL);
    const ynode *sd = sc_get(v, "sd", NULL), *cv = sc_get(v, "cv", NULL);
    if (!model)
        return sc_fail(ld, sc_item_node(k, v),
                       "an error model needs 'model:' (normal or lognormal)");
    if ((st = read_error_kind(ld, model, &out->e.kind)))
        return st;
    if (sd && cv)
        return sc_fail(ld, cv, "give the error's 'sd:' or its 'cv:', not both");
    if (!sd && !cv)
        return sc_fail(ld, sc_item_node(k, v),
                       "an error model needs 'sd:' (in the units of the "
                       "data) or 'cv:' (in proportion to the observed "
                       "value)");
    out->e.relative = cv != NULL;
    if ((st = positive(ld, cv ? cv : sd, cv ? "cv" : "sd", &out->e.scale)))
        return st;
    out->by_year = sc_get(v, "by year", NULL);
    if (out->by_year && (st = check_by_year(ld, out->by_year)))
        return st;
    out->given = 1;
    return PS_OK;
}

static ps_status read_measure(sc_loader *ld, const ynode *v, ps_obs_kind *kind)
{
    static const char *const names[] = {"level", "growth", "share"};
    char *s = NULL;
    ps_status st = sc_text(ld, v, &s);
    if (st)
        return st;
    char norm[64];
    sc_key_norm(s, norm, sizeof norm);
    free(s);
    for (int i = 0; i < 3; i++)
        if (strcmp(norm, names[i]) == 0) {
            *kind = i == 0   ? PS_OBS_LEVEL
                    : i == 1 ? PS_OBS_GROWTH
                             : PS_OBS_SHARE;
            return PS_OK;
        }
    char hint[96];
    sc_suggestion(norm, names, 3, hint, sizeof hint);
    return sc_fail(ld, v, "unknown measure '%s'%s (level, growth or share)",
                   v->text, hint);
}

/* measure:, lag: and of: of series s (item v). */
static ps_status read_kind(sc_loader *ld, const ynode *k, const ynode *v,
                           ps_sc_obs_series *s)
{
    const ynode *measure = sc_get(v, "measure", NULL);
    const ynode *lag = sc_get(v, "lag", NULL), *of = sc_get(v, "of", NULL);
    ps_status st = PS_OK;
    s->kind = PS_OBS_LEVEL;
    if (measure && (st = read_measure(ld, measure, &s->kind)))
        return st;
    if (lag && s->kind != PS_OBS_GROWTH)
        return sc_fail(ld, lag,
                       "'lag:' is for a growth rate (measure: growth)");
    if (of && s->kind != PS_OBS_SHARE)
        return sc_fail(ld, of, "'of:' is for a share (measure: share)");
    if (s->kind == PS_OBS_GROWTH) {
        s->lag = 1;
        if (lag && (st = sc_number(ld, lag, &s->lag)))
            return st;
        if (!(s->lag > 0))
            return sc_fail(ld, lag,
                           "the lag of a growth rate must be positive, not %g",
                           s->lag);
    }
    if (s->kind == PS_OBS_SHARE) {
        if (!of)
            return sc_fail(ld, sc_item_node(k, v),
                           "a share needs 'of:', the variable it is a share "
                           "of");
        if ((st = sc_ref_read(ld, of, &s->of, &s->of_ref)))
            return st;
        s->of_where = of->where;
    }
    return PS_OK;
}

/* The series under key k (value v, which may be empty: every default). */
static ps_status read_series(sc_loader *ld, const ynode *k, const ynode *v,
                             const err_spec *def, series_spec *spec,
                             ps_sc_obs_series *s)
{
    ps_status st;
    spec->key = k;
    if (v->kind == Y_SCALAR && v->null)
        v = NULL;
    if (v &&
        ((st = sc_expect_map(ld, v,
                             "a mapping (variable:, column:, measure:, "
                             "error:, ...)")) ||
         (st = sc_check_keys(ld, v, series_keys, "in an observed series"))))
        return st;
    const ynode *var = sc_get(v, "variable", NULL);
    if ((st = sc_ref_read(ld, var ? var : k, &s->name, &s->ref)))
        return st;
    s->where = k->where;
    spec->column = sc_get(v, "column", NULL);
    if (spec->column && (st = sc_text(ld, spec->column, &s->column)))
        return st;
    if (!spec->column && !(s->column = strdup(k->text)))
        return sc_nomem(ld);
    if ((st = read_kind(ld, k, v, s)))
        return st;
    ynode *error_key;
    const ynode *error = sc_get(v, "error", &error_key);
    if (error && (st = read_error(ld, error_key, error, &spec->error)))
        return st;
    if (!error && !def->given)
        return sc_fail(ld, sc_item_node(k, v),
                       "the series '%s' has no error model: give it "
                       "'error: {model: normal, sd: ...}', or give "
                       "'observed:' a default 'error:'",
                       k->text);
    return v ? sc_labels(ld, v, &s->label, &s->source) : PS_OK;
}

/* "2020, 2024, 2025" of a series' times, cut short when long. */
static void list_times(const ps_sc_obs_series *s, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t j = 0; j < s->n && o + 1 < size; j++) {
        if (o > 120) {
            snprintf(buf + o, size - o, ", ...");
            return;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%g", j ? ", " : "",
                              s->time[j]);
    }
}

/* Gives series s its errors: the model in es, with the scales of
   es->by_year at their times.  used[i] is set for each year that matched
   an observation; a year of the series' own error that matches none is an
   error. */
static ps_status give_errors(sc_loader *ld, ps_sc_obs_series *s,
                             const err_spec *es, int own, unsigned char *used,
                             double from, double to)
{
    s->error = calloc(s->n + 1, sizeof *s->error);
    if (!s->error)
        return sc_nomem(ld);
    for (size_t j = 0; j < s->n; j++)
        s->error[j] = es->e;
    for (size_t i = 0; es->by_year && i < es->by_year->n; i++) {
        double t, scale;
        /* checked when read */
        sc_number(ld, es->by_year->keys[i], &t);
        sc_number(ld, es->by_year->vals[i], &scale);
        if (t < from || t > to) { /* a year the window leaves out */
            used[i] = 1;
            continue;
        }
        size_t j = 0;
        while (j < s->n && !same_time(s->time[j], t))
            j++;
        if (j < s->n) {
            s->error[j].scale = scale;
            used[i] = 1;
            continue;
        }
        if (own) {
            char times[160];
            list_times(s, times, sizeof times);
            return sc_fail(ld, es->by_year->keys[i],
                           "column '%s' has no observation at %g (it has %s)",
                           s->column, t, times);
        }
    }
    return PS_OK;
}

/* The error model fits the observations: a lognormal one needs them
   positive, a normal one in proportion (cv) needs them non-zero. */
static ps_status check_values(sc_loader *ld, sc_obs_table *t, size_t col,
                              const ps_sc_obs_series *s)
{
    for (size_t j = 0; j < s->n; j++) {
        const ps_obs_error *e = &s->error[j];
        if (e->kind == PS_OBS_LOGNORMAL && !(s->value[j] > 0))
            return sc_obs_table_fail(ld, t, col, s, j,
                                     "a lognormal error needs positive "
                                     "observations, and column '%s' has %g "
                                     "at %g",
                                     s->column, s->value[j], s->time[j]);
        if (e->kind == PS_OBS_NORMAL && e->relative && s->value[j] == 0)
            return sc_obs_table_fail(ld, t, col, s, j,
                                     "column '%s' is 0 at %g, where an error "
                                     "in proportion (cv) is 0 too; give the "
                                     "series an 'sd:'",
                                     s->column, s->time[j]);
    }
    return PS_OK;
}

/* Leaves out the observations of s outside [from, to]. */
static void keep_window(ps_sc_obs_series *s, double from, double to)
{
    size_t k = 0;
    for (size_t j = 0; j < s->n; j++) {
        if (s->time[j] < from || s->time[j] > to)
            continue;
        s->time[k] = s->time[j];
        s->value[k] = s->value[j];
        if (s->cell)
            s->cell[k] = s->cell[j];
        k++;
    }
    s->n = k;
}

/* The data of every series, and their errors. */
static ps_status read_data(sc_loader *ld, const ynode *file, const ynode *sheet,
                           const series_spec *specs, const err_spec *def)
{
    ps_sc_observed *o = ld->sc->observed;
    sc_obs_table *t = NULL;
    size_t *cols = calloc(o->nseries + 1, sizeof *cols);
    size_t ndef = def->by_year ? def->by_year->n : 0;
    unsigned char *used = calloc(ndef + 1, 1);
    ps_status st =
        cols && used ? sc_obs_table_open(ld, o, file, sheet, &t) : sc_nomem(ld);
    for (size_t i = 0; st == PS_OK && i < o->nseries; i++)
        st = sc_obs_table_column(
            ld, t, o->series[i].column,
            specs[i].column ? specs[i].column : specs[i].key, &cols[i]);
    if (st == PS_OK)
        st = sc_obs_table_read(ld, t, cols, o->series, o->nseries);
    /* A series may have no observation in the window (a hold-out window
       that one series does not reach): it then counts none, as long as
       some series has one there. */
    size_t in_window = 0;
    for (size_t i = 0; st == PS_OK && i < o->nseries; i++) {
        ps_sc_obs_series *s = &o->series[i];
        const series_spec *sp = &specs[i];
        size_t in_file = s->n;
        keep_window(s, o->from, o->to);
        in_window += s->n;
        if (s->n == 0 && in_file > 0)
            continue;
        if (s->n == 0) {
            st = sc_fail(ld, sp->key,
                         "the series '%s' has no observations (column '%s' "
                         "of '%s' is empty)",
                         sp->key->text, s->column, o->file);
            break;
        }
        /* the years of a series' own error are marked apart from the
           default's */
        int own = sp->error.given;
        unsigned char *mark = own && sp->error.by_year
                                  ? calloc(sp->error.by_year->n + 1, 1)
                                  : used;
        if (!mark) {
            st = sc_nomem(ld);
            break;
        }
        st = give_errors(ld, s, own ? &sp->error : def, own, mark, o->from,
                         o->to);
        if (mark != used)
            free(mark);
        if (st == PS_OK)
            st = check_values(ld, t, cols[i], s);
    }
    if (st == PS_OK && in_window == 0) {
        char window[96];
        if (o->to == INFINITY)
            snprintf(window, sizeof window, "from %g on", o->from);
        else if (o->from == -INFINITY)
            snprintf(window, sizeof window, "up to %g", o->to);
        else
            snprintf(window, sizeof window, "from %g to %g", o->from, o->to);
        st = sc_fail(ld, file, "no series has an observation %s", window);
    }
    /* a year of the default error that no series using it observed */
    for (size_t i = 0; st == PS_OK && i < ndef; i++)
        if (!used[i]) {
            double year;
            sc_number(ld, def->by_year->keys[i], &year);
            st = sc_fail(ld, def->by_year->keys[i],
                         "no series that takes this default error has an "
                         "observation at %g",
                         year);
        }
    sc_obs_table_free(t);
    free(cols);
    free(used);
    return st;
}

static ps_status read_section(sc_loader *ld, const ynode *key,
                              const ynode *section, series_spec **specs)
{
    ps_sc_observed *o = ld->sc->observed;
    const ynode *file = sc_get(section, "file", NULL);
    const ynode *sheet = sc_get(section, "sheet", NULL);
    const ynode *source = sc_get(section, "source", NULL);
    ynode *error_key, *series_key;
    const ynode *error = sc_get(section, "error", &error_key);
    const ynode *series = sc_get(section, "series", &series_key);
    ps_status st;
    if (!file)
        return sc_fail(ld, key,
                       "'observed:' needs 'file:', the data file (.csv, "
                       ".tab or .xlsx)");
    char *rel = NULL;
    if ((st = sc_text(ld, file, &rel)))
        return st;
    o->file = sc_resolve_path(file->where.file, rel);
    free(rel);
    if (!o->file)
        return sc_nomem(ld);
    o->file_where = file->where;
    if ((sheet && (st = sc_text(ld, sheet, &o->sheet))) ||
        (source && (st = sc_text(ld, source, &o->source))))
        return st;
    const ynode *from = sc_get(section, "from", NULL);
    const ynode *to = sc_get(section, "to", NULL);
    o->from = -INFINITY;
    o->to = INFINITY;
    if ((from && (st = sc_number(ld, from, &o->from))) ||
        (to && (st = sc_number(ld, to, &o->to))))
        return st;
    if (from && to && o->to < o->from)
        return sc_fail(ld, to, "'to: %g' is before 'from: %g'", o->to,
                       o->from);
    err_spec def = {0};
    if (error && (st = read_error(ld, error_key, error, &def)))
        return st;
    if (!series)
        return sc_fail(ld, key,
                       "'observed:' needs 'series:', the model variables "
                       "observed");
    if ((st = sc_expect_map(ld, series,
                            "a mapping of series (model variables) to what "
                            "is observed of them")))
        return st;
    if (series->n == 0)
        return sc_fail(ld, sc_item_node(series_key, series),
                       "'series:' names no series");
    o->series = calloc(series->n + 1, sizeof *o->series);
    *specs = calloc(series->n + 1, sizeof **specs);
    if (!o->series || !*specs)
        return sc_nomem(ld);
    for (size_t i = 0; i < series->n; i++) {
        ps_sc_obs_series *s = &o->series[o->nseries++];
        if ((st = read_series(ld, series->keys[i], series->vals[i], &def,
                              &(*specs)[i], s)))
            return st;
    }
    return read_data(ld, file, sheet, *specs, &def);
}

ps_status sc_build_observed(sc_loader *ld, const ynode *key,
                            const ynode *section)
{
    ps_status st =
        sc_expect_map(ld, section, "a mapping (file:, series:, error:, ...)");
    if (st || (st = sc_check_keys(ld, section, section_keys, "in 'observed'")))
        return st;
    ld->sc->observed = calloc(1, sizeof *ld->sc->observed);
    if (!ld->sc->observed)
        return sc_nomem(ld);
    series_spec *specs = NULL;
    st = read_section(ld, key, section, &specs);
    free(specs);
    return st;
}

void sc_observed_free(ps_sc_observed *o)
{
    if (!o)
        return;
    free(o->file);
    free(o->sheet);
    free(o->source);
    for (size_t i = 0; i < o->nseries; i++) {
        ps_sc_obs_series *s = &o->series[i];
        free(s->name);
        ps_sc_ref_free(&s->ref);
        free(s->column);
        free(s->of);
        ps_sc_ref_free(&s->of_ref);
        free(s->time);
        free(s->value);
        free(s->error);
        free(s->label);
        free(s->source);
        free(s->cell);
    }
    free(o->series);
    free(o);
}
