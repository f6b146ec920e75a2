/*
 * Probability surfaces of `plansim sweep`: target probabilities over a
 * grid of lever values, one netCDF dimension per lever.
 *
 *   dimensions:  target, <lever 1>, ..., <lever k>
 *   coordinates: target(target) (with its definition in target_*),
 *                <lever i>(<lever i>) the grid values
 *   data:        probability, ci_low, ci_high, hits, runs
 *                    (target, <lever 1>, ..., <lever k>)
 *                failed(<lever 1>, ..., <lever k>)
 *                point_done(<lever 1>, ..., <lever k>): 1 once the
 *                    point's results are written, fill value 0
 *
 * The file is made as "path.partial" before the first grid point runs;
 * each point's results are written as it finishes, its done flag after
 * them, and the file is flushed at a bounded interval, so that an
 * interrupted sweep leaves a .partial that --resume finishes.
 */
#include "h5_sink.h" /* h5_now */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "plansim/output_file.h"

/* Names this layout uses; a lever's dataset name avoids them. */
static const char *const layout_names[] = {
    H5N_TARGET,       "target_label", "target_variable", "target_time",
    "target_compare", "target_lo",    "target_hi",       "target_binding",
    "probability",    "ci_low",       "ci_high",         "hits",
    "runs",           "failed",       "point_done",
};

static int name_taken(const char *name, char *const *earlier, size_t n)
{
    for (size_t i = 0; i < sizeof layout_names / sizeof *layout_names; i++)
        if (strcmp(name, layout_names[i]) == 0)
            return 1;
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, earlier[i]) == 0)
            return 1;
    return 0;
}

/* The axes' dataset names: the ensemble file's rule (h5_dataset_names),
   then "_2", "_3", ... while a name is one the layout uses. */
static char **axis_names(const ps_h5_sweep *s)
{
    const char **model = calloc(s->naxes, sizeof *model);
    if (!model)
        return NULL;
    for (size_t i = 0; i < s->naxes; i++)
        model[i] = s->axes[i].name;
    char **names = h5_dataset_names(s->naxes, model);
    free(model);
    for (size_t i = 0; names && i < s->naxes; i++) {
        if (!name_taken(names[i], names, i))
            continue;
        size_t size = strlen(names[i]) + 24;
        char *alt = malloc(size);
        if (!alt) {
            h5_free_strings(names, s->naxes);
            return NULL;
        }
        for (size_t k = 2;; k++) {
            snprintf(alt, size, "%s_%zu", names[i], k);
            if (!name_taken(alt, names, i))
                break;
        }
        free(names[i]);
        names[i] = alt;
    }
    return names;
}

static ps_status check_sweep(const ps_h5_sweep *s, size_t *points,
                             ps_error *err)
{
    if (s->naxes == 0 || !s->axes || s->ntargets == 0 || !s->targets)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "a sweep needs at least one lever and one target");
    if (!s->hits || !s->counted || !s->probability || !s->ci_low || !s->ci_high)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "a sweep without its results");
    if (s->naxes + 1 > H5S_MAX_RANK)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "%zu levers: at most %d", s->naxes,
                            H5S_MAX_RANK - 1);
    size_t n = 1;
    for (size_t i = 0; i < s->naxes; i++) {
        const ps_h5_sweep_axis *a = &s->axes[i];
        if (!a->name || a->n == 0 || !a->values)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "lever %zu has no name or no values", i + 1);
        if (a->n > SIZE_MAX / n / s->ntargets)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "the grid is too large");
        n *= a->n;
    }
    for (size_t i = 0; i < s->ntargets; i++)
        if (!s->targets[i].name)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "target %zu has no name", i + 1);
    *points = n;
    return PS_OK;
}

static int write_globals(hid_t f, const ps_h5_sweep *s)
{
    h5_provenance p = {s->title,          s->description,    s->nscenario_files,
                       s->scenario_names, s->scenario_texts, s->model_file,
                       s->model_sha256,   s->seed,           s->sampling,
                       s->engine_version, s->command_line,   s->lang};
    const char **levers = calloc(s->naxes ? s->naxes : 1, sizeof *levers);
    if (!levers || h5_write_provenance(f, &p) < 0) {
        free(levers);
        return -1;
    }
    for (size_t i = 0; i < s->naxes; i++)
        levers[i] = s->axes[i].name;
    int rc = 0;
    rc |= h5_attr_short(f, "plansim_file", "sweep");
    rc |= h5_attr_text(
        f, "scenario",
        s->nscenario_files && s->scenario_names ? s->scenario_names[0] : NULL);
    rc |= h5_attr_uint64(f, "runs", s->runs);
    rc |= h5_attr_text_array(f, "levers", s->naxes, levers);
    free(levers);
    return rc ? -1 : 0;
}

