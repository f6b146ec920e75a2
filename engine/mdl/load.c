/*
 * Reading model files: the whole file into memory, then the reader chosen
 * by the file's extension.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/file.h"
#include "plansim/mdl.h"
#include "plansim/utf8.h"

/* Reads the whole file into a malloc'd buffer (*text, *len): a regular
   file (never a FIFO or device) within the input limit (the biggest
   published Vensim models, C-ROADS and En-ROADS, are a few MB). */
static ps_status read_all(const char *path, char **text, size_t *len,
                          ps_error *err)
{
    ps_error why;
    ps_status st = ps_file_read_input(path, text, len, &why);
    if (st != PS_OK)
        ps_error_set(err, st, path, 0, 0, "cannot read model file '%s': %s",
                     path, why.message);
    return st;
}

/* Vensim marks UTF-8 models with "{UTF-8}" on their first line; older
   ones are in the Windows code page of the machine that wrote them.  A
   model marked as UTF-8 (or with a byte-order mark) must be UTF-8; one
   that is not marked and not UTF-8 is read as Windows-1252 (Western
   Europe, where such models come from), so its names come out as Vensim
   shows them.  Either way a NUL byte is refused: a model is text. */
static ps_status mdl_to_utf8(const char *path, char **text, size_t *len,
                             ps_error *err)
{
    const char *t = *text;
    size_t n = *len;
    int marked = (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) ||
                 (n >= 7 && memcmp(t, "{UTF-8}", 7) == 0);
    if (marked || ps_utf8_valid(t, n))
        return ps_text_check(path, t, n, err);
    size_t out_len;
    char *utf8 = ps_cp1252_to_utf8(t, n, &out_len);
    if (!utf8)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0,
                            "out of memory reading '%s'", path);
    free(*text);
    *text = utf8;
    *len = out_len;
    return ps_text_check(path, utf8, out_len, err);
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
