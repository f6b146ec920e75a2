/*
 * Ensemble control: the sink contract (one writer thread, begin and end
 * once, every run written once), progress, cancellation, sink errors,
 * memory bounded by the block pool, and specs refused before anything
 * runs.
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

/* Every run in [0, n) written once with its right values, none after. */
static void assert_written_prefix(const mem_sink *s, size_t n)
{
    for (size_t r = 0; r < s->layout.nruns; r++) {
        if (r >= n) {
            assert_int_equal(s->writes[r], 0);
            continue;
        }
        assert_int_equal(s->writes[r], 1);
        assert_int_equal(s->status[r], PS_RUN_OK);
        assert_true(s->inputs[r] == (double)r);
        assert_true(mem_sink_value(s, r, 0, 2) == 2.0 * (double)r);
        assert_true(mem_sink_value(s, r, 1, 2) == 4.0 * (double)r);
    }
    assert_int_equal(s->bad_blocks, 0);
    assert_false(s->foreign_thread);
    assert_false(s->worker_thread);
    assert_int_equal(s->calls_after_end, 0);
}

/* n runs written, each once and complete; the others never written. */
static void assert_written_whole(const mem_sink *s, size_t n)
{
    size_t written = 0;
    for (size_t r = 0; r < s->layout.nruns; r++) {
        assert_true(s->writes[r] <= 1);
        if (!s->writes[r])
            continue;
        written++;
        assert_int_equal(s->status[r], PS_RUN_OK);
        assert_true(mem_sink_value(s, r, 0, 2) == 2.0 * (double)r);
        assert_true(mem_sink_value(s, r, 1, 2) == 4.0 * (double)r);
    }
    assert_int_equal(written, n);
    assert_false(s->foreign_thread);
    assert_false(s->worker_thread);
    assert_int_equal(s->calls_after_end, 0);
}

typedef struct progress_log {
    size_t calls, last_done, total;
    int backwards, foreign_thread;
    pthread_t caller;
    volatile sig_atomic_t *cancel;
    size_t cancel_at;
} progress_log;

static void log_progress(size_t done, size_t total, void *ctx)
{
    progress_log *p = ctx;
    if (done <= p->last_done)
        p->backwards = 1;
    if (!pthread_equal(pthread_self(), p->caller))
        p->foreign_thread = 1;
    p->calls++;
    p->last_done = done;
    p->total = total;
    if (p->cancel && done >= p->cancel_at)
        *p->cancel = 1;
}

static void test_ensemble_run_writes_every_run_once_from_one_thread(
    void **state)
{
    tiny t;
    tiny_init(&t, 1000, 2, 7);
    progress_log log = {0};
    log.caller = pthread_self();
    t.spec.progress = log_progress;
    t.spec.progress_ctx = &log;
    mem_sink sink;
    mem_sink_init(&sink);
    ps_ensemble_report rep;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     NULL),
                     PS_OK);
    assert_int_equal(sink.begins, 1);
    assert_int_equal(sink.ends, 1);
    assert_int_equal(sink.layout.nruns, 1000);
    assert_int_equal(sink.layout.block, 7);
    assert_int_equal(sink.layout.ntimes, 3);
    assert_int_equal(sink.blocks, 143);
    assert_int_equal(sink.short_blocks, 1);
    assert_written_prefix(&sink, 1000);
    assert_int_equal(rep.done, 1000);
    assert_int_equal(rep.failed, 0);
    assert_true(rep.first_failed == SIZE_MAX);
    assert_false(rep.cancelled);
    assert_int_equal(log.calls, 143);
    assert_int_equal(log.last_done, 1000);
    assert_int_equal(log.total, 1000);
    assert_false(log.backwards);
    assert_false(log.foreign_thread);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_skips_the_runs_given(void **state)
{
    (void)state;
    tiny t;
    tiny_init(&t, 300, 2, 7);
    /* every third run done already, and runs 70-139 (whole blocks too) */
    unsigned char *skip = calloc(300, 1);
    assert_non_null(skip);
    size_t nskip = 0;
    for (size_t r = 0; r < 300; r++) {
        skip[r] = r % 3 == 0 || (r >= 70 && r < 140);
        nskip += skip[r];
    }
    t.spec.skip = skip;
    progress_log log = {0};
    log.caller = pthread_self();
    t.spec.progress = log_progress;
    t.spec.progress_ctx = &log;
    mem_sink sink;
    mem_sink_init(&sink);
    ps_ensemble_report rep;
    assert_int_equal(
        ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep, NULL), PS_OK);
    for (size_t r = 0; r < 300; r++) {
        assert_int_equal(sink.writes[r], skip[r] ? 0 : 1);
        if (skip[r])
            continue;
        assert_int_equal(sink.status[r], PS_RUN_OK);
        assert_true(mem_sink_value(&sink, r, 1, 2) == 4.0 * (double)r);
    }
    assert_int_equal(sink.bad_blocks, 0);
    assert_int_equal(rep.done, 300 - nskip);
    assert_int_equal(rep.skipped, nskip);
    assert_false(rep.cancelled);
    assert_int_equal(log.last_done, 300);
    assert_false(log.backwards);
    mem_sink_free(&sink);
    free(skip);
    tiny_free(&t);
}

