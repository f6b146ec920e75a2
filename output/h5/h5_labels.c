/*
 * Labels for readers in the ensemble file: written from a labels file
 * after the runs, read back by the report.  Attributes only, beside the
 * existing units and long_name (which stay the model's own).
 */
#include "h5_sink.h"

#include <stdlib.h>
#include <string.h>

#include "plansim_output/labels.h"

#define LABELS_FILE_ATTR "labels_file"
#define ELEMENTS_ATTR "label_elements"

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

static int write_var_labels(hid_t d, const ps_label *l)
{
    return h5_attr_text(d, "label_zh", l->zh) < 0 ||
                   h5_attr_text(d, "label_en", l->en) < 0 ||
                   h5_attr_text(d, "units_zh", text_or_empty(l->units_zh)) <
                       0 ||
                   h5_attr_text(d, "units_en", text_or_empty(l->units_en)) <
                       0 ||
                   h5_attr_double(d, "display_scale", l->scale) < 0 ||
                   h5_attr_int64(d, "display_percent", l->percent ? 1 : 0) < 0
               ? -1
               : 0;
}

/* label_zh and label_en over the string coordinate loc/name, each item
   looked up as `kind` by the same item of the string dataset loc/key (of
   the coordinate's length; NULL: the coordinate's own names); nothing
   when the coordinate does not exist. */
static int write_coord_labels_by(hid_t loc, const char *name, const char *key,
                                 const ps_labels *labels, ps_label_kind kind)
{
    if (H5Lexists(loc, name, H5P_DEFAULT) <= 0)
        return 0;
    long long n = h5_length(loc, name);
    if (n <= 0)
        return 0;
    if (key &&
        (H5Lexists(loc, key, H5P_DEFAULT) <= 0 || h5_length(loc, key) != n))
        return -1;
    char **names = NULL;
    char **zh = calloc((size_t)n, sizeof *zh);
    char **en = calloc((size_t)n, sizeof *en);
    int rc = -1;
    if (!zh || !en ||
        h5_read_strings(loc, key ? key : name, (size_t)n, &names) < 0)
        goto done;
    for (size_t i = 0; i < (size_t)n; i++) {
        char elem[512];
        const ps_label *l =
            ps_labels_lookup(labels, kind, names[i], elem, sizeof elem);
        /* an element's label names it: "产业链项目推进环境（新材料）",
           "Delivery climate (New materials)" */
        char ezh[512], een[512];
        ps_labels_elements(labels, elem, 0, ezh, sizeof ezh);
        ps_labels_elements(labels, elem, 1, een, sizeof een);
        size_t zn = (l ? strlen(l->zh) : 0) + strlen(ezh) + 8;
        size_t en_n = (l ? strlen(l->en) : 0) + strlen(een) + 8;
        zh[i] = malloc(zn);
        en[i] = malloc(en_n);
        if (!zh[i] || !en[i])
            goto done;
        snprintf(zh[i], zn, *elem ? "%s（%s）" : "%s", l ? l->zh : "", ezh);
        snprintf(en[i], en_n, *elem ? "%s (%s)" : "%s", l ? l->en : "", een);
        if (!l)
            zh[i][0] = en[i][0] = '\0';
    }
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d >= 0) {
        rc = h5_attr_text_array(d, "label_zh", (size_t)n,
                                (const char *const *)zh) < 0 ||
                     h5_attr_text_array(d, "label_en", (size_t)n,
                                        (const char *const *)en) < 0
                 ? -1
                 : 0;
        H5Dclose(d);
    }
done:
    if (names)
        h5_free_strings(names, (size_t)n);
    for (size_t i = 0; i < (size_t)n; i++) {
        free(zh ? zh[i] : NULL);
        free(en ? en[i] : NULL);
    }
    free(zh);
    free(en);
    return rc;
}

static int write_coord_labels(hid_t loc, const char *name,
                              const ps_labels *labels, ps_label_kind kind)
{
    return write_coord_labels_by(loc, name, NULL, labels, kind);
}

static int write_group_labels(hid_t file, const char *group,
                              const char *const *coords, size_t ncoords,
                              const ps_labels *labels, ps_label_kind kind)
{
    if (H5Lexists(file, group, H5P_DEFAULT) <= 0)
        return 0;
    hid_t g = H5Gopen2(file, group, H5P_DEFAULT);
    if (g < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < ncoords && rc == 0; i++)
        rc = write_coord_labels(g, coords[i], labels, kind);
    H5Gclose(g);
    return rc;
}

