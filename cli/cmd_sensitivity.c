/*
 * plansim sensitivity: which uncertain inputs drive the outputs, by
 * Sobol' indices, Morris elementary effects or one at a time, ranked.
 */
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "interrupt.h"
#include "plansim/output_file.h"
#include "plansim_output/h5.h"
#include "plansim_study/run.h"
#include "plansim_study/sensitivity.h"
#include "progress.h"
#include "study_io.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_sensitivity);
    fputs(
        "\n"
        "Runs a sensitivity design over the scenario's uncertain inputs\n"
        "(each mapped through its distribution) on every core, and prints\n"
        "per output the inputs ranked by how much they drive it.\n"
        "\n"
        "Methods:\n"
        "  sobol   Sobol' indices: first order S1 (Saltelli 2010) and total\n"
        "          order ST (Jansen) with bootstrap 95 % intervals, as\n"
        "          SALib; N(k+2) runs for k factors\n"
        "  morris  Morris elementary effects: mu*, mu, sigma; r(k+1) runs\n"
        "  oat     one at a time (tornado): each input at its low and high\n"
        "          quantile, the others at their medians; 2k+1 runs\n"
        "\n"
        "Options:\n"
        "  -m, --method M        sobol (default), morris or oat\n"
        "      --of OUTPUT       an output to analyse, repeatable:\n"
        "                        VARIABLE@TIME ('gdp nominal@2030') or\n"
        "                        target:NAME (the target met, 1, or not, 0);\n"
        "                        default: every target of the scenario and\n"
        "                        each target's variable at its time\n"
        "      --group NAME=A,B  treat inputs A, B, ... as one factor\n"
        "                        (repeatable)\n"
        "  -o, --output FILE.h5  also write the runs, as `plansim run` does,\n"
        "                        with the results in its /sensitivity group\n"
        "  -N, --samples N       sobol: base samples, a power of 2 (default\n"
        "                        1024; others are rounded up)\n"
        "      --bootstrap R     sobol, morris: resamples for the intervals\n"
        "                        (default 1000; 0: none)\n"
        "      --trajectories R  morris: trajectories (default 20)\n"
        "      --levels P        morris: grid levels, even (default 4)\n"
        "      --low Q           oat: low probability level (default 0.05)\n"
        "      --high Q          oat: high probability level (default 0.95)\n"
        "  -s, --seed S          random seed (default: the scenario's)\n"
        "  -t, --threads T       threads (default: all cores)\n"
        "  -f, --format FMT      table (default), md, csv or json\n"
        "  -P, --posterior POST.h5\n"
        "                        draw the calibrated inputs from this\n"
        "                        posterior (plansim calibrate)\n"
        "      --force           replace the --output file when it exists\n"
        "      --resume FILE.h5.partial\n"
        "                        finish an interrupted run's file (with\n"
        "                        the options it was started with)\n"
        "      --flush-every SECONDS\n"
        "                        write the runs received to the file at\n"
        "                        least this often (default 5)\n"
        "  -q, --quiet           no cost line, progress bar or warnings\n"
        "  -h, --help            show this help and exit\n"
        "\n"
        "The number of runs is printed on stderr before they start.  Runs\n"
        "that fail leave their base row (sobol) or trajectory (morris) out.\n"
        "Sobol' indices assume independent inputs: the scenario's rank\n"
        "correlations are not applied (a warning says so).\n",
        out);
}

typedef struct sens_args {
    const char *scenario;
    const char *output;
    ps_sens_method method;
    const char **of;
    size_t nof;
    const char **groups;
    size_t ngroups;
    long long samples, bootstrap, trajectories, levels;
    double low, high;
    int has_seed;
    unsigned long long seed;
    int threads;
    ps_h5_format format;
    int quiet;
    int force; /* --force: replace an existing output */
    const char *posterior;
    int method_options; /* bits: which method's options were given */
    const char *resume; /* the .partial to finish, or NULL */
    double flush_seconds;
} sens_args;

