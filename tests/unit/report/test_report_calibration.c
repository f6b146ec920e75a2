/*
 * The calibration report: a posterior written by ps_h5_posterior_write
 * and reported from the file; the numbers in calibration.md and .csv;
 * the density charts (kernel estimates with Silverman's bandwidth, the
 * normal approximation of optimize) and the predictive charts; safe,
 * distinct file names; the labels for readers a posterior file stores
 * and the report in Chinese or English with model names only in its
 * appendix; the same file giving the same bytes; and the
 * prior probability beside a forecast's from a posterior.
 */
#include <dirent.h>
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

#include "plansim_output/labels.h"
#include "plansim_output/report.h"
#include "posterior_fixture.h"
#include "report_fixture.h"
#include "report_impl.h"

/* a == b within eps, saying both when not. */
static void assert_near(double a, double b, double eps)
{
    if (!(fabs(a - b) <= eps)) {
        print_error("%.17g != %.17g (within %g)\n", a, b, eps);
        fail();
    }
}

/* `hay` contains `needle`, or the test fails showing both. */
static void assert_has(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        print_error("missing: %s\nin:\n%s\n", needle, hay);
        fail();
    }
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += len)
        n++;
    return n;
}

/* A copy of `s` with every run of spaces made one space, so that table
   rows can be matched whatever their padding.  Owned by the caller. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *q = out;
    assert_non_null(out);
    for (; *s; s++)
        if (*s != ' ' || q == out || q[-1] != ' ')
            *q++ = *s;
    *q = '\0';
    return out;
}

typedef struct scratch {
    char dir[4096];
    char file[4200];   /* dir/post.h5 */
    char report[4200]; /* dir/report */
} scratch;

static int make_scratch(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    scratch *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->dir, sizeof d->dir, "%s/reportcal-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->dir)) {
        free(d);
        return -1;
    }
    snprintf(d->file, sizeof d->file, "%s/post.h5", d->dir);
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

/* The file `name` of the report folder, read whole (NULL when
   missing). */
static char *report_file(const scratch *d, const char *name)
{
    char path[8400];
    snprintf(path, sizeof path, "%s/%s", d->report, name);
    return rf_slurp(path, NULL);
}

static ps_h5_posterior *read_back(const char *path)
{
    ps_h5_posterior *p = NULL;
    ps_error err;
    ps_status st = ps_h5_posterior_read(path, &p, &err);
    if (st != PS_OK)
        print_error("%s: %s\n", err.file, err.message);
    assert_int_equal(st, PS_OK);
    return p;
}

/* What a writer makes of `p` in the language of `o` (NULL: Chinese), as
   a string owned by the caller. */
typedef ps_status (*posterior_writer)(FILE *out, const ps_h5_posterior *p,
                                      const ps_report_options *o,
                                      ps_error *err);

static char *render_in(posterior_writer w, const ps_h5_posterior *p,
                       const ps_report_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    ps_error err;
    assert_int_equal(w(out, p, o, &err), PS_OK);
    fclose(out);
    return buf;
}

static char *render(posterior_writer w, const ps_h5_posterior *p)
{
    return render_in(w, p, NULL);
}

/* calibration.csv, which is the same in either language. */
static ps_status calibration_csv(FILE *out, const ps_h5_posterior *p,
                                 const ps_report_options *o, ps_error *err)
{
    (void)o;
    return ps_report_calibration_csv(out, p, err);
}

typedef ps_status (*chart_writer)(FILE *, const ps_h5_posterior *, size_t,
                                  const ps_report_options *, ps_error *);

static char *render_chart_in(chart_writer w, const ps_h5_posterior *p, size_t i,
                             const ps_report_options *o)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    ps_error err;
    assert_int_equal(w(out, p, i, o, &err), PS_OK);
    fclose(out);
    return buf;
}

static char *render_chart(chart_writer w, const ps_h5_posterior *p, size_t i)
{
    return render_chart_in(w, p, i, NULL);
}

static void write_report(const scratch *d)
{
    ps_error err;
    ps_status st = ps_report_write(d->file, d->report, NULL, &err);
    if (st != PS_OK)
        print_error("%s: %s\n", err.file, err.message);
    assert_int_equal(st, PS_OK);
}

/* ---- the file ------------------------------------------------------------ */

static void test_file_kind_tells_posterior_from_ensemble(void **state)
{
    scratch *d = *state;
    ps_error err;
    ps_h5_kind kind;
    assert_int_equal(ps_h5_file_kind(d->file, &kind, &err), PS_ERR_NOINPUT);
    assert_int_equal(pf_write(d->file, &err), PS_OK);
    assert_int_equal(ps_h5_file_kind(d->file, &kind, &err), PS_OK);
    assert_int_equal(kind, PS_H5_KIND_POSTERIOR);
    char ensemble[4300];
    snprintf(ensemble, sizeof ensemble, "%s/e.h5", d->dir);
    assert_int_equal(rf_write_h5(ensemble, 1, &err), PS_OK);
    assert_int_equal(ps_h5_file_kind(ensemble, &kind, &err), PS_OK);
    assert_int_equal(kind, PS_H5_KIND_ENSEMBLE);
    char text[4300];
    snprintf(text, sizeof text, "%s/t.csv", d->dir);
    FILE *f = fopen(text, "w");
    assert_non_null(f);
    fputs("a,b\n1,2\n", f);
    fclose(f);
    assert_int_equal(ps_h5_file_kind(text, &kind, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "not an HDF5 file"));
}

