/*
 * plansim output: files that appear complete or not at all.
 *
 * An output file is written as "NAME.partial" and renamed to NAME only
 * after everything was written, flushed and synced.  A run that fails or
 * is killed half-way never leaves a half file under the final name, and
 * opening the file first lets a command report an uncreatable path before
 * it spends time computing.
 */
#ifndef PLANSIM_OUTPUT_OUT_FILE_H
#define PLANSIM_OUTPUT_OUT_FILE_H

#include <stdio.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_out_file ps_out_file;

/*
 * Creates "path.partial" for writing, exclusively (as
 * ps_output_create_partial(): an existing file or link under that name is
 * refused, never truncated or followed).  On success *out is a new handle
 * owned by the caller, to be ended by exactly one of ps_out_file_commit()
 * or ps_out_file_discard().  PS_ERR_CANTCREAT when the file cannot be
 * created (the message names the .partial file and the reason).
 */
ps_status ps_out_file_open(const char *path, ps_out_file **out, ps_error *err);

/* The stream to write to; owned by the handle (do not fclose it). */
FILE *ps_out_file_stream(ps_out_file *f);

/*
 * Flushes, syncs and closes the partial file, checks that it holds every
 * byte written, and renames it to its final name.  On failure (PS_ERR_IO,
 * naming the final path and the reason) the partial file is removed.  Frees the
 * handle and sets *f to NULL either way.
 */
ps_status ps_out_file_commit(ps_out_file **f, ps_error *err);

/* Closes and removes the partial file; frees the handle and sets *f to
   NULL.  NULL (or *f NULL) is allowed. */
void ps_out_file_discard(ps_out_file **f);

#ifdef __cplusplus
}
#endif
#endif
