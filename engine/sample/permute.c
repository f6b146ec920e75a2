/*
 * A keyed pseudo-random permutation of [0, n), evaluated one index at a
 * time: a balanced Feistel network on 2h bits (the smallest even width
 * with 2^2h >= n) is a bijection of [0, 2^2h) whatever its round function;
 * cycle-walking (apply again until the image is below n) restricts it to
 * a bijection of [0, n) (Black & Rogaway, "Ciphers with arbitrary finite
 * domains", CT-RSA 2002).  Since 2^2h < 4n, a walk takes fewer than four
 * steps on average.  It needs no table, so a Latin hypercube column of any
 * length costs O(1) memory and any row can be computed alone.
 */
#include "plansim/rng.h"
#include "sample_impl.h"

void ps__perm_init(ps__perm *p, uint64_t n, uint64_t seed, uint64_t stream)
{
    unsigned bits = 2;
    while (bits < 64 && (UINT64_C(1) << bits) < n)
        bits += 2;
    p->n = n;
    p->half_bits = bits / 2;
    p->mask = (UINT64_C(1) << p->half_bits) - 1;
    const ps_rng_address addr = {seed, 0, stream};
    for (unsigned r = 0; r < PS_PERM_ROUNDS; r++)
        p->keys[r] = ps_rng_bits(&addr, r);
}

/* One pass of the network over [0, 2^(2h)). */
static uint64_t feistel(const ps__perm *p, uint64_t x)
{
    uint64_t left = x >> p->half_bits, right = x & p->mask;
    for (unsigned r = 0; r < PS_PERM_ROUNDS; r++) {
        /* The round function: SplitMix64's finaliser of the half and the
           round key; any function keeps the network a bijection. */
        uint64_t f = ps_rng_mix(right ^ p->keys[r]) & p->mask;
        uint64_t next = left ^ f;
        left = right;
        right = next;
    }
    return (left << p->half_bits) | right;
}

uint64_t ps__perm_apply(const ps__perm *p, uint64_t i)
{
    if (p->n <= 1)
        return 0;
    uint64_t x = i;
    do
        x = feistel(p, x);
    while (x >= p->n);
    return x;
}

/* Indices walked side by side: each pass is a chain of multiplications
   that waits on itself, so several independent chains keep the core
   busy. */
#define LANES 4

void ps__perm_apply_range(const ps__perm *p, uint64_t first, size_t count,
                          uint64_t *out)
{
    if (p->n <= 1) {
        for (size_t r = 0; r < count; r++)
            out[r] = 0;
        return;
    }
    for (size_t r = 0; r < count; r++)
        out[r] = first + r;
    /* Every index still outside [0, n) after its last pass, by position;
       `walking` lists those of out[] that need another pass. */
    size_t walking[PS_PERM_RANGE_MAX];
    size_t left = count;
    for (size_t r = 0; r < count; r++)
        walking[r] = r;
    while (left > 0) {
        size_t i = 0;
        for (; i + LANES <= left; i += LANES) {
            uint64_t x[LANES];
            for (unsigned l = 0; l < LANES; l++)
                x[l] = out[walking[i + l]];
            for (unsigned l = 0; l < LANES; l++)
                x[l] = feistel(p, x[l]);
            for (unsigned l = 0; l < LANES; l++)
                out[walking[i + l]] = x[l];
        }
        for (; i < left; i++)
            out[walking[i]] = feistel(p, out[walking[i]]);
        size_t kept = 0;
        for (i = 0; i < left; i++)
            if (out[walking[i]] >= p->n)
                walking[kept++] = walking[i];
        left = kept;
    }
}
