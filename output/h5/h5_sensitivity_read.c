/*
 * Reading the /sensitivity group back (h5_sensitivity.c writes it): the
 * factors and outputs with their labels, the method's measures, the
 * ranking and the settings, as one ps_h5_sensitivity whose arrays this
 * file's reader owns.
 */
#include "h5_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define H5N_SENSITIVITY "sensitivity"

enum { NMEASURES = 17 };

/* The results and the storage their pointers point into; `s` first, so
   that the caller's pointer is the container's. */
typedef struct owned {
    ps_h5_sensitivity s;
    char *method;
    ps_h5_sens_factor *factors;
    ps_h5_sens_output *outputs;
    size_t *order;
    double *measure[NMEASURES];
    char **onames, **olabels, **ovars, **fnames, **flabels, **finputs;
    size_t no, nf;
} owned;

void ps_h5_sensitivity_free(ps_h5_sensitivity **sp)
{
    if (!sp || !*sp)
        return;
    owned *w = (owned *)*sp;
    free(w->method);
    free(w->factors);
    free(w->outputs);
    free(w->order);
    for (size_t i = 0; i < NMEASURES; i++)
        free(w->measure[i]);
    h5_free_strings(w->onames, w->onames ? w->no : 0);
    h5_free_strings(w->olabels, w->olabels ? w->no : 0);
    h5_free_strings(w->ovars, w->ovars ? w->no : 0);
    h5_free_strings(w->fnames, w->fnames ? w->nf : 0);
    h5_free_strings(w->flabels, w->flabels ? w->nf : 0);
    h5_free_strings(w->finputs, w->finputs ? w->nf : 0);
    free(w);
    *sp = NULL;
}

/* The dataset names of the measures, in the order of `measure`. */
static const char *const measure_names[NMEASURES] = {
    "S1",          "S1_low",       "S1_high",      "S1_conf", "ST",
    "ST_low",      "ST_high",      "ST_conf",      "mu",      "mu_star",
    "mu_star_low", "mu_star_high", "mu_star_conf", "sigma",   "output_low",
    "output_high", "swing"};

/* The measures of each method: indices into measure_names. */
static int method_has(const char *method, size_t i)
{
    if (strcmp(method, "sobol") == 0)
        return i < 8;
    if (strcmp(method, "morris") == 0)
        return i >= 8 && i < 14;
    return i >= 14;
}

static void point_measures(owned *w)
{
    double **m = w->measure;
    ps_h5_sensitivity *s = &w->s;
    s->s1 = m[0], s->s1_low = m[1], s->s1_high = m[2], s->s1_conf = m[3];
    s->st = m[4], s->st_low = m[5], s->st_high = m[6], s->st_conf = m[7];
    s->mu = m[8], s->mu_star = m[9], s->mu_star_low = m[10];
    s->mu_star_high = m[11], s->mu_star_conf = m[12], s->sigma = m[13];
    s->y_low = m[14], s->y_high = m[15], s->swing = m[16];
}

/* A whole per-output array of `memtype` into a new buffer of n elements
   of `size` bytes; NULL when absent or unreadable. */
