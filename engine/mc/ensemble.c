/*
 * ps_ensemble_run: the engine's one OpenMP parallel region.
 *
 * Every thread loops: take a free block buffer from the pool, take the
 * next block of runs from an atomic counter, run it, mark the buffer
 * ready.  Thread 0 is also the writer: before each of its own blocks, and
 * after its last one until the other threads are done, it hands every
 * ready buffer to the sink and frees it.  No other thread ever calls the
 * sink.  A thread that finds no free buffer waits (yield, then short
 * sleeps) until the writer frees one, so at most 2 x threads + 2 blocks
 * are ever in memory.
 *
 * Blocks are handed out in order.  A cancellation stops every block
 * after its current run; the runs finished are written (short blocks), so
 * after a cancellation `done` runs are written, each whole.
 *
 * Spread over processes (spec->spread), a worker runs the same region
 * with the blocks the spread deals it and sends each finished block
 * instead of writing it; the writer runs no region: it hands the blocks
 * it receives to the sink as they come (serve_blocks).
 */
#include <omp.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mc_impl.h"

typedef struct ensemble {
    const mc_plan *plan;
    const ps_sink_type *type;
    void *sink;
    const ps_ensemble_spread *worker; /* set: blocks come from and go to
                                         the spread's writer           */
    omp_lock_t lock;        /* guards the pool, finished and fatal     */
    mc_pool pool;
    size_t next_block;      /* atomic: the next block to hand out      */
    int stop;               /* atomic: hand out no more blocks         */
    int abort;              /* atomic: leave blocks in progress        */
    int cancel_seen;        /* atomic: stop came from spec->cancel     */
    int finished;           /* threads other than the writer that left */
    ps_status fatal;        /* the first error that stopped everything */
    ps_error fatal_err;
    ps_ensemble_report report; /* the writer's alone                   */
} ensemble;

static int read_flag(const int *flag)
{
    int v;
#pragma omp atomic read
    v = *flag;
    return v;
}

static void set_flag(int *flag)
{
#pragma omp atomic write
    *flag = 1;
}

/* Records the first fatal error and stops every thread. */
static void fail(ensemble *e, ps_status st, const ps_error *err)
{
    omp_set_lock(&e->lock);
    if (e->fatal == PS_OK) {
        e->fatal = st;
        e->fatal_err = *err;
    }
    omp_unset_lock(&e->lock);
    set_flag(&e->stop);
    set_flag(&e->abort);
}

/* Whether to take no more blocks; polls the caller's cancel flag. */
static int stopping(ensemble *e)
{
    volatile sig_atomic_t *cancel = e->plan->spec->cancel;
    if (cancel && *cancel && !read_flag(&e->stop)) {
        set_flag(&e->cancel_seen);
        set_flag(&e->stop);
    }
    return read_flag(&e->stop);
}

/* Waiting without a condition variable (OpenMP has none): yield a few
   times, then sleep 0.1 ms at a time. */
static void back_off(unsigned *spins)
{
    if (*spins < 64) {
        (*spins)++;
        sched_yield();
        return;
    }
    struct timespec ts = {0, 100000};
    nanosleep(&ts, NULL);
}

/* Sends block b to the spread's writer; *written: its runs not skipped
   (a block with none is not sent). */
static ps_status send_block(ensemble *e, const mc_block *b, size_t *written,
                            ps_error *err)
{
    const unsigned char *skip = e->plan->spec->skip;
    *written = 0;
    for (size_t i = 0; i < b->count; i++)
        *written += !(skip && skip[b->first + i]);
    if (*written == 0)
        return PS_OK;
    ps_ensemble_block out = {
        .first = b->first,
        .count = b->count,
        .status = b->status,
        .values = b->values,
        .inputs = e->plan->spec->ninputs ? b->inputs : NULL,
        .nvalues = e->plan->run_values,
        .ninputs = e->plan->spec->ninputs,
        .failed = b->failed,
        .first_failed = b->first_failed,
        .first_failure = b->failure,
        .seconds_inputs = b->seconds_inputs,
        .seconds_model = b->seconds_model,
    };
    return e->worker->send(e->worker->ctx, &out, err);
}

/* Hands block b to the sink: whole, or with spec->skip its stretches of
   runs that are not skipped.  Sets *written to the runs handed over.  A
   worker sends it to the writer instead. */
