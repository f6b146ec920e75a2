/*
 * Ensembles of subscripted models: a saved variable contributes one
 * series per element (element-major, row-major over its ranges), inputs
 * go to one element or to all of them through slots, overrides name
 * elements as Vensim writes them or give them by index, and the results
 * equal ps_simulate's columns run by run, at any thread count.  Also
 * ps_element_find.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mem_sink.h"
#include "plansim/element.h"
#include "plansim/sim.h"

#define RUNS 40

/* Two ranges (one with Chinese names), a subrange, a 2-D stock, and a
   scalar between arrays. */
static const char *model =
    "region: north, south, east ~ ~ |\n"
    "chain: 新材料, 电子, 食品 ~ ~ |\n"
    "coast: south, east ~ ~ |\n"
    "capacity[chain] = 10, 20, 30 ~ 亿元 ~ |\n"
    "growth[region] = 0.01 ~ 1/Year ~ |\n"
    "share[region, chain] = 0.5 ~ Dmnl ~ |\n"
    "total = SUM(capacity[chain!]) ~ 亿元 ~ |\n"
    "output[region, chain] = INTEG(output[region, chain] * growth[region],"
    " capacity[chain] * share[region, chain]) ~ 亿元 ~ |\n"
    "coastal[coast] = SUM(output[coast, chain!]) ~ 亿元 ~ |\n"
    "INITIAL TIME = 2025 ~ Year ~ |\n"
    "FINAL TIME = 2030 ~ Year ~ |\n"
    "TIME STEP = 0.5 ~ Year ~ |\n"
    "SAVEPER = 1 ~ Year ~ |\n";

static int same_bits(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0;
}

