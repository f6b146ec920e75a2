/*
 * Errors found while reading a scenario: each kind at its exact line and
 * column, with the source line and the offending text underlined.
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

#include "scenario_test.h"

/* ---- YAML itself ---- */

static void test_yaml_syntax_error_is_libfyamls_own(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    ps_error err;
    assert_int_equal(ps_scenario_load("fixtures/errors/syntax.yaml", &sc, &err),
                     PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "fixtures/errors/syntax.yaml", 5, 4,
                 "wrong indendation in sequence while in mapping", "   - 2027",
                 "   ^");
    assert_parse_error("model: m.mdl\n"
                       "time: {initial: 2025, final: 2030\n"
                       "method: rk4\n",
                       3, 7, "missing comma in flow mapping", "method: rk4",
                       "      ^");
}

/* Parses text (len bytes) as "deep.yaml", expecting PS_ERR_DATA at
   line:column with a message starting with `lead`. */
static void parse_fails_at(const char *text, size_t len, int line, int column,
                           const char *lead)
{
    ps_scenario *sc = NULL;
    ps_error err;
    assert_int_equal(ps_scenario_parse(text, len, "deep.yaml", &sc, &err),
                     PS_ERR_DATA);
    assert_null(sc);
    assert_string_equal(err.file, "deep.yaml");
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
    assert_memory_equal(err.message, lead, strlen(lead));
}

static void test_nesting_is_limited_and_long_lines_are_linear(void **state)
{
    (void)state;
    /* 63 levels under the top mapping are read; the 64th is refused */
    char ok[256] = "model: m.mdl\nx: ";
    size_t n = strlen(ok);
    memset(ok + n, '[', 62);
    memset(ok + n + 62, ']', 62);
    ps_scenario *sc = NULL;
    ps_error err;
    ps_status st = ps_scenario_parse(ok, n + 124, "deep.yaml", &sc, &err);
    assert_true(st == PS_OK || !strstr(err.message, "nested"));
    ps_scenario_free(&sc);
    /* a million '[' on one line: refused at the 64th level at once (this
       took minutes when every node measured the rest of its line) */
    size_t big = 1000000;
    char *deep = malloc(n + big + 1);
    assert_non_null(deep);
    memcpy(deep, ok, n);
    memset(deep + n, '[', big);
    parse_fails_at(deep, n + big, 2, 4 + 63,
                   "lists and mappings nested more than 64 deep");
    /* the same in block style, one level a line */
    size_t at = n - 3;
    memcpy(deep + at, "x:\n", 3);
    at += 3;
    for (int level = 0; level < 70; level++) {
        memset(deep + at, ' ', (size_t)level);
        memcpy(deep + at + level, "-\n", 2);
        at += (size_t)level + 2;
    }
    parse_fails_at(deep, at, 3 + 63, 64,
                   "lists and mappings nested more than 64 deep");
    /* a flow list of 300,000 items on one line is read in linear time,
       up to the most items a list may have */
    memcpy(deep, "model: m.mdl\nx: [", 17);
    at = 17;
    for (int i = 0; i < 300000; i++) {
        memcpy(deep + at, "a, ", 3);
        at += 3;
    }
    deep[at++] = ']';
    parse_fails_at(deep, at, 2, 4, "a list of more than 10000 items");
    /* 10,000 items are read, and checked against each other at once */
    memcpy(deep, "model: m.mdl\nsave: [", 20);
    at = 20;
    for (int i = 0; i < 9999; i++)
        at += (size_t)sprintf(deep + at, "v%d, ", i);
    at += (size_t)sprintf(deep + at, "v5]");
    parse_fails_at(deep, at, 2, 68891, "'v5' is already saved (line 2)");
    free(deep);
}

static void test_unquoted_bracketed_name_in_flow_style_gets_a_hint(void **state)
{
    (void)state;
    assert_parse_error(
        "model: m.mdl\n"
        "fixed: {base output[食品加工]: 110}\n",
        2, 20,
        "missing comma in flow mapping: inside {...} and [...] a name with "
        "brackets must be quoted, as in \"base output[食品加工]\"",
        "fixed: {base output[食品加工]: 110}", "                   ^");
    assert_parse_error(
        "model: m.mdl\n"
        "targets: [{name: a, variable: output[x], year: 2030, at least: 1}]\n",
        2, 37, "as in \"output[x]\"",
        "targets: [{name: a, variable: output[x], year: 2030, at least: 1}]",
        "                                    ^");
}

