/*
 * Target definitions as every plansim file stores them: a `target`
 * string coordinate and, over it, target_label, target_variable,
 * target_source (where asked), target_time, target_compare, target_lo,
 * target_hi and target_binding.  The ensemble file's /summary group, the
 * sweep file and the posterior file share this block.
 */
#include "h5_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A 1-D dataset over `target` with its long_name; `fill` NaN also
   declares _FillValue.  Returns the open dataset or a negative id. */
static hid_t target_numbers(hid_t loc, hid_t scale, const char *name,
                            hid_t type, hid_t memtype, size_t n, const void *v,
                            const void *fill, const char *long_name)
{
    hsize_t dim = n;
    hid_t d = h5_dataset(loc, name, type, 1, &dim, fill);
    if (d < 0)
        return -1;
    if (H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
        h5_attr_text(d, "long_name", long_name) < 0 ||
        H5DSattach_scale(d, scale, 0) < 0 ||
        (type == H5T_IEEE_F64LE && h5_attr_double(d, "_FillValue", NAN) < 0)) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int target_strings(hid_t loc, hid_t scale, const char *name,
                          const char *long_name, const char **v, size_t n)
{
    hid_t d = h5_string_dataset(loc, name, n, v);
    if (d < 0)
        return -1;
    int rc = h5_attr_text(d, "long_name", long_name) < 0 ||
                     H5DSattach_scale(d, scale, 0) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

/* An int8 flag dataset with its CF flag_values and flag_meanings. */
static int target_flags(hid_t loc, hid_t scale, const char *name, size_t n,
                        const signed char *v, const char *long_name,
                        size_t nflags, const signed char *flags,
                        const char *meanings)
{
    signed char zero = 0;
    hid_t d = target_numbers(loc, scale, name, H5T_STD_I8LE, H5T_NATIVE_SCHAR,
                             n, v, &zero, long_name);
    if (d < 0)
        return -1;
    int rc = h5_attr_int8s(d, "flag_values", nflags, flags) < 0 ||
                     h5_attr_short(d, "flag_meanings", meanings) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

static int target_doubles(hid_t loc, hid_t scale, const char *name, size_t n,
                          const double *v, const char *long_name,
                          const char *units, const h5_udunits *u)
{
    double nan = NAN;
    hid_t d = target_numbers(loc, scale, name, H5T_IEEE_F64LE,
                             H5T_NATIVE_DOUBLE, n, v, &nan, long_name);
    if (d < 0)
        return -1;
    int rc = h5_attr_units(d, u, units) < 0 ? -1 : 0;
    H5Dclose(d);
    return rc;
}

/* The string columns: identifiers (made up where NULL), then label,
   variable and, when asked, source. */
static int write_texts(hid_t loc, size_t n, const ps_h5_target_meta *t,
                       int with_source, hid_t *scale)
{
    const char **text = calloc(n, sizeof *text);
    char(*made)[32] = calloc(n, sizeof *made);
    int rc = -1;
    if (!text || !made)
        goto done;
    for (size_t i = 0; i < n; i++) {
        snprintf(made[i], sizeof made[i], "target_%zu", i + 1);
        text[i] = t[i].name ? t[i].name : made[i];
    }
    *scale = h5_string_dataset(loc, H5N_TARGET, n, text);
    if (*scale < 0 || H5DSset_scale(*scale, H5N_TARGET) < 0 ||
        h5_attr_text(*scale, "long_name", "target identifier") < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        text[i] = t[i].label;
    if (target_strings(loc, *scale, "target_label", "target", text, n) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        text[i] = t[i].variable;
    if (target_strings(loc, *scale, "target_variable",
                       "model name of the variable the target is about", text,
                       n) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        text[i] = t[i].source;
    if (with_source && target_strings(loc, *scale, "target_source",
                                      "source of the target", text, n) < 0)
        goto done;
    rc = 0;
done:
    free(text);
    free(made);
    return rc;
}

int h5_write_target_defs(hid_t loc, size_t n, const ps_h5_target_meta *t,
                         int with_source, const char *time_units,
                         const h5_udunits *u, hid_t *scale)
{
    *scale = -1;
    double *time = calloc(n, sizeof *time);
    double *lo = calloc(n, sizeof *lo);
    double *hi = calloc(n, sizeof *hi);
    signed char *cmp = calloc(n, 1);
    signed char *binding = calloc(n, 1);
    int rc = -1;
    if (!time || !lo || !hi || !cmp || !binding)
        goto done;
    for (size_t i = 0; i < n; i++) {
        time[i] = t[i].time;
        /* The bound a rule does not use is stored as NaN. */
        lo[i] = t[i].compare == PS_SC_AT_MOST ? NAN : t[i].lo;
        hi[i] = t[i].compare == PS_SC_AT_LEAST ? NAN : t[i].hi;
        cmp[i] = (signed char)t[i].compare;
        binding[i] = t[i].binding ? 1 : 0;
    }
    static const signed char cmp_flags[] = {PS_SC_AT_LEAST, PS_SC_AT_MOST,
                                            PS_SC_BETWEEN};
    static const signed char binding_flags[] = {0, 1};
    if (write_texts(loc, n, t, with_source, scale) < 0 ||
        target_doubles(loc, *scale, "target_time", n, time,
                       "time the target is about", time_units, u) < 0 ||
        target_flags(loc, *scale, "target_compare", n, cmp,
                     "rule: value >= lo, value <= hi, or lo <= value <= hi", 3,
                     cmp_flags, "at_least at_most between") < 0 ||
        target_doubles(loc, *scale, "target_lo", n, lo,
                       "lower bound of the target", NULL, NULL) < 0 ||
        target_doubles(loc, *scale, "target_hi", n, hi,
                       "upper bound of the target", NULL, NULL) < 0 ||
        target_flags(loc, *scale, "target_binding", n, binding,
                     "binding (约束性) or expected (预期性) target", 2,
                     binding_flags, "expected binding") < 0)
        goto done;
    rc = 0;
done:
    free(time);
    free(lo);
    free(hi);
    free(cmp);
    free(binding);
    return rc;
}

void h5_free_target_defs(ps_h5_target_meta *t, size_t n)
{
    if (!t)
        return;
    /* The strings were made by h5_read_target_defs: owned, const only in
       the struct shared with the writers. */
    for (size_t i = 0; i < n; i++) {
        free((char *)t[i].name);
        free((char *)t[i].label);
        free((char *)t[i].variable);
        free((char *)t[i].source);
    }
    free(t);
}

/* Reads a 1-D numeric dataset of exactly n elements as `memtype`. */
static int read_column(hid_t loc, const char *name, hid_t memtype, size_t n,
                       void *buf)
{
    if (h5_length(loc, name) != (long long)n)
        return -1;
    return h5_read_all(loc, name, memtype, n, buf);
}

int h5_read_target_defs(hid_t loc, size_t n, ps_h5_target_meta **out)
{
    *out = NULL;
    ps_h5_target_meta *t = calloc(n ? n : 1, sizeof *t);
    char **names = NULL, **labels = NULL, **vars = NULL, **sources = NULL;
    double *time = malloc((n ? n : 1) * sizeof *time);
    double *lo = malloc((n ? n : 1) * sizeof *lo);
    double *hi = malloc((n ? n : 1) * sizeof *hi);
    signed char *cmp = malloc(n ? n : 1);
    signed char *binding = malloc(n ? n : 1);
    int has_source = H5Lexists(loc, "target_source", H5P_DEFAULT) > 0;
    int rc = -1;
    if (!t || !time || !lo || !hi || !cmp || !binding ||
        h5_read_strings(loc, H5N_TARGET, n, &names) < 0 ||
        h5_read_strings(loc, "target_label", n, &labels) < 0 ||
        h5_read_strings(loc, "target_variable", n, &vars) < 0 ||
        (has_source &&
         h5_read_strings(loc, "target_source", n, &sources) < 0) ||
        read_column(loc, "target_time", H5T_NATIVE_DOUBLE, n, time) < 0 ||
        read_column(loc, "target_compare", H5T_NATIVE_SCHAR, n, cmp) < 0 ||
        read_column(loc, "target_lo", H5T_NATIVE_DOUBLE, n, lo) < 0 ||
        read_column(loc, "target_hi", H5T_NATIVE_DOUBLE, n, hi) < 0 ||
        read_column(loc, "target_binding", H5T_NATIVE_SCHAR, n, binding) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (cmp[i] < PS_SC_AT_LEAST || cmp[i] > PS_SC_BETWEEN ||
            binding[i] < 0 || binding[i] > 1)
            goto done;
    for (size_t i = 0; i < n; i++) {
        /* The strings move into the structs. */
        t[i].name = names[i];
        t[i].label = labels[i];
        t[i].variable = vars[i];
        t[i].source = sources ? sources[i] : NULL;
        names[i] = labels[i] = vars[i] = NULL;
        if (sources)
            sources[i] = NULL;
        t[i].time = time[i];
        t[i].compare = (ps_sc_compare)cmp[i];
        t[i].lo = lo[i];
        t[i].hi = hi[i];
        t[i].binding = binding[i];
    }
    *out = t;
    t = NULL;
    rc = 0;
done:
    h5_free_target_defs(t, 0);
    h5_free_strings(names, n);
    h5_free_strings(labels, n);
    h5_free_strings(vars, n);
    h5_free_strings(sources, n);
    free(time);
    free(lo);
    free(hi);
    free(cmp);
    free(binding);
    return rc;
}
