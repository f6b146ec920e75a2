/*
 * plansim: opening input files safely.
 *
 * An input named by a user (a data file beside a model) must be a regular
 * file of bounded size: a FIFO or a device must neither block the reader
 * nor be read, and a huge file must be refused before it is read.
 */
#ifndef PLANSIM_FILE_H
#define PLANSIM_FILE_H

#include <stddef.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Opens `path` read-only without blocking (O_NONBLOCK, so opening a FIFO
 * returns at once) and checks through the open descriptor that it is a
 * regular file of at most max_bytes bytes.  On success *fd is a blocking
 * descriptor at offset 0, close-on-exec, which the caller closes, and
 * *size (may be NULL) is the file's size.  On failure *fd is -1 and `err`
 * names the file: PS_ERR_NOINPUT when it cannot be opened or is not a
 * regular file (a directory, FIFO, device or socket), PS_ERR_DATA when it
 * is larger than max_bytes.
 */
ps_status ps_file_open_regular(const char *path, size_t max_bytes, int *fd,
                               size_t *size, ps_error *err);

/*
 * Reads the whole regular file `path` (as ps_file_open_regular() checks
 * it) into a new buffer with a NUL after the last byte: *data (owned by
 * the caller, free()) and *len bytes.  Errors as ps_file_open_regular(),
 * plus PS_ERR_IO when reading fails and PS_ERR_NOMEM.  On failure *data
 * is NULL and *len 0.
 */
ps_status ps_file_read_regular(const char *path, size_t max_bytes, char **data,
                               size_t *len, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
