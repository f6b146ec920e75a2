/*
 * The run writer: creates the run- and time-shaped datasets, gathers runs
 * into chunks of whole runs and writes each chunk once, when complete.
 *
 * Why whole chunks: HDF5 re-reads, re-filters and rewrites a compressed
 * chunk on every partial write; written piecewise, an ensemble took 57 s
 * instead of 3 s.  Blocks of runs arrive in any order and need not line
 * up with chunks, so partially filled chunks wait in a small list.
 */
#include "h5_sink.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Chunk sizes the layout aims for: large enough to compress well and keep
   the chunk index small, small enough for readers' 1 MiB chunk cache. */
#define CHUNK_MIN (64u * 1024u)
#define CHUNK_AIM (128u * 1024u)
#define CHUNK_MAX (1024u * 1024u)
/* Values of one chunk of runs, every variable together, held at most
   while it fills (for models with large subscripted variables). */
#define PENDING_MAX (64u * 1024u * 1024u)

/*
 * Runs per chunk.  When the ensemble's blocks make chunks of a good size
 * (or a whole number of blocks does), chunks line up with blocks and each
 * block completes its chunk at once: the buffer then holds one block.
 */
static size_t choose_k(size_t nruns, size_t ntimes, size_t block)
{
    size_t row = ntimes * sizeof(double);
    size_t k = CHUNK_AIM / row;
    if (block > 0) {
        size_t bytes = block * row;
        if (bytes >= CHUNK_MIN && bytes <= CHUNK_MAX)
            k = block;
        else if (bytes < CHUNK_MIN)
            k = block * ((CHUNK_MIN + bytes - 1) / bytes);
        else
            for (size_t m = 2; m <= block && block / m * row >= CHUNK_MIN; m++)
                if (block % m == 0 && block / m * row <= CHUNK_MAX) {
                    k = block / m;
                    break;
                }
    }
    if (k < 1)
        k = 1; /* a single run larger than CHUNK_AIM */
    return k < nruns ? k : nruns;
}

/* Attaches scale s0 to axis 0 of dataset d and, when valid, s1 to axis 1. */
static int attach(hid_t d, hid_t s0, hid_t s1)
{
    if (H5DSattach_scale(d, s0, 0) < 0)
        return -1;
    return s1 >= 0 ? (H5DSattach_scale(d, s1, 1) < 0 ? -1 : 0) : 0;
}

/* Runs per write of the per-run tables made at the start (run index,
   run_status, param_value): their buffers stay this size whatever the
   number of runs. */
#define RUN_SLICE 4096

/* Writes rows [first, first + n) of the (rows, ncol) or, with ncol 0,
   (rows) dataset d from buf. */
static int write_rows(hid_t d, hid_t memtype, size_t first, size_t n,
                      size_t ncol, const void *buf)
{
    hsize_t start[2] = {first, 0}, count[2] = {n, ncol};
    return h5_slab_write(d, memtype, ncol ? 2 : 1, start, count, buf);
}

static int create_coords(ps_h5_sink *s, const ps_ensemble_layout *lay)
{
    hsize_t n = lay->nruns;
    s->run_scale = h5_dataset(s->file, H5N_RUN, H5T_STD_I64LE, 1, &n, NULL);
    int64_t *idx = malloc(RUN_SLICE * sizeof *idx);
    int rc = s->run_scale >= 0 && idx ? 0 : -1;
    for (size_t r0 = 0; rc == 0 && r0 < lay->nruns; r0 += RUN_SLICE) {
        size_t c = lay->nruns - r0 < RUN_SLICE ? lay->nruns - r0 : RUN_SLICE;
        for (size_t r = 0; r < c; r++)
            idx[r] = (int64_t)(r0 + r);
        rc = write_rows(s->run_scale, H5T_NATIVE_INT64, r0, c, 0, idx);
    }
    free(idx);
    if (rc < 0 || H5DSset_scale(s->run_scale, H5N_RUN) < 0 ||
        h5_attr_short(s->run_scale, "standard_name", "realization") < 0 ||
        h5_attr_text(s->run_scale, "long_name", "Monte Carlo run index") < 0)
        return -1;

    hsize_t nt = lay->ntimes;
    s->time_scale = h5_dataset(s->file, H5N_TIME, H5T_IEEE_F64LE, 1, &nt, NULL);
    /* units: the model's own time unit ("Year", in udunits "year"), not
       CF "since" units, so readers show the numbers as they are. */
    if (s->time_scale < 0 ||
        H5Dwrite(s->time_scale, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL,
                 H5P_DEFAULT, lay->times) < 0 ||
        H5DSset_scale(s->time_scale, H5N_TIME) < 0 ||
        h5_attr_text(s->time_scale, "long_name", "simulated time") < 0 ||
        h5_attr_units(s->time_scale, s->udunits, s->time_units) < 0)
        return -1;
    return h5_attr_int64(s->file, "n_runs", (int64_t)lay->nruns);
}

