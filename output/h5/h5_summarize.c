/*
 * The /summary group: statistics over the ok runs of every saved variable
 * at every saved time, and the probability of each target.
 *
 * Each variable is read in blocks of whole chunks, with the run_status of
 * the same runs; the ok runs of a block are transposed into one column per
 * (saved time, element) and fed to ps_colstats, which needs more passes
 * over the file for columns too long to hold (see plansim/stats.h).  Every
 * buffer is bounded: one block of runs, the columns of one batch of
 * elements in two blocks, and at most HOLD_VALUES values held, so memory
 * does not grow with the number of runs.  Columns are fed in parallel
 * (OpenMP tasks, one per column) while the next block is read; HDF5 is
 * called from the reading thread only.
 */
#include "h5_impl.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/ensemble.h"
#include "plansim/stats.h"

int h5_list_variables(hid_t file, size_t *n, char ***names, char ***model_names)
{
    *n = 0;
    *names = *model_names = NULL;
    H5G_info_t info;
    if (H5Gget_info(file, &info) < 0)
        return -1;
    size_t cap = info.nlinks ? info.nlinks : 1;
    char **nm = calloc(cap, sizeof *nm);
    char **mn = calloc(cap, sizeof *mn);
    if (!nm || !mn) {
        free(nm);
        free(mn);
        return -1;
    }
    /* Creation order when tracked (our files), else by name. */
    H5_index_t index = H5_INDEX_CRT_ORDER;
    if (info.nlinks && H5Lget_name_by_idx(file, ".", index, H5_ITER_INC, 0,
                                          NULL, 0, H5P_DEFAULT) < 0) {
        H5Eclear2(H5E_DEFAULT);
        index = H5_INDEX_NAME;
    }
    size_t count = 0;
    int rc = 0;
    for (hsize_t i = 0; i < info.nlinks && rc == 0; i++) {
        ssize_t len = H5Lget_name_by_idx(file, ".", index, H5_ITER_INC, i, NULL,
                                         0, H5P_DEFAULT);
        char *name = len >= 0 ? malloc((size_t)len + 1) : NULL;
        if (!name || H5Lget_name_by_idx(file, ".", index, H5_ITER_INC, i, name,
                                        (size_t)len + 1, H5P_DEFAULT) < 0) {
            free(name);
            rc = -1;
            break;
        }
        char *model = NULL;
        /* Groups have no model_name: only saved variables carry one. */
        if (H5Aexists_by_name(file, name, "model_name", H5P_DEFAULT) > 0) {
            /* it is there: not reading it is an error (a damaged file,
               no memory), not a variable to leave out */
            hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
            if (d < 0 || h5_attr_read_text(d, "model_name", &model) < 0)
                rc = -1;
            if (d >= 0)
                H5Dclose(d);
        }
        if (model && rc == 0) {
            nm[count] = name;
            mn[count++] = model;
        } else {
            free(name);
            free(model);
        }
    }
    H5Eclear2(H5E_DEFAULT);
    if (rc < 0) {
        h5_free_strings(nm, count);
        h5_free_strings(mn, count);
        return -1;
    }
    *n = count;
    *names = nm;
    *model_names = mn;
    return 0;
}

/* What the summary is computed from. */
typedef struct inputs {
    size_t nruns, ntimes, nok;
    double *times;
    long long nfailed, npending;
    int threads; /* for the columns; 0: OpenMP's default */
    size_t nvars;
    char **names, **model_names;
    size_t ntargets;
    char **tvar; /* target_variable */
    double *ttime, *tlo, *thi;
    signed char *tcmp;
    /* results per target */
    long long *hits, *runs;
    long long *thits, *truns; /* [ntargets][ntimes], over the ok runs */
    double *by_time; /* [ntargets][ntimes] */
    long *tindex;    /* saved-time index of each target */
} inputs;

static void inputs_free(inputs *in)
{
    free(in->times);
    free(in->thits);
    free(in->truns);
    h5_free_strings(in->names, in->nvars);
    h5_free_strings(in->model_names, in->nvars);
    h5_free_strings(in->tvar, in->ntargets);
    free(in->ttime);
    free(in->tlo);
    free(in->thi);
    free(in->tcmp);
    free(in->hits);
    free(in->runs);
    free(in->by_time);
    free(in->tindex);
}

