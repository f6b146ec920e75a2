/*
 * Axis ticks on 1-2-5 steps (1, 2, 5, 10, 20, 50, ...): the steps people
 * read at a glance, as in every plotting library since Heckbert's "nice
 * numbers".
 */
#include "plansim_output/report.h"

#include <math.h>

/* 10^e for the exponents an axis needs (exact up to 10^22). */
static double pow10i(int e)
{
    double p = 1.0;
    for (int i = 0; i < (e < 0 ? -e : e); i++)
        p *= 10.0;
    return e < 0 ? 1.0 / p : p;
}

double ps_report_tick(const ps_report_ticks *t, size_t i)
{
    double k = (double)(t->first + (long long)i) * t->mantissa;
    /* Dividing by an exact power of ten rounds once: 3 / 10 is the double
       nearest 0.3, while 3 * 0.1 is not. */
    return t->exponent >= 0 ? k * pow10i(t->exponent)
                            : k / pow10i(-t->exponent);
}

int ps_report_nice_ticks(double lo, double hi, size_t max_intervals,
                         ps_report_ticks *out)
{
    if (!isfinite(lo) || !isfinite(hi) || max_intervals == 0)
        return -1;
    if (lo > hi) {
        double t = lo;
        lo = hi;
        hi = t;
    }
    if (!isfinite(hi - lo))
        return -1;
    /* A range too narrow to print apart (a constant series) is widened. */
    if (hi - lo <= 1e-9 * fmax(fabs(lo), fabs(hi))) {
        double mid = lo / 2 + hi / 2;
        double pad = mid != 0.0 ? 0.1 * fabs(mid) : 1.0;
        lo = mid - pad;
        hi = mid + pad;
    }
    static const int mantissas[3] = {1, 2, 5};
    /* Start one decade below the step that would fit exactly: log10 and
       floor may round either way. */
    int e = (int)floor(log10((hi - lo) / (double)max_intervals)) - 1;
    for (;; e++) {
        for (int m = 0; m < 3; m++) {
            double step = mantissas[m] * pow10i(e);
            if (!(step > 0.0)) /* below the smallest normal double */
                continue;
            /* A bound within rounding of a multiple is that multiple. */
            double k0 = floor(lo / step + 1e-7), k1 = ceil(hi / step - 1e-7);
            if (k1 <= k0)
                k1 = k0 + 1;
            if (k1 - k0 <= (double)max_intervals) {
                out->first = (long long)k0;
                out->intervals = (size_t)(k1 - k0);
                out->mantissa = mantissas[m];
                out->exponent = e;
                out->step = step;
                out->decimals = e < 0 ? -e : 0;
                return 0;
            }
        }
    }
}
