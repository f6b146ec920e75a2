/*
 * The report from an ensemble file: fixed values and levers stored by the
 * writer and read back, the inputs' ranges over ok runs, provenance, the
 * whole folder from a file, and the files that are not ensembles.
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

#include "plansim_output/report.h"
#include "report_fixture.h"

/* a == b within eps, saying both when not. */
static void assert_near(double a, double b, double eps)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.17g != %.17g (within %g)\n", a, b, eps);
        fail();
    }
}

typedef struct scratch {
    char dir[4096];
    char file[4200];   /* dir/e.h5 */
    char report[4200]; /* dir/report */
} scratch;

static int make_scratch(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    scratch *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->dir, sizeof d->dir, "%s/reporth5-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->dir)) {
        free(d);
        return -1;
    }
    snprintf(d->file, sizeof d->file, "%s/e.h5", d->dir);
    snprintf(d->report, sizeof d->report, "%s/report", d->dir);
    *state = d;
    return 0;
}

static int drop_scratch(void **state)
{
    scratch *d = *state;
    rf_remove_tree(d->dir);
    free(d);
    return 0;
}

/* Type-7 quantile of sorted x[0..n) at p, written out independently. */
static double type7(const double *x, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return x[lo] + (h - (double)lo) * (x[hi] - x[lo]);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static ps_h5_assumptions *read_back(const char *path)
{
    ps_h5_assumptions *a = NULL;
    ps_error err;
    ps_status st = ps_h5_assumptions_read(path, &a, &err);
    if (st != PS_OK)
        print_error("%s: %s\n", err.file, err.message);
    assert_int_equal(st, PS_OK);
    return a;
}

static void test_assumptions_read_back_fixed_values_and_levers(void **state)
{
    scratch *d = *state;
    assert_int_equal(rf_write_h5(d->file, 1, NULL), PS_OK);
    ps_h5_assumptions *a = read_back(d->file);
    const ps_h5_meta *m = rf_meta();
    assert_int_equal(a->nfixed, m->nfixed);
    for (size_t i = 0; i < a->nfixed; i++) {
        assert_string_equal(a->fixed[i].name, m->fixed[i].name);
        assert_true(a->fixed[i].value == m->fixed[i].value);
    }
    assert_string_equal(a->fixed[0].units, "1/Year");
    assert_string_equal(a->fixed[0].label, "折旧率");
    assert_string_equal(a->fixed[0].source, "Zhang et al. 2004");
    /* Absent text reads back as "". */
    assert_string_equal(a->fixed[1].units, "");
    assert_string_equal(a->fixed[1].label, "");

    assert_int_equal(a->nlevers, 2);
    assert_string_equal(a->levers[0].name, "fai growth");
    assert_string_equal(a->levers[0].label, "固定资产投资增速");
    assert_int_equal(a->levers[0].n, 3);
    for (size_t k = 0; k < 3; k++) {
        assert_true(a->levers[0].time[k] == m->levers[0].time[k]);
        assert_true(a->levers[0].value[k] == m->levers[0].value[k]);
    }
    /* A shorter path is not padded on reading. */
    assert_int_equal(a->levers[1].n, 1);
    assert_true(a->levers[1].time[0] == 2027);
    assert_true(a->levers[1].value[0] == 0.25);
    assert_string_equal(a->levers[1].source, "");
    ps_h5_assumptions_free(&a);
    assert_null(a);
}

static void test_assumptions_give_input_ranges_over_ok_runs(void **state)
{
    scratch *d = *state;
    assert_int_equal(rf_write_h5(d->file, 1, NULL), PS_OK);
    ps_h5_assumptions *a = read_back(d->file);
    assert_int_equal(a->ninputs, 2);
    assert_string_equal(a->inputs[0].name, "储蓄率");
    assert_string_equal(a->inputs[0].distribution,
                        "uniform(min=0.25, max=0.35)");
    assert_string_equal(a->inputs[1].label, "");
    for (size_t j = 0; j < 2; j++) {
        double x[RF_RUNS];
        size_t n = 0;
        for (size_t r = 0; r < RF_RUNS; r++)
            if (r != RF_FAILED_RUN)
                x[n++] = rf_input(r, j);
        qsort(x, n, sizeof *x, by_value);
        assert_int_equal(a->inputs[j].runs, RF_RUNS - 1);
        assert_near(a->inputs[j].p05, type7(x, n, 0.05), 1e-15);
        assert_near(a->inputs[j].p95, type7(x, n, 0.95), 1e-15);
    }
    ps_h5_assumptions_free(&a);
}

static void test_assumptions_carry_the_provenance(void **state)
{
    scratch *d = *state;
    assert_int_equal(rf_write_h5(d->file, 1, NULL), PS_OK);
    ps_h5_assumptions *a = read_back(d->file);
    assert_string_equal(a->title, "报告 <测试>");
    assert_string_equal(a->model_file, "x.mdl");
    assert_string_equal(a->model_sha256, "00");
    assert_string_equal(a->sampling, "mc");
    assert_string_equal(a->engine_version, "0.1.0-test");
    assert_string_equal(a->command_line, "plansim run report.yaml -o out.h5");
    assert_int_equal(strlen(a->created), strlen("2025-06-01T08:30:00Z"));
    assert_true(a->has_seed);
    assert_true(a->seed == 42);
    ps_h5_assumptions_free(&a);
}

static void test_assumptions_without_fixed_values_or_levers(void **state)
{
    /* The h5 writer leaves the group out: nothing to read, no error. */
    scratch *d = *state;
    ps_h5_meta m = *rf_meta();
    m.nfixed = m.nlevers = 0;
    assert_int_equal(rf_write_h5_meta(d->file, &m, 1, NULL), PS_OK);
    ps_h5_assumptions *a = read_back(d->file);
    assert_int_equal(a->nfixed, 0);
    assert_int_equal(a->nlevers, 0);
    assert_int_equal(a->ninputs, 2);
    assert_false(isnan(a->inputs[0].p05));
    ps_h5_assumptions_free(&a);
}

static void test_sink_refuses_a_lever_without_a_path(void **state)
{
    scratch *d = *state;
    ps_h5_meta m = *rf_meta();
    ps_h5_lever_meta bad = m.levers[0];
    bad.n = 0;
    m.levers = &bad;
    m.nlevers = 1;
    ps_h5_sink *sink = NULL;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err),
                     PS_ERR_USAGE);
    assert_null(sink);
    assert_non_null(strstr(err.message, "lever 1"));
    ps_h5_fixed_meta nameless = {NULL, NULL, 1, NULL, NULL};
    m = *rf_meta();
    m.fixed = &nameless;
    m.nfixed = 1;
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err),
                     PS_ERR_USAGE);
}