/* Runs whose status is read at once when counting them. */
#define STATUS_SLICE 65536

/* Reads run_status[r0, r0 + n) of the open dataset sd into buf. */
static int read_status(hid_t sd, size_t r0, size_t n, unsigned char *buf)
{
    hsize_t start = r0, count = n;
    return h5_slab_read(sd, H5T_NATIVE_UCHAR, 1, &start, &count, buf);
}

static ps_status read_inputs(hid_t file, hid_t g, const char *path, inputs *in,
                             ps_error *err)
{
    long long nr = h5_length(file, H5N_RUN);
    long long nt = h5_length(file, H5N_TIME);
    if (nr <= 0 || nt <= 0 || h5_length(file, H5N_RUN_STATUS) != nr)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "not an ensemble file: no run, time or "
                            "run_status dataset");
    in->nruns = (size_t)nr;
    in->ntimes = (size_t)nt;
    in->times = malloc(in->ntimes * sizeof *in->times);
    unsigned char *status = malloc(STATUS_SLICE);
    hid_t sd = H5Dopen2(file, H5N_RUN_STATUS, H5P_DEFAULT);
    if (!in->times || !status) {
        free(status);
        if (sd >= 0)
            H5Dclose(sd);
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    int rc = sd >= 0 && h5_read_all(file, H5N_TIME, H5T_NATIVE_DOUBLE,
                                    in->ntimes, in->times) >= 0
                 ? 0
                 : -1;
    for (size_t r0 = 0; rc == 0 && r0 < in->nruns; r0 += STATUS_SLICE) {
        size_t n =
            in->nruns - r0 < STATUS_SLICE ? in->nruns - r0 : STATUS_SLICE;
        rc = read_status(sd, r0, n, status);
        for (size_t r = 0; rc == 0 && r < n; r++) {
            if (status[r] == PS_RUN_OK)
                in->nok++;
            else if (status[r] == PS_RUN_FAILED)
                in->nfailed++;
            else
                in->npending++;
        }
    }
    free(status);
    if (sd >= 0)
        H5Dclose(sd);
    if (rc < 0)
        return h5_fail(err, PS_ERR_IO, path, "cannot read time or run_status");
    if (h5_list_variables(file, &in->nvars, &in->names, &in->model_names) < 0)
        return h5_fail(err, PS_ERR_IO, path, "cannot list the saved variables");

    long long ntg = h5_length(g, H5N_TARGET);
    if (ntg <= 0)
        return PS_OK;
    size_t n = (size_t)ntg;
    in->ttime = malloc(n * sizeof *in->ttime);
    in->tlo = malloc(n * sizeof *in->tlo);
    in->thi = malloc(n * sizeof *in->thi);
    in->tcmp = malloc(n);
    in->hits = calloc(n, sizeof *in->hits);
    in->runs = calloc(n, sizeof *in->runs);
    in->tindex = malloc(n * sizeof *in->tindex);
    in->by_time = malloc(n * in->ntimes * sizeof *in->by_time);
    in->thits = calloc(n * in->ntimes, sizeof *in->thits);
    in->truns = calloc(n * in->ntimes, sizeof *in->truns);
    if (!in->ttime || !in->tlo || !in->thi || !in->tcmp || !in->hits ||
        !in->runs || !in->tindex || !in->by_time || !in->thits || !in->truns)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    if (h5_read_strings(g, "target_variable", n, &in->tvar) < 0 ||
        h5_read_all(g, "target_time", H5T_NATIVE_DOUBLE, n, in->ttime) < 0 ||
        h5_read_all(g, "target_lo", H5T_NATIVE_DOUBLE, n, in->tlo) < 0 ||
        h5_read_all(g, "target_hi", H5T_NATIVE_DOUBLE, n, in->thi) < 0 ||
        h5_read_all(g, "target_compare", H5T_NATIVE_SCHAR, n, in->tcmp) < 0)
        return h5_fail(err, PS_ERR_DATA, path,
                       "cannot read the target definitions");
    in->ntargets = n;
    for (size_t i = 0; i < n; i++) {
        in->tindex[i] = h5_time_index(in->times, in->ntimes, in->ttime[i]);
        for (size_t t = 0; t < in->ntimes; t++)
            in->by_time[i * in->ntimes + t] = NAN;
    }
    return PS_OK;
}