static void test_error_message_starts_with_the_plain_message(void **state)
{
    (void)state;
    ps_scenario *sc = NULL;
    ps_error err;
    const char *text = "model: m.mdl\nsampling: {runs: one thousand}\n";
    assert_int_equal(ps_scenario_parse(text, strlen(text), "s.yaml", &sc, &err),
                     PS_ERR_DATA);
    assert_string_equal(err.message,
                        "expected a whole number, got 'one thousand'\n"
                        "sampling: {runs: one thousand}\n"
                        "                 ^~~~~~~~~~~~");
    char buf[512] = "";
    FILE *f = fmemopen(buf, sizeof buf, "w");
    ps_error_print(f, &err);
    fclose(f);
    assert_string_equal(buf, "s.yaml:2:18: error: expected a whole number, got "
                             "'one thousand'\n"
                             "sampling: {runs: one thousand}\n"
                             "                 ^~~~~~~~~~~~\n");
}

static void test_empty_file_and_wrong_top_level(void **state)
{
    (void)state;
    assert_parse_error("# only a comment\n", 1, 1, "the scenario is empty",
                       "# only a comment", "^");
    assert_parse_error("- a\n- b\n", 1, 1,
                       "expected a mapping of keys (title:, model:, ...), "
                       "got a list",
                       "- a", "^~~");
    assert_parse_error("title: x\n", 1, 1, "the scenario names no model",
                       "title: x", "^");
}

static void test_second_document_is_refused(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n---\nmodel: n.mdl\n", 2, 1,
                       "one YAML document", "---", "^~~");
}

static void test_duplicate_key_names_the_first(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "fixed:\n"
                       "  a: 1\n"
                       "  a: 2\n",
                       4, 3, "duplicate key 'a' (first written at line 3)",
                       "  a: 2", "  ^");
}

static void test_unknown_anchor_and_key_that_is_not_a_name(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\ntitle: *nope\n", 2, 8,
                       "unknown anchor '*nope'", "title: *nope",
                       "       ^~~~~");
    assert_parse_error("model: m.mdl\n{a: 1}: 2\n", 2, 1,
                       "a key must be a name, not a mapping", "{a: 1}: 2",
                       "^~~~~~");
}

/* ---- keys ---- */

static void test_unknown_key_suggests_and_lists_the_allowed(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "smapling: {runs: 10}\n",
                       2, 1,
                       "unknown key 'smapling' in the scenario; did you mean "
                       "'sampling'? (allowed: title, description, model, "
                       "extends, time, method, tolerance, fixed, levers, "
                       "uncertain, correlations, correlation, sampling, save, "
                       "targets, observed)",
                       "smapling: {runs: 10}", "^~~~~~~~");
}

static void test_unknown_key_far_from_any_has_no_suggestion(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "time: {start: 2025}\n",
                       2, 8,
                       "unknown key 'start' in 'time' (allowed: initial, "
                       "final, step, saveper)",
                       "time: {start: 2025}", "       ^~~~~");
}

static void test_title_languages_are_zh_and_en_only(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "title:\n"
                       "  zh: 规划情景\n"
                       "  fr: Scénario du plan\n",
                       4, 3,
                       "unknown key 'fr' in 'title' (a text per language) "
                       "(allowed: zh, en)",
                       "  fr: Scénario du plan", "  ^~");
    assert_parse_error("model: m.mdl\n"
                       "description: {zh: 说明, EN: text, de: Text}\n",
                       2, 33,
                       "unknown key 'de' in 'description' (a text per "
                       "language)",
                       "description: {zh: 说明, EN: text, de: Text}",
                       "                                  ^~");
}

static void test_title_mapping_must_hold_texts(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\ntitle: {}\n", 2, 8,
                       "'title' is an empty mapping (give a string, or zh: "
                       "and en: texts)",
                       "title: {}", "       ^~");
    assert_parse_error("model: m.mdl\n"
                       "description:\n"
                       "  en: [a, b]\n",
                       3, 7, "expected text, got a list", "  en: [a, b]",
                       "      ^~~~~~");
    assert_parse_error("model: m.mdl\ntitle: [规划情景]\n", 2, 8,
                       "expected text, got a list", "title: [规划情景]",
                       "       ^~~~~~~~~~");
}

