/*
 * The layout check readers run on opening a file (h5_layout.c): sizes
 * bounded by the file's size, variables matching the run and time
 * coordinates, string references and the global heap they point into;
 * and the checksummed file format files are written in.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>

#include "h5_impl.h"

/* ---- sizes ------------------------------------------------------------- */

static void test_size_bound_refuses_a_forged_dimension(void **state)
{
    (void)state;
    uint64_t max = h5_layout_max_bytes(100000);
    assert_true(max >= (uint64_t)4 << 30);
    uint64_t fine[3] = {1000, 6, 4};
    assert_int_equal(h5_layout_size_ok(3, fine, 8, max), 1);
    uint64_t forged[2] = {(uint64_t)1 << 60, 6};
    assert_int_equal(h5_layout_size_ok(2, forged, 8, max), 0);
    /* A product that overflows 64 bits is refused, not wrapped. */
    uint64_t wrap[3] = {(uint64_t)1 << 32, (uint64_t)1 << 32, 2};
    assert_int_equal(h5_layout_size_ok(3, wrap, 8, UINT64_MAX), 0);
    uint64_t empty[2] = {0, (uint64_t)1 << 62};
    assert_int_equal(h5_layout_size_ok(2, empty, 8, max), 1);
    assert_int_equal(h5_layout_max_bytes(UINT64_MAX / 2), UINT64_MAX);
}

/* ---- global heap collections ------------------------------------------ */

