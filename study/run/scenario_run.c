/*
 * From a scenario file to an ensemble file: load, check, apply, compile,
 * sample the inputs, run the ensemble into HDF5 and summarise it.
 */
#include "plansim_study/run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/statvfs.h>

#include <nettle/sha2.h>

#include "plansim/design.h"
#include "plansim/dist.h"
#include "plansim/engine.h"
#include "plansim/mdl.h"
#include "plansim/names.h"
#include "plansim/output_file.h"
#include "plansim/utf8.h"
#include "plansim_output/h5.h"
#include "plansim_version.h"

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The SHA-256 of a file's bytes as 64 hex digits (caller frees). */
static ps_status file_sha256(const char *path, char **out, ps_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0, "cannot open");
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&ctx, n, buf);
    int failed = ferror(f);
    fclose(f);
    if (failed)
        return ps_error_set(err, PS_ERR_IO, path, 0, 0, "cannot read");
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    *out = malloc(2 * SHA256_DIGEST_SIZE + 1);
    if (!*out)
        return nomem(err);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(*out + 2 * i, 3, "%02x", digest[i]);
    return PS_OK;
}

/* Program variable of `name`, which the scenario check has vouched for. */
static ps_status find_var(const ps_program *prog, const char *name,
                          size_t *var, ps_error *err)
{
    *var = ps_program_find(prog, name);
    if (*var == (size_t)-1)
        return ps_error_set(err, PS_ERR_INTERNAL, ps_program_path(prog), 0, 0,
                            "'%s' vanished from the compiled model", name);
    return PS_OK;
}

static int contains(const size_t *v, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return 1;
    return 0;
}

/* The scenario's save list, or every stock and target variable. */
static ps_status choose_saved(scenario_run *r, ps_error *err)
{
    const ps_scenario *sc = r->sc;
    size_t nvars = ps_program_var_count(r->prog);
    r->save_vars = calloc(nvars + sc->ntargets + sc->nsave + 1,
                          sizeof *r->save_vars);
    if (!r->save_vars)
        return nomem(err);
    size_t var;
    ps_status st;
    if (sc->save) {
        for (size_t i = 0; i < sc->nsave; i++) {
            if ((st = find_var(r->prog, sc->save[i], &var, err)) != PS_OK)
                return st;
            if (!contains(r->save_vars, r->nsave, var))
                r->save_vars[r->nsave++] = var;
        }
    } else {
        for (size_t i = 0; i < nvars; i++)
            if (ps_program_var_class(r->prog, i) == PS_CLASS_STOCK)
                r->save_vars[r->nsave++] = i;
    }
    /* Targets are always saved: their probabilities are computed from the
       saved values. */
    for (size_t i = 0; i < sc->ntargets; i++) {
        var = r->bind.target_var[i];
        if (!contains(r->save_vars, r->nsave, var))
            r->save_vars[r->nsave++] = var;
    }
    return PS_OK;
}

/* Reads the time settings by initialising one instance. */
static ps_status read_times(scenario_run *r, ps_error *err)
{
    ps_instance *inst = ps_instance_new(r->prog);
    if (!inst)
        return nomem(err);
    ps_status st = ps_instance_init(inst, r->sc->seed, 0, err);
    if (st == PS_OK) {
        r->time = *ps_instance_time(inst);
        r->ntimes = ps_sim_saved_times(&r->time, NULL);
        r->times = malloc((r->ntimes ? r->ntimes : 1) * sizeof *r->times);
        if (!r->times)
            st = nomem(err);
        else
            ps_sim_saved_times(&r->time, r->times);
    }
    ps_instance_free(&inst);
    return st;
}

