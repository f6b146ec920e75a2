/*
 * The JSON writer: text is escaped so every document parses (quotes,
 * backslashes, control characters, bytes that are not UTF-8), UTF-8
 * passes through, numbers read back exactly and non-finite ones are
 * null, and the layout puts commas and indentation where they belong.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim_output/json.h"

/* What `write` prints, as a new string. */
static char *capture(void (*write)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    write(f, arg);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void write_string(FILE *f, const void *s)
{
    ps_json_write_string(f, s);
}

static void assert_string_as(const char *text, const char *want)
{
    char *got = capture(write_string, text);
    assert_string_equal(got, want);
    free(got);
}

static void test_escaping(void **state)
{
    (void)state;
    assert_string_as("plain", "\"plain\"");
    assert_string_as("a \"quote\" and \\", "\"a \\\"quote\\\" and \\\\\"");
    assert_string_as("line\nend\r\ttab", "\"line\\nend\\r\\ttab\"");
    assert_string_as("\x01\x1f", "\"\\u0001\\u001f\"");
    assert_string_as(NULL, "\"\"");
}

static void test_utf8(void **state)
{
    (void)state;
    /* Chinese and symbols pass through as they are. */
    assert_string_as("地区生产总值 ≥ 700亿元", "\"地区生产总值 ≥ 700亿元\"");
    /* A byte that is not UTF-8, a sequence cut at the end (one
       replacement), an overlong form (one per byte). */
    assert_string_as("a\xff"
                     "b",
                     "\"a\\ufffdb\"");
    assert_string_as("\xe4\xba", "\"\\ufffd\"");
    assert_string_as("\xc0\xaf", "\"\\ufffd\\ufffd\"");
}

static void write_number(FILE *f, const void *v)
{
    ps_json_write_number(f, *(const double *)v);
}

static void assert_number_as(double v, const char *want)
{
    char *got = capture(write_number, &v);
    assert_string_equal(got, want);
    free(got);
}

static void test_numbers(void **state)
{
    (void)state;
    assert_number_as(0.1, "0.1");
    assert_number_as(700, "700");
    assert_number_as(-0.0, "0");
    assert_number_as(1e300, "1e+300");
    assert_number_as(0.1 + 0.2, "0.30000000000000004");
    assert_number_as(NAN, "null");
    assert_number_as(INFINITY, "null");
    assert_number_as(-INFINITY, "null");
}

static void write_document(FILE *f, const void *arg)
{
    (void)arg;
    const double v[] = {1, NAN, 2.5};
    ps_json j;
    ps_json_init(&j, f);
    ps_json_object(&j);
    ps_json_member_integer(&j, "format_version", 1);
    ps_json_member_string(&j, "name", "人口");
    ps_json_member_string(&j, "label", NULL);
    ps_json_member_bool(&j, "binding", 0);
    ps_json_key(&j, "values");
    ps_json_numbers(&j, v, 3);
    ps_json_key(&j, "empty");
    ps_json_array(&j);
    ps_json_end(&j);
    ps_json_key(&j, "points");
    ps_json_array(&j);
    ps_json_object(&j);
    ps_json_member_number(&j, "p", 0.25);
    ps_json_end(&j);
    ps_json_number(&j, 3);
    ps_json_null(&j);
    ps_json_end(&j);
    ps_json_end(&j);
}

static void test_layout(void **state)
{
    (void)state;
    char *got = capture(write_document, NULL);
    assert_string_equal(got, "{\n"
                             "  \"format_version\": 1,\n"
                             "  \"name\": \"人口\",\n"
                             "  \"label\": null,\n"
                             "  \"binding\": false,\n"
                             "  \"values\": [1, null, 2.5],\n"
                             "  \"empty\": [],\n"
                             "  \"points\": [\n"
                             "    {\n"
                             "      \"p\": 0.25\n"
                             "    },\n"
                             "    3,\n"
                             "    null\n"
                             "  ]\n"
                             "}\n");
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
