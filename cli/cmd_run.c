/*
 * plansim run: a scenario's Monte Carlo ensemble into an HDF5 file, then
 * the target table.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "plansim/output_file.h"
#include "plansim_output/h5.h"
#include "plansim_study/run.h"
#include "progress.h"
#include "study_io.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_run);
    fputs("\n"
          "Samples the scenario's uncertain inputs, runs the model once per\n"
          "sample on every core, writes every run to FILE.h5 (netCDF-4\n"
          "compatible HDF5: open it with xarray, h5py, R or ncdump), adds the\n"
          "summary (mean, sd, quantiles per variable and time; probability of\n"
          "each target with its 95 % Wilson interval) and prints the target\n"
          "table.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE.h5  the ensemble file (default: the scenario's\n"
          "                        name with .h5, in the current folder)\n"
          "  -n, --runs N          number of runs (default: the scenario's)\n"
          "  -t, --threads T       threads (default: all cores)\n"
          "  -s, --seed S          random seed (default: the scenario's)\n"
          "  -z, --compress[=L]    shuffle + deflate at level L (default 4);\n"
          "                        smaller files, slower writing\n"
          "  -f, --format FMT      target table as table, md, csv or json\n"
          "  -P, --posterior POST.h5\n"
          "                        draw the inputs that `plansim calibrate`\n"
          "                        calibrated from its posterior, jointly;\n"
          "                        the others from their priors\n"
          "      --force           replace FILE.h5 when it exists\n"
          "      --resume FILE.h5.partial\n"
          "                        finish the runs missing from an\n"
          "                        interrupted run's file, with the same\n"
          "                        scenario and options it was started with\n"
          "      --flush-every SECONDS\n"
          "                        write the runs received to the file at\n"
          "                        least this often (default 5)\n"
          "      --engine E        how the model runs: native (compiled to\n"
          "                        machine code with the system's C\n"
          "                        compiler, cached), interpreted, or auto\n"
          "                        (native when a compiler works, else\n"
          "                        interpreted, with a note; the default,\n"
          "                        or PLANSIM_ENGINE); results are the same\n"
          "      --timings         print on stderr where the time went:\n"
          "                        drawing inputs, the model, writing, the\n"
          "                        summary\n"
          "  -q, --quiet           no progress bar, no warnings\n"
          "  -h, --help            show this help and exit\n"
          "\n"
          "The file is written as FILE.h5.partial and renamed when complete:\n"
          "after a failure or Ctrl-C (status 130) no file carries the final\n"
          "name, and the runs already in the .partial file stay readable.\n"
          "An existing FILE.h5 is replaced only with --force, and an\n"
          "existing FILE.h5.partial (another run writing it, or one that was\n"
          "interrupted) is never touched: both are refused with status 73\n"
          "before any run.\n"
          "--resume FILE.h5.partial runs only the runs it lacks and gives\n"
          "the file an uninterrupted run would have; a file made with other\n"
          "settings is refused (status 65) naming the first difference.\n"
          "Runs that fail (a value turning NaN) are marked in run_status and\n"
          "left out of the summary; the first is reported on stderr.\n",
          out);
}

typedef struct run_args {
    const char *scenario;
    const char *output;
    long long runs;      /* -1: the scenario's */
    int threads;
    int has_seed;
    unsigned long long seed;
    int deflate;
    ps_h5_format format;
    int quiet;
    int force; /* --force: replace an existing output */
    const char *posterior;
    const char *resume; /* the .partial to finish, or NULL */
    double flush_seconds;
    int has_engine;
    ps_engine engine;
    int timings; /* --timings: print where the time went */
} run_args;

enum { OPT_FORCE = 256, OPT_RESUME, OPT_FLUSH, OPT_ENGINE, OPT_TIMINGS };

