/*
 * Creating output files safely: a .partial is created only when nothing
 * has its name (not even a link, dangling or not), and the checks made
 * before any work refuse an existing result without the replace flag and
 * any existing .partial.
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

#include "plansim/output_file.h"

/* A fresh folder per test, under the build folder. */
static int make_dir(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    char *dir = malloc(4096);
    if (!dir)
        return -1;
    snprintf(dir, 4096, "%s/outputfile-XXXXXX", base && *base ? base : ".");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

static int remove_dir(void **state)
{
    char *dir = *state;
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    int rc = system(cmd);
    free(dir);
    return rc;
}

static const char *in(const char *dir, const char *name, char *buf)
{
    snprintf(buf, 4400, "%s/%s", dir, name);
    return buf;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int same_text(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

static void test_partial_name_appends_the_suffix(void **state)
{
    (void)state;
    char *p = ps_output_partial_name("dir/out.h5");
    assert_string_equal(p, "dir/out.h5.partial");
    free(p);
}

static void test_folder_is_the_part_before_the_last_slash(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"out.h5", "."},     {"dir/out.h5", "dir"}, {"/out.h5", "/"},
        {"a/b/c.h5", "a/b"}, {"dir/", "dir"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *d = ps_output_folder(cases[i][0]);
        assert_non_null(d);
        assert_string_equal(d, cases[i][1]);
        free(d);
    }
}

static void test_create_partial_makes_a_new_empty_file(void **state)
{
    char p[4400];
    ps_error err;
    int fd = ps_output_create_partial(in(*state, "a.partial", p), 0, &err);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "x", 1), 1);
    assert_int_equal(close(fd), 0);
    assert_true(same_text(p, "x"));
}

static void test_create_partial_refuses_an_existing_file(void **state)
{
    char p[4400];
    ps_error err;
    write_text(in(*state, "b.partial", p), "another run\n");
    assert_int_equal(ps_output_create_partial(p, 0, &err), -1);
    assert_int_equal(err.status, PS_ERR_CANTCREAT);
    assert_string_equal(err.file, p);
    assert_non_null(strstr(err.message, "another run may be writing it"));
    assert_null(strstr(err.message, "--resume"));
    assert_true(same_text(p, "another run\n"));
    /* a resumable output says how to go on */
    assert_null(ps_output_create_partial_stream(p, PS_OUTPUT_RESUMABLE, &err));
    assert_non_null(strstr(err.message, "--resume"));
    assert_non_null(strstr(err.message, p));
}

static void test_create_partial_never_follows_a_link(void **state)
{
    char p[4400], victim[4400], missing[4400];
    ps_error err;
    write_text(in(*state, "victim", victim), "precious\n");
    assert_int_equal(symlink(victim, in(*state, "c.partial", p)), 0);
    assert_int_equal(ps_output_create_partial(p, 0, &err), -1);
    assert_int_equal(err.status, PS_ERR_CANTCREAT);
    assert_true(same_text(victim, "precious\n"));
    struct stat st;
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    /* a dangling link: nothing is made where it points */
    assert_int_equal(unlink(p), 0);
    assert_int_equal(symlink(in(*state, "missing", missing), p), 0);
    assert_int_equal(ps_output_create_partial(p, 0, &err), -1);
    assert_int_not_equal(access(missing, F_OK), 0);
}

static void test_create_partial_reports_other_failures(void **state)
{
    char p[4400];
    ps_error err;
    assert_int_equal(
        ps_output_create_partial(in(*state, "no/such/d.partial", p), 0, &err),
        -1);
    assert_int_equal(err.status, PS_ERR_CANTCREAT);
    assert_non_null(strstr(err.message, "cannot create output file"));
}

static void test_check_refuses_an_existing_result_without_replace(void **state)
{
    char path[4400], partial[4500];
    ps_error err;
    in(*state, "out.h5", path);
    assert_int_equal(ps_output_check(path, 0, &err), PS_OK);
    write_text(path, "result\n");
    assert_int_equal(ps_output_check(path, 0, &err), PS_ERR_CANTCREAT);
    char want[4600];
    snprintf(want, sizeof want, "%s exists; --force replaces it", path);
    assert_string_equal(err.message, want);
    assert_int_equal(ps_output_check(path, PS_OUTPUT_REPLACE, &err), PS_OK);
    /* a link under the final name counts as a result too */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(symlink("nowhere", path), 0);
    assert_int_equal(ps_output_check(path, 0, &err), PS_ERR_CANTCREAT);
    /* a folder is refused even with replace */
    char folder[4400];
    assert_int_equal(mkdir(in(*state, "dir.h5", folder), 0777), 0);
    assert_int_equal(ps_output_check(folder, PS_OUTPUT_REPLACE, &err),
                     PS_ERR_CANTCREAT);
    assert_non_null(strstr(err.message, "is a folder"));
    /* an existing .partial is refused even with replace */
    snprintf(partial, sizeof partial, "%s.partial", path);
    write_text(partial, "");
    assert_int_equal(ps_output_check(path, PS_OUTPUT_REPLACE, &err),
                     PS_ERR_CANTCREAT);
    assert_string_equal(err.file, partial);
}

static void test_check_dir_refuses_a_folder_that_is_not_empty(void **state)
{
    char dir[4400], file[4500];
    ps_error err;
    in(*state, "report", dir);
    assert_int_equal(ps_output_check_dir(dir, 0, &err), PS_OK); /* missing */
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(ps_output_check_dir(dir, 0, &err), PS_OK); /* empty */
    snprintf(file, sizeof file, "%s/index.md", dir);
    write_text(file, "# old\n");
    assert_int_equal(ps_output_check_dir(dir, 0, &err), PS_ERR_CANTCREAT);
    assert_non_null(strstr(err.message, "is not empty; --force"));
    assert_int_equal(ps_output_check_dir(dir, PS_OUTPUT_REPLACE, &err), PS_OK);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, make_dir, remove_dir)
    const struct CMUnitTest tests[] = {
        T(test_partial_name_appends_the_suffix),
        T(test_folder_is_the_part_before_the_last_slash),
        T(test_create_partial_makes_a_new_empty_file),
        T(test_create_partial_refuses_an_existing_file),
        T(test_create_partial_never_follows_a_link),
        T(test_create_partial_reports_other_failures),
        T(test_check_refuses_an_existing_result_without_replace),
        T(test_check_dir_refuses_a_folder_that_is_not_empty),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
