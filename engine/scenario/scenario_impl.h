/*
 * Private to the scenario reader: the YAML node tree, the loader's state,
 * and the helpers the section readers share.
 *
 * A scenario file is read in three passes (load.c drives them):
 * libfyaml's event parser builds a small tree of nodes that remember where
 * they were written (ytree.c), and names given twice in one file are
 * found (unique.c); the trees of a file and of the files it extends are
 * merged, child over parent (merge.c); the merged tree is read into a
 * ps_scenario, section by section, reporting the first error at its node
 * (build.c, inputs.c, dists.c, correlation.c, targets.c, observed.c with
 * observed_data.c for the data file it names, with values.c for typed
 * values and suggest.c for "did you mean").  diag.c formats the errors;
 * check.c (with observed_check.c) and apply.c work on the finished
 * scenario.
 */
#ifndef PLANSIM_SCENARIO_IMPL_H
#define PLANSIM_SCENARIO_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/scenario.h"

/* Deepest nesting of lists and mappings in a scenario file: libfyaml's
   document builder has the same limit, which labels files meet. */
#define SC_MAX_DEPTH 64

/* Most items in one list or mapping of a scenario file: names are checked
   against each other, and a scenario names at most a few hundred. */
#define SC_MAX_ITEMS 10000

typedef enum ykind { Y_SCALAR, Y_MAP, Y_SEQ } ykind;

/*
 * A YAML node.  Aliases share the anchored node, so the tree is a DAG:
 * nodes are owned by the arena, never by their parents.
 */
typedef struct ynode ynode;
struct ynode {
    ykind kind;
    int quoted; /* scalar written in quotes or as a block (| or >)       */
    int null;   /* empty plain scalar, '~' or 'null'                     */
    int flow;   /* mapping or list written inline: {...} or [...]         */
    char *text; /* scalar: its value, NUL-terminated                     */
    size_t len;
    ps_sc_where where;
    size_t n, cap;
    ynode **keys; /* mapping: keys (scalars)                             */
    ynode **vals; /* mapping: values; list: items                        */
};

/* Every node of a load, freed together. */
typedef struct yarena {
    ynode **v;
    size_t n, cap;
} yarena;

/* The loader's state.  sc->files / sc->texts grow as files are read;
   every where.file points at a string of sc->files. */
typedef struct sc_loader {
    ps_scenario *sc;
    yarena arena;
    char **ids; /* canonical path of each file, to find cycles          */
    ps_error *err;
} sc_loader;

/* ---- nodes (ytree.c) ---- */

/* A new node owned by the arena; NULL on no memory. */
ynode *ynode_new(yarena *a, ykind kind);

/* Appends a pair to a mapping (key NULL for a list item); 0 or -1. */
int ynode_push(ynode *n, ynode *key, ynode *val);

void yarena_free(yarena *a);

/* Parses sc->texts[file] into a tree; *root is NULL for an empty
   document.  Syntax errors are libfyaml's own messages, located and
   underlined like every other error. */
ps_status ytree_parse(sc_loader *ld, size_t file, ynode **root);

/* ---- errors (diag.c) ---- */

