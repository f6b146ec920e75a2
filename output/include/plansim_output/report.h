/*
 * plansim output: a report folder made from an ensemble file, for the
 * people who write the plan's reports and use tables and charts as they
 * are.
 *
 *   targets.md / .csv      the target scorecard: probability, its 95 %
 *                          Monte Carlo sampling interval, and the
 *                          variable's median and 5-95 % range of outcomes
 *                          in the target's year (from a posterior: also
 *                          the probability under the prior)
 *   variables.md / .csv    median and ranges of every saved variable and
 *                          time
 *   assumptions.md / .csv  fixed values, levers, uncertain inputs with the
 *                          range they covered, and the run's provenance
 *   appendix.md            each label readers see with the model's name,
 *                          its units in the model and its display scale;
 *                          the inputs' sources
 *   fan_<name>.svg         one fan chart per saved variable
 *   index.md               links to everything, the charts embedded
 *
 * From a posterior file (plansim calibrate) the folder holds instead
 *
 *   calibration.md / .csv   the method and its diagnostics, each input's
 *                           prior and posterior, the predictive check of
 *                           each observed series, the targets before and
 *                           after the data
 *   density_<input>.svg     prior and posterior density of each input
 *   predictive_<series>.svg observations over their predictive bands
 *   appendix.md             each label readers see with the scenario's
 *                           and the model's names, the priors as written
 *   index.md                links to everything, the charts embedded
 *
 * Everything comes from the file itself (its summary, its inputs and its
 * /assumptions group; or the posterior) and is deterministic: the same
 * file gives the same bytes.  Text is UTF-8; Markdown is meant to be read
 * raw or rendered; the SVG is hand-written (no external tools) and names
 * CJK fonts so Chinese renders in browsers, office suites and rsvg.
 * docs/reports.md describes each file.  The folder also gets the charts
 * as PNG and PDF, index.html and report.xlsx, made from these files by
 * plansim_output/report_formats.h.
 *
 * The .md and .svg files are for readers, in the language of the
 * options (Chinese by default): names and units from the labels the run
 * stored (the model's labels file; a calibration's labels stored by
 * plansim calibrate), the model's names only in appendix.md.  The CSV
 * files are for machines and keep the model's names in their `variable`
 * column.  The writers take a summary and assumptions
 * as read by ps_h5_summary_read() and ps_h5_assumptions_read(); the assumptions
 * may be NULL (the parts that need them say "not recorded").  The calibration
 * writers take a posterior as read by ps_h5_posterior_read().
 */
#ifndef PLANSIM_OUTPUT_REPORT_H
#define PLANSIM_OUTPUT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "plansim/status.h"
#include "plansim_output/h5.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The language of the files meant for readers (.md and .svg). */
typedef enum ps_report_lang {
    PS_REPORT_ZH = 0, /* Chinese (the default) */
    PS_REPORT_EN
} ps_report_lang;

typedef struct ps_report_options {
    int excel; /* non-zero: CSV files start with a UTF-8 byte order mark,
                  so Excel shows Chinese text correctly */
    ps_report_lang lang;
    /* Called (when not NULL) with `reading_ctx` before the file is first
       opened and after it is last read, before any report file is
       written: a caller can bound the reading phase. */
    void (*reading_begin)(void *ctx, const char *h5_path);
    void (*reading_end)(void *ctx);
    void *reading_ctx;
} ps_report_options;

/* "zh", "en" -> *lang; returns 0, or -1 when unknown. */
int ps_report_lang_from_name(const char *name, ps_report_lang *lang);

/*
 * Reads the ensemble or posterior file `h5_path` (told apart by
 * ps_h5_file_kind) and writes its report into `dir`, creating it (and its
 * parents) when missing.  Each file is written as NAME.partial and
 * renamed when complete; files of an earlier report in `dir` are replaced
 * one by one.  `opts` may be NULL (defaults).  PS_ERR_NOINPUT when the
 * file cannot be opened; PS_ERR_DATA when it is neither an ensemble file
 * with a summary nor a complete posterior file; PS_ERR_CANTCREAT when
 * `dir` or a file in it cannot be created; PS_ERR_IO when writing fails.
 * A file that is refused creates nothing.
 */
ps_status ps_report_write(const char *h5_path, const char *dir,
                          const ps_report_options *opts, ps_error *err);

/* As ps_report_write, from a summary and assumptions already read
   (`a` may be NULL). */