static void *read_column(hid_t g, const char *name, hid_t memtype, size_t n,
                         size_t size)
{
    void *buf = malloc((n ? n : 1) * size);
    if (buf && h5_read_all(g, name, memtype, n, buf) < 0) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* The ranking: rank(output, factor) -> order; -1 when the ranks of an
   output are not 1..nf each once. */
static int read_order(hid_t g, owned *w)
{
    size_t n = w->no * w->nf;
    int *rank = read_column(g, "rank", H5T_NATIVE_INT, n, sizeof *rank);
    w->order = malloc((n ? n : 1) * sizeof *w->order);
    int rc = rank && w->order ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        w->order[i] = (size_t)-1;
    for (size_t o = 0; o < w->no && rc == 0; o++)
        for (size_t f = 0; f < w->nf && rc == 0; f++) {
            int r = rank[o * w->nf + f];
            size_t at = o * w->nf + (size_t)r - 1;
            if (r < 1 || (size_t)r > w->nf || w->order[at] != (size_t)-1)
                rc = -1;
            else
                w->order[at] = f;
        }
    free(rank);
    return rc;
}

/* Settings from the group's attributes; those of other methods stay 0. */
static void read_settings(hid_t g, ps_h5_sensitivity *s)
{
    long long v;
    uint64_t seed;
    double d;
    if (h5_attr_read_uint64(g, "seed", &seed) == 0)
        s->seed = seed;
    if (h5_attr_read_int64(g, "n_runs", &v) == 0 && v > 0)
        s->runs = (size_t)v;
    if (h5_attr_read_int64(g, "samples", &v) == 0 && v > 0)
        s->samples = (size_t)v;
    if (h5_attr_read_int64(g, "bootstrap", &v) == 0 && v > 0)
        s->bootstrap = (size_t)v;
    if (h5_attr_read_int64(g, "trajectories", &v) == 0 && v > 0)
        s->trajectories = (size_t)v;
    if (h5_attr_read_int64(g, "levels", &v) == 0 && v > 0)
        s->levels = (unsigned)v;
    s->level = h5_attr_read_double(g, "confidence_level", &d) == 0 ? d : NAN;
    s->low = h5_attr_read_double(g, "low", &d) == 0 ? d : NAN;
    s->high = h5_attr_read_double(g, "high", &d) == 0 ? d : NAN;
    H5Eclear2(H5E_DEFAULT);
}

/* The outputs' and factors' descriptions. */
static int read_labels(hid_t g, owned *w)
{
    size_t no = w->no, nf = w->nf;
    if (h5_read_strings(g, "output", no, &w->onames) < 0 ||
        h5_read_strings(g, "output_label", no, &w->olabels) < 0 ||
        h5_read_strings(g, "output_variable", no, &w->ovars) < 0 ||
        h5_read_strings(g, "factor", nf, &w->fnames) < 0 ||
        h5_read_strings(g, "factor_label", nf, &w->flabels) < 0 ||
        h5_read_strings(g, "factor_inputs", nf, &w->finputs) < 0)
        return -1;
    double *time =
        read_column(g, "output_time", H5T_NATIVE_DOUBLE, no, sizeof(double));
    signed char *target =
        read_column(g, "output_is_target", H5T_NATIVE_SCHAR, no, 1);
    signed char *constant =
        read_column(g, "output_constant", H5T_NATIVE_SCHAR, no, 1);
    long long *used =
        read_column(g, "output_used", H5T_NATIVE_LLONG, no, sizeof(long long));
    long long *total =
        read_column(g, "output_total", H5T_NATIVE_LLONG, no, sizeof(long long));
    double *base = H5Lexists(g, "output_base", H5P_DEFAULT) > 0
                       ? read_column(g, "output_base", H5T_NATIVE_DOUBLE, no,
                                     sizeof(double))
                       : NULL;
    H5Eclear2(H5E_DEFAULT);
    w->outputs = calloc(no ? no : 1, sizeof *w->outputs);
    w->factors = calloc(nf ? nf : 1, sizeof *w->factors);
    int rc =
        time && target && constant && used && total && w->outputs && w->factors
            ? 0
            : -1;
    for (size_t o = 0; o < no && rc == 0; o++)
        w->outputs[o] =
            (ps_h5_sens_output){.name = w->onames[o],
                                .label = *w->olabels[o] ? w->olabels[o] : NULL,
                                .variable = w->ovars[o],
                                .time = time[o],
                                .is_target = target[o] != 0,
                                .used = used[o] > 0 ? (size_t)used[o] : 0,
                                .total = total[o] > 0 ? (size_t)total[o] : 0,
                                .constant = constant[o] != 0,
                                .base = base ? base[o] : NAN};
    for (size_t f = 0; f < nf && rc == 0; f++)
        w->factors[f] =
            (ps_h5_sens_factor){.name = w->fnames[f],
                                .label = *w->flabels[f] ? w->flabels[f] : NULL,
                                .inputs = w->finputs[f]};
    free(time);
    free(target);
    free(constant);
    free(used);
    free(total);
    free(base);
    return rc;
}

static ps_status read_group(hid_t file, const char *path, owned *w,
                            ps_error *err)
{
    hid_t g = H5Gopen2(file, H5N_SENSITIVITY, H5P_DEFAULT);
    if (g < 0)
        return h5_fail(err, PS_ERR_DATA, path,
                       "cannot open the sensitivity group");
    ps_status st = PS_OK;
    long long no = h5_length(g, "output"), nf = h5_length(g, "factor");
    if (h5_attr_read_text(g, "method", &w->method) < 0 ||
        (strcmp(w->method, "sobol") != 0 && strcmp(w->method, "morris") != 0 &&
         strcmp(w->method, "oat") != 0))
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                          "the sensitivity group names no known method "
                          "(sobol, morris or oat)");
    else if (no < 0 || nf < 0)
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                          "the sensitivity group has no output or factor "
                          "coordinate");
    if (st == PS_OK) {
        w->no = (size_t)no, w->nf = (size_t)nf;
        if (read_labels(g, w) < 0 || read_order(g, w) < 0)
            st = h5_fail(err, PS_ERR_DATA, path,
                         "cannot read the sensitivity group's outputs, "
                         "factors or ranks");
    }
    for (size_t i = 0; i < NMEASURES && st == PS_OK; i++) {
        if (!method_has(w->method, i))
            continue;
        w->measure[i] = read_column(g, measure_names[i], H5T_NATIVE_DOUBLE,
                                    w->no * w->nf, sizeof(double));
        if (!w->measure[i])
            st = h5_fail(err, PS_ERR_DATA, path, "cannot read sensitivity/%s",
                         measure_names[i]);
    }
    if (st == PS_OK) {
        ps_h5_sensitivity *s = &w->s;
        s->method = w->method;
        read_settings(g, s);
        s->nfactors = w->nf, s->factors = w->factors;
        s->noutputs = w->no, s->outputs = w->outputs;
        s->order = w->order;
        point_measures(w);
    }
    H5Gclose(g);
    return st;
}

ps_status ps_h5_sensitivity_read(const char *path, ps_h5_sensitivity **out,
                                 ps_error *err)
{
    *out = NULL;
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t file;
    ps_status st = h5_open_read(path, &file, err);
    if (st != PS_OK) {
        h5_quiet_end(&q);
        return st;
    }
    if (H5Lexists(file, H5N_SENSITIVITY, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        H5Fclose(file);
        h5_quiet_end(&q);
        return PS_OK;
    }
    owned *w = calloc(1, sizeof *w);
    if (!w)
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    else
        st = read_group(file, path, w, err);
    H5Fclose(file);
    h5_quiet_end(&q);
    if (st != PS_OK) {
        ps_h5_sensitivity *s = w ? &w->s : NULL;
        ps_h5_sensitivity_free(&s);
        return st;
    }
    *out = &w->s;
    return PS_OK;
}
