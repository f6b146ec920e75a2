/*
 * External data read at compile time: GET DIRECT CONSTANTS, DATA, LOOKUPS
 * and SUBSCRIPT from .csv files written beside a model in a temporary
 * folder, data variables with their interpolation modes and missing
 * values, and the errors that name the call and the file.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model_fixture.h"
#include "plansim/expr.h"
#include "plansim/mdl.h"

static char dir[256];

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/plansim-extdata-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Loads, compiles and runs dir/name; the caller frees the series. */
static ps_series *run_file(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ps_model *m = NULL;
    ps_program *p = NULL;
    ps_series *s = NULL;
    ps_error err;
    ps_status st = ps_model_load(path, &m, &err);
    if (st == PS_OK)
        st = ps_program_compile(m, &p, &err);
    ps_model_free(&m);
    if (st == PS_OK) {
        ps_sim_options opts;
        ps_sim_options_default(&opts);
        st = ps_simulate(p, &opts, &s, &err);
    }
    if (st != PS_OK)
        ps_error_print(stderr, &err);
    assert_int_equal(st, PS_OK);
    ps_program_free(&p);
    return s;
}

/* Loads and compiles dir/name expecting failure. */
static ps_status fail_file(const char *name, ps_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ps_model *m = NULL;
    ps_program *p = NULL;
    ps_status st = ps_model_load(path, &m, err);
    if (st == PS_OK)
        st = ps_program_compile(m, &p, err);
    ps_model_free(&m);
    ps_program_free(&p);
    return st;
}

static void test_constants(void **state)
{
    (void)state;
    write_file("c.csv", "label,1,2,3\nrow2,4,5,6\nrow3,7,8,9\n");
    write_file("c.mdl",
               "d: a, b, c ~ ~ |\ne: x, y ~ ~ |\n"
               "one = GET DIRECT CONSTANTS('c.csv', ',', 'C2') ~ ~ |\n"
               "row[d] = GET DIRECT CONSTANTS('c.csv', ',', 'B1') ~ ~ |\n"
               "down[d] = GET DIRECT CONSTANTS('c.csv', ',', 'B1*') ~ ~ |\n"
               "grid[e, d] = GET DIRECT CONSTANTS('c.csv', ',', 'B2') ~ ~ |\n"
               CONTROL(1, 1));
    ps_series *s = run_file("c.mdl");
    assert_float_equal(value_at(s, "one", 0), 5, 0);
    assert_float_equal(value_at(s, "row[c]", 0), 3, 0);
    assert_float_equal(value_at(s, "down[c]", 0), 7, 0);
    assert_float_equal(value_at(s, "grid[y,b]", 0), 8, 0);
    ps_series_free(&s);
}

static void test_data_variables_and_lookups(void **state)
{
    (void)state;
    /* times down column A, one series per column from B; C has a gap */
    write_file("d.csv", "time,s1,s2\n0,10,100\n2,30,\n4,50,300\n");
    write_file("d.mdl",
               "d: a, b ~ ~ |\n"
               "series[d] := GET DIRECT DATA('d.csv', ',', 'A', 'B2') ~ ~ |\n"
               "held :HOLD BACKWARD: := GET DIRECT DATA('d.csv', ',', 'A', "
               "'B2') ~ ~ |\n"
               "next :LOOK FORWARD: := GET DIRECT DATA('d.csv', ',', 'A', "
               "'B2') ~ ~ |\n"
               "raw :RAW: := GET DIRECT DATA('d.csv', ',', 'A', 'B2') ~ ~ |\n"
               "curve(GET DIRECT LOOKUPS('d.csv', ',', 'A', 'B2')) ~ ~ |\n"
               "looked = curve(3) ~ ~ |\n" CONTROL(5, 1));
    ps_series *s = run_file("d.mdl");
    assert_float_equal(value_at(s, "series[a]", 1), 20, 1e-12);
    /* the empty cell is left out: b interpolates from 100 to 300 */
    assert_float_equal(value_at(s, "series[b]", 2), 200, 1e-12);
    /* after the last point the last value is held */
    assert_float_equal(value_at(s, "series[a]", 5), 50, 0);
    assert_float_equal(value_at(s, "held", 3), 30, 0);
    assert_float_equal(value_at(s, "next", 3), 50, 0);
    assert_float_equal(value_at(s, "raw", 2), 30, 0);
    assert_float_equal(value_at(s, "raw", 3), PS_NA, 0);
    assert_float_equal(value_at(s, "looked", 0), 40, 1e-12);
    ps_series_free(&s);
}

