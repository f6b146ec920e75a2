/*
 * Vensim names compared as their keys: ps_name_equal agrees with
 * comparing ps_name_key's keys, without building them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/names.h"

static const char *const names[] = {"gdp nominal",
                                    "GDP Nominal",
                                    "gdp_nominal",
                                    "  gdp   nominal ",
                                    "gdp__nominal",
                                    "\"gdp nominal\"",
                                    "gdp\tnominal",
                                    "gdp\xC2\xA0nominal",
                                    "gdpnominal",
                                    "gdp nominal x",
                                    "_gdp nominal_",
                                    "gdp",
                                    "",
                                    " ",
                                    "_",
                                    "\"\"",
                                    "地区生产总值",
                                    "地区 生产总值",
                                    "地区_生产总值",
                                    "地区生产总值 ",
                                    "a",
                                    "A",
                                    "b",
                                    "a b",
                                    "ab",
                                    "a_b_",
                                    "TIME STEP",
                                    "time_step"};

static void test_names_equal_when_their_keys_are(void **state)
{
    (void)state;
    size_t n = sizeof names / sizeof names[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            char *a = ps_name_key(names[i], strlen(names[i]));
            char *b = ps_name_key(names[j], strlen(names[j]));
            assert_non_null(a);
            assert_non_null(b);
            if (ps_name_equal(names[i], names[j]) != (strcmp(a, b) == 0))
                fail_msg("'%s' and '%s' (keys '%s', '%s')", names[i], names[j],
                         a, b);
            free(a);
            free(b);
        }
    assert_true(ps_name_equal("gdp nominal", "GDP_Nominal"));
    assert_true(ps_name_equal("地区 生产总值", "地区_生产总值"));
    assert_false(ps_name_equal("gdp nominal", "gdpnominal"));
    assert_false(ps_name_equal("a", "a b"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_equal_when_their_keys_are),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
