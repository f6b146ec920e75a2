/*
 * `observed:`: the data of calibration to history.  A valid section reads
 * its data file (.csv, .tab, .xlsx) into series of times, values and
 * per-observation errors; each mistake is reported at its place, in the
 * scenario (with the underline) or in the data file (at the cell); the
 * check against the model finds unknown variables and times outside the
 * run; binding finds each series' program variable and element.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "plansim/element.h"
#include "plansim/program.h"
#include "plansim/scenario_bind.h"
#include "scenario_test.h"

#define DIR "fixtures/observed/"
#define MODEL DIR "obs.mdl"

/* The valid section of the tests: every form of series. */
static const char *valid =
    "model: " MODEL "\n"
    "observed:\n"
    "  file: " DIR "data.csv\n"
    "  source: 统计公报\n"
    "  error: {model: normal, cv: 0.02}\n"
    "  series:\n"
    "    gdp real growth:\n"
    "      error: {model: normal, sd: 0.005}\n"
    "      label: GDP实际增速\n"
    "      source: 政府工作报告\n"
    "    gdp nominal:\n"
    "      error: {model: lognormal, cv: 0.01, by year: {2022: 0.03}}\n"
    "    primary share: {column: primary share}\n"
    "    industrial output growth:\n"
    "      variable: industrial output\n"
    "      measure: growth\n"
    "      lag: 1\n"
    "    secondary share computed:\n"
    "      variable: secondary value added\n"
    "      measure: share\n"
    "      of: gdp real\n"
    "      column: secondary share\n"
    "    output[新材料]:\n";

/* Parses `text` as "test.yaml" expecting `status` at file:line:col (the
   message's first line holds `fragment`; source and underline as
   assert_error). */
static void parse_fails(const char *text, ps_status status, const char *file,
                        int line, int column, const char *fragment,
                        const char *source, const char *underline)
{
    ps_scenario *sc = (ps_scenario *)1;
    ps_error err;
    assert_int_equal(
        ps_scenario_parse(text, strlen(text), "test.yaml", &sc, &err), status);
    assert_null(sc);
    assert_error(&err, status, file, line, column, fragment, source, underline);
}

static void assert_times(const ps_sc_obs_series *s, size_t n,
                         const double *time, const double *value)
{
    assert_int_equal(s->n, n);
    for (size_t j = 0; j < n; j++) {
        assert_true(s->time[j] == time[j]);
        assert_true(s->value[j] == value[j]);
    }
}

/* ---- a valid section ---- */

static void test_section_reads_file_source_and_series_in_order(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok(valid);
    const ps_sc_observed *o = sc->observed;
    assert_non_null(o);
    assert_string_equal(o->file, DIR "data.csv");
    assert_null(o->sheet);
    assert_string_equal(o->source, "统计公报");
    assert_int_equal(o->file_where.loc.line, 3);
    assert_int_equal(o->file_where.loc.column, 9);
    assert_int_equal(o->nseries, 6);
    const char *names[] = {"gdp real growth",       "gdp nominal",
                           "primary share",         "industrial output",
                           "secondary value added", "output[新材料]"};
    const char *columns[] = {"gdp real growth", "gdp nominal",
                             "primary share",   "industrial output growth",
                             "secondary share", "output[新材料]"};
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(o->series[i].name, names[i]);
        assert_string_equal(o->series[i].column, columns[i]);
    }
    /* the series' name is its key, where it is written */
    assert_int_equal(o->series[0].where.loc.line, 7);
    assert_int_equal(o->series[0].where.loc.column, 5);
    assert_string_equal(o->series[0].label, "GDP实际增速");
    assert_string_equal(o->series[0].source, "政府工作报告");
    assert_null(o->series[1].label);
    ps_scenario_free(&sc);
}

