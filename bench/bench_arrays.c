/*
 * plansim-bench: an equation over a 2,000-element range against the same
 * model written as 2,000 scalar copies of each equation.
 *
 *   e: (e1-e2000)
 *   rate[e] = <2,000 numbers>          level[e] = INTEG(inflow[e], 1)
 *   gap[e] = target - level[e]         inflow[e] = rate[e] * gap[e]
 *
 * The scalar twin names each element "level e17" and so on.  Both run the
 * same arithmetic in the same order and must end bit-identical (checked
 * before timing).  The two are timed in alternation, A B A B ..., so a
 * busy moment of the machine falls on both; the figure is ns per element
 * equation per step (6,000 element equations a step) and the ratio array
 * / scalar: the array form must be no slower.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_list.h"
#include "plansim/mdl.h"

#define ELEMENTS 2000

/* The rate of element i: a few decimals, stated exactly in the text. */
static double rate_of(size_t i)
{
    return 0.001 * (double)(1 + i % 97);
}

/* Appends printf output to the growing text t (size *cap, used *len). */
static int put(char **t, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int put(char **t, size_t *len, size_t *cap, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(*t + *len, *cap - *len, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -1;
        if ((size_t)n < *cap - *len) {
            *len += (size_t)n;
            return 0;
        }
        size_t ncap = 2 * *cap + (size_t)n;
        char *nt = realloc(*t, ncap);
        if (!nt)
            return -1;
        *t = nt;
        *cap = ncap;
    }
}

#define CONTROL                                                              \
    "target = 10 ~ ~ |\n"                                                    \
    "INITIAL TIME = 0 ~ Year ~ |\nFINAL TIME = 10 ~ Year ~ |\n"              \
    "TIME STEP = 0.25 ~ Year ~ |\nSAVEPER = TIME STEP ~ Year ~ |\n"

static char *array_text(void)
{
    size_t len = 0, cap = 1 << 16;
    char *t = malloc(cap);
    int rc = t ? 0 : -1;
    if (rc == 0)
        rc = put(&t, &len, &cap, "e: (e1-e%d) ~ ~ |\nrate[e] = ", ELEMENTS);
    for (size_t i = 0; rc == 0 && i < ELEMENTS; i++)
        rc = put(&t, &len, &cap, "%s%.3f", i ? ", " : "", rate_of(i));
    if (rc == 0)
        rc = put(&t, &len, &cap,
                 " ~ ~ |\n"
                 "level[e] = INTEG(inflow[e], 1) ~ ~ |\n"
                 "gap[e] = target - level[e] ~ ~ |\n"
                 "inflow[e] = rate[e] * gap[e] ~ ~ |\n" CONTROL);
    if (rc != 0) {
        free(t);
        return NULL;
    }
    return t;
}

static char *scalar_text(void)
{
    size_t len = 0, cap = 1 << 18;
    char *t = malloc(cap);
    int rc = t ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < ELEMENTS; i++)
        rc = put(&t, &len, &cap,
                 "rate e%zu = %.3f ~ ~ |\n"
                 "level e%zu = INTEG(inflow e%zu, 1) ~ ~ |\n"
                 "gap e%zu = target - level e%zu ~ ~ |\n"
                 "inflow e%zu = rate e%zu * gap e%zu ~ ~ |\n",
                 i + 1, rate_of(i), i + 1, i + 1, i + 1, i + 1, i + 1, i + 1,
                 i + 1);
    if (rc == 0)
        rc = put(&t, &len, &cap, CONTROL);
    if (rc != 0) {
        free(t);
        return NULL;
    }
    return t;
}

static ps_program *compile(const char *name, char *text)
{
    ps_model *m = NULL;
    ps_program *p = NULL;
    ps_error err;
    ps_status st = text ? ps_mdl_parse(text, strlen(text), name, &m, &err)
                        : PS_ERR_NOMEM;
    if (st == PS_OK)
        st = ps_program_compile(m, &p, &err);
    if (st != PS_OK && text)
        ps_error_print(stderr, &err);
    ps_model_free(&m);
    free(text);
    return p;
}

/* One sweep over the horizon; its ns, or -1. */
static double sweep(engine_loop *l)
{
    if (engine_loop_restart(l) != 0)
        return -1;
    double start = bench_now_ns();
    if (engine_loop_steps(l) != 0)
        return -1;
    return bench_now_ns() - start;
}

/* The final levels of both runs agree bit for bit. */
static int same_results(engine_loop *a, engine_loop *s)
{
    if (sweep(a) < 0 || sweep(s) < 0 || engine_loop_finish(a) != 0 ||
        engine_loop_finish(s) != 0)
        return 0;
    size_t na = ps_instance_dim(a->inst), ns = ps_instance_dim(s->inst);
    if (na != ELEMENTS || ns != ELEMENTS)
        return 0;
    const double *ya = ps_instance_stocks(a->inst);
    const double *ys = ps_instance_stocks(s->inst);
    return memcmp(ya, ys, ELEMENTS * sizeof *ya) == 0;
}

BENCH_IMPL(arrays)
{
    ps_program *pa = compile("array2000.mdl", array_text());
    ps_program *ps = compile("scalar2000.mdl", scalar_text());
    engine_loop a = {0}, s = {0};
    int rc = 1;
    if (!pa || !ps) {
        bench_fail("arrays", "cannot compile the generated models");
        goto done;
    }
    if (engine_loop_open(&a, pa) != 0 || engine_loop_open(&s, ps) != 0) {
        bench_fail("arrays", "cannot start the runs");
        goto done;
    }
    if (!same_results(&a, &s)) {
        bench_fail("arrays", "the array and scalar forms disagree");
        goto done;
    }
    size_t reps = o->quick ? 3 : 41;
    double *ta = malloc(reps * sizeof *ta), *ts = malloc(reps * sizeof *ts);
    if (!ta || !ts) {
        free(ta);
        free(ts);
        bench_fail("arrays", "out of memory");
        goto done;
    }
    sweep(&a); /* warm-up */
    sweep(&s);
    double per = (double)a.nsteps * 3.0 * ELEMENTS;
    for (size_t r = 0; r < reps; r++) { /* A B A B ... */
        ta[r] = sweep(&a) / per;
        ts[r] = sweep(&s) / per;
    }
    bench_figure fa, fs;
    bench_summarize(ta, reps, &fa);
    bench_summarize(ts, reps, &fs);
    bench_row("array2000",
              "array %6.2f ns/eq   scalar %6.2f ns/eq   ratio %5.2fx   "
              "(%d elements x 3 equations, %llu steps, alternated; spread "
              "%.0f%%, %.0f%%)",
              fa.ns, fs.ns, fa.ns / fs.ns, ELEMENTS,
              (unsigned long long)a.nsteps, 100 * fa.spread,
              100 * fs.spread);
    free(ta);
    free(ts);
    rc = 0;
done:
    engine_loop_close(&a);
    engine_loop_close(&s);
    ps_program_free(&pa);
    ps_program_free(&ps);
    return rc;
}
