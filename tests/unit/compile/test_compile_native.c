/*
 * Models compiled to native code: the same results as the interpreter, to
 * the bit, on every model of the repository, on the SDXorg cases beside it
 * and on models that reach the rare opcodes; the cache (a second load
 * compiles nothing, concurrent builds are safe); and the fall-back to the
 * interpreter when the C compiler is missing or fails.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "model_fixture.h"
#include "plansim/engine.h"
#include "plansim/mdl.h"
#include "plansim/sim.h"

/* A fresh cache folder for each test, removed afterwards. */
static char cache_dir[4096];

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int make_cache(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(cache_dir, sizeof cache_dir, "%s/plansim-native-XXXXXX",
             tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(cache_dir))
        return -1;
    setenv("PLANSIM_CACHE_DIR", cache_dir, 1);
    unsetenv("PLANSIM_CC");
    return 0;
}

static int remove_cache(void **state)
{
    (void)state;
    return nftw(cache_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Runs prog on `engine`: the status, the series (caller frees) and the
   error message. */
static ps_status run_on(ps_program *prog, ps_engine engine, ps_series **out,
                        ps_error *err)
{
    if (ps_program_set_engine(prog, engine, err) != PS_OK)
        fail_msg("%s: %s: %s", ps_program_path(prog), err->file, err->message);
    ps_sim_options opts;
    ps_sim_options_default(&opts);
    opts.seed = 7;
    return ps_simulate(prog, &opts, out, err);
}

/* Asserts that two runs computed exactly the same things. */
static void assert_same_runs(const char *label, ps_status sa,
                             const ps_series *a, const ps_error *ea,
                             ps_status sb, const ps_series *b,
                             const ps_error *eb)
{
    if (sa != sb || (a == NULL) != (b == NULL))
        fail_msg("%s: statuses %d and %d", label, sa, sb);
    if (sa != PS_OK && strcmp(ea->message, eb->message) != 0)
        fail_msg("%s: '%s' and '%s'", label, ea->message, eb->message);
    if (!a)
        return;
    if (a->nrows != b->nrows || a->ncols != b->ncols)
        fail_msg("%s: %zu x %zu and %zu x %zu values", label, a->nrows,
                 a->ncols, b->nrows, b->ncols);
    if (a->nrows && memcmp(a->time, b->time, a->nrows * sizeof *a->time) != 0)
        fail_msg("%s: saved times differ", label);
    for (size_t i = 0; i < a->nrows * a->ncols; i++)
        if (memcmp(&a->values[i], &b->values[i], sizeof(double)) != 0)
            fail_msg("%s: '%s' at row %zu: %.17g and %.17g", label,
                     a->names[i % a->ncols], i / a->ncols, a->values[i],
                     b->values[i]);
}

/* Compiles `model` and checks that both engines agree; 1 when it ran. */
static int check_model(ps_model *model, const char *label)
{
    ps_program *prog = NULL;
    ps_error err;
    if (ps_program_compile(model, &prog, &err) != PS_OK)
        return 0; /* models of error tests: nothing to run */
    ps_series *a = NULL, *b = NULL;
    ps_error ea = {0}, eb = {0};
    ps_status sa = run_on(prog, PS_ENGINE_INTERPRETED, &a, &ea);
    assert_string_equal(ps_program_engine(prog), "interpreted");
    ps_status sb = run_on(prog, PS_ENGINE_NATIVE, &b, &eb);
    assert_string_equal(ps_program_engine(prog), "native");
    assert_same_runs(label, sa, a, &ea, sb, b, &eb);
    ps_series_free(&a);
    ps_series_free(&b);
    ps_program_free(&prog);
    return 1;
}

static int check_text(const char *text)
{
    ps_model *model = NULL;
    ps_error err;
    assert_int_equal(
        ps_mdl_parse(text, strlen(text), "inline.mdl", &model, &err), PS_OK);
    int ran = check_model(model, text);
    ps_model_free(&model);
    return ran;
}

/* Every .mdl under the folders walked. */
static size_t models_run, models_seen;

static int check_file(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path);
    if (flag != FTW_F || n < 4 || strcasecmp(path + n - 4, ".mdl") != 0)
        return 0;
    ps_model *model = NULL;
    ps_error err;
    models_seen++;
    if (ps_model_load(path, &model, &err) == PS_OK)
        models_run += (size_t)check_model(model, path);
    ps_model_free(&model);
    return 0;
}

static void walk(const char *dir)
{
    assert_int_equal(nftw(dir, check_file, 16, FTW_PHYS), 0);
}

static void test_every_repository_model_is_bit_identical(void **state)
{
    (void)state;
    const char *src = getenv("PLANSIM_SOURCE_DIR");
    assert_non_null(src);
    const char *sub[] = {"tests", "models", "bench/models"};
    char dir[4096];
    models_run = models_seen = 0;
    for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
        snprintf(dir, sizeof dir, "%s/%s", src, sub[i]);
        walk(dir);
    }
    print_message("%zu of %zu models ran on both engines\n", models_run,
                  models_seen);
    assert_true(models_run >= 20);
}

