/*
 * plansim-bench: the output table.  Figures go to stdout, one line per
 * model and topic, the model name in a fixed-width first column so that
 * the lines of two builds can be laid side by side (or diffed).
 */
#include <stdarg.h>
#include <stdio.h>

#include "bench.h"

void bench_row(const char *model, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%-10s ", model);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    fflush(stdout);
}

void bench_fail(const char *model, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL %s: ", model);
    vprintf(fmt, ap);
    putchar('\n');
    va_end(ap);
    fflush(stdout);
}
