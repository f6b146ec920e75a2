/*
 * Reading what scenario discovery needs from an ensemble file: one
 * target's definition from /summary, its variable at the target's time
 * in every ok run, and the sampled inputs of those runs from
 * param_value(run, param).
 */
#include "h5_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/ensemble.h"
#include "plansim/suggest.h"

void ps_h5_discover_free(ps_h5_discover_data **dp)
{
    if (!dp || !*dp)
        return;
    ps_h5_discover_data *d = *dp;
    free(d->title);
    free(d->time_units);
    free(d->target);
    free(d->target_label);
    free(d->variable);
    free(d->units);
    free(d->run);
    free(d->value);
    free(d->met);
    for (size_t j = 0; j < d->ninputs; j++) {
        free(d->inputs[j].name);
        free(d->inputs[j].label);
        free(d->inputs[j].source);
        free(d->inputs[j].distribution);
    }
    free(d->inputs);
    free(d->x);
    free(d);
    *dp = NULL;
}

/* A text attribute, or "" when absent; NULL only when out of memory. */
static char *text_or_empty(hid_t obj, const char *name)
{
    char *t = NULL;
    if (h5_attr_read_text(obj, name, &t) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return strdup("");
    }
    return t;
}

/* n strings of dataset `name`, or n empty strings when it is absent.
   0 or -1. */
static int strings_or_empty(hid_t loc, const char *name, size_t n,
                            char ***out)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) > 0)
        return h5_read_strings(loc, name, n, out);
    H5Eclear2(H5E_DEFAULT);
    *out = calloc(n ? n : 1, sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!((*out)[i] = strdup("")))
            return -1;
    return 0;
}

/* ", " separated target names for a message, cut to fit buf. */
static void list_names(char **names, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         names[i]);
        used += k > 0 ? (size_t)k : 0;
    }
}

/* Finds the target `name` in /summary and copies its definition. */
static ps_status read_target(hid_t file, const char *path, const char *name,
                             ps_h5_discover_data *d, ps_error *err)
{
    if (H5Lexists(file, H5N_SUMMARY, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "the file has no targets (no summary group)");
    }
    hid_t g = H5Gopen2(file, H5N_SUMMARY, H5P_DEFAULT);
    long long nt = g >= 0 ? h5_length(g, H5N_TARGET) : -1;
    H5Eclear2(H5E_DEFAULT);
    if (nt <= 0) {
        if (g >= 0)
            H5Gclose(g);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "the ensemble has no targets: scenario discovery "
                            "needs a target in the scenario");
    }
    size_t n = (size_t)nt;
    char **names = NULL, **labels = NULL, **vars = NULL;
    double *time = malloc(n * sizeof *time), *lo = malloc(n * sizeof *lo);
    double *hi = malloc(n * sizeof *hi);
    signed char *cmp = malloc(n);
    ps_status st = PS_OK;
    if (!time || !lo || !hi || !cmp ||
        h5_read_strings(g, H5N_TARGET, n, &names) < 0 ||
        strings_or_empty(g, "target_label", n, &labels) < 0 ||
        h5_read_strings(g, "target_variable", n, &vars) < 0 ||
        h5_read_all(g, "target_time", H5T_NATIVE_DOUBLE, n, time) < 0 ||
        h5_read_all(g, "target_lo", H5T_NATIVE_DOUBLE, n, lo) < 0 ||
        h5_read_all(g, "target_hi", H5T_NATIVE_DOUBLE, n, hi) < 0 ||
        h5_read_all(g, "target_compare", H5T_NATIVE_SCHAR, n, cmp) < 0) {
        st = h5_fail(err, PS_ERR_DATA, path,
                     "cannot read the target definitions");
        goto done;
    }
    size_t i = 0;
    while (i < n && strcmp(names[i], name) != 0)
        i++;
    if (i == n) {
        char list[512];
        list_names(names, n, list, sizeof list);
        const char *near = ps_nearest(name, (const char *const *)names, n);
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                          "no target '%s' (the targets are: %s)%s%s%s", name,
                          list, near ? "; did you mean '" : "",
                          near ? near : "", near ? "'?" : "");
        goto done;
    }
    if (cmp[i] < PS_SC_AT_LEAST || cmp[i] > PS_SC_BETWEEN) {
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                          "target '%s' has an unknown rule (%d)", name,
                          (int)cmp[i]);
        goto done;
    }
    d->target = names[i];
    d->target_label = labels[i];
    d->variable = vars[i];
    names[i] = labels[i] = vars[i] = NULL;
    d->time = time[i];
    d->compare = (ps_sc_compare)cmp[i];
    d->lo = lo[i];
    d->hi = hi[i];
