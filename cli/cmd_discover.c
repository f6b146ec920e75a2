/*
 * plansim discover: scenario discovery on an ensemble file.  Which
 * uncertain inputs, in which ranges, make a target met (or missed)?
 *
 * This file holds the help, the arguments and the command's flow: it
 * reads the target and the runs and runs PRIM for one or two boxes and
 * the Kolmogorov-Smirnov factor ranking (discover_analyse.c), prints the
 * peeling trajectory, the chosen boxes and the ranking as aligned text,
 * Markdown or long-form CSV (discover_print.c), and with --output DIR
 * also writes them as files (discover_files.c).  docs/discovery.md
 * explains the method and how to read the results.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "discover_cli.h"
#include "plansim/output_file.h"
#include "plansim_output/study_json.h"
#include "read_watchdog.h"
#include "study_io.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_discover);
    fputs(
        "\n"
        "Scenario discovery: finds the ranges of the uncertain inputs in\n"
        "which a target of FILE.h5 is met (the cases of interest; with\n"
        "--missed, the runs that miss it), over the runs whose status is\n"
        "ok, and ranks the inputs by how well each alone separates the\n"
        "cases from the other runs.\n"
        "\n"
        "PRIM (Friedman and Fisher 1999; Bryant and Lempert 2010; as in the\n"
        "EMA Workbench) starts from a box holding every run and peels it:\n"
        "each step cuts the lowest or highest --peel-alpha of the box's\n"
        "runs on one input, the cut that raises the density most per run\n"
        "removed (a discrete input loses whole values), until no cut raises\n"
        "it or the box would hold less than --min-mass of the runs; then it\n"
        "pastes limits back out while that raises the density.  Every box\n"
        "on the way is printed (the trajectory):\n"
        "  coverage    share of all the cases of interest inside the box\n"
        "  density     share of the box's runs that are cases of interest\n"
        "  mass        share of all runs inside the box\n"
        "The chosen box (marked *) is, unless --box says otherwise, the one\n"
        "of highest density among those that keep at least --min-coverage\n"
        "of the cases and whose every limit has a quasi-p-value of at most\n"
        "--max-p.  For each limit of the chosen box, p is its quasi-p-value:\n"
        "the one-sided binomial probability of the box's density if the\n"
        "density were that of the box without this limit.  A large p means\n"
        "the limit adds little.  Two p-values are the lower limit's, then\n"
        "the upper limit's.\n"
        "\n"
        "The factor ranking gives, for each input, the Kolmogorov-Smirnov\n"
        "distance D between its values in the cases of interest and in the\n"
        "other runs (0: the same distribution, 1: fully separated), its\n"
        "asymptotic p-value, and whether the cases tend to higher or lower\n"
        "values.\n"
        "\n"
        "Options:\n"
        "  -t, --target NAME      the target's identifier (required; see\n"
        "                         plansim summary --format csv)\n"
        "      --missed           cases of interest are the runs that miss\n"
        "                         the target\n"
        "      --peel-alpha A     share peeled per step, in (0, 0.5)\n"
        "                         (default 0.05)\n"
        "      --paste-alpha A    share pasted per step, in (0, 0.5)\n"
        "                         (default 0.05)\n"
        "      --no-paste         no pasting after peeling\n"
        "      --min-mass M       smallest share of the runs a box keeps,\n"
        "                         in [0, 1) (default 0.05)\n"
        "      --min-coverage C   the chosen box keeps at least this share\n"
        "                         of the cases, in [0, 1] (default 0.5)\n"
        "      --max-p P          and every limit of it has a quasi-p-value\n"
        "                         of at most P, in (0, 1] (default 0.05;\n"
        "                         1: no such condition)\n"
        "      --box I[,J]        choose the box at step I of the first\n"
        "                         trajectory (and J of the second)\n"
        "      --boxes N          1 (default) or 2: look for a second box\n"
        "                         in the runs left outside the first\n"
        "  -f, --format FMT       table (aligned text, the default), md\n"
        "                         (Markdown), csv (long form:\n"
        "                         kind,box,step,input,statistic,value) or\n"
        "                         json\n"
        "  -o, --output DIR       also write discovery.md, trajectory.csv,\n"
        "                         box.csv and factors.csv into DIR\n"
        "                         (created when missing; when it is not\n"
        "                         empty, only with --force)\n"
        "      --force            write into DIR although it is not empty\n"
        "      --read-timeout S   end with status 74 when reading the file\n"
        "                         takes longer than S seconds (default\n"
        "                         60; 0: no limit)\n"
        "  -h, --help             show this help and exit\n"
        "\n"
        "Exit status: 0 done; 64 usage; 65 not an ensemble file, no such\n"
        "target, no uncertain inputs, no ok runs, or a target met in every\n"
        "run or in none (nothing to discover); 66 FILE.h5 cannot be opened;\n"
        "73 DIR or a file in it cannot be created.\n",
        out);
}


/* ------------------------------------------------------------ arguments */

