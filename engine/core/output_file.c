/*
 * Creating output files safely: the .partial is made with O_EXCL (and
 * O_NOFOLLOW, which O_EXCL already implies for a link), so two runs can
 * never write the same file and a planted link is never followed.
 */
#include "plansim/output_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char partial_suffix[] = ".partial";

char *ps_output_partial_name(const char *path)
{
    size_t n = strlen(path);
    char *p = malloc(n + sizeof partial_suffix);
    if (p) {
        memcpy(p, path, n);
        memcpy(p + n, partial_suffix, sizeof partial_suffix);
    }
    return p;
}

char *ps_output_folder(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

ps_status ps_output_partial_exists(const char *partial, int flags,
                                   ps_error *err)
{
    if (flags & PS_OUTPUT_RESUMABLE)
        return ps_error_set(err, PS_ERR_CANTCREAT, partial, 0, 0,
                            "already exists: another run may be writing "
                            "it, or an interrupted run left it; resume it "
                            "with --resume %s, or remove it",
                            partial);
    return ps_error_set(err, PS_ERR_CANTCREAT, partial, 0, 0,
                        "already exists: another run may be writing it, "
                        "or an interrupted run left it; remove it if no "
                        "run is writing it");
}

/* Does `path` name anything, a dangling link included?  1 (2 for a
   folder, which no file can replace), 0, or -1 with errno when it cannot
   be told. */
static int name_taken(const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0)
        return S_ISDIR(st.st_mode) ? 2 : 1;
    return errno == ENOENT ? 0 : -1;
}

ps_status ps_output_check(const char *path, int flags, ps_error *err)
{
    if (!path || !*path)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no output file named");
    int taken = name_taken(path);
    if (taken == 2)
        return ps_error_set(err, PS_ERR_CANTCREAT, path, 0, 0,
                            "is a folder, not a file that can be replaced");
    if (taken > 0 && !(flags & PS_OUTPUT_REPLACE))
        return ps_error_set(err, PS_ERR_CANTCREAT, NULL, 0, 0,
                            "%s exists; --force replaces it", path);
    char *partial = ps_output_partial_name(path);
    if (!partial)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    ps_status st = PS_OK;
    if (name_taken(partial) > 0)
        st = ps_output_partial_exists(partial, flags, err);
    free(partial);
    return st;
}

ps_status ps_output_check_dir(const char *dir, int flags, ps_error *err)
{
    if (!dir || !*dir)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no output folder named");
    if (flags & PS_OUTPUT_REPLACE)
        return PS_OK;
    DIR *d = opendir(dir);
    if (!d) /* missing: made later; not a folder: refused when made */
        return PS_OK;
    int empty = 1;
    struct dirent *e;
    while (empty && (e = readdir(d)) != NULL)
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(d);
    if (!empty)
        return ps_error_set(err, PS_ERR_CANTCREAT, NULL, 0, 0,
                            "%s is not empty; --force writes into it, "
                            "replacing its files",
                            dir);
    return PS_OK;
}

int ps_output_create_partial(const char *partial, int flags, ps_error *err)
{
    int fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0666);
    if (fd >= 0)
        return fd;
    int e = errno;
    if (e == EEXIST || e == ELOOP)
        ps_output_partial_exists(partial, flags, err);
    else
        ps_error_set(err, PS_ERR_CANTCREAT, partial, 0, 0,
                     "cannot create output file: %s", strerror(e));
    return -1;
}

FILE *ps_output_create_partial_stream(const char *partial, int flags,
                                      ps_error *err)
{
    int fd = ps_output_create_partial(partial, flags, err);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(partial);
        ps_error_set(err, e == ENOMEM ? PS_ERR_NOMEM : PS_ERR_CANTCREAT,
                     partial, 0, 0, "cannot create output file: %s",
                     strerror(e));
    }
    return f;
}
