/*
 * Addressed draws: purity, separation of addresses, the open unit interval,
 * uniformity (chi-square and Kolmogorov-Smirnov at fixed seeds, so the
 * outcome is deterministic), and the stream mixer.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plansim/rng.h"
#include "rng_impl.h"

static void test_rng_bits_is_a_pure_function_of_the_address(void **state)
{
    (void)state;
    const ps_rng_address a = {2025, 7, 3};
    const ps_rng_address b = a;
    uint64_t first[64];
    for (uint64_t i = 0; i < 64; i++)
        first[i] = ps_rng_bits(&a, i);
    /* Another copy of the address, read backwards, and interleaved with
       other addresses: nothing is sequential, so nothing changes. */
    const ps_rng_address other = {1, 1, 1};
    for (uint64_t i = 64; i-- > 0;) {
        (void)ps_rng_bits(&other, i);
        assert_int_equal(ps_rng_bits(&b, i), first[i]);
    }
}

static void test_rng_bits_differs_when_any_coordinate_changes(void **state)
{
    (void)state;
    const ps_rng_address base = {2025, 7, 3};
    ps_rng_address seed = base, run = base, stream = base;
    seed.seed++;
    run.run++;
    stream.stream++;
    /* Swapping seed and run must matter too: they are distinct key words. */
    const ps_rng_address swapped = {base.run, base.seed, base.stream};
    for (uint64_t i = 0; i < 16; i++) {
        uint64_t v = ps_rng_bits(&base, i);
        assert_int_not_equal(v, ps_rng_bits(&seed, i));
        assert_int_not_equal(v, ps_rng_bits(&run, i));
        assert_int_not_equal(v, ps_rng_bits(&stream, i));
        assert_int_not_equal(v, ps_rng_bits(&swapped, i));
        assert_int_not_equal(v, ps_rng_bits(&base, i + 1));
    }
}

static void test_rng_uniform_maps_extreme_bits_inside_the_open_interval(
    void **state)
{
    (void)state;
    assert_true(ps__rng_to_uniform(0) == 0x1p-54);
    assert_true(ps__rng_to_uniform(UINT64_C(0x7ff)) == 0x1p-54);
    assert_true(ps__rng_to_uniform(UINT64_C(1) << 11) == 0x1p-53);
    assert_true(ps__rng_to_uniform(UINT64_MAX) == 1.0 - 0x1p-53);
    assert_true(ps__rng_to_uniform(UINT64_C(1) << 63) == 0.5);
}

static void test_rng_uniform_is_never_0_or_1(void **state)
{
    (void)state;
    const ps_rng_address a = {0, 0, 0};
    for (uint64_t i = 0; i < 200000; i++) {
        double u = ps_rng_uniform(&a, i);
        assert_true(u > 0.0 && u < 1.0);
    }
}

static void test_rng_uniform_passes_a_chi_square_test(void **state)
{
    (void)state;
    enum { BINS = 100, N = 200000 };
    const ps_rng_address a = {12345, 0, 0};
    long count[BINS] = {0};
    for (uint64_t i = 0; i < N; i++)
        count[(int)(ps_rng_uniform(&a, i) * BINS)]++;
    double expected = (double)N / BINS, chi2 = 0.0;
    for (int b = 0; b < BINS; b++)
        chi2 += (count[b] - expected) * (count[b] - expected) / expected;
    /* 99 degrees of freedom: P(chi2 > 148.2) = P(chi2 < 61.1) = 0.001.  The
       lower bound catches sequences too even to be random (a counter). */
    assert_true(chi2 < 148.2);
    assert_true(chi2 > 61.1);
}

