/*
 * Printing a summary: golden text for a tiny summary in each of the four
 * formats, display widths of Chinese text, format names, write errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "h5_grid.h"
#include "plansim_output/h5.h"

/* A tiny summary: 2 saved times, 2 variables, 2 targets. */
static double times[2] = {2025, 2030};
static double levels[7] = {0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95};
static double gdp_mean[2] = {600, 700.5};
static double gdp_sd[2] = {10, 12.25};
static double gdp_q[14] = {585, 681, 588, 684, 594, 690, 600,
                           700, 606, 710, 612, 716, 615, 719.125};
static double pop_mean[2] = {120, 128.5};
static double pop_sd[2] = {0.5, 1.25};
static double pop_q[14] = {119.25, 126.5, 119.5,  127,    119.75,
                           127.75, 120,   128.5,  120.25, 129.25,
                           120.5,  130,   120.75, 130.5};
static double p1_by[2] = {0, 2.0 / 3.0};
static double p2_by[2] = {1, 1};

static ps_h5_var_summary vars[2] = {
    {"GDP", "GDP", "亿元", "地区生产总值", gdp_mean, gdp_sd, gdp_q, "", NULL,
     NULL, NULL, NULL, 0, 0},
    {"人口", "人口", "万人", "常住人口", pop_mean, pop_sd, pop_q, "", NULL,
     NULL, NULL, NULL, 0, 0},
};

static ps_h5_target_summary targets[2] = {
    {"gdp_700", "地区生产总值 ≥ 700亿元", "GDP", "规划", 2030, PS_SC_AT_LEAST,
     700, NAN, 1, 2, 3, 2.0 / 3.0, 0.2, 0.9375, p1_by, NAN, NULL, NULL},
    {"pop, cap", "", "人口", "", 2030, PS_SC_AT_MOST, NAN, 130, 0, 3, 3, 1.0,
     0.4375, 1.0, p2_by, NAN, NULL, NULL},
};

/* clang-format off */
static const ps_h5_summary tiny = {
    "钱江区 测试", "year", 4, 3, 1, 0, 2, times, 7, levels, 2, vars, 2, targets,
    NULL, NULL, NAN, NULL, 0, NULL, NULL, NULL, {NULL, NULL, NULL, NULL},
};
/* clang-format on */

static char *print(ps_h5_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    ps_error err;
    assert_int_equal(ps_h5_summary_print(out, &tiny, fmt, &err), PS_OK);
    fclose(out);
    return buf;
}

/* Compares the printout with golden/<name> (checked by eye once; the
   tests run in this folder). */
static void check(ps_h5_format fmt, const char *golden)
{
    char path[256];
    snprintf(path, sizeof path, "golden/%s", golden);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char want[16384];
    size_t n = fread(want, 1, sizeof want - 1, f);
    want[n] = '\0';
    fclose(f);
    char *got = print(fmt);
    assert_string_equal(got, want);
    free(got);
}

static void test_summary_print_table_aligns_chinese(void **state)
{
    check(PS_H5_FORMAT_TABLE, "summary.txt");
}

static void test_summary_print_md_writes_pipe_tables(void **state)
{
    check(PS_H5_FORMAT_MD, "summary.md");
}

static void test_summary_print_csv_writes_long_form(void **state)
{
    check(PS_H5_FORMAT_CSV, "summary.csv");
}

static void test_summary_print_json_writes_every_statistic(void **state)
{
    check(PS_H5_FORMAT_JSON, "summary.json");
}

static void test_summary_print_without_targets_omits_their_table(void **state)
{
    ps_h5_summary s = tiny;
    s.ntargets = 0;
    s.title = "";
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(ps_h5_summary_print(out, &s, PS_H5_FORMAT_TABLE, NULL),
                     PS_OK);
    fclose(out);
    assert_null(strstr(buf, "Targets"));
    assert_true(strncmp(buf, "Runs: 4", 7) == 0);
    free(buf);
    out = open_memstream(&buf, &len);
    assert_int_equal(ps_h5_summary_print(out, &s, PS_H5_FORMAT_JSON, NULL),
                     PS_OK);
    fclose(out);
    assert_non_null(strstr(buf, "\"targets\": [],\n"));
    free(buf);
}

static void test_summary_print_reports_write_errors(void **state)
{
    char buf[8];
    FILE *ro = fmemopen(buf, sizeof buf, "r");
    assert_non_null(ro);
    ps_error err;
    assert_int_equal(ps_h5_summary_print(ro, &tiny, PS_H5_FORMAT_CSV, &err),
                     PS_ERR_IO);
    assert_int_equal(err.status, PS_ERR_IO);
    fclose(ro);
    assert_int_equal(ps_h5_summary_print(stdout, &tiny, (ps_h5_format)9, &err),
                     PS_ERR_USAGE);
}

static void test_format_from_name_knows_four_formats(void **state)
{
    ps_h5_format f;
    assert_int_equal(ps_h5_format_from_name("table", &f), 0);
    assert_int_equal(f, PS_H5_FORMAT_TABLE);
    assert_int_equal(ps_h5_format_from_name("md", &f), 0);
    assert_int_equal(f, PS_H5_FORMAT_MD);
    assert_int_equal(ps_h5_format_from_name("csv", &f), 0);
    assert_int_equal(f, PS_H5_FORMAT_CSV);
    assert_int_equal(ps_h5_format_from_name("json", &f), 0);
    assert_int_equal(f, PS_H5_FORMAT_JSON);
    assert_int_equal(ps_h5_format_from_name("xml", &f), -1);
    assert_int_equal(ps_h5_format_from_name(NULL, &f), -1);
}


static void test_grid_md_escapes_pipes(void **state)
{
    h5_grid g;
    h5_grid_init(&g, 2, "lr");
    const char *head[] = {"a|b", "n"};
    const char *row[] = {"人", "1"};
    h5_grid_row(&g, head);
    h5_grid_row(&g, row);
    assert_false(g.oom);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    h5_grid_print_md(out, &g);
    fclose(out);
    assert_string_equal(buf, "| a\\|b |   n |\n"
                             "| ---- | --: |\n"
                             "| 人   |   1 |\n");
    free(buf);
    h5_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_print_table_aligns_chinese),
        cmocka_unit_test(test_summary_print_md_writes_pipe_tables),
        cmocka_unit_test(test_summary_print_csv_writes_long_form),
        cmocka_unit_test(test_summary_print_json_writes_every_statistic),
        cmocka_unit_test(test_summary_print_without_targets_omits_their_table),
        cmocka_unit_test(test_summary_print_reports_write_errors),
        cmocka_unit_test(test_format_from_name_knows_four_formats),
        cmocka_unit_test(test_grid_md_escapes_pipes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
