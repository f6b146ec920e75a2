/*
 * The posterior file of `plansim calibrate`: what a calibration found,
 * one netCDF dimension per kind of thing.
 *
 *   dimensions:  parameter, quantile, particle, and when they are not
 *                empty parameter_b (with a covariance), stage, series,
 *                observation, target
 *   coordinates: parameter(parameter), parameter_b(parameter_b) (the
 *                same names: the covariance's second axis), quantile
 *                [0.05, 0.5, 0.95], particle, stage and observation
 *                (indices 0 ... n-1), series(series), target(target)
 *   data:        the inputs' priors and posteriors over parameter (and
 *                quantile), the particles over (particle, parameter),
 *                the sampler's stages, the observations with their
 *                predictive bands, the targets' probabilities
 *
 * docs/output-format.md ("The posterior file") describes every variable.
 */
#include "h5_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plansim/output_file.h"

/* The probability levels of prior_quantile and posterior_quantile. */
static const double levels[3] = {0.05, 0.5, 0.95};

/* A dimension: its coordinate (an open dimension scale) and length. */
typedef struct axis {
    hid_t scale;
    size_t n;
} axis;

/* The file's dimensions; a scale is negative until it is written. */
typedef struct axes {
    axis parameter, parameter_b, quantile, particle, stage, series, observation,
        target, extra;
} axes;

static ps_status usage(ps_error *err, const char *what)
{
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0, "a posterior %s", what);
}

static ps_status check_posterior(const ps_h5_posterior *p, ps_error *err)
{
    if (p->nparams == 0 || !p->params || p->nparticles == 0)
        return usage(err, "without parameters or particles");
    if (p->nscenario_files && (!p->scenario_names || !p->scenario_texts))
        return usage(err, "without its scenario files' names or texts");
    for (size_t j = 0; j < p->nparams; j++)
        if (!p->params[j])
            return usage(err, "with a parameter without a name");
    if (!p->prior_mean || !p->prior_sd || !p->prior_q || !p->post_mean ||
        !p->post_sd || !p->post_q)
        return usage(err, "without the parameters' summaries");
    if (p->nparticles > SIZE_MAX / sizeof(double) / p->nparams ||
        p->nparams > SIZE_MAX / sizeof(double) / p->nparams)
        return usage(err, "too large to write");
    if (!p->x || !p->weights || !p->loglik)
        return usage(err, "without its particles' values");
    if (p->nstages &&
        (!p->stage_phi || !p->stage_ess || !p->stage_acceptance ||
         !p->stage_log_evidence || !p->stage_moves || !p->stage_evaluations))
        return usage(err, "without its stages' values");
    if (p->nseries && !p->series_names)
        return usage(err, "with series without names");
    if (p->nobs &&
        (!p->nseries || !p->obs_series || !p->obs_time || !p->obs_value))
        return usage(err, "with observations without their series, times "
                          "or values");
    for (size_t i = 0; i < p->nobs; i++)
        if (p->obs_series[i] >= p->nseries)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "observation %zu names series %llu of %zu",
                                i + 1, (unsigned long long)p->obs_series[i],
                                p->nseries);
    if (p->ntargets && (!p->targets || !p->prior_p || !p->post_p))
        return usage(err, "with targets without their probabilities");
    if (p->resume_z && p->nextra &&
        (!p->resume_extra || !p->resume_prior_extra))
        return usage(err, "resume state without its predictions");
    return PS_OK;
}

