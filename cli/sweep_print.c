/*
 * `plansim sweep`'s surface printed (sweep_print.h).
 */
#include "sweep_print.h"

#include <math.h>
#include <string.h>

#include "plansim/utf8.h"
#include "plansim_output/h5.h"
#include "plansim_output/prob_text.h"

/* ------------------------------------------------------------ the table */

static void pad(FILE *out, const char *text, size_t width, int right)
{
    size_t w = ps_utf8_width(text);
    if (right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
    fputs(text, out);
    if (!right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
}

/* The one rounding rule for probabilities (plansim_output/prob_text.h). */
static void format_p(double p, char *buf, size_t size)
{
    ps_prob_text(p, PS_PROB_DECIMAL, buf, size);
}

/* One lever: a row per target, a column per value. */
static void print_one_lever(FILE *out, const sweep_view *v,
                            const sweep_surface *s)
{
    size_t w0 = ps_utf8_width(v->run->varied[0].name) + 4;
    for (size_t k = 0; k < s->ntargets; k++) {
        size_t w = ps_utf8_width(v->run->sc->targets[v->targets[k]].name);
        if (w > w0)
            w0 = w;
    }
    char cell[64];
    size_t wc = 6;
    for (size_t i = 0; i < v->axes[0].steps; i++) {
        snprintf(cell, sizeof cell, "%g", grid_axis_value(&v->axes[0], i));
        if (strlen(cell) > wc)
            wc = strlen(cell);
    }
    char head[256];
    snprintf(head, sizeof head, "P \\ %s", v->run->varied[0].name);
    pad(out, head, w0, 0);
    for (size_t i = 0; i < v->axes[0].steps; i++) {
        snprintf(cell, sizeof cell, "%g", grid_axis_value(&v->axes[0], i));
        fputs("  ", out);
        pad(out, cell, wc, 1);
    }
    fputc('\n', out);
    for (size_t k = 0; k < s->ntargets; k++) {
        pad(out, v->run->sc->targets[v->targets[k]].name, w0, 0);
        for (size_t i = 0; i < s->npoints; i++) {
            format_p(s->p[k * s->npoints + i], cell, sizeof cell);
            fputs("  ", out);
            pad(out, cell, wc, 1);
        }
        fputc('\n', out);
    }
}

/* Two levers: per target a matrix, the first lever down. */
static void print_two_levers(FILE *out, const sweep_view *v,
                             const sweep_surface *s)
{
    const grid_axis *x = &v->axes[0], *y = &v->axes[1];
    char cell[64], head[256];
    snprintf(head, sizeof head, "%s \\ %s", v->run->varied[0].name,
             v->run->varied[1].name);
    size_t w0 = ps_utf8_width(head);
    size_t wc = 6;
    for (size_t j = 0; j < y->steps; j++) {
        snprintf(cell, sizeof cell, "%g", grid_axis_value(y, j));
        if (strlen(cell) > wc)
            wc = strlen(cell);
    }
    for (size_t i = 0; i < x->steps; i++) {
        snprintf(cell, sizeof cell, "%g", grid_axis_value(x, i));
        if (strlen(cell) > w0)
            w0 = strlen(cell);
    }
    for (size_t k = 0; k < s->ntargets; k++) {
        const ps_sc_target *t = &v->run->sc->targets[v->targets[k]];
        fprintf(out, "%s%s%s%s\n", k ? "\n" : "", t->name, t->label ? "  " : "",
                t->label ? t->label : "");
        pad(out, head, w0, 0);
        for (size_t j = 0; j < y->steps; j++) {
            snprintf(cell, sizeof cell, "%g", grid_axis_value(y, j));
            fputs("  ", out);
            pad(out, cell, wc, 1);
        }
        fputc('\n', out);
        for (size_t i = 0; i < x->steps; i++) {
            snprintf(cell, sizeof cell, "%g", grid_axis_value(x, i));
            pad(out, cell, w0, 1);
            for (size_t j = 0; j < y->steps; j++) {
                format_p(s->p[k * s->npoints + i * y->steps + j], cell,
                         sizeof cell);
                fputs("  ", out);
                pad(out, cell, wc, 1);
            }
            fputc('\n', out);
        }
    }
}

/* More levers: per target a row per grid point. */
static void print_many_levers(FILE *out, const sweep_view *v,
                              const sweep_surface *s)
{
    double values[GRID_MAX_AXES];
    char cell[64];
    for (size_t k = 0; k < s->ntargets; k++) {
        const ps_sc_target *t = &v->run->sc->targets[v->targets[k]];
        fprintf(out, "%s%s%s%s\n", k ? "\n" : "", t->name, t->label ? "  " : "",
                t->label ? t->label : "");
        for (size_t i = 0; i < v->naxes; i++)
            fprintf(out, "%s%s", i ? "  " : "", v->run->varied[i].name);
        fputs("  P      95% interval\n", out);
        for (size_t pt = 0; pt < s->npoints; pt++) {
            grid_point(v->axes, v->naxes, pt, values);
            for (size_t i = 0; i < v->naxes; i++) {
                snprintf(cell, sizeof cell, "%g", values[i]);
                if (i)
                    fputs("  ", out);
                pad(out, cell, ps_utf8_width(v->run->varied[i].name), 1);
            }
            size_t at = k * s->npoints + pt;
            char lo[32], hi[32];
            format_p(s->p[at], cell, sizeof cell);
            format_p(s->lo[at], lo, sizeof lo);
            format_p(s->hi[at], hi, sizeof hi);
            fprintf(out, "  %-5s  [%s, %s]\n", cell, lo, hi);
        }
    }
}

void sweep_print_table(FILE *out, const sweep_view *v, const sweep_surface *s)
{
    if (v->run->sc->title)
        fprintf(out, "%s\n\n", v->run->sc->title);
    fprintf(out,
            "Probability of each target: %zu grid points x %zu runs (seed "
            "%llu), the same inputs at every point\n\n",
            s->npoints, v->nruns, (unsigned long long)v->seed);
    if (v->naxes == 1)
        print_one_lever(out, v, s);
    else if (v->naxes == 2)
        print_two_levers(out, v, s);
    else
        print_many_levers(out, v, s);
    double widest = 0;
    for (size_t i = 0; i < s->ntargets * s->npoints; i++)
        if (s->hi[i] - s->lo[i] > widest)
            widest = s->hi[i] - s->lo[i];
    fprintf(out, "\n95 %% Wilson intervals are at most %.3f wide", widest);
    for (size_t i = 0; i < v->run->nvaried; i++)
        if (v->run->varied[i].path_varies)
            fprintf(out,
                    "; %s takes one value in every year (its path is "
                    "set aside)",
                    v->run->varied[i].name);
    fputs(".\n", out);
}

ps_status sweep_print_json(FILE *out, const sweep_view *v,
                           const sweep_surface *s, ps_error *err)
{
    sweep_h5 h;
    ps_status st = sweep_h5_make(&h, v, s, NULL, err);
    if (st == PS_OK)
        st = ps_h5_sweep_print_json(out, &h.sw, err);
    sweep_h5_free(&h);
    return st;
}
