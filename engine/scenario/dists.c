/*
 * `uncertain:` inputs and their distributions.
 *
 *   uncertain:
 *     capital share:   {dist: uniform, min: 0.35, max: 0.55}
 *     deflator growth: {dist: truncnormal, mean: 0.02, sd: 0.01,
 *                       min: -0.01, max: 0.05, label: 价格指数}
 *     project delay:   {dist: triangular, min: 0.5, mode: 1, max: 2.5}
 *
 * Each kind takes its own parameters (and label:, source:); ps_dist_check
 * judges their values.  A lognormal is given by mu and sigma of log(x), by
 * its median and sigma, or by the mean and sd of x itself.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario_impl.h"

#define NKINDS 7

typedef struct kind_keys {
    ps_dist_kind kind;
    const char *keys[12]; /* NULL-terminated: parameters, then common keys */
} kind_keys;

static const kind_keys kinds[NKINDS] = {
    {PS_DIST_UNIFORM,
     {"dist", "min", "max", "label", "source", "per element", "start value"}},
    {PS_DIST_NORMAL,
     {"dist", "mean", "sd", "label", "source", "per element", "start value"}},
    {PS_DIST_TRUNCNORMAL,
     {"dist", "mean", "sd", "min", "max", "label", "source", "per element",
      "start value"}},
    {PS_DIST_LOGNORMAL,
     {"dist", "mu", "sigma", "median", "mean", "sd", "label", "source",
      "per element", "start value"}},
    {PS_DIST_TRIANGULAR,
     {"dist", "min", "mode", "max", "label", "source", "per element",
      "start value"}},
    {PS_DIST_PERT,
     {"dist", "min", "mode", "max", "lambda", "label", "source", "per element",
      "start value"}},
    {PS_DIST_DISCRETE,
     {"dist", "values", "weights", "label", "source", "per element",
      "start value"}},
};

/* Reads parameter `key` into *out; required ones must be present. */
static ps_status param(sc_loader *ld, const ynode *m, const ynode *at,
                       const char *kind, const char *key, int required,
                       int allow_inf, double *out)
{
    const ynode *v = sc_get(m, key, NULL);
    if (!v) {
        if (required)
            return sc_fail(ld, at, "a %s distribution needs '%s:'", kind, key);
        return PS_OK;
    }
    return allow_inf ? sc_number_or_inf(ld, v, out) : sc_number(ld, v, out);
}

/* A list of numbers into a new array of its length. */
static ps_status number_list(sc_loader *ld, const ynode *v, double **out,
                             size_t *n)
{
    ps_status st = sc_expect_seq(ld, v, "a list of numbers");
    if (st)
        return st;
    if (v->n == 0)
        return sc_fail(ld, v, "the list is empty");
    *out = calloc(v->n, sizeof **out);
    if (!*out)
        return sc_nomem(ld);
    for (size_t i = 0; i < v->n; i++)
        if ((st = sc_number(ld, v->vals[i], &(*out)[i])))
            return st;
    *n = v->n;
    return PS_OK;
}

static ps_status read_discrete(sc_loader *ld, const ynode *m, const ynode *at,
                               ps_dist *d)
{
    const ynode *v = sc_get(m, "values", NULL);
    if (!v)
        return sc_fail(ld, at, "a discrete distribution needs 'values:'");
    ps_status st = number_list(ld, v, &d->values, &d->n);
    if (st)
        return st;
    const ynode *w = sc_get(m, "weights", NULL);
    if (!w) {
        d->weights = malloc(d->n * sizeof *d->weights);
        if (!d->weights)
            return sc_nomem(ld);
        for (size_t i = 0; i < d->n; i++)
            d->weights[i] = 1.0 / (double)d->n;
        return PS_OK;
    }
    size_t nw = 0;
    if ((st = number_list(ld, w, &d->weights, &nw)))
        return st;
    if (nw != d->n)
        return sc_fail(ld, w, "%zu weights for %zu values", nw, d->n);
    return PS_OK;
}

