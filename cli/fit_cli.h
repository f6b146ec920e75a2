/*
 * plansim fit, the printing behind the command (cmd_fit.c; the observed
 * table is the fit study's, plansim_study/fit.h):
 *
 *   fit_print.c     the fits as aligned text, Markdown or CSV, and the
 *                   notes behind n/a cells and left-out zeros
 */
#ifndef PLANSIM_CLI_FIT_H
#define PLANSIM_CLI_FIT_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/fit.h"
#include "plansim/instance.h"
#include "plansim/program.h"
#include "plansim/series.h"
#include "plansim/status.h"
#include "plansim_study/fit.h"

typedef enum fit_format { FIT_TABLE, FIT_MD, FIT_CSV, FIT_JSON } fit_format;

/* ---- printing ----------------------------------------------------------- */

/*
 * Prints `fits` (one per column of `o`, in order) on standard output in
 * format `fmt`, then the notes behind n/a cells and left-out zeros (on
 * standard error for CSV, so that standard output stays one table; in
 * the document for JSON).  `observed` names the observed file (NULL: a
 * scenario's series).  PS_ERR_IO when standard output cannot be written.
 */
ps_status fit_print(fit_format fmt, const char *observed, const ps_series *o,
                    const ps_fit *fits, ps_error *err);

#endif