static void test_series_keep_the_non_empty_cells_in_order_of_time(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok(valid);
    const ps_sc_obs_series *s = sc->observed->series;
    /* the file lists 2023 before 2022, and has a blank line */
    assert_times(&s[0], 4, (double[]){2021, 2022, 2023, 2024},
                 (double[]){0.05, 0.06, 0.055, 0.05});
    assert_times(&s[1], 5, (double[]){2020, 2021, 2022, 2023, 2024},
                 (double[]){100, 105, 111.5, 118, 124});
    assert_times(&s[2], 4, (double[]){2020, 2021, 2023, 2024},
                 (double[]){0.13, 0.12, 0.11, 0.105});
    assert_times(&s[3], 4, (double[]){2021, 2022, 2023, 2024},
                 (double[]){0.08, 0.09, 0.085, 0.08});
    assert_times(&s[4], 4, (double[]){2020, 2022, 2023, 2024},
                 (double[]){0.35, 0.36, 0.37, 0.37});
    assert_times(&s[5], 3, (double[]){2020, 2021, 2023},
                 (double[]){10, 11, 12.5});
    ps_scenario_free(&sc);
}

static void test_each_value_remembers_its_cell_in_the_data_file(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok(valid);
    const ps_sc_obs_series *s = sc->observed->series;
    /* gdp nominal at 2023: line 5 ("2023,0.055,118,..."), column 12 */
    assert_string_equal(s[1].cell[3].file, DIR "data.csv");
    assert_int_equal(s[1].cell[3].loc.line, 5);
    assert_int_equal(s[1].cell[3].loc.column, 12);
    assert_int_equal(s[1].cell[3].length, 3);
    /* gdp real growth at 2022: line 6, column 6 */
    assert_int_equal(s[0].cell[1].loc.line, 6);
    assert_int_equal(s[0].cell[1].loc.column, 6);
    ps_scenario_free(&sc);
}

static void
test_errors_come_from_the_series_the_default_and_by_year(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok(valid);
    const ps_sc_obs_series *s = sc->observed->series;
    for (size_t j = 0; j < s[0].n; j++) {
        assert_int_equal(s[0].error[j].kind, PS_OBS_NORMAL);
        assert_int_equal(s[0].error[j].relative, 0);
        assert_true(s[0].error[j].scale == 0.005);
    }
    /* gdp nominal: cv 0.01, but 0.03 in 2022 */
    for (size_t j = 0; j < s[1].n; j++) {
        assert_int_equal(s[1].error[j].kind, PS_OBS_LOGNORMAL);
        assert_int_equal(s[1].error[j].relative, 1);
        assert_true(s[1].error[j].scale ==
                    (s[1].time[j] == 2022 ? 0.03 : 0.01));
    }
    /* primary share: the section's default */
    for (size_t j = 0; j < s[2].n; j++) {
        assert_int_equal(s[2].error[j].kind, PS_OBS_NORMAL);
        assert_int_equal(s[2].error[j].relative, 1);
        assert_true(s[2].error[j].scale == 0.02);
    }
    ps_scenario_free(&sc);
}

static void test_measures_level_growth_and_share(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok(valid);
    const ps_sc_obs_series *s = sc->observed->series;
    assert_int_equal(s[0].kind, PS_OBS_LEVEL);
    assert_null(s[0].of);
    assert_int_equal(s[3].kind, PS_OBS_GROWTH);
    assert_true(s[3].lag == 1);
    assert_string_equal(s[3].ref.var, "industrial output");
    assert_int_equal(s[4].kind, PS_OBS_SHARE);
    assert_string_equal(s[4].of, "gdp real");
    assert_string_equal(s[4].of_ref.var, "gdp real");
    assert_int_equal(s[4].of_where.loc.line, 21);
    assert_int_equal(s[4].of_where.loc.column, 11);
    /* a subscripted variable's element */
    assert_string_equal(s[5].ref.var, "output");
    assert_int_equal(s[5].ref.nsubs, 1);
    assert_string_equal(s[5].ref.subs[0], "新材料");
    ps_scenario_free(&sc);
}

static void test_growth_lag_defaults_to_one(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "observed:\n"
                               "  file: " DIR "data.csv\n"
                               "  error: {model: normal, sd: 0.01}\n"
                               "  series:\n"
                               "    g: {variable: industrial output, "
                               "measure: growth, column: industrial output "
                               "growth}\n");
    assert_true(sc->observed->series[0].lag == 1);
    ps_scenario_free(&sc);
}

static void test_row_without_time_in_a_tab_file_is_located(void **state)
{
    (void)state;
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "no_time.tab\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {gdp nominal: }\n",
                PS_ERR_DATA, DIR "no_time.tab", 3, 1,
                "this row has values but no time", NULL, NULL);
}

