/*
 * Status codes, their messages and exit codes, and located errors.
 */
#include "plansim/status.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int exit_code;
    const char *message;
} status_table[] = {
#define PS_STATUS_ROW(code, exit_code, message) {#code, exit_code, message},
    PS_STATUS_MAP(PS_STATUS_ROW)
#undef PS_STATUS_ROW
};

static int status_valid(ps_status s)
{
    return (int)s >= 0 && s < PS_STATUS_COUNT;
}

const char *ps_status_name(ps_status status)
{
    return status_valid(status) ? status_table[status].name : "PS_ERR_UNKNOWN";
}

const char *ps_status_message(ps_status status)
{
    return status_valid(status) ? status_table[status].message
                                : "unknown status";
}

int ps_status_exit_code(ps_status status)
{
    return status_valid(status) ? status_table[status].exit_code : 70;
}

void ps_error_clear(ps_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

ps_status ps_error_vset(ps_error *err, ps_status status, const char *file,
                        int line, int column, const char *fmt, va_list ap)
{
    if (!err)
        return status;
    ps_error_clear(err);
    err->status = status;
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    err->line = line;
    err->column = column;
    if (fmt)
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    else
        snprintf(err->message, sizeof err->message, "%s",
                 ps_status_message(status));
    return status;
}

ps_status ps_error_set(ps_error *err, ps_status status, const char *file,
                       int line, int column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps_error_vset(err, status, file, line, column, fmt, ap);
    va_end(ap);
    return status;
}

void ps_error_print(FILE *out, const ps_error *err)
{
    if (!err)
        return;
    if (err->file[0]) {
        fputs(err->file, out);
        if (err->line > 0) {
            fprintf(out, ":%d", err->line);
            if (err->column > 0)
                fprintf(out, ":%d", err->column);
        }
        fputs(": ", out);
    }
    fputs("error: ", out);
    if (err->has_time)
        fprintf(out, "at time %g: ", err->time);
    fputs(err->message[0] ? err->message : ps_status_message(err->status),
          out);
    fputc('\n', out);
}
