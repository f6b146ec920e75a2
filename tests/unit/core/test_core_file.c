/*
 * Opening input files safely: regular files are read whole; directories,
 * FIFOs and devices are refused without blocking; sizes are bounded.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "plansim/file.h"

static const char *scratch(char *buf, const char *name)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    snprintf(buf, 4096, "%s/%s", base && *base ? base : ".", name);
    return buf;
}

static void write_bytes(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void test_file_reads_a_regular_file(void **state)
{
    (void)state;
    char path[4096];
    write_bytes(scratch(path, "ten.txt"),
                "0123\0"
                "56789",
                10);
    char *data;
    size_t len;
    ps_error err;
    assert_int_equal(ps_file_read_regular(path, 100, &data, &len, &err), PS_OK);
    assert_int_equal(len, 10);
    assert_memory_equal(data,
                        "0123\0"
                        "56789",
                        10);
    assert_int_equal(data[10], '\0');
    free(data);
    /* exactly at the limit */
    assert_int_equal(ps_file_read_regular(path, 10, &data, &len, &err), PS_OK);
    free(data);
    write_bytes(path, "", 0);
    assert_int_equal(ps_file_read_regular(path, 10, &data, &len, &err), PS_OK);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
}

static void test_file_refuses_a_file_too_large(void **state)
{
    (void)state;
    char path[4096];
    write_bytes(scratch(path, "eleven.txt"), "0123456789a", 11);
    char *data = (char *)1;
    size_t len = 5;
    ps_error err;
    assert_int_equal(ps_file_read_regular(path, 10, &data, &len, &err),
                     PS_ERR_DATA);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "too large"));
    int fd = 7;
    assert_int_equal(ps_file_open_regular(path, 10, &fd, NULL, &err),
                     PS_ERR_DATA);
    assert_int_equal(fd, -1);
}

static void on_alarm(int sig)
{
    (void)sig;
    _exit(1);
}

static void test_file_refuses_what_is_not_a_regular_file(void **state)
{
    (void)state;
    signal(SIGALRM, on_alarm); /* a blocked open fails the test */
    alarm(20);
    char path[4096];
    char *data;
    size_t len;
    ps_error err;
    int fd;
    scratch(path, "fifo");
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(ps_file_read_regular(path, 100, &data, &len, &err),
                     PS_ERR_NOINPUT);
    assert_non_null(strstr(err.message, "a FIFO"));
    unlink(path);
    assert_int_equal(ps_file_open_regular("/dev/null", 100, &fd, NULL, &err),
                     PS_ERR_NOINPUT);
    assert_non_null(strstr(err.message, "a device"));
    assert_int_equal(fd, -1);
    assert_int_equal(ps_file_open_regular(".", 100, &fd, NULL, &err),
                     PS_ERR_NOINPUT);
    assert_non_null(strstr(err.message, "a directory"));
    assert_int_equal(ps_file_open_regular("no/such/file", 100, &fd, NULL, &err),
                     PS_ERR_NOINPUT);
    assert_string_equal(err.file, "no/such/file");
    assert_int_equal(ps_file_open_regular("", 100, &fd, NULL, &err),
                     PS_ERR_NOINPUT);
    alarm(0);
}

static void test_file_open_gives_a_blocking_descriptor(void **state)
{
    (void)state;
    char path[4096];
    write_bytes(scratch(path, "abc.txt"), "abc", 3);
    int fd;
    size_t size;
    ps_error err;
    assert_int_equal(ps_file_open_regular(path, 3, &fd, &size, &err), PS_OK);
    assert_true(fd >= 0);
    assert_int_equal(size, 3);
    char buf[4];
    assert_int_equal(read(fd, buf, sizeof buf), 3);
    close(fd);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_reads_a_regular_file),
        cmocka_unit_test(test_file_refuses_a_file_too_large),
        cmocka_unit_test(test_file_refuses_what_is_not_a_regular_file),
        cmocka_unit_test(test_file_open_gives_a_blocking_descriptor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
