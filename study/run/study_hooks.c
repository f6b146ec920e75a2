/*
 * What the studies share with whoever runs them: their notes and
 * warnings passed on (study_hooks), and numbers read from their
 * specifications.
 */
#include "plansim_study/run.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void study_say(const study_hooks *hooks, const char *fmt, ...)
{
    if (!hooks || !hooks->say)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    hooks->say(hooks->ctx, line);
}

void study_progress_begin(const study_progress *p, size_t total)
{
    if (p && p->begin)
        p->begin(p->ctx, total);
}

void study_progress_end(const study_progress *p)
{
    if (p && p->end)
        p->end(p->ctx);
}

int study_parse_number(const char *text, double *out)
{
    char *end;
    while (*text == ' ')
        text++;
    if (*text == '\0')
        return -1;
    double v = strtod(text, &end);
    while (*end == ' ')
        end++;
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}
