/*
 * HDF5 plumbing: quiet error handling turned into ps_error, property
 * lists with creation order, and attributes the way netCDF-4 and CF want
 * them (short ASCII text fixed-length, human text variable-length UTF-8).
 */
#include "h5_impl.h"

#include "plansim/output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const double h5_quantile_levels[H5_NQUANTILES] = {0.05, 0.10, 0.25, 0.50,
                                                  0.75, 0.90, 0.95};

/* ---- errors ----------------------------------------------------------- */

typedef struct detail {
    char text[256];
    int found;
} detail;

/* Keeps the most specific entry: the first one walking upward. */
static herr_t keep_innermost(unsigned n, const H5E_error2_t *e, void *data)
{
    detail *d = data;
    if (d->found || !e->desc)
        return 0;
    /* File driver errors embed the system's message; prefer it. */
    const char *m = strstr(e->desc, "error message = '");
    if (m) {
        m += strlen("error message = '");
        const char *end = strchr(m, '\'');
        size_t len = end ? (size_t)(end - m) : strlen(m);
        if (len >= sizeof d->text)
            len = sizeof d->text - 1;
        memcpy(d->text, m, len);
        d->text[len] = '\0';
    } else {
        snprintf(d->text, sizeof d->text, "%s", e->desc);
    }
    d->found = 1;
    return 0;
}

/* The silent handler: called by HDF5 when an API call fails, with the
   error stack still intact. */
static herr_t record(hid_t stack, void *data)
{
    char *out = data;
    detail d = {{0}, 0};
    H5Ewalk2(stack, H5E_WALK_UPWARD, keep_innermost, &d);
    if (d.found)
        snprintf(out, sizeof d.text, "%s", d.text);
    return 0;
}

void h5_quiet_begin(h5_quiet *q)
{
    /* Why: when a file cannot be flushed (a full disk), HDF5 1.10 fails to
       close it and leaves a broken file object that makes its exit-time
       cleanup crash the process.  Without that cleanup a failed run ends
       with its own exit code.  Effective only before HDF5's first call in
       the process (this module makes every HDF5 call, and every public
       function starts here); a no-op afterwards. */
    H5dont_atexit();
    errno = 0; /* see h5_fail */
    q->func = NULL;
    q->data = NULL;
    q->detail[0] = '\0';
    H5Eget_auto2(H5E_DEFAULT, &q->func, &q->data);
    H5Eset_auto2(H5E_DEFAULT, record, q->detail);
}

void h5_quiet_end(const h5_quiet *q)
{
    H5Eset_auto2(H5E_DEFAULT, q->func, q->data);
}

ps_status h5_fail(ps_error *err, ps_status status, const char *path,
                  const char *fmt, ...)
{
    char what[512], text[256] = "";
    H5E_auto2_t func = NULL;
    void *data = NULL;
    H5Eget_auto2(H5E_DEFAULT, &func, &data);
    if (func == record && data) {
        snprintf(text, sizeof text, "%s", (char *)data);
        *(char *)data = '\0';
    }
    H5Eclear2(H5E_DEFAULT);
    /* no HDF5 call failed, an allocation of ours did (malloc sets ENOMEM;
       h5_quiet_begin clears errno) */
    int nomem = !text[0] && errno == ENOMEM;
    if (nomem)
        status = PS_ERR_NOMEM;
    if (!err)
        return status;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (nomem)
        return ps_error_set(err, status, path, 0, 0, "%s: out of memory", what);
    if (text[0])
        return ps_error_set(err, status, path, 0, 0, "%s: %s", what, text);
    return ps_error_set(err, status, path, 0, 0, "%s", what);
}

/* ---- property lists ------------------------------------------------------ */