static ps_status write_block(ensemble *e, const mc_block *b, size_t *written,
                             ps_error *err)
{
    if (e->worker)
        return send_block(e, b, written, err);
    const ps_ensemble_spec *spec = e->plan->spec;
    size_t nin = spec->ninputs, nv = e->plan->run_values;
    *written = 0;
    size_t a = 0;
    while (a < b->count) {
        while (spec->skip && a < b->count && spec->skip[b->first + a])
            a++;
        size_t z = a;
        while (z < b->count && !(spec->skip && spec->skip[b->first + z]))
            z++;
        if (z > a) {
            ps_status st = e->type->write_block(
                e->sink, b->first + a, z - a, b->status + a, b->values + a * nv,
                nin ? b->inputs + a * nin : NULL, err);
            if (st != PS_OK)
                return st;
            *written += z - a;
        }
        a = z;
    }
    return PS_OK;
}

/* Adds a written block (`written` runs of it) to the report. */
static void account(ensemble *e, const mc_block *b, size_t written)
{
    ps_ensemble_report *rep = &e->report;
    rep->done += written;
    rep->seconds_inputs += b->seconds_inputs;
    rep->seconds_model += b->seconds_model;
    if (b->failed) {
        if (rep->failed == 0 || b->first_failed < rep->first_failed) {
            rep->first_failed = b->first_failed;
            rep->first_failure = b->failure;
        }
        rep->failed += b->failed;
    }
}

/* Writer only: hands every ready block to the sink.  Returns how many it
   wrote.  After an error nothing more is written. */
static size_t drain(ensemble *e)
{
    const ps_ensemble_spec *spec = e->plan->spec;
    size_t n = 0;
    while (!read_flag(&e->abort)) {
        omp_set_lock(&e->lock);
        mc_block *b = mc_pool_take_ready(&e->pool);
        omp_unset_lock(&e->lock);
        if (!b)
            break;
        ps_error err;
        size_t written = 0;
        double t0 = omp_get_wtime();
        ps_status st = write_block(e, b, &written, &err);
        e->report.seconds_writing += omp_get_wtime() - t0;
        if (st == PS_OK) {
            account(e, b, written);
            n++;
        }
        omp_set_lock(&e->lock);
        mc_pool_release(&e->pool, b);
        omp_unset_lock(&e->lock);
        if (st != PS_OK) {
            fail(e, st, &err);
            break;
        }
        if (spec->progress && written > 0)
            spec->progress(e->report.skipped + e->report.done, spec->nruns,
                           spec->progress_ctx);
    }
    return n;
}

/* A free buffer, waiting for one if need be (the writer drains instead of
   waiting, since it is the one who frees buffers).  NULL when the
   ensemble stops meanwhile. */
static mc_block *acquire(ensemble *e, int writer)
{
    unsigned spins = 0;
    for (;;) {
        ps_status st;
        omp_set_lock(&e->lock);
        mc_block *b = mc_pool_acquire(&e->pool, &st);
        omp_unset_lock(&e->lock);
        if (b)
            return b;
        if (st != PS_OK) {
            ps_error err;
            fail(e, ps_error_set(&err, st, NULL, 0, 0, "out of memory"),
                 &err);
            return NULL;
        }
        if (stopping(e))
            return NULL;
        if (writer && drain(e) > 0)
            continue;
        back_off(&spins);
    }
}

/* Writer only, after its last block: writes what the others finish until
   they have all left. */
static void finish_writing(ensemble *e, int nthreads)
{
    unsigned spins = 0;
    for (;;) {
        omp_set_lock(&e->lock);
        int others_done = e->finished == nthreads - 1;
        omp_unset_lock(&e->lock);
        /* Drain after the check: blocks finished before a thread left are
           all visible now. */
        if (drain(e) > 0)
            spins = 0;
        if (others_done)
            return;
        back_off(&spins);
    }
}