/* The coordinates of the ranges subscripted variables run over: string
   datasets of element names, each a dimension scale. */
static int create_ranges(ps_h5_sink *s)
{
    for (size_t d = 0; d < s->nfdims; d++) {
        s->fdim_scales[d] =
            h5_string_dataset(s->file, s->fdim_names[d], s->fdim_n[d],
                              (const char *const *)s->fdim_elements[d]);
        if (s->fdim_scales[d] < 0 ||
            H5DSset_scale(s->fdim_scales[d], s->fdim_names[d]) < 0 ||
            h5_attr_text(s->fdim_scales[d], "long_name",
                         "element of a subscript range") < 0)
            return -1;
    }
    return 0;
}

static int create_runs_tables(ps_h5_sink *s, const ps_ensemble_layout *lay)
{
    double nan = NAN;
    if (s->ninputs) {
        hsize_t dims[2] = {lay->nruns, s->ninputs};
        s->param_value =
            h5_dataset(s->file, H5N_PARAM_VALUE, H5T_IEEE_F64LE, 2, dims, &nan);
        if (s->param_value < 0 ||
            attach(s->param_value, s->run_scale, s->param_scale) < 0 ||
            h5_attr_text(s->param_value, "long_name",
                         "sampled value of each uncertain input") < 0 ||
            h5_attr_double(s->param_value, "_FillValue", NAN) < 0)
            return -1;
    }
    /* Unwritten runs read as 0, "pending" (the HDF5 fill value).  No
       _FillValue attribute: pending is a flag value, not missing data, and
       declaring it missing would make readers show it as NaN. */
    hsize_t n = lay->nruns;
    signed char pending = PS_RUN_PENDING;
    static const signed char flags[] = {PS_RUN_PENDING, PS_RUN_OK,
                                        PS_RUN_FAILED};
    s->run_status =
        h5_dataset(s->file, H5N_RUN_STATUS, H5T_STD_I8LE, 1, &n, &pending);
    if (s->run_status < 0 || attach(s->run_status, s->run_scale, -1) < 0 ||
        h5_attr_text(s->run_status, "long_name", "status of the run") < 0 ||
        h5_attr_int8s(s->run_status, "flag_values", 3, flags) < 0 ||
        h5_attr_short(s->run_status, "flag_meanings", "pending ok failed") < 0)
        return -1;
    /* Written whole now, so that their storage exists before the first
       flush and writing runs later changes no metadata (see
       create_variables); in slices of whole rows, so the buffers do not
       grow with the number of runs and every write is contiguous. */
    size_t width = s->ninputs;
    unsigned char *none = calloc(RUN_SLICE, 1);
    double *nans = width ? malloc(RUN_SLICE * width * sizeof *nans) : NULL;
    int rc = none && (nans || !width) ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < RUN_SLICE * width; i++)
        nans[i] = NAN;
    for (size_t r0 = 0; rc == 0 && r0 < lay->nruns; r0 += RUN_SLICE) {
        size_t c = lay->nruns - r0 < RUN_SLICE ? lay->nruns - r0 : RUN_SLICE;
        if (width)
            rc = write_rows(s->param_value, H5T_NATIVE_DOUBLE, r0, c, width,
                            nans);
        if (rc == 0)
            rc = write_rows(s->run_status, H5T_NATIVE_UCHAR, r0, c, 0, none);
    }
    free(none);
    free(nans);
    return rc;
}