/* The unit text of TIME STEP, lower-cased for CF readers ("year"). */
static ps_status find_time_units(scenario_run *r, ps_error *err)
{
    size_t var = ps_program_find(r->prog, "TIME STEP");
    const char *u = var != (size_t)-1 ? ps_program_var_units(r->prog, var)
                                      : NULL;
    r->time_units = strdup(u ? u : "");
    if (!r->time_units)
        return nomem(err);
    for (char *p = r->time_units; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return PS_OK;
}

ps_status scenario_prepare(const char *path, scenario_run *r, ps_error *err)
{
    return scenario_prepare_varied(path, NULL, 0, r, err);
}

ps_status scenario_prepare_varied(const char *path, const char *const *names,
                                  size_t nvaried, scenario_run *r,
                                  ps_error *err)
{
    memset(r, 0, sizeof *r);
    r->nvaried = nvaried; /* r->varied stays NULL until resolved */
    ps_model *model = NULL;
    ps_engine engine;
    ps_status st = ps_scenario_load(path, &r->sc, err);
    if (st != PS_OK)
        goto done;
    const ps_scenario *sc = r->sc;
    if ((st = ps_model_load(sc->model_path, &model, err)) != PS_OK ||
        (st = ps_scenario_check(sc, model, err)) != PS_OK ||
        (st = ps_scenario_apply(sc, model, err)) != PS_OK ||
        (st = varied_resolve(sc, model, names, nvaried, &r->varied, err)) !=
            PS_OK ||
        (st = ps_program_compile(model, &r->prog, err)) != PS_OK ||
        (st = ps_engine_from_env(&engine, err)) != PS_OK ||
        (st = ps_program_set_engine(r->prog, engine, err)) != PS_OK ||
        (st = varied_bind(r->prog, sc->seed, r->varied, nvaried, err)) !=
            PS_OK ||
        (st = file_sha256(sc->model_path, &r->model_sha256, err)) != PS_OK ||
        (st = ps_labels_load_for_model(sc->model_path, &r->labels, err)) !=
            PS_OK)
        goto done;
    ps_sim_options_default(&r->sim);
    if (sc->method)
        r->sim.method = sc->method;
    if (sc->abs_tol > 0)
        r->sim.integ.abs_tol = sc->abs_tol;
    if (sc->rel_tol > 0)
        r->sim.integ.rel_tol = sc->rel_tol;
    if ((st = ps_scenario_bind(sc, model, r->prog, &r->bind, err)) != PS_OK ||
        (st = choose_saved(r, err)) != PS_OK ||
        (st = read_times(r, err)) != PS_OK ||
        (st = find_time_units(r, err)) != PS_OK)
        goto done;
done:
    ps_model_free(&model);
    if (st != PS_OK)
        scenario_free(r);
    return st;
}

void scenario_free(scenario_run *r)
{
    ps_scenario_free(&r->sc);
    ps_program_free(&r->prog);
    free(r->model_sha256);
    free(r->time_units);
    ps_sc_binding_free(&r->bind);
    free(r->save_vars);
    free(r->times);
    varied_release(r->varied, r->nvaried);
    scenario_posterior_free(r->posterior);
    free(r->posterior);
    ps_labels_free(&r->labels);
    memset(r, 0, sizeof *r);
}

/* Uniforms of the design for runs [first, first + count), correlated by
   the copula (NULL: none) and mapped through the inputs' distributions. */
static ps_status design_rows(const scenario_run *r, const ps_copula *copula,
                             ps_dist_sampler *const *samplers, size_t nruns,
                             uint64_t seed, size_t first, size_t count,
                             double *out, ps_error *err)
{
    const ps_scenario *sc = r->sc;
    size_t k = r->bind.ncolumns;
    ps_status st =
        ps_design_fill(sc->sampling, seed, nruns, k, first, count, out, err);
    if (st != PS_OK)
        return st;
    ps_copula_apply(copula, out, count);
    /* samplers has one per column (NULL only when there are none) */
    for (size_t j = 0; j < k; j++)
        ps_dist_sampler_quantiles(samplers[j], out + j, count, k);
    return PS_OK;
}

ps_status scenario_inputs_init(scenario_inputs *in, const scenario_run *r,
                               size_t nruns, uint64_t seed, ps_error *err)
{
    return scenario_inputs_init_cancellable(in, r, nruns, seed, NULL, err);
}

ps_status scenario_inputs_init_cancellable(scenario_inputs *in,
                                           const scenario_run *r, size_t nruns,
                                           uint64_t seed,
                                           volatile sig_atomic_t *cancel,
                                           ps_error *err)
{
    size_t k = r->bind.ncolumns;
    *in = (scenario_inputs){r, nruns, seed, NULL, NULL};
    if (cancel && *cancel)
        return ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                            "interrupted while preparing the design");
    if (k > 0) {
        in->samplers = calloc(k, sizeof *in->samplers);
        for (size_t j = 0; in->samplers && j < k; j++) {
            in->samplers[j] = ps_dist_sampler_new(r->bind.columns[j].dist);
            if (!in->samplers[j]) {
                scenario_inputs_free(in);
                return nomem(err);
            }
        }
        if (!in->samplers)
            return nomem(err);
    }
    if (!r->bind.correlation || k < 2)
        return PS_OK;
    ps_status st = ps_copula_new(r->bind.correlation, k, &in->copula, err);
    if (st != PS_OK)
        scenario_inputs_free(in);
    return st;
}

