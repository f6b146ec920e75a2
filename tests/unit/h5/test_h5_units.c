/*
 * Units for udunits-2: the Vensim unit text is given a `units` only when
 * udunits itself reads the translation, and keeps its own text beside.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "h5_impl.h"

static int setup(void **state)
{
    h5_udunits *u = h5_udunits_open();
    if (!u)
        return -1;
    *state = u;
    return 0;
}

static int teardown(void **state)
{
    h5_udunits_close(*state);
    return 0;
}

static void assert_reads_as(const h5_udunits *u, const char *vensim,
                            const char *want)
{
    char buf[128];
    if (h5_udunits_translate(u, vensim, buf, sizeof buf) != 0)
        fail_msg("'%s' has no udunits reading; want '%s'", vensim, want);
    assert_string_equal(buf, want);
}

static void assert_no_reading(const h5_udunits *u, const char *vensim)
{
    char buf[128] = "";
    if (h5_udunits_translate(u, vensim, buf, sizeof buf) == 0)
        fail_msg("'%s' should have no udunits reading, got '%s'",
                 vensim ? vensim : "(null)", buf);
}

/* The flagship model's units that udunits can read. */
static void test_vensim_words(void **state)
{
    const h5_udunits *u = *state;
    assert_reads_as(u, "Dmnl", "1");
    assert_reads_as(u, "dmnl", "1");
    assert_reads_as(u, "Year", "year");
    assert_reads_as(u, "Years", "year");
    assert_reads_as(u, "1/Year", "1/year");
    assert_reads_as(u, "km2/Year", "km2/year");
    assert_reads_as(u, "km2", "km2");
    assert_reads_as(u, "Person", "1");
    assert_reads_as(u, "Persons/Month", "1/month");
    assert_reads_as(u, "Dmnl/(Year*Year)", "1/(year*year)");
    assert_reads_as(u, " year ", "year");
    assert_reads_as(u, "%", "%");
}

/* Currency and Chinese counting units have no udunits reading. */
static void test_no_reading(void **state)
{
    const h5_udunits *u = *state;
    assert_no_reading(u, "亿元");
    assert_no_reading(u, "亿元/Year");
    assert_no_reading(u, "万人");
    assert_no_reading(u, "元/(人*Year)");
    assert_no_reading(u, "Widgets/Month");
    assert_no_reading(u, "1e8 CNY");
    assert_no_reading(u, "");
    assert_no_reading(u, "   ");
    assert_no_reading(u, NULL);
    assert_no_reading(NULL, "year");
}

/* A word is matched whole: "Yearly" is not "Year", "days" is "day". */
static void test_whole_words(void **state)
{
    const h5_udunits *u = *state;
    assert_no_reading(u, "Yearly");
    assert_reads_as(u, "days/Dmnl", "day/1");
}

/* A text longer than the buffer is refused, not cut. */
static void test_small_buffer(void **state)
{
    const h5_udunits *u = *state;
    char buf[4];
    assert_int_equal(h5_udunits_translate(u, "1/Year", buf, sizeof buf), -1);
    assert_int_equal(h5_udunits_translate(u, "Dmnl", buf, 2), 0);
    assert_string_equal(buf, "1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vensim_words),
        cmocka_unit_test(test_no_reading),
        cmocka_unit_test(test_whole_words),
        cmocka_unit_test(test_small_buffer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
