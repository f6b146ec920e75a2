/*
 * Sensitivity results in a report: the /sensitivity group written by the
 * sink and read back whole (Sobol' and one-at-a-time), the reader's
 * errors, and the report of a file with results (sensitivity.md in the
 * reader's language without model names, sensitivity.csv as plansim
 * sensitivity prints it, the link, the appendix) and of one without.
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

#include "plansim_output/labels.h"
#include "plansim_output/report.h"
#include "report_fixture.h"

/* ---- the results written ------------------------------------------------- */

static const ps_h5_sens_factor factors[2] = {
    {"储蓄率", NULL, "储蓄率"},
    {"TFP growth", "全要素生产率增速", "TFP growth"},
};

static const ps_h5_sens_output outputs[2] = {
    {"GDP@2030", "地区生产总值", "GDP", 2030, 0, 64, 64, 0, NAN},
    {"target:gdp_700", "地区生产总值 ≥ 700亿元", "GDP", 2030, 1, 60, 64, 0,
     NAN},
};

/* [output][factor]: output 0 ranks TFP growth first, output 1 储蓄率. */
static const size_t order[4] = {1, 0, 0, 1};
static const double s1[4] = {0.12, 0.61, 0.55, 0.2};
static const double s1_low[4] = {0.05, 0.5, 0.41, 0.08};
static const double s1_high[4] = {0.2, 0.72, 0.69, 0.31};
static const double s1_conf[4] = {0.04, 0.06, 0.07, 0.06};
static const double st[4] = {0.2, 0.8125, 0.71, 0.3965};
static const double st_low[4] = {0.11, 0.7, 0.6, 0.25};
static const double st_high[4] = {0.3, 0.93, 0.83, 0.52};
static const double st_conf[4] = {0.05, 0.06, 0.06, 0.07};

static const ps_h5_sensitivity sobol = {
    .method = "sobol",
    .seed = 20260101,
    .runs = 256,
    .samples = 64,
    .bootstrap = 500,
    .level = 0.9,
    .nfactors = 2,
    .factors = factors,
    .noutputs = 2,
    .outputs = outputs,
    .order = order,
    .s1 = s1,
    .s1_low = s1_low,
    .s1_high = s1_high,
    .s1_conf = s1_conf,
    .st = st,
    .st_low = st_low,
    .st_high = st_high,
    .st_conf = st_conf,
};

static const ps_h5_sens_output oat_outputs[1] = {
    {"GDP@2030", NULL, "GDP", 2030, 0, 5, 5, 0, 650.5},
};
static const size_t oat_order[2] = {0, 1};
static const double y_low[2] = {600.25, 640};
static const double y_high[2] = {700.75, 655};
static const double swing[2] = {100.5, 15};

static const ps_h5_sensitivity oat = {
    .method = "oat",
    .seed = 3,
    .runs = 5,
    .low = 0.05,
    .high = 0.95,
    .nfactors = 2,
    .factors = factors,
    .noutputs = 1,
    .outputs = oat_outputs,
    .order = oat_order,
    .y_low = y_low,
    .y_high = y_high,
    .swing = swing,
};

static const ps_h5_sens_output morris_outputs[1] = {
    {"GDP@2030", NULL, "GDP", 2030, 0, 10, 10, 0, NAN},
};
static const size_t morris_order[2] = {1, 0};
static const double mu[2] = {-3.5, 42.25};
static const double mu_star[2] = {12.5, 42.25};
static const double mu_star_low[2] = {8, 30.5};
static const double mu_star_high[2] = {17, 55};
static const double mu_star_conf[2] = {4.5, 12};
static const double sigma[2] = {14, 6.5};

static const ps_h5_sensitivity morris = {
    .method = "morris",
    .seed = 5,
    .runs = 30,
    .bootstrap = 200,
    .level = 0.95,
    .trajectories = 10,
    .levels = 4,
    .nfactors = 2,
    .factors = factors,
    .noutputs = 1,
    .outputs = morris_outputs,
    .order = morris_order,
    .mu = mu,
    .mu_star = mu_star,
    .mu_star_low = mu_star_low,
    .mu_star_high = mu_star_high,
    .mu_star_conf = mu_star_conf,
    .sigma = sigma,
};

static const char labels_text[] =
    "variables:\n"
    "  GDP: {zh: 地区生产总值, en: Gross regional product, units_zh: 亿元,\n"
    "        units_en: 100 million yuan}\n"
    "targets:\n"
    "  gdp_700: {zh: 地区生产总值达到七百亿元, en: GRP reaches 70 billion}\n"
    "inputs:\n"
    "  储蓄率: {zh: 储蓄率, en: Saving rate}\n"
    "  TFP growth: {zh: 全要素生产率增速, en: Productivity growth}\n";

