/*
 * plansim output: the one rounding rule for probabilities people read.
 *
 * A probability is rounded to three decimals (0.397), or equally to one
 * decimal of a percentage (39.7%), half away from zero on its decimal
 * value: the shortest decimal text that reads back as the same double
 * (0.3965, not 0.39649999...) is rounded, so 0.3965 shows as 0.397 and
 * 39.7%.  The terminal's tables (plansim run, plansim summary) and the
 * report both print through ps_prob_text, so they always agree.
 */
#ifndef PLANSIM_OUTPUT_PROB_TEXT_H
#define PLANSIM_OUTPUT_PROB_TEXT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_prob_style {
    PS_PROB_DECIMAL, /* "0.397" */
    PS_PROB_PERCENT  /* "39.7%" */
} ps_prob_style;

/* p by the rule above into buf[size]; "n/a" for NaN or infinity.  Also
   for any value of the same kind (an interval's end).  Returns buf. */
char *ps_prob_text(double p, ps_prob_style style, char *buf, size_t size);

/* p rounded by the rule above, in thousandths (0.3965 -> 397). */
long long ps_prob_thousandths(double p);

#ifdef __cplusplus
}
#endif
#endif