done:
    h5_free_strings(names, names ? n : 0);
    h5_free_strings(labels, labels ? n : 0);
    h5_free_strings(vars, vars ? n : 0);
    free(time);
    free(lo);
    free(hi);
    free(cmp);
    H5Gclose(g);
    return st;
}

/* The dataset holding model variable `model` (or named so), or one
   element of it ("output[新材料]": *elem is the element's row-major
   index, 0 for a scalar); a new string, or NULL when no saved variable
   matches. */
static char *find_variable(hid_t file, const char *model, size_t *elem,
                           int *failed)
{
    size_t nv = 0;
    char **names = NULL, **models = NULL, *found = NULL;
    *failed = h5_list_variables(file, &nv, &names, &models) < 0;
    for (size_t v = 0; !*failed && v < nv && !found; v++) {
        hid_t d = H5Dopen2(file, names[v], H5P_DEFAULT);
        h5_shape sh;
        if (d < 0 || h5_shape_read(d, &sh) < 0) {
            if (d >= 0)
                H5Dclose(d);
            continue;
        }
        H5Dclose(d);
        size_t e = strcmp(names[v], model) == 0 && sh.ndims == 0
                       ? 0
                       : h5_shape_find(&sh, models[v], model);
        h5_shape_free(&sh);
        if (e != (size_t)-1) {
            *elem = e;
            found = names[v];
            names[v] = NULL;
        }
    }
    h5_free_strings(names, nv);
    h5_free_strings(models, nv);
    return found;
}

/* Element `elem` of the variable `name` (run, time, ranges...) at time
   row t, run by run, into x[rows]. */
static int read_element(hid_t file, const char *name, size_t rows, size_t t,
                        size_t elem, double *x)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    h5_shape sh;
    if (h5_shape_read(d, &sh) < 0) {
        H5Dclose(d);
        return -1;
    }
    int rank = 2 + (int)sh.ndims;
    hsize_t start[2 + H5_MAX_RANGES] = {0, t},
            count[2 + H5_MAX_RANGES] = {rows, 1}, mdim = rows;
    for (size_t k = sh.ndims; k-- > 0;) {
        start[2 + k] = elem % sh.n[k];
        count[2 + k] = 1;
        elem /= sh.n[k];
    }
    h5_shape_free(&sh);
    hid_t fs = H5Dget_space(d);
    hid_t ms = H5Screate_simple(1, &mdim, NULL);
    int rc = -1;
    if (fs >= 0 && ms >= 0 && H5Sget_simple_extent_ndims(fs) == rank &&
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >=
            0 &&
        H5Dread(d, H5T_NATIVE_DOUBLE, ms, fs, H5P_DEFAULT, x) >= 0)
        rc = 0;
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    H5Dclose(d);
    return rc;
}

/* The target's variable at its time, run by run: into value[nruns].  The
   unit text goes to d->units. */
static ps_status read_outcome(hid_t file, const char *path, size_t nruns,
                              double *value, ps_h5_discover_data *d,
                              ps_error *err)
{
    long long nt = h5_length(file, H5N_TIME);
    double *times = nt > 0 ? malloc((size_t)nt * sizeof *times) : NULL;
    hid_t time = H5Dopen2(file, H5N_TIME, H5P_DEFAULT);
    ps_status st = PS_OK;
    if (!times || time < 0 ||
        h5_read_all(file, H5N_TIME, H5T_NATIVE_DOUBLE, (size_t)nt, times) <
            0) {
        st = h5_fail(err, PS_ERR_DATA, path, "cannot read the saved times");
        goto done;
    }
    d->time_units = h5_units_read(time);
    long t = h5_time_index(times, (size_t)nt, d->time);
    if (t < 0) {
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                          "target '%s': %g is not a saved time", d->target,
                          d->time);
        goto done;
    }
    int failed;
    size_t elem = 0;
    char *name = find_variable(file, d->variable, &elem, &failed);
    if (!name) {
        st = failed ? h5_fail(err, PS_ERR_DATA, path,
                              "cannot list the saved variables")
                    : ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                                   "target '%s': its variable '%s' is not "
                                   "saved in the file",
                                   d->target, d->variable);
        goto done;
    }
    hid_t v = H5Dopen2(file, name, H5P_DEFAULT);
    if (v >= 0) {
        d->units = h5_units_read(v);
        H5Dclose(v);
    } else {
        d->units = strdup("");
    }
    if (read_element(file, name, nruns, (size_t)t, elem, value) < 0)
        st = h5_fail(err, PS_ERR_IO, path, "cannot read '%s'", name);
    free(name);
done:
    if (time >= 0)
        H5Dclose(time);
    free(times);
    H5Eclear2(H5E_DEFAULT);
    return st;
}

