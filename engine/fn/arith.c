/*
 * Vensim's arithmetic builtins: XIDZ, ZIDZ, MODULO, QUANTUM, INTEGER, LOG,
 * POWER (Vensim Reference Manual, "Mathematical and Numeric Functions").
 */
#include "plansim/fn.h"

#include <math.h>

double ps_fn_xidz(double a, double b, double x)
{
    /* Vensim tests |b| against 1e-6, not against 0 ("Both XIDZ and ZIDZ
       actually test the absolute value of B against a small number"). */
    return fabs(b) < PS_FN_ZIDZ_EPSILON ? x : a / b;
}

double ps_fn_zidz(double a, double b)
{
    return fabs(b) < PS_FN_ZIDZ_EPSILON ? 0.0 : a / b;
}

double ps_fn_quantum(double a, double q)
{
    if (isnan(q))
        return NAN;
    return q <= 0.0 ? a : q * trunc(a / q);
}

double ps_fn_modulo(double a, double b)
{
    /* Vensim documents MODULO both as A - QUANTUM(A,B) and as C's remainder
       ((a/b)*b + a%b = a).  The two agree for b > 0, where fmod gives the
       exact remainder; for b <= 0 QUANTUM returns a, so MODULO is 0. */
    if (isnan(a) || isnan(b))
        return NAN;
    return b > 0.0 ? fmod(a, b) : 0.0;
}

double ps_fn_integer(double x)
{
    return trunc(x);
}

double ps_fn_log(double x, double base)
{
    return log(x) / log(base);
}

double ps_fn_power(double a, double b)
{
    /* Vensim computes integer powers exactly and others as EXP(b*LN(a)):
       both are pow() up to rounding, except that C's pow answers 1 for
       pow(1, NaN) and pow(NaN, 0), where the model has a NaN to report. */
    if (isnan(a) || isnan(b))
        return NAN;
    return pow(a, b);
}