static void test_unknown_nested_keys_suggest_by_context(void **state)
{
    (void)state;
    assert_parse_error(
        "model: m.mdl\n"
        "targets:\n"
        "  - {name: a, variable: x, year: 2030, at leats: 3}\n",
        3, 40, "unknown key 'at leats' in a target; did you mean 'at least'?",
        "  - {name: a, variable: x, year: 2030, at leats: 3}",
        "                                       ^~~~~~~~");
    assert_parse_error(
        "model: m.mdl\n"
        "uncertain:\n"
        "  e: {dist: pert, min: 0, mode: 1, max: 2, lamda: 4}\n",
        3, 44,
        "unknown key 'lamda' in a pert distribution; did you mean 'lambda'? "
        "(allowed: dist, min, mode, max, lambda, label, source, per "
        "element, start value)",
        "  e: {dist: pert, min: 0, mode: 1, max: 2, lamda: 4}",
        "                                           ^~~~~");
}

/* `start value` and `per element` are yes or no. */
static void test_input_flags_are_yes_or_no(void **state)
{
    (void)state;
    assert_parse_error(
        "model: m.mdl\n"
        "uncertain:\n"
        "  e: {dist: uniform, min: 0, max: 1, start value: 2015}\n",
        3, 51, "'start value' is true (an initial condition of the run",
        "  e: {dist: uniform, min: 0, max: 1, start value: 2015}",
        "                                                  ^~~~");
}

static void test_one_key_spelt_two_ways_is_given_twice(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "targets:\n"
                       "  - name: a\n"
                       "    variable: x\n"
                       "    year: 2030\n"
                       "    at least: 1\n"
                       "    at_least: 2\n",
                       7, 5, "'at_least' is given twice (also at line 6)",
                       "    at_least: 2", "    ^~~~~~~~");
}

/* ---- types ---- */

static void test_wrong_types_say_what_was_expected_and_got(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  g: {dist: normal, mean: high, sd: 1}\n",
                       3, 27, "expected a number, got 'high'",
                       "  g: {dist: normal, mean: high, sd: 1}",
                       "                          ^~~~");
    assert_parse_error("model: m.mdl\ntime: 2025\n", 2, 7,
                       "expected a mapping of time settings", "time: 2025",
                       "      ^~~~");
    assert_parse_error("model: m.mdl\nsave: {a: 1}\n", 2, 7,
                       "expected a list of variable names, got a mapping",
                       "save: {a: 1}", "      ^~~~~~");
    assert_parse_error("model: m.mdl\ntitle:\n", 2, 1,
                       "expected text, got nothing", "title:", "^~~~~");
    assert_parse_error("model: [a, b]\n", 1, 8, "expected text, got a list",
                       "model: [a, b]", "       ^~~~~~");
}

static void test_quoted_number_is_text(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\nsampling:\n  runs: |\n    1000\n", 4, 5,
                       "expected a whole number, got '1000...'", "    1000",
                       "    ^~~~");
    assert_parse_error("model: m.mdl\nfixed: {a: \"0.5\"}\n", 2, 12,
                       "expected a number, got the text '0.5' (write numbers "
                       "without quotes)",
                       "fixed: {a: \"0.5\"}", "           ^~~~~");
}

static void test_whole_numbers_and_finite_numbers(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\nsampling: {runs: 0}\n", 2, 18,
                       "expected a whole number of at least 1, got '0'",
                       "sampling: {runs: 0}", "                 ^");
    assert_parse_error("model: m.mdl\nsampling: {seed: -1}\n", 2, 18,
                       "expected a whole number, got '-1'",
                       "sampling: {seed: -1}", "                 ^~");
    assert_parse_error("model: m.mdl\nsampling: {seed: 18446744073709551616}\n",
                       2, 18, "is too large",
                       "sampling: {seed: 18446744073709551616}",
                       "                 ^~~~~~~~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\nsampling: {runs: 1000000001}\n", 2, 18,
                       "too many runs: at most 1000000000",
                       "sampling: {runs: 1000000001}",
                       "                 ^~~~~~~~~~");
    assert_parse_error("model: m.mdl\nsampling: {runs: 1e12}\n", 2, 18,
                       "expected a whole number, got '1e12'",
                       "sampling: {runs: 1e12}", "                 ^~~~");
    assert_parse_error("model: m.mdl\nfixed: {a: .inf}\n", 2, 12,
                       "expected a finite number, got '.inf'",
                       "fixed: {a: .inf}", "           ^~~~");
    assert_parse_error("model: m.mdl\nfixed:\n  a: 1,5\n", 3, 6,
                       "expected a number, got '1,5'", "  a: 1,5", "     ^~~");
}

