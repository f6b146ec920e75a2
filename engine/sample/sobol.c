/*
 * Sobol' points from Joe and Kuo's direction numbers (sobol_directions.c),
 * computed directly from the index, and randomised with the seed.
 *
 * Point i in dimension j is the XOR of the direction numbers v_k for the
 * bits k set in the Gray code i ^ (i >> 1), the order of Joe and Kuo's
 * sobol.cc and of SciPy's qmc.Sobol, so unscrambled points match theirs.
 *
 * Randomisation: a nested uniform (Owen) scramble of the 32 bits, hashed
 * as in B. Burley, "Practical Hash-based Owen Scrambling", JCGT 9(4), 2020
 * (a hash in which each bit depends only on the bits below it, applied to
 * the bit-reversed value), with the stronger hash of N. Vegdahl, "Building
 * a Better LK Hash" (2021; also in pbrt-v4 and Blender Cycles): Burley's
 * Laine-Karras hash lets only the low t bits of the seed decide the first
 * t digits, so two seeds that agree in their last byte would scramble the
 * first eight digits identically.  The hash runs twice, keyed by the two halves of a
 * 64-bit seed drawn per dimension from the scenario's seed (a composition
 * of nested scrambles is a nested scramble).  Then the digits below 2^-32
 * are filled with random bits from run i's stream, which is what a
 * full-depth Owen scramble does below the last digit that distinguishes
 * the points.  Owen scrambling keeps every (t, m, s)-net property of the
 * sequence, gives unbiased estimates, and never yields 0 or 1 (the
 * unscrambled first point is the origin, where a normal quantile is
 * infinite).
 */
#include "plansim/rng.h"
#include "sample_impl.h"

void ps__sobol_directions_of(size_t dim, uint32_t v[PS_SOBOL_BITS])
{
    const ps__sobol_direction *d = &ps__sobol_directions[dim];
    if (d->s == 0) {
        /* Dimension 1: every m_k = 1, the van der Corput sequence. */
        for (unsigned k = 0; k < PS_SOBOL_BITS; k++)
            v[k] = UINT32_C(1) << (PS_SOBOL_BITS - 1 - k);
        return;
    }
    const unsigned s = d->s;
    for (unsigned k = 0; k < s && k < PS_SOBOL_BITS; k++)
        v[k] = d->m[k] << (PS_SOBOL_BITS - 1 - k);
    /* Joe and Kuo's recurrence, in 0-based indices:
       v_k = v_(k-s) ^ (v_(k-s) >> s) ^ XOR_(l=1..s-1) a_l v_(k-l). */
    for (unsigned k = s; k < PS_SOBOL_BITS; k++) {
        uint32_t x = v[k - s] ^ (v[k - s] >> s);
        for (unsigned l = 1; l < s; l++)
            if ((d->a >> (s - 1 - l)) & 1u)
                x ^= v[k - l];
        v[k] = x;
    }
}

uint32_t ps__sobol_point(const uint32_t v[PS_SOBOL_BITS], uint32_t i)
{
    uint32_t gray = i ^ (i >> 1), x = 0;
    for (unsigned k = 0; gray; k++, gray >>= 1)
        if (gray & 1u)
            x ^= v[k];
    return x;
}

static uint32_t reverse_bits(uint32_t x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
}

/* Vegdahl's hash: adding the seed, multiplying by an odd number and
   x ^= x * even each let a bit depend only on itself and the bits below
   it; on the reversed value those are the more significant digits of the
   fraction, the dependence structure of a nested uniform scramble. */
static uint32_t nested_hash(uint32_t x, uint32_t seed)
{
    x ^= x * 0x3d20adeau;
    x += seed;
    x *= (seed >> 16) | 1u;
    x ^= x * 0x05526c56u;
    x ^= x * 0x53a22864u;
    return x;
}

uint32_t ps__owen_scramble(uint32_t x, uint64_t seed)
{
    x = reverse_bits(x);
    x = nested_hash(x, (uint32_t)seed);
    x = nested_hash(x, (uint32_t)(seed >> 32));
    return reverse_bits(x);
}

void ps__design_sobol(uint64_t seed, size_t k, size_t first, size_t count,
                      double *u)
{
    for (size_t j = 0; j < k; j++) {
        uint32_t v[PS_SOBOL_BITS];
        ps__sobol_directions_of(j, v);
        const ps_rng_address key = {seed, 0,
                                    ps__design_stream(PURPOSE_SOBOL_SEED, j)};
        const uint64_t scramble = ps_rng_bits(&key, 0);
        ps_rng_address low = {seed, 0, ps__design_stream(PURPOSE_SOBOL_LOW, j)};
        for (size_t r = 0; r < count; r++) {
            const uint64_t i = first + r;
            low.run = i;
            uint32_t x =
                ps__owen_scramble(ps__sobol_point(v, (uint32_t)i), scramble);
            u[r * k + j] = ps__u01_from_bits(x, ps_rng_bits(&low, 0));
        }
    }
}