static void test_element_find_names_elements_as_vensim_writes_them(void **state)
{
    (void)state;
    ps_program *p = compile_model(model);
    size_t var, e;
    ps_error err;
    assert_int_equal(ps_element_find(p, "capacity", &var, &e, &err), PS_OK);
    assert_int_equal(var, ps_program_find(p, "capacity"));
    assert_int_equal(e, PS_ALL_ELEMENTS);
    assert_int_equal(ps_element_find(p, "capacity[电子]", &var, &e, &err),
                     PS_OK);
    assert_int_equal(e, 1);
    /* case, blanks and underscores as Vensim compares names */
    assert_int_equal(
        ps_element_find(p, "Output [ South , 食品 ]", &var, &e, &err), PS_OK);
    assert_int_equal(var, ps_program_find(p, "output"));
    assert_int_equal(e, 1 * 3 + 2);
    assert_int_equal(ps_element_find(p, "coastal[east]", &var, &e, &err),
                     PS_OK);
    assert_int_equal(e, 1);

    assert_int_equal(ps_element_find(p, "capacity[west]", &var, &e, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message,
                        "'capacity' has no element 'west' in its range "
                        "'chain' (新材料, 电子, 食品)");
    assert_int_equal(ps_element_find(p, "coastal[north]", &var, &e, &err),
                     PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "(south, east)"));
    assert_int_equal(ps_element_find(p, "output[north]", &var, &e, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message,
                        "'output' has 2 subscripts, not 1: write one "
                        "element of each range, as in 'output[north,新材料]'");
    assert_int_equal(ps_element_find(p, "total[north]", &var, &e, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message,
                        "'total' has no subscripts: write 'total'");
    assert_int_equal(ps_element_find(p, "nothing[north]", &var, &e, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message, "the model has no variable 'nothing'");
    /* a misspelt name gets the suggestion every other place gives */
    assert_int_equal(ps_element_find(p, "outpt[north, 电子]", &var, &e, &err),
                     PS_ERR_USAGE);
    assert_string_equal(err.message, "the model has no variable 'outpt'; "
                                     "did you mean 'output'?");
    assert_int_equal(ps_element_find(p, "Totl", &var, &e, &err), PS_ERR_USAGE);
    assert_string_equal(err.message, "the model has no variable 'Totl'; "
                                     "did you mean 'total'?");

    const char *names[2] = {"east", "电子"};
    assert_int_equal(
        ps_element_index(p, var = ps_program_find(p, "output"), names, 2),
        2 * 3 + 1);
    assert_int_equal(ps_element_index(p, var, names, 1), PS_ALL_ELEMENTS);
    ps_program_free(&p);
}

typedef struct sub_case {
    ps_program *prog;
    ps_ensemble_spec spec;
    size_t save[3];
    ps_input_slot slots[3];
    double inputs[RUNS * 2];
    ps_override fixed[1];
} sub_case;

/* Input 0 goes to capacity[电子]; input 1 to every element of growth and
   to share[north,食品] (one draw, three places). */
static void sub_case_init(sub_case *c)
{
    memset(c, 0, sizeof *c);
    c->prog = compile_model(model);
    const char *saved[] = {"output", "total", "coastal"};
    find_vars(c->prog, saved, 3, c->save);
    size_t cap = ps_program_find(c->prog, "capacity");
    size_t growth = ps_program_find(c->prog, "growth");
    size_t share = ps_program_find(c->prog, "share");
    c->slots[0] = (ps_input_slot){0, cap, 1};
    c->slots[1] = (ps_input_slot){1, growth, PS_ALL_ELEMENTS};
    c->slots[2] = (ps_input_slot){1, share, 0 * 3 + 2};
    for (size_t r = 0; r < RUNS; r++) {
        c->inputs[2 * r] = 15 + (double)r;
        c->inputs[2 * r + 1] = 0.01 * (double)(r % 7);
    }
    c->fixed[0] = (ps_override){"capacity[新材料]", 12};
    ps_sim_options_default(&c->spec.sim);
    c->spec.sim.overrides = c->fixed;
    c->spec.sim.noverrides = 1;
    c->spec.prog = c->prog;
    c->spec.nruns = RUNS;
    c->spec.seed = 7;
    c->spec.ninputs = 2;
    c->spec.nslots = 3;
    c->spec.slots = c->slots;
    c->spec.inputs = c->inputs;
    c->spec.nsave = 3;
    c->spec.save_vars = c->save;
}

static void test_saved_variables_give_one_series_per_element(void **state)
{
    (void)state;
    sub_case c;
    sub_case_init(&c);
    mem_sink one, two;
    mem_sink_init(&one);
    mem_sink_init(&two);
    c.spec.threads = 1;
    ps_error err;
    assert_int_equal(ps_ensemble_run(&c.spec, &mem_sink_type, &one, NULL, &err),
                     PS_OK);
    c.spec.threads = 2;
    c.spec.block = 3;
    assert_int_equal(ps_ensemble_run(&c.spec, &mem_sink_type, &two, NULL, &err),
                     PS_OK);
    const ps_ensemble_layout *l = &one.layout;
    assert_int_equal(l->nsave, 3);
    assert_int_equal(l->nseries, 9 + 1 + 2);
    assert_int_equal(l->ntimes, 6);
    assert_memory_equal(two.values, one.values,
                        RUNS * l->nseries * l->ntimes * sizeof(double));

    /* element-major: series 3 is output[south,新材料]; with growth g and
       capacity[新材料] fixed at 12, its start is 12 * 0.5 */
    size_t r = 5;
    assert_float_equal(mem_sink_value(&one, r, 3, 0), 6, 1e-12);
    /* output[north,电子] starts at the drawn capacity * 0.5 */
    assert_float_equal(mem_sink_value(&one, r, 1, 0), c.inputs[2 * r] * 0.5,
                       1e-12);
    /* output[north,食品] starts at 30 * the shared draw */
    assert_float_equal(mem_sink_value(&one, r, 2, 0), 30 * c.inputs[2 * r + 1],
                       1e-12);
    /* total = 12 + drawn + 30 */
    assert_float_equal(mem_sink_value(&one, r, 9, 0), 12 + c.inputs[2 * r] + 30,
                       1e-12);
    /* one step of growth (two half steps) at the shared rate */
    double g = c.inputs[2 * r + 1];
    assert_float_equal(mem_sink_value(&one, r, 4, 1),
                       c.inputs[2 * r] * 0.5 * (1 + g / 2) * (1 + g / 2), 1e-9);
    /* coastal[east] = sum over chains of output[east, *] */
    double sum = 0;
    for (size_t k = 6; k < 9; k++)
        sum += mem_sink_value(&one, r, k, 2);
    assert_true(same_bits(mem_sink_value(&one, r, 11, 2), sum) ||
                fabs(mem_sink_value(&one, r, 11, 2) - sum) < 1e-12);
    mem_sink_free(&one);
    mem_sink_free(&two);
    ps_program_free(&c.prog);
}

static void test_ensemble_equals_simulate_column_by_column(void **state)
{
    (void)state;
    sub_case c;
    sub_case_init(&c);
    /* no inputs: every run is the model with the fixed override */
    c.spec.ninputs = 0;
    c.spec.nslots = 0;
    c.spec.slots = NULL;
    c.spec.inputs = NULL;
    c.spec.nruns = 2;
    mem_sink sink;
    mem_sink_init(&sink);
    ps_error err;
    assert_int_equal(
        ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err), PS_OK);
    /* ps_simulate with capacity[新材料] changed the same way, through an
       instance-free route: a model whose list says 12 */
    const char *edited = strstr(model, "10, 20, 30");
    assert_non_null(edited);
    char *text = strdup(model);
    memcpy(text + (edited - model), "12, 20, 30", 10);
    ps_program *p = compile_model(text);
    free(text);
    ps_sim_options o;
    ps_sim_options_default(&o);
    ps_series *s = NULL;
    assert_int_equal(ps_simulate(p, &o, &s, &err), PS_OK);
    size_t series = 0;
    for (size_t v = 0; v < 3; v++) {
        size_t var = c.save[v];
        for (size_t e = 0; e < ps_program_var_size(c.prog, var); e++) {
            char *name = ps_program_element_name(c.prog, var, e);
            size_t col = ps_series_find(s, name);
            if (col == (size_t)-1)
                fail_msg("no column %s", name);
            for (size_t t = 0; t < s->nrows; t++)
                assert_true(same_bits(mem_sink_value(&sink, 1, series, t),
                                      ps_series_get(s, t, col)));
            free(name);
            series++;
        }
    }
    assert_int_equal(series, sink.layout.nseries);
    assert_int_equal(sink.layout.sizes[0], 9);
    assert_int_equal(sink.layout.offset[2], 10);
    ps_series_free(&s);
    ps_program_free(&p);
    mem_sink_free(&sink);
    ps_program_free(&c.prog);
}

static void test_bad_slots_and_element_overrides_are_refused(void **state)
{
    (void)state;
    sub_case c;
    sub_case_init(&c);
    mem_sink sink;
    ps_error err;
    c.slots[0].element = 3; /* capacity has 3 elements */
    mem_sink_init(&sink);
    assert_int_equal(
        ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err),
        PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "input slot 0"));
    assert_int_equal(sink.begins, 0);
    c.slots[0].element = 1;
    c.slots[0].input = 2; /* only two inputs */
    assert_int_equal(
        ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err),
        PS_ERR_USAGE);
    c.slots[0].input = 0;
    c.fixed[0].name = "capacity[石油]";
    assert_int_equal(
        ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err),
        PS_ERR_USAGE);
    assert_string_equal(err.file, "ensemble.mdl");
    assert_non_null(strstr(err.message, "no element '石油'"));
    /* an input into a variable that is not a constant */
    c.fixed[0].name = "capacity[新材料]";
    c.slots[2].var = ps_program_find(c.prog, "coastal");
    c.slots[2].element = 0;
    assert_int_equal(
        ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err),
        PS_ERR_USAGE);
    assert_int_equal(sink.begins, 0);
    mem_sink_free(&sink);
    ps_program_free(&c.prog);
}