static void test_report_of_a_posterior_file_has_every_file(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    write_report(d);
    static const char *const names[] = {
        "index.md",
        "calibration.md",
        "calibration.csv",
        "appendix.md",
        "density_capital_share.svg",
        "density_产能_利用率_新材料_.svg",
        "predictive_gdp_nominal.svg",
        "predictive_增长率__实际_.svg",
        /* the other formats */
        "index.html",
        "report.xlsx",
        "density_capital_share.png",
        "density_capital_share.pdf",
        "density_产能_利用率_新材料_.png",
        "density_产能_利用率_新材料_.pdf",
        "predictive_gdp_nominal.png",
        "predictive_gdp_nominal.pdf",
        "predictive_增长率__实际_.png",
        "predictive_增长率__实际_.pdf",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *s = report_file(d, names[i]);
        if (!s)
            print_error("%s is missing\n", names[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        free(s);
    }
    /* nothing else: no ensemble tables, no .partial file */
    DIR *dir = opendir(d->report);
    assert_non_null(dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir));)
        n += e->d_name[0] != '.';
    closedir(dir);
    assert_int_equal(n, sizeof names / sizeof names[0]);

    char *index = report_file(d, "index.md");
    assert_has(index, "# 校准 \\<测试> & \"情景\"\n");
    assert_has(index, "校准方法：回火序贯蒙特卡洛，200 个粒子，模型运行 4000 "
                      "次；对数证据 -12.50，有效样本量 180。");
    /* a file without labels says so */
    assert_has(index, "> 本文件未保存面向读者的标签");
    assert_has(index, "- [校准结果](calibration.md)（[CSV](calibration.csv)）");
    assert_has(index, "- [技术附录：标签与模型名称对照](appendix.md)");
    assert_has(index, "![资本产出弹性 \\<α>](density_capital_share.svg)");
    assert_has(index, "![产能 利用率\\[新材料\\]](density_产能_利用率_新材料_"
                      ".svg)");
    assert_has(index, "![增长率 (实际)](predictive_增长率__实际_.svg)");
    free(index);
}

static void test_report_of_the_same_file_is_the_same_bytes(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    write_report(d);
    char again[4300];
    snprintf(again, sizeof again, "%s/again", d->dir);
    ps_error err;
    assert_int_equal(ps_report_write(d->file, again, NULL, &err), PS_OK);
    DIR *dir = opendir(d->report);
    assert_non_null(dir);
    size_t n = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        if (e->d_name[0] == '.')
            continue;
        char a[8400], b[8400];
        snprintf(a, sizeof a, "%s/%s", d->report, e->d_name);
        snprintf(b, sizeof b, "%s/%s", again, e->d_name);
        size_t la = 0, lb = 0;
        char *x = rf_slurp(a, &la), *y = rf_slurp(b, &lb);
        assert_non_null(x);
        assert_non_null(y);
        if (la != lb || memcmp(x, y, la) != 0)
            print_error("%s differs\n", e->d_name);
        assert_true(la == lb && memcmp(x, y, la) == 0);
        free(x);
        free(y);
        n++;
    }
    closedir(dir);
    assert_int_equal(n, 18);
}

static void test_excel_option_marks_the_csv_only(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    ps_report_options o = {.excel = 1};
    ps_error err;
    assert_int_equal(ps_report_write(d->file, d->report, &o, &err), PS_OK);
    char *csv = report_file(d, "calibration.csv");
    char *md = report_file(d, "calibration.md");
    assert_memory_equal(csv, "\xEF\xBB\xBFsection,", 11);
    assert_memory_equal(md, "# ", 2);
    free(csv);
    free(md);
}

static void test_interrupted_calibration_is_refused(void **state)
{
    scratch *d = *state;
    pf_posterior f;
    pf_init(&f);
    f.p.complete = 0;
    ps_error err;
    assert_int_equal(ps_h5_posterior_write(d->file, &f.p, &err), PS_OK);
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", d->file);
    assert_int_equal(ps_report_write(partial, d->report, NULL, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "interrupted"));
    assert_int_equal(access(d->report, F_OK), -1);
}

/* ---- the tables ---------------------------------------------------------- */