/* ---- scratch ------------------------------------------------------------- */

typedef struct scratch {
    char dir[4096];
    char file[4200];   /* dir/s.h5: runs, labels and Sobol' results */
    char report[4200]; /* dir/report */
    ps_labels *labels;
} scratch;

static int make_scratch(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    scratch *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->dir, sizeof d->dir, "%s/reportsens-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->dir)) {
        free(d);
        return -1;
    }
    snprintf(d->file, sizeof d->file, "%s/s.h5", d->dir);
    snprintf(d->report, sizeof d->report, "%s/report", d->dir);
    char path[4300];
    snprintf(path, sizeof path, "%s/m.labels.yaml", d->dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(labels_text, f);
    fclose(f);
    ps_error err;
    if (ps_labels_load(path, &d->labels, &err) != PS_OK)
        return -1;
    *state = d;
    return 0;
}

static int drop_scratch(void **state)
{
    scratch *d = *state;
    ps_labels_free(&d->labels);
    rf_remove_tree(d->dir);
    free(d);
    return 0;
}

static void assert_text(const char *got, const char *want)
{
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
}

/* Every field of b as in a (only a's method's measures). */
static void assert_same(const ps_h5_sensitivity *a, const ps_h5_sensitivity *b)
{
    assert_string_equal(a->method, b->method);
    assert_true(a->seed == b->seed);
    assert_int_equal(a->runs, b->runs);
    assert_int_equal(a->nfactors, b->nfactors);
    assert_int_equal(a->noutputs, b->noutputs);
    for (size_t f = 0; f < a->nfactors; f++) {
        assert_string_equal(a->factors[f].name, b->factors[f].name);
        assert_text(b->factors[f].label, a->factors[f].label);
        assert_string_equal(a->factors[f].inputs, b->factors[f].inputs);
    }
    for (size_t o = 0; o < a->noutputs; o++) {
        const ps_h5_sens_output *x = &a->outputs[o], *y = &b->outputs[o];
        assert_string_equal(x->name, y->name);
        assert_text(y->label, x->label);
        assert_string_equal(x->variable, y->variable);
        assert_true(x->time == y->time);
        assert_int_equal(x->is_target, y->is_target);
        assert_int_equal(x->used, y->used);
        assert_int_equal(x->total, y->total);
        assert_int_equal(x->constant, y->constant);
        assert_true(isnan(x->base) ? isnan(y->base) : x->base == y->base);
    }
    size_t n = a->noutputs * a->nfactors;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(a->order[i], b->order[i]);
    const double *const ma[] = {
        a->s1,           a->s1_low,  a->s1_high,     a->s1_conf,
        a->st,           a->st_low,  a->st_high,     a->st_conf,
        a->mu,           a->mu_star, a->mu_star_low, a->mu_star_high,
        a->mu_star_conf, a->sigma,   a->y_low,       a->y_high,
        a->swing};
    const double *const mb[] = {
        b->s1,           b->s1_low,  b->s1_high,     b->s1_conf,
        b->st,           b->st_low,  b->st_high,     b->st_conf,
        b->mu,           b->mu_star, b->mu_star_low, b->mu_star_high,
        b->mu_star_conf, b->sigma,   b->y_low,       b->y_high,
        b->swing};
    for (size_t k = 0; k < sizeof ma / sizeof ma[0]; k++) {
        if (!ma[k])
            continue;
        assert_non_null(mb[k]);
        for (size_t i = 0; i < n; i++)
            assert_true(ma[k][i] == mb[k][i]);
    }
}

/* ---- reading the group back ---------------------------------------------- */

static void test_sobol_results_read_back_whole(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(
        rf_write_h5_sensitivity(d->file, NULL, &sobol, 1, NULL, &err), PS_OK);
    ps_h5_sensitivity *x = NULL;
    assert_int_equal(ps_h5_sensitivity_read(d->file, &x, &err), PS_OK);
    assert_non_null(x);
    assert_same(&sobol, x);
    assert_int_equal(x->samples, 64);
    assert_int_equal(x->bootstrap, 500);
    assert_true(x->level == 0.9);
    assert_null(x->mu_star); /* another method's measures are not read */
    assert_null(x->swing);
    ps_h5_sensitivity_free(&x);
    assert_null(x);
    ps_h5_sensitivity_free(&x); /* NULL is fine */
}

static void test_oat_results_read_back_whole(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(
        rf_write_h5_sensitivity(d->file, NULL, &oat, 1, NULL, &err), PS_OK);
    ps_h5_sensitivity *x = NULL;
    assert_int_equal(ps_h5_sensitivity_read(d->file, &x, &err), PS_OK);
    assert_non_null(x);
    assert_same(&oat, x);
    assert_true(x->low == 0.05 && x->high == 0.95);
    assert_null(x->st);
    ps_h5_sensitivity_free(&x);
}