static void test_ensemble_must_fit_its_output(void **state)
{
    (void)state;
    const char *text = "model: m.mdl\nsampling:\n  runs: 1000000\n";
    ps_scenario *sc = NULL;
    ps_error err;
    assert_int_equal(
        ps_scenario_parse(text, strlen(text), "test.yaml", &sc, &err), PS_OK);
    /* 10^6 runs x 51 times x 10 series x 8 bytes = 4.08e9 bytes */
    assert_int_equal(
        ps_scenario_check_room(sc, 1, 1000000, 51, 10, 4080000000u, &err),
        PS_OK);
    assert_int_equal(
        ps_scenario_check_room(sc, 1, 1000000, 51, 10, 4079999999u, &err),
        PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.yaml", 3, 9,
                 "1000000 runs of 51 saved times and 10 series need 3.8 GiB "
                 "(uncompressed); the output's file system has 3.8 GiB free",
                 "  runs: 1000000", "        ^~~~~~~");
    /* --runs on the command line: no position */
    assert_int_equal(
        ps_scenario_check_room(sc, 0, 2000000000, 1, 1, UINT64_MAX, &err),
        PS_ERR_DATA);
    assert_int_equal(err.line, 0);
    assert_string_equal(err.message,
                        "too many runs (2000000000): at most 1000000000");
    /* products past 2^64 do not wrap */
    assert_int_equal(ps_scenario_check_room(sc, 1, 1000000000, SIZE_MAX,
                                            SIZE_MAX, UINT64_MAX, &err),
                     PS_ERR_DATA);
    ps_scenario_free(&sc);
}

static void test_settings_values_are_checked(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\ntime: {initial: 2030, final: 2025}\n", 2,
                       30,
                       "the final time (2025) must come after the initial "
                       "time (2030)",
                       "time: {initial: 2030, final: 2025}",
                       "                             ^~~~");
    assert_parse_error("model: m.mdl\ntime: {step: -0.25}\n", 2, 14,
                       "the time step must be positive", "time: {step: -0.25}",
                       "             ^~~~~");
    assert_parse_error("model: m.mdl\ntolerance: {relative: 0}\n", 2, 23,
                       "a tolerance must be positive",
                       "tolerance: {relative: 0}", "                      ^");
    assert_parse_error("model: m.mdl\nmethod: rk-4\n", 2, 9,
                       "unknown method 'rk-4'; did you mean 'rk4'? (one of: "
                       "euler, rk4, rkf45, rk8pd, msbdf)",
                       "method: rk-4", "        ^~~~");
    assert_parse_error("model: m.mdl\nsampling: {method: latin}\n", 2, 20,
                       "unknown sampling method 'latin' (one of: mc, lhs, "
                       "sobol)",
                       "sampling: {method: latin}", "                   ^~~~~");
}

/* ---- fixed values and levers ---- */

static void test_fixed_value_needs_a_value(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\nfixed:\n  a: {label: 折旧率}\n", 3, 6,
                       "'a' needs 'value:'", "  a: {label: 折旧率}",
                       "     ^~~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\nfixed:\n  a: [1, 2]\n", 3, 6,
                       "expected a number or a mapping", "  a: [1, 2]",
                       "     ^~~~~~");
}

static void test_lever_years_must_increase(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "levers:\n"
                       "  fai growth:\n"
                       "    path: {2026: 0.2, 2028: 0.2, 2027: 0.2}\n",
                       4, 34,
                       "the times of a lever's path must increase: 2027 "
                       "comes after 2028",
                       "    path: {2026: 0.2, 2028: 0.2, 2027: 0.2}",
                       "                                 ^~~~");
    assert_parse_error("model: m.mdl\n"
                       "levers:\n"
                       "  fai growth: {2026: 0.2, 2026: 0.3}\n",
                       3, 27, "duplicate key '2026'",
                       "  fai growth: {2026: 0.2, 2026: 0.3}",
                       "                          ^~~~");
}

static void test_lever_needs_a_path(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "levers:\n"
                       "  fai growth:\n"
                       "    label: 固定资产投资增速\n",
                       3, 3, "the lever 'fai growth' needs 'path:'",
                       "  fai growth:", "  ^~~~~~~~~~");
    assert_parse_error("model: m.mdl\nlevers: {x: {path: {}}}\n", 2, 20,
                       "the path of 'x' has no points",
                       "levers: {x: {path: {}}}", "                   ^~");
    assert_parse_error("model: m.mdl\nlevers: {x: 0.2}\n", 2, 13,
                       "expected a time path such as {2026: 0.2, 2030: 0.15}",
                       "levers: {x: 0.2}", "            ^~~");
}

/* ---- distributions ---- */