static int write_globals(hid_t f, const ps_h5_posterior *p)
{
    h5_provenance prov = {
        p->title,
        p->description,
        p->nscenario_files,
        (const char *const *)p->scenario_names,
        (const char *const *)p->scenario_texts,
        p->model_file,
        p->model_sha256,
        p->seed,
        NULL,
        p->engine_version,
        p->command_line,
        p->lang,
    };
    if (h5_write_provenance(f, &prov) < 0)
        return -1;
    int rc = 0;
    rc |= h5_attr_short(f, "plansim_file", "posterior");
    rc |= h5_attr_short(f, "method", p->method);
    rc |= h5_attr_int64(f, "complete", p->complete ? 1 : 0);
    rc |= h5_attr_double(f, "log_evidence", p->log_evidence);
    rc |= h5_attr_double(f, "ess", p->ess);
    rc |= h5_attr_uint64(f, "evaluations", p->evaluations);
    rc |= h5_attr_int64(f, "collapsed", p->collapsed ? 1 : 0);
    rc |= h5_attr_int64(f, "converged", p->converged ? 1 : 0);
    rc |= h5_attr_double(f, "max_loglik", p->max_loglik);
    rc |= h5_attr_double(f, "initial_time", p->initial_time);
    rc |= h5_attr_int64(f, "n_particles", (int64_t)p->nparticles);
    return rc ? -1 : 0;
}

/* ---- coordinates --------------------------------------------------------- */

static int string_coord(hid_t f, const char *name, size_t n, char *const *texts,
                        const char *long_name, axis *a)
{
    a->n = n;
    a->scale = h5_string_dataset(f, name, n, (const char *const *)texts);
    if (a->scale < 0 || H5DSset_scale(a->scale, name) < 0 ||
        h5_attr_text(a->scale, "long_name", long_name) < 0)
        return -1;
    return 0;
}