/* The block chosen for nruns runs saving x and y up to FINAL TIME `final`
   (set as a fixed override). */
static size_t auto_block(size_t nruns, int threads, double final)
{
    tiny t;
    tiny_init(&t, nruns, threads, 0);
    ps_override set = {"FINAL TIME", final};
    t.spec.sim.overrides = &set;
    t.spec.sim.noverrides = 1;
    mem_sink sink;
    mem_sink_init(&sink);
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, NULL,
                                     NULL),
                     PS_OK);
    assert_int_equal(sink.layout.ntimes, (size_t)final + 1);
    assert_written_prefix(&sink, nruns);
    size_t block = sink.layout.block;
    mem_sink_free(&sink);
    tiny_free(&t);
    return block;
}

static void test_ensemble_run_chooses_blocks_independent_of_threads(
    void **state)
{
    /* Small ensembles are cut into 32 blocks... */
    assert_int_equal(auto_block(1, 2, 2), 1);
    assert_int_equal(auto_block(100, 1, 2), 4);
    assert_int_equal(auto_block(100, 2, 2), 4);
    /* ...large ones into blocks of about 512 KiB: here 2 x 2001 values
       (32016 bytes) a run. */
    size_t big = auto_block(600, 2, 2000);
    assert_int_equal(auto_block(600, 1, 2000), big);
    assert_true(big * 32016 >= 256 * 1024 && big * 32016 <= 1024 * 1024);
}

static void test_ensemble_run_stops_when_cancelled(void **state)
{
    tiny t;
    tiny_init(&t, 1000, 2, 10);
    volatile sig_atomic_t cancel = 0;
    progress_log log = {0};
    log.caller = pthread_self();
    log.cancel = &cancel;
    log.cancel_at = 30;
    t.spec.progress = log_progress;
    t.spec.progress_ctx = &log;
    t.spec.cancel = &cancel;
    mem_sink sink;
    mem_sink_init(&sink);
    ps_ensemble_report rep;
    ps_error err;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     &err),
                     PS_ERR_INTERRUPTED);
    assert_int_equal(err.status, PS_ERR_INTERRUPTED);
    assert_true(rep.cancelled);
    assert_true(rep.done >= 30 && rep.done < 1000);
    assert_int_equal(sink.ends, 1);
    /* Blocks under way stop after their current run and are written with
       the runs they finished: every written run is whole and written
       once, and they number rep.done. */
    assert_written_whole(&sink, rep.done);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_cancelled_before_start_writes_nothing(
    void **state)
{
    tiny t;
    tiny_init(&t, 100, 2, 10);
    volatile sig_atomic_t cancel = 1;
    t.spec.cancel = &cancel;
    mem_sink sink;
    mem_sink_init(&sink);
    ps_ensemble_report rep;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     NULL),
                     PS_ERR_INTERRUPTED);
    assert_int_equal(sink.begins, 1);
    assert_int_equal(sink.blocks, 0);
    assert_int_equal(sink.ends, 1);
    assert_int_equal(rep.done, 0);
    assert_true(rep.cancelled);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_returns_the_sink_write_error(void **state)
{
    tiny t;
    tiny_init(&t, 1000, 2, 10);
    mem_sink sink;
    mem_sink_init(&sink);
    sink.fail_write = PS_ERR_IO;
    sink.fail_write_at = 3;
    ps_ensemble_report rep;
    ps_error err;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     &err),
                     PS_ERR_IO);
    assert_int_equal(err.status, PS_ERR_IO);
    assert_string_equal(err.message, "no space left on device");
    /* Nothing is written after the error; end still closes the sink. */
    assert_int_equal(sink.blocks, 3);
    assert_int_equal(sink.ends, 1);
    assert_int_equal(rep.done, 20);
    assert_false(rep.cancelled);
    assert_false(sink.foreign_thread);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_returns_the_sink_begin_error(void **state)
{
    tiny t;
    tiny_init(&t, 100, 2, 10);
    mem_sink sink;
    mem_sink_init(&sink);
    sink.fail_begin = PS_ERR_CANTCREAT;
    ps_error err;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, NULL,
                                     &err),
                     PS_ERR_CANTCREAT);
    assert_string_equal(err.message, "cannot create the file");
    assert_int_equal(sink.blocks, 0);
    assert_int_equal(sink.ends, 0);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_returns_the_sink_end_error(void **state)
{
    tiny t;
    tiny_init(&t, 100, 2, 10);
    mem_sink sink;
    mem_sink_init(&sink);
    sink.fail_end = PS_ERR_IO;
    ps_ensemble_report rep;
    ps_error err;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     &err),
                     PS_ERR_IO);
    assert_string_equal(err.message, "cannot rename the file");
    assert_int_equal(rep.done, 100);
    assert_written_prefix(&sink, 100);
    mem_sink_free(&sink);
    tiny_free(&t);
}

