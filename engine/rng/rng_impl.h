/*
 * plansim rng: internals shared by the files of the module and its tests.
 */
#ifndef PLANSIM_RNG_IMPL_H
#define PLANSIM_RNG_IMPL_H

#include <stdint.h>

#include "plansim/rng.h"

/* Philox4x64 with 10 rounds: out = Philox(ctr, key).  A bijection of ctr
   for each key; checked against Random123's known-answer vectors. */
void ps__rng_philox4x64_10(const uint64_t ctr[4], const uint64_t key[2],
                           uint64_t out[4]);

/* The four draws 4*block .. 4*block+3 of `addr` (the mapping in rng.h). */
void ps__rng_block(const ps_rng_address *addr, uint64_t block,
                   uint64_t out[4]);

/* 64 random bits to the open-interval uniform of ps_rng_uniform. */
double ps__rng_to_uniform(uint64_t bits);

#endif