static void test_calibration_csv_holds_the_numbers(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    ps_h5_posterior *p = read_back(d->file);
    char *csv = render(calibration_csv, p);
    assert_memory_equal(csv, "section,name,label,statistic,time,value\n", 40);
    assert_has(csv, "\ncalibration,smc,,method,,smc\n");
    assert_has(csv, "\ncalibration,smc,,particles,,200\n");
    assert_has(csv, "\ncalibration,smc,,runs,,4000\n");
    assert_has(csv, "\ncalibration,smc,,log_evidence,,-12.5\n");
    assert_has(csv, "\ncalibration,smc,,ess,,180\n");
    assert_has(csv, "\ncalibration,smc,,max_loglik,,\n");
    assert_has(csv, "\ncalibration,smc,,seed,,7\n");
    assert_has(csv, "\ninput,capital share,资本产出弹性 <α>,prior,,"
                    "\"uniform(min=0.3, max=0.7)\"\n");
    assert_has(csv, "\ninput,capital share,资本产出弹性 <α>,prior_sd,,"
                    "0.11547005383792516\n");
    assert_has(csv, "\ninput,capital share,资本产出弹性 <α>,prior_p05,,0.32\n");
    assert_has(csv, "\ninput,capital share,资本产出弹性 <α>,posterior_mean,,"
                    "0.49\n");
    assert_has(csv, "\ninput,产能 利用率[新材料],,posterior_p95,,0.8822\n");
    assert_has(csv, "\nseries,增长率 (实际),,measure,,growth\n");
    assert_has(csv, "\nseries,gdp nominal,,observations,,3\n");
    assert_has(csv, "\nseries,gdp nominal,,inside_50,,0.3333333333333333\n");
    /* observations by time, whatever their order in the file */
    const char *a = strstr(csv, "observation,gdp nominal,,observed,2021,430\n");
    const char *b =
        strstr(csv, "observation,gdp nominal,,observed,2022,452.5\n");
    const char *c = strstr(csv, "observation,gdp nominal,,observed,2023,520\n");
    assert_true(a && b && c && a < b && b < c);
    assert_has(csv, "\nobservation,gdp nominal,,predictive_hi90,2023,510\n");
    assert_has(csv, "\nobservation,增长率 (实际),,predictive_lo50,2021,"
                    "0.055\n");
    assert_has(csv, "\ntarget,gdp_500,地区生产总值达到500亿元 | 约束,"
                    "prior_probability,2025,0.25\n");
    assert_has(csv, "\ntarget,gdp_500,地区生产总值达到500亿元 | 约束,"
                    "posterior_probability,2025,0.4\n");
    free(csv);
    ps_h5_posterior_free(&p);
}

static void test_calibration_md_shows_each_table(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    ps_h5_posterior *p = read_back(d->file);
    char *raw = render(ps_report_calibration_md, p);
    char *md = squeeze(raw);
    assert_has(md, "# 校准结果\n\n情景：校准 \\<测试> & \"情景\"\n");
    /* diagnostics */
    assert_has(md, "| 方法 | 回火序贯蒙特卡洛 |");
    assert_has(md, "| 阶段数 | 2 |");
    assert_has(md, "| 模型运行次数 | 4000 |");
    assert_has(md, "| 对数证据 | -12.50 |");
    assert_has(md, "| 有效样本量 | 180（粒子数的 90.0%） |");
    assert_true(strstr(md, "最大对数似然") == NULL);
    /* inputs: prior against posterior, one number of decimals per input */
    assert_has(md, "| 资本产出弹性 \\<α> | 0.26 |");
    assert_has(md, "| 资本产出弹性 \\<α> | 先验 | 0.5000 | 0.1155 | 0.3200 | "
                   "0.5000 | 0.6800 |");
    assert_has(md, "| 资本产出弹性 \\<α> | 后验 | 0.4900 | 0.0300 | 0.4400 | "
                   "0.4900 | 0.5400 |");
    assert_has(md, "| 产能 利用率\\[新材料\\] | 后验 | 0.8000 | 0.0500 | "
                   "0.7178 | 0.8000 | 0.8822 |");
    /* the predictive check: shares, and each observation's place */
    assert_has(md, "| gdp nominal | 3 | 33.3% | 66.7% |");
    assert_has(md, "| 增长率 (实际) | 2 | 100.0% | 100.0% |");
    assert_has(md, "| 2021 | 430.0 | 415.0 | 405.0 – 425.0 | 390.0 – 440.0 | "
                   "90% 区间内 |");
    assert_has(md, "| 2022 | 452.5 | 450.0 | 440.0 – 460.0 | 425.0 – 475.0 | "
                   "50% 区间内 |");
    assert_has(md, "| 2023 | 520.0 | 480.0 | 468.0 – 492.0 | 450.0 – 510.0 | "
                   "90% 区间外 |");
    assert_has(md, "| 2021 | 0.06200 | 0.06000 | 0.05500 – 0.06500 | "
                   "0.04800 – 0.07200 | 50% 区间内 |");
    /* the targets before and after */
    assert_has(md,
               "| 地区生产总值达到500亿元 \\| 约束 | 2025 | 约束性 | 25.0% | "
               "40.0% | +15.0 个百分点 |");
    /* model names stay in the appendix */
    assert_true(strstr(md, "uniform(") == NULL);
    assert_true(strstr(md, "gdp real growth") == NULL);
    assert_true(strstr(md, "smc") == NULL);
    free(md);
    free(raw);
    ps_h5_posterior_free(&p);
}