/* Bytes of a variable read at once: a whole number of chunks about this
   large, so the columns of a block are long enough to be fed in parallel
   and few enough reads are made. */
#define BLOCK_BYTES (1u << 20)

/* Runs per read: whole chunks (when the dataset is chunked) of about
   BLOCK_BYTES. */
static size_t read_block(hid_t d, size_t run_values)
{
    size_t block = BLOCK_BYTES / (run_values * sizeof(double));
    if (block < 1)
        block = 1;
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t cdims[2 + H5_MAX_RANGES];
    if (dcpl >= 0 && H5Pget_layout(dcpl) == H5D_CHUNKED &&
        H5Pget_chunk(dcpl, 2 + H5_MAX_RANGES, cdims) >= 2 && cdims[0] > 0) {
        size_t rows = (size_t)cdims[0];
        block = block > rows ? block / rows * rows : rows;
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    return block;
}

/* Values below which columns are fed or ended on one thread: starting
   the others would cost more than it saves, the more so on a busy
   machine. */
#define PARALLEL_VALUES 65536u

/* The buffers of a pass: `block` runs of the variable and their
   statuses as read, and the ok values of two blocks as columns (column c
   at cols[i] + c * block, nok[i] runs each): one is fed while the next is
   read. */
typedef struct pass_buffers {
    size_t block;
    double *buf, *cols[2];
    size_t nok[2];
    unsigned char *status;
    size_t *okrow; /* the block's ok runs */
} pass_buffers;

/* Ok runs transposed at once: a cache line of each column. */
#define TILE_RUNS 8u

/* The targets of the variable being summarized: te[i] is the element
   target i reads, or SIZE_MAX. */
typedef struct var_targets {
    const size_t *te;
} var_targets;

/* Adds the hits and runs of the ok runs of a block to the targets read
   from elements [e0, e0 + ne). */
static void count_block_targets(inputs *in, const var_targets *tg, size_t e0,
                                size_t ne, const double *cols, size_t nok_b,
                                size_t block)
{
    size_t nt = in->ntimes;
    for (size_t i = 0; i < in->ntargets; i++) {
        size_t e = tg->te[i];
        if (e < e0 || e >= e0 + ne)
            continue;
        const ps_sc_compare cmp = (ps_sc_compare)in->tcmp[i];
        const double lo = in->tlo[i], hi = in->thi[i];
        for (size_t t = 0; t < nt; t++) {
            const double *x = cols + (t * ne + e - e0) * block;
            long long hits = 0, runs = 0;
            for (size_t r = 0; r < nok_b; r++) {
                if (!isfinite(x[r]))
                    continue;
                runs++;
                hits += ps_sc_rule_met(cmp, lo, hi, x[r]);
            }
            in->thits[i * nt + t] += hits;
            in->truns[i * nt + t] += runs;
        }
    }
}

/* What a pass reads: the variable d (`size` elements per time, its
   dimensions dims[rank]) with run_status sd, for elements
   [e0, e0 + ne). */
typedef struct pass_source {
    hid_t d, sd;
    int rank;
    hsize_t dims[2 + H5_MAX_RANGES];
    size_t size, e0, ne;
} pass_source;

/* Reads runs [r0, r0 + n) and transposes their ok ones into pb->cols[i],
   column t * ne + e; with `tg` also counts the targets. */
static int read_columns(const pass_source *src, inputs *in, size_t r0, size_t n,
                        pass_buffers *pb, int i, const var_targets *tg)
{
    size_t nt = in->ntimes, block = pb->block, ne = src->ne;
    double *cols = pb->cols[i];
    pb->nok[i] = 0;
    if (read_status(src->sd, r0, n, pb->status) < 0)
        return -1;
    size_t nok_b = 0;
    for (size_t r = 0; r < n; r++)
        nok_b += pb->status[r] == PS_RUN_OK;
    if (nok_b == 0)
        return 0; /* no ok run in this block: skip reading it */
    hsize_t start[2 + H5_MAX_RANGES] = {r0}, count[2 + H5_MAX_RANGES];
    count[0] = n;
    for (int k = 1; k < src->rank; k++)
        count[k] = src->dims[k];
    if (h5_slab_read(src->d, H5T_NATIVE_DOUBLE, src->rank, start, count,
                     pb->buf) < 0)
        return -1;
    for (size_t r = 0, j = 0; r < n; r++)
        if (pb->status[r] == PS_RUN_OK)
            pb->okrow[j++] = r;
    /* in tiles of TILE_RUNS ok runs, so each column gets whole cache
       lines and the tile's rows stay in cache */
    size_t rowlen = nt * src->size;
    for (size_t j0 = 0; j0 < nok_b; j0 += TILE_RUNS) {
        size_t m = nok_b - j0 < TILE_RUNS ? nok_b - j0 : TILE_RUNS;
        const size_t *rows = pb->okrow + j0;
        for (size_t t = 0; t < nt; t++)
            for (size_t e = 0; e < ne; e++) {
                const double *from = pb->buf + t * src->size + src->e0 + e;
                double *to = cols + (t * ne + e) * block + j0;
                for (size_t k = 0; k < m; k++)
                    to[k] = from[rows[k] * rowlen];
            }
    }
    if (tg)
        count_block_targets(in, tg, src->e0, ne, cols, nok_b, block);
    pb->nok[i] = nok_b;
    return 0;
}

/* One pass over the source: reads blocks of runs into columns and feeds
   them to `cs`, one task per column, while the next block is read (HDF5
   is called from the reading thread only); with `tg` (the first pass)
   also counts the targets. */
static int read_pass(const pass_source *src, inputs *in, pass_buffers *pb,
                     ps_colstats *cs, const var_targets *tg)
{
    size_t nr = in->nruns, block = pb->block;
    size_t ncols = in->ntimes * src->ne;
    int rc = 0;
#pragma omp parallel num_threads(                                              \
    in->threads) if (ncols > 1 && in->nok * ncols >= PARALLEL_VALUES)
#pragma omp single
    {
        int cur = 0;
        size_t r0 = 0;
        rc = read_columns(src, in, 0, nr < block ? nr : block, pb, cur, tg);
        while (rc == 0 && r0 < nr) {
            const double *cols = pb->cols[cur];
            size_t n = pb->nok[cur];
            for (size_t c = 0; c < ncols && n > 0; c++) {
#pragma omp task firstprivate(c)
                ps_colstats_feed(cs, c, cols + c * block, n);
            }
            r0 += block;
            if (r0 < nr)
                rc = read_columns(src, in, r0,
                                  r0 + block <= nr ? block : nr - r0, pb,
                                  1 - cur, tg);
#pragma omp taskwait
            cur = 1 - cur;
        }
    }
    return rc;
}

