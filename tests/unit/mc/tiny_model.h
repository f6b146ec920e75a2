/*
 * Test support for ensembles: a tiny model whose runs have known answers.
 * Run r sets k = r, so x = r * t and y = 2 r t; x and y are saved.
 */
#ifndef TINY_MODEL_H
#define TINY_MODEL_H

#include <stddef.h>

#include "plansim/ensemble.h"
#include "plansim/program.h"

typedef struct tiny {
    ps_program *prog;
    size_t input_var, save_vars[2];
    double *inputs;
    ps_ensemble_spec spec;
} tiny;

/* nruns runs of the tiny model with k = run index, saving x and y, on
   `threads` threads in blocks of `block` runs (0: the engine's choice).
   Fails the test on any error.  Free with tiny_free. */
void tiny_init(tiny *t, size_t nruns, int threads, size_t block);
void tiny_free(tiny *t);

#endif
