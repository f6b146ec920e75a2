/*
 * The posterior file of plansim calibrate (output/h5/h5_posterior.c and
 * h5_posterior_read.c): written and read back field by field, with and
 * without its optional parts; its netCDF layout (every dimension a
 * dimension scale, NaN fill values); the interrupted calibration left at
 * .partial; and the files the reader refuses.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "h5_fixture.h"
#include "h5_posterior_fixture.h"
#include "plansim_output/h5.h"

typedef struct fixture {
    char dir[4096], path[4200], partial[4300];
    fxp_posterior post;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/posterior-XXXXXX", base ? base : ".");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/post.h5", f->dir);
    snprintf(f->partial, sizeof f->partial, "%s.partial", f->path);
    fxp_init(&f->post);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char other[4300];
    remove(f->partial);
    remove(f->path);
    snprintf(other, sizeof other, "%s/other.h5", f->dir);
    remove(other);
    snprintf(other, sizeof other, "%s/other.txt", f->dir);
    remove(other);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* ---- comparing ----------------------------------------------------------- */

/* Equal as stored: the same bits, NaN equal to NaN. */
static void same_doubles(const double *want, const double *got, size_t n,
                         const char *what)
{
    if (!want) {
        if (got)
            fail_msg("%s: read back although not written", what);
        return;
    }
    if (!got)
        fail_msg("%s: not read back", what);
    for (size_t i = 0; i < n; i++)
        if (!(want[i] == got[i] || (isnan(want[i]) && isnan(got[i]))))
            fail_msg("%s[%zu]: %.17g, not %.17g", what, i, got[i], want[i]);
}

static void same_counts(const uint64_t *want, const uint64_t *got, size_t n,
                        const char *what)
{
    assert_non_null(got);
    for (size_t i = 0; i < n; i++)
        if (want[i] != got[i])
            fail_msg("%s[%zu]: %llu, not %llu", what, i,
                     (unsigned long long)got[i], (unsigned long long)want[i]);
}

/* Strings read back; a NULL array or entry was written as "". */
static void same_strings(char *const *want, char *const *got, size_t n,
                         const char *what)
{
    assert_non_null(got);
    for (size_t i = 0; i < n; i++) {
        const char *w = want && want[i] ? want[i] : "";
        if (!got[i] || strcmp(w, got[i]) != 0)
            fail_msg("%s[%zu]: '%s', not '%s'", what, i,
                     got[i] ? got[i] : "(null)", w);
    }
}

static void same_text(const char *want, const char *got, const char *what)
{
    if (!want) {
        if (got)
            fail_msg("%s: '%s', not absent", what, got);
        return;
    }
    if (!got || strcmp(want, got) != 0)
        fail_msg("%s: '%s', not '%s'", what, got ? got : "(null)", want);
}

