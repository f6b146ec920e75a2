/*
 * Reading the /summary group back into a plain struct.
 */
#include "h5_impl.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void ps_h5_summary_free(ps_h5_summary **sp)
{
    if (!sp || !*sp)
        return;
    ps_h5_summary *s = *sp;
    for (size_t v = 0; v < s->nvars; v++) {
        ps_h5_var_summary *vs = &s->vars[v];
        free(vs->name);
        free(vs->model_name);
        free(vs->element);
        free(vs->units);
        free(vs->long_name);
        free(vs->mean);
        free(vs->sd);
        free(vs->quantiles);
        free(vs->label_zh);
        free(vs->label_en);
        free(vs->units_zh);
        free(vs->units_en);
    }
    for (size_t i = 0; i < s->ntargets; i++) {
        ps_h5_target_summary *t = &s->targets[i];
        free(t->name);
        free(t->label);
        free(t->variable);
        free(t->source);
        free(t->probability_by_time);
        free(t->label_zh);
        free(t->label_en);
    }
    free(s->vars);
    free(s->targets);
    free(s->title);
    ps_h5_lang_texts_free(&s->lang);
    free(s->time_units);
    free(s->calibration_file);
    free(s->calibration_method);
    free(s->labels_file);
    h5_free_strings(s->element_names, s->nelement_labels);
    h5_free_strings(s->element_labels_zh, s->nelement_labels);
    h5_free_strings(s->element_labels_en, s->nelement_labels);
    free(s->times);
    free(s->quantiles);
    free(s);
    *sp = NULL;
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

/* Appends the summary of variable `name` to s->vars: one entry per
   element.  Entries are counted in s->nvars as they are made, so that
   ps_h5_summary_free frees them after a failure. */
static int read_var(hid_t file, hid_t g, const char *name, const char *model,
                    ps_h5_summary *s)
{
    size_t nt = s->ntimes, nq = s->nquantiles;
    h5_shape sh;
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    if (h5_shape_read(d, &sh) < 0) {
        H5Dclose(d);
        return -1;
    }
    size_t size = sh.size;
    size_t len = strlen(name) + 16;
    char *buf = malloc(len);
    double *mean = malloc(nt * size * sizeof *mean);
    double *sd = malloc(nt * size * sizeof *sd);
    double *qs = malloc(nq * nt * size * sizeof *qs);
    ps_h5_var_summary *v = realloc(s->vars, (s->nvars + size) * sizeof *v);
    if (v)
        s->vars = v;
    char *units = h5_units_read(d);
    char *long_name = text_or_empty(d, "long_name");
    int rc = buf && mean && sd && qs && v && units && long_name ? 0 : -1;
    if (rc == 0) {
        snprintf(buf, len, "%s_mean", name);
        rc |= h5_read_all(g, buf, H5T_NATIVE_DOUBLE, nt * size, mean);
        snprintf(buf, len, "%s_sd", name);
        rc |= h5_read_all(g, buf, H5T_NATIVE_DOUBLE, nt * size, sd);
        snprintf(buf, len, "%s_quantiles", name);
        rc |= h5_read_all(g, buf, H5T_NATIVE_DOUBLE, nq * nt * size, qs);
    }
    for (size_t e = 0; rc == 0 && e < size; e++) {
        ps_h5_var_summary *vs = &s->vars[s->nvars++];
        memset(vs, 0, sizeof *vs);
        vs->name = strdup(name);
        vs->units = strdup(units);
        vs->element = h5_shape_element(&sh, e);
        /* an element's description names it: "产出[north,新材料]" */
        if (vs->element && *vs->element && *long_name) {
            size_t ll = strlen(long_name) + strlen(vs->element) + 3;
            vs->long_name = malloc(ll);
            if (vs->long_name)
                snprintf(vs->long_name, ll, "%s[%s]", long_name, vs->element);
        } else {
            vs->long_name = strdup(long_name);
        }
        vs->mean = malloc(nt * sizeof *vs->mean);
        vs->sd = malloc(nt * sizeof *vs->sd);
        vs->quantiles = malloc(nq * nt * sizeof *vs->quantiles);
        if (vs->element) {
            size_t ml = strlen(model) + strlen(vs->element) + 3;
            vs->model_name = malloc(ml);
            if (vs->model_name)
                snprintf(vs->model_name, ml, sh.ndims ? "%s[%s]" : "%s%s",
                         model, vs->element);
        }
        if (!vs->name || !vs->units || !vs->long_name || !vs->element ||
            !vs->model_name || !vs->mean || !vs->sd || !vs->quantiles) {
            rc = -1;
            break;
        }
        for (size_t t = 0; t < nt; t++) {
            vs->mean[t] = mean[t * size + e];
            vs->sd[t] = sd[t * size + e];
            for (size_t q = 0; q < nq; q++)
                vs->quantiles[q * nt + t] = qs[(q * nt + t) * size + e];
        }
    }
    H5Dclose(d);
    h5_shape_free(&sh);
    free(buf);
    free(mean);
    free(sd);
    free(qs);
    free(units);
    free(long_name);
    return rc ? -1 : 0;
}

/* Reads n values of a 1-D dataset over `target` and spreads them into
   the target structs at byte offset `field`. */
static int read_target_doubles(hid_t g, const char *name, size_t n,
                               ps_h5_target_summary *t, size_t field)
{
    double *v = malloc(n * sizeof *v);
    int rc = v ? h5_read_all(g, name, H5T_NATIVE_DOUBLE, n, v) : -1;
    for (size_t i = 0; rc == 0 && i < n; i++)
        memcpy((char *)&t[i] + field, &v[i], sizeof(double));
    free(v);
    return rc;
}

/* The posterior a forecast drew from: "" and NaN when none. */
static int read_calibration(hid_t file, ps_h5_summary *s)
{
    s->calibration_file = text_or_empty(file, "calibration_file");
    s->calibration_method = text_or_empty(file, "calibration_method");
    s->calibration_ess = NAN;
    if (h5_attr_read_double(file, "calibration_ess", &s->calibration_ess) < 0)
        H5Eclear2(H5E_DEFAULT);
    return s->calibration_file && s->calibration_method ? 0 : -1;
}

static int read_targets(hid_t g, ps_h5_summary *s)
{
    long long n = h5_length(g, H5N_TARGET);
    if (n <= 0)
        return 0;
    size_t nt = s->ntimes;
    s->targets = calloc((size_t)n, sizeof *s->targets);
    if (!s->targets)
        return -1;
    s->ntargets = (size_t)n;
    ps_h5_target_summary *t = s->targets;
    char **names = NULL, **labels = NULL, **vars = NULL, **sources = NULL;
    signed char *cmp = malloc((size_t)n), *bind = malloc((size_t)n);
    long long *hits = malloc((size_t)n * sizeof *hits);
    long long *runs = malloc((size_t)n * sizeof *runs);
    double *by = malloc((size_t)n * nt * sizeof *by);
    int rc = -1;
    if (!cmp || !bind || !hits || !runs || !by ||
        h5_read_strings(g, H5N_TARGET, (size_t)n, &names) < 0 ||
        h5_read_strings(g, "target_label", (size_t)n, &labels) < 0 ||
        h5_read_strings(g, "target_variable", (size_t)n, &vars) < 0 ||
        h5_read_strings(g, "target_source", (size_t)n, &sources) < 0 ||
        h5_read_all(g, "target_compare", H5T_NATIVE_SCHAR, (size_t)n, cmp) <
            0 ||
        h5_read_all(g, "target_binding", H5T_NATIVE_SCHAR, (size_t)n, bind) <
            0 ||
        h5_read_all(g, "target_hits", H5T_NATIVE_LLONG, (size_t)n, hits) < 0 ||
        h5_read_all(g, "target_runs", H5T_NATIVE_LLONG, (size_t)n, runs) < 0 ||
        h5_read_all(g, "target_probability_by_time", H5T_NATIVE_DOUBLE,
                    (size_t)n * nt, by) < 0)
        goto done;
    if (read_target_doubles(g, "target_time", (size_t)n, t,
                            offsetof(ps_h5_target_summary, time)) < 0 ||
        read_target_doubles(g, "target_lo", (size_t)n, t,
                            offsetof(ps_h5_target_summary, lo)) < 0 ||
        read_target_doubles(g, "target_hi", (size_t)n, t,
                            offsetof(ps_h5_target_summary, hi)) < 0 ||
        read_target_doubles(g, "target_probability", (size_t)n, t,
                            offsetof(ps_h5_target_summary, probability)) < 0 ||
        read_target_doubles(g, "target_ci_low", (size_t)n, t,
                            offsetof(ps_h5_target_summary, ci_low)) < 0 ||
        read_target_doubles(g, "target_ci_high", (size_t)n, t,
                            offsetof(ps_h5_target_summary, ci_high)) < 0)
        goto done;
    for (size_t i = 0; i < (size_t)n; i++)
        t[i].prior_probability = NAN;
    /* only in a forecast from a posterior */
    if (H5Lexists(g, "target_prior_probability", H5P_DEFAULT) > 0 &&
        read_target_doubles(g, "target_prior_probability", (size_t)n, t,
                            offsetof(ps_h5_target_summary,
                                     prior_probability)) < 0)
        goto done;
    rc = 0;
    for (size_t i = 0; i < (size_t)n; i++) {
        /* The strings move into the structs. */
        t[i].name = names[i];
        t[i].label = labels[i];
        t[i].variable = vars[i];
        t[i].source = sources[i];
        names[i] = labels[i] = vars[i] = sources[i] = NULL;
        t[i].compare = (ps_sc_compare)cmp[i];
        t[i].binding = bind[i];
        t[i].hits = hits[i];
        t[i].runs = runs[i];
        t[i].probability_by_time = malloc((nt ? nt : 1) * sizeof(double));
        if (!t[i].probability_by_time) {
            rc = -1;
            continue;
        }
        memcpy(t[i].probability_by_time, by + i * nt, nt * sizeof(double));
    }
done:
    h5_free_strings(names, (size_t)n);
    h5_free_strings(labels, (size_t)n);
    h5_free_strings(vars, (size_t)n);
    h5_free_strings(sources, (size_t)n);
    free(cmp);
    free(bind);
    free(hits);
    free(runs);
    free(by);
    return rc;
}

static ps_status read_summary(hid_t file, const char *path, ps_h5_summary *s,
                              ps_error *err)
{
    if (H5Lexists(file, H5N_SUMMARY, H5P_DEFAULT) <= 0)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "the file has no summary");
    hid_t g = H5Gopen2(file, H5N_SUMMARY, H5P_DEFAULT);
    hid_t time = H5Dopen2(file, H5N_TIME, H5P_DEFAULT);
    long long nt = h5_length(file, H5N_TIME);
    long long nq = g >= 0 ? h5_length(g, H5N_QUANTILE) : -1;
    long long nr = h5_length(file, H5N_RUN);
    ps_status st = PS_OK;
    if (g < 0 || time < 0 || nt <= 0 || nq <= 0 || nr < 0) {
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                          "the file has no summary (or is not an ensemble "
                          "file)");
        goto done;
    }
    s->ntimes = (size_t)nt;
    s->nquantiles = (size_t)nq;
    s->runs = nr;
    s->title = text_or_empty(file, "title");
    s->time_units = h5_units_read(time);
    s->times = malloc(s->ntimes * sizeof *s->times);
    s->quantiles = malloc(s->nquantiles * sizeof *s->quantiles);
    if (!s->title || h5_read_lang_texts(file, &s->lang) < 0 || !s->time_units ||
        !s->times || !s->quantiles) {
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto done;
    }
    if (h5_read_all(file, H5N_TIME, H5T_NATIVE_DOUBLE, s->ntimes, s->times) <
            0 ||
        h5_read_all(g, H5N_QUANTILE, H5T_NATIVE_DOUBLE, s->nquantiles,
                    s->quantiles) < 0 ||
        h5_attr_read_int64(g, "runs_ok", &s->runs_ok) < 0 ||
        h5_attr_read_int64(g, "runs_failed", &s->runs_failed) < 0 ||
        h5_attr_read_int64(g, "runs_pending", &s->runs_pending) < 0) {
        st = h5_fail(err, PS_ERR_DATA, path,
                     "the summary is incomplete (summarize the file again)");
        goto done;
    }
    char **names = NULL, **models = NULL;
    size_t nv = 0;
    if (h5_list_variables(file, &nv, &names, &models) < 0) {
        st = h5_fail(err, PS_ERR_DATA, path, "cannot list the variables");
        goto done;
    }
    for (size_t v = 0; v < nv && st == PS_OK; v++)
        if (read_var(file, g, names[v], models[v], s) < 0)
            st = h5_fail(err, PS_ERR_DATA, path,
                         "the summary of '%s' is missing or incomplete",
                         names[v]);
    h5_free_strings(names, nv);
    h5_free_strings(models, nv);
    if (st == PS_OK && read_targets(g, s) < 0)
        st = h5_fail(err, PS_ERR_DATA, path,
                     "the target results are missing or incomplete");
    if (st == PS_OK && read_calibration(file, s) < 0)
        st = h5_fail(err, PS_ERR_NOMEM, path, "out of memory");
done:
    if (time >= 0)
        H5Dclose(time);
    if (g >= 0)
        H5Gclose(g);
    return st;
}

ps_status ps_h5_summary_read(const char *path, ps_h5_summary **out,
                             ps_error *err)
{
    *out = NULL;
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t f;
    ps_status st = h5_is_partial_path(path)
                       ? h5_open_partial_summarized(path, &f, err)
                       : h5_open_read(path, &f, err);
    if (st == PS_OK) {
        ps_h5_summary *s = calloc(1, sizeof *s);
        st = s ? read_summary(f, path, s, err)
               : ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        H5Fclose(f);
        if (st == PS_OK)
            *out = s;
        else
            ps_h5_summary_free(&s);
    }
    h5_quiet_end(&q);
    return st;
}
