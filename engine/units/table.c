/*
 * plansim units: the table of base unit names and their synonyms.
 *
 * Models use few distinct unit names (tens, rarely hundreds), so names are
 * found by a linear scan of their canonical keys.
 */
#include "units_impl.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/names.h"

typedef struct name_entry {
    char *key; /* canonical key of one spelling  */
    int base;  /* the base unit it stands for    */
} name_entry;

typedef struct base_entry {
    char *key;     /* key of the base's first name: orders printed factors */
    char *display; /* spelling shown in messages                           */
    int used;      /* display came from model text (not from a synonym)    */
} base_entry;

struct ps__unit_table {
    name_entry *names;
    size_t nnames, cap_names;
    base_entry *bases;
    size_t nbases, cap_bases;
};

/*
 * Vensim's default synonym groups, as every new Vensim model carries them
 * in its settings ("22:" lines), plus the plurals of the remaining time
 * units so that any TIME STEP unit may be written singular or plural.
 */
static const char *const default_groups[] = {
    "$,Dollar,Dollars,$s", "Day,Days",   "Hour,Hours",
    "Month,Months",        "Person,People,Persons",
    "Unit,Units",          "Week,Weeks", "Year,Years",
    "Second,Seconds",      "Minute,Minutes", "Quarter,Quarters",
};

ps__unit_table *ps__unit_table_new(void)
{
    return calloc(1, sizeof(ps__unit_table));
}

void ps__unit_table_free(ps__unit_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nnames; i++)
        free(t->names[i].key);
    for (size_t i = 0; i < t->nbases; i++) {
        free(t->bases[i].key);
        free(t->bases[i].display);
    }
    free(t->names);
    free(t->bases);
    free(t);
}

/* Index of the name whose key is `key`, or -1. */
static long find_name(const ps__unit_table *t, const char *key)
{
    for (size_t i = 0; i < t->nnames; i++)
        if (strcmp(t->names[i].key, key) == 0)
            return (long)i;
    return -1;
}

/* Grows an array of `size`-byte elements to hold one more; 0 or -1. */
static int reserve(void **items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return 0;
    size_t new_cap = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, new_cap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = new_cap;
    return 0;
}

/* Adds a base; takes ownership of key and display (freed on failure). */
static int add_base(ps__unit_table *t, char *key, char *display, int used)
{
    if (!key || !display ||
        reserve((void **)&t->bases, t->nbases, &t->cap_bases,
                sizeof(base_entry)) != 0) {
        free(key);
        free(display);
        return -1;
    }
    t->bases[t->nbases].key = key;
    t->bases[t->nbases].display = display;
    t->bases[t->nbases].used = used;
    return (int)t->nbases++;
}

/* Adds a name for `base`; takes ownership of key (freed on failure). */
static int add_name(ps__unit_table *t, char *key, int base)
{
    if (!key || reserve((void **)&t->names, t->nnames, &t->cap_names,
                        sizeof(name_entry)) != 0) {
        free(key);
        return -1;
    }
    t->names[t->nnames].key = key;
    t->names[t->nnames].base = base;
    t->nnames++;
    return 0;
}

int ps__unit_table_intern(ps__unit_table *t, const char *name, size_t len)
{
    char *key = ps_name_key(name, len);
    if (!key)
        return -1;
    long i = find_name(t, key);
    if (i >= 0) {
        free(key);
        base_entry *b = &t->bases[t->names[i].base];
        if (!b->used) {
            /* Show the model's own spelling rather than the synonym's. */
            char *display = ps_name_display(name, len);
            if (!display)
                return -1;
            free(b->display);
            b->display = display;
            b->used = 1;
        }
        return t->names[i].base;
    }
    char *base_key = strdup(key);
    int base = add_base(t, base_key, ps_name_display(name, len), 1);
    if (base < 0 || add_name(t, key, base) != 0) {
        if (base < 0)
            free(key);
        return -1;
    }
    return base;
}

/* Trims blanks off [*s, *e). */
static void trim(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
        (*e)--;
}

ps_status ps__unit_table_add_synonyms(ps__unit_table *t, const char *group)
{
    int base = -1;
    const char *p = group;
    while (*p) {
        const char *s = p, *e = strchr(p, ',');
        if (!e)
            e = p + strlen(p);
        p = *e ? e + 1 : e;
        trim(&s, &e);
        if (s == e)
            continue;
        size_t len = (size_t)(e - s);
        char *key = ps_name_key(s, len);
        if (!key)
            return PS_ERR_NOMEM;
        long i = find_name(t, key);
        if (base < 0) {
            if (i >= 0) {
                base = t->names[i].base;
                free(key);
                continue;
            }
            char *base_key = strdup(key);
            base = add_base(t, base_key, ps_name_display(s, len), 0);
            if (base < 0) {
                free(key);
                return PS_ERR_NOMEM;
            }
            if (add_name(t, key, base) != 0)
                return PS_ERR_NOMEM;
            continue;
        }
        if (i >= 0) {
            /* Known already (say from an earlier group): it joins this
               one, but only while no value can hold its old base. */
            if (!t->bases[t->names[i].base].used)
                t->names[i].base = base;
            free(key);
            continue;
        }
        if (add_name(t, key, base) != 0)
            return PS_ERR_NOMEM;
    }
    return PS_OK;
}

ps_status ps__unit_table_add_defaults(ps__unit_table *t)
{
    size_t n = sizeof default_groups / sizeof default_groups[0];
    for (size_t i = 0; i < n; i++) {
        ps_status st = ps__unit_table_add_synonyms(t, default_groups[i]);
        if (st != PS_OK)
            return st;
    }
    return PS_OK;
}

const char *ps__unit_table_display(const ps__unit_table *t, int base)
{
    return t->bases[base].display;
}

const char *ps__unit_table_key(const ps__unit_table *t, int base)
{
    return t->bases[base].key;
}
