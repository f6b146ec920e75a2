/*
 * Every report file for the in-memory fixture, compared byte for byte
 * with golden/ (checked by eye once; the tests run in this folder; run
 * with PLANSIM_UPDATE_GOLDEN=1 to rewrite them after a deliberate
 * change).  Then what the golden text must contain whatever it becomes:
 * escaped labels, the band polygons, the target line.  And the errors.
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

#include "plansim_output/report.h"
#include "report_fixture.h"

typedef enum which {
    TARGETS_MD,
    TARGETS_CSV,
    VARIABLES_MD,
    VARIABLES_CSV,
    ASSUMPTIONS_MD,
    ASSUMPTIONS_CSV,
    INDEX_MD,
    APPENDIX_MD,
    FAN_0,
    FAN_1
} which;

static ps_status write_one(FILE *out, which w, ps_error *err)
{
    const ps_h5_summary *s = rf_summary();
    const ps_h5_assumptions *a = rf_assumptions();
    switch (w) {
    case TARGETS_MD:
        return ps_report_targets_md(out, s, NULL, err);
    case TARGETS_CSV:
        return ps_report_targets_csv(out, s, err);
    case VARIABLES_MD:
        return ps_report_variables_md(out, s, NULL, err);
    case VARIABLES_CSV:
        return ps_report_variables_csv(out, s, err);
    case ASSUMPTIONS_MD:
        return ps_report_assumptions_md(out, s, a, NULL, err);
    case ASSUMPTIONS_CSV:
        return ps_report_assumptions_csv(out, s, a, err);
    case INDEX_MD:
        return ps_report_index_md(out, s, a, NULL, err);
    case APPENDIX_MD:
        return ps_report_appendix_md(out, s, a, NULL, err);
    case FAN_0:
        return ps_report_fan_svg(out, s, 0, NULL, err);
    case FAN_1:
        return ps_report_fan_svg(out, s, 1, NULL, err);
    }
    return PS_ERR_INTERNAL;
}

static char *render(which w)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    ps_error err;
    assert_int_equal(write_one(out, w, &err), PS_OK);
    fclose(out);
    return buf;
}

static void check(which w, const char *golden)
{
    char path[256];
    snprintf(path, sizeof path, "golden/%s", golden);
    char *got = render(w);
    const char *update = getenv("PLANSIM_UPDATE_GOLDEN");
    if (update && *update) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(got, f);
        assert_int_equal(fclose(f), 0);
    }
    char *want = rf_slurp(path, NULL);
    assert_non_null(want);
    assert_string_equal(got, want);
    free(want);
    free(got);
}

static void test_targets_md_matches_golden(void **state)
{
    check(TARGETS_MD, "targets.md");
}

static void test_targets_csv_matches_golden(void **state)
{
    check(TARGETS_CSV, "targets.csv");
}

static void test_variables_md_matches_golden(void **state)
{
    check(VARIABLES_MD, "variables.md");
}

static void test_variables_csv_matches_golden(void **state)
{
    check(VARIABLES_CSV, "variables.csv");
}

static void test_assumptions_md_matches_golden(void **state)
{
    check(ASSUMPTIONS_MD, "assumptions.md");
}

static void test_assumptions_csv_matches_golden(void **state)
{
    check(ASSUMPTIONS_CSV, "assumptions.csv");
}

static void test_index_md_matches_golden(void **state)
{
    check(INDEX_MD, "index.md");
}

static void test_appendix_md_matches_golden(void **state)
{
    (void)state;
    check(APPENDIX_MD, "appendix.md");
}

static void test_fan_svg_matches_golden(void **state)
{
    check(FAN_0, "fan_GDP.svg");
    check(FAN_1, "fan_a_b_c.svg");
}

/* ---- what must hold whatever the golden text -------------------------- */

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_fan_svg_escapes_labels(void **state)
{
    char *svg = render(FAN_1);
    /* The title and the target label; the model's name is for the
       appendix, not the chart. */
    assert_non_null(strstr(svg, "<title>比率 &lt;&amp;&gt; &quot;引号&quot; "
                                "&apos;x&apos;</title>"));
    assert_null(strstr(svg, "a&lt;b &amp; &quot;c&quot;"));
    assert_non_null(strstr(svg, "比率 5%–6% &lt;&amp;&gt; &quot;区间&quot;, "
                                "|x|"));
    /* No raw markup character left in text. */
    assert_null(strstr(svg, "<b"));
    assert_null(strstr(svg, "& "));
    free(svg);
}

static void test_fan_svg_draws_bands_median_and_targets(void **state)
{
    char *svg = render(FAN_0);
    /* Two bands (90 % and 50 %) in two tints, one median line. */
    assert_int_equal(count(svg, "<polygon fill=\"#c6dbef\""), 1);
    assert_int_equal(count(svg, "<polygon fill=\"#6baed6\""), 1);
    assert_int_equal(count(svg, "<polyline"), 1);
    /* The 700 target: one dashed line, one marker, its label with P. */
    assert_int_equal(count(svg, "stroke-dasharray=\"6 4\"/>"), 2); /* + legend */
    assert_non_null(strstr(svg, "地区生产总值力争达到700亿元（≥ 700，2030，预期性）"
                                "达成概率 48.0%"));
    assert_non_null(strstr(svg, "font-family=\"'Noto Sans CJK SC'"));
    assert_non_null(strstr(svg, ">亿元</text>"));
    assert_non_null(strstr(svg, ">2025</text>"));
    free(svg);
}

