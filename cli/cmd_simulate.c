/*
 * plansim simulate: run a model once and write its saved series.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plansim/integ.h"
#include "plansim/output_file.h"
#include "plansim/mdl.h"
#include "plansim/program.h"
#include "plansim/sim.h"
#include "plansim_output/out_file.h"
#include "plansim_output/table.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_simulate);
    fputs("\n"
          "Runs MODEL.mdl from INITIAL TIME to FINAL TIME and writes the\n"
          "values saved every SAVEPER: a Time column, then one column per\n"
          "variable under its model name.\n"
          "\n"
          "Options:\n"
          "  -s, --set NAME=VALUE  replace the constant NAME, or one element\n"
          "                        NAME[e1,e2] of it, by VALUE (repeatable)\n"
          "  -m, --method NAME     integration method:",
          out);
    for (const ps_stepper_type *const *t = ps_stepper_types(); *t; t++)
        fprintf(out, " %s", (*t)->name);
    fputs("\n"
          "                        (default: euler, as Vensim)\n"
          "      --abs-tol X       absolute tolerance of adaptive methods\n"
          "      --rel-tol X       relative tolerance of adaptive methods\n"
          "  -d, --data FILE       a dataset (.tab, .csv, .xlsx...) giving\n"
          "                        the values of data variables that have\n"
          "                        no equation: a Time column, then a\n"
          "                        column per element named as Vensim\n"
          "                        writes it, Var[e1,e2] (repeatable)\n"
          "  -o, --output FILE     write to FILE: .csv is comma-separated,\n"
          "                        .tab tab-separated; without it (or with\n"
          "                        '-') CSV goes to standard output\n"
          "      --force           replace FILE when it exists\n"
          "      --engine E        native, interpreted or auto (the\n"
          "                        default, or PLANSIM_ENGINE): as in\n"
          "                        `plansim run`\n"
          "  -h, --help            show this help and exit\n"
          "\n"
          "A file is written as FILE.partial and renamed when complete; an\n"
          "existing FILE is replaced only with --force, an existing\n"
          "FILE.partial never (status 73 before the run).  When\n"
          "a value stops being finite, the rows computed until then are\n"
          "still written, the error is reported and the status is 65.\n",
          out);
}

typedef struct sim_args {
    const char *model;
    const char *output; /* NULL for standard output */
    ps_table_format format;
    ps_sim_options opts;
    ps_override *overrides;
    size_t noverrides;
    const char **datasets;
    size_t ndatasets;
    int force; /* --force: replace an existing output */
    int has_engine;
    ps_engine engine;
} sim_args;

static void free_args(sim_args *a)
{
    for (size_t i = 0; i < a->noverrides; i++)
        free((char *)a->overrides[i].name);
    free(a->overrides);
    free(a->datasets);
}

/* Adds one --set NAME=VALUE; returns 0 or a usage error status. */
static int add_override(sim_args *a, const char *arg)
{
    const char *eq = strrchr(arg, '=');
    double v;
    if (!eq || eq == arg)
        return cli_usage_error(&cli_simulate,
                               "--set expects NAME=VALUE, not '%s'", arg);
    if (study_parse_number(eq + 1, &v) != 0)
        return cli_usage_error(&cli_simulate,
                               "--set %s: '%s' is not a finite number", arg,
                               eq + 1);
    char *name = strndup(arg, (size_t)(eq - arg));
    if (!name) {
        ps_error err;
        ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return cli_fail(&err);
    }
    a->overrides[a->noverrides].name = name;
    a->overrides[a->noverrides].value = v;
    a->noverrides++;
    return 0;
}

/* Reads a positive finite tolerance; returns 0 or a usage error status. */
static int parse_tolerance(const char *opt, const char *arg, double *out)
{
    if (study_parse_number(arg, out) != 0 || *out <= 0)
        return cli_usage_error(&cli_simulate,
                               "%s: '%s' is not a positive number", opt, arg);
    return 0;
}

/* Parses the command line into *a; returns -1 to go on, else an exit
   status (0 after --help). */
