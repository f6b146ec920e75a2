/*
 * plansim conform: run conformance cases laid out like SDXorg/test-models
 * (a folder per case: a Vensim .mdl model and the expected output.tab or
 * output.csv) and compare each run with its expected output.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "plansim_study/conform.h"
#include "plansim/mdl.h"
#include "plansim/program.h"
#include "plansim/sim.h"
#include "plansim_output/table.h"

static void help(FILE *out)
{
    cli_print_usage(out, &cli_conform);
    fputs("\n"
          "Runs every conformance case in the folders DIR... A case is a\n"
          "folder holding a Vensim model (*.mdl, any case) and the expected\n"
          "output, output.csv or output.tab; a folder that is not a case is\n"
          "searched for cases in its subfolders. Each .mdl model of a case\n"
          "(only those named test_*.mdl when there are such, as the suite\n"
          "names its test models) is simulated with the default settings\n"
          "(Euler), the folder's other .tab and .csv files as its datasets,\n"
          "and compared with\n"
          "the expected output by the rule of the SDXorg/test-models suite:\n"
          "columns matched by name (case-insensitive, spaces and underscores\n"
          "alike), rows by time; SAVEPER, INITIAL TIME, FINAL TIME and TIME\n"
          "STEP columns and empty cells skipped; a value passes when both are\n"
          "within 1e-6 of zero or they differ by at most 1e-4 times the\n"
          "larger magnitude. A column the model lacks is a failure.\n"
          "\n"
          "One line per case, then a summary:\n"
          "  PASS  case\n"
          "  FAIL  case: variable 'x' at time 3: expected 1.5, got 1.7\n"
          "  UNSUPPORTED  case: reason given by the engine\n"
          "  N passed, N failed, N unsupported\n"
          "\n"
          "Options:\n"
          "  -h, --help  show this help and exit\n"
          "\n"
          "Exit status: 0 when no case failed (unsupported ones do not\n"
          "count), 1 when one did, 66 when a DIR cannot be read or holds no\n"
          "case.\n",
          out);
}

typedef struct tally {
    size_t passed, failed, unsupported, cases;
} tally;

enum { MSG_MAX = 2048 };

/* "a/b" in a new string (caller frees); NULL on no memory. */
static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int has_mdl_suffix(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".mdl") == 0;
}

static int not_hidden(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

static int mdl_entry(const struct dirent *e)
{
    return not_hidden(e) && has_mdl_suffix(e->d_name);
}

/* The suite names its test models test_*.mdl; other models beside them
   only serve the test (one that generates its data, say). */
static int test_mdl_entry(const struct dirent *e)
{
    return mdl_entry(e) && strncasecmp(e->d_name, "test_", 5) == 0;
}

static void free_entries(struct dirent **list, int n)
{
    for (int i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* The expected output of a case folder (caller frees), or NULL. */
static char *expected_path(const char *dir)
{
    static const char *const names[] = {"output.csv", "output.tab"};
    for (size_t i = 0; i < 2; i++) {
        char *p = join(dir, names[i]);
        if (p && is_file(p))
            return p;
        free(p);
    }
    return NULL;
}

static int is_case(const char *dir)
{
    char *expected = expected_path(dir);
    int found = expected != NULL;
    free(expected);
    struct dirent **models;
    int n = scandir(dir, &models, mdl_entry, alphasort);
    if (n > 0)
        free_entries(models, n);
    return found || n > 0;
}

static void report(tally *t, const char *verdict, const char *label,
                   const char *msg)
{
    if (strcmp(verdict, "PASS") == 0)
        t->passed++;
    else if (strcmp(verdict, "FAIL") == 0)
        t->failed++;
    else
        t->unsupported++;
    if (msg)
        printf("%s  %s: %s\n", verdict, label, msg);
    else
        printf("%s  %s\n", verdict, label);
    fflush(stdout);
}

/* Reports an engine failure: unsupported constructs apart, it fails. */
static void report_error(tally *t, const char *label, const ps_error *err)
{
    char msg[MSG_MAX];
    cli_format_error(err, 1, msg, sizeof msg);
    report(t, err->status == PS_ERR_UNSUPPORTED ? "UNSUPPORTED" : "FAIL", label,
           msg);
}

/* A data file of a case, given to its models as a dataset: a .tab or
   .csv file other than the expected output. */
static int dataset_entry(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return not_hidden(e) && n > 4 &&
           (strcasecmp(e->d_name + n - 4, ".tab") == 0 ||
            strcasecmp(e->d_name + n - 4, ".csv") == 0) &&
           strncasecmp(e->d_name, "output", 6) != 0;
}

/* Adds the case folder's data files to the model's datasets. */
static ps_status add_datasets(ps_model *model, const char *dir,
                              ps_error *err)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, dataset_entry, alphasort);
    ps_status st = PS_OK;
    for (int i = 0; i < n; i++) {
        char *path = join(dir, list[i]->d_name);
        st = st != PS_OK ? st
             : path      ? ps_model_add_dataset(model, path, err)
                         : ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                                        "out of memory");
        free(path);
    }
    if (n > 0)
        free_entries(list, n);
    return st;
}