static void test_optimize_reports_its_own_diagnostics(void **state)
{
    pf_posterior f;
    pf_init_optimize(&f);
    f.p.converged = 0;
    char *raw = render(ps_report_calibration_md, &f.p);
    char *md = squeeze(raw);
    assert_has(md, "| 方法 | 最大似然估计与正态近似 |");
    assert_has(md, "| 迭代次数 | 2 |");
    assert_has(md, "| 最大对数似然 | -3.250 |");
    assert_has(md, "| 是否收敛 | 否 |");
    assert_has(md, "注意：优化未达到收敛标准");
    assert_true(strstr(md, "对数证据 |") == NULL);
    assert_true(strstr(md, "有效样本量 |") == NULL);
    free(md);
    free(raw);
    (void)state;
}

static void test_report_without_predictive_bands(void **state)
{
    /* The writer leaves the predictive arrays out when the check was not
       made; the report says n/a and draws the observations alone. */
    scratch *d = *state;
    pf_posterior f;
    pf_init(&f);
    f.p.pred_median = f.p.pred_lo50 = f.p.pred_hi50 = NULL;
    f.p.pred_lo90 = f.p.pred_hi90 = NULL;
    f.p.inside50 = f.p.inside90 = NULL;
    ps_error err;
    assert_int_equal(ps_h5_posterior_write(d->file, &f.p, &err), PS_OK);
    write_report(d);
    char *raw = report_file(d, "calibration.md");
    char *md = squeeze(raw);
    assert_has(md, "| gdp nominal | 3 | n/a | n/a |");
    assert_has(md, "| 2021 | 430.0 | n/a | n/a | n/a | n/a |");
    char *svg = report_file(d, "predictive_gdp_nominal.svg");
    assert_has(svg, "文件中没有这一序列的预测区间");
    assert_int_equal(count(svg, "<polygon"), 0);
    assert_int_equal(count(svg, "fill=\"#d95f02\""), 3 + 1); /* + legend */
    free(svg);
    free(md);
    free(raw);
}

/* ---- labels for readers ------------------------------------------------- */

/* A labels file for the fixture, loaded; the caller frees it. */
static ps_labels *fixture_labels(const scratch *d)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/m.labels.yaml", d->dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("variables:\n"
          "  gdp nominal: {zh: 地区生产总值, en: GDP}\n"
          "  gdp real growth: {zh: 实际增速, en: Real growth, percent: true}\n"
          "targets:\n"
          "  gdp_500: {zh: 地区生产总值五百亿元, en: GDP of 50 billion yuan}\n"
          "inputs:\n"
          "  capital share: {zh: 资本份额, en: Capital share of output}\n"
          "  产能 利用率: {zh: 产能利用率, en: Capacity utilisation}\n"
          "elements:\n"
          "  新材料: {zh: 新材料, en: New materials}\n",
          f);
    assert_int_equal(fclose(f), 0);
    ps_labels *l = NULL;
    ps_error err;
    assert_int_equal(ps_labels_load(path, &l, &err), PS_OK);
    return l;
}

/* The fixture written with labels, read back. */
static ps_h5_posterior *labelled(const scratch *d)
{
    pf_posterior f;
    pf_init(&f);
    ps_labels *l = fixture_labels(d);
    f.p.labels = l;
    ps_error err;
    assert_int_equal(ps_h5_posterior_write(d->file, &f.p, &err), PS_OK);
    ps_labels_free(&l);
    return read_back(d->file);
}

static void test_calibrate_stores_the_labels_in_the_posterior(void **state)
{
    scratch *d = *state;
    ps_h5_posterior *p = labelled(d);
    assert_non_null(p->labels_file);
    assert_has(p->labels_file, "m.labels.yaml");
    assert_string_equal(p->param_labels_zh[0], "资本份额");
    assert_string_equal(p->param_labels_en[0], "Capital share of output");
    /* an element takes its constant's label with the element after it */
    assert_string_equal(p->param_labels_en[1],
                        "Capacity utilisation (New materials)");
    /* a series by the variable it measures, not by its own name */
    assert_string_equal(p->series_labels_zh[0], "地区生产总值");
    assert_string_equal(p->series_labels_en[1], "Real growth");
    assert_string_equal(p->target_labels_en[0], "GDP of 50 billion yuan");
    ps_h5_posterior_free(&p);

    /* a file written without labels reads none */
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    p = read_back(d->file);
    assert_null(p->labels_file);
    assert_null(p->param_labels_zh);
    assert_null(p->series_labels_en);
    ps_h5_posterior_free(&p);
}

/* Markdown outside its code spans and SVG text hold no model name. */
static void assert_no_model_names(const char *text)
{
    static const char *const names[] = {"capital share",   "gdp nominal",
                                        "gdp real growth", "gdp_500",
                                        "uniform(",        "smc"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strstr(text, names[i])) {
            print_error("model name '%s' in:\n%s\n", names[i], text);
            fail();
        }
}

