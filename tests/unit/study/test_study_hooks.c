/*
 * What the studies hand their caller: notes and warnings as lines through
 * study_hooks (nothing without a receiver), progress begun and ended
 * through study_progress, and numbers read from their specifications.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plansim_study/run.h"

typedef struct heard {
    char line[256];
    int lines;
    size_t total;
    int begun, ended;
} heard;

static void hear(void *ctx, const char *line)
{
    heard *h = ctx;
    snprintf(h->line, sizeof h->line, "%s", line);
    h->lines++;
}

static void begin(void *ctx, size_t total)
{
    heard *h = ctx;
    h->total = total;
    h->begun++;
}

static void end(void *ctx)
{
    heard *h = ctx;
    h->ended++;
}

static void test_say_formats_one_line_for_the_receiver(void **state)
{
    (void)state;
    heard h = {0};
    study_hooks hooks = {hear, NULL, NULL, &h};
    study_say(&hooks, "warning: %s: %zu runs", "gdp", (size_t)3);
    assert_string_equal(h.line, "warning: gdp: 3 runs");
    assert_int_equal(h.lines, 1);
    /* without a receiver, or without hooks, nothing is said */
    study_hooks quiet = {NULL, NULL, NULL, &h};
    study_say(&quiet, "note: %d", 1);
    study_say(NULL, "note: %d", 2);
    assert_int_equal(h.lines, 1);
}

static void test_progress_begins_and_ends_when_asked(void **state)
{
    (void)state;
    heard h = {0};
    study_progress p = {begin, NULL, NULL, end, &h};
    study_progress_begin(&p, 2000);
    study_progress_end(&p);
    assert_int_equal(h.begun, 1);
    assert_int_equal(h.total, 2000);
    assert_int_equal(h.ended, 1);
    study_progress none = {0};
    study_progress_begin(&none, 10);
    study_progress_end(&none);
    study_progress_begin(NULL, 10);
    study_progress_end(NULL);
    assert_int_equal(h.begun, 1);
    assert_int_equal(h.ended, 1);
}

static void test_numbers_are_whole_finite_texts(void **state)
{
    (void)state;
    double v = -1;
    assert_int_equal(study_parse_number(" 2030 ", &v), 0);
    assert_float_equal(v, 2030, 0);
    assert_int_equal(study_parse_number("-1.5e-3", &v), 0);
    assert_float_equal(v, -1.5e-3, 0);
    v = 7;
    assert_int_equal(study_parse_number("", &v), -1);
    assert_int_equal(study_parse_number("  ", &v), -1);
    assert_int_equal(study_parse_number("12x", &v), -1);
    assert_int_equal(study_parse_number("inf", &v), -1);
    assert_int_equal(study_parse_number("nan", &v), -1);
    assert_int_equal(study_parse_number("1e999", &v), -1);
    assert_float_equal(v, 7, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_say_formats_one_line_for_the_receiver),
        cmocka_unit_test(test_progress_begins_and_ends_when_asked),
        cmocka_unit_test(test_numbers_are_whole_finite_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