ps_status ps_report_write_dir(const char *dir, const ps_h5_summary *s,
                              const ps_h5_assumptions *a,
                              const ps_report_options *opts, ps_error *err);

/* As ps_report_write_dir, with the results of plansim sensitivity `x`
   (NULL: none): then also sensitivity.md and sensitivity.csv, linked
   from index.md, a part of appendix.md, a sheet of report.xlsx and a
   section of index.html. */
ps_status ps_report_write_dir_sensitivity(
    const char *dir, const ps_h5_summary *s, const ps_h5_assumptions *a,
    const ps_h5_sensitivity *x, const ps_report_options *opts, ps_error *err);

/* ---------------------------------------------------------------------
 * The files, one writer each.  Each writes to `out` and returns
 * PS_ERR_NOMEM when out of memory and PS_ERR_IO when writing to `out`
 * fails; the stream stays open.
 * --------------------------------------------------------------------- */

ps_status ps_report_targets_md(FILE *out, const ps_h5_summary *s,
                               const ps_report_options *opts, ps_error *err);
ps_status ps_report_targets_csv(FILE *out, const ps_h5_summary *s,
                                ps_error *err);
ps_status ps_report_variables_md(FILE *out, const ps_h5_summary *s,
                                 const ps_report_options *opts, ps_error *err);
ps_status ps_report_variables_csv(FILE *out, const ps_h5_summary *s,
                                  ps_error *err);
ps_status ps_report_assumptions_md(FILE *out, const ps_h5_summary *s,
                                   const ps_h5_assumptions *a,
                                   const ps_report_options *opts,
                                   ps_error *err);
ps_status ps_report_assumptions_csv(FILE *out, const ps_h5_summary *s,
                                    const ps_h5_assumptions *a,
                                    ps_error *err);

/* The fan chart of variable `var` (an index into s->vars) as SVG.
   PS_ERR_USAGE when `var` is out of range. */
ps_status ps_report_fan_svg(FILE *out, const ps_h5_summary *s, size_t var,
                            const ps_report_options *opts, ps_error *err);

/* index.md: what is in the folder, the target scorecard, every chart. */
ps_status ps_report_index_md(FILE *out, const ps_h5_summary *s,
                             const ps_h5_assumptions *a,
                             const ps_report_options *opts, ps_error *err);

/* appendix.md: the technical appendix, mapping each label readers see to
   the model's name, its units in the model and the display scale. */
ps_status ps_report_appendix_md(FILE *out, const ps_h5_summary *s,
                                const ps_h5_assumptions *a,
                                const ps_report_options *opts, ps_error *err);

/* index.md with a link to sensitivity.md in its list of files: the front
   page of a report whose file holds sensitivity results. */
ps_status ps_report_index_sensitivity_md(FILE *out, const ps_h5_summary *s,
                                         const ps_h5_assumptions *a,
                                         const ps_report_options *opts,
                                         ps_error *err);

/*
 * sensitivity.md: the results of plansim sensitivity for readers, in the
 * language of `opts` (NULL: Chinese).  A sentence per measure on what it
 * means, then per output (named by its indicator's label and year, or its
 * target's label) the factors ranked by ST, mu* or swing, the first ten,
 * with their intervals; factors named by their inputs' labels from `a`
 * (may be NULL), model names left to the appendix.  PS_ERR_USAGE when `x`
 * has no known method.
 */
ps_status ps_report_sensitivity_md(FILE *out, const ps_h5_summary *s,
                                   const ps_h5_assumptions *a,
                                   const ps_h5_sensitivity *x,
                                   const ps_report_options *opts,
                                   ps_error *err);

/* sensitivity.csv: every factor and output at full precision, the table
   `plansim sensitivity --format csv` prints (ps_h5_sensitivity_print). */
ps_status ps_report_sensitivity_csv(FILE *out, const ps_h5_sensitivity *x,
                                    ps_error *err);

/* The appendix's part on the sensitivity analysis, appended after
   ps_report_appendix_md: each factor's and output's label beside its
   name in the analysis and its model inputs or variable. */
ps_status ps_report_sensitivity_appendix_md(FILE *out, const ps_h5_summary *s,
                                            const ps_h5_assumptions *a,
                                            const ps_h5_sensitivity *x,
                                            const ps_report_options *opts,
                                            ps_error *err);

/* Writes "fan_<dataset name>.svg" into buf[size] (truncated to fit), or
   for an element of a subscripted variable "fan_<dataset
   name>_<elements>.svg" (ASCII punctuation of the element names made
   '_': "fan_output_城区_新材料.svg"); returns buf. */