static void test_bad_distribution_parameters_use_the_dist_check(void **state)
{
    (void)state;
    /* written inline: the whole distribution is underlined */
    assert_parse_error(
        "model: m.mdl\n"
        "uncertain:\n"
        "  capital share: {dist: uniform, min: 0.55, max: 0.35}\n",
        3, 18, "invalid uniform distribution for 'capital share': ",
        "  capital share: {dist: uniform, min: 0.55, max: 0.35}",
        "                 ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
    /* written as a block: its name is */
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  delay:\n"
                       "    dist: triangular\n"
                       "    min: 1\n"
                       "    mode: 3\n"
                       "    max: 2\n",
                       3, 3, "invalid triangular distribution for 'delay': ",
                       "  delay:", "  ^~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  g: {dist: normal, mean: 0, sd: -1}\n",
                       3, 6, "invalid normal distribution for 'g': ",
                       "  g: {dist: normal, mean: 0, sd: -1}",
                       "     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
}

static void test_unknown_or_missing_distribution(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  g: {dist: gaussian, mean: 0, sd: 1}\n",
                       3, 13,
                       "unknown distribution 'gaussian' (one of: uniform, "
                       "normal, truncnormal, lognormal, triangular, pert, "
                       "discrete)",
                       "  g: {dist: gaussian, mean: 0, sd: 1}",
                       "            ^~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  g: {dist: unifrom, min: 0, max: 1}\n",
                       3, 13, "did you mean 'uniform'?",
                       "  g: {dist: unifrom, min: 0, max: 1}",
                       "            ^~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  g: {min: 0, max: 1}\n",
                       3, 6, "'g' needs 'dist:'", "  g: {min: 0, max: 1}",
                       "     ^~~~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  g: 0.5\n",
                       3, 6, "(a single value belongs under 'fixed:')",
                       "  g: 0.5", "     ^~~");
}

static void test_missing_or_mixed_distribution_parameters(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  d: {dist: triangular, min: 0, max: 2}\n",
                       3, 6, "a triangular distribution needs 'mode:'",
                       "  d: {dist: triangular, min: 0, max: 2}",
                       "     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  d: {dist: lognormal, median: 1, sd: 2}\n",
                       3, 6, "a lognormal distribution takes mu and sigma",
                       "  d: {dist: lognormal, median: 1, sd: 2}",
                       "     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain:\n"
                       "  d: {dist: discrete, values: [1, 2], weights: [1]}\n",
                       3, 48, "1 weights for 2 values",
                       "  d: {dist: discrete, values: [1, 2], weights: [1]}",
                       "                                               ^~~");
}

/* ---- correlations ---- */

static const char *three_inputs = "model: m.mdl\n"
                                  "uncertain:\n"
                                  "  a: {dist: normal, mean: 0, sd: 1}\n"
                                  "  b: {dist: normal, mean: 0, sd: 1}\n"
                                  "  c: {dist: normal, mean: 0, sd: 1}\n";

static void parse_with(const char *tail, int line, int column,
                       const char *fragment, const char *source,
                       const char *underline)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", three_inputs, tail);
    assert_parse_error(text, line, column, fragment, source, underline);
}

static void test_impossible_pair_is_the_one_underlined(void **state)
{
    (void)state;
    parse_with("correlations:\n"
               "  - [a, b, 0.5]\n"
               "  - [b, c, 0.5]\n"
               "  - [a, c, -0.9]\n",
               9, 5,
               "this correlation contradicts the ones before it (the "
               "correlation matrix would not be positive definite)",
               "  - [a, c, -0.9]", "    ^~~~~~~~~~~~");
}

static void
test_nearly_singular_pair_is_refused_as_the_sampler_would(void **state)
{
    (void)state;
    parse_with("correlations:\n  - [a, b, 1]\n", 7, 12,
               "inputs correlated at exactly 1 move as one", "  - [a, b, 1]",
               "           ^");
    /* smallest eigenvalue 1e-12: below what the sampler accepts */
    parse_with("correlations:\n  - [a, b, 0.999999999999]\n", 7, 5,
               "this correlation contradicts the ones before it",
               "  - [a, b, 0.999999999999]", "    ^~~~~~~~~~~~~~~~~~~~~~");
}

static void test_impossible_matrix_underlines_the_row(void **state)
{
    (void)state;
    parse_with("correlation:\n"
               "  order: [a, b, c]\n"
               "  matrix:\n"
               "    - [1, 0.9, 0.9]\n"
               "    - [0.9, 1, -0.9]\n"
               "    - [0.9, -0.9, 1]\n",
               11, 7,
               "the correlation matrix is not positive definite: the "
               "correlations of 'c' contradict the rows above it",
               "    - [0.9, -0.9, 1]", "      ^~~~~~~~~~~~~~");
}

