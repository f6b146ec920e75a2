/*
 * plansim-bench: the generated ~2,000-equation model.
 *
 * GEN2000_SECTORS sectors of 10 equations each, linked through the
 * regional output (the sum of every sector's output) and through two
 * suppliers per sector, with three stocks per sector (capital, workforce,
 * the hidden stock of a SMOOTH), a shared lookup per quarter of the
 * sectors and an IF THEN ELSE.  For sector s ("s007"):
 *
 *   s capital           = INTEG(s investment - s capital * delta, k0)
 *   s workforce         = INTEG(s hiring, l0)
 *   s output            = tfp * s capital ^ alpha * s workforce ^ beta
 *   s demand            = share * regional output * regional growth
 *                         + a * <prev> output + b * <link> output
 *   s expected demand   = SMOOTH(s demand, tau)
 *   s capacity pressure = s expected demand / s output
 *   s investment effect = pressure effect <k>(s capacity pressure)
 *   s investment        = iota * s output * s investment effect
 *   s desired workforce = s workforce * IF THEN ELSE(s capacity pressure
 *                         > 1.2, 1.2, MAX(0.8, s capacity pressure))
 *   s hiring            = (s desired workforce - s workforce) / hire time
 *
 * plus "regional output" and "regional growth" = EXP(0.02 * (Time -
 * INITIAL TIME)).  The parameters come from a fixed-seed generator,
 * rounded to a few decimals so the text states them exactly.  They are
 * written as numbers, not named constants, so the units fields are labels
 * for the reader: `plansim check --units` does not pass on this model.
 */
#ifndef PLANSIM_BENCH_GEN2000_H
#define PLANSIM_BENCH_GEN2000_H

#include <stddef.h>

#define GEN2000_INITIAL_TIME 2025.0
#define GEN2000_FINAL_TIME 2035.0
#define GEN2000_TIME_STEP 0.25
#define GEN2000_REGIONAL_GROWTH 0.02

/* The shared lookups "pressure effect 0" .. "pressure effect 3". */
#define GEN2000_TABLES 4
#define GEN2000_TABLE_POINTS 6
extern const double gen2000_table_x[GEN2000_TABLE_POINTS];
extern const double gen2000_table_y[GEN2000_TABLES][GEN2000_TABLE_POINTS];

typedef struct gen_sector {
    double tfp, alpha, beta; /* output = tfp * K^alpha * L^beta          */
    double delta;            /* depreciation rate                        */
    double k0, l0;           /* initial capital and workforce            */
    double share;            /* share of regional output demanded        */
    double a, b;             /* demand from the two supplier links       */
    size_t prev, link;       /* the sectors those links read             */
    double tau;              /* demand smoothing time                    */
    size_t table;            /* which pressure effect lookup             */
    double iota;             /* investment per unit of output            */
    double hire_time;
} gen_sector;

/* Sectors of the generated model: 10 equations each. */
#define GEN2000_SECTORS 200

/* The parameters of every sector into s[0..n); always the same for the
   same n (n >= 3). */
void gen2000_parameters(gen_sector *s, size_t n);

/*
 * Writes the .mdl text of the model (GEN2000_SECTORS sectors) into a new
 * NUL-terminated buffer: *text (the caller frees it) of *len bytes.  The
 * text and the native twin take their parameters from
 * gen2000_parameters(), so both always describe the same model.  Returns
 * 0, or -1 on no memory.
 */
int gen2000_text(char **text, size_t *len);

#endif
