/*
 * Helpers shared by the subcommands: usage errors, getopt set-up, numbers
 * from arguments and one-line diagnostics.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_print_usage(FILE *out, const cli_command *cmd)
{
    fprintf(out, "usage: plansim %s %s\n", cmd->name, cmd->synopsis);
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "plansim %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return cli_usage_tail(cmd);
}

int cli_usage_tail(const cli_command *cmd)
{
    cli_print_usage(stderr, cmd);
    fprintf(stderr, "Try 'plansim help %s' for more information.\n", cmd->name);
    return ps_status_exit_code(PS_ERR_USAGE);
}

void cli_getopt_begin(const cli_command *cmd, char **argv, char *buf,
                      size_t size)
{
    snprintf(buf, size, "plansim %s", cmd->name);
    argv[0] = buf;
    /* 0, not 1: glibc then also resets its internal scanning state, which
       a previous scan (the top-level options) may have left behind. */
    optind = 0;
    opterr = 1;
}

int cli_parse_count(const cli_command *cmd, const char *opt, const char *arg,
                    long long min, long long max, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(arg, &end, 10);
    if (*arg == '\0' || *end != '\0' || errno || v < min || v > max)
        return cli_usage_error(cmd,
                               "%s: '%s' is not a whole number from %lld to "
                               "%lld",
                               opt, arg, min, max);
    *out = v;
    return 0;
}

int cli_parse_seed(const cli_command *cmd, const char *arg,
                   unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (*arg == '\0' || *arg == '-' || *end != '\0' || errno)
        return cli_usage_error(cmd, "--seed: '%s' is not a whole number", arg);
    *out = v;
    return 0;
}

int cli_parse_table_or_json(const cli_command *cmd, const char *arg, int *json)
{
    if (strcmp(arg, "table") == 0)
        *json = 0;
    else if (strcmp(arg, "json") == 0)
        *json = 1;
    else
        return cli_usage_error(cmd, "--format: '%s' is not table or json", arg);
    return 0;
}

int cli_one_operand(const cli_command *cmd, int argc, char **argv,
                    const char *what, const char **out)
{
    if (optind >= argc)
        return cli_usage_error(cmd, "missing %s", what);
    if (argc - optind > 1)
        return cli_usage_error(cmd, "unexpected argument '%s'",
                               argv[optind + 1]);
    *out = argv[optind];
    return -1;
}

int cli_parse_flush_every(const cli_command *cmd, const char *arg, double *out)
{
    if (study_parse_number(arg, out) != 0 || *out <= 0)
        return cli_usage_error(cmd,
                               "--flush-every: '%s' is not a number of "
                               "seconds above 0",
                               arg);
    return 0;
}

static const char resume_suffix[] = ".partial";

int cli_check_resume(const cli_command *cmd, const char *partial,
                     const char *output)
{
    size_t n = strlen(partial), k = sizeof resume_suffix - 1;
    if (n <= k || strcmp(partial + n - k, resume_suffix) != 0)
        return cli_usage_error(cmd,
                               "--resume: '%s' is not the .partial file of "
                               "an interrupted run",
                               partial);
    if (output && (strlen(output) != n - k || strncmp(output, partial, n - k)))
        return cli_usage_error(cmd,
                               "--resume %s finishes %.*s, not --output %s",
                               partial, (int)(n - k), partial, output);
    return -1;
}

char *cli_resume_output(const char *partial)
{
    return strndup(partial, strlen(partial) - (sizeof resume_suffix - 1));
}

int cli_fail(const ps_error *err)
{
    ps_error_print(stderr, err);
    return ps_status_exit_code(err->status);
}

char *cli_format_error(const ps_error *err, int basename_only, char *buf,
                       size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
#define APPEND(...)                                                            \
    do {                                                                       \
        if (n < size) {                                                        \
            int k = snprintf(buf + n, size - n, __VA_ARGS__);                  \
            n += k > 0 ? (size_t)k : 0;                                        \
        }                                                                      \
    } while (0)
    if (err->file[0]) {
        const char *file = err->file;
        const char *slash = strrchr(file, '/');
        if (basename_only && slash)
            file = slash + 1;
        APPEND("%s", file);
        if (err->line > 0) {
            APPEND(":%d", err->line);
            if (err->column > 0)
                APPEND(":%d", err->column);
        }
        APPEND(": ");
    }
    if (err->has_time)
        APPEND("at time %g: ", err->time);
    APPEND("%s",
           err->message[0] ? err->message : ps_status_message(err->status));
#undef APPEND
    return buf;
}
