/*
 * Reading scenario-discovery data from an ensemble file: a small ensemble
 * written through the sink (a failed run, an ok run whose value is NaN,
 * targets of each rule) read back by ps_h5_discover_read: the target's
 * definition, the usable rows in run order with their inputs and
 * outcomes, a file whose statistics were never computed, and the
 * errors (no such target, not HDF5, missing file).
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

#include "plansim/ensemble.h"
#include "plansim_output/h5.h"

enum { RUNS = 8, TIMES = 2, INPUTS = 2, FAILED = 2, NAN_RUN = 5 };

static const double times[TIMES] = {2025, 2030};

static const ps_h5_var_meta vars[1] = {{"GDP", "亿元", "地区生产总值", 0, NULL}};

static const ps_h5_input_meta inputs[INPUTS] = {
    {"saving rate", "储蓄率", "统计年鉴", "uniform(min=0.2, max=0.4)"},
    {"policy", "政策档位", "规划", "discrete(0:0.5, 1:0.5)"},
};

static const ps_h5_target_meta targets[3] = {
    {"gdp_700", "地区生产总值达到700亿元", "GDP", 2030, PS_SC_AT_LEAST, 700,
     NAN, 0, "纲要"},
    {"gdp_cap", "地区生产总值不超过720亿元", "GDP", 2030, PS_SC_AT_MOST, NAN,
     720, 0, NULL},
    {"gdp_band", NULL, "GDP", 2030, PS_SC_BETWEEN, 690, 730, 1, NULL},
};

/* GDP in 2030 of run r: 680, 690, ..., 750. */
static double gdp2030(size_t r)
{
    return 680.0 + 10.0 * (double)r;
}

typedef struct fixture {
    char dir[512], full[600], bare[600];
} fixture;

/* Writes the ensemble to `path`, with or without its summary. */
static void write_ensemble(const char *path, int summarize, size_t ninputs)
{
    ps_h5_meta meta = {
        .title = "测试集合",
        .time_units = "year",
        .nvars = 1,
        .vars = vars,
        .ninputs = ninputs,
        .inputs = inputs,
        .ntargets = 3,
        .targets = targets,
    };
    ps_h5_sink *sink = NULL;
    ps_error err;
    if (ps_h5_sink_open(path, &meta, NULL, &sink, &err) != PS_OK)
        fail_msg("open: %s", err.message);
    const ps_ensemble_layout layout = {.nruns = RUNS,
                                       .ntimes = TIMES,
                                       .times = times,
                                       .nsave = 1,
                                       .ninputs = ninputs,
                                       .block = RUNS};
    unsigned char status[RUNS];
    double values[RUNS * TIMES], in[RUNS * INPUTS];
    for (size_t r = 0; r < RUNS; r++) {
        status[r] = r == FAILED ? PS_RUN_FAILED : PS_RUN_OK;
        values[r * TIMES] = 600.0;
        values[r * TIMES + 1] =
            r == FAILED || r == NAN_RUN ? NAN : gdp2030(r);
        in[r * ninputs] = 0.2 + 0.025 * (double)r;
        if (ninputs > 1)
            in[r * ninputs + 1] = (double)(r % 2);
    }
    assert_int_equal(ps_h5_sink_type.begin(sink, &layout, &err), PS_OK);
    assert_int_equal(ps_h5_sink_type.write_block(sink, 0, RUNS, status, values,
                                                 ninputs ? in : NULL, &err),
                     PS_OK);
    assert_int_equal(ps_h5_sink_type.end(sink, &err), PS_OK);
    if (summarize)
        assert_int_equal(ps_h5_sink_summarize(sink, &err), PS_OK);
    assert_int_equal(ps_h5_sink_close(&sink, 1, &err), PS_OK);
}

