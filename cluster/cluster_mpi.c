/*
 * A job of MPI processes: joining it, who is who, and leaving it.
 */
#include <stdlib.h>

#include "mpi_impl.h"

ps_status ps_cluster_open(int *argc, char ***argv, ps_cluster **out,
                          ps_error *err)
{
    *out = NULL;
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) !=
        MPI_SUCCESS)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "MPI cannot start");
    if (provided < MPI_THREAD_SERIALIZED) {
        MPI_Finalize();
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "this MPI cannot be called from several "
                            "threads in turn (MPI_THREAD_SERIALIZED)");
    }
    ps_cluster *c = calloc(1, sizeof *c);
    if (!c) {
        MPI_Finalize();
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    c->comm = MPI_COMM_WORLD;
    MPI_Comm_rank(c->comm, &c->rank);
    MPI_Comm_size(c->comm, &c->size);
    pthread_mutex_init(&c->lock, NULL);
    mpi_spread_init(c);
    *out = c;
    return PS_OK;
}

int ps_cluster_rank(const ps_cluster *c)
{
    return c->rank;
}

int ps_cluster_size(const ps_cluster *c)
{
    return c->size;
}

int ps_cluster_has_mpi(void)
{
    return 1;
}

const ps_ensemble_spread *ps_cluster_spread(ps_cluster *c)
{
    return c->size > 1 ? &c->spread : NULL;
}

void ps_cluster_abort(ps_cluster *c, int code)
{
    MPI_Abort(c ? c->comm : MPI_COMM_WORLD, code);
    exit(code);
}

void ps_cluster_close(ps_cluster **c)
{
    if (!c || !*c)
        return;
    mpi_spread_free(*c);
    pthread_mutex_destroy(&(*c)->lock);
    free(*c);
    *c = NULL;
    MPI_Finalize();
}
