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

/* The largest input file (model, scenario, labels, observed or external
   data) read when the user sets no other limit: 256 MiB. */
#define PS_INPUT_MAX_BYTES_DEFAULT ((size_t)256 << 20)

/* The environment variable that sets the input limit (a size as
   ps_byte_size_parse() reads it); `plansim --max-input-size` sets it. */
#define PS_INPUT_MAX_ENV "PLANSIM_MAX_INPUT_SIZE"

/*
 * Reads a size in bytes: a whole number with an optional binary suffix K,
 * M, G or T (KiB, MiB, GiB, TiB; lower case too, a trailing "B" or "iB"
 * allowed), e.g. "1048576", "64M", "1GiB".  Returns 0 with *out set, or
 * -1 when text is not such a size, is 0, or does not fit in a size_t.
 */
int ps_byte_size_parse(const char *text, size_t *out);

/*
 * The input limit in force: PS_INPUT_MAX_ENV when it is set (and
 * valid), else PS_INPUT_MAX_BYTES_DEFAULT.  Returns PS_OK with *out set,
 * or PS_ERR_USAGE when the variable holds no valid size (err says so).
 */
ps_status ps_input_max_bytes(size_t *out, ps_error *err);

/*
 * As ps_file_open_regular() and ps_file_read_regular(), with the input
 * limit in force (ps_input_max_bytes()); a file over it is refused with
 * PS_ERR_DATA and a message that says how to raise the limit.
 */
ps_status ps_file_open_input(const char *path, int *fd, size_t *size,
                             ps_error *err);
ps_status ps_file_read_input(const char *path, char **data, size_t *len,
                             ps_error *err);

/*
 * Where text[0..len) stops being UTF-8 text: the offset of its first NUL
 * byte or of the first byte that starts no valid UTF-8 sequence, or len
 * when there is none.  *why (may be NULL) then says which, in words.
 */
size_t ps_text_invalid_at(const char *text, size_t len, const char **why);

/*
 * Refuses text[0..len) of file `path` that is not UTF-8 text: PS_OK, or
 * PS_ERR_DATA with the file, the 1-based line and column (in characters)
 * of the first NUL or invalid byte, and what is wrong with it.
 */
ps_status ps_text_check(const char *path, const char *text, size_t len,
                        ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
