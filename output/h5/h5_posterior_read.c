/*
 * Reading a posterior file (h5_posterior.c) back into a ps_h5_posterior
 * that owns everything.  Every array is checked against the dimensions
 * it runs over before it is read, and every index into another
 * dimension against that dimension's length.
 */
#include "h5_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ps_h5_posterior_free(ps_h5_posterior **pp)
{
    if (!pp || !*pp)
        return;
    ps_h5_posterior *p = *pp;
    free(p->title);
    free(p->description);
    ps_h5_lang_texts_free(&p->lang);
    h5_free_strings(p->scenario_names, p->nscenario_files);
    h5_free_strings(p->scenario_texts, p->nscenario_files);
    free(p->model_file);
    free(p->model_sha256);
    free(p->engine_version);
    free(p->command_line);
    free(p->method);
    h5_free_strings(p->params, p->nparams);
    h5_free_strings(p->param_labels, p->nparams);
    h5_free_strings(p->param_dists, p->nparams);
    free(p->labels_file);
    h5_free_strings(p->param_labels_zh, p->nparams);
    h5_free_strings(p->param_labels_en, p->nparams);
    h5_free_strings(p->series_labels_zh, p->nseries);
    h5_free_strings(p->series_labels_en, p->nseries);
    h5_free_strings(p->target_labels_zh, p->ntargets);
    h5_free_strings(p->target_labels_en, p->ntargets);
    free(p->param_start_value);
    double *arrays[] = {p->prior_mean,
                        p->prior_sd,
                        p->prior_q,
                        p->post_mean,
                        p->post_sd,
                        p->post_q,
                        p->covariance,
                        p->x,
                        p->weights,
                        p->loglik,
                        p->prior_x,
                        p->stage_phi,
                        p->stage_ess,
                        p->stage_acceptance,
                        p->stage_log_evidence,
                        p->inside50,
                        p->inside90,
                        p->obs_time,
                        p->obs_value,
                        p->pred_median,
                        p->pred_lo50,
                        p->pred_hi50,
                        p->pred_lo90,
                        p->pred_hi90,
                        p->prior_p,
                        p->post_p,
                        p->resume_z,
                        p->resume_extra,
                        p->resume_prior_extra};
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++)
        free(arrays[i]);
    free(p->stage_moves);
    free(p->stage_evaluations);
    free(p->obs_series);
    h5_free_strings(p->series_names, p->nseries);
    h5_free_strings(p->series_variables, p->nseries);
    h5_free_strings(p->series_measures, p->nseries);
    h5_free_target_defs(p->targets, p->ntargets);
    free(p);
    *pp = NULL;
}

/* The open file and what went wrong in it. */
typedef struct reader {
    hid_t f;
    const char *bad; /* the dataset or attribute that is missing or does
                        not fit its dimensions */
    int nomem;
} reader;

static int fail(reader *r, const char *name)
{
    r->bad = name;
    return -1;
}

/* Does the file have `name`? */
static int has(const reader *r, const char *name)
{
    return H5Lexists(r->f, name, H5P_DEFAULT) > 0;
}

/* The length of dimension `name`: its 1-D coordinate's.  0 when the file
   has no such dimension; -1 when it is not 1-D. */
static long long dim_length(reader *r, const char *name)
{
    if (!has(r, name))
        return 0;
    hid_t d = H5Dopen2(r->f, name, H5P_DEFAULT);
    hid_t space = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t n = 0;
    long long len = -1;
    if (space >= 0 && H5Sget_simple_extent_ndims(space) == 1 &&
        H5Sget_simple_extent_dims(space, &n, NULL) == 1)
        len = (long long)n;
    if (space >= 0)
        H5Sclose(space);
    if (d >= 0)
        H5Dclose(d);
    return len < 0 ? fail(r, name) : len;
}

/*
 * Reads the numeric dataset `name` of exactly (n0) or, when n1 is not 0,
 * (n0, n1) elements as `memtype` (of `size` bytes) into a new array.
 */
