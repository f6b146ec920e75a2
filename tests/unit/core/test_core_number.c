/*
 * Decimal numbers read the same in every locale: the accepted forms, what
 * is refused, and correct rounding.
 */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/number.h"

static double parsed(const char *s)
{
    double v = -999;
    if (ps_parse_decimal(s, strlen(s), &v) != 0)
        fail_msg("'%s' was refused", s);
    return v;
}

static void refused(const char *s)
{
    double v = 42;
    if (ps_parse_decimal(s, strlen(s), &v) != -1)
        fail_msg("'%s' was taken as %g", s, v);
    assert_true(v == 42);
}

static void check_forms(void)
{
    assert_true(parsed("0") == 0);
    assert_true(parsed("42") == 42);
    assert_true(parsed("-1.5") == -1.5);
    assert_true(parsed("+.5") == 0.5);
    assert_true(parsed("7.") == 7);
    assert_true(parsed("1e3") == 1000);
    assert_true(parsed("1.2284000870288692E-2") == 1.2284000870288692E-2);
    assert_true(parsed("-2.5E+2") == -250);
    assert_true(parsed("0.1") == 0.1);   /* nearest double */
    assert_true(parsed("4.9e-324") > 0); /* denormal */
    refused("");
    refused(" 1");
    refused("1 ");
    refused("1,5");
    refused("0x10");
    refused("inf");
    refused("nan");
    refused("-");
    refused(".");
    refused("e5");
    refused("1e");
    refused("1e+");
    refused("1.2.3");
    refused("1e999"); /* overflows */
    /* the length bounds the text: "12" of "123" */
    double v;
    assert_int_equal(ps_parse_decimal("123", 2, &v), 0);
    assert_true(v == 12);
    assert_int_equal(ps_parse_decimal(NULL, 0, &v), -1);
}

static void test_number_forms(void **state)
{
    (void)state;
    check_forms();
}

static void test_number_long_text(void **state)
{
    (void)state;
    /* longer than the on-stack buffer */
    char s[400];
    memset(s, '0', sizeof s);
    s[0] = '1';
    s[1] = '.';
    s[sizeof s - 1] = '\0';
    assert_true(parsed(s) == 1);
}

static void test_number_ignores_the_locale(void **state)
{
    (void)state;
    const char *names[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8"};
    const char *set = NULL;
    for (size_t i = 0; i < 3 && !set; i++)
        set = setlocale(LC_NUMERIC, names[i]);
    if (!set)
        fprintf(stderr, "note: no decimal-comma locale installed; checked "
                        "in the C locale only\n");
    check_forms();
    setlocale(LC_NUMERIC, "C");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_forms),
        cmocka_unit_test(test_number_long_text),
        cmocka_unit_test(test_number_ignores_the_locale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