void scenario_inputs_free(scenario_inputs *in)
{
    ps_copula_free(&in->copula);
    if (in->samplers)
        for (size_t j = 0; j < in->run->bind.ncolumns; j++)
            ps_dist_sampler_free(&in->samplers[j]);
    free(in->samplers);
    in->samplers = NULL;
}

ps_status scenario_fill_inputs(void *ctx, size_t first, size_t count,
                               double *out, ps_error *err)
{
    const scenario_inputs *in = ctx;
    ps_status st = design_rows(in->run, in->copula, in->samplers, in->nruns,
                               in->seed, first, count, out, err);
    if (st == PS_OK && in->run->posterior)
        scenario_posterior_draw(in->run->posterior, in->seed, in->nruns, first,
                                count, out);
    return st;
}

ps_status scenario_use_posterior(scenario_run *r, const char *path,
                                 const study_hooks *hooks, ps_error *err)
{
    scenario_posterior *p = calloc(1, sizeof *p);
    if (!p)
        return nomem(err);
    double t0 = r->sc->has_initial_time ? r->sc->initial_time : NAN;
    ps_status st = scenario_posterior_load(p, path, &r->bind, r->model_sha256,
                                           t0, hooks, err);
    if (st != PS_OK) {
        free(p);
        return st;
    }
    r->posterior = p;
    return PS_OK;
}

/* ---------------------------------------------------------- the file */

/* Text of a distribution for the file and reports. */
void scenario_dist_text(const ps_dist *d, char *buf, size_t size)
{
    const char *name = ps_dist_kind_name(d->kind);
    switch (d->kind) {
    case PS_DIST_UNIFORM:
        snprintf(buf, size, "%s(min=%g, max=%g)", name, d->p[0], d->p[1]);
        break;
    case PS_DIST_NORMAL:
        snprintf(buf, size, "%s(mean=%g, sd=%g)", name, d->p[0], d->p[1]);
        break;
    case PS_DIST_TRUNCNORMAL:
        snprintf(buf, size, "%s(mean=%g, sd=%g, min=%g, max=%g)", name,
                 d->p[0], d->p[1], d->p[2], d->p[3]);
        break;
    case PS_DIST_LOGNORMAL:
        snprintf(buf, size, "%s(mu=%g, sigma=%g)", name, d->p[0], d->p[1]);
        break;
    case PS_DIST_TRIANGULAR:
        snprintf(buf, size, "%s(min=%g, mode=%g, max=%g)", name, d->p[0],
                 d->p[1], d->p[2]);
        break;
    case PS_DIST_PERT:
        snprintf(buf, size, "%s(min=%g, mode=%g, max=%g, lambda=%g)", name,
                 d->p[0], d->p[1], d->p[2], d->p[3]);
        break;
    case PS_DIST_DISCRETE: {
        size_t n = (size_t)snprintf(buf, size, "%s(", name);
        for (size_t i = 0; i < d->n && n < size; i++)
            n += (size_t)snprintf(buf + n, size - n, "%s%g:%g", i ? ", " : "",
                                  d->values[i], d->weights[i]);
        if (n < size)
            snprintf(buf + n, size - n, ")");
        break;
    }
    }
}

