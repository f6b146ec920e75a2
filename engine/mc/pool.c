/*
 * The pool of block buffers: a fixed table of at most `cap` buffers, each
 * allocated the first time it is needed and reused until the end, so the
 * ensemble's memory is bounded by the table whatever the number of runs.
 * The caller holds its lock around every call.
 */
#include <stdlib.h>

#include "mc_impl.h"

ps_status mc_pool_init(mc_pool *pool, size_t cap, size_t runs,
                       size_t run_values, size_t ninputs, ps_error *err)
{
    pool->ninputs = ninputs;
    pool->blocks = calloc(cap ? cap : 1, sizeof *pool->blocks);
    pool->cap = cap;
    pool->n = 0;
    pool->runs = runs;
    pool->run_values = run_values;
    pool->nready = 0;
    if (!pool->blocks)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return PS_OK;
}

void mc_pool_free(mc_pool *pool)
{
    if (!pool || !pool->blocks)
        return;
    for (size_t i = 0; i < pool->n; i++) {
        free(pool->blocks[i].status);
        free(pool->blocks[i].values);
        free(pool->blocks[i].inputs);
    }
    free(pool->blocks);
    pool->blocks = NULL;
    pool->n = 0;
}

mc_block *mc_pool_acquire(mc_pool *pool, ps_status *st)
{
    *st = PS_OK;
    for (size_t i = 0; i < pool->n; i++)
        if (pool->blocks[i].state == MC_BLOCK_FREE) {
            pool->blocks[i].state = MC_BLOCK_FILLING;
            return &pool->blocks[i];
        }
    if (pool->n == pool->cap)
        return NULL;
    mc_block *b = &pool->blocks[pool->n];
    /* One spare element: no zero-size allocation when nothing is saved. */
    b->status = malloc(pool->runs + 1);
    b->values = malloc((pool->runs * pool->run_values + 1) * sizeof *b->values);
    b->inputs = malloc((pool->runs * pool->ninputs + 1) * sizeof *b->inputs);
    if (!b->status || !b->values || !b->inputs) {
        free(b->status);
        free(b->values);
        free(b->inputs);
        b->status = NULL;
        b->values = NULL;
        b->inputs = NULL;
        *st = PS_ERR_NOMEM;
        return NULL;
    }
    pool->n++;
    b->state = MC_BLOCK_FILLING;
    return b;
}

void mc_pool_ready(mc_pool *pool, mc_block *b)
{
    b->state = MC_BLOCK_READY;
    pool->nready++;
}

mc_block *mc_pool_take_ready(mc_pool *pool)
{
    mc_block *best = NULL;
    for (size_t i = 0; i < pool->n; i++) {
        mc_block *b = &pool->blocks[i];
        if (b->state == MC_BLOCK_READY && (!best || b->first < best->first))
            best = b;
    }
    if (best) {
        best->state = MC_BLOCK_WRITING;
        pool->nready--;
    }
    return best;
}

void mc_pool_release(mc_pool *pool, mc_block *b)
{
    if (b->state == MC_BLOCK_READY)
        pool->nready--;
    b->state = MC_BLOCK_FREE;
}
