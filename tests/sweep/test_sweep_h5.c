/*
 * The probability-surface file of plansim sweep (output/h5/h5_sweep.c):
 * its layout read back with the HDF5 API, and its refusals.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>
#include <hdf5_hl.h>

#include "plansim_output/h5.h"

static const double lever_a[3] = {0.1, 0.15, 0.2};
static const double lever_b[2] = {0.005, 0.02};

/* Two targets over a 3 x 2 grid; probability = hits / runs. */
typedef struct fixture {
    char dir[4096], path[4200];
    ps_h5_sweep_axis axes[2];
    ps_h5_target_meta targets[2];
    long long hits[12], runs[12], failed[6];
    double p[12], lo[12], hi[12];
    ps_h5_sweep sweep;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/sweep-h5-XXXXXX", base ? base : ".");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/surface.h5", f->dir);
    f->axes[0] = (ps_h5_sweep_axis){
        "fai growth", "Dmnl", "固定资产投资年增速", "lever", 3, lever_a, 0};
    /* A lever whose dataset name would be one the layout uses. */
    f->axes[1] = (ps_h5_sweep_axis){
        "probability", "1/Year", NULL, "model constant", 2, lever_b, 0};
    f->targets[0] = (ps_h5_target_meta){"gdp_700",
                                        "地区生产总值≥700亿元",
                                        "gdp nominal",
                                        2030,
                                        PS_SC_AT_LEAST,
                                        700,
                                        NAN,
                                        0,
                                        NULL};
    f->targets[1] = (ps_h5_target_meta){
        "cap", NULL, "debt", 2030, PS_SC_AT_MOST, NAN, 1.5, 1, NULL};
    for (int i = 0; i < 12; i++) {
        f->runs[i] = 100;
        f->hits[i] = 7 * i;
        f->p[i] = (double)f->hits[i] / 100.0;
        f->lo[i] = f->p[i] - 0.01;
        f->hi[i] = f->p[i] + 0.01;
    }
    f->failed[5] = 3;
    static const char *const names[] = {"plan.yaml", "baseline.yaml"};
    static const char *const texts[] = {"extends: baseline.yaml\n",
                                        "title: 基准\n"};
    f->sweep = (ps_h5_sweep){
        .title = "规划情景",
        .nscenario_files = 2,
        .scenario_names = names,
        .scenario_texts = texts,
        .model_file = "qianjiang.mdl",
        .model_sha256 = "00ff",
        .sampling = "lhs",
        .engine_version = "0.1.0",
        .command_line = "plansim sweep plan.yaml",
        .seed = 20260101,
        .runs = 100,
        .naxes = 2,
        .axes = f->axes,
        .ntargets = 2,
        .targets = f->targets,
        .hits = f->hits,
        .counted = f->runs,
        .probability = f->p,
        .ci_low = f->lo,
        .ci_high = f->hi,
        .failed = f->failed,
    };
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char p[4300];
    snprintf(p, sizeof p, "%s.partial", f->path);
    remove(p);
    remove(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* A string attribute, fixed or variable length, into buf. */
static void attr_text(hid_t file, const char *obj, const char *name, char *buf,
                      size_t size)
{
    hid_t a = H5Aopen_by_name(file, obj, name, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t t = H5Aget_type(a);
    assert_true(t >= 0);
    if (H5Tis_variable_str(t) > 0) {
        char *s = NULL;
        hid_t mem = H5Tcopy(H5T_C_S1);
        H5Tset_size(mem, H5T_VARIABLE);
        H5Tset_cset(mem, H5T_CSET_UTF8);
        assert_true(H5Aread(a, mem, &s) >= 0);
        snprintf(buf, size, "%s", s ? s : "");
        H5free_memory(s);
        H5Tclose(mem);
    } else {
        size_t n = H5Tget_size(t);
        assert_true(n < size);
        memset(buf, 0, size);
        assert_true(H5Aread(a, t, buf) >= 0);
    }
    H5Tclose(t);
    H5Aclose(a);
}

static void dims_of(hid_t file, const char *name, int *rank, hsize_t *dims)
{
    assert_true(H5LTget_dataset_ndims(file, name, rank) >= 0);
    assert_true(H5LTget_dataset_info(file, name, dims, NULL, NULL) >= 0);
}

/* The dimension scale attached to dimension `dim` of `name`. */
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

static void
test_ps_h5_sweep_write_lays_out_one_dimension_per_lever(void **state)
{
    fixture *f = *state;
    ps_error err;
    assert_int_equal(ps_h5_sweep_write(f->path, &f->sweep, &err), PS_OK);
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", f->path);
    assert_int_not_equal(access(partial, F_OK), 0);

    hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    int rank;
    hsize_t dims[4];
    dims_of(file, "probability", &rank, dims);
    assert_int_equal(rank, 3);
    assert_true(dims[0] == 2 && dims[1] == 3 && dims[2] == 2);
    dims_of(file, "failed", &rank, dims);
    assert_int_equal(rank, 2);
    assert_true(dims[0] == 3 && dims[1] == 2);
    /* The second lever is named so as not to clash with the layout. */
    dims_of(file, "probability_2", &rank, dims);
    assert_int_equal(rank, 1);
    assert_true(dims[0] == 2);
    expect_scale(file, "probability", 0, "target");
    expect_scale(file, "probability", 1, "fai_growth");
    expect_scale(file, "probability", 2, "probability_2");
    expect_scale(file, "runs", 2, "probability_2");
    expect_scale(file, "failed", 0, "fai_growth");

    double p[12], values[3];
    assert_true(H5LTread_dataset_double(file, "probability", p) >= 0);
    for (int i = 0; i < 12; i++)
        assert_true(p[i] == f->p[i]);
    assert_true(H5LTread_dataset_double(file, "fai_growth", values) >= 0);
    assert_true(values[1] == 0.15);
    long long hits[12], failed[6];
    assert_true(H5LTread_dataset(file, "hits", H5T_NATIVE_LLONG, hits) >= 0);
    assert_true(hits[11] == 77);
    assert_true(H5LTread_dataset(file, "failed", H5T_NATIVE_LLONG, failed) >=
                0);
    assert_true(failed[5] == 3 && failed[0] == 0);
    double lo[2];
    assert_true(H5LTread_dataset_double(file, "target_lo", lo) >= 0);
    assert_true(lo[0] == 700 && isnan(lo[1]));

    char text[256];
    attr_text(file, "fai_growth", "model_name", text, sizeof text);
    assert_string_equal(text, "fai growth");
    attr_text(file, "fai_growth", "long_name", text, sizeof text);
    assert_string_equal(text, "固定资产投资年增速");
    attr_text(file, "probability_2", "long_name", text, sizeof text);
    assert_string_equal(text, "probability"); /* no label: the model name */
    attr_text(file, "probability_2", "lever_kind", text, sizeof text);
    assert_string_equal(text, "model constant");
    /* units as udunits-2 reads them, the model's text beside them */
    attr_text(file, "fai_growth", "units", text, sizeof text);
    assert_string_equal(text, "1");
    attr_text(file, "fai_growth", "vensim_units", text, sizeof text);
    assert_string_equal(text, "Dmnl");
    attr_text(file, "probability_2", "units", text, sizeof text);
    assert_string_equal(text, "1/year");
    attr_text(file, "probability_2", "vensim_units", text, sizeof text);
    assert_string_equal(text, "1/Year");
    attr_text(file, "probability_2", "lever_kind", text, sizeof text);
    assert_string_equal(text, "model constant");
    attr_text(file, "/", "plansim_file", text, sizeof text);
    assert_string_equal(text, "sweep");
    unsigned long long seed = 0, runs = 0;
    assert_true(
        H5LTget_attribute(file, "/", "seed", H5T_NATIVE_ULLONG, &seed) >= 0);
    assert_true(
        H5LTget_attribute(file, "/", "runs", H5T_NATIVE_ULLONG, &runs) >= 0);
    assert_true(seed == 20260101 && runs == 100);
    H5Fclose(file);
}

static void test_ps_h5_sweep_write_refuses_an_incomplete_sweep(void **state)
{
    fixture *f = *state;
    ps_error err;
    ps_h5_sweep s = f->sweep;
    s.naxes = 0;
    assert_int_equal(ps_h5_sweep_write(f->path, &s, &err), PS_ERR_USAGE);
    s = f->sweep;
    s.ntargets = 0;
    assert_int_equal(ps_h5_sweep_write(f->path, &s, &err), PS_ERR_USAGE);
    s = f->sweep;
    s.probability = NULL;
    assert_int_equal(ps_h5_sweep_write(f->path, &s, &err), PS_ERR_USAGE);
    ps_h5_sweep_axis axes[2] = {f->axes[0], f->axes[1]};
    axes[1].n = 0;
    s = f->sweep;
    s.axes = axes;
    assert_int_equal(ps_h5_sweep_write(f->path, &s, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "lever 2"));
    assert_int_equal(ps_h5_sweep_write(f->path, NULL, &err), PS_ERR_USAGE);
    assert_int_not_equal(access(f->path, F_OK), 0);
}

static void test_ps_h5_sweep_write_reports_a_file_it_cannot_create(void **state)
{
    fixture *f = *state;
    ps_error err;
    char path[4300];
    snprintf(path, sizeof path, "%s/no/such/dir/s.h5", f->dir);
    assert_int_equal(ps_h5_sweep_write(path, &f->sweep, &err),
                     PS_ERR_CANTCREAT);
    assert_string_equal(err.file, path);
}

/* Begun, given points 0-2, abandoned; resumed: the file says which
   points it holds and gives their results back; finished, it holds what
   ps_h5_sweep_write writes. */
static void test_ps_h5_sweep_resumes_the_points_not_done(void **state)
{
    fixture *f = *state;
    ps_error err;
    ps_h5_sweep_file *w = NULL;
    assert_int_equal(ps_h5_sweep_begin(f->path, &f->sweep, 0, 0, &w, &err),
                     PS_OK);
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", f->path);
    assert_int_equal(access(partial, F_OK), 0);
    for (size_t pt = 0; pt < 3; pt++)
        assert_int_equal(ps_h5_sweep_put(w, pt, &err), PS_OK);
    ps_h5_sweep_abandon(&w);
    assert_null(w);
    assert_int_not_equal(access(f->path, F_OK), 0);
    /* A second sweep on the same output is refused; the .partial stays. */
    assert_int_equal(ps_h5_sweep_begin(f->path, &f->sweep, 0, 0, &w, &err),
                     PS_ERR_CANTCREAT);
    /* Other settings are refused, naming what differs. */
    ps_h5_sweep other = f->sweep;
    other.runs = 200;
    assert_int_equal(ps_h5_sweep_begin(f->path, &other, 1, 0, &w, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "runs is 100, this command's is 200"));
    ps_h5_sweep_axis axes[2] = {f->axes[0], f->axes[1]};
    static const double moved[2] = {0.005, 0.03};
    axes[1].values = moved;
    other = f->sweep;
    other.axes = axes;
    assert_int_equal(ps_h5_sweep_begin(f->path, &other, 1, 0, &w, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "values of probability differ"));

    long long hits[12], runs[12], failed[6];
    double p[12], lo[12], hi[12];
    assert_int_equal(ps_h5_sweep_begin(f->path, &f->sweep, 1, 0, &w, &err),
                     PS_OK);
    const unsigned char *done = ps_h5_sweep_done(w);
    for (size_t pt = 0; pt < 6; pt++)
        assert_int_equal(done[pt], pt < 3);
    assert_int_equal(
        ps_h5_sweep_read_back(w, hits, runs, p, lo, hi, failed, &err), PS_OK);
    for (size_t k = 0; k < 2; k++)
        for (size_t pt = 0; pt < 6; pt++) {
            size_t at = k * 6 + pt;
            if (pt < 3) {
                assert_int_equal(hits[at], f->hits[at]);
                assert_int_equal(runs[at], f->runs[at]);
                assert_true(p[at] == f->p[at]);
            } else {
                assert_int_equal(hits[at], 0);
                assert_true(isnan(p[at]));
            }
        }
    /* Finishing with a point missing is refused. */
    ps_h5_sweep_file *early = NULL;
    for (size_t pt = 3; pt < 5; pt++)
        assert_int_equal(ps_h5_sweep_put(w, pt, &err), PS_OK);
    ps_h5_sweep_abandon(&w);
    assert_int_equal(ps_h5_sweep_begin(f->path, &f->sweep, 1, 0, &early, &err),
                     PS_OK);
    assert_int_equal(ps_h5_sweep_finish(&early, &err), PS_ERR_INTERNAL);
    assert_int_equal(access(partial, F_OK), 0);
    assert_int_equal(ps_h5_sweep_begin(f->path, &f->sweep, 1, 0, &w, &err),
                     PS_OK);
    assert_int_equal(ps_h5_sweep_done(w)[5], 0);
    assert_int_equal(ps_h5_sweep_put(w, 5, &err), PS_OK);
    assert_int_equal(ps_h5_sweep_finish(&w, &err), PS_OK);
    assert_int_not_equal(access(partial, F_OK), 0);

    hid_t file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(file >= 0);
    assert_true(H5LTread_dataset(file, "hits", H5T_NATIVE_LLONG, hits) >= 0);
    assert_true(H5LTread_dataset(file, "failed", H5T_NATIVE_LLONG, failed) >=
                0);
    unsigned char all[6];
    assert_true(H5LTread_dataset(file, "point_done", H5T_NATIVE_UCHAR, all) >=
                0);
    H5Fclose(file);
    assert_memory_equal(hits, f->hits, sizeof hits);
    assert_memory_equal(failed, f->failed, sizeof failed);
    for (size_t pt = 0; pt < 6; pt++)
        assert_int_equal(all[pt], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_ps_h5_sweep_write_lays_out_one_dimension_per_lever, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_sweep_write_refuses_an_incomplete_sweep, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_sweep_write_reports_a_file_it_cannot_create, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_ps_h5_sweep_resumes_the_points_not_done, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
