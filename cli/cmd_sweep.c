/*
 * plansim sweep: the probability of each target over a grid of lever
 * values, every grid point the scenario's ensemble with the same inputs
 * (common random numbers).  Prints a table; writes the probability
 * surface to HDF5 and CSV on request.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "plansim_study/sweep.h"
#include "plansim/output_file.h"
#include "progress.h"
#include "study_io.h"
#include "plansim_study/run.h"
#include "sweep_print.h"

/* Most --target options. */
#define MAX_TARGETS 256

static void help(FILE *out)
{
    cli_print_usage(out, &cli_sweep);
    fputs(
        "\n"
        "Runs the scenario's Monte Carlo ensemble at every point of a grid\n"
        "of lever values (the product of the --vary axes) and estimates,\n"
        "at each point, the probability of each target with its 95 %\n"
        "Wilson interval.  Every point uses the same seed and the same\n"
        "sampled inputs (common random numbers), so differences between\n"
        "points come from the levers, not from sampling noise.\n"
        "\n"
        "A varied lever is one of the scenario's levers, one of its fixed\n"
        "values, or a constant of the model; a lever given as a time path\n"
        "takes one value over the whole run at each grid point.\n"
        "\n"
        "Options:\n"
        "      --vary NAME=FROM:TO:STEPS\n"
        "                        vary NAME over STEPS values from FROM to TO\n"
        "                        (both included, STEPS >= 2); repeatable,\n"
        "                        e.g. --vary \"fai growth=0.10:0.25:7\"\n"
        "  -T, --target NAME     a target to report (repeatable; default:\n"
        "                        all the scenario's targets)\n"
        "  -n, --runs N          runs per grid point (default: the\n"
        "                        scenario's)\n"
        "  -s, --seed S          random seed (default: the scenario's)\n"
        "  -t, --threads T       threads (default: all cores)\n"
        "  -o, --output FILE.h5  write the probability surface (netCDF-4\n"
        "                        compatible HDF5: one dimension per lever)\n"
        "      --csv FILE.csv    write it in long form: one row per grid\n"
        "                        point and target\n"
        "  -f, --format FMT      what stdout gets: table (default) or json\n"
        "  -P, --posterior POST.h5\n"
        "                        draw the calibrated inputs from this\n"
        "                        posterior (plansim calibrate)\n"
        "      --force           replace the --output and --csv files when\n"
        "                        they exist\n"
        "      --resume FILE.h5.partial\n"
        "                        finish an interrupted sweep's file (with\n"
        "                        the options it was started with): only\n"
        "                        the grid points it does not hold run\n"
        "      --flush-every SECONDS\n"
        "                        write the finished points to the file at\n"
        "                        least this often (default 5)\n"
        "  -q, --quiet           no progress bar, no warnings\n"
        "  -h, --help            show this help and exit\n"
        "\n"
        "The table shows P per target: for one lever a row per target, for\n"
        "two a matrix per target (first lever down, second across), for\n"
        "more a row per grid point.  docs/sweeps.md describes the files.\n"
        "\n"
        "The --output file exists from the start as FILE.h5.partial and\n"
        "takes each grid point's results as the point finishes; it gets\n"
        "its final name when the sweep is complete.  An interrupted sweep\n"
        "(Ctrl-C, a kill) leaves the .partial: --resume finishes it, and\n"
        "the result is the file an uninterrupted sweep makes.\n"
        "\n"
        "Exit status: 0 success, 64 usage (a bad --vary, a name that cannot\n"
        "be varied, an unknown target), 65 a bad scenario or model, 66 a\n"
        "file that cannot be read, 73 an output that cannot be created,\n"
        "130 interrupted.\n",
        out);
}

typedef struct sweep_args {
    const char *scenario;
    grid_axis axes[GRID_MAX_AXES];
    size_t naxes;
    const char *targets[MAX_TARGETS];
    size_t ntargets;
    long long runs; /* -1: the scenario's */
    int has_seed;
    unsigned long long seed;
    int threads;
    const char *output, *csv;
    int json; /* --format json */
    int quiet;
    int force; /* --force: replace existing outputs */
    const char *posterior;
    const char *resume; /* the .partial to finish, or NULL */
    double flush_seconds;
} sweep_args;

static void free_args(sweep_args *a)
{
    for (size_t i = 0; i < a->naxes; i++)
        free(a->axes[i].name);
}

