/*
 * The MPI job's internals, shared by cluster_mpi.c (joining and leaving
 * the job) and spread_mpi.c (dealing an ensemble's blocks).
 */
#ifndef PLANSIM_CLUSTER_MPI_IMPL_H
#define PLANSIM_CLUSTER_MPI_IMPL_H

#include <pthread.h>
#include <stddef.h>

#include <mpi.h>

#include "plansim_cluster/cluster.h"

/* What travels, by tag. */
enum {
    TAG_ASK = 1,   /* worker -> writer: deal me blocks (no data)        */
    TAG_DEAL = 2,  /* writer -> worker: uint64 first block, count (0:
                      none left)                                        */
    TAG_BLOCK = 3, /* worker -> writer: a finished block (packed)       */
    TAG_FINISH = 4 /* worker -> writer: how it ended (finish_msg)       */
};

/* A worker's last word. */
typedef struct finish_msg {
    int status;
    ps_error why;
} finish_msg;

struct ps_cluster {
    MPI_Comm comm;
    int rank, size;
    ps_ensemble_spread spread;
    pthread_mutex_t lock; /* a worker's threads call MPI in turn  */
    /* the ensemble in progress */
    size_t nblocks;
    size_t next, end;    /* a worker's dealt blocks not yet run  */
    int dealt_out;       /* a worker was told no block is left  */
    unsigned char *skip; /* a worker's copy of the writer's skip */
    size_t skip_size;
    unsigned char *buf;     /* a packed block, sent or received     */
    size_t *worker_runs;    /* the writer's count, per worker, of    */
    double *worker_seconds; /* runs and model seconds received       */
    double bytes_received;  /* by the writer, in the last ensemble   */
    size_t buf_size;
};

/* Fills c->spread with spread_mpi.c's functions (c as their ctx). */
void mpi_spread_init(ps_cluster *c);

/* Frees what the spread's ensembles left in c. */
void mpi_spread_free(ps_cluster *c);

#endif
