/*
 * Choosing how a program runs: loading its native code (built, or found
 * in the cache, by native_cache.c) or keeping the interpreter.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "native_impl.h"
#include "plansim/engine.h"

int ps_engine_parse(const char *text, ps_engine *out)
{
    static const ps_engine all[] = {PS_ENGINE_AUTO, PS_ENGINE_NATIVE,
                                    PS_ENGINE_INTERPRETED};
    for (size_t i = 0; text && i < sizeof all / sizeof *all; i++)
        if (strcmp(text, ps_engine_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

ps_status ps_engine_from_env(ps_engine *out, ps_error *err)
{
    const char *env = getenv("PLANSIM_ENGINE");
    *out = PS_ENGINE_AUTO;
    if (!env || !*env || ps_engine_parse(env, out) == 0)
        return PS_OK;
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                        "PLANSIM_ENGINE must be auto, native or interpreted, "
                        "not '%.40s'",
                        env);
}

const char *ps_engine_name(ps_engine e)
{
    switch (e) {
    case PS_ENGINE_NATIVE:
        return "native";
    case PS_ENGINE_INTERPRETED:
        return "interpreted";
    default:
        return "auto";
    }
}

void native_free(native_code *nc)
{
    if (!nc)
        return;
    if (nc->handle)
        dlclose(nc->handle);
    free(nc->path);
    free(nc);
}

/* Opens the object at nc->path and finds its functions. */
static ps_status open_object(const ps_program *p, native_code *nc,
                             ps_error *err)
{
    if (native_file_trusted(nc->path, err) != 0)
        return PS_ERR_UNAVAILABLE;
    nc->handle = dlopen(nc->path, RTLD_NOW | RTLD_LOCAL);
    if (!nc->handle) {
        const char *why = dlerror();
        return ps_error_set(err, PS_ERR_UNAVAILABLE, nc->path, 0, 0,
                            "cannot load: %s", why ? why : "dlopen failed");
    }
    const unsigned *abi = dlsym(nc->handle, "ps_native_abi");
    const size_t *ninit = dlsym(nc->handle, "ps_native_ninit");
    native_fn *const *step = dlsym(nc->handle, "ps_native_step");
    nc->init = dlsym(nc->handle, "ps_native_init");
    if (!abi || !ninit || !step || !nc->init || *abi != NATIVE_ABI_VERSION ||
        *ninit != p->ninit)
        return ps_error_set(err, PS_ERR_UNAVAILABLE, nc->path, 0, 0,
                            "not native code of this model and engine");
    nc->step = *step;
    return PS_OK;
}

/* Builds (or finds) and loads p's native code into *out. */
static ps_status load_native(const ps_program *p, native_code **out,
                             ps_error *err)
{
    char *src = NULL, *dir = NULL;
    size_t len = 0;
    native_code *nc = calloc(1, sizeof *nc);
    if (!nc)
        return ps_error_set(err, PS_ERR_NOMEM, p->path, 0, 0, "out of memory");
    ps_status st = native_emit(p, &src, &len, err);
    if (st == PS_OK)
        st = native_cache_dir(&dir, err);
    if (st == PS_OK)
        st = native_build(src, len, dir, &nc->path, &nc->cached, err);
    if (st == PS_OK)
        st = open_object(p, nc, err);
    free(src);
    free(dir);
    if (st != PS_OK) {
        native_free(nc);
        nc = NULL;
    }
    *out = nc;
    return st;
}

ps_status ps_program_set_engine(ps_program *p, ps_engine e, ps_error *err)
{
    native_free(p->native);
    p->native = NULL;
    free(p->engine_note);
    p->engine_note = NULL;
    if (e == PS_ENGINE_INTERPRETED)
        return PS_OK;
    ps_error why = {0};
    ps_status st = load_native(p, &p->native, &why);
    if (st == PS_OK)
        return PS_OK;
    if (e == PS_ENGINE_NATIVE) {
        if (err)
            *err = why;
        return st;
    }
    size_t n = strlen(why.message) + strlen(why.file) + 4;
    p->engine_note = malloc(n);
    if (p->engine_note)
        snprintf(p->engine_note, n, "%s%s%s", why.file, *why.file ? ": " : "",
                 why.message);
    return PS_OK;
}

const char *ps_program_engine(const ps_program *p)
{
    return p->native ? "native" : "interpreted";
}

const char *ps_program_engine_note(const ps_program *p)
{
    return p->engine_note;
}

const char *ps_program_native_path(const ps_program *p)
{
    return p->native ? p->native->path : NULL;
}

int ps_program_native_cached(const ps_program *p)
{
    return p->native ? p->native->cached : 0;
}
