/*
 * Private helpers of the ensemble file module: error reporting, text and
 * number attributes, string datasets, dataset names, and the summary
 * writer shared by the sink and the path-based entry point.
 */
#ifndef PS_H5_IMPL_H
#define PS_H5_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "plansim/status.h"
#include "plansim_output/h5.h"

#include "h5_self_check.h"

/* Names of the objects the layout fixes (docs/output-format.md). */
#define H5N_RUN "run"
#define H5N_TIME "time"
#define H5N_PARAM "param"
#define H5N_PARAM_VALUE "param_value"
#define H5N_RUN_STATUS "run_status"
#define H5N_SUMMARY "summary"
#define H5N_QUANTILE "quantile"
#define H5N_TARGET "target"
#define H5N_ASSUMPTIONS "assumptions"

/* The quantile levels of the summary. */
#define H5_NQUANTILES 7
extern const double h5_quantile_levels[H5_NQUANTILES];

/* ---- errors ---------------------------------------------------------- */

/*
 * HDF5's automatic error printing, replaced for the length of one public
 * call and restored afterwards: library code never prints.  In its place
 * a silent handler keeps the most specific message of the latest failed
 * HDF5 call in `detail`.  Why not just switch it off: HDF5 clears its
 * error stack on entry to every call, so by the time a failure reaches
 * h5_fail, the cleanup calls in between have erased what went wrong.
 */
typedef struct h5_quiet {
    H5E_auto2_t func;
    void *data;
    char detail[256];
} h5_quiet;

void h5_quiet_begin(h5_quiet *q);
void h5_quiet_end(const h5_quiet *q);

/*
 * Sets `err` to `status` at `path` with the message "<fmt...>: <detail>",
 * where the detail is what the latest failed HDF5 call reported (it names
 * the system error, e.g. "No space left on device"), then forgets that
 * detail.  When no HDF5 call failed and errno is ENOMEM, an allocation
 * of plansim's did: the status is then PS_ERR_NOMEM and the message
 * "<fmt...>: out of memory".  Returns the status set.
 */
