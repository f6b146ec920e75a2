/*
 * plansim: goodness of fit of a simulated series against observed data.
 *
 * The summary statistics Sterman proposes for the historical fit of
 * system-dynamics models: the mean absolute percent error, the root mean
 * square percent error, Theil's inequality coefficient, and Theil's
 * decomposition of the mean squared error into bias, unequal variation and
 * unequal covariation (J. D. Sterman, "Appropriate summary statistics for
 * evaluating the historical fit of system dynamics models", Dynamica
 * 10(2), 1984, 51-66; H. Theil, Applied Economic Forecasting,
 * North-Holland, 1966).
 *
 * For a simulated series S and an observed series A over the n times
 * where both have a finite value:
 *
 *   MSE   = (1/n) sum (S - A)^2
 *   MAPE  = (1/m) sum |S - A| / |A|          over the m pairs with A != 0
 *   RMSPE = sqrt((1/m) sum ((S - A) / A)^2)  over the same m pairs
 *   U     = sqrt(MSE) / (sqrt((1/n) sum S^2) + sqrt((1/n) sum A^2))
 *   U^M   = (mean S - mean A)^2 / MSE                    bias
 *   U^S   = (s_S - s_A)^2 / MSE                          unequal variation
 *   U^C   = 2 (1 - r) s_S s_A / MSE                      unequal covariation
 *
 * with s_S, s_A the population standard deviations (divided by n) and r
 * the correlation of S and A.  Then U^M + U^S + U^C = 1, because
 * MSE = (mean S - mean A)^2 + (s_S - s_A)^2 + 2 (1 - r) s_S s_A.
 * U is the bounded form of Theil's coefficient: 0 for a perfect fit, 1 at
 * worst (Theil 1966 also uses sqrt(MSE) / sqrt((1/n) sum A^2), which has no
 * upper bound; it is not computed here).  Percent errors are returned as
 * fractions (0.05 is 5 %).
 *
 * Sums run in index order, means and deviations in two passes, so the
 * figures are reproducible bit for bit and accurate far from 0.
 */
#ifndef PLANSIM_FIT_H
#define PLANSIM_FIT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Why some statistics are NaN or were computed from fewer pairs: bits of
   ps_fit.flags.  ps_fit_flag_text() gives each a sentence. */
enum {
    /* No time has both values: everything is NaN. */
    PS_FIT_NO_DATA = 1u << 0,
    /* One pair: MAPE, RMSPE, MSE and U are defined; the decomposition
       (which needs a spread of values) and r are NaN. */
    PS_FIT_ONE_POINT = 1u << 1,
    /* Observed values of 0 were left out of MAPE and RMSPE (the percent
       error of a 0 is undefined); ps_fit.zero_observed says how many. */
    PS_FIT_ZERO_OBSERVED = 1u << 2,
    /* Every observed value is 0: MAPE and RMSPE are NaN. */
    PS_FIT_ALL_ZERO_OBSERVED = 1u << 3,
    /* S equals A at every time: MSE and U are 0, and the decomposition
       (0 / 0) is NaN. */
    PS_FIT_PERFECT = 1u << 4,
    /* One of the series (or both) is constant over the pairs: r is NaN
       (0 / 0), but its term s_S s_A is 0, so U^C = 0 and U^M + U^S = 1. */
    PS_FIT_CONSTANT = 1u << 5,
};

/* The fit of one variable.  Every double is NaN when undefined; `flags`
   says why. */
typedef struct ps_fit {
    size_t n;             /* pairs with both values finite              */
    size_t n_percent;     /* pairs in MAPE and RMSPE (A != 0)           */
    size_t zero_observed; /* pairs left out of them because A == 0      */
    double mape;          /* mean absolute percent error, a fraction    */
    double rmspe;         /* root mean square percent error, a fraction */
    double mse;           /* mean squared error                         */
    double theil_u;       /* Theil's inequality coefficient, in [0, 1]  */
    double um, us, uc;    /* bias, unequal variation and covariation    */
    double mean_sim, mean_obs; /* means of S and A                      */
    double sd_sim, sd_obs;     /* population standard deviations        */
    double r;             /* correlation of S and A                     */
    unsigned flags;       /* PS_FIT_* bits                              */
} ps_fit;

/*
 * Computes the fit of sim[0..n) against obs[0..n) (same times, same
 * order).  Pairs where either value is NaN or infinite are skipped: an
 * observed NaN is a missing observation.  NULL arrays are allowed when n
 * is 0.  Never fails: what cannot be computed is NaN, with its reason in
 * out->flags.
 */
void ps_fit_compute(const double *sim, const double *obs, size_t n,
                    ps_fit *out);

/* A sentence explaining one PS_FIT_* bit ("no time has both a simulated
   and an observed value"); NULL for anything else.  Static storage. */
const char *ps_fit_flag_text(unsigned flag);

#ifdef __cplusplus
}
#endif
#endif