/* 100k one-run blocks: the sink never sees more distinct buffers than
   the pool holds (2 x threads + 2), whatever the number of runs. */
static void test_ensemble_run_keeps_memory_within_the_pool(void **state)
{
    enum { N = 100000 };
    for (int threads = 1; threads <= 2; threads++) {
        tiny t;
        tiny_init(&t, N, threads, 1);
        mem_sink sink;
        mem_sink_init(&sink);
        ps_ensemble_report rep;
        assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink,
                                         &rep, NULL),
                         PS_OK);
        assert_int_equal(rep.done, N);
        assert_int_equal(sink.blocks, N);
        assert_false(sink.too_many_buffers);
        assert_true(sink.nbuffers >= 1);
        assert_true(sink.nbuffers <= 2 * (size_t)threads + 2);
        assert_written_prefix(&sink, N);
        mem_sink_free(&sink);
        tiny_free(&t);
    }
}

static void test_ensemble_run_makes_workers_wait_for_a_slow_sink(
    void **state)
{
    tiny t;
    tiny_init(&t, 60, 2, 1);
    mem_sink sink;
    mem_sink_init(&sink);
    sink.slow_writes = 20;
    ps_ensemble_report rep;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     NULL),
                     PS_OK);
    assert_int_equal(rep.done, 60);
    assert_true(sink.nbuffers <= 6);
    assert_written_prefix(&sink, 60);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_with_no_runs_calls_begin_and_end(void **state)
{
    tiny t;
    tiny_init(&t, 0, 2, 0);
    mem_sink sink;
    mem_sink_init(&sink);
    ps_ensemble_report rep;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, &rep,
                                     NULL),
                     PS_OK);
    assert_int_equal(sink.begins, 1);
    assert_int_equal(sink.ends, 1);
    assert_int_equal(sink.blocks, 0);
    assert_int_equal(sink.layout.nruns, 0);
    assert_int_equal(sink.layout.ntimes, 3);
    assert_int_equal(rep.done, 0);
    mem_sink_free(&sink);
    tiny_free(&t);
}

/* Runs a spec expected to be refused, and checks the sink was not used. */
static void assert_refused(const ps_ensemble_spec *spec, ps_status expect,
                           const char *words)
{
    mem_sink sink;
    mem_sink_init(&sink);
    ps_ensemble_report rep;
    ps_error err;
    assert_int_equal(ps_ensemble_run(spec, &mem_sink_type, &sink, &rep,
                                     &err),
                     expect);
    assert_int_equal(err.status, expect);
    if (!strstr(err.message, words))
        fail_msg("'%s' does not say '%s'", err.message, words);
    assert_int_equal(sink.begins, 0);
    assert_int_equal(sink.ends, 0);
    assert_int_equal(rep.done, 0);
    mem_sink_free(&sink);
}