/* The first line of a documentation text, as a variable's long name;
   NULL when there is none. */
static const char *first_line(const char *doc, char *buf, size_t size)
{
    if (!doc || !doc[0])
        return NULL;
    /* at most size - 1 bytes, and no half character */
    size_t n = ps_utf8_cut(doc, strcspn(doc, "\n"), size - 1);
    memcpy(buf, doc, n);
    buf[n] = '\0';
    return buf;
}

typedef struct h5_meta_store {
    ps_h5_meta meta;
    ps_h5_var_meta *vars;
    char (*long_names)[256];
    size_t *var_dims;          /* every saved variable's ranges          */
    ps_h5_dim_meta *dims;
    const char **dim_elements; /* every range's element names            */
    ps_h5_input_meta *inputs;
    char (*dist_texts)[256];
    ps_h5_target_meta *targets;
    ps_h5_fixed_meta *fixed;
    ps_h5_lever_meta *levers;
    char **shown;              /* fixed values' and levers' names        */
    size_t nshown;
    char version[128];
    ps_h5_calibration_meta calibration;
} h5_meta_store;

static void meta_free(h5_meta_store *m)
{
    free(m->vars);
    free(m->long_names);
    free(m->var_dims);
    free(m->dims);
    free(m->dim_elements);
    free(m->inputs);
    free(m->dist_texts);
    free(m->targets);
    free(m->fixed);
    free(m->levers);
    for (size_t i = 0; i < m->nshown; i++)
        free(m->shown[i]);
    free(m->shown);
}

/* The ranges the saved variables run over, each once. */
static ps_status meta_dims(const scenario_run *r, h5_meta_store *m,
                           ps_error *err)
{
    const ps_program *p = r->prog;
    size_t nd = ps_program_dim_count(p), total = 0, nused = 0, nel = 0;
    for (size_t v = 0; v < r->nsave; v++)
        total += ps_program_var_ndims(p, r->save_vars[v]);
    size_t *index = calloc(nd + 1, sizeof *index); /* program dim -> meta */
    m->var_dims = calloc(total + 1, sizeof *m->var_dims);
    m->dims = calloc(nd + 1, sizeof *m->dims);
    for (size_t d = 0; d < nd; d++)
        nel += ps_program_dim_size(p, d);
    m->dim_elements = calloc(nel + 1, sizeof *m->dim_elements);
    if (!index || !m->var_dims || !m->dims || !m->dim_elements) {
        free(index);
        return nomem(err);
    }
    size_t at = 0, el = 0;
    for (size_t v = 0; v < r->nsave; v++) {
        size_t var = r->save_vars[v];
        m->vars[v].ndims = ps_program_var_ndims(p, var);
        m->vars[v].dims = m->var_dims + at;
        for (size_t k = 0; k < m->vars[v].ndims; k++) {
            size_t d = ps_program_var_dim(p, var, k);
            if (!index[d]) {
                ps_h5_dim_meta *dm = &m->dims[nused];
                dm->name = ps_program_dim_name(p, d);
                dm->n = ps_program_dim_size(p, d);
                dm->elements = m->dim_elements + el;
                for (size_t e = 0; e < dm->n; e++)
                    m->dim_elements[el++] = ps_program_dim_element(p, d, e);
                index[d] = ++nused;
            }
            m->var_dims[at++] = index[d] - 1;
        }
    }
    free(index);
    m->meta.ndims = nused;
    m->meta.dims = m->dims;
    return PS_OK;
}

/* A fixed value's or lever's name for the file: the model's spelling
   of the variable, with the scenario's subscripts. */