enum {
    OPT_OF = 1000,
    OPT_GROUP,
    OPT_BOOTSTRAP,
    OPT_TRAJECTORIES,
    OPT_LEVELS,
    OPT_LOW,
    OPT_HIGH,
    OPT_FORCE,
    OPT_RESUME,
    OPT_FLUSH
};

static int parse_level(const char *opt, const char *arg, double *out)
{
    if (study_parse_number(arg, out) != 0 || !(*out > 0 && *out < 1))
        return cli_usage_error(&cli_sensitivity,
                               "%s: '%s' is not a probability between 0 and "
                               "1",
                               opt, arg);
    return 0;
}

/* Appends `s` to a list of argv strings (they live as long as argv). */
static int push(const char ***list, size_t *n, const char *s)
{
    const char **v = realloc(*list, (*n + 1) * sizeof *v);
    if (!v)
        return -1;
    v[(*n)++] = s;
    *list = v;
    return 0;
}

/* Bits of sens_args.method_options. */
enum { GIVEN_SOBOL = 1, GIVEN_MORRIS = 2, GIVEN_OAT = 4, GIVEN_BOOT = 8 };

static int parse_args(int argc, char **argv, sens_args *a)
{
    static const struct option options[] = {
        {"method", required_argument, NULL, 'm'},
        {"of", required_argument, NULL, OPT_OF},
        {"group", required_argument, NULL, OPT_GROUP},
        {"output", required_argument, NULL, 'o'},
        {"samples", required_argument, NULL, 'N'},
        {"bootstrap", required_argument, NULL, OPT_BOOTSTRAP},
        {"trajectories", required_argument, NULL, OPT_TRAJECTORIES},
        {"levels", required_argument, NULL, OPT_LEVELS},
        {"low", required_argument, NULL, OPT_LOW},
        {"high", required_argument, NULL, OPT_HIGH},
        {"seed", required_argument, NULL, 's'},
        {"threads", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"posterior", required_argument, NULL, 'P'},
        {"quiet", no_argument, NULL, 'q'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {"resume", required_argument, NULL, OPT_RESUME},
        {"flush-every", required_argument, NULL, OPT_FLUSH},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc;
    long long v = 0;
    a->method = PS_SENS_SOBOL;
    a->samples = PS_SENS_DEFAULT_SAMPLES;
    a->bootstrap = PS_SENS_DEFAULT_BOOTSTRAP;
    a->trajectories = PS_SENS_DEFAULT_TRAJECTORIES;
    a->levels = PS_SENS_DEFAULT_LEVELS;
    a->low = PS_SENS_DEFAULT_LOW;
    a->high = PS_SENS_DEFAULT_HIGH;
    a->format = PS_H5_FORMAT_TABLE;
    cli_getopt_begin(&cli_sensitivity, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "m:o:N:s:t:f:P:qh", options, NULL)) !=
           -1) {
        switch (c) {
        case 'm':
            if (ps_sens_method_from_name(optarg, &a->method) != 0)
                return cli_usage_error(&cli_sensitivity,
                                       "--method: '%s' is not sobol, morris "
                                       "or oat",
                                       optarg);
            break;
        case OPT_OF:
            if (push(&a->of, &a->nof, optarg) < 0)
                return cli_usage_error(&cli_sensitivity, "out of memory");
            break;
        case OPT_GROUP:
            if (push(&a->groups, &a->ngroups, optarg) < 0)
                return cli_usage_error(&cli_sensitivity, "out of memory");
            break;
        case 'o':
            a->output = optarg;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case 'N':
            if ((rc = cli_parse_count(&cli_sensitivity, "--samples", optarg, 2, 1LL << 32,
                                  &a->samples)) != 0)
                return rc;
            a->method_options |= GIVEN_SOBOL;
            break;
        case OPT_BOOTSTRAP:
            if ((rc = cli_parse_count(&cli_sensitivity, "--bootstrap", optarg, 0, 1000000,
                                  &a->bootstrap)) != 0)
                return rc;
            a->method_options |= GIVEN_BOOT;
            break;
        case OPT_TRAJECTORIES:
            if ((rc = cli_parse_count(&cli_sensitivity, "--trajectories", optarg, 1, 1LL << 32,
                                  &a->trajectories)) != 0)
                return rc;
            a->method_options |= GIVEN_MORRIS;
            break;
        case OPT_LEVELS:
            if ((rc = cli_parse_count(&cli_sensitivity, "--levels", optarg, 2, 1000, &a->levels)) !=
                0)
                return rc;
            if (a->levels % 2 != 0)
                return cli_usage_error(&cli_sensitivity,
                                       "--levels: %lld is odd: a step of "
                                       "p/(2(p-1)) stays on the grid only for "
                                       "an even p",
                                       a->levels);
            a->method_options |= GIVEN_MORRIS;
            break;
        case OPT_LOW:
            if ((rc = parse_level("--low", optarg, &a->low)) != 0)
                return rc;
            a->method_options |= GIVEN_OAT;
            break;
        case OPT_HIGH:
            if ((rc = parse_level("--high", optarg, &a->high)) != 0)
                return rc;
            a->method_options |= GIVEN_OAT;
            break;
        case 's':
            if ((rc = cli_parse_seed(&cli_sensitivity, optarg, &a->seed)) != 0)
                return rc;
            a->has_seed = 1;
            break;
        case 't':
            if ((rc = cli_parse_count(&cli_sensitivity, "--threads", optarg, 1, 4096, &v)) != 0)
                return rc;
            a->threads = (int)v;
            break;
        case 'f':
            if (ps_h5_format_from_name(optarg, &a->format) != 0)
                return cli_usage_error(&cli_sensitivity,
                                       "--format: '%s' is not table, md, csv "
                                       "or json",
                                       optarg);
            break;
        case 'q':
            a->quiet = 1;
            break;
        case 'P':
            a->posterior = optarg;
            break;
        case OPT_RESUME:
            a->resume = optarg;
            break;
        case OPT_FLUSH:
            if ((rc = cli_parse_flush_every(&cli_sensitivity, optarg,
                                            &a->flush_seconds)) != 0)
                return rc;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_sensitivity);
        }
    }
    if ((rc = cli_one_operand(&cli_sensitivity, argc, argv, "SCENARIO", &a->scenario)) >= 0)
        return rc;
    if (a->low >= a->high)
        return cli_usage_error(&cli_sensitivity,
                               "--low %g must be below --high %g", a->low,
                               a->high);
    if (a->resume)
        return cli_check_resume(&cli_sensitivity, a->resume, a->output);
    return -1;
}