static void test_ensemble_run_refuses_bad_specs(void **state)
{
    tiny t;
    tiny_init(&t, 10, 2, 0);
    ps_ensemble_spec s = t.spec;
    s.sim.method = "leapfrog";
    assert_refused(&s, PS_ERR_USAGE, "leapfrog");

    s = t.spec;
    s.sim.integ.abs_tol = -1;
    s.sim.method = "rkf45";
    assert_refused(&s, PS_ERR_DATA, "tolerance");

    size_t aux = ps_program_find(t.prog, "y");
    s = t.spec;
    s.input_vars = &aux;
    assert_refused(&s, PS_ERR_USAGE, "not a constant");

    size_t missing[2] = {0, 999};
    s = t.spec;
    s.save_vars = missing;
    assert_refused(&s, PS_ERR_USAGE, "999");

    size_t lookup[2] = {0, ps_program_find(t.prog, "tab")};
    s = t.spec;
    s.save_vars = lookup;
    assert_refused(&s, PS_ERR_USAGE, "lookup");

    ps_override unknown = {"nothing here", 1};
    s = t.spec;
    s.sim.overrides = &unknown;
    s.sim.noverrides = 1;
    assert_refused(&s, PS_ERR_USAGE, "nothing here");

    s = t.spec;
    s.threads = -1;
    assert_refused(&s, PS_ERR_USAGE, "thread");

    s = t.spec;
    s.prog = NULL;
    assert_refused(&s, PS_ERR_INTERNAL, "program");

    s = t.spec;
    s.inputs = NULL;
    assert_refused(&s, PS_ERR_INTERNAL, "inputs");

    ps_error err;
    mem_sink sink;
    mem_sink_init(&sink);
    assert_int_equal(ps_ensemble_run(NULL, &mem_sink_type, &sink, NULL,
                                     &err),
                     PS_ERR_INTERNAL);
    ps_sink_type no_end = mem_sink_type;
    no_end.end = NULL;
    assert_int_equal(ps_ensemble_run(&t.spec, &no_end, &sink, NULL, &err),
                     PS_ERR_INTERNAL);
    assert_int_equal(sink.begins, 0);
    mem_sink_free(&sink);
    tiny_free(&t);
}

static void test_ensemble_run_accepts_null_report_and_error(void **state)
{
    tiny t;
    tiny_init(&t, 50, 2, 0);
    mem_sink sink;
    mem_sink_init(&sink);
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, NULL,
                                     NULL),
                     PS_OK);
    assert_written_prefix(&sink, 50);
    mem_sink_free(&sink);
    t.spec.threads = -1;
    assert_int_equal(ps_ensemble_run(&t.spec, &mem_sink_type, &sink, NULL,
                                     NULL),
                     PS_ERR_USAGE);
    tiny_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_ensemble_run_writes_every_run_once_from_one_thread),
        cmocka_unit_test(
            test_ensemble_run_chooses_blocks_independent_of_threads),
        cmocka_unit_test(test_ensemble_run_stops_when_cancelled),
        cmocka_unit_test(test_ensemble_run_skips_the_runs_given),
        cmocka_unit_test(
            test_ensemble_run_cancelled_before_start_writes_nothing),
        cmocka_unit_test(test_ensemble_run_returns_the_sink_write_error),
        cmocka_unit_test(test_ensemble_run_returns_the_sink_begin_error),
        cmocka_unit_test(test_ensemble_run_returns_the_sink_end_error),
        cmocka_unit_test(test_ensemble_run_keeps_memory_within_the_pool),
        cmocka_unit_test(test_ensemble_run_makes_workers_wait_for_a_slow_sink),
        cmocka_unit_test(test_ensemble_run_with_no_runs_calls_begin_and_end),
        cmocka_unit_test(test_ensemble_run_refuses_bad_specs),
        cmocka_unit_test(test_ensemble_run_accepts_null_report_and_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
