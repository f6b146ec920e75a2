/*
 * plansim calibrate: a scenario's uncertain inputs conditioned on its
 * observed series, written to a posterior file, then the prior against
 * the posterior.
 */
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plansim_study/calibrate.h"
#include "cli.h"
#include "interrupt.h"
#include "plansim_output/h5.h"
#include "progress.h"
#include "study_io.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_calibrate);
    fputs(
        "\n"
        "Conditions the scenario's uncertain inputs on what was observed (its\n"
        "`observed:` section: a table of series and each series' measurement\n"
        "error), writes the posterior to POST.h5 and prints the inputs' prior\n"
        "and posterior, the predictive check of each series and the targets'\n"
        "probabilities before and after the data.  docs/calibration.md\n"
        "explains the methods and how to read their diagnostics.\n"
        "\n"
        "Options:\n"
        "  -o, --output POST.h5  the posterior file (default: the scenario's\n"
        "                        name with -posterior.h5, in this folder)\n"
        "  -n, --particles N     particles (default 1000)\n"
        "  -m, --method M        smc (default): tempered sequential Monte\n"
        "                        Carlo, with the log evidence;\n"
        "                        is: importance reweighting of prior draws;\n"
        "                        optimize: maximum likelihood and its\n"
        "                        approximate covariance\n"
        "  -t, --threads T       threads (default: all cores)\n"
        "  -s, --seed S          random seed (default: the scenario's)\n"
        "  -f, --format FMT      tables as table, md, csv or json\n"
        "      --force           replace POST.h5 when it exists\n"
        "      --resume POST.h5.partial\n"
        "                        continue an interrupted calibration from\n"
        "                        the last stage its file holds, with the\n"
        "                        same scenario and options it was started\n"
        "                        with\n"
        "      --flush-every SECONDS\n"
        "                        write the last whole stage to\n"
        "                        POST.h5.partial at most this often\n"
        "                        (default 5)\n"
        "  -q, --quiet           no progress bar, no warnings\n"
        "  -h, --help            show this help and exit\n"
        "\n"
        "Forecast from the posterior with plansim run SCENARIO.yaml\n"
        "--posterior POST.h5 (also sweep, solve and sensitivity).\n"
        "POST.h5.partial exists from the start and holds the last whole\n"
        "stage (smc), replaced whole each time; the posterior is renamed to\n"
        "POST.h5 when complete.  After Ctrl-C (status 130), a kill or a\n"
        "crash, --resume POST.h5.partial continues from that stage and ends\n"
        "with the file an uninterrupted calibration writes (is and optimize\n"
        "have no stages to keep: they start again).  An existing\n"
        "POST.h5.partial is otherwise refused with status 73.  The result\n"
        "is the same bit for bit at any thread count.\n",
        out);
}

enum { OPT_FORCE = 256, OPT_RESUME, OPT_FLUSH };