static void test_report_write_makes_the_folder_from_a_file(void **state)
{
    scratch *d = *state;
    assert_int_equal(rf_write_h5(d->file, 1, NULL), PS_OK);
    ps_error err;
    ps_report_options o = {.excel = 1};
    ps_status st = ps_report_write(d->file, d->report, &o, &err);
    if (st != PS_OK)
        print_error("%s: %s\n", err.file, err.message);
    assert_int_equal(st, PS_OK);
    char path[8400];
    snprintf(path, sizeof path, "%s/assumptions.md", d->report);
    char *md = rf_slurp(path, NULL);
    assert_non_null(md);
    /* readers see the scenario's label; the model's name is in the
       appendix */
    assert_non_null(strstr(md, "| 固定资产投资增速 |"));
    assert_null(strstr(md, "fai growth"));
    assert_non_null(strstr(md, "2026 → 0.2，2028 → 0.18，2030 → 0.15"));
    assert_non_null(strstr(md, "| 随机种子 "));
    assert_non_null(strstr(md, "20 次（成功 19，失败 1）"));
    free(md);
    snprintf(path, sizeof path, "%s/fan_GDP.svg", d->report);
    char *svg = rf_slurp(path, NULL);
    assert_non_null(svg);
    assert_non_null(strstr(svg, "<title>地区生产总值</title>"));
    free(svg);
}

static void test_report_write_refuses_what_is_not_an_ensemble(void **state)
{
    scratch *d = *state;
    ps_error err;
    /* Missing: cannot open (66). */
    assert_int_equal(ps_report_write(d->file, d->report, NULL, &err),
                     PS_ERR_NOINPUT);
    assert_string_equal(err.file, d->file);
    /* A text file: bad data (65), not a missing input. */
    FILE *f = fopen(d->file, "w");
    assert_non_null(f);
    fputs("time,GDP\n2025,1\n", f);
    fclose(f);
    assert_int_equal(ps_report_write(d->file, d->report, NULL, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "not an HDF5 file"));
    ps_h5_assumptions *a = NULL;
    assert_int_equal(ps_h5_assumptions_read(d->file, &a, &err), PS_ERR_DATA);
    assert_null(a);
    /* An HDF5 file that is not an ensemble. */
    remove(d->file);
    hid_t h = H5Fcreate(d->file, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(h >= 0);
    H5Fclose(h);
    assert_int_equal(ps_h5_assumptions_read(d->file, &a, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "not an ensemble file"));
    assert_int_equal(ps_report_write(d->file, d->report, NULL, &err),
                     PS_ERR_DATA);
    /* An ensemble without its summary. */
    remove(d->file);
    assert_int_equal(rf_write_h5(d->file, 0, NULL), PS_OK);
    assert_int_equal(ps_report_write(d->file, d->report, NULL, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no summary"));
    /* Nothing was created for a refused file. */
    assert_int_equal(access(d->report, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_assumptions_read_back_fixed_values_and_levers, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_assumptions_give_input_ranges_over_ok_runs, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(test_assumptions_carry_the_provenance,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_assumptions_without_fixed_values_or_levers, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(test_sink_refuses_a_lever_without_a_path,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_write_makes_the_folder_from_a_file, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_write_refuses_what_is_not_an_ensemble, make_scratch,
            drop_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
