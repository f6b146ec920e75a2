/*
 * plansim-bench: the flagship ensemble end to end, as users run it:
 *
 *   plansim run scenarios/plan.yaml --runs N --threads T --timings -q -o F
 *
 * each in its own child process (so peak memories do not mix: wait4 gives
 * the child's own), at 10,000, 100,000 and 200,000 runs (--million: also
 * 1,000,000; --quick: 1,000 and 4,000), on 1 and 2 threads.  Per row:
 * runs per second from start to exit (reading the scenario, drawing the
 * inputs, the runs, writing, the summary), peak resident memory, and the
 * phases the command reports with --timings (inputs and model summed over
 * threads; writing and summary on the writer's thread).  The performance
 * goals are printed against the figures, never asserted, with the
 * machine's load average before and after.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_list.h"

typedef struct flagship_row {
    size_t runs;
    int threads;
    double seconds;
    long rss_kib;
    double inputs, model, writing, summary; /* --timings, seconds */
} flagship_row;

/* The 1-minute load average, or -1. */
static double load_average(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double load = -1.0;
    if (f) {
        if (fscanf(f, "%lf", &load) != 1)
            load = -1.0;
        fclose(f);
    }
    return load;
}

/* The phases from the command's "timings: ..." line on stderr. */
static int read_timings(const char *errfile, flagship_row *row)
{
    FILE *f = fopen(errfile, "r");
    if (!f)
        return -1;
    char line[1024];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line,
                   "timings: inputs %lf s, model %lf s (summed over "
                   "threads), writing %lf s, summary %lf s",
                   &row->inputs, &row->model, &row->writing,
                   &row->summary) == 4)
            found = 0;
    }
    fclose(f);
    return found;
}

/* Runs the flagship once into dir/flagship.h5 (removed afterwards). */
static int run_once(const char *dir, flagship_row *row)
{
    char runs[32], threads[16], out[4096 + 32], errfile[4096 + 32];
    snprintf(runs, sizeof runs, "%zu", row->runs);
    snprintf(threads, sizeof threads, "%d", row->threads);
    snprintf(out, sizeof out, "%s/flagship.h5", dir);
    snprintf(errfile, sizeof errfile, "%s/stderr", dir);
    char *argv[] = {(char *)PLANSIM_BENCH_PLANSIM,
                    "run",
                    (char *)PLANSIM_BENCH_FLAGSHIP,
                    "--runs",
                    runs,
                    "--threads",
                    threads,
                    "--timings",
                    "-q",
                    "-o",
                    out,
                    NULL};
    double start = bench_now_ns();
    int rc = bench_spawn_wait_rss(argv, "/dev/null", errfile, &row->rss_kib);
    row->seconds = (bench_now_ns() - start) / 1e9;
    unlink(out);
    if (rc != 0) {
        bench_fail("flagship",
                   "plansim run --runs %zu --threads %d exited "
                   "with %d",
                   row->runs, row->threads, rc);
        unlink(errfile);
        return -1;
    }
    int trc = read_timings(errfile, row);
    unlink(errfile);
    if (trc != 0) {
        bench_fail("flagship", "plansim run printed no timings");
        return -1;
    }
    return 0;
}

static const flagship_row *find_row(const flagship_row *rows, size_t n,
                                    size_t runs, int threads)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].runs == runs && rows[i].threads == threads)
            return &rows[i];
    return NULL;
}

static void print_goals(const flagship_row *rows, size_t n, size_t small,
                        size_t speed, size_t big)
{
    const flagship_row *s1 = find_row(rows, n, speed, 1);
    const flagship_row *s2 = find_row(rows, n, speed, 2);
    if (s1 && s2)
        bench_row("flagship",
                  "goal    2 threads >= 1.85x 1 thread at %zu runs: %.2fx  "
                  "%s",
                  speed, s1->seconds / s2->seconds,
                  s1->seconds / s2->seconds >= 1.85 ? "met" : "not met");
    const flagship_row *b = find_row(rows, n, big, 2);
    if (b && big == 1000000)
        bench_row("flagship",
                  "goal    1,000,000 runs in under 60 s: %.1f s (2 threads)  "
                  "%s",
                  b->seconds, b->seconds < 60.0 ? "met" : "not met");
    double peak_small = 0, peak_big = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].runs == small && rows[i].rss_kib > peak_small)
            peak_small = (double)rows[i].rss_kib;
        if (rows[i].runs == big && rows[i].rss_kib > peak_big)
            peak_big = (double)rows[i].rss_kib;
    }
    if (peak_small > 0 && peak_big > 0)
        bench_row("flagship",
                  "goal    peak memory at %zu runs <= 1.1x that at %zu: "
                  "%.2fx (%.1f MiB against %.1f MiB)  %s",
                  big, small, peak_big / peak_small, peak_big / 1024.0,
                  peak_small / 1024.0,
                  peak_big <= 1.1 * peak_small ? "met" : "not met");
}

BENCH_IMPL(flagship)
{
    static const size_t quick_sizes[] = {1000, 4000};
    static const size_t full_sizes[] = {10000, 100000, 200000, 1000000};
    const size_t *sizes = o->quick ? quick_sizes : full_sizes;
    size_t nsizes = o->quick ? 2 : o->million ? 4 : 3;
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/plansim-bench-flagship-XXXXXX",
             tmp && *tmp ? tmp : P_tmpdir);
    if (!mkdtemp(dir)) {
        bench_fail("flagship", "cannot make a temporary folder: %s",
                   strerror(errno));
        return -1;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    double load_before = load_average();
    flagship_row rows[8];
    size_t n = 0;
    int rc = 0;
    for (size_t s = 0; s < nsizes && rc == 0; s++) {
        for (int t = 1; t <= 2 && rc == 0; t++) {
            flagship_row *row = &rows[n];
            memset(row, 0, sizeof *row);
            row->runs = sizes[s];
            row->threads = t;
            rc = run_once(dir, row);
            if (rc != 0)
                break;
            n++;
            bench_row("flagship",
                      "%8zu runs  %d thread%s %8.0f runs/s %8.2f s  peak "
                      "%7.1f MiB   inputs %6.2f s  model %7.2f s  writing "
                      "%5.2f s  summary %5.2f s",
                      row->runs, t, t > 1 ? "s" : " ",
                      (double)row->runs / row->seconds, row->seconds,
                      (double)row->rss_kib / 1024.0, row->inputs, row->model,
                      row->writing, row->summary);
        }
    }
    rmdir(dir);
    if (rc != 0)
        return rc;
    print_goals(rows, n, sizes[0], o->quick ? sizes[1] : 200000,
                sizes[nsizes - 1]);
    bench_row("flagship",
              "(%ld cores online; load average %.2f before, %.2f after; "
              "inputs and model are thread-seconds)",
              cores, load_before, load_average());
    return 0;
}
