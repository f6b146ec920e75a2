/*
 * Spearman's rank correlation, to measure what a design achieved (the
 * correlation itself is imposed by copula.c).
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/design.h"
#include "plansim/order.h"

/* Midranks (1-based, ties share their average rank) of column j of u. */
static void midranks(const double *u, size_t n, size_t k, size_t j,
                     ps_keyed *order, double *rank)
{
    for (size_t i = 0; i < n; i++) {
        order[i].value = u[i * k + j];
        order[i].index = i;
    }
    ps_keyed_sort(order, n);
    for (size_t p = 0; p < n;) {
        size_t e = p + 1;
        while (e < n && order[e].value == order[p].value)
            e++;
        const double r = 0.5 * (double)(p + 1 + e);
        for (size_t t = p; t < e; t++)
            rank[order[t].index] = r;
        p = e;
    }
}

double ps_design_spearman(const double *u, size_t nruns, size_t k, size_t a,
                          size_t b)
{
    if (!u || nruns < 2 || a >= k || b >= k)
        return NAN;
    for (size_t i = 0; i < nruns; i++)
        if (isnan(u[i * k + a]) || isnan(u[i * k + b]))
            return NAN;
    ps_keyed *order = malloc(nruns * sizeof *order);
    double *ra = malloc(2 * nruns * sizeof *ra);
    if (!order || !ra) {
        free(order);
        free(ra);
        return NAN;
    }
    double *rb = ra + nruns;
    midranks(u, nruns, k, a, order, ra);
    midranks(u, nruns, k, b, order, rb);
    /* Pearson correlation of the ranks; the mean rank is (n + 1) / 2. */
    const double mean = 0.5 * (double)(nruns + 1);
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (size_t i = 0; i < nruns; i++) {
        const double da = ra[i] - mean, db = rb[i] - mean;
        sab += da * db;
        saa += da * da;
        sbb += db * db;
    }
    free(order);
    free(ra);
    return sab / sqrt(saa * sbb);
}