static int parse_args(int argc, char **argv, run_args *a)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"runs", required_argument, NULL, 'n'},
        {"threads", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},
        {"compress", optional_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},
        {"posterior", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {"resume", required_argument, NULL, OPT_RESUME},
        {"flush-every", required_argument, NULL, OPT_FLUSH},
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"timings", no_argument, NULL, OPT_TIMINGS},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc;
    long long v = 0;
    a->runs = -1;
    a->format = PS_H5_FORMAT_TABLE;
    cli_getopt_begin(&cli_run, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "o:n:t:s:z::f:P:qh", options, NULL)) !=
           -1) {
        switch (c) {
        case 'o':
            a->output = optarg;
            break;
        case 'n':
            if ((rc = cli_parse_count(&cli_run, "--runs", optarg, 1, 1LL << 40, &a->runs)) != 0)
                return rc;
            break;
        case 't':
            if ((rc = cli_parse_count(&cli_run, "--threads", optarg, 1, 4096, &v)) != 0)
                return rc;
            a->threads = (int)v;
            break;
        case 's':
            if ((rc = cli_parse_seed(&cli_run, optarg, &a->seed)) != 0)
                return rc;
            a->has_seed = 1;
            break;
        case 'z':
            a->deflate = 4;
            if (optarg && (cli_parse_count(&cli_run, "--compress", optarg, 1, 9, &v) != 0))
                return ps_status_exit_code(PS_ERR_USAGE);
            if (optarg)
                a->deflate = (int)v;
            break;
        case 'f':
            if (ps_h5_format_from_name(optarg, &a->format) != 0)
                return cli_usage_error(&cli_run,
                                       "--format: '%s' is not table, md, csv "
                                       "or json",
                                       optarg);
            break;
        case 'P':
            a->posterior = optarg;
            break;
        case 'q':
            a->quiet = 1;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case OPT_RESUME:
            a->resume = optarg;
            break;
        case OPT_TIMINGS:
            a->timings = 1;
            break;
        case OPT_FLUSH:
            if ((rc = cli_parse_flush_every(&cli_run, optarg,
                                            &a->flush_seconds)) != 0)
                return rc;
            break;
        case OPT_ENGINE:
            if ((rc = cli_parse_engine(&cli_run, optarg, &a->engine)) != 0)
                return rc;
            a->has_engine = 1;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_run);
        }
    }
    if ((rc = cli_one_operand(&cli_run, argc, argv, "SCENARIO", &a->scenario)) >= 0)
        return rc;
    if (a->resume)
        return cli_check_resume(&cli_run, a->resume, a->output);
    return -1;
}

static void warn_failures(const ps_ensemble_report *rep)
{
    if (rep->failed == 0)
        return;
    fprintf(stderr, "plansim run: warning: %zu of %zu runs failed and are "
                    "left out of the summary; the first:\n",
            rep->failed, rep->done);
    ps_error_print(stderr, &rep->first_failure);
}

/* Prints the target scorecard (the variables are for `plansim summary`
   and `plansim report`). */
static int print_targets(const char *path, ps_h5_format fmt)
{
    ps_h5_summary *s = NULL;
    ps_error err;
    ps_status st = ps_h5_summary_read(path, &s, &err);
    if (st == PS_OK) {
        ps_h5_summary targets_only = *s;
        targets_only.nvars = 0;
        st = ps_h5_summary_print(stdout, &targets_only, fmt, &err);
    }
    ps_h5_summary_free(&s);
    return st == PS_OK ? 0 : cli_fail(&err);
}

/* With --timings in a job: each worker's share of the runs and of the
   model time, and the imbalance (the busiest worker's model time over
   the mean, less one). */
static void print_ranks(const ps_ensemble_spread *spread,
                        const ps_ensemble_report *rep)
{
    const size_t *runs;
    const double *seconds;
    double bytes = 0;
    size_t n = spread->load(spread->ctx, &runs, &seconds, &bytes);
    double sum = 0, most = 0;
    for (size_t w = 0; w < n; w++) {
        fprintf(stderr, "timings: rank %zu: %zu runs, model %.3f s\n", w + 1,
                runs[w], seconds[w]);
        sum += seconds[w];
        most = seconds[w] > most ? seconds[w] : most;
    }
    if (n > 0 && sum > 0)
        fprintf(stderr,
                "timings: %zu workers, imbalance %.1f %%, %.0f bytes "
                "received per run\n",
                n, 100.0 * (most / (sum / (double)n) - 1.0),
                rep->done ? bytes / (double)rep->done : 0.0);
}

