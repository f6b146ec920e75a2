/*
 * plansim discover, the results as tables: the peeling trajectory, the
 * chosen boxes' limits and the factor ranking, rounded for people as
 * aligned text or Markdown under a heading (the report), or with exact
 * numbers as CSV (the long form on stdout, the output folder's tables).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "discover_cli.h"
#include "plansim/csv.h"
#include "plansim/utf8.h"
#include "plansim_output/prob_text.h"
#include "plansim_output/table.h"

/* -------------------------------------------------------------- numbers */

#define NUM 48

/* A number exactly (the shortest text that reads back); "" for NaN. */
static char *exact(double v, char *buf)
{
    return ps_table_format_number(v, buf);
}

/* A share of runs (coverage, density, mass: probabilities of a run
   being in a box or a case) by the one rounding rule for probabilities
   (plansim_output/prob_text.h). */
static char *share(double v, char *buf)
{
    return ps_prob_text(v, PS_PROB_DECIMAL, buf, NUM);
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
                            disc_grid *g, int with_header)
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
            disc_grid_init(g, 12, "rrllllrrrrrr", head);
        else
            disc_grid_init(g, 10, "lrllrrrrrr", people);
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
        int is_chosen = s == r->box[b].chosen;
        const char *chosen = exact_numbers ? (is_chosen ? "1" : "0")
                                           : (is_chosen ? "*" : "");
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
            disc_grid_row(g, row);
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
            disc_grid_row(g, row);
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
static void box_grid(const disc_run *r, size_t b, int exact_numbers,
                     disc_grid *g, int with_header)
{
    static const char *const head[] = {"box",     "step",    "input",
                                       "label",   "lower",   "upper",
                                       "p_lower", "p_upper", "min",
                                       "max"};
    static const char *const people[] = {"input", "label", "limits", "p",
                                         "range in the runs"};
    if (with_header) {
        if (exact_numbers)
            disc_grid_init(g, 10, "rrllrrrrrr", head);
        else
            disc_grid_init(g, 5, "llllr", people);
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
            disc_grid_row(g, row);
        } else {
            limits_text(r, b, j, lim, sizeof lim);
            p_pair(r, b, j, p, sizeof p);
            snprintf(range, sizeof range, "%s \u2013 %s",
                     limit_text(x->t->min[j], mn),
                     limit_text(x->t->max[j], mx));
            const char *row[] = {input_name(r, j), r->h->inputs[j].label, lim,
                                 p, range};
            disc_grid_row(g, row);
        }
    }
    free(order);
}

/* The factor ranking. */
static void factors_grid(const disc_run *r, int exact_numbers, disc_grid *g)
{
    static const char *const head[] = {"rank",  "input",   "label",
                                       "ks_d",  "p_value", "direction"};
    static const char *const people[] = {"rank", "input", "label",
                                         "KS D", "p",     "cases tend to"};
    if (exact_numbers)
        disc_grid_init(g, 6, "rllrrr", head);
    else
        disc_grid_init(g, 6, "rllrrl", people);
    for (size_t i = 0; i < r->d.k; i++) {
        const ps_ks_factor *f = &r->factors[i];
        char rank[NUM], d[NUM], p[NUM], dir[NUM];
        count_text(i + 1, rank);
        if (exact_numbers) {
            snprintf(dir, sizeof dir, "%d", f->direction);
            const char *row[] = {rank, input_name(r, f->input),
                                 r->h->inputs[f->input].label,
                                 exact(f->d, d), exact(f->p, p), dir};
            disc_grid_row(g, row);
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
            disc_grid_row(g, row);
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
    case PS_SC_AT_LEAST:
        snprintf(buf, size, "%s \u2265 %s%s%s in %s", h->variable, lo, u,
                 h->units, t);
        break;
    case PS_SC_AT_MOST:
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
        disc_md_text(out, label);
        fputs("\n\n", out);
    } else {
        fprintf(out, "Scenario discovery: %s (%s)\n", label, h->target);
    }
    const char *tick = md ? "`" : "";
    fprintf(out, "Target %s%s%s: ", tick, h->target, tick);
    if (md)
        disc_md_text(out, rule);
    else
        fputs(rule, out);
    fprintf(out, ".  Cases of interest: the runs that %s it.\n",
            r->a->missed ? "miss" : "meet");
    if (md)
        fputc('\n', out);
    char pct[NUM];
    fprintf(out,
            "Runs: %lld in the file, %lld ok, %zu used; %zu cases of "
            "interest (%s).\n",
            h->runs, h->runs_ok, h->n, r->cases,
            ps_prob_text((double)r->cases / (double)h->n, PS_PROB_PERCENT, pct,
                         sizeof pct));
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
    char cov[NUM], den[NUM], mass[NUM];
    fprintf(out,
            "Box %zu, step %zu: coverage %s (%zu of the %zu cases), density "
            "%s (%zu of %zu runs), mass %s, %zu restricted input%s.\n",
            b + 1, x->chosen, share(bx->coverage, cov), bx->hits, r->cases,
            share(bx->density, den), bx->hits, bx->count, share(bx->mass, mass),
            bx->restricted, bx->restricted == 1 ? "" : "s");
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
        size_t hw = ps_utf8_width(head);
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
        disc_pad(out, w - ps_utf8_width(head) + 1);
        fprintf(out, "%s  (p = %s)\n", lim, p);
    }
    free(order);
}

static int grid_ok(const disc_grid *g)
{
    return !g->oom;
}

int disc_print_report(FILE *out, const disc_run *r, int md)
{
    int rc = 0;
    disc_grid g;
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
            disc_grid_print_md(out, &g);
        else
            disc_grid_print_text(out, &g, "  ");
        disc_grid_free(&g);
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
                disc_grid_print_md(out, &g);
                fputs("\np: the quasi-p-value of each limit (lower, upper): "
                      "a large value means the limit adds little.\n",
                      out);
            }
            disc_grid_free(&g);
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
        disc_grid_print_md(out, &g);
    else
        disc_grid_print_text(out, &g, "  ");
    disc_grid_free(&g);
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
    ps_csv_write_field(out, input, ',');
    fputc(',', out);
    fputs(statistic, out);
    fputc(',', out);
    ps_csv_write_field(out, value, ',');
    fputc('\n', out);
}

static void long_num(FILE *out, const char *kind, size_t box, long step,
                     const char *input, const char *statistic, double v)
{
    char buf[NUM];
    long_row(out, kind, box, step, input, statistic, exact(v, buf));
}

void disc_print_long_csv(FILE *out, const disc_run *r)
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

/* ------------------------------------------------------------ file csv */

int disc_print_table_csv(FILE *out, const disc_run *r, disc_table table)
{
    disc_grid g;
    memset(&g, 0, sizeof g);
    switch (table) {
    case DISC_TRAJECTORY:
        for (size_t b = 0; b < r->nboxes; b++)
            trajectory_grid(r, b, 1, &g, b == 0);
        break;
    case DISC_BOX:
        for (size_t b = 0; b < r->nboxes; b++)
            box_grid(r, b, 1, &g, b == 0);
        break;
    case DISC_FACTORS:
        factors_grid(r, 1, &g);
        break;
    }
    int rc = grid_ok(&g) ? 0 : -1;
    disc_grid_print_csv(out, &g);
    disc_grid_free(&g);
    return rc;
}
