/*
 * Helpers shared by the scenario tests (include after cmocka.h): read a
 * scenario expecting success, or expecting an error at an exact position
 * with an exact source line and underline.
 */
#ifndef PLANSIM_SCENARIO_TEST_H
#define PLANSIM_SCENARIO_TEST_H

#include <stdio.h>
#include <string.h>

#include "plansim/mdl.h"
#include "plansim/scenario.h"

/* Parses `text` as the file "test.yaml" (in the test's folder), failing
   the test with the reader's message when it does not succeed. */
static inline ps_scenario *parse_ok(const char *text)
{
    ps_scenario *sc = NULL;
    ps_error err;
    if (ps_scenario_parse(text, strlen(text), "test.yaml", &sc, &err) !=
        PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the scenario to be read");
    }
    assert_non_null(sc);
    return sc;
}

static inline ps_scenario *load_ok(const char *path)
{
    ps_scenario *sc = NULL;
    ps_error err;
    if (ps_scenario_load(path, &sc, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected %s to be read", path);
    }
    assert_non_null(sc);
    return sc;
}

/* Parses an inline model, failing the test when it does not parse. */
static inline ps_model *model_ok(const char *text)
{
    ps_model *m = NULL;
    ps_error err;
    if (ps_mdl_parse(text, strlen(text), "test.mdl", &m, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        fail_msg("expected the model to parse");
    }
    return m;
}

/* Line `i` (0-based) of a message, without its newline, into buf. */
static inline void message_line(const char *msg, int i, char *buf, size_t size)
{
    for (; i > 0 && msg; i--) {
        msg = strchr(msg, '\n');
        if (msg)
            msg++;
    }
    buf[0] = '\0';
    if (!msg)
        return;
    size_t n = strcspn(msg, "\n");
    snprintf(buf, size, "%.*s", (int)n, msg);
}

/*
 * Checks a located error: status, file, line and column; the first line
 * of the message contains `fragment`; the second and third lines are
 * exactly `source` and `underline` (NULL: the message has one line).
 */
static inline void assert_error(const ps_error *err, ps_status status,
                                const char *file, int line, int column,
                                const char *fragment, const char *source,
                                const char *underline)
{
    char first[PS_ERROR_MESSAGE_MAX], src[PS_ERROR_MESSAGE_MAX],
        mark[PS_ERROR_MESSAGE_MAX];
    message_line(err->message, 0, first, sizeof first);
    message_line(err->message, 1, src, sizeof src);
    message_line(err->message, 2, mark, sizeof mark);
    int ok = err->status == status && strcmp(err->file, file) == 0 &&
             err->line == line && err->column == column &&
             strstr(first, fragment) &&
             (source ? strcmp(src, source) == 0 && strcmp(mark, underline) == 0
                     : strchr(err->message, '\n') == NULL);
    if (!ok) {
        ps_error_print(stderr, err);
        fail_msg("expected %s at %s:%d:%d containing \"%s\"%s%s%s%s, got %s "
                 "at %s:%d:%d",
                 ps_status_name(status), file, line, column, fragment,
                 source ? " over\n" : "", source ? source : "",
                 source ? "\n" : "", underline ? underline : "",
                 ps_status_name(err->status), err->file, err->line,
                 err->column);
    }
}

/* Parses `text` as "test.yaml" expecting PS_ERR_DATA as assert_error. */
static inline void assert_parse_error(const char *text, int line, int column,
                                      const char *fragment, const char *source,
                                      const char *underline)
{
    ps_scenario *sc = (ps_scenario *)1;
    ps_error err;
    ps_status st =
        ps_scenario_parse(text, strlen(text), "test.yaml", &sc, &err);
    assert_int_equal(st, err.status);
    assert_null(sc);
    assert_error(&err, PS_ERR_DATA, "test.yaml", line, column, fragment, source,
                 underline);
}

#endif
