/*
 * plansim_cluster: the processes of one job.
 *
 * A plansim command started by `mpirun -n N` (or `srun`) runs in N
 * processes, the ranks.  Each computes what the command prepares (the
 * scenario, the program, the design) the same way; the ensembles are
 * spread over them (ps_ensemble_spread): rank 0 deals blocks of runs,
 * writes the file and prints, the other ranks run the blocks they are
 * dealt.  Built without MPI (the default), or started alone, a job is
 * one process and nothing is spread.
 */
#ifndef PLANSIM_CLUSTER_H
#define PLANSIM_CLUSTER_H

#include "plansim/ensemble.h"
#include "plansim/status.h"

typedef struct ps_cluster ps_cluster;

/*
 * Joins the job (MPI_Init_thread asking for MPI_THREAD_SERIALIZED: the
 * ensembles' threads call MPI one at a time).  *out is owned by the
 * caller (ps_cluster_close).  PS_ERR_INTERNAL when MPI cannot start or
 * gives less thread support; PS_ERR_NOMEM.
 */
ps_status ps_cluster_open(int *argc, char ***argv, ps_cluster **out,
                          ps_error *err);

/* This process's rank, 0 to size - 1, and the job's size. */
int ps_cluster_rank(const ps_cluster *c);
int ps_cluster_size(const ps_cluster *c);

/* Whether the library was built with MPI (then `mpirun` spreads runs). */
int ps_cluster_has_mpi(void);

/* The spread this process gives its ensembles (spec.spread), owned by
   c; NULL when the job is one process. */
const ps_ensemble_spread *ps_cluster_spread(ps_cluster *c);

/* Ends every process of the job with exit status `code`: after an error
   on one rank, which the others may be waiting on.  Does not return. */
void ps_cluster_abort(ps_cluster *c, int code);

/* Leaves the job (MPI_Finalize) and frees *c; sets it NULL. */
void ps_cluster_close(ps_cluster **c);

#endif
