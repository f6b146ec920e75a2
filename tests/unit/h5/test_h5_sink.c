/*
 * The ensemble file written through the sink API: every dataset and
 * attribute read back with the HDF5 C API, blocks handed out of order, a
 * failed run, a partial last chunk, compression, the .partial file, and
 * the error paths.
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
#include "plansim_output/h5.h"

/* ---- fixtures --------------------------------------------------------- */

typedef struct dir {
    char path[4096];
    char file[4200];    /* dir/out.h5 */
    char partial[4200]; /* dir/out.h5.partial */
} dir;

static int make_dir(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    dir *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->path, sizeof d->path, "%s/h5sink-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->path)) {
        free(d);
        return -1;
    }
    snprintf(d->file, sizeof d->file, "%s/out.h5", d->path);
    snprintf(d->partial, sizeof d->partial, "%s/out.h5.partial", d->path);
    *state = d;
    return 0;
}

static int remove_dir(void **state)
{
    dir *d = *state;
    remove(d->file);
    remove(d->partial);
    int rc = rmdir(d->path);
    free(d);
    return rc;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static const ps_h5_options chunks_of_4 = {0, 4, 0, 0};

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* ---- reading helpers ---------------------------------------------------- */

/* A scalar string attribute; *fixed gets whether it is fixed-length and
 *utf8 whether its character set is UTF-8.  Caller frees. */
static char *attr_text(hid_t obj, const char *name, int *fixed, int *utf8)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(a >= 0);
    hid_t t = H5Aget_type(a);
    assert_int_equal(H5Tget_class(t), H5T_STRING);
    int is_var = H5Tis_variable_str(t) > 0;
    if (fixed)
        *fixed = !is_var;
    if (utf8)
        *utf8 = H5Tget_cset(t) == H5T_CSET_UTF8;
    char *out;
    if (is_var) {
        char *s = NULL;
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5T_CSET_UTF8);
        assert_true(H5Aread(a, mt, &s) >= 0);
        out = strdup(s);
        H5free_memory(s);
        H5Tclose(mt);
    } else {
        size_t n = H5Tget_size(t);
        out = calloc(1, n + 1);
        assert_true(H5Aread(a, t, out) >= 0);
    }
    H5Tclose(t);
    H5Aclose(a);
    return out;
}

static void assert_attr_text(hid_t obj, const char *name, const char *want,
                             int want_fixed)
{
    int fixed, utf8;
    char *got = attr_text(obj, name, &fixed, &utf8);
    assert_string_equal(got, want);
    assert_int_equal(fixed, want_fixed);
    if (!want_fixed)
        assert_true(utf8); /* human text is variable-length UTF-8 */
    free(got);
}

/* The fixture's model units as udunits-2 reads them: NULL where it has
   no reading (亿元, 万人), so the file must carry no `units`. */
static const char *fixture_udunits(const char *vensim)
{
    static const char *const table[][2] = {{"亿元", NULL},
                                           {"万人", NULL},
                                           {"1/year", "1/year"},
                                           {"Dmnl", "1"},
                                           {"year", "year"}};
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcmp(vensim, table[i][0]) == 0)
            return table[i][1];
    fail_msg("no expected udunits text for '%s'", vensim);
    return NULL;
}

/* units (udunits-2 text, or absent) and vensim_units (the model's). */
static void assert_units(hid_t obj, const char *vensim)
{
    const char *want = fixture_udunits(vensim);
    if (want)
        assert_attr_text(obj, "units", want, 1);
    else
        assert_int_equal(H5Aexists(obj, "units"), 0);
    /* fixed-length when ASCII, variable-length when Chinese */
    assert_attr_text(obj, "vensim_units", vensim, is_ascii(vensim));
}

static double attr_double(hid_t obj, const char *name)
{
    double v;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    assert_true(a >= 0);
    assert_true(H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0);
    H5Aclose(a);
    return v;
}

static void read_doubles(hid_t loc, const char *name, double *v, size_t n)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t s = H5Dget_space(d);
    assert_int_equal(H5Sget_simple_extent_npoints(s), (hssize_t)n);
    assert_true(
        H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Sclose(s);
    H5Dclose(d);
}

static void read_strings(hid_t loc, const char *name, char **v, size_t n)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(d >= 0);
    hid_t s = H5Dget_space(d);
    assert_int_equal(H5Sget_simple_extent_npoints(s), (hssize_t)n);
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    H5Tset_cset(mt, H5T_CSET_UTF8);
    assert_true(H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    H5Tclose(mt);
    H5Sclose(s);
    H5Dclose(d);
}

static void assert_strings(hid_t loc, const char *name, size_t n,
                           const char *const *want)
{
    char *got[16];
    assert_true(n <= 16);
    read_strings(loc, name, got, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(got[i], want[i] ? want[i] : "");
        H5free_memory(got[i]);
    }
}

/* Is `scale` (a path from the root) attached to axis `axis` of `name`? */
static void assert_attached(hid_t file, const char *name, const char *scale,
                            unsigned axis)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    hid_t s = H5Dopen2(file, scale, H5P_DEFAULT);
    assert_true(d >= 0 && s >= 0);
    assert_true(H5DSis_attached(d, s, axis) > 0);
    assert_int_equal(H5DSget_num_scales(d, axis), 1);
    H5Dclose(s);
    H5Dclose(d);
}

