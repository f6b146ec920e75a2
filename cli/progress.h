/*
 * A progress bar on stderr for long runs: runs done, rate and time left,
 * redrawn at most a few times a second, and only when stderr is a
 * terminal (CI logs and batch jobs get nothing).
 */
#ifndef PLANSIM_CLI_PROGRESS_H
#define PLANSIM_CLI_PROGRESS_H

#include <stddef.h>

#include "plansim_study/run.h"

typedef struct progress_bar {
    int want; /* with progress_for_study: draw when the study begins */
    int enabled;
    size_t total;
    double start; /* monotonic seconds */
    double last_draw;
} progress_bar;

/* Starts a bar for `total` runs; draws nothing unless `want` is set and
   stderr is a terminal (and TERM is not "dumb"). */
void progress_begin(progress_bar *bar, int want, size_t total);

/* Ensemble progress callback: ctx is the progress_bar. */
void progress_update(size_t done, size_t total, void *ctx);

/* For work counted in stages, not runs: redraws the bar filled to
   `fraction` (NaN: no bar) with `what` and the time so far. */
void progress_stage(progress_bar *bar, double fraction, const char *what);

/* Clears the bar's line. */
void progress_end(progress_bar *bar);

/* A study's progress drawn on `bar` (ctx): begun when the study begins
   (progress_begin with `want`), its runs or stages drawn, cleared when it
   ends.  bar must outlive the study's work. */
study_progress progress_for_study(progress_bar *bar, int want);

#endif
