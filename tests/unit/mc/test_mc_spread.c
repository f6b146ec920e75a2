/*
 * An ensemble spread over processes (ps_ensemble_spread), with the
 * processes played by two threads of this one and the network by a queue
 * in memory: the writer's sink gets what one process would give it, the
 * writer's runs to skip reach the worker, and a sink error or a worker's
 * cancellation ends both sides cleanly.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem_sink.h"
#include "tiny_model.h"
#include "plansim/sim.h"

/* What the worker sent: a block (its arrays copied) or its last word. */
typedef struct message {
    int finished;
    ps_status status;
    ps_error why;
    ps_ensemble_block block;
    unsigned char *status_copy;
    double *values, *inputs;
} message;

#define QUEUE 1024

/* The network between the writer and one worker. */
typedef struct wire {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int begun;
    const unsigned char *skip; /* the writer's                       */
    size_t nblocks, next;      /* blocks dealt so far                */
    const int *stop;           /* the writer's, while it serves      */
    message queue[QUEUE];
    size_t head, tail;
    size_t dealt;
    int broken; /* the worker's side saw something wrong (checked by
                   the main thread: cmocka asserts on it alone)      */
} wire;

static wire *wire_of(void *ctx)
{
    return ctx;
}

static ps_status writer_begin(void *ctx, size_t nruns, size_t nblocks,
                              const unsigned char **skip, ps_error *err)
{
    wire *w = wire_of(ctx);
    (void)nruns, (void)err;
    pthread_mutex_lock(&w->lock);
    w->skip = *skip;
    w->nblocks = nblocks;
    w->begun = 1;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    return PS_OK;
}

static ps_status worker_begin(void *ctx, size_t nruns, size_t nblocks,
                              const unsigned char **skip, ps_error *err)
{
    wire *w = wire_of(ctx);
    (void)nruns, (void)err;
    pthread_mutex_lock(&w->lock);
    while (!w->begun)
        pthread_cond_wait(&w->changed, &w->lock);
    *skip = w->skip;
    if (nblocks != w->nblocks)
        w->broken = 1;
    pthread_mutex_unlock(&w->lock);
    return PS_OK;
}

static size_t next_block(void *ctx)
{
    wire *w = wire_of(ctx);
    size_t k = SIZE_MAX;
    pthread_mutex_lock(&w->lock);
    if (!(w->stop && *w->stop) && w->next < w->nblocks) {
        k = w->next++;
        w->dealt++;
    }
    pthread_mutex_unlock(&w->lock);
    return k;
}

static void post(wire *w, const message *m)
{
    pthread_mutex_lock(&w->lock);
    if (w->tail - w->head >= QUEUE)
        abort(); /* the writer stopped reading */
    w->queue[w->tail++ % QUEUE] = *m;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
}

static ps_status send(void *ctx, const ps_ensemble_block *b, ps_error *err)
{
    (void)err;
    message m = {.block = *b};
    size_t nv = b->count * b->nvalues, ni = b->count * b->ninputs;
    m.status_copy = malloc(b->count);
    m.values = malloc((nv ? nv : 1) * sizeof *m.values);
    m.inputs = b->inputs ? malloc((ni ? ni : 1) * sizeof *m.inputs) : NULL;
    if (!m.status_copy || !m.values || (b->inputs && !m.inputs))
        abort();
    memcpy(m.status_copy, b->status, b->count);
    memcpy(m.values, b->values, nv * sizeof *m.values);
    if (b->inputs)
        memcpy(m.inputs, b->inputs, ni * sizeof *m.inputs);
    m.block.status = m.status_copy;
    m.block.values = m.values;
    m.block.inputs = m.inputs;
    post(wire_of(ctx), &m);
    return PS_OK;
}

static ps_status finish(void *ctx, ps_status st, const ps_error *why,
                        ps_error *err)
{
    (void)err;
    message m = {.finished = 1, .status = st};
    if (st != PS_OK)
        m.why = *why;
    post(wire_of(ctx), &m);
    return PS_OK;
}

static ps_status serve(void *ctx, const int *stop,
                       volatile sig_atomic_t *cancel,
                       ps_ensemble_deliver deliver, void *deliver_ctx,
                       int *interrupted, ps_error *err)
{
    (void)cancel;
    wire *w = wire_of(ctx);
    ps_status first = PS_OK;
    *interrupted = 0;
    pthread_mutex_lock(&w->lock);
    w->stop = stop;
    pthread_mutex_unlock(&w->lock);
    for (int done = 0; !done;) {
        pthread_mutex_lock(&w->lock);
        while (w->head == w->tail)
            pthread_cond_wait(&w->changed, &w->lock);
        message m = w->queue[w->head++ % QUEUE];
        pthread_mutex_unlock(&w->lock);
        if (m.finished) {
            done = 1;
            if (m.status == PS_ERR_INTERRUPTED)
                *interrupted = 1;
            else if (m.status != PS_OK && first == PS_OK) {
                first = m.status;
                *err = m.why;
            }
        } else if (first == PS_OK) {
            ps_status st = deliver(deliver_ctx, &m.block, err);
            if (st != PS_OK) {
                first = st;
                pthread_mutex_lock(&w->lock);
                w->next = w->nblocks; /* deal no more */
                pthread_mutex_unlock(&w->lock);
            }
        }
        free(m.status_copy);
        free(m.values);
        free(m.inputs);
    }
    return first;
}