/* Runs per chunk of a subscripted variable: the largest divisor of k
   that keeps its chunks within CHUNK_MAX (whole chunks of k runs are
   written at once, so its chunks are written whole too). */
static size_t var_chunk_runs(const ps_h5_sink *s, size_t v)
{
    size_t row = s->ntimes * s->size[v] * sizeof(double);
    if (s->size[v] == 1 || s->k * row <= CHUNK_MAX)
        return s->k;
    for (size_t m = 2; m <= s->k; m++)
        if (s->k % m == 0 && s->k / m * row <= CHUNK_MAX)
            return s->k / m;
    return 1;
}

static hid_t create_variable(ps_h5_sink *s, size_t v, hid_t dcpl, hid_t dapl)
{
    int rank = 2 + (int)s->vndims[v];
    hsize_t dims[2 + H5_MAX_RANGES] = {s->nruns, s->ntimes};
    hsize_t chunk[2 + H5_MAX_RANGES] = {var_chunk_runs(s, v), s->ntimes};
    for (size_t k = 0; k < s->vndims[v]; k++)
        dims[2 + k] = chunk[2 + k] = s->fdim_n[s->vdims[s->vdim_at[v] + k]];
    hid_t space = H5Screate_simple(rank, dims, NULL);
    if (space < 0)
        return -1;
    /* a subscripted variable's own chunk shape */
    hid_t own = -1;
    if (rank > 2) {
        own = H5Pcopy(dcpl);
        if (own < 0 || H5Pset_chunk(own, rank, chunk) < 0) {
            if (own >= 0)
                H5Pclose(own);
            H5Sclose(space);
            return -1;
        }
    }
    hid_t d = H5Dcreate2(s->file, s->names[v], H5T_IEEE_F64LE, space,
                         H5P_DEFAULT, own >= 0 ? own : dcpl, dapl);
    if (own >= 0)
        H5Pclose(own);
    H5Sclose(space);
    if (d < 0)
        return -1;
    for (size_t k = 0; k < s->vndims[v]; k++)
        if (H5DSattach_scale(d, s->fdim_scales[s->vdims[s->vdim_at[v] + k]],
                             (unsigned)(2 + k)) < 0) {
            H5Dclose(d);
            return -1;
        }
    if (attach(d, s->run_scale, s->time_scale) < 0 ||
        h5_attr_text(d, "long_name", s->long_names[v]) < 0 ||
        h5_attr_units(d, s->udunits, s->units[v]) < 0 ||
        h5_attr_text(d, "model_name", s->model_names[v]) < 0 ||
        h5_attr_double(d, "_FillValue", NAN) < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

static int create_variables(ps_h5_sink *s)
{
    hid_t dcpl = h5_dcpl();
    /* No chunk cache: chunks are written whole, once, so a cache would
       only hold up to 1 MiB per variable in memory for nothing (a model
       saving 500 variables would keep 500 MiB). */
    hid_t dapl = h5_dapl_uncached();
    hsize_t chunk[2] = {s->k, s->ntimes};
    double nan = NAN;
    int rc = -1;
    if (dcpl < 0 || dapl < 0 || H5Pset_chunk(dcpl, 2, chunk) < 0 ||
        H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan) < 0)
        goto done;
    if (s->opts.deflate_level > 0 &&
        (H5Pset_shuffle(dcpl) < 0 ||
         H5Pset_deflate(dcpl, (unsigned)s->opts.deflate_level) < 0))
        goto done;
    /* Uncompressed chunks get their place in the file now: writing runs
       then changes no metadata, so a writer killed at any moment leaves
       the file as its last flush described it, plus runs written in
       place (h5_fapl_writer keeps metadata in memory until a flush). */
    if (s->opts.deflate_level == 0 &&
        H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) < 0)
        goto done;
    rc = 0;
    for (size_t v = 0; v < s->nvars && rc == 0; v++)
        if ((s->vars[v] = create_variable(s, v, dcpl, dapl)) < 0)
            rc = -1;
done:
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (dapl >= 0)
        H5Pclose(dapl);
    return rc;
}