static void thread_main(ensemble *e)
{
    const mc_plan *plan = e->plan;
    int writer = omp_get_thread_num() == 0;
    ps_error err;
    mc_runner *runner = mc_runner_new(plan, &err);
    if (!runner)
        fail(e, PS_ERR_NOMEM, &err);
    while (runner) {
        if (writer)
            drain(e);
        if (stopping(e))
            break;
        mc_block *b = acquire(e, writer);
        if (!b)
            break;
        size_t k;
        if (e->worker) {
            k = e->worker->next_block(e->worker->ctx);
            if (k > plan->nblocks)
                k = plan->nblocks;
        } else {
#pragma omp atomic capture
            k = e->next_block++;
        }
        ps_status st = PS_OK;
        if (k < plan->nblocks)
            st = mc_run_block(runner, k, b, &e->abort, &err);
        omp_set_lock(&e->lock);
        if (k < plan->nblocks && st == PS_OK && b->count > 0)
            mc_pool_ready(&e->pool, b);
        else
            mc_pool_release(&e->pool, b);
        omp_unset_lock(&e->lock);
        if (k >= plan->nblocks)
            break;
        if (st != PS_OK && st != PS_ERR_INTERRUPTED)
            fail(e, st, &err);
    }
    mc_runner_free(&runner);
    if (writer) {
        finish_writing(e, omp_get_num_threads());
    } else {
        omp_set_lock(&e->lock);
        e->finished++;
        omp_unset_lock(&e->lock);
    }
}

/* The threads to start: as asked (0: OpenMP's default), never more than
   there are blocks. */
static int thread_count(const mc_plan *plan)
{
    int t = plan->spec->threads ? plan->spec->threads : omp_get_max_threads();
    if (t < 1)
        t = 1;
    if ((size_t)t > plan->nblocks)
        t = (int)plan->nblocks;
    return t;
}

/* Runs every block; begin has succeeded and end is the caller's. */
static void run_blocks(ensemble *e)
{
    int threads = thread_count(e->plan);
    if (threads == 0)
        return;
    ps_error err;
    ps_status st = mc_pool_init(&e->pool, 2 * (size_t)threads + 2,
                                e->plan->block, e->plan->run_values,
                                e->plan->spec->ninputs, &err);
    if (st != PS_OK) {
        e->fatal = st;
        e->fatal_err = err;
        return;
    }
    omp_init_lock(&e->lock);
#pragma omp parallel num_threads(threads)
    thread_main(e);
    omp_destroy_lock(&e->lock);
    mc_pool_free(&e->pool);
}

/* The writer's ps_ensemble_deliver: a block run elsewhere to the sink. */
static ps_status deliver_block(void *ctx, const ps_ensemble_block *in,
                               ps_error *err)
{
    ensemble *e = ctx;
    const ps_ensemble_spec *spec = e->plan->spec;
    if (in->first >= spec->nruns || in->count > spec->nruns - in->first)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "a block of runs %zu to %zu arrived for an "
                            "ensemble of %zu runs",
                            in->first, in->first + in->count, spec->nruns);
    mc_block b = {
        .first = in->first,
        .count = in->count,
        .status = (unsigned char *)in->status,
        .values = (double *)in->values,
        .inputs = (double *)in->inputs,
        .failed = in->failed,
        .seconds_inputs = in->seconds_inputs,
        .seconds_model = in->seconds_model,
        .first_failed = in->first_failed,
        .failure = in->first_failure,
    };
    size_t written = 0;
    double t0 = omp_get_wtime();
    ps_status st = write_block(e, &b, &written, err);
    e->report.seconds_writing += omp_get_wtime() - t0;
    if (st != PS_OK)
        return st;
    account(e, &b, written);
    if (spec->progress && written > 0)
        spec->progress(e->report.skipped + e->report.done, spec->nruns,
                       spec->progress_ctx);
    return PS_OK;
}

/* The writer's part of a spread ensemble: every block, run elsewhere,
   into the sink; begin has succeeded and end is the caller's. */
static void serve_blocks(ensemble *e)
{
    const ps_ensemble_spread *sp = e->plan->spec->spread;
    volatile sig_atomic_t *cancel = e->plan->spec->cancel;
    int interrupted = 0;
    ps_error err;
    ps_status st = sp->serve(sp->ctx, &e->stop, cancel, deliver_block, e,
                             &interrupted, &err);
    if (interrupted || (cancel && *cancel))
        e->cancel_seen = 1;
    if (st != PS_OK && st != PS_ERR_INTERRUPTED) {
        e->fatal = st;
        e->fatal_err = err;
    }
}

/* A worker's part: the blocks it is dealt, sent to the writer; then it
   tells the writer how it ended. */