static const char *shown_name(const scenario_run *r, h5_meta_store *m,
                              const char *name, const ps_sc_ref *ref,
                              const char **units)
{
    size_t var = ps_program_find(r->prog, ref->var);
    *units = NULL;
    if (var == (size_t)-1)
        return name;
    *units = ps_program_var_units(r->prog, var);
    const char *model = ps_program_var_name(r->prog, var);
    if (ref->nsubs == 0)
        return model;
    char *t = ps_name_with_elements(model, (const char *const *)ref->subs,
                                    ref->nsubs);
    if (!t)
        return name;
    m->shown[m->nshown++] = t;
    return t;
}

ps_h5_target_meta scenario_target_meta(const scenario_run *r, size_t i)
{
    const ps_sc_target *t = &r->sc->targets[i];
    return (ps_h5_target_meta){t->name,
                               t->label,
                               r->bind.target_names[i],
                               t->time,
                               (ps_sc_compare)t->compare,
                               t->lo,
                               t->hi,
                               t->binding,
                               t->source};
}

void scenario_engine_version(char *buf, size_t size)
{
    if (PLANSIM_GIT_SHA[0])
        snprintf(buf, size, "%s (git %s)", PLANSIM_VERSION, PLANSIM_GIT_SHA);
    else
        snprintf(buf, size, "%s", PLANSIM_VERSION);
}

static ps_status meta_build(const scenario_run *r, const h5_run_options *o,
                            h5_meta_store *m, ps_error *err)
{
    const ps_scenario *sc = r->sc;
    memset(m, 0, sizeof *m);
    m->vars = calloc(r->nsave + 1, sizeof *m->vars);
    m->long_names = calloc(r->nsave + 1, sizeof *m->long_names);
    m->inputs = calloc(r->bind.ncolumns + 1, sizeof *m->inputs);
    m->dist_texts = calloc(r->bind.ncolumns + 1, sizeof *m->dist_texts);
    m->targets = calloc(sc->ntargets + 1, sizeof *m->targets);
    m->fixed = calloc(sc->nfixed + 1, sizeof *m->fixed);
    m->levers = calloc(sc->nlevers + 1, sizeof *m->levers);
    m->shown = calloc(sc->nfixed + sc->nlevers + 1, sizeof *m->shown);
    if (!m->vars || !m->long_names || !m->inputs || !m->dist_texts ||
        !m->targets || !m->fixed || !m->levers || !m->shown) {
        meta_free(m);
        return nomem(err);
    }
    for (size_t v = 0; v < r->nsave; v++) {
        m->vars[v].model_name = ps_program_var_name(r->prog, r->save_vars[v]);
        m->vars[v].units = ps_program_var_units(r->prog, r->save_vars[v]);
        m->vars[v].long_name = first_line(
            ps_program_var_doc(r->prog, r->save_vars[v]), m->long_names[v],
            sizeof m->long_names[v]);
    }
    ps_status st = meta_dims(r, m, err);
    if (st != PS_OK) {
        meta_free(m);
        return st;
    }
    for (size_t j = 0; j < r->bind.ncolumns; j++) {
        const ps_sc_input *in = &sc->inputs[r->bind.columns[j].input];
        scenario_dist_text(r->bind.columns[j].dist, m->dist_texts[j],
                  sizeof m->dist_texts[j]);
        m->inputs[j] = (ps_h5_input_meta){r->bind.columns[j].name, in->label,
                                          in->source, m->dist_texts[j]};
    }
    for (size_t i = 0; i < sc->ntargets; i++)
        m->targets[i] = scenario_target_meta(r, i);
    /* Fixed values and levers under the model's own spelling and units;
       the scenario check has vouched for every name. */
    for (size_t i = 0; i < sc->nfixed; i++) {
        const ps_sc_fixed *f = &sc->fixed[i];
        const char *units;
        const char *name = shown_name(r, m, f->name, &f->ref, &units);
        m->fixed[i] =
            (ps_h5_fixed_meta){name, units, f->value, f->label, f->source};
    }
    for (size_t i = 0; i < sc->nlevers; i++) {
        const ps_sc_lever *l = &sc->levers[i];
        const char *units;
        const char *name = shown_name(r, m, l->name, &l->ref, &units);
        m->levers[i] = (ps_h5_lever_meta){name,     units,    l->n,
                                          l->time,  l->value, l->label,
                                          l->source};
    }
    scenario_engine_version(m->version, sizeof m->version);
    m->meta = (ps_h5_meta){
        .title = sc->title,
        .description = sc->description,
        .lang = {sc->title_zh, sc->title_en, sc->description_zh,
                 sc->description_en},
        .nscenario_files = sc->nfiles,
        .scenario_names = (const char *const *)sc->files,
        .scenario_texts = (const char *const *)sc->texts,
        .model_file = sc->model_path,
        .model_sha256 = r->model_sha256,
        .seed = o->seed,
        .sampling = ps_design_method_name(sc->sampling),
        .engine_version = m->version,
        .command_line = o->command_line,
        .model_engine = ps_program_engine(r->prog),
        .time_units = r->time_units,
        .nvars = r->nsave,
        .vars = m->vars,
        .ndims = m->meta.ndims,
        .dims = m->dims,
        .ninputs = r->bind.ncolumns,
        .inputs = m->inputs,
        .ntargets = sc->ntargets,
        .targets = m->targets,
        .nfixed = sc->nfixed,
        .fixed = m->fixed,
        .nlevers = sc->nlevers,
        .levers = m->levers,
    };
    if (r->posterior) {
        const ps_h5_posterior *f = r->posterior->file;
        m->calibration = (ps_h5_calibration_meta){
            r->posterior->path, f->method,           f->ess,
            f->log_evidence,    f->nparticles,       r->posterior->ncalibrated,
            r->posterior->prior_p};
        m->meta.calibration = &m->calibration;
    }
    return PS_OK;
}