static void test_matrix_shape_and_symmetry(void **state)
{
    (void)state;
    parse_with("correlation:\n"
               "  order: [a, b]\n"
               "  matrix: [[1, 0.2], [0.3, 1]]\n",
               8, 23,
               "the matrix is not symmetric: 0.3 here, 0.2 in row 1, "
               "column 2",
               "  matrix: [[1, 0.2], [0.3, 1]]", "                      ^~~");
    parse_with("correlation:\n"
               "  order: [a, b]\n"
               "  matrix: [[1, 0.2], [0.2, 2]]\n",
               8, 28, "a correlation must lie between -1 and 1",
               "  matrix: [[1, 0.2], [0.2, 2]]",
               "                           ^");
    parse_with("correlation:\n"
               "  order: [a, b]\n"
               "  matrix: [[0.5, 0.2], [0.2, 1]]\n",
               8, 13, "the diagonal of a correlation matrix is 1",
               "  matrix: [[0.5, 0.2], [0.2, 1]]", "            ^~~");
    parse_with("correlation:\n"
               "  order: [a, b]\n"
               "  matrix: [[1, 0.2, 0], [0.2, 1]]\n",
               8, 12, "this row has 3 numbers for 2 inputs",
               "  matrix: [[1, 0.2, 0], [0.2, 1]]", "           ^~~~~~~~~~~");
}

static void test_correlation_must_name_an_uncertain_input(void **state)
{
    (void)state;
    parse_with("fixed: {tfp growth: 0.02}\n"
               "correlations:\n"
               "  - [a, tfp growth, 0.5]\n",
               8, 9,
               "'tfp growth' is not an uncertain input (correlations are "
               "between the inputs under 'uncertain:': a, b, c)",
               "  - [a, tfp growth, 0.5]", "        ^~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "uncertain: {capital share: {dist: uniform, min: 0, "
                       "max: 1}, delay: {dist: normal, mean: 1, sd: 1}}\n"
                       "correlations: [[capital shares, delay, 0.5]]\n",
                       3, 17,
                       "'capital shares' is not an uncertain input; "
                       "did you mean 'capital share'?",
                       "correlations: [[capital shares, delay, 0.5]]",
                       "                ^~~~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\ncorrelations: [[a, b, 0.5]]\n", 2, 15,
                       "correlations are between uncertain inputs, and there "
                       "are none",
                       "correlations: [[a, b, 0.5]]",
                       "              ^~~~~~~~~~~~~");
}

static void test_correlation_pair_forms(void **state)
{
    (void)state;
    parse_with("correlations:\n  - [a, b]\n", 7, 5,
               "expected [input, input, correlation]", "  - [a, b]",
               "    ^~~~~~");
    parse_with("correlations:\n  - [a, A, 0.5]\n", 7, 5,
               "an input's correlation with itself is always 1",
               "  - [a, A, 0.5]", "    ^~~~~~~~~~~");
    parse_with("correlations:\n  - [a, b, 0.5]\n  - [b, a, 0.4]\n", 8, 5,
               "the correlation of 'b' and 'a' is given twice (also at line "
               "7)",
               "  - [b, a, 0.4]", "    ^~~~~~~~~~~");
    parse_with("correlations: [[a, b, 0.5]]\n"
               "correlation: {order: [a, b], matrix: [[1, 0], [0, 1]]}\n",
               7, 1,
               "either as pairs ('correlations:', line 6) or as a "
               "matrix",
               "correlation: {order: [a, b], matrix: [[1, 0], [0, 1]]}",
               "^~~~~~~~~~~");
}

/* ---- names given twice ---- */

static void test_a_variable_belongs_to_one_section(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "fixed: {fai growth: 0.2}\n"
                       "uncertain:\n"
                       "  FAI Growth: {dist: uniform, min: 0, max: 1}\n",
                       4, 3,
                       "'FAI Growth' is already fixed (line 2); a variable is "
                       "fixed, a lever or uncertain, not two of these",
                       "  FAI Growth: {dist: uniform, min: 0, max: 1}",
                       "  ^~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "fixed:\n"
                       "  fai growth: 0.2\n"
                       "  fai_growth: 0.3\n",
                       4, 3, "'fai_growth' is given twice (also at line 3)",
                       "  fai_growth: 0.3", "  ^~~~~~~~~~");
}

static void test_targets_and_saved_names_are_unique(void **state)
{
    (void)state;
    assert_parse_error(
        "model: m.mdl\n"
        "targets:\n"
        "  - {name: gdp, variable: x, year: 1, at least: 1}\n"
        "  - {name: gdp, variable: y, year: 1, at least: 1}\n",
        4, 12, "two targets are named 'gdp' (the other at line 3)",
        "  - {name: gdp, variable: y, year: 1, at least: 1}", "           ^~~");
    assert_parse_error("model: m.mdl\nsave: [gdp, x, GDP]\n", 2, 16,
                       "'GDP' is already saved (line 2)", "save: [gdp, x, GDP]",
                       "               ^~~");
}

/* ---- targets ---- */

static void test_target_threshold_is_exactly_one(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "targets:\n"
                       "  - {name: t, variable: x, year: 2030}\n",
                       3, 12, "a target needs exactly one of 'at least:'",
                       "  - {name: t, variable: x, year: 2030}",
                       "           ^");
    assert_parse_error(
        "model: m.mdl\n"
        "targets:\n"
        "  - {name: t, variable: x, year: 2030, between: [3, "
        "1]}\n",
        3, 49, "the low end (3) is above the high end (1)",
        "  - {name: t, variable: x, year: 2030, between: [3, "
        "1]}",
        "                                                ^~~~~~");
}