hid_t h5_gcpl(void)
{
    hid_t p = H5Pcreate(H5P_GROUP_CREATE);
    if (p < 0)
        return p;
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_link_creation_order(p, order) < 0 ||
        H5Pset_attr_creation_order(p, order) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

hid_t h5_dcpl(void)
{
    hid_t p = H5Pcreate(H5P_DATASET_CREATE);
    if (p < 0)
        return p;
    if (H5Pset_attr_creation_order(p, H5P_CRT_ORDER_TRACKED |
                                          H5P_CRT_ORDER_INDEXED) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

hid_t h5_dapl_uncached(void)
{
    hid_t p = H5Pcreate(H5P_DATASET_ACCESS);
    if (p < 0)
        return p;
    if (H5Pset_chunk_cache(p, 0, 0, 1.0) < 0) {
        H5Pclose(p);
        return -1;
    }
    return p;
}

/* ---- attributes --------------------------------------------------------- */

/* Writes a new scalar or 1-D attribute of `type` (replacing one of the
   same name, so a summary can be recomputed). */
static int put_attr(hid_t obj, const char *name, hid_t type, hid_t memtype,
                    size_t n, int scalar, const void *buf)
{
    hsize_t dim = n;
    hid_t space =
        scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dim, NULL);
    if (space < 0)
        return -1;
    if (H5Aexists(obj, name) > 0 && H5Adelete(obj, name) < 0) {
        H5Sclose(space);
        return -1;
    }
    hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    int rc = -1;
    if (a >= 0) {
        rc = H5Awrite(a, memtype, buf) < 0 ? -1 : 0;
        H5Aclose(a);
    }
    H5Sclose(space);
    return rc;
}

hid_t h5_vlen_utf8(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return t;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

int h5_attr_text(hid_t obj, const char *name, const char *text)
{
    if (!text)
        return 0;
    hid_t t = h5_vlen_utf8();
    if (t < 0)
        return -1;
    int rc = put_attr(obj, name, t, t, 1, 1, &text);
    H5Tclose(t);
    return rc;
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

/* Fixed-length attributes over 64 KiB fail in the default file format;
   longer text goes variable-length. */
#define FIXED_TEXT_MAX 60000

int h5_attr_short(hid_t obj, const char *name, const char *text)
{
    if (!text)
        return 0;
    size_t len = strlen(text);
    if (!is_ascii(text) || len > FIXED_TEXT_MAX)
        return h5_attr_text(obj, name, text);
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0)
        return -1;
    /* A zero-size string type is invalid: "" is one NUL byte. */
    int rc = -1;
    if (H5Tset_size(t, len ? len : 1) >= 0 &&
        H5Tset_strpad(t, H5T_STR_NULLTERM) >= 0 &&
        H5Tset_cset(t, H5T_CSET_ASCII) >= 0) {
        char *buf = calloc(1, len + 1);
        if (buf) {
            memcpy(buf, text, len);
            rc = put_attr(obj, name, t, t, 1, 1, buf);
            free(buf);
        }
    }
    H5Tclose(t);
    return rc;
}

int h5_attr_text_array(hid_t obj, const char *name, size_t n,
                       const char *const *texts)
{
    const char **v = calloc(n ? n : 1, sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < n; i++)
        v[i] = texts && texts[i] ? texts[i] : "";
    hid_t t = h5_vlen_utf8();
    int rc = t < 0 ? -1 : put_attr(obj, name, t, t, n, 0, v);
    if (t >= 0)
        H5Tclose(t);
    free(v);
    return rc;
}

int h5_attr_double(hid_t obj, const char *name, double v)
{
    return put_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, 1, &v);
}

int h5_attr_int64(hid_t obj, const char *name, int64_t v)
{
    return put_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, 1, 1, &v);
}

int h5_attr_uint64(hid_t obj, const char *name, uint64_t v)
{
    return put_attr(obj, name, H5T_STD_U64LE, H5T_NATIVE_UINT64, 1, 1, &v);
}

int h5_attr_int8s(hid_t obj, const char *name, size_t n, const signed char *v)
{
    return put_attr(obj, name, H5T_STD_I8LE, H5T_NATIVE_SCHAR, n, 0, v);
}

int h5_attr_read_text(hid_t obj, const char *name, char **out)
{
    *out = NULL;
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t ft = H5Aget_type(a);
    hid_t space = H5Aget_space(a);
    int rc = -1;
    if (ft >= 0 && space >= 0 && H5Tget_class(ft) == H5T_STRING &&
        H5Sget_simple_extent_npoints(space) == 1) {
        if (H5Tis_variable_str(ft) > 0) {
            hid_t mt = h5_vlen_utf8();
            char *s = NULL;
            if (mt >= 0 && H5Aread(a, mt, &s) >= 0) {
                *out = strdup(s ? s : "");
                rc = *out ? 0 : -1;
            }
            if (s)
                H5free_memory(s);
            if (mt >= 0)
                H5Tclose(mt);
        } else {
            size_t size = H5Tget_size(ft);
            char *buf = calloc(1, size + 1);
            if (buf && H5Aread(a, ft, buf) >= 0) {
                *out = buf;
                rc = 0;
            } else {
                free(buf);
            }
        }
    }
    if (space >= 0)
        H5Sclose(space);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

int h5_attr_read_text_array(hid_t obj, const char *name, size_t *n,
                            char ***out)
{
    *n = 0;
    *out = NULL;
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    hid_t ft = H5Aget_type(a);
    hid_t space = H5Aget_space(a);
    hid_t mt = h5_vlen_utf8();
    hssize_t count = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    char **raw = NULL, **res = NULL;
    int rc = -1;
    if (ft >= 0 && mt >= 0 && count >= 0 && rank <= 1 &&
        H5Tget_class(ft) == H5T_STRING && H5Tis_variable_str(ft) > 0) {
        size_t m = (size_t)count;
        raw = calloc(m ? m : 1, sizeof *raw);
        res = calloc(m ? m : 1, sizeof *res);
        if (raw && res && (m == 0 || H5Aread(a, mt, raw) >= 0)) {
            rc = 0;
            for (size_t i = 0; i < m; i++) {
                res[i] = strdup(raw[i] ? raw[i] : "");
                if (!res[i])
                    rc = -1;
                if (raw[i])
                    H5free_memory(raw[i]);
            }
            if (rc == 0) {
                *n = m;
                *out = res;
                res = NULL;
            } else {
                h5_free_strings(res, m);
                res = NULL;
            }
        }
    }
    free(raw);
    free(res);
    if (mt >= 0)
        H5Tclose(mt);
    if (space >= 0)
        H5Sclose(space);
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    return rc;
}

/* A scalar attribute read as `type` into out (size bytes), left as it
   was when missing or unreadable. */
static int attr_read_scalar(hid_t obj, const char *name, hid_t type,
                            void *out, size_t size)
{
    if (H5Aexists(obj, name) <= 0)
        return -1;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    if (a < 0)
        return -1;
    unsigned char v[16] = {0};
    int rc = size <= sizeof v && H5Aread(a, type, v) >= 0 ? 0 : -1;
    H5Aclose(a);
    if (rc == 0)
        memcpy(out, v, size);
    return rc;
}

int h5_attr_read_int64(hid_t obj, const char *name, long long *out)
{
    return attr_read_scalar(obj, name, H5T_NATIVE_LLONG, out, sizeof *out);
}

int h5_attr_read_double(hid_t obj, const char *name, double *out)
{
    return attr_read_scalar(obj, name, H5T_NATIVE_DOUBLE, out, sizeof *out);
}

int h5_attr_read_uint64(hid_t obj, const char *name, uint64_t *out)
{
    return attr_read_scalar(obj, name, H5T_NATIVE_UINT64, out, sizeof *out);
}

/* ---- files -------------------------------------------------------------- */

ps_status h5_check_regular(const char *path, ps_error *err)
{
    /* stat, not open: opening a FIFO would wait for a writer. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0,
                            "cannot read: not a regular file");
    return PS_OK;
}

ps_status h5_open_read(const char *path, hid_t *file, ps_error *err)
{
    *file = -1;
    ps_status regular = h5_check_regular(path, err);
    if (regular != PS_OK)
        return regular;
    /* A .partial a killed writer left is still marked open for writing;
       reading it read-only changes nothing on disk. */
    hid_t fapl = H5P_DEFAULT;
    if (h5_is_partial_path(path)) {
        fapl = H5Pcreate(H5P_FILE_ACCESS);
        if (fapl < 0 || h5_fapl_clear_status(fapl) < 0) {
            if (fapl >= 0)
                H5Pclose(fapl);
            return h5_fail(err, PS_ERR_NOMEM, path, "cannot read the file");
        }
    }
    *file = H5Fopen(path, H5F_ACC_RDONLY, fapl);
    if (fapl != H5P_DEFAULT)
        H5Pclose(fapl);
    if (*file >= 0) {
        ps_status st = h5_layout_check(*file, path, err);
        if (st != PS_OK) {
            H5Fclose(*file);
            *file = -1;
        }
        return st;
    }
    /* A file that exists and is readable but has no HDF5 signature is bad
       data (65), not a missing input (66). */
    if (access(path, R_OK) == 0 && H5Fis_hdf5(path) == 0)
        return h5_fail(err, PS_ERR_DATA, path,
                       "not an HDF5 file (not an ensemble file)");
    return h5_fail(err, PS_ERR_NOINPUT, path, "cannot open the ensemble file");
}

/* ---- datasets ----------------------------------------------------------- */

hid_t h5_dataset(hid_t loc, const char *name, hid_t type, int rank,
                 const hsize_t *dims, const void *fill)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) > 0)
        return H5Dopen2(loc, name, H5P_DEFAULT);
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t dcpl = h5_dcpl();
    hid_t d = -1;
    if (space >= 0 && dcpl >= 0 &&
        (!fill || H5Pset_fill_value(dcpl, type, fill) >= 0))
        d = H5Dcreate2(loc, name, type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (space >= 0)
        H5Sclose(space);
    return d;
}

