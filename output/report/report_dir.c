/*
 * The report folder: created when missing, then every file written as
 * NAME.partial and renamed into place when whole.  The file's kind
 * decides the report: an ensemble's tables and fan charts, or a
 * calibration's.
 */
#include "report_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plansim_output/out_file.h"
#include "plansim_output/report.h"
#include "plansim_output/report_formats.h"

static const ps_report_options default_options = {0};

/* What one file needs from the report. */
typedef struct job {
    const ps_h5_summary *s;
    const ps_h5_assumptions *a;
    const ps_h5_posterior *p;
    const ps_h5_sensitivity *sens; /* NULL: the file has none */
    size_t var; /* for a chart: the variable, input or series */
    const ps_report_options *o;
} job;

typedef ps_status (*write_fn)(FILE *out, const job *j, ps_error *err);

static ps_status w_targets_md(FILE *out, const job *j, ps_error *err)
{
    return ps_report_targets_md(out, j->s, j->o, err);
}
static ps_status w_targets_csv(FILE *out, const job *j, ps_error *err)
{
    return ps_report_targets_csv(out, j->s, err);
}
static ps_status w_variables_md(FILE *out, const job *j, ps_error *err)
{
    return ps_report_variables_md(out, j->s, j->o, err);
}
static ps_status w_variables_csv(FILE *out, const job *j, ps_error *err)
{
    return ps_report_variables_csv(out, j->s, err);
}
static ps_status w_assumptions_md(FILE *out, const job *j, ps_error *err)
{
    return ps_report_assumptions_md(out, j->s, j->a, j->o, err);
}
static ps_status w_assumptions_csv(FILE *out, const job *j, ps_error *err)
{
    return ps_report_assumptions_csv(out, j->s, j->a, err);
}
static ps_status w_fan(FILE *out, const job *j, ps_error *err)
{
    return ps_report_fan_svg(out, j->s, j->var, j->o, err);
}
static ps_status w_index(FILE *out, const job *j, ps_error *err)
{
    return j->sens ? ps_report_index_sensitivity_md(out, j->s, j->a, j->o, err)
                   : ps_report_index_md(out, j->s, j->a, j->o, err);
}
static ps_status w_appendix(FILE *out, const job *j, ps_error *err)
{
    ps_status st = ps_report_appendix_md(out, j->s, j->a, j->o, err);
    if (st == PS_OK && j->sens)
        st = ps_report_sensitivity_appendix_md(out, j->s, j->a, j->sens, j->o,
                                               err);
    return st;
}
static ps_status w_sensitivity_md(FILE *out, const job *j, ps_error *err)
{
    return ps_report_sensitivity_md(out, j->s, j->a, j->sens, j->o, err);
}
static ps_status w_sensitivity_csv(FILE *out, const job *j, ps_error *err)
{
    return ps_report_sensitivity_csv(out, j->sens, err);
}
static ps_status w_calibration_md(FILE *out, const job *j, ps_error *err)
{
    return ps_report_calibration_md(out, j->p, j->o, err);
}
static ps_status w_calibration_csv(FILE *out, const job *j, ps_error *err)
{
    return ps_report_calibration_csv(out, j->p, err);
}
static ps_status w_density(FILE *out, const job *j, ps_error *err)
{
    return ps_report_density_svg(out, j->p, j->var, j->o, err);
}
static ps_status w_predictive(FILE *out, const job *j, ps_error *err)
{
    return ps_report_predictive_svg(out, j->p, j->var, j->o, err);
}
static ps_status w_calibration_index(FILE *out, const job *j, ps_error *err)
{
    return ps_report_calibration_index_md(out, j->p, j->o, err);
}

static ps_status w_calibration_appendix(FILE *out, const job *j, ps_error *err)
{
    return ps_report_calibration_appendix_md(out, j->p, j->o, err);
}

/* "dir/name" as a new string, or NULL when out of memory. */
static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    char *p = malloc(n + strlen(name) + 2);
    if (p) {
        memcpy(p, dir, n);
        p[n] = '/';
        strcpy(p + n + 1, name);
    }
    return p;
}

/* Writes one file of the report atomically; `bom` starts it with a
   UTF-8 byte order mark. */
static ps_status write_one(const char *dir, const char *name, write_fn fn,
                           const job *j, int bom, ps_error *err)
{
    char *path = join(dir, name);
    if (!path)
        return rp_nomem(err);
    ps_out_file *f = NULL;
    ps_status st = ps_out_file_open(path, &f, err);
    if (st == PS_OK) {
        FILE *out = ps_out_file_stream(f);
        if (bom)
            fputs("\xEF\xBB\xBF", out);
        st = fn(out, j, err);
        if (st == PS_ERR_IO) /* the writer cannot know the file's name */
            ps_error_set(err, st, path, 0, 0, "cannot write the report file");
        if (st == PS_OK)
            st = ps_out_file_commit(&f, err);
        else
            ps_out_file_discard(&f);
    }
    free(path);
    return st;
}

