/*
 * Output files written as NAME.partial and renamed into place when whole.
 */
#include "plansim_output/out_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ps_out_file {
    char *path;    /* final name                */
    char *partial; /* path + ".partial"         */
    FILE *fp;
};

static const char partial_suffix[] = ".partial";

ps_status ps_out_file_open(const char *path, ps_out_file **out, ps_error *err)
{
    *out = NULL;
    ps_out_file *f = calloc(1, sizeof *f);
    size_t n = strlen(path);
    if (f) {
        f->path = strdup(path);
        f->partial = malloc(n + sizeof partial_suffix);
    }
    if (!f || !f->path || !f->partial) {
        ps_out_file_discard(&f);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    memcpy(f->partial, path, n);
    memcpy(f->partial + n, partial_suffix, sizeof partial_suffix);
    f->fp = fopen(f->partial, "wb");
    if (!f->fp) {
        int e = errno;
        ps_out_file_discard(&f);
        return ps_error_set(err, PS_ERR_CANTCREAT, path, 0, 0,
                            "cannot create output file: %s", strerror(e));
    }
    *out = f;
    return PS_OK;
}

FILE *ps_out_file_stream(ps_out_file *f)
{
    return f->fp;
}

ps_status ps_out_file_commit(ps_out_file **fp, ps_error *err)
{
    ps_out_file *f = *fp;
    int e = 0;
    if (fflush(f->fp) != 0 || ferror(f->fp))
        e = errno ? errno : EIO;
    /* Sync before the rename: otherwise a crash right after it can leave
       the final name pointing at an empty or truncated file. */
    if (!e && fsync(fileno(f->fp)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(f->fp) != 0 && !e)
        e = errno ? errno : EIO;
    f->fp = NULL;
    if (!e && rename(f->partial, f->path) != 0)
        e = errno;
    if (e) {
        ps_error_set(err, PS_ERR_IO, f->path, 0, 0,
                     "cannot write output file: %s", strerror(e));
        ps_out_file_discard(fp);
        return PS_ERR_IO;
    }
    free(f->partial);
    free(f->path);
    free(f);
    *fp = NULL;
    return PS_OK;
}

void ps_out_file_discard(ps_out_file **fp)
{
    if (!fp || !*fp)
        return;
    ps_out_file *f = *fp;
    if (f->fp)
        fclose(f->fp);
    if (f->partial && f->path)
        remove(f->partial);
    free(f->partial);
    free(f->path);
    free(f);
    *fp = NULL;
}
