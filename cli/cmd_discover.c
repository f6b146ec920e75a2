/*
 * plansim discover: scenario discovery on an ensemble file.  Which
 * uncertain inputs, in which ranges, make a target met (or missed)?
 *
 * Reads the target and the runs (ps_h5_discover_read), runs PRIM for one
 * or two boxes and the Kolmogorov-Smirnov factor ranking (plansim/
 * discover.h), and prints the peeling trajectory, the chosen boxes and the
 * ranking as aligned text, Markdown or long-form CSV; --output DIR also
 * writes them as files.  docs/discovery.md explains the method and how to
 * read the results.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "plansim/discover.h"
#include "plansim_output/h5.h"
#include "plansim_output/out_file.h"
#include "plansim_output/table.h"

typedef enum disc_format { DISC_TABLE, DISC_MD, DISC_CSV } disc_format;

#define MAX_BOXES 2

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
        "                         (Markdown) or csv (long form:\n"
        "                         kind,box,step,input,statistic,value)\n"
        "  -o, --output DIR       also write discovery.md, trajectory.csv,\n"
        "                         box.csv and factors.csv into DIR\n"
        "                         (created when missing)\n"
        "  -h, --help             show this help and exit\n"
        "\n"
        "Exit status: 0 done; 64 usage; 65 not an ensemble file, no such\n"
        "target, no uncertain inputs, no ok runs, or a target met in every\n"
        "run or in none (nothing to discover); 66 FILE.h5 cannot be opened;\n"
        "73 DIR or a file in it cannot be created.\n",
        out);
}

/* ------------------------------------------------------------ arguments */

typedef struct disc_args {
    const char *file, *target, *dir;
    int missed;
    ps_prim_options prim;
    double min_coverage, max_p;
    size_t nboxes;
    int have_pick[MAX_BOXES];
    size_t pick[MAX_BOXES];
    disc_format format;
} disc_args;

/* A number in [lo, hi] (open ends when lo_open / hi_open) into *v; 0 or
   a usage error status. */
