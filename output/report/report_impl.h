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
#include "plansim_output/report.h"

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
 * get a backslash, and a > or # that starts the text; tabs become spaces,
 * and so do line ends, except between two wide (Chinese) characters,
 * where lines join as Chinese text does, and at the end of the text,
 * where they are dropped.  A new string owned
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

/* An effective sample size: whole from 100 on ("187"), else one
   decimal ("12.4"); "n/a" for NaN. */
char *rp_ess(double ess, char buf[RP_NUM_MAX]);

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

/* ---- language and labels (report_labels.c) ------------------------------ */

/* Non-zero when the report is in English (o may be NULL: Chinese). */
int rp_en(const ps_report_options *o);

/* `zh` or `en` by the report's language. */
#define RP_T(o, zh, en) (rp_en(o) ? (en) : (zh))

/* The scenario's title or description in the report's language: the
   language's own text of `lang` (title_* or description_*), else the
   other language's, else `text` (the file's `title` or `description`).
   Borrowed; NULL when `text` is NULL and no language has one. */
const char *rp_scenario_title(const char *text, const ps_h5_lang_texts *lang,
                              const ps_report_options *o);
const char *rp_scenario_description(const char *text,
                                    const ps_h5_lang_texts *lang,
                                    const ps_report_options *o);

/* Non-zero when the file stored labels for readers. */
int rp_has_labels(const ps_h5_summary *s);

/* The variable's name for readers in the report's language (an element's
   names after it, each by its element label when s has one, into buf);
   without labels its title (rp_var_title). */
const char *rp_var_label(const ps_h5_summary *s, const ps_h5_var_summary *v,
                         const ps_report_options *o, char *buf, size_t size);

/* The element names "a,b" each by its element label when s has one,
   joined with "，" or ", ", into buf. */
void rp_element_text(const ps_h5_summary *s, const char *elements,
                     const ps_report_options *o, char *buf, size_t size);

/* Its units for readers: "%" for a rate or share shown as a percentage,
   the labels' units, or without labels the model's. */
const char *rp_var_units(const ps_h5_var_summary *v,
                         const ps_report_options *o);

/* The factor a model value is multiplied by to show it (display scale,
   times 100 for a percentage); 1 without labels. */
double rp_var_factor(const ps_h5_var_summary *v);

/* x in display units. */
double rp_display(const ps_h5_var_summary *v, double x);

/* A target's label: in Chinese the scenario's label, else the labels
   file's; in English the labels file's, else the scenario's; else its
   name. */
const char *rp_target_label(const ps_h5_target_summary *t,
                            const ps_report_options *o);

/* An input's, lever's or fixed value's label, as rp_target_label. */
const char *rp_input_label(const char *zh, const char *en, const char *label,
                           const char *name, const ps_report_options *o);

/* x (in display units) with `decimals`, "%" after it for a percentage
   ("7.3%"); "n/a" for NaN. */
char *rp_shown(const ps_h5_var_summary *v, double x, int decimals,
               char buf[RP_NUM_MAX]);

/* As rp_band, each end as rp_shown. */
void rp_band_shown(char *buf, size_t size, const ps_h5_var_summary *v,
                   double lo, double hi, int decimals);

/* A quoted note when the file has no labels (names and units are the
   model's); nothing otherwise. */
void rp_labels_note(FILE *out, const ps_h5_summary *s,
                    const ps_report_options *o);

/* The target's rule in the display units of its variable `v` (NULL: as
   stored): "≥ 7.5%", "≥ 700". */
void rp_rule_shown(char *buf, size_t size, const ps_h5_target_summary *t,
                   const ps_h5_var_summary *v);

/* The two intervals in one sentence each: the Monte Carlo sampling
   interval of a probability, and the spread of outcomes. */
void rp_intervals_note(FILE *out, const ps_report_options *o);

/* The rounding rule, stated once (docs/reports.md says the same). */
void rp_rounding_note(FILE *out, const ps_report_options *o);

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

/* Starts the appendix's table of targets (an ensemble's or a
   calibration's): target label, name, model variable and rule in model
   units, with its header row in the options' language; t is the
   caller's to fill and free. */
void rp_appendix_targets_begin(rp_table *t, const ps_report_options *o);

/* "650.1 – 780.2": a band for people, both ends with `decimals`; "n/a"
   when both are NaN. */
