/*
 * The sink's private state, shared by its lifecycle (h5_sink.c), what it
 * writes before the runs (h5_meta.c) and the run writer (h5_write.c).
 */
#ifndef PS_H5_SINK_H
#define PS_H5_SINK_H

#include "h5_impl.h"

/* A chunk of whole runs being filled: runs arrive in blocks that need not
   line up with chunks, and a chunk is written once, when complete. */
typedef struct h5_chunk {
    size_t index;          /* chunk number: runs [index*k, index*k + nrun) */
    size_t nrun;           /* runs in it: k, fewer for the last chunk */
    size_t filled;         /* runs received */
    double *values;        /* per variable v, from voff[v] * nrun * ntimes:
                              [nrun][ntimes][size[v]] (the dataset's
                              order) */
    double *inputs;        /* [nrun][ninputs] */
    unsigned char *status; /* [nrun] */
    unsigned char *seen;   /* [nrun]: received? */
} h5_chunk;

struct ps_h5_sink {
    char *path;    /* final name */
    char *partial; /* path + ".partial", the file being written */
    hid_t file;
    ps_h5_options opts;

    size_t nvars;
    char **names; /* dataset names */
    size_t *size;   /* [nvars] elements of each variable (1: a scalar) */
    size_t *voff;   /* [nvars] its first series (sum of earlier sizes) */
    size_t nseries; /* series of a run: the sum of sizes */
    size_t *vndims; /* [nvars] its ranges */
    size_t *vdims;  /* its ranges' file dimensions, from vdim_at[v] */
    size_t *vdim_at;
    size_t nfdims;  /* the file's range dimensions */
    char **fdim_names;    /* their dataset names */
    size_t *fdim_n;       /* their element counts */
    char ***fdim_elements; /* their element names */
    hid_t *fdim_scales;
    char **model_names;
    char **units;      /* entries may be NULL */
    char **long_names; /* never NULL (the model name when not given) */
    char *time_units;  /* may be NULL */
    h5_udunits *udunits; /* checks `units` text; NULL: no `units` written */
    size_t ninputs;
    size_t ntargets;
    double *target_times;

    int begun, ended;
    int failed; /* a write failed: the file must not be committed */

    size_t nruns, ntimes, k; /* k: runs per chunk */
    hid_t run_scale, time_scale, param_scale;
    hid_t param_value, run_status;
    hid_t *vars; /* [nvars] */

    h5_chunk **pending; /* partially filled chunks */
    size_t npending, cap;

    int resume;             /* reopened .partial (h5_resume.c)           */
    unsigned char *written; /* [nruns] run is in the file; NULL: none yet */
    double last_flush;      /* monotonic seconds of the last flush        */
};

/* A sink for `path` from a checked meta, with no file open yet (for
   h5_resume.c); NULL with err set.  Free with h5_sink_discard. */
ps_h5_sink *h5_sink_make(const char *path, const ps_h5_meta *meta,
                         const ps_h5_options *opts, ps_error *err);
void h5_sink_discard(ps_h5_sink *s);

/* Opens the datasets begin would create, in a resumed file that has them,
   and checks their shape against the layout (h5_resume.c).  PS_ERR_DATA
   naming what differs. */
ps_status h5_resume_datasets(ps_h5_sink *s, const ps_ensemble_layout *lay,
                             ps_error *err);

/* Monotonic seconds, for the flush interval. */
double h5_now(void);

/* Writes the global attributes, the `param` coordinates and the target
   definitions (h5_meta.c). */
ps_status h5_write_meta(ps_h5_sink *s, const ps_h5_meta *meta, ps_error *err);

/* Writes every partially filled chunk (runs not received stay pending)
   and flushes the file (h5_write.c). */
ps_status h5_flush_pending(ps_h5_sink *s, ps_error *err);

/* Frees the chunk buffers without writing them. */
void h5_drop_pending(ps_h5_sink *s);

#endif