static void test_calibration_report_speaks_the_readers_language(void **state)
{
    scratch *d = *state;
    ps_h5_posterior *p = labelled(d);
    const ps_report_options en = {.lang = PS_REPORT_EN};

    char *raw = render_in(ps_report_calibration_md, p, &en);
    char *md = squeeze(raw);
    assert_has(md, "# Calibration results\n");
    assert_has(md, "| Method | tempered sequential Monte Carlo |");
    assert_has(md, "| Capital share of output | 0.26 |");
    assert_has(md, "| Capacity utilisation (New materials) | posterior | ");
    assert_has(md, "| GDP | 3 | 33.3% | 66.7% |");
    assert_has(md, "| Real growth (growth) | 2 | 100.0% | 100.0% |");
    assert_has(md, "| GDP of 50 billion yuan | 2025 | binding | 25.0% | "
                   "40.0% | +15.0 points |");
    assert_has(md, "(0.3965 shows as 39.7%)");
    assert_no_model_names(md);
    assert_true(strstr(md, "先验") == NULL);
    free(md);
    free(raw);

    raw = render_in(ps_report_calibration_md, p, NULL);
    md = squeeze(raw);
    /* in Chinese the scenario's own label first, then the labels
       file's, as in an ensemble's report */
    assert_has(md, "| 资本产出弹性 \\<α> | 0.26 |");
    assert_has(md, "| 产能利用率（新材料） | 后验 | ");
    assert_has(md, "| 地区生产总值 | 3 | 33.3% | 66.7% |");
    assert_has(md, "| 实际增速（增长率） | 2 | 100.0% | 100.0% |");
    assert_has(md, "| 地区生产总值达到500亿元 \\| 约束 | 2025 | 约束性 | 25.0% "
                   "| 40.0% | +15.0 个百分点 |");
    assert_no_model_names(md);
    free(md);
    free(raw);

    char *index = render_in(ps_report_calibration_index_md, p, &en);
    assert_has(index, "Calibrated by tempered sequential Monte Carlo with 200 "
                      "particles and 4000 model runs; log evidence -12.50, "
                      "effective sample size 180.");
    assert_has(index, "![Capital share of output](density_capital_share.svg)");
    assert_has(index, "![Real growth (growth)](predictive_增长率__实际_.svg)");
    assert_true(strstr(index, "stores no labels") == NULL);
    assert_no_model_names(index);
    free(index);

    char *svg = render_chart_in(ps_report_density_svg, p, 0, &en);
    assert_has(svg, "<title>Capital share of output</title>");
    assert_has(svg, ">Posterior</text>");
    assert_has(svg, ">Density</text>");
    assert_no_model_names(svg);
    free(svg);
    svg = render_chart_in(ps_report_predictive_svg, p, 0, &en);
    assert_has(svg, "<title>GDP</title>");
    assert_has(svg, "3 observations; values in the model&apos;s units");
    assert_has(svg, ">90% predictive band</text>");
    assert_no_model_names(svg);
    free(svg);

    /* the appendix maps the labels to the model's names */
    char *app = render_in(ps_report_calibration_appendix_md, p, &en);
    char *a = squeeze(app);
    assert_has(a, "| Capital share of output | capital share | "
                  "uniform(min=0.3, max=0.7) |");
    assert_has(a, "| Real growth (growth) | 增长率 (实际) | gdp real growth | "
                  "growth |");
    assert_has(a, "| GDP of 50 billion yuan | gdp_500 | gdp nominal | ≥ 500 |");
    assert_has(a, "written smc");
    free(a);
    free(app);
    ps_h5_posterior_free(&p);
}

static void test_english_report_without_labels_says_so(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    ps_h5_posterior *p = read_back(d->file);
    const ps_report_options en = {.lang = PS_REPORT_EN};
    char *index = render_in(ps_report_calibration_index_md, p, &en);
    assert_has(index, "> This file stores no labels for readers");
    /* the scenario's names stand in */
    assert_has(index, "### gdp nominal");
    free(index);
    char *app = render_in(ps_report_calibration_appendix_md, p, &en);
    assert_has(app, "The file stores no labels for readers");
    free(app);
    ps_h5_posterior_free(&p);
}

/* ---- the charts ---------------------------------------------------------- */