/* An int64 coordinate 0 ... n-1. */
static int index_coord(hid_t f, const char *name, size_t n,
                       const char *long_name, axis *a)
{
    hsize_t dim = n;
    int64_t *idx = malloc(n * sizeof *idx);
    a->n = n;
    a->scale = h5_dataset(f, name, H5T_STD_I64LE, 1, &dim, NULL);
    if (!idx || a->scale < 0) {
        free(idx);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        idx[i] = (int64_t)i;
    herr_t w = H5Dwrite(a->scale, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL,
                        H5P_DEFAULT, idx);
    free(idx);
    if (w < 0 || H5DSset_scale(a->scale, name) < 0 ||
        h5_attr_text(a->scale, "long_name", long_name) < 0)
        return -1;
    return 0;
}

static int quantile_coord(hid_t f, axis *a)
{
    hsize_t dim = 3;
    a->n = 3;
    a->scale = h5_dataset(f, H5N_QUANTILE, H5T_IEEE_F64LE, 1, &dim, NULL);
    if (a->scale < 0 ||
        H5Dwrite(a->scale, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                 levels) < 0 ||
        H5DSset_scale(a->scale, H5N_QUANTILE) < 0 ||
        h5_attr_text(a->scale, "long_name",
                     "probability level of the quantile") < 0 ||
        h5_attr_short(a->scale, "units", "1") < 0)
        return -1;
    return 0;
}

/* ---- variables ----------------------------------------------------------- */

/*
 * A double (H5T_IEEE_F64LE) or integer (H5T_STD_I64LE, from uint64_t
 * values) variable over `a` (and `b` when not NULL): its values, NaN as
 * HDF5 fill value and _FillValue for doubles, long_name, units when not
 * NULL, and its dimension scales.
 */
static int put_var(hid_t f, const char *name, hid_t type, const void *v,
                   const axis *a, const axis *b, const char *long_name,
                   const char *units)
{
    int is_double = type == H5T_IEEE_F64LE;
    hsize_t dims[2] = {a->n, b ? b->n : 0};
    double nan = NAN;
    hid_t d = h5_dataset(f, name, type, b ? 2 : 1, dims,
                         is_double ? (const void *)&nan : NULL);
    if (d < 0)
        return -1;
    hid_t memtype = is_double ? H5T_NATIVE_DOUBLE : H5T_NATIVE_UINT64;
    int rc = H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
                     h5_attr_text(d, "long_name", long_name) < 0 ||
                     h5_attr_short(d, "units", units) < 0 ||
                     (is_double && h5_attr_double(d, "_FillValue", NAN) < 0) ||
                     H5DSattach_scale(d, a->scale, 0) < 0 ||
                     (b && H5DSattach_scale(d, b->scale, 1) < 0)
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

static int put_doubles(hid_t f, const char *name, const double *v,
                       const axis *a, const axis *b, const char *long_name,
                       const char *units)
{
    return put_var(f, name, H5T_IEEE_F64LE, v, a, b, long_name, units);
}

static int put_counts(hid_t f, const char *name, const uint64_t *v,
                      const axis *a, const char *long_name)
{
    return put_var(f, name, H5T_STD_I64LE, v, a, NULL, long_name, NULL);
}

/* param_start_value: 1 for a start value of the calibrated run (the
   scenario's `start value: true`), 0 otherwise; zeros when none is. */
static int put_start_values(hid_t f, const ps_h5_posterior *p, const axis *a)
{
    uint64_t *v = calloc(p->nparams ? p->nparams : 1, sizeof *v);
    if (!v)
        return -1;
    for (size_t j = 0; p->param_start_value && j < p->nparams; j++)
        v[j] = p->param_start_value[j] != 0;
    int rc = put_counts(f, "param_start_value", v, a,
                        "1: a start value of the calibrated run, which "
                        "forecasts from the posterior do not take");
    free(v);
    return rc;
}

static int put_strings(hid_t f, const char *name, char *const *texts,
                       const axis *a, const char *long_name)
{
    hid_t d = h5_string_dataset(f, name, a->n, (const char *const *)texts);
    if (d < 0)
        return -1;
    int rc = h5_attr_text(d, "long_name", long_name) < 0 ||
                     H5DSattach_scale(d, a->scale, 0) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

/* ---- blocks -------------------------------------------------------------- */

static int write_parameters(hid_t f, const ps_h5_posterior *p, axes *x)
{
    const axis *par = &x->parameter, *q = &x->quantile;
    if (string_coord(f, "parameter", p->nparams, p->params,
                     "calibrated input (as the scenario names it)",
                     &x->parameter) < 0 ||
        put_strings(f, "param_label", p->param_labels, par,
                    "description of the input") < 0 ||
        put_strings(f, "param_distribution", p->param_dists, par,
                    "prior distribution of the input") < 0 ||
        put_start_values(f, p, par) < 0 ||
        quantile_coord(f, &x->quantile) < 0 ||
        put_doubles(f, "prior_mean", p->prior_mean, par, NULL,
                    "prior mean of the input", NULL) < 0 ||
        put_doubles(f, "prior_sd", p->prior_sd, par, NULL,
                    "prior standard deviation of the input", NULL) < 0 ||
        put_doubles(f, "prior_quantile", p->prior_q, par, q,
                    "prior quantile of the input", NULL) < 0 ||
        put_doubles(f, "posterior_mean", p->post_mean, par, NULL,
                    "posterior mean of the input", NULL) < 0 ||
        put_doubles(f, "posterior_sd", p->post_sd, par, NULL,
                    "posterior standard deviation of the input", NULL) < 0 ||
        put_doubles(f, "posterior_quantile", p->post_q, par, q,
                    "posterior quantile of the input", NULL) < 0)
        return -1;
    if (!p->covariance)
        return 0;
    if (string_coord(f, "parameter_b", p->nparams, p->params,
                     "calibrated input (second axis of the covariance)",
                     &x->parameter_b) < 0 ||
        put_doubles(f, "covariance", p->covariance, par, &x->parameter_b,
                    "approximate covariance of the estimate", NULL) < 0)
        return -1;
    return 0;
}

static int write_particles(hid_t f, const ps_h5_posterior *p, axes *x)
{
    const axis *pt = &x->particle, *par = &x->parameter;
    if (index_coord(f, "particle", p->nparticles, "particle index",
                    &x->particle) < 0 ||
        put_doubles(f, "particle_value", p->x, pt, par,
                    "input value of the particle", NULL) < 0 ||
        put_doubles(f, "weight", p->weights, pt, NULL,
                    "normalised weight of the particle", "1") < 0 ||
        put_doubles(f, "log_likelihood", p->loglik, pt, NULL,
                    "log-likelihood of the observed series at the particle",
                    NULL) < 0)
        return -1;
    return p->prior_x ? put_doubles(f, "prior_value", p->prior_x, pt, par,
                                    "input value of the prior draw", NULL)
                      : 0;
}

static int write_stages(hid_t f, const ps_h5_posterior *p, axes *x)
{
    const axis *s = &x->stage;
    if (index_coord(f, "stage", p->nstages, "sampler stage", &x->stage) < 0 ||
        put_doubles(f, "tempering_exponent", p->stage_phi, s, NULL,
                    "tempering exponent reached (1: posterior)", "1") < 0 ||
        put_doubles(f, "ess", p->stage_ess, s, NULL,
                    "effective sample size after reweighting", NULL) < 0 ||
        put_doubles(f, "acceptance", p->stage_acceptance, s, NULL,
                    "mean acceptance rate of the stage's moves", "1") < 0 ||
        put_doubles(f, "log_evidence_increment", p->stage_log_evidence, s, NULL,
                    "log of the stage's mean incremental weight", NULL) < 0 ||
        put_counts(f, "moves", p->stage_moves, s,
                   "move steps made in the stage") < 0 ||
        put_counts(f, "evaluations", p->stage_evaluations, s,
                   "likelihood evaluations so far") < 0)
        return -1;
    return 0;
}

/* A predictive array, left out when the check was not made. */
static int put_optional(hid_t f, const char *name, const double *v,
                        const axis *a, const char *long_name, const char *units)
{
    return v ? put_doubles(f, name, v, a, NULL, long_name, units) : 0;
}

static int write_series(hid_t f, const ps_h5_posterior *p, axes *x)
{
    const axis *s = &x->series;
    if (string_coord(f, "series", p->nseries, p->series_names,
                     "observed series (as the scenario names it)",
                     &x->series) < 0 ||
        put_strings(f, "series_variable", p->series_variables, s,
                    "model variable the series measures") < 0 ||
        put_strings(f, "series_measure", p->series_measures, s,
                    "what is observed: level, growth or share") < 0 ||
        put_optional(f, "inside_50", p->inside50, s,
                     "share of the observations inside the central 50 % "
                     "predictive band",
                     "1") < 0 ||
        put_optional(f, "inside_90", p->inside90, s,
                     "share of the observations inside the central 90 % "
                     "predictive band",
                     "1") < 0)
        return -1;
    if (p->nobs == 0)
        return 0;
    const axis *o = &x->observation;
    if (index_coord(f, "observation", p->nobs, "observation index",
                    &x->observation) < 0 ||
        put_counts(f, "observation_series", p->obs_series, o,
                   "index of the observation's series") < 0 ||
        put_doubles(f, "observation_time", p->obs_time, o, NULL,
                    "time of the observation", NULL) < 0 ||
        put_doubles(f, "observed", p->obs_value, o, NULL, "observed value",
                    NULL) < 0 ||
        put_optional(f, "predictive_median", p->pred_median, o,
                     "median of the posterior predictive", NULL) < 0 ||
        put_optional(f, "predictive_lo50", p->pred_lo50, o,
                     "lower end of the central 50 % predictive band",
                     NULL) < 0 ||
        put_optional(f, "predictive_hi50", p->pred_hi50, o,
                     "upper end of the central 50 % predictive band",
                     NULL) < 0 ||
        put_optional(f, "predictive_lo90", p->pred_lo90, o,
                     "lower end of the central 90 % predictive band",
                     NULL) < 0 ||
        put_optional(f, "predictive_hi90", p->pred_hi90, o,
                     "upper end of the central 90 % predictive band", NULL) < 0)
        return -1;
    return 0;
}

static int write_targets(hid_t f, const ps_h5_posterior *p, axes *x)
{
    x->target.n = p->ntargets;
    const axis *t = &x->target;
    if (h5_write_target_defs(f, p->ntargets, p->targets, 1, NULL, NULL,
                             &x->target.scale) < 0 ||
        put_doubles(f, "prior_probability", p->prior_p, t, NULL,
                    "probability of meeting the target under the prior draws",
                    "1") < 0 ||
        put_doubles(f, "posterior_probability", p->post_p, t, NULL,
                    "probability of meeting the target under the posterior",
                    "1") < 0)
        return -1;
    return 0;
}

/* What an interrupted SMC continues from (ps_h5_posterior_resume). */
static int write_resume_state(hid_t f, const ps_h5_posterior *p, axes *x)
{
    const axis *pt = &x->particle;
    if (put_doubles(f, "resume_normal_score", p->resume_z, pt, &x->parameter,
                    "normal score of the particle's inputs (resume state)",
                    "1") < 0 ||
        h5_attr_double(f, "resume_move_scale", p->resume_move_scale) < 0)
        return -1;
    if (p->nextra == 0)
        return 0;
    if (index_coord(f, "extra", p->nextra,
                    "prediction of a particle (resume state)", &x->extra) < 0 ||
        put_doubles(f, "resume_extra", p->resume_extra, pt, &x->extra,
                    "the particle's predictions (resume state)", NULL) < 0 ||
        put_doubles(f, "resume_prior_extra", p->resume_prior_extra, pt,
                    &x->extra, "the prior draw's predictions (resume state)",
                    NULL) < 0)
        return -1;
    return 0;
}

static void close_axes(axes *x)
{
    axis *all[] = {&x->parameter,   &x->parameter_b, &x->quantile,
                   &x->particle,    &x->stage,       &x->series,
                   &x->observation, &x->target,      &x->extra};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (all[i]->scale >= 0)
            H5Dclose(all[i]->scale);
}

/* Writes `p` into the new file `staging` (PS_OK, or the error with the
   file removed). */
static ps_status write_file(const char *staging, const ps_h5_posterior *p,
                            ps_error *err)
{
    axes x = {{-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0},
              {-1, 0}, {-1, 0}, {-1, 0}, {-1, 0}};
    hid_t f;
    ps_status st = h5_create_netcdf_file(staging, staging, &f, err);
    if (st != PS_OK)
        return st;
    if (write_globals(f, p) < 0)
        st = h5_fail(err, PS_ERR_IO, staging,
                     "cannot write the global attributes");
    else if (write_parameters(f, p, &x) < 0)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot write the parameters");
    else if (write_particles(f, p, &x) < 0)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot write the particles");
    else if (p->nstages && write_stages(f, p, &x) < 0)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot write the stages");
    else if (p->nseries && write_series(f, p, &x) < 0)
        st = h5_fail(err, PS_ERR_IO, staging,
                     "cannot write the observed series");
    else if (p->ntargets && write_targets(f, p, &x) < 0)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot write the targets");
    else if (!p->complete && p->resume_z && write_resume_state(f, p, &x) < 0)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot write the resume state");
    else if (h5_write_posterior_labels(f, p->labels) < 0)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot store the labels");
    close_axes(&x);
    if (H5Fclose(f) < 0 && st == PS_OK)
        st = h5_fail(err, PS_ERR_IO, staging, "cannot close the file");
    if (st != PS_OK)
        remove(staging);
    return st;
}

/* Removes this calibration's "path.partial" once the posterior is in
   place: a regular file only (a link is left alone). */
static void remove_partial(const char *partial)
{
    struct stat st;
    if (lstat(partial, &st) == 0 && S_ISREG(st.st_mode))
        unlink(partial);
}

/* "partial.<process id>": where this process makes a file before it
   takes its name.  A new string, NULL on no memory. */
static char *staging_name(const char *partial)
{
    size_t size = strlen(partial) + 32;
    char *staging = malloc(size);
    if (staging)
        snprintf(staging, size, "%s.%ld", partial, (long)getpid());
    return staging;
}

static ps_status write_posterior(const char *path, const ps_h5_posterior *p,
                                 ps_error *err)
{
    char *partial = ps_output_partial_name(path);
    char *staging = partial ? staging_name(partial) : NULL;
    if (!staging) {
        free(partial);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    const h5_expected_dataset expect[] = {
        {"particle_value", 2, {p->nparticles, p->nparams}, 0},
        {"weight", 1, {p->nparticles, 0}, 0},
        {"posterior_mean", 1, {p->nparams, 0}, 0},
    };
    ps_status st = write_file(staging, p, err);
    if (st == PS_OK) {
        st = h5_commit_file(staging, p->complete ? path : partial, expect,
                            sizeof expect / sizeof *expect, err);
        if (st != PS_OK)
            remove(staging);
    }
    if (st == PS_OK && p->complete)
        remove_partial(partial);
    free(staging);
    free(partial);
    return st;
}

ps_status ps_h5_posterior_write(const char *path, const ps_h5_posterior *p,
                                ps_error *err)
{
    if (!path || !p)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no path or no posterior to write");
    ps_status st = check_posterior(p, err);
    if (st != PS_OK)
        return st;
    h5_quiet q;
    h5_quiet_begin(&q);
    st = write_posterior(path, p, err);
    h5_quiet_end(&q);
    return st;
}

/* The settings of `p` (global attributes and labels) into `f`. */
static ps_status write_settings(hid_t f, const void *ctx, ps_error *err)
{
    const ps_h5_posterior *p = ctx;
    if (write_globals(f, p) < 0 || h5_write_posterior_labels(f, p->labels) < 0)
        return h5_fail(err, PS_ERR_IO, p->model_file,
                       "cannot write the calibration's settings");
    return PS_OK;
}

/* The settings are laid out under a staging name and only then take the
   name path.partial (h5_create_staged, h5_publish_staged): a process
   killed meanwhile leaves no half-written .partial, and one that exists
   is refused, never replaced. */
static ps_status claim(const char *path, const ps_h5_posterior *p,
                       ps_error *err)
{
    char *partial = ps_output_partial_name(path);
    if (!partial)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    h5_posterior_remove_stale(partial);
    char *staging;
    hid_t f;
    ps_status st = h5_create_staged(partial, path, &staging, &f, err);
    if (st == PS_OK) {
        st = write_settings(f, p, err);
        if (st == PS_OK)
            st = h5_publish_staged(f, &staging, partial, err);
        if (H5Fclose(f) < 0 && st == PS_OK)
            st = h5_fail(err, PS_ERR_IO, partial, "cannot close the file");
        if (staging)
            unlink(staging);
        free(staging);
    }
    free(partial);
    return st;
}

ps_status ps_h5_posterior_claim(const char *path, const ps_h5_posterior *p,
                                ps_error *err)
{
    if (!path || !p)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no path or no settings to claim it with");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = claim(path, p, err);
    h5_quiet_end(&q);
    return st;
}

/* Is `name` the staging file of `base` ("base.<process id>") made by a
   process that no longer runs? */
static int is_stale_staging(const char *name, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0 || name[n] != '.' || !name[n + 1])
        return 0;
    char *end;
    errno = 0;
    long pid = strtol(name + n + 1, &end, 10);
    if (*end || errno || pid <= 0 || pid == (long)getpid())
        return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void h5_posterior_remove_stale(const char *partial)
{
    const char *slash = strrchr(partial, '/');
    const char *base = slash ? slash + 1 : partial;
    char *dir = ps_output_folder(partial);
    DIR *d = dir ? opendir(dir) : NULL;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (!is_stale_staging(e->d_name, base))
            continue;
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
            S_ISREG(st.st_mode) && st.st_uid == geteuid())
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
    free(dir);
}

void ps_h5_posterior_unclaim(const char *path)
{
    char *partial = path ? ps_output_partial_name(path) : NULL;
    if (partial)
        remove_partial(partial);
    free(partial);
}

/* The attributes a calibration's file holds as results so far: not
   compared when it is resumed. */
static const char *const result_attrs[] = {
    "complete",    "log_evidence",      "ess",
    "evaluations", "collapsed",         "converged",
    "max_loglik",  "resume_move_scale", NULL,
};

ps_status h5_posterior_compare_settings(hid_t f, const char *partial,
                                        const ps_h5_posterior *settings,
                                        ps_error *err)
{
    return h5_resume_compare_except(f, partial, write_settings, settings,
                                    result_attrs, err);
}
