/*
 * ps_sensitivity internals shared by its files: the random streams, the
 * bootstrap, and each method's design rows.
 */
#ifndef PLANSIM_SENS_IMPL_H
#define PLANSIM_SENS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/sensitivity.h"

/* Streams under PS_SENS_STREAM (sensitivity.h). */
enum {
    SENS_STREAM_BOOTSTRAP = 0, /* run b: the row indices of resample b  */
    SENS_STREAM_MORRIS_BASE = 1, /* run t: base level of input j        */
    SENS_STREAM_MORRIS_DIR = 2,  /* run t: direction of factor g        */
    SENS_STREAM_MORRIS_ORDER = 3 /* run t: the order factors move in    */
};

/* The factor of input j (identity when factor_of is NULL). */
static inline size_t sens_factor(const ps_sens_design *d, size_t j)
{
    return d->factor_of ? d->factor_of[j] : j;
}

/* ---- designs ------------------------------------------------------------ */

ps_status sens_saltelli_fill(const ps_sens_design *d, size_t first,
                             size_t count, double *u, ps_error *err);
ps_status sens_morris_fill(const ps_sens_design *d, size_t first, size_t count,
                           double *u, ps_error *err);
void sens_oat_fill(const ps_sens_design *d, size_t first, size_t count,
                   double *u);

/* ---- bootstrap ---------------------------------------------------------- */

/* idx[0..n) = row indices in [0, n) of resample b, drawn from stream
   SENS_STREAM_BOOTSTRAP of run b under `seed`. */
void sens_resample(uint64_t seed, uint64_t b, size_t n, size_t *idx);

/*
 * From the nboot resampled estimates x[0..nboot) (non-finite ones left
 * out): the percentile interval [*low, *high] at `level` (type-7
 * quantiles at (1 -+ level) / 2) and SALib's half-width
 * *conf = z((1 + level) / 2) * sd(x).  NaN when no estimate is finite
 * (conf: fewer than 2).  `scratch` holds nboot doubles.
 */
void sens_interval(const double *x, size_t nboot, double level, double *low,
                   double *high, double *conf, double *scratch);

#endif
