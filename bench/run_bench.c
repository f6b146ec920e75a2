/*
 * plansim-bench: the runner.  Runs every benchmark of bench_list.h (or the
 * ones named on the command line) in registry order and prints their
 * figures as a table on stdout; notes go to stderr.
 *
 * Exit status: 0 when every benchmark ran, 1 when one printed a FAIL line
 * (the engine failed, or disagreed with a hand-coded model), 64 on a usage
 * error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "bench_list.h"

#ifndef PLANSIM_BENCH_MODELS_DIR
#define PLANSIM_BENCH_MODELS_DIR "models"
#endif
#ifndef PLANSIM_BENCH_BUILD_TYPE
#define PLANSIM_BENCH_BUILD_TYPE ""
#endif
#ifndef PLANSIM_BENCH_VERSION
#define PLANSIM_BENCH_VERSION ""
#endif

#define EXIT_USAGE 64

typedef struct bench_entry {
    const char *name;
    const char *summary;
    int (*run)(const bench_options *o);
} bench_entry;

static const bench_entry entries[] = {
#define BENCH_ENTRY(name, summary) {#name, summary, bench_run_##name},
    BENCH_LIST(BENCH_ENTRY)
#undef BENCH_ENTRY
};
#define NENTRIES (sizeof entries / sizeof entries[0])

static void usage(FILE *out)
{
    fputs("usage: plansim-bench [--quick] [--million] [--models DIR] [--list] "
          "[BENCHMARK...]\n",
          out);
}

static void help(void)
{
    usage(stdout);
    fputs("\n"
          "Measures the plansim engine and prints one line of figures per\n"
          "model and benchmark.  Figures are medians of timed repetitions.\n"
          "\n"
          "Options:\n"
          "  --quick       a short smoke run: few, short repetitions\n"
          "  --million     the flagship benchmark also at 1,000,000 runs\n"
          "  --models DIR  folder holding economy50.mdl\n"
          "  --list        list the benchmarks and exit\n"
          "  -h, --help    show this help and exit\n"
          "\n"
          "Exit status: 0 ran, 1 a benchmark failed, 64 usage error.\n",
          stdout);
}

static const bench_entry *find(const char *name)
{
    for (size_t i = 0; i < NENTRIES; i++)
        if (strcmp(entries[i].name, name) == 0)
            return &entries[i];
    return NULL;
}

/* Is this a build whose figures say something about speed? */
static int optimised_build(const char *type)
{
    return strcmp(type, "Release") == 0 ||
           strcmp(type, "RelWithDebInfo") == 0 ||
           strcmp(type, "MinSizeRel") == 0;
}

/* "--memory-child NRUNS PATH": the memory benchmark runs this program
   again in a child process with these arguments (not for people). */
static int memory_child(const bench_options *o, const char *runs,
                        const char *path)
{
    char *end;
    unsigned long long n = strtoull(runs, &end, 10);
    if (end == runs || *end != '\0') {
        fprintf(stderr,
                "plansim-bench: --memory-child: '%s' is not a "
                "number of runs\n",
                runs);
        return EXIT_USAGE;
    }
    return bench_memory_child(o, (size_t)n, path);
}

int main(int argc, char **argv)
{
    /* GSL's default error handler aborts; the engine checks GSL's
       status codes itself. */
    gsl_set_error_handler_off();
    bench_options o = {0, PLANSIM_BENCH_MODELS_DIR, argv[0], 0};
    const bench_entry *chosen[NENTRIES];
    size_t nchosen = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--quick") == 0) {
            o.quick = 1;
        } else if (strcmp(a, "--million") == 0) {
            o.million = 1;
        } else if (strcmp(a, "--models") == 0 && i + 1 < argc) {
            o.models_dir = argv[++i];
        } else if (strcmp(a, "--memory-child") == 0 && i + 2 < argc) {
            return memory_child(&o, argv[i + 1], argv[i + 2]);
        } else if (strcmp(a, "--list") == 0) {
            for (size_t k = 0; k < NENTRIES; k++)
                printf("%-10s %s\n", entries[k].name, entries[k].summary);
            return 0;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            help();
            return 0;
        } else if (a[0] != '-' && find(a)) {
            if (nchosen < NENTRIES)
                chosen[nchosen++] = find(a);
        } else {
            fprintf(stderr, "plansim-bench: %s '%s'\n",
                    a[0] == '-' ? "unknown option" : "no benchmark called", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (nchosen == 0)
        for (size_t k = 0; k < NENTRIES; k++)
            chosen[nchosen++] = &entries[k];

    const char *type = PLANSIM_BENCH_BUILD_TYPE;
    printf("# plansim-bench %s, %s build, %s run\n", PLANSIM_BENCH_VERSION,
           type[0] ? type : "unknown", o.quick ? "quick" : "full");
    if (!optimised_build(type))
        fprintf(stderr, "plansim-bench: note: not an optimised build; the "
                        "figures say little about speed\n");
    int failed = 0;
    for (size_t k = 0; k < nchosen; k++) {
        printf("# %s: %s\n", chosen[k]->name, chosen[k]->summary);
        fflush(stdout);
        if (chosen[k]->run(&o) != 0)
            failed = 1;
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
