/*
 * plansim summary: print the summary stored in an ensemble file, or the
 * tables of a posterior file.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "read_watchdog.h"
#include "plansim_output/h5.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_summary);
    fputs("\n"
          "Prints the summary `plansim run` stored in FILE.h5: each target's\n"
          "probability with its 95 % Wilson interval, then per saved\n"
          "variable and time the median and the 5-95 % band.  Quantiles are\n"
          "type 7 (linear interpolation at (n-1)p), numpy's and R's default.\n"
          "Given a posterior file (plansim calibrate), prints its tables: the\n"
          "method's diagnostics, each input's prior and posterior, the\n"
          "predictive check and the targets before and after the data.\n"
          "\n"
          "Options:\n"
          "  -f, --format FMT  table (aligned text, the default), md\n"
          "                    (Markdown), csv (long form: every statistic)\n"
          "                    or json\n" CLI_READ_TIMEOUT_HELP
          "  -h, --help        show this help and exit\n",
          out);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"read-timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c;
    ps_h5_format fmt = PS_H5_FORMAT_TABLE;
    unsigned timeout = CLI_READ_TIMEOUT_DEFAULT;
    cli_getopt_begin(&cli_summary, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "f:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (ps_h5_format_from_name(optarg, &fmt) != 0)
                return cli_usage_error(&cli_summary,
                                       "--format: '%s' is not table, md, csv "
                                       "or json",
                                       optarg);
            break;
        case 'T': {
            int rc = cli_parse_read_timeout(&cli_summary, optarg, &timeout);
            if (rc != 0)
                return rc;
            break;
        }
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_summary);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_summary, "missing FILE.h5");
    if (argc - optind > 1)
        return cli_usage_error(&cli_summary, "unexpected argument '%s'",
                               argv[optind + 1]);
    ps_error err;
    ps_h5_kind kind = PS_H5_KIND_ENSEMBLE;
    cli_watchdog w;
    cli_watchdog_begin(&w, argv[optind], timeout);
    ps_status st = ps_h5_file_kind(argv[optind], &kind, &err);
    if (st == PS_OK && kind == PS_H5_KIND_POSTERIOR) {
        ps_h5_posterior *p = NULL;
        st = ps_h5_posterior_read(argv[optind], &p, &err);
        cli_watchdog_end(&w);
        if (st == PS_OK)
            st = ps_h5_posterior_print(stdout, p, fmt, &err);
        ps_h5_posterior_free(&p);
        return st == PS_OK ? 0 : cli_fail(&err);
    }
    ps_h5_summary *s = NULL;
    st = ps_h5_summary_read(argv[optind], &s, &err);
    cli_watchdog_end(&w);
    if (st == PS_OK)
        cli_note_partial(&cli_summary, argv[optind]);
    if (st == PS_OK)
        st = ps_h5_summary_print(stdout, s, fmt, &err);
    ps_h5_summary_free(&s);
    return st == PS_OK ? 0 : cli_fail(&err);
}

const cli_command cli_summary = {
    .name = "summary",
    .summary = "print the summary of an ensemble or posterior file",
    .synopsis = "FILE.h5 [--format table|md|csv|json] [--read-timeout S]",
    .help = help,
    .run = run,
};
