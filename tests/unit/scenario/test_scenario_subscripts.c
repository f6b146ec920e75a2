/*
 * Subscripts in scenario files: names read with their subscripts and
 * positions, errors at the exact position of the offending subscript,
 * the elements a name selects (in the compiled program's order), and
 * fixed values and levers on one element, a subrange or every element
 * taking effect in the run.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plansim/element.h"
#include "plansim/program.h"
#include "plansim/scenario_bind.h"
#include "plansim/sim.h"
#include "scenario_test.h"

/* Industry chains (Chinese element names) in regions; a subrange; a
   variable defined element by element; a 2-D constant list. */
static const char *model_text =
    "region: north, south, east ~ ~ |\n"
    "coast: south, east ~ ~ |\n"
    "chain: 新材料, 电子, 食品 ~ ~ |\n"
    "capacity[chain] = 10, 20, 30 ~ 亿元 ~ |\n"
    "growth[region] = 0.05 ~ 1/Year ~ |\n"
    "price[region, chain] = 1, 2, 3; 4, 5, 6; 7, 8, 9; ~ ~ |\n"
    "demand[region] = 100 + Time ~ ~ |\n"
    "site[north] = 1 ~ ~ |\n"
    "site[coast] = 2 + Time ~ ~ |\n"
    "output[region, chain] = capacity[chain] * price[region, chain] ~ ~ |\n"
    "total = SUM(capacity[chain!]) ~ ~ |\n"
    "scale = 2 ~ ~ |\n"
    "stock[region] = INTEG(growth[region], 0) ~ ~ |\n"
    "INITIAL TIME = 0 ~ ~ |\n"
    "FINAL TIME = 4 ~ ~ |\n"
    "TIME STEP = 1 ~ ~ |\n"
    "SAVEPER = 1 ~ ~ |\n";

static ps_status check(const char *scenario, ps_error *err)
{
    ps_model *m = model_ok(model_text);
    ps_scenario *sc = parse_ok(scenario);
    ps_status st = ps_scenario_check(sc, m, err);
    ps_scenario_free(&sc);
    ps_model_free(&m);
    return st;
}

static void check_ok(const char *scenario)
{
    ps_error err;
    if (check(scenario, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to pass its check");
    }
}

static void check_fails(const char *scenario, int line, int column,
                        const char *fragment, const char *source,
                        const char *underline)
{
    ps_error err;
    assert_int_equal(check(scenario, &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.yaml", line, column, fragment, source,
                 underline);
}

/* ---- reading ---- */

static void test_names_are_read_with_their_subscripts(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "fixed:\n"
                               "  capacity[ 新材料 ]: 5\n"
                               "  \"output[north, 电子]\": 1\n"
                               "  scale: 3\n"
                               "uncertain:\n"
                               "  growth[coast]: {dist: uniform, min: 0, "
                               "max: 1, per element: true}\n"
                               "  capacity[电子]: {dist: uniform, min: 0, "
                               "max: 1, per_element: no}\n"
                               "targets:\n"
                               "  - {name: t, variable: \"output[east,食品]\", "
                               "year: 4, at least: 1}\n");
    const ps_sc_fixed *f = &sc->fixed[0];
    assert_string_equal(f->name, "capacity[新材料]");
    assert_string_equal(f->ref.var, "capacity");
    assert_int_equal(f->ref.nsubs, 1);
    assert_string_equal(f->ref.subs[0], "新材料");
    /* the subscript's own position: line 3, after "  capacity[ " */
    assert_int_equal(f->ref.sub_where[0].loc.line, 3);
    assert_int_equal(f->ref.sub_where[0].loc.column, 13);
    assert_int_equal(f->ref.sub_where[0].length, 3);
    f = &sc->fixed[1];
    assert_string_equal(f->name, "output[north,电子]");
    assert_int_equal(f->ref.nsubs, 2);
    /* in quotes: counted from after the quote */
    assert_int_equal(f->ref.sub_where[1].loc.column, 18);
    assert_string_equal(sc->fixed[2].name, "scale");
    assert_int_equal(sc->fixed[2].ref.nsubs, 0);
    assert_int_equal(sc->inputs[0].per_element, 1);
    assert_int_equal(sc->inputs[1].per_element, 0);
    assert_string_equal(sc->targets[0].variable, "output[east,食品]");
    assert_string_equal(sc->targets[0].ref.subs[1], "食品");
    ps_scenario_free(&sc);
}

static void test_malformed_subscripts_are_errors_at_their_position(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "fixed:\n"
                       "  capacity[新材料: 5\n",
                       3, 11, "this '[' is not closed", "  capacity[新材料: 5",
                       "          ^");
    assert_parse_error("model: m.mdl\n"
                       "fixed:\n"
                       "  \"output[north,]\": 5\n",
                       3, 17, "an empty subscript", "  \"output[north,]\": 5",
                       "                ^");
    assert_parse_error("model: m.mdl\n"
                       "levers:\n"
                       "  capacity[电子] x: {1: 2}\n",
                       3, 16, "unexpected text after ']'",
                       "  capacity[电子] x: {1: 2}", "                 ^");
    assert_parse_error("model: m.mdl\n"
                       "save: [output, \"capacity[电子]\"]\n",
                       2, 16, "'save:' names whole variables",
                       "save: [output, \"capacity[电子]\"]",
                       "               ^~~~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  growth: {dist: uniform, min: 0, max: 1, per "
                       "element: 2}\n",
                       3, 56, "'per element' is true",
                       "  growth: {dist: uniform, min: 0, max: 1, per "
                       "element: 2}",
                       "                                                       "
                       "^");
    /* a correlation with an input drawn per element */
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  growth: {dist: uniform, min: 0, max: 1, per "
                       "element: true}\n"
                       "  scale: {dist: uniform, min: 0, max: 1}\n"
                       "correlations:\n"
                       "  - [scale, growth, 0.5]\n",
                       6, 13, "'growth' is drawn per element",
                       "  - [scale, growth, 0.5]", "            ^~~~~~");
}

