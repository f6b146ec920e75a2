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
 */
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "plansim/dist.h"
#include "plansim/fit.h"
#include "plansim/instance.h"
#include "plansim/integ.h"
#include "plansim/mdl.h"
#include "plansim/program.h"
#include "plansim/sim.h"
#include "plansim_output/table.h"
#include "scenario_run.h"

typedef enum fit_format { FIT_TABLE, FIT_MD, FIT_CSV } fit_format;

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
          "scenario's seed, run 0).\n"
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
          "  -d, --observed FILE   the observed data (required)\n"
          "  -s, --set NAME=VALUE  replace the constant NAME by VALUE\n"
          "                        (repeatable; after the scenario's values)\n"
          "  -m, --method NAME     integration method:",
          out);
    for (const ps_stepper_type *const *t = ps_stepper_types(); *t; t++)
        fprintf(out, " %s", (*t)->name);
    fputs("\n"
          "                        (default: the scenario's, else euler)\n"
          "  -f, --format FMT      table (aligned text, the default), md (a\n"
          "                        Markdown table) or csv (long form:\n"
          "                        variable,statistic,value)\n"
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

typedef struct fit_args {
    const char *input;    /* the model or scenario                 */
    const char *observed; /* the data file                         */
    const char *method;   /* NULL: the scenario's, else euler      */
    fit_format format;
    ps_override *sets;    /* --set, names owned                    */
    size_t nsets;
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
    if (cli_parse_number(eq + 1, &v) != 0)
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
    while ((c = getopt_long(argc, argv, "d:s:m:f:h", options, NULL)) != -1) {
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
                return cli_usage_error(&cli_fit, "--format: '%s' is not "
                                                 "table, md or csv",
                                       optarg);
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
    if (argc - optind > 1)
        return cli_usage_error(&cli_fit, "unexpected argument '%s'",
                               argv[optind + 1]);
    a->input = argv[optind];
    if (!a->observed)
        return cli_usage_error(&cli_fit, "missing --observed FILE");
    return -1;
}

/* Is `path` a scenario (.yaml, .yml)? */
static int is_scenario(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return 0;
    return strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0;
}

/* ---------------------------------------------------------------- model */

/* The program to run and how: from a model, or from a scenario. */
typedef struct fit_model {
    scenario_run sr;      /* filled for a scenario                        */
    ps_program *own;      /* the program compiled from a model file       */
    const ps_program *prog;
    ps_sim_options sim;
    uint64_t seed;
    ps_override *ov;      /* medians, then --set, then SAVEPER; names
                             borrowed                                     */
    size_t nov;
} fit_model;

static void model_free(fit_model *m)
{
    scenario_free(&m->sr);
    ps_program_free(&m->own);
    free(m->ov);
}

static ps_status model_prepare(const fit_args *a, fit_model *m, ps_error *err)
{
    memset(m, 0, sizeof *m);
    ps_sim_options_default(&m->sim);
    size_t ninputs = 0;
    ps_status st;
    if (is_scenario(a->input)) {
        if ((st = scenario_prepare(a->input, &m->sr, err)) != PS_OK)
            return st;
        m->prog = m->sr.prog;
        m->sim = m->sr.sim;
        m->seed = m->sr.sc->seed;
        ninputs = m->sr.sc->ninputs;
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
    m->ov = calloc(ninputs + a->nsets + 1, sizeof *m->ov);
    if (!m->ov)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* The medians first, so that --set can replace them. */
    for (size_t j = 0; j < ninputs; j++) {
        const ps_sc_input *in = &m->sr.sc->inputs[j];
        m->ov[m->nov++] = (ps_override){in->name,
                                        ps_dist_quantile(&in->dist, 0.5)};
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
    for (size_t i = 0; i < m->nov; i++) {
        size_t var = ps_program_find(m->prog, m->ov[i].name);
        if (var == (size_t)-1)
            return ps_error_set(err, PS_ERR_USAGE, ps_program_path(m->prog), 0,
                                0, "the model has no variable '%s'",
                                m->ov[i].name);
        ps_status st = ps_instance_override(inst, var, m->ov[i].value, err);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
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

/* ------------------------------------------------------------- the data */

/*
 * Where cell `cell` of row `row` (0: the header; then the data rows in
 * order, blank lines not counted) of a table file starts, for errors: the
 * table reader keeps no positions, so the text is walked again by its
 * rules (byte order mark, quoted cells that may hold line ends, LF, CRLF
 * or CR line ends).  0 when the file cannot be read again.
 */
static void locate_cell(const char *path, size_t row, size_t cell, int *line,
                        int *col)
{
    *line = *col = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    ps_table_format fmt;
    char sep = ps_table_format_from_path(path, &fmt) == 0
                   ? ps_table_separator(fmt)
                   : 0; /* decided on the first line */
    int ch = fgetc(f), ln = 1, cl = 1, at_line = 1, at_col = 1;
    size_t r = 0, c = 0;
    int nonblank = 0;
    /* UTF-8 byte order mark */
    if (ch == 0xEF && fgetc(f) == 0xBB && fgetc(f) == 0xBF)
        ch = fgetc(f);
    else if (ch == 0xEF)
        rewind(f), ch = fgetc(f);
    if (!sep) {
        long start = ftell(f);
        int k = ch;
        sep = ',';
        while (k != EOF && k != '\n' && k != '\r') {
            if (k == '\t') {
                sep = '\t';
                break;
            }
            k = fgetc(f);
        }
        fseek(f, start, SEEK_SET);
    }
    for (;;) {
        if (c == cell) {
            at_line = ln;
            at_col = cl;
        }
        int quoted = ch == '"';
        nonblank |= quoted;
        if (quoted) {
            ch = fgetc(f), cl++;
            while (ch != EOF) {
                if (ch == '"') {
                    ch = fgetc(f), cl++;
                    if (ch != '"')
                        break; /* the closing quote */
                } else if (ch == '\n' || ch == '\r') {
                    int cr = ch == '\r';
                    ch = fgetc(f);
                    if (cr && ch == '\n')
                        ch = fgetc(f);
                    ln++, cl = 1;
                    continue;
                }
                if (((unsigned)ch & 0xC0) != 0x80)
                    cl++;
                ch = fgetc(f);
            }
        }
        while (ch != EOF && ch != sep && ch != '\n' && ch != '\r') {
            nonblank = 1;
            if (((unsigned)ch & 0xC0) != 0x80)
                cl++;
            ch = fgetc(f);
        }
        if (ch == sep) {
            ch = fgetc(f), cl++, c++;
            continue;
        }
        /* end of a row */
        if (nonblank) {
            if (r == row) {
                *line = at_line;
                *col = at_col;
                break;
            }
            r++;
        }
        if (ch == EOF)
            break;
        int cr = ch == '\r';
        ch = fgetc(f);
        if (cr && ch == '\n')
            ch = fgetc(f);
        ln++, cl = 1, c = 0, nonblank = 0;
        at_line = ln, at_col = 1;
    }
    fclose(f);
}

/* An error in the data file at cell (row, cell) as locate_cell counts
   them. */
static ps_status data_error(const char *path, size_t row, size_t cell,
                            ps_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static ps_status data_error(const char *path, size_t row, size_t cell,
                            ps_error *err, const char *fmt, ...)
{
    int line, col;
    locate_cell(path, row, cell, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(err, PS_ERR_DATA, path, line, col, fmt, ap);
    va_end(ap);
    return PS_ERR_DATA;
}

/* The observed data matched to the model and the run. */
typedef struct fit_data {
    const char *path;
    ps_series *obs;
    size_t *vars;    /* program variable of each observed column       */
    uint64_t *steps; /* time step of each observed row                 */
    double *sim;     /* nrows x ncols simulated values, NaN until run  */
    size_t saved;    /* rows the run has filled                        */
    double t0, dt;
} fit_data;

static void data_free(fit_data *d)
{
    ps_series_free(&d->obs);
    free(d->vars);
    free(d->steps);
    free(d->sim);
}

/* Each column names a model variable that has values over time, once. */
static ps_status match_columns(fit_data *d, const ps_program *prog,
                               ps_error *err)
{
    const ps_series *o = d->obs;
    for (size_t j = 0; j < o->ncols; j++) {
        size_t var = ps_program_find(prog, o->names[j]);
        if (var == (size_t)-1) {
            char *end;
            strtod(o->names[j], &end);
            /* A header of numbers: times run across, not down. */
            const char *hint = *end == '\0' && end != o->names[j]
                                   ? " (times go down the first column, one "
                                     "variable per column)"
                                   : "";
            return data_error(d->path, 0, j + 1, err,
                              "column '%s' names no variable of %s%s",
                              o->names[j], ps_program_path(prog), hint);
        }
        if (ps_program_var_class(prog, var) == PS_CLASS_LOOKUP)
            return data_error(d->path, 0, j + 1, err,
                              "column '%s' names a lookup, which has no "
                              "values over time",
                              o->names[j]);
        for (size_t i = 0; i < j; i++)
            if (d->vars[i] == var)
                return data_error(d->path, 0, j + 1, err,
                                  "column '%s' names the same variable as "
                                  "column %zu ('%s')",
                                  o->names[j], i + 2, o->names[i]);
        d->vars[j] = var;
    }
    return PS_OK;
}

/* Each row's time falls on a step of the run (a saved one when SAVEPER
   could not be changed), once; values are numbers or missing. */
static ps_status match_rows(fit_data *d, const ps_time_settings *ts,
                            int every_step, ps_error *err)
{
    const ps_series *o = d->obs;
    uint64_t nsteps = (uint64_t)llround((ts->final_time - ts->initial_time) /
                                        ts->time_step);
    long long save_every = llround(ts->saveper / ts->time_step);
    for (size_t i = 0; i < o->nrows; i++) {
        double t = o->time[i], k = round((t - ts->initial_time) / ts->time_step);
        double on_step = ts->initial_time + k * ts->time_step;
        if (k < 0 || k > (double)nsteps)
            return data_error(d->path, i + 1, 0, err,
                              "time %g is outside the run, from INITIAL TIME "
                              "%g to FINAL TIME %g",
                              t, ts->initial_time, ts->final_time);
        /* Observed times are written in decimal, steps are sums of binary
           fractions: 2020.3 and 2020 + 3 * 0.1 differ in the last bits. */
        if (fabs(t - on_step) > 1e-6 * ts->time_step)
            return data_error(d->path, i + 1, 0, err,
                              "time %g falls between time steps (INITIAL "
                              "TIME %g, TIME STEP %g)",
                              t, ts->initial_time, ts->time_step);
        d->steps[i] = (uint64_t)k;
        if (!every_step && save_every > 1 && d->steps[i] % save_every != 0)
            return data_error(d->path, i + 1, 0, err,
                              "time %g is not a saved time: SAVEPER (%g) is "
                              "not a constant, so the run cannot save every "
                              "TIME STEP",
                              t, ts->saveper);
        for (size_t p = 0; p < i; p++) {
            if (d->steps[p] != d->steps[i])
                continue;
            int line, col;
            locate_cell(d->path, p + 1, 0, &line, &col);
            return data_error(d->path, i + 1, 0, err,
                              "time %g appears twice (first on line %d)", t,
                              line);
        }
        for (size_t j = 0; j < o->ncols; j++) {
            double v = o->values[i * o->ncols + j];
            if (isinf(v))
                return data_error(d->path, i + 1, j + 1, err,
                                  "observed value of '%s' is infinite",
                                  o->names[j]);
        }
    }
    return PS_OK;
}

static ps_status data_prepare(const char *path, const fit_model *m,
                              fit_data *d, ps_error *err)
{
    memset(d, 0, sizeof *d);
    d->path = path;
    ps_status st = ps_table_read_file(path, &d->obs, err);
    if (st != PS_OK)
        return st;
    size_t nr = d->obs->nrows, nc = d->obs->ncols;
    if (nc == 0)
        return data_error(path, 0, 0, err,
                          "no variable columns after the time column");
    d->vars = calloc(nc, sizeof *d->vars);
    d->steps = calloc(nr ? nr : 1, sizeof *d->steps);
    d->sim = malloc((nr > 0 && nc > 0 ? nr * nc : 1) * sizeof *d->sim);
    if (!d->vars || !d->steps || !d->sim)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < nr * nc; i++)
        d->sim[i] = NAN;
    return match_columns(d, m->prog, err);
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
            d->sim[i * o->ncols + j] = ps_instance_value(inst, d->vars[j]);
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

/* -------------------------------------------------------------- output */

/* Display columns of UTF-8 text: Chinese, Japanese and Korean characters
   (and other East Asian wide ones) take two. */
static size_t display_width(const char *s)
{
    static const unsigned wide[][2] = {
        {0x1100, 0x115F}, {0x2E80, 0x303E},   {0x3041, 0x33FF},
        {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
        {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},   {0xFE30, 0xFE6F},
        {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},   {0x20000, 0x3FFFD},
    };
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        unsigned cp = *p++;
        int more = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : cp >= 0xC0 ? 1 : 0;
        if (more)
            cp &= 0x3Fu >> more;
        for (; more > 0 && (*p & 0xC0) == 0x80; more--)
            cp = (cp << 6) | (*p++ & 0x3Fu);
        int two = 0;
        for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
            two |= cp >= wide[i][0] && cp <= wide[i][1];
        w += two ? 2 : 1;
    }
    return w;
}

/* The cells of one row of the people's table. */
typedef struct fit_cells {
    char n[24], mape[32], rmspe[32], u[32], um[32], us[32], uc[32];
} fit_cells;

static void fmt_fixed(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.*f", decimals, v);
}

static void fit_to_cells(const ps_fit *f, fit_cells *c)
{
    snprintf(c->n, sizeof c->n, "%zu", f->n);
    fmt_fixed(c->mape, sizeof c->mape, 100 * f->mape, 2);
    fmt_fixed(c->rmspe, sizeof c->rmspe, 100 * f->rmspe, 2);
    fmt_fixed(c->u, sizeof c->u, f->theil_u, 4);
    fmt_fixed(c->um, sizeof c->um, f->um, 3);
    fmt_fixed(c->us, sizeof c->us, f->us, 3);
    fmt_fixed(c->uc, sizeof c->uc, f->uc, 3);
}

static const char *const heads[] = {"variable", "n", "MAPE %", "RMSPE %",
                                    "U",        "U^M", "U^S", "U^C"};
static const char *const md_heads[] = {
    "Variable", "n", "MAPE %", "RMSPE %", "U",
    "U<sup>M</sup>", "U<sup>S</sup>", "U<sup>C</sup>"};
#define NCOLS 8

static void row_cells(const fit_cells *c, const char *name,
                      const char *cells[NCOLS])
{
    cells[0] = name;
    cells[1] = c->n;
    cells[2] = c->mape;
    cells[3] = c->rmspe;
    cells[4] = c->u;
    cells[5] = c->um;
    cells[6] = c->us;
    cells[7] = c->uc;
}

static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

/* Aligned text: names left, numbers right, two spaces between. */
static void print_table(FILE *out, const ps_series *o, const ps_fit *fits)
{
    size_t w[NCOLS];
    fit_cells c;
    const char *cells[NCOLS];
    for (size_t k = 0; k < NCOLS; k++)
        w[k] = display_width(heads[k]);
    for (size_t j = 0; j < o->ncols; j++) {
        fit_to_cells(&fits[j], &c);
        row_cells(&c, o->names[j], cells);
        for (size_t k = 0; k < NCOLS; k++) {
            size_t cw = display_width(cells[k]);
            w[k] = cw > w[k] ? cw : w[k];
        }
    }
    for (size_t j = 0; j <= o->ncols; j++) {
        if (j == 0) {
            for (size_t k = 0; k < NCOLS; k++)
                cells[k] = heads[k];
        } else {
            fit_to_cells(&fits[j - 1], &c);
            row_cells(&c, o->names[j - 1], cells);
        }
        for (size_t k = 0; k < NCOLS; k++) {
            size_t fill = w[k] - display_width(cells[k]);
            if (k > 0) {
                fputs("  ", out);
                pad(out, fill);
            }
            fputs(cells[k], out);
            if (k == 0)
                pad(out, fill);
        }
        fputc('\n', out);
    }
}

/* A cell of a Markdown table: '|' escaped, line ends as spaces. */
static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static void print_md(FILE *out, const ps_series *o, const ps_fit *fits)
{
    fputc('|', out);
    for (size_t k = 0; k < NCOLS; k++)
        fprintf(out, " %s |", md_heads[k]);
    fputs("\n|:---|", out);
    for (size_t k = 1; k < NCOLS; k++)
        fputs("---:|", out);
    fputc('\n', out);
    for (size_t j = 0; j < o->ncols; j++) {
        fit_cells c;
        const char *cells[NCOLS];
        fit_to_cells(&fits[j], &c);
        row_cells(&c, o->names[j], cells);
        fputc('|', out);
        for (size_t k = 0; k < NCOLS; k++) {
            fputc(' ', out);
            md_cell(out, cells[k]);
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

/* A CSV field, quoted the RFC 4180 way when it needs it. */
static void csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* Long form: one line per variable and statistic, numbers in full
   precision, percent errors in percent, NaN as an empty cell. */
static void print_csv(FILE *out, const ps_series *o, const ps_fit *fits)
{
    fputs("variable,statistic,value\n", out);
    for (size_t j = 0; j < o->ncols; j++) {
        const ps_fit *f = &fits[j];
        const struct {
            const char *name;
            double v;
        } stats[] = {{"n", (double)f->n},
                     {"mape_percent", 100 * f->mape},
                     {"rmspe_percent", 100 * f->rmspe},
                     {"theil_u", f->theil_u},
                     {"u_m", f->um},
                     {"u_s", f->us},
                     {"u_c", f->uc}};
        for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++) {
            char num[PS_TABLE_NUMBER_MAX];
            csv_field(out, o->names[j]);
            fprintf(out, ",%s,%s\n", stats[k].name,
                    ps_table_format_number(stats[k].v, num));
        }
    }
}

/* The reasons behind n/a cells and left-out zeros, one line each;
   `lead` starts each line ("- " in Markdown).  PS_FIT_CONSTANT is not
   told: it explains an undefined correlation, which is not printed.
   Returns how many. */
static size_t print_notes(FILE *out, const char *lead, const ps_series *o,
                          const ps_fit *fits, int first_blank)
{
    size_t count = 0;
    for (size_t j = 0; j < o->ncols; j++) {
        for (unsigned bit = 1; bit <= PS_FIT_CONSTANT; bit <<= 1) {
            if (!(fits[j].flags & bit) || bit == PS_FIT_CONSTANT)
                continue;
            if (count++ == 0 && first_blank)
                fputc('\n', out);
            fprintf(out, "%s%s: ", lead, o->names[j]);
            if (bit == PS_FIT_ZERO_OBSERVED)
                fprintf(out, "%zu observed value%s of 0 left out of MAPE "
                             "and RMSPE\n",
                        fits[j].zero_observed,
                        fits[j].zero_observed == 1 ? "" : "s");
            else
                fprintf(out, "%s\n", ps_fit_flag_text(bit));
        }
    }
    return count;
}

static void print_fits(fit_format fmt, const ps_series *o,
                       const ps_fit *fits)
{
    switch (fmt) {
    case FIT_TABLE:
        print_table(stdout, o, fits);
        print_notes(stdout, "note: ", o, fits, 1);
        break;
    case FIT_MD:
        print_md(stdout, o, fits);
        print_notes(stdout, "- ", o, fits, 1);
        break;
    case FIT_CSV:
        /* Standard output stays one table. */
        print_csv(stdout, o, fits);
        print_notes(stderr, "plansim fit: note: ", o, fits, 0);
        break;
    }
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
    if (st == PS_OK)
        st = read_time(&m, &ts, &err);
    if (st == PS_OK) {
        save_every_step(&m, &ts, &every_step);
        st = data_prepare(a.observed, &m, &d, &err);
    }
    if (st == PS_OK)
        st = match_rows(&d, &ts, every_step, &err);
    if (st == PS_OK)
        st = run_model(&m, &d, &ts, &err);
    if (st == PS_OK)
        st = compute_fits(&d, &fits, &err);
    if (st != PS_OK) {
        status = cli_fail(&err);
        goto done;
    }
    print_fits(a.format, d.obs, fits);
    status = 0;
done:
    free(fits);
    data_free(&d);
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
