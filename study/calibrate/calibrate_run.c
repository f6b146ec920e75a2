/*
 * plansim calibrate, the steps (plansim_study/calibrate.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plansim/calib_scenario.h"
#include "plansim/output_file.h"
#include "plansim_study/calibrate.h"
#include "plansim_study/run.h"

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* ---- progress: the tempering exponent ---- */

/* Where stages go and whether the method tempers (its fill is the
   exponent). */
typedef struct stage_bar {
    const study_progress *progress;
    int tempering;
} stage_bar;

static void stage_progress(const ps_calib_stage *s, void *ctx)
{
    stage_bar *b = ctx;
    char what[160];
    if (b->tempering)
        snprintf(what, sizeof what,
                 "exponent %.3f  ESS %.0f  acceptance %.2f  %zu runs", s->phi,
                 s->ess, isnan(s->acceptance) ? 0 : s->acceptance,
                 s->evaluations);
    else
        snprintf(what, sizeof what, "%zu runs", s->evaluations);
    if (b->progress->stage)
        b->progress->stage(b->progress->ctx, b->tempering ? s->phi : NAN, what);
}

/* ---- the problem ---- */

struct checkpointer;
static ps_status checkpoint(const ps_calib_result *so_far, void *ctx,
                            ps_error *err);

/* Everything a calibration holds, freed by calibration_free. */
typedef struct calibration {
    scenario_run r;
    ps_calib_problem problem; /* the prior and the batch likelihood     */
    ps_calib_result result;
    ps_calib_check check;
    ps_calib_summary summary;
    uint64_t seed;
} calibration;

static void calibration_free(calibration *c)
{
    ps_calib_summary_free(&c->summary);
    ps_calib_check_free(&c->check);
    ps_calib_result_free(&c->result);
    ps_calib_problem_free(&c->problem);
    scenario_free(&c->r);
}

static ps_status set_up(calibration *c, const calibrate_args *a, ps_error *err)
{
    ps_status st = scenario_prepare(a->scenario, &c->r, err);
    if (st != PS_OK)
        return st;
    c->seed = a->has_seed ? a->seed : c->r.sc->seed;
    ps_sim_options sim = c->r.sim;
    sim.seed = c->seed;
    return ps_calib_problem_init(&c->problem, c->r.sc, &c->r.bind, c->r.prog,
                                 &sim, a->threads, a->cancel, err);
}

/* Runs the sampler; `ckpt` (NULL: none) is called after each stage and
   `resume` (NULL: none) is the stage to continue from. */
static ps_status sample(calibration *c, const calibrate_args *a,
                        struct checkpointer *ckpt,
                        const ps_calib_result *resume, ps_error *err)
{
    ps_calib_options o;
    ps_calib_options_default(&o);
    o.resume = resume;
    o.checkpoint = ckpt ? checkpoint : NULL;
    o.checkpoint_ctx = ckpt;
    o.particles = a->particles;
    o.seed = c->seed;
    stage_bar bar = {&a->progress, a->method == PS_CALIB_SMC};
    study_progress_begin(&a->progress, 0);
    o.progress = stage_progress;
    o.progress_ctx = &bar;
    o.cancel = a->cancel;
    ps_calib_model model = ps_calib_batch_model(c->problem.batch);
    ps_status st =
        ps_calibrate(a->method, &c->problem.prior, &model, &o, &c->result, err);
    study_progress_end(&a->progress);
    return st;
}

/* The predictive check and the summaries of what the sampler kept (those
   of an earlier stage replaced). */
static ps_status analyse(calibration *c, ps_error *err)
{
    const ps_scenario *sc = c->r.sc;
    ps_calib_result *res = &c->result;
    ps_calib_summary_free(&c->summary);
    ps_calib_check_free(&c->check);
    ps_status st =
        ps_calib_check_run(sc->observed, res->extra, res->nparticles,
                           res->nextra, res->weights, c->seed, &c->check, err);
    if (st != PS_OK)
        return st;
    return ps_calib_summary_make(&c->problem.prior, res,
                                 ps_calib_batch_nobs(c->problem.batch),
                                 sc->targets, sc->ntargets, &c->summary, err);
}

/* ---- the file ---- */

static const char *measure_name(ps_obs_kind k)
{
    return k == PS_OBS_GROWTH  ? "growth"
           : k == PS_OBS_SHARE ? "share"
                               : "level";
}