/* Returns -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, sweep_args *a)
{
    enum { OPT_CSV = 256, OPT_VARY, OPT_FORCE, OPT_RESUME, OPT_FLUSH };
    static const struct option options[] = {
        {"vary", required_argument, NULL, OPT_VARY},
        {"target", required_argument, NULL, 'T'},
        {"runs", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'},
        {"output", required_argument, NULL, 'o'},
        {"csv", required_argument, NULL, OPT_CSV},
        {"format", required_argument, NULL, 'f'},
        {"posterior", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"resume", required_argument, NULL, OPT_RESUME},
        {"flush-every", required_argument, NULL, OPT_FLUSH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64], msg[512];
    int c, rc;
    long long v = 0;
    a->runs = -1;
    cli_getopt_begin(&cli_sweep, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "T:n:s:t:o:f:P:qh", options, NULL)) !=
           -1) {
        switch (c) {
        case OPT_VARY:
            if (a->naxes == GRID_MAX_AXES)
                return cli_usage_error(&cli_sweep, "at most %d --vary",
                                       GRID_MAX_AXES);
            if (grid_parse_axis(optarg, &a->axes[a->naxes], msg, sizeof msg))
                return cli_usage_error(&cli_sweep, "--vary %s", msg);
            a->naxes++;
            break;
        case 'T':
            if (a->ntargets == MAX_TARGETS)
                return cli_usage_error(&cli_sweep, "at most %d --target",
                                       MAX_TARGETS);
            a->targets[a->ntargets++] = optarg;
            break;
        case 'n':
            if ((rc = cli_parse_count(&cli_sweep, "--runs", optarg, 1, 1LL << 40, &a->runs)) != 0)
                return rc;
            break;
        case 's':
            if ((rc = cli_parse_seed(&cli_sweep, optarg, &a->seed)) != 0)
                return rc;
            a->has_seed = 1;
            break;
        case 't':
            if ((rc = cli_parse_count(&cli_sweep, "--threads", optarg, 1, 4096, &v)) != 0)
                return rc;
            a->threads = (int)v;
            break;
        case 'o':
            a->output = optarg;
            break;
        case OPT_CSV:
            a->csv = optarg;
            break;
        case 'f':
            rc = cli_parse_table_or_json(&cli_sweep, optarg, &a->json);
            if (rc != 0)
                return rc;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case 'P':
            a->posterior = optarg;
            break;
        case OPT_RESUME:
            a->resume = optarg;
            break;
        case OPT_FLUSH:
            if ((rc = cli_parse_flush_every(&cli_sweep, optarg,
                                            &a->flush_seconds)) != 0)
                return rc;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_sweep);
        }
    }
    if ((rc = cli_one_operand(&cli_sweep, argc, argv, "SCENARIO", &a->scenario)) >= 0)
        return rc;
    if (a->naxes == 0)
        return cli_usage_error(&cli_sweep,
                               "nothing to vary: give at least one --vary "
                               "NAME=FROM:TO:STEPS");
    if (grid_count(a->axes, a->naxes) == 0)
        return cli_usage_error(&cli_sweep, "the grid has more than %d points",
                               GRID_MAX_POINTS);
    if (a->resume)
        return cli_check_resume(&cli_sweep, a->resume, a->output);
    return -1;
}

/* ------------------------------------------------------------ the runs */

static void warn_failures(const ps_ensemble_report *rep, const double *values,
                          const scenario_run *r)
{
    fprintf(stderr, "plansim sweep: warning: %zu of %zu runs failed at",
            rep->failed, rep->done);
    for (size_t i = 0; i < r->nvaried; i++)
        fprintf(stderr, "%s %s = %g", i ? "," : "", r->varied[i].name,
                values[i]);
    fputs(" and are left out of the probabilities (the files count the "
          "failures at every point); the first:\n",
          stderr);
    ps_error_print(stderr, &rep->first_failure);
}

/* The bar of a sweep, and what its warning about failed runs names. */
typedef struct grid_report {
    progress_bar bar;
    const scenario_run *run;
    int quiet;
} grid_report;

/* sweep_grid_hooks.failures: the bar cleared, then the warning. */
static void on_failures(void *ctx, const ps_ensemble_report *rep,
                        const double *values)
{
    grid_report *g = ctx;
    if (g->quiet)
        return;
    progress_end(&g->bar);
    warn_failures(rep, values, g->run);
}

/* Refuses, before any run, an output whose folder cannot take it, or
   that exists (without --force) or is being written (its .partial). */
static ps_status check_writable(const char *path, int flags, ps_error *err)
{
    if (!path)
        return PS_OK;
    char *dir = ps_output_folder(path);
    if (!dir)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    int e = access(dir, W_OK | X_OK) == 0 ? 0 : errno;
    free(dir);
    if (e)
        return ps_error_set(err, PS_ERR_CANTCREAT, path, 0, 0,
                            "cannot create the file: %s", strerror(e));
    return ps_output_check(path, flags, err);
}

/* ------------------------------------------------------------ command */

