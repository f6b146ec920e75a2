/*
 * Output files written as NAME.partial and renamed into place when whole.
 */
#include "plansim_output/out_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plansim/output_file.h"

struct ps_out_file {
    char *path;    /* final name                */
    char *partial; /* path + ".partial"         */
    FILE *fp;
};

ps_status ps_out_file_open(const char *path, ps_out_file **out, ps_error *err)
{
    *out = NULL;
    ps_out_file *f = calloc(1, sizeof *f);
    if (f) {
        f->path = strdup(path);
        f->partial = ps_output_partial_name(path);
    }
    if (!f || !f->path || !f->partial) {
        ps_out_file_discard(&f);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    f->fp = ps_output_create_partial_stream(f->partial, 0, err);
    if (!f->fp) {
        /* Not ours: an existing .partial must stay as it is. */
        free(f->partial);
        f->partial = NULL;
        ps_out_file_discard(&f);
        return err ? err->status : PS_ERR_CANTCREAT;
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
    /* The file's own check: what is on disk is every byte written. */
    struct stat st;
    long written = e ? -1 : ftell(f->fp);
    if (!e && (written < 0 || fstat(fileno(f->fp), &st) != 0))
        e = errno ? errno : EIO;
    else if (!e && st.st_size != (off_t)written)
        e = EIO;
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
