/*
 * Reading back what an ensemble's numbers assume: provenance from the
 * global attributes, the uncertain inputs with the range their sampled
 * values covered, and the fixed values and levers of /assumptions.
 */
#include "h5_impl.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/ensemble.h"
#include "plansim/stats.h"

static void free_strings4(char *a, char *b, char *c, char *d)
{
    free(a);
    free(b);
    free(c);
    free(d);
}

void ps_h5_assumptions_free(ps_h5_assumptions **ap)
{
    if (!ap || !*ap)
        return;
    ps_h5_assumptions *a = *ap;
    free_strings4(a->title, a->description, a->created, a->engine_version);
    free_strings4(a->command_line, a->model_file, a->model_sha256,
                  a->sampling);
    free(a->model_engine);
    ps_h5_lang_texts_free(&a->lang);
    for (size_t j = 0; j < a->ninputs; j++) {
        ps_h5_input_info *in = &a->inputs[j];
        free_strings4(in->name, in->label, in->source, in->distribution);
        free_strings4(in->label_zh, in->label_en, NULL, NULL);
    }
    for (size_t i = 0; i < a->nfixed; i++) {
        ps_h5_fixed_info *f = &a->fixed[i];
        free_strings4(f->name, f->units, f->label, f->source);
        free_strings4(f->label_zh, f->label_en, NULL, NULL);
    }
    for (size_t i = 0; i < a->nlevers; i++) {
        ps_h5_lever_info *l = &a->levers[i];
        free_strings4(l->name, l->units, l->label, l->source);
        free_strings4(l->label_zh, l->label_en, NULL, NULL);
        free(l->time);
        free(l->value);
    }
    free(a->inputs);
    free(a->fixed);
    free(a->levers);
    free(a);
    *ap = NULL;
}

/* A text attribute, or "" when absent; NULL only when out of memory. */
static char *attr_or_empty(hid_t obj, const char *name)
{
    char *t = NULL;
    if (h5_attr_read_text(obj, name, &t) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return strdup("");
    }
    return t;
}

/*
 * n strings of the 1-D dataset `name`, moved into the structs at byte
 * offset `field` (stride `size`); "" each when the dataset is absent.
 * Returns 0, or -1 when out of memory or unreadable.
 */
static int strings_into(hid_t loc, const char *name, size_t n, void *base,
                        size_t size, size_t field)
{
    char **v = NULL;
    if (H5Lexists(loc, name, H5P_DEFAULT) > 0) {
        if (h5_read_strings(loc, name, n, &v) < 0)
            return -1;
    }
    H5Eclear2(H5E_DEFAULT);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char *s = v ? v[i] : strdup("");
        if (v)
            v[i] = NULL;
        if (!s)
            rc = -1;
        memcpy((char *)base + i * size + field, &s, sizeof s);
    }
    free(v);
    return rc;
}

/* Reads column j of param_value(run, param) into x[nruns]. */
static int read_column(hid_t d, size_t nruns, size_t j, double *x)
{
    hsize_t start[2] = {0, j}, count[2] = {nruns, 1};
    return h5_slab_read(d, H5T_NATIVE_DOUBLE, 2, start, count, x);
}

/* The 5 % and 95 % quantiles of each input over ok runs. */
static int input_ranges(hid_t file, ps_h5_assumptions *a)
{
    long long nr = h5_length(file, H5N_RUN);
    size_t nruns = nr > 0 ? (size_t)nr : 0;
    for (size_t j = 0; j < a->ninputs; j++) {
        a->inputs[j].p05 = a->inputs[j].p95 = NAN;
        a->inputs[j].runs = 0;
    }
    if (nruns == 0 || a->ninputs == 0 ||
        H5Lexists(file, H5N_PARAM_VALUE, H5P_DEFAULT) <= 0)
        return 0;
    signed char *status = malloc(nruns);
    double *x = malloc(nruns * sizeof *x);
    double *ok = malloc(nruns * sizeof *ok);
    double *scratch = malloc(nruns * sizeof *scratch);
    hid_t d = H5Dopen2(file, H5N_PARAM_VALUE, H5P_DEFAULT);
    int rc = -1;
    if (!status || !x || !ok || !scratch || d < 0 ||
        h5_read_all(file, H5N_RUN_STATUS, H5T_NATIVE_SCHAR, nruns, status) <
            0)
        goto done;
    static const double levels[2] = {0.05, 0.95};
    rc = 0;
    for (size_t j = 0; j < a->ninputs && rc == 0; j++) {
        if (read_column(d, nruns, j, x) < 0) {
            rc = -1;
            break;
        }
        size_t n = 0;
        for (size_t r = 0; r < nruns; r++)
            if (status[r] == PS_RUN_OK)
                ok[n++] = x[r];
        double q[2];
        size_t finite = ps_stats_quantiles(ok, n, levels, 2, q, scratch);
        a->inputs[j].runs = (long long)finite;
        a->inputs[j].p05 = q[0];
        a->inputs[j].p95 = q[1];
    }
done:
    if (d >= 0)
        H5Dclose(d);
    free(status);
    free(x);
    free(ok);
    free(scratch);
    return rc;
}

