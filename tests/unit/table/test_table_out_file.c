/*
 * Atomic output files: nothing under the final name until commit, no
 * partial file left behind, and uncreatable paths reported as such.
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

#include "plansim_output/out_file.h"
#include "plansim_output/table.h"

/* A fresh directory per test, under the build folder. */
static int make_dir(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    char *dir = malloc(4096);
    if (!dir)
        return -1;
    snprintf(dir, 4096, "%s/outfile-XXXXXX", base ? base : ".");
    if (!mkdtemp(dir)) {
        free(dir);
        return -1;
    }
    *state = dir;
    return 0;
}

/* Removes the files a test may have made, then the directory. */
static int remove_dir(void **state)
{
    char *dir = *state;
    const char *names[] = {"out.csv", "out.csv.partial", "out.tab",
                           "out.tab.partial"};
    char path[4200];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        remove(path);
    }
    int rc = rmdir(dir);
    free(dir);
    return rc;
}

static int exists(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static char *read_all(const char *dir, const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 4096);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 4095, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_out_file_appears_only_on_commit(void **state)
{
    const char *dir = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    ps_out_file *f;
    ps_error err;
    assert_int_equal(ps_out_file_open(path, &f, &err), PS_OK);
    fputs("Time\n0\n", ps_out_file_stream(f));
    assert_true(exists(dir, "out.csv.partial"));
    assert_false(exists(dir, "out.csv"));
    assert_int_equal(ps_out_file_commit(&f, &err), PS_OK);
    assert_null(f);
    assert_false(exists(dir, "out.csv.partial"));
    char *text = read_all(dir, "out.csv");
    assert_string_equal(text, "Time\n0\n");
    free(text);
}

static void test_out_file_discard_leaves_nothing(void **state)
{
    const char *dir = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    ps_out_file *f;
    assert_int_equal(ps_out_file_open(path, &f, NULL), PS_OK);
    fputs("half a", ps_out_file_stream(f));
    ps_out_file_discard(&f);
    assert_null(f);
    assert_false(exists(dir, "out.csv.partial"));
    assert_false(exists(dir, "out.csv"));
    ps_out_file_discard(&f); /* NULL is allowed */
    ps_out_file_discard(NULL);
}

static void test_out_file_commit_replaces_an_older_file(void **state)
{
    const char *dir = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    ps_out_file *f;
    assert_int_equal(ps_out_file_open(path, &f, NULL), PS_OK);
    fputs("old\n", ps_out_file_stream(f));
    assert_int_equal(ps_out_file_commit(&f, NULL), PS_OK);
    assert_int_equal(ps_out_file_open(path, &f, NULL), PS_OK);
    fputs("new\n", ps_out_file_stream(f));
    char *text = read_all(dir, "out.csv");
    assert_string_equal(text, "old\n"); /* untouched until commit */
    free(text);
    assert_int_equal(ps_out_file_commit(&f, NULL), PS_OK);
    text = read_all(dir, "out.csv");
    assert_string_equal(text, "new\n");
    free(text);
}

static void test_out_file_open_fails_with_cantcreat(void **state)
{
    const char *dir = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/no-such-dir/out.csv", dir);
    ps_out_file *f = (ps_out_file *)1;
    ps_error err;
    assert_int_equal(ps_out_file_open(path, &f, &err), PS_ERR_CANTCREAT);
    assert_null(f);
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", path);
    assert_string_equal(err.file, partial);
    assert_non_null(strstr(err.message, "cannot create"));
}

/* An existing .partial, another run's or a link planted under its name,
   is refused and left as it was: never truncated, never followed. */
static void test_out_file_open_refuses_an_existing_partial(void **state)
{
    const char *dir = *state;
    char path[4200], partial[4300], victim[4300];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    snprintf(partial, sizeof partial, "%s.partial", path);
    snprintf(victim, sizeof victim, "%s/out.tab", dir);
    FILE *v = fopen(partial, "w");
    assert_non_null(v);
    fputs("another run's rows\n", v);
    fclose(v);
    ps_out_file *f = (ps_out_file *)1;
    ps_error err;
    assert_int_equal(ps_out_file_open(path, &f, &err), PS_ERR_CANTCREAT);
    assert_null(f);
    assert_string_equal(err.file, partial);
    assert_non_null(strstr(err.message, "another run may be writing it"));
    char *text = read_all(dir, "out.csv.partial");
    assert_string_equal(text, "another run's rows\n");
    free(text);

    /* a link to another file */
    assert_int_equal(rename(partial, victim), 0);
    assert_int_equal(symlink(victim, partial), 0);
    assert_int_equal(ps_out_file_open(path, &f, &err), PS_ERR_CANTCREAT);
    text = read_all(dir, "out.tab");
    assert_string_equal(text, "another run's rows\n");
    free(text);
    struct stat st;
    assert_int_equal(lstat(partial, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_false(exists(dir, "out.csv"));

    /* a dangling link: nothing is created where it points */
    assert_int_equal(remove(victim), 0);
    assert_int_equal(ps_out_file_open(path, &f, &err), PS_ERR_CANTCREAT);
    assert_false(exists(dir, "out.tab"));
}

static void test_table_write_file_writes_the_table(void **state)
{
    const char *dir = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/out.tab", dir);
    const char *names[] = {"x"};
    ps_series *s = ps_series_new(1, names);
    const double v = 2.5;
    assert_int_equal(ps_series_append(s, 2025, &v), 0);
    assert_int_equal(ps_table_write_file(path, s, PS_TABLE_TAB, NULL), PS_OK);
    char *text = read_all(dir, "out.tab");
    assert_string_equal(text, "Time\tx\n2025\t2.5\n");
    free(text);
    assert_false(exists(dir, "out.tab.partial"));
    ps_series_free(&s);
}

static void test_table_write_file_fails_without_a_trace(void **state)
{
    const char *dir = *state;
    char path[4200];
    snprintf(path, sizeof path, "%s/missing/out.csv", dir);
    const char *names[] = {"x"};
    ps_series *s = ps_series_new(1, names);
    ps_error err;
    assert_int_equal(ps_table_write_file(path, s, PS_TABLE_CSV, &err),
                     PS_ERR_CANTCREAT);
    assert_int_equal(err.status, PS_ERR_CANTCREAT);
    ps_series_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_out_file_appears_only_on_commit,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_out_file_discard_leaves_nothing,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(
            test_out_file_commit_replaces_an_older_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(test_out_file_open_fails_with_cantcreat,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(
            test_out_file_open_refuses_an_existing_partial, make_dir,
            remove_dir),
        cmocka_unit_test_setup_teardown(test_table_write_file_writes_the_table,
                                        make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(
            test_table_write_file_fails_without_a_trace, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
