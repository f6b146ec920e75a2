/*
 * An ensemble spread over the ranks of an MPI job (ps_ensemble_spread).
 *
 * Rank 0, the writer, runs no block: it deals blocks to the workers as
 * they ask, in chunks that shrink as the ensemble nears its end (guided
 * self-scheduling: a quarter of what is left per worker, at most 64
 * blocks), so that slow runs on one rank leave no other rank idle; and it
 * hands each block it receives to its sink.  A block travels as one
 * message of bytes (its header, statuses, values and inputs): the ranks
 * of a job run the same build on the same kind of machine.
 *
 * The writer waits with MPI_Iprobe and short sleeps rather than a
 * blocking receive, so that it sees its own cancel flag (Ctrl-C, or the
 * SIGTERM of a time limit) and keeps its core free for a worker.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpi_impl.h"

/* The most bytes one MPI call moves (its count is an int). */
#define PIECE ((size_t)1 << 30)
/* The most blocks dealt at once. */
#define MAX_CHUNK 64

typedef struct block_head {
    uint64_t first, count, failed, first_failed, nvalues, ninputs;
    double seconds_inputs, seconds_model;
    ps_error first_failure;
} block_head;

static size_t padded(size_t n)
{
    return (n + 7) / 8 * 8;
}

static ps_status mpi_failed(ps_error *err, const char *what, int rc)
{
    char text[MPI_MAX_ERROR_STRING];
    int len = 0;
    if (MPI_Error_string(rc, text, &len) != MPI_SUCCESS)
        len = 0;
    text[len] = '\0';
    return ps_error_set(err, PS_ERR_IO, NULL, 0, 0, "MPI %s failed: %s", what,
                        text);
}

/* c->buf holding at least `size` bytes. */
static ps_status room(ps_cluster *c, size_t size, ps_error *err)
{
    if (size <= c->buf_size)
        return PS_OK;
    unsigned char *b = realloc(c->buf, size);
    if (!b)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    c->buf = b;
    c->buf_size = size;
    return PS_OK;
}

/* Rank 0's `bytes` at buf, copied to every other rank's buf. */
static ps_status broadcast(ps_cluster *c, void *buf, size_t bytes,
                           ps_error *err)
{
    unsigned char *p = buf;
    for (size_t at = 0; at < bytes; at += PIECE) {
        size_t n = bytes - at < PIECE ? bytes - at : PIECE;
        int rc = MPI_Bcast(p + at, (int)n, MPI_BYTE, 0, c->comm);
        if (rc != MPI_SUCCESS)
            return mpi_failed(err, "broadcast", rc);
    }
    return PS_OK;
}

static ps_status begin(void *ctx, size_t nruns, size_t nblocks,
                       const unsigned char **skip, ps_error *err)
{
    ps_cluster *c = ctx;
    c->nblocks = nblocks;
    c->next = c->end = 0;
    c->dealt_out = 0;
    int has_skip = c->rank == 0 && *skip != NULL;
    int rc = MPI_Bcast(&has_skip, 1, MPI_INT, 0, c->comm);
    if (rc != MPI_SUCCESS)
        return mpi_failed(err, "broadcast", rc);
    if (!has_skip) {
        *skip = NULL;
        return PS_OK;
    }
    if (c->rank == 0)
        return broadcast(c, (void *)*skip, nruns, err);
    if (c->skip_size < nruns) {
        unsigned char *s = realloc(c->skip, nruns ? nruns : 1);
        if (!s)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        c->skip = s;
        c->skip_size = nruns;
    }
    *skip = c->skip;
    return broadcast(c, c->skip, nruns, err);
}

/* ---- the writer ---- */

