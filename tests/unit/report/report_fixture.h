/*
 * Fixtures for the report tests.
 *
 * In memory: a small summary (6 saved times 2025-2030, the 7 quantile
 * levels, 2 variables, 3 targets of the three kinds) and its assumptions
 * (2 fixed values, 2 levers, 2 uncertain inputs), with text that needs
 * escaping in XML, CSV and Markdown: the golden files are made from it.
 *
 * On disk: an ensemble file written through the sink API, with fixed
 * values and levers, whose input values follow closed forms so that the
 * ranges read back can be recomputed.
 */
#ifndef REPORT_FIXTURE_H
#define REPORT_FIXTURE_H

#include <stddef.h>

#include "plansim_output/h5.h"
#include "plansim_output/labels.h"

const ps_h5_summary *rf_summary(void);
const ps_h5_assumptions *rf_assumptions(void);

#define RF_RUNS 20
#define RF_TIMES 6
#define RF_FAILED_RUN 4 /* its inputs must not count in the ranges */

/* Input j of run r in the file (run RF_FAILED_RUN fails). */
double rf_input(size_t r, size_t j);

/* The fixed values and levers written into the file. */
const ps_h5_meta *rf_meta(void);

/* Writes the ensemble file `path` (summarised when `summarize`). */
ps_status rf_write_h5(const char *path, int summarize, ps_error *err);

/* The same runs described by `meta` (rf_meta() changed). */
ps_status rf_write_h5_meta(const char *path, const ps_h5_meta *meta,
                           int summarize, ps_error *err);

/* The same, with the labels of `labels` stored after the summary (NULL:
   none). */
ps_status rf_write_h5_labelled(const char *path, const ps_h5_meta *meta,
                               int summarize, const ps_labels *labels,
                               ps_error *err);

/* The same, with the sensitivity results `x` (NULL: none) after the
   labels; `meta` NULL is rf_meta(). */
ps_status rf_write_h5_sensitivity(const char *path, const ps_labels *labels,
                                  const ps_h5_sensitivity *x, int summarize,
                                  const ps_h5_meta *meta, ps_error *err);

/* Removes `path` and everything under it. */
void rf_remove_tree(const char *path);

/* Reads the whole file `path` into a new NUL-terminated buffer (*len
   bytes, not counting the NUL); NULL when it cannot be read. */
char *rf_slurp(const char *path, size_t *len);

#endif