hid_t h5_string_dataset(hid_t loc, const char *name, size_t n,
                        const char *const *texts)
{
    hid_t t = h5_vlen_utf8();
    if (t < 0)
        return -1;
    hsize_t dim = n;
    hid_t d = h5_dataset(loc, name, t, 1, &dim, NULL);
    const char **v = calloc(n ? n : 1, sizeof *v);
    if (d >= 0 && v) {
        for (size_t i = 0; i < n; i++)
            v[i] = texts && texts[i] ? texts[i] : "";
        if (H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) {
            H5Dclose(d);
            d = -1;
        }
    } else if (d >= 0) {
        H5Dclose(d);
        d = -1;
    }
    free(v);
    H5Tclose(t);
    return d;
}

void h5_free_strings(char **s, size_t n)
{
    if (!s)
        return;
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

int h5_read_strings(hid_t loc, const char *name, size_t n, char ***out)
{
    *out = NULL;
    if (h5_length(loc, name) != (long long)n)
        return -1;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    /* The buffer holds n strings: a 2-D dataset n long would overrun it. */
    hid_t space = H5Dget_space(d);
    hssize_t points = space >= 0 ? H5Sget_simple_extent_npoints(space) : -1;
    if (space >= 0)
        H5Sclose(space);
    if (points != (hssize_t)n) {
        H5Dclose(d);
        return -1;
    }
    hid_t mt = h5_vlen_utf8();
    char **raw = calloc(n ? n : 1, sizeof *raw);
    char **res = calloc(n ? n : 1, sizeof *res);
    int rc = -1;
    if (mt >= 0 && raw && res &&
        (n == 0 || H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw) >= 0)) {
        rc = 0;
        for (size_t i = 0; i < n; i++) {
            res[i] = strdup(raw[i] ? raw[i] : "");
            if (!res[i])
                rc = -1;
            if (raw[i])
                H5free_memory(raw[i]);
        }
    }
    free(raw);
    if (mt >= 0)
        H5Tclose(mt);
    H5Dclose(d);
    if (rc < 0) {
        h5_free_strings(res, n);
        return -1;
    }
    *out = res;
    return 0;
}