static void put(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* A collection of `size` bytes holding objects 1 ("abc") and 2 (nine
   bytes), then free space; returns where object 2's header is. */
static size_t make_collection(unsigned char *buf, size_t size)
{
    memset(buf, 0, size);
    memcpy(buf, "GCOL", 4);
    buf[4] = 1;
    put(buf + 8, size, 8);
    size_t p = 16;
    put(buf + p, 1, 2);
    put(buf + p + 8, 3, 8);
    memcpy(buf + p + 16, "abc", 3);
    p += 16 + 8;
    size_t two = p;
    put(buf + p, 2, 2);
    put(buf + p + 8, 9, 8);
    p += 16 + 16;
    put(buf + p, 0, 2);
    put(buf + p + 8, size - p, 8);
    return two;
}

static void test_collection_walked_as_hdf5_reads_it(void **state)
{
    (void)state;
    unsigned char buf[256];
    make_collection(buf, sizeof buf);
    h5_heap_object *obj;
    size_t n;
    assert_int_equal(h5_layout_parse_collection(buf, sizeof buf, &obj, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(h5_layout_object_size(obj, n, 1), 3);
    assert_int_equal(h5_layout_object_size(obj, n, 2), 9);
    assert_true(h5_layout_object_size(obj, n, 3) == UINT64_MAX);
    free(obj);
}

static void test_collection_damage_refused(void **state)
{
    (void)state;
    unsigned char buf[256];
    h5_heap_object *obj = NULL;
    size_t n;
    /* Free space of size 0: HDF5 1.10 would walk it for ever. */
    size_t two = make_collection(buf, sizeof buf);
    put(buf + two + 32 + 8, 0, 8);
    assert_int_equal(h5_layout_parse_collection(buf, sizeof buf, &obj, &n), -1);
    assert_null(obj);
    /* An object running past the collection's end. */
    make_collection(buf, sizeof buf);
    put(buf + two + 8, 1000, 8);
    assert_int_equal(h5_layout_parse_collection(buf, sizeof buf, &obj, &n), -1);
    /* An index used twice. */
    make_collection(buf, sizeof buf);
    put(buf + two, 1, 2);
    assert_int_equal(h5_layout_parse_collection(buf, sizeof buf, &obj, &n), -1);
    /* A wrong signature, and a size that is not the collection's. */
    make_collection(buf, sizeof buf);
    buf[0] = 'X';
    assert_int_equal(h5_layout_parse_collection(buf, sizeof buf, &obj, &n), -1);
    make_collection(buf, sizeof buf);
    put(buf + 8, 1 << 20, 8);
    assert_int_equal(h5_layout_parse_collection(buf, sizeof buf, &obj, &n), -1);
}

/* ---- files ------------------------------------------------------------- */

static char *temp_path(const char *name)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    char *p = malloc(4096);
    assert_non_null(p);
    snprintf(p, 4096, "%s/%s", base ? base : ".", name);
    return p;
}

/* A new file at `path` (any earlier one removed), as the writers make it. */
static hid_t create_file(const char *path)
{
    remove(path);
    hid_t f = -1;
    ps_error err;
    assert_int_equal(h5_create_netcdf_file(path, path, &f, &err), PS_OK);
    return f;
}

/* A small ensemble-like file: run (3), time (2), param (2 strings) and a
   variable `v` of dims vdims[2] with a model_name.  Returns the file
   offset of param's raw data. */
static haddr_t write_file(const char *path, const hsize_t *vdims)
{
    hid_t f = create_file(path);
    assert_true(f >= 0);
    hsize_t nrun = 3, ntime = 2;
    hid_t d = h5_dataset(f, H5N_RUN, H5T_NATIVE_LLONG, 1, &nrun, NULL);
    assert_true(d >= 0);
    H5Dclose(d);
    d = h5_dataset(f, H5N_TIME, H5T_NATIVE_DOUBLE, 1, &ntime, NULL);
    assert_true(d >= 0);
    H5Dclose(d);
    const char *names[] = {"growth", "share"};
    d = h5_string_dataset(f, H5N_PARAM, 2, names);
    assert_true(d >= 0);
    haddr_t at = H5Dget_offset(d);
    H5Dclose(d);
    d = h5_dataset(f, "v", H5T_NATIVE_DOUBLE, 2, vdims, NULL);
    assert_true(d >= 0);
    assert_int_equal(h5_attr_short(d, "model_name", "v"), 0);
    H5Dclose(d);
    assert_true(H5Fclose(f) >= 0);
    return at;
}

static ps_status check_path(const char *path, ps_error *err)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    ps_status st = h5_layout_check(f, path, err);
    H5Fclose(f);
    return st;
}

static void test_written_file_has_checksummed_format(void **state)
{
    (void)state;
    char *path = temp_path("layout-good.h5");
    hsize_t vdims[2] = {3, 2};
    write_file(path, vdims);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    assert_true(f >= 0);
    H5F_info2_t info;
    assert_true(H5Fget_info2(f, &info) >= 0);
    assert_int_equal(info.super.version, 3);
    H5Fclose(f);
    ps_error err;
    assert_int_equal(check_path(path, &err), PS_OK);
    /* What every reader opens with. */
    assert_int_equal(h5_open_read(path, &f, &err), PS_OK);
    H5Fclose(f);
    free(path);
}

static void test_variable_not_matching_coordinates_refused(void **state)
{
    (void)state;
    char *path = temp_path("layout-runs.h5");
    hsize_t vdims[2] = {4, 2}; /* 4 runs, the coordinate has 3 */
    write_file(path, vdims);
    ps_error err;
    assert_int_equal(check_path(path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "damaged file: variable 'v'"));
    assert_string_equal(err.file, path);
    hid_t f = -1;
    assert_int_equal(h5_open_read(path, &f, &err), PS_ERR_DATA);
    assert_true(f < 0);
    free(path);
}

static void test_forged_dimension_refused_before_reading(void **state)
{
    (void)state;
    char *path = temp_path("layout-huge.h5");
    hid_t f = create_file(path);
    assert_true(f >= 0);
    /* 2^40 x 2^20 doubles, chunked: valid HDF5, nothing allocated. */
    hsize_t dims[2] = {(hsize_t)1 << 40, (hsize_t)1 << 20};
    hsize_t chunk[2] = {1, 1024};
    hid_t space = H5Screate_simple(2, dims, NULL);
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    assert_true(H5Pset_chunk(dcpl, 2, chunk) >= 0);
    hid_t d = H5Dcreate2(f, "huge", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, dcpl,
                         H5P_DEFAULT);
    assert_true(d >= 0);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(space);
    H5Fclose(f);
    ps_error err;
    assert_int_equal(check_path(path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "dataset '/huge' claims more values"));
    free(path);
}

static void test_damaged_string_reference_refused(void **state)
{
    (void)state;
    char *path = temp_path("layout-strings.h5");
    hsize_t vdims[2] = {3, 2};
    haddr_t at = write_file(path, vdims);
    assert_true(at != HADDR_UNDEF);
    /* Second string: its heap object index becomes one never written. */
    int fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    unsigned char idx[4] = {0xe7, 0x03, 0, 0};
    assert_int_equal(pwrite(fd, idx, 4, (off_t)(at + 16 + 12)), 4);
    close(fd);
    ps_error err;
    assert_int_equal(check_path(path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "dataset '/param': string 1 points "
                                        "to no string"));
    /* Its collection address out of the file. */
    fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    unsigned char far[8] = {0, 0, 0, 0, 0, 0, 0, 0x10};
    assert_int_equal(pwrite(fd, far, 8, (off_t)(at + 4)), 8);
    close(fd);
    assert_int_equal(check_path(path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "outside the file"));
    free(path);
}

static void test_links_other_than_hard_refused(void **state)
{
    (void)state;
    char *path = temp_path("layout-links.h5");
    hsize_t vdims[2] = {3, 2};
    write_file(path, vdims);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Lcreate_external("/etc/passwd.h5", "/run", f, "elsewhere",
                                   H5P_DEFAULT, H5P_DEFAULT) >= 0);
    H5Fclose(f);
    ps_error err;
    assert_int_equal(check_path(path, &err), PS_ERR_DATA);
    assert_non_null(
        strstr(err.message, "'/elsewhere' is a link of kind external"));
    write_file(path, vdims);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    assert_true(f >= 0);
    assert_true(H5Lcreate_soft("/time", f, "alias", H5P_DEFAULT, H5P_DEFAULT) >=
                0);
    H5Fclose(f);
    assert_int_equal(check_path(path, &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "'/alias' is a link of kind soft"));
    free(path);
}

static void test_path_not_a_regular_file_refused(void **state)
{
    (void)state;
    hid_t f = 0;
    ps_error err;
    const char *dir = getenv("PLANSIM_TEST_TMPDIR");
    assert_int_equal(h5_open_read(dir ? dir : ".", &f, &err), PS_ERR_NOINPUT);
    assert_true(f < 0);
    assert_non_null(strstr(err.message, "not a regular file"));
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_bound_refuses_a_forged_dimension),
        cmocka_unit_test(test_collection_walked_as_hdf5_reads_it),
        cmocka_unit_test(test_collection_damage_refused),
        cmocka_unit_test(test_written_file_has_checksummed_format),
        cmocka_unit_test(test_variable_not_matching_coordinates_refused),
        cmocka_unit_test(test_forged_dimension_refused_before_reading),
        cmocka_unit_test(test_damaged_string_reference_refused),
        cmocka_unit_test(test_links_other_than_hard_refused),
        cmocka_unit_test(test_path_not_a_regular_file_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