static int read_array(reader *r, const char *name, hid_t memtype, size_t size,
                      size_t n0, size_t n1, void **out)
{
    *out = NULL;
    int rank = n1 ? 2 : 1;
    size_t count = n0 * (n1 ? n1 : 1);
    if (n1 && n0 > SIZE_MAX / size / n1)
        return fail(r, name);
    if (!has(r, name))
        return fail(r, name);
    hid_t d = H5Dopen2(r->f, name, H5P_DEFAULT);
    hid_t space = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t dims[2] = {0, 0};
    int ok = space >= 0 && H5Sget_simple_extent_ndims(space) == rank &&
             H5Sget_simple_extent_dims(space, dims, NULL) == rank &&
             dims[0] == n0 && (!n1 || dims[1] == n1);
    void *buf = ok ? malloc(count ? count * size : 1) : NULL;
    if (ok && !buf)
        r->nomem = 1;
    if (buf && count &&
        H5Dread(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    if (space >= 0)
        H5Sclose(space);
    if (d >= 0)
        H5Dclose(d);
    if (!buf)
        return fail(r, name);
    *out = buf;
    return 0;
}

static int read_doubles(reader *r, const char *name, size_t n0, size_t n1,
                        double **out)
{
    return read_array(r, name, H5T_NATIVE_DOUBLE, sizeof(double), n0, n1,
                      (void **)out);
}

/* An array the writer leaves out when it has none: NULL then. */
static int optional_doubles(reader *r, const char *name, size_t n0, size_t n1,
                            double **out)
{
    *out = NULL;
    return has(r, name) ? read_doubles(r, name, n0, n1, out) : 0;
}

static int read_counts(reader *r, const char *name, size_t n, uint64_t **out)
{
    return read_array(r, name, H5T_NATIVE_UINT64, sizeof(uint64_t), n, 0,
                      (void **)out);
}

static int read_texts(reader *r, const char *name, size_t n, char ***out)
{
    return h5_read_strings(r->f, name, n, out) < 0 ? fail(r, name) : 0;
}

/* A text attribute: a new string, or NULL when the file does not have
   it. */
static int optional_text(reader *r, const char *name, char **out)
{
    *out = NULL;
    if (H5Aexists(r->f, name) <= 0)
        return 0;
    return h5_attr_read_text(r->f, name, out) < 0 ? fail(r, name) : 0;
}

/*
 * The scenario texts from scenario_yaml as h5_scenario_text made it: one
 * file's text as it is; a chain of files as one stream whose documents
 * each start with the line "--- # <name>", split there.
 */
static char **split_scenario(const char *yaml, size_t n, char *const *names)
{
    char **texts = calloc(n, sizeof *texts);
    if (!texts)
        return NULL;
    if (n == 1) {
        texts[0] = strdup(yaml);
        if (!texts[0]) {
            free(texts);
            return NULL;
        }
        return texts;
    }
    const char *at = yaml;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(at, "--- # ", 6) != 0 ||
            strncmp(at + 6, names[i], len) != 0 || at[6 + len] != '\n')
            break;
        const char *begin = at + 7 + len, *end = begin + strlen(begin);
        /* The next document starts at the first line that is its
           marker. */
        for (const char *c = begin; i + 1 < n && *c; c++) {
            size_t next = strlen(names[i + 1]);
            if ((c == begin || c[-1] == '\n') && strncmp(c, "--- # ", 6) == 0 &&
                strncmp(c + 6, names[i + 1], next) == 0 &&
                c[6 + next] == '\n') {
                end = c;
                break;
            }
        }
        texts[i] = malloc((size_t)(end - begin) + 1);
        if (!texts[i])
            break;
        memcpy(texts[i], begin, (size_t)(end - begin));
        texts[i][end - begin] = '\0';
        at = end;
    }
    if (n && !texts[n - 1]) {
        h5_free_strings(texts, n);
        return NULL;
    }
    return texts;
}

static int read_scenario(reader *r, ps_h5_posterior *p)
{
    if (H5Aexists(r->f, "scenario_files") <= 0)
        return 0;
    char *yaml = NULL;
    if (h5_attr_read_text_array(r->f, "scenario_files", &p->nscenario_files,
                                &p->scenario_names) < 0)
        return fail(r, "scenario_files");
    if (p->nscenario_files == 0)
        return 0;
    if (h5_attr_read_text(r->f, "scenario_yaml", &yaml) < 0)
        return fail(r, "scenario_yaml");
    p->scenario_texts =
        split_scenario(yaml, p->nscenario_files, p->scenario_names);
    free(yaml);
    return p->scenario_texts ? 0 : fail(r, "scenario_yaml");
}