static int read_inputs(hid_t file, ps_h5_assumptions *a)
{
    long long n = h5_length(file, H5N_PARAM);
    H5Eclear2(H5E_DEFAULT);
    if (n <= 0)
        return 0;
    a->inputs = calloc((size_t)n, sizeof *a->inputs);
    if (!a->inputs)
        return -1;
    a->ninputs = (size_t)n;
    size_t sz = sizeof *a->inputs;
    if (strings_into(file, H5N_PARAM, a->ninputs, a->inputs, sz,
                     offsetof(ps_h5_input_info, name)) < 0 ||
        strings_into(file, "param_label", a->ninputs, a->inputs, sz,
                     offsetof(ps_h5_input_info, label)) < 0 ||
        strings_into(file, "param_source", a->ninputs, a->inputs, sz,
                     offsetof(ps_h5_input_info, source)) < 0 ||
        strings_into(file, "param_distribution", a->ninputs, a->inputs, sz,
                     offsetof(ps_h5_input_info, distribution)) < 0)
        return -1;
    return input_ranges(file, a);
}

static int read_fixed(hid_t g, ps_h5_assumptions *a)
{
    long long n = h5_length(g, "fixed");
    H5Eclear2(H5E_DEFAULT);
    if (n <= 0)
        return 0;
    a->fixed = calloc((size_t)n, sizeof *a->fixed);
    double *v = malloc((size_t)n * sizeof *v);
    if (!a->fixed || !v) {
        free(v);
        return -1;
    }
    a->nfixed = (size_t)n;
    size_t sz = sizeof *a->fixed;
    int rc = -1;
    if (strings_into(g, "fixed", a->nfixed, a->fixed, sz,
                     offsetof(ps_h5_fixed_info, name)) == 0 &&
        strings_into(g, "fixed_units", a->nfixed, a->fixed, sz,
                     offsetof(ps_h5_fixed_info, units)) == 0 &&
        strings_into(g, "fixed_label", a->nfixed, a->fixed, sz,
                     offsetof(ps_h5_fixed_info, label)) == 0 &&
        strings_into(g, "fixed_source", a->nfixed, a->fixed, sz,
                     offsetof(ps_h5_fixed_info, source)) == 0 &&
        h5_read_all(g, "fixed_value", H5T_NATIVE_DOUBLE, a->nfixed, v) == 0) {
        for (size_t i = 0; i < a->nfixed; i++)
            a->fixed[i].value = v[i];
        rc = 0;
    }
    free(v);
    return rc;
}

