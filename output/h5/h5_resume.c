/*
 * Reopening an interrupted ensemble's .partial file to finish it: the
 * file is opened safely (a regular file, no symbolic link), its recorded
 * settings are checked against the command's, and the runs it holds are
 * read from run_status.
 */
#include "h5_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Global attributes that differ between any two runs of the same
   settings: not compared. */
static int is_volatile_attr(const char *name)
{
    return strcmp(name, "history") == 0 || strcmp(name, "created") == 0 ||
           strcmp(name, "command_line") == 0 || strcmp(name, "n_runs") == 0;
}

ps_status h5_resume_open(const char *partial, hid_t *file, ps_error *err)
{
    *file = -1;
    int fd = open(partial, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT)
            return ps_error_set(err, PS_ERR_NOINPUT, partial, 0, 0,
                                "no such file to resume");
        if (e == ELOOP)
            return ps_error_set(err, PS_ERR_DATA, partial, 0, 0,
                                "is a symbolic link: refused (resume the "
                                "file itself)");
        return ps_error_set(err, PS_ERR_NOINPUT, partial, 0, 0,
                            "cannot open: %s", strerror(e));
    }
    struct stat before;
    if (fstat(fd, &before) != 0 || !S_ISREG(before.st_mode)) {
        close(fd);
        return ps_error_set(err, PS_ERR_DATA, partial, 0, 0,
                            "is not a regular file");
    }
    /* A writer killed outright leaves the file marked "open for write"
       (the format's status flags), which HDF5 refuses unless told to
       clear them. */
    hid_t fapl = h5_fapl_writer();
    if (fapl >= 0 && h5_fapl_clear_status(fapl) < 0) {
        H5Pclose(fapl);
        fapl = -1;
    }
    hid_t f = fapl >= 0 ? H5Fopen(partial, H5F_ACC_RDWR, fapl) : -1;
    if (fapl >= 0)
        H5Pclose(fapl);
    ps_status st = PS_OK;
    if (f < 0)
        st = h5_fail(err, PS_ERR_DATA, partial,
                     "cannot be opened as a plansim file (damaged, or not "
                     "written by plansim)");
    /* The name could have been replaced between open and H5Fopen. */
    void *handle = NULL;
    struct stat after;
    if (st == PS_OK &&
        (H5Fget_vfd_handle(f, H5P_DEFAULT, &handle) < 0 || !handle ||
         fstat(*(int *)handle, &after) != 0 || after.st_dev != before.st_dev ||
         after.st_ino != before.st_ino))
        st = ps_error_set(err, PS_ERR_DATA, partial, 0, 0,
                          "was replaced while being opened: refused");
    if (st == PS_OK)
        st = h5_layout_check(f, partial, err);
    close(fd);
    if (st != PS_OK) {
        if (f >= 0)
            H5Fclose(f);
        return st;
    }
    *file = f;
    return PS_OK;
}

/* An attribute's value as text (strings as they are, numbers printed), a
   new string; NULL when it cannot be read. */
static char *attr_text(hid_t obj, const char *name)
{
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return NULL;
    hid_t type = H5Aget_type(a);
    hid_t space = H5Aget_space(a);
    H5T_class_t cls = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    hssize_t n = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    char *out = NULL;
    if (cls == H5T_STRING && n == 1) {
        h5_attr_read_text(obj, name, &out);
    } else if (cls == H5T_STRING && n > 1) {
        size_t k = 0;
        char **v = NULL;
        if (h5_attr_read_text_array(obj, name, &k, &v) == 0) {
            size_t len = 1;
            for (size_t i = 0; i < k; i++)
                len += strlen(v[i]) + 2;
            if ((out = malloc(len)) != NULL) {
                out[0] = '\0';
                for (size_t i = 0; i < k; i++) {
                    if (i)
                        strcat(out, ", ");
                    strcat(out, v[i]);
                }
            }
            h5_free_strings(v, k);
        }
    } else if ((cls == H5T_INTEGER || cls == H5T_FLOAT) && n >= 1 && n <= 64) {
        int is_float = cls == H5T_FLOAT;
        int is_signed = !is_float && H5Tget_sign(type) == H5T_SGN_2;
        union {
            double d[64];
            long long i[64];
            unsigned long long u[64];
        } v;
        hid_t mem = is_float    ? H5T_NATIVE_DOUBLE
                    : is_signed ? H5T_NATIVE_LLONG
                                : H5T_NATIVE_ULLONG;
        if (H5Aread(a, mem, &v) >= 0 &&
            (out = malloc((size_t)n * 32)) != NULL) {
            char *p = out;
            for (hssize_t i = 0; i < n; i++)
                p += is_float    ? sprintf(p, "%s%.17g", i ? ", " : "", v.d[i])
                     : is_signed ? sprintf(p, "%s%lld", i ? ", " : "", v.i[i])
                                 : sprintf(p, "%s%llu", i ? ", " : "", v.u[i]);
        }
    }
    if (space >= 0)
        H5Sclose(space);
    if (type >= 0)
        H5Tclose(type);
    H5Aclose(a);
    return out;
}