static int read_globals(reader *r, ps_h5_posterior *p)
{
    long long complete = 0, collapsed = 0, converged = 0;
    if (optional_text(r, "title", &p->title) < 0 ||
        optional_text(r, "description", &p->description) < 0 ||
        optional_text(r, "title_zh", &p->lang.title_zh) < 0 ||
        optional_text(r, "title_en", &p->lang.title_en) < 0 ||
        optional_text(r, "description_zh", &p->lang.description_zh) < 0 ||
        optional_text(r, "description_en", &p->lang.description_en) < 0 ||
        optional_text(r, "model_file", &p->model_file) < 0 ||
        optional_text(r, "model_sha256", &p->model_sha256) < 0 ||
        optional_text(r, "engine_version", &p->engine_version) < 0 ||
        optional_text(r, "command_line", &p->command_line) < 0 ||
        optional_text(r, "method", &p->method) < 0 || read_scenario(r, p) < 0)
        return -1;
    if (h5_attr_read_uint64(r->f, "seed", &p->seed) < 0)
        return fail(r, "seed");
    if (h5_attr_read_int64(r->f, "complete", &complete) < 0)
        return fail(r, "complete");
    if (h5_attr_read_int64(r->f, "collapsed", &collapsed) < 0)
        return fail(r, "collapsed");
    if (h5_attr_read_int64(r->f, "converged", &converged) < 0)
        return fail(r, "converged");
    if (h5_attr_read_uint64(r->f, "evaluations", &p->evaluations) < 0)
        return fail(r, "evaluations");
    if (h5_attr_read_double(r->f, "log_evidence", &p->log_evidence) < 0)
        return fail(r, "log_evidence");
    if (h5_attr_read_double(r->f, "ess", &p->ess) < 0)
        return fail(r, "ess");
    if (h5_attr_read_double(r->f, "max_loglik", &p->max_loglik) < 0)
        return fail(r, "max_loglik");
    p->initial_time = NAN;
    if (H5Aexists(r->f, "initial_time") > 0 &&
        h5_attr_read_double(r->f, "initial_time", &p->initial_time) < 0)
        return fail(r, "initial_time");
    p->complete = complete != 0;
    p->collapsed = collapsed != 0;
    p->converged = converged != 0;
    return 0;
}

static int read_parameters(reader *r, ps_h5_posterior *p)
{
    long long n = dim_length(r, "parameter");
    if (n <= 0)
        return fail(r, "parameter");
    /* The levels the struct's quantile arrays stand for. */
    double *levels = NULL;
    int same = dim_length(r, H5N_QUANTILE) == 3 &&
               read_doubles(r, H5N_QUANTILE, 3, 0, &levels) == 0 &&
               levels[0] == 0.05 && levels[1] == 0.5 && levels[2] == 0.95;
    free(levels);
    if (!same)
        return fail(r, H5N_QUANTILE);
    size_t np = (size_t)n;
    p->nparams = np;
    if (read_texts(r, "parameter", np, &p->params) < 0 ||
        read_texts(r, "param_label", np, &p->param_labels) < 0 ||
        read_texts(r, "param_distribution", np, &p->param_dists) < 0 ||
        (has(r, "param_start_value") &&
         read_counts(r, "param_start_value", np, &p->param_start_value) < 0) ||
        read_doubles(r, "prior_mean", np, 0, &p->prior_mean) < 0 ||
        read_doubles(r, "prior_sd", np, 0, &p->prior_sd) < 0 ||
        read_doubles(r, "prior_quantile", np, 3, &p->prior_q) < 0 ||
        read_doubles(r, "posterior_mean", np, 0, &p->post_mean) < 0 ||
        read_doubles(r, "posterior_sd", np, 0, &p->post_sd) < 0 ||
        read_doubles(r, "posterior_quantile", np, 3, &p->post_q) < 0 ||
        optional_doubles(r, "covariance", np, np, &p->covariance) < 0)
        return -1;
    return 0;
}

static int read_particles(reader *r, ps_h5_posterior *p)
{
    long long n = dim_length(r, "particle");
    long long declared = 0;
    if (n <= 0 || h5_attr_read_int64(r->f, "n_particles", &declared) < 0 ||
        declared != n)
        return fail(r, "particle");
    size_t np = (size_t)n;
    p->nparticles = np;
    if (read_doubles(r, "particle_value", np, p->nparams, &p->x) < 0 ||
        read_doubles(r, "weight", np, 0, &p->weights) < 0 ||
        read_doubles(r, "log_likelihood", np, 0, &p->loglik) < 0 ||
        optional_doubles(r, "prior_value", np, p->nparams, &p->prior_x) < 0)
        return -1;
    return 0;
}

