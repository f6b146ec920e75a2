/*
 * A written file's own check before its commit: reopen it read-only, as a
 * reader would, and look at what its writer meant to leave in it.
 */
#include "h5_self_check.h"

#include <stdlib.h>

#include "h5_impl.h"

/* Counts the pending (0) entries of the 1-D run_status dataset `d`.
   The count, or -1 when it cannot be read. */
static long long count_pending(hid_t d, hsize_t n)
{
    signed char *status = malloc(n ? n : 1);
    if (!status)
        return -1;
    long long pending = -1;
    if (H5Dread(d, H5T_NATIVE_SCHAR, H5S_ALL, H5S_ALL, H5P_DEFAULT, status) >=
        0) {
        pending = 0;
        for (hsize_t i = 0; i < n; i++)
            pending += status[i] == 0;
    }
    free(status);
    return pending;
}

/* Checks one dataset of the open file `f`. */
static ps_status check_dataset(hid_t f, const char *partial,
                               const h5_expected_dataset *e, ps_error *err)
{
    const char *fail = "failed its own check before its rename";
    if (H5Lexists(f, e->name, H5P_DEFAULT) <= 0)
        return h5_fail(err, PS_ERR_IO, partial, "%s: no dataset '%s'", fail,
                       e->name);
    hid_t d = H5Dopen2(f, e->name, H5P_DEFAULT);
    hid_t space = d >= 0 ? H5Dget_space(d) : -1;
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    hsize_t dims[H5S_MAX_RANK];
    ps_status st = PS_OK;
    if (rank < 0 || H5Sget_simple_extent_dims(space, dims, NULL) < 0)
        st = h5_fail(err, PS_ERR_IO, partial, "%s: cannot read dataset '%s'",
                     fail, e->name);
    else if (e->rank && rank != e->rank)
        st = h5_fail(err, PS_ERR_IO, partial,
                     "%s: dataset '%s' has %d dimensions, not %d", fail,
                     e->name, rank, e->rank);
    for (int k = 0; st == PS_OK && k < 2 && k < rank; k++)
        if (e->lead[k] && dims[k] != e->lead[k])
            st = h5_fail(err, PS_ERR_IO, partial,
                         "%s: dataset '%s' has %llu entries along dimension "
                         "%d, not %llu",
                         fail, e->name, (unsigned long long)dims[k], k + 1,
                         (unsigned long long)e->lead[k]);
    if (st == PS_OK && e->no_pending && rank == 1) {
        long long pending = count_pending(d, dims[0]);
        if (pending < 0)
            st = h5_fail(err, PS_ERR_IO, partial,
                         "%s: cannot read dataset '%s'", fail, e->name);
        else if (pending > 0)
            st = h5_fail(err, PS_ERR_IO, partial,
                         "%s: %lld of %llu runs are missing from '%s'", fail,
                         pending, (unsigned long long)dims[0], e->name);
    }
    if (space >= 0)
        H5Sclose(space);
    if (d >= 0)
        H5Dclose(d);
    return st;
}

ps_status h5_self_check(const char *partial, const h5_expected_dataset *expect,
                        size_t n, ps_error *err)
{
    hid_t f = H5Fopen(partial, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return h5_fail(err, PS_ERR_IO, partial,
                       "failed its own check before its rename: cannot "
                       "reopen it");
    ps_status st = PS_OK;
    for (size_t i = 0; i < n && st == PS_OK; i++)
        st = check_dataset(f, partial, &expect[i], err);
    if (H5Fclose(f) < 0 && st == PS_OK)
        st = h5_fail(err, PS_ERR_IO, partial,
                     "failed its own check before its rename: cannot close "
                     "it");
    return st;
}
