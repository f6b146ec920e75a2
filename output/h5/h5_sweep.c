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
 */
#include "h5_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Names this layout uses; a lever's dataset name avoids them. */
static const char *const layout_names[] = {
    H5N_TARGET,       "target_label", "target_variable", "target_time",
    "target_compare", "target_lo",    "target_hi",       "target_binding",
    "probability",    "ci_low",       "ci_high",         "hits",
    "runs",           "failed",
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
    int rc = H5Dwrite(d, is_double ? H5T_NATIVE_DOUBLE : H5T_NATIVE_LLONG,
                      H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
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

static int write_results(hid_t f, const ps_h5_sweep *s, hid_t target_scale,
                         const hid_t *scales)
{
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
    if (s->failed &&
        write_result(f, s, target_scale, scales, 0, "failed", 0, s->failed,
                     "runs that failed (left out of the probabilities)",
                     NULL) < 0)
        return -1;
    return 0;
}

/* fsync of a file or directory by name; EINVAL (not syncable) is fine. */
static ps_status write_file(const char *path, const char *partial,
                            const void *ctx, ps_error *err)
{
    const ps_h5_sweep *s = ctx;
    char **names = axis_names(s);
    hid_t *scales = malloc(s->naxes * sizeof *scales);
    if (!names || !scales) {
        if (names)
            h5_free_strings(names, s->naxes);
        free(scales);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < s->naxes; i++)
        scales[i] = -1;
    hid_t target_scale = -1;
    ps_status st = PS_OK;
    h5_udunits *u = h5_udunits_open();
    hid_t f;
    st = h5_create_netcdf_file(partial, path, &f, err);
    if (st != PS_OK)
        goto done;
    if (write_globals(f, s) < 0)
        st = h5_fail(err, PS_ERR_IO, partial,
                     "cannot write the global attributes");
    else if (write_axes(f, s, names, scales, u) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot write the levers");
    else if (write_targets(f, s, &target_scale) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot write the targets");
    else if (write_results(f, s, target_scale, scales) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot write the probabilities");
    for (size_t i = 0; i < s->naxes; i++)
        if (scales[i] >= 0)
            H5Dclose(scales[i]);
    if (target_scale >= 0)
        H5Dclose(target_scale);
    if (H5Fclose(f) < 0 && st == PS_OK)
        st = h5_fail(err, PS_ERR_IO, partial, "cannot close the file");
    const h5_expected_dataset expect[] = {
        {"probability", 1 + (int)s->naxes, {s->ntargets, 0}, 0},
        {"runs", 1 + (int)s->naxes, {s->ntargets, 0}, 0},
    };
    if (st == PS_OK)
        st = h5_commit_file(partial, path, expect,
                            sizeof expect / sizeof *expect, err);
    if (st != PS_OK)
        remove(partial);
done:
    h5_udunits_close(u);
    h5_free_strings(names, s->naxes);
    free(scales);
    return st;
}

ps_status ps_h5_sweep_write(const char *path, const ps_h5_sweep *sweep,
                            ps_error *err)
{
    if (!path || !sweep)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no path or no sweep to write");
    size_t points;
    ps_status st = check_sweep(sweep, &points, err);
    if (st != PS_OK)
        return st;
    st = h5_write_standalone(path, write_file, sweep, err);
    return st;
}
