/*
 * plansim units: products of base units with integer exponents.
 */
#include "units_impl.h"

#include <math.h>

ps__units ps__units_unknown(void)
{
    ps__units u = {.kind = PS__UNITS_UNKNOWN, .n = 0};
    return u;
}

ps__units ps__units_any(void)
{
    ps__units u = {.kind = PS__UNITS_ANY, .n = 0};
    return u;
}

ps__units ps__units_dmnl(void)
{
    ps__units u = {.kind = PS__UNITS_KNOWN, .n = 0};
    return u;
}

ps__units ps__units_base(int base)
{
    ps__units u = ps__units_dmnl();
    u.n = 1;
    u.f[0].base = base;
    u.f[0].exp = 1;
    return u;
}

int ps__units_is_dmnl(const ps__units *u)
{
    return u->kind == PS__UNITS_KNOWN && u->n == 0;
}

int ps__units_equal(const ps__units *a, const ps__units *b)
{
    if (a->kind != PS__UNITS_KNOWN || b->kind != PS__UNITS_KNOWN ||
        a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (a->f[i].base != b->f[i].base || a->f[i].exp != b->f[i].exp)
            return 0;
    return 1;
}

/* The kind of a product or quotient, or KNOWN when both factors are. */
static ps__units_kind combined_kind(const ps__units *a, const ps__units *b)
{
    if (a->kind == PS__UNITS_UNKNOWN || b->kind == PS__UNITS_UNKNOWN)
        return PS__UNITS_UNKNOWN;
    if (a->kind == PS__UNITS_ANY && b->kind == PS__UNITS_ANY)
        return PS__UNITS_ANY;
    return PS__UNITS_KNOWN;
}

/* Merges two sorted factor lists, b's exponents scaled by sign. */
static ps__units merge(const ps__units *a, const ps__units *b, int sign)
{
    ps__units out = ps__units_dmnl();
    /* ANY acts as Dmnl here: its factor list is empty. */
    int na = a->kind == PS__UNITS_KNOWN ? a->n : 0;
    int nb = b->kind == PS__UNITS_KNOWN ? b->n : 0;
    int i = 0, j = 0;
    while (i < na || j < nb) {
        ps__units_factor f;
        if (j >= nb || (i < na && a->f[i].base < b->f[j].base)) {
            f = a->f[i++];
        } else if (i >= na || b->f[j].base < a->f[i].base) {
            f = b->f[j++];
            f.exp *= sign;
        } else {
            f.base = a->f[i].base;
            f.exp = a->f[i++].exp + sign * b->f[j++].exp;
        }
        if (f.exp == 0)
            continue;
        if (out.n == PS__UNITS_MAX_FACTORS || f.exp > PS__UNITS_MAX_EXP ||
            f.exp < -PS__UNITS_MAX_EXP)
            return ps__units_unknown();
        out.f[out.n++] = f;
    }
    return out;
}

ps__units ps__units_mul(const ps__units *a, const ps__units *b)
{
    ps__units_kind kind = combined_kind(a, b);
    if (kind == PS__UNITS_UNKNOWN)
        return ps__units_unknown();
    if (kind == PS__UNITS_ANY)
        return ps__units_any();
    return merge(a, b, 1);
}

ps__units ps__units_div(const ps__units *a, const ps__units *b)
{
    ps__units_kind kind = combined_kind(a, b);
    if (kind == PS__UNITS_UNKNOWN)
        return ps__units_unknown();
    if (kind == PS__UNITS_ANY)
        return ps__units_any();
    return merge(a, b, -1);
}

ps__units ps__units_pow(const ps__units *u, double p)
{
    if (u->kind != PS__UNITS_KNOWN)
        return *u;
    if (!isfinite(p))
        return ps__units_unknown();
    ps__units out = ps__units_dmnl();
    for (int i = 0; i < u->n; i++) {
        double e = u->f[i].exp * p;
        double r = nearbyint(e);
        /* Exponents are integers: person^0.5 is beyond this algebra. */
        if (fabs(e - r) > 1e-9 || fabs(r) > PS__UNITS_MAX_EXP)
            return ps__units_unknown();
        if (r == 0)
            continue;
        out.f[out.n].base = u->f[i].base;
        out.f[out.n].exp = (int)r;
        out.n++;
    }
    return out;
}
