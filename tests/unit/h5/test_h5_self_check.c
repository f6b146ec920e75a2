/*
 * A written file's own check before its rename (h5_self_check): the
 * datasets its writer made, with their sizes, and no run left pending;
 * and the ensemble sink, which refuses to commit a file with runs
 * missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>

#include "h5_fixture.h"
#include "h5_impl.h"
#include "h5_self_check.h"

typedef struct dir {
    char path[4096];
    char file[4200];    /* dir/out.h5 */
    char partial[4300]; /* dir/out.h5.partial */
} dir;

static int make_dir(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    dir *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->path, sizeof d->path, "%s/selfcheck-XXXXXX",
             base && *base ? base : ".");
    if (!mkdtemp(d->path))
        return -1;
    snprintf(d->file, sizeof d->file, "%s/out.h5", d->path);
    snprintf(d->partial, sizeof d->partial, "%s.partial", d->file);
    *state = d;
    return 0;
}

static int remove_dir(void **state)
{
    dir *d = *state;
    remove(d->file);
    remove(d->partial);
    int rc = rmdir(d->path);
    free(d);
    return rc;
}

static void put(hid_t f, const char *name, hid_t type, int rank,
                const hsize_t *dims, const void *data)
{
    hid_t space = H5Screate_simple(rank, dims, NULL);
    hid_t d =
        H5Dcreate2(f, name, type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(d >= 0);
    if (data)
        assert_true(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >=
                    0);
    H5Dclose(d);
    H5Sclose(space);
}

/* A small ensemble-like file: 4 runs, 3 times, x(run, time) and the
   given run statuses. */
static void write_file(const char *path, const signed char status[4])
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    hsize_t n = 4, t = 3, xt[2] = {4, 3};
    double run[4] = {0, 1, 2, 3}, time[3] = {2025, 2026, 2027}, x[12] = {0};
    put(f, "run", H5T_NATIVE_DOUBLE, 1, &n, run);
    put(f, "time", H5T_NATIVE_DOUBLE, 1, &t, time);
    put(f, "x", H5T_NATIVE_DOUBLE, 2, xt, x);
    put(f, "run_status", H5T_NATIVE_SCHAR, 1, &n, status);
    assert_true(H5Fclose(f) >= 0);
}

static const h5_expected_dataset expect[] = {
    {"run", 1, {4, 0}, 0},
    {"time", 1, {3, 0}, 0},
    {"x", 2, {4, 3}, 0},
    {"run_status", 1, {4, 0}, 1},
};

static ps_status check(const char *path, const h5_expected_dataset *e, size_t n,
                       ps_error *err)
{
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = h5_self_check(path, e, n, err);
    h5_quiet_end(&q);
    return st;
}

static void test_self_check_passes_a_whole_file(void **state)
{
    dir *d = *state;
    const signed char ok[4] = {1, 1, 2, 1}; /* a failed run is done too */
    write_file(d->partial, ok);
    ps_error err;
    assert_int_equal(check(d->partial, expect, 4, &err), PS_OK);
}

static void test_self_check_refuses_pending_runs(void **state)
{
    dir *d = *state;
    const signed char some[4] = {1, 0, 1, 0};
    write_file(d->partial, some);
    ps_error err;
    assert_int_equal(check(d->partial, expect, 4, &err), PS_ERR_IO);
    assert_string_equal(err.file, d->partial);
    assert_non_null(strstr(err.message, "failed its own check"));
    assert_non_null(strstr(err.message, "2 of 4 runs are missing"));
}

static void test_self_check_refuses_other_sizes_and_missing_data(void **state)
{
    dir *d = *state;
    const signed char ok[4] = {1, 1, 1, 1};
    write_file(d->partial, ok);
    ps_error err;
    const h5_expected_dataset more_runs[] = {{"x", 2, {5, 3}, 0}};
    assert_int_equal(check(d->partial, more_runs, 1, &err), PS_ERR_IO);
    assert_non_null(
        strstr(err.message, "'x' has 4 entries along dimension 1, not 5"));
    const h5_expected_dataset more_times[] = {{"x", 2, {4, 6}, 0}};
    assert_int_equal(check(d->partial, more_times, 1, &err), PS_ERR_IO);
    assert_non_null(strstr(err.message, "along dimension 2, not 6"));
    const h5_expected_dataset rank3[] = {{"x", 3, {0, 0}, 0}};
    assert_int_equal(check(d->partial, rank3, 1, &err), PS_ERR_IO);
    assert_non_null(strstr(err.message, "has 2 dimensions, not 3"));
    const h5_expected_dataset absent[] = {{"GDP", 2, {4, 3}, 0}};
    assert_int_equal(check(d->partial, absent, 1, &err), PS_ERR_IO);
    assert_non_null(strstr(err.message, "no dataset 'GDP'"));
}

static void test_self_check_refuses_a_file_that_is_not_hdf5(void **state)
{
    dir *d = *state;
    FILE *f = fopen(d->partial, "w");
    assert_non_null(f);
    fputs("not HDF5\n", f);
    fclose(f);
    ps_error err;
    assert_int_equal(check(d->partial, expect, 4, &err), PS_ERR_IO);
    assert_non_null(strstr(err.message, "cannot reopen it"));
}

static void test_sink_does_not_commit_a_file_with_runs_missing(void **state)
{
    dir *d = *state;
    ps_error err;
    /* two of the four blocks, then a commit */
    assert_int_equal(fx_write(d->file, NULL, 2, 0, 1, &err), PS_ERR_IO);
    assert_non_null(strstr(err.message, "runs are missing"));
    assert_int_not_equal(access(d->file, F_OK), 0);
    assert_int_equal(access(d->partial, F_OK), 0);
}

static void test_sink_commits_a_whole_file(void **state)
{
    dir *d = *state;
    ps_error err;
    assert_int_equal(fx_write(d->file, NULL, FX_NBLOCKS, 1, 1, &err), PS_OK);
    assert_int_equal(access(d->file, F_OK), 0);
    assert_int_not_equal(access(d->partial, F_OK), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, make_dir, remove_dir)
    const struct CMUnitTest tests[] = {
        T(test_self_check_passes_a_whole_file),
        T(test_self_check_refuses_pending_runs),
        T(test_self_check_refuses_other_sizes_and_missing_data),
        T(test_self_check_refuses_a_file_that_is_not_hdf5),
        T(test_sink_does_not_commit_a_file_with_runs_missing),
        T(test_sink_commits_a_whole_file),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