/* The 1-based line where texts a and b first differ. */
static size_t first_line_differing(const char *a, const char *b)
{
    size_t line = 1;
    while (*a && *a == *b) {
        line += *a == '\n';
        a++;
        b++;
    }
    return line;
}

typedef struct compare_ctx {
    hid_t other;    /* the file the attributes are looked up in */
    int mine_first; /* iterating the command's settings         */
    const char *partial;
    ps_error *err;
    ps_status st;
    const char *const *ignore; /* more names not compared, NULL-ended */
} compare_ctx;

static int is_ignored(const compare_ctx *c, const char *name)
{
    if (is_volatile_attr(name))
        return 1;
    for (const char *const *i = c->ignore; i && *i; i++)
        if (strcmp(*i, name) == 0)
            return 1;
    return 0;
}

/* Sets the error for attribute `name`, whose texts are `file` (the
   .partial's) and `cmd` (this command's); either may be NULL (absent). */
static void differs(compare_ctx *c, const char *name, const char *file,
                    const char *cmd)
{
    const char *hint = "resume with the settings of the run that made it";
    if (!file || !cmd)
        c->st = ps_error_set(c->err, PS_ERR_DATA, c->partial, 0, 0,
                             "the file was written %s '%s' and this command "
                             "%s: %s",
                             file ? "with" : "without", name,
                             file ? "has none" : "has one", hint);
    else if (strlen(file) + strlen(cmd) < 80 && !strchr(file, '\n') &&
             !strchr(cmd, '\n'))
        c->st = ps_error_set(c->err, PS_ERR_DATA, c->partial, 0, 0,
                             "the file's %s is %s, this command's is %s: %s",
                             name, file, cmd, hint);
    else
        c->st = ps_error_set(c->err, PS_ERR_DATA, c->partial, 0, 0,
                             "the file's %s differs from this command's "
                             "(first at line %zu): %s",
                             name, first_line_differing(file, cmd), hint);
}

static herr_t compare_attr(hid_t obj, const char *name, const H5A_info_t *info,
                           void *data)
{
    (void)info;
    compare_ctx *c = data;
    if (is_ignored(c, name))
        return 0;
    char *here = attr_text(obj, name);
    char *there =
        H5Aexists(c->other, name) > 0 ? attr_text(c->other, name) : NULL;
    const char *mine = c->mine_first ? here : there;
    const char *file = c->mine_first ? there : here;
    int same = here && there && strcmp(here, there) == 0;
    if (!same)
        differs(c, name, file, mine);
    free(here);
    free(there);
    return same ? 0 : 1;
}

ps_status h5_resume_compare(hid_t file, const char *partial,
                            h5_settings_writer write, const void *ctx,
                            ps_error *err)
{
    return h5_resume_compare_except(file, partial, write, ctx, NULL, err);
}

ps_status h5_resume_compare_except(hid_t file, const char *partial,
                                   h5_settings_writer write, const void *ctx,
                                   const char *const *ignore, ps_error *err)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t mem = -1;
    if (fapl >= 0 && H5Pset_fapl_core(fapl, 64 * 1024, 0) >= 0)
        mem = H5Fcreate("plansim-resume-settings", H5F_ACC_TRUNC, H5P_DEFAULT,
                        fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (mem < 0)
        return h5_fail(err, PS_ERR_NOMEM, partial,
                       "cannot make the settings to compare");
    ps_status st = write(mem, ctx, err);
    compare_ctx c = {file, 1, partial, err, PS_OK, ignore};
    hsize_t at = 0;
    if (st == PS_OK)
        H5Aiterate2(mem, H5_INDEX_NAME, H5_ITER_INC, &at, compare_attr, &c);
    if (st == PS_OK && c.st == PS_OK) {
        c = (compare_ctx){mem, 0, partial, err, PS_OK, ignore};
        at = 0;
        H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_INC, &at, compare_attr, &c);
    }
    H5Fclose(mem);
    return st != PS_OK ? st : c.st;
}

typedef struct meta_writer {
    ps_h5_sink *sink;
    const ps_h5_meta *meta;
} meta_writer;

