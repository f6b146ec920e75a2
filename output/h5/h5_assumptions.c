/*
 * The /assumptions group: what the scenario held constant, so a file
 * says by itself what its numbers assume.  Fixed values over a `fixed`
 * dimension; levers over `lever`, their time paths as (lever,
 * lever_point) tables padded with NaN (a lever has as many points as the
 * scenario gave it).
 */
#include "h5_sink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A 1-D string dataset over `scale` with a long_name. */
static int strings_over(hid_t g, hid_t scale, const char *name,
                        const char *long_name, size_t n,
                        const char *const *v)
{
    hid_t d = h5_string_dataset(g, name, n, v);
    if (d < 0)
        return -1;
    int rc = h5_attr_text(d, "long_name", long_name) < 0 ||
                     H5DSattach_scale(d, scale, 0) < 0
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

/* A string coordinate `name` (a dimension scale) of n names. */
static hid_t string_scale(hid_t g, const char *name, const char *long_name,
                          size_t n, const char *const *v)
{
    hid_t d = h5_string_dataset(g, name, n, v);
    if (d < 0)
        return -1;
    if (H5DSset_scale(d, name) < 0 ||
        h5_attr_text(d, "long_name", long_name) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

/* A double dataset of `rank` 1 or 2 over the given scales, NaN-filled. */
static int doubles_over(hid_t g, const char *name, const char *long_name,
                        const char *units, const h5_udunits *u, int rank,
                        const hsize_t *dims, const hid_t *scales,
                        const double *v)
{
    double nan = NAN;
    hid_t d = h5_dataset(g, name, H5T_IEEE_F64LE, rank, dims, &nan);
    if (d < 0)
        return -1;
    int rc = 0;
    if (H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
        h5_attr_text(d, "long_name", long_name) < 0 ||
        h5_attr_units(d, u, units) < 0 ||
        h5_attr_double(d, "_FillValue", NAN) < 0)
        rc = -1;
    for (int a = 0; rc == 0 && a < rank; a++)
        if (H5DSattach_scale(d, scales[a], (unsigned)a) < 0)
            rc = -1;
    H5Dclose(d);
    return rc;
}

/* Field of fixed value j: 0 name, 1 units, 2 label, 3 source. */
static const char *fixed_field(const ps_h5_fixed_meta *f, int field)
{
    return field == 0 ? f->name : field == 1 ? f->units
                              : field == 2   ? f->label
                                             : f->source;
}

static const char *lever_field(const ps_h5_lever_meta *l, int field)
{
    return field == 0 ? l->name : field == 1 ? l->units
                              : field == 2   ? l->label
                                             : l->source;
}

static int write_fixed(hid_t g, const ps_h5_meta *m)
{
    size_t n = m->nfixed;
    const char **text = calloc(n, sizeof *text);
    double *value = malloc(n * sizeof *value);
    hid_t scale = -1;
    int rc = -1;
    if (!text || !value)
        goto done;
    for (size_t i = 0; i < n; i++) {
        text[i] = fixed_field(&m->fixed[i], 0);
        value[i] = m->fixed[i].value;
    }
    scale = string_scale(g, "fixed", "variable fixed at one value in every run",
                         n, text);
    if (scale < 0)
        goto done;
    static const char *const names[] = {NULL, "fixed_units", "fixed_label",
                                        "fixed_source"};
    static const char *const long_names[] = {
        NULL, "units of the fixed variable", "description of the fixed value",
        "source of the fixed value"};
    for (int field = 1; field < 4; field++) {
        for (size_t i = 0; i < n; i++)
            text[i] = fixed_field(&m->fixed[i], field);
        if (strings_over(g, scale, names[field], long_names[field], n, text) <
            0)
            goto done;
    }
    hsize_t dim = n;
    if (doubles_over(g, "fixed_value", "value the variable is fixed at", NULL,
                     NULL, 1, &dim, &scale, value) < 0)
        goto done;
    rc = 0;
done:
    if (scale >= 0)
        H5Dclose(scale);
    free(text);
    free(value);
    return rc;
}

/* The lever_point coordinate 0 .. npoints-1. */
static hid_t point_scale(hid_t g, size_t npoints)
{
    hsize_t dim = npoints;
    hid_t d = h5_dataset(g, "lever_point", H5T_STD_I64LE, 1, &dim, NULL);
    int64_t *idx = malloc(npoints * sizeof *idx);
    if (d < 0 || !idx) {
        free(idx);
        if (d >= 0)
            H5Dclose(d);
        return -1;
    }
    for (size_t k = 0; k < npoints; k++)
        idx[k] = (int64_t)k;
    herr_t w = H5Dwrite(d, H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, idx);
    free(idx);
    if (w < 0 || H5DSset_scale(d, "lever_point") < 0 ||
        h5_attr_text(d, "long_name", "point of a lever's time path") < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int write_levers(hid_t g, const ps_h5_meta *m, const h5_udunits *u)
{
    size_t n = m->nlevers, np = 1;
    for (size_t i = 0; i < n; i++)
        if (m->levers[i].n > np)
            np = m->levers[i].n;
    const char **text = calloc(n, sizeof *text);
    double *time = malloc(n * np * sizeof *time);
    double *value = malloc(n * np * sizeof *value);
    hid_t scales[2] = {-1, -1};
    int rc = -1;
    if (!text || !time || !value)
        goto done;
    for (size_t i = 0; i < n; i++) {
        const ps_h5_lever_meta *l = &m->levers[i];
        text[i] = l->name;
        /* Shorter paths are padded with NaN, the fill value. */
        for (size_t k = 0; k < np; k++) {
            time[i * np + k] = k < l->n ? l->time[k] : NAN;
            value[i * np + k] = k < l->n ? l->value[k] : NAN;
        }
    }
    scales[0] = string_scale(g, "lever",
                             "policy lever: a variable following a time path",
                             n, text);
    if (scales[0] < 0 || (scales[1] = point_scale(g, np)) < 0)
        goto done;
    static const char *const names[] = {NULL, "lever_units", "lever_label",
                                        "lever_source"};
    static const char *const long_names[] = {
        NULL, "units of the lever", "description of the lever",
        "source of the lever's path"};
    for (int field = 1; field < 4; field++) {
        for (size_t i = 0; i < n; i++)
            text[i] = lever_field(&m->levers[i], field);
        if (strings_over(g, scales[0], names[field], long_names[field], n,
                         text) < 0)
            goto done;
    }
    hsize_t dims[2] = {n, np};
    if (doubles_over(g, "lever_time", "times of the lever's path",
                     m->time_units, u, 2, dims, scales, time) < 0 ||
        doubles_over(g, "lever_value",
                     "values of the lever's path (linear between points, "
                     "held beyond them)",
                     NULL, NULL, 2, dims, scales, value) < 0)
        goto done;
    rc = 0;
done:
    for (int a = 0; a < 2; a++)
        if (scales[a] >= 0)
            H5Dclose(scales[a]);
    free(text);
    free(time);
    free(value);
    return rc;
}

int h5_write_assumptions(hid_t file, const ps_h5_meta *m, const h5_udunits *u)
{
    hid_t gcpl = h5_gcpl();
    hid_t g = gcpl < 0 ? -1
                       : H5Gcreate2(file, H5N_ASSUMPTIONS, H5P_DEFAULT, gcpl,
                                    H5P_DEFAULT);
    if (gcpl >= 0)
        H5Pclose(gcpl);
    if (g < 0)
        return -1;
    int rc = h5_attr_text(g, "description",
                          "what the scenario held the same in every run: "
                          "fixed values and policy levers");
    if (rc == 0 && m->nfixed)
        rc = write_fixed(g, m);
    if (rc == 0 && m->nlevers)
        rc = write_levers(g, m, u);
    H5Gclose(g);
    return rc < 0 ? -1 : 0;
}