/* PS_ERR_DATA at node n (message, source line, underline). */
ps_status sc_fail(sc_loader *ld, const ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* As sc_fail, at a position and with a status of your choice. */
ps_status sc_fail_at(sc_loader *ld, const ps_sc_where *w, ps_status status,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* PS_ERR_NOMEM, not located. */
ps_status sc_nomem(sc_loader *ld);

/* Describes a node for "expected X, got Y" messages: 'text' for a
   scalar, "a mapping", "a list", "nothing". */
void sc_describe(const ynode *n, char *buf, size_t size);

/* ---- keys and values (values.c) ---- */

/* Canonical form of a format key: ASCII lower case, '_' and '-' read as
   spaces, runs of blanks collapsed.  Writes at most size bytes. */
void sc_key_norm(const char *s, char *buf, size_t size);

/* Does scalar node k spell format key `key` (already canonical)? */
int sc_key_is(const ynode *k, const char *key);

/* The value of `key` in mapping m (last match), or NULL; *key_node, when
   not NULL, receives the key node. */
ynode *sc_get(const ynode *m, const char *key, ynode **key_node);

/* Fails unless every key of mapping m is one of allowed[] (canonical
   forms, NULL-terminated): names the key, suggests the nearest, lists
   the allowed ones.  `what` says where ("in a target"). */
ps_status sc_check_keys(sc_loader *ld, const ynode *m,
                        const char *const *allowed, const char *what);

ps_status sc_expect_map(sc_loader *ld, const ynode *n, const char *what);
ps_status sc_expect_seq(sc_loader *ld, const ynode *n, const char *what);

/* Is n a plain scalar that reads as a number? */
int sc_is_number(const ynode *n);

/* The node to underline for an item as a whole: its value when written
   inline on one line ({...}), otherwise its name. */
const ynode *sc_item_node(const ynode *key, const ynode *val);

/* A finite number (plain scalar; "8%" is 0.08). */
ps_status sc_number(sc_loader *ld, const ynode *n, double *out);
/* A number that may also be .inf or -.inf. */
ps_status sc_number_or_inf(sc_loader *ld, const ynode *n, double *out);
/* A whole number >= min (decimal digits). */
ps_status sc_uint(sc_loader *ld, const ynode *n, uint64_t min, uint64_t *out);
/* A copy of a non-empty scalar's text (the caller frees it). */
ps_status sc_text(sc_loader *ld, const ynode *n, char **out);
/* As sc_text, for a model variable's name. */
ps_status sc_name(sc_loader *ld, const ynode *n, char **out);

/* ---- subscripts (subs_read.c, subs.c) ---- */

/* As sc_name, and reads the name's subscripts into *ref ("capacity[新材料]":
   the variable and each subscript with its position).  A name with
   subscripts is stored as "var[a,b]", without blanks around the brackets
   and commas.  Unbalanced brackets, empty subscripts and text after ']'
   are errors at their position. */
ps_status sc_ref_read(sc_loader *ld, const ynode *n, char **name,
                      ps_sc_ref *ref);

/* Frees what a ref holds and zeroes it.  NULL is allowed. */
void sc_ref_clear(ps_sc_ref *ref);

/* Splits `text` into *ref.  `at` is where text[0] is written (positions
   of the subscripts are counted from it; loc.line 0: none).  On a syntax
   error returns -1 with the message in msg and its position in *bad; -2
   on no memory (*ref then holds what was made: sc_ref_clear it). */
int sc_ref_split(const char *text, const ps_sc_where *at, ps_sc_ref *ref,
                 char *msg, size_t size, ps_sc_where *bad);

/* Keys of items in their order, to find a repeat by sorting rather than
   by comparing every pair (a long list would take quadratic time). */
typedef struct keyed {
    char *key; /* malloc'd */
    size_t order;
} keyed;

/* The first item of v[0..n) (in order) whose key an earlier item has:
   returns 1 with *repeat its order and *first the earliest item of that
   key, 0 when every key differs.  Sorts v. */
int sc_first_repeat(keyed *v, size_t n, size_t *first, size_t *repeat);

/* Frees the n keys of v, and v. */
void sc_keyed_free(keyed *v, size_t n);

/* The key of a scenario name, subscripts included, that sc_names_same
   compares (malloc'd; NULL when memory runs out). */
char *sc_name_key(const char *text);

/* Do two names (with or without subscripts) name the same thing, as
   Vensim compares names? */
int sc_names_same(const char *a, const char *b);

/* Is `whole` a variable name without subscripts, and `name` that
   variable with subscripts? */
int sc_name_covers(const char *whole, const char *name);

/* The items of a scenario resolved against a model: for each, its
   variable and the elements it names (ps_scenario_check). */
typedef struct sc_resolved sc_resolved;

/* Room for n items; NULL (err set) on no memory. */
sc_resolved *sc_resolved_new(const ps_scenario *sc, const ps_model *model,
                             size_t n, ps_error *err);
void sc_resolved_free(sc_resolved *r);

/* Resolves item i, named by ref and written at w: *var is the model
   variable (its first equation).  Located errors (unknown variable,
   element or range; subscripts on a scalar; the wrong number). */
ps_status sc_resolve_item(sc_resolved *r, size_t i, const ps_sc_ref *ref,
                          const ps_sc_where *w, const ps_var **var);

/* Elements item i names; whether they are all its variable's; the
   number of its variable's ranges. */
size_t sc_resolved_count(const sc_resolved *r, size_t i);
int sc_resolved_whole(const sc_resolved *r, size_t i);
size_t sc_resolved_dims(const sc_resolved *r, size_t i);

/* An element (row-major index) items a and b both name, or (size_t)-1. */
size_t sc_resolved_overlap(const sc_resolved *r, size_t a, size_t b);

/* "var[e1,e2]" of element `flat` of item i's variable (a new string). */
char *sc_resolved_element(const sc_resolved *r, size_t i, size_t flat);

/* Gives the elements item i names the equation e (copied), in `model`,
   the model r was resolved on. */
ps_status sc_replace(sc_resolved *r, size_t i, ps_model *model,
                     const ps_expr *e, ps_error *err);

/* Checks sc against model as ps_scenario_check; on success *out (when
   not NULL) holds the resolution of the fixed values, levers, uncertain
   inputs and targets, in that order (check.c). */
ps_status sc_check(const ps_scenario *sc, const ps_model *model,
                   sc_resolved **out, ps_error *err);

/* ---- names and suggestions (suggest.c) ---- */

/* The display name of m's variable closest to `name` in *shown, or NULL
   when none is close enough.  Returns 0, or -1 when memory runs out. */
int sc_nearest_var(const ps_model *m, const char *name, const char **shown);

/* Writes "; did you mean 'x'?" (or "") into buf: x is ps_nearest's
   candidate (plansim/suggest.h). */
void sc_suggestion(const char *word, const char *const *cands, size_t n,
                   char *buf, size_t size);

/* `rel` as written in file `base`: absolute paths stand, relative ones
   are taken from base's folder.  The caller frees the result; NULL on no
   memory. */
char *sc_resolve_path(const char *base, const char *rel);

/* ---- reading the merged tree (build.c and friends) ---- */

/* Merges child over parent (either may be NULL); NULL on no memory. */
ynode *sc_merge(sc_loader *ld, ynode *parent, ynode *child);

/* Reads the merged top-level mapping into ld->sc. */
ps_status sc_build(sc_loader *ld, const ynode *root);

/* Reads the optional label: and source: of mapping m. */
ps_status sc_labels(sc_loader *ld, const ynode *m, char **label, char **source);

ps_status sc_build_fixed(sc_loader *ld, const ynode *section);
ps_status sc_build_levers(sc_loader *ld, const ynode *section);
ps_status sc_build_inputs(sc_loader *ld, const ynode *section);
ps_status sc_build_correlation(sc_loader *ld, const ynode *matrix,
                               const ynode *pairs);
ps_status sc_build_targets(sc_loader *ld, const ynode *section);

/* Checks one file's tree before it is merged (merging would hide these):
   a key spelt two ways at the top level or in time/tolerance/sampling/
   observed, a variable named twice in fixed/levers/uncertain (in one
   section or across them), two targets of one name, two observed series
   of one name, a correlation pair given twice, and both forms of
   correlations in one file. */
ps_status sc_check_names(sc_loader *ld, const ynode *root);

/* Section names (canonical keys) of the top level. */
#define SC_FIXED "fixed"
#define SC_LEVERS "levers"
#define SC_UNCERTAIN "uncertain"
#define SC_CORRELATIONS "correlations"
#define SC_CORRELATION "correlation"
#define SC_TARGETS "targets"
#define SC_OBSERVED "observed"

/* ---- observed data (observed.c, observed_data.c, observed_check.c) ---- */

/* Reads the `observed:` section (`key` is its key, `section` its value)
   and the data file it names into ld->sc->observed. */
ps_status sc_build_observed(sc_loader *ld, const ynode *key,
                            const ynode *section);

/* Frees what the section holds, then the section.  NULL is allowed. */
void sc_observed_free(ps_sc_observed *o);

/* The data file of an `observed:` section, read whole: its header, and
   its rows in order of time. */
typedef struct sc_obs_table sc_obs_table;

/* Opens o->file (o->sheet of it, or its first sheet), reads the header
   and the times of the first column.  `file` and `sheet` are the nodes
   that name them (sheet may be NULL), where errors about them are
   reported; errors in the data (a time that is not a number, a time given
   twice, a row of values without a time) are located at the cell in the
   data file.  *out is the caller's (sc_obs_table_free). */
ps_status sc_obs_table_open(sc_loader *ld, const ps_sc_observed *o,
                            const ynode *file, const ynode *sheet,
                            sc_obs_table **out);

void sc_obs_table_free(sc_obs_table *t);

/* The column headed `name` (compared as variable names are), or an error
   at `at` suggesting the nearest header. */
ps_status sc_obs_table_column(sc_loader *ld, const sc_obs_table *t,
                              const char *name, const ynode *at, size_t *col);

/* Fills time, value and cell of series[0..n) from columns cols[0..n):
   the non-empty cells, in order of time.  A cell that is not a number is
   an error at the cell. */
ps_status sc_obs_table_read(sc_loader *ld, sc_obs_table *t, const size_t *cols,
                            ps_sc_obs_series *series, size_t n);

/* PS_ERR_DATA at the cell of column `col` holding observation j of s (at
   its line and column in a .csv or .tab file; named as Sheet1!C4 in the
   message for a workbook). */
ps_status sc_obs_table_fail(sc_loader *ld, sc_obs_table *t, size_t col,
                            const ps_sc_obs_series *s, size_t j,
                            const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Items the observed series add to a resolution: a series' variable, and
   its `of` (resolved for shares only). */
size_t sc_observed_items(const ps_scenario *sc);

/* Checks the observed series against the model (check.c calls it with
   the run's initial and final times): each variable, and each `of`,
   names one element with a value; every observation lies within the run,
   and a growth rate's start too.  Resolves them as items first, first+1,
   ... of r. */
ps_status sc_check_observed(const ps_scenario *sc, sc_resolved *r, size_t first,
                            double initial, double final, ps_error *err);

#endif