/* A number in [lo, hi] (open ends when lo_open / hi_open) into *v; 0 or
   a usage error status. */
static int number_arg(const char *opt, const char *text, double lo,
                      int lo_open, double hi, int hi_open, double *v)
{
    if (study_parse_number(text, v) != 0 || (lo_open ? *v <= lo : *v < lo) ||
        (hi_open ? *v >= hi : *v > hi))
        return cli_usage_error(&cli_discover, "%s: '%s' is not a number in "
                                              "%c%g, %g%c",
                               opt, text, lo_open ? '(' : '[', lo, hi,
                               hi_open ? ')' : ']');
    return 0;
}

/* "I" or "I,J": the steps of the boxes to choose. */
static int pick_arg(const char *text, disc_args *a)
{
    const char *p = text;
    for (size_t b = 0; b < DISC_MAX_BOXES; b++) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || *p == '-' || errno)
            break;
        a->o.pick[b] = (size_t)v;
        a->o.have_pick[b] = 1;
        if (*end == '\0')
            return 0;
        if (*end != ',' || b + 1 == DISC_MAX_BOXES)
            break;
        p = end + 1;
    }
    return cli_usage_error(&cli_discover,
                           "--box: '%s' is not a step (I) or two (I,J)",
                           text);
}

/* Parses the command line into *a; returns -1 to go on, else an exit
   status (0 after --help). */
static int parse_args(int argc, char **argv, disc_args *a)
{
    enum {
        OPT_MISSED = 256,
        OPT_PEEL,
        OPT_PASTE_ALPHA,
        OPT_NO_PASTE,
        OPT_MIN_MASS,
        OPT_MIN_COVERAGE,
        OPT_MAX_P,
        OPT_BOX,
        OPT_BOXES,
        OPT_FORCE,
        OPT_READ_TIMEOUT
    };
    static const struct option options[] = {
        {"target", required_argument, NULL, 't'},
        {"missed", no_argument, NULL, OPT_MISSED},
        {"peel-alpha", required_argument, NULL, OPT_PEEL},
        {"paste-alpha", required_argument, NULL, OPT_PASTE_ALPHA},
        {"no-paste", no_argument, NULL, OPT_NO_PASTE},
        {"min-mass", required_argument, NULL, OPT_MIN_MASS},
        {"min-coverage", required_argument, NULL, OPT_MIN_COVERAGE},
        {"max-p", required_argument, NULL, OPT_MAX_P},
        {"box", required_argument, NULL, OPT_BOX},
        {"boxes", required_argument, NULL, OPT_BOXES},
        {"read-timeout", required_argument, NULL, OPT_READ_TIMEOUT},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc = 0;
    double v;
    memset(a, 0, sizeof *a);
    ps_prim_options_init(&a->o.prim);
    a->o.min_coverage = 0.5;
    a->o.max_p = 0.05;
    a->o.nboxes = 1;
    a->format = DISC_TABLE;
    a->read_timeout = CLI_READ_TIMEOUT_DEFAULT;
    cli_getopt_begin(&cli_discover, argv, prog, sizeof prog);
    while (rc == 0 &&
           (c = getopt_long(argc, argv, "t:f:o:h", options, NULL)) != -1) {
        switch (c) {
        case 't':
            a->o.target = optarg;
            break;
        case OPT_MISSED:
            a->o.missed = 1;
            break;
        case OPT_PEEL:
            rc = number_arg("--peel-alpha", optarg, 0, 1, 0.5, 1,
                            &a->o.prim.peel_alpha);
            break;
        case OPT_PASTE_ALPHA:
            rc = number_arg("--paste-alpha", optarg, 0, 1, 0.5, 1,
                            &a->o.prim.paste_alpha);
            break;
        case OPT_NO_PASTE:
            a->o.prim.paste = 0;
            break;
        case OPT_MIN_MASS:
            rc = number_arg("--min-mass", optarg, 0, 0, 1, 1,
                            &a->o.prim.mass_min);
            break;
        case OPT_MIN_COVERAGE:
            rc = number_arg("--min-coverage", optarg, 0, 0, 1, 0,
                            &a->o.min_coverage);
            break;
        case OPT_MAX_P:
            rc = number_arg("--max-p", optarg, 0, 1, 1, 0, &a->o.max_p);
            break;
        case OPT_BOX:
            rc = pick_arg(optarg, a);
            break;
        case OPT_BOXES:
            rc = number_arg("--boxes", optarg, 1, 0, DISC_MAX_BOXES, 0, &v);
            if (rc == 0 && v != floor(v))
                rc = cli_usage_error(&cli_discover,
                                     "--boxes: '%s' is not 1 or 2", optarg);
            if (rc == 0)
                a->o.nboxes = (size_t)v;
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                a->format = DISC_TABLE;
            else if (strcmp(optarg, "md") == 0 ||
                     strcmp(optarg, "markdown") == 0)
                a->format = DISC_MD;
            else if (strcmp(optarg, "csv") == 0)
                a->format = DISC_CSV;
            else if (strcmp(optarg, "json") == 0)
                a->format = DISC_JSON;
            else
                rc = cli_usage_error(&cli_discover,
                                     "--format: '%s' is not table, md, csv "
                                     "or json",
                                     optarg);
            break;
        case 'o':
            a->dir = optarg;
            break;
        case OPT_FORCE:
            a->force = 1;
            break;
        case OPT_READ_TIMEOUT:
            rc =
                cli_parse_read_timeout(&cli_discover, optarg, &a->read_timeout);
            break;
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_discover);
        }
    }
    if (rc != 0)
        return rc;
    if (optind >= argc)
        return cli_usage_error(&cli_discover, "missing FILE.h5");
    if (argc - optind > 1)
        return cli_usage_error(&cli_discover, "unexpected argument '%s'",
                               argv[optind + 1]);
    if (!a->o.target || !*a->o.target)
        return cli_usage_error(&cli_discover, "missing --target NAME");
    if (a->dir && !*a->dir)
        return cli_usage_error(&cli_discover, "--output: empty folder name");
    if (a->o.have_pick[1] && a->o.nboxes < 2)
        return cli_usage_error(&cli_discover,
                               "--box I,J chooses two boxes: add --boxes 2");
    a->o.file = argv[optind];
    return -1;
}

