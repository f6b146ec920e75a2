/*
 * Lever axes, ranges, grids and target choices (from the command line).
 */
#include "plansim_study/sweep.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int say(char *msg, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int say(char *msg, size_t size, const char *fmt, ...)
{
    if (msg && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* A whole number in [lo, hi]: 0, or -1. */
static int parse_whole(const char *text, size_t lo, size_t hi, size_t *out)
{
    char *end;
    while (*text == ' ')
        text++;
    if (*text < '0' || *text > '9')
        return -1;
    unsigned long long v = strtoull(text, &end, 10);
    while (*end == ' ')
        end++;
    if (*end != '\0' || v < lo || v > hi)
        return -1;
    *out = (size_t)v;
    return 0;
}

/* Splits `text` at its colons into at most `max` fields (copied into
   buf, which must hold strlen(text) + 1 bytes); returns how many. */
static size_t split_colons(const char *text, char *buf, char **fields,
                           size_t max)
{
    strcpy(buf, text);
    size_t n = 0;
    char *p = buf;
    for (;;) {
        if (n == max)
            return max + 1;
        fields[n++] = p;
        char *c = strchr(p, ':');
        if (!c)
            return n;
        *c = '\0';
        p = c + 1;
    }
}

int grid_parse_axis(const char *text, grid_axis *axis, char *msg, size_t size)
{
    static const char form[] =
        "expected NAME=FROM:TO:STEPS, such as \"fai growth=0.10:0.25:7\"";
    /* The last '=': a Vensim name holds none, a number never does. */
    const char *eq = strrchr(text, '=');
    if (!eq)
        return say(msg, size, "'%s': %s", text, form);
    size_t nlen = (size_t)(eq - text);
    while (nlen > 0 && text[nlen - 1] == ' ')
        nlen--;
    const char *name = text;
    while (*name == ' ' && name < text + nlen) {
        name++;
        nlen--;
    }
    if (nlen == 0)
        return say(msg, size, "'%s': no lever name before '='; %s", text, form);
    char *buf = malloc(strlen(eq + 1) + 1);
    if (!buf)
        return say(msg, size, "out of memory");
    char *f[3];
    size_t nf = split_colons(eq + 1, buf, f, 3);
    double from, to;
    size_t steps;
    int rc = -1;
    if (nf != 3)
        say(msg, size, "'%s': %s", text, form);
    else if (study_parse_number(f[0], &from) != 0)
        say(msg, size, "'%s': FROM '%s' is not a number", text, f[0]);
    else if (study_parse_number(f[1], &to) != 0)
        say(msg, size, "'%s': TO '%s' is not a number", text, f[1]);
    else if (parse_whole(f[2], 0, (size_t)-1, &steps) != 0)
        say(msg, size, "'%s': STEPS '%s' is not a whole number", text, f[2]);
    else if (steps < 2)
        say(msg, size,
            "'%s': STEPS must be at least 2 (FROM and TO are both grid "
            "values), not %zu",
            text, steps);
    else if (steps > GRID_MAX_STEPS)
        say(msg, size, "'%s': STEPS must be at most %d, not %zu", text,
            GRID_MAX_STEPS, steps);
    else if (from == to)
        say(msg, size, "'%s': FROM and TO are the same value", text);
    else
        rc = 0;
    free(buf);
    if (rc != 0)
        return rc;
    char *copy = malloc(nlen + 1);
    if (!copy)
        return say(msg, size, "out of memory");
    memcpy(copy, name, nlen);
    copy[nlen] = '\0';
    *axis = (grid_axis){copy, from, to, steps};
    return 0;
}

int grid_parse_range(const char *text, double *a, double *b, char *msg,
                     size_t size)
{
    char *buf = malloc(strlen(text) + 1);
    if (!buf)
        return say(msg, size, "out of memory");
    char *f[2];
    size_t nf = split_colons(text, buf, f, 2);
    double lo, hi;
    int rc = -1;
    if (nf != 2 || study_parse_number(f[0], &lo) != 0 ||
        study_parse_number(f[1], &hi) != 0)
        say(msg, size, "'%s' is not a range A:B of two numbers", text);
    else if (!(lo < hi))
        say(msg, size, "'%s': A must be below B", text);
    else
        rc = 0;
    free(buf);
    if (rc == 0) {
        *a = lo;
        *b = hi;
    }
    return rc;
}

double grid_axis_value(const grid_axis *axis, size_t i)
{
    if (i == 0)
        return axis->from;
    if (i + 1 >= axis->steps)
        return axis->to;
    double v = axis->from +
               (double)i * (axis->to - axis->from) / (double)(axis->steps - 1);
    /* Rounded to 15 significant digits, so that 0.1:0.4:7 gives 0.15 as
       written, not 0.15000000000000002: the model sees the values people
       read in the table. */
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    return strtod(buf, NULL);
}

size_t grid_count(const grid_axis *axes, size_t n)
{
    size_t count = 1;
    for (size_t k = 0; k < n; k++) {
        if (axes[k].steps > GRID_MAX_POINTS / count)
            return 0;
        count *= axes[k].steps;
    }
    return count <= GRID_MAX_POINTS ? count : 0;
}

void grid_point(const grid_axis *axes, size_t n, size_t index, double *values)
{
    for (size_t k = n; k-- > 0;) {
        values[k] = grid_axis_value(&axes[k], index % axes[k].steps);
        index /= axes[k].steps;
    }
}

/* "gdp_700, gdp_growth_8, ..." for messages, cut when long. */
static void list_targets(const ps_scenario *sc, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sc->ntargets; i++) {
        const char *sep = i ? ", " : "";
        size_t need = strlen(sep) + strlen(sc->targets[i].name);
        if (n + need + sizeof ", ..." > size) {
            if (n + sizeof ", ..." <= size)
                strcpy(buf + n, ", ...");
            return;
        }
        n += (size_t)sprintf(buf + n, "%s%s", sep, sc->targets[i].name);
    }
}

ps_status grid_select_targets(const ps_scenario *sc, const char *const *names,
                              size_t n, size_t **out, size_t *count,
                              ps_error *err)
{
    *out = NULL;
    *count = 0;
    if (sc->ntargets == 0)
        return ps_error_set(err, PS_ERR_DATA, sc->path, 0, 0,
                            "the scenario has no targets: there is no "
                            "probability to estimate (add 'targets:')");
    size_t m = n ? n : sc->ntargets;
    size_t *idx = malloc(m * sizeof *idx);
    if (!idx)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < m; k++) {
        if (n == 0) {
            idx[k] = k;
            continue;
        }
        size_t i = 0;
        while (i < sc->ntargets && strcmp(sc->targets[i].name, names[k]) != 0)
            i++;
        ps_status st = PS_OK;
        char list[512];
        if (i == sc->ntargets) {
            list_targets(sc, list, sizeof list);
            const char *near = ps_scenario_nearest_target(sc, names[k]);
            st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                              "the scenario has no target '%s' (its "
                              "targets: %s)%s%s%s",
                              names[k], list, near ? "; did you mean '" : "",
                              near ? near : "", near ? "'?" : "");
        }
        for (size_t j = 0; j < k && st == PS_OK; j++)
            if (idx[j] == i)
                st = ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                  "target '%s' is asked for twice", names[k]);
        if (st != PS_OK) {
            free(idx);
            return st;
        }
        idx[k] = i;
    }
    *out = idx;
    *count = m;
    return PS_OK;
}