long long h5_length(hid_t loc, const char *name)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t space = H5Dget_space(d);
    long long len = -1;
    hsize_t dims[2];
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    if (rank >= 1 && rank <= 2 &&
        H5Sget_simple_extent_dims(space, dims, NULL) >= 0)
        len = (long long)dims[0];
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return len;
}

static int slab_io(hid_t d, hid_t memtype, int rank, const hsize_t *start,
                   const hsize_t *count, void *buf, int writing)
{
    hid_t fs = H5Dget_space(d);
    hid_t ms = H5Screate_simple(rank, count, NULL);
    int rc = -1;
    if (fs >= 0 && ms >= 0 &&
        H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, count, NULL) >=
            0 &&
        (writing ? H5Dwrite(d, memtype, ms, fs, H5P_DEFAULT, buf)
                 : H5Dread(d, memtype, ms, fs, H5P_DEFAULT, buf)) >= 0)
        rc = 0;
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    return rc;
}

int h5_slab_write(hid_t d, hid_t memtype, int rank, const hsize_t *start,
                  const hsize_t *count, const void *buf)
{
    return slab_io(d, memtype, rank, start, count, (void *)buf, 1);
}

int h5_slab_read(hid_t d, hid_t memtype, int rank, const hsize_t *start,
                 const hsize_t *count, void *buf)
{
    return slab_io(d, memtype, rank, start, count, buf, 0);
}