/* ----------------------------------------------------------------- run */

/* Everything r found as one JSON document (ps_discover_print_json). */
static int print_json(const disc_run *r)
{
    ps_discover_box_view boxes[DISC_MAX_BOXES];
    for (size_t b = 0; b < r->nboxes; b++)
        boxes[b] = (ps_discover_box_view){r->box[b].t, r->box[b].chosen,
                                          r->box[b].p_lo, r->box[b].p_hi};
    ps_discover_report rep = {r->a->file, r->h,  r->a->missed, r->cases,
                              r->nboxes,  boxes, r->factors};
    ps_error err;
    return ps_discover_print_json(stdout, &rep, &err) == PS_OK ? 0
                                                               : cli_fail(&err);
}

int disc_out_of_memory(void)
{
    ps_error err;
    ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return cli_fail(&err);
}

static int run(int argc, char **argv)
{
    disc_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    if (a.dir) {
        ps_error err;
        if (ps_output_check_dir(a.dir, a.force ? PS_OUTPUT_REPLACE : 0, &err) !=
            PS_OK)
            return cli_fail(&err);
    }
    disc_run r;
    memset(&r, 0, sizeof r);
    r.a = &a.o;
    cli_study_io io;
    const study_hooks *hooks = cli_study_hooks(&io, "plansim discover", 0);
    io.read_seconds = a.read_timeout;
    ps_error aerr;
    rc = 0;
    if (disc_analyse(&r, hooks, &aerr) != PS_OK)
        rc = r.bad_pick ? cli_usage_error(&cli_discover, "%s", aerr.message)
                        : cli_fail(&aerr);
    if (rc == 0) {
        if (a.format == DISC_CSV)
            disc_print_long_csv(stdout, &r);
        else if (a.format == DISC_JSON)
            rc = print_json(&r);
        else if (disc_print_report(stdout, &r, a.format == DISC_MD) < 0)
            rc = disc_out_of_memory();
        if (fflush(stdout) != 0 || ferror(stdout)) {
            ps_error err;
            ps_error_set(&err, PS_ERR_IO, "stdout", 0, 0,
                         "cannot write the results");
            rc = rc ? rc : cli_fail(&err);
        }
    }
    if (rc == 0 && a.dir)
        rc = disc_write_files(&r, a.dir);
    disc_run_free(&r);
    return rc;
}

const cli_command cli_discover = {
    .name = "discover",
    .summary = "find the input ranges where a target is met (PRIM)",
    .synopsis = "FILE.h5 --target NAME [--missed] [--boxes 2] [--box I[,J]] "
                "[--format table|md|csv|json] [--output DIR] [PRIM options]",
    .help = help,
    .run = run,
};