ps_status scenario_save_also(scenario_run *r, size_t var, ps_error *err)
{
    if (contains(r->save_vars, r->nsave, var))
        return PS_OK;
    size_t *v = realloc(r->save_vars, (r->nsave + 1) * sizeof *v);
    if (!v)
        return nomem(err);
    v[r->nsave++] = var;
    r->save_vars = v;
    return PS_OK;
}

/* Two sinks as one: the file's, then the tap of h5_run_hooks. */
typedef struct tee_sink {
    const ps_sink_type *a_type, *b_type;
    void *a, *b;
    ps_h5_sink *file;          /* a, the ensemble file                  */
    const unsigned char *done; /* runs the file held when resumed, or
                                  NULL                                 */
} tee_sink;

/* Hands the runs a resumed file holds to the second sink, read back in
   blocks of the layout's size: it sees every run, as without a resume. */
static ps_status tee_replay(tee_sink *t, const ps_ensemble_layout *l,
                            ps_error *err)
{
    size_t block = l->block ? l->block : 1;
    unsigned char *status = malloc(block);
    double *values =
        malloc(block * l->nseries * l->ntimes * sizeof *values + 1);
    double *inputs = malloc(block * l->ninputs * sizeof *inputs + 1);
    ps_status st =
        status && values && inputs
            ? PS_OK
            : ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t a = 0;
    while (st == PS_OK && a < l->nruns) {
        while (a < l->nruns && !t->done[a])
            a++;
        size_t z = a;
        while (z < l->nruns && t->done[z] && z - a < block)
            z++;
        if (z > a)
            st = ps_h5_sink_read_runs(t->file, a, z - a, status, values, inputs,
                                      err);
        if (st == PS_OK && z > a)
            st = t->b_type->write_block(t->b, a, z - a, status, values,
                                        l->ninputs ? inputs : NULL, err);
        a = z;
    }
    free(status);
    free(values);
    free(inputs);
    return st;
}