static ps_status read_inputs(hid_t file, const char *path,
                             ps_h5_discover_data *d, ps_error *err)
{
    long long np = h5_length(file, H5N_PARAM);
    H5Eclear2(H5E_DEFAULT);
    if (np <= 0)
        return PS_OK; /* no uncertain inputs: the caller says what then */
    size_t k = (size_t)np;
    d->inputs = calloc(k, sizeof *d->inputs);
    if (!d->inputs)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    d->ninputs = k;
    static const char *const sets[4] = {H5N_PARAM, "param_label",
                                        "param_source", "param_distribution"};
    for (int s = 0; s < 4; s++) {
        char **v = NULL;
        if (strings_or_empty(file, sets[s], k, &v) < 0) {
            h5_free_strings(v, v ? k : 0);
            return h5_fail(err, PS_ERR_DATA, path,
                           "cannot read the uncertain inputs (%s)", sets[s]);
        }
        for (size_t j = 0; j < k; j++) {
            char **field = s == 0   ? &d->inputs[j].name
                           : s == 1 ? &d->inputs[j].label
                           : s == 2 ? &d->inputs[j].source
                                    : &d->inputs[j].distribution;
            *field = v[j];
        }
        free(v);
    }
    return PS_OK;
}

/* Keeps the ok runs whose value and inputs are finite, in run order. */
static ps_status select_rows(const char *path, const signed char *status,
                             size_t nruns, double *value, double *x,
                             ps_h5_discover_data *d, ps_error *err)
{
    size_t k = d->ninputs, n = 0;
    d->value = value;
    d->x = x;
    d->run = malloc((nruns ? nruns : 1) * sizeof *d->run);
    d->met = malloc(nruns ? nruns : 1);
    if (!d->run || !d->met)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    for (size_t r = 0; r < nruns; r++) {
        if (status[r] != PS_RUN_OK)
            continue;
        d->runs_ok++;
        int usable = isfinite(value[r]);
        for (size_t j = 0; j < k && usable; j++)
            usable = isfinite(x[r * k + j]);
        if (!usable)
            continue;
        /* In place: row n <= r. */
        memmove(x + n * k, x + r * k, k * sizeof *x);
        value[n] = value[r];
        d->run[n] = (long long)r;
        d->met[n] =
            (unsigned char)ps_sc_rule_met(d->compare, d->lo, d->hi, value[n]);
        n++;
    }
    d->n = n;
    return PS_OK;
}

static ps_status read_all(hid_t file, const char *path, const char *target,
                          ps_h5_discover_data *d, ps_error *err)
{
    long long nr = h5_length(file, H5N_RUN);
    if (nr < 0 || h5_length(file, H5N_RUN_STATUS) != nr) {
        H5Eclear2(H5E_DEFAULT);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "not an ensemble file (no run or run_status)");
    }
    size_t nruns = (size_t)nr;
    d->runs = nr;
    d->title = text_or_empty(file, "title");
    if (!d->title)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    ps_status st = read_target(file, path, target, d, err);
    if (st == PS_OK)
        st = read_inputs(file, path, d, err);
    if (st != PS_OK)
        return st;
    size_t k = d->ninputs;
    signed char *status = malloc(nruns ? nruns : 1);
    double *value = malloc((nruns ? nruns : 1) * sizeof *value);
    double *x = malloc((nruns * k > 0 ? nruns * k : 1) * sizeof *x);
    if (!status || !value || !x) {
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    } else if (h5_read_all(file, H5N_RUN_STATUS, H5T_NATIVE_SCHAR, nruns,
                           status) < 0 ||
               (k && h5_read_all(file, H5N_PARAM_VALUE, H5T_NATIVE_DOUBLE,
                                 nruns * k, x) < 0)) {
        st = h5_fail(err, PS_ERR_DATA, path,
                     "cannot read run_status or param_value");
    } else {
        st = read_outcome(file, path, nruns, value, d, err);
    }
    if (st == PS_OK && (!d->units || !d->time_units))
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    if (st == PS_OK) {
        st = select_rows(path, status, nruns, value, x, d, err);
        value = x = NULL; /* owned by d from here, whatever happened */
    }
    free(status);
    free(value);
    free(x);
    return st;
}

ps_status ps_h5_discover_read(const char *path, const char *target,
                              ps_h5_discover_data **out, ps_error *err)
{
    *out = NULL;
    if (!target)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0, "no target named");
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t f;
    ps_status st = h5_open_read(path, &f, err);
    if (st == PS_OK) {
        ps_h5_discover_data *d = calloc(1, sizeof *d);
        st = d ? read_all(f, path, target, d, err)
               : ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        H5Fclose(f);
        if (st == PS_OK)
            *out = d;
        else
            ps_h5_discover_free(&d);
    }
    h5_quiet_end(&q);
    return st;
}