static int read_stages(reader *r, ps_h5_posterior *p)
{
    long long n = dim_length(r, "stage");
    if (n < 0)
        return -1;
    size_t ns = (size_t)n;
    p->nstages = ns;
    if (ns == 0)
        return 0;
    if (read_doubles(r, "tempering_exponent", ns, 0, &p->stage_phi) < 0 ||
        read_doubles(r, "ess", ns, 0, &p->stage_ess) < 0 ||
        read_doubles(r, "acceptance", ns, 0, &p->stage_acceptance) < 0 ||
        read_doubles(r, "log_evidence_increment", ns, 0,
                     &p->stage_log_evidence) < 0 ||
        read_counts(r, "moves", ns, &p->stage_moves) < 0 ||
        read_counts(r, "evaluations", ns, &p->stage_evaluations) < 0)
        return -1;
    return 0;
}

static int read_observations(reader *r, ps_h5_posterior *p)
{
    long long n = dim_length(r, "observation");
    if (n < 0)
        return -1;
    size_t no = (size_t)n;
    if (no == 0)
        return 0;
    if (p->nseries == 0)
        return fail(r, "series");
    p->nobs = no;
    if (read_counts(r, "observation_series", no, &p->obs_series) < 0 ||
        read_doubles(r, "observation_time", no, 0, &p->obs_time) < 0 ||
        read_doubles(r, "observed", no, 0, &p->obs_value) < 0 ||
        optional_doubles(r, "predictive_median", no, 0, &p->pred_median) < 0 ||
        optional_doubles(r, "predictive_lo50", no, 0, &p->pred_lo50) < 0 ||
        optional_doubles(r, "predictive_hi50", no, 0, &p->pred_hi50) < 0 ||
        optional_doubles(r, "predictive_lo90", no, 0, &p->pred_lo90) < 0 ||
        optional_doubles(r, "predictive_hi90", no, 0, &p->pred_hi90) < 0)
        return -1;
    for (size_t i = 0; i < no; i++)
        if (p->obs_series[i] >= p->nseries)
            return fail(r, "observation_series");
    return 0;
}

static int read_series(reader *r, ps_h5_posterior *p)
{
    long long n = dim_length(r, "series");
    if (n < 0)
        return -1;
    size_t ns = (size_t)n;
    p->nseries = ns;
    if (ns && (read_texts(r, "series", ns, &p->series_names) < 0 ||
               read_texts(r, "series_variable", ns, &p->series_variables) < 0 ||
               read_texts(r, "series_measure", ns, &p->series_measures) < 0 ||
               optional_doubles(r, "inside_50", ns, 0, &p->inside50) < 0 ||
               optional_doubles(r, "inside_90", ns, 0, &p->inside90) < 0))
        return -1;
    return read_observations(r, p);
}

static int read_targets(reader *r, ps_h5_posterior *p)
{
    long long n = dim_length(r, H5N_TARGET);
    if (n < 0)
        return -1;
    size_t nt = (size_t)n;
    if (nt == 0)
        return 0;
    if (h5_read_target_defs(r->f, nt, &p->targets) < 0)
        return fail(r, H5N_TARGET);
    p->ntargets = nt;
    if (read_doubles(r, "prior_probability", nt, 0, &p->prior_p) < 0 ||
        read_doubles(r, "posterior_probability", nt, 0, &p->post_p) < 0)
        return -1;
    return 0;
}

/* Does the open file say it is a posterior file (plansim_file)? */
static int is_posterior_file(hid_t f)
{
    char *kind = NULL;
    int yes = h5_attr_read_text(f, "plansim_file", &kind) == 0 &&
              strcmp(kind, "posterior") == 0;
    free(kind);
    H5Eclear2(H5E_DEFAULT);
    return yes;
}

/* Is the open file a finished posterior file? */
static ps_status check_kind(hid_t f, const char *path, ps_error *err)
{
    if (!is_posterior_file(f))
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "not a posterior file (plansim calibrate writes "
                            "them)");
    long long complete = 0;
    if (h5_attr_read_int64(f, "complete", &complete) < 0)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "damaged posterior file: no 'complete' "
                            "attribute");
    if (complete == 0)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "an interrupted calibration (complete = 0): its "
                            "particles are not a posterior; run plansim "
                            "calibrate to the end");
    return PS_OK;
}

/* An interrupted SMC's state (h5_posterior.c write_resume_state). */
static int read_resume_state(reader *r, ps_h5_posterior *p)
{
    long long ne = dim_length(r, "extra");
    if (ne < 0)
        return -1;
    p->nextra = (size_t)ne;
    if (read_doubles(r, "resume_normal_score", p->nparticles, p->nparams,
                     &p->resume_z) < 0 ||
        h5_attr_read_double(r->f, "resume_move_scale", &p->resume_move_scale) <
            0)
        return fail(r, "resume_move_scale");
    if (ne == 0)
        return 0;
    if (read_doubles(r, "resume_extra", p->nparticles, p->nextra,
                     &p->resume_extra) < 0 ||
        read_doubles(r, "resume_prior_extra", p->nparticles, p->nextra,
                     &p->resume_prior_extra) < 0)
        return -1;
    return 0;
}

