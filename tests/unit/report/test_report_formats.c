/*
 * The report's other formats from files in a folder: a chart's PNG at
 * twice its size and its PDF; index.html from Markdown (sections for the
 * linked files, charts inline, raw HTML and other images made harmless);
 * report.xlsx; and the errors: an unreadable or refused chart, a chart
 * with a script, a missing page, a broken CSV -- each naming its file and
 * leaving no file behind, and one failing format leaving the others
 * written.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plansim_output/report_formats.h"
#include "report_fixture.h"

typedef struct scratch {
    char path[4096];
} scratch;

static int make_scratch(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    scratch *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->path, sizeof d->path, "%s/formats-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->path)) {
        free(d);
        return -1;
    }
    *state = d;
    return 0;
}

static int drop_scratch(void **state)
{
    scratch *d = *state;
    rf_remove_tree(d->path);
    free(d);
    return 0;
}

static void put(const scratch *d, const char *name, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *get(const scratch *d, const char *name, size_t *len)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    return rf_slurp(path, len);
}

static int exists(const scratch *d, const char *name)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", d->path, name);
    return access(path, F_OK) == 0;
}

static const char chart[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"60\" "
    "viewBox=\"0 0 120 60\" font-family=\"'Noto Sans CJK SC',sans-serif\">\n"
    "<title>图 &lt;1&gt;</title>\n"
    "<rect width=\"120\" height=\"60\" fill=\"#ffffff\"/>\n"
    "<rect x=\"10\" y=\"10\" width=\"50\" height=\"30\" fill=\"#08519c\"/>\n"
    "<text x=\"70\" y=\"30\">增长</text>\n</svg>\n";

/* Width and height from a PNG's IHDR. */
static void png_size(const unsigned char *p, size_t len, unsigned *w,
                     unsigned *h)
{
    assert_true(len > 24);
    assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(p + 12, "IHDR", 4);
    *w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | p[18] << 8 | p[19];
    *h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | p[22] << 8 | p[23];
}

static void test_chart_renders_png_at_twice_its_size_and_pdf(void **state)
{
    scratch *d = *state;
    assert_int_equal(ps_report_chart_font_check(NULL), PS_OK);
    put(d, "fan_增长.svg", chart);
    ps_error err;
    assert_int_equal(ps_report_chart_render(d->path, "fan_增长.svg", &err),
                     PS_OK);
    size_t len;
    unsigned char *png = (unsigned char *)get(d, "fan_增长.png", &len);
    assert_non_null(png);
    unsigned w, h;
    png_size(png, len, &w, &h);
    assert_int_equal(w, 240);
    assert_int_equal(h, 120);
    free(png);
    char *pdf = get(d, "fan_增长.pdf", &len);
    assert_non_null(pdf);
    assert_memory_equal(pdf, "%PDF-", 5);
    /* 120 x 60 pixels at 96 to the inch: 90 x 45 points */
    assert_non_null(memmem(pdf, len, "/MediaBox [ 0 0 90 45 ]", 23));
    assert_non_null(memmem(pdf, len, "NotoSansCJKsc-Regular", 21));
    free(pdf);
}

static void test_chart_errors_name_the_file_and_leave_nothing(void **state)
{
    scratch *d = *state;
    ps_error err;
    assert_int_equal(ps_report_chart_render(d->path, "none.svg", &err),
                     PS_ERR_NOINPUT);
    assert_non_null(strstr(err.file, "none.svg"));

    put(d, "broken.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "width=\"10\" height=\"10\"><rect");
    assert_int_equal(ps_report_chart_render(d->path, "broken.svg", &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.file, "broken.svg"));
    assert_non_null(strstr(err.message, "librsvg"));

    put(d, "nosize.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    assert_int_equal(ps_report_chart_render(d->path, "nosize.svg", &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no width and height"));
    const char *left[] = {"broken.png",         "broken.pdf",
                          "nosize.png",         "nosize.pdf",
                          "broken.png.partial", "broken.pdf.partial"};
    for (size_t i = 0; i < sizeof left / sizeof left[0]; i++)
        assert_false(exists(d, left[i]));
}

