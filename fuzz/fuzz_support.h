/*
 * What the fuzz harnesses share: a private temporary folder for the files
 * the readers under test open by path, and the model the scenario
 * harnesses check their scenarios against.
 *
 * libFuzzer calls LLVMFuzzerTestOneInput many times in one process and
 * gives the harness no context argument, so the folder is created once
 * and remembered for the life of the process (removed at exit).
 */
#ifndef PLANSIM_FUZZ_SUPPORT_H
#define PLANSIM_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/model.h"

/* The process's temporary folder (created on the first call, in $TMPDIR
   or /tmp, removed with its files at exit).  Aborts when it cannot be
   created: a harness without it would test nothing. */
const char *fuzz_tmp_dir(void);

/* Writes data[0..size) to the file `name` of fuzz_tmp_dir(), replacing
   it, and returns its path (a static buffer, valid until the next call).
   Aborts when writing fails. */
const char *fuzz_tmp_write(const char *name, const void *data, size_t size);

/* The small model of the scenario harnesses, as .mdl text: stocks,
   auxiliaries, a subscripted stock over `chain`, a lookup and the time
   settings 2020..2025 by 0.25 saved every year. */
extern const char fuzz_model_text[];

/* A new model parsed from fuzz_model_text (the caller frees it); aborts
   when it does not parse. */
ps_model *fuzz_model_new(void);

#endif