static void test_density_chart_shows_prior_and_posterior(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    ps_h5_posterior *p = read_back(d->file);
    char *svg = render_chart(ps_report_density_svg, p, 0);
    assert_has(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ");
    assert_has(svg, "'Noto Sans CJK SC'");
    assert_has(svg, "<title>资本产出弹性 &lt;α&gt;</title>");
    assert_true(strstr(svg, "capital share") == NULL);
    assert_true(strstr(svg, "uniform(") == NULL);
    assert_has(svg, "先验均值 0.5000，5%–95%：0.3200 – 0.6800；后验均值 0.4900"
                    "，5%–95%：0.4400 – 0.5400");
    /* two curves: the prior dashed, the posterior solid over its area */
    assert_int_equal(count(svg, "<polyline"), 2);
    assert_int_equal(count(svg, "stroke=\"#e6550d\" stroke-width=\"2.5\" "
                                "stroke-linejoin=\"round\" "
                                "stroke-dasharray=\"7 5\""),
                     1);
    assert_int_equal(count(svg, "fill-opacity=\"0.35\""), 1);
    assert_has(svg, ">后验</text>");
    assert_has(svg, ">先验</text>");
    assert_has(svg, ">密度</text>");
    assert_has(svg, ">取值；后验为加权高斯核密度估计，先验为高斯核密度估计"
                    "（Silverman 带宽）</text>");
    assert_true(strstr(svg, "未画先验") == NULL);
    assert_int_equal(count(svg, "<svg"), 1);
    assert_int_equal(count(svg, "</svg>"), 1);
    free(svg);
    ps_h5_posterior_free(&p);
}

/* The x coordinate in pixels where the posterior's line is highest (the
   least y), read from the chart. */
static double peak_px(const char *svg)
{
    const char *line =
        strstr(svg, "<polyline fill=\"none\" stroke=\"#08519c\"");
    assert_non_null(line);
    const char *pts = strstr(line, "points=\"");
    assert_non_null(pts);
    pts += 8;
    double best_x = NAN, best_y = INFINITY;
    while (*pts && *pts != '"') {
        double x, y;
        int used = 0;
        assert_int_equal(sscanf(pts, "%lf,%lf%n", &x, &y, &used), 2);
        if (y < best_y)
            best_x = x, best_y = y;
        pts += used;
        while (*pts == ' ')
            pts++;
    }
    return best_x;
}

/* The pixel of value v on the x axis, from two of its tick labels. */
static double value_px(const char *svg, double v)
{
    const char *axis = strstr(svg, "<g class=\"x-axis\">");
    assert_non_null(axis);
    double px[2], val[2];
    const char *p = axis;
    for (int k = 0; k < 2; k++) {
        p = strstr(p, "text-anchor=\"middle\">");
        assert_non_null(p);
        const char *x = p;
        while (x > axis && strncmp(x, "<text x=\"", 9) != 0)
            x--;
        assert_int_equal(sscanf(x, "<text x=\"%lf\"", &px[k]), 1);
        assert_int_equal(sscanf(p + 21, "%lf", &val[k]), 1);
        p += 21;
    }
    return px[0] + (v - val[0]) / (val[1] - val[0]) * (px[1] - px[0]);
}

static void test_density_peaks_where_the_weights_are(void **state)
{
    /* All particles at two values, nine tenths of the weight on the
       upper one: the posterior's curve peaks there. */
    pf_posterior f;
    pf_init(&f);
    for (size_t i = 0; i < PF_PARTICLES; i++) {
        f.x[i * PF_PARAMS] = i % 2 ? 0.6 : 0.4;
        f.weights[i] = (i % 2 ? 0.9 : 0.1) / (PF_PARTICLES / 2);
    }
    char *svg = render_chart(ps_report_density_svg, &f.p, 0);
    assert_near(peak_px(svg), value_px(svg, 0.6), 4.0);
    free(svg);
    (void)state;
}

static void test_density_of_optimize_is_the_normal_approximation(void **state)
{
    pf_posterior f;
    pf_init_optimize(&f);
    char *svg = render_chart(ps_report_density_svg, &f.p, 0);
    /* one curve, the normal; the prior as its 5-95 % range, said so */
    assert_int_equal(count(svg, "<polyline"), 1);
    assert_near(peak_px(svg), value_px(svg, 0.49), 2.0);
    assert_has(svg, ">后验（正态近似）</text>");
    assert_has(svg, ">先验 5%–95% 区间</text>");
    assert_has(svg, "文件未保存先验抽样");
    assert_has(svg, "后验为正态近似");
    assert_int_equal(count(svg, "fill=\"#fdd0a2\""), 2); /* band, legend */
    free(svg);

    /* without a standard deviation, the estimate as a line */
    f.post_sd[0] = NAN;
    char *line = render_chart(ps_report_density_svg, &f.p, 0);
    assert_int_equal(count(line, "<polyline"), 0);
    assert_has(line, "后验只有估计值（没有标准差），画为竖线");
    assert_true(strstr(line, ">密度</text>") == NULL);
    free(line);
    (void)state;
}

static void test_predictive_chart_draws_bands_median_and_points(void **state)
{
    scratch *d = *state;
    assert_int_equal(pf_write(d->file, NULL), PS_OK);
    ps_h5_posterior *p = read_back(d->file);
    char *svg = render_chart(ps_report_predictive_svg, p, 0);
    assert_has(svg, "<title>gdp nominal</title>");
    assert_has(svg, "观测 3 个；数值为模型单位");
    assert_has(svg, "落在 50% 预测区间内的观测占 33.3%，落在 90% 区间内的占 "
                    "66.7%");
    assert_int_equal(count(svg, "<polygon fill=\"#c6dbef\""), 1);
    assert_int_equal(count(svg, "<polygon fill=\"#6baed6\""), 1);
    assert_int_equal(count(svg, "<polyline"), 1);
    /* three observations and the legend's point */
    assert_int_equal(count(svg, "fill=\"#d95f02\""), 4);
    /* years on the time axis, none between them */
    assert_has(svg, "text-anchor=\"middle\">2021</text>");
    assert_has(svg, "text-anchor=\"middle\">2022</text>");
    assert_has(svg, "text-anchor=\"middle\">2023</text>");
    assert_true(strstr(svg, ">2021.5<") == NULL);
    for (const char *k = "90% 预测区间\0"
                         "50% 预测区间\0"
                         "预测中位数\0"
                         "观测值\0";
         *k; k += strlen(k) + 1) {
        char want[64];
        snprintf(want, sizeof want, ">%s</text>", k);
        assert_has(svg, want);
    }
    free(svg);
    ps_h5_posterior_free(&p);
}

static void test_charts_refuse_an_index_out_of_range(void **state)
{
    pf_posterior f;
    pf_init(&f);
    ps_error err;
    assert_int_equal(ps_report_density_svg(stdout, &f.p, PF_PARAMS, NULL, &err),
                     PS_ERR_USAGE);
    assert_int_equal(
        ps_report_predictive_svg(stdout, &f.p, PF_SERIES, NULL, &err),
        PS_ERR_USAGE);
    (void)state;
}

/* ---- the kernel estimate ------------------------------------------------- */

static void test_kde_bandwidth_is_silverman(void **state)
{
    /* 1 ... 5: sd sqrt(2) (weights sum to 1), quartiles 2 and 4 (IQR / 1.34
       = 1.49 > sd), n = 5. */
    const double x[5] = {3, 1, 5, 2, 4};
    double t[401], y[401], h;
    for (size_t g = 0; g < 401; g++)
        t[g] = -7 + 0.05 * (double)g;
    assert_int_equal(rp_kde(x, 1, NULL, 5, 401, t, y, &h), 0);
    assert_near(h, 0.9 * sqrt(2.0) * pow(5.0, -0.2), 1e-15);
    /* a density: it integrates to 1 (trapezoid rule) */
    double area = 0;
    for (size_t g = 1; g < 401; g++)
        area += 0.05 * (y[g] + y[g - 1]) / 2;
    assert_near(area, 1.0, 1e-6);
    /* at the centre: the mean of the five kernels there */
    double want = 0;
    for (int i = 0; i < 5; i++)
        want += exp(-0.5 * pow((3 - x[i]) / h, 2)) /
                (h * sqrt(2 * 3.14159265358979323846));
    assert_near(y[200], want / 5, 1e-12);
    (void)state;
}

static void test_kde_weights_count_and_shrink_n(void **state)
{
    /* Weights 2 and 1 on 0 and 1: mean 1/3, sd sqrt(2)/3, Kish's n 9/5;
       the quartiles 0 and 1 (IQR / 1.34 > sd). */
    const double x[2] = {0, 1}, w[2] = {2, 1};
    double t[2] = {0, 1}, y[2], h;
    assert_int_equal(rp_kde(x, 1, w, 2, 2, t, y, &h), 0);
    assert_near(h, 0.9 * sqrt(2.0) / 3 * pow(9.0 / 5.0, -0.2), 1e-15);
    assert_true(y[0] > y[1]);
    /* values that are not finite and weights that are not positive do
       not count; a stride picks a column */
    const double xs[8] = {0, 9, NAN, 9, 1, 9, 7, 9};
    const double ws[4] = {2, 5, 1, 0};
    double y2[2], h2;
    assert_int_equal(rp_kde(xs, 2, ws, 4, 2, t, y2, &h2), 0);
    assert_near(h2, h, 1e-15);
    assert_near(y2[0], y[0], 1e-15);
    (void)state;
}

static void test_kde_without_spread_or_values(void **state)
{
    const double same[3] = {0.5, 0.5, 0.5}, none[2] = {NAN, INFINITY};
    double t[1] = {0.5}, y[1], h;
    assert_int_equal(rp_kde(same, 1, NULL, 3, 1, t, y, &h), 0);
    assert_true(h == 0);
    assert_true(isnan(y[0]));
    assert_int_equal(rp_kde(none, 1, NULL, 2, 1, t, y, &h), 0);
    assert_true(isnan(h));
    (void)state;
}

/* ---- file names ---------------------------------------------------------- */

static void test_file_names_are_safe_and_distinct(void **state)
{
    pf_posterior f;
    pf_init(&f);
    char *names[3] = {"a b", "a_b", "gdp/人口.v2"};
    f.p.params = names;
    f.p.nparams = 3;
    char buf[600];
    assert_string_equal(ps_report_density_file_name(&f.p, 0, buf, sizeof buf),
                        "density_a_b.svg");
    assert_string_equal(ps_report_density_file_name(&f.p, 1, buf, sizeof buf),
                        "density_a_b_2.svg");
    assert_string_equal(ps_report_density_file_name(&f.p, 2, buf, sizeof buf),
                        "density_gdp_人口_v2.svg");
    assert_string_equal(
        ps_report_predictive_file_name(&f.p, 1, buf, sizeof buf),
        "predictive_增长率__实际_.svg");
    /* a name too long is cut at a character boundary, keeping ".svg" */
    char small[16];
    assert_string_equal(
        ps_report_density_file_name(&f.p, 2, small, sizeof small),
        "density_gdp.svg");
    char tiny[19];
    assert_string_equal(ps_report_density_file_name(&f.p, 2, tiny, sizeof tiny),
                        "density_gdp_.svg");
    (void)state;
}

/* ---- an ensemble from a posterior ---------------------------------------- */

static void
test_forecast_from_a_posterior_shows_the_prior_probability(void **state)
{
    ps_h5_summary s = *rf_summary();
    ps_h5_target_summary t[3];
    memcpy(t, s.targets, sizeof t);
    t[0].prior_probability = 0.61;
    t[1].prior_probability = 0.5;
    t[2].prior_probability = NAN;
    s.targets = t;
    s.calibration_file = "calibrate_2015-posterior.h5";
    s.calibration_method = "smc";
    s.calibration_ess = 187.4;

    char *buf = NULL;
    size_t len = 0;
    ps_error err;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(ps_report_targets_md(out, &s, NULL, &err), PS_OK);
    fclose(out);
    char *md = squeeze(buf);
    assert_has(md, "| 目标 | 年份 | 规则 | 性质 | 先验概率 | 达成概率 | "
                   "模拟抽样误差95%区间 |");
    assert_has(md, "| 地区生产总值力争达到700亿元 | 2030 | ≥ 700 | 预期性 "
                   "| 61.0% | 48.0% | 38.5% – 57.7% |");
    assert_has(md, "| ratio_cap | 2030 | ≤ 0.064 | 预期性 | n/a | n/a |");
    assert_has(md, "校准输入取自后验文件 calibrate_2015-posterior.h5；");
    free(md);
    free(buf);

    out = open_memstream(&buf, &len);
    assert_int_equal(ps_report_targets_csv(out, &s, &err), PS_OK);
    fclose(out);
    assert_has(buf, "kind,kind_zh,prior_probability,probability,ci_low,");
    assert_has(buf, ",expected,预期性,0.61,0.48,0.3846,");
    free(buf);

    out = open_memstream(&buf, &len);
    assert_int_equal(ps_report_index_md(out, &s, rf_assumptions(), NULL, &err),
                     PS_OK);
    fclose(out);
    assert_has(buf, "校准输入取自后验文件 calibrate_2015-posterior.h5（方法 "
                    "回火序贯蒙特卡洛，有效样本量 187）。");
    assert_has(buf, "| 先验概率 |");
    free(buf);

    /* an ordinary ensemble has neither */
    out = open_memstream(&buf, &len);
    assert_int_equal(ps_report_targets_csv(out, rf_summary(), &err), PS_OK);
    fclose(out);
    assert_true(strstr(buf, "prior_probability") == NULL);
    free(buf);
    (void)state;
}

int main(void)
{
#define WITH_SCRATCH(t)                                                        \
    cmocka_unit_test_setup_teardown(t, make_scratch, drop_scratch)
    const struct CMUnitTest tests[] = {
        WITH_SCRATCH(test_file_kind_tells_posterior_from_ensemble),
        WITH_SCRATCH(test_report_of_a_posterior_file_has_every_file),
        WITH_SCRATCH(test_report_of_the_same_file_is_the_same_bytes),
        WITH_SCRATCH(test_excel_option_marks_the_csv_only),
        WITH_SCRATCH(test_interrupted_calibration_is_refused),
        WITH_SCRATCH(test_calibration_csv_holds_the_numbers),
        WITH_SCRATCH(test_calibration_md_shows_each_table),
        cmocka_unit_test(test_optimize_reports_its_own_diagnostics),
        WITH_SCRATCH(test_report_without_predictive_bands),
        WITH_SCRATCH(test_calibrate_stores_the_labels_in_the_posterior),
        WITH_SCRATCH(test_calibration_report_speaks_the_readers_language),
        WITH_SCRATCH(test_english_report_without_labels_says_so),
        WITH_SCRATCH(test_density_chart_shows_prior_and_posterior),
        cmocka_unit_test(test_density_peaks_where_the_weights_are),
        cmocka_unit_test(test_density_of_optimize_is_the_normal_approximation),
        WITH_SCRATCH(test_predictive_chart_draws_bands_median_and_points),
        cmocka_unit_test(test_charts_refuse_an_index_out_of_range),
        cmocka_unit_test(test_kde_bandwidth_is_silverman),
        cmocka_unit_test(test_kde_weights_count_and_shrink_n),
        cmocka_unit_test(test_kde_without_spread_or_values),
        cmocka_unit_test(test_file_names_are_safe_and_distinct),
        cmocka_unit_test(
            test_forecast_from_a_posterior_shows_the_prior_probability),
    };
#undef WITH_SCRATCH
    return cmocka_run_group_tests(tests, NULL, NULL);
}