static void assert_scale(hid_t loc, const char *name)
{
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    assert_true(d >= 0);
    assert_true(H5DSis_scale(d) > 0);
    char buf[64];
    assert_true(H5DSget_scale_name(d, buf, sizeof buf) > 0);
    assert_string_equal(buf, name);
    H5Dclose(d);
}

static void assert_doubles_equal(double got, double want)
{
    if (isnan(want))
        assert_true(isnan(got));
    else
        assert_true(fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want)));
}

/* ---- independent statistics -------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Type 7 from its definition: x[floor h] + (h - floor h) * (next - it). */
static double quantile7(double *sorted, size_t n, double p)
{
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    if (lo + 1 >= n)
        return sorted[n - 1];
    return sorted[lo] + (h - (double)lo) * (sorted[lo + 1] - sorted[lo]);
}

static void wilson(double k, double n, double *lo, double *hi)
{
    const double z = 1.959963984540054;
    double p = k / n, d = 1 + z * z / n;
    double c = (p + z * z / (2 * n)) / d;
    double h = z / d * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    *lo = k == 0 ? 0 : c - h;
    *hi = k == n ? 1 : c + h;
}

/* The ok runs' values of variable v at time t, sorted; returns count. */
static size_t ok_values(size_t v, size_t t, double *x)
{
    size_t n = 0;
    for (size_t r = 0; r < FX_RUNS; r++)
        if (fx_status(r) == PS_RUN_OK)
            x[n++] = fx_value(r, v, t);
    qsort(x, n, sizeof *x, cmp_double);
    return n;
}

/* ---- checks on a written file -------------------------------------------- */

static void check_globals(hid_t f)
{
    const ps_h5_meta *m = fx_meta();
    /* CF is not claimed (docs/output-format.md says why); what the
       units promise is. */
    assert_int_equal(H5Aexists(f, "Conventions"), 0);
    assert_attr_text(f, "units_convention",
                     "udunits-2: every units attribute parses with "
                     "udunits-2; the model's own unit text is in "
                     "vensim_units",
                     1);
    assert_attr_text(f, "title", m->title, 0);
    assert_attr_text(f, "description", m->description, 0);
    assert_attr_text(f, "source", "plansim 0.1.0-test", 1);
    assert_attr_text(f, "scenario_yaml", fx_scenario_text, 0);
    assert_attr_text(f, "model_file", "qianjiang.mdl", 1);
    assert_attr_text(f, "model_sha256", m->model_sha256, 1);
    assert_attr_text(f, "sampling", "lhs", 1);
    assert_attr_text(f, "engine_version", "0.1.0-test", 1);
    assert_attr_text(f, "command_line", m->command_line, 0);

    char *created = attr_text(f, "created", NULL, NULL);
    assert_int_equal(strlen(created), 20); /* 2025-01-02T03:04:05Z */
    assert_int_equal(created[4], '-');
    assert_int_equal(created[10], 'T');
    assert_int_equal(created[19], 'Z');
    char *history = attr_text(f, "history", NULL, NULL);
    char want[256];
    snprintf(want, sizeof want, "%s: %s", created, m->command_line);
    assert_string_equal(history, want);
    free(history);
    free(created);

    uint64_t seed;
    hid_t a = H5Aopen(f, "seed", H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_UINT64, &seed) >= 0);
    H5Aclose(a);
    assert_true(seed == m->seed);
    int64_t n;
    a = H5Aopen(f, "n_runs", H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_INT64, &n) >= 0);
    H5Aclose(a);
    assert_int_equal(n, FX_RUNS);

    const char *files[] = {"qianjiang.yaml"};
    hid_t fa = H5Aopen(f, "scenario_files", H5P_DEFAULT);
    assert_true(fa >= 0);
    char *got[1];
    hid_t mt = H5Tcopy(H5T_C_S1);
    H5Tset_size(mt, H5T_VARIABLE);
    assert_true(H5Aread(fa, mt, got) >= 0);
    assert_string_equal(got[0], files[0]);
    H5free_memory(got[0]);
    H5Tclose(mt);
    H5Aclose(fa);
}

static void check_creation_order(hid_t f)
{
    unsigned want = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED, got;
    hid_t p;
    const char *groups[] = {"/", "summary"};
    for (size_t i = 0; i < 2; i++) {
        hid_t g = H5Gopen2(f, groups[i], H5P_DEFAULT);
        p = H5Gget_create_plist(g);
        assert_true(H5Pget_link_creation_order(p, &got) >= 0);
        assert_int_equal(got, want);
        assert_true(H5Pget_attr_creation_order(p, &got) >= 0);
        assert_int_equal(got, want);
        H5Pclose(p);
        H5Gclose(g);
    }

    const char *datasets[] = {"run",
                              "time",
                              "param",
                              "param_value",
                              "run_status",
                              "GDP",
                              "summary/GDP_quantiles",
                              "summary/target_hits"};
    for (size_t i = 0; i < sizeof datasets / sizeof datasets[0]; i++) {
        hid_t d = H5Dopen2(f, datasets[i], H5P_DEFAULT);
        assert_true(d >= 0);
        p = H5Dget_create_plist(d);
        assert_true(H5Pget_attr_creation_order(p, &got) >= 0);
        assert_int_equal(got, want);
        H5Pclose(p);
        H5Dclose(d);
    }
}