static int setup(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "%s/discover-XXXXXX", base ? base : ".");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->full, sizeof f->full, "%s/full.h5", f->dir);
    snprintf(f->bare, sizeof f->bare, "%s/bare.h5", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char path[700];
    static const char *const names[] = {"full.h5", "bare.h5", "none.h5",
                                        "text.h5"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
        unlink(path);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static ps_h5_discover_data *read_target(const char *path, const char *name)
{
    ps_h5_discover_data *d = NULL;
    ps_error err;
    if (ps_h5_discover_read(path, name, &d, &err) != PS_OK)
        fail_msg("read %s: %s", name, err.message);
    assert_non_null(d);
    return d;
}

static void test_discover_read_gives_the_usable_runs(void **state)
{
    fixture *f = *state;
    write_ensemble(f->full, 1, INPUTS);
    ps_h5_discover_data *d = read_target(f->full, "gdp_700");
    assert_string_equal(d->title, "测试集合");
    assert_string_equal(d->target, "gdp_700");
    assert_string_equal(d->target_label, "地区生产总值达到700亿元");
    assert_string_equal(d->variable, "GDP");
    assert_string_equal(d->units, "亿元");
    assert_string_equal(d->time_units, "year");
    assert_true(d->time == 2030.0 && d->lo == 700.0);
    assert_int_equal(d->compare, PS_SC_AT_LEAST);
    assert_int_equal(d->runs, RUNS);
    assert_int_equal(d->runs_ok, RUNS - 1);
    /* Not the failed run, not the ok run without a value. */
    assert_int_equal(d->n, RUNS - 2);
    static const long long rows[] = {0, 1, 3, 4, 6, 7};
    assert_int_equal(d->ninputs, INPUTS);
    assert_string_equal(d->inputs[0].name, "saving rate");
    assert_string_equal(d->inputs[0].label, "储蓄率");
    assert_string_equal(d->inputs[1].distribution, "discrete(0:0.5, 1:0.5)");
    for (size_t i = 0; i < d->n; i++) {
        size_t r = (size_t)rows[i];
        assert_int_equal(d->run[i], rows[i]);
        assert_true(d->value[i] == gdp2030(r));
        assert_int_equal(d->met[i], gdp2030(r) >= 700.0);
        assert_true(d->x[i * INPUTS] == 0.2 + 0.025 * (double)r);
        assert_true(d->x[i * INPUTS + 1] == (double)(r % 2));
    }
    ps_h5_discover_free(&d);
    assert_null(d);
    ps_h5_discover_free(NULL);
}

static void test_discover_read_applies_each_rule(void **state)
{
    fixture *f = *state;
    write_ensemble(f->full, 1, INPUTS);
    /* Values 680 690 | 710 720 | 740 750 in the usable runs. */
    ps_h5_discover_data *d = read_target(f->full, "gdp_cap");
    static const unsigned char at_most[] = {1, 1, 1, 1, 0, 0};
    for (size_t i = 0; i < d->n; i++)
        assert_int_equal(d->met[i], at_most[i]);
    assert_true(isnan(d->lo) && d->hi == 720.0);
    ps_h5_discover_free(&d);
    d = read_target(f->full, "gdp_band");
    static const unsigned char band[] = {0, 1, 1, 1, 0, 0};
    for (size_t i = 0; i < d->n; i++)
        assert_int_equal(d->met[i], band[i]);
    assert_string_equal(d->target_label, "");
    ps_h5_discover_free(&d);
}

static void test_discover_read_reports_an_unknown_target(void **state)
{
    fixture *f = *state;
    write_ensemble(f->full, 1, INPUTS);
    ps_h5_discover_data *d = NULL;
    ps_error err;
    assert_int_equal(ps_h5_discover_read(f->full, "gdp_800", &d, &err),
                     PS_ERR_DATA);
    assert_null(d);
    assert_non_null(strstr(err.message, "no target 'gdp_800' (the targets "
                                        "are: gdp_700, gdp_cap, gdp_band)"));
    assert_string_equal(err.file, f->full);
    assert_int_equal(ps_h5_discover_read(f->full, NULL, &d, &err),
                     PS_ERR_USAGE);
}

static void test_discover_read_does_not_need_the_statistics(void **state)
{
    /* The target definitions are written when the file is opened, so a
       file whose summary statistics were never computed (an interrupted
       run's .partial file) can be analysed too. */
    fixture *f = *state;
    write_ensemble(f->bare, 0, INPUTS);
    ps_h5_discover_data *d = read_target(f->bare, "gdp_700");
    assert_int_equal(d->n, RUNS - 2);
    assert_int_equal(d->met[5], 1);
    ps_h5_discover_free(&d);
}

static void test_discover_read_without_inputs(void **state)
{
    fixture *f = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/none.h5", f->dir);
    write_ensemble(path, 1, 0);
    ps_h5_discover_data *d = read_target(path, "gdp_700");
    assert_int_equal(d->ninputs, 0);
    assert_int_equal(d->n, RUNS - 2);
    ps_h5_discover_free(&d);
}

static void test_discover_read_refuses_what_is_not_an_ensemble(void **state)
{
    fixture *f = *state;
    char path[700];
    ps_h5_discover_data *d = NULL;
    ps_error err;
    snprintf(path, sizeof path, "%s/missing.h5", f->dir);
    assert_int_equal(ps_h5_discover_read(path, "gdp_700", &d, &err),
                     PS_ERR_NOINPUT);
    snprintf(path, sizeof path, "%s/text.h5", f->dir);
    FILE *t = fopen(path, "w");
    assert_non_null(t);
    fputs("title: not an ensemble\n", t);
    fclose(t);
    assert_int_equal(ps_h5_discover_read(path, "gdp_700", &d, &err),
                     PS_ERR_DATA);
    assert_null(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_discover_read_gives_the_usable_runs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discover_read_applies_each_rule,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_discover_read_reports_an_unknown_target, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_discover_read_does_not_need_the_statistics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discover_read_without_inputs,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_discover_read_refuses_what_is_not_an_ensemble, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