static void test_every_sdx_case_is_bit_identical(void **state)
{
    (void)state;
    const char *dir = getenv("PLANSIM_SDX_DIR");
    struct stat st;
    if (!dir || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        print_message("skipped: no SDXorg cases at '%s' (set "
                      "PLANSIM_SHARED_DIR)\n",
                      dir ? dir : "");
        skip();
    }
    models_run = models_seen = 0;
    walk(dir);
    print_message("%zu of %zu SDXorg models ran on both engines\n", models_run,
                  models_seen);
    assert_true(models_run >= 30);
}

#define D3 "d: d1, d2, d3 ~ ~ |\n"

/* Opcodes the repository's models may not reach. */
static void test_rare_opcodes_are_bit_identical(void **state)
{
    (void)state;
    assert_true(check_text(
        D3 "v[d] = 3, 1, 2 ~ ~ |\n"
           "x[d] = v[d] * Time + 0.1 ~ ~ |\n"
           "up[d] = VECTOR SORT ORDER(x[d], 1) ~ ~ |\n"
           "rank[d] = VECTOR RANK(x[d], 0) ~ ~ |\n"
           "sorted[d] = VECTOR REORDER(x[d], up[d]) ~ ~ |\n"
           "pick = VECTOR SELECT(v[d!], x[d!], -1, 0, 0) ~ ~ |\n"
           "shifted[d] = VECTOR ELM MAP(x[d1], d - 1) ~ ~ |\n"
           "total = SUM(x[d!]) + PROD(v[d!]) + VMIN(x[d!]) - VMAX(x[d!]) "
           "~ ~ |\n"
           "r = RANDOM UNIFORM(0, 1, 0) + RANDOM NORMAL(-2, 2, 0, 1, 0) + "
           "RANDOM EXPONENTIAL(0, 5, 0, 1, 0) + "
           "RANDOM TRIANGULAR(0, 3, 0, 1, 3, 0) ~ ~ |\n"
           "t = STEP(2, 1) + PULSE(1, 2) + RAMP(1, 1, 3) + RAMP(2, 2) + "
           "PULSE TRAIN(0, 0.5, 2, 4) ~ ~ |\n"
           "m = MODULO(Time, 0.7) + QUANTUM(Time, 0.3) + LOG(Time + 2, 3) + "
           "ZIDZ(1, Time) + XIDZ(1, Time, 5) + INTEGER(Time * 1.7) + "
           "ABS(-Time) + SQRT(Time) + EXP(-Time) + LN(Time + 1) + "
           "SIN(Time) + COS(Time) + TAN(Time / 10) + ARCSIN(Time / 10) + "
           "ARCCOS(Time / 10) + ARCTAN(Time) + SINH(Time / 5) + "
           "COSH(Time / 5) + TANH(Time) + LOG(Time + 1, 10) + "
           "POWER(Time + 1, 1.5) + (Time + 1) ^ 0.5 + MIN(Time, 2) + "
           "MAX(Time, 2) ~ ~ |\n"
           "c = IF THEN ELSE(Time > 2 :AND: Time <= 4 :OR: :NOT: Time <> 3, "
           "-Time, Time) + (Time = 1) + (Time < 1) + (Time >= 2) ~ ~ |\n"
           "curve((0, 0), (1, 2), (2, 3), (5, 1)) ~ ~ |\n"
           "l = curve(Time) + LOOKUP EXTRAPOLATE(curve, Time * 2) + "
           "LOOKUP FORWARD(curve, Time) + LOOKUP BACKWARD(curve, Time) + "
           "LOOKUP INVERT(curve, 2.5) ~ ~ |\n"
           "s = INTEG(r + t + m + c + l + total, 1) ~ ~ |\n"
           "sm = SMOOTH3(s, 2) + DELAY FIXED(s, 1.5, 0) + "
           "SAMPLE IF TRUE(Time > 2, s, 0) ~ ~ |\n" CONTROL(5, 0.25)));
    assert_true(check_text(
        "r: r1, r2 ~ ~ |\nc: c1, c2 ~ ~ |\n"
        "m[r, c] = 4, 7; 2, 6; ~ ~ |\n"
        "g[r, c] = m[r, c] * (1 + Time) ~ ~ |\n"
        "inv[r, c] = INVERT MATRIX(g[r, c], 2) ~ ~ |\n"
        "t: t1, t2, t3, t4 ~ ~ |\nb: b1, b2 ~ ~ |\n"
        "p: ptype, ppriority, pwidth, pextra ~ ~ |\n"
        "request[t] = 3, 6, 2.5, 2 ~ ~ |\n"
        "priority[t] = 10, 9, 7, 2 ~ ~ |\n"
        "by priority[t] = ALLOCATE BY PRIORITY(request[t], priority[t], "
        "ELMCOUNT(t), 3, 5 + Time) ~ ~ |\n"
        "req[b] = 10, 10 ~ ~ |\n"
        "profile[b, p] = 1, 5, 2, 0; 1, 3, 2, 0; ~ ~ |\n"
        "available[b] = ALLOCATE AVAILABLE(req[b], profile[b, ptype], "
        "12 + Time) ~ ~ |\n" CONTROL(3, 1)));
}