/* The global attribute labels_file and the element labels. */
static int write_file_labels(hid_t file, const ps_labels *labels)
{
    int rc = h5_attr_text(file, LABELS_FILE_ATTR, labels->path);
    size_t ne = labels->n[PS_LABEL_ELEMENT];
    if (rc == 0 && ne) {
        const char **v[3];
        for (int k = 0; k < 3; k++)
            v[k] = calloc(ne, sizeof *v[k]);
        if (v[0] && v[1] && v[2]) {
            for (size_t i = 0; i < ne; i++) {
                const ps_label *e = &labels->entries[PS_LABEL_ELEMENT][i];
                v[0][i] = e->name;
                v[1][i] = e->zh;
                v[2][i] = e->en;
            }
            rc = h5_attr_text_array(file, ELEMENTS_ATTR, ne, v[0]) < 0 ||
                         h5_attr_text_array(file, ELEMENTS_ATTR "_zh", ne,
                                            v[1]) < 0 ||
                         h5_attr_text_array(file, ELEMENTS_ATTR "_en", ne,
                                            v[2]) < 0
                     ? -1
                     : 0;
        } else {
            rc = -1;
        }
        for (int k = 0; k < 3; k++)
            free(v[k]);
    }
    return rc;
}

ps_status ps_h5_sink_write_labels(ps_h5_sink *s, const ps_labels *labels,
                                  ps_error *err)
{
    if (!labels)
        return PS_OK;
    if (!s->begun)
        return ps_error_set(err, PS_ERR_USAGE, s->partial, 0, 0,
                            "labels are stored after the runs");
    static const char *const target_coords[] = {H5N_TARGET};
    static const char *const assumption_coords[] = {"fixed", "lever"};
    int rc = write_file_labels(s->file, labels);
    for (size_t v = 0; v < s->nvars && rc == 0; v++) {
        const ps_label *l =
            ps_labels_find(labels, PS_LABEL_VARIABLE, s->model_names[v]);
        if (l)
            rc = write_var_labels(s->vars[v], l);
    }
    if (rc == 0)
        rc = write_group_labels(s->file, H5N_SUMMARY, target_coords, 1, labels,
                                PS_LABEL_TARGET);
    if (rc == 0)
        rc = write_coord_labels(s->file, H5N_PARAM, labels, PS_LABEL_INPUT);
    if (rc == 0)
        rc = write_group_labels(s->file, H5N_ASSUMPTIONS, assumption_coords, 2,
                                labels, PS_LABEL_INPUT);
    if (rc < 0) {
        s->failed = 1;
        return h5_fail(err, PS_ERR_IO, s->partial, "cannot store the labels");
    }
    return PS_OK;
}

int h5_write_posterior_labels(hid_t file, const ps_labels *labels)
{
    if (!labels)
        return 0;
    return write_file_labels(file, labels) < 0 ||
                   write_coord_labels(file, "parameter", labels,
                                      PS_LABEL_INPUT) < 0 ||
                   write_coord_labels_by(file, "series", "series_variable",
                                         labels, PS_LABEL_VARIABLE) < 0 ||
                   write_coord_labels(file, H5N_TARGET, labels,
                                      PS_LABEL_TARGET) < 0
               ? -1
               : 0;
}

/* ---- reading --------------------------------------------------------------
 */

/* A text attribute as a new string, or NULL (absent, or out of memory
   when *oom is set). */
static char *attr_text(hid_t obj, const char *name)
{
    char *t = NULL;
    if (H5Aexists(obj, name) <= 0 || h5_attr_read_text(obj, name, &t) < 0) {
        H5Eclear2(H5E_DEFAULT);
        return NULL;
    }
    return t;
}