/* The root holds exactly the layout's objects, in creation order. */
static void check_root_links(hid_t f)
{
    const char *want[] = {"param",         "param_label",
                          "param_source",  "param_distribution",
                          "summary",       "run",
                          "time",          "param_value",
                          "run_status",    "GDP",
                          "Growth_rate",   "人口",
                          "Capital_Stock", "Capital_Stock_2",
                          "a_b_ratio"};
    size_t n = sizeof want / sizeof want[0];
    H5G_info_t info;
    assert_true(H5Gget_info(f, &info) >= 0);
    assert_int_equal(info.nlinks, n);
    for (size_t i = 0; i < n; i++) {
        char name[64];
        assert_true(H5Lget_name_by_idx(f, ".", H5_INDEX_CRT_ORDER, H5_ITER_INC,
                                       i, name, sizeof name, H5P_DEFAULT) > 0);
        assert_string_equal(name, want[i]);
    }
}

static void check_coordinates(hid_t f)
{
    const ps_h5_meta *m = fx_meta();
    assert_scale(f, "run");
    hid_t d = H5Dopen2(f, "run", H5P_DEFAULT);
    int64_t runs[FX_RUNS];
    assert_true(
        H5Dread(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, runs) >= 0);
    for (int64_t r = 0; r < FX_RUNS; r++)
        assert_int_equal(runs[r], r);
    hid_t t = H5Dget_type(d);
    assert_int_equal(H5Tget_size(t), 8);
    assert_int_equal(H5Tget_sign(t), H5T_SGN_2);
    H5Tclose(t);
    assert_attr_text(d, "standard_name", "realization", 1);
    assert_attr_text(d, "long_name", "Monte Carlo run index", 0);
    H5Dclose(d);

    assert_scale(f, "time");
    double times[FX_TIMES];
    read_doubles(f, "time", times, FX_TIMES);
    for (size_t i = 0; i < FX_TIMES; i++)
        assert_true(times[i] == fx_times[i]);
    d = H5Dopen2(f, "time", H5P_DEFAULT);
    assert_units(d, "year");
    assert_attr_text(d, "long_name", "simulated time", 0);
    H5Dclose(d);

    assert_scale(f, "param");
    const char *names[FX_INPUTS], *labels[FX_INPUTS], *sources[FX_INPUTS],
        *dists[FX_INPUTS];
    for (size_t j = 0; j < FX_INPUTS; j++) {
        names[j] = m->inputs[j].name;
        labels[j] = m->inputs[j].label;
        sources[j] = m->inputs[j].source;
        dists[j] = m->inputs[j].distribution;
    }
    assert_strings(f, "param", FX_INPUTS, names);
    assert_strings(f, "param_label", FX_INPUTS, labels);
    assert_strings(f, "param_source", FX_INPUTS, sources);
    assert_strings(f, "param_distribution", FX_INPUTS, dists);
    assert_attached(f, "param_label", "param", 0);
    assert_attached(f, "param_source", "param", 0);
    assert_attached(f, "param_distribution", "param", 0);
}

/* `written[r]`: was run r handed over? */
static void check_runs(hid_t f, const int *written)
{
    double pv[FX_RUNS * FX_INPUTS];
    read_doubles(f, "param_value", pv, FX_RUNS * FX_INPUTS);
    for (size_t r = 0; r < FX_RUNS; r++)
        for (size_t j = 0; j < FX_INPUTS; j++)
            assert_doubles_equal(pv[r * FX_INPUTS + j],
                                 written[r] ? fx_input(r, j) : NAN);
    assert_attached(f, "param_value", "run", 0);
    assert_attached(f, "param_value", "param", 1);

    hid_t d = H5Dopen2(f, "run_status", H5P_DEFAULT);
    signed char status[FX_RUNS];
    assert_true(H5Dread(d, H5T_NATIVE_SCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                        status) >= 0);
    for (size_t r = 0; r < FX_RUNS; r++)
        assert_int_equal(status[r], written[r] ? fx_status(r) : PS_RUN_PENDING);
    hid_t t = H5Dget_type(d);
    assert_int_equal(H5Tget_size(t), 1);
    assert_int_equal(H5Tget_sign(t), H5T_SGN_2);
    H5Tclose(t);
    signed char flags[3];
    hid_t a = H5Aopen(d, "flag_values", H5P_DEFAULT);
    assert_true(H5Aread(a, H5T_NATIVE_SCHAR, flags) >= 0);
    H5Aclose(a);
    assert_int_equal(flags[0], 0);
    assert_int_equal(flags[1], 1);
    assert_int_equal(flags[2], 2);
    assert_attr_text(d, "flag_meanings", "pending ok failed", 1);
    /* pending is the HDF5 fill value but not declared missing */
    assert_int_equal(H5Aexists(d, "_FillValue"), 0);
    hid_t p = H5Dget_create_plist(d);
    signed char fill = 9;
    assert_true(H5Pget_fill_value(p, H5T_NATIVE_SCHAR, &fill) >= 0);
    assert_int_equal(fill, PS_RUN_PENDING);
    H5Pclose(p);
    H5Dclose(d);
    assert_attached(f, "run_status", "run", 0);
}

