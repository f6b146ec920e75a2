/*
 * plansim: creating output files safely.
 *
 * Every file plansim writes is made as NAME.partial and renamed to NAME
 * when whole.  The .partial is created exclusively: an existing file or
 * symbolic link under that name (another run writing it, an interrupted
 * run's leftovers, a link planted by someone else) is never truncated or
 * followed, and the run is refused instead.  An existing NAME is replaced
 * only when the caller says so (the command's --force).
 */
#ifndef PLANSIM_OUTPUT_FILE_H
#define PLANSIM_OUTPUT_FILE_H

#include <stdio.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a caller allows for an output's names (bits). */
enum {
    PS_OUTPUT_REPLACE = 1,  /* an existing final file may be replaced */
    PS_OUTPUT_RESUMABLE = 2 /* its command has --resume: say so */
};

/* "path.partial" as a new string (caller frees); NULL on no memory. */
char *ps_output_partial_name(const char *path);

/* The folder that holds `path` ("." for a bare name, "/" for a name at
   the root) as a new string (caller frees); NULL on no memory. */
char *ps_output_folder(const char *path);

/*
 * The refusal of a .partial that already exists: PS_ERR_CANTCREAT naming
 * `partial`, saying that another run may be writing it or an interrupted
 * run left it, and what to do (with PS_OUTPUT_RESUMABLE in `flags`, that
 * --resume continues it).  Returns PS_ERR_CANTCREAT.
 */
ps_status ps_output_partial_exists(const char *partial, int flags,
                                   ps_error *err);

/*
 * Checks, before any work starts, that `path` can be written: refuses
 * with PS_ERR_CANTCREAT when `path` exists (as a file, a link or anything
 * else) and `flags` lacks PS_OUTPUT_REPLACE ("PATH exists; --force
 * replaces it"), when `path` is a folder (which no file replaces), or
 * when path.partial exists (as ps_output_partial_exists()).  PS_OK
 * otherwise; PS_ERR_NOMEM.
 */
ps_status ps_output_check(const char *path, int flags, ps_error *err);

/*
 * As ps_output_check() for a folder of outputs (a report): refuses with
 * PS_ERR_CANTCREAT when `dir` exists and holds anything, unless `flags`
 * has PS_OUTPUT_REPLACE ("DIR is not empty; --force writes into it").  A
 * missing folder, or an empty one, is fine.  Each file in it is then
 * still created as its own .partial.
 */
ps_status ps_output_check_dir(const char *dir, int flags, ps_error *err);

/*
 * Creates `partial` as a new, empty file for writing, with
 * open(O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666): an
 * existing file or link under that name, even a dangling one, is left
 * untouched.  Returns the descriptor (the caller closes it), or -1 with
 * `err` set to PS_ERR_CANTCREAT: ps_output_partial_exists() when the name
 * is taken, the system's reason otherwise.
 */
int ps_output_create_partial(const char *partial, int flags, ps_error *err);

/* As ps_output_create_partial(), as a stdio stream open for binary
   writing ("wb"); the caller fcloses it.  NULL with `err` set. */
FILE *ps_output_create_partial_stream(const char *partial, int flags,
                                      ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
