/*
 * The report folder: every file written whole (the same bytes as the
 * single writers), nothing else left behind, the Excel byte order mark
 * on CSV files only, missing parents created, and the folders that
 * cannot be made.
 */
#include <dirent.h>
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

#include "plansim_output/report.h"
#include "report_fixture.h"

static const char *const report_files[] = {
    "appendix.md",   "assumptions.csv", "assumptions.md", "fan_GDP.svg",
    "fan_a_b_c.svg", "index.md",        "targets.csv",    "targets.md",
    "variables.csv", "variables.md",
};
#define NFILES (sizeof report_files / sizeof report_files[0])

/* The other formats, made from the files above (their own tests check
   what they hold); with those, in name order, the whole folder. */
static const char *const all_files[] = {
    "appendix.md",   "assumptions.csv", "assumptions.md", "fan_GDP.pdf",
    "fan_GDP.png",   "fan_GDP.svg",     "fan_a_b_c.pdf",  "fan_a_b_c.png",
    "fan_a_b_c.svg", "index.html",      "index.md",       "report.xlsx",
    "targets.csv",   "targets.md",      "variables.csv",  "variables.md",
};
#define NALL (sizeof all_files / sizeof all_files[0])

typedef struct scratch {
    char path[4096];
} scratch;

static int make_scratch(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    scratch *d = calloc(1, sizeof *d);
    if (!d)
        return -1;
    snprintf(d->path, sizeof d->path, "%s/reportdir-XXXXXX", base ? base : ".");
    if (!mkdtemp(d->path)) {
        free(d);
        return -1;
    }
    *state = d;
    return 0;
}

static int drop_scratch(void **state)
{
    scratch *d = *state;
    rf_remove_tree(d->path);
    free(d);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in `path`; *n of them (caller frees all). */
static char **list_dir(const char *path, size_t *n)
{
    DIR *dir = opendir(path);
    assert_non_null(dir);
    char **names = calloc(64, sizeof *names);
    *n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && *n < 64)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[(*n)++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, *n, sizeof *names, compare_names);
    return names;
}

static ps_status write_report(const char *dir, int excel)
{
    ps_report_options o = {.excel = excel};
    ps_error err;
    ps_status st =
        ps_report_write_dir(dir, rf_summary(), rf_assumptions(), &o, &err);
    if (st != PS_OK)
        print_error("%s: %s\n", err.file, err.message);
    return st;
}

static char *read_in(const char *dir, const char *name, size_t *len)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = rf_slurp(path, len);
    assert_non_null(text);
    return text;
}

static void test_report_dir_writes_every_file_and_nothing_else(void **state)
{
    scratch *d = *state;
    assert_int_equal(write_report(d->path, 0), PS_OK);
    size_t n;
    char **names = list_dir(d->path, &n);
    assert_int_equal(n, NALL);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(names[i], all_files[i]);
        free(names[i]);
    }
    free(names);
    /* The same bytes as the single writers (golden/). */
    for (size_t i = 0; i < NFILES; i++) {
        char golden[256];
        snprintf(golden, sizeof golden, "golden/%s", report_files[i]);
        char *want = rf_slurp(golden, NULL);
        assert_non_null(want);
        char *got = read_in(d->path, report_files[i], NULL);
        assert_string_equal(got, want);
        free(got);
        free(want);
    }
}

static void test_report_dir_marks_csv_for_excel_on_request(void **state)
{
    scratch *d = *state;
    assert_int_equal(write_report(d->path, 1), PS_OK);
    for (size_t i = 0; i < NFILES; i++) {
        size_t len;
        char *text = read_in(d->path, report_files[i], &len);
        int csv = strstr(report_files[i], ".csv") != NULL;
        int bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0;
        assert_int_equal(bom, csv);
        free(text);
    }
    /* Without the option, no mark; the files are replaced. */
    assert_int_equal(write_report(d->path, 0), PS_OK);
    char *text = read_in(d->path, "targets.csv", NULL);
    assert_true(strncmp(text, "target,", 7) == 0);
    free(text);
}

static void test_report_dir_creates_missing_parents(void **state)
{
    scratch *d = *state;
    char nested[4200];
    snprintf(nested, sizeof nested, "%s/a/b/c/", d->path);
    assert_int_equal(write_report(nested, 0), PS_OK);
    char *text = read_in(nested, "index.md", NULL);
    free(text);
}

static void test_report_dir_refuses_a_path_that_is_not_a_folder(void **state)
{
    scratch *d = *state;
    char file[4200], under[4300];
    snprintf(file, sizeof file, "%s/plain", d->path);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    ps_error err;
    assert_int_equal(ps_report_write_dir(file, rf_summary(), NULL, NULL, &err),
                     PS_ERR_CANTCREAT);
    assert_string_equal(err.file, file);
    assert_non_null(strstr(err.message, "Not a directory"));
    snprintf(under, sizeof under, "%s/x/report", file);
    assert_int_equal(ps_report_write_dir(under, rf_summary(), NULL, NULL, &err),
                     PS_ERR_CANTCREAT);
    assert_int_equal(ps_report_write_dir("", rf_summary(), NULL, NULL, &err),
                     PS_ERR_USAGE);
}

static void test_report_dir_refuses_a_file_it_cannot_create(void **state)
{
    /* A folder in the way of index.md: the file cannot be created. */
    scratch *d = *state;
    char blocker[4200];
    snprintf(blocker, sizeof blocker, "%s/index.md.partial", d->path);
    assert_int_equal(mkdir(blocker, 0700), 0);
    ps_error err;
    assert_int_equal(
        ps_report_write_dir(d->path, rf_summary(), NULL, NULL, &err),
        PS_ERR_CANTCREAT);
    assert_non_null(strstr(err.file, "index.md"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_report_dir_writes_every_file_and_nothing_else, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_dir_marks_csv_for_excel_on_request, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(test_report_dir_creates_missing_parents,
                                        make_scratch, drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_dir_refuses_a_path_that_is_not_a_folder, make_scratch,
            drop_scratch),
        cmocka_unit_test_setup_teardown(
            test_report_dir_refuses_a_file_it_cannot_create, make_scratch,
            drop_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
