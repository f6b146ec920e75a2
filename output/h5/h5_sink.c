/*
 * The ensemble file's lifecycle: created as PATH.partial, closed cleanly
 * whatever happened, renamed to PATH only on commit.
 */
#include "h5_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plansim/output_file.h"

static void sink_free(ps_h5_sink *s)
{
    if (!s)
        return;
    free(s->path);
    free(s->partial);
    h5_free_strings(s->names, s->nvars);
    h5_free_strings(s->model_names, s->nvars);
    h5_free_strings(s->units, s->nvars);
    h5_free_strings(s->long_names, s->nvars);
    free(s->time_units);
    h5_udunits_close(s->udunits);
    free(s->target_times);
    free(s->vars);
    free(s->pending);
    free(s->size);
    free(s->voff);
    free(s->vndims);
    free(s->vdims);
    free(s->vdim_at);
    h5_free_strings(s->fdim_names, s->nfdims);
    for (size_t d = 0; s->fdim_elements && d < s->nfdims; d++)
        h5_free_strings(s->fdim_elements[d], s->fdim_n[d]);
    free(s->fdim_elements);
    free(s->fdim_n);
    free(s->fdim_scales);
    free(s->written);
    free(s);
}

/* Do meta ranges a and b hold the same elements under the same name? */
static int same_range(const ps_h5_dim_meta *a, const ps_h5_dim_meta *b)
{
    if (strcmp(a->name, b->name) != 0 || a->n != b->n)
        return 0;
    for (size_t e = 0; e < a->n; e++)
        if (strcmp(a->elements[e], b->elements[e]) != 0)
            return 0;
    return 1;
}

/* The variables' shapes and the file's range dimensions: one per range
   (ranges with the same name and elements are one dimension), named
   after the range, unique in the file.  0, or -1 on no memory. */
static int shapes_new(ps_h5_sink *s, const ps_h5_meta *m)
{
    size_t nv = m->nvars ? m->nvars : 1, nd = m->ndims ? m->ndims : 1;
    size_t total = 0;
    for (size_t v = 0; v < m->nvars; v++)
        total += m->vars[v].ndims;
    s->size = calloc(nv, sizeof *s->size);
    s->voff = calloc(nv, sizeof *s->voff);
    s->vndims = calloc(nv, sizeof *s->vndims);
    s->vdim_at = calloc(nv, sizeof *s->vdim_at);
    s->vdims = calloc(total + 1, sizeof *s->vdims);
    size_t *file_dim = calloc(nd, sizeof *file_dim);
    const char **names = calloc(nd, sizeof *names);
    s->fdim_n = calloc(nd, sizeof *s->fdim_n);
    s->fdim_elements = calloc(nd, sizeof *s->fdim_elements);
    s->fdim_scales = malloc(nd * sizeof *s->fdim_scales);
    int rc = -1;
    if (!s->size || !s->voff || !s->vndims || !s->vdim_at || !s->vdims ||
        !file_dim || !names || !s->fdim_n || !s->fdim_elements ||
        !s->fdim_scales)
        goto done;
    /* each range once */
    for (size_t d = 0; d < m->ndims; d++) {
        size_t f = 0;
        while (f < s->nfdims && !same_range(&m->dims[d], &m->dims[file_dim[f]]))
            f++;
        if (f == s->nfdims) {
            file_dim[s->nfdims] = d; /* first meta range of file dim f */
            names[s->nfdims] = m->dims[d].name;
            s->fdim_n[s->nfdims] = m->dims[d].n;
            s->fdim_scales[s->nfdims] = -1;
            s->fdim_elements[s->nfdims] =
                calloc(m->dims[d].n ? m->dims[d].n : 1, sizeof(char *));
            if (!s->fdim_elements[s->nfdims])
                goto done;
            for (size_t e = 0; e < m->dims[d].n; e++)
                if (!(s->fdim_elements[s->nfdims][e] =
                          strdup(m->dims[d].elements[e])))
                    goto done;
            s->nfdims++;
        }
    }
    size_t at = 0;
    for (size_t v = 0; v < m->nvars; v++) {
        const ps_h5_var_meta *vm = &m->vars[v];
        s->voff[v] = s->nseries;
        s->vndims[v] = vm->ndims;
        s->vdim_at[v] = at;
        s->size[v] = 1;
        for (size_t k = 0; k < vm->ndims; k++) {
            const ps_h5_dim_meta *dm = &m->dims[vm->dims[k]];
            size_t f = 0;
            while (!same_range(dm, &m->dims[file_dim[f]]))
                f++;
            s->vdims[at++] = f;
            s->size[v] *= dm->n;
        }
        s->nseries += s->size[v];
    }
    s->fdim_names =
        h5_dim_names(s->nfdims, names, s->nvars, (const char *const *)s->names);
    rc = s->fdim_names ? 0 : -1;
done:
    free(file_dim);
    free(names);
    return rc;
}