static void test_target_fields(void **state)
{
    (void)state;
    assert_parse_error(
        "model: m.mdl\n"
        "targets:\n"
        "  - {name: gdp 700, variable: x, year: 1, at most: 1}\n",
        3, 12, "a target's name is a short identifier",
        "  - {name: gdp 700, variable: x, year: 1, at most: 1}",
        "           ^~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "targets:\n"
                       "  - {name: t, variable: x, year: 1, at most: 1, "
                       "kind: bindng}\n",
                       3, 55,
                       "a target's kind is 'expected' (预期性) or 'binding' "
                       "(约束性), not 'bindng'; did you mean 'binding'?",
                       "  - {name: t, variable: x, year: 1, at most: 1, "
                       "kind: bindng}",
                       "                                                      "
                       "^~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "targets:\n"
                       "  - {name: t, variable: x, at most: 1}\n",
                       3, 12, "the target 't' needs 'year:'",
                       "  - {name: t, variable: x, at most: 1}",
                       "           ^");
    assert_parse_error("model: m.mdl\ntargets: {name: t}\n", 2, 10,
                       "expected a list of targets", "targets: {name: t}",
                       "         ^~~~~~~~~");
}

/* ---- the underline under Chinese text and tabs ---- */

static void test_underline_is_aligned_under_wide_characters(void **state)
{
    (void)state;
    /* each Chinese character takes two columns in a terminal */
    assert_parse_error("model: m.mdl\n"
                       "fixed:\n"
                       "  折旧率: {value: 百分之八, label: 折旧率}\n",
                       3, 16, "expected a number, got '百分之八'",
                       "  折旧率: {value: 百分之八, label: 折旧率}",
                       "                  ^~~~~~~~");
}

static void test_underline_copies_tabs(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\nsampling: {runs:\tmany}\n", 2, 18,
                       "expected a whole number, got 'many'",
                       "sampling: {runs:\tmany}", "                \t^~~~");
}

static void test_long_line_is_shown_around_the_error(void **state)
{
    (void)state;
    char key[151], line[256], text[300], src[256], mark[64];
    memset(key, 'a', 150);
    key[150] = '\0';
    snprintf(line, sizeof line, "fixed: {%s: 1, b: x}", key);
    snprintf(text, sizeof text, "model: m.mdl\n%s\n", line);
    /* 40 characters of context before the error, after "..." */
    snprintf(src, sizeof src, "...%s", line + 126);
    snprintf(mark, sizeof mark, "%43s^", "");
    assert_parse_error(text, 2, 167, "expected a number, got 'x'", src, mark);
}

/* ---- what reaches the YAML parser ---- */

static void
test_bytes_that_are_not_utf8_are_refused_where_they_are(void **state)
{
    (void)state;
    /* '%' and 0x92: libfyaml would scan a directive there for ever */
    assert_parse_error("model: m.mdl\n%\x92\n", 2, 2,
                       "not UTF-8 text: byte 0x92 here starts no UTF-8 "
                       "character (save the file as UTF-8)",
                       "%\x92", " ^");
    /* a character cut short, after a Chinese one: columns count characters */
    assert_parse_error("model: m.mdl\ntitle: 政\xe7\n", 2, 9, "byte 0xE7",
                       "title: 政\xe7", "         ^");
}

