/*
 * Private helpers of the report writers: escaping text for XML, CSV and
 * Markdown, numbers for people, Markdown tables, and lookups in a
 * summary.
 */
#ifndef PS_REPORT_IMPL_H
#define PS_REPORT_IMPL_H

#include <stddef.h>
#include <stdio.h>

#include "plansim/status.h"
#include "plansim_output/h5.h"

/* ---- text (report_text.c) ---------------------------------------------- */

/*
 * Writes `s` as XML character data that is also safe inside a
 * double-quoted attribute: & < > " ' become entities; invalid UTF-8
 * bytes become U+FFFD and control characters (which XML 1.0 forbids)
 * spaces, so the document stays well-formed whatever the text.  NULL is
 * "".
 */
void rp_xml(FILE *out, const char *s);

/* Writes `s` as one CSV field (RFC 4180): quoted, with quotes doubled,
   when it holds a comma, a quote or a line end.  NULL is "". */
void rp_csv(FILE *out, const char *s);

/* Writes v as a CSV number: the shortest form that reads back exactly;
   NaN as an empty field. */
void rp_csv_num(FILE *out, double v);

/*
 * `s` escaped for a Markdown table cell or inline text: \ ` * [ ] < |
 * get a backslash, and a > or # that starts the text; line ends and tabs
 * become spaces.  A new string owned
 * by the caller (NULL s is ""); NULL when out of memory.
 */
char *rp_md(const char *s);

/* Display columns of UTF-8 text in a monospaced font: East Asian wide
   and fullwidth characters count 2, others 1. */
size_t rp_width(const char *s);

/* Estimated rendered width of `s` in em (wide characters 1, others
   0.56): enough to lay out legends and labels. */
double rp_text_em(const char *s);

/*
 * Copies `s` into buf[size], cut at a character boundary and ended with
 * "…" when its estimated width passes `max_em` (or it does not fit buf).
 * Returns buf.
 */
char *rp_fit_text(const char *s, double max_em, char *buf, size_t size);

#define RP_NUM_MAX 48

/*
 * Decimals that show the largest finite |v[i]| with four significant
 * digits (847.0 -> 1, 0.1446 -> 4, 12346 -> 0), so that numbers shown
 * together (a row, a column) line up; -1 for magnitudes that read better
 * with an exponent (below 1e-4, from 1e15 on); 0 when none is finite.
 */
int rp_decimals(const double *v, size_t n);

/* v with `decimals` digits after the point (-1: four significant digits
   with an exponent); "n/a" for NaN; never "-0". */
char *rp_num(double v, int decimals, char buf[RP_NUM_MAX]);

/* The shortest form that reads back exactly (0.08, 700); for values
   people wrote themselves (thresholds, fixed values).  "n/a" for NaN. */
char *rp_exact(double v, char buf[RP_NUM_MAX]);

/* A probability as a percentage with one decimal ("48.2%"); "n/a" for
   NaN. */
char *rp_pct(double p, char buf[RP_NUM_MAX]);

/* A time as written in tables ("2030", "2030.25"). */
char *rp_time(double t, char buf[RP_NUM_MAX]);

/* ---- summaries (report_text.c) ------------------------------------------ */

/* The target's rule: "≥ 700", "≤ 5.5", "0.7 – 0.74" (a band; no
   brackets, which Markdown would take for a link). */
void rp_rule(char *buf, size_t size, const ps_h5_target_summary *t);

/* "约束性" (binding) or "预期性" (expected). */
const char *rp_kind_zh(int binding);

/* Non-zero when the model's time unit is the year. */
int rp_time_is_year(const ps_h5_summary *s);

/* Quantile p of variable v at time index t; NaN when the summary has no
   such level. */
double rp_quantile(const ps_h5_summary *s, const ps_h5_var_summary *v,
                   double p, size_t t);

/* The saved variable whose model name is `model_name`, or NULL. */
const ps_h5_var_summary *rp_find_var(const ps_h5_summary *s,
                                     const char *model_name);

/* The index of the saved time equal to t (to rounding), or -1. */
long rp_time_index(const ps_h5_summary *s, double t);

/* The variable's title: its long name, or its model name. */
const char *rp_var_title(const ps_h5_var_summary *v);

/* PS_OK, or PS_ERR_IO when the stream has failed (checked after
   flushing). */
ps_status rp_finish(FILE *out, ps_error *err);

ps_status rp_nomem(ps_error *err);

/* ---- Markdown tables (report_md.c) --------------------------------------- */

typedef struct rp_table {
    size_t ncol, nrow, cap; /* row 0 is the header */
    char **cells;           /* [nrow][ncol], Markdown-escaped */
    const char *align;      /* per column: 'l' or 'r' */
    int oom;
} rp_table;

/* An empty table of ncol columns aligned as in `align` (ncol letters). */
void rp_table_init(rp_table *t, size_t ncol, const char *align);

/* Appends a row of ncol cells of plain text (escaped here; NULL is ""). */
void rp_table_row(rp_table *t, const char *const *cells);

/* Prints a pipe table padded so that columns line up in a monospaced
   font.  PS_ERR_NOMEM when a row could not be stored. */
ps_status rp_table_print(FILE *out, const rp_table *t, ps_error *err);

void rp_table_free(rp_table *t);

/* "650.1 – 780.2": a band for people, both ends with `decimals`; "n/a"
   when both are NaN. */
void rp_band(char *buf, size_t size, double lo, double hi, int decimals);

/* The target scorecard as a Markdown table (targets.md and index.md). */
ps_status rp_targets_table(FILE *out, const ps_h5_summary *s, ps_error *err);

/* One line: how many runs the statistics rest on. */
void rp_runs_line(FILE *out, const ps_h5_summary *s);

#endif
