/*
 * The sweep, point by point: the ensemble at every grid point the file
 * does not hold yet, its counts turned into the surface's probabilities
 * and intervals, each point put into the file as it finishes.
 */
#include "plansim_study/sweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/stats.h"

/* Progress over the whole grid: a point's runs after the points done. */
typedef struct grid_progress {
    const study_progress *progress;
    size_t point, nruns, total;
} grid_progress;

static void on_runs(size_t done, size_t total, void *ctx)
{
    (void)total;
    grid_progress *g = ctx;
    g->progress->runs(g->point * g->nruns + done, g->total, g->progress->ctx);
}

/* The grid points the file holds already (resuming), or NULL; in a job,
   rank 0's, copied to every rank (*copy, which the caller frees). */
static ps_status points_done(const sweep_file *file, size_t npoints,
                             const ps_ensemble_spread *spread,
                             const unsigned char **done, unsigned char **copy,
                             ps_error *err)
{
    *done = file ? sweep_file_done(file) : NULL;
    *copy = NULL;
    if (!spread)
        return PS_OK;
    *copy = calloc(npoints ? npoints : 1, 1);
    if (!*copy)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (*done)
        memcpy(*copy, *done, npoints);
    *done = *copy;
    return spread->share(spread->ctx, *copy, npoints, err);
}

/* Point pt of the surface from its counts. */
static void put_counts(sweep_surface *s, size_t pt, const long long *hits,
                       const long long *runs)
{
    for (size_t k = 0; k < s->ntargets; k++) {
        size_t at = k * s->npoints + pt;
        s->hits[at] = hits[k];
        s->runs[at] = runs[k];
        s->p[at] = runs[k] ? (double)hits[k] / (double)runs[k] : NAN;
        ps_stats_wilson((size_t)hits[k], (size_t)runs[k], 0.95, &s->lo[at],
                        &s->hi[at]);
        if (runs[k] == 0)
            s->lo[at] = s->hi[at] = NAN;
    }
}

ps_status sweep_grid_run(const grid_axis *axes, size_t naxes, lever_eval *ev,
                         sweep_surface *s, sweep_file *file,
                         const sweep_grid_hooks *hooks, ps_error *err)
{
    static const sweep_grid_hooks none = {0};
    const sweep_grid_hooks *h = hooks ? hooks : &none;
    const unsigned char *done;
    unsigned char *done_copy;
    ps_status st =
        points_done(file, s->npoints, ev->spread, &done, &done_copy, err);
    long long *hits = malloc((s->ntargets ? s->ntargets : 1) * sizeof *hits);
    long long *runs = malloc((s->ntargets ? s->ntargets : 1) * sizeof *runs);
    if (st == PS_OK && (!hits || !runs))
        st = ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    grid_progress gp = {&h->progress, 0, ev->nruns, s->npoints * ev->nruns};
    ev->progress = h->progress.runs ? on_runs : NULL;
    ev->progress_ctx = &gp;
    if (st == PS_OK)
        study_progress_begin(&h->progress, gp.total);
    int warned = 0;
    double values[GRID_MAX_AXES];
    for (size_t pt = 0; pt < s->npoints && st == PS_OK; pt++) {
        if (done && done[pt])
            continue;
        gp.point = pt;
        grid_point(axes, naxes, pt, values);
        ps_ensemble_report rep;
        memset(&rep, 0, sizeof rep);
        st = lever_eval_at(ev, values, hits, runs, &rep, err);
        if (st != PS_OK)
            break;
        s->failed[pt] = (long long)rep.failed;
        if (rep.failed && !warned && h->failures) {
            h->failures(h->ctx, &rep, values);
            warned = 1;
        }
        put_counts(s, pt, hits, runs);
        if (file)
            st = sweep_file_put(file, pt, err);
    }
    study_progress_end(&h->progress);
    ev->progress = NULL;
    ev->progress_ctx = NULL;
    free(hits);
    free(runs);
    free(done_copy);
    return st;
}