static char *dup_or_null(const char *t, int *oom)
{
    if (!t)
        return NULL;
    char *d = strdup(t);
    if (!d)
        *oom = 1;
    return d;
}

/* The element of saved variable v that `text` names ("name" for a
   scalar, "name[e1,e2]"), or (size_t)-1. */
static size_t meta_element(const ps_h5_meta *m, size_t v, const char *text)
{
    const ps_h5_var_meta *vm = &m->vars[v];
    h5_shape view = {.ndims = vm->ndims, .size = 1};
    for (size_t k = 0; k < vm->ndims && k < H5_MAX_RANGES; k++) {
        if (vm->dims[k] >= m->ndims)
            return (size_t)-1;
        view.n[k] = m->dims[vm->dims[k]].n;
        view.elements[k] = (char **)m->dims[vm->dims[k]].elements;
    }
    return h5_shape_find(&view, vm->model_name, text);
}

static ps_status check_meta(const ps_h5_meta *m, const ps_h5_options *o,
                            ps_error *err)
{
    if (o && (o->deflate_level < 0 || o->deflate_level > 9))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "compression level %d is not in 0-9",
                            o->deflate_level);
    if (o && o->deflate_level > 0 &&
        (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 ||
         H5Zfilter_avail(H5Z_FILTER_SHUFFLE) <= 0))
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "this HDF5 library cannot compress (no deflate)");
    if (m->nscenario_files && !m->scenario_texts)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "scenario files without their text");
    for (size_t d = 0; d < m->ndims; d++) {
        const ps_h5_dim_meta *dm = &m->dims[d];
        int ok = dm->name && dm->n > 0 && dm->elements;
        for (size_t e = 0; ok && e < dm->n; e++)
            ok = dm->elements[e] != NULL;
        if (!ok)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "range %zu has no name or no elements",
                                d + 1);
    }
    for (size_t v = 0; v < m->nvars; v++) {
        const ps_h5_var_meta *vm = &m->vars[v];
        if (!vm->model_name)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "saved variable %zu has no name", v + 1);
        if (vm->ndims > H5_MAX_RANGES || (vm->ndims && !vm->dims))
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "saved variable '%s' has %zu ranges (at "
                                "most %d)",
                                vm->model_name, vm->ndims, H5_MAX_RANGES);
        for (size_t k = 0; k < vm->ndims; k++)
            if (vm->dims[k] >= m->ndims)
                return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                    "saved variable '%s' runs over range "
                                    "%zu, which is not described",
                                    vm->model_name, vm->dims[k] + 1);
    }
    for (size_t j = 0; j < m->ninputs; j++)
        if (!m->inputs[j].name)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "uncertain input %zu has no name", j + 1);
    for (size_t i = 0; i < m->nfixed; i++)
        if (!m->fixed[i].name)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "fixed value %zu has no name", i + 1);
    for (size_t i = 0; i < m->nlevers; i++) {
        const ps_h5_lever_meta *l = &m->levers[i];
        if (!l->name || l->n == 0 || !l->time || !l->value)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "lever %zu has no name or no time path",
                                i + 1);
    }
    for (size_t i = 0; i < m->ntargets; i++) {
        const ps_h5_target_meta *t = &m->targets[i];
        const char *id = t->name ? t->name : t->label ? t->label : "?";
        size_t v = 0;
        while (v < m->nvars && t->variable &&
               meta_element(m, v, t->variable) == (size_t)-1)
            v++;
        if (v == m->nvars)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "target '%s' is about '%s', which is not a "
                                "saved variable",
                                id, t->variable ? t->variable : "");
        if ((unsigned)t->compare > PS_SC_BETWEEN)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "target '%s' has an unknown rule", id);
    }
    return PS_OK;
}