static void test_fan_svg_splits_bands_at_missing_values(void **state)
{
    /* The ratio has no value in 2027: each band and the median in two
       pieces; a band of two targets (5-6 %) gives two dashed lines and a
       bar at its year; the cap with no runs still shows its line. */
    char *svg = render(FAN_1);
    assert_int_equal(count(svg, "<polygon fill=\"#c6dbef\""), 2);
    assert_int_equal(count(svg, "<polygon fill=\"#6baed6\""), 2);
    assert_int_equal(count(svg, "<polyline"), 2);
    assert_int_equal(count(svg, "stroke-dasharray=\"6 4\"/>"), 3 + 1);
    assert_non_null(strstr(svg, "达成概率 n/a"));
    free(svg);
}

static void test_fan_svg_is_deterministic(void **state)
{
    char *a = render(FAN_0), *b = render(FAN_0);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_csv_quotes_labels_with_commas_and_quotes(void **state)
{
    char *csv = render(TARGETS_CSV);
    assert_non_null(strstr(csv, ",\"比率 5%–6% <&> \"\"区间\"\", |x|\","));
    assert_non_null(strstr(csv, ",\"a<b & \"\"c\"\"\","));
    free(csv);
    csv = render(ASSUMPTIONS_CSV);
    assert_non_null(strstr(csv, "\"Zhang \"\"et al.\"\" 2004\""));
    assert_non_null(strstr(csv, "\"2026: 0.2, 2028: 0.18, 2030: 0.15\""));
    free(csv);
}

static void test_md_escapes_table_cells(void **state)
{
    char *md = render(TARGETS_MD);
    assert_non_null(strstr(md, "比率 5%–6% \\<&> \"区间\", \\|x\\|"));
    free(md);
    md = render(ASSUMPTIONS_MD);
    assert_non_null(strstr(md, "两行说明第二行")); /* one table row */
    free(md);
    md = render(APPENDIX_MD); /* the model's names are here */
    assert_non_null(strstr(md, "tax \\| rate"));
    free(md);
}

static void test_index_embeds_every_chart(void **state)
{
    char *md = render(INDEX_MD);
    assert_non_null(strstr(md, "![地区生产总值](fan_GDP.svg)"));
    assert_non_null(strstr(md, "](fan_a_b_c.svg)"));
    assert_non_null(strstr(md, "(targets.csv)"));
    free(md);
}

/* ---- errors ---------------------------------------------------------------- */

static void test_fan_svg_refuses_a_variable_out_of_range(void **state)
{
    ps_error err;
    assert_int_equal(ps_report_fan_svg(stdout, rf_summary(), 2, NULL, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "no saved variable 2"));
}

static void test_writers_report_write_errors(void **state)
{
    for (which w = TARGETS_MD; w <= FAN_1; w++) {
        char buf[8];
        FILE *ro = fmemopen(buf, sizeof buf, "r");
        assert_non_null(ro);
        ps_error err;
        assert_int_equal(write_one(ro, w, &err), PS_ERR_IO);
        assert_int_equal(err.status, PS_ERR_IO);
        fclose(ro);
    }
}

static void test_assumptions_without_a_record_say_so(void **state)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(
        ps_report_assumptions_md(out, rf_summary(), NULL, NULL, NULL), PS_OK);
    fclose(out);
    assert_non_null(strstr(buf, "未记录"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_targets_md_matches_golden),
        cmocka_unit_test(test_targets_csv_matches_golden),
        cmocka_unit_test(test_variables_md_matches_golden),
        cmocka_unit_test(test_variables_csv_matches_golden),
        cmocka_unit_test(test_assumptions_md_matches_golden),
        cmocka_unit_test(test_assumptions_csv_matches_golden),
        cmocka_unit_test(test_index_md_matches_golden),
        cmocka_unit_test(test_appendix_md_matches_golden),
        cmocka_unit_test(test_fan_svg_matches_golden),
        cmocka_unit_test(test_fan_svg_escapes_labels),
        cmocka_unit_test(test_fan_svg_draws_bands_median_and_targets),
        cmocka_unit_test(test_fan_svg_splits_bands_at_missing_values),
        cmocka_unit_test(test_fan_svg_is_deterministic),
        cmocka_unit_test(test_csv_quotes_labels_with_commas_and_quotes),
        cmocka_unit_test(test_md_escapes_table_cells),
        cmocka_unit_test(test_index_embeds_every_chart),
        cmocka_unit_test(test_fan_svg_refuses_a_variable_out_of_range),
        cmocka_unit_test(test_writers_report_write_errors),
        cmocka_unit_test(test_assumptions_without_a_record_say_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
