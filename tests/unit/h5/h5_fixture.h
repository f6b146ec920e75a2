/*
 * A small fake ensemble for the ensemble-file tests: 10 runs, 6 saved
 * times (2025-2030), 6 variables with Chinese units and descriptions (two
 * of them with clashing dataset names), 2 uncertain inputs, 3 targets.
 * Run 3 fails after its second saved time.  Values follow closed forms so
 * the tests (and the Python check) can recompute them.
 */
#ifndef H5_FIXTURE_H
#define H5_FIXTURE_H

#include <stddef.h>

#include "plansim_output/h5.h"

#define FX_RUNS 10
#define FX_TIMES 6
#define FX_VARS 6
#define FX_INPUTS 2
#define FX_TARGETS 3
#define FX_FAILED_RUN 3
#define FX_BLOCK 3 /* runs per block handed to the sink */
#define FX_NBLOCKS 4

extern const double fx_times[FX_TIMES];
/* Dataset names the layout must give the variables. */
extern const char *const fx_dataset_names[FX_VARS];
/* The scenario text stored in the file. */
extern const char fx_scenario_text[];

/* The fixture's description of the file (static data). */
const ps_h5_meta *fx_meta(void);

/* Value of variable v at saved time index t in run r (NaN where run
   FX_FAILED_RUN has failed). */
double fx_value(size_t r, size_t v, size_t t);
double fx_input(size_t r, size_t j);
unsigned char fx_status(size_t r);

/* First run of the i-th block handed over (the blocks go out of order:
   runs 6-8, 0-2, 9, 3-5). */
size_t fx_block_first(size_t i);
size_t fx_block_count(size_t i);

/*
 * Writes the fixture to `path` through the sink API: open, begin, the
 * first `nblocks` blocks, end (when all blocks were written), then the
 * summary when `summarize`, then close with `commit`.
 */
ps_status fx_write(const char *path, const ps_h5_options *opts, size_t nblocks,
                   int summarize, int commit, ps_error *err);

/* As fx_write, with `m` (a changed copy of fx_meta()) for the file. */
ps_status fx_write_meta(const char *path, const ps_h5_meta *m,
                        const ps_h5_options *opts, size_t nblocks,
                        int summarize, int commit, ps_error *err);

#endif