static void check_variables(hid_t f, const int *written, int deflate,
                            hsize_t chunk_runs)
{
    const ps_h5_meta *m = fx_meta();
    for (size_t v = 0; v < FX_VARS; v++) {
        const char *name = fx_dataset_names[v];
        double x[FX_RUNS * FX_TIMES];
        read_doubles(f, name, x, FX_RUNS * FX_TIMES);
        for (size_t r = 0; r < FX_RUNS; r++)
            for (size_t t = 0; t < FX_TIMES; t++)
                assert_doubles_equal(x[r * FX_TIMES + t],
                                     written[r] ? fx_value(r, v, t) : NAN);
        hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
        const ps_h5_var_meta *vm = &m->vars[v];
        assert_units(d, vm->units);
        assert_attr_text(d, "long_name",
                         vm->long_name ? vm->long_name : vm->model_name, 0);
        assert_attr_text(d, "model_name", vm->model_name, 0);
        assert_true(isnan(attr_double(d, "_FillValue")));
        hid_t p = H5Dget_create_plist(d);
        hsize_t chunk[2];
        assert_int_equal(H5Pget_chunk(p, 2, chunk), 2);
        assert_int_equal(chunk[0], chunk_runs);
        assert_int_equal(chunk[1], FX_TIMES);
        double fill = 0;
        assert_true(H5Pget_fill_value(p, H5T_NATIVE_DOUBLE, &fill) >= 0);
        assert_true(isnan(fill));
        assert_int_equal(H5Pget_nfilters(p), deflate ? 2 : 0);
        if (deflate) {
            unsigned flags, cd[4];
            size_t ncd = 4;
            assert_int_equal(
                H5Pget_filter2(p, 0, &flags, &ncd, cd, 0, NULL, NULL),
                H5Z_FILTER_SHUFFLE);
            ncd = 4;
            assert_int_equal(
                H5Pget_filter2(p, 1, &flags, &ncd, cd, 0, NULL, NULL),
                H5Z_FILTER_DEFLATE);
            assert_int_equal(cd[0], deflate);
        }
        H5Pclose(p);
        H5Dclose(d);
        assert_attached(f, name, "run", 0);
        assert_attached(f, name, "time", 1);
    }
}