/* Every field of `got` is what `want` held when it was written. */
static void same_posterior(const ps_h5_posterior *want,
                           const ps_h5_posterior *got)
{
    same_text(want->title, got->title, "title");
    same_text(want->description, got->description, "description");
    same_text(want->lang.title_zh, got->lang.title_zh, "title_zh");
    same_text(want->lang.title_en, got->lang.title_en, "title_en");
    same_text(want->lang.description_zh, got->lang.description_zh,
              "description_zh");
    same_text(want->lang.description_en, got->lang.description_en,
              "description_en");
    assert_int_equal(got->nscenario_files, want->nscenario_files);
    if (want->nscenario_files) {
        same_strings(want->scenario_names, got->scenario_names,
                     want->nscenario_files, "scenario_names");
        same_strings(want->scenario_texts, got->scenario_texts,
                     want->nscenario_files, "scenario_texts");
    }
    same_text(want->model_file, got->model_file, "model_file");
    same_text(want->model_sha256, got->model_sha256, "model_sha256");
    same_text(want->engine_version, got->engine_version, "engine_version");
    same_text(want->command_line, got->command_line, "command_line");
    assert_true(got->seed == want->seed);
    same_text(want->method, got->method, "method");
    assert_int_equal(got->complete, want->complete);
    same_doubles(&want->log_evidence, &got->log_evidence, 1, "log_evidence");
    same_doubles(&want->ess, &got->ess, 1, "ess");
    assert_true(got->evaluations == want->evaluations);
    assert_int_equal(got->collapsed, want->collapsed);
    assert_int_equal(got->converged, want->converged);
    same_doubles(&want->max_loglik, &got->max_loglik, 1, "max_loglik");
    same_doubles(&want->initial_time, &got->initial_time, 1, "initial_time");

    size_t np = want->nparams, nx = want->nparticles;
    assert_int_equal(got->nparams, np);
    same_strings(want->params, got->params, np, "params");
    same_strings(want->param_labels, got->param_labels, np, "param_labels");
    same_strings(want->param_dists, got->param_dists, np, "param_dists");
    assert_non_null(got->param_start_value);
    for (size_t j = 0; j < np; j++)
        assert_true(got->param_start_value[j] ==
                    (want->param_start_value ? want->param_start_value[j] : 0));
    same_doubles(want->prior_mean, got->prior_mean, np, "prior_mean");
    same_doubles(want->prior_sd, got->prior_sd, np, "prior_sd");
    same_doubles(want->prior_q, got->prior_q, np * 3, "prior_q");
    same_doubles(want->post_mean, got->post_mean, np, "post_mean");
    same_doubles(want->post_sd, got->post_sd, np, "post_sd");
    same_doubles(want->post_q, got->post_q, np * 3, "post_q");
    same_doubles(want->covariance, got->covariance, np * np, "covariance");

    assert_int_equal(got->nparticles, nx);
    same_doubles(want->x, got->x, nx * np, "x");
    same_doubles(want->weights, got->weights, nx, "weights");
    same_doubles(want->loglik, got->loglik, nx, "loglik");
    same_doubles(want->prior_x, got->prior_x, nx * np, "prior_x");

    size_t ns = want->nstages;
    assert_int_equal(got->nstages, ns);
    if (ns) {
        same_doubles(want->stage_phi, got->stage_phi, ns, "stage_phi");
        same_doubles(want->stage_ess, got->stage_ess, ns, "stage_ess");
        same_doubles(want->stage_acceptance, got->stage_acceptance, ns,
                     "stage_acceptance");
        same_doubles(want->stage_log_evidence, got->stage_log_evidence, ns,
                     "stage_log_evidence");
        same_counts(want->stage_moves, got->stage_moves, ns, "stage_moves");
        same_counts(want->stage_evaluations, got->stage_evaluations, ns,
                    "stage_evaluations");
    } else {
        assert_null(got->stage_phi);
        assert_null(got->stage_moves);
    }

    size_t nser = want->nseries, no = want->nobs;
    assert_int_equal(got->nseries, nser);
    assert_int_equal(got->nobs, no);
    if (nser) {
        same_strings(want->series_names, got->series_names, nser,
                     "series_names");
        same_strings(want->series_variables, got->series_variables, nser,
                     "series_variables");
        same_strings(want->series_measures, got->series_measures, nser,
                     "series_measures");
        same_doubles(want->inside50, got->inside50, nser, "inside50");
        same_doubles(want->inside90, got->inside90, nser, "inside90");
    } else {
        assert_null(got->series_names);
        assert_null(got->inside50);
    }
    if (no) {
        same_counts(want->obs_series, got->obs_series, no, "obs_series");
        same_doubles(want->obs_time, got->obs_time, no, "obs_time");
        same_doubles(want->obs_value, got->obs_value, no, "obs_value");
        same_doubles(want->pred_median, got->pred_median, no, "pred_median");
        same_doubles(want->pred_lo50, got->pred_lo50, no, "pred_lo50");
        same_doubles(want->pred_hi50, got->pred_hi50, no, "pred_hi50");
        same_doubles(want->pred_lo90, got->pred_lo90, no, "pred_lo90");
        same_doubles(want->pred_hi90, got->pred_hi90, no, "pred_hi90");
    } else {
        assert_null(got->obs_series);
        assert_null(got->obs_time);
        assert_null(got->pred_median);
    }

    size_t nt = want->ntargets;
    assert_int_equal(got->ntargets, nt);
    if (!nt) {
        assert_null(got->targets);
        assert_null(got->prior_p);
        return;
    }
    for (size_t i = 0; i < nt; i++) {
        const ps_h5_target_meta *w = &want->targets[i], *g = &got->targets[i];
        same_text(w->name, g->name, "target name");
        same_text(w->label, g->label, "target label");
        same_text(w->variable, g->variable, "target variable");
        same_text(w->source, g->source, "target source");
        assert_true(g->time == w->time);
        assert_int_equal(g->compare, w->compare);
        same_doubles(&w->lo, &g->lo, 1, "target lo");
        same_doubles(&w->hi, &g->hi, 1, "target hi");
        assert_int_equal(g->binding, w->binding);
    }
    same_doubles(want->prior_p, got->prior_p, nt, "prior_p");
    same_doubles(want->post_p, got->post_p, nt, "post_p");
}

