/*
 * Test functions with known sensitivity indices, computed in C, and a
 * helper that runs one over a whole design.  Analytic values: Ishigami
 * from the formulas of OpenTURNS' ishigami_function.py, the Sobol'
 * G-function from SALib's Sobol_G.py (sensitivity_index,
 * total_sensitivity_index).
 */
#ifndef SENS_FUNCTIONS_H
#define SENS_FUNCTIONS_H

#include <math.h>
#include <stdlib.h>

#include "plansim/sensitivity.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* SALib's regression tolerances (tests/test_sobol.py). */
#define SALIB_ATOL 5e-2
#define SALIB_RTOL 1e-1

/* A model: the output of one point, x[0..k) in the unit cube. */
typedef double (*unit_function)(const double *u, size_t k, const void *ctx);

/* Runs f at every run of design d; returns y[runs] (caller frees). */
static inline double *run_design(const ps_sens_design *d, unit_function f,
                                 const void *ctx)
{
    size_t runs = ps_sens_design_runs(d), dim = d->ninputs;
    double *u = malloc(runs * dim * sizeof *u);
    double *y = malloc(runs * sizeof *y);
    if (!u || !y || ps_sens_design_fill(d, 0, runs, u, NULL) != PS_OK) {
        free(u);
        free(y);
        return NULL;
    }
    for (size_t r = 0; r < runs; r++)
        y[r] = f(u + r * dim, dim, ctx);
    free(u);
    return y;
}

/* ---- Ishigami: sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi) --- */

typedef struct ishigami {
    double a, b;
} ishigami;

static inline double ishigami_f(const double *u, size_t k, const void *ctx)
{
    (void)k;
    const ishigami *p = ctx;
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1];
    double x3 = -M_PI + 2 * M_PI * u[2];
    double s2 = sin(x2);
    return sin(x1) + p->a * s2 * s2 + p->b * pow(x3, 4) * sin(x1);
}

/* S1[3], ST[3] and S13 of the Ishigami function. */
static inline void ishigami_indices(const ishigami *p, double s1[3],
                                    double st[3], double *s13)
{
    double a = p->a, b = p->b, pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
    double v = 0.5 + a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18;
    double v1 = 0.5 + b * pi4 / 5 + b * b * pi8 / 50, v2 = a * a / 8;
    double v13 = b * b * pi8 / 2 * (1.0 / 9 - 1.0 / 25);
    s1[0] = v1 / v;
    s1[1] = v2 / v;
    s1[2] = 0;
    st[0] = (v1 + v13) / v;
    st[1] = v2 / v;
    st[2] = v13 / v;
    *s13 = v13 / v;
}

/* ---- Sobol' G: prod (|4 x_i - 2| + a_i) / (1 + a_i), x_i ~ U(0, 1) ---- */

typedef struct gfun {
    size_t k;
    const double *a;
} gfun;

static inline double gfun_f(const double *u, size_t k, const void *ctx)
{
    const gfun *p = ctx;
    double g = 1;
    for (size_t i = 0; i < k; i++)
        g *= (fabs(4 * u[i] - 2) + p->a[i]) / (1 + p->a[i]);
    return g;
}

/* S1[k] and ST[k] of the G-function. */
static inline void gfun_indices(const gfun *p, double *s1, double *st)
{
    double vi[32], prod = 1;
    for (size_t i = 0; i < p->k; i++) {
        vi[i] = 1 / (3 * (1 + p->a[i]) * (1 + p->a[i]));
        prod *= 1 + vi[i];
    }
    double v = prod - 1;
    for (size_t i = 0; i < p->k; i++) {
        s1[i] = vi[i] / v;
        st[i] = vi[i] * (prod / (1 + vi[i])) / v;
    }
}

/* ---- linear: sum c_i x_i, x_i ~ U(lo_i, hi_i) ------------------------- */

typedef struct linear {
    size_t k;
    const double *c, *lo, *hi;
} linear;

static inline double linear_f(const double *u, size_t k, const void *ctx)
{
    const linear *p = ctx;
    double y = 0;
    for (size_t i = 0; i < k; i++)
        y += p->c[i] * (p->lo[i] + (p->hi[i] - p->lo[i]) * u[i]);
    return y;
}

#endif