static int read_levers(hid_t g, ps_h5_assumptions *a)
{
    long long n = h5_length(g, "lever");
    long long np = h5_length(g, "lever_point");
    H5Eclear2(H5E_DEFAULT);
    if (n <= 0)
        return 0;
    if (np <= 0)
        return -1;
    size_t cells = (size_t)n * (size_t)np;
    a->levers = calloc((size_t)n, sizeof *a->levers);
    double *t = malloc(cells * sizeof *t);
    double *v = malloc(cells * sizeof *v);
    int rc = -1;
    if (!a->levers || !t || !v)
        goto done;
    a->nlevers = (size_t)n;
    size_t sz = sizeof *a->levers;
    if (strings_into(g, "lever", a->nlevers, a->levers, sz,
                     offsetof(ps_h5_lever_info, name)) < 0 ||
        strings_into(g, "lever_units", a->nlevers, a->levers, sz,
                     offsetof(ps_h5_lever_info, units)) < 0 ||
        strings_into(g, "lever_label", a->nlevers, a->levers, sz,
                     offsetof(ps_h5_lever_info, label)) < 0 ||
        strings_into(g, "lever_source", a->nlevers, a->levers, sz,
                     offsetof(ps_h5_lever_info, source)) < 0 ||
        h5_read_all(g, "lever_time", H5T_NATIVE_DOUBLE, cells, t) < 0 ||
        h5_read_all(g, "lever_value", H5T_NATIVE_DOUBLE, cells, v) < 0)
        goto done;
    rc = 0;
    for (size_t i = 0; i < a->nlevers && rc == 0; i++) {
        ps_h5_lever_info *l = &a->levers[i];
        const double *ti = t + i * (size_t)np, *vi = v + i * (size_t)np;
        /* A path ends at its first padding (NaN) time. */
        size_t k = 0;
        while (k < (size_t)np && !isnan(ti[k]))
            k++;
        l->n = k;
        l->time = malloc((k ? k : 1) * sizeof *l->time);
        l->value = malloc((k ? k : 1) * sizeof *l->value);
        if (!l->time || !l->value) {
            rc = -1;
            break;
        }
        memcpy(l->time, ti, k * sizeof *ti);
        memcpy(l->value, vi, k * sizeof *vi);
    }
done:
    free(t);
    free(v);
    return rc;
}

static ps_status read_all(hid_t file, const char *path, ps_h5_assumptions *a,
                          ps_error *err)
{
    if (H5Lexists(file, H5N_RUN, H5P_DEFAULT) <= 0 ||
        H5Lexists(file, H5N_RUN_STATUS, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "not an ensemble file (no run or run_status)");
    }
    a->title = attr_or_empty(file, "title");
    a->description = attr_or_empty(file, "description");
    if (h5_read_lang_texts(file, &a->lang) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "cannot read the scenario's title or "
                            "description per language");
    }
    a->created = attr_or_empty(file, "created");
    a->engine_version = attr_or_empty(file, "engine_version");
    a->command_line = attr_or_empty(file, "command_line");
    a->model_file = attr_or_empty(file, "model_file");
    a->model_sha256 = attr_or_empty(file, "model_sha256");
    a->sampling = attr_or_empty(file, "sampling");
    a->model_engine = attr_or_empty(file, "model_engine");
    if (!a->title || !a->description || !a->created || !a->engine_version ||
        !a->command_line || !a->model_file || !a->model_sha256 ||
        !a->sampling || !a->model_engine)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    a->has_seed = h5_attr_read_uint64(file, "seed", &a->seed) == 0;
    H5Eclear2(H5E_DEFAULT);
    if (read_inputs(file, a) < 0)
        return h5_fail(err, PS_ERR_DATA, path,
                       "the uncertain inputs are incomplete");
    if (H5Lexists(file, H5N_ASSUMPTIONS, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return PS_OK;
    }
    hid_t g = H5Gopen2(file, H5N_ASSUMPTIONS, H5P_DEFAULT);
    if (g < 0)
        return h5_fail(err, PS_ERR_DATA, path,
                       "cannot open the assumptions group");
    ps_status st = PS_OK;
    if (read_fixed(g, a) < 0)
        st = h5_fail(err, PS_ERR_DATA, path, "the fixed values are incomplete");
    else if (read_levers(g, a) < 0)
        st = h5_fail(err, PS_ERR_DATA, path, "the levers are incomplete");
    H5Gclose(g);
    return st;
}

ps_status ps_h5_assumptions_read(const char *path, ps_h5_assumptions **out,
                                 ps_error *err)
{
    *out = NULL;
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t f;
    ps_status st = h5_open_read(path, &f, err);
    if (st == PS_OK) {
        ps_h5_assumptions *a = calloc(1, sizeof *a);
        st = a ? read_all(f, path, a, err)
               : ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        H5Fclose(f);
        if (st == PS_OK)
            *out = a;
        else
            ps_h5_assumptions_free(&a);
    }
    h5_quiet_end(&q);
    return st;
}
