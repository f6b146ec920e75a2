/*
 * The Philox4x64-10 block against Random123's published known-answer
 * vectors (kat_vectors, "philox4x64 10" lines), and the documented mapping
 * from (seed, run, stream, index) to a block and a word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plansim/rng.h"
#include "rng_impl.h"

/* counter[4], key[2], expected[4], as in Random123's kat_vectors. */
static const uint64_t kat[3][10] = {
    {0, 0, 0, 0, 0, 0,
     UINT64_C(0x16554d9eca36314c), UINT64_C(0xdb20fe9d672d0fdc),
     UINT64_C(0xd7e772cee186176b), UINT64_C(0x7e68b68aec7ba23b)},
    {UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX,
     UINT64_C(0x87b092c3013fe90b), UINT64_C(0x438c3c67be8d0224),
     UINT64_C(0x9cc7d7c69cd777b6), UINT64_C(0xa09caebf594f0ba0)},
    {UINT64_C(0x243f6a8885a308d3), UINT64_C(0x13198a2e03707344),
     UINT64_C(0xa4093822299f31d0), UINT64_C(0x082efa98ec4e6c89),
     UINT64_C(0x452821e638d01377), UINT64_C(0xbe5466cf34e90c6c),
     UINT64_C(0xa528f45403e61d95), UINT64_C(0x38c72dbd566e9788),
     UINT64_C(0xa5a1610e72fd18b5), UINT64_C(0x57bd43b5e52b7fe6)},
};

static void test_philox4x64_10_matches_random123_known_answers(void **state)
{
    (void)state;
    for (int v = 0; v < 3; v++) {
        uint64_t out[4];
        ps__rng_philox4x64_10(&kat[v][0], &kat[v][4], out);
        for (int i = 0; i < 4; i++)
            assert_int_equal(out[i], kat[v][6 + i]);
    }
}

static void test_rng_bits_of_the_zero_address_are_the_zero_vector(void **state)
{
    (void)state;
    const ps_rng_address zero = {0, 0, 0};
    for (uint64_t i = 0; i < 4; i++)
        assert_int_equal(ps_rng_bits(&zero, i), kat[0][6 + i]);
}

static void test_rng_bits_follows_the_documented_mapping(void **state)
{
    (void)state;
    const ps_rng_address addrs[] = {
        {1, 2, 3},
        {UINT64_C(0x243f6a8885a308d3), 17, UINT64_MAX},
        {42, UINT64_MAX, 0},
    };
    const uint64_t indices[] = {0, 1, 3, 4, 5, 1023, UINT64_C(1) << 40,
                                UINT64_MAX};
    for (size_t a = 0; a < sizeof addrs / sizeof addrs[0]; a++) {
        for (size_t k = 0; k < sizeof indices / sizeof indices[0]; k++) {
            uint64_t index = indices[k];
            uint64_t ctr[4] = {index >> 2, addrs[a].stream, 0, 0};
            uint64_t key[2] = {addrs[a].seed, addrs[a].run};
            uint64_t out[4];
            ps__rng_philox4x64_10(ctr, key, out);
            assert_int_equal(ps_rng_bits(&addrs[a], index), out[index & 3]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_philox4x64_10_matches_random123_known_answers),
        cmocka_unit_test(test_rng_bits_of_the_zero_address_are_the_zero_vector),
        cmocka_unit_test(test_rng_bits_follows_the_documented_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