static void test_one_element_given_twice_in_one_file(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "fixed:\n"
                       "  capacity[电子]: 5\n"
                       "uncertain:\n"
                       "  capacity[ 电子 ]: {dist: uniform, min: 0, max: 1}\n",
                       5, 3, "already fixed (line 3)",
                       "  capacity[ 电子 ]: {dist: uniform, min: 0, max: 1}",
                       "  ^~~~~~~~~~~~~~~~");
}

/* ---- checking against the model ---- */

static void test_elements_subranges_and_whole_variables_pass(void **state)
{
    (void)state;
    check_ok(
        "model: m.mdl\n"
        "fixed:\n"
        "  capacity[新材料]: 5\n"
        "  growth[coast]: 0.1\n"
        "  output[north, 电子]: 3\n"
        "  site[south]: 7\n"
        "levers:\n"
        "  growth[north]: {1: 0.2, 3: 0.3}\n"
        "  demand: {0: 1, 4: 2}\n"
        "uncertain:\n"
        "  capacity[电子]: {dist: uniform, min: 1, max: 2}\n"
        "  price[coast, chain]: {dist: uniform, min: 1, max: 2, per "
        "element: true}\n"
        "targets:\n"
        "  - {name: t, variable: \"output[east,食品]\", year: 4, at least: "
        "1}\n"
        "  - {name: u, variable: total, year: 4, at least: 1}\n");
}

static void test_unknown_element_is_an_error_at_the_element(void **state)
{
    (void)state;
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  capacity[新材科]: 5\n",
                3, 12,
                "unknown element or range '新材科' ('capacity' runs over "
                "'chain': 新材料, 电子, 食品); did you mean '新材料'?",
                "  capacity[新材科]: 5", "           ^~~~~~");
    /* an element of another range */
    check_fails("model: m.mdl\n"
                "uncertain:\n"
                "  capacity[north]: {dist: uniform, min: 0, max: 1}\n",
                3, 12,
                "'north' is not an element of 'capacity''s range 'chain' "
                "(新材料, 电子, 食品)",
                "  capacity[north]: {dist: uniform, min: 0, max: 1}",
                "           ^~~~~");
    /* an element the variable's own equations leave out */
    check_fails(
        "model: m.mdl\n"
        "targets:\n"
        "  - {name: t, variable: \"site[west]\", year: 4, at most: 1}\n",
        3, 31, "unknown element or range 'west'",
        "  - {name: t, variable: \"site[west]\", year: 4, at most: 1}",
        "                              ^~~~");
}

