/*
 * The /sensitivity group: the results of `plansim sensitivity` beside the
 * runs they come from.  Two string coordinates, `output` and `factor`,
 * label (output, factor) datasets of the method's measures, so that
 * xarray opens the group as one Dataset (docs/sensitivity.md).
 */
#include "h5_sink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define H5N_SENSITIVITY "sensitivity"
#define H5N_OUTPUT "output"
#define H5N_FACTOR "factor"

/* A measure of the method: its dataset, its values and what it is. */
typedef struct measure {
    const char *name;
    const double *values;
    const char *long_name;
} measure;

/* The measures of s's method into m[]; returns their number, 0 for an
   unknown method. */
static size_t method_measures(const ps_h5_sensitivity *s, measure m[8])
{
    if (strcmp(s->method, "sobol") == 0) {
        m[0] = (measure){"S1", s->s1, "first-order Sobol' index "
                                      "(Saltelli 2010)"};
        m[1] = (measure){"S1_low", s->s1_low,
                         "S1: lower end of the bootstrap percentile interval"};
        m[2] = (measure){"S1_high", s->s1_high,
                         "S1: upper end of the bootstrap percentile interval"};
        m[3] = (measure){"S1_conf", s->s1_conf,
                         "S1: half-width z * sd of the bootstrap estimates "
                         "(SALib's S1_conf)"};
        m[4] = (measure){"ST", s->st, "total-order Sobol' index (Jansen)"};
        m[5] = (measure){"ST_low", s->st_low,
                         "ST: lower end of the bootstrap percentile interval"};
        m[6] = (measure){"ST_high", s->st_high,
                         "ST: upper end of the bootstrap percentile interval"};
        m[7] = (measure){"ST_conf", s->st_conf,
                         "ST: half-width z * sd of the bootstrap estimates "
                         "(SALib's ST_conf)"};
        return 8;
    }
    if (strcmp(s->method, "morris") == 0) {
        m[0] = (measure){"mu", s->mu, "mean elementary effect"};
        m[1] = (measure){"mu_star", s->mu_star,
                         "mean absolute elementary effect"};
        m[2] = (measure){"mu_star_low", s->mu_star_low,
                         "mu_star: lower end of the bootstrap percentile "
                         "interval"};
        m[3] = (measure){"mu_star_high", s->mu_star_high,
                         "mu_star: upper end of the bootstrap percentile "
                         "interval"};
        m[4] = (measure){"mu_star_conf", s->mu_star_conf,
                         "mu_star: half-width z * sd of the bootstrap "
                         "estimates (SALib's mu_star_conf)"};
        m[5] = (measure){"sigma", s->sigma,
                         "standard deviation of the elementary effects"};
        return 6;
    }
    if (strcmp(s->method, "oat") == 0) {
        m[0] = (measure){"output_low", s->y_low,
                         "the output with the factor at its low quantile "
                         "and every other input at its median"};
        m[1] = (measure){"output_high", s->y_high,
                         "the output with the factor at its high quantile "
                         "and every other input at its median"};
        m[2] = (measure){"swing", s->swing,
                         "|output_high - output_low|"};
        return 3;
    }
    return 0;
}

