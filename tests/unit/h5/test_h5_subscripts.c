/*
 * Subscripted variables in the ensemble file: one (run, time, range...)
 * dataset each, every range a dimension scale holding its element
 * names, shared between variables over the same range and named apart
 * when names collide; the summary per element with the same dimensions;
 * targets on elements; the readers (summary, discovery) by element.
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

#include "plansim_output/h5.h"

#define RUNS 10
#define TIMES 4
#define NVARS 6
#define BLOCK 3

static const double times[TIMES] = {2025, 2026, 2027, 2028};

static const char *const chain[3] = {"新材料", "电子信息", "食品加工"};
static const char *const area[2] = {"城区", "园区"};
static const char *const runs_el[2] = {"r1", "r2"};
static const char *const one[1] = {"a"};

/* Meta ranges: 4 repeats 0 (one dimension in the file); 2 is a part of
   chain under chain's name (an anonymous range); 3 is named like the
   layout's `run` and 5 like the variable GDP. */
static const ps_h5_dim_meta dims[6] = {
    {"chain", 3, chain}, {"area", 2, area},   {"chain", 2, chain},
    {"run", 2, runs_el}, {"chain", 3, chain}, {"GDP", 1, one},
};

static const size_t d_output[1] = {0}, d_area[2] = {1, 4}, d_part[1] = {2},
                    d_run[1] = {3}, d_gdp[1] = {5};

static const ps_h5_var_meta vars[NVARS] = {
    {"GDP", "亿元", "地区生产总值", 0, NULL},
    {"output", "亿元", "产业链产值", 1, d_output},
    {"area output", "亿元", NULL, 2, d_area},
    {"part", NULL, NULL, 1, d_part},
    {"by run", NULL, NULL, 1, d_run},
    {"weird", NULL, NULL, 1, d_gdp},
};

static const size_t sizes[NVARS] = {1, 3, 6, 2, 2, 1};
static const size_t offset[NVARS] = {0, 1, 4, 10, 12, 14};
#define NSERIES 15

static const ps_h5_target_meta targets[3] = {
    {"t_out", "电子信息产值", "output[电子信息]", 2027, PS_SC_AT_LEAST, 1117, 0,
     0, NULL},
    {"t_area", NULL, "area output[园区, 食品加工]", 2028, PS_SC_AT_MOST, 0,
     2505, 1, NULL},
    {"t_gdp", NULL, "GDP", 2026, PS_SC_AT_LEAST, 3, 0, 0, NULL},
};

/* Series s of run r at time row t. */
static double value(size_t r, size_t s, size_t t)
{
    size_t v = 0;
    while (v + 1 < NVARS && offset[v + 1] <= s)
        v++;
    size_t e = s - offset[v];
    return 1000.0 * (double)v + 100.0 * (double)e + (double)t + 0.5 * (double)r;
}

static ps_h5_meta meta(void)
{
    return (ps_h5_meta){.time_units = "year",
                        .nvars = NVARS,
                        .vars = vars,
                        .ndims = 6,
                        .dims = dims,
                        .ntargets = 3,
                        .targets = targets};
}

static ps_ensemble_layout layout(void)
{
    static const size_t save[NVARS] = {0, 1, 2, 3, 4, 5};
    return (ps_ensemble_layout){.nruns = RUNS,
                                .ntimes = TIMES,
                                .times = times,
                                .nsave = NVARS,
                                .save = save,
                                .block = BLOCK,
                                .nseries = NSERIES,
                                .sizes = sizes,
                                .offset = offset};
}

typedef struct dir {
    char path[4096];
    char file[4200];
} dir;

static int make_dir(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    dir *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->path, sizeof d->path, "%s/h5subs-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->path)) {
        free(d);
        return -1;
    }
    snprintf(d->file, sizeof d->file, "%s/out.h5", d->path);
    *state = d;
    return 0;
}

static int remove_dir(void **state)
{
    dir *d = *state;
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", d->file);
    remove(d->file);
    remove(partial);
    int rc = rmdir(d->path);
    free(d);
    return rc;
}