static int compare_doubles(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static void test_rng_uniform_passes_a_kolmogorov_smirnov_test(void **state)
{
    (void)state;
    enum { N = 10000 };
    static double u[N];
    const ps_rng_address a = {7, 3, UINT64_C(0xdeadbeef)};
    for (uint64_t i = 0; i < N; i++)
        u[i] = ps_rng_uniform(&a, i);
    qsort(u, N, sizeof u[0], compare_doubles);
    double d = 0.0;
    for (int i = 0; i < N; i++) {
        d = fmax(d, (i + 1.0) / N - u[i]);
        d = fmax(d, u[i] - (double)i / N);
    }
    /* Critical value at alpha = 0.001: 1.949 / sqrt(N). */
    assert_true(d < 1.949 / sqrt((double)N));
}

static void test_rng_uniform_streams_are_uncorrelated(void **state)
{
    (void)state;
    enum { N = 20000 };
    const ps_rng_address a = {99, 0, 0}, b = {99, 0, 1}, c = {99, 1, 0};
    double sab = 0.0, sac = 0.0, slag = 0.0;
    for (uint64_t i = 0; i < N; i++) {
        double ua = ps_rng_uniform(&a, i) - 0.5;
        sab += ua * (ps_rng_uniform(&b, i) - 0.5);
        sac += ua * (ps_rng_uniform(&c, i) - 0.5);
        slag += ua * (ps_rng_uniform(&a, i + 1) - 0.5);
    }
    /* Each correlation has standard error 1/sqrt(N); allow 4.5 of them. */
    double limit = 4.5 / sqrt((double)N), var = 1.0 / 12.0;
    assert_true(fabs(sab / N / var) < limit);
    assert_true(fabs(sac / N / var) < limit);
    assert_true(fabs(slag / N / var) < limit);
}

static void test_rng_uniform_runs_equals_one_run_at_a_time(void **state)
{
    (void)state;
    enum { MOST = 11, STRIDE = 3 };
    /* The last runs wrap around 2^64, as the run coordinate does. */
    const uint64_t runs[] = {0, 12345, UINT64_MAX - 4};
    for (size_t s = 0; s < sizeof runs / sizeof runs[0]; s++) {
        for (uint64_t index = 0; index < 6; index++) {
            for (size_t count = 0; count <= MOST; count++) {
                const ps_rng_address addr = {2026, runs[s], 40 + index};
                double out[MOST * STRIDE];
                for (size_t i = 0; i < MOST * STRIDE; i++)
                    out[i] = -1.0;
                ps_rng_uniform_runs(&addr, index, count, out, STRIDE);
                for (size_t r = 0; r < MOST; r++) {
                    ps_rng_address one = addr;
                    one.run = addr.run + r;
                    double want =
                        r < count ? ps_rng_uniform(&one, index) : -1.0;
                    assert_true(out[r * STRIDE] == want);
                    assert_true(out[r * STRIDE + 1] == -1.0);
                }
            }
        }
    }
}

static void test_rng_mix_matches_the_splitmix64_reference(void **state)
{
    (void)state;
    /* SplitMix64 from state 0 outputs mix(0), mix(g), mix(2g). */
    const uint64_t g = UINT64_C(0x9E3779B97F4A7C15);
    assert_int_equal(ps_rng_mix(0), UINT64_C(0xE220A8397B1DCDAF));
    assert_int_equal(ps_rng_mix(g), UINT64_C(0x6E789E6AA1B965F4));
    assert_int_equal(ps_rng_mix(2 * g), UINT64_C(0x06C45D188009454F));
}

static int compare_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static void test_rng_mix_spreads_consecutive_inputs(void **state)
{
    (void)state;
    enum { N = 4096 };
    static uint64_t m[N];
    double flipped = 0.0;
    for (uint64_t i = 0; i < N; i++) {
        m[i] = ps_rng_mix(i);
        if (i > 0)
            flipped += __builtin_popcountll(m[i] ^ m[i - 1]);
    }
    /* Neighbouring inputs flip about half of the 64 output bits. */
    flipped /= N - 1;
    assert_true(flipped > 31.0 && flipped < 33.0);
    qsort(m, N, sizeof m[0], compare_u64);
    for (int i = 1; i < N; i++)
        assert_int_not_equal(m[i], m[i - 1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rng_bits_is_a_pure_function_of_the_address),
        cmocka_unit_test(test_rng_bits_differs_when_any_coordinate_changes),
        cmocka_unit_test(
            test_rng_uniform_maps_extreme_bits_inside_the_open_interval),
        cmocka_unit_test(test_rng_uniform_is_never_0_or_1),
        cmocka_unit_test(test_rng_uniform_passes_a_chi_square_test),
        cmocka_unit_test(test_rng_uniform_passes_a_kolmogorov_smirnov_test),
        cmocka_unit_test(test_rng_uniform_streams_are_uncorrelated),
        cmocka_unit_test(test_rng_uniform_runs_equals_one_run_at_a_time),
        cmocka_unit_test(test_rng_mix_matches_the_splitmix64_reference),
        cmocka_unit_test(test_rng_mix_spreads_consecutive_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
