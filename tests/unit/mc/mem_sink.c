#include "mem_sink.h"

#include <math.h>
#include <omp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "plansim/mdl.h"

static void note_caller(mem_sink *s)
{
    if (!pthread_equal(pthread_self(), s->caller))
        s->foreign_thread = 1;
    if (omp_get_thread_num() != 0)
        s->worker_thread = 1;
    if (s->ends)
        s->calls_after_end++;
}

static ps_status begin(void *sink, const ps_ensemble_layout *layout,
                       ps_error *err)
{
    mem_sink *s = sink;
    if (s->begins++ == 0)
        s->caller = pthread_self();
    note_caller(s);
    if (s->fail_begin != PS_OK)
        return ps_error_set(err, s->fail_begin, "out.h5", 0, 0,
                            "cannot create the file");
    s->layout = *layout;
    size_t nr = layout->nruns ? layout->nruns : 1;
    size_t per_run = layout->nseries * layout->ntimes;
    s->times = calloc(layout->ntimes + 1, sizeof *s->times);
    s->status = calloc(nr, 1);
    s->values = calloc(nr * per_run + 1, sizeof *s->values);
    s->inputs = calloc(nr * layout->ninputs + 1, sizeof *s->inputs);
    s->writes = calloc(nr, sizeof *s->writes);
    assert_non_null(s->times);
    assert_non_null(s->status);
    assert_non_null(s->values);
    assert_non_null(s->inputs);
    assert_non_null(s->writes);
    memcpy(s->times, layout->times, layout->ntimes * sizeof *s->times);
    s->layout.times = s->times;
    size_t ns = layout->nsave ? layout->nsave : 1;
    s->sizes = calloc(ns, sizeof *s->sizes);
    s->offset = calloc(ns, sizeof *s->offset);
    assert_non_null(s->sizes);
    assert_non_null(s->offset);
    if (layout->sizes) {
        memcpy(s->sizes, layout->sizes, layout->nsave * sizeof *s->sizes);
        memcpy(s->offset, layout->offset, layout->nsave * sizeof *s->offset);
    }
    s->layout.sizes = s->sizes;
    s->layout.offset = s->offset;
    return PS_OK;
}

static void note_buffer(mem_sink *s, const double *values)
{
    for (size_t i = 0; i < s->nbuffers; i++)
        if (s->buffers[i] == values)
            return;
    if (s->nbuffers == MEM_SINK_MAX_BUFFERS)
        s->too_many_buffers = 1;
    else
        s->buffers[s->nbuffers++] = values;
}

static ps_status write_block(void *sink, size_t first, size_t count,
                             const unsigned char *status,
                             const double *values, const double *inputs,
                             ps_error *err)
{
    mem_sink *s = sink;
    note_caller(s);
    s->blocks++;
    if (s->blocks <= s->slow_writes) {
        /* A slow disk: the other threads fill the pool and must wait. */
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    if (s->fail_write != PS_OK && s->blocks == s->fail_write_at)
        return ps_error_set(err, s->fail_write, "out.h5", 0, 0,
                            "no space left on device");
    const ps_ensemble_layout *l = &s->layout;
    /* Recorded, not asserted: this runs inside the parallel region. */
    if (first + count > l->nruns || count < 1 || count > l->block ||
        (l->ninputs != 0) != (inputs != NULL)) {
        s->bad_blocks++;
        return PS_OK;
    }
    if (count < l->block)
        s->short_blocks++;
    if (count > s->max_count)
        s->max_count = count;
    note_buffer(s, values);
    size_t per_run = l->nseries * l->ntimes;
    memcpy(s->status + first, status, count);
    memcpy(s->values + first * per_run, values,
           count * per_run * sizeof *values);
    if (l->ninputs)
        memcpy(s->inputs + first * l->ninputs, inputs,
               count * l->ninputs * sizeof *inputs);
    for (size_t r = first; r < first + count; r++)
        s->writes[r]++;
    return PS_OK;
}

static ps_status end(void *sink, ps_error *err)
{
    mem_sink *s = sink;
    note_caller(s);
    s->ends++;
    if (s->fail_end != PS_OK)
        return ps_error_set(err, s->fail_end, "out.h5", 0, 0,
                            "cannot rename the file");
    return PS_OK;
}

const ps_sink_type mem_sink_type = {"memory", begin, write_block, end};

void mem_sink_init(mem_sink *s)
{
    memset(s, 0, sizeof *s);
}

void mem_sink_free(mem_sink *s)
{
    free(s->times);
    free(s->status);
    free(s->values);
    free(s->inputs);
    free(s->writes);
    free(s->sizes);
    free(s->offset);
    s->sizes = s->offset = NULL;
    s->times = s->values = s->inputs = NULL;
    s->status = NULL;
    s->writes = NULL;
}

double mem_sink_value(const mem_sink *s, size_t r, size_t v, size_t t)
{
    const ps_ensemble_layout *l = &s->layout;
    return s->values[(r * l->nseries + v) * l->ntimes + t];
}

ps_program *compile_model(const char *text)
{
    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_error err;
    ps_status st = ps_mdl_parse(text, strlen(text), "ensemble.mdl", &model,
                                &err);
    if (st == PS_OK)
        st = ps_program_compile(model, &prog, &err);
    if (st != PS_OK)
        fail_msg("%s", err.message);
    ps_model_free(&model);
    return prog;
}

void find_vars(const ps_program *p, const char *const names[], size_t n,
               size_t out[])
{
    for (size_t i = 0; i < n; i++) {
        out[i] = ps_program_find(p, names[i]);
        if (out[i] == (size_t)-1)
            fail_msg("no variable '%s'", names[i]);
    }
}
