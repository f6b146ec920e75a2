/*
 * Opening input files safely: open with O_NONBLOCK (a FIFO without a
 * writer would otherwise block the open), then fstat the descriptor
 * itself, so what is checked is what is read.
 */
#include "plansim/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

ps_status ps_file_open_regular(const char *path, size_t max_bytes, int *fd,
                               size_t *size, ps_error *err)
{
    *fd = -1;
    if (size)
        *size = 0;
    if (!path || !*path)
        return ps_error_set(err, PS_ERR_NOINPUT, NULL, 0, 0,
                            "no input file named");
    int d = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (d < 0)
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0, "cannot open: %s",
                            strerror(errno));
    struct stat st;
    if (fstat(d, &st) != 0) {
        int e = errno;
        close(d);
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0, "cannot stat: %s",
                            strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(d);
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0,
                            "cannot read: %s, not a regular file",
                            kind_of(st.st_mode));
    }
    if (st.st_size < 0 || (unsigned long long)st.st_size > max_bytes) {
        close(d);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "file too large: %lld bytes (at most %zu)",
                            (long long)st.st_size, max_bytes);
    }
    int flags = fcntl(d, F_GETFL);
    if (flags != -1)
        (void)fcntl(d, F_SETFL, flags & ~O_NONBLOCK);
    *fd = d;
    if (size)
        *size = (size_t)st.st_size;
    return PS_OK;
}

/* read() that retries when interrupted. */
static ssize_t read_some(int fd, char *buf, size_t n)
{
    ssize_t got;
    do
        got = read(fd, buf, n);
    while (got < 0 && errno == EINTR);
    return got;
}

ps_status ps_file_read_regular(const char *path, size_t max_bytes, char **data,
                               size_t *len, ps_error *err)
{
    *data = NULL;
    *len = 0;
    int fd;
    size_t size;
    ps_status st = ps_file_open_regular(path, max_bytes, &fd, &size, err);
    if (st != PS_OK)
        return st;
    /* The file may change size while it is read: read to its end, and
       never keep more than max_bytes. */
    size_t cap = size + 1, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        char extra;
        ssize_t got = n + 1 < cap ? read_some(fd, buf + n, cap - 1 - n)
                                  : read_some(fd, &extra, 1);
        if (got <= 0) {
            if (got < 0) {
                int e = errno;
                free(buf);
                close(fd);
                return ps_error_set(err, PS_ERR_IO, path, 0, 0,
                                    "cannot read: %s", strerror(e));
            }
            break;
        }
        if (n + 1 < cap) {
            n += (size_t)got;
            continue;
        }
        /* the file grew since it was measured */
        if (n + 1 > max_bytes) {
            free(buf);
            close(fd);
            return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                                "file too large: more than %zu bytes",
                                max_bytes);
        }
        size_t ncap = cap > max_bytes / 2 ? max_bytes + 1 : 2 * cap;
        char *b = realloc(buf, ncap);
        if (!b)
            free(buf);
        buf = b;
        cap = ncap;
        if (buf)
            buf[n++] = extra;
    }
    close(fd);
    if (!buf)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0,
                            "out of memory reading the file");
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return PS_OK;
}

int ps_byte_size_parse(const char *text, size_t *out)
{
    if (!text || *text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno == ERANGE)
        return -1;
    static const char suffixes[] = "KMGT";
    const char *s = *end ? strchr(suffixes, *end & ~0x20) : NULL;
    unsigned shift = 0;
    if (s) {
        shift = 10 * (unsigned)(s - suffixes + 1);
        end++;
        if (*end == 'i')
            end++;
        if (*end == 'B')
            end++;
    } else if (*end == 'B') {
        end++;
    }
    if (*end || v == 0 || v > (SIZE_MAX >> shift))
        return -1;
    *out = (size_t)(v << shift);
    return 0;
}

ps_status ps_input_max_bytes(size_t *out, ps_error *err)
{
    const char *env = getenv(PS_INPUT_MAX_ENV);
    *out = PS_INPUT_MAX_BYTES_DEFAULT;
    if (!env || !*env)
        return PS_OK;
    if (ps_byte_size_parse(env, out) != 0) {
        *out = PS_INPUT_MAX_BYTES_DEFAULT;
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "%s='%s' is not a size (a whole number of bytes "
                            "or one with K, M, G or T, e.g. 512M)",
                            PS_INPUT_MAX_ENV, env);
    }
    return PS_OK;
}

/* Adds to a "file too large" message how to raise the limit. */
static ps_status with_limit_hint(ps_status st, ps_error *err)
{
    if (st == PS_ERR_DATA && err) {
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n,
                 "; raise the limit with --max-input-size SIZE or %s",
                 PS_INPUT_MAX_ENV);
    }
    return st;
}

ps_status ps_file_open_input(const char *path, int *fd, size_t *size,
                             ps_error *err)
{
    size_t max;
    ps_status st = ps_input_max_bytes(&max, err);
    if (st != PS_OK) {
        *fd = -1;
        return st;
    }
    return with_limit_hint(ps_file_open_regular(path, max, fd, size, err), err);
}

ps_status ps_file_read_input(const char *path, char **data, size_t *len,
                             ps_error *err)
{
    size_t max;
    ps_status st = ps_input_max_bytes(&max, err);
    if (st != PS_OK) {
        *data = NULL;
        *len = 0;
        return st;
    }
    return with_limit_hint(ps_file_read_regular(path, max, data, len, err),
                           err);
}
