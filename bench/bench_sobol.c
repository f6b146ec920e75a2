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
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_list.h"

extern char **environ;

/* Runs argv with stderr into `errfile`; returns its exit status or -1. */
static int spawn_wait(char *const argv[], const char *errfile)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null",
                                     O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, errfile,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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
    int rc = spawn_wait(argv, errfile);
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
