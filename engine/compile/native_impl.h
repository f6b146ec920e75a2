/*
 * Private interface between the engine and a model compiled to native
 * code (native_emit.c writes its C source, native_build.c builds and loads
 * it, native_api.c holds the functions it calls back).
 *
 * The generated code does the arithmetic (MIN and MAX among it, as
 * ps_fn_min and ps_fn_max define them) itself and calls every other
 * function (libm, lookups, timed and random builtins, vector functions)
 * through a table of pointers to the very functions the interpreter calls,
 * so that both give bit-identical results.  NATIVE_API lists that table
 * once: the engine builds its struct from it and the generator writes the
 * same struct, member by member, into every generated source.
 */
#ifndef PLANSIM_NATIVE_IMPL_H
#define PLANSIM_NATIVE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "compile_impl.h"

/* X(name, parameters): every member returns a double; a vm_context
   (the run's) is an opaque pointer in generated code. */
#define NATIVE_API(X)                                                          \
    X(pow, (double, double))                                                   \
    X(modulo, (double, double))                                                \
    X(quantum, (double, double))                                               \
    X(log2, (double, double))                                                  \
    X(zidz, (double, double))                                                  \
    X(xidz, (double, double, double))                                          \
    X(integer, (double))                                                       \
    X(exp, (double))                                                           \
    X(ln, (double))                                                            \
    X(log10, (double))                                                         \
    X(sin, (double))                                                           \
    X(cos, (double))                                                           \
    X(tan, (double))                                                           \
    X(asin, (double))                                                          \
    X(acos, (double))                                                          \
    X(atan, (double))                                                          \
    X(sinh, (double))                                                          \
    X(cosh, (double))                                                          \
    X(tanh, (double))                                                          \
    X(step, (const vm_context *, double, double))                              \
    X(pulse, (const vm_context *, double, double))                             \
    X(ramp2, (const vm_context *, double, double))                             \
    X(ramp3, (const vm_context *, double, double, double))                     \
    X(get_time_value, (const vm_context *, double, double, double))            \
    X(pulse_train, (const vm_context *, double, double, double, double))       \
    X(lookup, (const ps_table *, double))                                      \
    X(lookup_extrap, (const ps_table *, double))                               \
    X(lookup_forward, (const ps_table *, double))                              \
    X(lookup_backward, (const ps_table *, double))                             \
    X(lookup_invert, (const ps_table *, double))                               \
    X(lookup_raw, (const ps_table *, double))                                  \
    X(random_uniform, (const vm_context *, int32_t, double, double))           \
    X(random_normal,                                                           \
      (const vm_context *, int32_t, double, double, double, double))           \
    X(random_exponential,                                                      \
      (const vm_context *, int32_t, double, double, double, double))           \
    X(random_triangular,                                                       \
      (const vm_context *, int32_t, double, double, double, double, double))   \
    X(vector, (const vm_context *, int32_t, const double *, size_t, double *))

/* Version of the calling convention; a loaded object must carry it. */
#define NATIVE_ABI_VERSION 4u

#define NATIVE_MEMBER(name, params) double(*name) params;
typedef struct native_api {
    NATIVE_API(NATIVE_MEMBER)
} native_api;
#undef NATIVE_MEMBER

/* One compiled run of code: what vm_run(b, start, v, ctx) does (with
   ctx's address tables and lookup tables passed as they are).  The step
   function returns 1 when every value it stored is finite, else 0;
   ps_native_init[k] runs start-up step k (several steps share a
   function, which k selects) and returns 1. */
typedef int native_fn(double *v, const vm_context *ctx, const native_api *api,
                      const int32_t *atab, ps_table *const *tables, size_t k);

/* The callbacks of generated code (static storage, shared). */
const native_api *native_api_table(void);

/* The number of scalar arguments vector function `kind` pops. */
size_t vm_vector_arity(vector_kind kind);

/* One vector function, as the interpreter runs it: pops its scalar
   arguments below sp, pushes its result, returns the new top. */
double *vm_vector(const vec_op *o, const double *v, size_t lin,
                  const int32_t *atab, double *sp);

/*
 * The C source of program p: a function per start-up step (the array
 * `ps_native_init`, in init_steps order) and `ps_native_step`, each doing
 * what vm_run does on the same code, operation for operation, plus
 * `ps_native_abi` (NATIVE_ABI_VERSION).  The caller frees *src.
 */
ps_status native_emit(const ps_program *p, char **src, size_t *len,
                      ps_error *err);

/* A loaded native program (owned by the ps_program it was built for). */
typedef struct native_code {
    void *handle;           /* from dlopen                          */
    native_fn *const *init; /* one per init step                    */
    native_fn *step;
    char *path; /* the cached shared object             */
    int cached; /* found in the cache, not compiled     */
} native_code;

/* Closes and frees native code; NULL is allowed. */
void native_free(native_code *nc);

/*
 * The cache folder (PLANSIM_CACHE_DIR, else $XDG_CACHE_HOME/plansim, else
 * $HOME/.cache/plansim), created with mode 0700 when missing, and checked:
 * a real folder (not a symbolic link), owned by this user, and not
 * writable by others unless sticky.  The caller frees *dir.
 */
ps_status native_cache_dir(char **dir, ps_error *err);

/* Whether `path` may be loaded: a regular file (not a symbolic link)
   owned by this user and writable by no one else.  0, or -1 with the
   reason in err. */
int native_file_trusted(const char *path, ps_error *err);

/*
 * Builds `src` with the C compiler into `dir`, under the name
 * model-<key>.so where key is the SHA-256 of the source, the compiler's
 * identity (its resolved path, size and modification time) and the flags;
 * when that file exists already, builds nothing.  *so gets its path (the
 * caller frees it); *cached whether it was there.
 */
ps_status native_build(const char *src, size_t len, const char *dir, char **so,
                       int *cached, ps_error *err);

#endif