static void test_unknown_or_foreign_range_is_an_error_at_the_range(void **state)
{
    (void)state;
    check_fails("model: m.mdl\n"
                "levers:\n"
                "  capacity[coast]: {1: 2}\n",
                3, 12,
                "range 'coast' is not part of 'capacity''s range 'chain'",
                "  capacity[coast]: {1: 2}", "           ^~~~~");
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  \"output[regoin, 电子]\": 2\n",
                3, 11, "unknown element or range 'regoin'",
                "  \"output[regoin, 电子]\": 2", "          ^~~~~~");
}

static void test_wrong_number_of_subscripts_and_none_to_give(void **state)
{
    (void)state;
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  output[north]: 2\n",
                3, 10, "'output' has 2 subscripts (region, chain), not 1",
                "  output[north]: 2", "         ^~~~~");
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  scale[north]: 2\n",
                3, 9, "'scale' has no subscripts", "  scale[north]: 2",
                "        ^~~~~");
    /* the variable itself is unknown: at the name */
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  capacty[电子]: 2\n",
                3, 3,
                "the model has no variable 'capacty'; did you mean "
                "'capacity'?",
                "  capacty[电子]: 2", "  ^~~~~~~~~~~~~");
}

static void test_a_target_names_one_element(void **state)
{
    (void)state;
    check_fails("model: m.mdl\n"
                "targets:\n"
                "  - name: t\n"
                "    variable: output\n"
                "    year: 4\n"
                "    at least: 1\n",
                4, 15,
                "a target is about one value, and 'output' names 9 elements "
                "of 'output': name one, such as 'output[north,新材料]'",
                "    variable: output", "              ^~~~~~");
    check_fails("model: m.mdl\n"
                "targets:\n"
                "  - name: t\n"
                "    variable: growth[coast]\n"
                "    year: 4\n"
                "    at least: 1\n",
                4, 15, "'growth[coast]' names 2 elements",
                "    variable: growth[coast]", "              ^~~~~~~~~~~~~");
}

static void test_an_element_is_set_once(void **state)
{
    (void)state;
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  growth[coast]: 0.1\n"
                "uncertain:\n"
                "  growth[east]: {dist: uniform, min: 0, max: 1}\n",
                5, 3,
                "growth[east] is uncertain here and fixed at line 3; an "
                "element is fixed, a lever or uncertain once",
                "  growth[east]: {dist: uniform, min: 0, max: 1}",
                "  ^~~~~~~~~~~~");
    check_fails("model: m.mdl\n"
                "levers:\n"
                "  demand: {0: 1}\n"
                "  demand[south]: {0: 2}\n",
                4, 3, "demand[south] is a lever here and a lever at line 3",
                "  demand[south]: {0: 2}", "  ^~~~~~~~~~~~~");
}

static void test_uncertain_elements_must_be_constants(void **state)
{
    (void)state;
    check_fails("model: m.mdl\n"
                "uncertain:\n"
                "  site[north]: {dist: uniform, min: 0, max: 1}\n",
                3, 3, "'site' is not a constant in the model",
                "  site[north]: {dist: uniform, min: 0, max: 1}",
                "  ^~~~~~~~~~~");
    check_fails("model: m.mdl\n"
                "fixed:\n"
                "  stock[east]: 1\n",
                3, 3, "'stock' is a stock and cannot be fixed",
                "  stock[east]: 1", "  ^~~~~~~~~~~");
}

/* ---- selecting ---- */