/* Warnings about settings the method will not use, or change. */
static void warn_settings(const sens_args *a, const scenario_run *r,
                          size_t *samples)
{
    static const char *const names[] = {"sobol", "morris", "oat"};
    static const int own[] = {GIVEN_SOBOL | GIVEN_BOOT,
                              GIVEN_MORRIS | GIVEN_BOOT, GIVEN_OAT};
    int unused = a->method_options & ~own[a->method];
    size_t n = (size_t)a->samples, p = 1;
    while (p < n)
        p <<= 1;
    *samples = p;
    if (a->quiet)
        return;
    if (a->method == PS_SENS_SOBOL && p != n)
        fprintf(stderr,
                "plansim sensitivity: warning: --samples %zu is not a power "
                "of 2 (Sobol' points lose their balance): using %zu\n",
                n, p);
    static const struct {
        int bit;
        const char *text;
    } given[] = {{GIVEN_SOBOL, "--samples"},
                 {GIVEN_MORRIS, "--trajectories, --levels"},
                 {GIVEN_OAT, "--low, --high"},
                 {GIVEN_BOOT, "--bootstrap"}};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        if (unused & given[i].bit)
            fprintf(stderr,
                    "plansim sensitivity: warning: %s: not used by --method "
                    "%s\n",
                    given[i].text, names[a->method]);
    if (r->sc->correlation)
        fprintf(stderr,
                "plansim sensitivity: warning: the scenario's rank "
                "correlations are not applied: the indices assume "
                "independent inputs\n");
}