/* A string coordinate (a dimension scale named after itself). */
static hid_t string_scale(hid_t g, const char *name, size_t n,
                          const char *const *texts, const char *long_name)
{
    hid_t d = h5_string_dataset(g, name, n, texts);
    if (d < 0)
        return -1;
    if (H5DSset_scale(d, name) < 0 ||
        h5_attr_text(d, "long_name", long_name) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

/* A dataset over one or two of the coordinates, attached to them. */
static int put(hid_t g, const char *name, hid_t type, hid_t memtype,
               int rank, hid_t s0, hid_t s1, size_t n0, size_t n1,
               const void *v, const char *long_name, int nan_fill)
{
    hsize_t dims[2] = {n0, n1};
    double nan = NAN;
    hid_t d = h5_dataset(g, name, type, rank, dims, nan_fill ? &nan : NULL);
    if (d < 0)
        return -1;
    hid_t scales[2] = {s0, s1};
    int rc = H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ? -1
                                                                      : 0;
    for (int i = 0; i < rank && rc == 0; i++)
        if (H5DSattach_scale(d, scales[i], (unsigned)i) < 0)
            rc = -1;
    if (rc == 0 && h5_attr_text(d, "long_name", long_name) < 0)
        rc = -1;
    if (rc == 0 && nan_fill && h5_attr_double(d, "_FillValue", NAN) < 0)
        rc = -1;
    H5Dclose(d);
    return rc;
}

/* The per-output and per-factor descriptions. */
static int write_labels(hid_t g, hid_t os, hid_t fs,
                        const ps_h5_sensitivity *s)
{
    size_t no = s->noutputs, nf = s->nfactors;
    size_t n = no > nf ? no : nf;
    const char **text = calloc(n ? n : 1, sizeof *text);
    double *time = malloc((no ? no : 1) * sizeof *time);
    double *base = malloc((no ? no : 1) * sizeof *base);
    long long *used = malloc((no ? no : 1) * sizeof *used);
    long long *total = malloc((no ? no : 1) * sizeof *total);
    signed char *target = malloc(no ? no : 1);
    signed char *constant = malloc(no ? no : 1);
    int rc = -1;
    if (!text || !time || !base || !used || !total || !target || !constant)
        goto done;
    for (size_t o = 0; o < no; o++) {
        const ps_h5_sens_output *out = &s->outputs[o];
        time[o] = out->time;
        base[o] = out->base;
        used[o] = (long long)out->used;
        total[o] = (long long)out->total;
        target[o] = (signed char)(out->is_target != 0);
        constant[o] = (signed char)(out->constant != 0);
    }
    for (size_t o = 0; o < no; o++)
        text[o] = s->outputs[o].label ? s->outputs[o].label : "";
    hid_t str = h5_vlen_utf8();
    if (str < 0)
        goto done;
    int bad = put(g, "output_label", str, str, 1, os, -1, no, 0, text,
                  "the output in words", 0) < 0;
    for (size_t o = 0; o < no && !bad; o++)
        text[o] = s->outputs[o].variable;
    bad = bad || put(g, "output_variable", str, str, 1, os, -1, no, 0, text,
                     "the model variable of the output", 0) < 0;
    for (size_t f = 0; f < nf && !bad; f++)
        text[f] = s->factors[f].label ? s->factors[f].label : "";
    bad = bad || put(g, "factor_label", str, str, 1, fs, -1, nf, 0, text,
                     "the factor in words", 0) < 0;
    for (size_t f = 0; f < nf && !bad; f++)
        text[f] = s->factors[f].inputs;
    bad = bad || put(g, "factor_inputs", str, str, 1, fs, -1, nf, 0, text,
                     "the uncertain inputs the factor moves (param names)",
                     0) < 0;
    H5Tclose(str);
    if (bad ||
        put(g, "output_time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, os, -1,
            no, 0, time, "the saved time of the output", 1) < 0 ||
        put(g, "output_is_target", H5T_STD_I8LE, H5T_NATIVE_SCHAR, 1, os, -1,
            no, 0, target,
            "1: the output is a target's 0/1 indicator (met or not)", 0) < 0 ||
        put(g, "output_constant", H5T_STD_I8LE, H5T_NATIVE_SCHAR, 1, os, -1,
            no, 0, constant, "1: the output did not vary (indices are 0)",
            0) < 0 ||
        put(g, "output_used", H5T_STD_I64LE, H5T_NATIVE_LLONG, 1, os, -1, no,
            0, used,
            "base rows (sobol), trajectories (morris) or runs (oat) whose "
            "outputs were all finite and were used",
            0) < 0 ||
        put(g, "output_total", H5T_STD_I64LE, H5T_NATIVE_LLONG, 1, os, -1, no,
            0, total, "base rows, trajectories or runs of the design", 0) < 0)
        goto done;
    if (strcmp(s->method, "oat") == 0 &&
        put(g, "output_base", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, os, -1, no,
            0, base, "the output with every input at its median", 1) < 0)
        goto done;
    rc = 0;
done:
    free(text);
    free(time);
    free(base);
    free(used);
    free(total);
    free(target);
    free(constant);
    return rc;
}

/* rank(output, factor): 1 for the most important factor. */
static int write_rank(hid_t g, hid_t os, hid_t fs, const ps_h5_sensitivity *s)
{
    size_t no = s->noutputs, nf = s->nfactors;
    int *rank = malloc((no && nf ? no * nf : 1) * sizeof *rank);
    if (!rank)
        return -1;
    for (size_t o = 0; o < no; o++)
        for (size_t i = 0; i < nf; i++)
            rank[o * nf + s->order[o * nf + i]] = (int)i + 1;
    int rc = put(g, "rank", H5T_STD_I32LE, H5T_NATIVE_INT, 2, os, fs, no, nf,
                 rank,
                 strcmp(s->method, "sobol") == 0
                     ? "rank of the factor by ST (1: largest)"
                 : strcmp(s->method, "morris") == 0
                     ? "rank of the factor by mu_star (1: largest)"
                     : "rank of the factor by swing (1: largest)",
                 0);
    free(rank);
    return rc;
}

static int write_settings(hid_t g, const ps_h5_sensitivity *s)
{
    int rc = h5_attr_short(g, "method", s->method) < 0 ||
             h5_attr_uint64(g, "seed", s->seed) < 0 ||
             h5_attr_int64(g, "n_runs", (int64_t)s->runs) < 0;
    if (strcmp(s->method, "sobol") == 0)
        rc = rc || h5_attr_int64(g, "samples", (int64_t)s->samples) < 0 ||
             h5_attr_text(g, "run_layout",
                          "run i*(k+2) is A_i, run i*(k+2)+1+g is AB_g,i "
                          "(A with factor g's columns from B), run "
                          "i*(k+2)+k+1 is B_i; k = len(factor)") < 0 ||
             h5_attr_text(g, "comment",
                          "Saltelli design from one scrambled Sobol' "
                          "sequence of 2d dimensions (A: the first d, B: "
                          "the last d); output standardised; S1 = "
                          "mean(B (AB_g - A)) / var([A; B]) (Saltelli "
                          "2010), ST = mean((A - AB_g)^2) / 2 / var([A; B]) "
                          "(Jansen), as SALib; intervals: bootstrap over "
                          "base rows") < 0;
    if (strcmp(s->method, "morris") == 0)
        rc = rc ||
             h5_attr_int64(g, "trajectories", (int64_t)s->trajectories) < 0 ||
             h5_attr_int64(g, "levels", (int64_t)s->levels) < 0 ||
             h5_attr_text(g, "run_layout",
                          "run t*(k+1)+l is point l of trajectory t") < 0 ||
             h5_attr_text(g, "comment",
                          "Morris elementary effects on the grid l/(p-1) "
                          "of the unit cube: the output's change over a "
                          "step divided by the step, delta = p/(2(p-1)), "
                          "as SALib; intervals: bootstrap over "
                          "trajectories") < 0;
    if (strcmp(s->method, "sobol") == 0 || strcmp(s->method, "morris") == 0)
        rc = rc ||
             h5_attr_int64(g, "bootstrap", (int64_t)s->bootstrap) < 0 ||
             h5_attr_double(g, "confidence_level", s->level) < 0;
    if (strcmp(s->method, "oat") == 0)
        rc = rc || h5_attr_double(g, "low", s->low) < 0 ||
             h5_attr_double(g, "high", s->high) < 0 ||
             h5_attr_text(g, "run_layout",
                          "run 0: every input at its median; runs 1+2g and "
                          "2+2g: factor g at the low and high probability "
                          "levels") < 0;
    return rc ? -1 : 0;
}

static int write_group(hid_t file, const ps_h5_sensitivity *s,
                       const measure *m, size_t nm)
{
    hid_t gcpl = h5_gcpl();
    if (gcpl < 0)
        return -1;
    hid_t g = H5Gcreate2(file, H5N_SENSITIVITY, H5P_DEFAULT, gcpl,
                         H5P_DEFAULT);
    H5Pclose(gcpl);
    if (g < 0)
        return -1;
    size_t no = s->noutputs, nf = s->nfactors;
    const char **names = calloc((no > nf ? no : nf) + 1, sizeof *names);
    hid_t os = -1, fs = -1;
    int rc = -1;
    if (!names)
        goto done;
    for (size_t o = 0; o < no; o++)
        names[o] = s->outputs[o].name;
    os = string_scale(g, H5N_OUTPUT, no, names,
                      "output: VARIABLE@TIME, or target:NAME (0/1 met)");
    for (size_t f = 0; f < nf; f++)
        names[f] = s->factors[f].name;
    fs = os < 0 ? -1
                : string_scale(g, H5N_FACTOR, nf, names,
                               "factor: an uncertain input, or a group of "
                               "them moved together");
    if (fs < 0 || write_labels(g, os, fs, s) < 0 || write_rank(g, os, fs, s) < 0)
        goto done;
    for (size_t i = 0; i < nm; i++)
        if (put(g, m[i].name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 2, os, fs, no,
                nf, m[i].values, m[i].long_name, 1) < 0)
            goto done;
    rc = write_settings(g, s);
done:
    if (fs >= 0)
        H5Dclose(fs);
    if (os >= 0)
        H5Dclose(os);
    free(names);
    H5Gclose(g);
    return rc;
}

ps_status ps_h5_sink_write_sensitivity(ps_h5_sink *sink,
                                       const ps_h5_sensitivity *s,
                                       ps_error *err)
{
    if (!sink->begun)
        return ps_error_set(err, PS_ERR_USAGE, sink->partial, 0, 0,
                            "no runs to add sensitivity results to");
    measure m[8];
    size_t nm = s->method ? method_measures(s, m) : 0;
    if (nm == 0)
        return ps_error_set(err, PS_ERR_USAGE, sink->partial, 0, 0,
                            "unknown sensitivity method '%s'",
                            s->method ? s->method : "(none)");
    for (size_t i = 0; i < nm; i++)
        if (!m[i].values)
            return ps_error_set(err, PS_ERR_USAGE, sink->partial, 0, 0,
                                "no values for '%s'", m[i].name);
    if (sink->failed)
        return ps_error_set(err, PS_ERR_IO, sink->partial, 0, 0,
                            "not written: an earlier write failed");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = PS_OK;
    if (write_group(sink->file, s, m, nm) < 0)
        st = h5_fail(err, PS_ERR_IO, sink->partial,
                     "cannot write the sensitivity results");
    else if (H5Fflush(sink->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, sink->partial, "cannot flush the file");
    if (st != PS_OK)
        sink->failed = 1;
    h5_quiet_end(&q);
    return st;
}
