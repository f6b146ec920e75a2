/*
 * A job of one process: plansim built without MPI.  Nothing is spread,
 * and ending the job is ending this process.  Started as one of several
 * processes (mpirun, srun -n), it refuses: each would run every run and
 * write the same file.
 */
#include <stdlib.h>

#include "plansim_cluster/cluster.h"

struct ps_cluster {
    int unused;
};

/* The number of processes a launcher says it started (its variable
   `name`), or 1. */
static long launched(const char *name)
{
    const char *v = getenv(name);
    char *end;
    long n = v ? strtol(v, &end, 10) : 1;
    return v && end != v && *end == '\0' && n > 1 ? n : 1;
}

ps_status ps_cluster_open(int *argc, char ***argv, ps_cluster **out,
                          ps_error *err)
{
    (void)argc, (void)argv;
    *out = NULL;
    static const char *const sizes[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                        "PMIX_SIZE", "SLURM_STEP_NUM_TASKS"};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (launched(sizes[i]) > 1)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "started as one of %ld processes (%s), but "
                                "this plansim is built without MPI: each "
                                "would run every run into the same file; "
                                "build it with -DPLANSIM_MPI=ON, or start "
                                "one process",
                                launched(sizes[i]), sizes[i]);
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