static int run(int argc, char **argv, const ps_ensemble_spread *spread)
{
    /* A worker of a job: runs dealt blocks, writes and prints nothing. */
    int worker = ps_ensemble_spread_worker(spread);
    sweep_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    char *resumed = a.resume && rc < 0 ? cli_resume_output(a.resume) : NULL;
    if (rc < 0 && a.resume && !resumed)
        rc = ps_status_exit_code(PS_ERR_NOMEM);
    if (rc >= 0) {
        free_args(&a);
        return rc;
    }
    if (resumed)
        a.output = resumed;
    const char *names[GRID_MAX_AXES];
    for (size_t i = 0; i < a.naxes; i++)
        names[i] = a.axes[i].name;
    scenario_run r;
    lever_eval ev;
    sweep_surface s;
    memset(&ev, 0, sizeof ev);
    memset(&s, 0, sizeof s);
    size_t *tidx = NULL, ntargets = 0;
    char *cmdline = NULL;
    sweep_file *file = NULL;
    ps_error err;
    cli_study_io io;
    ps_status st =
        scenario_prepare_varied(a.scenario, names, a.naxes, &r, &err);
    if (st == PS_OK && a.posterior &&
        (st = scenario_use_posterior(&r, a.posterior,
                                     cli_study_hooks(&io, "plansim", a.quiet),
                                     &err)) != PS_OK) {
        scenario_free(&r);
        free_args(&a);
        free(resumed);
        return cli_fail(&err);
    }
    if (st != PS_OK) {
        free_args(&a);
        free(resumed);
        if (st == PS_ERR_USAGE)
            return cli_usage_error(&cli_sweep, "--vary: %s", err.message);
        return cli_fail(&err);
    }
    size_t nruns = a.runs > 0 ? (size_t)a.runs : r.sc->runs;
    uint64_t seed = a.has_seed ? a.seed : r.sc->seed;
    size_t npoints = grid_count(a.axes, a.naxes);
    if ((st = grid_select_targets(r.sc, a.targets, a.ntargets, &tidx, &ntargets,
                                  &err)) != PS_OK) {
        rc = st == PS_ERR_USAGE
                 ? cli_usage_error(&cli_sweep, "--target: %s", err.message)
                 : cli_fail(&err);
        goto done;
    }
    int replace = a.force ? PS_OUTPUT_REPLACE : 0;
    if (!worker && ((!a.resume && (st = check_writable(
                                       a.output, replace | PS_OUTPUT_RESUMABLE,
                                       &err)) != PS_OK) ||
                    (st = check_writable(a.csv, replace, &err)) != PS_OK))
        goto fail;
    if (!(cmdline = cli_command_line(&cli_sweep, argc, argv)) ||
        sweep_surface_alloc(&s, ntargets, npoints) != 0) {
        st = ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    sweep_view view = {&r, a.axes, a.naxes, tidx, nruns, seed};
    cli_interrupt intr;
    cli_interrupt_begin(&intr);
    if (a.output && !worker)
        st = sweep_file_begin(a.output, &view, &s, cmdline, a.resume != NULL,
                              a.flush_seconds, &file, &err);
    if (st == PS_OK)
        st = lever_eval_init(&ev, &r, tidx, ntargets, nruns, seed, a.threads,
                             &err);
    ev.spread = spread;
    grid_report gr = {.run = &r, .quiet = a.quiet};
    sweep_grid_hooks hooks = {progress_for_study(&gr.bar, !a.quiet),
                              on_failures, &gr};
    ev.cancel = cli_interrupt_flag();
    if (st == PS_OK)
        st = sweep_grid_run(a.axes, a.naxes, &ev, &s, file, &hooks, &err);
    cli_interrupt_end(&intr);
    if (st == PS_ERR_INTERRUPTED) {
        if (file) {
            sweep_file_abandon(&file);
            fprintf(stderr,
                    "plansim sweep: interrupted; the finished grid points "
                    "are in %s.partial (finish it with --resume "
                    "%s.partial)\n",
                    a.output, a.output);
        } else {
            fputs("plansim sweep: interrupted; nothing written\n", stderr);
        }
        rc = ps_status_exit_code(st);
        goto done;
    }
    if (st == PS_OK && worker) {
        rc = 0;
        goto done;
    }
    if (st != PS_OK ||
        (file && (st = sweep_file_finish(&file, &err)) != PS_OK) ||
        (a.csv && (st = sweep_write_csv(a.csv, &view, &s, &err)) != PS_OK))
        goto fail;
    if (a.json) {
        if ((st = sweep_print_json(stdout, &view, &s, &err)) != PS_OK)
            goto fail;
    } else {
        sweep_print_table(stdout, &view, &s);
    }
    if (!a.quiet && (a.output || a.csv))
        fprintf(stderr,
                "plansim sweep: %zu grid points x %zu runs written to "
                "%s%s%s\n",
                npoints, nruns, a.output ? a.output : "",
                a.output && a.csv ? " and " : "", a.csv ? a.csv : "");
    rc = 0;
    goto done;
fail:
    rc = cli_fail(&err);
done:
    sweep_file_abandon(&file);
    lever_eval_free(&ev);
    sweep_surface_free(&s);
    free(tidx);
    free(cmdline);
    scenario_free(&r);
    free_args(&a);
    free(resumed);
    return rc;
}

const cli_command cli_sweep = {
    .name = "sweep",
    .summary = "target probabilities over a grid of lever values",
    .synopsis =
        "SCENARIO.yaml --vary LEVER=FROM:TO:STEPS [--vary ...] "
        "[--runs N] [--target NAME]... [--output FILE.h5] "
        "[--csv FILE.csv] [--format table|json] [--resume FILE.h5.partial]",
    .help = help,
    .run_spread = run,
};
