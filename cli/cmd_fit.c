/*
 * plansim fit: how well one deterministic run of a model (or of a
 * scenario at the medians of its uncertain inputs) reproduces observed
 * data, variable by variable (MAPE, RMSPE, Theil's U and its
 * decomposition; see plansim/fit.h).
 *
 * Observed times are compared at the run's own time steps: when SAVEPER
 * is a constant larger than TIME STEP it is set to TIME STEP for this run
 * (saving more often changes no value), so any observed time that falls
 * on a step can be compared; a time between steps or outside the run is
 * an error located in the data file.
 *
 * This file holds the command's arguments and flow, the model or
 * scenario to run and the run itself; the observed table is the fit
 * study's (plansim_study/fit.h) and the printing is in fit_print.c (see
 * fit_cli.h).
 */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "fit_cli.h"
#include "plansim/calib_scenario.h"
#include "plansim/dist.h"
#include "plansim/fit.h"
#include "plansim/instance.h"
#include "plansim/integ.h"
#include "plansim/mdl.h"
#include "plansim/program.h"
#include "plansim/sim.h"
#include "plansim_study/run.h"
#include "study_io.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_fit);
    fputs("\n"
          "Runs the model once and compares it with observed data: for each\n"
          "observed variable, the number of observations n, the mean absolute\n"
          "percent error (MAPE), the root mean square percent error (RMSPE),\n"
          "Theil's inequality coefficient U (0 = perfect, 1 = worst) and\n"
          "Theil's decomposition of the mean squared error into bias U^M,\n"
          "unequal variation U^S and unequal covariation U^C, which add up\n"
          "to 1 (Sterman 1984, Dynamica 10(2) 51-66; Theil 1966).\n"
          "\n"
          "With a scenario (.yaml or .yml) its time settings, method, fixed\n"
          "values and levers apply, and every uncertain input is set to the\n"
          "median of its distribution (RANDOM functions draw with the\n"
          "scenario's seed, run 0).  With --posterior POST.h5 (plansim\n"
          "calibrate) the inputs it calibrated are set to their posterior\n"
          "medians instead: data the calibration did not see (a hold-out\n"
          "period) then test the calibrated model out of sample.\n"
          "\n"
          "Without --observed, a scenario's own `observed:` section is the\n"
          "data: its series (levels, growth rates, shares) over its window,\n"
          "each with its name.  A scenario that extends the calibrated one\n"
          "with another window (observed: {from: 2022, to: 2025}) scores\n"
          "the calibration out of sample.\n"
          "\n"
          "The observed table (.csv comma-separated, .tab tab-separated) has\n"
          "a first column of times, then one column per model variable under\n"
          "its model name (any Vensim spelling).  Empty cells are missing\n"
          "observations.  Every time must fall on a TIME STEP of the run,\n"
          "once: SAVEPER (when a constant) is set to TIME STEP for the run,\n"
          "so a model saving yearly can still be compared with quarterly\n"
          "data.\n"
          "\n"
          "Options:\n"
          "  -d, --observed FILE   the observed data (required for a model;\n"
          "                        default for a scenario: its observed\n"
          "                        section)\n"
          "  -s, --set NAME=VALUE  replace the constant NAME by VALUE\n"
          "                        (repeatable; after the scenario's values)\n"
          "  -m, --method NAME     integration method:",
          out);
    for (const ps_stepper_type *const *t = ps_stepper_types(); *t; t++)
        fprintf(out, " %s", (*t)->name);
    fputs("\n"
          "                        (default: the scenario's, else euler)\n"
          "  -P, --posterior POST.h5\n"
          "                        a scenario's calibrated inputs at their\n"
          "                        posterior medians\n"
          "  -f, --format FMT      table (aligned text, the default), md (a\n"
          "                        Markdown table), csv (long form:\n"
          "                        variable,statistic,value) or json\n"
          "  -h, --help            show this help and exit\n"
          "\n"
          "Percent errors leave out observed values of 0 (their percent\n"
          "error is undefined).  A statistic that cannot be computed (no\n"
          "observation, one observation for the decomposition) is n/a (an\n"
          "empty cell in csv); the reason follows the table (on stderr with\n"
          "csv).  The csv statistics are n, mape_percent, rmspe_percent,\n"
          "theil_u, u_m, u_s and u_c, in full precision.\n"
          "\n"
          "Exit status: 0 success, 64 usage, 65 a bad model, scenario or\n"
          "data file (with file:line:col) or a failed run, 66 a file that\n"
          "cannot be opened.\n",
          out);
}