/* MIN, MAX, VMIN and VMAX on ties of signed zeros and on NaN operands,
   which generated code hands to the interpreter's fmin and fmax. */
static void test_min_max_ties_and_nan_are_bit_identical(void **state)
{
    (void)state;
    assert_true(check_text(
        D3 "sign[d] = 1, -1, 1 ~ ~ |\n"
           "zero = Time - Time ~ ~ |\n"
           "zeros[d] = zero * sign[d] ~ ~ |\n"
           "ties = MIN(zero, -zero) + 0 * MAX(zero, -zero) ~ ~ |\n"
           "min pz nz = MIN(zero, -zero) ~ ~ |\n"
           "min nz pz = MIN(-zero, zero) ~ ~ |\n"
           "max pz nz = MAX(zero, -zero) ~ ~ |\n"
           "max nz pz = MAX(-zero, zero) ~ ~ |\n"
           "min nan = MIN(zero / zero, Time) + MIN(Time, zero / zero) ~ ~ |\n"
           "max nan = MAX(zero / zero, Time) + MAX(Time, zero / zero) ~ ~ |\n"
           "equal = MIN(Time, Time) + MAX(Time, Time) ~ ~ |\n"
           "ordered = MIN(Time, 2) + MAX(Time, 2) + MIN(2, Time) + "
           "MAX(2, Time) ~ ~ |\n"
           "vmin zeros = VMIN(zeros[d!]) ~ ~ |\n"
           "vmax zeros = VMAX(zeros[d!]) ~ ~ |\n"
           "e: e1, e2 ~ ~ |\n"
           "pn[e] = 1, -1 ~ ~ |\n"
           "np[e] = -1, 1 ~ ~ |\n"
           "zpn[e] = zero * pn[e] ~ ~ |\n"
           "znp[e] = zero * np[e] ~ ~ |\n"
           "vmin ties = VMIN(zpn[e!]) + 0 * VMIN(znp[e!]) ~ ~ |\n"
           "vmin pn = VMIN(zpn[e!]) ~ ~ |\n"
           "vmin np = VMIN(znp[e!]) ~ ~ |\n"
           "vmax pn = VMAX(zpn[e!]) ~ ~ |\n"
           "vmax np = VMAX(znp[e!]) ~ ~ |\n"
           "s = INTEG(ties + equal + ordered, 0) ~ ~ |\n" CONTROL(3, 1)));
}

/* Array equations of one reduction per element, which native code
   computes several elements at a time: each kind of reduction, all
   elements at once, a count of elements that leaves some over, and sums
   along either range of a table, whose slots the code computes. */