static void print_cost(const ps_sens_design *d, size_t ninputs, int quiet)
{
    if (quiet)
        return;
    size_t k = d->nfactors, runs = ps_sens_design_runs(d);
    char factors[96];
    if (k == ninputs)
        snprintf(factors, sizeof factors, "k = %zu factors", k);
    else
        snprintf(factors, sizeof factors, "k = %zu factors (%zu inputs)", k,
                 ninputs);
    switch (d->method) {
    case PS_SENS_SOBOL:
        fprintf(stderr,
                "plansim sensitivity: Sobol' (Saltelli design), %s, N = %zu: "
                "N(k+2) = %zu runs\n",
                factors, d->samples, runs);
        break;
    case PS_SENS_MORRIS:
        fprintf(stderr,
                "plansim sensitivity: Morris, %s, r = %zu trajectories, "
                "p = %u levels: r(k+1) = %zu runs\n",
                factors, d->trajectories, d->levels, runs);
        break;
    case PS_SENS_OAT:
        fprintf(stderr,
                "plansim sensitivity: one at a time, %s: 2k+1 = %zu runs\n",
                factors, runs);
        break;
    }
}

/* Analysis and results, made in the file's finish step or after the
   runs when there is no file. */
typedef struct finish_ctx {
    const sens_runs *runs;
    const sens_factors *factors;
    size_t nboot;
    const study_hooks *hooks;
    sens_results *results;
    int analysed;
} finish_ctx;

static ps_status analyse(finish_ctx *f, ps_error *err)
{
    ps_status st =
        sens_analyse(f->runs, f->factors, f->nboot, f->hooks, f->results, err);
    f->analysed = st == PS_OK;
    return st;
}

static ps_status finish_file(struct ps_h5_sink *sink, void *ctx, ps_error *err)
{
    finish_ctx *f = ctx;
    ps_status st = analyse(f, err);
    if (st == PS_OK)
        st = ps_h5_sink_write_sensitivity(sink, &f->results->h5, err);
    return st;
}

static void warn_failures(const ps_ensemble_report *rep, const char *what)
{
    if (rep->failed == 0)
        return;
    fprintf(stderr,
            "plansim sensitivity: warning: %zu of %zu runs failed; their %s "
            "are left out; the first:\n",
            rep->failed, rep->done, what);
    ps_error_print(stderr, &rep->first_failure);
}

/* Runs the design, analyses, and writes the file when asked. */
static ps_status execute(const sens_args *a, int argc, char **argv,
                         const ps_ensemble_spread *spread, sens_runs *runs,
                         finish_ctx *fin, ps_ensemble_report *report,
                         ps_error *err)
{
    char *cmdline = cli_command_line(&cli_sensitivity, argc, argv);
    if (!cmdline)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    cli_interrupt intr;
    cli_interrupt_begin(&intr);
    progress_bar bar;
    sens_run_options o = {a->output,
                          a->threads,
                          cmdline,
                          progress_for_study(&bar, !a->quiet),
                          cli_interrupt_flag(),
                          finish_file,
                          fin,
                          a->resume != NULL,
                          a->flush_seconds,
                          spread};
    ps_status st = sens_runs_execute(runs, &o, report, err);
    cli_interrupt_end(&intr);
    free(cmdline);
    if (!a->quiet)
        warn_failures(report, runs->design->method == PS_SENS_SOBOL
                                  ? "base rows"
                              : runs->design->method == PS_SENS_MORRIS
                                  ? "trajectories"
                                  : "outputs");
    /* a worker of a job has none of the outputs: rank 0 analyses */
    if (st == PS_OK && !fin->analysed && !ps_ensemble_spread_worker(spread))
        st = analyse(fin, err);
    return st;
}