static ps_status tee_begin(void *sink, const ps_ensemble_layout *layout,
                           ps_error *err)
{
    tee_sink *t = sink;
    ps_status st = t->a_type->begin(t->a, layout, err);
    if (st != PS_OK)
        return st;
    st = t->b_type->begin(t->b, layout, err);
    /* A failed begin means no end: the first sink is ended here. */
    if (st != PS_OK) {
        t->a_type->end(t->a, NULL);
        return st;
    }
    if (t->done && (st = tee_replay(t, layout, err)) != PS_OK) {
        t->a_type->end(t->a, NULL);
        t->b_type->end(t->b, NULL);
    }
    return st;
}

static ps_status tee_write_block(void *sink, size_t first, size_t count,
                                 const unsigned char *status,
                                 const double *values, const double *inputs,
                                 ps_error *err)
{
    tee_sink *t = sink;
    ps_status st = t->a_type->write_block(t->a, first, count, status, values,
                                          inputs, err);
    if (st == PS_OK)
        st = t->b_type->write_block(t->b, first, count, status, values, inputs,
                                    err);
    return st;
}

static ps_status tee_end(void *sink, ps_error *err)
{
    tee_sink *t = sink;
    ps_status st = t->a_type->end(t->a, err);
    ps_error b_err;
    ps_status b_st = t->b_type->end(t->b, &b_err);
    if (st == PS_OK && b_st != PS_OK) {
        if (err)
            *err = b_err;
        st = b_st;
    }
    return st;
}

static const ps_sink_type tee_sink_type = {"tee", tee_begin, tee_write_block,
                                           tee_end};

/* Free bytes on the file system that will hold `output`, or UINT64_MAX
   when that cannot be read. */
static uint64_t free_space_for(const char *output)
{
    char *dir = ps_output_folder(output);
    struct statvfs v;
    int ok = dir && statvfs(dir, &v) == 0;
    free(dir);
    if (!ok)
        return UINT64_MAX;
    double bytes = (double)v.f_bavail * (double)v.f_frsize;
    return bytes < 1.8e19 ? (uint64_t)bytes : UINT64_MAX;
}

ps_status scenario_check_room(const scenario_run *r, size_t nruns,
                              int from_scenario, const char *output,
                              ps_error *err)
{
    /* each saved element, each input column, and the run's status */
    size_t nseries = r->bind.ncolumns + 1;
    for (size_t i = 0; i < r->nsave; i++)
        nseries += ps_program_var_size(r->prog, r->save_vars[i]);
    return ps_scenario_check_room(r->sc, from_scenario, nruns, r->ntimes,
                                  nseries, free_space_for(output), err);
}

ps_status scenario_write_h5(const scenario_run *r, scenario_inputs *inputs,
                            const h5_run_options *o,
                            ps_ensemble_report *report, ps_error *err)
{
    return scenario_write_h5_hooked(r, inputs, o, NULL, report, err);
}

/* The ensemble of r: the inputs of `inputs` or of the hooks, skipping
   the runs `skip` flags (may be NULL). */
static ps_ensemble_spec ensemble_spec(const scenario_run *r,
                                      scenario_inputs *inputs,
                                      const h5_run_options *o,
                                      const h5_run_hooks *h,
                                      const unsigned char *skip)
{
    return (ps_ensemble_spec){
        .prog = r->prog,
        .sim = r->sim,
        .nruns = o->nruns,
        .seed = o->seed,
        .ninputs = r->bind.ncolumns,
        .nslots = r->bind.nslots,
        .slots = r->bind.slots,
        .fill_inputs = h->fill_inputs ? h->fill_inputs : scenario_fill_inputs,
        .inputs_ctx = h->fill_inputs ? h->inputs_ctx : inputs,
        .nsave = r->nsave,
        .save_vars = r->save_vars,
        .threads = o->threads,
        .cancel = o->cancel,
        .skip = skip,
        .spread = o->spread,
    };
}