static int number_arg(const char *opt, const char *text, double lo,
                      int lo_open, double hi, int hi_open, double *v)
{
    if (cli_parse_number(text, v) != 0 || (lo_open ? *v <= lo : *v < lo) ||
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
    for (size_t b = 0; b < MAX_BOXES; b++) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(p, &end, 10);
        if (end == p || *p == '-' || errno)
            break;
        a->pick[b] = (size_t)v;
        a->have_pick[b] = 1;
        if (*end == '\0')
            return 0;
        if (*end != ',' || b + 1 == MAX_BOXES)
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
        OPT_BOXES
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
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog[64];
    int c, rc = 0;
    double v;
    memset(a, 0, sizeof *a);
    ps_prim_options_init(&a->prim);
    a->min_coverage = 0.5;
    a->max_p = 0.05;
    a->nboxes = 1;
    a->format = DISC_TABLE;
    cli_getopt_begin(&cli_discover, argv, prog, sizeof prog);
    while (rc == 0 &&
           (c = getopt_long(argc, argv, "t:f:o:h", options, NULL)) != -1) {
        switch (c) {
        case 't':
            a->target = optarg;
            break;
        case OPT_MISSED:
            a->missed = 1;
            break;
        case OPT_PEEL:
            rc = number_arg("--peel-alpha", optarg, 0, 1, 0.5, 1,
                            &a->prim.peel_alpha);
            break;
        case OPT_PASTE_ALPHA:
            rc = number_arg("--paste-alpha", optarg, 0, 1, 0.5, 1,
                            &a->prim.paste_alpha);
            break;
        case OPT_NO_PASTE:
            a->prim.paste = 0;
            break;
        case OPT_MIN_MASS:
            rc = number_arg("--min-mass", optarg, 0, 0, 1, 1,
                            &a->prim.mass_min);
            break;
        case OPT_MIN_COVERAGE:
            rc = number_arg("--min-coverage", optarg, 0, 0, 1, 0,
                            &a->min_coverage);
            break;
        case OPT_MAX_P:
            rc = number_arg("--max-p", optarg, 0, 1, 1, 0, &a->max_p);
            break;
        case OPT_BOX:
            rc = pick_arg(optarg, a);
            break;
        case OPT_BOXES:
            rc = number_arg("--boxes", optarg, 1, 0, MAX_BOXES, 0, &v);
            if (rc == 0 && v != floor(v))
                rc = cli_usage_error(&cli_discover,
                                     "--boxes: '%s' is not 1 or 2", optarg);
            if (rc == 0)
                a->nboxes = (size_t)v;
            break;
        case 'f':
            if (strcmp(optarg, "table") == 0)
                a->format = DISC_TABLE;
            else if (strcmp(optarg, "md") == 0 ||
                     strcmp(optarg, "markdown") == 0)
                a->format = DISC_MD;
            else if (strcmp(optarg, "csv") == 0)
                a->format = DISC_CSV;
            else
                rc = cli_usage_error(&cli_discover,
                                     "--format: '%s' is not table, md or csv",
                                     optarg);
            break;
        case 'o':
            a->dir = optarg;
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
    if (!a->target || !*a->target)
        return cli_usage_error(&cli_discover, "missing --target NAME");
    if (a->dir && !*a->dir)
        return cli_usage_error(&cli_discover, "--output: empty folder name");
    if (a->have_pick[1] && a->nboxes < 2)
        return cli_usage_error(&cli_discover,
                               "--box I,J chooses two boxes: add --boxes 2");
    a->file = argv[optind];
    return -1;
}

/* -------------------------------------------------------------- analysis */

/* One PRIM box: its trajectory, the chosen step, its limits' p-values. */
typedef struct disc_box {
    ps_prim_trajectory *t;
    size_t chosen;
    double *p_lo, *p_hi; /* [k] */
} disc_box;

typedef struct disc_run {
    const disc_args *a;
    ps_h5_discover_data *h;
    ps_discover_data d;
    unsigned char *y, *discrete;
    size_t cases;
    size_t nboxes; /* boxes found: 1, or 2 when a second was asked for and
                      cases were left outside the first */
    disc_box box[MAX_BOXES];
    ps_ks_factor *factors; /* [k], ranked */
} disc_run;

static void run_free(disc_run *r)
{
    for (size_t b = 0; b < MAX_BOXES; b++) {
        ps_prim_trajectory_free(&r->box[b].t);
        free(r->box[b].p_lo);
        free(r->box[b].p_hi);
    }
    free(r->factors);
    free(r->y);
    free(r->discrete);
    ps_h5_discover_free(&r->h);
}

/* Reports bad data about `path`; returns its exit status (65). */
static int fail_data(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail_data(const char *path, const char *fmt, ...)
{
    ps_error err;
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(&err, PS_ERR_DATA, path, 0, 0, fmt, ap);
    va_end(ap);
    return cli_fail(&err);
}

static int out_of_memory(void)
{
    ps_error err;
    ps_error_set(&err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return cli_fail(&err);
}

/* Is the input discrete?  Its distribution in the file says so. */
static int is_discrete(const ps_h5_discover_input *in)
{
    return strncmp(in->distribution, "discrete", 8) == 0;
}

/* Finds box b on the runs in `active` (NULL: all): its trajectory, the
   chosen step, its p-values.  0, or an exit status. */
static int find_box(disc_run *r, size_t b, const unsigned char *active)
{
    const disc_args *a = r->a;
    disc_box *x = &r->box[b];
    ps_error err;
    ps_status st = ps_prim_find(&r->d, active, &a->prim, &x->t, &err);
    if (st == PS_OK && a->have_pick[b]) {
        x->chosen = a->pick[b];
        if (x->chosen >= x->t->nboxes)
            return cli_usage_error(&cli_discover,
                                   "--box: trajectory %zu has steps 0 to %zu, "
                                   "not %zu",
                                   b + 1, x->t->nboxes - 1, x->chosen);
    } else if (st == PS_OK) {
        st = ps_prim_choose(&r->d, x->t, a->min_coverage, a->max_p,
                            &x->chosen, &err);
    }
    if (st != PS_OK)
        return cli_fail(&err);
    x->p_lo = malloc(r->d.k * sizeof *x->p_lo);
    x->p_hi = malloc(r->d.k * sizeof *x->p_hi);
    if (!x->p_lo || !x->p_hi)
        return out_of_memory();
    st = ps_prim_quasi_p(&r->d, x->t, x->chosen, x->p_lo, x->p_hi, &err);
    return st == PS_OK ? 0 : cli_fail(&err);
}

/* Reads the file and runs the analyses.  0, or an exit status. */
static int analyse(disc_run *r)
{
    const disc_args *a = r->a;
    ps_error err;
    if (ps_h5_discover_read(a->file, a->target, &r->h, &err) != PS_OK)
        return cli_fail(&err);
    ps_h5_discover_data *h = r->h;
    if (h->ninputs == 0)
        return fail_data(a->file, "the ensemble has no uncertain inputs: "
                                  "nothing to discover");
    if (h->n == 0)
        return fail_data(a->file,
                         "target '%s': no ok run has a value (%lld ok runs "
                         "of %lld)",
                         h->target, h->runs_ok, h->runs);
    r->y = malloc(h->n);
    r->discrete = malloc(h->ninputs);
    if (!r->y || !r->discrete)
        return out_of_memory();
    for (size_t i = 0; i < h->n; i++) {
        r->y[i] = (unsigned char)(h->met[i] != a->missed);
        r->cases += r->y[i];
    }
    if (r->cases == 0 || r->cases == h->n)
        return fail_data(a->file,
                         "target '%s' is %s in every one of the %zu usable "
                         "runs: there is nothing to discover",
                         h->target,
                         (r->cases == 0) == !a->missed ? "missed" : "met",
                         h->n);
    for (size_t j = 0; j < h->ninputs; j++)
        r->discrete[j] = (unsigned char)is_discrete(&h->inputs[j]);
    r->d = (ps_discover_data){h->n, h->ninputs, h->x, r->y, r->discrete};

    int rc = find_box(r, 0, NULL);
    if (rc)
        return rc;
    r->nboxes = 1;
    if (a->nboxes > 1) {
        /* The second box searches the runs outside the first. */
        unsigned char *rest = malloc(h->n);
        if (!rest)
            return out_of_memory();
        ps_prim_members(&r->d, r->box[0].t, r->box[0].chosen, rest);
        size_t left = 0;
        for (size_t i = 0; i < h->n; i++) {
            rest[i] = !rest[i];
            left += rest[i] && r->y[i];
        }
        if (left > 0) {
            rc = find_box(r, 1, rest);
            r->nboxes = 2;
        } else if (a->have_pick[1]) {
            rc = cli_usage_error(&cli_discover,
                                 "--box: there is no second box (every case "
                                 "of interest is in the first)");
        }
        free(rest);
        if (rc)
            return rc;
    }
    r->factors = malloc(h->ninputs * sizeof *r->factors);
    if (!r->factors)
        return out_of_memory();
    if (ps_ks_factors(&r->d, r->factors, &err) != PS_OK)
        return cli_fail(&err);
    ps_ks_rank(r->factors, h->ninputs);
    return 0;
}

/* ---------------------------------------------------------------- cells */

/* A table of text cells; row 0 is the header.  Cells are copies. */
typedef struct grid {
    size_t ncol, nrow, cap;
    char **cells;
    const char *align; /* per column: 'l' or 'r' */
    int oom;
} grid;

static void grid_row(grid *g, const char *const *cells)
{
    if (g->oom)
        return;
    if (g->nrow == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;
        char **c = realloc(g->cells, cap * g->ncol * sizeof *c);
        if (!c) {
            g->oom = 1;
            return;
        }
        g->cells = c;
        g->cap = cap;
    }
    for (size_t k = 0; k < g->ncol; k++) {
        char *s = strdup(cells[k] ? cells[k] : "");
        g->oom |= !s;
        g->cells[g->nrow * g->ncol + k] = s;
    }
    g->nrow++;
}

static void grid_init(grid *g, size_t ncol, const char *align,
                      const char *const *head)
{
    memset(g, 0, sizeof *g);
    g->ncol = ncol;
    g->align = align;
    grid_row(g, head);
}

static void grid_free(grid *g)
{
    for (size_t i = 0; i < g->nrow * g->ncol; i++)
        free(g->cells[i]);
    free(g->cells);
    memset(g, 0, sizeof *g);
}

static const char *cell(const grid *g, size_t row, size_t col)
{
    const char *s = g->cells[row * g->ncol + col];
    return s ? s : "";
}

/* Display columns of UTF-8 text: East Asian wide characters take two. */
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

static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

/* Aligned text, two spaces between columns, a rule under the header. */
static void grid_print_text(FILE *out, const grid *g, const char *indent)
{
    size_t *w = calloc(g->ncol, sizeof *w);
    if (!w)
        return;
    for (size_t r = 0; r < g->nrow; r++)
        for (size_t k = 0; k < g->ncol; k++) {
            size_t cw = display_width(cell(g, r, k));
            w[k] = cw > w[k] ? cw : w[k];
        }
    for (size_t r = 0; r < g->nrow; r++) {
        fputs(indent, out);
        for (size_t k = 0; k < g->ncol; k++) {
            const char *s = cell(g, r, k);
            size_t fill = w[k] - display_width(s);
            int last = k + 1 == g->ncol;
            if (k)
                fputs("  ", out);
            if (g->align[k] == 'r')
                pad(out, fill);
            fputs(s, out);
            if (g->align[k] != 'r' && !last)
                pad(out, fill);
        }
        fputc('\n', out);
        if (r == 0) {
            fputs(indent, out);
            for (size_t k = 0; k < g->ncol; k++) {
                fputs(k ? "  " : "", out);
                for (size_t i = 0; i < w[k]; i++)
                    fputc('-', out);
            }
            fputc('\n', out);
        }
    }
    free(w);
}

/* Text for a Markdown table cell: | \ ` * _ [ ] < escaped, line ends as
   spaces. */
static void md_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (strchr("|\\`*_[]<", *s))
            fputc('\\', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
    }
}

static void grid_print_md(FILE *out, const grid *g)
{
    for (size_t r = 0; r < g->nrow; r++) {
        fputc('|', out);
        for (size_t k = 0; k < g->ncol; k++) {
            fputc(' ', out);
            md_text(out, cell(g, r, k));
            fputs(" |", out);
        }
        fputc('\n', out);
        if (r == 0) {
            fputc('|', out);
            for (size_t k = 0; k < g->ncol; k++)
                fputs(g->align[k] == 'r' ? " ---: |" : " --- |", out);
            fputc('\n', out);
        }
    }
}

/* One CSV field, quoted the RFC 4180 way when it needs it. */
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

static void grid_print_csv(FILE *out, const grid *g)
{
    for (size_t r = 0; r < g->nrow; r++) {
        for (size_t k = 0; k < g->ncol; k++) {
            if (k)
                fputc(',', out);
            csv_field(out, cell(g, r, k));
        }
        fputc('\n', out);
    }
}

/* -------------------------------------------------------------- numbers */

#define NUM 48

/* A number exactly (the shortest text that reads back); "" for NaN. */
static char *exact(double v, char *buf)
{
    return ps_table_format_number(v, buf);
}

static char *share(double v, char *buf)
{
    snprintf(buf, NUM, "%.3f", v);
    return buf;
}

/* An input's limit for people: four significant digits. */
static char *limit_text(double v, char *buf)
{
    snprintf(buf, NUM, "%.4g", v);
    return buf;
}

/* A p-value for people: two significant digits; "< 1e-300" below. */
static char *p_text(double p, char *buf)
{
    if (isnan(p))
        buf[0] = '\0';
    else if (p < 1e-300)
        snprintf(buf, NUM, "< 1e-300");
    else
        snprintf(buf, NUM, "%.2g", p);
    return buf;
}

static char *count_text(size_t n, char *buf)
{
    snprintf(buf, NUM, "%zu", n);
    return buf;
}

/* ---------------------------------------------------------------- tables */

static const char *move_name(ps_prim_move m)
{
    return m == PS_PRIM_START ? "start" : m == PS_PRIM_PEEL ? "peel" : "paste";
}

static const char *input_name(const disc_run *r, size_t j)
{
    return r->h->inputs[j].name;
}

/* The input's label, or its name when it has none. */
static const char *input_label(const disc_run *r, size_t j)
{
    const ps_h5_discover_input *in = &r->h->inputs[j];
    return in->label[0] ? in->label : in->name;
}

/* The trajectory of box b; `exact` numbers for files, else rounded, and
   with a `box` column first. */
static void trajectory_grid(const disc_run *r, size_t b, int exact_numbers,
                            grid *g, int with_header)
{
    static const char *const head[] = {
        "box",     "step",    "move", "input", "limit", "runs",
        "cases",   "coverage", "density", "mass", "restricted", "chosen"};
    static const char *const people[] = {
        "", "step", "move", "limit moved", "runs", "cases", "coverage",
        "density", "mass", "restricted"};
    const ps_prim_trajectory *t = r->box[b].t;
    if (with_header) {
        if (exact_numbers)
            grid_init(g, 12, "rrllllrrrrrr", head);
        else
            grid_init(g, 10, "lrllrrrrrr", people);
    }
    for (size_t s = 0; s < t->nboxes; s++) {
        const ps_prim_box *x = &t->boxes[s];
        char bx[NUM], st[NUM], n[NUM], c[NUM], cov[NUM], den[NUM], mass[NUM],
            res[NUM], moved[512];
        const char *side = x->upper ? "upper" : "lower";
        int start = x->move == PS_PRIM_START;
        count_text(b + 1, bx);
        count_text(s, st);
        count_text(x->count, n);
        count_text(x->hits, c);
        count_text(x->restricted, res);
        const char *chosen = s == r->box[b].chosen ? (exact_numbers ? "1" : "*")
                                                    : (exact_numbers ? "0" : "");
        if (exact_numbers) {
            const char *row[] = {bx,
                                 st,
                                 move_name(x->move),
                                 start ? "" : input_name(r, x->input),
                                 start ? "" : side,
                                 n,
                                 c,
                                 exact(x->coverage, cov),
                                 exact(x->density, den),
                                 exact(x->mass, mass),
                                 res,
                                 chosen};
            grid_row(g, row);
        } else {
            snprintf(moved, sizeof moved, "%s%s%s",
                     start ? "" : input_name(r, x->input), start ? "" : ", ",
                     start ? "" : side);
            const char *row[] = {chosen,
                                 st,
                                 move_name(x->move),
                                 moved,
                                 n,
                                 c,
                                 share(x->coverage, cov),
                                 share(x->density, den),
                                 share(x->mass, mass),
                                 res};
            grid_row(g, row);
        }
    }
}

/* The restricted inputs of box b's chosen step, most significant first
   (smallest p), into order[]; returns how many. */
static size_t restricted_inputs(const disc_run *r, size_t b, size_t *order)
{
    const disc_box *x = &r->box[b];
    size_t n = 0;
    for (size_t j = 0; j < r->d.k; j++) {
        if (!ps_prim_restricts(x->t, x->chosen, j, 0) &&
            !ps_prim_restricts(x->t, x->chosen, j, 1))
            continue;
        /* Insertion by the smaller of the two p-values; NaN (no limit on
           that side) counts as 1. */
        double pj = fmin(isnan(x->p_lo[j]) ? 1 : x->p_lo[j],
                         isnan(x->p_hi[j]) ? 1 : x->p_hi[j]);
        size_t at = n;
        while (at > 0) {
            size_t i = order[at - 1];
            double pi = fmin(isnan(x->p_lo[i]) ? 1 : x->p_lo[i],
                             isnan(x->p_hi[i]) ? 1 : x->p_hi[i]);
            if (pi <= pj)
                break;
            order[at] = i;
            at--;
        }
        order[at] = j;
        n++;
    }
    return n;
}

/* "0.2 – 0.6", "≥ 0.2", "≤ 0.6" or "= 3" for input j in box b. */
static void limits_text(const disc_run *r, size_t b, size_t j, char *buf,
                        size_t size)
{
    const disc_box *x = &r->box[b];
    const ps_prim_box *bx = &x->t->boxes[x->chosen];
    int lo = ps_prim_restricts(x->t, x->chosen, j, 0);
    int hi = ps_prim_restricts(x->t, x->chosen, j, 1);
    char a[NUM], c[NUM];
    limit_text(bx->lo[j], a);
    limit_text(bx->hi[j], c);
    if (lo && hi && bx->lo[j] == bx->hi[j])
        snprintf(buf, size, "= %s", a);
    else if (lo && hi)
        snprintf(buf, size, "%s \u2013 %s", a, c);
    else if (lo)
        snprintf(buf, size, "\u2265 %s", a);
    else
        snprintf(buf, size, "\u2264 %s", c);
}

/* "1e-30" or "1e-30, 2e-12" (lower limit's, then upper's). */
static void p_pair(const disc_run *r, size_t b, size_t j, char *buf,
                   size_t size)
{
    const disc_box *x = &r->box[b];
    char a[NUM], c[NUM];
    p_text(x->p_lo[j], a);
    p_text(x->p_hi[j], c);
    snprintf(buf, size, "%s%s%s", a, a[0] && c[0] ? ", " : "", c);
}

/* The limits of box b's chosen step. */
static void box_grid(const disc_run *r, size_t b, int exact_numbers, grid *g,
                     int with_header)
{
    static const char *const head[] = {"box",     "step",    "input",
                                       "label",   "lower",   "upper",
                                       "p_lower", "p_upper", "min",
                                       "max"};
    static const char *const people[] = {"input", "label", "limits", "p",
                                         "range in the runs"};
    if (with_header) {
        if (exact_numbers)
            grid_init(g, 10, "rrllrrrrrr", head);
        else
            grid_init(g, 5, "llllr", people);
    }
    const disc_box *x = &r->box[b];
    const ps_prim_box *bx = &x->t->boxes[x->chosen];
    size_t *order = malloc(r->d.k * sizeof *order);
    if (!order) {
        g->oom = 1;
        return;
    }
    size_t n = restricted_inputs(r, b, order);
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        int lo = ps_prim_restricts(x->t, x->chosen, j, 0);
        int hi = ps_prim_restricts(x->t, x->chosen, j, 1);
        char bxs[NUM], st[NUM], l[NUM], u[NUM], pl[NUM], pu[NUM], mn[NUM],
            mx[NUM], lim[128], p[2 * NUM], range[2 * NUM + 8];
        if (exact_numbers) {
            const char *row[] = {count_text(b + 1, bxs),
                                 count_text(x->chosen, st),
                                 input_name(r, j),
                                 r->h->inputs[j].label,
                                 lo ? exact(bx->lo[j], l) : "",
                                 hi ? exact(bx->hi[j], u) : "",
                                 exact(x->p_lo[j], pl),
                                 exact(x->p_hi[j], pu),
                                 exact(x->t->min[j], mn),
                                 exact(x->t->max[j], mx)};
            grid_row(g, row);
        } else {
            limits_text(r, b, j, lim, sizeof lim);
            p_pair(r, b, j, p, sizeof p);
            snprintf(range, sizeof range, "%s \u2013 %s",
                     limit_text(x->t->min[j], mn),
                     limit_text(x->t->max[j], mx));
            const char *row[] = {input_name(r, j), r->h->inputs[j].label, lim,
                                 p, range};
            grid_row(g, row);
        }
    }
    free(order);
}

/* The factor ranking. */
static void factors_grid(const disc_run *r, int exact_numbers, grid *g)
{
    static const char *const head[] = {"rank",  "input",   "label",
                                       "ks_d",  "p_value", "direction"};
    static const char *const people[] = {"rank", "input", "label",
                                         "KS D", "p",     "cases tend to"};
    if (exact_numbers)
        grid_init(g, 6, "rllrrr", head);
    else
        grid_init(g, 6, "rllrrl", people);
    for (size_t i = 0; i < r->d.k; i++) {
        const ps_ks_factor *f = &r->factors[i];
        char rank[NUM], d[NUM], p[NUM], dir[NUM];
        count_text(i + 1, rank);
        if (exact_numbers) {
            snprintf(dir, sizeof dir, "%d", f->direction);
            const char *row[] = {rank, input_name(r, f->input),
                                 r->h->inputs[f->input].label,
                                 exact(f->d, d), exact(f->p, p), dir};
            grid_row(g, row);
        } else {
            snprintf(d, sizeof d, "%.3f", f->d);
            const char *tend = f->direction > 0   ? "higher values"
                               : f->direction < 0 ? "lower values"
                                                  : "";
            const char *row[] = {rank,
                                 input_name(r, f->input),
                                 r->h->inputs[f->input].label,
                                 d,
                                 p_text(f->p, p),
                                 tend};
            grid_row(g, row);
        }
    }
}

/* ---------------------------------------------------------------- text */

/* "gdp nominal ≥ 700 亿元 in 2030". */
static void rule_text(const ps_h5_discover_data *h, char *buf, size_t size)
{
    char lo[NUM], hi[NUM], t[NUM];
    exact(h->lo, lo);
    exact(h->hi, hi);
    exact(h->time, t);
    const char *u = h->units[0] ? " " : "";
    switch (h->compare) {
    case PS_H5_AT_LEAST:
        snprintf(buf, size, "%s \u2265 %s%s%s in %s", h->variable, lo, u,
                 h->units, t);
        break;
    case PS_H5_AT_MOST:
        snprintf(buf, size, "%s \u2264 %s%s%s in %s", h->variable, hi, u,
                 h->units, t);
        break;
    default:
        snprintf(buf, size, "%s between %s and %s%s%s in %s", h->variable, lo,
                 hi, u, h->units, t);
    }
}

/* The lines above the tables, for the terminal or Markdown. */
static void print_heading(FILE *out, const disc_run *r, int md)
{
    const ps_h5_discover_data *h = r->h;
    char rule[1024];
    rule_text(h, rule, sizeof rule);
    const char *label = h->target_label[0] ? h->target_label : h->target;
    if (md) {
        fputs("# Scenario discovery: ", out);
        md_text(out, label);
        fputs("\n\n", out);
    } else {
        fprintf(out, "Scenario discovery: %s (%s)\n", label, h->target);
    }
    const char *tick = md ? "`" : "";
    fprintf(out, "Target %s%s%s: ", tick, h->target, tick);
    if (md)
        md_text(out, rule);
    else
        fputs(rule, out);
    fprintf(out, ".  Cases of interest: the runs that %s it.\n",
            r->a->missed ? "miss" : "meet");
    if (md)
        fputc('\n', out);
    fprintf(out,
            "Runs: %lld in the file, %lld ok, %zu used; %zu cases of "
            "interest (%.1f %%).\n",
            h->runs, h->runs_ok, h->n, r->cases,
            100.0 * (double)r->cases / (double)h->n);
    if (md)
        fputc('\n', out);
    fprintf(out, "Coverage: share of the %zu cases inside a box; density: "
                 "share of a box's runs that are cases; mass: share of the "
                 "%zu runs inside it.\n",
            r->cases, h->n);
}

/* "Box 1, step 17: coverage ..." */
static void print_box_summary(FILE *out, const disc_run *r, size_t b)
{
    const disc_box *x = &r->box[b];
    const ps_prim_box *bx = &x->t->boxes[x->chosen];
    fprintf(out,
            "Box %zu, step %zu: coverage %.3f (%zu of the %zu cases), density "
            "%.3f (%zu of %zu runs), mass %.3f, %zu restricted input%s.\n",
            b + 1, x->chosen, bx->coverage, bx->hits, r->cases, bx->density,
            bx->hits, bx->count, bx->mass, bx->restricted,
            bx->restricted == 1 ? "" : "s");
    if (bx->restricted == 0)
        fprintf(out, "No limit: no range of the inputs %s (see the "
                     "trajectory, --min-coverage and --max-p).\n",
                b == 0 ? "holds the cases of interest at a higher density"
                       : "holds the remaining cases at a higher density");
}

/* The box's limits as "label (name): limits  (p = ...)" lines. */
static void print_box_lines(FILE *out, const disc_run *r, size_t b)
{
    size_t *order = malloc(r->d.k * sizeof *order);
    if (!order)
        return;
    size_t n = restricted_inputs(r, b, order), w = 0;
    char head[1024], lim[128], p[2 * NUM];
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        if (strcmp(input_label(r, j), input_name(r, j)) == 0)
            snprintf(head, sizeof head, "%s:", input_name(r, j));
        else
            snprintf(head, sizeof head, "%s (%s):", input_label(r, j),
                     input_name(r, j));
        size_t hw = display_width(head);
        w = hw > w ? hw : w;
    }
    for (size_t i = 0; i < n; i++) {
        size_t j = order[i];
        if (strcmp(input_label(r, j), input_name(r, j)) == 0)
            snprintf(head, sizeof head, "%s:", input_name(r, j));
        else
            snprintf(head, sizeof head, "%s (%s):", input_label(r, j),
                     input_name(r, j));
        limits_text(r, b, j, lim, sizeof lim);
        p_pair(r, b, j, p, sizeof p);
        fprintf(out, "  %s", head);
        pad(out, w - display_width(head) + 1);
        fprintf(out, "%s  (p = %s)\n", lim, p);
    }
    free(order);
}

static int grid_ok(const grid *g)
{
    return !g->oom;
}

/* Everything, as aligned text (md 0) or Markdown (md 1).  0, or -1 when
   out of memory. */
static int print_report(FILE *out, const disc_run *r, int md)
{
    int rc = 0;
    grid g;
    print_heading(out, r, md);
    for (size_t b = 0; b < r->nboxes; b++) {
        if (md)
            fprintf(out, "\n## Box %zu: peeling trajectory\n\n", b + 1);
        else
            fprintf(out, "\nBox %zu%s: peeling trajectory (* the chosen "
                         "box)\n",
                    b + 1, b ? ", in the runs outside box 1" : "");
        if (md && b)
            fputs("In the runs outside box 1.\n\n", out);
        trajectory_grid(r, b, 0, &g, 1);
        rc |= grid_ok(&g) ? 0 : -1;
        if (md)
            grid_print_md(out, &g);
        else
            grid_print_text(out, &g, "  ");
        grid_free(&g);
        if (md)
            fprintf(out, "\n## Box %zu\n\n", b + 1);
        else
            fputc('\n', out);
        print_box_summary(out, r, b);
        if (md) {
            box_grid(r, b, 0, &g, 1);
            rc |= grid_ok(&g) ? 0 : -1;
            if (g.nrow > 1) {
                fputc('\n', out);
                grid_print_md(out, &g);
                fputs("\np: the quasi-p-value of each limit (lower, upper): "
                      "a large value means the limit adds little.\n",
                      out);
            }
            grid_free(&g);
        } else {
            print_box_lines(out, r, b);
        }
    }
    if (r->a->nboxes > 1 && r->nboxes < 2)
        fprintf(out, "%sNo second box: every case of interest is in box 1.\n",
                md ? "\n" : "\n");
    if (md)
        fputs("\n## Factor ranking\n\n", out);
    else
        fputc('\n', out);
    fprintf(out, "Factor ranking: the Kolmogorov-Smirnov distance between "
                 "each input's values in the cases of interest and in the "
                 "other runs.\n");
    if (md)
        fputc('\n', out);
    factors_grid(r, 0, &g);
    rc |= grid_ok(&g) ? 0 : -1;
    if (md)
        grid_print_md(out, &g);
    else
        grid_print_text(out, &g, "  ");
    grid_free(&g);
    return rc;
}

/* ------------------------------------------------------------ long csv */

static void long_row(FILE *out, const char *kind, size_t box, long step,
                     const char *input, const char *statistic,
                     const char *value)
{
    fputs(kind, out);
    if (box)
        fprintf(out, ",%zu", box);
    else
        fputc(',', out);
    if (step >= 0)
        fprintf(out, ",%ld,", step);
    else
        fputs(",,", out);
    csv_field(out, input ? input : "");
    fputc(',', out);
    fputs(statistic, out);
    fputc(',', out);
    csv_field(out, value);
    fputc('\n', out);
}

static void long_num(FILE *out, const char *kind, size_t box, long step,
                     const char *input, const char *statistic, double v)
{
    char buf[NUM];
    long_row(out, kind, box, step, input, statistic, exact(v, buf));
}

/* Long form, one number a row: kind,box,step,input,statistic,value. */
static void print_long_csv(FILE *out, const disc_run *r)
{
    const ps_h5_discover_data *h = r->h;
    fputs("kind,box,step,input,statistic,value\n", out);
    long_row(out, "target", 0, -1, NULL, "name", h->target);
    long_row(out, "target", 0, -1, NULL, "cases_are",
             r->a->missed ? "missed" : "met");
    long_num(out, "runs", 0, -1, NULL, "ok", (double)h->runs_ok);
    long_num(out, "runs", 0, -1, NULL, "used", (double)h->n);
    long_num(out, "runs", 0, -1, NULL, "cases", (double)r->cases);
    for (size_t b = 0; b < r->nboxes; b++) {
        const disc_box *x = &r->box[b];
        for (size_t s = 0; s < x->t->nboxes; s++) {
            const ps_prim_box *bx = &x->t->boxes[s];
            long st = (long)s;
            const char *in = bx->move == PS_PRIM_START
                                 ? NULL
                                 : input_name(r, bx->input);
            char move[32];
            snprintf(move, sizeof move, "%s%s%s", move_name(bx->move),
                     bx->move == PS_PRIM_START ? "" : "_",
                     bx->move == PS_PRIM_START ? ""
                     : bx->upper              ? "upper"
                                              : "lower");
            long_row(out, "trajectory", b + 1, st, in, "move", move);
            long_num(out, "trajectory", b + 1, st, in, "runs",
                     (double)bx->count);
            long_num(out, "trajectory", b + 1, st, in, "cases",
                     (double)bx->hits);
            long_num(out, "trajectory", b + 1, st, in, "coverage",
                     bx->coverage);
            long_num(out, "trajectory", b + 1, st, in, "density",
                     bx->density);
            long_num(out, "trajectory", b + 1, st, in, "mass", bx->mass);
            long_num(out, "trajectory", b + 1, st, in, "restricted",
                     (double)bx->restricted);
        }
        const ps_prim_box *bx = &x->t->boxes[x->chosen];
        long st = (long)x->chosen;
        long_num(out, "box", b + 1, st, NULL, "coverage", bx->coverage);
        long_num(out, "box", b + 1, st, NULL, "density", bx->density);
        long_num(out, "box", b + 1, st, NULL, "mass", bx->mass);
        long_num(out, "box", b + 1, st, NULL, "runs", (double)bx->count);
        long_num(out, "box", b + 1, st, NULL, "cases", (double)bx->hits);
        long_num(out, "box", b + 1, st, NULL, "restricted",
                 (double)bx->restricted);
        size_t *order = malloc(r->d.k * sizeof *order);
        size_t n = order ? restricted_inputs(r, b, order) : 0;
        for (size_t i = 0; i < n; i++) {
            size_t j = order[i];
            const char *in = input_name(r, j);
            if (ps_prim_restricts(x->t, x->chosen, j, 0)) {
                long_num(out, "limit", b + 1, st, in, "lower", bx->lo[j]);
                long_num(out, "limit", b + 1, st, in, "p_lower", x->p_lo[j]);
            }
            if (ps_prim_restricts(x->t, x->chosen, j, 1)) {
                long_num(out, "limit", b + 1, st, in, "upper", bx->hi[j]);
                long_num(out, "limit", b + 1, st, in, "p_upper", x->p_hi[j]);
            }
            long_num(out, "limit", b + 1, st, in, "min", x->t->min[j]);
            long_num(out, "limit", b + 1, st, in, "max", x->t->max[j]);
        }
        free(order);
    }
    for (size_t i = 0; i < r->d.k; i++) {
        const ps_ks_factor *f = &r->factors[i];
        const char *in = input_name(r, f->input);
        long_num(out, "factor", 0, -1, in, "rank", (double)(i + 1));
        long_num(out, "factor", 0, -1, in, "ks_d", f->d);
        long_num(out, "factor", 0, -1, in, "p_value", f->p);
        long_num(out, "factor", 0, -1, in, "direction", f->direction);
    }
}

/* -------------------------------------------------------------- files */

/* mkdir -p.  0, or -1 with errno set. */
static int make_dir(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    int rc = 0;
    for (char *s = p + 1; rc == 0; s++) {
        int end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                rc = -1;
            if (end)
                break;
            *s = '/';
        }
    }
    struct stat sb;
    if (rc == 0 && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    free(p);
    return rc;
}

typedef enum file_kind { F_MD, F_TRAJECTORY, F_BOX, F_FACTORS } file_kind;

/* Writes one file of the output folder.  PS_OK or a failure in err. */
static ps_status write_one(const disc_run *r, const char *dir,
                           const char *name, file_kind kind, ps_error *err)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    if (!path)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    snprintf(path, len, "%s/%s", dir, name);
    ps_out_file *f = NULL;
    ps_status st = ps_out_file_open(path, &f, err);
    if (st != PS_OK) {
        free(path);
        return st;
    }
    FILE *out = ps_out_file_stream(f);
    grid g;
    int rc = 0;
    memset(&g, 0, sizeof g);
    switch (kind) {
    case F_MD:
        rc = print_report(out, r, 1);
        break;
    case F_TRAJECTORY:
        for (size_t b = 0; b < r->nboxes; b++)
            trajectory_grid(r, b, 1, &g, b == 0);
        break;
    case F_BOX:
        for (size_t b = 0; b < r->nboxes; b++)
            box_grid(r, b, 1, &g, b == 0);
        break;
    case F_FACTORS:
        factors_grid(r, 1, &g);
        break;
    }
    if (kind != F_MD) {
        rc = grid_ok(&g) ? 0 : -1;
        grid_print_csv(out, &g);
        grid_free(&g);
    }
    if (rc < 0) {
        ps_out_file_discard(&f);
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else {
        st = ps_out_file_commit(&f, err);
    }
    free(path);
    return st;
}

/* discovery.md, trajectory.csv, box.csv and factors.csv in dir. */
static int write_files(const disc_run *r, const char *dir)
{
    ps_error err;
    if (make_dir(dir) != 0) {
        ps_error_set(&err, PS_ERR_CANTCREAT, dir, 0, 0,
                     "cannot create the folder: %s", strerror(errno));
        return cli_fail(&err);
    }
    static const struct {
        const char *name;
        file_kind kind;
    } files[] = {{"discovery.md", F_MD},
                 {"trajectory.csv", F_TRAJECTORY},
                 {"box.csv", F_BOX},
                 {"factors.csv", F_FACTORS}};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (write_one(r, dir, files[i].name, files[i].kind, &err) != PS_OK)
            return cli_fail(&err);
    return 0;
}

/* ----------------------------------------------------------------- run */

static int run(int argc, char **argv)
{
    disc_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    disc_run r;
    memset(&r, 0, sizeof r);
    r.a = &a;
    rc = analyse(&r);
    if (rc == 0) {
        if (a.format == DISC_CSV)
            print_long_csv(stdout, &r);
        else if (print_report(stdout, &r, a.format == DISC_MD) < 0)
            rc = out_of_memory();
        if (fflush(stdout) != 0 || ferror(stdout)) {
            ps_error err;
            ps_error_set(&err, PS_ERR_IO, "stdout", 0, 0,
                         "cannot write the results");
            rc = rc ? rc : cli_fail(&err);
        }
    }
    if (rc == 0 && a.dir)
        rc = write_files(&r, a.dir);
    run_free(&r);
    return rc;
}

const cli_command cli_discover = {
    .name = "discover",
    .summary = "find the input ranges where a target is met (PRIM)",
    .synopsis = "FILE.h5 --target NAME [--missed] [--boxes 2] [--box I[,J]] "
                "[--format table|md|csv] [--output DIR] [PRIM options]",
    .help = help,
    .run = run,
};