static int run(int argc, char **argv, const ps_ensemble_spread *spread)
{
    /* A worker of a job: runs dealt blocks, checks and prints nothing. */
    int worker = ps_ensemble_spread_worker(spread);
    run_args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    /* Ctrl-C is caught from here on: loading and compiling a large model
       or drawing a large design can take a while. */
    cli_interrupt intr;
    cli_interrupt_begin(&intr);
    scenario_run r;
    ps_error err;
    cli_study_io io;
    ps_status st = scenario_prepare(a.scenario, &r, &err);
    if (st == PS_OK && a.posterior)
        st = scenario_use_posterior(
            &r, a.posterior, cli_study_hooks(&io, "plansim", a.quiet), &err);
    if (st == PS_OK && *cli_interrupt_flag())
        st = ps_error_set(&err, PS_ERR_INTERRUPTED, NULL, 0, 0, "interrupted");
    if (st != PS_OK) {
        cli_interrupt_end(&intr);
        scenario_free(&r);
        if (st == PS_ERR_INTERRUPTED)
            fputs("plansim run: interrupted before any run was written\n",
                  stderr);
        return st == PS_ERR_INTERRUPTED ? ps_status_exit_code(st)
                                        : cli_fail(&err);
    }
    if (a.has_engine)
        rc = cli_use_engine(r.prog, &a.engine, a.quiet);
    else
        cli_engine_note(r.prog, a.quiet);
    if (rc > 0) {
        cli_interrupt_end(&intr);
        scenario_free(&r);
        return rc;
    }
    size_t nruns = a.runs > 0 ? (size_t)a.runs : r.sc->runs;
    uint64_t seed = a.has_seed ? a.seed : r.sc->seed;
    char *output = a.resume   ? cli_resume_output(a.resume)
                   : a.output ? strdup(a.output)
                              : cli_default_output(a.scenario, ".h5");
    char *cmdline = cli_command_line(&cli_run, argc, argv);
    scenario_inputs inputs = {0};
    if (!output || !cmdline) {
        st = ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    /* A resumed run continues its own .partial. */
    if (!a.resume && !worker)
        st = ps_output_check(output,
                             PS_OUTPUT_RESUMABLE |
                                 (a.force ? PS_OUTPUT_REPLACE : 0),
                             &err);
    if (st != PS_OK)
        goto done;
    if (st == PS_OK)
        st = scenario_check_room(&r, nruns, a.runs <= 0, output, &err);
    if (st != PS_OK)
        goto done;
    /* A forecast from a posterior prints the priors' probabilities beside
       its own: the same ensemble with every input from its prior. */
    if (r.posterior)
        st = prior_target_probabilities(&r, nruns, seed, a.threads,
                                        cli_interrupt_flag(),
                                        r.posterior->prior_p, &err);
    /* `inputs` stay zeroed: scenario_write_h5 prepares them once the
       .partial file exists. */
    double summary_seconds = 0.0;
    progress_bar bar;
    h5_run_options opts = {output,
                           nruns,
                           seed,
                           a.threads,
                           a.deflate,
                           cmdline,
                           progress_for_study(&bar, !a.quiet),
                           cli_interrupt_flag(),
                           a.resume != NULL,
                           a.flush_seconds,
                           &summary_seconds,
                           spread};
    ps_ensemble_report report;
    memset(&report, 0, sizeof report);
    if (st == PS_OK)
        st = scenario_write_h5(&r, &inputs, &opts, &report, &err);
    if (!a.quiet)
        warn_failures(&report);
    if (a.timings)
        fprintf(stderr,
                "timings: inputs %.3f s, model %.3f s (summed over threads), "
                "writing %.3f s, summary %.3f s\n",
                report.seconds_inputs, report.seconds_model,
                report.seconds_writing, summary_seconds);
    if (a.timings && spread && spread->writer)
        print_ranks(spread, &report);
    if (st == PS_ERR_INTERRUPTED && report.skipped + report.done == 0)
        fputs("plansim run: interrupted before any run was written\n",
              stderr);
    else if (st == PS_ERR_INTERRUPTED)
        fprintf(stderr,
                "plansim run: interrupted after %zu runs; they are "
                "in %s.partial; finish with --resume %s.partial\n",
                report.skipped + report.done, output, output);
done:
    cli_interrupt_end(&intr);
    scenario_inputs_free(&inputs);
    scenario_free(&r);
    if (st != PS_OK) {
        rc = st == PS_ERR_INTERRUPTED ? ps_status_exit_code(st) : cli_fail(&err);
    } else if (worker) {
        rc = 0;
    } else {
        if (!a.quiet)
            fprintf(stderr,
                    "plansim run: %zu runs written to %s\n"
                    "  variables:       plansim summary %s\n"
                    "  tables, charts:  plansim report %s --output DIR\n",
                    nruns, output, output, output);
        rc = print_targets(output, a.format);
    }
    free(output);
    free(cmdline);
    return rc;
}

const cli_command cli_run = {
    .name = "run",
    .summary = "run a scenario's Monte Carlo ensemble into an HDF5 file",
    .synopsis = "SCENARIO.yaml [--output FILE.h5] [--runs N] [--threads T] "
                "[--seed S] [--resume FILE.h5.partial] [options]",
    .help = help,
    .run_spread = run,
};