static void test_a_file_without_results_reads_as_none(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(rf_write_h5(d->file, 1, &err), PS_OK);
    ps_h5_sensitivity *x = (ps_h5_sensitivity *)&sobol; /* overwritten */
    assert_int_equal(ps_h5_sensitivity_read(d->file, &x, &err), PS_OK);
    assert_null(x);
}

static void test_reader_errors_name_the_file(void **state)
{
    scratch *d = *state;
    ps_error err;
    ps_h5_sensitivity *x = NULL;
    char missing[4300];
    snprintf(missing, sizeof missing, "%s/none.h5", d->dir);
    assert_int_equal(ps_h5_sensitivity_read(missing, &x, &err), PS_ERR_NOINPUT);
    assert_null(x);

    /* ranks that are not a ranking: the group is refused */
    assert_int_equal(
        rf_write_h5_sensitivity(d->file, NULL, &sobol, 1, NULL, &err), PS_OK);
    hid_t f = H5Fopen(d->file, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    hid_t ds = H5Dopen2(f, "sensitivity/rank", H5P_DEFAULT);
    assert_true(ds >= 0);
    const int twice[4] = {1, 1, 1, 2};
    assert_true(H5Dwrite(ds, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                         twice) >= 0);
    H5Dclose(ds);
    H5Fclose(f);
    assert_int_equal(ps_h5_sensitivity_read(d->file, &x, &err), PS_ERR_DATA);
    assert_null(x);
    assert_string_equal(err.file, d->file);

    f = H5Fopen(d->file, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Ldelete(f, "sensitivity/ST", H5P_DEFAULT) >= 0);
    H5Fclose(f);
    assert_int_equal(ps_h5_sensitivity_read(d->file, &x, &err), PS_ERR_DATA);
    assert_null(x);
}

/* ---- the report ------------------------------------------------------------
 */

static char *report_file(const scratch *d, const char *name)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", d->report, name);
    size_t len;
    return rf_slurp(path, &len);
}

static int report_has(const scratch *d, const char *name)
{
    char path[4400];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", d->report, name);
    return stat(path, &sb) == 0;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part)) {
        print_error("'%s' not in:\n%s\n", part, text);
        fail();
    }
}

static void assert_lacks(const char *text, const char *part)
{
    if (strstr(text, part)) {
        print_error("'%s' in:\n%s\n", part, text);
        fail();
    }
}

static void
test_report_in_chinese_has_the_results_without_model_names(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(
        rf_write_h5_sensitivity(d->file, d->labels, &sobol, 1, NULL, &err),
        PS_OK);
    ps_report_options o = {.lang = PS_REPORT_ZH};
    assert_int_equal(ps_report_write(d->file, d->report, &o, &err), PS_OK);

    char *md = report_file(d, "sensitivity.md");
    assert_non_null(md);
    assert_contains(md, "总效应指数 ST 是结果方差中由该因素引起的份额");
    assert_contains(md, "## 地区生产总值，2030年");
    /* the target by the scenario's label, its 0/1 indicator said so */
    assert_contains(md, "## 目标：地区生产总值 ≥ 700亿元（是否达成）");
    /* ranked by ST, both ends of the 90% interval, three decimals by
       the probabilities' rule (0.3965 -> 0.397) */
    assert_contains(md, "90% 区间 |");
    assert_lacks(md, "95%");
    const char *first = strstr(md, "全要素生产率增速");
    const char *second = strstr(md, "|    2 | 储蓄率");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    assert_contains(md, "0.813 | 0.700 – 0.930 |   0.610 | 0.500 – 0.720");
    assert_contains(md, "0.397 | 0.250 – 0.520");
    assert_contains(md, "4 组（共 64 组）含失败的模拟");
    const char *model_names[] = {"TFP", "GDP", "target:", "@2030", "gdp_700"};
    for (size_t i = 0; i < sizeof model_names / sizeof model_names[0]; i++)
        assert_lacks(md, model_names[i]);
    free(md);

    /* the CSV is the one plansim sensitivity --format csv prints */
    char *csv = report_file(d, "sensitivity.csv");
    assert_non_null(csv);
    char *want = NULL;
    size_t want_len = 0;
    FILE *mem = open_memstream(&want, &want_len);
    assert_int_equal(
        ps_h5_sensitivity_print(mem, &sobol, PS_H5_FORMAT_CSV, &err), PS_OK);
    fclose(mem);
    assert_string_equal(csv, want);
    assert_contains(csv, "GDP@2030,GDP,2030,1,TFP growth,全要素生产率增速,");
    free(want);
    free(csv);

    char *index = report_file(d, "index.md");
    assert_contains(index, "](sensitivity.md)（[CSV](sensitivity.csv)）");
    free(index);
    /* the model names are in the appendix */
    char *app = report_file(d, "appendix.md");
    const char *part = strstr(app, "## 敏感性分析的因素");
    assert_non_null(part);
    assert_contains(part, "TFP growth");
    assert_contains(part, "| target:gdp_700");
    free(app);
    assert_true(report_has(d, "report.xlsx"));
    char *html = report_file(d, "index.html");
    assert_contains(html, "<section id=\"file-sensitivity\">");
    free(html);
}

