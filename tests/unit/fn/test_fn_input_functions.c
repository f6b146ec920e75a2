/*
 * Conformance: the SDXorg test-models case "input_functions" (Vensim DSS
 * 6.3 output).  Its model is
 *     Test Pulse       = PULSE(3, 2)
 *     Test Pulse Train = PULSE TRAIN(7, 1, 2, 12)
 *     Test Ramp        = RAMP(1, 14, 17)
 *     Test Step        = STEP(1, 1)
 * with INITIAL TIME 0, FINAL TIME 25, TIME STEP = SAVEPER = 0.0625; the
 * functions are evaluated on that grid and compared with output.csv.
 *
 * The case lives in the shared folder beside the source tree
 * ($PLANSIM_SHARED_DIR, else $PLANSIM_SOURCE_DIR/../shared); without it the
 * test reports itself skipped (exit code 77).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plansim/fn.h"

#define SKIP_EXIT 77
#define CASE_FILE "sdx-tests/input_functions/output.csv"
#define DT 0.0625
#define MAX_COLS 16
#define MAX_ROWS 1024

enum { COL_TIME, COL_PULSE, COL_TRAIN, COL_RAMP, COL_STEP, NCOLS };
static const char *const col_names[NCOLS] = {
    "Time", "Test Pulse", "Test Pulse Train", "Test Ramp", "Test Step"};

typedef struct expected {
    int rows;
    double v[MAX_ROWS][NCOLS];
} expected;

/* The path of the case file, or NULL when no shared folder is known. */
static char *case_path(void)
{
    const char *shared = getenv("PLANSIM_SHARED_DIR");
    const char *source = getenv("PLANSIM_SOURCE_DIR");
    char buf[4096];
    if (shared != NULL && shared[0] != '\0')
        snprintf(buf, sizeof buf, "%s/%s", shared, CASE_FILE);
    else if (source != NULL && source[0] != '\0')
        snprintf(buf, sizeof buf, "%s/../shared/%s", source, CASE_FILE);
    else
        return NULL;
    return strdup(buf);
}

/* The next line of `*p` (lines end in CR, LF or CRLF), NUL-terminated in
   place; NULL at the end of the text. */
static char *next_line(char **p)
{
    char *s = *p;
    if (*s == '\0')
        return NULL;
    char *e = s + strcspn(s, "\r\n");
    if (*e == '\r' && e[1] == '\n')
        *e++ = '\0';
    if (*e != '\0')
        *e++ = '\0';
    *p = e;
    return s;
}

/* Splits a CSV line on commas in place (no quoted commas in this file). */
static int split(char *line, char *field[MAX_COLS])
{
    int n = 0;
    for (char *tok = line; n < MAX_COLS; n++) {
        field[n] = tok;
        char *comma = strchr(tok, ',');
        if (comma == NULL)
            return n + 1;
        *comma = '\0';
        tok = comma + 1;
    }
    return n;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[4096];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *grown = realloc(text, cap);
            if (grown == NULL) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (text != NULL)
        text[len] = '\0';
    return text;
}

static int load(void **state)
{
    char *path = case_path();
    char *text = path ? read_file(path) : NULL;
    free(path);
    expected *e = calloc(1, sizeof *e);
    if (text == NULL || e == NULL) {
        free(text);
        free(e);
        return -1;
    }
    char *cursor = text, *field[MAX_COLS];
    int col_of[NCOLS];
    int nf = split(next_line(&cursor), field);
    for (int c = 0; c < NCOLS; c++) {
        col_of[c] = -1;
        for (int f = 0; f < nf; f++)
            if (strcmp(field[f], col_names[c]) == 0)
                col_of[c] = f;
        if (col_of[c] < 0) {
            fprintf(stderr, "column \"%s\" missing\n", col_names[c]);
            free(text);
            free(e);
            return -1;
        }
    }
    char *line;
    while ((line = next_line(&cursor)) != NULL && e->rows < MAX_ROWS) {
        if (line[0] == '\0')
            continue;
        nf = split(line, field);
        for (int c = 0; c < NCOLS; c++)
            e->v[e->rows][c] = col_of[c] < nf ? strtod(field[col_of[c]], NULL)
                                              : NAN;
        e->rows++;
    }
    free(text);
    *state = e;
    return 0;
}

static int unload(void **state)
{
    free(*state);
    return 0;
}

/* The grid: row k is time k*DT, from 0 to 25. */
static void test_case_covers_the_time_grid(void **state)
{
    const expected *e = *state;
    assert_int_equal(e->rows, 401);
    for (int k = 0; k < e->rows; k++)
        assert_true(e->v[k][COL_TIME] == k * DT);
}

static void compare(const expected *e, int col, const char *what,
                    double (*fn)(double time))
{
    for (int k = 0; k < e->rows; k++) {
        double want = e->v[k][col], got = fn(k * DT);
        /* The file keeps 6 significant digits. */
        if (!(fabs(got - want) <= 1e-6 * fmax(1.0, fabs(want))))
            fail_msg("%s at time %g: got %.9g, Vensim %.9g", what, k * DT,
                     got, want);
    }
}

static double pulse(double t) { return ps_fn_pulse(3, 2, t, DT); }
static double train(double t) { return ps_fn_pulse_train(7, 1, 2, 12, t, DT); }
static double ramp(double t) { return ps_fn_ramp(1, 14, 17, t, DT); }
static double step(double t) { return ps_fn_step(1, 1, t, DT); }

static void test_pulse_matches_vensim(void **state)
{
    compare(*state, COL_PULSE, "PULSE(3, 2)", pulse);
}

static void test_pulse_train_matches_vensim(void **state)
{
    compare(*state, COL_TRAIN, "PULSE TRAIN(7, 1, 2, 12)", train);
}

static void test_ramp_matches_vensim(void **state)
{
    compare(*state, COL_RAMP, "RAMP(1, 14, 17)", ramp);
}

static void test_step_matches_vensim(void **state)
{
    compare(*state, COL_STEP, "STEP(1, 1)", step);
}

int main(void)
{
    char *path = case_path();
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (f == NULL) {
        fprintf(stderr, "skipped: conformance case %s not found (%s)\n",
                CASE_FILE, path ? path : "no PLANSIM_SHARED_DIR or "
                                         "PLANSIM_SOURCE_DIR set");
        free(path);
        return SKIP_EXIT;
    }
    fclose(f);
    free(path);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_covers_the_time_grid),
        cmocka_unit_test(test_pulse_matches_vensim),
        cmocka_unit_test(test_pulse_train_matches_vensim),
        cmocka_unit_test(test_ramp_matches_vensim),
        cmocka_unit_test(test_step_matches_vensim),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