/* mu and sigma of log(x) from one of three forms. */
static ps_status read_lognormal(sc_loader *ld, const ynode *m, const ynode *at,
                                ps_dist *d)
{
    const ynode *mu = sc_get(m, "mu", NULL);
    const ynode *median = sc_get(m, "median", NULL);
    const ynode *mean = sc_get(m, "mean", NULL);
    const ynode *sigma = sc_get(m, "sigma", NULL);
    const ynode *sd = sc_get(m, "sd", NULL);
    int forms = !!mu + !!median + !!mean;
    if (forms != 1 || (mean ? (sigma || !sd) : (sd || !sigma)))
        return sc_fail(ld, at,
                       "a lognormal distribution takes mu and sigma (of "
                       "log x), median and sigma, or mean and sd (of x)");
    ps_status st;
    if (mean) {
        double mx, sx;
        if ((st = sc_number(ld, mean, &mx)) || (st = sc_number(ld, sd, &sx)))
            return st;
        if (!(mx > 0))
            return sc_fail(ld, mean,
                           "the mean of a lognormal must be positive");
        if (!(sx > 0))
            return sc_fail(ld, sd, "sd must be positive");
        double s2 = log1p((sx / mx) * (sx / mx));
        d->p[0] = log(mx) - s2 / 2;
        d->p[1] = sqrt(s2);
        return PS_OK;
    }
    if ((st = sc_number(ld, sigma, &d->p[1])))
        return st;
    if (mu)
        return sc_number(ld, mu, &d->p[0]);
    double med;
    if ((st = sc_number(ld, median, &med)))
        return st;
    if (!(med > 0))
        return sc_fail(ld, median,
                       "the median of a lognormal must be positive");
    d->p[0] = log(med);
    return PS_OK;
}

static ps_status read_params(sc_loader *ld, const ynode *m, const ynode *at,
                             const char *kind, ps_dist *d)
{
    ps_status st = PS_OK;
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        if (!(st = param(ld, m, at, kind, "min", 1, 0, &d->p[0])))
            st = param(ld, m, at, kind, "max", 1, 0, &d->p[1]);
        return st;
    case PS_DIST_NORMAL:
        if (!(st = param(ld, m, at, kind, "mean", 1, 0, &d->p[0])))
            st = param(ld, m, at, kind, "sd", 1, 0, &d->p[1]);
        return st;
    case PS_DIST_TRUNCNORMAL:
        /* a bound left out is no bound */
        d->p[2] = -INFINITY;
        d->p[3] = INFINITY;
        if (!(st = param(ld, m, at, kind, "mean", 1, 0, &d->p[0])) &&
            !(st = param(ld, m, at, kind, "sd", 1, 0, &d->p[1])) &&
            !(st = param(ld, m, at, kind, "min", 0, 1, &d->p[2])))
            st = param(ld, m, at, kind, "max", 0, 1, &d->p[3]);
        return st;
    case PS_DIST_LOGNORMAL:
        return read_lognormal(ld, m, at, d);
    case PS_DIST_PERT:
        d->p[3] = 4;
        if ((st = param(ld, m, at, kind, "lambda", 0, 0, &d->p[3])))
            return st;
        /* then min, mode and max as for a triangular */
        /* fall through */
    case PS_DIST_TRIANGULAR:
        if (!(st = param(ld, m, at, kind, "min", 1, 0, &d->p[0])) &&
            !(st = param(ld, m, at, kind, "mode", 1, 0, &d->p[1])))
            st = param(ld, m, at, kind, "max", 1, 0, &d->p[2]);
        return st;
    case PS_DIST_DISCRETE:
        return read_discrete(ld, m, at, d);
    }
    return PS_OK;
}

static const kind_keys *find_kind(ps_dist_kind k)
{
    for (int i = 0; i < NKINDS; i++)
        if (kinds[i].kind == k)
            return &kinds[i];
    return NULL;
}

static ps_status unknown_kind(sc_loader *ld, const ynode *v)
{
    const char *names[NKINDS];
    char list[160] = "";
    size_t used = 0;
    for (int i = 0; i < NKINDS; i++) {
        names[i] = ps_dist_kind_name(kinds[i].kind);
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 i ? ", " : "", names[i]);
    }
    char norm[64], hint[96];
    sc_key_norm(v->text, norm, sizeof norm);
    sc_suggestion(norm, names, NKINDS, hint, sizeof hint);
    return sc_fail(ld, v, "unknown distribution '%s'%s (one of: %s)", v->text,
                   hint, list);
}