/* Writes the whole ensemble (blocks out of order), summarised. */
static void write_file(const char *path)
{
    ps_h5_meta m = meta();
    ps_ensemble_layout lay = layout();
    ps_h5_sink *sink;
    ps_error err;
    if (ps_h5_sink_open(path, &m, NULL, &sink, &err) != PS_OK)
        fail_msg("open: %s", err.message);
    assert_int_equal(ps_h5_sink_type.begin(sink, &lay, &err), PS_OK);
    static const size_t order[4] = {2, 0, 3, 1};
    for (size_t k = 0; k < 4; k++) {
        size_t first = order[k] * BLOCK;
        size_t count = first + BLOCK <= RUNS ? BLOCK : RUNS - first;
        unsigned char status[BLOCK];
        double values[BLOCK * NSERIES * TIMES];
        for (size_t i = 0; i < count; i++) {
            status[i] = PS_RUN_OK;
            for (size_t s = 0; s < NSERIES; s++)
                for (size_t t = 0; t < TIMES; t++)
                    values[(i * NSERIES + s) * TIMES + t] =
                        value(first + i, s, t);
        }
        if (ps_h5_sink_type.write_block(sink, first, count, status, values,
                                        NULL, &err) != PS_OK)
            fail_msg("write: %s", err.message);
    }
    assert_int_equal(ps_h5_sink_type.end(sink, &err), PS_OK);
    if (ps_h5_sink_summarize(sink, &err) != PS_OK)
        fail_msg("summarize: %s", err.message);
    assert_int_equal(ps_h5_sink_close(&sink, 1, &err), PS_OK);
}

/* The dimension sizes of dataset `name`; its rank. */
static int shape_of(hid_t loc, const char *name, hsize_t *dims_out)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t s = H5Dget_space(d);
    int rank = H5Sget_simple_extent_ndims(s);
    H5Sget_simple_extent_dims(s, dims_out, NULL);
    H5Sclose(s);
    H5Dclose(d);
    return rank;
}

/* Scale `scale` (at the root) on axis `axis` of loc/name. */
static void assert_attached(hid_t file, hid_t loc, const char *name,
                            const char *scale, unsigned axis)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t s = H5Dopen2(file, scale, H5P_DEFAULT);
    assert_true(d >= 0 && s >= 0);
    assert_true(H5DSis_scale(s) > 0);
    if (H5DSis_attached(d, s, axis) <= 0)
        fail_msg("%s is not on axis %u of %s", scale, axis, name);
    H5Dclose(s);
    H5Dclose(d);
}

/* The string dataset `name` equals want[0..n). */
static void assert_strings(hid_t file, const char *name,
                           const char *const *want, size_t n)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char *got[8] = {0};
    hsize_t len;
    hid_t s = H5Dget_space(d);
    H5Sget_simple_extent_dims(s, &len, NULL);
    assert_int_equal(len, n);
    assert_true(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, got) >= 0);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(got[i], want[i]);
        H5free_memory(got[i]);
    }
    H5Sclose(s);
    H5Tclose(t);
    H5Dclose(d);
}

static void
test_a_subscripted_variable_is_one_dataset_over_its_ranges(void **state)
{
    dir *d = *state;
    write_file(d->file);
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    hsize_t dm[6];
    assert_int_equal(shape_of(f, "GDP", dm), 2);
    assert_int_equal(shape_of(f, "output", dm), 3);
    assert_int_equal(dm[0], RUNS);
    assert_int_equal(dm[1], TIMES);
    assert_int_equal(dm[2], 3);
    assert_int_equal(shape_of(f, "area_output", dm), 4);
    assert_int_equal(dm[2], 2);
    assert_int_equal(dm[3], 3);
    /* ranges: one dimension each, named apart where names collide */
    assert_strings(f, "chain", chain, 3);
    assert_strings(f, "area", area, 2);
    assert_strings(f, "chain_2", chain, 2);
    assert_strings(f, "run_2", runs_el, 2);
    assert_strings(f, "GDP_2", one, 1);
    assert_attached(f, f, "output", "run", 0);
    assert_attached(f, f, "output", "time", 1);
    assert_attached(f, f, "output", "chain", 2);
    /* the same range shared, whichever meta range named it */
    assert_attached(f, f, "area_output", "area", 2);
    assert_attached(f, f, "area_output", "chain", 3);
    assert_attached(f, f, "part", "chain_2", 2);
    assert_attached(f, f, "by_run", "run_2", 2);
    assert_attached(f, f, "weird", "GDP_2", 2);
    /* values in (run, time, area, chain) order */
    double x[RUNS * TIMES * 6];
    hid_t ds = H5Dopen2(f, "area_output", H5P_DEFAULT);
    assert_true(
        H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, x) >= 0);
    H5Dclose(ds);
    for (size_t r = 0; r < RUNS; r++)
        for (size_t t = 0; t < TIMES; t++)
            for (size_t e = 0; e < 6; e++)
                assert_true(x[(r * TIMES + t) * 6 + e] == value(r, 4 + e, t));
    /* the summary: the variable's ranges after time (and quantile) */
    hid_t g = H5Gopen2(f, "summary", H5P_DEFAULT);
    assert_int_equal(shape_of(g, "area_output_mean", dm), 3);
    assert_int_equal(dm[0], TIMES);
    assert_int_equal(dm[1], 2);
    assert_int_equal(dm[2], 3);
    assert_int_equal(shape_of(g, "area_output_quantiles", dm), 4);
    assert_int_equal(dm[0], 7);
    assert_attached(f, g, "area_output_mean", "time", 0);
    assert_attached(f, g, "area_output_mean", "chain", 2);
    assert_attached(f, g, "area_output_quantiles", "summary/quantile", 0);
    assert_attached(f, g, "area_output_quantiles", "area", 2);
    double mean[TIMES * 3];
    ds = H5Dopen2(g, "output_mean", H5P_DEFAULT);
    assert_true(H5Dread(ds, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                        mean) >= 0);
    H5Dclose(ds);
    /* mean over runs of 0.5 r is 2.25 */
    for (size_t t = 0; t < TIMES; t++)
        for (size_t e = 0; e < 3; e++)
            assert_float_equal(mean[t * 3 + e], 1000 + 100.0 * e + t + 2.25,
                               1e-12);
    H5Gclose(g);
    H5Fclose(f);
}

