/*
 * Reading model files: the whole file into memory, then the reader chosen
 * by the file's extension.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/mdl.h"
#include "plansim/utf8.h"

/* Reads the whole file into a malloc'd buffer (*text, *len). */
static ps_status read_all(const char *path, char **text, size_t *len,
                          ps_error *err)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0,
                            "cannot open model file '%s': %s", path,
                            strerror(errno));
    size_t n = 0, cap = 0;
    char *buf = NULL;
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                fclose(f);
                return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0,
                                    "out of memory reading '%s'", path);
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    /* A directory opens on some systems and fails only here. */
    int failed = ferror(f);
    int saved = errno;
    fclose(f);
    if (failed) {
        free(buf);
        return ps_error_set(err, PS_ERR_NOINPUT, path, 0, 0,
                            "cannot read model file '%s': %s", path,
                            strerror(saved));
    }
    *text = buf;
    *len = n;
    return PS_OK;
}

/* Vensim marks UTF-8 models with "{UTF-8}" on their first line; older
   ones are in the Windows code page of the machine that wrote them.  A
   model that is not UTF-8 is read as Windows-1252 (Western Europe, where
   such models come from), so its names come out as Vensim shows them. */
static ps_status mdl_to_utf8(const char *path, char **text, size_t *len,
                             ps_error *err)
{
    const char *t = *text;
    size_t n = *len;
    if (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        return PS_OK;
    if ((n >= 7 && memcmp(t, "{UTF-8}", 7) == 0) || ps_utf8_valid(t, n))
        return PS_OK;
    size_t out_len;
    char *utf8 = ps_cp1252_to_utf8(t, n, &out_len);
    if (!utf8)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0,
                            "out of memory reading '%s'", path);
    free(*text);
    *text = utf8;
    *len = out_len;
    return PS_OK;
}

ps_status ps_mdl_read_file(const char *path, ps_model **out, ps_error *err)
{
    ps_error_clear(err);
    if (out)
        *out = NULL;
    if (!path || !out)
        return ps_error_set(err, PS_ERR_INTERNAL, path, 0, 0,
                            "ps_mdl_read_file called without a path or "
                            "result");
    char *text;
    size_t len;
    ps_status st = read_all(path, &text, &len, err);
    if (st != PS_OK)
        return st;
    if ((st = mdl_to_utf8(path, &text, &len, err)) != PS_OK) {
        free(text);
        return st;
    }
    st = ps_mdl_parse(text, len, path, out, err);
    free(text);
    return st;
}

/* Case-insensitive ASCII comparison. */
static int same_ascii(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char cb = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (ca != cb)
            return 0;
    }
    return *a == *b;
}

ps_status ps_model_load(const char *path, ps_model **out, ps_error *err)
{
    ps_error_clear(err);
    if (out)
        *out = NULL;
    if (!path || !out)
        return ps_error_set(err, PS_ERR_INTERNAL, path, 0, 0,
                            "ps_model_load called without a path or result");
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *ext = strrchr(base, '.');
    if (!ext || !same_ascii(ext, ".mdl"))
        return ps_error_set(err, PS_ERR_UNSUPPORTED, path, 0, 0,
                            "unsupported model format %s%s%s: plansim reads "
                            "Vensim .mdl files",
                            ext ? "'" : "(no file extension)",
                            ext ? ext : "", ext ? "'" : "");
    return ps_mdl_read_file(path, out, err);
}
