/*
 * Addressed draws: bits, open-interval uniforms, and the stream mixer.
 */
#include "rng_impl.h"

uint64_t ps_rng_bits(const ps_rng_address *addr, uint64_t index)
{
    uint64_t block[4];
    ps__rng_block(addr, index >> 2, block);
    return block[index & 3];
}

double ps__rng_to_uniform(uint64_t bits)
{
    uint64_t k = bits >> 11; /* 53 bits: exactly representable */
    /* Why not (k + 0.5) * 2^-53: k + 0.5 needs 54 bits and rounds to 2^53
       for the largest k, which would return 1.  Only k = 0 is moved. */
    if (k == 0)
        return 0x1p-54;
    return (double)k * 0x1p-53;
}

double ps_rng_uniform(const ps_rng_address *addr, uint64_t index)
{
    return ps__rng_to_uniform(ps_rng_bits(addr, index));
}
