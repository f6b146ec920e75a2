/*
 * plansim-bench: the cost of a Sobol' analysis of the flagship scenario,
 * the whole command as an analyst runs it:
 *
 *   plansim sensitivity scenarios/plan.yaml --method sobol --samples N -q
 *
 * (N = 512, --quick: 32), run as a child process and timed from start to
 * exit; the figure is runs (N(k+2), read from the command's own report),
 * seconds, and runs per second.  The analysis itself lives in the command
 * line (scenario files, designs, ensembles, indices), hence a process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_list.h"

/* The run count the command states on stderr ("... = 13824 runs"). */
static long stated_runs(const char *errfile)
{
    FILE *f = fopen(errfile, "r");
    if (!f)
        return -1;
    char line[1024];
    long runs = -1;
    while (fgets(line, sizeof line, f)) {
        char *eq = strstr(line, ") = ");
        if (eq && strstr(eq, " runs"))
            runs = strtol(eq + 4, NULL, 10);
    }
    fclose(f);
    return runs;
}

BENCH_IMPL(sobol)
{
    const char *samples = o->quick ? "32" : "512";
    const char *tmp = getenv("TMPDIR");
    char errfile[4096];
    snprintf(errfile, sizeof errfile, "%s/plansim-bench-sobol-XXXXXX",
             tmp && *tmp ? tmp : P_tmpdir);
    int fd = mkstemp(errfile);
    if (fd < 0) {
        bench_fail("flagship", "cannot make a temporary file: %s",
                   strerror(errno));
        return -1;
    }
    close(fd);
    char *argv[] = {(char *)PLANSIM_BENCH_PLANSIM,
                    "sensitivity",
                    (char *)PLANSIM_BENCH_FLAGSHIP,
                    "--method",
                    "sobol",
                    "--samples",
                    (char *)samples,
                    "--bootstrap",
                    "1000",
                    NULL};
    double start = bench_now_ns();
    int rc = bench_spawn_wait(argv, "/dev/null", errfile);
    double seconds = (bench_now_ns() - start) / 1e9;
    long runs = stated_runs(errfile);
    unlink(errfile);
    if (rc != 0 || runs <= 0) {
        bench_fail("flagship", "plansim sensitivity exited with %d", rc);
        return -1;
    }
    bench_row("flagship",
              "sobol   N = %s, %ld runs  %7.2f s  %9.0f runs/s   (the whole "
              "command: design, ensemble, indices, 1000 bootstrap resamples)",
              samples, runs, seconds, (double)runs / seconds);
    return 0;
}