static void check_summary(hid_t f)
{
    const ps_h5_meta *m = fx_meta();
    hid_t g = H5Gopen2(f, "summary", H5P_DEFAULT);
    assert_true(g >= 0);
    assert_scale(g, "quantile");
    const double levels[7] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
    double q[7];
    read_doubles(g, "quantile", q, 7);
    for (size_t k = 0; k < 7; k++)
        assert_true(q[k] == levels[k]);

    for (size_t v = 0; v < FX_VARS; v++) {
        char name[128];
        double mean[FX_TIMES], sd[FX_TIMES], qs[7 * FX_TIMES];
        snprintf(name, sizeof name, "%s_mean", fx_dataset_names[v]);
        read_doubles(g, name, mean, FX_TIMES);
        hid_t d = H5Dopen2(g, name, H5P_DEFAULT);
        assert_attr_text(d, "cell_methods", "run: mean", 1);
        H5Dclose(d);
        snprintf(name, sizeof name, "summary/%s_mean", fx_dataset_names[v]);
        assert_attached(f, name, "time", 0);
        snprintf(name, sizeof name, "%s_sd", fx_dataset_names[v]);
        read_doubles(g, name, sd, FX_TIMES);
        snprintf(name, sizeof name, "%s_quantiles", fx_dataset_names[v]);
        read_doubles(g, name, qs, 7 * FX_TIMES);
        d = H5Dopen2(g, name, H5P_DEFAULT);
        char *ln = attr_text(d, "long_name", NULL, NULL);
        assert_non_null(strstr(ln, "type 7"));
        free(ln);
        assert_units(d, m->vars[v].units);
        H5Dclose(d);
        snprintf(name, sizeof name, "summary/%s_quantiles",
                 fx_dataset_names[v]);
        assert_attached(f, name, "summary/quantile", 0);
        assert_attached(f, name, "time", 1);

        for (size_t t = 0; t < FX_TIMES; t++) {
            double x[FX_RUNS];
            size_t n = ok_values(v, t, x);
            double s = 0, ss = 0;
            for (size_t i = 0; i < n; i++)
                s += x[i];
            double mu = s / (double)n;
            for (size_t i = 0; i < n; i++)
                ss += (x[i] - mu) * (x[i] - mu);
            assert_true(fabs(mean[t] - mu) <= 1e-9 * fmax(1, fabs(mu)));
            assert_true(fabs(sd[t] - sqrt(ss / (double)(n - 1))) <=
                        1e-9 * fmax(1, fabs(mu)));
            for (size_t k = 0; k < 7; k++)
                assert_doubles_equal(qs[k * FX_TIMES + t],
                                     quantile7(x, n, levels[k]));
        }
    }

    /* targets */
    assert_scale(g, "target");
    const char *ids[FX_TARGETS], *labels[FX_TARGETS], *vars[FX_TARGETS];
    for (size_t i = 0; i < FX_TARGETS; i++) {
        ids[i] = m->targets[i].name;
        labels[i] = m->targets[i].label;
        vars[i] = m->targets[i].variable;
    }
    assert_strings(g, "target", FX_TARGETS, ids);
    assert_strings(g, "target_label", FX_TARGETS, labels);
    assert_strings(g, "target_variable", FX_TARGETS, vars);
    double time[FX_TARGETS], lo[FX_TARGETS], hi[FX_TARGETS], p[FX_TARGETS],
        cl[FX_TARGETS], ch[FX_TARGETS], by[FX_TARGETS * FX_TIMES];
    read_doubles(g, "target_time", time, FX_TARGETS);
    read_doubles(g, "target_lo", lo, FX_TARGETS);
    read_doubles(g, "target_hi", hi, FX_TARGETS);
    read_doubles(g, "target_probability", p, FX_TARGETS);
    read_doubles(g, "target_ci_low", cl, FX_TARGETS);
    read_doubles(g, "target_ci_high", ch, FX_TARGETS);
    read_doubles(g, "target_probability_by_time", by, FX_TARGETS * FX_TIMES);
    assert_attached(f, "summary/target_probability_by_time", "summary/target",
                    0);
    assert_attached(f, "summary/target_probability_by_time", "time", 1);
    assert_attached(f, "summary/target_hits", "summary/target", 0);
    long long hits[FX_TARGETS], runs[FX_TARGETS];
    signed char cmp[FX_TARGETS], binding[FX_TARGETS];
    hid_t d = H5Dopen2(g, "target_hits", H5P_DEFAULT);
    H5Dread(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, hits);
    H5Dclose(d);
    d = H5Dopen2(g, "target_runs", H5P_DEFAULT);
    H5Dread(d, H5T_NATIVE_LLONG, H5S_ALL, H5S_ALL, H5P_DEFAULT, runs);
    H5Dclose(d);
    d = H5Dopen2(g, "target_compare", H5P_DEFAULT);
    H5Dread(d, H5T_NATIVE_SCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, cmp);
    assert_attr_text(d, "flag_meanings", "at_least at_most between", 1);
    H5Dclose(d);
    d = H5Dopen2(g, "target_binding", H5P_DEFAULT);
    H5Dread(d, H5T_NATIVE_SCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, binding);
    assert_attr_text(d, "flag_meanings", "expected binding", 1);
    H5Dclose(d);
    d = H5Dopen2(g, "target_time", H5P_DEFAULT);
    assert_units(d, "year");
    H5Dclose(d);

    for (size_t i = 0; i < FX_TARGETS; i++) {
        const ps_h5_target_meta *tm = &m->targets[i];
        assert_true(time[i] == tm->time);
        assert_int_equal(cmp[i], tm->compare);
        assert_int_equal(binding[i], tm->binding);
        assert_doubles_equal(lo[i],
                             tm->compare == PS_SC_AT_MOST ? NAN : tm->lo);
        assert_doubles_equal(hi[i],
                             tm->compare == PS_SC_AT_LEAST ? NAN : tm->hi);
        size_t v = 0;
        while (strcmp(m->vars[v].model_name, tm->variable) != 0)
            v++;
        for (size_t t = 0; t < FX_TIMES; t++) {
            double x[FX_RUNS];
            size_t n = ok_values(v, t, x), k = 0;
            for (size_t r = 0; r < n; r++)
                k += tm->compare == PS_SC_AT_LEAST ? x[r] >= tm->lo
                     : tm->compare == PS_SC_AT_MOST
                         ? x[r] <= tm->hi
                         : x[r] >= tm->lo && x[r] <= tm->hi;
            assert_doubles_equal(by[i * FX_TIMES + t], (double)k / (double)n);
            if (fx_times[t] != tm->time)
                continue;
            assert_int_equal(hits[i], k);
            assert_int_equal(runs[i], n);
            assert_doubles_equal(p[i], (double)k / (double)n);
            double wl, wh;
            wilson((double)k, (double)n, &wl, &wh);
            assert_true(fabs(cl[i] - wl) < 1e-12);
            assert_true(fabs(ch[i] - wh) < 1e-12);
        }
    }
    long long ok = 0, failed = 0, pending = -1;
    d = H5Aopen(g, "runs_ok", H5P_DEFAULT);
    H5Aread(d, H5T_NATIVE_LLONG, &ok);
    H5Aclose(d);
    d = H5Aopen(g, "runs_failed", H5P_DEFAULT);
    H5Aread(d, H5T_NATIVE_LLONG, &failed);
    H5Aclose(d);
    d = H5Aopen(g, "runs_pending", H5P_DEFAULT);
    H5Aread(d, H5T_NATIVE_LLONG, &pending);
    H5Aclose(d);
    assert_int_equal(ok, FX_RUNS - 1);
    assert_int_equal(failed, 1);
    assert_int_equal(pending, 0);
    H5Gclose(g);
}

static const int all_written[FX_RUNS] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

/* ---- tests ------------------------------------------------------------ */

static void test_sink_writes_every_dataset_and_attribute(void **state)
{
    dir *d = *state;
    ps_error err;
    assert_int_equal(fx_write(d->file, &chunks_of_4, FX_NBLOCKS, 1, 1, &err),
                     PS_OK);
    assert_true(exists(d->file));
    assert_false(exists(d->partial));
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    check_globals(f);
    check_creation_order(f);
    check_root_links(f);
    check_coordinates(f);
    check_runs(f, all_written);
    check_variables(f, all_written, 0, 4);
    check_summary(f);
    H5Fclose(f);
}

static void test_sink_compresses_when_asked(void **state)
{
    dir *d = *state;
    const ps_h5_options deflate = {4, 4, 0, 0};
    assert_int_equal(fx_write(d->file, &deflate, FX_NBLOCKS, 1, 1, NULL),
                     PS_OK);
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    check_variables(f, all_written, 4, 4);
    check_summary(f);
    H5Fclose(f);
}