static void test_workbook_reads_its_first_sheet_or_the_one_named(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\n"
                               "observed:\n"
                               "  file: " DIR "data.xlsx\n"
                               "  error: {model: normal, sd: 1}\n"
                               "  series: {gdp nominal: , primary share: }\n");
    const ps_sc_obs_series *s = sc->observed->series;
    assert_times(&s[0], 3, (double[]){2020, 2021, 2022},
                 (double[]){100, 105, 111});
    assert_times(&s[1], 2, (double[]){2020, 2022}, (double[]){0.13, 0.12});
    /* a workbook's cells have no line and column */
    assert_int_equal(s[0].cell[0].loc.line, 0);
    ps_scenario_free(&sc);

    sc = parse_ok("model: m.mdl\n"
                  "observed:\n"
                  "  file: " DIR "data.xlsx\n"
                  "  sheet: 历史\n"
                  "  error: {model: normal, sd: 1}\n"
                  "  series: {gdp nominal: }\n");
    assert_string_equal(sc->observed->sheet, "历史");
    assert_times(&sc->observed->series[0], 2, (double[]){2020, 2021},
                 (double[]){100, 105});
    ps_scenario_free(&sc);
}

static void test_empty_section_is_no_section(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: m.mdl\nobserved:\n");
    assert_null(sc->observed);
    ps_scenario_free(&sc);
}

/* ---- errors in the section, at the scenario's text ---- */

static void test_unknown_keys_suggest_the_nearest(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  serie: {gdp nominal: }\n",
                       4, 3,
                       "unknown key 'serie' in 'observed'; did you mean "
                       "'series'?",
                       "  serie: {gdp nominal: }", "  ^~~~~");
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series:\n"
                       "    gdp nominal: {colum: x}\n",
                       6, 19,
                       "unknown key 'colum' in an observed series; did you "
                       "mean 'column'?",
                       "    gdp nominal: {colum: x}",
                       "                  ^~~~~");
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sdd: 1}\n",
                       4, 26,
                       "unknown key 'sdd' in an error model; did you mean "
                       "'sd'?",
                       "  error: {model: normal, sdd: 1}",
                       "                         ^~~");
}

static void test_file_is_required(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  series: {gdp nominal: }\n",
                       2, 1, "'observed:' needs 'file:'",
                       "observed:", "^~~~~~~~");
}

static void test_unreadable_file_is_noinput_at_file(void **state)
{
    (void)state;
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "nope.csv\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {gdp nominal: }\n",
                PS_ERR_NOINPUT, "test.yaml", 3, 9,
                "cannot read '" DIR "nope.csv'", "  file: " DIR "nope.csv",
                "        ^~~~~~~~~~~~~~~~~~~~~~~~~~");
    /* a file the spreadsheet reader does not know */
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "obs.mdl\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {gdp nominal: }\n",
                PS_ERR_DATA, "test.yaml", 3, 9,
                "unknown spreadsheet type '.mdl'", "  file: " DIR "obs.mdl",
                "        ^~~~~~~~~~~~~~~~~~~~~~~~~");
}

static void test_missing_column_suggests_the_nearest_header(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series:\n"
                       "    gdp nominall:\n",
                       6, 5,
                       "has no column 'gdp nominall'; did you mean 'gdp "
                       "nominal'? (columns: gdp real growth, gdp nominal,",
                       "    gdp nominall:", "    ^~~~~~~~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series:\n"
                       "    gdp nominal: {column: GDP}\n",
                       6, 27, "has no column 'GDP'",
                       "    gdp nominal: {column: GDP}",
                       "                          ^~~");
}

static void test_series_without_error_model(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  series:\n"
                       "    gdp nominal:\n",
                       5, 5, "the series 'gdp nominal' has no error model",
                       "    gdp nominal:", "    ^~~~~~~~~~~");
}

static void test_series_without_observations(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "header_only.csv\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series:\n"
                       "    gdp nominal:\n",
                       6, 5, "the series 'gdp nominal' has no observations",
                       "    gdp nominal:", "    ^~~~~~~~~~~");
}