/* A new file `name` in folder dir holding len bytes of text. */
static void write_file(const char *dir, const char *name, const char *text,
                       size_t len, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_only_regular_text_files_are_read(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    char dir[4096], fifo[4200], nul[4200];
    snprintf(dir, sizeof dir, "%s/scenario-files-XXXXXX",
             base && *base ? base : "/tmp");
    assert_non_null(mkdtemp(dir));
    ps_scenario *sc = NULL;
    ps_error err;

    /* a FIFO would block for ever; a device never ends */
    snprintf(fifo, sizeof fifo, "%s/fifo.yaml", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(ps_scenario_load(fifo, &sc, &err), PS_ERR_NOINPUT);
    assert_non_null(strstr(err.message, "a FIFO, not a regular file"));
    const char *text = "extends: /dev/zero\nmodel: m.mdl\n";
    assert_int_equal(
        ps_scenario_parse(text, strlen(text), "test.yaml", &sc, &err),
        PS_ERR_NOINPUT);
    assert_error(&err, PS_ERR_NOINPUT, "test.yaml", 1, 10,
                 "cannot read '/dev/zero': a device, not a regular file",
                 "extends: /dev/zero", "         ^~~~~~~~~");

    /* a NUL byte is no text: refused where it is, not cut there */
    write_file(dir, "nul.yaml", "model: m.mdl\ntitle: a\0b\n", 24, nul,
               sizeof nul);
    assert_int_equal(ps_scenario_load(nul, &sc, &err), PS_ERR_DATA);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 9);
    assert_non_null(strstr(err.message, "a NUL byte"));
    assert_null(sc);

    unlink(fifo);
    unlink(nul);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_yaml_syntax_error_is_libfyamls_own),
        cmocka_unit_test(test_nesting_is_limited_and_long_lines_are_linear),
        cmocka_unit_test(
            test_bytes_that_are_not_utf8_are_refused_where_they_are),
        cmocka_unit_test(test_only_regular_text_files_are_read),
        cmocka_unit_test(
            test_unquoted_bracketed_name_in_flow_style_gets_a_hint),
        cmocka_unit_test(test_error_message_starts_with_the_plain_message),
        cmocka_unit_test(test_empty_file_and_wrong_top_level),
        cmocka_unit_test(test_second_document_is_refused),
        cmocka_unit_test(test_duplicate_key_names_the_first),
        cmocka_unit_test(test_unknown_anchor_and_key_that_is_not_a_name),
        cmocka_unit_test(test_unknown_key_suggests_and_lists_the_allowed),
        cmocka_unit_test(test_unknown_key_far_from_any_has_no_suggestion),
        cmocka_unit_test(test_title_languages_are_zh_and_en_only),
        cmocka_unit_test(test_title_mapping_must_hold_texts),
        cmocka_unit_test(test_unknown_nested_keys_suggest_by_context),
        cmocka_unit_test(test_input_flags_are_yes_or_no),
        cmocka_unit_test(test_one_key_spelt_two_ways_is_given_twice),
        cmocka_unit_test(test_wrong_types_say_what_was_expected_and_got),
        cmocka_unit_test(test_quoted_number_is_text),
        cmocka_unit_test(test_whole_numbers_and_finite_numbers),
        cmocka_unit_test(test_settings_values_are_checked),
        cmocka_unit_test(test_ensemble_must_fit_its_output),
        cmocka_unit_test(test_fixed_value_needs_a_value),
        cmocka_unit_test(test_lever_years_must_increase),
        cmocka_unit_test(test_lever_needs_a_path),
        cmocka_unit_test(test_bad_distribution_parameters_use_the_dist_check),
        cmocka_unit_test(test_unknown_or_missing_distribution),
        cmocka_unit_test(test_missing_or_mixed_distribution_parameters),
        cmocka_unit_test(test_impossible_pair_is_the_one_underlined),
        cmocka_unit_test(
            test_nearly_singular_pair_is_refused_as_the_sampler_would),
        cmocka_unit_test(test_impossible_matrix_underlines_the_row),
        cmocka_unit_test(test_matrix_shape_and_symmetry),
        cmocka_unit_test(test_correlation_must_name_an_uncertain_input),
        cmocka_unit_test(test_correlation_pair_forms),
        cmocka_unit_test(test_a_variable_belongs_to_one_section),
        cmocka_unit_test(test_targets_and_saved_names_are_unique),
        cmocka_unit_test(test_target_threshold_is_exactly_one),
        cmocka_unit_test(test_target_fields),
        cmocka_unit_test(test_underline_is_aligned_under_wide_characters),
        cmocka_unit_test(test_underline_copies_tabs),
        cmocka_unit_test(test_long_line_is_shown_around_the_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
