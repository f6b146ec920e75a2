/*
 * plansim report: the tables and fan charts of an ensemble file, or the
 * tables and charts of a calibration's posterior file, in a folder, for
 * the people who write reports.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "plansim/output_file.h"
#include "read_watchdog.h"
#include "plansim_output/report.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_report);
    fputs(
        "\n"
        "Writes a report of the ensemble in FILE.h5 into the folder DIR\n"
        "(created when missing), from the file alone:\n"
        "\n"
        "  index.md               front page: links, target scorecard,\n"
        "                         every chart\n"
        "  targets.md, .csv       each target's probability with its 95 %\n"
        "                         Monte Carlo sampling interval, and its\n"
        "                         variable's median and 5-95 % range of\n"
        "                         outcomes in the target's year (from a\n"
        "                         posterior: also the prior probability)\n"
        "  variables.md, .csv     median and 90 % band (CSV: also the 50 %\n"
        "                         band, mean, sd) of every saved variable\n"
        "                         and time\n"
        "  assumptions.md, .csv   fixed values, levers, uncertain inputs\n"
        "                         with their 5-95 % range, seed, sampling,\n"
        "                         runs, engine, model and its SHA-256\n"
        "  appendix.md            technical appendix: each label with its\n"
        "                         model variable, units and display scale\n"
        "  fan_NAME.svg           a fan chart per saved variable\n"
        "  sensitivity.md, .csv   only for a file of plansim sensitivity:\n"
        "                         per output, the factors ranked by ST, mu*\n"
        "                         or swing with their intervals (CSV: every\n"
        "                         factor and measure, as plansim sensitivity\n"
        "                         --format csv prints them)\n"
        "\n"
        "A posterior file of plansim calibrate gives a calibration report:\n"
        "\n"
        "  index.md               front page: diagnostics, targets before\n"
        "                         and after the data, every chart\n"
        "  calibration.md, .csv   method, evidence, ESS, runs; each input's\n"
        "                         prior and posterior mean, sd and 5/50/95 %\n"
        "                         quantiles; the predictive check of each\n"
        "                         observed series; the targets' prior and\n"
        "                         posterior probabilities\n"
        "  appendix.md            technical appendix: each label with the\n"
        "                         scenario's and the model's names, the\n"
        "                         priors as written\n"
        "  density_INPUT.svg      prior and posterior density of an input\n"
        "  predictive_SERIES.svg  observations over their predictive bands\n"
        "\n"
        "Either report also holds, made from the files above:\n"
        "\n"
        "  NAME.png, NAME.pdf     each chart as PNG at twice its size (for\n"
        "                         print) and as PDF with its font embedded\n"
        "                         (Noto Sans CJK SC, Debian fonts-noto-cjk)\n"
        "  index.html             one page for a browser, offline: the\n"
        "                         Markdown files rendered, charts inline\n"
        "  report.xlsx            a sheet per CSV file, the same numbers,\n"
        "                         with number formats\n"
        "\n"
        "Files are UTF-8 and written whole or not at all; the same FILE.h5\n"
        "gives the same report.  Prints the path of index.md.\n"
        "\n"
        "Options:\n"
        "  -o, --output DIR  the report folder (required)\n"
        "      --lang zh|en  language of the .md and .svg files (default\n"
        "                    zh); names and units come from the labels\n"
        "                    that plansim run or plansim calibrate stored\n"
        "                    from the model's labels file (model names\n"
        "                    only in appendix.md)\n"
        "      --excel       also start CSV files with a UTF-8 byte order\n"
        "                    mark, for opening them in Excel (report.xlsx\n"
        "                    is written either way)\n"
        "      --force       write into DIR although it is not empty,\n"
        "                    replacing the report's files in it\n"
        CLI_READ_TIMEOUT_HELP
        "  -h, --help        show this help and exit\n"
        "\n"
        "Exit status: 0 done; 64 usage; 65 neither an ensemble file with a\n"
        "summary nor a complete posterior file, or a chart that cannot be\n"
        "drawn; 66 FILE.h5 cannot be opened; 69 the charts' font is not\n"
        "installed; 73 DIR or a file in it cannot be created (DIR is not\n"
        "empty without --force, or a file's .partial exists); 74 writing\n"
        "failed, or reading FILE.h5 took longer than --read-timeout.  When\n"
        "only PNG, PDF, HTML or the workbook fail, the rest\n"
        "of the report is written and the message says what is missing.\n",
        out);
}

/* The watchdog over the reading phase of ps_report_write. */
typedef struct report_guard {
    cli_watchdog w;
    unsigned seconds;
} report_guard;

static void reading_begin(void *ctx, const char *path)
{
    report_guard *g = ctx;
    cli_watchdog_begin(&g->w, path, g->seconds);
}

static void reading_end(void *ctx)
{
    report_guard *g = ctx;
    cli_watchdog_end(&g->w);
}

static int run(int argc, char **argv)
{
    enum { OPT_EXCEL = 256, OPT_LANG, OPT_FORCE, OPT_READ_TIMEOUT };
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"excel", no_argument, NULL, OPT_EXCEL},
        {"lang", required_argument, NULL, OPT_LANG},
        {"force", no_argument, NULL, OPT_FORCE},
        {"read-timeout", required_argument, NULL, OPT_READ_TIMEOUT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c;
    const char *dir = NULL;
    int force = 0;
    report_guard guard = {.seconds = CLI_READ_TIMEOUT_DEFAULT};
    ps_report_options opts = {.reading_begin = reading_begin,
                              .reading_end = reading_end,
                              .reading_ctx = &guard};
    cli_getopt_begin(&cli_report, argv, prog, sizeof prog);
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            dir = optarg;
            break;
        case OPT_EXCEL:
            opts.excel = 1;
            break;
        case OPT_FORCE:
            force = 1;
            break;
        case OPT_LANG:
            if (ps_report_lang_from_name(optarg, &opts.lang) != 0)
                return cli_usage_error(
                    &cli_report, "--lang must be zh or en, not '%s'", optarg);
            break;
        case OPT_READ_TIMEOUT: {
            int rc =
                cli_parse_read_timeout(&cli_report, optarg, &guard.seconds);
            if (rc != 0)
                return rc;
            break;
        }
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_report);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_report, "missing FILE.h5");
    if (argc - optind > 1)
        return cli_usage_error(&cli_report, "unexpected argument '%s'",
                               argv[optind + 1]);
    if (!dir || !*dir)
        return cli_usage_error(&cli_report, "missing --output DIR");
    ps_error err;
    ps_status st =
        ps_output_check_dir(dir, force ? PS_OUTPUT_REPLACE : 0, &err);
    if (st == PS_OK)
        st = ps_report_write(argv[optind], dir, &opts, &err);
    if (st == PS_OK)
        cli_note_partial(&cli_report, argv[optind]);
    if (st != PS_OK)
        return cli_fail(&err);
    size_t n = strlen(dir);
    printf("%s%sindex.md\n", dir, n && dir[n - 1] == '/' ? "" : "/");
    return 0;
}

const cli_command cli_report = {
    .name = "report",
    .summary = "write tables and charts of an ensemble or posterior file",
    .synopsis = "FILE.h5 --output DIR [--lang zh|en] [--excel] "
                "[--read-timeout S]",
    .help = help,
    .run = run,
};
