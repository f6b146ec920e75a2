/*
 * plansim: how a compiled program is executed.
 *
 * A program runs on the bytecode interpreter, or as native code: its C
 * source (generated from the same code the interpreter runs, operation for
 * operation, so results are bit-identical) built with the system's C
 * compiler into a shared object and loaded with dlopen.  Built objects are
 * kept in a cache folder, keyed by the SHA-256 of the source, the
 * compiler's identity and the flags, so a model is compiled once.
 *
 * Environment:
 *   PLANSIM_ENGINE     the default engine of the command line: auto,
 *                      native or interpreted (ps_engine_from_env)
 *   PLANSIM_CC         the C compiler (default: cc, searched on PATH)
 *   PLANSIM_CACHE_DIR  the cache folder (default: $XDG_CACHE_HOME/plansim,
 *                      else ~/.cache/plansim; created with mode 0700)
 */
#ifndef PLANSIM_ENGINE_H
#define PLANSIM_ENGINE_H

#include "plansim/program.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_engine {
    PS_ENGINE_AUTO,       /* native code, else the interpreter, with a note */
    PS_ENGINE_NATIVE,     /* native code, or an error                     */
    PS_ENGINE_INTERPRETED /* the interpreter                              */
} ps_engine;

/* Reads "auto", "native" or "interpreted" into *out: 0, or -1 (*out
   unchanged) for anything else. */
int ps_engine_parse(const char *text, ps_engine *out);

/* The engine PLANSIM_ENGINE names (AUTO when it is unset or empty);
   PS_ERR_USAGE for anything but the three names. */
ps_status ps_engine_from_env(ps_engine *out, ps_error *err);

/* "auto", "native" or "interpreted". */
const char *ps_engine_name(ps_engine e);

/*
 * Selects how p runs; call it before any instance of p exists.  NATIVE and
 * AUTO build (or find in the cache) and load p's native code; when that
 * fails, NATIVE returns the error (PS_ERR_UNAVAILABLE: no compiler, or it
 * failed; PS_ERR_CANTCREAT: the cache folder is unusable or unsafe) and
 * AUTO keeps the interpreter and records why (ps_program_engine_note).
 * INTERPRETED unloads any native code.  The loaded object is closed by
 * ps_program_free.
 */
ps_status ps_program_set_engine(ps_program *p, ps_engine e, ps_error *err);

/* "native" or "interpreted": how p runs now. */
const char *ps_program_engine(const ps_program *p);

/* Why AUTO fell back to the interpreter (one line), or NULL. */
const char *ps_program_engine_note(const ps_program *p);

/* The shared object p's native code was loaded from, or NULL; and whether
   it came from the cache (1) or was compiled by this call (0). */
const char *ps_program_native_path(const ps_program *p);
int ps_program_native_cached(const ps_program *p);

#ifdef __cplusplus
}
#endif
#endif