/* Copies what begin needs from the meta (the meta is not kept). */
static ps_h5_sink *sink_new(const char *path, const ps_h5_meta *m,
                            const ps_h5_options *o)
{
    ps_h5_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->file = s->run_scale = s->time_scale = s->param_scale = -1;
    s->param_value = s->run_status = -1;
    if (o)
        s->opts = *o;
    s->nvars = m->nvars;
    s->ninputs = m->ninputs;
    s->ntargets = m->ntargets;
    s->path = strdup(path);
    s->partial = ps_output_partial_name(path);
    const char **mn = calloc(m->nvars ? m->nvars : 1, sizeof *mn);
    size_t nv = m->nvars ? m->nvars : 1;
    s->model_names = calloc(nv, sizeof *s->model_names);
    s->units = calloc(nv, sizeof *s->units);
    s->long_names = calloc(nv, sizeof *s->long_names);
    s->vars = malloc(nv * sizeof *s->vars);
    s->target_times =
        calloc(m->ntargets ? m->ntargets : 1, sizeof *s->target_times);
    int oom = !s->path || !s->partial || !mn || !s->model_names || !s->units ||
              !s->long_names || !s->vars || !s->target_times;
    if (!oom) {
        for (size_t v = 0; v < m->nvars; v++) {
            const ps_h5_var_meta *vm = &m->vars[v];
            mn[v] = vm->model_name;
            s->vars[v] = -1;
            s->model_names[v] = dup_or_null(vm->model_name, &oom);
            s->units[v] = dup_or_null(vm->units, &oom);
            s->long_names[v] = dup_or_null(
                vm->long_name ? vm->long_name : vm->model_name, &oom);
        }
        for (size_t i = 0; i < m->ntargets; i++)
            s->target_times[i] = m->targets[i].time;
        s->time_units = dup_or_null(m->time_units, &oom);
        s->names = h5_dataset_names(m->nvars, mn);
        oom |= !s->names;
        if (!oom)
            oom |= shapes_new(s, m) < 0;
    }
    free(mn);
    if (oom) {
        sink_free(s);
        return NULL;
    }
    return s;
}

static ps_status sink_open(const char *path, const ps_h5_meta *meta,
                           const ps_h5_options *opts, ps_h5_sink **out,
                           ps_error *err)
{
    ps_status st = check_meta(meta, opts, err);
    if (st != PS_OK)
        return st;
    ps_h5_sink *s = sink_new(path, meta, opts);
    if (!s)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    s->udunits = h5_udunits_open();
    /* laid out under a staging name, then named: a kill never leaves a
       .partial that does not open */
    char *staging;
    st = h5_create_staged(s->partial, path, &staging, &s->file, err);
    if (st != PS_OK) {
        sink_free(s);
        return st;
    }
    st = h5_write_meta(s, meta, err);
    if (st == PS_OK)
        st = h5_publish_staged(s->file, &staging, s->partial, err);
    if (st != PS_OK) {
        if (s->param_scale >= 0)
            H5Dclose(s->param_scale);
        H5Fclose(s->file);
        if (staging)
            unlink(staging);
        free(staging);
        sink_free(s);
        return st;
    }
    *out = s;
    return PS_OK;
}

ps_status ps_h5_sink_open(const char *path, const ps_h5_meta *meta,
                          const ps_h5_options *opts, ps_h5_sink **out,
                          ps_error *err)
{
    *out = NULL;
    if (!path || !meta)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no path or no description for the output file");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = sink_open(path, meta, opts, out, err);
    h5_quiet_end(&q);
    return st;
}

const char *ps_h5_sink_path(const ps_h5_sink *sink)
{
    return sink->path;
}

const char *ps_h5_sink_partial_path(const ps_h5_sink *sink)
{
    return sink->partial;
}

/* The file is closed: move it to its final name, durably, once it holds
   every saved variable over (run, time) and a status for every run, none
   pending. */
