/*
 * plansim output: the report in the formats people paste and print,
 * made from the files the report folder already holds.
 *
 *   NAME.png    each SVG chart as a bitmap at twice its size (for print)
 *   NAME.pdf    each SVG chart as vector PDF, its font embedded
 *   index.html  one self-contained page: index.md and the Markdown files
 *               it links to, rendered, with every chart inline as SVG
 *   report.xlsx one workbook: a sheet per CSV file, the same numbers
 *
 * Charts are drawn by librsvg with cairo in the font the SVGs name
 * first, "Noto Sans CJK SC" (Debian: fonts-noto-cjk), found through
 * fontconfig; the PDF embeds the glyphs it uses, so it looks the same
 * everywhere.  The page is rendered from the Markdown by cmark-gfm with
 * its table extension, so it says what the Markdown says; the workbook is
 * read back from the CSV files, so it holds their numbers.  Every file is
 * written as NAME.partial and renamed when whole, and is the same bytes
 * for the same inputs.
 */
#ifndef PLANSIM_OUTPUT_REPORT_FORMATS_H
#define PLANSIM_OUTPUT_REPORT_FORMATS_H

#include <stddef.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The font family the charts are drawn in. */
#define PS_REPORT_CHART_FONT "Noto Sans CJK SC"

/*
 * PS_OK when fontconfig finds PS_REPORT_CHART_FONT (regular and bold);
 * else PS_ERR_UNAVAILABLE saying which font is missing and which Debian
 * package provides it.
 */
ps_status ps_report_chart_font_check(ps_error *err);

/*
 * Renders the SVG file `dir`/`svg_name` (a name ending in ".svg") into
 * NAME.png, twice the SVG's width and height in pixels, and NAME.pdf, the
 * SVG's size at 96 pixels to the inch.  PS_ERR_NOINPUT when the SVG
 * cannot be read, PS_ERR_DATA when librsvg refuses it (the message names
 * the file), PS_ERR_CANTCREAT / PS_ERR_IO when an output cannot be
 * written, PS_ERR_NOMEM.  Does not check the font (see above).
 */
ps_status ps_report_chart_render(const char *dir, const char *svg_name,
                                 ps_error *err);

/*
 * Writes `dir`/index.html from `dir`/index.md: the page, then each
 * Markdown file of `dir` that index.md links to (in link order, once),
 * as sections whose links index.md points at; every image whose target is
 * an SVG file in `dir` drawn inline.  Text is escaped and raw HTML in the
 * Markdown shown as text; the page has no script and loads nothing.
 * PS_ERR_NOINPUT when index.md or a linked file cannot be read,
 * PS_ERR_DATA when an SVG is not one of the report's charts (no <svg>
 * element), PS_ERR_CANTCREAT / PS_ERR_IO, PS_ERR_NOMEM.
 */
ps_status ps_report_html_write(const char *dir, ps_error *err);

/*
 * Writes `dir`/report.xlsx with one sheet per file of csv_names[0..n)
 * (CSV files in `dir`, sheets named after them without ".csv"): the
 * header row bold and frozen, columns wide enough for their text, every
 * field that is a number as the CSV writes numbers stored as that number
 * (other fields as text), shown with the column's decimals, and as a
 * percentage where the column (or, in a long table, the row's
 * `statistic`) is a probability or a share.  PS_ERR_NOINPUT /
 * PS_ERR_DATA (located) when a CSV cannot be read, PS_ERR_CANTCREAT /
 * PS_ERR_IO when the workbook cannot be written, PS_ERR_NOMEM.
 */
ps_status ps_report_xlsx_write(const char *dir, const char *const *csv_names,
                               size_t n, ps_error *err);

/*
 * All of the above for a report folder whose charts are
 * chart_names[0..ncharts) and tables csv_names[0..ncsv): the charts'
 * PNG and PDF (after checking the font once), index.html and
 * report.xlsx.  A failure does not stop the others: every file that can
 * be written is, and the first error is returned, its message saying
 * what was left out.
 */
ps_status ps_report_formats_write(const char *dir,
                                  const char *const *chart_names,
                                  size_t ncharts, const char *const *csv_names,
                                  size_t ncsv, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
