/*
 * Sobol' indices: the Saltelli design and the estimators SALib uses
 * (SALib analyze/sobol.py): Saltelli et al. 2010 for the first order,
 * Jansen 1999 for the total order, on the standardised output, with a
 * bootstrap over base rows.
 *
 * References: A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto,
 * S. Tarantola, "Variance based sensitivity analysis of model output.
 * Design and estimator for the total sensitivity index", Computer Physics
 * Communications 181 (2010) 259-270; M. J. W. Jansen, "Analysis of
 * variance designs for model output", Computer Physics Communications 117
 * (1999) 35-43.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/design.h"
#include "sens_impl.h"

ps_status sens_saltelli_fill(const ps_sens_design *d, size_t first,
                             size_t count, double *u, ps_error *err)
{
    size_t dim = d->ninputs, kk = d->nfactors + 2;
    size_t b0 = first / kk, nb = (first + count - 1) / kk - b0 + 1;
    double *ab = malloc(nb * 2 * dim * sizeof *ab);
    if (!ab)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory for %zu Sobol' points", nb);
    /* One sequence of 2d dimensions: A and B must not be two stretches
       of one d-dimensional sequence, or the estimates are garbage. */
    ps_status st = ps_design_fill(PS_DESIGN_SOBOL, d->seed, d->samples,
                                  2 * dim, b0, nb, ab, err);
    for (size_t r = 0; r < count && st == PS_OK; r++) {
        size_t i = (first + r) / kk, m = (first + r) % kk;
        const double *a = ab + (i - b0) * 2 * dim, *b = a + dim;
        double *row = u + r * dim;
        if (m == 0) {
            memcpy(row, a, dim * sizeof *row);
        } else if (m == kk - 1) {
            memcpy(row, b, dim * sizeof *row);
        } else {
            for (size_t j = 0; j < dim; j++)
                row[j] = sens_factor(d, j) == m - 1 ? b[j] : a[j];
        }
    }
    free(ab);
    return st;
}

/* The standardised outputs of the complete base rows, column by column:
   a[n], b[n], ab[k][n]. */
typedef struct columns {
    size_t n, k;
    double *a, *b, *ab;
} columns;

/*
 * S1 and ST of every factor over rows idx[0..n) of the columns (rows
 * 0..n-1 when idx is NULL).  Sums run in row order: the same rows give
 * the same bits.
 */
static void estimate(const columns *c, const size_t *idx, double *s1,
                     double *st)
{
    size_t n = c->n;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = idx ? idx[i] : i;
        sum += c->a[r] + c->b[r];
    }
    double mean = sum / (double)(2 * n), ss = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = idx ? idx[i] : i;
        double ea = c->a[r] - mean, eb = c->b[r] - mean;
        ss += ea * ea + eb * eb;
    }
    double var = ss / (double)(2 * n); /* var([A; B]), population */
    for (size_t g = 0; g < c->k; g++) {
        const double *abg = c->ab + g * n;
        double first = 0, total = 0;
        for (size_t i = 0; i < n; i++) {
            size_t r = idx ? idx[i] : i;
            double e = c->a[r] - abg[r];
            first += c->b[r] * (abg[r] - c->a[r]);
            total += e * e;
        }
        s1[g] = first / (double)n / var;
        st[g] = 0.5 * total / (double)n / var;
    }
}

/* Keeps the base rows whose k + 2 outputs are all finite and
   standardises them over all their values, as SALib standardises Y.
   Sets *constant when they do not vary. */