static void test_sink_chooses_chunks_of_whole_runs(void **state)
{
    dir *d = *state;
    assert_int_equal(fx_write(d->file, NULL, FX_NBLOCKS, 0, 1, NULL), PS_OK);
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t ds = H5Dopen2(f, "GDP", H5P_DEFAULT);
    hid_t p = H5Dget_create_plist(ds);
    hsize_t chunk[2];
    assert_int_equal(H5Pget_chunk(p, 2, chunk), 2);
    /* 10 runs of 6 doubles are far below 64 KiB: one chunk of all runs */
    assert_int_equal(chunk[0], FX_RUNS);
    assert_int_equal(chunk[1], FX_TIMES);
    H5Pclose(p);
    H5Dclose(ds);
    check_runs(f, all_written);
    check_variables(f, all_written, 0, FX_RUNS);
    assert_true(H5Lexists(f, "summary/target_hits", H5P_DEFAULT) == 0);
    H5Fclose(f);
}

static void test_sink_without_commit_leaves_the_partial_file(void **state)
{
    dir *d = *state;
    /* Two blocks (runs 6-8 and 0-2) then an interruption: no end, no
       summary, no commit. */
    assert_int_equal(fx_write(d->file, &chunks_of_4, 2, 0, 0, NULL), PS_OK);
    assert_false(exists(d->file));
    assert_true(exists(d->partial));
    hid_t f = H5Fopen(d->partial, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    const int written[FX_RUNS] = {1, 1, 1, 0, 0, 0, 1, 1, 1, 0};
    check_runs(f, written);
    check_variables(f, written, 0, 4);
    H5Fclose(f);

    /* A salvaged file can still be summarised: over its ok runs. */
    ps_error err;
    ps_h5_summary *s;
    assert_int_equal(ps_h5_summarize(d->partial, &err), PS_OK);
    assert_int_equal(ps_h5_summary_read(d->partial, &s, &err), PS_OK);
    assert_int_equal(s->runs_ok, 6);
    assert_int_equal(s->runs_failed, 0);
    assert_int_equal(s->runs_pending, 4);
    assert_int_equal(s->targets[0].runs, 6);
    double x[6];
    for (size_t i = 0, r = 0; r < FX_RUNS; r++)
        if (written[r])
            x[i++] = fx_value(r, 0, 0);
    qsort(x, 6, sizeof *x, cmp_double);
    assert_doubles_equal(s->vars[0].quantiles[3 * FX_TIMES],
                         quantile7(x, 6, 0.5));
    ps_h5_summary_free(&s);
}

static void test_sink_writes_a_file_without_inputs_or_targets(void **state)
{
    dir *d = *state;
    const ps_h5_var_meta var = {"x", NULL, NULL, 0, NULL};
    const ps_h5_meta m = {.nvars = 1, .vars = &var};
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err), PS_OK);
    const double times[2] = {0, 1};
    const ps_ensemble_layout layout = {
        .nruns = 3, .ntimes = 2, .times = times, .nsave = 1, .block = 2};
    assert_int_equal(ps_h5_sink_type.begin(sink, &layout, &err), PS_OK);
    const unsigned char status[3] = {PS_RUN_OK, PS_RUN_OK, PS_RUN_OK};
    const double v[6] = {1, 2, 3, 4, 5, 6};
    assert_int_equal(
        ps_h5_sink_type.write_block(sink, 2, 1, status + 2, v + 4, NULL, &err),
        PS_OK);
    assert_int_equal(
        ps_h5_sink_type.write_block(sink, 0, 2, status, v, NULL, &err), PS_OK);
    assert_int_equal(ps_h5_sink_type.end(sink, &err), PS_OK);
    assert_int_equal(ps_h5_sink_summarize(sink, &err), PS_OK);
    assert_int_equal(ps_h5_sink_close(&sink, 1, &err), PS_OK);

    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_int_equal(H5Lexists(f, "param", H5P_DEFAULT), 0);
    assert_int_equal(H5Lexists(f, "param_value", H5P_DEFAULT), 0);
    assert_int_equal(H5Aexists(f, "scenario_yaml"), 0);
    double x[6];
    read_doubles(f, "x", x, 6);
    for (size_t i = 0; i < 6; i++)
        assert_true(x[i] == v[i]);
    hid_t ds = H5Dopen2(f, "x", H5P_DEFAULT);
    assert_attr_text(ds, "long_name", "x", 0);
    assert_int_equal(H5Aexists(ds, "units"), 0);
    assert_int_equal(H5Aexists(ds, "vensim_units"), 0);
    H5Dclose(ds);
    H5Fclose(f);

    ps_h5_summary *s;
    assert_int_equal(ps_h5_summary_read(d->file, &s, &err), PS_OK);
    assert_int_equal(s->ntargets, 0);
    assert_int_equal(s->nvars, 1);
    assert_string_equal(s->vars[0].units, "");
    assert_true(s->vars[0].mean[0] == 3 && s->vars[0].mean[1] == 4);
    assert_true(s->vars[0].quantiles[3 * 2 + 1] == 4); /* median at t=1 */
    ps_h5_summary_free(&s);
}

static void test_summarize_by_path_matches_the_sink(void **state)
{
    dir *d = *state;
    assert_int_equal(fx_write(d->file, &chunks_of_4, FX_NBLOCKS, 0, 1, NULL),
                     PS_OK);
    ps_h5_summary *s = NULL;
    ps_error err;
    assert_int_equal(ps_h5_summary_read(d->file, &s, &err), PS_ERR_DATA);
    assert_null(s);
    assert_string_equal(err.file, d->file);
    assert_int_equal(ps_h5_summarize(d->file, &err), PS_OK);
    assert_int_equal(ps_h5_summarize(d->file, &err), PS_OK); /* again */
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    check_summary(f);
    check_creation_order(f);
    H5Fclose(f);
}

