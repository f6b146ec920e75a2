/*
 * plansim units: writing units readably ("yuan/(person*Year)").
 */
#include "units_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bounded writer that never overruns and always stays terminated. */
typedef struct out_buf {
    char *buf;
    size_t cap;
    size_t len;
} out_buf;

static void put(out_buf *o, const char *s)
{
    size_t n = strlen(s);
    if (o->len + 1 >= o->cap)
        return;
    size_t room = o->cap - 1 - o->len;
    if (n > room)
        n = room;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

/* Sorts factors by their base's key (insertion sort: lists are short). */
static void sort_by_key(const ps__unit_table *t, ps__units_factor *f, int n)
{
    for (int i = 1; i < n; i++) {
        ps__units_factor x = f[i];
        const char *kx = ps__unit_table_key(t, x.base);
        int j = i - 1;
        while (j >= 0 && strcmp(ps__unit_table_key(t, f[j].base), kx) > 0) {
            f[j + 1] = f[j];
            j--;
        }
        f[j + 1] = x;
    }
}

/* Writes f[0..n) joined by '*', each with "^k" when |exp| is not 1. */
static void put_product(out_buf *o, const ps__unit_table *t,
                        const ps__units_factor *f, int n)
{
    for (int i = 0; i < n; i++) {
        if (i > 0)
            put(o, "*");
        put(o, ps__unit_table_display(t, f[i].base));
        int e = abs(f[i].exp);
        if (e != 1) {
            char pw[16];
            snprintf(pw, sizeof pw, "^%d", e);
            put(o, pw);
        }
    }
}

char *ps__units_format(const ps__unit_table *t, const ps__units *u,
                       char *buf, size_t cap)
{
    out_buf o = {.buf = buf, .cap = cap, .len = 0};
    if (cap == 0)
        return buf;
    buf[0] = '\0';
    if (u->kind == PS__UNITS_UNKNOWN) {
        put(&o, "unknown");
        return buf;
    }
    if (u->kind == PS__UNITS_ANY) {
        put(&o, "any");
        return buf;
    }
    if (u->n == 0) {
        put(&o, "Dmnl");
        return buf;
    }
    ps__units_factor num[PS__UNITS_MAX_FACTORS], den[PS__UNITS_MAX_FACTORS];
    int nn = 0, nd = 0;
    for (int i = 0; i < u->n; i++) {
        if (u->f[i].exp > 0)
            num[nn++] = u->f[i];
        else
            den[nd++] = u->f[i];
    }
    sort_by_key(t, num, nn);
    sort_by_key(t, den, nd);
    if (nn == 0)
        put(&o, "1");
    else
        put_product(&o, t, num, nn);
    if (nd > 0) {
        put(&o, "/");
        /* One factor needs no parentheses, even with a power: 1/Year^2. */
        if (nd > 1)
            put(&o, "(");
        put_product(&o, t, den, nd);
        if (nd > 1)
            put(&o, ")");
    }
    return buf;
}