/* Everything the file holds into p; with_resume: its resume state too
   (when it has one). */
static ps_status read_contents(hid_t f, const char *path, ps_h5_posterior *p,
                               int with_resume, ps_error *err)
{
    reader r = {f, NULL, 0};
    if (read_globals(&r, p) == 0 && read_parameters(&r, p) == 0 &&
        read_particles(&r, p) == 0 && read_stages(&r, p) == 0 &&
        read_series(&r, p) == 0 && read_targets(&r, p) == 0 &&
        (!with_resume || !has(&r, "resume_normal_score") ||
         read_resume_state(&r, p) == 0)) {
        h5_read_posterior_labels(f, p);
        return PS_OK;
    }
    if (r.nomem)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    return h5_fail(err, PS_ERR_DATA, path,
                   "damaged posterior file: '%s' is missing or does not fit "
                   "its dimensions",
                   r.bad ? r.bad : "?");
}

static ps_status read_file(hid_t f, const char *path, ps_h5_posterior *p,
                           ps_error *err)
{
    ps_status st = check_kind(f, path, err);
    return st == PS_OK ? read_contents(f, path, p, 0, err) : st;
}

/* The interrupted calibration in the open `f`: settings compared, then
   what it holds. */
static ps_status read_partial(hid_t f, const char *partial,
                              const ps_h5_posterior *settings,
                              ps_h5_posterior *p, ps_error *err)
{
    if (!is_posterior_file(f))
        return ps_error_set(err, PS_ERR_DATA, partial, 0, 0,
                            "not an interrupted calibration (plansim "
                            "calibrate writes them)");
    ps_status st = h5_posterior_compare_settings(f, partial, settings, err);
    if (st != PS_OK || H5Lexists(f, "particle", H5P_DEFAULT) <= 0)
        return st; /* no stage finished: nothing but the settings */
    st = read_contents(f, partial, p, 1, err);
    if (st == PS_OK && !p->resume_z && p->method &&
        strcmp(p->method, "smc") == 0)
        st = ps_error_set(err, PS_ERR_DATA, partial, 0, 0,
                          "holds no resume state (written by an earlier "
                          "version of plansim): start the calibration "
                          "again");
    return st;
}

ps_status ps_h5_posterior_resume(const char *partial,
                                 const ps_h5_posterior *settings,
                                 ps_h5_posterior **out, ps_error *err)
{
    *out = NULL;
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t f;
    ps_status st = h5_resume_open(partial, &f, err);
    ps_h5_posterior *p = NULL;
    if (st == PS_OK) {
        p = calloc(1, sizeof *p);
        st =
            p ? read_partial(f, partial, settings, p, err)
              : ps_error_set(err, PS_ERR_NOMEM, partial, 0, 0, "out of memory");
        H5Fclose(f);
    }
    if (st == PS_OK)
        h5_posterior_remove_stale(partial);
    if (st == PS_OK)
        *out = p;
    else
        ps_h5_posterior_free(&p);
    h5_quiet_end(&q);
    return st;
}

ps_status ps_h5_posterior_read(const char *path, ps_h5_posterior **out,
                               ps_error *err)
{
    if (!out)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "nowhere to put the posterior");
    *out = NULL;
    if (!path)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no posterior file to read");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = h5_check_regular(path, err);
    if (st != PS_OK) {
        h5_quiet_end(&q);
        return st;
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) {
        /* A readable file without the HDF5 signature is bad data, not a
           missing input. */
        if (access(path, R_OK) == 0 && H5Fis_hdf5(path) == 0)
            st = h5_fail(err, PS_ERR_DATA, path,
                         "not a posterior file (not an HDF5 file)");
        else
            st = h5_fail(err, PS_ERR_NOINPUT, path,
                         "cannot open the posterior file");
        h5_quiet_end(&q);
        return st;
    }
    ps_h5_posterior *p = NULL;
    st = h5_layout_check(f, path, err);
    if (st == PS_OK) {
        p = calloc(1, sizeof *p);
        st = p ? read_file(f, path, p, err)
               : ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    H5Fclose(f);
    if (st == PS_OK)
        *out = p;
    else
        ps_h5_posterior_free(&p);
    h5_quiet_end(&q);
    return st;
}