/* An override given by program variable and element (sim.overrides_at)
   sets what the same override by name sets, bit for bit; one past the
   variable's elements, or past the program's variables, is refused. */
static void test_overrides_by_index_equal_overrides_by_name(void **state)
{
    (void)state;
    sub_case c;
    sub_case_init(&c);
    size_t cap = ps_program_find(c.prog, "capacity");
    const ps_override by_name[] = {{"capacity[新材料]", 12}, {"capacity", 17}};
    const ps_override_at by_index[] = {{cap, 0, 12},
                                       {cap, PS_ALL_ELEMENTS, 17}};
    ps_error err;
    for (size_t k = 0; k < 2; k++) {
        mem_sink named, indexed;
        mem_sink_init(&named);
        mem_sink_init(&indexed);
        c.spec.sim.overrides = &by_name[k];
        c.spec.sim.noverrides = 1;
        assert_int_equal(
            ps_ensemble_run(&c.spec, &mem_sink_type, &named, NULL, &err),
            PS_OK);
        c.spec.sim.overrides = NULL;
        c.spec.sim.noverrides = 0;
        c.spec.sim.overrides_at = &by_index[k];
        c.spec.sim.noverrides_at = 1;
        assert_int_equal(
            ps_ensemble_run(&c.spec, &mem_sink_type, &indexed, NULL, &err),
            PS_OK);
        c.spec.sim.overrides_at = NULL;
        c.spec.sim.noverrides_at = 0;
        const ps_ensemble_layout *l = &named.layout;
        assert_int_equal(indexed.layout.nseries, l->nseries);
        assert_memory_equal(indexed.values, named.values,
                            RUNS * l->nseries * l->ntimes * sizeof(double));
        mem_sink_free(&named);
        mem_sink_free(&indexed);
    }
    /* after those by name: capacity[新材料] is 12, then 17 (series 0 is
       output[north,新材料], capacity * 0.5) */
    mem_sink sink;
    mem_sink_init(&sink);
    c.spec.sim.overrides = &by_name[0];
    c.spec.sim.noverrides = 1;
    c.spec.sim.overrides_at = &by_index[1];
    c.spec.sim.noverrides_at = 1;
    assert_int_equal(
        ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err), PS_OK);
    assert_float_equal(mem_sink_value(&sink, 0, 0, 0), 17 * 0.5, 1e-12);
    mem_sink_free(&sink);
    const ps_override_at bad[] = {
        {cap, 3, 12}, /* capacity has 3 elements */
        {ps_program_var_count(c.prog), PS_ALL_ELEMENTS, 12}};
    for (size_t k = 0; k < 2; k++) {
        mem_sink_init(&sink);
        c.spec.sim.overrides_at = &bad[k];
        assert_int_equal(
            ps_ensemble_run(&c.spec, &mem_sink_type, &sink, NULL, &err),
            PS_ERR_USAGE);
        assert_string_equal(err.file, "ensemble.mdl");
        assert_non_null(strstr(err.message, "do not exist"));
        assert_int_equal(sink.begins, 0);
        mem_sink_free(&sink);
    }
    ps_program_free(&c.prog);
}

