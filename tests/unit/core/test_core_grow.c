/*
 * Arrays grown by doubling: items survive each move, room is made only at
 * powers of two, and a size that would overflow is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plansim/grow.h"

static void test_items_survive_growth(void **state)
{
    (void)state;
    long *v = NULL;
    for (size_t n = 0; n < 5000; n++) {
        long *w = ps_grow(v, n, sizeof *v);
        assert_non_null(w);
        v = w;
        v[n] = (long)(n * n);
    }
    for (size_t n = 0; n < 5000; n++)
        assert_int_equal(v[n], (long)(n * n));
    free(v);
}

static void test_room_is_made_only_at_powers_of_two(void **state)
{
    (void)state;
    /* Between powers of two the array is handed back untouched: any
       pointer serves, since it is not dereferenced. */
    char probe;
    assert_ptr_equal(ps_grow(&probe, 3, 8), &probe);
    assert_ptr_equal(ps_grow(&probe, 1000, 8), &probe);
    /* Room for item 4 means a new allocation of 8. */
    int *v = calloc(4, sizeof *v);
    assert_non_null(v);
    v = ps_grow(v, 4, sizeof *v);
    assert_non_null(v);
    for (int i = 4; i < 8; i++)
        v[i] = i; /* within the 8 made; the Sanitize build checks it */
    free(v);
}

static void test_overflowing_size_is_refused(void **state)
{
    (void)state;
    int *v = malloc(sizeof *v);
    assert_non_null(v);
    size_t half = (SIZE_MAX >> 1) + 1; /* a power of two */
    assert_null(ps_grow(v, half, 1));
    assert_null(ps_grow(v, (size_t)1 << 40, (size_t)1 << 30));
    assert_null(ps_grow(v, 1, 0));
    free(v); /* still ours */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items_survive_growth),
        cmocka_unit_test(test_room_is_made_only_at_powers_of_two),
        cmocka_unit_test(test_overflowing_size_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