/* Arrays the posterior file borrows, freed after writing. */
typedef struct post_store {
    char **labels, **dists, **series_names, **series_vars, **series_measures;
    char *dist_buf;
    double *phi, *ess, *acc, *lev;
    uint64_t *moves, *evals, *obs_series, *start_value;
    double *obs_time, *obs_value;
    ps_h5_target_meta *targets;
    char version[128];
    char *cmdline;
} post_store;

static void post_store_free(post_store *s)
{
    free(s->labels);
    free(s->dists);
    free(s->start_value);
    free(s->dist_buf);
    free(s->series_names);
    free(s->series_vars);
    free(s->series_measures);
    free(s->phi);
    free(s->ess);
    free(s->acc);
    free(s->lev);
    free(s->moves);
    free(s->evals);
    free(s->obs_series);
    free(s->obs_time);
    free(s->obs_value);
    free(s->targets);
    free(s->cmdline);
}

enum { DIST_TEXT = 160 };

/* The settings a posterior file records (provenance, method, particles,
   labels): what a claim writes and a resume compares.  s->version is
   filled; s->cmdline must be set. */
static void settings_of(const calibration *c, const calibrate_args *a,
                        post_store *s, ps_h5_posterior *p)
{
    const ps_scenario *sc = c->r.sc;
    scenario_engine_version(s->version, sizeof s->version);
    *p = (ps_h5_posterior){
        .title = sc->title,
        .description = sc->description,
        .lang = {sc->title_zh, sc->title_en, sc->description_zh,
                 sc->description_en},
        .nscenario_files = sc->nfiles,
        .scenario_names = sc->files,
        .scenario_texts = sc->texts,
        .model_file = sc->model_path,
        .model_sha256 = c->r.model_sha256,
        .engine_version = s->version,
        .command_line = s->cmdline,
        .seed = c->seed,
        .method = (char *)ps_calib_method_name(a->method),
        .log_evidence = NAN,
        .ess = NAN,
        .max_loglik = NAN,
        .initial_time = sc->has_initial_time ? sc->initial_time : NAN,
        .nparticles = a->particles,
        .labels = c->r.labels,
    };
}