static ps_status sink_begin(void *sink, const ps_ensemble_layout *lay,
                            ps_error *err)
{
    ps_h5_sink *s = sink;
    if (s->begun)
        return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                            "the ensemble file was begun twice");
    if (lay->nsave != s->nvars || lay->ninputs != s->ninputs)
        return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                            "the ensemble saves %zu variables and %zu "
                            "inputs, the file was opened for %zu and %zu",
                            lay->nsave, lay->ninputs, s->nvars, s->ninputs);
    for (size_t v = 0; v < s->nvars; v++) {
        size_t got = lay->sizes ? lay->sizes[v] : 1;
        if (got != s->size[v])
            return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                                "the ensemble saves %zu elements of '%s', "
                                "the file was opened for %zu",
                                got, s->model_names[v], s->size[v]);
    }
    if (lay->nruns == 0 || lay->ntimes == 0)
        return ps_error_set(err, PS_ERR_USAGE, s->partial, 0, 0,
                            "an ensemble needs at least one run and one "
                            "saved time");
    /* A target at a time that is not saved could never be evaluated:
       say so before the runs, not after. */
    for (size_t i = 0; i < s->ntargets; i++)
        if (h5_time_index(lay->times, lay->ntimes, s->target_times[i]) < 0)
            return ps_error_set(err, PS_ERR_USAGE, s->partial, 0, 0,
                                "target %zu is about time %g, which is not "
                                "a saved time",
                                i + 1, s->target_times[i]);
    s->nruns = lay->nruns;
    s->ntimes = lay->ntimes;
    s->k = s->opts.runs_per_chunk ? s->opts.runs_per_chunk
                                  : choose_k(s->nruns, s->ntimes, lay->block);
    /* Chunks of k runs wait in memory with every series of the run: with
       large arrays, fewer runs per chunk keep that memory bounded (files
       without subscripts keep the k above). */
    size_t run_bytes = s->nseries * s->ntimes * sizeof(double);
    if (!s->opts.runs_per_chunk && s->nseries > s->nvars &&
        s->k > PENDING_MAX / run_bytes)
        s->k = PENDING_MAX / run_bytes ? PENDING_MAX / run_bytes : 1;
    if (s->k > s->nruns)
        s->k = s->nruns;
    s->begun = 1;

    if (!s->written && !(s->written = calloc(s->nruns, 1)))
        return ps_error_set(err, PS_ERR_NOMEM, s->partial, 0, 0,
                            "out of memory");
    s->last_flush = h5_now();

    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = PS_OK;
    if (s->resume && H5Lexists(s->file, H5N_RUN_STATUS, H5P_DEFAULT) > 0)
        st = h5_resume_datasets(s, lay, err);
    else if (create_coords(s, lay) < 0 || create_ranges(s) < 0 ||
             create_runs_tables(s, lay) < 0 || create_variables(s) < 0)
        st = h5_fail(err, PS_ERR_IO, s->partial,
                     "cannot create the ensemble's datasets");
    if (st == PS_OK && H5Fflush(s->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, s->partial, "cannot flush the file");
    if (st != PS_OK)
        s->failed = 1;
    h5_quiet_end(&q);
    return st;
}

/* ---- chunk buffers ------------------------------------------------------ */

static void chunk_free(h5_chunk *c)
{
    if (!c)
        return;
    free(c->values);
    free(c->inputs);
    free(c->status);
    free(c->seen);
    free(c);
}

void h5_drop_pending(ps_h5_sink *s)
{
    for (size_t i = 0; i < s->npending; i++)
        chunk_free(s->pending[i]);
    s->npending = 0;
}