/* Creates the axes' coordinates; scales[i] stays open for attaching. */
static int write_axes(hid_t f, const ps_h5_sweep *s, char **names,
                      hid_t *scales, const h5_udunits *u)
{
    double nan = NAN;
    for (size_t i = 0; i < s->naxes; i++) {
        const ps_h5_sweep_axis *a = &s->axes[i];
        hsize_t dim = a->n;
        hid_t d = h5_dataset(f, names[i], H5T_IEEE_F64LE, 1, &dim, &nan);
        scales[i] = d;
        if (d < 0 ||
            H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                     a->values) < 0 ||
            H5DSset_scale(d, names[i]) < 0 ||
            h5_attr_text(d, "long_name", a->label ? a->label : a->name) < 0 ||
            h5_attr_text(d, "model_name", a->name) < 0 ||
            h5_attr_units(d, u, a->units) < 0 ||
            h5_attr_short(d, "lever_kind", a->kind) < 0)
            return -1;
    }
    return 0;
}

/* The `target` coordinate and the targets' definitions; *scale stays
   open for attaching. */
static int write_targets(hid_t f, const ps_h5_sweep *s, hid_t *scale)
{
    return h5_write_target_defs(f, s->ntargets, s->targets, 0, NULL, NULL,
                                scale);
}

/* One result dataset over (target,) axes...; `with_target` says whether
   the target dimension comes first. */
