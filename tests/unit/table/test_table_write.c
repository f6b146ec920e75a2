/*
 * Writing delimited tables: the shortest exact numbers, RFC 4180 quoting,
 * the exact text of CSV and tab output, and write errors.
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

#include "plansim_output/table.h"

/* A two-column series with three rows. */
static ps_series *small_series(const char *name0, const char *name1)
{
    const char *names[] = {name0, name1};
    ps_series *s = ps_series_new(2, names);
    assert_non_null(s);
    const double r0[] = {100, 0.1}, r1[] = {95, -1.0 / 3}, r2[] = {NAN, 1e21};
    assert_int_equal(ps_series_append(s, 0, r0), 0);
    assert_int_equal(ps_series_append(s, 0.5, r1), 0);
    assert_int_equal(ps_series_append(s, 1, r2), 0);
    return s;
}

/* Writes s to memory and returns the text (caller frees). */
static char *write_to_string(const ps_series *s, ps_table_format fmt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    ps_error err;
    assert_int_equal(ps_table_write(f, s, fmt, NULL, &err), PS_OK);
    fclose(f);
    return text;
}

static void assert_starts_with(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) != 0)
        fail_msg("'%s' does not start with '%s'", text, prefix);
}

static void test_format_number_prefers_short_forms(void **state)
{
    char buf[PS_TABLE_NUMBER_MAX];
    assert_string_equal(ps_table_format_number(0.1, buf), "0.1");
    assert_string_equal(ps_table_format_number(100, buf), "100");
    assert_string_equal(ps_table_format_number(-2.5e-7, buf), "-2.5e-07");
    assert_string_equal(ps_table_format_number(2025, buf), "2025");
    assert_string_equal(ps_table_format_number(0.1 + 0.2, buf),
                        "0.30000000000000004");
    assert_string_equal(ps_table_format_number(1.0 / 3, buf),
                        "0.3333333333333333");
}

static void test_format_number_writes_nan_empty_and_infinities(void **state)
{
    char buf[PS_TABLE_NUMBER_MAX];
    assert_string_equal(ps_table_format_number(NAN, buf), "");
    assert_string_equal(ps_table_format_number(INFINITY, buf), "inf");
    assert_string_equal(ps_table_format_number(-INFINITY, buf), "-inf");
}

static void test_format_number_round_trips_every_double_tried(void **state)
{
    char buf[PS_TABLE_NUMBER_MAX];
    const double edge[] = {0.1,
                           -1e-300,
                           4.9406564584124654e-324,
                           2.2250738585072014e-308,
                           1.7976931348623157e308,
                           -0.0,
                           5e-324,
                           123456789012345678.0};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        assert_true(strtod(ps_table_format_number(edge[i], buf), NULL) ==
                    edge[i]);
    /* a fixed pseudo-random walk over bit patterns (no clock, no seed) */
    uint64_t x = 0x9E3779B97F4A7C15u;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        memcpy(&v, &x, sizeof v);
        if (!isfinite(v))
            continue;
        ps_table_format_number(v, buf);
        assert_true(strtod(buf, NULL) == v);
        assert_true(strlen(buf) < PS_TABLE_NUMBER_MAX);
    }
}

static void test_write_produces_exact_csv(void **state)
{
    ps_series *s = small_series("Stock", "rate");
    char *text = write_to_string(s, PS_TABLE_CSV);
    assert_string_equal(text, "Time,Stock,rate\n"
                              "0,100,0.1\n"
                              "0.5,95,-0.3333333333333333\n"
                              "1,,1e+21\n");
    free(text);
    ps_series_free(&s);
}

static void test_write_produces_exact_tab(void **state)
{
    ps_series *s = small_series("Stock", "a,b");
    char *text = write_to_string(s, PS_TABLE_TAB);
    /* a comma needs no quotes in a tab-separated file */
    assert_string_equal(text, "Time\tStock\ta,b\n"
                              "0\t100\t0.1\n"
                              "0.5\t95\t-0.3333333333333333\n"
                              "1\t\t1e+21\n");
    free(text);
    ps_series_free(&s);
}

static void test_write_quotes_names_that_need_it(void **state)
{
    ps_series *s = small_series("a,b", "\"$ euro\"");
    char *text = write_to_string(s, PS_TABLE_CSV);
    assert_starts_with(text, "Time,\"a,b\",\"\"\"$ euro\"\"\"\n");
    free(text);
    ps_series_free(&s);

    s = small_series("tab\there", "two\nlines");
    text = write_to_string(s, PS_TABLE_TAB);
    assert_starts_with(text, "Time\t\"tab\there\"\t\"two\nlines\"\n");
    free(text);
    ps_series_free(&s);
}

static void test_write_then_parse_gives_back_the_series(void **state)
{
    const ps_table_format fmts[] = {PS_TABLE_CSV, PS_TABLE_TAB};
    for (size_t k = 0; k < 2; k++) {
        ps_series *s = small_series("GDP \xE5\xA2\x9E\xE9\x95\xBF", "x,\"y\"");
        char *text = write_to_string(s, fmts[k]);
        ps_series *back = NULL;
        ps_error err;
        assert_int_equal(ps_table_parse(text, strlen(text),
                                        ps_table_separator(fmts[k]), "mem",
                                        &back, &err),
                         PS_OK);
        assert_int_equal(back->ncols, s->ncols);
        assert_int_equal(back->nrows, s->nrows);
        for (size_t c = 0; c < s->ncols; c++)
            assert_string_equal(back->names[c], s->names[c]);
        for (size_t r = 0; r < s->nrows; r++) {
            assert_true(back->time[r] == s->time[r]);
            for (size_t c = 0; c < s->ncols; c++) {
                double a = ps_series_get(s, r, c),
                       b = ps_series_get(back, r, c);
                assert_true(a == b || (isnan(a) && isnan(b)));
            }
        }
        ps_series_free(&back);
        ps_series_free(&s);
        free(text);
    }
}

static void test_write_writes_a_header_only_for_an_empty_series(void **state)
{
    ps_series *s = ps_series_new(0, NULL);
    assert_non_null(s);
    char *text = write_to_string(s, PS_TABLE_CSV);
    assert_string_equal(text, "Time\n");
    free(text);
    ps_series_free(&s);
}

static void test_write_reports_a_full_device_as_io_error(void **state)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    ps_series *s = small_series("a", "b");
    ps_error err;
    assert_int_equal(ps_table_write(f, s, PS_TABLE_CSV, "full.csv", &err),
                     PS_ERR_IO);
    assert_string_equal(err.file, "full.csv");
    fclose(f);
    ps_series_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_number_prefers_short_forms),
        cmocka_unit_test(test_format_number_writes_nan_empty_and_infinities),
        cmocka_unit_test(test_format_number_round_trips_every_double_tried),
        cmocka_unit_test(test_write_produces_exact_csv),
        cmocka_unit_test(test_write_produces_exact_tab),
        cmocka_unit_test(test_write_quotes_names_that_need_it),
        cmocka_unit_test(test_write_then_parse_gives_back_the_series),
        cmocka_unit_test(test_write_writes_a_header_only_for_an_empty_series),
        cmocka_unit_test(test_write_reports_a_full_device_as_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