static void test_subscript_ranges_from_a_file(void **state)
{
    (void)state;
    write_file("r.csv", "north,south,east\n1,2,3\n");
    write_file("r.mdl",
               "region: GET DIRECT SUBSCRIPT('r.csv', ',', 'A1', 'C1', '') "
               "~ ~ |\n"
               "size[region] = GET DIRECT CONSTANTS('r.csv', ',', 'A2') ~ ~ |\n"
               CONTROL(1, 1));
    ps_series *s = run_file("r.mdl");
    assert_float_equal(value_at(s, "size[east]", 0), 3, 0);
    ps_series_free(&s);
}

static void test_data_variables_from_a_dataset(void **state)
{
    (void)state;
    write_file("set.tab", "Time\tlevel[a]\tlevel[ b ]\tflat\n"
                          "0\t1\t10\t5\n2\t3\t30\t\n4\t5\t50\t7\n");
    write_file("ds.mdl", "d: a, b ~ ~ |\n"
                         "level[d] ~ ~ |\n"
                         "flat :HOLD BACKWARD: ~ ~ |\n"
                         "twice[d] = 2 * level[d] ~ ~ |\n" CONTROL(4, 1));
    char path[512], data[512];
    snprintf(path, sizeof path, "%s/ds.mdl", dir);
    snprintf(data, sizeof data, "%s/set.tab", dir);
    ps_model *m = NULL;
    ps_program *p = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(path, &m, &err), PS_OK);
    /* without a dataset, the compiler says where the values should come
       from */
    assert_int_equal(ps_program_compile(m, &p, &err), PS_ERR_DATA);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "no dataset gives the values of "
                                        "level[a]"));
    assert_int_equal(ps_model_add_dataset(m, data, &err), PS_OK);
    assert_int_equal(ps_program_compile(m, &p, &err), PS_OK);
    ps_model_free(&m);
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    ps_series *s = NULL;
    assert_int_equal(ps_simulate(p, &opts, &s, &err), PS_OK);
    assert_float_equal(value_at(s, "twice[b]", 1), 40, 1e-12);
    assert_float_equal(value_at(s, "level[a]", 3), 4, 1e-12);
    /* the empty cell is left out: held from time 0 until 4 */
    assert_float_equal(value_at(s, "flat", 3), 5, 0);
    assert_float_equal(value_at(s, "flat", 4), 7, 0);
    ps_series_free(&s);
    ps_program_free(&p);
}

static void test_errors_name_the_call_and_the_file(void **state)
{
    (void)state;
    ps_error err;
    write_file("e1.mdl", "x = GET DIRECT CONSTANTS('none.csv', ',', 'A1') "
                         "~ ~ |\n" CONTROL(1, 1));
    assert_int_equal(fail_file("e1.mdl", &err), PS_ERR_NOINPUT);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 5);
    assert_non_null(strstr(err.message, "none.csv"));
    write_file("e.csv", "1,2\n");
    write_file("e2.mdl", "x = GET DIRECT CONSTANTS('e.csv', ',', 'ZZ') "
                         "~ ~ |\n" CONTROL(1, 1));
    assert_int_equal(fail_file("e2.mdl", &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "'ZZ' is neither a cell"));
    write_file("e3.mdl", "x = GET DIRECT CONSTANTS('e.csv', ',', 'C5') "
                         "~ ~ |\n" CONTROL(1, 1));
    assert_int_equal(fail_file("e3.mdl", &err), PS_ERR_DATA);
    assert_non_null(strstr(err.message, "no number at row 5, column 3"));
    write_file("e4.mdl", "x = GET DIRECT DATA('e.csv', ',', 'A', 'B1') "
                         "~ ~ |\n" CONTROL(1, 1));
    assert_int_equal(fail_file("e4.mdl", &err), PS_ERR_SEMANTIC);
    assert_non_null(strstr(err.message, "write 'x := ...'"));
    write_file("e5.mdl", "x = GET DIRECT CONSTANTS(file, ',', 'A1') "
                         "~ ~ |\nfile = 1 ~ ~ |\n" CONTROL(1, 1));
    assert_int_equal(fail_file("e5.mdl", &err), PS_ERR_SEMANTIC);
    assert_int_equal(err.column, 26);
    assert_non_null(strstr(err.message, "quoted texts"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_data_variables_and_lookups),
        cmocka_unit_test(test_subscript_ranges_from_a_file),
        cmocka_unit_test(test_data_variables_from_a_dataset),
        cmocka_unit_test(test_errors_name_the_call_and_the_file),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
