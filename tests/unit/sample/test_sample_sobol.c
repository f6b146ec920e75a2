/*
 * Sobol' points: unscrambled values against Joe and Kuo's published first
 * points and against blocks generated with SciPy 1.10
 * (scipy.stats.qmc.Sobol(d, scramble=False), fast_forward(first), random)
 * in dimensions up to 21201 and at indices that exercise the direction
 * number recurrence; then the scrambled design: net properties kept,
 * values in (0, 1), reproducible, different per seed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/design.h"
#include "sample_impl.h"

/* Unscrambled point i in dimension dim (0-based) as a double. */
static double point(size_t dim, uint32_t i)
{
    uint32_t v[PS_SOBOL_BITS];
    ps__sobol_directions_of(dim, v);
    return ps__sobol_point(v, i) * 0x1p-32;
}

static void check_block(uint32_t first, size_t rows, size_t dim0, size_t dims,
                        const double *want)
{
    for (size_t r = 0; r < rows; r++) {
        for (size_t d = 0; d < dims; d++) {
            double got = point(dim0 + d, first + (uint32_t)r);
            if (got != want[r * dims + d])
                fail_msg("point %zu, dimension %zu: got %.17g, want %.17g",
                         first + r, dim0 + d + 1, got, want[r * dims + d]);
        }
    }
}

static void test_sobol_first_points_match_joe_and_kuo(void **state)
{
    (void)state;
    /* Dimensions 1-2 are the values SciPy's tests quote from Joe and Kuo
       (2010); 3-5 from SciPy. */
    static const double want[8][5] = {
        {0.0, 0.0, 0.0, 0.0, 0.0},
        {0.5, 0.5, 0.5, 0.5, 0.5},
        {0.75, 0.25, 0.25, 0.25, 0.75},
        {0.25, 0.75, 0.75, 0.75, 0.25},
        {0.375, 0.375, 0.625, 0.875, 0.375},
        {0.875, 0.875, 0.125, 0.375, 0.875},
        {0.625, 0.125, 0.875, 0.625, 0.625},
        {0.125, 0.625, 0.375, 0.125, 0.125},
    };
    check_block(0, 8, 0, 5, &want[0][0]);
}

static void test_sobol_matches_scipy_around_dimension_1111(void **state)
{
    (void)state;
    /* Dimensions 1101..1111. */
    static const double early[8][11] = {
        {0.4716796875, 0.4365234375, 0.1201171875, 0.3173828125, 0.8876953125,
         0.4091796875, 0.4208984375, 0.3955078125, 0.5810546875, 0.4580078125,
         0.3388671875},
        {0.7216796875, 0.1865234375, 0.8701171875, 0.0673828125, 0.1376953125,
         0.6591796875, 0.1708984375, 0.1455078125, 0.8310546875, 0.7080078125,
         0.0888671875},
        {0.2216796875, 0.6865234375, 0.3701171875, 0.5673828125, 0.6376953125,
         0.1591796875, 0.6708984375, 0.6455078125, 0.3310546875, 0.2080078125,
         0.5888671875},
        {0.16357421875, 0.59033203125, 0.05322265625, 0.35205078125,
         0.77197265625, 0.15087890625, 0.69580078125, 0.56787109375,
         0.02587890625, 0.31689453125, 0.64306640625},
        {0.66357421875, 0.09033203125, 0.55322265625, 0.85205078125,
         0.27197265625, 0.65087890625, 0.19580078125, 0.06787109375,
         0.52587890625, 0.81689453125, 0.14306640625},
        {0.41357421875, 0.34033203125, 0.30322265625, 0.60205078125,
         0.52197265625, 0.40087890625, 0.44580078125, 0.31787109375,
         0.77587890625, 0.06689453125, 0.39306640625},
        {0.91357421875, 0.84033203125, 0.80322265625, 0.10205078125,
         0.02197265625, 0.90087890625, 0.94580078125, 0.81787109375,
         0.27587890625, 0.56689453125, 0.89306640625},
        {0.03857421875, 0.46533203125, 0.17822265625, 0.47705078125,
         0.14697265625, 0.02587890625, 0.32080078125, 0.94287109375,
         0.65087890625, 0.69189453125, 0.26806640625},
    };
    check_block(1021, 8, 1100, 11, &early[0][0]);
    /* Index 1000003 needs 20 direction numbers: beyond the degrees here
       (about 13), so the recurrence is checked too. */
    static const double late[3][11] = {
        {0.8307867050170898, 0.8932924270629883, 0.18622493743896484,
         0.9764032363891602, 0.2849740982055664, 0.914820671081543,
         0.7880945205688477, 0.3882932662963867, 0.20745182037353516,
         0.6192827224731445, 0.15498828887939453},
        {0.20578670501708984, 0.2682924270629883, 0.8112249374389648,
         0.6014032363891602, 0.4099740982055664, 0.03982067108154297,
         0.41309452056884766, 0.2632932662963867, 0.8324518203735352,
         0.7442827224731445, 0.5299882888793945},
        {0.7057867050170898, 0.7682924270629883, 0.31122493743896484,
         0.10140323638916016, 0.9099740982055664, 0.539820671081543,
         0.9130945205688477, 0.7632932662963867, 0.33245182037353516,
         0.24428272247314453, 0.02998828887939453},
    };
    check_block(1000003, 3, 1100, 11, &late[0][0]);
}

