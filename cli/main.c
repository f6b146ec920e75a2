/*
 * plansim: the command-line front end.
 *
 * `plansim COMMAND [ARGS]` dispatches to one subcommand per file
 * (cmd_*.c).  Help and version go to stdout with status 0; usage errors go
 * to stderr with status 64; every other status follows sysexits.h through
 * ps_status_exit_code().
 *
 * Started by mpirun (a build with PLANSIM_MPI), every rank parses the
 * same command line.  Rank 0 runs the command and prints; the other
 * ranks, the workers, share the ensembles of the commands that spread
 * them (run_spread), and otherwise do nothing.  A worker's standard
 * output is dropped and its standard error kept until the end: printed,
 * with its rank, only when it fails.  A rank that fails ends the whole
 * job with its exit status (the others may be waiting on it).
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "cli.h"
#include "plansim/file.h"
#include "plansim_cluster/cluster.h"

static const cli_command *const commands[] = {
    &cli_simulate,
    &cli_check,
    &cli_conform,
    &cli_run,
    &cli_summary,
    &cli_report,
    &cli_fit,
    &cli_discover,
    &cli_sensitivity,
    &cli_sweep, &cli_solve,
    &cli_calibrate,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_main_usage(FILE *out)
{
    fputs("usage: plansim [--help] [--version] [--max-input-size SIZE] "
          "COMMAND [ARGS]\n",
          out);
}

static void print_main_help(FILE *out)
{
    print_main_usage(out);
    fputs("\n"
          "Simulates system-dynamics models of economies written in Vensim\n"
          ".mdl equation syntax.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "  %-10s %s\n", "help", "show the help of a command");
    fputs("\n"
          "Options:\n"
          "  -h, --help     show this help and exit\n"
          "  -V, --version  show the version and exit\n"
          "  --max-input-size SIZE\n"
          "                 the largest input file read (model, scenario,\n"
          "                 labels, observed or external data): bytes, or\n"
          "                 with K, M, G or T (e.g. 1G); default 256M, or\n"
          "                 the environment variable " PS_INPUT_MAX_ENV "\n"
          "\n"
          "Exit status:\n"
          "   0  success\n"
          "   1  some conformance cases failed (conform)\n"
          "  64  command-line usage error\n"
          "  65  invalid model, scenario or data (syntax, units, run-time\n"
          "      failure)\n"
          "  66  an input file cannot be opened\n"
          "  70  internal error or out of memory\n"
          "  73  an output file cannot be created, exists (replace it\n"
          "      with --force) or is being written (its .partial exists)\n"
          "  74  input/output error while reading or writing (a full\n"
          "      disk, a file-size limit)\n"
          " 130  interrupted (Ctrl-C)\n"
          "\n"
          "Run 'plansim help COMMAND' for the options of a command.\n",
          out);
}

static void print_version(FILE *out)
{
    char version[128];
    scenario_engine_version(version, sizeof version);
    fprintf(out, "plansim %s%s\n", version,
            ps_cluster_has_mpi() ? ", with MPI" : "");
}

static int main_usage_error(const char *fmt, const char *arg)
{
    fputs("plansim: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    print_main_usage(stderr);
    fputs("Try 'plansim --help' for more information.\n", stderr);
    return ps_status_exit_code(PS_ERR_USAGE);
}

/* `plansim help [COMMAND]` */
static int run_help(int argc, char **argv)
{
    if (argc == 0) {
        print_main_help(stdout);
        return 0;
    }
    if (argc > 1)
        return main_usage_error("help: too many arguments after '%s'", argv[0]);
    if (strcmp(argv[0], "help") == 0) {
        print_main_help(stdout);
        return 0;
    }
    const cli_command *cmd = find_command(argv[0]);
    if (!cmd)
        return main_usage_error("help: unknown command '%s'", argv[0]);
    cmd->help(stdout);
    return 0;
}

/* Parses the top-level options and runs the command, as rank `rank` of
   a job sharing ensembles through `spread` (NULL: one process); returns
   the exit status. */