static ps_status post_store_fill(post_store *s, const calibration *c,
                                 const calibrate_args *a, ps_h5_posterior *p,
                                 ps_error *err)
{
    const ps_scenario *sc = c->r.sc;
    const ps_calib_result *res = &c->result;
    size_t d = c->problem.prior.nparams, ns = sc->observed->nseries;
    size_t nst = res->nstages ? res->nstages : 1, nobs = c->check.nobs;
    size_t nt = sc->ntargets;
    memset(s, 0, sizeof *s);
    s->labels = calloc(d, sizeof *s->labels);
    s->dists = calloc(d, sizeof *s->dists);
    s->start_value = calloc(d, sizeof *s->start_value);
    s->dist_buf = calloc(d, DIST_TEXT);
    s->series_names = calloc(ns, sizeof(char *));
    s->series_vars = calloc(ns, sizeof(char *));
    s->series_measures = calloc(ns, sizeof(char *));
    s->phi = calloc(nst, sizeof(double));
    s->ess = calloc(nst, sizeof(double));
    s->acc = calloc(nst, sizeof(double));
    s->lev = calloc(nst, sizeof(double));
    s->moves = calloc(nst, sizeof(uint64_t));
    s->evals = calloc(nst, sizeof(uint64_t));
    s->obs_series = calloc(nobs + 1, sizeof(uint64_t));
    s->obs_time = calloc(nobs + 1, sizeof(double));
    s->obs_value = calloc(nobs + 1, sizeof(double));
    s->targets = calloc(nt + 1, sizeof *s->targets);
    s->cmdline = strdup(a->command_line);
    if (!s->labels || !s->dists || !s->start_value || !s->dist_buf ||
        !s->series_names || !s->series_vars || !s->series_measures || !s->phi ||
        !s->ess || !s->acc || !s->lev || !s->moves || !s->evals ||
        !s->obs_series || !s->obs_time || !s->obs_value || !s->targets ||
        !s->cmdline)
        return nomem(err);
    for (size_t j = 0; j < d; j++) {
        const ps_sc_input *in = &sc->inputs[c->r.bind.columns[j].input];
        s->labels[j] = in->label;
        s->start_value[j] = in->start_value != 0;
        s->dists[j] = s->dist_buf + j * DIST_TEXT;
        scenario_dist_text(c->problem.dists[j], s->dists[j], DIST_TEXT);
    }
    size_t k = 0;
    for (size_t i = 0; i < ns; i++) {
        const ps_sc_obs_series *se = &sc->observed->series[i];
        s->series_names[i] = se->column;
        s->series_vars[i] = se->name;
        s->series_measures[i] = (char *)measure_name(se->kind);
        for (size_t j = 0; j < se->n; j++, k++) {
            s->obs_series[k] = i;
            s->obs_time[k] = se->time[j];
            s->obs_value[k] = se->value[j];
        }
    }
    for (size_t i = 0; i < res->nstages; i++) {
        const ps_calib_stage *g = &res->stages[i];
        s->phi[i] = g->phi;
        s->ess[i] = g->ess;
        s->acc[i] = g->acceptance;
        s->lev[i] = g->log_evidence_increment;
        s->moves[i] = g->moves;
        s->evals[i] = g->evaluations;
    }
    for (size_t t = 0; t < nt; t++)
        s->targets[t] = scenario_target_meta(&c->r, t);
    settings_of(c, a, s, p);
    *p = (ps_h5_posterior){
        .title = p->title,
        .description = p->description,
        .lang = p->lang,
        .nscenario_files = p->nscenario_files,
        .scenario_names = p->scenario_names,
        .scenario_texts = p->scenario_texts,
        .model_file = p->model_file,
        .model_sha256 = p->model_sha256,
        .engine_version = p->engine_version,
        .command_line = p->command_line,
        .seed = p->seed,
        .method = p->method,
        .complete = res->complete,
        .log_evidence = res->log_evidence,
        .ess = res->ess,
        .evaluations = res->evaluations,
        .collapsed = res->collapsed,
        .converged = res->converged,
        .max_loglik = res->method == PS_CALIB_OPTIMIZE ? res->max_loglik : NAN,
        .initial_time = sc->has_initial_time ? sc->initial_time : NAN,
        .nparams = d,
        .params = (char **)c->problem.names,
        .param_labels = s->labels,
        .param_dists = s->dists,
        .param_start_value = s->start_value,
        .prior_mean = c->summary.prior_mean,
        .prior_sd = c->summary.prior_sd,
        .prior_q = c->summary.prior_q,
        .post_mean = c->summary.post_mean,
        .post_sd = c->summary.post_sd,
        .post_q = c->summary.post_q,
        .covariance = res->covariance,
        .nparticles = res->nparticles,
        .x = res->x,
        .weights = res->weights,
        .loglik = res->loglik,
        .prior_x = res->prior_x,
        .nstages = res->nstages,
        .stage_phi = s->phi,
        .stage_ess = s->ess,
        .stage_acceptance = s->acc,
        .stage_log_evidence = s->lev,
        .stage_moves = s->moves,
        .stage_evaluations = s->evals,
        .nseries = ns,
        .series_names = s->series_names,
        .series_variables = s->series_vars,
        .series_measures = s->series_measures,
        .inside50 = c->check.inside50,
        .inside90 = c->check.inside90,
        .nobs = nobs,
        .obs_series = s->obs_series,
        .obs_time = s->obs_time,
        .obs_value = s->obs_value,
        .pred_median = c->check.median,
        .pred_lo50 = c->check.lo50,
        .pred_hi50 = c->check.hi50,
        .pred_lo90 = c->check.lo90,
        .pred_hi90 = c->check.hi90,
        .ntargets = nt,
        .targets = s->targets,
        .prior_p = c->summary.prior_p,
        .post_p = c->summary.post_p,
        .labels = c->r.labels,
    };
    /* An unfinished SMC keeps what it continues from. */
    if (!res->complete && res->z) {
        p->nextra = res->nextra;
        p->resume_z = res->z;
        p->resume_extra = res->extra;
        p->resume_prior_extra = res->prior_extra;
        p->resume_move_scale = res->move_scale;
    }
    return PS_OK;
}

static ps_status write_file(const calibration *c, const calibrate_args *a,
                            const char *path, ps_error *err)
{
    post_store s;
    ps_h5_posterior p;
    ps_status st = post_store_fill(&s, c, a, &p, err);
    if (st == PS_OK)
        st = ps_h5_posterior_write(path, &p, err);
    post_store_free(&s);
    return st;
}

