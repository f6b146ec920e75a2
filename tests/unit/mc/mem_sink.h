/*
 * Test support for ensembles: a sink that keeps everything in memory and
 * records how it was called, and helpers to build specs from inline
 * models.
 */
#ifndef MEM_SINK_H
#define MEM_SINK_H

#include <pthread.h>
#include <stddef.h>

#include "plansim/ensemble.h"

#define MEM_SINK_MAX_BUFFERS 64

typedef struct mem_sink {
    /* What begin received (times copied). */
    ps_ensemble_layout layout;
    double *times;
    size_t *sizes, *offset; /* the layout's, copied                     */
    /* Every run's status, values and inputs, by run index. */
    unsigned char *status;
    double *values;   /* values[(r * nseries + s) * ntimes + t]          */
    double *inputs;
    unsigned *writes; /* how many times each run was written             */
    /* How it was called. */
    int begins, ends, blocks, calls_after_end;
    int foreign_thread;    /* a call came from another thread            */
    int worker_thread;     /* a call came with omp_get_thread_num() != 0 */
    pthread_t caller;      /* the thread of begin                        */
    int bad_blocks;        /* blocks out of range or with wrong inputs   */
    size_t max_count;      /* the largest block                          */
    size_t short_blocks;   /* blocks shorter than layout.block (the last) */
    /* Distinct buffers lent by write_block (values pointers). */
    const double *buffers[MEM_SINK_MAX_BUFFERS];
    size_t nbuffers;
    int too_many_buffers;
    /* Failure injection: the status to return, and when. */
    ps_status fail_begin;  /* PS_OK: begin succeeds                      */
    ps_status fail_end;
    ps_status fail_write;
    int fail_write_at;     /* 1-based write_block call that fails        */
    int slow_writes;       /* the first slow_writes calls sleep 2 ms     */
} mem_sink;

extern const ps_sink_type mem_sink_type;

/* A zeroed sink. */
void mem_sink_init(mem_sink *s);

/* Frees what the sink stored. */
void mem_sink_free(mem_sink *s);

/* The value of run r, series v (saved variable v of a model without
   subscripts), time row t. */
double mem_sink_value(const mem_sink *s, size_t r, size_t v, size_t t);

/* Parses and compiles `text`; fails the test on any error. */
ps_program *compile_model(const char *text);

/* Program variable indices of `n` names; fails the test if one is
   missing. */
void find_vars(const ps_program *p, const char *const names[], size_t n,
               size_t out[]);

#endif