static ps_status work(ensemble *e, ps_ensemble_report *report, ps_error *err)
{
    run_blocks(e);
    ps_status st = e->fatal;
    ps_error why = e->fatal_err;
    if (st == PS_OK && e->cancel_seen)
        st = ps_error_set(&why, PS_ERR_INTERRUPTED, NULL, 0, 0,
                          "interrupted after %zu runs of this process",
                          e->report.done);
    ps_error finish_err;
    ps_status fst = e->worker->finish(e->worker->ctx, st, &why, &finish_err);
    *report = e->report;
    report->cancelled = e->cancel_seen;
    if (st != PS_OK) {
        if (err)
            *err = why;
        return st;
    }
    if (fst != PS_OK && err)
        *err = finish_err;
    return fst;
}

ps_status ps_ensemble_run(const ps_ensemble_spec *spec,
                          const ps_sink_type *sink_type, void *sink,
                          ps_ensemble_report *report, ps_error *err)
{
    ps_ensemble_report local;
    if (!report)
        report = &local;
    memset(report, 0, sizeof *report);
    report->first_failed = SIZE_MAX;
    const ps_ensemble_spread *spread = spec ? spec->spread : NULL;
    int worker = ps_ensemble_spread_worker(spread);
    if (!spec || (!worker && (!sink_type || !sink_type->begin ||
                              !sink_type->write_block || !sink_type->end)))
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "an ensemble needs a spec and a complete sink");
    /* The runs of an ensemble share their saved times: time settings
       that change during a run would give each run times of its own. */
    if (spec->prog && ps_program_dynamic_time(spec->prog))
        return ps_error_set(err, PS_ERR_USAGE, ps_program_path(spec->prog), 0,
                            0,
                            "FINAL TIME, TIME STEP or SAVEPER change during "
                            "the run: an ensemble needs time settings fixed "
                            "for the whole run");

    mc_plan plan;
    ps_status st = mc_plan_init(&plan, spec, err);
    if (st != PS_OK)
        return st;
    /* Spread: every process skips the writer's runs to skip. */
    ps_ensemble_spec with_skip;
    if (spread) {
        const unsigned char *skip = spec->skip;
        st = spread->begin(spread->ctx, spec->nruns, plan.nblocks, &skip, err);
        if (st != PS_OK) {
            mc_plan_free(&plan);
            return st;
        }
        with_skip = *spec;
        with_skip.skip = skip;
        plan.spec = spec = &with_skip;
    }
    ensemble e;
    memset(&e, 0, sizeof e);
    e.plan = &plan;
    e.type = sink_type;
    e.sink = sink;
    e.worker = worker ? spread : NULL;
    e.report.first_failed = SIZE_MAX;
    if (worker) {
        st = work(&e, report, err);
        mc_plan_free(&plan);
        return st;
    }
    for (size_t r = 0; spec->skip && r < spec->nruns; r++)
        e.report.skipped += spec->skip[r] != 0;
    size_t todo = spec->nruns - e.report.skipped;

    /* begin, every write_block and end all run on this thread: the
       writer is thread 0 of the region, which is the calling thread. */
    st = sink_type->begin(sink, &plan.layout, err);
    if (st != PS_OK) {
        if (spread) { /* the workers wait for blocks: deal them none */
            e.stop = 1;
            serve_blocks(&e);
        }
        mc_plan_free(&plan);
        return st;
    }
    if (spread)
        serve_blocks(&e);
    else
        run_blocks(&e);
    ps_error end_err;
    ps_status end_st = sink_type->end(sink, &end_err);

    e.report.cancelled = e.cancel_seen && e.report.done < todo;
    *report = e.report;
    if (e.fatal != PS_OK) {
        st = e.fatal;
        if (err)
            *err = e.fatal_err;
    } else if (end_st != PS_OK) {
        st = end_st;
        if (err)
            *err = end_err;
    } else if (report->cancelled) {
        st = ps_error_set(err, PS_ERR_INTERRUPTED, NULL, 0, 0,
                          "interrupted after %zu of %zu runs",
                          report->skipped + report->done, spec->nruns);
    } else if (report->done != todo) {
        st = ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                          "only %zu of %zu runs were written", report->done,
                          todo);
    }
    mc_plan_free(&plan);
    return st;
}

size_t ps_ensemble_layout_series(const ps_ensemble_layout *layout, size_t var,
                                 size_t elem)
{
    for (size_t v = 0; v < layout->nsave; v++) {
        if (layout->save[v] != var)
            continue;
        size_t size = layout->sizes ? layout->sizes[v] : 1;
        if (elem >= size)
            return SIZE_MAX;
        return (layout->offset ? layout->offset[v] : v) + elem;
    }
    return SIZE_MAX;
}
