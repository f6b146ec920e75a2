/*
 * The rounding rule for probabilities (plansim_output/prob_text.h).
 */
#include "plansim_output/prob_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long long ps_prob_thousandths(double p)
{
    /* The shortest "%.*e" text that reads back as p: its digits and
       exponent are p's decimal value. */
    char buf[64];
    double a = fabs(p);
    if (a == 0)
        return 0;
    for (int prec = 0; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec, a);
        if (strtod(buf, NULL) == a)
            break;
    }
    char digits[32];
    size_t n = 0;
    const char *c = buf;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9' && n + 1 < sizeof digits)
            digits[n++] = *c;
    int e = *c == 'e' ? atoi(c + 1) : 0;
    /* a * 1000 = 0.DIGITS x 10^(e + 4): k digits before the point. */
    long k = (long)e + 4;
    long long m = 0;
    if (k > 18)
        return p < 0 ? -(long long)1e18 : (long long)1e18;
    for (long i = 0; i < k; i++)
        m = 10 * m + (i < (long)n ? digits[i] - '0' : 0);
    if (k >= 0 && k < (long)n && digits[k] >= '5')
        m++; /* half away from zero: on the magnitude */
    return p < 0 ? -m : m;
}

char *ps_prob_text(double p, ps_prob_style style, char *buf, size_t size)
{
    if (!isfinite(p)) {
        snprintf(buf, size, "n/a");
        return buf;
    }
    long long m = ps_prob_thousandths(p);
    const char *sign = m < 0 ? "-" : "";
    long long u = m < 0 ? -m : m;
    if (style == PS_PROB_PERCENT)
        snprintf(buf, size, "%s%lld.%lld%%", sign, u / 10, u % 10);
    else
        snprintf(buf, size, "%s%lld.%03lld", sign, u / 1000, u % 1000);
    return buf;
}
