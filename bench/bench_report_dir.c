/*
 * plansim-bench: the cost of a report of the flagship scenario, the whole
 * command as a report writer runs it:
 *
 *   plansim run scenarios/plan.yaml --output plan.h5 -q      (not timed)
 *   plansim report plan.h5 --output DIR                      (timed)
 *
 * with the scenario's own 2,000 runs (--quick: 200, one repetition).  The
 * report is timed three times from start to exit as a child process; the
 * figure is the median seconds, the charts written (each as SVG, PNG at
 * twice its size and PDF, besides the tables, index.html and the
 * workbook) and charts per second.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "bench_list.h"

enum { REPEATS = 3 };

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* The number of charts (NAME.svg) in the report folder `dir`. */
static int count_charts(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".svg") == 0)
            n++;
    }
    closedir(d);
    return n;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Makes the ensemble file and times the report in the folder `work`. */
static int measure(const bench_options *o, const char *work)
{
    char h5[4200], out[4200];
    snprintf(h5, sizeof h5, "%s/plan.h5", work);
    snprintf(out, sizeof out, "%s/report", work);
    char *run[] = {(char *)PLANSIM_BENCH_PLANSIM,
                   "run",
                   (char *)PLANSIM_BENCH_FLAGSHIP,
                   "--runs",
                   o->quick ? "200" : "2000",
                   "--output",
                   h5,
                   "-q",
                   NULL};
    int rc = bench_spawn_wait(run, "/dev/null", "/dev/null");
    if (rc != 0) {
        bench_fail("flagship", "plansim run exited with %d", rc);
        return -1;
    }
    /* --force: each repeat writes over the report of the one before. */
    char *report[] = {(char *)PLANSIM_BENCH_PLANSIM,
                      "report",
                      h5,
                      "--output",
                      out,
                      "--force",
                      NULL};
    int repeats = o->quick ? 1 : REPEATS;
    double seconds[REPEATS];
    for (int i = 0; i < repeats; i++) {
        double start = bench_now_ns();
        rc = bench_spawn_wait(report, "/dev/null", "/dev/null");
        seconds[i] = (bench_now_ns() - start) / 1e9;
        if (rc != 0) {
            bench_fail("flagship", "plansim report exited with %d", rc);
            return -1;
        }
    }
    qsort(seconds, (size_t)repeats, sizeof seconds[0], compare_doubles);
    double median = seconds[repeats / 2];
    int charts = count_charts(out);
    bench_row("flagship",
              "report  %s runs, %d charts  %7.2f s  %7.1f charts/s   (the "
              "whole command: tables, SVG, PNG and PDF charts, index.html, "
              "report.xlsx; median of %d)",
              o->quick ? "200" : "2000", charts, median,
              charts > 0 ? charts / median : 0.0, repeats);
    return 0;
}

BENCH_IMPL(report)
{
    const char *tmp = getenv("TMPDIR");
    char work[4096];
    snprintf(work, sizeof work, "%s/plansim-bench-report-XXXXXX",
             tmp && *tmp ? tmp : P_tmpdir);
    if (!mkdtemp(work)) {
        bench_fail("flagship", "cannot make a temporary folder: %s",
                   strerror(errno));
        return -1;
    }
    int rc = measure(o, work);
    nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