void rp_band(char *buf, size_t size, double lo, double hi, int decimals);

/* The target scorecard as a Markdown table (targets.md and index.md). */
ps_status rp_targets_table(FILE *out, const ps_h5_summary *s,
                           const ps_report_options *o, ps_error *err);

/* One line: how many runs the statistics rest on. */
void rp_runs_line(FILE *out, const ps_h5_summary *s,
                  const ps_report_options *o);

/* Non-zero when the ensemble drew inputs from a posterior file. */
int rp_is_calibrated(const ps_h5_summary *s);

/* ---- posterior files (report_calib.c) ------------------------------------ */

/* texts[i], or "" when texts or the item is NULL. */
const char *rp_text_at(char *const *texts, size_t i);

/* v[k], or NaN when the file has no such array. */
double rp_obs_at(const double *v, size_t k);

/* Input j's name for readers in the report's language, as
   rp_input_label: its label from the labels file, the scenario's label,
   or its name. */
const char *rp_param_title(const ps_h5_posterior *p, size_t j,
                           const ps_report_options *o);

/* Series s's name for readers: the label of the variable it measures
   (with the measure after it unless a level), into buf; without labels
   the scenario's name of the series. */
const char *rp_series_title(const ps_h5_posterior *p, size_t s,
                            const ps_report_options *o, char *buf, size_t size);

/* Target i's name for readers, as rp_target_label. */
const char *rp_calib_target_title(const ps_h5_posterior *p, size_t i,
                                  const ps_report_options *o);

/* A quoted paragraph when the posterior file has no labels (names are
   the scenario's); nothing otherwise. */
void rp_calib_labels_note(FILE *out, const ps_h5_posterior *p,
                          const ps_report_options *o);

/* The rule of a target of a posterior file in model units ("≥ 700"). */
void rp_meta_rule(char *buf, size_t size, const ps_h5_target_meta *m);

/* Non-zero for a maximum-likelihood calibration (no particles to
   smooth: the posterior is the normal approximation). */
int rp_is_optimize(const ps_h5_posterior *p);

/* The method in the report's language ("回火序贯蒙特卡洛", "tempered
   sequential Monte Carlo"); the method's own name when unknown, "" for
   NULL. */
const char *rp_method_text(const char *method, const ps_report_options *o);

/* "水平"/"level", "增长率"/"growth", "占比"/"share", or the measure itself
   when unknown. */
const char *rp_measure_text(const char *measure, const ps_report_options *o);

/* The observations of series s, by time, into idx (room for p->nobs);
   returns how many. */
size_t rp_series_obs(const ps_h5_posterior *p, size_t s, size_t *idx);

/* One sentence: the method, particles, runs, evidence and ESS (or the
   maximum log-likelihood). */
void rp_calib_summary(FILE *out, const ps_h5_posterior *p,
                      const ps_report_options *o);

/* Paragraphs warning of collapsed weights or a failed optimisation;
   nothing otherwise. */
void rp_calib_warnings(FILE *out, const ps_h5_posterior *p,
                       const ps_report_options *o);

/* The targets before and after the data as a Markdown table after a
   sentence saying what the two probabilities are and the rounding rule
   (calibration.md and index.md). */
ps_status rp_calib_targets_table(FILE *out, const ps_h5_posterior *p,
                                 const ps_report_options *o, ps_error *err);

/* ---- densities (report_density.c) ---------------------------------------- */

/*
 * The Gaussian kernel density estimate of x[i * stride] (i < n) with
 * weights w[i] (NULL: equal; values that are not finite and weights that
 * are not positive left out) at t[0..m), into y[0..m).  *h is its
 * bandwidth by Silverman's rule, 0.9 min(sd, IQR / 1.34) n_eff^(-1/5)
 * with weighted sd and quartiles and Kish's n_eff; 0 when the sample has
 * no spread and NaN when it is empty (y is then NaN).  Returns 0, or -1
 * when out of memory.
 */
int rp_kde(const double *x, size_t stride, const double *w, size_t n, size_t m,
           const double *t, double *y, double *h);

/* ---- file names (report_fan.c) ------------------------------------------- */

/*
 * Appends `s` to buf[size] from offset `o`, each ASCII character other
 * than a letter or a digit made '_' (other UTF-8 kept: "城区_新材料"),
 * stopping at a character boundary when buf is full.  Returns the new
 * length; buf stays NUL-terminated.
 */
