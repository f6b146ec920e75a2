/*
 * plansim fit: the fits printed as aligned text (people), a Markdown
 * table (reports), long-form CSV or JSON (programs; the JSON document
 * comes from the output library), with the reasons behind n/a cells and
 * left-out zeros.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fit_cli.h"
#include "plansim/csv.h"
#include "plansim/utf8.h"
#include "plansim_output/study_json.h"
#include "plansim_output/table.h"

/* The cells of one row of the people's table. */
typedef struct fit_cells {
    char n[24], mape[32], rmspe[32], u[32], um[32], us[32], uc[32];
} fit_cells;

static void fmt_fixed(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.*f", decimals, v);
}

static void fit_to_cells(const ps_fit *f, fit_cells *c)
{
    snprintf(c->n, sizeof c->n, "%zu", f->n);
    fmt_fixed(c->mape, sizeof c->mape, 100 * f->mape, 2);
    fmt_fixed(c->rmspe, sizeof c->rmspe, 100 * f->rmspe, 2);
    fmt_fixed(c->u, sizeof c->u, f->theil_u, 4);
    fmt_fixed(c->um, sizeof c->um, f->um, 3);
    fmt_fixed(c->us, sizeof c->us, f->us, 3);
    fmt_fixed(c->uc, sizeof c->uc, f->uc, 3);
}

static const char *const heads[] = {"variable", "n", "MAPE %", "RMSPE %",
                                    "U",        "U^M", "U^S", "U^C"};
static const char *const md_heads[] = {
    "Variable", "n", "MAPE %", "RMSPE %", "U",
    "U<sup>M</sup>", "U<sup>S</sup>", "U<sup>C</sup>"};
#define NCOLS 8

static void row_cells(const fit_cells *c, const char *name,
                      const char *cells[NCOLS])
{
    cells[0] = name;
    cells[1] = c->n;
    cells[2] = c->mape;
    cells[3] = c->rmspe;
    cells[4] = c->u;
    cells[5] = c->um;
    cells[6] = c->us;
    cells[7] = c->uc;
}

static void pad(FILE *out, size_t n)
{
    while (n-- > 0)
        fputc(' ', out);
}

/* Aligned text: names left, numbers right, two spaces between. */
static void print_table(FILE *out, const ps_series *o, const ps_fit *fits)
{
    size_t w[NCOLS];
    fit_cells c;
    const char *cells[NCOLS];
    for (size_t k = 0; k < NCOLS; k++)
        w[k] = ps_utf8_width(heads[k]);
    for (size_t j = 0; j < o->ncols; j++) {
        fit_to_cells(&fits[j], &c);
        row_cells(&c, o->names[j], cells);
        for (size_t k = 0; k < NCOLS; k++) {
            size_t cw = ps_utf8_width(cells[k]);
            w[k] = cw > w[k] ? cw : w[k];
        }
    }
    for (size_t j = 0; j <= o->ncols; j++) {
        if (j == 0) {
            for (size_t k = 0; k < NCOLS; k++)
                cells[k] = heads[k];
        } else {
            fit_to_cells(&fits[j - 1], &c);
            row_cells(&c, o->names[j - 1], cells);
        }
        for (size_t k = 0; k < NCOLS; k++) {
            size_t fill = w[k] - ps_utf8_width(cells[k]);
            if (k > 0) {
                fputs("  ", out);
                pad(out, fill);
            }
            fputs(cells[k], out);
            if (k == 0)
                pad(out, fill);
        }
        fputc('\n', out);
    }
}

/* A cell of a Markdown table: '|' escaped, line ends as spaces. */
static void md_cell(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static void print_md(FILE *out, const ps_series *o, const ps_fit *fits)
{
    fputc('|', out);
    for (size_t k = 0; k < NCOLS; k++)
        fprintf(out, " %s |", md_heads[k]);
    fputs("\n|:---|", out);
    for (size_t k = 1; k < NCOLS; k++)
        fputs("---:|", out);
    fputc('\n', out);
    for (size_t j = 0; j < o->ncols; j++) {
        fit_cells c;
        const char *cells[NCOLS];
        fit_to_cells(&fits[j], &c);
        row_cells(&c, o->names[j], cells);
        fputc('|', out);
        for (size_t k = 0; k < NCOLS; k++) {
            fputc(' ', out);
            md_cell(out, cells[k]);
            fputs(" |", out);
        }
        fputc('\n', out);
    }
}

/* Long form: one line per variable and statistic, numbers in full
   precision, percent errors in percent, NaN as an empty cell. */
static void print_csv(FILE *out, const ps_series *o, const ps_fit *fits)
{
    fputs("variable,statistic,value\n", out);
    for (size_t j = 0; j < o->ncols; j++) {
        const ps_fit *f = &fits[j];
        const struct {
            const char *name;
            double v;
        } stats[] = {{"n", (double)f->n},
                     {"mape_percent", 100 * f->mape},
                     {"rmspe_percent", 100 * f->rmspe},
                     {"theil_u", f->theil_u},
                     {"u_m", f->um},
                     {"u_s", f->us},
                     {"u_c", f->uc}};
        for (size_t k = 0; k < sizeof stats / sizeof stats[0]; k++) {
            char num[PS_TABLE_NUMBER_MAX];
            ps_csv_write_field(out, o->names[j], ',');
            fprintf(out, ",%s,%s\n", stats[k].name,
                    ps_table_format_number(stats[k].v, num));
        }
    }
}

/* The reasons behind n/a cells and left-out zeros, one line each;
   `lead` starts each line ("- " in Markdown).  PS_FIT_CONSTANT is not
   told: it explains an undefined correlation, which is not printed.
   Returns how many. */
static size_t print_notes(FILE *out, const char *lead, const ps_series *o,
                          const ps_fit *fits, int first_blank)
{
    size_t count = 0;
    for (size_t j = 0; j < o->ncols; j++) {
        for (unsigned bit = 1; bit <= PS_FIT_CONSTANT; bit <<= 1) {
            if (!(fits[j].flags & bit) || bit == PS_FIT_CONSTANT)
                continue;
            if (count++ == 0 && first_blank)
                fputc('\n', out);
            fprintf(out, "%s%s: ", lead, o->names[j]);
            if (bit == PS_FIT_ZERO_OBSERVED)
                fprintf(out, "%zu observed value%s of 0 left out of MAPE "
                             "and RMSPE\n",
                        fits[j].zero_observed,
                        fits[j].zero_observed == 1 ? "" : "s");
            else
                fprintf(out, "%s\n", ps_fit_flag_text(bit));
        }
    }
    return count;
}

ps_status fit_print(fit_format fmt, const char *observed, const ps_series *o,
                    const ps_fit *fits, ps_error *err)
{
    switch (fmt) {
    case FIT_JSON:
        return ps_fit_print_json(stdout, observed, o->ncols,
                                 (const char *const *)o->names, fits, err);
    case FIT_TABLE:
        print_table(stdout, o, fits);
        print_notes(stdout, "note: ", o, fits, 1);
        break;
    case FIT_MD:
        print_md(stdout, o, fits);
        print_notes(stdout, "- ", o, fits, 1);
        break;
    case FIT_CSV:
        /* Standard output stays one table. */
        print_csv(stdout, o, fits);
        print_notes(stderr, "plansim fit: note: ", o, fits, 0);
        break;
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return ps_error_set(err, PS_ERR_IO, "stdout", 0, 0,
                            "cannot write the fits");
    return PS_OK;
}
