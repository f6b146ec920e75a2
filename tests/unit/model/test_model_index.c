/*
 * The model IR: adding variables, the name index, duplicates, ownership
 * and the reference walker.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/model.h"

static ps_loc at(int line, int column)
{
    ps_loc loc = {line, column};
    return loc;
}

/* A constant `name = value` at line `line`. */
static ps_var constant(const char *name, double value, int line)
{
    ps_var v;
    memset(&v, 0, sizeof v);
    v.name = strdup(name);
    v.kind = PS_VAR_AUX;
    v.expr = ps_expr_number(value, at(line, 5));
    v.loc = at(line, 1);
    return v;
}

static void test_ps_model_new_copies_the_path(void **state)
{
    (void)state;
    char path[] = "teacup.mdl";
    ps_model *m = ps_model_new(path);
    assert_non_null(m);
    path[0] = 'X';
    assert_string_equal(m->path, "teacup.mdl");
    assert_int_equal(m->nvars, 0);
    ps_model_free(&m);
    assert_null(m);
}

static void test_ps_model_new_accepts_no_path(void **state)
{
    (void)state;
    ps_model *m = ps_model_new(NULL);
    assert_non_null(m);
    assert_null(m->path);
    assert_null(ps_model_find(m, "anything"));
    assert_int_equal(ps_model_index(m, "anything"), (size_t)-1);
    ps_model_free(&m);
    ps_model_free(&m);
    ps_model_free(NULL);
}

static void test_ps_model_add_computes_the_key_and_takes_ownership(void **state)
{
    (void)state;
    ps_model *m = ps_model_new("m.mdl");
    ps_var v = constant("Teacup Temperature", 180, 4);
    ps_error err;
    assert_int_equal(ps_model_add(m, &v, &err), PS_OK);
    /* The caller's struct no longer owns anything. */
    assert_null(v.name);
    assert_null(v.expr);
    assert_int_equal(m->nvars, 1);
    assert_string_equal(m->vars[0].key, "teacup_temperature");
    assert_string_equal(m->vars[0].name, "Teacup Temperature");
    assert_true(m->vars[0].expr->u.number == 180);
    ps_model_free(&m);
}

static void test_ps_model_find_accepts_every_vensim_spelling(void **state)
{
    (void)state;
    ps_model *m = ps_model_new("m.mdl");
    ps_var v = constant("Heat Loss to Room", 1, 1);
    assert_int_equal(ps_model_add(m, &v, NULL), PS_OK);
    const char *spellings[] = {
        "Heat Loss to Room", "heat loss to room", "HEAT_LOSS_TO_ROOM",
        "heat__loss   to_room", "  Heat Loss to Room ",
        "\"Heat Loss to Room\"", "heat\tloss to\nroom",
    };
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        assert_ptr_equal(ps_model_find(m, spellings[i]), &m->vars[0]);
    assert_null(ps_model_find(m, "Heat Loss"));
    assert_null(ps_model_find(m, "Heat Loss to Rooms"));
    assert_null(ps_model_find(m, NULL));
    assert_null(ps_model_find(NULL, "x"));
    ps_model_free(&m);
}

static void test_ps_model_find_keeps_chinese_names_byte_for_byte(void **state)
{
    (void)state;
    ps_model *m = ps_model_new("m.mdl");
    ps_var a = constant("地区生产总值", 431.1, 1);
    ps_var b = constant("地区生产总值 增速", 0.06, 2);
    assert_int_equal(ps_model_add(m, &a, NULL), PS_OK);
    assert_int_equal(ps_model_add(m, &b, NULL), PS_OK);
    assert_ptr_equal(ps_model_find(m, "地区生产总值"), &m->vars[0]);
    assert_ptr_equal(ps_model_find(m, "地区生产总值_增速"), &m->vars[1]);
    assert_ptr_equal(ps_model_find_key(m, "地区生产总值_增速"), &m->vars[1]);
    assert_null(ps_model_find(m, "地区生产"));
    ps_model_free(&m);
}

static void test_ps_model_add_refuses_a_duplicate_at_its_location(void **state)
{
    (void)state;
    ps_model *m = ps_model_new("dup.mdl");
    ps_var a = constant("Room Temperature", 70, 3);
    ps_var b = constant("room_temperature", 71, 9);
    ps_error err;
    assert_int_equal(ps_model_add(m, &a, &err), PS_OK);
    assert_int_equal(ps_model_add(m, &b, &err), PS_ERR_SEMANTIC);
    assert_int_equal(err.status, PS_ERR_SEMANTIC);
    assert_string_equal(err.file, "dup.mdl");
    assert_int_equal(err.line, 9);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "defined twice"));
    assert_non_null(strstr(err.message, "3:1"));
    /* The refused variable was freed (the Sanitize build checks), and the
       model is unchanged. */
    assert_null(b.name);
    assert_int_equal(m->nvars, 1);
    assert_true(m->vars[0].expr->u.number == 70);
    ps_model_free(&m);
}

static void test_ps_model_add_uses_a_given_key(void **state)
{
    (void)state;
    ps_model *m = ps_model_new(NULL);
    ps_var v;
    memset(&v, 0, sizeof v);
    v.key = strdup("given_key");
    assert_int_equal(ps_model_add(m, &v, NULL), PS_OK);
    /* Without a display name the key stands in. */
    assert_string_equal(m->vars[0].name, "given_key");
    assert_int_equal(ps_model_index(m, "given_key"), 0);
    ps_model_free(&m);
}