size_t rp_name_append(char *buf, size_t size, size_t o, const char *s);

/* ---- SVG charts (report_svg.c) ------------------------------------------- */

#define RP_FONT_FAMILY                                                         \
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Micro Hei',"           \
    "'Microsoft YaHei','PingFang SC',sans-serif"

enum {
    RP_SVG_WIDTH = 800,
    RP_SVG_HEIGHT = 480,
    RP_SVG_FONT = 12,
    RP_SVG_TITLE_FONT = 18
};

#define RP_BAND90_FILL "#c6dbef"
#define RP_BAND50_FILL "#6baed6"
#define RP_MEDIAN_STROKE "#08519c"
#define RP_TARGET_STROKE "#c0392b"
#define RP_GRID_STROKE "#e3e3e3"
#define RP_AXIS_STROKE "#444444"
#define RP_TEXT_FILL "#222222"
#define RP_MUTED_FILL "#555555"

/* The plot area in pixels and the data range it shows. */
typedef struct rp_frame {
    double left, right, top, bottom;
    double x0, x1, y0, y1;
} rp_frame;

/* Data to pixels; an empty x range maps to the middle. */
double rp_px(const rp_frame *f, double x);
double rp_py(const rp_frame *f, double y);

/* A tick label with the ticks' decimals; never "-0". */
void rp_tick_label(char *buf, size_t size, double v, int decimals);

/* <text> at (x, y) with an optional text-anchor and extra attributes;
   `s` escaped. */
void rp_svg_text(FILE *out, double x, double y, const char *anchor,
                 const char *attrs, const char *s);

/* The XML declaration, the <svg> element (800 x 480, the CJK font list),
   <title>, a white page and the title in bold, cut to the width. */
void rp_svg_begin(FILE *out, const char *title);

/* A muted line of text under the title at height y, cut to the width. */
void rp_svg_subtitle(FILE *out, double y, const char *s);

/* The plot's left edge: room for the widest label of the y ticks. */
double rp_svg_left(const ps_report_ticks *yt);

/* A shaded band between lo[] and hi[] over t[0..n): a polygon over each
   run of points where both are finite, a narrow bar for a run of one. */
void rp_svg_band(FILE *out, const rp_frame *f, size_t n, const double *t,
                 const double *lo, const double *hi, const char *fill);

/* A line through (t[i], y[i]), broken where y is not finite (a lone
   point becomes a dot); `extra` attributes of the line, or NULL. */
void rp_svg_line(FILE *out, const rp_frame *f, size_t n, const double *t,
                 const double *y, const char *stroke, const char *extra);

/* Horizontal grid lines and labels at the ticks, the axis, and `units`
   above it. */
void rp_svg_y_axis(FILE *out, const rp_frame *f, const ps_report_ticks *yt,
                   const char *units);

/* The x axis over [x0, x1] with at most `most` tick intervals inside the
   range (0: one label in the middle, for a single time) and `name` under
   its right end. */
void rp_svg_x_axis(FILE *out, const rp_frame *f, size_t most, const char *name);

/* A vertical extent in pixels, top < bottom. */
typedef struct rp_span {
    double top, bottom;
} rp_span;

/*
 * The baseline of a label `h` pixels high for a line at height y_line,
 * inside the plot [top, bottom] (report_label_place.c): just above the
 * line (`gap` pixels off) when nothing busy is there, else just below it,
 * else the free place nearest the line; when no place is free, the one
 * the busy spans (the bands, the median, other lines and labels over the
 * label's width) cover least.
 */
double rp_label_place(double y_line, double h, double gap, double top,
                      double bottom, const rp_span *busy, size_t nbusy);

/* A legend entry: a filled box (a band), a line (dashed when `dash`) or
   a point. */
typedef enum rp_key_shape {
    RP_KEY_BOX,
    RP_KEY_LINE,
    RP_KEY_POINT
} rp_key_shape;
typedef struct rp_key {
    rp_key_shape shape;
    const char *colour;
    double width;     /* a line's stroke width */
    const char *dash; /* a line's stroke-dasharray, or NULL */
    const char *label;
} rp_key;

/* The legend in one row under the plot. */
void rp_svg_legend(FILE *out, const rp_frame *f, const rp_key *keys, size_t n);

#endif