static void test_html_renders_the_linked_markdown_with_charts(void **state)
{
    scratch *d = *state;
    put(d, "c.svg", chart);
    put(d, "index.md",
        "# 报告 <b>粗</b>\n\n"
        "<script>alert(1)</script>\n\n"
        "- [目标](t.md)（[CSV](t.csv)）\n"
        "- [again](t.md) [away](javascript:alert(1))\n\n"
        "## 图\n\n![图 1](c.svg)\n\n"
        "Text with ![a photo](photo.png) inside.\n");
    put(d, "t.md", "# 目标\n\n| a | b |\n|---|--:|\n| x | 1.5 |\n");
    ps_error err;
    assert_int_equal(ps_report_html_write(d->path, &err), PS_OK);
    char *html = get(d, "index.html", NULL);
    assert_non_null(html);
    assert_non_null(strstr(html, "<!DOCTYPE html>\n<html lang=\"zh\">"));
    assert_non_null(strstr(html, "<title>报告 粗</title>"));
    /* raw HTML and javascript: links are not passed through */
    assert_null(strstr(html, "<script>"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "javascript:"));
    /* the linked file is a section the links point at, once */
    assert_non_null(strstr(html, "<a href=\"#file-t\">目标</a>"));
    assert_non_null(strstr(html, "<a href=\"#file-t\">again</a>"));
    char *sec = strstr(html, "<section id=\"file-t\">");
    assert_non_null(sec);
    assert_null(strstr(sec + 1, "<section id=\"file-t\">"));
    assert_non_null(strstr(sec, "<td align=\"right\">1.5</td>"));
    assert_non_null(strstr(html, "href=\"t.csv\""));
    /* the chart inline, without its XML declaration; other images are
       links, never loaded */
    assert_non_null(strstr(html, "<figure role=\"img\" aria-label=\"图 1\">\n"
                                 "<svg xmlns="));
    assert_null(strstr(html, "<?xml"));
    assert_null(strstr(html, "<img"));
    assert_non_null(strstr(html, "<a href=\"photo.png\">a photo</a>"));
    free(html);
}

static void test_html_refuses_a_chart_with_a_script(void **state)
{
    scratch *d = *state;
    put(d, "index.md", "# R\n\n![x](bad.svg)\n");
    put(d, "bad.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\">"
        "<script>alert(1)</script></svg>");
    ps_error err;
    assert_int_equal(ps_report_html_write(d->path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.file, "bad.svg"));
    put(d, "bad.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        "onload=\"alert(1)\"></svg>");
    assert_int_equal(ps_report_html_write(d->path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "event handler"));
    assert_false(exists(d, "index.html"));
    assert_false(exists(d, "index.html.partial"));

    put(d, "index.md", "# R\n\n[t](t.md)\n");
    assert_int_equal(ps_report_html_write(d->path, &err), PS_ERR_NOINPUT);
    assert_non_null(strstr(err.file, "t.md"));
    assert_false(exists(d, "index.html"));
}

static void test_xlsx_writes_a_sheet_per_csv_and_refuses_bad_ones(void **state)
{
    scratch *d = *state;
    put(d, "a.csv", "\xEF\xBB\xBFname,probability,value\nx,0.25,700\n");
    put(d, "b.csv", "k,v\n\"unterminated,1\n");
    const char *good[] = {"a.csv"}, *bad[] = {"a.csv", "b.csv"};
    ps_error err;
    assert_int_equal(ps_report_xlsx_write(d->path, good, 1, &err), PS_OK);
    size_t len;
    char *x = get(d, "report.xlsx", &len);
    assert_non_null(x);
    assert_memory_equal(x, "PK\x03\x04", 4);
    free(x);
    assert_int_equal(ps_report_xlsx_write(d->path, bad, 2, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.file, "b.csv"));
    assert_int_equal(err.line, 2);
    assert_false(exists(d, "report.xlsx.partial"));
    assert_int_equal(
        ps_report_xlsx_write(d->path, (const char *[]){"no.csv"}, 1, &err),
        PS_ERR_NOINPUT);
}

static void test_one_failing_format_leaves_the_others(void **state)
{
    scratch *d = *state;
    put(d, "index.md", "# R\n\n![x](c.svg)\n");
    put(d, "c.svg", chart);
    put(d, "broken.svg", "<svg");
    put(d, "a.csv", "name,value\nx,1\n");
    const char *charts[] = {"broken.svg", "c.svg"}, *csv[] = {"a.csv"};
    ps_error err;
    assert_int_equal(ps_report_formats_write(d->path, charts, 2, csv, 1, &err),
                     PS_ERR_DATA);
    assert_non_null(strstr(err.file, "broken.svg"));
    assert_non_null(strstr(err.message, "the rest of the report is written"));
    const char *made[] = {"c.png", "c.pdf", "index.html", "report.xlsx"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        assert_true(exists(d, made[i]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_chart_renders_png_at_twice_its_size_and_pdf, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_chart_errors_name_the_file_and_leave_nothing, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_html_renders_the_linked_markdown_with_charts, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(test_html_refuses_a_chart_with_a_script,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_xlsx_writes_a_sheet_per_csv_and_refuses_bad_ones, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_one_failing_format_leaves_the_others, make_scratch,
            drop_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