/* A saved element's series: its variable's first series plus the
   element; a variable not saved, or an element past its size, is none. */
static void test_layout_series_finds_saved_elements(void **state)
{
    (void)state;
    static const size_t save[] = {7, 3, 9}, sizes[] = {1, 4, 2},
                        offset[] = {0, 1, 5};
    ps_ensemble_layout l = {.nsave = 3,
                            .save = save,
                            .sizes = sizes,
                            .offset = offset,
                            .nseries = 7};
    assert_int_equal(ps_ensemble_layout_series(&l, 7, 0), 0);
    assert_int_equal(ps_ensemble_layout_series(&l, 3, 2), 3);
    assert_int_equal(ps_ensemble_layout_series(&l, 9, 1), 6);
    assert_true(ps_ensemble_layout_series(&l, 9, 2) == SIZE_MAX);
    assert_true(ps_ensemble_layout_series(&l, 4, 0) == SIZE_MAX);
    /* a hand-made layout without sizes: one series per variable */
    ps_ensemble_layout flat = {.nsave = 3, .save = save, .nseries = 3};
    assert_int_equal(ps_ensemble_layout_series(&flat, 9, 0), 2);
    assert_true(ps_ensemble_layout_series(&flat, 9, 1) == SIZE_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_element_find_names_elements_as_vensim_writes_them),
        cmocka_unit_test(test_saved_variables_give_one_series_per_element),
        cmocka_unit_test(test_ensemble_equals_simulate_column_by_column),
        cmocka_unit_test(test_bad_slots_and_element_overrides_are_refused),
        cmocka_unit_test(test_overrides_by_index_equal_overrides_by_name),
        cmocka_unit_test(test_layout_series_finds_saved_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