static int dispatch(int argc, char **argv, int rank,
                    const ps_ensemble_spread *spread)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"max-input-size", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    size_t max_input;
    int c;
    opterr = 0;
    /* '+': stop at the command name; its options are its own. */
    while ((c = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_main_help(stdout);
            return 0;
        case 'V':
            print_version(stdout);
            return 0;
        case 'M':
            /* the readers take the limit from the environment, so that it
               reaches every one of them */
            if (ps_byte_size_parse(optarg, &max_input) != 0)
                return main_usage_error("--max-input-size: '%s' is not a "
                                        "size (bytes, or with K, M, G or T, "
                                        "e.g. 512M)",
                                        optarg);
            if (setenv(PS_INPUT_MAX_ENV, optarg, 1) != 0)
                return main_usage_error("--max-input-size: cannot set %s",
                                        PS_INPUT_MAX_ENV);
            break;
        default:
            if (optopt == 'M')
                return main_usage_error("%s", "--max-input-size needs a SIZE");
            if (optopt) {
                char opt[3] = {'-', (char)optopt, '\0'};
                return main_usage_error("unknown option '%s'", opt);
            }
            return main_usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    ps_error err;
    if (ps_input_max_bytes(&max_input, &err) != PS_OK)
        return main_usage_error("%s", err.message);
    if (optind >= argc)
        return main_usage_error("%s", "missing command");
    const char *name = argv[optind];
    if (strcmp(name, "help") == 0)
        return run_help(argc - optind - 1, argv + optind + 1);
    const cli_command *cmd = find_command(name);
    if (!cmd)
        return main_usage_error("unknown command '%s'", name);
    if (cmd->run_spread)
        return cmd->run_spread(argc - optind, argv + optind, spread);
    return rank == 0 ? cmd->run(argc - optind, argv + optind) : 0;
}

/* A worker's standard streams: output dropped, errors kept in memory
   (*kept, *size) until the worker knows whether it failed. */
static int quiet_worker(char **kept, size_t *size)
{
    FILE *mem = open_memstream(kept, size);
    if (!mem || !freopen("/dev/null", "w", stdout))
        return -1;
    stderr = mem;
    return 0;
}

/* A failed worker's kept errors, each line with its rank, on the real
   standard error. */
static void show_worker_errors(int rank, char *kept, size_t size)
{
    fflush(stderr);
    FILE *out = fdopen(dup(STDERR_FILENO), "w");
    if (!out)
        return;
    for (size_t at = 0; at < size;) {
        size_t end = at;
        while (end < size && kept[end] != '\n')
            end++;
        fprintf(out, "plansim: rank %d: %.*s\n", rank, (int)(end - at),
                kept + at);
        at = end + 1;
    }
    fclose(out);
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process; the engine checks every
       status itself. */
    gsl_set_error_handler_off();
    /* Past a file-size limit (ulimit -f) a write then fails with EFBIG
       and ends as every write error does (status 74, the file named),
       instead of the signal killing the process without a word. */
    signal(SIGXFSZ, SIG_IGN);
    ps_cluster *job = NULL;
    ps_error err;
    if (ps_cluster_open(&argc, &argv, &job, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        return ps_status_exit_code(err.status);
    }
    int rank = ps_cluster_rank(job), size = ps_cluster_size(job);
    char *kept = NULL;
    size_t kept_size = 0;
    if (rank > 0 && quiet_worker(&kept, &kept_size) != 0) {
        perror("plansim: a worker's standard streams");
        ps_cluster_abort(job, ps_status_exit_code(PS_ERR_IO));
    }
    int status = dispatch(argc, argv, rank, ps_cluster_spread(job));
    /* Whatever went to stdout (results, help) must have reached it. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && status == 0) {
        perror("plansim: standard output");
        status = ps_status_exit_code(PS_ERR_IO);
    }
    if (rank > 0 && status != 0 &&
        status != ps_status_exit_code(PS_ERR_INTERRUPTED))
        show_worker_errors(rank, kept, kept_size);
    /* A worker interrupted, or stopped with rank 0, leaves the ending to
       rank 0; any other failure ends the job. */
    int interrupted = status == ps_status_exit_code(PS_ERR_INTERRUPTED);
    if (size > 1 && status != 0 && !(rank > 0 && interrupted))
        ps_cluster_abort(job, status);
    ps_cluster_close(&job);
    if (rank > 0) {
        fclose(stderr);
        free(kept);
    }
    return status;
}