static void test_summary_read_gives_the_file_back(void **state)
{
    dir *d = *state;
    const ps_h5_meta *m = fx_meta();
    assert_int_equal(fx_write(d->file, &chunks_of_4, FX_NBLOCKS, 1, 1, NULL),
                     PS_OK);
    ps_h5_summary *s = NULL;
    ps_error err;
    assert_int_equal(ps_h5_summary_read(d->file, &s, &err), PS_OK);
    assert_string_equal(s->title, m->title);
    assert_string_equal(s->time_units, "year");
    assert_int_equal(s->runs, FX_RUNS);
    assert_int_equal(s->runs_ok, FX_RUNS - 1);
    assert_int_equal(s->runs_failed, 1);
    assert_int_equal(s->runs_pending, 0);
    assert_int_equal(s->ntimes, FX_TIMES);
    assert_int_equal(s->nquantiles, 7);
    assert_int_equal(s->nvars, FX_VARS);
    for (size_t v = 0; v < FX_VARS; v++) {
        assert_string_equal(s->vars[v].name, fx_dataset_names[v]);
        assert_string_equal(s->vars[v].model_name, m->vars[v].model_name);
        assert_string_equal(s->vars[v].units, m->vars[v].units);
        for (size_t t = 0; t < FX_TIMES; t++) {
            double x[FX_RUNS];
            size_t n = ok_values(v, t, x);
            assert_doubles_equal(s->vars[v].quantiles[3 * FX_TIMES + t],
                                 quantile7(x, n, 0.5));
        }
    }
    assert_int_equal(s->ntargets, FX_TARGETS);
    for (size_t i = 0; i < FX_TARGETS; i++) {
        const ps_h5_target_summary *t = &s->targets[i];
        assert_string_equal(t->name, m->targets[i].name);
        assert_string_equal(t->label, m->targets[i].label);
        assert_string_equal(t->variable, m->targets[i].variable);
        assert_string_equal(t->source,
                            m->targets[i].source ? m->targets[i].source : "");
        assert_true(t->time == m->targets[i].time);
        assert_int_equal(t->compare, m->targets[i].compare);
        assert_int_equal(t->binding, m->targets[i].binding);
        assert_int_equal(t->runs, FX_RUNS - 1);
        assert_doubles_equal(t->probability, (double)t->hits / (double)t->runs);
        assert_true(t->ci_low <= t->probability &&
                    t->probability <= t->ci_high);
        long ti = 0;
        while (fx_times[ti] != t->time)
            ti++;
        assert_doubles_equal(t->probability_by_time[ti], t->probability);
    }
    ps_h5_summary_free(&s);
    assert_null(s);
    ps_h5_summary_free(&s); /* NULL is allowed */
}

static void test_title_per_language_is_read_back(void **state)
{
    dir *d = *state;
    ps_h5_meta m = *fx_meta();
    m.lang = (ps_h5_lang_texts){.title_zh = "钱江区 十五五 情景",
                                .title_en = "Qianjiang plan scenario",
                                .description_zh = "测试",
                                .description_en = "A test."};
    assert_int_equal(
        fx_write_meta(d->file, &m, &chunks_of_4, FX_NBLOCKS, 1, 1, NULL),
        PS_OK);
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    /* the default texts stay where older readers look for them */
    assert_attr_text(f, "title", m.title, 0);
    assert_attr_text(f, "description", m.description, 0);
    assert_attr_text(f, "title_en", "Qianjiang plan scenario", 0);
    assert_attr_text(f, "description_zh", "测试", 0);
    H5Fclose(f);
    ps_h5_summary *s = NULL;
    ps_h5_assumptions *a = NULL;
    ps_error err;
    assert_int_equal(ps_h5_summary_read(d->file, &s, &err), PS_OK);
    assert_int_equal(ps_h5_assumptions_read(d->file, &a, &err), PS_OK);
    assert_string_equal(s->title, m.title);
    assert_string_equal(s->lang.title_zh, "钱江区 十五五 情景");
    assert_string_equal(s->lang.title_en, "Qianjiang plan scenario");
    assert_string_equal(a->description, m.description);
    assert_string_equal(a->lang.description_zh, "测试");
    assert_string_equal(a->lang.description_en, "A test.");
    assert_string_equal(ps_h5_lang_pick(a->description, a->lang.description_zh,
                                        a->lang.description_en, 1),
                        "A test.");
    ps_h5_summary_free(&s);
    ps_h5_assumptions_free(&a);
}