/* Attaches `scale` as dimension `axis` of d unless it is already (a
   summary made again).  A dataset with no scale at all is told by its
   missing DIMENSION_LIST, which is cheap; H5DSis_attached reads the
   scale's list of every dataset it is attached to. */
static int attach_scale(hid_t d, hid_t scale, unsigned axis)
{
    htri_t any = H5Aexists(d, "DIMENSION_LIST");
    if (any < 0)
        return -1;
    if (any > 0 && H5DSis_attached(d, scale, axis) > 0)
        return 0;
    return H5DSattach_scale(d, scale, axis) < 0 ? -1 : 0;
}

/* Creates or reopens a summary dataset and writes it; scales[i] is the
   dimension scale of axis i. */
static int put_stat(hid_t g, const char *name, int rank, const hsize_t *dims,
                    const double *v, const hid_t *scales, const char *long_name,
                    const char *units, const char *vensim_units,
                    const char *cell_methods, const char *model_name)
{
    double nan = NAN;
    hid_t d = h5_dataset(g, name, H5T_IEEE_F64LE, rank, dims, &nan);
    if (d < 0)
        return -1;
    int rc =
        H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0
            ? -1
            : 0;
    for (int i = 0; i < rank && rc == 0; i++)
        if (attach_scale(d, scales[i], (unsigned)i) < 0)
            rc = -1;
    if (rc == 0 && (h5_attr_text(d, "long_name", long_name) < 0 ||
                    h5_attr_short(d, "units", units) < 0 ||
                    h5_attr_short(d, "vensim_units", vensim_units) < 0 ||
                    h5_attr_short(d, "cell_methods", cell_methods) < 0 ||
                    h5_attr_text(d, "model_name", model_name) < 0 ||
                    h5_attr_double(d, "_FillValue", NAN) < 0))
        rc = -1;
    H5Dclose(d);
    return rc;
}

