/*
 * Morris elementary effects: random trajectories on a p-level grid and
 * the measures mu, mu* and sigma, with a bootstrap interval of mu* over
 * trajectories.
 *
 * A trajectory (Morris 1991, the randomised B* of his section 3) starts
 * at a random point of the grid's lower half, level l_j in [0, p/2) for
 * each input, and moves each factor once, in a random order, by
 * delta = p / (2 (p - 1)), i.e. p/2 levels; a factor moving "down" starts
 * at l_j + p/2 and ends at l_j.  The inputs of a group move together, in
 * one direction.  Level L is the point L / (p - 1) of the unit cube, as
 * in SALib; ps_sens_quantile turns it into a value.
 *
 * Reference: M. D. Morris, "Factorial sampling plans for preliminary
 * computational experiments", Technometrics 33 (1991) 161-174; F.
 * Campolongo, J. Cariboni, A. Saltelli, "An effective screening design
 * for sensitivity analysis of large models", Environmental Modelling &
 * Software 22 (2007) 1509-1518 (mu*, and groups).
 */
#include <math.h>
#include <stdlib.h>

#include "plansim/rng.h"
#include "sens_impl.h"

/* The random parts of trajectory t. */
typedef struct trajectory {
    size_t *order;     /* [k]: the factor moved at step s + 1           */
    size_t *step;      /* [k]: the step at which factor g moves (1..k)  */
    signed char *dir;  /* [k]: +1 up, -1 down                           */
} trajectory;

static int trajectory_alloc(trajectory *tr, size_t k)
{
    tr->order = malloc(k * sizeof *tr->order);
    tr->step = malloc(k * sizeof *tr->step);
    tr->dir = malloc(k);
    return tr->order && tr->step && tr->dir ? 0 : -1;
}

static void trajectory_free(trajectory *tr)
{
    free(tr->order);
    free(tr->step);
    free(tr->dir);
}

/* Order (Fisher-Yates) and directions of trajectory t. */
static void trajectory_make(const ps_sens_design *d, size_t t, trajectory *tr)
{
    size_t k = d->nfactors;
    ps_rng_address order = {d->seed, t,
                            PS_SENS_STREAM + SENS_STREAM_MORRIS_ORDER};
    ps_rng_address dir = {d->seed, t, PS_SENS_STREAM + SENS_STREAM_MORRIS_DIR};
    for (size_t g = 0; g < k; g++)
        tr->order[g] = g;
    for (size_t i = k - 1; i > 0; i--) {
        size_t j = (size_t)(ps_rng_uniform(&order, i) * (double)(i + 1));
        if (j > i)
            j = i;
        size_t x = tr->order[i];
        tr->order[i] = tr->order[j];
        tr->order[j] = x;
    }
    for (size_t s = 0; s < k; s++)
        tr->step[tr->order[s]] = s + 1;
    for (size_t g = 0; g < k; g++)
        tr->dir[g] = ps_rng_uniform(&dir, g) < 0.5 ? -1 : 1;
}