static void
test_one_title_for_every_language_has_no_language_texts(void **state)
{
    dir *d = *state;
    assert_int_equal(fx_write(d->file, &chunks_of_4, FX_NBLOCKS, 1, 1, NULL),
                     PS_OK);
    hid_t f = H5Fopen(d->file, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(H5Aexists(f, "title_zh") == 0 && H5Aexists(f, "title_en") == 0);
    assert_true(H5Aexists(f, "description_en") == 0);
    H5Fclose(f);
    ps_h5_assumptions *a = NULL;
    ps_error err;
    assert_int_equal(ps_h5_assumptions_read(d->file, &a, &err), PS_OK);
    assert_null(a->lang.title_zh);
    assert_null(a->lang.title_en);
    assert_null(a->lang.description_zh);
    assert_null(a->lang.description_en);
    /* either language falls back to the one text */
    assert_string_equal(
        ps_h5_lang_pick(a->title, a->lang.title_zh, a->lang.title_en, 1),
        fx_meta()->title);
    assert_string_equal(ps_h5_lang_pick(a->title, NULL, "English only", 0),
                        "English only");
    ps_h5_assumptions_free(&a);
}

static void test_summary_read_reports_a_missing_file(void **state)
{
    dir *d = *state;
    ps_h5_summary *s = (ps_h5_summary *)1;
    ps_error err;
    assert_int_equal(ps_h5_summary_read(d->file, &s, &err), PS_ERR_NOINPUT);
    assert_null(s);
    assert_string_equal(err.file, d->file);
    assert_int_equal(ps_h5_summarize(d->file, &err), PS_ERR_NOINPUT);
}

static void test_sink_open_fails_with_cantcreat(void **state)
{
    dir *d = *state;
    char path[4300];
    snprintf(path, sizeof path, "%s/no-such-dir/out.h5", d->path);
    ps_h5_sink *sink = (ps_h5_sink *)1;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(path, fx_meta(), NULL, &sink, &err),
                     PS_ERR_CANTCREAT);
    assert_null(sink);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "cannot create"));
    assert_non_null(strstr(err.message, "No such file or directory"));
    assert_int_equal(ps_h5_sink_close(&sink, 1, &err), PS_OK); /* NULL */
}

static void test_sink_open_refuses_a_target_on_an_unsaved_variable(void **state)
{
    dir *d = *state;
    ps_h5_meta m = *fx_meta();
    ps_h5_target_meta t = m.targets[0];
    t.variable = "Investment";
    m.targets = &t;
    m.ntargets = 1;
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(d->file, &m, NULL, &sink, &err),
                     PS_ERR_USAGE);
    assert_null(sink);
    assert_non_null(strstr(err.message, "Investment"));
    assert_false(exists(d->partial));
}

static void test_sink_open_refuses_a_bad_compression_level(void **state)
{
    dir *d = *state;
    const ps_h5_options bad = {10, 0, 0, 0};
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(d->file, fx_meta(), &bad, &sink, &err),
                     PS_ERR_USAGE);
    assert_null(sink);
    assert_false(exists(d->partial));
}

static void test_sink_begin_refuses_a_target_time_not_saved(void **state)
{
    dir *d = *state;
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(d->file, fx_meta(), NULL, &sink, &err),
                     PS_OK);
    const double times[3] = {2025, 2027, 2029}; /* no 2028 or 2030 */
    const ps_ensemble_layout layout = {.nruns = FX_RUNS,
                                       .ntimes = 3,
                                       .times = times,
                                       .nsave = FX_VARS,
                                       .ninputs = FX_INPUTS,
                                       .block = 1};
    assert_int_equal(ps_h5_sink_type.begin(sink, &layout, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "not a saved time"));
    assert_int_equal(ps_h5_sink_close(&sink, 0, &err), PS_OK);
    assert_null(sink);
    assert_true(exists(d->partial));
}

static void test_sink_refuses_a_run_twice(void **state)
{
    dir *d = *state;
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(
        ps_h5_sink_open(d->file, fx_meta(), &chunks_of_4, &sink, &err), PS_OK);
    const ps_ensemble_layout layout = {.nruns = FX_RUNS,
                                       .ntimes = FX_TIMES,
                                       .times = fx_times,
                                       .nsave = FX_VARS,
                                       .ninputs = FX_INPUTS,
                                       .block = 1};
    assert_int_equal(ps_h5_sink_type.begin(sink, &layout, &err), PS_OK);
    unsigned char status = PS_RUN_OK;
    double values[FX_VARS * FX_TIMES] = {0}, in[FX_INPUTS] = {0};
    assert_int_equal(
        ps_h5_sink_type.write_block(sink, 5, 1, &status, values, in, &err),
        PS_OK);
    assert_int_equal(
        ps_h5_sink_type.write_block(sink, 5, 1, &status, values, in, &err),
        PS_ERR_INTERNAL);
    assert_non_null(strstr(err.message, "run 5"));
    assert_int_equal(
        ps_h5_sink_type.write_block(sink, 9, 2, &status, values, in, &err),
        PS_ERR_INTERNAL);
    assert_int_equal(ps_h5_sink_close(&sink, 0, &err), PS_OK);
}

static void test_sink_summarize_before_begin_is_refused(void **state)
{
    dir *d = *state;
    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(d->file, fx_meta(), NULL, &sink, &err),
                     PS_OK);
    assert_int_equal(ps_h5_sink_summarize(sink, &err), PS_ERR_USAGE);
    assert_int_equal(ps_h5_sink_close(&sink, 0, &err), PS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, make_dir, remove_dir)
        T(test_sink_writes_every_dataset_and_attribute),
        T(test_sink_compresses_when_asked),
        T(test_sink_chooses_chunks_of_whole_runs),
        T(test_sink_without_commit_leaves_the_partial_file),
        T(test_sink_writes_a_file_without_inputs_or_targets),
        T(test_summarize_by_path_matches_the_sink),
        T(test_summary_read_gives_the_file_back),
        T(test_title_per_language_is_read_back),
        T(test_one_title_for_every_language_has_no_language_texts),
        T(test_summary_read_reports_a_missing_file),
        T(test_sink_open_fails_with_cantcreat),
        T(test_sink_open_refuses_a_target_on_an_unsaved_variable),
        T(test_sink_open_refuses_a_bad_compression_level),
        T(test_sink_begin_refuses_a_target_time_not_saved),
        T(test_sink_refuses_a_run_twice),
        T(test_sink_summarize_before_begin_is_refused),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
