/*
 * Quantiles by selection and column statistics in bounded memory: both
 * give exactly what sorting the whole column gives (type 7, as numpy),
 * bit for bit, on columns with ties, tails, non-finite values, constant
 * and empty columns, whether a column is held whole or needs passes, fed
 * in blocks of any size.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/stats.h"

static const double probs[] = {0.0, 0.01, 0.05, 0.1,  0.25, 1.0 / 3.0,
                               0.5, 0.75, 0.9,  0.95, 0.99, 1.0};
#define NP (sizeof probs / sizeof probs[0])

/* A fixed-seed generator (SplitMix64), so every run tests the same data. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
    return ((double)(next_u64(s) >> 11) + 0.5) * 0x1p-53;
}

static int double_cmp(const void *pa, const void *pb)
{
    const double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* The reference: sort the finite values, interpolate as numpy. */
static void sorted_quantiles(const double *x, size_t n, double *out)
{
    double *s = malloc((n ? n : 1) * sizeof *s);
    assert_non_null(s);
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            s[c++] = x[i];
    qsort(s, c, sizeof *s, double_cmp);
    for (size_t k = 0; k < NP; k++) {
        if (c == 0) {
            out[k] = NAN;
            continue;
        }
        double h = (double)(c - 1) * probs[k], lo = floor(h);
        size_t i = (size_t)lo;
        if (i >= c - 1) {
            out[k] = s[c - 1];
            continue;
        }
        double a = s[i], b = s[i + 1], t = h - lo, diff = b - a;
        out[k] = t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
    }
    free(s);
}

static void assert_same_bits(const double *got, const double *want, size_t n,
                             const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&got[i], &want[i], sizeof got[i]) != 0 &&
            !(isnan(got[i]) && isnan(want[i])))
            fail_msg("%s %zu: got %.17g, want %.17g", what, i, got[i], want[i]);
}

/* Column kinds: what an ensemble's variables look like, and worse. */
enum { SMOOTH, HEAVY, TIES, SPIKE, HOLES, CONSTANT, EMPTY, SPREAD, NKINDS };

static void fill(double *x, size_t n, int kind, uint64_t *seed)
{
    for (size_t i = 0; i < n; i++) {
        double u = uniform(seed);
        switch (kind) {
        case SMOOTH: /* a GDP-like level */
            x[i] = 700.0 + 40.0 * (u + uniform(seed) + uniform(seed) - 1.5);
            break;
        case HEAVY: /* lognormal-like, many orders of magnitude */
            x[i] = exp(30.0 * (u - 0.5));
            break;
        case TIES: /* a handful of values */
            x[i] = (double)(int)(u * 5.0) - 2.0;
            break;
        case SPIKE: /* most runs on one value, a few elsewhere */
            x[i] = u < 0.9 ? 1.5 : u * 1e6;
            break;
        case HOLES: /* failed runs are NaN, some values infinite */
            x[i] = u < 0.1 ? NAN : u < 0.12 ? INFINITY : -u;
            break;
        case CONSTANT:
            x[i] = -0.25;
            break;
        case EMPTY:
            x[i] = NAN;
            break;
        case SPREAD: /* a geometric spread: 2^-k, the worst for binning */
            x[i] = ldexp(1.0, -(int)(u * 1000.0));
            break;
        }
    }
}

static void test_selection_quantiles_equal_sorted_ones(void **state)
{
    (void)state;
    uint64_t seed = 1;
    const size_t sizes[] = {1, 2, 3, 10, 101, 1000, 20000};
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        size_t n = sizes[si];
        double *x = malloc(n * sizeof *x), *scratch = malloc(n * sizeof *x);
        assert_non_null(x);
        assert_non_null(scratch);
        for (int kind = 0; kind < NKINDS; kind++) {
            fill(x, n, kind, &seed);
            double got[NP], want[NP];
            sorted_quantiles(x, n, want);
            ps_stats_quantiles(x, n, probs, NP, got, scratch);
            assert_same_bits(got, want, NP, "level");
        }
        free(x);
        free(scratch);
    }
    /* sorted, reversed and organ-pipe inputs: no slow path is wrong */
    enum { N = 5001 };
    static double x[N], scratch[N];
    for (int shape = 0; shape < 3; shape++) {
        for (size_t i = 0; i < N; i++)
            x[i] = shape == 0   ? (double)i
                   : shape == 1 ? (double)(N - i)
                                : (double)(i < N / 2 ? i : N - i);
        double got[NP], want[NP];
        sorted_quantiles(x, N, want);
        ps_stats_quantiles(x, N, probs, NP, got, scratch);
        assert_same_bits(got, want, NP, "level");
    }
}

/* Feeds `ncols` columns of n values in blocks of `block`, holding at most
   `hold` per column; checks every result against the whole column. */
