/*
 * plansim-bench: what the Monte Carlo benchmarks (ensemble, writer,
 * memory) share.  economy50 set up as an ensemble with four uncertain
 * inputs whose values a fill_inputs function computes, a sink that keeps
 * nothing, the HDF5 file as the command line writes it, and a temporary
 * folder for the files.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "plansim_output/h5.h"

#ifndef PLANSIM_BENCH_VERSION
#define PLANSIM_BENCH_VERSION ""
#endif

/* An uncertain input: run r gets value * (0.9 + 0.2 * frac((r + 1) *
   step)), a Kronecker sequence: spread evenly over +-10 % of the model's
   value, and a pure function of the run index as fill_inputs must be. */
typedef struct mc_input {
    const char *name;
    double value; /* its value in economy50.mdl */
    double step;  /* irrational, and different for every input */
} mc_input;

static const mc_input mc_inputs[BENCH_MC_NINPUTS] = {
    {"capital share", 0.38, 0.41421356237309505},            /* sqrt 2 - 1 */
    {"depreciation rate", 0.06, 0.73205080756887729},        /* sqrt 3 - 1 */
    {"base productivity growth", 0.012, 0.2360679774997897}, /* sqrt 5 - 2 */
    {"propensity to consume", 0.62, 0.64575131106459059},    /* sqrt 7 - 2 */
};

/* BENCH_MC_SAVE_KEY: the stocks and the main figures of the economy. */
static const char *const key_vars[] = {
    "Capital",     "Population", "Productivity", "GDP deflator",
    "Public debt", "real GDP",   "nominal GDP",  "unemployment rate",
    "consumption", "investment",
};
#define NKEY (sizeof key_vars / sizeof key_vars[0])

/* The runs in the check bench_mc_open makes. */
#define CHECK_RUNS 64

static ps_status fill_inputs(void *ctx, size_t first, size_t count, double *out,
                             ps_error *err)
{
    (void)ctx;
    (void)err;
    for (size_t k = 0; k < count; k++)
        for (size_t j = 0; j < BENCH_MC_NINPUTS; j++) {
            double x = (double)(first + k + 1) * mc_inputs[j].step;
            out[k * BENCH_MC_NINPUTS + j] =
                mc_inputs[j].value * (0.9 + 0.2 * (x - floor(x)));
        }
    return PS_OK;
}

/* ------------------------------------------------------- the null sink */

/* splitmix64's finaliser: every input bit moves about half the output. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15u;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

static ps_status null_begin(void *sink, const ps_ensemble_layout *layout,
                            ps_error *err)
{
    (void)err;
    bench_null_sink *s = sink;
    s->nruns = layout->nruns;
    s->nsave = layout->nseries; /* series: elements of every saved variable */
    s->ntimes = layout->ntimes;
    return PS_OK;
}

static ps_status null_write(void *sink, size_t first, size_t count,
                            const unsigned char *status, const double *values,
                            const double *inputs, ps_error *err)
{
    (void)status;
    (void)inputs;
    (void)err;
    bench_null_sink *s = sink;
    size_t n = count * s->nsave * s->ntimes;
    size_t base = first * s->nsave * s->ntimes;
    uint64_t sum = 0;
    /* XOR makes the checksum independent of the order of the blocks. */
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &values[i], sizeof bits);
        sum ^= mix(bits ^ mix(base + i));
    }
    s->checksum ^= sum;
    s->received += count;
    return PS_OK;
}

static ps_status null_end(void *sink, ps_error *err)
{
    (void)sink;
    (void)err;
    return PS_OK;
}

const ps_sink_type bench_null_sink_type = {"null", null_begin, null_write,
                                           null_end};

/* ------------------------------------------------------ the ensemble */

static int choose_saved(bench_mc *mc, bench_mc_saving saving)
{
    size_t nvars = ps_program_var_count(mc->prog);
    mc->save_vars = malloc((nvars > NKEY ? nvars : NKEY) * sizeof(size_t));
    if (!mc->save_vars) {
        bench_fail(mc->model, "out of memory");
        return -1;
    }
    mc->nsave = 0;
    if (saving == BENCH_MC_SAVE_ALL) {
        for (size_t i = 0; i < nvars; i++) {
            ps_var_class c = ps_program_var_class(mc->prog, i);
            if (c == PS_CLASS_STOCK || c == PS_CLASS_AUX)
                mc->save_vars[mc->nsave++] = i;
        }
        return 0;
    }
    for (size_t k = 0; k < NKEY; k++) {
        size_t v = ps_program_find(mc->prog, key_vars[k]);
        if (v == (size_t)-1) {
            bench_fail(mc->model, "the model has no variable '%s'",
                       key_vars[k]);
            return -1;
        }
        mc->save_vars[mc->nsave++] = v;
    }
    return 0;
}

/* A small ensemble: the inputs are constants, no run fails, every run
   reaches the sink; and the saved times. */