/* A yes/no key of an input: *out is 1 for true, left alone when absent
   or false; `meaning` says what true and false mean, for the error. */
static ps_status read_flag(sc_loader *ld, const ynode *m, const char *key,
                           const char *meaning, int *out)
{
    const ynode *v = sc_get(m, key, NULL);
    if (!v)
        return PS_OK;
    char norm[16];
    if (v->kind == Y_SCALAR && !v->null && !v->quoted) {
        sc_key_norm(v->text, norm, sizeof norm);
        if (strcmp(norm, "true") == 0 || strcmp(norm, "yes") == 0) {
            *out = 1;
            return PS_OK;
        }
        if (strcmp(norm, "false") == 0 || strcmp(norm, "no") == 0)
            return PS_OK;
    }
    char got[64];
    sc_describe(v, got, sizeof got);
    return sc_fail(ld, v, "'%s' is %s, not %s", key, meaning, got);
}

static ps_status read_input(sc_loader *ld, const ynode *k, const ynode *v,
                            ps_sc_input *in)
{
    ps_status st = sc_ref_read(ld, k, &in->name, &in->ref);
    if (st)
        return st;
    in->where = k->where;
    const ynode *at = sc_item_node(k, v);
    if (v->kind != Y_MAP) {
        char got[64];
        sc_describe(v, got, sizeof got);
        return sc_fail(ld, v,
                       "expected a distribution such as {dist: uniform, "
                       "min: 0.35, max: 0.55}, got %s (a single value "
                       "belongs under 'fixed:')",
                       got);
    }
    const ynode *dist = sc_get(v, "dist", NULL);
    if (!dist)
        return sc_fail(ld, at,
                       "'%s' needs 'dist:' (uniform, normal, truncnormal, "
                       "lognormal, triangular, pert or discrete)",
                       in->name);
    char *name = NULL;
    if ((st = sc_text(ld, dist, &name)))
        return st;
    char norm[64];
    sc_key_norm(name, norm, sizeof norm);
    free(name);
    const kind_keys *kk = NULL;
    if (ps_dist_kind_from_name(norm, &in->dist.kind) == 0)
        kk = find_kind(in->dist.kind);
    if (!kk)
        return unknown_kind(ld, dist);
    char what[96];
    snprintf(what, sizeof what, "in a %s distribution", norm);
    if ((st = sc_check_keys(ld, v, kk->keys, what)) ||
        (st = read_params(ld, v, at, norm, &in->dist)) ||
        (st = read_flag(ld, v, "per element",
                        "true (an independent draw for each element) or "
                        "false (one draw shared by all the elements named, "
                        "the default)",
                        &in->per_element)) ||
        (st = read_flag(ld, v, "start value",
                        "true (an initial condition of the run: calibrated, "
                        "but not carried into forecasts from the posterior) "
                        "or false (the default)",
                        &in->start_value)))
        return st;
    char why[160];
    if (ps_dist_check(&in->dist, why, sizeof why) != 0)
        return sc_fail(ld, at, "invalid %s distribution for '%s': %s", norm,
                       in->name, why);
    return sc_labels(ld, v, &in->label, &in->source);
}

ps_status sc_build_inputs(sc_loader *ld, const ynode *section)
{
    ps_scenario *sc = ld->sc;
    ps_status st = sc_expect_map(ld, section,
                                 "a mapping of variable names to "
                                 "distributions");
    if (st)
        return st;
    sc->inputs = calloc(section->n + 1, sizeof *sc->inputs);
    if (!sc->inputs)
        return sc_nomem(ld);
    for (size_t i = 0; i < section->n; i++) {
        ps_sc_input *in = &sc->inputs[sc->ninputs++];
        if ((st = read_input(ld, section->keys[i], section->vals[i], in)))
            return st;
    }
    return PS_OK;
}