/* A window one series does not reach leaves it with no observation
   (a hold-out window); one that no series reaches is an error.  A
   series' own by-year error outside the window is not checked. */
static void test_window_may_leave_a_series_empty(void **state)
{
    (void)state;
    ps_scenario *sc = parse_ok("model: " MODEL "\n"
                               "observed:\n"
                               "  file: " DIR "data.csv\n"
                               "  from: 2023\n"
                               "  error: {model: normal, sd: 1}\n"
                               "  series:\n"
                               "    gdp nominal:\n"
                               "      error: {model: lognormal, cv: 0.01, "
                               "by year: {2021: 0.03}}\n"
                               "    output[新材料]: {}\n");
    const ps_sc_observed *o = sc->observed;
    assert_int_equal(o->nseries, 2);
    assert_int_equal(o->series[0].n, 2); /* 2023, 2024 */
    assert_int_equal(o->series[1].n, 1); /* 2023 */
    ps_scenario_free(&sc);
    sc = parse_ok("model: " MODEL "\n"
                  "observed:\n"
                  "  file: " DIR "data.csv\n"
                  "  from: 2024\n"
                  "  error: {model: normal, sd: 1}\n"
                  "  series:\n"
                  "    gdp nominal: {}\n"
                  "    output[新材料]: {}\n");
    assert_int_equal(sc->observed->series[1].n, 0);
    ps_scenario_free(&sc);
    parse_fails("model: " MODEL "\n"
                "observed:\n"
                "  file: " DIR "data.csv\n"
                "  from: 2030\n"
                "  error: {model: normal, sd: 1}\n"
                "  series:\n"
                "    gdp nominal: {}\n",
                PS_ERR_DATA, "test.yaml", 3, 9,
                "no series has an observation from 2030 on",
                "  file: " DIR "data.csv", "        ^~~~~~~~~~~~~~~~~~~~~~~~~~");
}

static void test_bad_error_parameters(void **state)
{
    (void)state;
    const char *head = "model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n";
    char text[512];
    snprintf(text, sizeof text, "%s  error: {model: normal, sd: 0}\n", head);
    assert_parse_error(text, 4, 30, "sd must be positive, not 0",
                       "  error: {model: normal, sd: 0}",
                       "                             ^");
    snprintf(text, sizeof text, "%s  error: {model: normal, sd: 1, cv: 0.1}\n",
             head);
    assert_parse_error(text, 4, 37, "give the error's 'sd:' or its 'cv:'",
                       "  error: {model: normal, sd: 1, cv: 0.1}",
                       "                                    ^~~");
    snprintf(text, sizeof text, "%s  error: {model: normal}\n", head);
    assert_parse_error(text, 4, 10, "an error model needs 'sd:'",
                       "  error: {model: normal}", "         ^~~~~~~~~~~~~~~");
    snprintf(text, sizeof text, "%s  error: {sd: 1}\n", head);
    assert_parse_error(text, 4, 10, "an error model needs 'model:'",
                       "  error: {sd: 1}", "         ^~~~~~~");
    snprintf(text, sizeof text, "%s  error: {model: lognormall, cv: 0.1}\n",
             head);
    assert_parse_error(text, 4, 18,
                       "unknown error model 'lognormall'; did you mean "
                       "'lognormal'?",
                       "  error: {model: lognormall, cv: 0.1}",
                       "                 ^~~~~~~~~~");
    snprintf(text, sizeof text,
             "%s  error: {model: normal, sd: 1, by year: {2024: -1}}\n", head);
    assert_parse_error(text, 4, 49, "a scale must be positive",
                       "  error: {model: normal, sd: 1, by year: {2024: -1}}",
                       "                                                ^~");
    snprintf(text, sizeof text,
             "%s  error: {model: normal, sd: 1, by year: {2024: 1, 2024.0: "
             "2}}\n",
             head);
    assert_parse_error(
        text, 4, 52, "the year 2024 is given twice",
        "  error: {model: normal, sd: 1, by year: {2024: 1, 2024.0: 2}}",
        "                                                   ^~~~~~");
}