/* Opens the coordinate datasets of a shape's ranges into scales[]. */
static int open_range_scales(hid_t file, const h5_shape *sh, hid_t *scales)
{
    int rc = 0;
    for (size_t k = 0; k < sh->ndims; k++) {
        scales[k] = H5Dopen2(file, sh->dim[k], H5P_DEFAULT);
        if (scales[k] < 0)
            rc = -1;
    }
    return rc;
}

/* Columns (saved times x elements) summarized together, and the values
   they may hold between them before going to more passes (see
   plansim/stats.h): bounds on the summary's memory, whatever the number
   of runs. */
#define BATCH_COLUMNS 256u
#define HOLD_VALUES (256u * 1024u)
/* Values held per column when there are too many runs to hold them all:
   only to set the range of the first pass's histogram (see colstats.c),
   as few as that needs, since holding costs memory taken and given back
   for every batch. */
#define SAMPLE_VALUES 4096u

/* Mean, sd and quantiles of one variable (at every element of a
   subscripted one), and its targets. */
static ps_status summarize_variable(hid_t file, hid_t g, hid_t time_scale,
                                    hid_t q_scale, const char *path, inputs *in,
                                    size_t v, ps_error *err)
{
    size_t nt = in->ntimes;
    h5_shape sh;
    memset(&sh, 0, sizeof sh);
    hid_t range_scales[H5_MAX_RANGES];
    for (size_t k = 0; k < H5_MAX_RANGES; k++)
        range_scales[k] = -1;
    double *mean = NULL, *sd = NULL, *qs = NULL;
    char *long_name = NULL, *units = NULL, *label = NULL, *name = NULL;
    char *vensim_units = NULL;
    size_t *te = NULL;
    pass_buffers pb;
    memset(&pb, 0, sizeof pb);
    ps_colstats *cs = NULL;
    ps_status st = PS_OK;
    hid_t sdset = H5Dopen2(file, H5N_RUN_STATUS, H5P_DEFAULT);
    /* blocks are whole chunks, read once per pass: no cache */
    hid_t dapl = h5_dapl_uncached();
    hid_t d = dapl >= 0 ? H5Dopen2(file, in->names[v], dapl) : -1;
    if (dapl >= 0)
        H5Pclose(dapl);
    pass_source src = {.d = d, .sd = sdset};
    hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
    src.rank = fs >= 0 ? H5Sget_simple_extent_ndims(fs) : -1;
    int dims_ok = src.rank >= 2 && src.rank <= 2 + H5_MAX_RANGES &&
                  H5Sget_simple_extent_dims(fs, src.dims, NULL) >= 0;
    if (fs >= 0)
        H5Sclose(fs);
    if (sdset < 0 || d < 0 || !dims_ok || h5_shape_read(d, &sh) < 0 ||
        open_range_scales(file, &sh, range_scales) < 0) {
        st = h5_fail(err, PS_ERR_IO, path, "cannot read '%s'", in->names[v]);
        goto done;
    }
    size_t size = sh.size;
    src.size = size;
    size_t batch = BATCH_COLUMNS / nt;
    if (batch < 1)
        batch = 1;
    if (batch > size)
        batch = size;
    pb.block = read_block(d, nt * size);
    if (pb.block > in->nruns)
        pb.block = in->nruns;
    pb.buf = malloc(pb.block * nt * size * sizeof *pb.buf);
    pb.cols[0] = malloc(pb.block * nt * batch * sizeof *pb.cols[0]);
    pb.cols[1] = malloc(pb.block * nt * batch * sizeof *pb.cols[1]);
    pb.status = malloc(pb.block);
    pb.okrow = malloc(pb.block * sizeof *pb.okrow);
    mean = malloc(nt * size * sizeof *mean);
    sd = malloc(nt * size * sizeof *sd);
    qs = malloc(H5_NQUANTILES * nt * size * sizeof *qs);
    te = malloc((in->ntargets ? in->ntargets : 1) * sizeof *te);
    size_t nlen = strlen(in->names[v]) + 16;
    name = malloc(nlen);
    if (!pb.buf || !pb.cols[0] || !pb.cols[1] || !pb.status || !pb.okrow ||
        !mean || !sd || !qs || !te || !name) {
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < in->ntargets; i++)
        te[i] = strcmp(in->tvar[i], in->names[v]) == 0 && sh.ndims == 0
                    ? 0
                    : h5_shape_find(&sh, in->model_names[v], in->tvar[i]);
    var_targets tg = {te};
    for (size_t e0 = 0; e0 < size; e0 += batch) {
        size_t ne = e0 + batch <= size ? batch : size - e0;
        size_t ncols = nt * ne;
        src.e0 = e0;
        src.ne = ne;
        size_t hold = HOLD_VALUES / ncols;
        if (in->nok > hold && hold > SAMPLE_VALUES)
            hold = SAMPLE_VALUES;
        cs = ps_colstats_new(ncols, h5_quantile_levels, H5_NQUANTILES, hold);
        if (!cs) {
            st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
            goto done;
        }
        int more;
        for (unsigned pass = 0; (more = ps_colstats_begin_pass(cs)) > 0;
             pass++) {
            /* targets are counted in the first pass only */
            if (read_pass(&src, in, &pb, cs, pass == 0 ? &tg : NULL) < 0) {
                st = h5_fail(err, PS_ERR_IO, path, "cannot read '%s'",
                             in->names[v]);
                goto done;
            }
            long long nc = (long long)ncols;
#pragma omp parallel for schedule(dynamic, 1)                                  \
    num_threads(in->threads) if (nc > 1 && in->nok * ncols >= PARALLEL_VALUES)
            for (long long c = 0; c < nc; c++)
                ps_colstats_end_pass(cs, (size_t)c);
        }
        if (more < 0) {
            st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
            goto done;
        }
        for (size_t e = 0; e < ne; e++) {
            for (size_t t = 0; t < nt; t++) {
                double q[H5_NQUANTILES];
                size_t at = t * size + e0 + e;
                ps_colstats_result(cs, t * ne + e, &mean[at], &sd[at], NULL, q);
                for (size_t k = 0; k < H5_NQUANTILES; k++)
                    qs[k * nt * size + at] = q[k];
            }
        }
        ps_colstats_free(&cs);
    }
    /* the targets read from this variable, over every ok run */
    for (size_t i = 0; i < in->ntargets; i++) {
        if (te[i] >= size)
            continue;
        for (size_t t = 0; t < nt; t++) {
            long long hits = in->thits[i * nt + t],
                      runs = in->truns[i * nt + t];
            in->by_time[i * nt + t] = runs ? (double)hits / (double)runs : NAN;
            if ((long)t == in->tindex[i]) {
                in->hits[i] = hits;
                in->runs[i] = runs;
            }
        }
    }

    h5_attr_read_text(d, "long_name", &long_name);
    /* the variable's units as they are: udunits text and the model's */
    h5_attr_read_text(d, "units", &units);
    H5Eclear2(H5E_DEFAULT);
    h5_attr_read_text(d, "vensim_units", &vensim_units);
    H5Eclear2(H5E_DEFAULT);
    const char *ln = long_name ? long_name : in->model_names[v];
    label = malloc(strlen(ln) + 96);
    if (!label) {
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        goto done;
    }
    /* (time, ranges...) and (quantile, time, ranges...) */
    int rank = 1 + (int)sh.ndims;
    hsize_t dt[1 + H5_MAX_RANGES] = {nt},
                   dq[2 + H5_MAX_RANGES] = {H5_NQUANTILES, nt};
    hid_t st_scales[1 + H5_MAX_RANGES] = {time_scale},
                        q_scales[2 + H5_MAX_RANGES] = {q_scale, time_scale};
    for (size_t k = 0; k < sh.ndims; k++) {
        dt[1 + k] = dq[2 + k] = sh.n[k];
        st_scales[1 + k] = q_scales[2 + k] = range_scales[k];
    }
    const char *mn = in->model_names[v];
    sprintf(name, "%s_mean", in->names[v]);
    sprintf(label, "%s: mean over runs", ln);
    int rc = put_stat(g, name, rank, dt, mean, st_scales, label, units,
                      vensim_units, "run: mean", mn);
    sprintf(name, "%s_sd", in->names[v]);
    sprintf(label, "%s: standard deviation over runs", ln);
    rc |= put_stat(g, name, rank, dt, sd, st_scales, label, units, vensim_units,
                   "run: standard_deviation", mn);
    sprintf(name, "%s_quantiles", in->names[v]);
    sprintf(label, "%s: quantiles over runs (type 7: the numpy and R default)",
            ln);
    rc |= put_stat(g, name, rank + 1, dq, qs, q_scales, label, units,
                   vensim_units, NULL, mn);
    if (rc)
        st = h5_fail(err, PS_ERR_IO, path, "cannot write the summary of '%s'",
                     in->names[v]);
done:
    for (size_t k = 0; k < H5_MAX_RANGES; k++)
        if (range_scales[k] >= 0)
            H5Dclose(range_scales[k]);
    if (d >= 0)
        H5Dclose(d);
    if (sdset >= 0)
        H5Dclose(sdset);
    h5_shape_free(&sh);
    ps_colstats_free(&cs);
    free(pb.buf);
    free(pb.cols[0]);
    free(pb.cols[1]);
    free(pb.status);
    free(pb.okrow);
    free(te);
    free(mean);
    free(sd);
    free(qs);
    free(name);
    free(label);
    free(long_name);
    free(units);
    free(vensim_units);
    return st;
}