int h5_read_all(hid_t loc, const char *name, hid_t memtype, size_t n, void *buf)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0)
        return -1;
    hid_t space = H5Dget_space(d);
    int rc = -1;
    if (space >= 0 && H5Sget_simple_extent_npoints(space) == (hssize_t)n &&
        (n == 0 ||
         H5Dread(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0))
        rc = 0;
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    return rc;
}

long h5_time_index(const double *times, size_t n, double t)
{
    /* Saved times are computed as start + i * saveper: allow rounding. */
    double tol = 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0);
    for (size_t i = 0; i < n; i++)
        if (fabs(times[i] - t) <= tol)
            return (long)i;
    return -1;
}

hid_t h5_fapl_writer(void)
{
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    H5AC_cache_config_t mdc;
    mdc.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    /* STRONG: closing the file closes whatever an error path left open.
       No evictions (which need the cache's automatic resizing off):
       changed metadata then reaches the disk only at H5Fflush, never at
       a moment of the cache's choosing, so a writer killed between two
       flushes leaves the file its last flush described. */
    if (fapl < 0 || H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 ||
        H5Pget_mdc_config(fapl, &mdc) < 0)
        goto fail;
    mdc.evictions_enabled = 0;
    mdc.incr_mode = H5C_incr__off;
    mdc.flash_incr_mode = H5C_flash_incr__off;
    mdc.decr_mode = H5C_decr__off;
    if (H5Pset_mdc_config(fapl, &mdc) < 0)
        goto fail;
    return fapl;
fail:
    if (fapl >= 0)
        H5Pclose(fapl);
    return -1;
}

int h5_fapl_clear_status(hid_t fapl)
{
    hbool_t clear = 1;
    if (H5Pexist(fapl, "clear_status_flags") <= 0)
        return 0; /* a library whose format has no such flags */
    return H5Pset(fapl, "clear_status_flags", &clear) < 0 ? -1 : 0;
}

