/*
 * The progress bar of long runs (see progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_begin(progress_bar *bar, int want, size_t total)
{
    const char *term = getenv("TERM");
    memset(bar, 0, sizeof *bar);
    bar->want = want;
    bar->enabled =
        want && isatty(STDERR_FILENO) && !(term && strcmp(term, "dumb") == 0);
    bar->total = total;
    bar->start = now();
}

/* "1h02m", "3m05s" or "12s". */
static void format_duration(double s, char *buf, size_t size)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, size, "%ldh%02ldm", t / 3600, t % 3600 / 60);
    else if (t >= 60)
        snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, size, "%lds", t);
}

void progress_update(size_t done, size_t total, void *ctx)
{
    progress_bar *bar = ctx;
    if (!bar->enabled)
        return;
    double t = now();
    if (done < total && t - bar->last_draw < 0.2)
        return;
    bar->last_draw = t;
    double elapsed = t - bar->start;
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    char left[32] = "?";
    if (rate > 0)
        format_duration((double)(total - done) / rate, left, sizeof left);
    enum { WIDTH = 30 };
    int filled =
        total ? (int)((double)WIDTH * (double)done / (double)total) : 0;
    char cells[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++)
        cells[i] = i < filled ? '#' : '.';
    cells[WIDTH] = '\0';
    fprintf(stderr, "\r[%s] %zu/%zu runs  %.0f runs/s  %s left \033[K", cells,
            done, total, rate, left);
    fflush(stderr);
}

void progress_stage(progress_bar *bar, double fraction, const char *what)
{
    if (!bar->enabled)
        return;
    double t = now();
    bar->last_draw = t;
    char took[32];
    format_duration(t - bar->start, took, sizeof took);
    if (fraction != fraction) { /* NaN */
        fprintf(stderr, "\r%s  %s \033[K", what, took);
    } else {
        enum { WIDTH = 20 };
        int filled = (int)((double)WIDTH * fraction + 0.5);
        char cells[WIDTH + 1];
        for (int i = 0; i < WIDTH; i++)
            cells[i] = i < filled ? '#' : '.';
        cells[WIDTH] = '\0';
        fprintf(stderr, "\r[%s] %s  %s \033[K", cells, what, took);
    }
    fflush(stderr);
}

void progress_end(progress_bar *bar)
{
    if (bar->enabled) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

static void study_begin(void *ctx, size_t total)
{
    progress_bar *bar = ctx;
    progress_begin(bar, bar->want, total);
}

static void study_stage(void *ctx, double fraction, const char *what)
{
    progress_stage(ctx, fraction, what);
}

static void study_end(void *ctx)
{
    progress_end(ctx);
}

study_progress progress_for_study(progress_bar *bar, int want)
{
    bar->want = want;
    bar->enabled = 0;
    return (study_progress){study_begin, progress_update, study_stage,
                            study_end, bar};
}