/* ---- checkpoints and resuming ---- */

/* What the sampler's checkpoint callback needs. */
typedef struct checkpointer {
    calibration *c;
    const calibrate_args *a;
    const char *output;
    double last;    /* monotonic seconds of the last write          */
    size_t written; /* stages in the .partial file                  */
} checkpointer;

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The result so far (c->result, complete 0) into output.partial, with
   its predictive check and summaries. */
static ps_status write_stage(checkpointer *k, ps_error *err)
{
    calibration *c = k->c;
    ps_status st = analyse(c, err);
    if (st == PS_OK)
        st = write_file(c, k->a, k->output, err);
    if (st == PS_OK) {
        k->written = c->result.nstages;
        k->last = now_seconds();
    }
    return st;
}

/* After each whole SMC stage: written when --flush-every has passed
   since the last write; the last stage is left to the final file. */
static ps_status checkpoint(const ps_calib_result *so_far, void *ctx,
                            ps_error *err)
{
    checkpointer *k = ctx;
    if (so_far->stages[so_far->nstages - 1].phi >= 1.0 ||
        now_seconds() - k->last < k->a->flush_seconds)
        return PS_OK;
    return write_stage(k, err);
}

/* The interrupted run `held` (from ps_h5_posterior_resume) as the
   sampler's result to continue from; its arrays are borrowed, the
   stages array is new (freed by the caller). */
static ps_status held_result(const ps_h5_posterior *held, ps_calib_result *r,
                             ps_error *err)
{
    memset(r, 0, sizeof *r);
    r->stages = calloc(held->nstages ? held->nstages : 1, sizeof *r->stages);
    if (!r->stages)
        return nomem(err);
    for (size_t i = 0; i < held->nstages; i++)
        r->stages[i] = (ps_calib_stage){
            .phi = held->stage_phi[i],
            .ess = held->stage_ess[i],
            .acceptance = held->stage_acceptance[i],
            .moves = (size_t)held->stage_moves[i],
            .log_evidence_increment = held->stage_log_evidence[i],
            .evaluations = (size_t)held->stage_evaluations[i],
        };
    r->method = PS_CALIB_SMC;
    r->nparams = held->nparams;
    r->nparticles = held->nparticles;
    r->nextra = held->nextra;
    r->x = held->x;
    r->weights = held->weights;
    r->loglik = held->loglik;
    r->extra = held->resume_extra;
    r->prior_x = held->prior_x;
    r->prior_extra = held->resume_prior_extra;
    r->z = held->resume_z;
    r->move_scale = held->resume_move_scale;
    r->nstages = held->nstages;
    r->log_evidence = held->log_evidence;
    r->evaluations = (size_t)held->evaluations;
    return PS_OK;
}

/* A sampler's error names the scenario; when runs failed it says how
   many and gives the first's error: "no draw reproduces the
   observations" is often "every run went NaN". */
static void explain_failure(const calibration *c, ps_error *e)
{
    if (!e->file[0])
        snprintf(e->file, sizeof e->file, "%s", c->r.sc->path);
    const ps_error *first = ps_calib_batch_first_failure(c->problem.batch);
    if (e->status != PS_ERR_DATA || !first)
        return;
    size_t len = strlen(e->message);
    snprintf(e->message + len, sizeof e->message - len,
             "; %zu runs failed, the first: %.400s",
             ps_calib_batch_failed(c->problem.batch), first->message);
}

static void warn(const calibration *c, const calibrate_args *a)
{
    const ps_calib_result *res = &c->result;
    size_t failed = ps_calib_batch_failed(c->problem.batch);
    if (failed)
        study_say(a->hooks,
                  "warning: %zu of %zu runs failed (a value "
                  "turned NaN or the run could not start); they count as "
                  "impossible",
                  failed, res->evaluations);
    if (res->collapsed)
        study_say(a->hooks,
                  "warning: the importance weights "
                  "collapsed: ESS %.1f of %zu draws; the data say much more "
                  "than the prior, so use --method smc",
                  res->ess, res->nparticles);
    if (res->method == PS_CALIB_OPTIMIZE && !res->converged)
        study_say(a->hooks, "warning: the optimiser stopped "
                            "before it met its tolerance");
}

