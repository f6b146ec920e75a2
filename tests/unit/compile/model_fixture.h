/*
 * Test support: compile a model written inline and run it.
 */
#ifndef MODEL_FIXTURE_H
#define MODEL_FIXTURE_H

#include "plansim/program.h"
#include "plansim/series.h"
#include "plansim/sim.h"

/* Control section appended by the helpers below: t = 0..final, step dt. */
#define CONTROL(final, dt)                                                   \
    "INITIAL TIME = 0 ~ Year ~ |\n"                                          \
    "FINAL TIME = " #final " ~ Year ~ |\n"                                   \
    "TIME STEP = " #dt " ~ Year ~ |\n"                                       \
    "SAVEPER = TIME STEP ~ Year ~ |\n"

/* Parses and compiles `text`; fails the test on any error. */
ps_program *compile_text(const char *text);

/* Parses and compiles `text`, expecting failure: returns the status and
   fills *err. */
ps_status compile_error(const char *text, ps_error *err);

/* Compiles and simulates `text` with `method` (NULL: Euler); fails the test
   on any error.  The caller frees the series. */
ps_series *run_text(const char *text, const char *method);

/* Value of column `name` at saved time t (fails the test if absent). */
double value_at(const ps_series *s, const char *name, double t);

#endif
