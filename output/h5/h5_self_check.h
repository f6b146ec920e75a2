/*
 * The check a file written by plansim passes before it is renamed into
 * place: reopened read-only, it holds the datasets its writer made, with
 * the sizes it made them.
 */
#ifndef PS_H5_SELF_CHECK_H
#define PS_H5_SELF_CHECK_H

#include <hdf5.h>
#include <stddef.h>

#include "plansim/status.h"

/* A dataset the file must hold. */
typedef struct h5_expected_dataset {
    const char *name; /* from the root */
    int rank;         /* its number of dimensions; 0: any */
    hsize_t lead[2];  /* sizes of its first dimensions; 0: any */
    int no_pending;   /* a run_status: no run may still be pending (0) */
} h5_expected_dataset;

/*
 * Opens the closed file `partial` read-only and checks each of the n
 * datasets in `expect`.  PS_OK, or PS_ERR_IO naming `partial`, the
 * dataset and what differs ("failed its own check: ...").  Makes HDF5
 * calls: call it with HDF5's error printing off (h5_quiet).
 */
ps_status h5_self_check(const char *partial, const h5_expected_dataset *expect,
                        size_t n, ps_error *err);

#endif