ps_status h5_fail(ps_error *err, ps_status status, const char *path,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* ---- units (h5_units.c) ------------------------------------------------- */

/* udunits-2 with its own XML unit database, to check `units` text. */
typedef struct h5_udunits h5_udunits;

/* Loads udunits' default database; NULL when it cannot (the files then
   carry the model's unit text in vensim_units only).  Close with
   h5_udunits_close (NULL allowed). */
h5_udunits *h5_udunits_open(void);
void h5_udunits_close(h5_udunits *u);

/*
 * Writes into buf[size] a text that udunits-2 reads for the Vensim unit
 * text `vensim`: the text with the words Vensim models use for
 * dimensionless numbers and counts (Dmnl, Person, ...) written "1" and
 * plural time words singular, when ut_parse accepts the result.
 * Returns 0, or -1 when there is none (亿元/Year), `vensim` is NULL or
 * empty, or u is NULL.
 */
int h5_udunits_translate(const h5_udunits *u, const char *vensim, char *buf,
                         size_t size);

/* The units of a variable: `units` (when h5_udunits_translate finds one)
   and `vensim_units` (the model's text).  NULL or "" writes nothing.
   0, or -1 when writing fails. */
int h5_attr_units(hid_t obj, const h5_udunits *u, const char *vensim);

/* The global attribute units_convention: what `units` promises. */
#define H5_UNITS_CONVENTION                                                    \
    "udunits-2: every units attribute parses with udunits-2; the model's "     \
    "own unit text is in vensim_units"

/* The model's unit text of an object: vensim_units, else units, else
   "" (files written before vensim_units).  Owned by the caller; NULL
   only when out of memory. */
char *h5_units_read(hid_t obj);

/* ---- property lists ----------------------------------------------------- */

/* A group creation list tracking and indexing link and attribute
   creation order (netCDF-4 needs it to reopen a file for writing). */
hid_t h5_gcpl(void);

/* A dataset creation list tracking attribute creation order. */
hid_t h5_dcpl(void);

/* A dataset access list without a chunk cache, for datasets whose chunks
   are written or read whole, once: HDF5 then moves them straight between
   the file and the caller's buffer. */
hid_t h5_dapl_uncached(void);

/* ---- attributes (all return 0, or -1 with the HDF5 error stack set) ---- */

/* Human text (long_name, title, ...): a scalar variable-length UTF-8
   string.  NULL text writes nothing. */
int h5_attr_text(hid_t obj, const char *name, const char *text);

/* Short conventional text (units, Conventions, ...): a scalar
   fixed-length ASCII string, or variable-length UTF-8 when the text is
   not ASCII.  NULL text writes nothing. */
int h5_attr_short(hid_t obj, const char *name, const char *text);

/* One-dimensional array of variable-length UTF-8 strings. */
int h5_attr_text_array(hid_t obj, const char *name, size_t n,
                       const char *const *texts);

int h5_attr_double(hid_t obj, const char *name, double v);
int h5_attr_int64(hid_t obj, const char *name, int64_t v);
int h5_attr_uint64(hid_t obj, const char *name, uint64_t v);
int h5_attr_int8s(hid_t obj, const char *name, size_t n, const signed char *v);

/* Reads a scalar string attribute (fixed or variable length) into a new
   string owned by the caller.  Returns 0, or -1 when it is absent or not
   a string. */
int h5_attr_read_text(hid_t obj, const char *name, char **out);

/* Reads a 1-D attribute of variable-length strings (as
   h5_attr_text_array writes it) into *out, a new array of *n new
   strings.  Returns 0, or -1 when it is absent or not such an array. */
int h5_attr_read_text_array(hid_t obj, const char *name, size_t *n,
                            char ***out);

/* Reads a scalar numeric attribute; -1 when absent. */
int h5_attr_read_int64(hid_t obj, const char *name, long long *out);
int h5_attr_read_uint64(hid_t obj, const char *name, uint64_t *out);
int h5_attr_read_double(hid_t obj, const char *name, double *out);

/* ---- datasets ------------------------------------------------------------ */

/* A variable-length UTF-8 string type; the caller closes it. */
hid_t h5_vlen_utf8(void);

/* Creates (or, when it exists, opens) a contiguous 1-D or 2-D dataset of
   `type` with attribute creation order tracked.  `fill` may be NULL.
   Returns the dataset or a negative id. */
hid_t h5_dataset(hid_t loc, const char *name, hid_t type, int rank,
                 const hsize_t *dims, const void *fill);

/* Creates a 1-D dataset of n variable-length UTF-8 strings (NULL entries
   are written as "").  Returns the dataset or a negative id. */
hid_t h5_string_dataset(hid_t loc, const char *name, size_t n,
                        const char *const *texts);

/* Reads a 1-D string dataset of n elements into a new array of n new
   strings (caller frees both).  Returns 0 or -1. */
int h5_read_strings(hid_t loc, const char *name, size_t n, char ***out);

/* Writes (h5_slab_write) or reads (h5_slab_read) the hyperslab
   start/count (rank dimensions) of the open dataset d from or into buf,
   laid out as the slab is, as `memtype`.  Returns 0 or -1. */
int h5_slab_write(hid_t d, hid_t memtype, int rank, const hsize_t *start,
                  const hsize_t *count, const void *buf);
int h5_slab_read(hid_t d, hid_t memtype, int rank, const hsize_t *start,
                 const hsize_t *count, void *buf);

/* Reads a whole 1-D or 2-D numeric dataset as `memtype` into `buf` whose
   size in elements is `n`, which must match.  Returns 0 or -1. */
int h5_read_all(hid_t loc, const char *name, hid_t memtype, size_t n,
                void *buf);

/* Length of the first dimension of dataset `name`; -1 when absent. */
long long h5_length(hid_t loc, const char *name);

/* ---- names ------------------------------------------------------------ */

/*
 * The dataset names for n model variable names (docs/output-format.md):
 * every ASCII character other than a letter, digit or '_' becomes '_',
 * runs of '_' shrink to one, leading and trailing '_' go, non-ASCII UTF-8
 * is kept (invalid bytes become '_'); a name left empty becomes "v", one
 * starting with a digit gets "v_" in front; a name already taken (by the
 * layout or an earlier variable) gets "_2", "_3", ... appended.  Returns
 * a new array of n new strings, or NULL when out of memory.
 */
char **h5_dataset_names(size_t n, const char *const *model_names);

void h5_free_strings(char **s, size_t n);

/* ---- subscripted variables (h5_shape.c) ------------------------------- */

/* Ranges of one variable at most (as the compiler allows). */
#define H5_MAX_RANGES 8

/* A saved variable's ranges as the file holds them: dataset (run, time,
   range 1, ...), each range's coordinate dataset and element names. */
typedef struct h5_shape {
    size_t ndims;                   /* 0 for a scalar (run, time)       */
    size_t size;                    /* elements: the product of n       */
    size_t n[H5_MAX_RANGES];
    char *dim[H5_MAX_RANGES];       /* coordinate dataset names         */
    char **elements[H5_MAX_RANGES]; /* element names per range          */
} h5_shape;

/* Reads the shape of the open variable dataset d.  0, or -1 (a dataset
   that is not (run, time, ...) or whose ranges have no coordinate). */
int h5_shape_read(hid_t d, h5_shape *s);
void h5_shape_free(h5_shape *s);

/* The element (row-major index) that `text` names: `model_name` itself
   for a scalar, "model_name[e1,e2]" for a subscripted variable (element
   names compared as Vensim compares names); (size_t)-1 when it names
   none. */
size_t h5_shape_find(const h5_shape *s, const char *model_name,
                     const char *text);

/* "e1,e2" of element `flat` (a new string; "" for a scalar). */
char *h5_shape_element(const h5_shape *s, size_t flat);

/*
 * The names of the dimensions for n ranges: made like dataset names and
 * unique against the layout's names, the nvars variables' dataset names
 * and each other ("region", then "region_2").  A new array of n new
 * strings, NULL on no memory.
 */
char **h5_dim_names(size_t n, const char *const *ranges, size_t nvars,
                    const char *const *var_names);

/* ---- files ------------------------------------------------------------ */

/*
 * Opens the ensemble file `path` read-only into *file, after its layout
 * check (h5_layout_check).  PS_ERR_NOINPUT when it cannot be opened
 * (missing, unreadable, locked by a writer); PS_ERR_DATA when it is
 * readable but not an HDF5 file, or damaged.
 */
ps_status h5_open_read(const char *path, hid_t *file, ps_error *err);

/* PS_ERR_NOINPUT when `path` exists and is not a regular file (a FIFO,
   a device, a folder), found without opening it; else PS_OK. */
ps_status h5_check_regular(const char *path, ps_error *err);

/* ---- layout check (h5_layout.c) ----------------------------------------- */

/* At most this many attributes on one object, and string heaps in one
   file, are read. */
#define H5_LAYOUT_MAX_ATTRIBUTES 1024
#define H5_LAYOUT_MAX_COLLECTIONS 4096

/*
 * Checks the file `file` (open, named `path` in errors) before anything
 * is read from it: every link is a hard link (a soft or external one
 * would lead readers elsewhere); every dataset has at most 2 + H5_MAX_RANGES
 * dimensions and no more values than h5_layout_max_bytes allows; every
 * object at most H5_LAYOUT_MAX_ATTRIBUTES attributes; when the root holds
 * `run` and `time` coordinates, every root dataset with a model_name
 * attribute is a (run, time, ...) array of numbers of their lengths; the
 * references of every contiguous variable-length string dataset point to
 * strings of their length in undamaged global heap collections.
 * PS_ERR_DATA "damaged file: <what>", or PS_ERR_NOMEM.
 */
ps_status h5_layout_check(hid_t file, const char *path, ps_error *err);

/* The most bytes a dataset in a file of file_size bytes may need in
   memory: H5_LAYOUT_MAX_RATIO times the file (deflate never compresses
   more than about 1032 to 1) plus 4 GiB (room for values never written,
   which read as fill values).  A forged dimension is far beyond it. */
#define H5_LAYOUT_MAX_RATIO 1032u
uint64_t h5_layout_max_bytes(uint64_t file_size);

/* Do `rank` dimensions of elements of elem_size bytes fit in max_bytes,
   without overflow?  1 or 0. */
int h5_layout_size_ok(size_t rank, const uint64_t *dims, uint64_t elem_size,
                      uint64_t max_bytes);

/* One object of a global heap collection: its index and size. */
typedef struct h5_heap_object {
    unsigned index;
    uint64_t size;
} h5_heap_object;

/*
 * Walks the global heap collection in buf[size] (its "GCOL" header
 * first) as HDF5 reads it: 0 with *objects a new array of its *n objects
 * sorted by index (caller frees); -1 when it is damaged (a wrong header
 * or size, a free-space record HDF5 would loop on, an object running
 * past the end, an index used twice); -2 when out of memory.
 */
int h5_layout_parse_collection(const unsigned char *buf, uint64_t size,
                               h5_heap_object **objects, size_t *n);

/* The size of object `index` among n sorted objects; UINT64_MAX when
   absent. */
uint64_t h5_layout_object_size(const h5_heap_object *objects, size_t n,
                               unsigned index);

/* Writes the /assumptions group: fixed values and levers (h5_assumptions.c).
   Returns 0, or -1 with the HDF5 error stack set. */
int h5_write_assumptions(hid_t file, const ps_h5_meta *m, const h5_udunits *u);

/* ---- summary ----------------------------------------------------------- */

/* Computes and writes /summary in the open file `file`; `path` names it
   in errors. */
ps_status h5_summarize_file(hid_t file, const char *path, int threads,
                            ps_error *err);

/* Index of the saved time equal to t (to a relative 1e-9), or -1. */
long h5_time_index(const double *times, size_t n, double t);

/* The saved variables of an ensemble file in creation order: root
   datasets carrying a `model_name` attribute.  *names and *model_names
   are new arrays of new strings.  Returns 0 or -1. */
int h5_list_variables(hid_t file, size_t *n, char ***names,
                      char ***model_names);

/* Creates the new HDF5 file `partial` (path + ".partial") exclusively,
   with creation order tracked and indexed, as netCDF-4 needs: *file is its
   id.  An existing file or link named `partial` is left untouched and
   refused (ps_output_partial_exists()); PS_ERR_CANTCREAT naming `path`
   when the file cannot be made. */
ps_status h5_create_netcdf_file(const char *partial, const char *path,
                                hid_t *file, ps_error *err);
/* The file access list of the ensemble writers: HDF5 closes every open
   object with the file, and metadata reaches the disk only when the file
   is flushed (no cache evictions).  The caller closes it. */
hid_t h5_fapl_writer(void);

/* Lets files opened with `fapl` open although their status flags say a
   writer has them open for writing, as a writer killed outright leaves
   them (HDF5's h5clear does the same).  Only for a file no live writer
   can hold: a live writer's lock still makes the open fail.  0, or -1. */
int h5_fapl_clear_status(hid_t fapl);

/* Opens `partial` (an interrupted writer's file) for writing when it is
   a regular file reached with no symbolic link at its last component, and
   checks that HDF5 opened that same file and its layout.  *file is the
   caller's to close.  PS_ERR_NOINPUT when it is missing or unreadable;
   PS_ERR_DATA when it is a link, not a regular file or damaged
   (h5_resume.c). */
ps_status h5_resume_open(const char *partial, hid_t *file, ps_error *err);

/* Writes the global attributes a command would give its file into `mem`
   (an empty file in memory): PS_OK or the error. */
typedef ps_status (*h5_settings_writer)(hid_t mem, const void *ctx,
                                        ps_error *err);

/* Compares the global attributes of the open `file` (named `partial` in
   errors) with those `write` makes, except the ones that differ between
   any two runs of the same settings (history, created, command_line,
   n_runs).  PS_ERR_DATA naming the first that differs, with a hint to
   resume with the settings that made the file (h5_resume.c). */
ps_status h5_resume_compare(hid_t file, const char *partial,
                            h5_settings_writer write, const void *ctx,
                            ps_error *err);

/* h5_resume_compare, not comparing the attributes named in `ignore`
   either (NULL-ended; NULL: none): the results a file holds so far. */
ps_status h5_resume_compare_except(hid_t file, const char *partial,
                                   h5_settings_writer write, const void *ctx,
                                   const char *const *ignore, ps_error *err);

/* Does `path` end in ".partial" (the file of an unfinished run)? */
int h5_is_partial_path(const char *path);

/* Opens the .partial file `path` into memory (nothing is written back)
   and computes its summary there, over the runs it holds, for the
   readers to read as a finished file's.  PS_ERR_NOINPUT or PS_ERR_DATA
   (not an ensemble file, no runs yet). */
ps_status h5_open_partial_summarized(const char *path, hid_t *file,
                                     ps_error *err);

/* Removes the staging files "partial.<process id>" that calibrations
   killed while writing a stage left beside `partial`: regular files of
   this user whose process no longer runs (h5_posterior.c). */
void h5_posterior_remove_stale(const char *partial);

/* Compares the settings of the open posterior `f` (named `partial`)
   with those `settings` would write, not the results so far
   (h5_posterior.c).  PS_ERR_DATA naming the first that differs. */
ps_status h5_posterior_compare_settings(hid_t f, const char *partial,
                                        const struct ps_h5_posterior *settings,
                                        ps_error *err);

/*
 * Creates a file to become `partial` without a moment where `partial`
 * is half-written: refuses (as h5_create_netcdf_file) when `partial`
 * exists, else creates the file at *staging ("partial.<process id>", a
 * new string) for the caller to lay out; h5_publish_staged then gives
 * it the name.  On failure after this, the caller closes the file and
 * removes *staging (when still set), never `partial`.
 */
ps_status h5_create_staged(const char *partial, const char *path,
                           char **staging, hid_t *file, ps_error *err);

/* Flushes the open staged `file` and gives it the name `partial` with
   link() (atomic, and exclusive: PS_ERR_CANTCREAT as
   ps_output_partial_exists when `partial` appeared meanwhile); the
   staging name is removed and *staging freed and set to NULL either
   way.  The file stays open under its new name. */
ps_status h5_publish_staged(hid_t file, char **staging, const char *partial,
                            ps_error *err);

/* Moves the closed file `partial` to `path` durably, once it passes its
   own check (h5_self_check() with the n datasets in `expect`): syncs it,
   renames it and syncs the directory, so the final name survives a crash.
   PS_ERR_IO naming the file and the reason on failure; the file is then
   still at `partial`. */
ps_status h5_commit_file(const char *partial, const char *path,
                         const h5_expected_dataset *expect, size_t nexpect,
                         ps_error *err);

/* The scenario text kept in a file's scenario_yaml attribute: one file
   as it is; a chain of files (child first) as one YAML stream, each
   document introduced by a comment naming its file.  NULL texts count as
   empty.  A new string (caller frees), NULL on no memory. */
char *h5_scenario_text(size_t n, const char *const *names,
                       const char *const *texts);

/* Provenance shared by every file plansim writes (CF global attributes
   and what made the file). */
typedef struct h5_provenance {
    const char *title, *description;
    size_t nscenario_files;
    const char *const *scenario_names;
    const char *const *scenario_texts;
    const char *model_file, *model_sha256;
    uint64_t seed;
    const char *sampling;
    const char *engine_version;
    const char *command_line;
    ps_h5_lang_texts lang; /* title_zh etc.; NULL ones are not written */
} h5_provenance;

/* Reads the attributes title_zh, title_en, description_zh and
   description_en of `obj` into *t (NULL where absent).  0, or -1 when
   one cannot be read (t then holds what was read). */
int h5_read_lang_texts(hid_t obj, ps_h5_lang_texts *t);

/* Writes Conventions, title, description, title_zh, title_en,
   description_zh, description_en, source, history, scenario_yaml,
   scenario_files, model_file, model_sha256, seed, sampling,
   engine_version, created and command_line on `f`.  0, or -1. */
int h5_write_provenance(hid_t f, const h5_provenance *p);

/* ---- target definitions (h5_targets.c) ------------------------------- */

/*
 * Writes n target definitions in `loc`: the `target` coordinate (a
 * dimension scale of the identifiers; a NULL name becomes "target_<i>"),
 * and over it target_label, target_variable, target_source (only
 * `with_source`), target_time (with `time_units` when not NULL),
 * target_compare and target_binding (int8 CF flags), target_lo and
 * target_hi (the bound a rule does not use as NaN).  *scale is the
 * coordinate, left open for attaching (the caller closes it when it is
 * not negative).  0, or -1 with the HDF5 error stack set.
 */
int h5_write_target_defs(hid_t loc, size_t n, const ps_h5_target_meta *t,
                         int with_source, const char *time_units,
                         const h5_udunits *u, hid_t *scale);

/*
 * Reads n target definitions written by h5_write_target_defs into *out,
 * a new array whose strings are new (sources NULL when the file has no
 * target_source); free with h5_free_target_defs.  -1 when a column is
 * missing, is not n long, or holds a flag outside its values.
 */
int h5_read_target_defs(hid_t loc, size_t n, ps_h5_target_meta **out);

/* Frees what h5_read_target_defs made (n entries).  NULL is allowed. */
void h5_free_target_defs(ps_h5_target_meta *t, size_t n);

/* ---- labels of posterior files (h5_labels.c) -------------------------- */

struct ps_labels;

/* Stores `labels` (NULL: nothing) in the posterior file being written, as
   ps_h5_posterior's contract says; call after its coordinates exist.
   Returns 0, or -1 when writing fails. */
int h5_write_posterior_labels(hid_t file, const struct ps_labels *labels);

/* Reads what h5_write_posterior_labels stored into p's label fields
   (read after p's counts); a file without labels leaves them NULL. */
void h5_read_posterior_labels(hid_t file, ps_h5_posterior *p);

#endif