ps_status sens_morris_fill(const ps_sens_design *d, size_t first, size_t count,
                           double *u, ps_error *err)
{
    size_t k = d->nfactors, dim = d->ninputs, half = d->levels / 2;
    double p = (double)d->levels;
    trajectory tr;
    if (trajectory_alloc(&tr, k) < 0) {
        trajectory_free(&tr);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t made = (size_t)-1; /* the trajectory in tr */
    for (size_t r = 0; r < count; r++) {
        size_t t = (first + r) / (k + 1), point = (first + r) % (k + 1);
        if (t != made) {
            trajectory_make(d, t, &tr);
            made = t;
        }
        ps_rng_address base = {d->seed, t,
                               PS_SENS_STREAM + SENS_STREAM_MORRIS_BASE};
        for (size_t j = 0; j < dim; j++) {
            size_t g = sens_factor(d, j);
            size_t level = (size_t)(ps_rng_uniform(&base, j) * (double)half);
            if (level >= half)
                level = half - 1;
            int moved = tr.step[g] <= point;
            /* Up: from l to l + p/2; down: from l + p/2 to l. */
            if (moved == (tr.dir[g] > 0))
                level += half;
            u[r * dim + j] = (double)level / (p - 1);
        }
    }
    trajectory_free(&tr);
    return PS_OK;
}

/* The elementary effects ee[g * used + t] of the complete trajectories;
   *used gets their number. */
static ps_status effects(const ps_sens_design *d, const double *y, double *ee,
                         size_t *used, int *constant, ps_error *err)
{
    size_t k = d->nfactors, r = d->trajectories;
    double delta = (double)d->levels / (2.0 * (d->levels - 1));
    trajectory tr;
    if (trajectory_alloc(&tr, k) < 0) {
        trajectory_free(&tr);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    size_t n = 0;
    double first = NAN;
    *constant = 1;
    /* First pass: count the complete trajectories (ee is laid out by
       factor, so their number is needed first). */
    for (size_t t = 0; t < r; t++) {
        const double *yt = y + t * (k + 1);
        size_t l = 0;
        while (l <= k && isfinite(yt[l]))
            l++;
        if (l > k)
            n++;
    }
    size_t i = 0;
    for (size_t t = 0; t < r && n > 0; t++) {
        const double *yt = y + t * (k + 1);
        size_t l = 0;
        while (l <= k && isfinite(yt[l]))
            l++;
        if (l <= k)
            continue;
        trajectory_make(d, t, &tr);
        for (size_t s = 1; s <= k; s++) {
            size_t g = tr.order[s - 1];
            /* The factor moved by dir * delta in the unit cube. */
            ee[g * n + i] = (yt[s] - yt[s - 1]) / ((double)tr.dir[g] * delta);
        }
        for (l = 0; l <= k; l++) {
            if (isnan(first))
                first = yt[l];
            else if (yt[l] != first)
                *constant = 0;
        }
        i++;
    }
    trajectory_free(&tr);
    *used = n;
    if (n == 0)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "none of the %zu trajectories has finite "
                            "outputs",
                            r);
    return PS_OK;
}

/* mu* of factor g over trajectories idx[0..n) (all when NULL). */
static double mean_abs(const double *e, size_t n, const size_t *idx)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += fabs(e[idx ? idx[i] : i]);
    return s / (double)n;
}

ps_status ps_sens_morris(const ps_sens_design *d, const double *y,
                         size_t nboot, double level, ps_sens_morris_index *out,
                         ps_sens_info *info, ps_error *err)
{
    if (!d || d->method != PS_SENS_MORRIS)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "not a Morris design");
    if (!(level > 0 && level < 1))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "confidence level %g is not between 0 and 1",
                            level);
    size_t k = d->nfactors, r = d->trajectories, n = 0;
    int constant = 0;
    double *ee = malloc(k * r * sizeof *ee);
    double *boot = malloc((nboot ? nboot : 1) * sizeof *boot);
    double *scratch = malloc((nboot ? nboot : 1) * sizeof *scratch);
    size_t *idx = malloc(r * sizeof *idx);
    ps_status st = PS_OK;
    if (!ee || !boot || !scratch || !idx)
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == PS_OK)
        st = effects(d, y, ee, &n, &constant, err);
    if (info)
        *info = (ps_sens_info){n, r, st == PS_OK && constant, NAN};
    for (size_t g = 0; g < k && st == PS_OK; g++) {
        const double *e = ee + g * n;
        double mean = 0;
        for (size_t i = 0; i < n; i++)
            mean += e[i];
        mean /= (double)n;
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (e[i] - mean) * (e[i] - mean);
        ps_sens_morris_index *o = &out[g];
        o->mu = mean;
        o->mu_star = mean_abs(e, n, NULL);
        o->sigma = n > 1 ? sqrt(ss / (double)(n - 1)) : NAN;
        o->mu_star_low = o->mu_star_high = o->mu_star_conf = NAN;
        if (nboot == 0)
            continue;
        for (size_t b = 0; b < nboot; b++) {
            sens_resample(d->seed, b, n, idx);
            boot[b] = mean_abs(e, n, idx);
        }
        sens_interval(boot, nboot, level, &o->mu_star_low, &o->mu_star_high,
                      &o->mu_star_conf, scratch);
    }
    free(ee);
    free(boot);
    free(scratch);
    free(idx);
    return st;
}