static int parse_args(int argc, char **argv, calibrate_args *a, int *quiet)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"particles", required_argument, NULL, 'n'},
        {"method", required_argument, NULL, 'm'},
        {"threads", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {"quiet", no_argument, NULL, 'q'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"resume", required_argument, NULL, OPT_RESUME},
        {"flush-every", required_argument, NULL, OPT_FLUSH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc;
    long long v = 0;
    a->particles = 1000;
    a->method = PS_CALIB_SMC;
    a->format = PS_H5_FORMAT_TABLE;
    a->flush_seconds = 5.0;
    cli_getopt_begin(&cli_calibrate, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "o:n:m:t:s:f:qh", options, NULL)) !=
           -1) {
        switch (c) {
        case 'o':
            a->output = optarg;
            break;
        case 'n':
            if ((rc = cli_parse_count(&cli_calibrate, "--particles", optarg, 2,
                                      1LL << 24, &v)) != 0)
                return rc;
            a->particles = (size_t)v;
            break;
        case 'm':
            if (ps_calib_method_from_name(optarg, &a->method) != 0)
                return cli_usage_error(&cli_calibrate,
                                       "--method: '%s' is not smc, is or "
                                       "optimize",
                                       optarg);
            break;
        case 't':
            if ((rc = cli_parse_count(&cli_calibrate, "--threads", optarg, 1,
                                      4096, &v)) != 0)
                return rc;
            a->threads = (int)v;
            break;
        case 's':
            if ((rc = cli_parse_seed(&cli_calibrate, optarg, &a->seed)) != 0)
                return rc;
            a->has_seed = 1;
            break;
        case 'f':
            if (ps_h5_format_from_name(optarg, &a->format) != 0)
                return cli_usage_error(&cli_calibrate,
                                       "--format: '%s' is not table, md, csv "
                                       "or json",
                                       optarg);
            break;
        case 'q':
            *quiet = 1;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case OPT_RESUME:
            a->resume = optarg;
            break;
        case OPT_FLUSH:
            if ((rc = cli_parse_flush_every(&cli_calibrate, optarg,
                                            &a->flush_seconds)) != 0)
                return rc;
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_calibrate);
        }
    }
    if ((rc = cli_one_operand(&cli_calibrate, argc, argv, "SCENARIO",
                              &a->scenario)) >= 0)
        return rc;
    if (a->resume)
        return cli_check_resume(&cli_calibrate, a->resume, a->output);
    return -1;
}

static int run(int argc, char **argv, const ps_ensemble_spread *spread)
{
    calibrate_args a = {0};
    int quiet = 0;
    int rc = parse_args(argc, argv, &a, &quiet);
    if (rc >= 0)
        return rc;
    char *output = a.resume   ? cli_resume_output(a.resume)
                   : a.output ? strdup(a.output)
                              : cli_default_output(a.scenario, "-posterior.h5");
    char *cmdline = cli_command_line(&cli_calibrate, argc, argv);
    ps_error err;
    if (!output || !cmdline) {
        free(output);
        free(cmdline);
        ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return cli_fail(&err);
    }
    a.output = output;
    a.command_line = cmdline;
    cli_study_io io;
    a.hooks = cli_study_hooks(&io, "plansim calibrate", quiet);
    progress_bar bar;
    a.progress = progress_for_study(&bar, !quiet);
    a.spread = spread;
    a.cancel = cli_interrupt_flag();
    cli_interrupt intr;
    cli_interrupt_begin(&intr);
    ps_h5_posterior *post = NULL;
    ps_status st = calibrate_run(&a, &post, &err);
    cli_interrupt_end(&intr);
    if (st == PS_OK && !quiet && post) /* none on a worker of a job */
        fprintf(stderr,
                "plansim calibrate: %zu runs; posterior written to %s\n"
                "  forecast:  plansim run %s --posterior %s\n",
                (size_t)post->evaluations, output, a.scenario, output);
    free(output);
    free(cmdline);
    if (st == PS_ERR_INTERRUPTED) {
        fprintf(stderr, "plansim calibrate: %s\n", err.message);
        ps_h5_posterior_free(&post);
        return ps_status_exit_code(st);
    }
    if (st != PS_OK)
        return cli_fail(&err);
    if (ps_ensemble_spread_worker(spread))
        return 0; /* rank 0 prints */
    st = ps_h5_posterior_print(stdout, post, a.format, &err);
    ps_h5_posterior_free(&post);
    return st == PS_OK ? 0 : cli_fail(&err);
}

const cli_command cli_calibrate = {
    .name = "calibrate",
    .summary = "condition a scenario's uncertain inputs on observed data",
    .synopsis = "SCENARIO.yaml [--output POST.h5] [--particles N] "
                "[--method smc|is|optimize] [--threads T] [--seed S] "
                "[--resume POST.h5.partial]",
    .help = help,
    .run_spread = run,
};