static int run(int argc, char **argv, const ps_ensemble_spread *spread)
{
    /* A worker of a job: runs dealt blocks, checks and prints nothing. */
    int worker = ps_ensemble_spread_worker(spread);
    sens_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    char *resumed = a.resume && rc < 0 ? cli_resume_output(a.resume) : NULL;
    if (rc < 0 && a.resume && !resumed)
        rc = ps_status_exit_code(PS_ERR_NOMEM);
    if (rc >= 0) {
        free(a.of);
        free(a.groups);
        return rc;
    }
    if (resumed)
        a.output = resumed;
    scenario_run r;
    sens_factors factors = {0};
    sens_outputs outputs = {0};
    sens_runs runs = {0};
    sens_results results = {0};
    ps_ensemble_report report;
    memset(&report, 0, sizeof report);
    ps_error err;
    cli_study_io io, io_sens;
    ps_status st = scenario_prepare(a.scenario, &r, &err);
    if (st == PS_OK && a.output && !a.resume && !worker)
        st = ps_output_check(
            a.output, PS_OUTPUT_RESUMABLE | (a.force ? PS_OUTPUT_REPLACE : 0),
            &err);
    if (st == PS_OK && a.posterior)
        st = scenario_use_posterior(
            &r, a.posterior, cli_study_hooks(&io, "plansim", a.quiet), &err);
    if (st != PS_OK) {
        scenario_free(&r);
        free(a.of);
        free(a.groups);
        return cli_fail(&err);
    }
    size_t samples;
    warn_settings(&a, &r, &samples);
    ps_sens_design d = {
        .method = a.method,
        .seed = a.has_seed ? a.seed : r.sc->seed,
        .ninputs = r.bind.ncolumns,
        .samples = samples,
        .trajectories = (size_t)a.trajectories,
        .levels = (unsigned)a.levels,
        .low = a.low,
        .high = a.high,
    };
    if ((st = sens_factors_make(&r, a.groups, a.ngroups, &factors, &err)) !=
            PS_OK ||
        (st = sens_outputs_make(&r, a.of, a.nof, &outputs, &err)) != PS_OK)
        goto done;
    d.nfactors = factors.n;
    d.factor_of = factors.factor_of;
    if ((st = ps_sens_design_check(&d, &err)) != PS_OK ||
        (st = sens_runs_init(&runs, &r, &d, &outputs, &err)) != PS_OK)
        goto done;
    /* the file's runs must fit where it goes, as run's do */
    if (a.output &&
        (st = scenario_check_room(&r, runs.nruns, 0, a.output, &err)) != PS_OK)
        goto done;
    print_cost(&d, r.bind.ncolumns, a.quiet);
    finish_ctx fin = {&runs,
                      &factors,
                      (size_t)a.bootstrap,
                      cli_study_hooks(&io_sens, "plansim sensitivity", a.quiet),
                      &results,
                      0};
    st = execute(&a, argc, argv, spread, &runs, &fin, &report, &err);
    if (worker)
        goto done;
    if (st == PS_ERR_INTERRUPTED && !a.quiet)
        fprintf(stderr, "plansim sensitivity: interrupted after %zu of %zu "
                        "runs%s%s%s\n",
                report.done, runs.nruns, a.output ? "; they are in " : "",
                a.output ? a.output : "", a.output ? ".partial" : "");
    if (st == PS_OK && a.output && !a.quiet)
        fprintf(stderr,
                "plansim sensitivity: %zu runs written to %s (results in its "
                "/sensitivity group)\n",
                runs.nruns, a.output);
    if (st == PS_OK)
        st = ps_h5_sensitivity_print(stdout, &results.h5, a.format, &err);
done:
    if (st == PS_OK)
        rc = 0;
    else if (st == PS_ERR_INTERRUPTED)
        rc = ps_status_exit_code(st);
    else if (st == PS_ERR_USAGE && !err.file[0])
        rc = cli_usage_error(&cli_sensitivity, "%s", err.message);
    else
        rc = cli_fail(&err);
    sens_results_free(&results);
    sens_runs_free(&runs);
    sens_outputs_free(&outputs);
    sens_factors_free(&factors);
    scenario_free(&r);
    free(a.of);
    free(a.groups);
    free(resumed);
    return rc;
}

const cli_command cli_sensitivity = {
    .name = "sensitivity",
    .summary = "rank the uncertain inputs by how much they drive the outputs",
    .synopsis = "SCENARIO.yaml [--method sobol|morris|oat] [--output FILE.h5] "
                "[--of OUTPUT]... [options]",
    .help = help,
    .run_spread = run,
};
