/*
 * Bisection on a step function, sharing evaluations between levels.
 */
#include "plansim_study/lever_root.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void ps_root_init(ps_root_solver *s, ps_root_fn f, void *ctx, double a,
                  double b, int largest, double tol)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    s->ctx = ctx;
    s->a = a;
    s->b = b;
    s->largest = largest;
    s->tol = tol;
}

void ps_root_free(ps_root_solver *s)
{
    free(s->pts);
    s->pts = NULL;
    s->n = s->cap = 0;
}

/* Is x nearer the worse end than y? */
static int before(const ps_root_solver *s, double x, double y)
{
    return s->largest ? x > y : x < y;
}

static int reaches(const ps_root_point *pt, double q)
{
    return pt->p >= q; /* NaN never does */
}

/* Evaluates x and keeps it in order; *at gets its index. */
static ps_status evaluate(ps_root_solver *s, double x, size_t *at,
                          ps_error *err)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->pts[i].x == x) {
            *at = i;
            return PS_OK;
        }
    if (s->max_evaluations && s->n >= s->max_evaluations)
        return ps_error_set(err, PS_ERR_DATA, NULL, 0, 0,
                            "no answer within %zu evaluations",
                            s->max_evaluations);
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        ps_root_point *p = realloc(s->pts, cap * sizeof *p);
        if (!p)
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        s->pts = p;
        s->cap = cap;
    }
    ps_root_point pt = {x, 0, 0, NAN};
    ps_status st = s->f(s->ctx, x, &pt.hits, &pt.runs, err);
    if (st != PS_OK)
        return st;
    if (pt.runs > 0)
        pt.p = (double)pt.hits / (double)pt.runs;
    size_t i = s->n;
    while (i > 0 && before(s, x, s->pts[i - 1].x)) {
        s->pts[i] = s->pts[i - 1];
        i--;
    }
    s->pts[i] = pt;
    s->n++;
    *at = i;
    return PS_OK;
}

ps_status ps_root_solve(ps_root_solver *s, double q, ps_root_result *out,
                        ps_error *err)
{
    double worse = s->largest ? s->b : s->a;
    double better = s->largest ? s->a : s->b;
    size_t i;
    ps_status st;
    if ((st = evaluate(s, worse, &i, err)) != PS_OK ||
        (st = evaluate(s, better, &i, err)) != PS_OK)
        return st;
    for (;;) {
        /* The first evaluation from the worse end that reaches q. */
        size_t k = 0;
        while (k < s->n && !reaches(&s->pts[k], q))
            k++;
        if (k == 0) {
            *out = (ps_root_result){PS_ROOT_EVERYWHERE, worse, NAN, s->pts[0]};
            return PS_OK;
        }
        if (k == s->n) {
            *out = (ps_root_result){PS_ROOT_NOWHERE, better, NAN,
                                    s->pts[s->n - 1]};
            return PS_OK;
        }
        double hit = s->pts[k].x, miss = s->pts[k - 1].x;
        double mid = miss + (hit - miss) / 2;
        /* Done at the tolerance, or when no double lies between. */
        if (fabs(hit - miss) <= s->tol || mid == hit || mid == miss) {
            *out = (ps_root_result){PS_ROOT_FOUND, hit, miss, s->pts[k]};
            return PS_OK;
        }
        if ((st = evaluate(s, mid, &i, err)) != PS_OK)
            return st;
    }
}

int ps_root_non_monotone(const ps_root_solver *s, const ps_root_point **first,
                         const ps_root_point **second)
{
    for (size_t i = 1; i < s->n; i++) {
        const ps_root_point *u = &s->pts[i - 1], *v = &s->pts[i];
        if (v->p < u->p) {
            *first = u;
            *second = v;
            return 1;
        }
    }
    return 0;
}

void ps_root_wilson(double p, double n, double *lo, double *hi)
{
    const double z = 1.959963984540054; /* the 97.5 % normal quantile */
    double z2n = z * z / n;
    double centre = (p + z2n / 2) / (1 + z2n);
    double half = z / (1 + z2n) * sqrt(p * (1 - p) / n + z2n / (4 * n));
    *lo = fmax(0.0, centre - half);
    *hi = fmin(1.0, centre + half);
}

ps_status ps_root_answer_for(ps_root_solver *s, double p, ps_root_answer *out,
                             ps_error *err)
{
    memset(out, 0, sizeof *out);
    out->qlo = out->qhi = NAN;
    ps_status st = ps_root_solve(s, p, &out->answer, err);
    if (st != PS_OK)
        return st;
    if (out->answer.outcome != PS_ROOT_NOWHERE) {
        ps_root_wilson(p, (double)out->answer.at.runs, &out->qlo, &out->qhi);
        if ((st = ps_root_solve(s, out->qlo, &out->ends[0], err)) != PS_OK ||
            (st = ps_root_solve(s, out->qhi, &out->ends[1], err)) != PS_OK)
            return st;
    }
    if (!ps_root_non_monotone(s, &out->before, &out->after))
        out->before = out->after = NULL;
    return PS_OK;
}
