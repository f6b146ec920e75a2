/*
 * The conformance rule of the SDXorg/test-models suite: how a simulated
 * series is judged against a tool's expected output.
 */
#ifndef PLANSIM_STUDY_CONFORM_H
#define PLANSIM_STUDY_CONFORM_H

#include <stddef.h>

#include "plansim/series.h"

/*
 * Non-zero when `simulated` passes for `expected`, exactly as the suite's
 * regression-test.py decides: both within 1e-6 of zero, or close by
 * Python's isclose(expected, simulated, rel_tol=1e-4) in its "weak" form
 * (|e - s| <= 1e-4 * max(|e|, |s|)).  Equal values always pass; an
 * infinity only matches itself; NaN matches nothing.
 */
int ps_conform_close(double expected, double simulated);

/*
 * As ps_conform_close, also passing when `simulated` lies within
 * `resolution` of `expected`: half a unit in the last digit the reference
 * was written with (the reference 0.03214 stands for anything that rounds
 * to it).  Reference files rounded to a few decimals would otherwise fail
 * a correct engine on small values.
 */
int ps_conform_close_within(double expected, double simulated,
                            double resolution);

/*
 * Non-zero for the columns the suite ignores: saveper, initial_time,
 * final_time and time_step (any Vensim spelling).
 */
int ps_conform_ignored(const char *name);

/*
 * Compares `simulated` with `expected`; `resolution` (may be NULL) holds
 * the precision each expected value was written with
 * (ps_table_read_file_resolution).  Columns match by Vensim name
 * (case-insensitive, spaces and underscores alike), rows by time within a
 * millionth of the simulated saving interval; empty expected cells and
 * ignored columns are skipped.  Returns 0 when everything passes, 1 on a
 * failure (msg then tells the first one: a column the model lacks, a time
 * it did not save, or the first value out of tolerance, scanning by time
 * then by column), -1 when memory runs out.
 */
int ps_conform_compare(const ps_series *expected, const ps_series *resolution,
                       const ps_series *simulated, char *msg, size_t size);

#endif