static void test_by_year_needs_an_observation_that_year(void **state)
{
    (void)state;
    assert_parse_error(
        "model: m.mdl\n"
        "observed:\n"
        "  file: " DIR "data.csv\n"
        "  series:\n"
        "    gdp nominal: {error: {model: normal, sd: 1, by year: {2019: "
        "2}}}\n",
        5, 59,
        "column 'gdp nominal' has no observation at 2019 (it has 2020, 2021, "
        "2022, 2023, 2024)",
        "    gdp nominal: {error: {model: normal, sd: 1, by year: {2019: 2}}}",
        "                                                          ^~~~");
    /* a year of the default error: some series taking it must have it */
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sd: 1, by year: {2030: 2}}\n"
                       "  series: {gdp nominal: }\n",
                       4, 43,
                       "no series that takes this default error has an "
                       "observation at 2030",
                       "  error: {model: normal, sd: 1, by year: {2030: 2}}",
                       "                                          ^~~~");
}

static void test_measure_of_and_lag_errors(void **state)
{
    (void)state;
    const char *head = "model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series:\n";
    char text[512];
    snprintf(text, sizeof text, "%s    gdp nominal: {measure: grwth}\n", head);
    assert_parse_error(text, 6, 28,
                       "unknown measure 'grwth'; did you mean 'growth'?",
                       "    gdp nominal: {measure: grwth}",
                       "                           ^~~~~");
    snprintf(text, sizeof text,
             "%s    s:\n      variable: gdp nominal\n      measure: share\n",
             head);
    assert_parse_error(text, 6, 5, "a share needs 'of:'", "    s:", "    ^");
    snprintf(text, sizeof text, "%s    gdp nominal: {of: gdp real}\n", head);
    assert_parse_error(text, 6, 23, "'of:' is for a share",
                       "    gdp nominal: {of: gdp real}",
                       "                      ^~~~~~~~");
    snprintf(text, sizeof text, "%s    gdp nominal: {lag: 2}\n", head);
    assert_parse_error(text, 6, 24, "'lag:' is for a growth rate",
                       "    gdp nominal: {lag: 2}", "                       ^");
    snprintf(text, sizeof text,
             "%s    gdp nominal: {measure: growth, lag: 0}\n", head);
    assert_parse_error(text, 6, 41,
                       "the lag of a growth rate must be positive, not 0",
                       "    gdp nominal: {measure: growth, lag: 0}",
                       "                                        ^");
}

static void test_series_named_twice_in_one_file(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series:\n"
                       "    gdp nominal:\n"
                       "    GDP_nominal:\n",
                       7, 5,
                       "the series 'GDP_nominal' is given twice (also at line "
                       "6)",
                       "    GDP_nominal:", "    ^~~~~~~~~~~");
}

static void test_sheets_are_for_workbooks(void **state)
{
    (void)state;
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.csv\n"
                       "  sheet: Sheet1\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series: {gdp nominal: }\n",
                       4, 10, "'sheet:' chooses a sheet of an .xlsx or .xls",
                       "  sheet: Sheet1", "         ^~~~~~");
    assert_parse_error("model: m.mdl\n"
                       "observed:\n"
                       "  file: " DIR "data.xlsx\n"
                       "  sheet: Sheet 1\n"
                       "  error: {model: normal, sd: 1}\n"
                       "  series: {gdp nominal: }\n",
                       4, 10,
                       "has no sheet 'Sheet 1'; did you mean 'Sheet1'? "
                       "(sheets: Sheet1, 历史)",
                       "  sheet: Sheet 1", "         ^~~~~~~");
}

/* ---- errors in the data, at the cell ---- */

static void test_cell_that_is_not_a_number_is_located_in_the_file(void **state)
{
    (void)state;
    /* a quoted cell of the row before holds a line end */
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "bad_cell.csv\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {gdp nominal: }\n",
                PS_ERR_DATA, DIR "bad_cell.csv", 4, 9,
                "'1O5' in column 'gdp nominal' is not a number", NULL, NULL);
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "data.xlsx\n"
                "  sheet: 历史\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {primary share: }\n",
                PS_ERR_DATA, DIR "data.xlsx", 0, 0,
                "历史!C3: 'n/a' in column 'primary share' is not a number",
                NULL, NULL);
}