static int put_target_numbers(hid_t g, hid_t scale, const char *name,
                              hid_t type, hid_t memtype, const void *v,
                              size_t n, const char *long_name)
{
    hsize_t dim = n;
    double nan = NAN;
    long long zero = 0;
    int is_double = H5Tequal(type, H5T_IEEE_F64LE) > 0;
    hid_t d = h5_dataset(g, name, type, 1, &dim,
                         is_double ? (void *)&nan : (void *)&zero);
    if (d < 0)
        return -1;
    int rc = H5Dwrite(d, memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) < 0 ||
                     attach_scale(d, scale, 0) < 0 ||
                     h5_attr_text(d, "long_name", long_name) < 0 ||
                     (is_double && h5_attr_double(d, "_FillValue", NAN) < 0)
                 ? -1
                 : 0;
    H5Dclose(d);
    return rc;
}

static int write_targets(hid_t g, hid_t time_scale, const inputs *in)
{
    size_t n = in->ntargets, nt = in->ntimes;
    hid_t scale = H5Dopen2(g, H5N_TARGET, H5P_DEFAULT);
    double *p = malloc(n * sizeof *p);
    double *lo = malloc(n * sizeof *lo);
    double *hi = malloc(n * sizeof *hi);
    int rc = -1;
    if (scale < 0 || !p || !lo || !hi)
        goto done;
    for (size_t i = 0; i < n; i++) {
        p[i] = in->runs[i] ? (double)in->hits[i] / (double)in->runs[i] : NAN;
        ps_stats_wilson((size_t)in->hits[i], (size_t)in->runs[i], 0.95, &lo[i],
                        &hi[i]);
    }
    hsize_t dims[2] = {n, nt};
    double nan = NAN;
    hid_t d = h5_dataset(g, "target_probability_by_time", H5T_IEEE_F64LE, 2,
                         dims, &nan);
    if (d < 0)
        goto done;
    int bad = H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                       in->by_time) < 0 ||
              attach_scale(d, scale, 0) < 0 ||
              attach_scale(d, time_scale, 1) < 0 ||
              h5_attr_text(d, "long_name",
                           "probability that the target's rule holds at "
                           "each saved time") < 0 ||
              h5_attr_short(d, "units", "1") < 0 ||
              h5_attr_double(d, "_FillValue", NAN) < 0;
    H5Dclose(d);
    if (bad ||
        put_target_numbers(g, scale, "target_hits", H5T_STD_I64LE,
                           H5T_NATIVE_LLONG, in->hits, n,
                           "ok runs meeting the target") < 0 ||
        put_target_numbers(g, scale, "target_runs", H5T_STD_I64LE,
                           H5T_NATIVE_LLONG, in->runs, n,
                           "ok runs with a value at the target's time") < 0 ||
        put_target_numbers(g, scale, "target_probability", H5T_IEEE_F64LE,
                           H5T_NATIVE_DOUBLE, p, n,
                           "probability of meeting the target "
                           "(hits / runs)") < 0 ||
        put_target_numbers(g, scale, "target_ci_low", H5T_IEEE_F64LE,
                           H5T_NATIVE_DOUBLE, lo, n,
                           "lower end of the 95% Wilson interval") < 0 ||
        put_target_numbers(g, scale, "target_ci_high", H5T_IEEE_F64LE,
                           H5T_NATIVE_DOUBLE, hi, n,
                           "upper end of the 95% Wilson interval") < 0)
        goto done;
    rc = 0;
