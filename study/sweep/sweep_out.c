/*
 * The outputs of plansim sweep: the surface, its HDF5 file and its CSV file.
 */
#include "plansim_study/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plansim/csv.h"
#include "plansim/design.h"
#include "plansim/utf8.h"
#include "plansim_output/h5.h"
#include "plansim_output/out_file.h"
#include "plansim_output/prob_text.h"
#include "plansim_output/table.h"

int sweep_surface_alloc(sweep_surface *s, size_t ntargets, size_t npoints)
{
    size_t n = ntargets * npoints;
    *s = (sweep_surface){ntargets,
                         npoints,
                         calloc(n, sizeof(long long)),
                         calloc(n, sizeof(long long)),
                         calloc(npoints, sizeof(long long)),
                         calloc(n, sizeof(double)),
                         calloc(n, sizeof(double)),
                         calloc(n, sizeof(double))};
    return s->hits && s->runs && s->failed && s->p && s->lo && s->hi ? 0 : -1;
}

void sweep_surface_free(sweep_surface *s)
{
    free(s->hits);
    free(s->runs);
    free(s->failed);
    free(s->p);
    free(s->lo);
    free(s->hi);
    memset(s, 0, sizeof *s);
}

void sweep_h5_free(sweep_h5 *h)
{
    for (size_t i = 0; i < GRID_MAX_AXES; i++)
        free(h->values[i]);
    free(h->targets);
}

ps_status sweep_h5_make(sweep_h5 *h, const sweep_view *v,
                        const sweep_surface *s, const char *command_line,
                        ps_error *err)
{
    const ps_scenario *sc = v->run->sc;
    memset(h, 0, sizeof *h);
    h->targets = calloc(s->ntargets, sizeof *h->targets);
    if (!h->targets)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < v->naxes; i++) {
        h->values[i] = malloc(v->axes[i].steps * sizeof *h->values[i]);
        if (!h->values[i])
            return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t j = 0; j < v->axes[i].steps; j++)
            h->values[i][j] = grid_axis_value(&v->axes[i], j);
        const varied_const *vc = &v->run->varied[i];
        h->axes[i] = (ps_h5_sweep_axis){
            vc->name,         ps_program_var_units(v->run->prog, vc->var),
            vc->label,        varied_kind_name(vc->kind),
            v->axes[i].steps, h->values[i],
            vc->path_varies};
    }
    for (size_t k = 0; k < s->ntargets; k++)
        h->targets[k] = scenario_target_meta(v->run, v->targets[k]);
    scenario_engine_version(h->version, sizeof h->version);
    h->sw = (ps_h5_sweep){
        .title = sc->title,
        .description = sc->description,
        .lang = {sc->title_zh, sc->title_en, sc->description_zh,
                 sc->description_en},
        .nscenario_files = sc->nfiles,
        .scenario_names = (const char *const *)sc->files,
        .scenario_texts = (const char *const *)sc->texts,
        .model_file = sc->model_path,
        .model_sha256 = v->run->model_sha256,
        .sampling = ps_design_method_name(sc->sampling),
        .engine_version = h->version,
        .command_line = command_line,
        .seed = v->seed,
        .runs = v->nruns,
        .naxes = v->naxes,
        .axes = h->axes,
        .ntargets = s->ntargets,
        .targets = h->targets,
        .hits = s->hits,
        .counted = s->runs,
        .probability = s->p,
        .ci_low = s->lo,
        .ci_high = s->hi,
        .failed = s->failed,
    };
    return PS_OK;
}

struct sweep_file {
    sweep_h5 h;
    ps_h5_sweep_file *w;
};

ps_status sweep_file_begin(const char *path, const sweep_view *v,
                           sweep_surface *s, const char *command_line,
                           int resume, double flush_seconds, sweep_file **out,
                           ps_error *err)
{
    *out = NULL;
    sweep_file *f = calloc(1, sizeof *f);
    if (!f)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    ps_status st = sweep_h5_make(&f->h, v, s, command_line, err);
    if (st == PS_OK)
        st = ps_h5_sweep_begin(path, &f->h.sw, resume, flush_seconds, &f->w,
                               err);
    if (st == PS_OK && resume)
        st = ps_h5_sweep_read_back(f->w, s->hits, s->runs, s->p, s->lo, s->hi,
                                   s->failed, err);
    if (st != PS_OK) {
        ps_h5_sweep_abandon(&f->w);
        sweep_h5_free(&f->h);
        free(f);
        return st;
    }
    *out = f;
    return PS_OK;
}

const unsigned char *sweep_file_done(const sweep_file *f)
{
    return ps_h5_sweep_done(f->w);
}

ps_status sweep_file_put(sweep_file *f, size_t point, ps_error *err)
{
    return ps_h5_sweep_put(f->w, point, err);
}

ps_status sweep_file_finish(sweep_file **file, ps_error *err)
{
    sweep_file *f = *file;
    *file = NULL;
    ps_status st = ps_h5_sweep_finish(&f->w, err);
    sweep_h5_free(&f->h);
    free(f);
    return st;
}

void sweep_file_abandon(sweep_file **file)
{
    sweep_file *f = *file;
    *file = NULL;
    if (!f)
        return;
    ps_h5_sweep_abandon(&f->w);
    sweep_h5_free(&f->h);
    free(f);
}

static void csv_rows(FILE *f, const sweep_view *v, const sweep_surface *s)
{
    char num[PS_TABLE_NUMBER_MAX];
    double values[GRID_MAX_AXES];
    for (size_t i = 0; i < v->naxes; i++) {
        ps_csv_write_field(f, v->run->varied[i].name, ',');
        fputc(',', f);
    }
    fputs("target,probability,ci_low,ci_high,hits,runs\n", f);
    for (size_t k = 0; k < s->ntargets; k++)
        for (size_t pt = 0; pt < s->npoints; pt++) {
            size_t at = k * s->npoints + pt;
            grid_point(v->axes, v->naxes, pt, values);
            for (size_t i = 0; i < v->naxes; i++)
                fprintf(f, "%s,", ps_table_format_number(values[i], num));
            ps_csv_write_field(f, v->run->sc->targets[v->targets[k]].name, ',');
            fprintf(f, ",%s", ps_table_format_number(s->p[at], num));
            fprintf(f, ",%s", ps_table_format_number(s->lo[at], num));
            fprintf(f, ",%s", ps_table_format_number(s->hi[at], num));
            fprintf(f, ",%lld,%lld\n", s->hits[at], s->runs[at]);
        }
}

/* The CSV goes to PATH.partial, synced and renamed into place. */
ps_status sweep_write_csv(const char *path, const sweep_view *v,
                          const sweep_surface *s, ps_error *err)
{
    ps_out_file *f = NULL;
    ps_status st = ps_out_file_open(path, &f, err);
    if (st != PS_OK)
        return st;
    csv_rows(ps_out_file_stream(f), v, s);
    return ps_out_file_commit(&f, err);
}

/* Refuses, before any run, an output whose folder cannot take it. */