static void write_and_compare(fixture *f, const ps_h5_posterior *p)
{
    ps_error err;
    if (ps_h5_posterior_write(f->path, p, &err) != PS_OK)
        fail_msg("write: %s", err.message);
    assert_int_not_equal(access(f->partial, F_OK), 0);
    ps_h5_posterior *got = NULL;
    if (ps_h5_posterior_read(f->path, &got, &err) != PS_OK)
        fail_msg("read: %s", err.message);
    same_posterior(p, got);
    ps_h5_posterior_free(&got);
    assert_null(got);
}

/* ---- round trips ----------------------------------------------------------
 */

static void test_ps_h5_posterior_read_returns_every_field_written(void **state)
{
    fixture *f = *state;
    write_and_compare(f, &f->post.p);
}

static void
test_ps_h5_posterior_read_leaves_out_the_parts_not_written(void **state)
{
    fixture *f = *state;
    ps_h5_posterior p = f->post.p;
    p.method = "optimize";
    p.covariance = NULL;
    p.prior_x = NULL;
    p.param_labels = NULL;
    p.nstages = 0;
    p.nseries = 0;
    p.nobs = 0;
    p.ntargets = 0;
    p.nscenario_files = 0;
    p.title = NULL;
    p.log_evidence = NAN;
    p.max_loglik = -12.5;
    p.converged = 1;
    write_and_compare(f, &p);
}

static void
test_ps_h5_posterior_read_gives_the_title_per_language_back(void **state)
{
    fixture *f = *state;
    ps_h5_posterior p = f->post.p;
    p.lang.title_zh = "钱江区 校准";
    p.lang.title_en = "Qianjiang calibration";
    p.lang.description_en = "Calibration on 2015–2021.";
    write_and_compare(f, &p);
}

static void
test_ps_h5_posterior_read_leaves_out_a_predictive_check_not_made(void **state)
{
    fixture *f = *state;
    ps_h5_posterior p = f->post.p;
    p.method = "is";
    p.collapsed = 1;
    p.nscenario_files = 1;
    p.inside50 = p.inside90 = NULL;
    p.pred_median = p.pred_lo50 = p.pred_hi50 = NULL;
    p.pred_lo90 = p.pred_hi90 = NULL;
    write_and_compare(f, &p);
}

/* ---- layout ----------------------------------------------------------------
 */

typedef struct walk {
    int datasets;
    char problem[256];
} walk;

/* netCDF-4: every dimension of a variable has a dimension scale; every
   double variable declares _FillValue NaN; every variable a long_name. */
static herr_t check_dataset(hid_t g, const char *name, const H5L_info_t *info,
                            void *data)
{
    (void)info;
    walk *w = data;
    hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
    if (d < 0)
        return 0;
    w->datasets++;
    hid_t space = H5Dget_space(d), type = H5Dget_type(d);
    int rank = H5Sget_simple_extent_ndims(space);
    if (H5DSis_scale(d) <= 0)
        for (int k = 0; k < rank; k++)
            if (H5DSget_num_scales(d, (unsigned)k) != 1)
                snprintf(w->problem, sizeof w->problem,
                         "%s: dimension %d has no dimension scale", name, k);
    if (H5Aexists(d, "long_name") <= 0)
        snprintf(w->problem, sizeof w->problem, "%s: no long_name", name);
    if (H5Tget_class(type) == H5T_FLOAT && H5DSis_scale(d) <= 0) {
        double fill = 0;
        if (H5Aexists(d, "_FillValue") <= 0 ||
            H5LTget_attribute_double(g, name, "_FillValue", &fill) < 0 ||
            !isnan(fill))
            snprintf(w->problem, sizeof w->problem, "%s: no _FillValue NaN",
                     name);
    }
    H5Tclose(type);
    H5Sclose(space);
    H5Dclose(d);
    return 0;
}

