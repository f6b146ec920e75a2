/*
 * The estimators over every output, and the factors ranked: the results
 * as the file writer and the printer take them.
 */
#include "plansim_study/sensitivity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Confidence level of the bootstrap intervals. */
#define SENS_LEVEL 0.95

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* Points the method's measures into the block of 8 arrays. */
static void assign(ps_h5_sensitivity *h, ps_sens_method method,
                   double *block, size_t cells)
{
    const double **slots[8];
    size_t n = 0;
    switch (method) {
    case PS_SENS_SOBOL:
        slots[n++] = &h->s1, slots[n++] = &h->s1_low;
        slots[n++] = &h->s1_high, slots[n++] = &h->s1_conf;
        slots[n++] = &h->st, slots[n++] = &h->st_low;
        slots[n++] = &h->st_high, slots[n++] = &h->st_conf;
        break;
    case PS_SENS_MORRIS:
        slots[n++] = &h->mu, slots[n++] = &h->mu_star;
        slots[n++] = &h->mu_star_low, slots[n++] = &h->mu_star_high;
        slots[n++] = &h->mu_star_conf, slots[n++] = &h->sigma;
        break;
    case PS_SENS_OAT:
        slots[n++] = &h->y_low, slots[n++] = &h->y_high;
        slots[n++] = &h->swing;
        break;
    }
    for (size_t i = 0; i < n; i++)
        *slots[i] = block + i * cells;
}

/* Output o's measures at index o * k + g of each array; key[g] gets the
   ranking measure. */
static ps_status analyse_output(const sens_runs *runs, size_t o, size_t nboot,
                                void *scratch, double *block, size_t cells,
                                double *key, ps_sens_info *info, ps_error *err)
{
    const ps_sens_design *d = runs->design;
    size_t k = d->nfactors, at = o * k;
    const double *y = runs->y + o * runs->nruns;
    double *m[8];
    for (size_t i = 0; i < 8; i++)
        m[i] = block + i * cells + at;
    ps_status st;
    switch (d->method) {
    case PS_SENS_SOBOL: {
        ps_sens_sobol_index *idx = scratch;
        st = ps_sens_sobol(d, y, nboot, SENS_LEVEL, idx, info, err);
        for (size_t g = 0; g < k && st == PS_OK; g++) {
            m[0][g] = idx[g].s1, m[1][g] = idx[g].s1_low;
            m[2][g] = idx[g].s1_high, m[3][g] = idx[g].s1_conf;
            m[4][g] = idx[g].st, m[5][g] = idx[g].st_low;
            m[6][g] = idx[g].st_high, m[7][g] = idx[g].st_conf;
            key[g] = idx[g].st;
        }
        break;
    }
    case PS_SENS_MORRIS: {
        ps_sens_morris_index *idx = scratch;
        st = ps_sens_morris(d, y, nboot, SENS_LEVEL, idx, info, err);
        for (size_t g = 0; g < k && st == PS_OK; g++) {
            m[0][g] = idx[g].mu, m[1][g] = idx[g].mu_star;
            m[2][g] = idx[g].mu_star_low, m[3][g] = idx[g].mu_star_high;
            m[4][g] = idx[g].mu_star_conf, m[5][g] = idx[g].sigma;
            key[g] = idx[g].mu_star;
        }
        break;
    }
    default: {
        ps_sens_oat_index *idx = scratch;
        st = ps_sens_oat(d, y, idx, info, err);
        for (size_t g = 0; g < k && st == PS_OK; g++) {
            m[0][g] = idx[g].y_low, m[1][g] = idx[g].y_high;
            m[2][g] = idx[g].swing;
            key[g] = idx[g].swing;
        }
        break;
    }
    }
    return st;
}

ps_status sens_analyse(const sens_runs *runs, const sens_factors *f,
                       size_t nboot, const study_hooks *hooks,
                       sens_results *res, ps_error *err)
{
    memset(res, 0, sizeof *res);
    const ps_sens_design *d = runs->design;
    size_t no = runs->outputs->n, k = d->nfactors, cells = no * k;
    res->outputs = calloc(no ? no : 1, sizeof *res->outputs);
    res->order = calloc(cells ? cells : 1, sizeof *res->order);
    res->block = malloc((cells ? 8 * cells : 1) * sizeof *res->block);
    double *key = malloc((k ? k : 1) * sizeof *key);
    void *scratch = malloc((k ? k : 1) * sizeof(ps_sens_sobol_index));
    ps_status st = PS_OK;
    if (!res->outputs || !res->order || !res->block || !key || !scratch) {
        st = nomem(err);
        goto done;
    }
    ps_h5_sensitivity *h = &res->h5;
    *h = (ps_h5_sensitivity){
        .method = ps_sens_method_name(d->method),
        .seed = d->seed,
        .runs = runs->nruns,
        .samples = d->samples,
        .bootstrap = d->method == PS_SENS_OAT ? 0 : nboot,
        .level = SENS_LEVEL,
        .trajectories = d->trajectories,
        .levels = d->levels,
        .low = d->low,
        .high = d->high,
        .nfactors = k,
        .factors = f->v,
        .noutputs = no,
        .outputs = res->outputs,
        .order = res->order,
    };
    assign(h, d->method, res->block, cells);
    for (size_t o = 0; o < no && st == PS_OK; o++) {
        ps_sens_info info = {0, 0, 0, NAN};
        ps_error e;
        res->outputs[o] = runs->outputs->v[o].h5;
        st = analyse_output(runs, o, nboot, scratch, res->block, cells, key,
                            &info, &e);
        if (st == PS_ERR_DATA) {
            /* Every run of this output failed: say so, keep the others. */
            study_say(hooks, "warning: %s: %s", res->outputs[o].name,
                      e.message);
            for (size_t i = 0; i < 8; i++)
                for (size_t g = 0; g < k; g++)
                    res->block[i * cells + o * k + g] = NAN;
            for (size_t g = 0; g < k; g++)
                key[g] = NAN;
            st = PS_OK;
        } else if (st != PS_OK) {
            if (err)
                *err = e;
            break;
        }
        res->outputs[o].used = info.used;
        res->outputs[o].total = info.total;
        res->outputs[o].constant = info.constant;
        res->outputs[o].base = info.base;
        st = ps_sens_rank(key, k, res->order + o * k, err);
    }
done:
    free(key);
    free(scratch);
    if (st != PS_OK)
        sens_results_free(res);
    return st;
}

void sens_results_free(sens_results *res)
{
    free(res->outputs);
    free(res->order);
    free(res->block);
    memset(res, 0, sizeof *res);
}