static void test_ps_model_add_refuses_a_nameless_variable(void **state)
{
    (void)state;
    ps_model *m = ps_model_new(NULL);
    ps_var v;
    memset(&v, 0, sizeof v);
    v.expr = ps_expr_number(1, at(1, 1));
    ps_error err;
    assert_int_equal(ps_model_add(m, &v, &err), PS_ERR_INTERNAL);
    assert_null(v.expr);
    assert_int_equal(m->nvars, 0);
    assert_int_equal(ps_model_add(NULL, NULL, &err), PS_ERR_INTERNAL);
    ps_model_free(&m);
}

static void test_ps_model_index_finds_many_variables(void **state)
{
    (void)state;
    enum { N = 20000 };
    ps_model *m = ps_model_new("big.mdl");
    char name[64];
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "Var %d of Sector %d", i, i % 7);
        ps_var v = constant(name, i, i + 1);
        assert_int_equal(ps_model_add(m, &v, NULL), PS_OK);
    }
    assert_int_equal(m->nvars, N);
    /* The index stays sparse enough for short probes. */
    assert_true(m->index_cap >= 2 * m->nvars);
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "var_%d_of_sector_%d", i, i % 7);
        assert_int_equal(ps_model_index(m, name), (size_t)i);
        snprintf(name, sizeof name, "VAR %d OF  SECTOR %d", i, i % 7);
        ps_var *v = ps_model_find(m, name);
        assert_non_null(v);
        assert_true(v->expr->u.number == i);
        /* File order is kept. */
        assert_int_equal(v->loc.line, i + 1);
    }
    assert_int_equal(ps_model_index(m, "var_20000_of_sector_1"), (size_t)-1);
    ps_model_free(&m);
}

/* Records the keys a walk visits. */
typedef struct seen {
    char keys[16][32];
    int kinds[16];
    int n;
    int stop_at; /* stop after this many visits (0: never) */
} seen;

static int record(const ps_expr *node, const char *key, void *ctx)
{
    seen *s = ctx;
    snprintf(s->keys[s->n], sizeof s->keys[0], "%s", key);
    s->kinds[s->n] = node->kind;
    s->n++;
    return s->stop_at && s->n == s->stop_at ? 7 : 0;
}

/* IF THEN ELSE(a > 0, tbl(b), -c) * d */
static ps_expr *walk_tree(void)
{
    ps_expr *targ[1] = {ps_expr_ref("b", 1, at(1, 30))};
    ps_expr *argv[3] = {
        ps_expr_binary(PS_OP_GT, ps_expr_ref("a", 1, at(1, 15)),
                       ps_expr_number(0, at(1, 19)), at(1, 15)),
        ps_expr_call("tbl", 3, targ, 1, at(1, 26)),
        ps_expr_unary(PS_OP_NEG, ps_expr_ref("c", 1, at(1, 35)), at(1, 34)),
    };
    ps_expr *call = ps_expr_call("IF THEN ELSE", 12, argv, 3, at(1, 1));
    return ps_expr_binary(PS_OP_MUL, call, ps_expr_ref("d", 1, at(1, 40)),
                          at(1, 1));
}

static void test_ps_expr_visit_refs_walks_in_source_order(void **state)
{
    (void)state;
    ps_expr *e = walk_tree();
    assert_non_null(e);
    seen s = {0};
    assert_int_equal(ps_expr_visit_refs(e, record, &s), 0);
    const char *want[] = {"if_then_else", "a", "tbl", "b", "c", "d"};
    assert_int_equal(s.n, 6);
    for (int i = 0; i < 6; i++)
        assert_string_equal(s.keys[i], want[i]);
    assert_int_equal(s.kinds[0], PS_EXPR_CALL);
    assert_int_equal(s.kinds[1], PS_EXPR_REF);
    assert_int_equal(s.kinds[2], PS_EXPR_CALL);
    ps_expr_free(e);
}

static void test_ps_expr_visit_refs_stops_at_a_nonzero_result(void **state)
{
    (void)state;
    ps_expr *e = walk_tree();
    seen s = {0};
    s.stop_at = 3;
    assert_int_equal(ps_expr_visit_refs(e, record, &s), 7);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.keys[2], "tbl");
    ps_expr_free(e);
}

static void test_ps_expr_visit_refs_skips_numbers_and_tables(void **state)
{
    (void)state;
    ps_table *t = ps_table_new();
    ps_table_push(t, 0, 0);
    ps_expr *argv[2] = {ps_expr_number(1, at(1, 1)), ps_expr_table(t, at(1, 1))};
    ps_expr *e = ps_expr_call("WITH LOOKUP", 11, argv, 2, at(1, 1));
    seen s = {0};
    assert_int_equal(ps_expr_visit_refs(e, record, &s), 0);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.keys[0], "with_lookup");
    assert_int_equal(ps_expr_visit_refs(NULL, record, &s), 0);
    ps_expr_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ps_model_new_copies_the_path),
        cmocka_unit_test(test_ps_model_new_accepts_no_path),
        cmocka_unit_test(test_ps_model_add_computes_the_key_and_takes_ownership),
        cmocka_unit_test(test_ps_model_find_accepts_every_vensim_spelling),
        cmocka_unit_test(test_ps_model_find_keeps_chinese_names_byte_for_byte),
        cmocka_unit_test(test_ps_model_add_refuses_a_duplicate_at_its_location),
        cmocka_unit_test(test_ps_model_add_uses_a_given_key),
        cmocka_unit_test(test_ps_model_add_refuses_a_nameless_variable),
        cmocka_unit_test(test_ps_model_index_finds_many_variables),
        cmocka_unit_test(test_ps_expr_visit_refs_walks_in_source_order),
        cmocka_unit_test(test_ps_expr_visit_refs_stops_at_a_nonzero_result),
        cmocka_unit_test(test_ps_expr_visit_refs_skips_numbers_and_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