/* ------------------------------------------------------------ arguments */

/* Is `path` a scenario (.yaml, .yml)? */
static int is_scenario(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return 0;
    return strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0;
}

typedef struct fit_args {
    const char *input;    /* the model or scenario                 */
    const char *observed; /* the data file                         */
    const char *method;   /* NULL: the scenario's, else euler      */
    fit_format format;
    ps_override *sets;    /* --set, names owned                    */
    size_t nsets;
    const char *posterior; /* --posterior: a scenario's calibration */
} fit_args;

static void free_args(fit_args *a)
{
    for (size_t i = 0; i < a->nsets; i++)
        free((char *)a->sets[i].name);
    free(a->sets);
}

static int out_of_memory(void)
{
    ps_error err;
    ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return cli_fail(&err);
}

/* Adds one --set NAME=VALUE; returns 0 or a usage error status. */
static int add_set(fit_args *a, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    double v;
    if (!eq || eq == arg)
        return cli_usage_error(&cli_fit, "--set expects NAME=VALUE, not '%s'",
                               arg);
    if (study_parse_number(eq + 1, &v) != 0)
        return cli_usage_error(&cli_fit, "--set %s: '%s' is not a finite "
                                         "number",
                               arg, eq + 1);
    char *name = strndup(arg, (size_t)(eq - arg));
    if (!name)
        return out_of_memory();
    a->sets[a->nsets].name = name;
    a->sets[a->nsets].value = v;
    a->nsets++;
    return 0;
}

static int parse_format(const char *name, fit_format *f)
{
    if (strcmp(name, "table") == 0)
        *f = FIT_TABLE;
    else if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
        *f = FIT_MD;
    else if (strcmp(name, "csv") == 0)
        *f = FIT_CSV;
    else if (strcmp(name, "json") == 0)
        *f = FIT_JSON;
    else
        return -1;
    return 0;
}

/* Parses the command line into *a; returns -1 to go on, else an exit
   status (0 after --help). */
