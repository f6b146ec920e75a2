/*
 * plansim output: display names and units for readers, from a small
 * YAML file beside the model (MODEL.labels.yaml; docs/reports.md).
 *
 *   variables:
 *     gdp nominal: {zh: 地区生产总值, en: GDP, units_zh: 亿元,
 *                   units_en: 100 million yuan}
 *     urbanization rate: {zh: 城镇化率, en: Urbanization rate,
 *                         percent: true}
 *   targets:
 *     gdp_700: {zh: 地区生产总值达到700亿元, en: GDP reaches 70 billion yuan}
 *   inputs:
 *     birth rate: {zh: 出生率, en: Birth rate}
 *   elements:
 *     新材料: {zh: 新材料, en: New materials}
 *
 * A variable needs zh and en; units_zh, units_en, scale (a number the
 * model's value is multiplied by for display, default 1) and percent
 * (true: a rate or share shown as a percentage) are optional.  Targets
 * (by the scenario's target name) and inputs (uncertain inputs, levers and
 * fixed values, by model name) and elements of subscript ranges (by
 * element name) take zh and en.  Names are matched as
 * Vensim matches them: case, underscores and repeated spaces aside.
 */
#ifndef PLANSIM_OUTPUT_LABELS_H
#define PLANSIM_OUTPUT_LABELS_H

#include <stddef.h>

#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One entry of the file; strings are UTF-8, "" when not given. */
typedef struct ps_label {
    char *name; /* as written in the file */
    char *zh, *en;
    char *units_zh, *units_en; /* variables only */
    double scale;              /* variables only; 1 when not given */
    int percent;               /* variables only */
} ps_label;

typedef enum ps_label_kind {
    PS_LABEL_VARIABLE,
    PS_LABEL_TARGET,
    PS_LABEL_INPUT,
    PS_LABEL_ELEMENT,
    PS_LABEL_KINDS
} ps_label_kind;

typedef struct ps_labels {
    char *path;
    size_t n[PS_LABEL_KINDS];
    ps_label *entries[PS_LABEL_KINDS];
} ps_labels;

/*
 * Reads the labels file `path`.  On success *out is new, owned by the
 * caller (free with ps_labels_free).  PS_ERR_NOINPUT when it cannot be
 * opened; PS_ERR_DATA naming path:line:col for invalid YAML, an unknown
 * section or key, a missing zh or en, a scale that is not a positive
 * number, a percent that is not true or false, or a name given twice.
 */
ps_status ps_labels_load(const char *path, ps_labels **out, ps_error *err);

/*
 * The labels file beside the model file `model_path` ("m/q.mdl" ->
 * "m/q.labels.yaml") into buf[size]; returns buf, or NULL when it does
 * not fit.
 */
char *ps_labels_path_for_model(const char *model_path, char *buf, size_t size);

/*
 * The labels file beside the model file `model_path`, when there is one:
 * *out NULL and PS_OK when there is none (a model without labels); else
 * as ps_labels_load.
 */
ps_status ps_labels_load_for_model(const char *model_path, ps_labels **out,
                                   ps_error *err);

/* The entry of kind `kind` named `name` (Vensim's name matching), or
   NULL.  `l` may be NULL. */
const ps_label *ps_labels_find(const ps_labels *l, ps_label_kind kind,
                               const char *name);

/*
 * As ps_labels_find, and for an element ("chain output[新材料]") with no
 * entry of its own, its variable's entry ("chain output") with the
 * element's names ("新材料") copied into elem[size]; elem is "" when the
 * name itself has an entry.  NULL when neither has.
 */
const ps_label *ps_labels_lookup(const ps_labels *l, ps_label_kind kind,
                                 const char *name, char *elem, size_t size);

/*
 * The element names `elements` ("north,新材料") with each name that has
 * an element label replaced by it, in Chinese (`en` 0) or English, into
 * buf[size] (", " between names in English, "，" in Chinese).  Returns
 * buf.
 */
char *ps_labels_elements(const ps_labels *l, const char *elements, int en,
                         char *buf, size_t size);

/* Frees what ps_labels_load made and sets *l to NULL; NULL is allowed. */
void ps_labels_free(ps_labels **l);

#ifdef __cplusplus
}
#endif
#endif
