/*
 * A distribution prepared for many quantiles: a design's column, drawn
 * block after block.  PERT keeps a table of its beta quantile
 * (beta_table.c) that brings the draw down to about one evaluation of the
 * incomplete beta; the other kinds need nothing beyond ps_dist_quantiles.
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/dist.h"
#include "sample_impl.h"

struct ps_dist_sampler {
    ps_dist dist;
    ps__beta_table *beta; /* PERT's table, or NULL */
};

void ps_dist_sampler_free(ps_dist_sampler **s)
{
    if (!s || !*s)
        return;
    ps_dist_clear(&(*s)->dist);
    free((*s)->beta);
    free(*s);
    *s = NULL;
}

ps_dist_sampler *ps_dist_sampler_new(const ps_dist *d)
{
    ps_dist_sampler *s = calloc(1, sizeof *s);
    if (!s || !d || ps_dist_copy(&s->dist, d) != 0) {
        free(s);
        return NULL;
    }
    if (d->kind == PS_DIST_PERT) {
        s->beta = malloc(sizeof *s->beta);
        if (!s->beta) {
            ps_dist_sampler_free(&s);
            return NULL;
        }
        double a, b;
        ps__pert_shape(d->p, &a, &b);
        ps__beta_table_init(s->beta, a, b);
    }
    return s;
}

void ps_dist_sampler_quantiles(const ps_dist_sampler *s, double *u,
                               size_t count, size_t stride)
{
    if (!s->beta) {
        ps_dist_quantiles(&s->dist, u, count, stride);
        return;
    }
    const double *p = s->dist.p;
    for (size_t i = 0; i < count; i++) {
        double *v = u + i * stride;
        if (*v > 0.0 && *v < 1.0)
            *v = fmin(fmax(p[0] + (p[2] - p[0]) *
                                      ps__beta_table_quantile(s->beta, *v),
                           p[0]),
                      p[2]);
        else
            *v = ps_dist_quantile(&s->dist, *v);
    }
}
