/*
 * plansim-bench: the HDF5 writer's throughput.  The ensemble saves every
 * stock and flow/auxiliary of economy50, so that writing, not the model,
 * takes most of the time, and runs on OpenMP's default thread count as
 * the command line does.  The figure is MB of values per second:
 * nruns x nsave x ntimes x 8 bytes over the time of ps_ensemble_run and
 * ps_h5_sink_close (opening the file is not timed, nor the commit's
 * fsync, which times the disk).  Printed for a sink that discards (what
 * the model alone allows), then an uncompressed file and a compressed one
 * (shuffle + deflate level 4), each with the file's size and the ratio of
 * the values' bytes to it.  The files go to a temporary folder, removed
 * afterwards.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "bench_list.h"

#define MAX_REPS 16

typedef struct plan {
    size_t nruns;
    size_t reps;
    int warmup; /* one ensemble, before the first figure */
} plan;

/* 3 x 10,000 runs: compressing is slow (~20 MB/s on a busy machine). */
static const plan full_plan = {10000, 3, 1};
static const plan quick_plan = {1000, 1, 0};

/* What one line measures: the null sink (level < 0) or an HDF5 file. */
typedef struct target {
    const char *label;
    int level;
} target;

static const target targets[] = {
    {"discard", -1},
    {"h5 level 0", 0},
    {"h5 level 4", 4},
};
#define NTARGETS (sizeof targets / sizeof targets[0])

/* One ensemble into `t`: its ns, or -1 after a FAIL line.  *size receives
   the file's size (0 for the null sink). */
static double write_once(const bench_mc *mc, const plan *pl, const target *t,
                         const char *dir, double *size)
{
    ps_ensemble_spec spec = bench_mc_spec(mc, pl->nruns, 0);
    ps_ensemble_report rep;
    ps_error err;
    ps_error_clear(&err);
    double ns;
    ps_status st;
    *size = 0;
    if (t->level < 0) {
        bench_null_sink sink = {0};
        double start = bench_now_ns();
        st = ps_ensemble_run(&spec, &bench_null_sink_type, &sink, &rep, &err);
        ns = bench_now_ns() - start;
    } else {
        char path[4096], partial[4200];
        snprintf(path, sizeof path, "%s/writer.nc", dir);
        snprintf(partial, sizeof partial, "%s.partial", path);
        st = bench_mc_write_h5(mc, &spec, path, t->level, &ns, &rep, &err);
        struct stat sb;
        if (st == PS_OK && stat(partial, &sb) != 0)
            st = ps_error_set(&err, PS_ERR_IO, partial, 0, 0,
                              "the file written is not there");
        *size = st == PS_OK ? (double)sb.st_size : 0;
        remove(partial);
    }
    if (st != PS_OK) {
        bench_fail(mc->model, "%s: %s", t->label, err.message);
        return -1;
    }
    if (rep.failed > 0 || rep.done != pl->nruns) {
        bench_fail(mc->model, "%s: %zu of %zu runs written, %zu failed",
                   t->label, rep.done, pl->nruns, rep.failed);
        return -1;
    }
    return ns;
}

static int measure(const bench_mc *mc, const plan *pl, const target *t,
                   const char *dir)
{
    double samples[MAX_REPS], size = 0;
    for (size_t r = 0; r < pl->reps; r++)
        if ((samples[r] = write_once(mc, pl, t, dir, &size)) < 0)
            return -1;
    bench_figure f;
    bench_summarize(samples, pl->reps, &f);
    double bytes = (double)pl->nruns * (double)mc->nsave * (double)mc->ntimes *
                   sizeof(double);
    char file[64] = "";
    if (t->level >= 0)
        snprintf(file, sizeof file, "file %6.1f MB  ratio %5.2fx", size / 1e6,
                 bytes / size);
    bench_row(mc->model,
              "%-10s %8.1f MB/s   %-28s   (%.1f MB of values: %zu runs x %zu "
              "variables x %zu times x 8 B; spread %.0f%%)",
              t->label, bytes / 1e6 / (f.ns / 1e9), file, bytes / 1e6,
              pl->nruns, mc->nsave, mc->ntimes, 100 * f.spread);
    return 0;
}

BENCH_IMPL(writer)
{
    const plan *pl = o->quick ? &quick_plan : &full_plan;
    bench_mc mc;
    if (bench_mc_open(o, BENCH_MC_SAVE_ALL, &mc) != 0)
        return 1;
    char dir[4096];
    if (bench_tmpdir_make(dir, sizeof dir) != 0) {
        bench_fail(mc.model, "no temporary folder for the files");
        bench_mc_close(&mc);
        return 1;
    }
    int rc = 0;
    double size;
    /* Warm-up: the thread pool, the caches and the CPU clock. */
    if (pl->warmup && write_once(&mc, pl, &targets[0], dir, &size) < 0)
        rc = 1;
    for (size_t i = 0; i < NTARGETS && rc == 0; i++)
        if (measure(&mc, pl, &targets[i], dir) != 0)
            rc = 1;
    bench_tmpdir_remove(dir);
    bench_mc_close(&mc);
    return rc;
}