static ps_status gather(const ps_sens_design *d, const double *y, columns *c,
                        int *constant, ps_error *err)
{
    size_t n = d->samples, k = d->nfactors, kk = k + 2;
    size_t *rows = malloc(n * sizeof *rows);
    if (!rows)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        while (m < kk && isfinite(y[i * kk + m]))
            m++;
        if (m == kk)
            rows[used++] = i;
    }
    c->n = used;
    c->k = k;
    if (used < 2) {
        free(rows);
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "%zu of %zu base rows have finite outputs: at "
                            "least 2 are needed",
                            used, n);
    }
    double sum = 0, ss = 0;
    for (size_t i = 0; i < used; i++)
        for (size_t m = 0; m < kk; m++)
            sum += y[rows[i] * kk + m];
    double mean = sum / (double)(used * kk);
    for (size_t i = 0; i < used; i++)
        for (size_t m = 0; m < kk; m++) {
            double e = y[rows[i] * kk + m] - mean;
            ss += e * e;
        }
    double sd = sqrt(ss / (double)(used * kk));
    /* Every value equal: sd is exactly 0 (each deviation is 0). */
    *constant = !(sd > 0);
    c->a = malloc(used * sizeof *c->a);
    c->b = malloc(used * sizeof *c->b);
    c->ab = malloc(used * k * sizeof *c->ab);
    if (!c->a || !c->b || !c->ab) {
        free(rows);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    double scale = *constant ? 1 : sd;
    for (size_t i = 0; i < used; i++) {
        const double *row = y + rows[i] * kk;
        c->a[i] = (row[0] - mean) / scale;
        c->b[i] = (row[kk - 1] - mean) / scale;
        for (size_t g = 0; g < k; g++)
            c->ab[g * used + i] = (row[1 + g] - mean) / scale;
    }
    free(rows);
    return PS_OK;
}

/* Bootstrap intervals of S1 and ST into out[]. */
static ps_status bootstrap(const ps_sens_design *d, const columns *c,
                           size_t nboot, double level, ps_sens_sobol_index *out,
                           ps_error *err)
{
    size_t k = c->k;
    double *s1 = malloc(k * nboot * sizeof *s1);
    double *st = malloc(k * nboot * sizeof *st);
    double *row1 = malloc(k * sizeof *row1), *rowt = malloc(k * sizeof *rowt);
    double *scratch = malloc(nboot * sizeof *scratch);
    size_t *idx = malloc(c->n * sizeof *idx);
    ps_status status = PS_OK;
    if (!s1 || !st || !row1 || !rowt || !scratch || !idx) {
        status = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t b = 0; b < nboot; b++) {
        sens_resample(d->seed, b, c->n, idx);
        estimate(c, idx, row1, rowt);
        for (size_t g = 0; g < k; g++) {
            s1[g * nboot + b] = row1[g];
            st[g * nboot + b] = rowt[g];
        }
    }
    for (size_t g = 0; g < k; g++) {
        sens_interval(s1 + g * nboot, nboot, level, &out[g].s1_low,
                      &out[g].s1_high, &out[g].s1_conf, scratch);
        sens_interval(st + g * nboot, nboot, level, &out[g].st_low,
                      &out[g].st_high, &out[g].st_conf, scratch);
    }
done:
    free(s1);
    free(st);
    free(row1);
    free(rowt);
    free(scratch);
    free(idx);
    return status;
}

ps_status ps_sens_sobol(const ps_sens_design *d, const double *y, size_t nboot,
                        double level, ps_sens_sobol_index *out,
                        ps_sens_info *info, ps_error *err)
{
    if (!d || d->method != PS_SENS_SOBOL)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "not a Sobol' design");
    if (!(level > 0 && level < 1))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "confidence level %g is not between 0 and 1",
                            level);
    size_t k = d->nfactors;
    columns c = {0};
    int constant = 0;
    ps_status st = gather(d, y, &c, &constant, err);
    if (info)
        *info = (ps_sens_info){c.n, d->samples, constant, NAN};
    double *s1 = NULL, *tot = NULL;
    if (st != PS_OK)
        goto done;
    if (constant) {
        /* SALib's rule: a constant output has no variance to share out. */
        for (size_t g = 0; g < k; g++)
            out[g] = (ps_sens_sobol_index){0, 0, 0, 0, 0, 0, 0, 0};
        goto done;
    }
    s1 = malloc(k * sizeof *s1);
    tot = malloc(k * sizeof *tot);
    if (!s1 || !tot) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    estimate(&c, NULL, s1, tot);
    for (size_t g = 0; g < k; g++)
        out[g] = (ps_sens_sobol_index){s1[g], NAN, NAN, NAN,
                                       tot[g], NAN, NAN, NAN};
    if (nboot > 0)
        st = bootstrap(d, &c, nboot, level, out, err);
done:
    free(s1);
    free(tot);
    free(c.a);
    free(c.b);
    free(c.ab);
    return st;
}