/* mkdir -p: `dir` and its missing parents.  PS_ERR_CANTCREAT when one
   cannot be made or `dir` is not a directory. */
static ps_status make_dir(const char *dir, ps_error *err)
{
    char *p = strdup(dir);
    if (!p)
        return rp_nomem(err);
    int e = 0;
    for (char *c = p + 1; !e; c++) {
        int last = *c == '\0';
        if (*c != '/' && !last)
            continue;
        char keep = *c;
        *c = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            e = errno;
        *c = keep;
        if (last)
            break;
    }
    free(p);
    struct stat st;
    if (!e && stat(dir, &st) != 0)
        e = errno;
    else if (!e && !S_ISDIR(st.st_mode))
        e = ENOTDIR;
    if (e)
        return ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                            "cannot create the report folder: %s",
                            strerror(e));
    return PS_OK;
}

/* The names of the charts written, for their other formats. */
typedef struct chart_list {
    char **names;
    size_t n;
} chart_list;

static ps_status chart_add(chart_list *c, const char *name, ps_error *err)
{
    char **names = realloc(c->names, (c->n + 1) * sizeof *names);
    if (!names)
        return rp_nomem(err);
    c->names = names;
    if (!(names[c->n] = strdup(name)))
        return rp_nomem(err);
    c->n++;
    return PS_OK;
}

/* PNG, PDF, HTML and the workbook, once the rest is written. */
static ps_status other_formats(const char *dir, chart_list *c,
                               const char *const *csv, size_t ncsv,
                               ps_status st, ps_error *err)
{
    if (st == PS_OK)
        st = ps_report_formats_write(dir, (const char *const *)c->names, c->n,
                                     csv, ncsv, err);
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    return st;
}

ps_status ps_report_write_dir(const char *dir, const ps_h5_summary *s,
                              const ps_h5_assumptions *a,
                              const ps_report_options *opts, ps_error *err)
{
    return ps_report_write_dir_sensitivity(dir, s, a, NULL, opts, err);
}

ps_status ps_report_write_dir_sensitivity(
    const char *dir, const ps_h5_summary *s, const ps_h5_assumptions *a,
    const ps_h5_sensitivity *x, const ps_report_options *opts, ps_error *err)
{
    if (!opts)
        opts = &default_options;
    if (!dir || !*dir)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no folder for the report");
    ps_status st = make_dir(dir, err);
    if (st != PS_OK)
        return st;
    job j = {s, a, NULL, x, 0, opts};
    static const struct {
        const char *name;
        write_fn fn;
        int csv;
    } tables[] = {
        {"targets.md", w_targets_md, 0},
        {"targets.csv", w_targets_csv, 1},
        {"variables.md", w_variables_md, 0},
        {"variables.csv", w_variables_csv, 1},
        {"assumptions.md", w_assumptions_md, 0},
        {"assumptions.csv", w_assumptions_csv, 1},
        {"appendix.md", w_appendix, 0},
        {"sensitivity.md", w_sensitivity_md, 0},
        {"sensitivity.csv", w_sensitivity_csv, 1},
    };
    /* The sensitivity files, the last two, only with results. */
    size_t ntables = sizeof tables / sizeof tables[0] - (x ? 0 : 2);
    for (size_t i = 0; i < ntables && st == PS_OK; i++)
        st = write_one(dir, tables[i].name, tables[i].fn, &j,
                       tables[i].csv && opts->excel, err);
    chart_list charts = {0};
    for (size_t v = 0; v < s->nvars && st == PS_OK; v++) {
        char name[512];
        j.var = v;
        st = write_one(dir, ps_report_fan_file_name(&s->vars[v], name,
                                                    sizeof name),
                       w_fan, &j, 0, err);
        if (st == PS_OK)
            st = chart_add(&charts, name, err);
    }
    /* The front page last: it links to files that now exist. */
    if (st == PS_OK)
        st = write_one(dir, "index.md", w_index, &j, 0, err);
    static const char *const csv[] = {"targets.csv", "variables.csv",
                                      "assumptions.csv", "sensitivity.csv"};
    return other_formats(dir, &charts, csv,
                         sizeof csv / sizeof csv[0] - (x ? 0 : 1), st, err);
}