static int parse_args(int argc, char **argv, fit_args *a)
{
    static const struct option options[] = {
        {"observed", required_argument, NULL, 'd'},
        {"set", required_argument, NULL, 's'},
        {"method", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'},
        {"posterior", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc;

    /* at most one --set per argument */
    a->sets = calloc((size_t)argc, sizeof *a->sets);
    if (!a->sets)
        return out_of_memory();
    cli_getopt_begin(&cli_fit, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "d:s:m:f:P:h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            a->observed = optarg;
            break;
        case 's':
            if ((rc = add_set(a, optarg)) != 0)
                return rc;
            break;
        case 'm':
            if (!ps_stepper_type_find(optarg))
                return cli_usage_error(&cli_fit,
                                       "unknown method '%s' (see --help)",
                                       optarg);
            a->method = optarg;
            break;
        case 'f':
            if (parse_format(optarg, &a->format) != 0)
                return cli_usage_error(&cli_fit,
                                       "--format: '%s' is not "
                                       "table, md, csv or json",
                                       optarg);
            break;
        case 'P':
            a->posterior = optarg;
            break;
        case 'h':
            help(stdout);
            return 0;
        default: /* getopt has said what was wrong */
            return cli_usage_tail(&cli_fit);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_fit, "missing MODEL or SCENARIO");
    if (a->posterior && !is_scenario(argv[optind]))
        return cli_usage_error(&cli_fit, "--posterior needs a scenario "
                                         "(.yaml), not a model");
    if (argc - optind > 1)
        return cli_usage_error(&cli_fit, "unexpected argument '%s'",
                               argv[optind + 1]);
    a->input = argv[optind];
    if (!a->observed && !is_scenario(a->input))
        return cli_usage_error(&cli_fit, "missing --observed FILE (a model "
                                         "has no observed section)");
    if (!a->observed && a->nsets > 0)
        return cli_usage_error(&cli_fit, "--set needs --observed: a "
                                         "scenario's observed section is "
                                         "fitted at its inputs' medians");
    return -1;
}

/* ---------------------------------------------------------------- model */

/* The program to run and how: from a model, or from a scenario. */
typedef struct fit_model {
    scenario_run sr;      /* filled for a scenario                        */
    ps_program *own;      /* the program compiled from a model file       */
    const ps_program *prog;
    ps_sim_options sim;
    uint64_t seed;
    double *medians;      /* a scenario's input columns at their medians,
                             set through its slots                        */
    ps_override *ov;      /* --set, then SAVEPER; names borrowed; a name
                             may be one element ("capacity[新材料]")      */
    size_t nov;
} fit_model;

static void model_free(fit_model *m)
{
    scenario_free(&m->sr);
    ps_program_free(&m->own);
    free(m->ov);
    free(m->medians);
}

static ps_status model_prepare(const fit_args *a, fit_model *m, ps_error *err)
{
    memset(m, 0, sizeof *m);
    ps_sim_options_default(&m->sim);
    size_t ninputs = 0;
    ps_status st;
    cli_study_io io;
    if (is_scenario(a->input)) {
        if ((st = scenario_prepare(a->input, &m->sr, err)) != PS_OK)
            return st;
        if (a->posterior &&
            (st = scenario_use_posterior(&m->sr, a->posterior,
                                         cli_study_hooks(&io, "plansim", 0),
                                         err)) != PS_OK)
            return st;
        m->prog = m->sr.prog;
        m->sim = m->sr.sim;
        m->seed = m->sr.sc->seed;
        ninputs = m->sr.bind.ncolumns;
    } else {
        ps_model *model = NULL;
        if ((st = ps_model_load(a->input, &model, err)) != PS_OK)
            return st;
        st = ps_program_compile(model, &m->own, err);
        ps_model_free(&model);
        if (st != PS_OK)
            return st;
        m->prog = m->own;
    }
    if (a->method)
        m->sim.method = a->method;
    /* + 1 for SAVEPER */
    m->ov = calloc(a->nsets + 1, sizeof *m->ov);
    m->medians = calloc(ninputs + 1, sizeof *m->medians);
    if (!m->ov || !m->medians)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* The medians first (apply_overrides), so that --set can replace
       them. */
    for (size_t j = 0; j < ninputs; j++) {
        double post = scenario_posterior_quantile(m->sr.posterior, j, 0.5);
        m->medians[j] = !isnan(post) ? post
                                     : ps_dist_quantile(
                                           m->sr.bind.columns[j].dist, 0.5);
    }
    for (size_t i = 0; i < a->nsets; i++)
        m->ov[m->nov++] = a->sets[i];
    return PS_OK;
}

/* Sets the overrides on a new instance; a name that is no variable, or no
   constant, is a usage error (as for simulate). */
static ps_status apply_overrides(const fit_model *m, ps_instance *inst,
                                 ps_error *err)
{
    ps_status st = PS_OK;
    for (size_t i = 0; i < m->sr.bind.nslots && st == PS_OK; i++) {
        const ps_input_slot *sl = &m->sr.bind.slots[i];
        st = sl->element == PS_ALL_ELEMENTS
                 ? ps_instance_override(inst, sl->var, m->medians[sl->input],
                                        err)
                 : ps_instance_override_element(inst, sl->var, sl->element,
                                                m->medians[sl->input], err);
    }
    for (size_t i = 0; i < m->nov && st == PS_OK; i++) {
        size_t var, elem;
        st = ps_element_find(m->prog, m->ov[i].name, &var, &elem, err);
        if (st != PS_OK) {
            if (err && !err->file[0])
                snprintf(err->file, sizeof err->file, "%s",
                         ps_program_path(m->prog));
            return st;
        }
        st = elem == PS_ALL_ELEMENTS
                 ? ps_instance_override(inst, var, m->ov[i].value, err)
                 : ps_instance_override_element(inst, var, elem,
                                                m->ov[i].value, err);
    }
    return st;
}

/* The run's time settings, with every override applied. */
static ps_status read_time(const fit_model *m, ps_time_settings *ts,
                           ps_error *err)
{
    ps_instance *inst = ps_instance_new(m->prog);
    if (!inst)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ps_status st = apply_overrides(m, inst, err);
    if (st == PS_OK)
        st = ps_instance_init(inst, m->seed, 0, err);
    if (st == PS_OK)
        *ts = *ps_instance_time(inst);
    else if (err && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", ps_program_path(m->prog));
    ps_instance_free(&inst);
    return st;
}

/* Saves every TIME STEP when SAVEPER is a constant that says otherwise;
   *every_step tells whether the run now saves at each step. */
static void save_every_step(fit_model *m, const ps_time_settings *ts,
                            int *every_step)
{
    *every_step = llround(ts->saveper / ts->time_step) <= 1;
    if (*every_step)
        return;
    size_t var = ps_program_find(m->prog, "SAVEPER");
    if (var == (size_t)-1 ||
        ps_program_var_class(m->prog, var) != PS_CLASS_CONSTANT)
        return;
    m->ov[m->nov++] = (ps_override){"SAVEPER", ts->time_step};
    *every_step = 1;
}

/* ----------------------------------------------------------------- run */

/* Keeps the values of the observed variables at the observed steps. */
static int collect(void *ctx, size_t row, double t, const ps_instance *inst)
{
    fit_data *d = ctx;
    (void)row;
    uint64_t k = (uint64_t)llround((t - d->t0) / d->dt);
    const ps_series *o = d->obs;
    for (size_t i = 0; i < o->nrows; i++) {
        if (d->steps[i] != k)
            continue;
        for (size_t j = 0; j < o->ncols; j++)
            d->sim[i * o->ncols + j] =
                ps_instance_element(inst, d->vars[j], d->elems[j]);
        d->saved++;
    }
    return 0;
}

static ps_status run_model(const fit_model *m, fit_data *d,
                           const ps_time_settings *ts, ps_error *err)
{
    const char *method = m->sim.method ? m->sim.method : "euler";
    const ps_stepper_type *type = ps_stepper_type_find(method);
    if (!type)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "unknown integration method '%s'", method);
    ps_status st = ps_integ_options_check(&m->sim.integ, err);
    if (st != PS_OK)
        return st;
    ps_instance *inst = ps_instance_new(m->prog);
    ps_stepper *stepper = NULL;
    if (!inst) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    if ((st = apply_overrides(m, inst, err)) != PS_OK)
        goto done;
    stepper = ps_stepper_new(type, ps_instance_dim(inst), &m->sim.integ);
    if (!stepper) {
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    d->t0 = ts->initial_time;
    d->dt = ts->time_step;
    st = ps_sim_run_instance(inst, stepper, m->seed, 0, collect, d, err);
    if (st == PS_OK && d->saved != d->obs->nrows)
        st = ps_error_set(err, PS_ERR_INTERNAL, d->path, 0, 0,
                          "the run reached %zu of the %zu observed times",
                          d->saved, d->obs->nrows);
done:
    if (st != PS_OK && err && !err->file[0])
        snprintf(err->file, sizeof err->file, "%s", ps_program_path(m->prog));
    ps_stepper_free(&stepper);
    ps_instance_free(&inst);
    return st;
}

static ps_status compute_fits(const fit_data *d, ps_fit **out, ps_error *err)
{
    const ps_series *o = d->obs;
    size_t nr = o->nrows, nc = o->ncols;
    ps_fit *fits = calloc(nc, sizeof *fits);
    double *s = malloc((nr ? nr : 1) * sizeof *s);
    double *a = malloc((nr ? nr : 1) * sizeof *a);
    if (!fits || !s || !a) {
        free(fits);
        free(s);
        free(a);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t j = 0; j < nc; j++) {
        for (size_t i = 0; i < nr; i++) {
            s[i] = d->sim[i * nc + j];
            a[i] = o->values[i * nc + j];
        }
        ps_fit_compute(s, a, nr, &fits[j]);
    }
    free(s);
    free(a);
    *out = fits;
    return PS_OK;
}

/* A scenario's observed section fitted at its inputs' medians (or
   posterior medians): the series as the columns of the printed table. */
static ps_status fit_scenario_observed(const fit_model *m, ps_series **names,
                                       ps_fit **out, ps_error *err)
{
    const ps_scenario *sc = m->sr.sc;
    const ps_sc_observed *obs = sc->observed;
    if (!obs || obs->nseries == 0)
        return ps_error_set(err, PS_ERR_DATA, sc->path, 0, 0,
                            "the scenario has no observed series: give "
                            "--observed FILE, or an `observed:` section "
                            "(docs/calibration.md)");
    ps_calib_problem prob;
    ps_status st = ps_calib_problem_init(&prob, sc, &m->sr.bind, m->prog,
                                         &m->sim, 1, NULL, err);
    const char **cols = calloc(obs->nseries, sizeof *cols);
    ps_fit *fits = calloc(obs->nseries, sizeof *fits);
    if (st == PS_OK && (!cols || !fits))
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (st == PS_OK)
        st = ps_calib_fit_run(&prob, obs, m->medians, fits, err);
    for (size_t s = 0; st == PS_OK && s < obs->nseries; s++)
        cols[s] = obs->series[s].name;
    if (st == PS_OK && !(*names = ps_series_new(obs->nseries, cols)))
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    ps_calib_problem_free(&prob);
    free(cols);
    if (st != PS_OK) {
        free(fits);
        return st;
    }
    *out = fits;
    return PS_OK;
}

static int run(int argc, char **argv)
{
    fit_args a = {0};
    fit_model m = {0};
    fit_data d = {0};
    ps_fit *fits = NULL;
    ps_time_settings ts = {0};
    ps_error err;
    int status, every_step;

    if ((status = parse_args(argc, argv, &a)) >= 0)
        goto done;
    ps_status st = model_prepare(&a, &m, &err);
    if (st == PS_OK && !a.observed) {
        ps_series *names = NULL;
        if ((st = fit_scenario_observed(&m, &names, &fits, &err)) == PS_OK)
            st = fit_print(a.format, NULL, names, fits, &err);
        ps_series_free(&names);
        status = st == PS_OK ? 0 : cli_fail(&err);
        goto done;
    }
    if (st == PS_OK)
        st = read_time(&m, &ts, &err);
    if (st == PS_OK) {
        save_every_step(&m, &ts, &every_step);
        st = fit_data_prepare(a.observed, m.prog, &d, &err);
    }
    if (st == PS_OK)
        st = fit_data_match_rows(&d, &ts, every_step, &err);
    if (st == PS_OK)
        st = run_model(&m, &d, &ts, &err);
    if (st == PS_OK)
        st = compute_fits(&d, &fits, &err);
    if (st != PS_OK) {
        status = cli_fail(&err);
        goto done;
    }
    st = fit_print(a.format, a.observed, d.obs, fits, &err);
    status = st == PS_OK ? 0 : cli_fail(&err);
done:
    free(fits);
    fit_data_free(&d);
    model_free(&m);
    free_args(&a);
    return status;
}

const cli_command cli_fit = {
    .name = "fit",
    .summary = "compare a run with observed data (MAPE, Theil statistics)",
    .synopsis = "MODEL.mdl|SCENARIO.yaml --observed FILE.csv|.tab [options]",
    .help = help,
    .run = run,
};