/* The buffer of chunk `index`, made when its first run arrives. */
static h5_chunk *chunk_for(ps_h5_sink *s, size_t index)
{
    for (size_t i = 0; i < s->npending; i++)
        if (s->pending[i]->index == index)
            return s->pending[i];
    if (s->npending == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        h5_chunk **p = realloc(s->pending, cap * sizeof *p);
        if (!p)
            return NULL;
        s->pending = p;
        s->cap = cap;
    }
    h5_chunk *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->index = index;
    size_t first = index * s->k;
    c->nrun = first + s->k <= s->nruns ? s->k : s->nruns - first;
    size_t nv = s->nseries * c->nrun * s->ntimes;
    c->values = malloc((nv ? nv : 1) * sizeof *c->values);
    c->inputs =
        malloc((s->ninputs ? c->nrun * s->ninputs : 1) * sizeof *c->inputs);
    c->status = calloc(c->nrun, 1);
    c->seen = calloc(c->nrun, 1);
    if (!c->values || !c->inputs || !c->status || !c->seen) {
        chunk_free(c);
        return NULL;
    }
    /* runs in the file already (resumed, or flushed in part) */
    for (size_t i = 0; s->written && i < c->nrun; i++)
        c->filled += s->written[first + i] != 0;
    s->pending[s->npending++] = c;
    return c;
}

static void chunk_forget(ps_h5_sink *s, h5_chunk *c)
{
    for (size_t i = 0; i < s->npending; i++)
        if (s->pending[i] == c) {
            s->pending[i] = s->pending[--s->npending];
            break;
        }
    chunk_free(c);
}

/* Writes runs [first, first + n) of subscripted variable v from buf,
   laid out as the dataset is: (run, time, range 1, ...). */
static int write_block_of(const ps_h5_sink *s, size_t v, size_t first, size_t n,
                          const double *buf)
{
    hsize_t start[2 + H5_MAX_RANGES] = {first},
                      count[2 + H5_MAX_RANGES] = {n, s->ntimes};
    for (size_t k = 0; k < s->vndims[v]; k++)
        count[2 + k] = s->fdim_n[s->vdims[s->vdim_at[v] + k]];
    return h5_slab_write(s->vars[v], H5T_NATIVE_DOUBLE, 2 + (int)s->vndims[v],
                      start, count, buf);
}

/* Writes runs [a, b) of chunk c: values first, status last, so a run
   marked ok in a salvaged file has its values. */
static ps_status write_runs(ps_h5_sink *s, const h5_chunk *c, size_t a,
                            size_t b, ps_error *err)
{
    size_t first = c->index * s->k + a;
    size_t n = b - a;
    for (size_t v = 0; v < s->nvars; v++) {
        const double *buf =
            c->values + (s->voff[v] * c->nrun + a * s->size[v]) * s->ntimes;
        int rc = s->vndims[v] == 0 ? write_rows(s->vars[v], H5T_NATIVE_DOUBLE,
                                                first, n, s->ntimes, buf)
                                   : write_block_of(s, v, first, n, buf);
        if (rc < 0)
            return h5_fail(err, PS_ERR_IO, s->partial,
                           "cannot write runs %zu-%zu of '%s'", first,
                           first + n - 1, s->names[v]);
    }
    if (s->ninputs && write_rows(s->param_value, H5T_NATIVE_DOUBLE, first, n,
                                 s->ninputs, c->inputs + a * s->ninputs) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the inputs of runs %zu-%zu", first,
                       first + n - 1);
    if (write_rows(s->run_status, H5T_NATIVE_UCHAR, first, n, 0,
                   c->status + a) < 0)
        return h5_fail(err, PS_ERR_IO, s->partial,
                       "cannot write the status of runs %zu-%zu", first,
                       first + n - 1);
    if (s->written)
        memset(s->written + first, 1, n);
    return PS_OK;
}

/* Writes the received runs of c, in stretches of consecutive runs. */
static ps_status write_chunk(ps_h5_sink *s, const h5_chunk *c, ps_error *err)
{
    size_t a = 0;
    while (a < c->nrun) {
        while (a < c->nrun && !c->seen[a])
            a++;
        size_t b = a;
        while (b < c->nrun && c->seen[b])
            b++;
        if (b > a) {
            ps_status st = write_runs(s, c, a, b, err);
            if (st != PS_OK)
                return st;
        }
        a = b;
    }
    return PS_OK;
}

