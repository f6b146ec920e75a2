/*
 * "Name[e1,e2]": one element of a compiled program's variable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/element.h"
#include "plansim/names.h"

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

int ps_element_split(const char *text, size_t *name_len, const char **subs)
{
    size_t n = strlen(text);
    while (n > 0 && blank(text[n - 1]))
        n--;
    *subs = NULL;
    if (n == 0 || text[n - 1] != ']') {
        *name_len = strlen(text);
        return -1;
    }
    /* the '[' that opens the final list */
    size_t open = n - 1;
    while (open > 0 && text[open - 1] != '[')
        open--;
    if (open == 0) {
        *name_len = strlen(text);
        return -1;
    }
    size_t len = open - 1;
    while (len > 0 && blank(text[len - 1]))
        len--;
    *name_len = len;
    *subs = text + open;
    return 0;
}

const char *ps_element_split_next(const char *p, const char **start,
                                  size_t *len)
{
    while (blank(*p))
        p++;
    const char *end = p;
    while (*end && *end != ',' && *end != ']')
        end++;
    const char *last = end;
    while (last > p && blank(last[-1]))
        last--;
    *start = p;
    *len = (size_t)(last - p);
    return *end == ',' ? end + 1 : NULL;
}

/* Position of the element called name[0..len) in range d, or -1. */
static long elem_pos(const ps_program *prog, size_t d, const char *name,
                     size_t len)
{
    char *key = ps_name_key(name, len);
    if (!key)
        return -1;
    long found = -1;
    for (size_t e = 0; e < ps_program_dim_size(prog, d) && found < 0; e++) {
        char *k = ps_name_key(ps_program_dim_element(prog, d, e),
                              strlen(ps_program_dim_element(prog, d, e)));
        if (k && strcmp(k, key) == 0)
            found = (long)e;
        free(k);
    }
    free(key);
    return found;
}

size_t ps_element_index(const ps_program *prog, size_t var,
                        const char *const *names, size_t n)
{
    if (n != ps_program_var_ndims(prog, var))
        return PS_ALL_ELEMENTS;
    size_t flat = 0;
    for (size_t k = 0; k < n; k++) {
        size_t d = ps_program_var_dim(prog, var, k);
        long pos = elem_pos(prog, d, names[k], strlen(names[k]));
        if (pos < 0)
            return PS_ALL_ELEMENTS;
        flat = flat * ps_program_dim_size(prog, d) + (size_t)pos;
    }
    return flat;
}

/* "a, b, c" of range d, cut short when long. */
static void list_elements(const ps_program *prog, size_t d, char *buf,
                          size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t e = 0; e < ps_program_dim_size(prog, d) && o + 1 < size; e++) {
        if (o > 200) {
            snprintf(buf + o, size - o, ", ...");
            return;
        }
        o += (size_t)snprintf(buf + o, size - o, "%s%s", e ? ", " : "",
                              ps_program_dim_element(prog, d, e));
    }
}

/* PS_ERR_USAGE: no variable is called `name`; the nearest name is
   suggested. */
static ps_status no_variable(const ps_program *prog, const char *name,
                             ps_error *err)
{
    const char *near = ps_program_nearest(prog, name);
    return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                        "the model has no variable '%s'%s%s%s", name,
                        near ? "; did you mean '" : "", near ? near : "",
                        near ? "'?" : "");
}

ps_status ps_element_find(const ps_program *prog, const char *text, size_t *var,
                          size_t *element, ps_error *err)
{
    *element = PS_ALL_ELEMENTS;
    *var = ps_program_find(prog, text);
    if (*var != (size_t)-1)
        return PS_OK;
    size_t name_len;
    const char *subs;
    if (ps_element_split(text, &name_len, &subs) != 0)
        return no_variable(prog, text, err);
    char *name = malloc(name_len + 1);
    if (!name)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memcpy(name, text, name_len);
    name[name_len] = '\0';
    *var = ps_program_find(prog, name);
    if (*var == (size_t)-1) {
        ps_status st = no_variable(prog, name, err);
        free(name);
        return st;
    }
    free(name);
    size_t nd = ps_program_var_ndims(prog, *var);
    const char *vname = ps_program_var_name(prog, *var);
    if (nd == 0)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "'%s' has no subscripts: write '%s'", vname, vname);
    size_t given = 0;
    for (const char *q = subs; q;) {
        const char *s;
        size_t len;
        q = ps_element_split_next(q, &s, &len);
        given++;
    }
    if (given != nd) {
        char *example = ps_program_element_name(prog, *var, 0);
        ps_status st = ps_error_set(
            err, PS_ERR_USAGE, NULL, 0, 0,
            "'%s' has %zu subscript%s, not %zu: write one element of each "
            "range, as in '%s'",
            vname, nd, nd == 1 ? "" : "s", given, example ? example : vname);
        free(example);
        return st;
    }
    size_t flat = 0, k = 0;
    for (const char *p = subs; p; k++) {
        const char *s;
        size_t len;
        p = ps_element_split_next(p, &s, &len);
        size_t d = ps_program_var_dim(prog, *var, k);
        long pos = elem_pos(prog, d, s, len);
        if (pos < 0) {
            char list[256];
            list_elements(prog, d, list, sizeof list);
            return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                                "'%s' has no element '%.*s' in its range "
                                "'%s' (%s)",
                                vname, (int)len, s,
                                ps_program_dim_name(prog, d), list);
        }
        flat = flat * ps_program_dim_size(prog, d) + (size_t)pos;
    }
    *element = flat;
    return PS_OK;
}