static void test_sobol_matches_scipy_in_the_last_dimensions(void **state)
{
    (void)state;
    /* Dimensions 21196..21201 (degree 18). */
    static const double early[4][6] = {
        {0.8001708984375, 0.2396240234375, 0.3782958984375, 0.2410888671875,
         0.7371826171875, 0.1434326171875},
        {0.3001708984375, 0.7396240234375, 0.8782958984375, 0.7410888671875,
         0.2371826171875, 0.6434326171875},
        {0.0501708984375, 0.9896240234375, 0.6282958984375, 0.4910888671875,
         0.4871826171875, 0.8934326171875},
        {0.5501708984375, 0.4896240234375, 0.1282958984375, 0.9910888671875,
         0.9871826171875, 0.3934326171875},
    };
    check_block(5000, 4, 21195, 6, &early[0][0]);
    /* Index 300007 > 2^18 uses the recurrence. */
    static const double late[3][6] = {
        {0.8930912017822266, 0.9318180084228516, 0.32013893127441406,
         0.5464725494384766, 0.8609867095947266, 0.13442420959472656},
        {0.5805912017822266, 0.11931800842285156, 0.0076389312744140625,
         0.8589725494384766, 0.7984867095947266, 0.5719242095947266},
        {0.08059120178222656, 0.6193180084228516, 0.5076389312744141,
         0.35897254943847656, 0.29848670959472656, 0.07192420959472656},
    };
    check_block(300007, 3, 21195, 6, &late[0][0]);
}

static void
test_sobol_unscrambled_points_are_a_net_in_each_dimension(void **state)
{
    (void)state;
    /* Every dimension of a Sobol' sequence is a (0, m, 1)-net: the first
       2^m points fall one in each interval [k 2^-m, (k+1) 2^-m). */
    enum { M = 12, N = 1 << M };
    static unsigned char seen[N];
    for (size_t dim = 0; dim < PS_SOBOL_DIMS; dim += 97) {
        uint32_t v[PS_SOBOL_BITS];
        ps__sobol_directions_of(dim, v);
        memset(seen, 0, sizeof seen);
        for (uint32_t i = 0; i < N; i++) {
            uint32_t cell = ps__sobol_point(v, i) >> (32 - M);
            assert_int_equal(seen[cell], 0);
            seen[cell] = 1;
        }
    }
}

/* ---- scrambling ---------------------------------------------------------- */

static void test_sobol_owen_scramble_keeps_common_leading_digits(void **state)
{
    (void)state;
    /* A nested scramble maps numbers whose binary digits first differ at
       digit t to numbers whose digits first differ at digit t too: the
       flip of each digit depends only on the digits before it. */
    const uint64_t seed = UINT64_C(0x9e3779b97f4a7c15);
    for (uint32_t x = 0; x < 5000; x++) {
        uint32_t y = x * 2654435761u, z = y ^ (1u << (x % 32));
        uint32_t sy = ps__owen_scramble(y, seed);
        uint32_t sz = ps__owen_scramble(z, seed);
        assert_int_equal(__builtin_clz(sy ^ sz), __builtin_clz(y ^ z));
    }
}

static void test_sobol_owen_scramble_uses_every_bit_of_the_seed(void **state)
{
    (void)state;
    /* Seeds whose halves agree in their low 16 bits must still scramble
       the first digits differently: with Burley's original hash the low t
       bits of the seed alone decide the first t digits. */
    enum { N = 256 };
    size_t same = 0;
    for (uint32_t i = 0; i < N; i++) {
        uint32_t a = ps__owen_scramble(i << 24, UINT64_C(0x0000000000000042));
        uint32_t b = ps__owen_scramble(i << 24, UINT64_C(0x5a5a0000a5a50042));
        same += (a >> 24) == (b >> 24);
    }
    assert_true(same < N / 4);
}

