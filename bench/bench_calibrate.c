/*
 * plansim-bench: the cost of calibrating the flagship model on 2015-2021,
 * the whole command as an analyst runs it:
 *
 *   plansim calibrate scenarios/calibrate_2015.yaml --threads T -q
 *
 * (1000 particles, --quick: 200), run as a child process and timed from
 * start to exit, at 1 and 2 threads interleaved (1, 2, 1, 2, ...: the
 * machine's noise falls on both alike).  The figures: model runs (read
 * from the command's own table), seconds (the median of the repeats),
 * runs per second, and the 2-thread speed-up.  The two posteriors' tables
 * must be the same bytes: calibration is reproducible at any thread
 * count, and a speed-up between different answers means nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_list.h"

/* The "runs" figure of the command's CSV table; -1 when missing. */
static long table_runs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[1024];
    long runs = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "calibration,", 12) == 0 && strstr(line, ",runs,"))
            runs = strtol(strstr(line, ",runs,") + 6, NULL, 10);
    fclose(f);
    return runs;
}

/* Whether two files hold the same bytes. */
static int same_bytes(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = fgetc(fa), cb = fgetc(fb);
        same = ca == cb;
        if (ca == EOF || cb == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

BENCH_IMPL(calibrate)
{
    const char *particles = o->quick ? "200" : "1000";
    int repeats = o->quick ? 1 : 3;
    char dir[4096];
    if (bench_tmpdir_make(dir, sizeof dir) != 0) {
        bench_fail("flagship", "cannot make a temporary folder");
        return -1;
    }
    double seconds[2][3];
    long runs[2] = {-1, -1};
    char out[2][4200], post[4200], err[4200];
    snprintf(err, sizeof err, "%s/err", dir);
    int rc = 0;
    for (int rep = 0; rep < repeats && rc == 0; rep++)
        for (int t = 0; t < 2 && rc == 0; t++) {
            snprintf(out[t], sizeof out[t], "%s/table%d.csv", dir, t + 1);
            snprintf(post, sizeof post, "%s/post%d.h5", dir, t + 1);
            char threads[8];
            snprintf(threads, sizeof threads, "%d", t + 1);
            char *argv[] = {(char *)PLANSIM_BENCH_PLANSIM,
                            "calibrate",
                            (char *)PLANSIM_BENCH_CALIBRATION,
                            "--particles",
                            (char *)particles,
                            "--threads",
                            threads,
                            "--output",
                            post,
                            "--format",
                            "csv",
                            "-q",
                            "--force", /* over the repeat before */
                            NULL};
            double start = bench_now_ns();
            rc = bench_spawn_wait(argv, out[t], err);
            seconds[t][rep] = (bench_now_ns() - start) / 1e9;
            runs[t] = table_runs(out[t]);
        }
    int same = rc == 0 && same_bytes(out[0], out[1]);
    bench_tmpdir_remove(dir);
    if (rc != 0 || runs[0] <= 0) {
        bench_fail("flagship", "plansim calibrate exited with %d", rc);
        return -1;
    }
    if (!same) {
        bench_fail("flagship", "the posterior differs at 1 and 2 threads");
        return -1;
    }
    bench_figure f1, f2;
    bench_summarize(seconds[0], (size_t)repeats, &f1);
    bench_summarize(seconds[1], (size_t)repeats, &f2);
    bench_row("flagship",
              "calibrate  %s particles, %ld runs  1 thread %6.2f s "
              "%7.0f runs/s  2 threads %6.2f s %7.0f runs/s  speed-up %.2f  "
              "(the whole command: SMC, predictive check, posterior file)",
              particles, runs[0], f1.ns, (double)runs[0] / f1.ns, f2.ns,
              (double)runs[1] / f2.ns, f1.ns / f2.ns);
    return 0;
}
