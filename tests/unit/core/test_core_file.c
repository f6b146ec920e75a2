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

static void test_file_byte_sizes(void **state)
{
    (void)state;
    size_t n = 0;
    assert_int_equal(ps_byte_size_parse("1048576", &n), 0);
    assert_int_equal(n, 1048576);
    assert_int_equal(ps_byte_size_parse("64M", &n), 0);
    assert_int_equal(n, (size_t)64 << 20);
    assert_int_equal(ps_byte_size_parse("1G", &n), 0);
    assert_int_equal(n, (size_t)1 << 30);
    assert_int_equal(ps_byte_size_parse("512k", &n), 0);
    assert_int_equal(n, (size_t)512 << 10);
    assert_int_equal(ps_byte_size_parse("2GiB", &n), 0);
    assert_int_equal(n, (size_t)2 << 30);
    assert_int_equal(ps_byte_size_parse("100B", &n), 0);
    assert_int_equal(n, 100);
    n = 7;
    const char *bad[] = {"",
                         "M",
                         "0",
                         "-1",
                         "1.5G",
                         "1Q",
                         "1 G",
                         "1GG",
                         "99999999999999999999",
                         "17179869184G",
                         NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(ps_byte_size_parse(bad[i], &n), -1);
        assert_int_equal(n, 7);
    }
}

static void test_file_input_limit_from_the_environment(void **state)
{
    (void)state;
    char path[4096];
    write_bytes(scratch(path, "input.txt"), "0123456789", 10);
    size_t max;
    ps_error err;
    unsetenv(PS_INPUT_MAX_ENV);
    assert_int_equal(ps_input_max_bytes(&max, &err), PS_OK);
    assert_int_equal(max, PS_INPUT_MAX_BYTES_DEFAULT);
    char *data;
    size_t len;
    assert_int_equal(ps_file_read_input(path, &data, &len, &err), PS_OK);
    assert_int_equal(len, 10);
    free(data);

    setenv(PS_INPUT_MAX_ENV, "9", 1);
    assert_int_equal(ps_file_read_input(path, &data, &len, &err), PS_ERR_DATA);
    assert_null(data);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "at most 9"));
    assert_non_null(strstr(err.message, "--max-input-size"));
    int fd;
    assert_int_equal(ps_file_open_input(path, &fd, NULL, &err), PS_ERR_DATA);
    assert_int_equal(fd, -1);

    setenv(PS_INPUT_MAX_ENV, "10", 1);
    assert_int_equal(ps_file_open_input(path, &fd, &len, &err), PS_OK);
    assert_int_equal(len, 10);
    close(fd);

    setenv(PS_INPUT_MAX_ENV, "ten", 1);
    assert_int_equal(ps_input_max_bytes(&max, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "'ten' is not a size"));
    assert_int_equal(ps_file_read_input(path, &data, &len, &err), PS_ERR_USAGE);
    unsetenv(PS_INPUT_MAX_ENV);
}

static void test_file_text_checks(void **state)
{
    (void)state;
    const char *why;
    const char ok[] = "a: 1\n\xE5\xA2\x9E\xE9\x95\xBF\n";
    assert_int_equal(ps_text_invalid_at(ok, sizeof ok - 1, &why),
                     sizeof ok - 1);
    assert_null(why);
    ps_error err;
    assert_int_equal(ps_text_check("f.yaml", ok, sizeof ok - 1, &err), PS_OK);
    /* '%' and 0x92 on line 2, after two Chinese characters */
    const char bad[] = "a: 1\n\xE5\xA2\x9E\xE9\x95\xBF%\x92\n";
    assert_int_equal(ps_text_invalid_at(bad, sizeof bad - 1, &why), 12);
    assert_non_null(why);
    assert_int_equal(ps_text_check("f.yaml", bad, sizeof bad - 1, &err),
                     PS_ERR_DATA);
    assert_string_equal(err.file, "f.yaml");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 4);
    assert_non_null(strstr(err.message, "0x92"));
    const char nul[] = "ab\ncd\0ef";
    assert_int_equal(ps_text_invalid_at(nul, sizeof nul - 1, NULL), 5);
    assert_int_equal(ps_text_check("f.mdl", nul, sizeof nul - 1, &err),
                     PS_ERR_DATA);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 3);
    assert_non_null(strstr(err.message, "NUL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_reads_a_regular_file),
        cmocka_unit_test(test_file_refuses_a_file_too_large),
        cmocka_unit_test(test_file_refuses_what_is_not_a_regular_file),
        cmocka_unit_test(test_file_open_gives_a_blocking_descriptor),
        cmocka_unit_test(test_file_byte_sizes),
        cmocka_unit_test(test_file_input_limit_from_the_environment),
        cmocka_unit_test(test_file_text_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