static void check_colstats(double *const *cols, size_t ncols, size_t n,
                           size_t block, size_t hold, unsigned *passes)
{
    ps_colstats *s = ps_colstats_new(ncols, probs, NP, hold);
    assert_non_null(s);
    int more;
    *passes = 0;
    while ((more = ps_colstats_begin_pass(s)) > 0) {
        (*passes)++;
        assert_true(*passes < 200);
        for (size_t r0 = 0; r0 < n; r0 += block) {
            size_t m = n - r0 < block ? n - r0 : block;
            for (size_t c = 0; c < ncols; c++)
                ps_colstats_feed(s, c, cols[c] + r0, m);
        }
        for (size_t c = 0; c < ncols; c++)
            ps_colstats_end_pass(s, c);
    }
    assert_int_equal(more, 0);
    for (size_t c = 0; c < ncols; c++) {
        double q[NP], want[NP], mean[2], sd[2];
        size_t count[2];
        ps_colstats_result(s, c, &mean[0], &sd[0], &count[0], q);
        ps_stats_mean_sd(cols[c], n, &mean[1], &sd[1], &count[1]);
        sorted_quantiles(cols[c], n, want);
        assert_same_bits(q, want, NP, "level");
        assert_same_bits(&mean[0], &mean[1], 1, "mean");
        assert_same_bits(&sd[0], &sd[1], 1, "sd");
        assert_int_equal(count[0], count[1]);
    }
    ps_colstats_free(&s);
    assert_null(s);
}

static void test_colstats_equal_whole_columns_held_or_not(void **state)
{
    (void)state;
    enum { N = 30011 };
    uint64_t seed = 7;
    double *cols[NKINDS];
    for (int k = 0; k < NKINDS; k++) {
        cols[k] = malloc(N * sizeof *cols[k]);
        assert_non_null(cols[k]);
        fill(cols[k], N, k, &seed);
    }
    unsigned passes;
    /* held whole: one pass */
    check_colstats(cols, NKINDS, N, 1000, N, &passes);
    assert_int_equal(passes, 1);
    /* held by none: passes, in blocks of any size, with the held values
       setting pass 1's histogram (100) or too few for it (10) */
    const size_t blocks[] = {1, 97, 4096, N};
    for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
        check_colstats(cols, NKINDS, N, blocks[b], 100, &passes);
        check_colstats(cols, NKINDS, N, blocks[b], 10, &passes);
    }
    /* smooth data needs few passes: count and narrow, sd and collect */
    check_colstats(cols, 1, N, 4096, 100, &passes);
    assert_int_equal(passes, 2);
    /* without a histogram in pass 1: count, sd and narrow, collect */
    check_colstats(cols, 1, N, 4096, 10, &passes);
    assert_true(passes <= 4);
    for (int k = 0; k < NKINDS; k++)
        free(cols[k]);
}

static void test_colstats_of_a_million_values_in_few_passes(void **state)
{
    (void)state;
    enum { N = 1000000 };
    uint64_t seed = 11;
    double *col = malloc(N * sizeof *col);
    assert_non_null(col);
    fill(col, N, SMOOTH, &seed);
    unsigned passes;
    check_colstats(&col, 1, N, 65536, 4096, &passes);
    assert_int_equal(passes, 2);
    free(col);
}

/* Columns whose first values misrepresent the rest (pass 1's histogram
   takes its range from them), short ones, and ones of one value after
   their first: exact all the same, only in more passes. */
static void test_colstats_of_columns_unlike_their_start(void **state)
{
    (void)state;
    enum { N = 20011, NC = 8 };
    uint64_t seed = 13;
    double *cols[NC];
    for (int k = 0; k < NC; k++) {
        cols[k] = malloc(N * sizeof *cols[k]);
        assert_non_null(cols[k]);
    }
    for (size_t i = 0; i < N; i++) {
        double u = uniform(&seed);
        cols[0][i] = (double)i;               /* rising: all above the start */
        cols[1][i] = (double)(N - i) * 0.5;   /* falling: all below it */
        cols[2][i] = i < 500 ? 3.0 : u;       /* starts constant */
        cols[3][i] = i < 500 ? u : 7.0;       /* constant after its start */
        cols[4][i] = i % 3 ? NAN : u - 0.5;   /* one value in three */
        cols[5][i] = i < 500 ? u : u * 1e300; /* a range far beyond */
        cols[6][i] = (double)(i % 7) + (i < 300 ? 0.5 : 0.0); /* ties */
        cols[7][i] = (u - 0.5) * 1.9 * DBL_MAX; /* the widest range */
    }
    const size_t holds[] = {0, 1, 63, 64, 65, 100, 1000};
    unsigned passes;
    for (size_t h = 0; h < sizeof holds / sizeof holds[0]; h++) {
        check_colstats(cols, NC, N, 333, holds[h], &passes);
        /* short columns: just above what is held */
        for (size_t n = 1; n < 70; n += 17)
            check_colstats(cols, NC, n, 5, holds[h], &passes);
    }
    for (int k = 0; k < NC; k++)
        free(cols[k]);
}

static void test_colstats_refuses_too_many_levels(void **state)
{
    (void)state;
    double p[40] = {0};
    assert_null(ps_colstats_new(3, p, 40, 10));
    assert_null(ps_colstats_new(3, NULL, 2, 10));
    ps_colstats *s = ps_colstats_new(0, p, 0, 10);
    assert_non_null(s);
    assert_int_equal(ps_colstats_begin_pass(s), 1);
    assert_int_equal(ps_colstats_begin_pass(s), 0);
    ps_colstats_free(&s);
    ps_colstats_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection_quantiles_equal_sorted_ones),
        cmocka_unit_test(test_colstats_equal_whole_columns_held_or_not),
        cmocka_unit_test(test_colstats_of_a_million_values_in_few_passes),
        cmocka_unit_test(test_colstats_of_columns_unlike_their_start),
        cmocka_unit_test(test_colstats_refuses_too_many_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