static herr_t scale_name(hid_t did, unsigned dim, hid_t dsid, void *data)
{
    (void)did;
    (void)dim;
    H5DSget_scale_name(dsid, data, 64);
    return 1;
}

static void expect_scale(hid_t file, const char *name, unsigned dim,
                         const char *want)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    assert_true(d >= 0);
    char got[64] = "";
    int idx = 0;
    assert_true(H5DSiterate_scales(d, dim, &idx, scale_name, got) >= 0);
    H5Dclose(d);
    if (strcmp(got, want) != 0)
        fail_msg("%s dimension %u is '%s', not '%s'", name, dim, got, want);
}

static void test_ps_h5_posterior_write_lays_out_netcdf_dimensions(void **state)
{
    fixture *f = *state;
    ps_error err;
    assert_int_equal(ps_h5_posterior_write(f->path, &f->post.p, &err), PS_OK);
    hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    walk w = {0, ""};
    assert_true(H5Literate(file, H5_INDEX_NAME, H5_ITER_NATIVE, NULL,
                           check_dataset, &w) >= 0);
    if (w.problem[0])
        fail_msg("%s", w.problem);
    assert_true(w.datasets > 30);
    expect_scale(file, "prior_quantile", 0, "parameter");
    expect_scale(file, "prior_quantile", 1, "quantile");
    expect_scale(file, "covariance", 0, "parameter");
    expect_scale(file, "covariance", 1, "parameter_b");
    expect_scale(file, "particle_value", 0, "particle");
    expect_scale(file, "particle_value", 1, "parameter");
    expect_scale(file, "moves", 0, "stage");
    expect_scale(file, "inside_90", 0, "series");
    expect_scale(file, "observation_series", 0, "observation");
    expect_scale(file, "posterior_probability", 0, "target");
    char kind[32] = "";
    assert_true(H5LTget_attribute_string(file, "/", "plansim_file", kind) >= 0);
    assert_string_equal(kind, "posterior");
    long long n = 0;
    assert_true(H5LTget_attribute_long_long(file, "/", "n_particles", &n) >= 0);
    assert_int_equal(n, FXP_PARTICLES);
    H5Fclose(file);
}

/* ---- interrupted and refused ----------------------------------------------
 */

/* Is there a file "partial.<digits>" beside `partial`? */
static int staging_left(const fixture *f)
{
    char name[4400];
    snprintf(name, sizeof name, "%s.%ld", f->partial, (long)getpid());
    return access(name, F_OK) == 0;
}

/*
 * The claim makes path.partial with the settings, refused when it exists
 * (naming --resume) and left as it was; an interrupted write replaces it
 * whole with the last stage and its resume state, which forecasts refuse
 * and a resume with the same settings reads back (one with another seed
 * is refused naming it); the complete write commits path and removes
 * path.partial.
 */