static void test_select_gives_elements_in_the_programs_order(void **state)
{
    (void)state;
    ps_model *m = model_ok(model_text);
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "uncertain:\n"
                               "  price[coast, chain]: {dist: uniform, min: "
                               "0, max: 1}\n"
                               "  site: {dist: uniform, min: 0, max: 1}\n"
                               "  scale: {dist: uniform, min: 0, max: 1}\n");
    ps_sc_selection s;
    ps_error err;
    assert_int_equal(ps_scenario_select(sc, &sc->inputs[0].ref, m, &s, &err),
                     PS_OK);
    assert_int_equal(s.ndims, 2);
    assert_int_equal(s.n, 6);
    assert_false(s.whole);
    assert_string_equal(s.names[0], "south");
    assert_string_equal(s.names[1], "新材料");
    assert_string_equal(s.names[5 * 2], "east");
    assert_string_equal(s.names[5 * 2 + 1], "食品");
    ps_program *p = NULL;
    assert_int_equal(ps_program_compile(m, &p, &err), PS_OK);
    size_t price = ps_program_find(p, "price");
    assert_int_equal(
        ps_element_index(p, price, (const char *const *)s.names + 2, 2),
        1 * 3 + 1);
    ps_sc_selection_free(&s);
    /* a variable defined element by element: north, then the coast */
    assert_int_equal(ps_scenario_select(sc, &sc->inputs[1].ref, m, &s, &err),
                     PS_OK);
    assert_int_equal(s.n, 3);
    assert_true(s.whole);
    size_t site = ps_program_find(p, "site");
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(
            ps_element_index(p, site, (const char *const *)s.names + i, 1), i);
    ps_sc_selection_free(&s);
    assert_int_equal(ps_scenario_select(sc, &sc->inputs[2].ref, m, &s, &err),
                     PS_OK);
    assert_int_equal(s.ndims, 0);
    assert_int_equal(s.n, 1);
    ps_sc_selection_free(&s);
    ps_program_free(&p);
    ps_scenario_free(&sc);
    ps_model_free(&m);
}

/* Binding to the compiled program: a column per draw, a slot per element
   it sets, correlations between whole draws only, and each target's
   element. */