static void test_morris_results_read_back_and_show(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(
        rf_write_h5_sensitivity(d->file, d->labels, &morris, 1, NULL, &err),
        PS_OK);
    ps_h5_sensitivity *x = NULL;
    assert_int_equal(ps_h5_sensitivity_read(d->file, &x, &err), PS_OK);
    assert_non_null(x);
    assert_same(&morris, x);
    assert_int_equal(x->trajectories, 10);
    assert_int_equal(x->levels, 4);
    assert_int_equal(x->bootstrap, 200);
    assert_null(x->st);
    ps_h5_sensitivity_free(&x);

    ps_report_options o = {.lang = PS_REPORT_ZH};
    assert_int_equal(ps_report_write(d->file, d->report, &o, &err), PS_OK);
    char *md = report_file(d, "sensitivity.md");
    assert_non_null(md);
    assert_contains(md, "方法：Morris 基本效应筛选（10 条轨迹，4 个水平");
    assert_contains(md, "按 μ\\* 从大到小排列");
    assert_contains(md, "单位：亿元");
    /* mu* with the decimals of the largest value (42.25: two) */
    const char *first = strstr(md, "|    1 | 全要素生产率增速");
    const char *second = strstr(md, "|    2 | 储蓄率");
    assert_non_null(first);
    assert_non_null(second);
    assert_contains(first, "| 42.25 | 30.50 – 55.00 | 42.25 |  6.50 |");
    assert_contains(second, "| 12.50 |  8.00 – 17.00 | -3.50 | 14.00 |");
    free(md);
}

static void test_report_in_english(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(
        rf_write_h5_sensitivity(d->file, d->labels, &oat, 1, NULL, &err),
        PS_OK);
    ps_report_options o = {.lang = PS_REPORT_EN};
    assert_int_equal(ps_report_write(d->file, d->report, &o, &err), PS_OK);
    char *md = report_file(d, "sensitivity.md");
    assert_non_null(md);
    assert_contains(md, "Method: one at a time (each factor at its 5% and 95% "
                        "quantiles");
    assert_contains(md, "## Gross regional product, 2030");
    assert_contains(md, "Units: 100 million yuan");
    /* the swing first, the values with one decimal like the largest */
    assert_contains(md, "|    1 | Saving rate         | 100.5 |");
    assert_contains(md, "|    2 | Productivity growth |  15.0 |");
    assert_contains(md, "With every factor at its median: 650.5");
    assert_lacks(md, "储蓄率");
    free(md);
    char *index = report_file(d, "index.md");
    assert_contains(index, "(sensitivity.md) ([CSV](sensitivity.csv))");
    free(index);
}

static void test_report_of_a_plain_ensemble_has_no_sensitivity(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(rf_write_h5(d->file, 1, &err), PS_OK);
    assert_int_equal(ps_report_write(d->file, d->report, NULL, &err), PS_OK);
    assert_false(report_has(d, "sensitivity.md"));
    assert_false(report_has(d, "sensitivity.csv"));
    char *index = report_file(d, "index.md");
    assert_non_null(index);
    assert_lacks(index, "sensitivity");
    free(index);
    char *app = report_file(d, "appendix.md");
    assert_lacks(app, "敏感性");
    free(app);
}

static void test_writer_refuses_results_of_no_known_method(void **state)
{
    (void)state;
    ps_error err;
    ps_h5_sensitivity bad = sobol;
    bad.method = "fast";
    FILE *out = tmpfile();
    assert_non_null(out);
    assert_int_equal(
        ps_report_sensitivity_md(out, rf_summary(), NULL, &bad, NULL, &err),
        PS_ERR_USAGE);
    assert_int_equal(ps_report_sensitivity_appendix_md(out, rf_summary(), NULL,
                                                       &bad, NULL, &err),
                     PS_ERR_USAGE);
    fclose(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sobol_results_read_back_whole,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(test_oat_results_read_back_whole,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(test_morris_results_read_back_and_show,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_a_file_without_results_reads_as_none, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(test_reader_errors_name_the_file,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_in_chinese_has_the_results_without_model_names,
            make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(test_report_in_english, make_scratch,
                                        drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_of_a_plain_ensemble_has_no_sensitivity, make_scratch,
            drop_scratch),
        cmocka_unit_test(test_writer_refuses_results_of_no_known_method),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