static void test_summary_and_targets_by_element(void **state)
{
    dir *d = *state;
    write_file(d->file);
    ps_h5_summary *s = NULL;
    ps_error err;
    assert_int_equal(ps_h5_summary_read(d->file, &s, &err), PS_OK);
    /* one entry per element, in order */
    assert_int_equal(s->nvars, NSERIES);
    assert_string_equal(s->vars[0].model_name, "GDP");
    assert_string_equal(s->vars[0].element, "");
    assert_string_equal(s->vars[2].model_name, "output[电子信息]");
    assert_string_equal(s->vars[2].element, "电子信息");
    assert_string_equal(s->vars[2].name, "output");
    assert_string_equal(s->vars[2].long_name, "产业链产值[电子信息]");
    assert_string_equal(s->vars[9].model_name, "area output[园区,食品加工]");
    assert_float_equal(s->vars[9].mean[3], 2000 + 500 + 3 + 2.25, 1e-12);
    /* the median over runs 0 ... 9 of 0.5 r is 2.25 too */
    assert_float_equal(s->vars[9].quantiles[3 * TIMES + 3],
                       2000 + 500 + 3 + 2.25, 1e-12);
    /* output[电子信息] at 2027 = 1102 + 0.5 r >= 1117: none of 0..9 ...
       1102 + 0.5 r ranges 1102 to 1106.5 */
    assert_string_equal(s->targets[0].variable, "output[电子信息]");
    assert_int_equal(s->targets[0].runs, RUNS);
    assert_int_equal(s->targets[0].hits, 0);
    /* area output[园区,食品加工] at 2028 = 2503 + 0.5 r <= 2505: r <= 4 */
    assert_int_equal(s->targets[1].runs, RUNS);
    assert_int_equal(s->targets[1].hits, 5);
    /* GDP at 2026 = 1 + 0.5 r >= 3: r >= 4 */
    assert_int_equal(s->targets[2].hits, 6);
    ps_h5_summary_free(&s);

    ps_h5_discover_data *dd = NULL;
    assert_int_equal(ps_h5_discover_read(d->file, "t_area", &dd, &err), PS_OK);
    assert_int_equal(dd->n, RUNS);
    for (size_t i = 0; i < dd->n; i++) {
        assert_float_equal(dd->value[i], 2503 + 0.5 * (double)i, 1e-12);
        assert_int_equal(dd->met[i], i <= 4);
    }
    ps_h5_discover_free(&dd);
}

static void test_wrong_shapes_are_refused(void **state)
{
    dir *d = *state;
    ps_error err;
    ps_h5_sink *sink;
    /* a variable over a range that is not described */
    ps_h5_var_meta bad_vars[NVARS];
    memcpy(bad_vars, vars, sizeof bad_vars);
    static const size_t nowhere[1] = {6};
    bad_vars[1].dims = nowhere;
    ps_h5_meta m = meta();
    m.vars = bad_vars;
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "range 7, which is not described"));
    /* a target on an element the range does not have */
    ps_h5_target_meta bad_target = targets[0];
    bad_target.variable = "output[石油]";
    m = meta();
    m.targets = &bad_target;
    m.ntargets = 1;
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "not a saved variable"));
    /* the ensemble saves a number of elements the file was not made for */
    m = meta();
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err), PS_OK);
    ps_ensemble_layout lay = layout();
    size_t other[NVARS] = {1, 3, 6, 2, 2, 2};
    lay.sizes = other;
    assert_int_equal(ps_h5_sink_type.begin(sink, &lay, &err), PS_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "'weird'"));
    assert_int_equal(ps_h5_sink_close(&sink, 0, &err), PS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_subscripted_variable_is_one_dataset_over_its_ranges,
            make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_summary_and_targets_by_element,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_wrong_shapes_are_refused, make_dir,
                                        remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