done:
    if (scale >= 0)
        H5Dclose(scale);
    free(p);
    free(lo);
    free(hi);
    return rc;
}

static hid_t open_group(hid_t file)
{
    if (H5Lexists(file, H5N_SUMMARY, H5P_DEFAULT) > 0)
        return H5Gopen2(file, H5N_SUMMARY, H5P_DEFAULT);
    hid_t gcpl = h5_gcpl();
    if (gcpl < 0)
        return -1;
    hid_t g = H5Gcreate2(file, H5N_SUMMARY, H5P_DEFAULT, gcpl, H5P_DEFAULT);
    H5Pclose(gcpl);
    return g;
}

static hid_t quantile_scale(hid_t g)
{
    hsize_t n = H5_NQUANTILES;
    hid_t d = h5_dataset(g, H5N_QUANTILE, H5T_IEEE_F64LE, 1, &n, NULL);
    if (d < 0)
        return -1;
    if (H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                 h5_quantile_levels) < 0 ||
        (H5DSis_scale(d) <= 0 && H5DSset_scale(d, H5N_QUANTILE) < 0) ||
        h5_attr_text(d, "long_name", "probability level of the quantile") < 0 ||
        h5_attr_short(d, "units", "1") < 0) {
        H5Dclose(d);
        return -1;
    }
    return d;
}