/* A worker's part of a spread ensemble: the blocks rank 0 deals it. */
static ps_status work_for_writer(const scenario_run *r, scenario_inputs *inputs,
                                 const h5_run_options *o, const h5_run_hooks *h,
                                 ps_ensemble_report *report, ps_error *err)
{
    if (inputs && !inputs->run && !h->fill_inputs) {
        ps_status st = scenario_inputs_init_cancellable(
            inputs, r, o->nruns, o->seed, o->cancel, err);
        if (st != PS_OK)
            return st;
    }
    ps_ensemble_spec spec = ensemble_spec(r, inputs, o, h, NULL);
    return ps_ensemble_run(&spec, NULL, NULL, report, err);
}

ps_status scenario_write_h5_hooked(const scenario_run *r,
                                   scenario_inputs *inputs,
                                   const h5_run_options *o,
                                   const h5_run_hooks *hooks,
                                   ps_ensemble_report *report, ps_error *err)
{
    static const h5_run_hooks none = {0};
    const h5_run_hooks *h = hooks ? hooks : &none;
    if (ps_ensemble_spread_worker(o->spread))
        return work_for_writer(r, inputs, o, h, report, err);
    h5_meta_store m;
    ps_status st = meta_build(r, o, &m, err);
    if (st != PS_OK)
        return st;
    if (h->sampling)
        m.meta.sampling = h->sampling;
    ps_h5_options h5opts = {o->deflate_level, 0, o->flush_seconds, o->threads};
    ps_h5_sink *sink = NULL;
    st = o->resume ? ps_h5_sink_resume(o->output, &m.meta, &h5opts, o->nruns,
                                       &sink, err)
                   : ps_h5_sink_open(o->output, &m.meta, &h5opts, &sink, err);
    meta_free(&m);
    if (st != PS_OK)
        return st;
    /* Inputs not prepared yet are prepared now that the file exists: a
       large correlated design takes a while to draw. */
    if (inputs && !inputs->run && !h->fill_inputs) {
        st = scenario_inputs_init_cancellable(inputs, r, o->nruns, o->seed,
                                              o->cancel, err);
        if (st == PS_OK && o->cancel && *o->cancel)
            st = ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                              "interrupted before the first run");
        if (st != PS_OK) {
            ps_h5_sink_close(&sink, 0, NULL);
            return st;
        }
    }
    /* The runs a resumed file holds, copied: the sink's own flags change
       as it writes. */
    const unsigned char *done = ps_h5_sink_done(sink);
    unsigned char *skip = done ? malloc(o->nruns ? o->nruns : 1) : NULL;
    if (done && !skip) {
        ps_h5_sink_close(&sink, 0, NULL);
        return ps_error_set(err, PS_ERR_NOMEM, o->output, 0, 0,
                            "out of memory");
    }
    if (skip)
        memcpy(skip, done, o->nruns);
    study_progress_begin(&o->progress, o->nruns);
    ps_ensemble_spec spec = ensemble_spec(r, inputs, o, h, skip);
    spec.progress = o->progress.runs;
    spec.progress_ctx = o->progress.ctx;
    tee_sink tee = {&ps_h5_sink_type, h->tap_type, sink, h->tap, sink, skip};
    if (h->tap_type)
        st = ps_ensemble_run(&spec, &tee_sink_type, &tee, report, err);
    else
        st = ps_ensemble_run(&spec, &ps_h5_sink_type, sink, report, err);
    study_progress_end(&o->progress);
    free(skip);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (st == PS_OK)
        st = ps_h5_sink_summarize(sink, err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (o->summary_seconds)
        *o->summary_seconds = (double)(t1.tv_sec - t0.tv_sec) +
                              1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
    if (st == PS_OK)
        st = ps_h5_sink_write_labels(sink, r->labels, err);
    if (st == PS_OK && h->finish)
        st = h->finish(sink, h->finish_ctx, err);
    ps_error close_err;
    ps_status cst = ps_h5_sink_close(&sink, st == PS_OK, &close_err);
    if (st == PS_OK && cst != PS_OK) {
        if (err)
            *err = close_err;
        st = cst;
    }
    return st;
}
