/*
 * plansim-bench: peak memory of an ensemble of 10,000 runs against one of
 * 100,000 (--quick: 1,000 and 10,000), each written to an uncompressed
 * HDF5 file as the command line writes it.  An ensemble keeps a bounded
 * pool of blocks and takes its inputs from fill_inputs, so nothing should
 * grow with the number of runs: the ratio of the two peaks should be near
 * 1.
 *
 * Each ensemble runs in a child process, whose peak resident set size the
 * parent reads from wait4() (ru_maxrss).  The child is this program run
 * again (fork, then exec with --memory-child), not a bare fork: a forked
 * child cannot use OpenMP once its parent has (GNU libgomp waits forever
 * for the parent's threads), and a fresh process measures what a real
 * ensemble command needs.  A third child that only compiles the model
 * gives the floor: Linux counts the memory the child had before exec
 * (the parent's, at the fork) into its peak.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_list.h"

typedef struct plan {
    size_t small, large;
} plan;

static const plan full_plan = {10000, 100000};
static const plan quick_plan = {1000, 10000};

int bench_memory_child(const bench_options *o, size_t nruns, const char *path)
{
    /* nruns 0: the floor, a child that compiles the model and stops. */
    if (nruns == 0) {
        const bench_model *m = bench_model_find("economy50");
        ps_program *prog = NULL;
        ps_status st = m ? bench_model_compile(o, m, &prog) : PS_ERR_INTERNAL;
        ps_program_free(&prog);
        return st == PS_OK ? 0 : 1;
    }
    bench_mc mc;
    if (bench_mc_open(o, BENCH_MC_SAVE_KEY, &mc) != 0)
        return 1;
    ps_ensemble_spec spec = bench_mc_spec(&mc, nruns, 0);
    ps_ensemble_report rep;
    ps_error err;
    ps_error_clear(&err);
    double ns;
    int rc = 0;
    if (bench_mc_write_h5(&mc, &spec, path, 0, &ns, &rep, &err) != PS_OK) {
        ps_error_print(stderr, &err);
        rc = 1;
    } else if (rep.failed > 0 || rep.done != nruns) {
        fprintf(stderr, "plansim-bench: %zu of %zu runs written, %zu failed\n",
                rep.done, nruns, rep.failed);
        rc = 1;
    }
    /* The file was only a place to write to: the next child makes its own
       (a .partial is created only where none exists). */
    char partial[4300];
    snprintf(partial, sizeof partial, "%s.partial", path);
    remove(partial);
    bench_mc_close(&mc);
    return rc;
}

/* Runs `plansim-bench --memory-child nruns path` and waits for it: its
   peak resident set size in KiB, or -1 after a FAIL line. */
static long child_peak_kib(const bench_options *o, size_t nruns,
                           const char *path)
{
    char runs[32];
    snprintf(runs, sizeof runs, "%zu", nruns);
    char *const args[] = {(char *)o->argv0,
                          "--models",
                          (char *)o->models_dir,
                          "--memory-child",
                          runs,
                          (char *)path,
                          NULL};
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        bench_fail("economy50", "cannot start a child process");
        return -1;
    }
    if (pid == 0) {
        /* Linux names the running program here, wherever it was started
           from; elsewhere the name it was started by. */
        execv("/proc/self/exe", args);
        execvp(o->argv0, args);
        _exit(127);
    }
    int status;
    struct rusage ru;
    pid_t got;
    do
        got = wait4(pid, &status, 0, &ru);
    while (got < 0 && errno == EINTR);
    if (got != pid) {
        bench_fail("economy50", "cannot wait for the child process");
        return -1;
    }
    if (WIFSIGNALED(status)) {
        bench_fail("economy50",
                   "the child process for %zu runs was killed "
                   "by signal %d",
                   nruns, WTERMSIG(status));
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        /* 127: it could not be started (see execv above). */
        bench_fail("economy50",
                   "the child process for %zu runs failed "
                   "(exit status %d)",
                   nruns, WEXITSTATUS(status));
        return -1;
    }
    return ru.ru_maxrss;
}

BENCH_IMPL(memory)
{
    const plan *pl = o->quick ? &quick_plan : &full_plan;
    /* The children's ensemble, to describe it (and to fail early, with
       the reason, when the model is broken). */
    bench_mc mc;
    if (bench_mc_open(o, BENCH_MC_SAVE_KEY, &mc) != 0)
        return 1;
    size_t nsave = mc.nsave, ntimes = mc.ntimes;
    bench_mc_close(&mc);
    char dir[4096], path[4200];
    if (bench_tmpdir_make(dir, sizeof dir) != 0) {
        bench_fail("economy50", "no temporary folder for the files");
        return 1;
    }
    snprintf(path, sizeof path, "%s/memory.nc", dir);
    long floor_kib = child_peak_kib(o, 0, path), small = -1, large = -1;
    if (floor_kib >= 0)
        small = child_peak_kib(o, pl->small, path);
    if (small >= 0)
        large = child_peak_kib(o, pl->large, path);
    bench_tmpdir_remove(dir);
    if (large < 0)
        return 1;
    bench_row("economy50",
              "peak RSS %7zu runs %7.1f MiB   %7zu runs %7.1f MiB   ratio "
              "%5.2fx   (uncompressed HDF5 file, %zu variables x %zu "
              "times saved; a child that only compiles the model: %.1f "
              "MiB)",
              pl->small, small / 1024.0, pl->large, large / 1024.0,
              (double)large / (double)small, nsave, ntimes, floor_kib / 1024.0);
    return 0;
}