/* Sleeps a little longer each time nothing arrives, up to 1 ms. */
static void wait_a_little(unsigned *idle)
{
    if (*idle < 100) {
        (*idle)++;
        return;
    }
    long ns = 10000L * (*idle - 99);
    if (ns > 1000000L)
        ns = 1000000L;
    else
        (*idle)++;
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* The next chunk for one of `workers` ranks: [*first, *first + return). */
static size_t chunk(size_t *next, size_t nblocks, int workers)
{
    size_t left = nblocks - *next;
    size_t n = left / (4 * (size_t)workers);
    if (n < 1)
        n = 1;
    if (n > MAX_CHUNK)
        n = MAX_CHUNK;
    if (n > left)
        n = left;
    *next += n;
    return n;
}

/* Unpacks the block in c->buf (`bytes` long) into *b. */
static ps_status unpack(ps_cluster *c, size_t bytes, ps_ensemble_block *b,
                        ps_error *err)
{
    block_head h;
    if (bytes < sizeof h)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "a block message of %zu bytes is too short", bytes);
    memcpy(&h, c->buf, sizeof h);
    size_t status_at = sizeof h, values_at = status_at + padded(h.count);
    size_t inputs_at = values_at + h.nvalues * h.count * sizeof(double);
    size_t total = inputs_at + h.ninputs * h.count * sizeof(double);
    if (h.count == 0 || total != bytes)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "a block message of %zu bytes does not hold "
                            "the %llu runs it announces",
                            bytes, (unsigned long long)h.count);
    *b = (ps_ensemble_block){
        .first = h.first,
        .count = h.count,
        .status = c->buf + status_at,
        .values = (const double *)(c->buf + values_at),
        .inputs = h.ninputs ? (const double *)(c->buf + inputs_at) : NULL,
        .nvalues = h.nvalues,
        .ninputs = h.ninputs,
        .failed = h.failed,
        .first_failed = h.first_failed,
        .first_failure = h.first_failure,
        .seconds_inputs = h.seconds_inputs,
        .seconds_model = h.seconds_model,
    };
    return PS_OK;
}

/* Receives the message `st` announces into c->buf; *bytes its size. */
static ps_status receive(ps_cluster *c, MPI_Status *st, size_t *bytes,
                         ps_error *err)
{
    int n = 0;
    MPI_Get_count(st, MPI_BYTE, &n);
    ps_status s = room(c, n > 0 ? (size_t)n : 1, err);
    if (s != PS_OK)
        return s;
    int rc = MPI_Recv(c->buf, n, MPI_BYTE, st->MPI_SOURCE, st->MPI_TAG, c->comm,
                      MPI_STATUS_IGNORE);
    if (rc != MPI_SUCCESS)
        return mpi_failed(err, "receive", rc);
    *bytes = (size_t)n;
    return PS_OK;
}

static ps_status serve(void *ctx, const int *stop,
                       volatile sig_atomic_t *cancel,
                       ps_ensemble_deliver deliver, void *deliver_ctx,
                       int *interrupted, ps_error *err)
{
    ps_cluster *c = ctx;
    int workers = c->size - 1, finished = 0;
    size_t next = 0;
    if (!c->worker_runs) {
        c->worker_runs = calloc((size_t)workers, sizeof *c->worker_runs);
        c->worker_seconds = calloc((size_t)workers, sizeof *c->worker_seconds);
        if (!c->worker_runs || !c->worker_seconds)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    c->bytes_received = 0;
    memset(c->worker_runs, 0, (size_t)workers * sizeof *c->worker_runs);
    memset(c->worker_seconds, 0, (size_t)workers * sizeof *c->worker_seconds);
    ps_status first = PS_OK; /* the first error: no more dealing */
    unsigned idle = 0;
    *interrupted = 0;
    while (finished < workers) {
        int arrived = 0;
        MPI_Status st;
        int rc =
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, c->comm, &arrived, &st);
        if (rc != MPI_SUCCESS)
            return mpi_failed(err, "probe", rc);
        if (!arrived) {
            wait_a_little(&idle);
            continue;
        }
        idle = 0;
        size_t bytes = 0;
        ps_error why;
        ps_status s = receive(c, &st, &bytes, &why);
        c->bytes_received += (double)bytes;
        if (s != PS_OK) {
            if (err)
                *err = why;
            return s;
        }
        if (st.MPI_TAG == TAG_ASK) {
            uint64_t deal[2] = {next, 0};
            int dealing = !*stop && !(cancel && *cancel) && first == PS_OK;
            if (dealing && next < c->nblocks)
                deal[1] = chunk(&next, c->nblocks, workers);
            rc = MPI_Send(deal, 2, MPI_UINT64_T, st.MPI_SOURCE, TAG_DEAL,
                          c->comm);
            if (rc != MPI_SUCCESS)
                return mpi_failed(err, "send", rc);
        } else if (st.MPI_TAG == TAG_BLOCK) {
            ps_ensemble_block b;
            if (first != PS_OK)
                continue; /* after an error, nothing more is written */
            s = unpack(c, bytes, &b, &why);
            if (s == PS_OK)
                s = deliver(deliver_ctx, &b, &why);
            if (s == PS_OK && st.MPI_SOURCE > 0) {
                c->worker_runs[st.MPI_SOURCE - 1] += b.count;
                c->worker_seconds[st.MPI_SOURCE - 1] += b.seconds_model;
            }
            if (s != PS_OK) {
                first = s;
                if (err)
                    *err = why;
            }
        } else if (st.MPI_TAG == TAG_FINISH) {
            finished++;
            finish_msg m;
            if (bytes != sizeof m)
                continue;
            memcpy(&m, c->buf, sizeof m);
            if (m.status == PS_ERR_INTERRUPTED) {
                *interrupted = 1;
            } else if (m.status != PS_OK && first == PS_OK) {
                first = (ps_status)m.status;
                if (err)
                    *err = m.why;
            }
        }
    }
    return first;
}

