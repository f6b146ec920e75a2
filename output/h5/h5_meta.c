/*
 * What the ensemble file holds before the first run: provenance in global
 * attributes, the uncertain inputs as the `param` coordinate, and the
 * target definitions in /summary.
 */
#include "h5_sink.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int write_globals(hid_t f, const ps_h5_meta *m)
{
    h5_provenance p = {m->title,         m->description,
                       m->nscenario_files, m->scenario_names,
                       m->scenario_texts, m->model_file,
                       m->model_sha256,  m->seed,
                       m->sampling,      m->engine_version,
                       m->command_line};
    return h5_write_provenance(f, &p);
}

/* A string coordinate over `param` with a long_name. */
static int param_strings(hid_t f, hid_t scale, const char *name,
                         const char *long_name, const ps_h5_meta *m,
                         size_t field)
{
    const char **v = calloc(m->ninputs, sizeof *v);
    if (!v)
        return -1;
    for (size_t j = 0; j < m->ninputs; j++) {
        const ps_h5_input_meta *in = &m->inputs[j];
        v[j] = field == 0   ? in->label
               : field == 1 ? in->source
                            : in->distribution;
    }
    hid_t d = h5_string_dataset(f, name, m->ninputs, v);
    free(v);
    if (d < 0)
        return -1;
    int rc = h5_attr_text(d, "long_name", long_name) < 0 ||
                     H5DSattach_scale(d, scale, 0) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

static int write_params(ps_h5_sink *s, const ps_h5_meta *m)
{
    const char **names = calloc(m->ninputs, sizeof *names);
    if (!names)
        return -1;
    for (size_t j = 0; j < m->ninputs; j++)
        names[j] = m->inputs[j].name;
    s->param_scale = h5_string_dataset(s->file, H5N_PARAM, m->ninputs, names);
    free(names);
    if (s->param_scale < 0 || H5DSset_scale(s->param_scale, H5N_PARAM) < 0 ||
        h5_attr_text(s->param_scale, "long_name",
                     "uncertain input (model constant)") < 0)
        return -1;
    if (param_strings(s->file, s->param_scale, "param_label",
                      "description of the input", m, 0) < 0 ||
        param_strings(s->file, s->param_scale, "param_source",
                      "source of the input's distribution", m, 1) < 0 ||
        param_strings(s->file, s->param_scale, "param_distribution",
                      "distribution the input is drawn from", m, 2) < 0)
        return -1;
    return 0;
}

/* A 1-D numeric dataset over `target`, attached to its scale. */
static hid_t target_numbers(hid_t g, hid_t scale, const char *name, hid_t type,
                            hid_t memtype, size_t n, const void *v,
                            const void *fill, const char *long_name)
{
    hsize_t dim = n;
    hid_t d = h5_dataset(g, name, type, 1, &dim, fill);
    if (d < 0)
        return -1;
    if (H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
        h5_attr_text(d, "long_name", long_name) < 0 ||
        H5DSattach_scale(d, scale, 0) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int target_strings(hid_t g, hid_t scale, const char *name,
                          const char *long_name, const char **v, size_t n)
{
    hid_t d = h5_string_dataset(g, name, n, v);
    if (d < 0)
        return -1;
    int rc = h5_attr_text(d, "long_name", long_name) < 0 ||
                     H5DSattach_scale(d, scale, 0) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

static int write_targets(hid_t f, const ps_h5_meta *m)
{
    size_t n = m->ntargets;
    hid_t gcpl = h5_gcpl();
    hid_t g = gcpl < 0
                  ? -1
                  : H5Gcreate2(f, H5N_SUMMARY, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    if (g < 0)
        return -1;
    const char **names = calloc(n, sizeof *names);
    const char **text = calloc(n, sizeof *text);
    char(*made)[32] = calloc(n, sizeof *made);
    double *time = calloc(n, sizeof *time);
    double *lo = calloc(n, sizeof *lo);
    double *hi = calloc(n, sizeof *hi);
    signed char *cmp = calloc(n, 1);
    signed char *binding = calloc(n, 1);
    hid_t scale = -1;
    int rc = -1;
    if (!names || !text || !made || !time || !lo || !hi || !cmp || !binding)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const ps_h5_target_meta *t = &m->targets[i];
        snprintf(made[i], sizeof made[i], "target_%zu", i + 1);
        names[i] = t->name ? t->name : made[i];
        time[i] = t->time;
        /* The bound a rule does not use is stored as NaN. */
        lo[i] = t->compare == PS_H5_AT_MOST ? NAN : t->lo;
        hi[i] = t->compare == PS_H5_AT_LEAST ? NAN : t->hi;
        cmp[i] = (signed char)t->compare;
        binding[i] = t->binding ? 1 : 0;
    }
    scale = h5_string_dataset(g, H5N_TARGET, n, names);
    if (scale < 0 || H5DSset_scale(scale, H5N_TARGET) < 0 ||
        h5_attr_text(scale, "long_name", "target identifier") < 0)
        goto done;

    for (size_t i = 0; i < n; i++)
        text[i] = m->targets[i].label;
    if (target_strings(g, scale, "target_label", "target", text, n) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        text[i] = m->targets[i].variable;
    if (target_strings(g, scale, "target_variable",
                       "model name of the variable the target is about", text,
                       n) < 0)
        goto done;
    for (size_t i = 0; i < n; i++)
        text[i] = m->targets[i].source;
    if (target_strings(g, scale, "target_source", "source of the target", text,
                       n) < 0)
        goto done;

    double nan = NAN;
    signed char zero = 0;
    hid_t d = target_numbers(g, scale, "target_time", H5T_IEEE_F64LE,
                             H5T_NATIVE_DOUBLE, n, time, &nan,
                             "time the target is about");
    if (d < 0 || h5_attr_short(d, "units", m->time_units) < 0 ||
        h5_attr_double(d, "_FillValue", NAN) < 0) {
        if (d >= 0)
            H5Dclose(d);
        goto done;
    }
    H5Dclose(d);

    static const signed char cmp_flags[] = {PS_H5_AT_LEAST, PS_H5_AT_MOST,
                                            PS_H5_BETWEEN};
    d = target_numbers(g, scale, "target_compare", H5T_STD_I8LE,
                       H5T_NATIVE_SCHAR, n, cmp, &zero,
                       "rule: value >= lo, value <= hi, or lo <= value <= hi");
    if (d < 0 || h5_attr_int8s(d, "flag_values", 3, cmp_flags) < 0 ||
        h5_attr_short(d, "flag_meanings", "at_least at_most between") < 0) {
        if (d >= 0)
            H5Dclose(d);
        goto done;
    }
    H5Dclose(d);

    const char *bound_names[2] = {"target_lo", "target_hi"};
    const char *bound_long[2] = {"lower bound of the target",
                                 "upper bound of the target"};
    double *bounds[2] = {lo, hi};
    for (int b = 0; b < 2; b++) {
        d = target_numbers(g, scale, bound_names[b], H5T_IEEE_F64LE,
                           H5T_NATIVE_DOUBLE, n, bounds[b], &nan,
                           bound_long[b]);
        if (d < 0 || h5_attr_double(d, "_FillValue", NAN) < 0) {
            if (d >= 0)
                H5Dclose(d);
            goto done;
        }
        H5Dclose(d);
    }

    static const signed char binding_flags[] = {0, 1};
    d = target_numbers(g, scale, "target_binding", H5T_STD_I8LE,
                       H5T_NATIVE_SCHAR, n, binding, &zero,
                       "binding (约束性) or expected (预期性) target");
    if (d < 0 || h5_attr_int8s(d, "flag_values", 2, binding_flags) < 0 ||
        h5_attr_short(d, "flag_meanings", "expected binding") < 0) {
        if (d >= 0)
            H5Dclose(d);
        goto done;
    }
    H5Dclose(d);
    rc = 0;
done:
    if (scale >= 0)
        H5Dclose(scale);
    H5Gclose(g);
    free(names);
    free(text);
    free(made);
    free(time);
    free(lo);
    free(hi);
    free(cmp);
    free(binding);
    return rc;
}

ps_status h5_write_meta(ps_h5_sink *s, const ps_h5_meta *meta, ps_error *err)
{
    if (write_globals(s->file, meta) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the global attributes");
    if (meta->ninputs && write_params(s, meta) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the uncertain inputs");
    if (meta->ntargets && write_targets(s->file, meta) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the target definitions");
    if ((meta->nfixed || meta->nlevers) &&
        h5_write_assumptions(s->file, meta) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the fixed values and levers");
    return PS_OK;
}