char *ps_report_fan_file_name(const ps_h5_var_summary *v, char *buf,
                              size_t size);

/* ---------------------------------------------------------------------
 * Calibration reports: the folder made from a posterior file
 * --------------------------------------------------------------------- */

/* As ps_report_write, from a posterior already read: calibration.md/.csv,
   one density chart per calibrated input, one predictive chart per
   observed series, index.md. */
ps_status ps_report_posterior_write_dir(const char *dir,
                                        const ps_h5_posterior *p,
                                        const ps_report_options *opts,
                                        ps_error *err);

/* calibration.md in the language of `opts` (NULL: Chinese), names for
   readers from the labels the posterior file holds (model names only in
   appendix.md); calibration.csv keeps the scenario's names. */
ps_status ps_report_calibration_md(FILE *out, const ps_h5_posterior *p,
                                   const ps_report_options *opts,
                                   ps_error *err);
ps_status ps_report_calibration_csv(FILE *out, const ps_h5_posterior *p,
                                    ps_error *err);

/*
 * The prior and posterior densities of input `param` (an index into
 * p->params) as SVG: Gaussian kernel density estimates with Silverman's
 * bandwidth of the weighted particles and of the prior draws (when the
 * file has them); for optimize, the posterior's normal approximation.
 * PS_ERR_USAGE when `param` is out of range; PS_ERR_NOMEM.
 */
ps_status ps_report_density_svg(FILE *out, const ps_h5_posterior *p,
                                size_t param, const ps_report_options *opts,
                                ps_error *err);

/* The observations of series `series` over time with the median and the
   50 % and 90 % posterior-predictive bands, as SVG.  PS_ERR_USAGE when
   `series` is out of range; PS_ERR_NOMEM. */
ps_status ps_report_predictive_svg(FILE *out, const ps_h5_posterior *p,
                                   size_t series, const ps_report_options *opts,
                                   ps_error *err);

/* index.md of a calibration report. */
ps_status ps_report_calibration_index_md(FILE *out, const ps_h5_posterior *p,
                                         const ps_report_options *opts,
                                         ps_error *err);

/* appendix.md of a calibration report: each label readers see with the
   scenario's and the model's names, the priors as written, the targets'
   rules in model units. */
ps_status ps_report_calibration_appendix_md(FILE *out, const ps_h5_posterior *p,
                                            const ps_report_options *opts,
                                            ps_error *err);

/* The observations of series `series` in the posterior file: a series
   with none in the calibration's window gets no predictive chart. */
size_t ps_report_series_nobs(const ps_h5_posterior *p, size_t series);

/* "density_<input>.svg" and "predictive_<series>.svg" into buf[size],
   the name made safe as in ps_report_fan_file_name ("capital share" ->
   "density_capital_share.svg"); a name an earlier one already gave gets
   "_<index + 1>" before ".svg".  Return buf. */
char *ps_report_density_file_name(const ps_h5_posterior *p, size_t param,
                                  char *buf, size_t size);
char *ps_report_predictive_file_name(const ps_h5_posterior *p, size_t series,
                                     char *buf, size_t size);

/* ---------------------------------------------------------------------
 * Axis ticks
 * --------------------------------------------------------------------- */

/* Ticks k * step for k = first ... first + intervals, where step is 1, 2
   or 5 times a power of ten. */
typedef struct ps_report_ticks {
    long long first;  /* lowest tick: first * step */
    size_t intervals; /* ticks: intervals + 1 */
    int mantissa;     /* 1, 2 or 5 */
    int exponent;     /* step = mantissa * 10^exponent */
    double step;
    int decimals; /* digits after the point that print every tick */
} ps_report_ticks;

/*
 * The finest 1-2-5 step whose multiples enclose [lo, hi] in at most
 * `max_intervals` steps (lo and hi in either order), and those multiples:
 * as many ticks as allowed, on steps people read at a glance.  A range
 * too narrow to label (lo == hi, a constant series) is widened by 10 % of
 * its value either side (by 1 around 0).  Returns 0, or -1 when lo, hi or
 * their distance is not finite or max_intervals is 0.
 */
int ps_report_nice_ticks(double lo, double hi, size_t max_intervals,
                         ps_report_ticks *out);

/* Tick i (0 ... intervals) of t, computed from integers so that 0.3 is
   the double nearest 0.3, not 3 * 0.1. */
double ps_report_tick(const ps_report_ticks *t, size_t i);

#ifdef __cplusplus
}
#endif
#endif
