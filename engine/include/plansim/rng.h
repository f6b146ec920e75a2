/*
 * plansim: addressed, counter-based random numbers.
 *
 * Every draw is a pure function of (seed, run, stream, index), computed with
 * Random123's Philox4x64-10.  Nothing is sequential or shared, so a run gives
 * the same numbers at any thread count, any MPI rank count, or after a
 * resume.  A gsl_rng adapter lets GSL's distributions draw from one address.
 *
 * The mapping (fixed: changing it changes every result):
 *   key     = { seed, run }
 *   counter = { index / 4, stream, 0, 0 }
 *   draw    = word (index % 4) of Philox4x64-10(counter, key)
 * so one Philox block serves four consecutive draws of one address, and
 * distinct addresses or indices never share a (key, counter) pair.
 */
#ifndef PLANSIM_RNG_H
#define PLANSIM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where a sequence of draws lives: one (seed, run, stream) triple. */
typedef struct ps_rng_address {
    uint64_t seed;   /* the scenario's seed                         */
    uint64_t run;    /* ensemble member (run index)                 */
    uint64_t stream; /* which consumer: an input, a RANDOM call site */
} ps_rng_address;

/* 64 random bits at draw `index` of the address (see the mapping above).
   `addr` must not be NULL. */
uint64_t ps_rng_bits(const ps_rng_address *addr, uint64_t index);

/* A uniform double in the open interval (0, 1) at draw `index`: k * 2^-53
   for the top 53 bits k of ps_rng_bits, except that k = 0 (probability
   2^-53) gives 2^-54.  Never 0 or 1, so inverse CDFs stay finite.  `addr`
   must not be NULL. */
double ps_rng_uniform(const ps_rng_address *addr, uint64_t index);

/*
 * GSL adapter.  ps_rng_gsl_type is a gsl_rng_type ("plansim-philox") whose
 * generator walks draw indices 0, 1, 2... of one address; every call of
 * `get` or `get_double` consumes one index.  `get` returns the top 32 bits
 * of ps_rng_bits (min 0, max 2^32 - 1); `get_double` returns ps_rng_uniform
 * at that index, so gsl_rng_uniform(r) equals ps_rng_uniform(addr, i).
 * gsl_rng_set(r, s) keeps seed and run and restarts at index 0 of stream s.
 * The state holds no pointers: gsl_rng_clone and gsl_rng_memcpy work.
 * Make generators with ps_rng_gsl_alloc: gsl_rng_alloc(ps_rng_gsl_type)
 * would leave seed and run unset.  ps_rng_bits and ps_rng_uniform are pure
 * and thread-safe; a generator carries a position, so give each thread its
 * own.
 */
extern const gsl_rng_type *const ps_rng_gsl_type;

/* A new generator at index 0 of `addr`; the caller owns it and frees it
   with gsl_rng_free.  NULL when `addr` is NULL or memory runs out (GSL's
   error handler is never called). */
gsl_rng *ps_rng_gsl_alloc(const ps_rng_address *addr);

/* Moves a generator made by ps_rng_gsl_alloc to draw `index` of `addr`;
   a NULL `addr` keeps the current address and only moves the index.
   Does nothing when `r` is NULL or of another type. */
void ps_rng_gsl_seek(gsl_rng *r, const ps_rng_address *addr, uint64_t index);

/* ps_rng_uniform(&a_r, index) for r < count, into out[r * stride], where
   a_r is `addr` moved to run addr->run + r: one stream's draw over
   consecutive runs (a design's column), several computed at a time.
   `addr` and, when count > 0, `out` must not be NULL. */
void ps_rng_uniform_runs(const ps_rng_address *addr, uint64_t index,
                         size_t count, double *out, size_t stride);

/* Mixes a 64-bit value into a stream number (for call-site/seed mixing):
   the SplitMix64 output function, finalise(x + 0x9E3779B97F4A7C15), a
   fixed bijection of x; ps_rng_mix(0) = 0xE220A8397B1DCDAF.  Inline: the
   keyed permutations of the designs call it in their inner loop. */
static inline uint64_t ps_rng_mix(uint64_t x)
{
    /* SplitMix64 (Steele, Lea, Flood 2014): a Weyl step, then the
       variant-13 finaliser; every step is invertible. */
    uint64_t z = x + UINT64_C(0x9E3779B97F4A7C15);
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

#ifdef __cplusplus
}
#endif
#endif
