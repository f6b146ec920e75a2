/*
 * plansim-bench: the benchmark models and how to get each one compiled.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "gen2000.h"
#include "plansim/mdl.h"

const bench_model bench_models[] = {
    {"economy50", &economy50_native, NULL},
    {"gen2000", &gen2000_native, gen2000_text},
};
const size_t bench_nmodels = sizeof bench_models / sizeof bench_models[0];

const bench_model *bench_model_find(const char *name)
{
    for (size_t i = 0; i < bench_nmodels; i++)
        if (strcmp(bench_models[i].name, name) == 0)
            return &bench_models[i];
    return NULL;
}

static ps_status nomem(const bench_model *m)
{
    fprintf(stderr, "plansim-bench: %s: out of memory\n", m->name);
    return PS_ERR_NOMEM;
}

/* Reads the whole file `path` into a new NUL-terminated buffer. */
static ps_status read_file(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "plansim-bench: cannot open %s\n", path);
        return PS_ERR_NOINPUT;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? 2 * cap : 65536;
            char *b = realloc(buf, cap + 1);
            if (!b) {
                free(buf);
                fclose(f);
                fprintf(stderr, "plansim-bench: out of memory\n");
                return PS_ERR_NOMEM;
            }
            buf = b;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        fprintf(stderr, "plansim-bench: cannot read %s\n", path);
        return PS_ERR_IO;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return PS_OK;
}

ps_status bench_model_text(const bench_options *o, const bench_model *m,
                           char **text, size_t *len, char *path,
                           size_t path_size)
{
    *text = NULL;
    *len = 0;
    if (m->generate) {
        snprintf(path, path_size, "%s.mdl", m->name);
        return m->generate(text, len) == 0 ? PS_OK : nomem(m);
    }
    snprintf(path, path_size, "%s/%s.mdl", o->models_dir, m->name);
    return read_file(path, text, len);
}

ps_status bench_model_parse(const bench_options *o, const bench_model *m,
                            ps_model **out)
{
    ps_error err;
    ps_error_clear(&err);
    ps_status st;
    *out = NULL;
    if (m->generate) {
        char *text;
        size_t len;
        char path[256];
        if ((st = bench_model_text(o, m, &text, &len, path, sizeof path)) !=
            PS_OK)
            return st;
        st = ps_mdl_parse(text, len, path, out, &err);
        free(text);
    } else {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.mdl", o->models_dir, m->name);
        st = ps_model_load(path, out, &err);
    }
    if (st != PS_OK)
        ps_error_print(stderr, &err);
    return st;
}

ps_status bench_model_compile(const bench_options *o, const bench_model *m,
                              ps_program **out)
{
    ps_model *model;
    *out = NULL;
    ps_status st = bench_model_parse(o, m, &model);
    if (st != PS_OK)
        return st;
    ps_error err;
    ps_error_clear(&err);
    st = ps_program_compile(model, out, &err);
    ps_model_free(&model);
    if (st != PS_OK)
        ps_error_print(stderr, &err);
    return st;
}

size_t bench_step_equations(const ps_program *prog)
{
    size_t n = 0;
    for (size_t i = 0; i < ps_program_var_count(prog); i++) {
        ps_var_class c = ps_program_var_class(prog, i);
        if (c == PS_CLASS_STOCK || c == PS_CLASS_AUX)
            n += ps_program_var_size(prog, i); /* each element */
    }
    return n;
}