ps_status h5_create_netcdf_file(const char *partial, const char *path,
                                hid_t *file, ps_error *err)
{
    *file = -1;
    /* Refused before HDF5 sees the name: its exclusive create would still
       open an existing file (or a link's target) to look for it among the
       files it has open. */
    struct stat st;
    if (lstat(partial, &st) == 0)
        return ps_output_partial_exists(partial, PS_OUTPUT_RESUMABLE, err);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    hid_t fapl = h5_fapl_writer();
    unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    hid_t f = -1;
    /* EXCL: open(O_CREAT | O_EXCL), so a file or link made under this
       name since the check above is never truncated or followed.  The
       format of HDF5 1.10 (superblock version 3, version 2 object
       headers, fixed-array chunk indices) carries a checksum on every
       piece of metadata, so readers detect a damaged file instead of
       following a corrupt address; netCDF-C 4.9 and h5py open it.  The
       upper bound keeps the format fixed when the library is newer. */
    if (fcpl >= 0 && fapl >= 0 &&
        H5Pset_link_creation_order(fcpl, order) >= 0 &&
        H5Pset_attr_creation_order(fcpl, order) >= 0 &&
        H5Pset_libver_bounds(fapl, H5F_LIBVER_V110, H5F_LIBVER_V110) >= 0)
        f = H5Fcreate(partial, H5F_ACC_EXCL, fcpl, fapl);
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f < 0) {
        if (lstat(partial, &st) == 0) {
            H5Eclear2(H5E_DEFAULT);
            return ps_output_partial_exists(partial, PS_OUTPUT_RESUMABLE, err);
        }
        return h5_fail(err, PS_ERR_CANTCREAT, path,
                       "cannot create output file");
    }
    *file = f;
    return PS_OK;
}

ps_status h5_create_staged(const char *partial, const char *path,
                           char **staging, hid_t *file, ps_error *err)
{
    *staging = NULL;
    *file = -1;
    struct stat st;
    if (lstat(partial, &st) == 0)
        return ps_output_partial_exists(partial, PS_OUTPUT_RESUMABLE, err);
    size_t size = strlen(partial) + 32;
    char *name = malloc(size);
    if (!name)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    snprintf(name, size, "%s.%ld", partial, (long)getpid());
    ps_status s = h5_create_netcdf_file(name, path, file, err);
    if (s != PS_OK) {
        free(name);
        return s;
    }
    *staging = name;
    return PS_OK;
}

ps_status h5_publish_staged(hid_t file, char **staging, const char *partial,
                            ps_error *err)
{
    ps_status st = PS_OK;
    if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot flush the file");
    else if (link(*staging, partial) != 0)
        st = errno == EEXIST
                 ? ps_output_partial_exists(partial, PS_OUTPUT_RESUMABLE, err)
                 : ps_error_set(err, PS_ERR_CANTCREAT, partial, 0, 0,
                                "cannot create: %s", strerror(errno));
    unlink(*staging);
    free(*staging);
    *staging = NULL;
    return st;
}

static int sync_path(const char *name, int directory)
{
    int fd = open(name, O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0));
    if (fd < 0)
        return errno;
    int e = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    close(fd);
    return e;
}

ps_status h5_commit_file(const char *partial, const char *path,
                         const h5_expected_dataset *expect, size_t nexpect,
                         ps_error *err)
{
    ps_status st = h5_self_check(partial, expect, nexpect, err);
    if (st != PS_OK)
        return st;
    int e = sync_path(partial, 0);
    if (e)
        return ps_error_set(err, PS_ERR_IO, partial, 0, 0,
                            "cannot sync the output file: %s", strerror(e));
    if (rename(partial, path) != 0) {
        e = errno;
        return ps_error_set(err, PS_ERR_IO, path, 0, 0,
                            "cannot rename '%s' to its final name: %s",
                            partial, strerror(e));
    }
    char *dir = ps_output_folder(path);
    if (!dir)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    e = sync_path(dir, 1);
    free(dir);
    if (e)
        return ps_error_set(err, PS_ERR_IO, path, 0, 0,
                            "cannot sync the output directory: %s",
                            strerror(e));
    return PS_OK;
}

char *h5_scenario_text(size_t n, const char *const *names,
                       const char *const *texts)
{
    if (n == 1)
        return strdup(texts && texts[0] ? texts[0] : "");
    size_t size = 1;
    for (size_t i = 0; i < n; i++) {
        const char *name = names ? names[i] : NULL;
        const char *text = texts ? texts[i] : NULL;
        size += strlen(name ? name : "") + strlen(text ? text : "") + 16;
    }
    char *out = malloc(size);
    if (!out)
        return NULL;
    char *p = out;
    for (size_t i = 0; i < n; i++) {
        const char *name = names ? names[i] : NULL;
        const char *text = texts && texts[i] ? texts[i] : "";
        size_t len = strlen(text);
        p += sprintf(p, "--- # %s\n", name ? name : "");
        memcpy(p, text, len);
        p += len;
        if (len && text[len - 1] != '\n')
            *p++ = '\n';
    }
    *p = '\0';
    return out;
}

