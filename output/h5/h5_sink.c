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

static const char partial_suffix[] = ".partial";

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
    free(s->target_times);
    free(s->vars);
    free(s->pending);
    free(s);
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
    for (size_t v = 0; v < m->nvars; v++)
        if (!m->vars[v].model_name)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "saved variable %zu has no name", v + 1);
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
               strcmp(t->variable, m->vars[v].model_name) != 0)
            v++;
        if (v == m->nvars)
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "target '%s' is about '%s', which is not a "
                                "saved variable",
                                id, t->variable ? t->variable : "");
        if ((unsigned)t->compare > PS_H5_BETWEEN)
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
    size_t n = strlen(path);
    s->path = strdup(path);
    s->partial = malloc(n + sizeof partial_suffix);
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
        memcpy(s->partial, path, n);
        memcpy(s->partial + n, partial_suffix, sizeof partial_suffix);
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
    s->file = h5_create_netcdf_file(s->partial);
    if (s->file < 0) {
        st = h5_fail(err, PS_ERR_CANTCREAT, path, "cannot create output file");
        sink_free(s);
        return st;
    }
    st = h5_write_meta(s, meta, err);
    if (st == PS_OK && H5Fflush(s->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, s->partial, "cannot flush the file");
    if (st != PS_OK) {
        if (s->param_scale >= 0)
            H5Dclose(s->param_scale);
        H5Fclose(s->file);
        remove(s->partial);
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

/* fsync of a file or directory by name; EINVAL (not syncable) is fine. */
/* The file is closed: move it to its final name, durably. */
static ps_status commit_file(const ps_h5_sink *s, ps_error *err)
{
    return h5_commit_file(s->partial, s->path, err);
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
        st = h5_summarize_file(sink->file, sink->partial, err);
    if (st == PS_OK && H5Fflush(sink->file, H5F_SCOPE_GLOBAL) < 0)
        st = h5_fail(err, PS_ERR_IO, sink->partial, "cannot flush the file");
    if (st != PS_OK)
        sink->failed = 1;
    h5_quiet_end(&q);
    return st;
}
