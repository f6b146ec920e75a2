/*
 * Loading model files: the reader chosen by extension, unreadable files,
 * errors naming the file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plansim/mdl.h"

static const char *model_text = "{UTF-8}\r\nx = 1 ~ kg ~|\r\n"
                                "y = x * 2 ~~|\r\n\\\\\\---///\r\n";

/* A scratch folder, removed by teardown. */
typedef struct scratch {
    char dir[512];
    char paths[8][600];
    int npaths;
} scratch;

static int setup(void **state)
{
    scratch *s = calloc(1, sizeof *s);
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/plansim-mdl-XXXXXX",
             tmp && *tmp ? tmp : P_tmpdir);
    if (!mkdtemp(s->dir)) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    scratch *s = *state;
    for (int i = s->npaths - 1; i >= 0; i--)
        remove(s->paths[i]);
    rmdir(s->dir);
    free(s);
    return 0;
}

/* The path of `name` in the scratch folder, created with `text` (or as a
   folder when text is NULL). */
static const char *make(scratch *s, const char *name, const char *text)
{
    char *path = s->paths[s->npaths++];
    assert_true(strlen(s->dir) + strlen(name) + 2 <= sizeof s->paths[0]);
    strcpy(path, s->dir);
    strcat(path, "/");
    strcat(path, name);
    if (!text) {
        assert_int_equal(mkdir(path, 0700), 0);
        return path;
    }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_ps_model_load_reads_mdl_in_any_case(void **state)
{
    scratch *s = *state;
    const char *names[] = {"teacup.mdl", "TEACUP.MDL", "Teacup.Mdl"};
    for (int i = 0; i < 3; i++) {
        const char *path = make(s, names[i], model_text);
        ps_model *m = NULL;
        ps_error err;
        assert_int_equal(ps_model_load(path, &m, &err), PS_OK);
        assert_non_null(m);
        assert_string_equal(m->path, path);
        assert_int_equal(m->nvars, 2);
        assert_string_equal(m->vars[1].key, "y");
        assert_int_equal(m->vars[1].loc.line, 3);
        ps_model_free(&m);
    }
}

static void test_ps_model_load_refuses_other_formats(void **state)
{
    scratch *s = *state;
    const char *path = make(s, "teacup.xmile", model_text);
    ps_model *m = (ps_model *)1;
    ps_error err;
    assert_int_equal(ps_model_load(path, &m, &err), PS_ERR_UNSUPPORTED);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, "'.xmile'"));
    assert_int_equal(ps_model_load("models.mdl.d/teacup", &m, &err),
                     PS_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "no file extension"));
}

static void test_ps_model_load_reports_a_missing_file(void **state)
{
    scratch *s = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/absent.mdl", s->dir);
    ps_model *m = (ps_model *)1;
    ps_error err;
    assert_int_equal(ps_model_load(path, &m, &err), PS_ERR_NOINPUT);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_non_null(strstr(err.message, path));
    assert_int_equal(err.line, 0);
}

static void test_ps_mdl_read_file_reports_a_folder(void **state)
{
    scratch *s = *state;
    const char *path = make(s, "folder.mdl", NULL);
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_mdl_read_file(path, &m, &err), PS_ERR_NOINPUT);
    assert_null(m);
    assert_non_null(strstr(err.message, path));
}

static void test_ps_model_load_locates_errors_in_the_file(void **state)
{
    scratch *s = *state;
    const char *path = make(s, "broken.mdl", "x = 1 ~~|\ny = (x ~~|\n");
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(path, &m, &err), PS_ERR_SYNTAX);
    assert_null(m);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 8);
}

static void test_ps_model_load_refuses_missing_arguments(void **state)
{
    (void)state;
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(NULL, &m, &err), PS_ERR_INTERNAL);
    assert_int_equal(ps_model_load("a.mdl", NULL, &err), PS_ERR_INTERNAL);
    assert_int_equal(ps_mdl_read_file(NULL, &m, NULL), PS_ERR_INTERNAL);
}

/* An old model written in Windows-1252 (no {UTF-8} marker): its names
   come out as Vensim shows them; a model marked {UTF-8} is kept as it is. */
static void test_windows_1252_models_read_as_utf8(void **state)
{
    scratch *s = *state;
    const char *path = make(s, "old.mdl", "Caf\xE9 price = 1 ~ \x80 ~ |\n");
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(path, &m, &err), PS_OK);
    const ps_var *v = ps_model_find(m, "Café price");
    assert_non_null(v);
    assert_string_equal(v->name, "Café price");
    assert_string_equal(v->units, "€");
    ps_model_free(&m);
    path = make(s, "new.mdl", "{UTF-8}\n黔江 = 1 ~ 亿元 ~ |\n");
    assert_int_equal(ps_model_load(path, &m, &err), PS_OK);
    assert_non_null(ps_model_find(m, "黔江"));
    ps_model_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ps_model_load_reads_mdl_in_any_case),
        cmocka_unit_test(test_ps_model_load_refuses_other_formats),
        cmocka_unit_test(test_ps_model_load_reports_a_missing_file),
        cmocka_unit_test(test_ps_mdl_read_file_reports_a_folder),
        cmocka_unit_test(test_ps_model_load_locates_errors_in_the_file),
        cmocka_unit_test(test_ps_model_load_refuses_missing_arguments),
        cmocka_unit_test(test_windows_1252_models_read_as_utf8),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