static int check_ensemble(bench_mc *mc)
{
    ps_ensemble_spec spec = bench_mc_spec(mc, CHECK_RUNS, 1);
    bench_null_sink sink = {0};
    ps_ensemble_report rep;
    ps_error err;
    ps_error_clear(&err);
    if (ps_ensemble_run(&spec, &bench_null_sink_type, &sink, &rep, &err) !=
        PS_OK) {
        bench_fail(mc->model, "ensemble: %s", err.message);
        return -1;
    }
    if (rep.failed > 0) {
        bench_fail(mc->model, "ensemble: %zu of %d runs failed: %s", rep.failed,
                   CHECK_RUNS, rep.first_failure.message);
        return -1;
    }
    if (sink.received != CHECK_RUNS) {
        bench_fail(mc->model, "ensemble: the sink received %zu of %d runs",
                   sink.received, CHECK_RUNS);
        return -1;
    }
    mc->ntimes = sink.ntimes;
    return 0;
}

int bench_mc_open(const bench_options *o, bench_mc_saving saving, bench_mc *mc)
{
    memset(mc, 0, sizeof *mc);
    mc->model = "economy50";
    const bench_model *m = bench_model_find(mc->model);
    if (!m || bench_model_compile(o, m, &mc->prog) != PS_OK) {
        bench_fail(mc->model, "cannot read or compile the model (see the "
                              "error above)");
        return -1;
    }
    for (size_t j = 0; j < BENCH_MC_NINPUTS; j++) {
        mc->input_vars[j] = ps_program_find(mc->prog, mc_inputs[j].name);
        if (mc->input_vars[j] == (size_t)-1) {
            bench_fail(mc->model, "the model has no constant '%s'",
                       mc_inputs[j].name);
            bench_mc_close(mc);
            return -1;
        }
    }
    if (choose_saved(mc, saving) != 0 || check_ensemble(mc) != 0) {
        bench_mc_close(mc);
        return -1;
    }
    return 0;
}

void bench_mc_close(bench_mc *mc)
{
    ps_program_free(&mc->prog);
    free(mc->save_vars);
    mc->save_vars = NULL;
    mc->nsave = 0;
}

ps_ensemble_spec bench_mc_spec(const bench_mc *mc, size_t nruns, int threads)
{
    ps_ensemble_spec spec = {0};
    spec.prog = mc->prog;
    ps_sim_options_default(&spec.sim);
    spec.nruns = nruns;
    spec.seed = 1;
    spec.ninputs = BENCH_MC_NINPUTS;
    spec.input_vars = mc->input_vars;
    spec.fill_inputs = fill_inputs;
    spec.nsave = mc->nsave;
    spec.save_vars = mc->save_vars;
    spec.threads = threads;
    return spec;
}

/* -------------------------------------------------------- the HDF5 file */

static ps_status open_h5(const bench_mc *mc, const char *path,
                         int deflate_level, ps_h5_sink **sink, ps_error *err)
{
    ps_h5_var_meta *vars = calloc(mc->nsave, sizeof *vars);
    if (!vars)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t v = 0; v < mc->nsave; v++) {
        vars[v].model_name = ps_program_var_name(mc->prog, mc->save_vars[v]);
        vars[v].units = ps_program_var_units(mc->prog, mc->save_vars[v]);
    }
    ps_h5_input_meta inputs[BENCH_MC_NINPUTS] = {{0}};
    for (size_t j = 0; j < BENCH_MC_NINPUTS; j++) {
        inputs[j].name = mc_inputs[j].name;
        inputs[j].distribution = "+-10 % (a Kronecker sequence)";
    }
    ps_h5_meta meta = {
        .title = "plansim-bench",
        .model_file = ps_program_path(mc->prog),
        .seed = 1,
        .engine_version = PLANSIM_BENCH_VERSION,
        .time_units = "Year",
        .nvars = mc->nsave,
        .vars = vars,
        .ninputs = BENCH_MC_NINPUTS,
        .inputs = inputs,
    };
    ps_h5_options opts = {deflate_level, 0, 0, 0};
    ps_status st = ps_h5_sink_open(path, &meta, &opts, sink, err);
    free(vars);
    return st;
}

ps_status bench_mc_write_h5(const bench_mc *mc, const ps_ensemble_spec *spec,
                            const char *path, int deflate_level, double *ns,
                            ps_ensemble_report *report, ps_error *err)
{
    ps_h5_sink *sink = NULL;
    ps_status st = open_h5(mc, path, deflate_level, &sink, err);
    if (st != PS_OK)
        return st;
    double start = bench_now_ns();
    st = ps_ensemble_run(spec, &ps_h5_sink_type, sink, report, err);
    ps_error close_err;
    ps_status cst = ps_h5_sink_close(&sink, 0, &close_err);
    *ns = bench_now_ns() - start;
    if (st == PS_OK && cst != PS_OK) {
        if (err)
            *err = close_err;
        st = cst;
    }
    return st;
}

/* ------------------------------------------------- the temporary folder */

int bench_tmpdir_make(char *dir, size_t size)
{
    const char *base = getenv("TMPDIR");
#ifdef P_tmpdir
    const char *fallback = P_tmpdir;
#else
    const char *fallback = ".";
#endif
    if (!base || !base[0])
        base = fallback;
    int n = snprintf(dir, size, "%s/plansim-bench-XXXXXX", base);
    if (n < 0 || (size_t)n >= size || !mkdtemp(dir)) {
        fprintf(stderr,
                "plansim-bench: cannot make a temporary folder in "
                "%s\n",
                base);
        return -1;
    }
    return 0;
}

void bench_tmpdir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[4096];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            remove(path);
        }
        closedir(d);
    }
    if (rmdir(dir) != 0)
        fprintf(stderr,
                "plansim-bench: cannot remove the temporary folder "
                "%s\n",
                dir);
}