static void test_bad_times_are_located_in_the_file(void **state)
{
    (void)state;
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "dup_time.csv\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {gdp nominal: }\n",
                PS_ERR_DATA, DIR "dup_time.csv", 4, 1,
                "the time 2020 is given twice (also at line 2)", NULL, NULL);
    /* any header names the time column; its cells must be numbers */
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "text_time.csv\n"
                "  error: {model: normal, sd: 1}\n"
                "  series: {gdp nominal: }\n",
                PS_ERR_DATA, DIR "text_time.csv", 3, 1,
                "the time 'Source: NBS' is not a number", NULL, NULL);
}

static void test_values_must_suit_their_error_model(void **state)
{
    (void)state;
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "signs.csv\n"
                "  series: {growth: {error: {model: lognormal, sd: 0.1}}}\n",
                PS_ERR_DATA, DIR "signs.csv", 3, 6,
                "a lognormal error needs positive observations, and column "
                "'growth' has -0.01 at 2021",
                NULL, NULL);
    parse_fails("model: m.mdl\n"
                "observed:\n"
                "  file: " DIR "signs.csv\n"
                "  series: {growth: {error: {model: normal, cv: 0.1}}}\n",
                PS_ERR_DATA, DIR "signs.csv", 4, 6,
                "column 'growth' is 0 at 2022, where an error in proportion",
                NULL, NULL);
}

/* ---- checked against the model ---- */

/* Loads the model of the fixtures and checks `text` against it. */
static ps_status check(const char *text, ps_error *err)
{
    ps_model *m = NULL;
    assert_int_equal(ps_model_load(MODEL, &m, err), PS_OK);
    ps_scenario *sc = parse_ok(text);
    ps_status st = ps_scenario_check(sc, m, err);
    ps_scenario_free(&sc);
    ps_model_free(&m);
    return st;
}

static void check_fails(const char *text, int line, int column,
                        const char *fragment, const char *source,
                        const char *underline)
{
    ps_error err;
    assert_int_equal(check(text, &err), PS_ERR_DATA);
    assert_error(&err, PS_ERR_DATA, "test.yaml", line, column, fragment, source,
                 underline);
}

static void test_valid_section_passes_the_check(void **state)
{
    (void)state;
    ps_error err;
    if (check(valid, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the section to pass its check");
    }
}

static const char *check_head = "model: " MODEL "\n"
                                "observed:\n"
                                "  file: " DIR "data.csv\n"
                                "  error: {model: normal, sd: 1}\n"
                                "  series:\n";

static void test_unknown_variables_suggest_the_nearest(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text, "%s    gdp nominl: {column: gdp nominal}\n",
             check_head);
    check_fails(text, 6, 5,
                "the model has no variable 'gdp nominl'; did you mean 'gdp "
                "nominal'?",
                "    gdp nominl: {column: gdp nominal}", "    ^~~~~~~~~~");
    snprintf(text, sizeof text,
             "%s    s:\n"
             "      variable: secondary value added\n"
             "      measure: share\n"
             "      of: gdp rael\n"
             "      column: secondary share\n",
             check_head);
    check_fails(text, 9, 11,
                "the model has no variable 'gdp rael'; did you mean 'gdp "
                "real'?",
                "      of: gdp rael", "          ^~~~~~~~");
}

static void test_series_is_about_one_value(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text,
             "%s    o: {variable: output, column: 'output[新材料]'}\n",
             check_head);
    check_fails(text, 6, 5,
                "an observed series is about one value, and 'output' names 2 "
                "elements of 'output': name one, such as 'output[新材料]'",
                "    o: {variable: output, column: 'output[新材料]'}", "    ^");
    snprintf(text, sizeof text,
             "%s    c: {variable: curve, column: gdp nominal}\n", check_head);
    check_fails(text, 6, 5, "'curve' is a lookup table",
                "    c: {variable: curve, column: gdp nominal}", "    ^");
}

static void test_observations_lie_within_the_run(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text, "time: {initial: 2021}\n%s    gdp nominal:\n",
             check_head);
    check_fails(text, 7, 5,
                "column 'gdp nominal' has an observation at 2020, outside the "
                "run (2021 to 2025)",
                "    gdp nominal:", "    ^~~~~~~~~~~");
    snprintf(text, sizeof text, "time: {final: 2023}\n%s    gdp nominal:\n",
             check_head);
    check_fails(text, 7, 5,
                "has an observation at 2024, outside the run (2020 to 2023)",
                "    gdp nominal:", "    ^~~~~~~~~~~");
}

