/*
 * The Philox4x64-10 block behind every draw (Salmon et al., "Parallel
 * random numbers: as easy as 1, 2, 3", SC11), from Random123's header.
 */
#include "rng_impl.h"

#include <Random123/philox.h>

void ps__rng_philox4x64_10(const uint64_t ctr[4], const uint64_t key[2],
                           uint64_t out[4])
{
    philox4x64_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    philox4x64_key_t k = {{key[0], key[1]}};
    philox4x64_ctr_t r = philox4x64_R(10, c, k);
    for (int i = 0; i < 4; i++)
        out[i] = r.v[i];
}

void ps__rng_block(const ps_rng_address *addr, uint64_t block,
                   uint64_t out[4])
{
    /* Counter words 2 and 3 stay 0: they are free for a future domain
       (e.g. a second kind of consumer) without disturbing these draws. */
    const uint64_t ctr[4] = {block, addr->stream, 0, 0};
    const uint64_t key[2] = {addr->seed, addr->run};
    ps__rng_philox4x64_10(ctr, key, out);
}

/* Runs drawn side by side: four Philox blocks in flight keep the
   multiplier busy where one alone waits on its own results. */
#define LANES 4

void ps_rng_uniform_runs(const ps_rng_address *addr, uint64_t index,
                         size_t count, double *out, size_t stride)
{
    const philox4x64_ctr_t c = {{index >> 2, addr->stream, 0, 0}};
    const unsigned word = (unsigned)(index & 3);
    size_t r = 0;
    for (; r + LANES <= count; r += LANES) {
        philox4x64_ctr_t got[LANES];
        for (unsigned l = 0; l < LANES; l++) {
            const philox4x64_key_t k = {{addr->seed, addr->run + r + l}};
            got[l] = philox4x64_R(10, c, k);
        }
        for (unsigned l = 0; l < LANES; l++)
            out[(r + l) * stride] = ps__rng_to_uniform(got[l].v[word]);
    }
    for (; r < count; r++) {
        const philox4x64_key_t k = {{addr->seed, addr->run + r}};
        out[r * stride] = ps__rng_to_uniform(philox4x64_R(10, c, k).v[word]);
    }
}