/* Claims the output: creates output.partial holding the calibration's
   settings before any run; or opens --resume's file, its settings
   compared with this command's.  *held gets what an interrupted run left
   (nparticles 0 when no stage finished), or NULL. */
static ps_status prepare_output(const calibration *c, const calibrate_args *a,
                                const char *output, ps_h5_posterior **held,
                                ps_error *err)
{
    *held = NULL;
    post_store s = {0};
    ps_h5_posterior settings;
    s.cmdline = strdup(a->command_line);
    if (!s.cmdline)
        return nomem(err);
    settings_of(c, a, &s, &settings);
    ps_status st;
    if (a->resume) {
        st = ps_h5_posterior_resume(a->resume, &settings, held, err);
    } else {
        st = ps_output_check(
            output, PS_OUTPUT_RESUMABLE | (a->force ? PS_OUTPUT_REPLACE : 0),
            err);
        if (st == PS_OK)
            st = ps_h5_posterior_claim(output, &settings, err);
    }
    post_store_free(&s);
    return st;
}

/* Samples from the prior or from the held stage (SMC; the other methods
   start again), with checkpoints. */
static ps_status sample_resumable(calibration *c, const calibrate_args *a,
                                  const ps_h5_posterior *held, checkpointer *k,
                                  ps_error *err)
{
    ps_calib_result from;
    int continues = held && held->nparticles > 0 && a->method == PS_CALIB_SMC;
    ps_status st = continues ? held_result(held, &from, err) : PS_OK;
    if (st != PS_OK)
        return st;
    if (continues)
        k->written = held->nstages;
    st = sample(c, a, k, continues ? &from : NULL, err);
    if (continues)
        free(from.stages);
    return st;
}

ps_status calibrate_run(const calibrate_args *a, ps_h5_posterior **out,
                        ps_error *err)
{
    *out = NULL;
    calibration c;
    memset(&c, 0, sizeof c);
    char *output = strdup(a->output);
    ps_h5_posterior *held = NULL;
    ps_status st = output ? set_up(&c, a, err) : nomem(err);
    int worker = ps_ensemble_spread_worker(a->spread);
    if (st == PS_OK && a->spread && a->resume)
        st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                          "--resume continues a calibration in one process: "
                          "run it without mpirun, or with one rank");
    if (st == PS_OK)
        ps_calib_batch_spread(c.problem.batch, a->spread);
    if (st == PS_OK && !worker)
        st = prepare_output(&c, a, output, &held, err);
    int claimed = st == PS_OK && !worker;
    checkpointer k = {&c, a, output, now_seconds(), 0};
    ps_error run_err;
    ps_status run_st = PS_OK;
    if (st == PS_OK && worker) {
        /* the runs rank 0 deals; it writes and reports */
        st = sample(&c, a, NULL, NULL, err);
        calibration_free(&c);
        free(output);
        return st;
    }
    if (st == PS_OK) {
        run_st = sample_resumable(&c, a, held, &k, &run_err);
        if (run_st != PS_OK &&
            !(run_st == PS_ERR_INTERRUPTED && c.result.nstages > 0)) {
            explain_failure(&c, &run_err);
            if (err)
                *err = run_err;
            st = run_st;
        }
    }
    ps_h5_posterior_free(&held);
    if (st == PS_OK && run_st == PS_ERR_INTERRUPTED) {
        /* the last whole stage, unless the .partial holds it already */
        if (k.written < c.result.nstages)
            st = write_stage(&k, err);
        if (st == PS_OK)
            st = ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                              "interrupted after %zu stages (%zu runs); "
                              "they are in %s.partial; continue with "
                              "--resume %s.partial",
                              c.result.nstages, c.result.evaluations, output,
                              output);
    } else if (st == PS_OK) {
        st = analyse(&c, err);
        if (st == PS_OK)
            st = write_file(&c, a, output, err);
        if (st == PS_OK)
            warn(&c, a);
        if (st == PS_OK)
            st = ps_h5_posterior_read(output, out, err);
    }
    /* A claim that holds no stage is this command's own and worthless
       after a failure: removed, so that the next run needs no --resume. */
    if (st != PS_OK && st != PS_ERR_INTERRUPTED && claimed && !a->resume &&
        k.written == 0)
        ps_h5_posterior_unclaim(output);
    calibration_free(&c);
    free(output);
    return st;
}
