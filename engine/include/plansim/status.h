/*
 * plansim: status codes and located errors.
 *
 * Every fallible engine call returns a ps_status and, when given a ps_error,
 * fills it with what went wrong and where (file, line, column, or simulated
 * time and variable).  Codes and messages live in one X-macro table so the
 * names, messages and sysexits.h exit codes can never drift apart.
 */
#ifndef PLANSIM_STATUS_H
#define PLANSIM_STATUS_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X(code, exit code from sysexits.h, message) */
#define PS_STATUS_MAP(X)                                                     \
    X(PS_OK, 0, "success")                                                   \
    X(PS_ERR_USAGE, 64, "bad command-line usage")                            \
    X(PS_ERR_SYNTAX, 65, "syntax error")                                     \
    X(PS_ERR_SEMANTIC, 65, "invalid model")                                  \
    X(PS_ERR_UNSUPPORTED, 65, "unsupported construct")                       \
    X(PS_ERR_CYCLE, 65, "algebraic loop")                                    \
    X(PS_ERR_DATA, 65, "invalid data")                                       \
    X(PS_ERR_NONFINITE, 65, "value is not finite")                           \
    X(PS_ERR_INTEGRATION, 65, "integration failed")                          \
    X(PS_ERR_NOINPUT, 66, "cannot open input")                               \
    X(PS_ERR_UNAVAILABLE, 69, "required resource unavailable")               \
    X(PS_ERR_CANTCREAT, 73, "cannot create output")                          \
    X(PS_ERR_IO, 74, "input/output error")                                   \
    X(PS_ERR_NOMEM, 70, "out of memory")                                     \
    X(PS_ERR_INTERNAL, 70, "internal error")                                 \
    X(PS_ERR_INTERRUPTED, 130, "interrupted")

typedef enum ps_status {
#define PS_STATUS_ENUM(code, exit_code, message) code,
    PS_STATUS_MAP(PS_STATUS_ENUM)
#undef PS_STATUS_ENUM
        PS_STATUS_COUNT
} ps_status;

/* The symbolic name of a status ("PS_ERR_SYNTAX"); never NULL. */
const char *ps_status_name(ps_status status);

/* A short human message for a status ("syntax error"); never NULL. */
const char *ps_status_message(ps_status status);

/* The sysexits.h exit code a command-line tool should return for a status. */
int ps_status_exit_code(ps_status status);

#define PS_ERROR_MESSAGE_MAX 1024
#define PS_ERROR_FILE_MAX 512

/*
 * A located error.  `file` is empty when the error has no file; `line` and
 * `column` are 1-based and 0 when unknown.  `time` is the simulated time of a
 * run-time failure (meaningful when has_time is set).  The struct owns no
 * heap memory: it can live on the stack and be copied freely.
 */
typedef struct ps_error {
    ps_status status;
    char file[PS_ERROR_FILE_MAX];
    int line;
    int column;
    int has_time;
    double time;
    char message[PS_ERROR_MESSAGE_MAX];
} ps_error;

/* Resets `err` to PS_OK with no location.  NULL is allowed and ignored. */
void ps_error_clear(ps_error *err);

/*
 * Fills `err` with a status, a location and a printf-style message, and
 * returns `status` so callers can write `return ps_error_set(...)`.
 * `file` may be NULL; `err` may be NULL (the status is still returned).
 */
ps_status ps_error_set(ps_error *err, ps_status status, const char *file,
                       int line, int column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* As ps_error_set, with a va_list. */
ps_status ps_error_vset(ps_error *err, ps_status status, const char *file,
                        int line, int column, const char *fmt, va_list ap);

/*
 * Prints `err` as one diagnostic line in the GNU style editors understand:
 * "file:line:col: error: message" (parts without a value are left out).
 */
void ps_error_print(FILE *out, const ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
