/*
 * Goodness of fit: percent errors, Theil's coefficient and the
 * decomposition of the mean squared error (see fit.h for the formulas and
 * the sources).
 *
 * Everything is computed from the differences D = S - A and the
 * deviations from the means, in two passes, so that series far from 0
 * (a GDP in the hundreds of billions) lose no digits to cancellation.
 * The unequal covariation is taken as
 *   2 (1 - r) s_S s_A = var(D) - (s_S - s_A)^2
 * (var(D) = s_S^2 + s_A^2 - 2 cov), which needs no division by s_S s_A:
 * it stays defined, and 0, when a series is constant.
 */
#include "plansim/fit.h"

#include <math.h>

static int usable(double s, double a)
{
    return isfinite(s) && isfinite(a);
}

/* Sets every statistic to NaN and the counts to 0. */
static void clear(ps_fit *f)
{
    *f = (ps_fit){0};
    f->mape = f->rmspe = f->mse = f->theil_u = NAN;
    f->um = f->us = f->uc = NAN;
    f->mean_sim = f->mean_obs = f->sd_sim = f->sd_obs = f->r = NAN;
}

/* First pass: counts, means, and the percent errors.  Returns the mean
   difference, summed from the differences themselves: two means of large
   values, subtracted, would lose the digits it is made of. */
static double first_pass(const double *sim, const double *obs, size_t n,
                         ps_fit *f)
{
    double sum_s = 0, sum_a = 0, sum_d = 0, sum_ape = 0, sum_spe = 0;
    for (size_t i = 0; i < n; i++) {
        if (!usable(sim[i], obs[i]))
            continue;
        f->n++;
        sum_s += sim[i];
        sum_a += obs[i];
        sum_d += sim[i] - obs[i];
        if (obs[i] == 0) {
            f->zero_observed++;
            continue;
        }
        double pe = (sim[i] - obs[i]) / obs[i];
        sum_ape += fabs(pe);
        sum_spe += pe * pe;
        f->n_percent++;
    }
    if (f->n == 0)
        return NAN;
    f->mean_sim = sum_s / (double)f->n;
    f->mean_obs = sum_a / (double)f->n;
    if (f->n_percent > 0) {
        f->mape = sum_ape / (double)f->n_percent;
        f->rmspe = sqrt(sum_spe / (double)f->n_percent);
    }
    return sum_d / (double)f->n;
}

void ps_fit_compute(const double *sim, const double *obs, size_t n,
                    ps_fit *f)
{
    clear(f);
    if (!sim || !obs)
        n = 0;
    const double md = first_pass(sim, obs, n, f);
    if (f->n == 0) {
        f->flags |= PS_FIT_NO_DATA;
        return;
    }
    if (f->zero_observed > 0)
        f->flags |= f->n_percent > 0 ? PS_FIT_ZERO_OBSERVED
                                     : PS_FIT_ALL_ZERO_OBSERVED;

    /* Second pass: squared error, mean squares and deviations. */
    const double ms = f->mean_sim, ma = f->mean_obs;
    double sum_d2 = 0, sum_s2 = 0, sum_a2 = 0;
    double ss_s = 0, ss_a = 0, sp = 0, ss_d = 0;
    for (size_t i = 0; i < n; i++) {
        if (!usable(sim[i], obs[i]))
            continue;
        double d = sim[i] - obs[i];
        double ds = sim[i] - ms, da = obs[i] - ma, dd = d - md;
        sum_d2 += d * d;
        sum_s2 += sim[i] * sim[i];
        sum_a2 += obs[i] * obs[i];
        ss_s += ds * ds;
        ss_a += da * da;
        sp += ds * da;
        ss_d += dd * dd;
    }
    const double k = (double)f->n;
    f->mse = sum_d2 / k;
    f->sd_sim = sqrt(ss_s / k);
    f->sd_obs = sqrt(ss_a / k);
    if (f->mse == 0) {
        /* A perfect fit: U is 0 by its meaning even when both series are
           all 0 (where the formula reads 0 / 0); nothing to decompose. */
        f->theil_u = 0;
        f->flags |= PS_FIT_PERFECT;
    } else {
        f->theil_u = sqrt(f->mse) / (sqrt(sum_s2 / k) + sqrt(sum_a2 / k));
    }
    if (f->n == 1) {
        /* One point has no spread: the decomposition would say "all bias"
           by construction, which is no finding. */
        f->flags |= PS_FIT_ONE_POINT;
        return;
    }
    if (f->sd_sim > 0 && f->sd_obs > 0) {
        f->r = sp / k / (f->sd_sim * f->sd_obs);
        /* rounding may step a hair outside [-1, 1] */
        f->r = f->r > 1 ? 1 : f->r < -1 ? -1 : f->r;
    } else {
        f->flags |= PS_FIT_CONSTANT;
    }
    if (f->flags & PS_FIT_PERFECT)
        return;
    double dsd = f->sd_sim - f->sd_obs;
    double cov_part = ss_d / k - dsd * dsd;
    /* 0 <= cov_part in exact arithmetic (Cauchy-Schwarz); rounding may
       leave it a hair below when r is 1 or a series is constant. */
    if (cov_part < 0)
        cov_part = 0;
    f->um = md * md / f->mse;
    f->us = dsd * dsd / f->mse;
    f->uc = cov_part / f->mse;
}

const char *ps_fit_flag_text(unsigned flag)
{
    switch (flag) {
    case PS_FIT_NO_DATA:
        return "no time has both a simulated and an observed value";
    case PS_FIT_ONE_POINT:
        return "one observation: the decomposition U^M, U^S, U^C needs at "
               "least two";
    case PS_FIT_ZERO_OBSERVED:
        return "observed values of 0 left out of MAPE and RMSPE";
    case PS_FIT_ALL_ZERO_OBSERVED:
        return "every observed value is 0: MAPE and RMSPE are undefined";
    case PS_FIT_PERFECT:
        return "simulated equals observed at every time: the error is 0 "
               "and there is nothing to decompose";
    case PS_FIT_CONSTANT:
        return "a series is constant: the correlation is undefined and "
               "U^C is 0";
    default:
        return NULL;
    }
}