static int parse_args(int argc, char **argv, sim_args *a)
{
    enum { OPT_FORCE = 256, OPT_ENGINE };
    static const struct option options[] = {
        {"set", required_argument, NULL, 's'},
        {"method", required_argument, NULL, 'm'},
        {"abs-tol", required_argument, NULL, 'A'},
        {"rel-tol", required_argument, NULL, 'R'},
        {"output", required_argument, NULL, 'o'},
        {"data", required_argument, NULL, 'd'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"engine", required_argument, NULL, OPT_ENGINE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc;

    /* at most one override or dataset per argument */
    a->overrides = calloc((size_t)argc, sizeof *a->overrides);
    a->datasets = calloc((size_t)argc, sizeof *a->datasets);
    if (!a->overrides || !a->datasets) {
        ps_error err;
        ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return cli_fail(&err);
    }
    cli_getopt_begin(&cli_simulate, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "s:m:o:d:h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            a->datasets[a->ndatasets++] = optarg;
            break;
        case 's':
            if ((rc = add_override(a, optarg)) != 0)
                return rc;
            break;
        case 'm':
            if (!ps_stepper_type_find(optarg))
                return cli_usage_error(
                    &cli_simulate, "unknown method '%s' (see --help)", optarg);
            a->opts.method = optarg;
            break;
        case 'A':
            if ((rc = parse_tolerance("--abs-tol", optarg,
                                      &a->opts.integ.abs_tol)) != 0)
                return rc;
            break;
        case 'R':
            if ((rc = parse_tolerance("--rel-tol", optarg,
                                      &a->opts.integ.rel_tol)) != 0)
                return rc;
            break;
        case 'o':
            a->output = strcmp(optarg, "-") == 0 ? NULL : optarg;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case OPT_ENGINE:
            if ((rc = cli_parse_engine(&cli_simulate, optarg, &a->engine)) != 0)
                return rc;
            a->has_engine = 1;
            break;
        case 'h':
            help(stdout);
            return 0;
        default: /* getopt has said what was wrong */
            return cli_usage_tail(&cli_simulate);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_simulate, "missing MODEL");
    if (argc - optind > 1)
        return cli_usage_error(&cli_simulate, "unexpected argument '%s'",
                               argv[optind + 1]);
    a->model = argv[optind];
    a->format = PS_TABLE_CSV;
    if (a->output && ps_table_format_from_path(a->output, &a->format) != 0)
        return cli_usage_error(&cli_simulate,
                               "cannot tell the format of '%s': name it "
                               ".csv or .tab",
                               a->output);
    a->opts.overrides = a->overrides;
    a->opts.noverrides = a->noverrides;
    return -1;
}

/* Loads the model with its datasets and compiles it; returns 0 or an
   exit status. */
static int build(const sim_args *a, ps_program **prog)
{
    ps_model *model = NULL;
    ps_error err;
    if (ps_model_load(a->model, &model, &err) != PS_OK)
        return cli_fail(&err);
    ps_status st = PS_OK;
    for (size_t i = 0; st == PS_OK && i < a->ndatasets; i++)
        st = ps_model_add_dataset(model, a->datasets[i], &err);
    if (st == PS_OK)
        st = ps_program_compile(model, prog, &err);
    ps_model_free(&model);
    return st == PS_OK ? 0 : cli_fail(&err);
}

/*
 * Writes what the run produced, to the open file or to stdout.  After a
 * failed run the rows saved before the failure are still written (when
 * there are any).  Returns 0 or the exit status of a write failure.
 */
static int write_result(const sim_args *a, ps_out_file **file,
                        const ps_series *s, int run_ok)
{
    ps_error err;
    if (!s || (!run_ok && s->nrows == 0)) {
        ps_out_file_discard(file);
        return 0;
    }
    FILE *out = *file ? ps_out_file_stream(*file) : stdout;
    ps_status st = ps_table_write(out, s, a->format,
                                  a->output ? a->output : "<stdout>", &err);
    if (st == PS_OK && *file)
        st = ps_out_file_commit(file, &err);
    if (st != PS_OK) {
        ps_out_file_discard(file);
        return cli_fail(&err);
    }
    return 0;
}

static int run(int argc, char **argv)
{
    sim_args a = {0};
    ps_program *prog = NULL;
    ps_out_file *file = NULL;
    ps_series *series = NULL;
    ps_error err;
    int status;

    ps_sim_options_default(&a.opts);
    if ((status = parse_args(argc, argv, &a)) >= 0)
        goto done;
    if ((status = build(&a, &prog)) != 0 ||
        (status = cli_use_engine(prog, a.has_engine ? &a.engine : NULL, 0)) !=
            0)
        goto done;
    /* Create the output before running, so a bad path costs no run. */
    if (a.output && (ps_output_check(a.output, a.force ? PS_OUTPUT_REPLACE : 0,
                                     &err) != PS_OK ||
                     ps_out_file_open(a.output, &file, &err) != PS_OK)) {
        status = cli_fail(&err);
        goto done;
    }
    ps_status st = ps_simulate(prog, &a.opts, &series, &err);
    status = write_result(&a, &file, series, st == PS_OK);
    if (st != PS_OK)
        status = cli_fail(&err); /* the run's failure comes first */
done:
    ps_out_file_discard(&file);
    ps_series_free(&series);
    ps_program_free(&prog);
    free_args(&a);
    return status;
}

const cli_command cli_simulate = {
    .name = "simulate",
    .summary = "run a model once and write its saved series as a table",
    .synopsis = "MODEL.mdl [options]",
    .help = help,
    .run = run,
};
