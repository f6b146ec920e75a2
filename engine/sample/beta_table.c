/*
 * A beta quantile for many draws of one shape: a table of the quantile
 * gives a first guess so close that one Halley step (one evaluation of
 * the incomplete beta) is nearly always the last, where the analytic
 * guess of pert.c needs three or four.  The answer still comes from the
 * Halley iteration of pert.c, on the incomplete beta of beta_cdf.c, so it
 * is as accurate as ps__beta_quantile's; only the path to it, and with it
 * the last bit or two, differ.
 *
 * Each half of (0, 1) has its own table: u <= 1/2 in Beta(a, b) and
 * 1 - u < 1/2 in Beta(b, a).  Near 0, x(u) ~ (u a B(a, b))^(1/a) has no
 * Taylor series in u, but it has one in t = u^(1/a), so the table is laid
 * on a uniform grid of t in [0, 2^(-1/a)], with x and dx/dt at each node
 * and cubic Hermite interpolation between them.
 */
#include <math.h>

#include "sample_impl.h"

/* The density of Beta(a, b) at x in (0, 1). */
static double density(double x, double a, double b, double lnbeta)
{
    return exp((a - 1.0) * log(x) + (b - 1.0) * log1p(-x) - lnbeta);
}

static void half_init(ps__beta_half *h, const ps__beta_shape *s, int upper)
{
    const double a = upper ? s->b : s->a, b = upper ? s->a : s->b;
    const double lnbeta = upper ? s->lnbeta_ba : s->lnbeta_ab;
    const double log_a = upper ? s->log_b : s->log_a;
    h->inv_a = 1.0 / a;
    const double t_max = exp(-M_LN2 / a);
    h->step = t_max / PS_BETA_TABLE_CELLS;
    h->inv_step = PS_BETA_TABLE_CELLS / t_max;
    /* At t = 0: x = 0 and dx/dt = (a B(a, b))^(1/a). */
    h->x[0] = 0.0;
    h->dx[0] = exp((log_a + lnbeta) / a);
    for (int i = 1; i <= PS_BETA_TABLE_CELLS; i++) {
        const double t = i * h->step, u = exp(a * log(t));
        const double x = ps__beta_lower_quantile_from(s, upper, u, NAN);
        h->x[i] = x;
        /* dx/dt = (du/dt) / pdf(x) = a t^(a - 1) / pdf(x). */
        h->dx[i] = a * exp((a - 1.0) * log(t)) / density(x, a, b, lnbeta);
    }
}

void ps__beta_table_init(ps__beta_table *t, double a, double b)
{
    ps__beta_shape_init(&t->shape, a, b);
    half_init(&t->half[0], &t->shape, 0);
    half_init(&t->half[1], &t->shape, 1);
}

/* The table's guess of the u-quantile of its half, u in (0, 1/2]. */
static double guess(const ps__beta_half *h, double u)
{
    const double t = h->inv_a == 1.0 ? u : exp(log(u) * h->inv_a);
    const double pos = t * h->inv_step;
    int i = (int)pos;
    if (i >= PS_BETA_TABLE_CELLS)
        i = PS_BETA_TABLE_CELLS - 1;
    const double s = pos - i, r = 1.0 - s;
    /* Cubic Hermite on [t_i, t_i+1]. */
    return (1.0 + 2.0 * s) * r * r * h->x[i] + s * r * r * h->step * h->dx[i] +
           s * s * (3.0 - 2.0 * s) * h->x[i + 1] -
           s * s * r * h->step * h->dx[i + 1];
}

double ps__beta_table_quantile(const ps__beta_table *t, double u)
{
    if (!(u > 0.0))
        return 0.0;
    if (!(u < 1.0))
        return 1.0;
    if (u > 0.5) {
        const double v = 1.0 - u;
        return 1.0 - ps__beta_lower_quantile_from(&t->shape, 1, v,
                                                  guess(&t->half[1], v));
    }
    return ps__beta_lower_quantile_from(&t->shape, 0, u, guess(&t->half[0], u));
}