ps_status ps_report_posterior_write_dir(const char *dir,
                                        const ps_h5_posterior *p,
                                        const ps_report_options *opts,
                                        ps_error *err)
{
    if (!opts)
        opts = &default_options;
    if (!dir || !*dir)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no folder for the report");
    ps_status st = make_dir(dir, err);
    if (st != PS_OK)
        return st;
    job j = {NULL, NULL, p, NULL, 0, opts};
    st = write_one(dir, "calibration.md", w_calibration_md, &j, 0, err);
    if (st == PS_OK)
        st = write_one(dir, "calibration.csv", w_calibration_csv, &j,
                       opts->excel, err);
    if (st == PS_OK)
        st = write_one(dir, "appendix.md", w_calibration_appendix, &j, 0, err);
    chart_list charts = {0};
    for (size_t k = 0; k < p->nparams && st == PS_OK; k++) {
        char name[600];
        j.var = k;
        st =
            write_one(dir, ps_report_density_file_name(p, k, name, sizeof name),
                      w_density, &j, 0, err);
        if (st == PS_OK)
            st = chart_add(&charts, name, err);
    }
    for (size_t k = 0; k < p->nseries && st == PS_OK; k++) {
        char name[600];
        j.var = k;
        if (ps_report_series_nobs(p, k) == 0)
            continue;
        st = write_one(dir,
                       ps_report_predictive_file_name(p, k, name, sizeof name),
                       w_predictive, &j, 0, err);
        if (st == PS_OK)
            st = chart_add(&charts, name, err);
    }
    /* The front page last: it links to files that now exist. */
    if (st == PS_OK)
        st = write_one(dir, "index.md", w_calibration_index, &j, 0, err);
    static const char *const csv[] = {"calibration.csv"};
    return other_formats(dir, &charts, csv, 1, st, err);
}

/* The end of the reading phase of ps_report_write. */
static void reading_end(const ps_report_options *opts)
{
    if (opts && opts->reading_end)
        opts->reading_end(opts->reading_ctx);
}

static ps_status write_posterior(const char *h5_path, const char *dir,
                                 const ps_report_options *opts, ps_error *err)
{
    ps_h5_posterior *p = NULL;
    ps_status st = ps_h5_posterior_read(h5_path, &p, err);
    reading_end(opts);
    if (st == PS_OK)
        st = ps_report_posterior_write_dir(dir, p, opts, err);
    ps_h5_posterior_free(&p);
    return st;
}

int ps_report_lang_from_name(const char *name, ps_report_lang *lang)
{
    if (name && strcmp(name, "zh") == 0)
        *lang = PS_REPORT_ZH;
    else if (name && strcmp(name, "en") == 0)
        *lang = PS_REPORT_EN;
    else
        return -1;
    return 0;
}

ps_status ps_report_write(const char *h5_path, const char *dir,
                          const ps_report_options *opts, ps_error *err)
{
    if (opts && opts->reading_begin)
        opts->reading_begin(opts->reading_ctx, h5_path);
    ps_h5_kind kind;
    ps_status st = ps_h5_file_kind(h5_path, &kind, err);
    /* A posterior file and an ensemble file end the phase when read. */
    if (st != PS_OK ||
        (kind != PS_H5_KIND_POSTERIOR && kind != PS_H5_KIND_ENSEMBLE))
        reading_end(opts);
    if (st != PS_OK)
        return st;
    switch (kind) {
    case PS_H5_KIND_POSTERIOR:
        return write_posterior(h5_path, dir, opts, err);
    case PS_H5_KIND_SWEEP:
        return ps_error_set(err, PS_ERR_DATA, h5_path, 0, 0,
                            "a probability surface (plansim sweep), not an "
                            "ensemble or posterior file: plansim report "
                            "reads those");
    case PS_H5_KIND_OTHER:
        return ps_error_set(err, PS_ERR_DATA, h5_path, 0, 0,
                            "not an ensemble or posterior file");
    case PS_H5_KIND_ENSEMBLE:
        break;
    }
    ps_h5_summary *s = NULL;
    ps_h5_assumptions *a = NULL;
    st = ps_h5_summary_read(h5_path, &s, err);
    if (st == PS_OK)
        st = ps_h5_assumptions_read(h5_path, &a, err);
    if (st == PS_OK)
        st = ps_h5_labels_read(h5_path, s, a, err);
    ps_h5_sensitivity *x = NULL;
    if (st == PS_OK)
        st = ps_h5_sensitivity_read(h5_path, &x, err);
    reading_end(opts);
    if (st == PS_OK)
        st = ps_report_write_dir_sensitivity(dir, s, a, x, opts, err);
    ps_h5_sensitivity_free(&x);
    ps_h5_assumptions_free(&a);
    ps_h5_summary_free(&s);
    return st;
}