typedef struct side {
    wire *w;
    ps_ensemble_spread spread;
    ps_ensemble_spec spec;
    ps_ensemble_report report;
    ps_error err;
    ps_status st;
    volatile sig_atomic_t cancel;
} side;

static void side_init(side *s, wire *w, int writer,
                      const ps_ensemble_spec *spec)
{
    memset(s, 0, sizeof *s);
    s->w = w;
    s->spread = (ps_ensemble_spread){
        .ctx = w,
        .writer = writer,
        .begin = writer ? writer_begin : worker_begin,
        .serve = serve,
        .next_block = next_block,
        .send = send,
        .finish = finish,
    };
    s->spec = *spec;
    s->spec.spread = &s->spread;
}

static void *work(void *arg)
{
    side *s = arg;
    s->st = ps_ensemble_run(&s->spec, NULL, NULL, &s->report, &s->err);
    return NULL;
}

/* A writer and a worker of `nruns` runs of the tiny model, blocks of 5,
   the worker on 2 threads, and the writer's sink. */
typedef struct pair {
    tiny t;
    wire w;
    side writer, worker;
    mem_sink sink;
} pair;

static void pair_init(pair *p, size_t nruns)
{
    tiny_init(&p->t, nruns, 2, 5);
    side_init(&p->writer, &p->w, 1, &p->t.spec);
    side_init(&p->worker, &p->w, 0, &p->t.spec);
    mem_sink_init(&p->sink);
}

static void pair_free(pair *p)
{
    mem_sink_free(&p->sink);
    tiny_free(&p->t);
}

/* Runs the writer here and the worker on a thread; fills both sides. */
static void pair_run(pair *p)
{
    wire *w = &p->w;
    memset(w, 0, sizeof *w);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->changed, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, work, &p->worker), 0);
    p->writer.st = ps_ensemble_run(&p->writer.spec, &mem_sink_type, &p->sink,
                                   &p->writer.report, &p->writer.err);
    pthread_join(t, NULL);
    assert_false(w->broken);
    pthread_cond_destroy(&w->changed);
    pthread_mutex_destroy(&w->lock);
}

static void test_spread_gives_the_sink_every_run_once(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 1000);
    pair_run(&p);
    assert_int_equal(p.writer.st, PS_OK);
    assert_int_equal(p.worker.st, PS_OK);
    assert_int_equal(p.writer.report.done, 1000);
    assert_int_equal(p.worker.report.done, 1000);
    assert_int_equal(p.w.dealt, 200); /* 1000 runs in blocks of 5 */
    assert_int_equal(p.sink.begins, 1);
    assert_int_equal(p.sink.ends, 1);
    for (size_t r = 0; r < 1000; r++) {
        assert_int_equal(p.sink.writes[r], 1);
        assert_int_equal(p.sink.status[r], PS_RUN_OK);
        assert_true(p.sink.inputs[r] == (double)r);
        assert_true(mem_sink_value(&p.sink, r, 0, 2) == 2.0 * (double)r);
        assert_true(mem_sink_value(&p.sink, r, 1, 2) == 4.0 * (double)r);
    }
    assert_int_equal(p.sink.bad_blocks, 0);
    assert_false(p.sink.foreign_thread);
    pair_free(&p);
}

static void test_spread_skips_the_writers_runs_on_the_worker(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 200);
    unsigned char skip[200];
    for (size_t r = 0; r < 200; r++)
        skip[r] = r % 2 == 0;
    p.writer.spec.skip = skip; /* the worker has no skip of its own */
    pair_run(&p);
    assert_int_equal(p.writer.st, PS_OK);
    assert_int_equal(p.writer.report.skipped, 100);
    assert_int_equal(p.writer.report.done, 100);
    /* the worker ran only the runs the writer lacks */
    assert_int_equal(p.worker.report.done, 100);
    for (size_t r = 0; r < 200; r++)
        assert_int_equal(p.sink.writes[r], r % 2);
    pair_free(&p);
}

static void test_spread_ends_both_sides_on_a_sink_error(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 1000);
    p.sink.fail_write = PS_ERR_IO;
    p.sink.fail_write_at = 3;
    pair_run(&p);
    assert_int_equal(p.writer.st, PS_ERR_IO);
    assert_int_equal(p.worker.st, PS_OK);
    assert_int_equal(p.sink.blocks, 3); /* nothing after the failed one */
    assert_int_equal(p.sink.ends, 1);
    assert_int_equal(p.sink.calls_after_end, 0);
    pair_free(&p);
}

static void test_spread_reports_a_workers_cancellation(void **state)
{
    (void)state;
    pair p;
    pair_init(&p, 1000);
    p.worker.cancel = 1; /* Ctrl-C on the worker's side only */
    p.worker.spec.cancel = &p.worker.cancel;
    pair_run(&p);
    assert_int_equal(p.worker.st, PS_ERR_INTERRUPTED);
    assert_int_equal(p.writer.st, PS_ERR_INTERRUPTED);
    assert_true(p.writer.report.cancelled);
    assert_true(p.writer.report.done < 1000);
    assert_int_equal(p.sink.ends, 1);
    pair_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spread_gives_the_sink_every_run_once),
        cmocka_unit_test(test_spread_skips_the_writers_runs_on_the_worker),
        cmocka_unit_test(test_spread_ends_both_sides_on_a_sink_error),
        cmocka_unit_test(test_spread_reports_a_workers_cancellation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
