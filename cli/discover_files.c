/*
 * plansim discover --output DIR: the report as discovery.md and the
 * trajectory, the boxes' limits and the factor ranking as trajectory.csv,
 * box.csv and factors.csv, each written whole or not at all
 * (ps_out_file).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "discover_cli.h"
#include "plansim_output/out_file.h"

/* mkdir -p.  0, or -1 with errno set. */
static int make_dir(const char *dir)
{
    char *p = strdup(dir);
    if (!p)
        return -1;
    int rc = 0;
    for (char *s = p + 1; rc == 0; s++) {
        int end = *s == '\0';
        if (*s == '/' || end) {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                rc = -1;
            if (end)
                break;
            *s = '/';
        }
    }
    struct stat sb;
    if (rc == 0 && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
        errno = ENOTDIR;
        rc = -1;
    }
    free(p);
    return rc;
}

/* One file of the output folder: the Markdown report, or a table. */
typedef struct folder_file {
    const char *name;
    int report;
    disc_table table; /* when not the report */
} folder_file;

/* Writes one file of the output folder.  PS_OK or a failure in err. */
static ps_status write_one(const disc_run *r, const char *dir,
                           const folder_file *file, ps_error *err)
{
    size_t len = strlen(dir) + strlen(file->name) + 2;
    char *path = malloc(len);
    if (!path)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    snprintf(path, len, "%s/%s", dir, file->name);
    ps_out_file *f = NULL;
    ps_status st = ps_out_file_open(path, &f, err);
    if (st != PS_OK) {
        free(path);
        return st;
    }
    FILE *out = ps_out_file_stream(f);
    int rc = file->report ? disc_print_report(out, r, 1)
                          : disc_print_table_csv(out, r, file->table);
    if (rc < 0) {
        ps_out_file_discard(&f);
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    } else {
        st = ps_out_file_commit(&f, err);
    }
    free(path);
    return st;
}

int disc_write_files(const disc_run *r, const char *dir)
{
    ps_error err;
    if (make_dir(dir) != 0) {
        ps_error_set(&err, PS_ERR_CANTCREAT, dir, 0, 0,
                     "cannot create the folder: %s", strerror(errno));
        return cli_fail(&err);
    }
    static const folder_file files[] = {
        {"discovery.md", 1, DISC_TRAJECTORY},
        {"trajectory.csv", 0, DISC_TRAJECTORY},
        {"box.csv", 0, DISC_BOX},
        {"factors.csv", 0, DISC_FACTORS},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (write_one(r, dir, &files[i], &err) != PS_OK)
            return cli_fail(&err);
    return 0;
}