static void test_interleaved_reductions_are_bit_identical(void **state)
{
    (void)state;
    assert_true(check_text(
        "i: i1, i2, i3, i4, i5, i6, i7 ~ ~ |\n"
        "j: j1, j2, j3, j4, j5 ~ ~ |\n"
        "k: k1, k2 ~ ~ |\n"
        "w[i, j] = 1, 2, 3, 4, 5; 6, 7, 8, 9, 1; 2, 3, 4, 5, 6; "
        "7, 8, 9, 1, 2; 3, 4, 5, 6, 7; 8, 9, 1, 2, 3; 4, 5, 6, 7, 8; ~ ~ |\n"
        "x[j] = 0.1, 0.3, 0.7, 1.1, 1.3 ~ ~ |\n"
        "y[j] = x[j] * (1 + Time / 7) ~ ~ |\n"
        "sum[i] = (1 - Time / 9) * SUM(w[i, j!] * y[j!]) / 3 ~ ~ |\n"
        "prod[i] = PROD(w[i, j!] / y[j!] + 0.1) ~ ~ |\n"
        "least[i] = VMIN(w[i, j!] - 3 * y[j!]) ~ ~ |\n"
        "most[i] = VMAX(w[i, j!] * y[j!]) + sum[i] ~ ~ |\n"
        "few[k] = SUM(w[i1, j!] * y[j!]) * k ~ ~ |\n"
        "b: b1, b2, b3, b4, b5, b6, b7, b8, b9, b10 ~ ~ |\n"
        "u[b, j] = b + j / (1 + Time) ~ ~ |\n"
        "over[b] = SUM(u[b, j!] * y[j!]) / b ~ ~ |\n"
        "across[j] = SUM(w[i!, j] * y[j]) + w[i3, j] ~ ~ |\n"
        "s[i] = INTEG(sum[i] - 0.01 * prod[i] + least[i], 1) ~ ~ |\n" CONTROL(
            4, 0.5)));
}

/* The modification time and inode of a file. */
static void file_id(const char *path, struct stat *st)
{
    assert_int_equal(stat(path, st), 0);
}

static ps_program *compile_growth(void)
{
    return compile_text("rate = 0.1 ~ ~ |\n"
                        "gdp = INTEG(gdp * rate, 100) ~ ~ |\n" CONTROL(5, 1));
}

static void test_second_load_compiles_nothing(void **state)
{
    (void)state;
    ps_program *p = compile_growth();
    ps_error err;
    assert_int_equal(ps_program_set_engine(p, PS_ENGINE_NATIVE, &err), PS_OK);
    assert_int_equal(ps_program_native_cached(p), 0);
    char *path = strdup(ps_program_native_path(p));
    assert_non_null(path);
    assert_ptr_equal(strstr(path, cache_dir), path);
    struct stat before, after, dir;
    file_id(path, &before);
    assert_int_equal(before.st_mode & 077, 0);
    file_id(cache_dir, &dir);
    ps_program_free(&p);

    p = compile_growth();
    assert_int_equal(ps_program_set_engine(p, PS_ENGINE_AUTO, &err), PS_OK);
    assert_string_equal(ps_program_engine(p), "native");
    assert_int_equal(ps_program_native_cached(p), 1);
    assert_string_equal(ps_program_native_path(p), path);
    file_id(path, &after);
    assert_true(before.st_ino == after.st_ino);
    assert_true(before.st_mtim.tv_sec == after.st_mtim.tv_sec &&
                before.st_mtim.tv_nsec == after.st_mtim.tv_nsec);
    assert_null(ps_program_engine_note(p));
    ps_program_free(&p);
    free(path);
}

static void test_missing_or_failing_compiler_falls_back(void **state)
{
    (void)state;
    const char *compilers[] = {"/bin/false", "/nonexistent/plansim-cc",
                               "no-such-plansim-cc"};
    ps_program *ref = compile_growth();
    ps_series *expected = NULL;
    ps_error err;
    assert_int_equal(run_on(ref, PS_ENGINE_INTERPRETED, &expected, &err),
                     PS_OK);
    for (size_t i = 0; i < sizeof compilers / sizeof *compilers; i++) {
        setenv("PLANSIM_CC", compilers[i], 1);
        ps_program *p = compile_growth();
        assert_int_equal(ps_program_set_engine(p, PS_ENGINE_AUTO, &err), PS_OK);
        assert_string_equal(ps_program_engine(p), "interpreted");
        assert_non_null(ps_program_engine_note(p));
        assert_non_null(strstr(ps_program_engine_note(p), "compiler"));
        ps_series *got = NULL;
        ps_sim_options opts;
        ps_sim_options_default(&opts);
        opts.seed = 7;
        assert_int_equal(ps_simulate(p, &opts, &got, &err), PS_OK);
        assert_same_runs(compilers[i], PS_OK, expected, &err, PS_OK, got, &err);
        ps_series_free(&got);
        /* asked for native code, the failure is an error */
        assert_int_equal(ps_program_set_engine(p, PS_ENGINE_NATIVE, &err),
                         PS_ERR_UNAVAILABLE);
        assert_non_null(strstr(err.message, "compiler"));
        ps_program_free(&p);
    }
    unsetenv("PLANSIM_CC");
    ps_series_free(&expected);
    ps_program_free(&ref);
}