static ps_status commit_file(const ps_h5_sink *s, ps_error *err)
{
    size_t n = s->begun ? s->nvars + 3 : 0; /* no runs: it only opens */
    h5_expected_dataset *e = calloc(n, sizeof *e);
    if (!e)
        return ps_error_set(err, PS_ERR_NOMEM, s->path, 0, 0, "out of memory");
    e[0] = (h5_expected_dataset){H5N_RUN, 1, {s->nruns, 0}, 0};
    e[1] = (h5_expected_dataset){H5N_TIME, 1, {s->ntimes, 0}, 0};
    e[2] = (h5_expected_dataset){H5N_RUN_STATUS, 1, {s->nruns, 0}, 1};
    for (size_t v = 0; v < s->nvars; v++)
        e[3 + v] = (h5_expected_dataset){
            s->names[v], 2 + (int)s->vndims[v], {s->nruns, s->ntimes}, 0};
    ps_status st = h5_commit_file(s->partial, s->path, e, n, err);
    free(e);
    return st;
}

static void close_id(hid_t *id, herr_t (*fn)(hid_t))
{
    if (*id >= 0)
        fn(*id);
    *id = -1;
}

static ps_status sink_close(ps_h5_sink *s, int commit, ps_error *err)
{
    ps_status st = PS_OK;
    if (s->begun && !s->failed) {
        st = h5_flush_pending(s, err);
        if (st != PS_OK)
            s->failed = 1;
    }
    h5_drop_pending(s);
    for (size_t v = 0; v < s->nvars; v++)
        close_id(&s->vars[v], H5Dclose);
    for (size_t d = 0; d < s->nfdims; d++)
        close_id(&s->fdim_scales[d], H5Dclose);
    close_id(&s->run_scale, H5Dclose);
    close_id(&s->time_scale, H5Dclose);
    close_id(&s->param_scale, H5Dclose);
    close_id(&s->param_value, H5Dclose);
    close_id(&s->run_status, H5Dclose);
    if (s->file >= 0 && H5Fclose(s->file) < 0) {
        if (st == PS_OK)
            st = h5_fail(err, PS_ERR_IO, s->partial,
                         s->failed ? "cannot close the file after a failed "
                                     "write"
                                   : "cannot close the file");
        s->failed = 1;
    }
    s->file = -1;
    if (!commit)
        return st;
    if (st == PS_OK && s->failed)
        return ps_error_set(err, PS_ERR_IO, s->partial, 0, 0,
                            "not renamed into place: an earlier write "
                            "failed");
    return st == PS_OK ? commit_file(s, err) : st;
}

ps_status ps_h5_sink_close(ps_h5_sink **sink, int commit, ps_error *err)
{
    if (!sink || !*sink)
        return PS_OK;
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = sink_close(*sink, commit, err);
    h5_quiet_end(&q);
    sink_free(*sink);
    *sink = NULL;
    return st;
}

ps_status ps_h5_sink_summarize(ps_h5_sink *sink, ps_error *err)
{
    if (!sink->begun)
        return ps_error_set(err, PS_ERR_USAGE, sink->partial, 0, 0,
                            "no runs to summarize yet");
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = PS_OK;
    if (sink->failed)
        st = ps_error_set(err, PS_ERR_IO, sink->partial, 0, 0,
                          "not summarized: an earlier write failed");
    if (st == PS_OK)
        st = h5_flush_pending(sink, err);
    if (st == PS_OK)
        st = h5_summarize_file(sink->file, sink->partial, sink->opts.threads,
                               err);
    if (st == PS_OK && H5Fflush(sink->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, sink->partial, "cannot flush the file");
    if (st != PS_OK)
        sink->failed = 1;
    h5_quiet_end(&q);
    return st;
}

ps_h5_sink *h5_sink_make(const char *path, const ps_h5_meta *meta,
                         const ps_h5_options *opts, ps_error *err)
{
    if (check_meta(meta, opts, err) != PS_OK)
        return NULL;
    ps_h5_sink *s = sink_new(path, meta, opts);
    if (!s) {
        ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
        return NULL;
    }
    s->udunits = h5_udunits_open();
    return s;
}

void h5_sink_discard(ps_h5_sink *s)
{
    sink_free(s);
}