void ps_h5_lang_texts_free(ps_h5_lang_texts *t)
{
    if (!t)
        return;
    free(t->title_zh);
    free(t->title_en);
    free(t->description_zh);
    free(t->description_en);
    *t = (ps_h5_lang_texts){0};
}

const char *ps_h5_lang_pick(const char *fallback, const char *zh,
                            const char *en, int english)
{
    const char *mine = english ? en : zh, *other = english ? zh : en;
    if (mine && *mine)
        return mine;
    if (other && *other)
        return other;
    return fallback;
}

int h5_read_lang_texts(hid_t obj, ps_h5_lang_texts *t)
{
    const char *names[] = {"title_zh", "title_en", "description_zh",
                           "description_en"};
    char **slots[] = {&t->title_zh, &t->title_en, &t->description_zh,
                      &t->description_en};
    for (int i = 0; i < 4; i++) {
        *slots[i] = NULL;
        if (H5Aexists(obj, names[i]) > 0 &&
            h5_attr_read_text(obj, names[i], slots[i]) < 0)
            return -1;
    }
    return 0;
}

int h5_write_provenance(hid_t f, const h5_provenance *p)
{
    char created[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);

    const char *version = p->engine_version ? p->engine_version : "unknown";
    char source[256];
    snprintf(source, sizeof source, "plansim %s", version);
    const char *cmd = p->command_line ? p->command_line : source;
    size_t hlen = strlen(created) + strlen(cmd) + 8;
    char *history = malloc(hlen);
    char *scenario = p->nscenario_files
                         ? h5_scenario_text(p->nscenario_files,
                                            p->scenario_names,
                                            p->scenario_texts)
                         : NULL;
    int rc = -1;
    if (history && (scenario || !p->nscenario_files)) {
        /* CF: history lines are "<time stamp>: <command>". */
        snprintf(history, hlen, "%s: %s", created, cmd);
        rc = 0;
        /* No CF "Conventions": the layout follows CF where it can
           (units, _FillValue, flags, realization) but does not meet all
           of it (string coordinates, free-text names); what it does
           promise is stated here and in docs/output-format.md. */
        rc |= h5_attr_short(f, "units_convention", H5_UNITS_CONVENTION);
        rc |= h5_attr_text(f, "title", p->title);
        rc |= h5_attr_text(f, "description", p->description);
        rc |= h5_attr_text(f, "title_zh", p->lang.title_zh);
        rc |= h5_attr_text(f, "title_en", p->lang.title_en);
        rc |= h5_attr_text(f, "description_zh", p->lang.description_zh);
        rc |= h5_attr_text(f, "description_en", p->lang.description_en);
        rc |= h5_attr_short(f, "source", source);
        rc |= h5_attr_text(f, "history", history);
        rc |= h5_attr_text(f, "scenario_yaml", scenario);
        if (p->nscenario_files && p->scenario_names)
            rc |= h5_attr_text_array(f, "scenario_files", p->nscenario_files,
                                     p->scenario_names);
        rc |= h5_attr_short(f, "model_file", p->model_file);
        rc |= h5_attr_short(f, "model_sha256", p->model_sha256);
        rc |= h5_attr_uint64(f, "seed", p->seed);
        rc |= h5_attr_short(f, "sampling", p->sampling);
        rc |= h5_attr_short(f, "engine_version", version);
        rc |= h5_attr_short(f, "created", created);
        rc |= h5_attr_text(f, "command_line", p->command_line);
    }
    free(scenario);
    free(history);
    return rc ? -1 : 0;
}