static void read_var_labels(hid_t file, ps_h5_var_summary *v)
{
    if (!v->name || H5Lexists(file, v->name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    hid_t d = H5Dopen2(file, v->name, H5P_DEFAULT);
    if (d < 0) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    v->label_zh = attr_text(d, "label_zh");
    v->label_en = attr_text(d, "label_en");
    v->units_zh = attr_text(d, "units_zh");
    v->units_en = attr_text(d, "units_en");
    double scale = 1;
    long long percent = 0;
    if (H5Aexists(d, "display_scale") > 0)
        h5_attr_read_double(d, "display_scale", &scale);
    if (H5Aexists(d, "display_percent") > 0)
        h5_attr_read_int64(d, "display_percent", &percent);
    H5Eclear2(H5E_DEFAULT);
    v->display_scale = v->label_zh ? scale : 0;
    v->display_percent = v->label_zh && percent != 0;
    H5Dclose(d);
}

/* label_zh and label_en of coordinate loc/name into n items of `size`
   bytes from `base`, at offsets zh_off and en_off; nothing when absent
   or of another length. */
static void read_coord_labels(hid_t loc, const char *name, size_t n, void *base,
                              size_t size, size_t zh_off, size_t en_off)
{
    if (!n || H5Lexists(loc, name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
    if (d < 0) {
        H5Eclear2(H5E_DEFAULT);
        return;
    }
    static const char *const attrs[2] = {"label_zh", "label_en"};
    const size_t offs[2] = {zh_off, en_off};
    for (int k = 0; k < 2; k++) {
        size_t m = 0;
        char **texts = NULL;
        if (H5Aexists(d, attrs[k]) <= 0 ||
            h5_attr_read_text_array(d, attrs[k], &m, &texts) < 0) {
            H5Eclear2(H5E_DEFAULT);
            continue;
        }
        for (size_t i = 0; i < m && m == n; i++) {
            char **slot = (char **)((char *)base + i * size + offs[k]);
            *slot = texts[i]; /* taken over */
            texts[i] = NULL;
        }
        h5_free_strings(texts, m);
    }
    H5Dclose(d);
}

/* ps_h5_labels_read, with HDF5's error printing already silenced. */
static ps_status labels_read(const char *path, ps_h5_summary *s,
                             ps_h5_assumptions *a, ps_error *err)
{
    hid_t file;
    ps_status st = h5_open_read(path, &file, err);
    if (st != PS_OK)
        return st;
    s->labels_file = attr_text(file, LABELS_FILE_ATTR);
    if (s->labels_file) {
        char **names = NULL, **zh = NULL, **en = NULL;
        size_t n0 = 0, n1 = 0, n2 = 0;
        if (H5Aexists(file, ELEMENTS_ATTR) > 0 &&
            h5_attr_read_text_array(file, ELEMENTS_ATTR, &n0, &names) == 0 &&
            h5_attr_read_text_array(file, ELEMENTS_ATTR "_zh", &n1, &zh) == 0 &&
            h5_attr_read_text_array(file, ELEMENTS_ATTR "_en", &n2, &en) == 0 &&
            n0 == n1 && n1 == n2) {
            s->nelement_labels = n0;
            s->element_names = names;
            s->element_labels_zh = zh;
            s->element_labels_en = en;
        } else {
            h5_free_strings(names, n0);
            h5_free_strings(zh, n1);
            h5_free_strings(en, n2);
        }
        H5Eclear2(H5E_DEFAULT);
        for (size_t v = 0; v < s->nvars; v++)
            read_var_labels(file, &s->vars[v]);
        hid_t g = H5Gopen2(file, H5N_SUMMARY, H5P_DEFAULT);
        if (g >= 0) {
            read_coord_labels(g, H5N_TARGET, s->ntargets, s->targets,
                              sizeof *s->targets,
                              offsetof(ps_h5_target_summary, label_zh),
                              offsetof(ps_h5_target_summary, label_en));
            H5Gclose(g);
        }
        H5Eclear2(H5E_DEFAULT);
        if (a) {
            read_coord_labels(file, H5N_PARAM, a->ninputs, a->inputs,
                              sizeof *a->inputs,
                              offsetof(ps_h5_input_info, label_zh),
                              offsetof(ps_h5_input_info, label_en));
            hid_t ga = H5Lexists(file, H5N_ASSUMPTIONS, H5P_DEFAULT) > 0
                           ? H5Gopen2(file, H5N_ASSUMPTIONS, H5P_DEFAULT)
                           : -1;
            if (ga >= 0) {
                read_coord_labels(ga, "fixed", a->nfixed, a->fixed,
                                  sizeof *a->fixed,
                                  offsetof(ps_h5_fixed_info, label_zh),
                                  offsetof(ps_h5_fixed_info, label_en));
                read_coord_labels(ga, "lever", a->nlevers, a->levers,
                                  sizeof *a->levers,
                                  offsetof(ps_h5_lever_info, label_zh),
                                  offsetof(ps_h5_lever_info, label_en));
                H5Gclose(ga);
            }
            H5Eclear2(H5E_DEFAULT);
        }
    }
    H5Fclose(file);
    return PS_OK;
}

ps_status ps_h5_labels_read(const char *path, ps_h5_summary *s,
                            ps_h5_assumptions *a, ps_error *err)
{
    /* a damaged file's errors are returned, not printed by HDF5 */
    h5_quiet q;
    h5_quiet_begin(&q);
    ps_status st = labels_read(path, s, a, err);
    h5_quiet_end(&q);
    return st;
}

/* Attribute `attr` of the string coordinate file/name as n new strings,
   or NULL (absent, of another length, or out of memory). */
static char **coord_texts(hid_t file, const char *name, const char *attr,
                          size_t n)
{
    if (!n || H5Lexists(file, name, H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return NULL;
    }
    hid_t d = H5Dopen2(file, name, H5P_DEFAULT);
    size_t m = 0;
    char **texts = NULL;
    if (d < 0 || H5Aexists(d, attr) <= 0 ||
        h5_attr_read_text_array(d, attr, &m, &texts) < 0 || m != n) {
        h5_free_strings(texts, m);
        texts = NULL;
    }
    if (d >= 0)
        H5Dclose(d);
    H5Eclear2(H5E_DEFAULT);
    return texts;
}

void h5_read_posterior_labels(hid_t file, ps_h5_posterior *p)
{
    p->labels_file = attr_text(file, LABELS_FILE_ATTR);
    if (!p->labels_file)
        return;
    p->param_labels_zh = coord_texts(file, "parameter", "label_zh", p->nparams);
    p->param_labels_en = coord_texts(file, "parameter", "label_en", p->nparams);
    p->series_labels_zh = coord_texts(file, "series", "label_zh", p->nseries);
    p->series_labels_en = coord_texts(file, "series", "label_en", p->nseries);
    p->target_labels_zh =
        coord_texts(file, H5N_TARGET, "label_zh", p->ntargets);
    p->target_labels_en =
        coord_texts(file, H5N_TARGET, "label_en", p->ntargets);
}