static void test_sobol_scrambled_design_keeps_the_net_property(void **state)
{
    (void)state;
    enum { M = 10, N = 1 << M, K = 1111 };
    const size_t dims[] = {0, 1, 2, 99, 1110};
    double *u = malloc((size_t)N * K * sizeof *u);
    assert_non_null(u);
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 42, N, K, 0, N, u, NULL),
                     PS_OK);
    static unsigned char seen[N];
    for (size_t c = 0; c < sizeof dims / sizeof dims[0]; c++) {
        memset(seen, 0, sizeof seen);
        for (size_t i = 0; i < N; i++) {
            double x = u[i * K + dims[c]];
            assert_true(x > 0.0 && x < 1.0);
            size_t cell = (size_t)(x * N);
            assert_int_equal(seen[cell], 0);
            seen[cell] = 1;
        }
    }
    free(u);
    /* The last dimension, through the same steps as the design (a full
       21201-column design would be needlessly large here). */
    uint32_t v[PS_SOBOL_BITS];
    ps__sobol_directions_of(PS_SOBOL_DIMS - 1, v);
    memset(seen, 0, sizeof seen);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t x = ps__owen_scramble(ps__sobol_point(v, i),
                                       UINT64_C(0x2545f4914f6cdd1d));
        size_t cell = (size_t)(ps__u01_from_bits(x, UINT64_MAX) * N);
        assert_int_equal(seen[cell], 0);
        seen[cell] = 1;
    }
}

static void
test_sobol_scrambled_first_two_dimensions_form_a_0_m_2_net(void **state)
{
    (void)state;
    /* Dimensions 1 and 2 of Sobol' have t = 0: every box of 2^-a by
       2^-(m-a) holds exactly one of the first 2^m points, for every a.
       Owen scrambling must keep that. */
    enum { M = 8, N = 1 << M };
    static double u[N * 2];
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 2025, N, 2, 0, N, u, NULL),
                     PS_OK);
    for (int a = 0; a <= M; a++) {
        unsigned char seen[N] = {0};
        for (size_t i = 0; i < N; i++) {
            size_t bx = (size_t)(u[2 * i] * (1 << a));
            size_t by = (size_t)(u[2 * i + 1] * (1 << (M - a)));
            size_t box = (bx << (M - a)) | by;
            assert_int_equal(seen[box], 0);
            seen[box] = 1;
        }
    }
}

static void test_sobol_scrambling_depends_on_the_seed_only(void **state)
{
    (void)state;
    enum { N = 256, K = 3 };
    static double a[N * K], b[N * K], c[N * K];
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 1, N, K, 0, N, a, NULL),
                     PS_OK);
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 1, N, K, 0, N, b, NULL),
                     PS_OK);
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 2, N, K, 0, N, c, NULL),
                     PS_OK);
    assert_memory_equal(a, b, sizeof a);
    size_t same_cell = 0;
    for (size_t i = 0; i < N * K; i++) {
        assert_true(a[i] != c[i]);
        same_cell += (size_t)(a[i] * N) == (size_t)(c[i] * N);
    }
    /* Another seed is another scramble, not the same points jittered. */
    assert_true(same_cell < N * K / 4);
    /* The number of runs does not enter: a Sobol' row is the same in a
       design of 256 runs and in one of 2^20. */
    static double big[4 * K];
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 1, (size_t)1 << 20, K, 100,
                                    4, big, NULL),
                     PS_OK);
    assert_memory_equal(big, a + 100 * K, sizeof big);
}

static void
test_sobol_scrambled_design_integrates_better_than_random(void **state)
{
    (void)state;
    /* The integral of prod_j 2 u_j over [0,1]^4 is 1: 2^12 scrambled
       Sobol' points get it to well under the ~0.02 error of plain Monte
       Carlo at this size (the function's sd is 2.25, /sqrt(4096)). */
    enum { N = 1 << 12, K = 4 };
    static double u[N * K];
    assert_int_equal(ps_design_fill(PS_DESIGN_SOBOL, 9, N, K, 0, N, u, NULL),
                     PS_OK);
    double s = 0.0;
    for (size_t i = 0; i < N; i++) {
        double f = 1.0;
        for (size_t j = 0; j < K; j++)
            f *= 2.0 * u[i * K + j];
        s += f;
    }
    assert_true(fabs(s / N - 1.0) < 0.005);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sobol_first_points_match_joe_and_kuo),
        cmocka_unit_test(test_sobol_matches_scipy_around_dimension_1111),
        cmocka_unit_test(test_sobol_matches_scipy_in_the_last_dimensions),
        cmocka_unit_test(
            test_sobol_unscrambled_points_are_a_net_in_each_dimension),
        cmocka_unit_test(test_sobol_owen_scramble_keeps_common_leading_digits),
        cmocka_unit_test(test_sobol_owen_scramble_uses_every_bit_of_the_seed),
        cmocka_unit_test(test_sobol_scrambled_design_keeps_the_net_property),
        cmocka_unit_test(
            test_sobol_scrambled_first_two_dimensions_form_a_0_m_2_net),
        cmocka_unit_test(test_sobol_scrambling_depends_on_the_seed_only),
        cmocka_unit_test(
            test_sobol_scrambled_design_integrates_better_than_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