/* The ensemble's settings (h5_write_meta) written into `mem`. */
static ps_status write_meta_into(hid_t mem, const void *ctx, ps_error *err)
{
    const meta_writer *w = ctx;
    ps_h5_sink *s = w->sink;
    hid_t file = s->file;
    s->file = mem;
    ps_status st = h5_write_meta(s, w->meta, err);
    if (s->param_scale >= 0)
        H5Dclose(s->param_scale);
    s->param_scale = -1;
    s->file = file;
    return st;
}

/* Reads which runs the file holds (run_status not pending); a file
   killed before its datasets were made holds none. */
static ps_status read_done(ps_h5_sink *s, size_t nruns, ps_error *err)
{
    long long n_runs;
    if (H5Aexists(s->file, "n_runs") > 0 &&
        h5_attr_read_int64(s->file, "n_runs", &n_runs) == 0 &&
        (n_runs < 0 || (size_t)n_runs != nruns))
        return ps_error_set(err, PS_ERR_DATA, s->partial, 0, 0,
                            "the file is an ensemble of %lld runs, this "
                            "command asks for %zu: resume with --runs %lld",
                            n_runs, nruns, n_runs);
    if (H5Lexists(s->file, H5N_RUN_STATUS, H5P_DEFAULT) <= 0)
        return PS_OK;
    if (h5_length(s->file, H5N_RUN_STATUS) != (long long)nruns)
        return ps_error_set(err, PS_ERR_DATA, s->partial, 0, 0,
                            "run_status does not hold %zu runs", nruns);
    s->written = malloc(nruns ? nruns : 1);
    if (!s->written)
        return ps_error_set(err, PS_ERR_NOMEM, s->partial, 0, 0,
                            "out of memory");
    if (h5_read_all(s->file, H5N_RUN_STATUS, H5T_NATIVE_UCHAR, nruns,
                    s->written) < 0)
        return h5_fail(err, PS_ERR_DATA, s->partial, "cannot read run_status");
    for (size_t r = 0; r < nruns; r++)
        s->written[r] = s->written[r] != PS_RUN_PENDING;
    return PS_OK;
}

static ps_status sink_resume(const char *path, const ps_h5_meta *meta,
                             const ps_h5_options *opts, size_t nruns,
                             ps_h5_sink **out, ps_error *err)
{
    ps_h5_sink *s = h5_sink_make(path, meta, opts, err);
    if (!s)
        return err ? err->status : PS_ERR_USAGE;
    ps_status st = h5_resume_open(s->partial, &s->file, err);
    meta_writer w = {s, meta};
    if (st == PS_OK)
        st = h5_resume_compare(s->file, s->partial, write_meta_into, &w, err);
    if (st == PS_OK)
        st = read_done(s, nruns, err);
    if (st != PS_OK) {
        if (s->file >= 0)
            H5Fclose(s->file);
        h5_sink_discard(s);
        return st;
    }
    s->resume = 1;
    *out = s;
    return PS_OK;
}

ps_status ps_h5_sink_resume(const char *path, const ps_h5_meta *meta,
                            const ps_h5_options *opts, size_t nruns,
                            ps_h5_sink **out, ps_error *err)
{
    *out = NULL;
    if (!path || !meta)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no path or no description for the output file");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = sink_resume(path, meta, opts, nruns, out, err);
    h5_quiet_end(&q);
    return st;
}

const unsigned char *ps_h5_sink_done(const ps_h5_sink *sink)
{
    return sink->written;
}

/* Opens dataset `name` and checks its first dimensions: n0 (and n1 when
   not 0).  A negative id when it is missing or of another shape. */