/* Simulates one model and compares it with the expected series. */
static void run_model(const char *dir, const char *model_path,
                      const char *label, const ps_series *expected,
                      const ps_series *resolution, tally *t)
{
    ps_model *model = NULL;
    ps_program *prog = NULL;
    ps_series *sim = NULL;
    ps_sim_options opts;
    ps_error err;

    if (ps_model_load(model_path, &model, &err) != PS_OK ||
        add_datasets(model, dir, &err) != PS_OK) {
        ps_model_free(&model);
        report_error(t, label, &err);
        return;
    }
    ps_status st = ps_program_compile(model, &prog, &err);
    ps_model_free(&model);
    if (st != PS_OK) {
        report_error(t, label, &err);
        return;
    }
    ps_sim_options_default(&opts);
    st = ps_simulate(prog, &opts, &sim, &err);
    ps_program_free(&prog);
    if (st != PS_OK) {
        report_error(t, label, &err);
        ps_series_free(&sim);
        return;
    }
    char msg[MSG_MAX];
    int rc = ps_conform_compare(expected, resolution, sim, msg, sizeof msg);
    if (rc < 0)
        report(t, "FAIL", label, "out of memory");
    else
        report(t, rc == 0 ? "PASS" : "FAIL", label, rc == 0 ? NULL : msg);
    ps_series_free(&sim);
}

/* Runs every .mdl model of the case folder `dir`. */
static void run_case(const char *dir, const char *label, tally *t)
{
    struct dirent **models = NULL;
    int n = scandir(dir, &models, test_mdl_entry, alphasort);
    if (n <= 0) {
        if (n == 0)
            free(models);
        n = scandir(dir, &models, mdl_entry, alphasort);
    }
    char *exp_path = expected_path(dir);
    ps_series *expected = NULL, *resolution = NULL;
    ps_error err;

    t->cases++;
    if (n <= 0)
        report(t, exp_path ? "UNSUPPORTED" : "FAIL", label,
               "no Vensim .mdl model in the folder");
    else if (!exp_path)
        report(t, "FAIL", label,
               "no expected output (output.csv or output.tab)");
    else if (ps_table_read_file_resolution(exp_path, &expected, &resolution,
                                           &err) != PS_OK)
        report_error(t, label, &err);
    else {
        for (int i = 0; i < n; i++) {
            char *path = join(dir, models[i]->d_name);
            /* several models: each is a case of its own */
            char *sub = n > 1 ? join(label, models[i]->d_name) : NULL;
            if (!path || (n > 1 && !sub))
                report(t, "FAIL", label, "out of memory");
            else
                run_model(dir, path, sub ? sub : label, expected, resolution,
                          t);
            free(sub);
            free(path);
        }
    }
    if (n > 0)
        free_entries(models, n);
    ps_series_free(&expected);
    ps_series_free(&resolution);
    free(exp_path);
}

/* Runs `dir` if it is a case, else every case below it. `label` names dir
   in the report (NULL at the top of a search). */
static void walk(const char *dir, const char *label, tally *t)
{
    if (label && is_case(dir)) {
        run_case(dir, label, t);
        return;
    }
    struct dirent **list;
    int n = scandir(dir, &list, not_hidden, alphasort);
    for (int i = 0; i < n; i++) {
        char *path = join(dir, list[i]->d_name);
        char *sub =
            label ? join(label, list[i]->d_name) : strdup(list[i]->d_name);
        if (path && sub && is_dir(path))
            walk(path, sub, t);
        free(sub);
        free(path);
    }
    if (n > 0)
        free_entries(list, n);
}

/* The last component of a path, without trailing slashes (new string). */
static char *base_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && path[b - 1] != '/')
        b--;
    return strndup(path + b, n - b);
}

static int run(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    char prog_name[64];
    int c;

    cli_getopt_begin(&cli_conform, argv, prog_name, sizeof prog_name);
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            help(stdout);
            return 0;
        default:
            return cli_usage_tail(&cli_conform);
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_conform, "missing DIR");
    for (int i = optind; i < argc; i++)
        if (!is_dir(argv[i])) {
            ps_error err;
            ps_error_set(&err, PS_ERR_NOINPUT, argv[i], 0, 0,
                         "not a readable folder");
            return cli_fail(&err);
        }

    tally t = {0};
    int status = 0;
    for (int i = optind; i < argc; i++) {
        size_t before = t.cases;
        if (is_case(argv[i])) {
            char *label = base_name(argv[i]);
            run_case(argv[i], label ? label : argv[i], &t);
            free(label);
        } else {
            walk(argv[i], NULL, &t);
        }
        if (t.cases == before) {
            ps_error err;
            ps_error_set(&err, PS_ERR_NOINPUT, argv[i], 0, 0,
                         "no conformance case in this folder");
            status = cli_fail(&err);
        }
    }
    printf("%zu passed, %zu failed, %zu unsupported\n", t.passed, t.failed,
           t.unsupported);
    if (status != 0)
        return status;
    return t.failed ? CLI_EXIT_TESTS_FAILED : 0;
}

const cli_command cli_conform = {
    .name = "conform",
    .summary = "run conformance cases and compare with their expected output",
    .synopsis = "DIR...",
    .help = help,
    .run = run,
};
