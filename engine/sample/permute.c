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
   that waits on itself, so several independent chains, interleaved round
   by round, keep the core busy. */
#define LANES 4

/* One pass of the network over each of LANES values. */
static void feistel_lanes(const ps__perm *p, uint64_t x[LANES])
{
    const unsigned h = p->half_bits;
    const uint64_t mask = p->mask;
    uint64_t left[LANES], right[LANES];
    for (unsigned l = 0; l < LANES; l++) {
        left[l] = x[l] >> h;
        right[l] = x[l] & mask;
    }
    for (unsigned r = 0; r < PS_PERM_ROUNDS; r++) {
        const uint64_t key = p->keys[r];
        for (unsigned l = 0; l < LANES; l++) {
            const uint64_t next = left[l] ^ (ps_rng_mix(right[l] ^ key) & mask);
            left[l] = right[l];
            right[l] = next;
        }
    }
    for (unsigned l = 0; l < LANES; l++)
        x[l] = (left[l] << h) | right[l];
}

void ps__perm_apply_range(const ps__perm *p, uint64_t first, size_t count,
                          uint64_t *out)
{
    if (p->n <= 1) {
        for (size_t r = 0; r < count; r++)
            out[r] = 0;
        return;
    }
    /* Each lane walks one index until it lands in [0, n), then takes the
       next; a lane with none left walks 0 for nothing (slot `count`). */
    uint64_t x[LANES];
    size_t slot[LANES], next = 0, busy = 0;
    for (unsigned l = 0; l < LANES; l++) {
        slot[l] = next < count ? next++ : count;
        x[l] = slot[l] < count ? first + slot[l] : 0;
        busy += slot[l] < count;
    }
    while (busy > 0) {
        feistel_lanes(p, x);
        for (unsigned l = 0; l < LANES; l++) {
            if (slot[l] == count || x[l] >= p->n)
                continue;
            out[slot[l]] = x[l];
            if (next < count) {
                slot[l] = next++;
                x[l] = first + slot[l];
            } else {
                slot[l] = count;
                x[l] = 0;
                busy--;
            }
        }
    }
}
