/*
 * Looking at a box on a PRIM trajectory: the default choice, its
 * members, and the quasi-p-value of each of its limits (Bryant and
 * Lempert 2010, as the EMA Workbench's _calculate_quasi_p).  A run is
 * outside a box on one limit only when it meets every other limit;
 * dropping that limit adds exactly those runs, so one pass over the runs
 * gives every limit's density without it.
 */
#include "prim_impl.h"

#include <math.h>
#include <stdlib.h>

/* Boxes in the order of preference: density, then hits, then index. */
typedef struct rank {
    const ps_prim_box *box;
    size_t index;
} rank;

static int rank_cmp(const void *a, const void *b)
{
    const rank *x = a, *y = b;
    if (x->box->density != y->box->density)
        return x->box->density > y->box->density ? -1 : 1;
    if (x->box->hits != y->box->hits)
        return x->box->hits > y->box->hits ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Is every restriction of box b significant at max_p?  -1 when out of
   memory. */
static int significant(const ps_discover_data *d, const ps_prim_trajectory *t,
                       size_t b, double max_p, double *plo, double *phi)
{
    if (ps_prim_quasi_p(d, t, b, plo, phi, NULL) != PS_OK)
        return -1;
    for (size_t j = 0; j < t->k; j++)
        if (plo[j] > max_p || phi[j] > max_p)
            return 0;
    return 1;
}

ps_status ps_prim_choose(const ps_discover_data *d,
                         const ps_prim_trajectory *t, double min_coverage,
                         double max_p, size_t *box, ps_error *err)
{
    int filter = !(max_p >= 1.0);
    if (!t || !box || (filter && (!d || d->n != t->n || d->k != t->k)))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "ps_prim_choose: missing argument");
    *box = 0;
    rank *r = malloc(t->nboxes * sizeof *r);
    double *plo = malloc(t->k * sizeof *plo);
    double *phi = malloc(t->k * sizeof *phi);
    ps_status st = PS_OK;
    if (!r || !plo || !phi) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    size_t n = 0;
    for (size_t b = 0; b < t->nboxes; b++) {
        double share = (double)t->boxes[b].hits / (double)t->searched_hits;
        if (share >= min_coverage || b == 0)
            r[n++] = (rank){&t->boxes[b], b};
    }
    qsort(r, n, sizeof *r, rank_cmp);
    for (size_t i = 0; i < n; i++) {
        int ok = filter && r[i].box->restricted > 0
                     ? significant(d, t, r[i].index, max_p, plo, phi)
                     : 1;
        if (ok < 0) {
            st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        if (ok) {
            *box = r[i].index;
            break;
        }
    }
done:
    free(r);
    free(plo);
    free(phi);
    return st;
}

int ps_prim_restricts(const ps_prim_trajectory *t, size_t b, size_t j,
                      int upper)
{
    if (b >= t->nboxes || j >= t->k)
        return 0;
    const ps_prim_box *x = &t->boxes[b];
    return upper ? x->hi[j] < t->max[j] : x->lo[j] > t->min[j];
}

void ps_prim_members(const ps_discover_data *d, const ps_prim_trajectory *t,
                     size_t b, unsigned char *in)
{
    const ps_prim_box *x = &t->boxes[b < t->nboxes ? b : 0];
    for (size_t i = 0; i < d->n; i++) {
        int inside = t->active[i];
        for (size_t j = 0; j < d->k && inside; j++) {
            double v = prim_x(d, i, j);
            inside = v >= x->lo[j] && v <= x->hi[j];
        }
        in[i] = (unsigned char)inside;
    }
}

ps_status ps_prim_quasi_p(const ps_discover_data *d,
                          const ps_prim_trajectory *t, size_t b, double *p_lo,
                          double *p_hi, ps_error *err)
{
    if (!t || !d || b >= t->nboxes || d->n != t->n || d->k != t->k)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "box %zu is not on the trajectory", b);
    size_t k = d->k;
    const ps_prim_box *x = &t->boxes[b];
    /* Runs and hits outside the box on one limit only: dropping that
       limit adds exactly them. */
    size_t *runs = calloc(2 * k, sizeof *runs);
    size_t *hits = calloc(2 * k, sizeof *hits);
    if (!runs || !hits) {
        free(runs);
        free(hits);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t in_runs = 0, in_hits = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (!t->active[i])
            continue;
        size_t violations = 0, key = 0;
        for (size_t j = 0; j < k && violations < 2; j++) {
            double v = prim_x(d, i, j);
            if (v < x->lo[j]) {
                violations++;
                key = 2 * j;
            } else if (v > x->hi[j]) {
                violations++;
                key = 2 * j + 1;
            }
        }
        if (violations == 0) {
            in_runs++;
            in_hits += d->y[i];
        } else if (violations == 1) {
            runs[key]++;
            hits[key] += d->y[i];
        }
    }
    for (size_t j = 0; j < k; j++) {
        for (int upper = 0; upper < 2; upper++) {
            double *p = upper ? &p_hi[j] : &p_lo[j];
            *p = NAN;
            if (!ps_prim_restricts(t, b, j, upper))
                continue;
            size_t key = 2 * j + (size_t)upper;
            double density = (double)(in_hits + hits[key]) /
                             (double)(in_runs + runs[key]);
            *p = ps_binomial_upper_tail(in_hits, in_runs, density);
        }
    }
    free(runs);
    free(hits);
    return PS_OK;
}