static void test_unsafe_cache_folder_is_refused(void **state)
{
    (void)state;
    char link[4200];
    snprintf(link, sizeof link, "%s/link", cache_dir);
    assert_int_equal(symlink(cache_dir, link), 0);
    setenv("PLANSIM_CACHE_DIR", link, 1);
    ps_program *p = compile_growth();
    ps_error err;
    assert_int_equal(ps_program_set_engine(p, PS_ENGINE_NATIVE, &err),
                     PS_ERR_CANTCREAT);
    assert_non_null(strstr(err.message, "symbolic link"));
    setenv("PLANSIM_CACHE_DIR", cache_dir, 1);
    assert_int_equal(chmod(cache_dir, 0777), 0);
    assert_int_equal(ps_program_set_engine(p, PS_ENGINE_NATIVE, &err),
                     PS_ERR_CANTCREAT);
    assert_non_null(strstr(err.message, "writable by anyone"));
    assert_int_equal(chmod(cache_dir, 0700), 0);
    /* a cached object writable by others is not loaded */
    assert_int_equal(ps_program_set_engine(p, PS_ENGINE_NATIVE, &err), PS_OK);
    char *path = strdup(ps_program_native_path(p));
    assert_int_equal(chmod(path, 0766), 0);
    assert_int_equal(ps_program_set_engine(p, PS_ENGINE_AUTO, &err), PS_OK);
    assert_string_equal(ps_program_engine(p), "interpreted");
    assert_non_null(strstr(ps_program_engine_note(p), "refused"));
    free(path);
    ps_program_free(&p);
}

static void test_concurrent_builds_are_safe(void **state)
{
    (void)state;
    enum { NPROC = 4 };
    pid_t pid[NPROC];
    for (int i = 0; i < NPROC; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            ps_program *p = compile_growth();
            ps_error err;
            int ok =
                ps_program_set_engine(p, PS_ENGINE_NATIVE, &err) == PS_OK &&
                strcmp(ps_program_engine(p), "native") == 0;
            ps_series *s = NULL;
            ps_sim_options opts;
            ps_sim_options_default(&opts);
            ok = ok && ps_simulate(p, &opts, &s, &err) == PS_OK;
            ps_series_free(&s);
            ps_program_free(&p);
            _exit(ok ? 0 : 1);
        }
    }
    for (int i = 0; i < NPROC; i++) {
        int status;
        assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    /* one object, no temporary left behind */
    FILE *ls = NULL;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "ls -A '%s'", cache_dir);
    ls = popen(cmd, "r");
    assert_non_null(ls);
    char line[512];
    int objects = 0, others = 0;
    while (fgets(line, sizeof line, ls))
        strncmp(line, "model-", 6) == 0 ? objects++ : others++;
    pclose(ls);
    assert_int_equal(objects, 1);
    assert_int_equal(others, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_min_max_ties_and_nan_are_bit_identical, make_cache,
            remove_cache),
        cmocka_unit_test_setup_teardown(
            test_interleaved_reductions_are_bit_identical, make_cache,
            remove_cache),
        cmocka_unit_test_setup_teardown(test_rare_opcodes_are_bit_identical,
                                        make_cache, remove_cache),
        cmocka_unit_test_setup_teardown(
            test_every_repository_model_is_bit_identical, make_cache,
            remove_cache),
        cmocka_unit_test_setup_teardown(test_every_sdx_case_is_bit_identical,
                                        make_cache, remove_cache),
        cmocka_unit_test_setup_teardown(test_second_load_compiles_nothing,
                                        make_cache, remove_cache),
        cmocka_unit_test_setup_teardown(
            test_missing_or_failing_compiler_falls_back, make_cache,
            remove_cache),
        cmocka_unit_test_setup_teardown(test_unsafe_cache_folder_is_refused,
                                        make_cache, remove_cache),
        cmocka_unit_test_setup_teardown(test_concurrent_builds_are_safe,
                                        make_cache, remove_cache),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