static void
test_ps_h5_posterior_write_leaves_an_interrupted_one_partial(void **state)
{
    fixture *f = *state;
    ps_h5_posterior p = f->post.p;
    ps_error err;
    assert_int_equal(ps_h5_posterior_claim(f->path, &p, &err), PS_OK);
    struct stat claim, again, after;
    assert_int_equal(stat(f->partial, &claim), 0);
    assert_int_equal(ps_h5_posterior_claim(f->path, &p, &err),
                     PS_ERR_CANTCREAT);
    assert_string_equal(err.file, f->partial);
    assert_non_null(strstr(err.message, "--resume"));
    assert_int_equal(stat(f->partial, &again), 0);
    assert_int_equal(claim.st_ino, again.st_ino);
    assert_int_equal(claim.st_size, again.st_size);

    /* the claim holds no stage */
    ps_h5_posterior *held = NULL;
    assert_int_equal(ps_h5_posterior_resume(f->partial, &p, &held, &err),
                     PS_OK);
    assert_int_equal(held->nparticles, 0);
    ps_h5_posterior_free(&held);

    double z[FXP_PARTICLES * FXP_PARAMS], extra[FXP_PARTICLES * 2],
        prior_extra[FXP_PARTICLES * 2];
    for (size_t i = 0; i < FXP_PARTICLES * FXP_PARAMS; i++)
        z[i] = 0.25 * (double)i - 1.0;
    for (size_t i = 0; i < FXP_PARTICLES * 2; i++) {
        extra[i] = 100.0 + (double)i;
        prior_extra[i] = -(double)i;
    }
    p.complete = 0;
    p.nextra = 2;
    p.resume_z = z;
    p.resume_extra = extra;
    p.resume_prior_extra = prior_extra;
    p.resume_move_scale = 0.75;
    assert_int_equal(ps_h5_posterior_write(f->path, &p, &err), PS_OK);
    assert_int_not_equal(access(f->path, F_OK), 0);
    assert_int_equal(stat(f->partial, &after), 0);
    assert_int_not_equal(after.st_ino, claim.st_ino);
    assert_false(staging_left(f));

    ps_h5_posterior *got = (ps_h5_posterior *)&p; /* must become NULL */
    assert_int_equal(ps_h5_posterior_read(f->partial, &got, &err), PS_ERR_DATA);
    assert_null(got);
    assert_non_null(strstr(err.message, "interrupted calibration"));
    assert_string_equal(err.file, f->partial);

    assert_int_equal(ps_h5_posterior_resume(f->partial, &p, &held, &err),
                     PS_OK);
    assert_int_equal(held->nparticles, FXP_PARTICLES);
    assert_int_equal(held->nstages, p.nstages);
    assert_int_equal(held->complete, 0);
    assert_int_equal(held->nextra, 2);
    assert_memory_equal(held->resume_z, z, sizeof z);
    assert_memory_equal(held->resume_extra, extra, sizeof extra);
    assert_memory_equal(held->resume_prior_extra, prior_extra,
                        sizeof prior_extra);
    assert_true(held->resume_move_scale == 0.75);
    assert_memory_equal(held->x, p.x,
                        FXP_PARTICLES * FXP_PARAMS * sizeof *p.x);
    ps_h5_posterior_free(&held);

    ps_h5_posterior other = p;
    other.seed = p.seed + 1;
    assert_int_equal(ps_h5_posterior_resume(f->partial, &other, &held, &err),
                     PS_ERR_DATA);
    assert_null(held);
    assert_non_null(strstr(err.message, "seed"));
    assert_string_equal(err.file, f->partial);

    assert_int_equal(ps_h5_posterior_write(f->path, &f->post.p, &err), PS_OK);
    assert_int_not_equal(access(f->partial, F_OK), 0);
    assert_false(staging_left(f));
    assert_int_equal(ps_h5_posterior_read(f->path, &got, &err), PS_OK);
    assert_null(got->resume_z);
    ps_h5_posterior_free(&got);
}

static void test_ps_h5_posterior_read_refuses_other_files(void **state)
{
    fixture *f = *state;
    char other[4300];
    ps_error err;
    ps_h5_posterior *got = NULL;

    /* An ensemble file. */
    snprintf(other, sizeof other, "%s/other.h5", f->dir);
    assert_int_equal(fx_write(other, NULL, FX_NBLOCKS, 1, 1, &err), PS_OK);
    assert_int_equal(ps_h5_posterior_read(other, &got, &err), PS_ERR_DATA);
    assert_null(got);
    assert_non_null(strstr(err.message, "not a posterior file"));
    assert_string_equal(err.file, other);

    /* A file that is not HDF5. */
    snprintf(other, sizeof other, "%s/other.txt", f->dir);
    FILE *t = fopen(other, "w");
    assert_non_null(t);
    fputs("particle,weight\n0,1\n", t);
    fclose(t);
    assert_int_equal(ps_h5_posterior_read(other, &got, &err), PS_ERR_DATA);
    assert_null(got);

    /* No file. */
    snprintf(other, sizeof other, "%s/missing.h5", f->dir);
    assert_int_equal(ps_h5_posterior_read(other, &got, &err), PS_ERR_NOINPUT);
    assert_null(got);
}

