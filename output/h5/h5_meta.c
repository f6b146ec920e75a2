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
    h5_provenance p = {m->title,          m->description,    m->nscenario_files,
                       m->scenario_names, m->scenario_texts, m->model_file,
                       m->model_sha256,   m->seed,           m->sampling,
                       m->engine_version, m->command_line,   m->lang};
    if (h5_write_provenance(f, &p) < 0)
        return -1;
    if (m->model_engine &&
        h5_attr_short(f, "model_engine", m->model_engine) < 0)
        return -1;
    const ps_h5_calibration_meta *c = m->calibration;
    if (!c)
        return 0;
    return h5_attr_text(f, "calibration_file", c->file) < 0 ||
                   h5_attr_text(f, "calibration_method", c->method) < 0 ||
                   h5_attr_double(f, "calibration_ess", c->ess) < 0 ||
                   h5_attr_double(f, "calibration_log_evidence",
                                  c->log_evidence) < 0 ||
                   h5_attr_uint64(f, "calibration_particles",
                                  c->particles) < 0 ||
                   h5_attr_uint64(f, "calibration_inputs",
                                  c->ncalibrated) < 0
               ? -1
               : 0;
}

/* Beside the targets of a forecast from a posterior: their probabilities
   under the calibration's prior draws. */
static int write_prior_probability(hid_t g, hid_t scale, const ps_h5_meta *m)
{
    hsize_t dim = m->ntargets;
    double nan = NAN;
    hid_t d = h5_dataset(g, "target_prior_probability", H5T_IEEE_F64LE, 1,
                         &dim, &nan);
    if (d < 0)
        return -1;
    int rc = H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                      m->calibration->prior_probability) < 0 ||
                     h5_attr_text(d, "long_name",
                                  "probability of the target under the "
                                  "prior, before calibration") < 0 ||
                     h5_attr_double(d, "_FillValue", NAN) < 0 ||
                     H5DSattach_scale(d, scale, 0) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
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

/* The target definitions, in /summary (which the summary fills in
   after the runs). */
static int write_targets(hid_t f, const ps_h5_meta *m, const h5_udunits *u)
{
    hid_t gcpl = h5_gcpl();
    hid_t g = gcpl < 0
                  ? -1
                  : H5Gcreate2(f, H5N_SUMMARY, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    if (g < 0)
        return -1;
    hid_t scale = -1;
    int rc = h5_write_target_defs(g, m->ntargets, m->targets, 1, m->time_units,
                                  u, &scale);
    if (rc == 0 && m->calibration)
        rc = write_prior_probability(g, scale, m);
    if (scale >= 0)
        H5Dclose(scale);
    H5Gclose(g);
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
    if (meta->ntargets && write_targets(s->file, meta, s->udunits) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the target definitions");
    if ((meta->nfixed || meta->nlevers) &&
        h5_write_assumptions(s->file, meta, s->udunits) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the fixed values and levers");
    return PS_OK;
}