ps_status h5_flush_pending(ps_h5_sink *s, ps_error *err)
{
    ps_status st = PS_OK;
    while (st == PS_OK && s->npending > 0) {
        h5_chunk *c = s->pending[s->npending - 1];
        st = write_chunk(s, c, err);
        chunk_forget(s, c);
    }
    if (st == PS_OK && s->file >= 0 && H5Fflush(s->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, s->partial, "cannot flush the file");
    s->last_flush = h5_now();
    return st;
}

double h5_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Writes the partly filled chunks too when the flush interval is over.
   Not in compressed files: HDF5 would rewrite such a chunk elsewhere
   when it fills, and a file killed before the next flush would then
   name a place that new data may have taken. */
static ps_status flush_when_due(ps_h5_sink *s, ps_error *err)
{
    double every =
        s->opts.flush_seconds > 0 ? s->opts.flush_seconds : PS_H5_FLUSH_SECONDS;
    if (s->opts.deflate_level > 0 || s->npending == 0 ||
        h5_now() - s->last_flush < every)
        return PS_OK;
    return h5_flush_pending(s, err);
}

/* ---- sink operations ------------------------------------------------ */

static ps_status take_run(ps_h5_sink *s, size_t r, size_t i,
                          const unsigned char *status, const double *values,
                          const double *inputs, ps_error *err)
{
    h5_chunk *c = chunk_for(s, r / s->k);
    if (!c)
        return ps_error_set(err, PS_ERR_NOMEM, s->partial, 0, 0,
                            "out of memory");
    size_t off = r - c->index * s->k;
    if (c->seen[off])
        return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                            "run %zu was handed to the file twice", r);
    for (size_t v = 0; v < s->nvars; v++) {
        /* the run's series of v, element-major, into the dataset's order:
           (time, element) */
        const double *in = values + (i * s->nseries + s->voff[v]) * s->ntimes;
        double *out =
            c->values + (s->voff[v] * c->nrun + off * s->size[v]) * s->ntimes;
        size_t k = s->size[v];
        if (k == 1) {
            memcpy(out, in, s->ntimes * sizeof(double));
            continue;
        }
        for (size_t e = 0; e < k; e++)
            for (size_t t = 0; t < s->ntimes; t++)
                out[t * k + e] = in[e * s->ntimes + t];
    }
    if (s->ninputs)
        memcpy(c->inputs + off * s->ninputs, inputs + i * s->ninputs,
               s->ninputs * sizeof(double));
    c->status[off] = status[i];
    c->seen[off] = 1;
    if (++c->filled < c->nrun)
        return PS_OK;
    ps_status st = write_chunk(s, c, err);
    chunk_forget(s, c);
    /* Flush after each chunk so a killed writer leaves a readable file
       holding every chunk written so far. */
    if (st == PS_OK && H5Fflush(s->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, s->partial, "cannot flush the file");
    s->last_flush = h5_now();
    return st;
}

static ps_status sink_write_block(void *sink, size_t first, size_t count,
                                  const unsigned char *status,
                                  const double *values, const double *inputs,
                                  ps_error *err)
{
    ps_h5_sink *s = sink;
    if (!s->begun || s->ended || s->failed)
        return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                            "runs handed to the file %s",
                            s->failed  ? "after a failed write"
                            : s->ended ? "after its end"
                                       : "before its beginning");
    if (first > s->nruns || count > s->nruns - first)
        return ps_error_set(err, PS_ERR_INTERNAL, s->partial, 0, 0,
                            "runs %zu-%zu are outside the ensemble of %zu",
                            first, first + count - 1, s->nruns);
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = PS_OK;
    for (size_t i = 0; i < count && st == PS_OK; i++)
        st = take_run(s, first + i, i, status, values, inputs, err);
    if (st == PS_OK)
        st = flush_when_due(s, err);
    if (st == PS_ERR_IO) /* the file may be damaged: never commit it */
        s->failed = 1;
    h5_quiet_end(&q);
    return st;
}

static ps_status sink_end(void *sink, ps_error *err)
{
    ps_h5_sink *s = sink;
    if (!s->begun || s->failed)
        return PS_OK;
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = h5_flush_pending(s, err);
    if (st != PS_OK)
        s->failed = 1;
    s->ended = 1;
    h5_quiet_end(&q);
    return st;
}

const ps_sink_type ps_h5_sink_type = {
    "hdf5",
    sink_begin,
    sink_write_block,
    sink_end,
};