static void test_growth_rate_starts_within_the_run(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof text,
             "time: {initial: 2021}\n%s"
             "    g: {variable: industrial output, measure: growth,\n"
             "        column: industrial output growth}\n",
             check_head);
    check_fails(text, 7, 5,
                "the growth rate at 2021 in column 'industrial output "
                "growth' is over 2020 to 2021, which starts before the run "
                "(2021 to 2025)",
                "    g: {variable: industrial output, measure: growth,",
                "    ^");
    /* a longer lag reaches further back */
    snprintf(text, sizeof text,
             "%s    g: {variable: industrial output, measure: growth, lag: 2,\n"
             "        column: industrial output growth}\n",
             check_head);
    check_fails(text, 6, 5, "is over 2019 to 2021",
                "    g: {variable: industrial output, measure: growth, lag: 2,",
                "    ^");
}

/* ---- bound to the program ---- */

static void test_binding_finds_each_series_variable_and_element(void **state)
{
    (void)state;
    ps_model *m = NULL;
    ps_program *p = NULL;
    ps_error err;
    ps_scenario *sc = parse_ok(valid);
    assert_int_equal(ps_model_load(MODEL, &m, &err), PS_OK);
    assert_int_equal(ps_scenario_apply(sc, m, &err), PS_OK);
    assert_int_equal(ps_program_compile(m, &p, &err), PS_OK);
    ps_sc_binding b;
    if (ps_scenario_bind(sc, m, p, &b, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to bind");
    }
    assert_int_equal(b.nobserved, 6);
    const char *vars[] = {"gdp real growth",       "gdp nominal",
                          "primary share",         "industrial output",
                          "secondary value added", "output"};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(b.obs_var[i], ps_program_find(p, vars[i]));
    size_t var, elem;
    assert_int_equal(ps_element_find(p, "output[新材料]", &var, &elem, &err),
                     PS_OK);
    assert_int_equal(b.obs_elem[5], elem);
    assert_int_equal(b.obs_elem[1], 0);
    assert_int_equal(b.obs_of_var[4], ps_program_find(p, "gdp real"));
    assert_int_equal(b.obs_of_elem[4], 0);
    for (size_t i = 0; i < 6; i++)
        if (i != 4) {
            assert_true(b.obs_of_var[i] == SIZE_MAX);
            assert_true(b.obs_of_elem[i] == SIZE_MAX);
        }
    ps_sc_binding_free(&b);
    assert_null(b.obs_var);
    ps_program_free(&p);
    ps_model_free(&m);
    ps_scenario_free(&sc);
}

static void test_binding_without_the_section_has_no_series(void **state)
{
    (void)state;
    ps_model *m = NULL;
    ps_program *p = NULL;
    ps_error err;
    ps_scenario *sc = parse_ok("model: " MODEL "\n");
    assert_int_equal(ps_model_load(MODEL, &m, &err), PS_OK);
    assert_int_equal(ps_program_compile(m, &p, &err), PS_OK);
    ps_sc_binding b;
    assert_int_equal(ps_scenario_bind(sc, m, p, &b, &err), PS_OK);
    assert_int_equal(b.nobserved, 0);
    ps_sc_binding_free(&b);
    ps_program_free(&p);
    ps_model_free(&m);
    ps_scenario_free(&sc);
}

/* ---- extends ---- */

static void test_child_merges_keys_and_series_by_name(void **state)
{
    (void)state;
    ps_scenario *sc = load_ok(DIR "child.yaml");
    const ps_sc_observed *o = sc->observed;
    /* the child's file, without the parent's sheet */
    assert_string_equal(o->file, DIR "data.csv");
    assert_null(o->sheet);
    assert_string_equal(o->source, "parent");
    assert_int_equal(o->nseries, 3);
    /* the parent's order, the child's series in place, then its others */
    assert_string_equal(o->series[0].name, "gdp nominal");
    assert_int_equal(o->series[0].error[0].kind, PS_OBS_NORMAL);
    assert_true(o->series[0].error[0].scale == 2);
    assert_string_equal(o->series[0].where.file, DIR "child.yaml");
    assert_string_equal(o->series[1].name, "primary share");
    assert_string_equal(o->series[1].where.file, DIR "parent.yaml");
    assert_true(o->series[1].error[0].scale == 0.02);
    assert_string_equal(o->series[2].name, "gdp real growth");
    ps_scenario_free(&sc);
}

/* ---- the documentation's example ---- */

/* The first ```yaml block after `heading` in docs/scenario-format.md. */
static char *doc_example(const char *heading)
{
    const char *src = getenv("PLANSIM_SOURCE_DIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/scenario-format.md",
             src ? src : "../../..");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char doc[200000];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = '\0';
    const char *at = strstr(doc, heading);
    assert_non_null(at);
    const char *start = strstr(at, "```yaml\n");
    assert_non_null(start);
    start += strlen("```yaml\n");
    const char *end = strstr(start, "```");
    assert_non_null(end);
    return strndup(start, (size_t)(end - start));
}

static void test_documented_example_reads_and_checks(void **state)
{
    (void)state;
    char *text = doc_example("\n## Observed data\n");
    const char *src = getenv("PLANSIM_SOURCE_DIR");
    char path[1024];
    /* as a scenario of the project's scenarios/ folder */
    snprintf(path, sizeof path, "%s/scenarios/observed_example.yaml",
             src ? src : "../../..");
    ps_scenario *sc = NULL;
    ps_model *m = NULL;
    ps_error err;
    if (ps_scenario_parse(text, strlen(text), path, &sc, &err) != PS_OK ||
        ps_model_load(sc->model_path, &m, &err) != PS_OK ||
        ps_scenario_check(sc, m, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("the documented example should read and pass its check");
    }
    assert_true(sc->observed->nseries >= 3);
    ps_model_free(&m);
    ps_scenario_free(&sc);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_section_reads_file_source_and_series_in_order),
        cmocka_unit_test(test_series_keep_the_non_empty_cells_in_order_of_time),
        cmocka_unit_test(test_each_value_remembers_its_cell_in_the_data_file),
        cmocka_unit_test(
            test_errors_come_from_the_series_the_default_and_by_year),
        cmocka_unit_test(test_measures_level_growth_and_share),
        cmocka_unit_test(test_growth_lag_defaults_to_one),
        cmocka_unit_test(test_row_without_time_in_a_tab_file_is_located),
        cmocka_unit_test(test_workbook_reads_its_first_sheet_or_the_one_named),
        cmocka_unit_test(test_empty_section_is_no_section),
        cmocka_unit_test(test_unknown_keys_suggest_the_nearest),
        cmocka_unit_test(test_file_is_required),
        cmocka_unit_test(test_unreadable_file_is_noinput_at_file),
        cmocka_unit_test(test_missing_column_suggests_the_nearest_header),
        cmocka_unit_test(test_series_without_error_model),
        cmocka_unit_test(test_series_without_observations),
        cmocka_unit_test(test_window_may_leave_a_series_empty),
        cmocka_unit_test(test_bad_error_parameters),
        cmocka_unit_test(test_by_year_needs_an_observation_that_year),
        cmocka_unit_test(test_measure_of_and_lag_errors),
        cmocka_unit_test(test_series_named_twice_in_one_file),
        cmocka_unit_test(test_sheets_are_for_workbooks),
        cmocka_unit_test(test_cell_that_is_not_a_number_is_located_in_the_file),
        cmocka_unit_test(test_bad_times_are_located_in_the_file),
        cmocka_unit_test(test_values_must_suit_their_error_model),
        cmocka_unit_test(test_valid_section_passes_the_check),
        cmocka_unit_test(test_unknown_variables_suggest_the_nearest),
        cmocka_unit_test(test_series_is_about_one_value),
        cmocka_unit_test(test_observations_lie_within_the_run),
        cmocka_unit_test(test_growth_rate_starts_within_the_run),
        cmocka_unit_test(test_binding_finds_each_series_variable_and_element),
        cmocka_unit_test(test_binding_without_the_section_has_no_series),
        cmocka_unit_test(test_child_merges_keys_and_series_by_name),
        cmocka_unit_test(test_documented_example_reads_and_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