static void test_bind_gives_columns_slots_and_targets(void **state)
{
    (void)state;
    ps_model *m = model_ok(model_text);
    ps_scenario *sc = parse_ok(
        "model: m.mdl\n"
        "uncertain:\n"
        "  capacity[新材料]: {dist: uniform, min: 5, max: 15}\n"
        "  price[coast, 电子]: {dist: uniform, min: 0, max: 1, "
        "per element: true}\n"
        "  growth: {dist: uniform, min: 0, max: 0.1}\n"
        "  scale: {dist: uniform, min: 1, max: 3}\n"
        "correlations:\n"
        "  - [growth, scale, 0.5]\n"
        "targets:\n"
        "  - {name: a, variable: \"output[east, 食品]\", year: 4, "
        "at least: 1}\n"
        "  - {name: b, variable: total, year: 4, at least: 1}\n");
    ps_error err;
    ps_program *p = NULL;
    assert_int_equal(ps_program_compile(m, &p, &err), PS_OK);
    ps_sc_binding b;
    if (ps_scenario_bind(sc, m, p, &b, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to bind");
    }
    /* capacity[新材料]; price[south,电子] and price[east,电子]; growth;
       scale */
    assert_int_equal(b.ncolumns, 5);
    const char *names[] = {"capacity[新材料]", "price[south,电子]",
                           "price[east,电子]", "growth", "scale"};
    const size_t input[] = {0, 1, 1, 2, 3};
    for (size_t j = 0; j < 5; j++) {
        assert_string_equal(b.columns[j].name, names[j]);
        assert_int_equal(b.columns[j].input, input[j]);
        assert_ptr_equal(b.columns[j].dist, &sc->inputs[input[j]].dist);
    }
    size_t capacity = ps_program_find(p, "capacity"),
           price = ps_program_find(p, "price"),
           growth = ps_program_find(p, "growth"),
           scale = ps_program_find(p, "scale");
    const ps_input_slot want[] = {{0, capacity, 0},
                                  {1, price, 1 * 3 + 1},
                                  {2, price, 2 * 3 + 1},
                                  {3, growth, PS_ALL_ELEMENTS},
                                  {4, scale, PS_ALL_ELEMENTS}};
    assert_int_equal(b.nslots, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(b.slots[i].input, want[i].input);
        assert_int_equal(b.slots[i].var, want[i].var);
        assert_int_equal(b.slots[i].element, want[i].element);
    }
    /* the pair given, both ways; per-element draws are independent */
    assert_non_null(b.correlation);
    assert_float_equal(b.correlation[3 * 5 + 4], 0.5, 0);
    assert_float_equal(b.correlation[4 * 5 + 3], 0.5, 0);
    assert_float_equal(b.correlation[1 * 5 + 4], 0, 0);
    assert_float_equal(b.correlation[2 * 5 + 2], 1, 0);
    assert_int_equal(b.ntargets, 2);
    assert_int_equal(b.target_var[0], ps_program_find(p, "output"));
    assert_int_equal(b.target_elem[0], 2 * 3 + 2);
    assert_string_equal(b.target_names[0], "output[east,食品]");
    assert_int_equal(b.target_var[1], ps_program_find(p, "total"));
    assert_int_equal(b.target_elem[1], 0);
    assert_string_equal(b.target_names[1], "total");
    ps_sc_binding_free(&b);
    assert_null(b.columns);
    ps_sc_binding_free(NULL);
    ps_program_free(&p);
    ps_scenario_free(&sc);
    ps_model_free(&m);
}

/* ---- applying ---- */

static ps_series *run(const char *scenario)
{
    ps_model *m = model_ok(model_text);
    ps_scenario *sc = parse_ok(scenario);
    ps_error err;
    if (ps_scenario_apply(sc, m, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to apply");
    }
    ps_program *prog = NULL;
    if (ps_program_compile(m, &prog, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the applied model to compile");
    }
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    ps_series *s = NULL;
    if (ps_simulate(prog, &opts, &s, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the applied model to run");
    }
    ps_program_free(&prog);
    ps_scenario_free(&sc);
    ps_model_free(&m);
    return s;
}

static double at(const ps_series *s, const char *name, size_t row)
{
    size_t col = ps_series_find(s, name);
    if (col == (size_t)-1)
        fail_msg("no column '%s'", name);
    return ps_series_get(s, row, col);
}

static void test_fixed_values_and_levers_take_the_elements_named(void **state)
{
    (void)state;
    ps_series *s = run("model: m.mdl\n"
                       "fixed:\n"
                       "  capacity[电子]: 25\n"
                       "  price[coast, 食品]: 100\n"
                       "  site[east]: 9\n"
                       "levers:\n"
                       "  demand[north]: {1: 10, 3: 30}\n"
                       "  growth: {0: 1, 4: 5}\n");
    /* one element of a constant list; the others keep theirs */
    assert_true(at(s, "capacity[新材料]", 0) == 10);
    assert_true(at(s, "capacity[电子]", 0) == 25);
    assert_true(at(s, "capacity[食品]", 0) == 30);
    assert_true(at(s, "total", 0) == 65);
    /* a subrange of a 2-D list */
    assert_true(at(s, "price[north,食品]", 0) == 3);
    assert_true(at(s, "price[south,食品]", 0) == 100);
    assert_true(at(s, "price[east,食品]", 0) == 100);
    assert_true(at(s, "price[east,电子]", 0) == 8);
    assert_true(at(s, "output[south,食品]", 0) == 3000);
    /* one element of an equation over a subrange */
    assert_true(at(s, "site[north]", 2) == 1);
    assert_true(at(s, "site[south]", 2) == 4);
    assert_true(at(s, "site[east]", 2) == 9);
    /* a lever on one element; the others keep their equation */
    assert_true(at(s, "demand[north]", 0) == 10);
    assert_true(at(s, "demand[north]", 2) == 20);
    assert_true(at(s, "demand[south]", 2) == 102);
    /* a lever on every element */
    assert_true(at(s, "growth[east]", 2) == 3);
    assert_true(at(s, "stock[north]", 2) == 1 + 2);
    ps_series_free(&s);
}

static void test_fixing_a_whole_variable_replaces_every_equation(void **state)
{
    (void)state;
    ps_series *s = run("model: m.mdl\n"
                       "fixed:\n"
                       "  site: 5\n"
                       "  price: 2\n");
    assert_true(at(s, "site[north]", 3) == 5);
    assert_true(at(s, "site[east]", 3) == 5);
    assert_true(at(s, "output[east,食品]", 0) == 60);
    ps_series_free(&s);
}

static void test_scenario_fix_sets_elements_by_name(void **state)
{
    (void)state;
    ps_model *m = model_ok(model_text);
    ps_error err;
    assert_int_equal(ps_scenario_fix(m, "price[coast,电子]", 0.5, &err), PS_OK);
    assert_int_equal(ps_scenario_fix(m, "demand[east]", 7, &err), PS_OK);
    assert_int_equal(ps_scenario_fix(m, "demand[mars]", 7, &err), PS_ERR_USAGE);
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.message, "unknown element or range 'mars'"));
    assert_int_equal(ps_scenario_fix(m, "stock[east]", 7, &err), PS_ERR_USAGE);
    assert_non_null(strstr(err.message, "'stock' is a stock"));
    ps_program *p = NULL;
    assert_int_equal(ps_program_compile(m, &p, &err), PS_OK);
    ps_sim_options o;
    ps_sim_options_default(&o);
    ps_series *s = NULL;
    assert_int_equal(ps_simulate(p, &o, &s, &err), PS_OK);
    assert_true(at(s, "price[south,电子]", 0) == 0.5);
    assert_true(at(s, "price[north,电子]", 0) == 2);
    assert_true(at(s, "demand[east]", 1) == 7);
    assert_true(at(s, "demand[south]", 1) == 101);
    ps_series_free(&s);
    ps_program_free(&p);
    ps_model_free(&m);
}

/* ---- extending ---- */

static void
test_a_child_setting_a_whole_variable_replaces_its_elements(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok("fixtures/elements/child.yaml");
    /* capacity (whole, uncertain) replaced the parent's fixed
       capacity[新材料]; growth[电子] moved to fixed, with its pair */
    assert_int_equal(sc->nfixed, 1);
    assert_string_equal(sc->fixed[0].name, "growth[电子]");
    assert_int_equal(sc->ninputs, 2);
    assert_string_equal(sc->inputs[0].name, "growth[食品]");
    assert_string_equal(sc->inputs[1].name, "capacity");
    assert_int_equal(sc->inputs[1].per_element, 1);
    assert_true(!sc->correlation || sc->correlation[1] == 0);
    ps_model *m = NULL;
    ps_error err;
    assert_int_equal(ps_model_load(sc->model_path, &m, &err), PS_OK);
    if (ps_scenario_check(sc, m, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("child.yaml should pass its check");
    }
    ps_model_free(&m);
    ps_scenario_free(&sc);

    /* a grandchild on some elements of what its parent sets whole */
    sc = load_ok("fixtures/elements/overlap.yaml");
    assert_int_equal(ps_model_load(sc->model_path, &m, &err), PS_OK);
    assert_int_equal(ps_scenario_check(sc, m, &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "fixtures/elements/overlap.yaml", 4, 3,
                 "capacity[新材料] is a lever here and uncertain at "
                 "fixtures/elements/child.yaml:5",
                 "  capacity[new chain]: {2026: 1, 2030: 2}",
                 "  ^~~~~~~~~~~~~~~~~~~");
    ps_model_free(&m);
    ps_scenario_free(&sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_are_read_with_their_subscripts),
        cmocka_unit_test(
            test_malformed_subscripts_are_errors_at_their_position),
        cmocka_unit_test(test_one_element_given_twice_in_one_file),
        cmocka_unit_test(test_elements_subranges_and_whole_variables_pass),
        cmocka_unit_test(test_unknown_element_is_an_error_at_the_element),
        cmocka_unit_test(
            test_unknown_or_foreign_range_is_an_error_at_the_range),
        cmocka_unit_test(test_wrong_number_of_subscripts_and_none_to_give),
        cmocka_unit_test(test_a_target_names_one_element),
        cmocka_unit_test(test_an_element_is_set_once),
        cmocka_unit_test(test_uncertain_elements_must_be_constants),
        cmocka_unit_test(test_select_gives_elements_in_the_programs_order),
        cmocka_unit_test(test_bind_gives_columns_slots_and_targets),
        cmocka_unit_test(test_fixed_values_and_levers_take_the_elements_named),
        cmocka_unit_test(test_fixing_a_whole_variable_replaces_every_equation),
        cmocka_unit_test(test_scenario_fix_sets_elements_by_name),
        cmocka_unit_test(
            test_a_child_setting_a_whole_variable_replaces_its_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