/* ---- a worker ---- */

static size_t next_block(void *ctx)
{
    ps_cluster *c = ctx;
    size_t k = SIZE_MAX;
    pthread_mutex_lock(&c->lock);
    if (c->next == c->end && !c->dealt_out) {
        uint64_t deal[2] = {0, 0};
        if (MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_ASK, c->comm) != MPI_SUCCESS ||
            MPI_Recv(deal, 2, MPI_UINT64_T, 0, TAG_DEAL, c->comm,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS ||
            deal[1] == 0 || deal[0] + deal[1] > c->nblocks)
            c->dealt_out = 1;
        else {
            c->next = deal[0];
            c->end = deal[0] + deal[1];
        }
    }
    if (c->next < c->end)
        k = c->next++;
    pthread_mutex_unlock(&c->lock);
    return k;
}

static ps_status send_block(void *ctx, const ps_ensemble_block *b,
                            ps_error *err)
{
    ps_cluster *c = ctx;
    block_head h = {
        .first = b->first,
        .count = b->count,
        .failed = b->failed,
        .first_failed = b->first_failed,
        .nvalues = b->nvalues,
        .ninputs = b->inputs ? b->ninputs : 0,
        .seconds_inputs = b->seconds_inputs,
        .seconds_model = b->seconds_model,
    };
    if (b->failed)
        h.first_failure = b->first_failure;
    size_t values_at = sizeof h + padded(b->count);
    size_t inputs_at = values_at + h.nvalues * b->count * sizeof(double);
    size_t total = inputs_at + h.ninputs * b->count * sizeof(double);
    if (total > (size_t)INT32_MAX)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "a block of runs %zu to %zu is %zu bytes, more "
                            "than one MPI message holds",
                            b->first, b->first + b->count, total);
    ps_status s = room(c, total, err);
    if (s != PS_OK)
        return s;
    memcpy(c->buf, &h, sizeof h);
    memcpy(c->buf + sizeof h, b->status, b->count);
    memcpy(c->buf + values_at, b->values,
           h.nvalues * b->count * sizeof(double));
    if (h.ninputs)
        memcpy(c->buf + inputs_at, b->inputs,
               h.ninputs * b->count * sizeof(double));
    pthread_mutex_lock(&c->lock);
    int rc = MPI_Send(c->buf, (int)total, MPI_BYTE, 0, TAG_BLOCK, c->comm);
    pthread_mutex_unlock(&c->lock);
    return rc == MPI_SUCCESS ? PS_OK : mpi_failed(err, "send", rc);
}

static ps_status finish(void *ctx, ps_status st, const ps_error *why,
                        ps_error *err)
{
    ps_cluster *c = ctx;
    finish_msg m;
    memset(&m, 0, sizeof m);
    m.status = st;
    if (st != PS_OK && why)
        m.why = *why;
    pthread_mutex_lock(&c->lock);
    int rc = MPI_Send(&m, (int)sizeof m, MPI_BYTE, 0, TAG_FINISH, c->comm);
    pthread_mutex_unlock(&c->lock);
    return rc == MPI_SUCCESS ? PS_OK : mpi_failed(err, "send", rc);
}

static ps_status share(void *ctx, void *buf, size_t bytes, ps_error *err)
{
    return broadcast(ctx, buf, bytes, err);
}

static size_t load(void *ctx, const size_t **runs, const double **seconds,
                   double *bytes)
{
    ps_cluster *c = ctx;
    *bytes = c->bytes_received;
    *runs = c->worker_runs;
    *seconds = c->worker_seconds;
    return c->worker_runs ? (size_t)c->size - 1 : 0;
}

void mpi_spread_init(ps_cluster *c)
{
    c->spread = (ps_ensemble_spread){
        .ctx = c,
        .writer = c->rank == 0,
        .begin = begin,
        .serve = serve,
        .next_block = next_block,
        .send = send_block,
        .finish = finish,
        .share = share,
        .load = load,
    };
}

void mpi_spread_free(ps_cluster *c)
{
    free(c->skip);
    free(c->buf);
    free(c->worker_runs);
    free(c->worker_seconds);
    c->worker_runs = NULL;
    c->worker_seconds = NULL;
    c->skip = NULL;
    c->buf = NULL;
    c->skip_size = c->buf_size = 0;
}