ps_status h5_summarize_file(hid_t file, const char *path, int threads,
                            ps_error *err)
{
    inputs in;
    memset(&in, 0, sizeof in);
    in.threads = threads > 0 ? threads : omp_get_max_threads();
    hid_t g = open_group(file);
    hid_t time_scale = -1, q_scale = -1;
    ps_status st = PS_OK;
    if (g < 0) {
        st = h5_fail(err, PS_ERR_IO, path, "cannot create the summary group");
        goto done;
    }
    st = read_inputs(file, g, path, &in, err);
    if (st != PS_OK)
        goto done;
    time_scale = H5Dopen2(file, H5N_TIME, H5P_DEFAULT);
    q_scale = quantile_scale(g);
    if (time_scale < 0 || q_scale < 0) {
        st = h5_fail(err, PS_ERR_IO, path,
                     "cannot write the quantile coordinate");
        goto done;
    }
    for (size_t v = 0; v < in.nvars && st == PS_OK; v++)
        st =
            summarize_variable(file, g, time_scale, q_scale, path, &in, v, err);
    if (st == PS_OK && in.ntargets && write_targets(g, time_scale, &in) < 0)
        st = h5_fail(err, PS_ERR_IO, path, "cannot write the target results");
    if (st == PS_OK &&
        (h5_attr_int64(g, "runs_ok", (int64_t)in.nok) < 0 ||
         h5_attr_int64(g, "runs_failed", in.nfailed) < 0 ||
         h5_attr_int64(g, "runs_pending", in.npending) < 0 ||
         h5_attr_text(g, "comment",
                      "Statistics over the runs whose run_status is ok. "
                      "Quantiles are type 7 (linear interpolation at "
                      "(n - 1) p), the default of numpy.quantile and of R; "
                      "intervals are 95% Wilson score intervals.") < 0))
        st = h5_fail(err, PS_ERR_IO, path, "cannot write the summary");
done:
    if (q_scale >= 0)
        H5Dclose(q_scale);
    if (time_scale >= 0)
        H5Dclose(time_scale);
    if (g >= 0)
        H5Gclose(g);
    inputs_free(&in);
    return st;
}

ps_status ps_h5_summarize(const char *path, ps_error *err)
{
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = h5_check_regular(path, err);
    if (st != PS_OK) {
        h5_quiet_end(&q);
        return st;
    }
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0)
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, fapl);
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f < 0) {
        st = h5_fail(err, PS_ERR_NOINPUT, path,
                     "cannot open the ensemble file for writing");
    } else {
        st = h5_layout_check(f, path, err);
        if (st == PS_OK)
            st = h5_summarize_file(f, path, 0, err);
        if (H5Fclose(f) < 0 && st == PS_OK)
            st = h5_fail(err, PS_ERR_IO, path, "cannot close the file");
    }
    h5_quiet_end(&q);
    return st;
}
