/*
 * Every Vensim model of the SDXorg conformance cases (../shared/sdx-tests
 * beside the source tree) is read, keeping its subscript ranges, or refused
 * as unsupported only when it reads a Vensim dataset (.vdf); never a syntax
 * error, never a crash.  Without the folder the tests skip (exit code 77,
 * CTest's SKIP_RETURN_CODE).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plansim/mdl.h"
#include "sdx_cases.h"

static char sdx_dir[1024];

static int has_mdl_extension(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && (strcmp(name + n - 4, ".mdl") == 0 ||
                     strcmp(name + n - 4, ".MDL") == 0);
}

/* Folders whose model defines subscript ranges, which the reader must
   keep. */
static int uses_subscripts(const char *folder)
{
    const char *known[] = {"arithmetics", "multiple_lines_def", "power",
                           "sample_if_true", "subscript_1d_arrays", "except"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(folder, known[i]) == 0)
            return 1;
    return 0;
}

typedef struct tally {
    int read, refused;
} tally;

static void check_model(const char *folder, const char *path, tally *t)
{
    ps_model *m = NULL;
    ps_error err;
    ps_status st = ps_model_load(path, &m, &err);
    if (st == PS_OK) {
        assert_non_null(m);
        /* Every model defines the control variables. */
        assert_non_null(ps_model_find(m, "FINAL TIME"));
        assert_non_null(ps_model_find(m, "TIME STEP"));
        if (uses_subscripts(folder) && m->ndims == 0)
            fail_msg("%s defines ranges but none was kept", path);
        ps_model_free(&m);
        t->read++;
        return;
    }
    assert_null(m);
    if (st != PS_ERR_UNSUPPORTED) {
        ps_error_print(stderr, &err);
        fail_msg("%s: %s, expected success or PS_ERR_UNSUPPORTED", path,
                 ps_status_name(st));
    }
    if (!strstr(err.message, "Vensim dataset")) {
        ps_error_print(stderr, &err);
        fail_msg("%s refused for a reason other than data from a Vensim "
                 "dataset",
                 path);
    }
    assert_true(err.line > 0 && err.column > 0);
    t->refused++;
}

static void test_every_sdx_model_is_read_or_refused_cleanly(void **state)
{
    (void)state;
    if (!sdx_dir[0]) {
        fprintf(stderr, "skipped: no sdx-tests folder beside the source "
                        "tree (set PLANSIM_SHARED_DIR to point at it)\n");
        skip();
    }
    DIR *top = opendir(sdx_dir);
    assert_non_null(top);
    tally t = {0, 0};
    struct dirent *d;
    while ((d = readdir(top)) != NULL) {
        if (d->d_name[0] == '.')
            continue;
        char folder[1536];
        snprintf(folder, sizeof folder, "%s/%s", sdx_dir, d->d_name);
        DIR *sub = opendir(folder);
        if (!sub)
            continue;
        struct dirent *f;
        while ((f = readdir(sub)) != NULL) {
            if (!has_mdl_extension(f->d_name))
                continue;
            char path[2048];
            snprintf(path, sizeof path, "%s/%s", folder, f->d_name);
            check_model(d->d_name, path, &t);
        }
        closedir(sub);
    }
    closedir(top);
    fprintf(stderr, "sdx-tests: %d models read, %d refused as unsupported\n",
            t.read, t.refused);
    assert_true(t.read > 0);
}

/* Loads one case, or skips when the folder is absent. */
static ps_model *load_case(const char *relative)
{
    if (!sdx_dir[0])
        skip();
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", sdx_dir, relative);
    ps_model *m = NULL;
    ps_error err;
    if (ps_model_load(path, &m, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("cannot read %s", relative);
    }
    return m;
}

static void test_sdx_teacup_upper_case_extension_is_read(void **state)
{
    (void)state;
    ps_model *m =
        load_case("case_sensitive_extension/teacup-upper.MDL");
    const ps_var *v = ps_model_find(m, "Teacup Temperature");
    assert_non_null(v);
    assert_int_equal(v->kind, PS_VAR_STOCK);
    assert_true(v->init->u.number == 180);
    assert_string_equal(v->units, "Degrees Fahrenheit");
    assert_true(v->range_min == 32 && v->range_max == 212);
    ps_model_free(&m);
}

static void test_sdx_lookups_are_tables(void **state)
{
    (void)state;
    ps_model *m = load_case("lookups/test_lookups.mdl");
    const ps_var *v = ps_model_find(m, "lookup function table");
    assert_non_null(v);
    assert_int_equal(v->kind, PS_VAR_LOOKUP);
    assert_int_equal(v->table->n, 10);
    const ps_var *c = ps_model_find(m, "Lookup Linebreak Before Comma");
    assert_int_equal(c->table->n, 13);
    ps_model_free(&m);
}

static void test_sdx_subscripts_are_read(void **state)
{
    (void)state;
    if (!sdx_dir[0])
        skip();
    char path[2048];
    snprintf(path, sizeof path, "%s/arithmetics/test_arithmetics.mdl",
             sdx_dir);
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(path, &m, &err), PS_OK);
    /* "add substract[sub1]=" on line 2, over range "sub1" */
    const ps_var *v = ps_model_find(m, "add substract");
    assert_non_null(v);
    assert_int_equal(v->subs.n, 1);
    assert_string_equal(v->subs.v[0].key, "sub1");
    assert_int_equal(v->subs.v[0].loc.line, 2);
    assert_int_equal(v->subs.v[0].loc.column, 15);
    /* "sub1" is the first element of range "subs: (sub1-sub9)" */
    const ps_dim *d = ps_model_find_dim(m, "subs");
    assert_non_null(d);
    assert_string_equal(d->elems.v[0].key, "sub1");
    ps_model_free(&m);
}

int main(void)
{
    int found = sdx_cases_dir(sdx_dir, sizeof sdx_dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_sdx_model_is_read_or_refused_cleanly),
        cmocka_unit_test(test_sdx_teacup_upper_case_extension_is_read),
        cmocka_unit_test(test_sdx_lookups_are_tables),
        cmocka_unit_test(test_sdx_subscripts_are_read),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed == 0 && !found ? SDX_SKIPPED : failed;
}
