/*
 * The ensemble file behind the real ensemble driver: ps_ensemble_run with
 * two threads and small blocks hands runs to ps_h5_sink_type; every run's
 * values, inputs and status land where they belong, and a run that fails
 * is marked failed and left out of the summary.
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

#include "plansim/ensemble.h"
#include "plansim/mdl.h"
#include "plansim/program.h"
#include "plansim_output/h5.h"

/* x grows at `growth` a year; `ratio` blows up when Time reaches `d`, so
   runs with d inside the horizon fail. */
static const char *model_text =
    "growth = 0.05 ~ 1/Year ~ |\n"
    "d = 100 ~ Year ~ |\n"
    "x = INTEG(growth * x, 100) ~ 亿元 ~ 地区生产总值 |\n"
    "ratio = 1 / (d - Time) ~ ~ |\n"
    "INITIAL TIME = 2025 ~ Year ~ |\n"
    "FINAL TIME = 2030 ~ Year ~ |\n"
    "TIME STEP = 1 ~ Year ~ |\n"
    "SAVEPER = 1 ~ Year ~ |\n";

enum { RUNS = 37, TIMES = 6, FAILED = 11 };

static ps_program *compile(void)
{
    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_error err;
    ps_status st =
        ps_mdl_parse(model_text, strlen(model_text), "g.mdl", &model, &err);
    if (st == PS_OK)
        st = ps_program_compile(model, &prog, &err);
    if (st != PS_OK)
        fail_msg("%s", err.message);
    ps_model_free(&model);
    return prog;
}

static double growth(size_t r)
{
    return 0.01 + 0.002 * (double)r;
}

static void test_ensemble_run_fills_the_file(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    char path[4200];
    snprintf(path, sizeof path, "%s/ensemble.h5", base ? base : ".");
    ps_program *prog = compile();
    size_t inputs[2] = {ps_program_find(prog, "growth"),
                        ps_program_find(prog, "d")};
    size_t saved[2] = {ps_program_find(prog, "x"),
                       ps_program_find(prog, "ratio")};
    double values[RUNS * 2];
    for (size_t r = 0; r < RUNS; r++) {
        values[r * 2] = growth(r);
        values[r * 2 + 1] = r == FAILED ? 2027 : 3000;
    }
    const ps_h5_var_meta vars[2] = {{"x", "亿元", "地区生产总值", 0, NULL},
                                    {"ratio", "1/Year", NULL, 0, NULL}};
    const ps_h5_input_meta in[2] = {{"growth", NULL, NULL, NULL},
                                    {"d", NULL, NULL, NULL}};
    const ps_h5_target_meta target = {"x_110", NULL, "x", 2030, PS_SC_AT_LEAST,
                                      110,     0,    1,   NULL};
    const ps_h5_meta meta = {.time_units = "Year",
                             .nvars = 2,
                             .vars = vars,
                             .ninputs = 2,
                             .inputs = in,
                             .ntargets = 1,
                             .targets = &target};
    const ps_h5_options opts = {1, 4, 0, 0};
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(path, &meta, &opts, &sink, &err), PS_OK);

    ps_ensemble_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.prog = prog;
    ps_sim_options_default(&spec.sim);
    spec.nruns = RUNS;
    spec.ninputs = 2;
    spec.input_vars = inputs;
    spec.inputs = values;
    spec.nsave = 2;
    spec.save_vars = saved;
    spec.threads = 2;
    spec.block = 3;
    ps_ensemble_report report;
    assert_int_equal(
        ps_ensemble_run(&spec, &ps_h5_sink_type, sink, &report, &err), PS_OK);
    assert_int_equal(report.failed, 1);
    assert_int_equal(ps_h5_sink_summarize(sink, &err), PS_OK);
    assert_int_equal(ps_h5_sink_close(&sink, 1, &err), PS_OK);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    double x[RUNS * TIMES], pv[RUNS * 2], t[TIMES];
    signed char status[RUNS];
    hid_t d = H5Dopen2(f, "x", H5P_DEFAULT);
    assert_true(
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0);
    H5Dclose(d);
    d = H5Dopen2(f, "param_value", H5P_DEFAULT);
    assert_true(
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, pv) >= 0);
    H5Dclose(d);
    d = H5Dopen2(f, "run_status", H5P_DEFAULT);
    assert_true(H5Dread(d, H5T_NATIVE_SCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                        status) >= 0);
    H5Dclose(d);
    d = H5Dopen2(f, "time", H5P_DEFAULT);
    assert_true(
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, t) >= 0);
    H5Dclose(d);
    long long hits = -1, runs = -1;
    d = H5Dopen2(f, "summary/target_hits", H5P_DEFAULT);
    H5Dread(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, &hits);
    H5Dclose(d);
    d = H5Dopen2(f, "summary/target_runs", H5P_DEFAULT);
    H5Dread(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, &runs);
    H5Dclose(d);
    H5Fclose(f);

    for (size_t k = 0; k < TIMES; k++)
        assert_true(t[k] == 2025.0 + (double)k);
    long long want_hits = 0;
    for (size_t r = 0; r < RUNS; r++) {
        assert_true(pv[r * 2] == values[r * 2]);
        assert_true(pv[r * 2 + 1] == values[r * 2 + 1]);
        assert_int_equal(status[r], r == FAILED ? PS_RUN_FAILED : PS_RUN_OK);
        if (r == FAILED)
            continue;
        /* Euler with a step of one year: x grows by (1 + g) each year. */
        double want = 100.0;
        for (size_t k = 0; k < TIMES; k++) {
            assert_true(fabs(x[r * TIMES + k] - want) <= 1e-9 * want);
            want *= 1.0 + growth(r);
        }
        want_hits += x[r * TIMES + TIMES - 1] >= 110;
    }
    assert_int_equal(runs, RUNS - 1);
    assert_int_equal(hits, want_hits);
    assert_true(want_hits > 0 && want_hits < RUNS - 1);
    ps_program_free(&prog);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ensemble_run_fills_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