/* Opens the written file for writing and lets `damage` change it. */
static void damaged(fixture *f, void (*damage)(hid_t file), const char *want)
{
    ps_error err;
    assert_int_equal(ps_h5_posterior_write(f->path, &f->post.p, &err), PS_OK);
    hid_t file = H5Fopen(f->path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(file >= 0);
    damage(file);
    H5Fclose(file);
    ps_h5_posterior *got = NULL;
    assert_int_equal(ps_h5_posterior_read(f->path, &got, &err), PS_ERR_DATA);
    assert_null(got);
    if (!strstr(err.message, want))
        fail_msg("'%s' does not name '%s'", err.message, want);
}

static void drop_weight(hid_t file)
{
    assert_true(H5Ldelete(file, "weight", H5P_DEFAULT) >= 0);
}

static void bad_series_index(hid_t file)
{
    int64_t v[FXP_OBS] = {0, 1, 2}; /* series 2 of 2 */
    assert_true(
        H5LTread_dataset(file, "observation_series", H5T_NATIVE_INT64, v) >= 0);
    v[2] = FXP_SERIES;
    hid_t d = H5Dopen2(file, "observation_series", H5P_DEFAULT);
    assert_true(
        H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Dclose(d);
}

/* A particle_value longer than the particle dimension. */
static void long_particle_value(hid_t file)
{
    assert_true(H5Ldelete(file, "particle_value", H5P_DEFAULT) >= 0);
    double v[(FXP_PARTICLES + 1) * FXP_PARAMS] = {0};
    hsize_t dims[2] = {FXP_PARTICLES + 1, FXP_PARAMS};
    assert_true(H5LTmake_dataset_double(file, "particle_value", 2, dims, v) >=
                0);
}

static void test_ps_h5_posterior_read_refuses_a_damaged_file(void **state)
{
    fixture *f = *state;
    damaged(f, drop_weight, "'weight'");
    damaged(f, bad_series_index, "'observation_series'");
    damaged(f, long_particle_value, "'particle_value'");
}

static void test_ps_h5_posterior_write_refuses_a_bad_posterior(void **state)
{
    fixture *f = *state;
    ps_error err;
    ps_h5_posterior p = f->post.p;
    p.nparams = 0;
    assert_int_equal(ps_h5_posterior_write(f->path, &p, &err), PS_ERR_USAGE);
    p = f->post.p;
    p.nparticles = 0;
    assert_int_equal(ps_h5_posterior_write(f->path, &p, &err), PS_ERR_USAGE);
    p = f->post.p;
    uint64_t series[FXP_OBS] = {0, 1, FXP_SERIES};
    p.obs_series = series;
    assert_int_equal(ps_h5_posterior_write(f->path, &p, &err), PS_ERR_USAGE);
    p = f->post.p;
    p.prior_p = NULL;
    assert_int_equal(ps_h5_posterior_write(f->path, &p, &err), PS_ERR_USAGE);
    assert_int_not_equal(access(f->path, F_OK), 0);
    assert_int_not_equal(access(f->partial, F_OK), 0);

    /* A directory that does not exist. */
    char bad[4300];
    snprintf(bad, sizeof bad, "%s/no/such/dir/post.h5", f->dir);
    assert_int_equal(ps_h5_posterior_write(bad, &f->post.p, &err),
                     PS_ERR_CANTCREAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_read_returns_every_field_written, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_read_leaves_out_the_parts_not_written, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_read_leaves_out_a_predictive_check_not_made,
            setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_read_gives_the_title_per_language_back, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_write_lays_out_netcdf_dimensions, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_write_leaves_an_interrupted_one_partial, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_read_refuses_other_files, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_read_refuses_a_damaged_file, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_posterior_write_refuses_a_bad_posterior, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