static int write_result(hid_t f, const ps_h5_sweep *s, hid_t target_scale,
                        const hid_t *scales, int with_target, const char *name,
                        int is_double, const void *v, const char *long_name,
                        const char *units)
{
    hsize_t dims[H5S_MAX_RANK];
    int rank = 0;
    if (with_target)
        dims[rank++] = s->ntargets;
    for (size_t i = 0; i < s->naxes; i++)
        dims[rank++] = s->axes[i].n;
    double nan = NAN;
    long long zero = 0;
    hid_t type = is_double ? H5T_IEEE_F64LE : H5T_STD_I64LE;
    hid_t d = h5_dataset(f, name, type, rank, dims,
                         is_double ? (const void *)&nan : (const void *)&zero);
    if (d < 0)
        return -1;
    int rc = (v && H5Dwrite(d, is_double ? H5T_NATIVE_DOUBLE : H5T_NATIVE_LLONG,
                            H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0) ||
                     h5_attr_text(d, "long_name", long_name) < 0 ||
                     h5_attr_short(d, "units", units) < 0 ||
                     (is_double && h5_attr_double(d, "_FillValue", NAN) < 0)
                 ? -1
                 : 0;
    unsigned k = 0;
    if (rc == 0 && with_target && H5DSattach_scale(d, target_scale, k++) < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < s->naxes; i++)
        if (H5DSattach_scale(d, scales[i], k++) < 0)
            rc = -1;
    H5Dclose(d);
    return rc;
}

/* The result datasets, holding their fill values (NaN, 0): "not done". */
static int write_results(hid_t f, const ps_h5_sweep *s, hid_t target_scale,
                         const hid_t *scales)
{
    ps_h5_sweep e = *s;
    e.probability = e.ci_low = e.ci_high = NULL;
    e.hits = e.counted = NULL;
    s = &e;
    if (write_result(
            f, s, target_scale, scales, 1, "probability", 1, s->probability,
            "probability of meeting the target (hits / runs)", "1") < 0 ||
        write_result(f, s, target_scale, scales, 1, "ci_low", 1, s->ci_low,
                     "lower end of the 95 % Wilson interval of the "
                     "probability",
                     "1") < 0 ||
        write_result(f, s, target_scale, scales, 1, "ci_high", 1, s->ci_high,
                     "upper end of the 95 % Wilson interval of the "
                     "probability",
                     "1") < 0 ||
        write_result(f, s, target_scale, scales, 1, "hits", 0, s->hits,
                     "runs that met the target", NULL) < 0 ||
        write_result(f, s, target_scale, scales, 1, "runs", 0, s->counted,
                     "runs that ended with a finite value of the target's "
                     "variable",
                     NULL) < 0)
        return -1;
    if (write_result(f, s, target_scale, scales, 0, "failed", 0, NULL,
                     "runs that failed (left out of the probabilities)",
                     NULL) < 0)
        return -1;
    /* written after a point's results: 1 says they are all there */
    hsize_t dims[H5S_MAX_RANK];
    for (size_t i = 0; i < s->naxes; i++)
        dims[i] = s->axes[i].n;
    unsigned char not_done = 0;
    hid_t d = h5_dataset(f, "point_done", H5T_STD_U8LE, (int)s->naxes, dims,
                         &not_done);
    int rc = d < 0 || h5_attr_text(d, "long_name",
                                   "1 when the grid point's results are "
                                   "written, 0 when it has not run yet") < 0
                 ? -1
                 : 0;
    for (size_t i = 0; rc == 0 && i < s->naxes; i++)
        if (H5DSattach_scale(d, scales[i], (unsigned)i) < 0)
            rc = -1;
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

struct ps_h5_sweep_file {
    const ps_h5_sweep *s;
    char *path, *partial;
    hid_t file;
    size_t npoints;
    unsigned char *done; /* [npoints] */
    double flush_seconds, last_flush;
};

static void sweep_file_free(ps_h5_sweep_file *w)
{
    if (w->file >= 0)
        H5Fclose(w->file);
    free(w->path);
    free(w->partial);
    free(w->done);
    free(w);
}

/* Makes the new file: provenance, levers, targets, and the results with
   their fill values. */
static ps_status create_file(ps_h5_sweep_file *w, ps_error *err)
{
    const ps_h5_sweep *s = w->s;
    char **names = axis_names(s);
    hid_t *scales = malloc(s->naxes * sizeof *scales);
    if (!names || !scales) {
        if (names)
            h5_free_strings(names, s->naxes);
        free(scales);
        return ps_error_set(err, PS_ERR_NOMEM, w->path, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < s->naxes; i++)
        scales[i] = -1;
    hid_t target_scale = -1;
    h5_udunits *u = h5_udunits_open();
    /* laid out under a staging name, then named: a kill never leaves a
       .partial that does not open */
    char *staging = NULL;
    ps_status st =
        h5_create_staged(w->partial, w->path, &staging, &w->file, err);
    const char *partial = w->partial;
    if (st != PS_OK)
        w->file = -1;
    else if (write_globals(w->file, s) < 0)
        st = h5_fail(err, PS_ERR_IO, partial,
                     "cannot write the global attributes");
    else if (write_axes(w->file, s, names, scales, u) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot write the levers");
    else if (write_targets(w->file, s, &target_scale) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot write the targets");
    else if (write_results(w->file, s, target_scale, scales) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot write the results");
    for (size_t i = 0; i < s->naxes; i++)
        if (scales[i] >= 0)
            H5Dclose(scales[i]);
    if (target_scale >= 0)
        H5Dclose(target_scale);
    if (st == PS_OK)
        st = h5_publish_staged(w->file, &staging, partial, err);
    if (st != PS_OK && w->file >= 0) {
        H5Fclose(w->file);
        w->file = -1;
    }
    if (staging)
        unlink(staging);
    free(staging);
    h5_udunits_close(u);
    h5_free_strings(names, s->naxes);
    free(scales);
    return st;
}

static ps_status write_settings(hid_t mem, const void *ctx, ps_error *err)
{
    const ps_h5_sweep *s = ctx;
    if (write_globals(mem, s) < 0)
        return h5_fail(err, PS_ERR_NOMEM, NULL,
                       "cannot make the settings to compare");
    return PS_OK;
}

/* Is dataset `name` of dimensions (target,) axes...? */
static int shaped(hid_t f, const ps_h5_sweep *s, const char *name,
                  int with_target)
{
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    if (d < 0)
        return 0;
    hid_t space = H5Dget_space(d);
    hsize_t dims[H5S_MAX_RANK];
    int rank = space >= 0 ? H5Sget_simple_extent_dims(space, dims, NULL) : -1;
    if (space >= 0)
        H5Sclose(space);
    H5Dclose(d);
    int k = 0;
    if (rank != (int)s->naxes + (with_target ? 1 : 0))
        return 0;
    if (with_target && dims[k++] != s->ntargets)
        return 0;
    for (size_t i = 0; i < s->naxes; i++)
        if (dims[k++] != s->axes[i].n)
            return 0;
    return 1;
}

/* Checks what the global attributes do not say: the grid's values and
   the targets. */
static ps_status check_grid(ps_h5_sweep_file *w, ps_error *err)
{
    const ps_h5_sweep *s = w->s;
    static const char *const with_target[] = {"probability", "ci_low",
                                              "ci_high", "hits", "runs"};
    for (size_t i = 0; i < sizeof with_target / sizeof *with_target; i++)
        if (!shaped(w->file, s, with_target[i], 1))
            return ps_error_set(err, PS_ERR_DATA, w->partial, 0, 0,
                                "dataset '%s' is missing or not of the grid "
                                "and targets this command sweeps: resume "
                                "with the settings of the sweep that made it",
                                with_target[i]);
    if (!shaped(w->file, s, "failed", 0) ||
        !shaped(w->file, s, "point_done", 0))
        return ps_error_set(err, PS_ERR_DATA, w->partial, 0, 0,
                            "the file's grid is not this command's, or it "
                            "has no point_done: resume with the settings of "
                            "the sweep that made it");
    char **names = axis_names(s);
    double *v = NULL;
    ps_status st =
        names ? PS_OK
              : ps_error_set(err, PS_ERR_NOMEM, w->path, 0, 0, "out of memory");
    for (size_t i = 0; st == PS_OK && i < s->naxes; i++) {
        free(v);
        v = malloc(s->axes[i].n * sizeof *v);
        if (!v)
            st =
                ps_error_set(err, PS_ERR_NOMEM, w->path, 0, 0, "out of memory");
        else if (h5_read_all(w->file, names[i], H5T_NATIVE_DOUBLE, s->axes[i].n,
                             v) < 0 ||
                 memcmp(v, s->axes[i].values, s->axes[i].n * sizeof *v) != 0)
            st = ps_error_set(err, PS_ERR_DATA, w->partial, 0, 0,
                              "the file's values of %s differ from this "
                              "command's --vary: resume with the settings of "
                              "the sweep that made it",
                              s->axes[i].name);
    }
    free(v);
    if (names)
        h5_free_strings(names, s->naxes);
    char **targets = NULL;
    if (st == PS_OK &&
        h5_read_strings(w->file, H5N_TARGET, s->ntargets, &targets) < 0)
        st = h5_fail(err, PS_ERR_DATA, w->partial, "cannot read the targets");
    for (size_t k = 0; st == PS_OK && k < s->ntargets; k++)
        if (strcmp(targets[k], s->targets[k].name) != 0)
            st = ps_error_set(err, PS_ERR_DATA, w->partial, 0, 0,
                              "the file's target %zu is %s, this command's "
                              "is %s: resume with the settings of the sweep "
                              "that made it",
                              k + 1, targets[k], s->targets[k].name);
    if (targets)
        h5_free_strings(targets, s->ntargets);
    return st;
}

static ps_status reopen_file(ps_h5_sweep_file *w, ps_error *err)
{
    ps_status st = h5_resume_open(w->partial, &w->file, err);
    if (st == PS_OK)
        st = h5_resume_compare(w->file, w->partial, write_settings, w->s, err);
    if (st == PS_OK)
        st = check_grid(w, err);
    if (st == PS_OK && h5_read_all(w->file, "point_done", H5T_NATIVE_UCHAR,
                                   w->npoints, w->done) < 0)
        st = h5_fail(err, PS_ERR_DATA, w->partial, "cannot read point_done");
    return st;
}

ps_status ps_h5_sweep_begin(const char *path, const ps_h5_sweep *sweep,
                            int resume, double flush_seconds,
                            ps_h5_sweep_file **out, ps_error *err)
{
    *out = NULL;
    if (!path || !sweep)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no path or no sweep to write");
    size_t points = 0;
    ps_status st = check_sweep(sweep, &points, err);
    if (st != PS_OK)
        return st;
    ps_h5_sweep_file *w = calloc(1, sizeof *w);
    if (!w)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    *w = (ps_h5_sweep_file){sweep,
                            strdup(path),
                            ps_output_partial_name(path),
                            -1,
                            points,
                            calloc(points, 1),
                            flush_seconds > 0 ? flush_seconds
                                              : PS_H5_FLUSH_SECONDS,
                            0};
    if (!w->path || !w->partial || !w->done) {
        sweep_file_free(w);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    h5_quiet q;
    h5_quiet_begin(&q);
    st = resume ? reopen_file(w, err) : create_file(w, err);
    h5_quiet_end(&q);
    if (st != PS_OK) {
        /* create_file closed and removed what it made; a resumed file is
           the user's and stays */
        if (w->file >= 0)
            H5Fclose(w->file);
        w->file = -1;
        sweep_file_free(w);
        return st;
    }
    for (size_t i = 0; i < points; i++)
        w->done[i] = w->done[i] != 0;
    w->last_flush = h5_now();
    *out = w;
    return PS_OK;
}

const unsigned char *ps_h5_sweep_done(const ps_h5_sweep_file *w)
{
    return w->done;
}

ps_status ps_h5_sweep_read_back(ps_h5_sweep_file *w, long long *hits,
                                long long *counted, double *probability,
                                double *ci_low, double *ci_high,
                                long long *failed, ps_error *err)
{
    size_t n = w->s->ntargets * w->npoints;
    h5_quiet q;
    h5_quiet_begin(&q);
    int bad =
        h5_read_all(w->file, "hits", H5T_NATIVE_LLONG, n, hits) < 0 ||
        h5_read_all(w->file, "runs", H5T_NATIVE_LLONG, n, counted) < 0 ||
        h5_read_all(w->file, "probability", H5T_NATIVE_DOUBLE, n, probability) <
            0 ||
        h5_read_all(w->file, "ci_low", H5T_NATIVE_DOUBLE, n, ci_low) < 0 ||
        h5_read_all(w->file, "ci_high", H5T_NATIVE_DOUBLE, n, ci_high) < 0 ||
        h5_read_all(w->file, "failed", H5T_NATIVE_LLONG, w->npoints, failed) <
            0;
    ps_status st = bad ? h5_fail(err, PS_ERR_DATA, w->partial,
                                 "cannot read back the finished points")
                       : PS_OK;
    h5_quiet_end(&q);
    return st;
}

/* Writes `buf` (ntargets values, or one) at grid point `coord` of the
   dataset `name`. */
static int write_at(hid_t f, const ps_h5_sweep *s, const char *name,
                    int with_target, hid_t memtype, const hsize_t *coord,
                    const void *buf)
{
    hsize_t start[H5S_MAX_RANK], count[H5S_MAX_RANK];
    int rank = 0;
    if (with_target) {
        start[0] = 0;
        count[0] = s->ntargets;
        rank = 1;
    }
    for (size_t i = 0; i < s->naxes; i++) {
        start[rank] = coord[i];
        count[rank++] = 1;
    }
    hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
    int rc = d >= 0 ? h5_slab_write(d, memtype, rank, start, count, buf) : -1;
    if (d >= 0)
        H5Dclose(d);
    return rc;
}

/* Point pt's values of a target-major array, one per target. */
static void gather(const ps_h5_sweep *s, size_t npoints, size_t pt, size_t size,
                   const void *from, void *to)
{
    for (size_t k = 0; k < s->ntargets; k++)
        memcpy((char *)to + k * size,
               (const char *)from + (k * npoints + pt) * size, size);
}

static ps_status put_point(ps_h5_sweep_file *w, size_t pt, double *dbuf,
                           long long *ibuf, ps_error *err)
{
    const ps_h5_sweep *s = w->s;
    hsize_t coord[H5S_MAX_RANK];
    size_t rest = pt;
    for (size_t i = s->naxes; i-- > 0;) {
        coord[i] = rest % s->axes[i].n;
        rest /= s->axes[i].n;
    }
    struct {
        const char *name;
        const void *v;
        int is_double;
    } const data[] = {
        {"probability", s->probability, 1},
        {"ci_low", s->ci_low, 1},
        {"ci_high", s->ci_high, 1},
        {"hits", s->hits, 0},
        {"runs", s->counted, 0},
    };
    hid_t f = w->file;
    for (size_t i = 0; i < sizeof data / sizeof *data; i++) {
        void *buf = data[i].is_double ? (void *)dbuf : (void *)ibuf;
        gather(s, w->npoints, pt,
               data[i].is_double ? sizeof(double) : sizeof(long long),
               data[i].v, buf);
        if (write_at(f, s, data[i].name, 1,
                     data[i].is_double ? H5T_NATIVE_DOUBLE : H5T_NATIVE_LLONG,
                     coord, buf) < 0)
            return h5_fail(err, PS_ERR_IO, w->partial,
                           "cannot write grid point %zu", pt + 1);
    }
    long long none = 0;
    unsigned char one = 1;
    if (write_at(f, s, "failed", 0, H5T_NATIVE_LLONG, coord,
                 s->failed ? &s->failed[pt] : &none) < 0 ||
        write_at(f, s, "point_done", 0, H5T_NATIVE_UCHAR, coord, &one) < 0)
        return h5_fail(err, PS_ERR_IO, w->partial,
                       "cannot write grid point %zu", pt + 1);
    w->done[pt] = 1;
    if (h5_now() - w->last_flush >= w->flush_seconds) {
        if (H5Fflush(f, H5F_SCOPE_GLOBAL) < 0)
            return h5_fail(err, PS_ERR_IO, w->partial, "cannot flush the file");
        w->last_flush = h5_now();
    }
    return PS_OK;
}

ps_status ps_h5_sweep_put(ps_h5_sweep_file *w, size_t point, ps_error *err)
{
    if (point >= w->npoints)
        return ps_error_set(err, PS_ERR_INTERNAL, w->partial, 0, 0,
                            "no grid point %zu", point + 1);
    double *dbuf = malloc(w->s->ntargets * sizeof *dbuf);
    long long *ibuf = malloc(w->s->ntargets * sizeof *ibuf);
    ps_status st = PS_OK;
    if (!dbuf || !ibuf) {
        st = ps_error_set(err, PS_ERR_NOMEM, w->partial, 0, 0, "out of memory");
    } else {
        h5_quiet q;
        h5_quiet_begin(&q);
        st = put_point(w, point, dbuf, ibuf, err);
        h5_quiet_end(&q);
    }
    free(dbuf);
    free(ibuf);
    return st;
}

ps_status ps_h5_sweep_finish(ps_h5_sweep_file **file, ps_error *err)
{
    ps_h5_sweep_file *w = *file;
    *file = NULL;
    ps_status st = PS_OK;
    for (size_t i = 0; i < w->npoints && st == PS_OK; i++)
        if (!w->done[i])
            st = ps_error_set(err, PS_ERR_INTERNAL, w->partial, 0, 0,
                              "grid point %zu was not written", i + 1);
    h5_quiet q;
    h5_quiet_begin(&q);
    if (H5Fclose(w->file) < 0 && st == PS_OK)
        st = h5_fail(err, PS_ERR_IO, w->partial, "cannot close the file");
    w->file = -1;
    const ps_h5_sweep *s = w->s;
    const h5_expected_dataset expect[] = {
        {"probability", 1 + (int)s->naxes, {s->ntargets, 0}, 0},
        {"runs", 1 + (int)s->naxes, {s->ntargets, 0}, 0},
    };
    if (st == PS_OK)
        st = h5_commit_file(w->partial, w->path, expect,
                            sizeof expect / sizeof *expect, err);
    h5_quiet_end(&q);
    sweep_file_free(w);
    return st;
}

void ps_h5_sweep_abandon(ps_h5_sweep_file **file)
{
    ps_h5_sweep_file *w = *file;
    *file = NULL;
    if (!w)
        return;
    h5_quiet q;
    h5_quiet_begin(&q);
    H5Fflush(w->file, H5F_SCOPE_GLOBAL);
    sweep_file_free(w);
    h5_quiet_end(&q);
}

ps_status ps_h5_sweep_write(const char *path, const ps_h5_sweep *sweep,
                            ps_error *err)
{
    ps_h5_sweep_file *w = NULL;
    ps_status st = ps_h5_sweep_begin(path, sweep, 0, 0, &w, err);
    for (size_t pt = 0; st == PS_OK && pt < w->npoints; pt++)
        st = ps_h5_sweep_put(w, pt, err);
    if (st == PS_OK)
        return ps_h5_sweep_finish(&w, err);
    if (w)
        ps_h5_sweep_abandon(&w);
    return st;
}
