/*
 * A job of one process: plansim built without MPI.  Nothing is spread,
 * and ending the job is ending this process.
 */
#include <stdlib.h>

#include "plansim_cluster/cluster.h"

struct ps_cluster {
    int unused;
};

ps_status ps_cluster_open(int *argc, char ***argv, ps_cluster **out,
                          ps_error *err)
{
    (void)argc, (void)argv;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return PS_OK;
}

int ps_cluster_rank(const ps_cluster *c)
{
    (void)c;
    return 0;
}

int ps_cluster_size(const ps_cluster *c)
{
    (void)c;
    return 1;
}

int ps_cluster_has_mpi(void)
{
    return 0;
}

const ps_ensemble_spread *ps_cluster_spread(ps_cluster *c)
{
    (void)c;
    return NULL;
}

void ps_cluster_abort(ps_cluster *c, int code)
{
    (void)c;
    exit(code);
}

void ps_cluster_close(ps_cluster **c)
{
    if (!c)
        return;
    free(*c);
    *c = NULL;
}