static hid_t open_shaped(hid_t file, const char *name, hsize_t n0, hsize_t n1)
{
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t space = H5Dget_space(d);
    hsize_t dims[H5S_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
    if (space >= 0)
        H5Sclose(space);
    if (rank < 1 || dims[0] != n0 || (n1 && (rank < 2 || dims[1] != n1))) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

ps_status h5_resume_datasets(ps_h5_sink *s, const ps_ensemble_layout *lay,
                             ps_error *err)
{
    hsize_t nr = lay->nruns, nt = lay->ntimes;
    const char *bad = NULL;
    if ((s->run_scale = open_shaped(s->file, H5N_RUN, nr, 0)) < 0)
        bad = H5N_RUN;
    else if ((s->time_scale = open_shaped(s->file, H5N_TIME, nt, 0)) < 0)
        bad = H5N_TIME;
    else if ((s->run_status = open_shaped(s->file, H5N_RUN_STATUS, nr, 0)) < 0)
        bad = H5N_RUN_STATUS;
    else if (s->ninputs && (s->param_value = open_shaped(
                                s->file, H5N_PARAM_VALUE, nr, s->ninputs)) < 0)
        bad = H5N_PARAM_VALUE;
    for (size_t v = 0; !bad && v < s->nvars; v++)
        if ((s->vars[v] = open_shaped(s->file, s->names[v], nr, nt)) < 0)
            bad = s->names[v];
    if (bad)
        return ps_error_set(err, PS_ERR_DATA, s->partial, 0, 0,
                            "dataset '%s' is missing or not of the shape "
                            "this command writes",
                            bad);
    double *times = malloc(lay->ntimes * sizeof *times);
    if (!times)
        return ps_error_set(err, PS_ERR_NOMEM, s->partial, 0, 0,
                            "out of memory");
    int same = H5Dread(s->time_scale, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                       H5P_DEFAULT, times) >= 0 &&
               memcmp(times, lay->times, lay->ntimes * sizeof *times) == 0;
    free(times);
    if (!same)
        return ps_error_set(err, PS_ERR_DATA, s->partial, 0, 0,
                            "the file's saved times differ from this "
                            "command's");
    /* Chunks of the file's size, so that each is still written whole (a
       scalar variable's chunks hold k runs). */
    size_t v = 0;
    while (v < s->nvars && s->vndims[v] > 0)
        v++;
    if (v < s->nvars) {
        hid_t dcpl = H5Dget_create_plist(s->vars[v]);
        hsize_t chunk[2 + H5_MAX_RANGES];
        if (dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CHUNKED &&
            H5Pget_chunk(dcpl, 2 + H5_MAX_RANGES, chunk) >= 2 && chunk[0] > 0)
            s->k = (size_t)chunk[0];
        if (dcpl >= 0)
            H5Pclose(dcpl);
    }
    return PS_OK;
}

/* Reads rows [first, first + n) of dataset d (rank dims, all of every
   other axis) into buf in the dataset's order. */
static int read_rows(hid_t d, hid_t memtype, size_t first, size_t n, void *buf)
{
    hid_t fs = H5Dget_space(d);
    hsize_t start[H5S_MAX_RANK] = {0}, count[H5S_MAX_RANK];
    int rank = fs >= 0 ? H5Sget_simple_extent_dims(fs, count, NULL) : -1;
    if (fs >= 0)
        H5Sclose(fs);
    if (rank < 1)
        return -1;
    start[0] = first;
    count[0] = n;
    return h5_slab_read(d, memtype, rank, start, count, buf);
}

ps_status ps_h5_sink_read_runs(ps_h5_sink *s, size_t first, size_t count,
                               unsigned char *status, double *values,
                               double *inputs, ps_error *err)
{
    if (!s->begun || first > s->nruns || count > s->nruns - first)
        return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                            "runs %zu-%zu cannot be read back", first,
                            first + count - 1);
    size_t most = 1;
    for (size_t v = 0; v < s->nvars; v++)
        most = s->size[v] > most ? s->size[v] : most;
    double *buf = malloc(count * s->ntimes * most * sizeof *buf);
    if (!buf)
        return ps_error_set(err, PS_ERR_NOMEM, s->partial, 0, 0,
                            "out of memory");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = PS_OK;
    if (read_rows(s->run_status, H5T_NATIVE_UCHAR, first, count, status) < 0 ||
        (s->ninputs && read_rows(s->param_value, H5T_NATIVE_DOUBLE, first,
                                 count, inputs) < 0))
        st = h5_fail(err, PS_ERR_DATA, s->partial,
                     "cannot read back runs %zu-%zu", first, first + count - 1);
    for (size_t v = 0; st == PS_OK && v < s->nvars; v++) {
        if (read_rows(s->vars[v], H5T_NATIVE_DOUBLE, first, count, buf) < 0) {
            st = h5_fail(err, PS_ERR_DATA, s->partial,
                         "cannot read back runs %zu-%zu of '%s'", first,
                         first + count - 1, s->names[v]);
            break;
        }
        /* (run, time, element) in the file; element-major series of
           ntimes values in the layout */
        size_t k = s->size[v];
        for (size_t r = 0; r < count; r++)
            for (size_t e = 0; e < k; e++)
                for (size_t t = 0; t < s->ntimes; t++)
                    values[((r * s->nseries) + s->voff[v] + e) * s->ntimes +
                           t] = buf[(r * s->ntimes + t) * k + e];
    }
    h5_quiet_end(&q);
    free(buf);
    return st;
}
