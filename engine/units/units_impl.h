/*
 * plansim units: the algebra shared by the files of this module.
 *
 * A units value is a product of base units with integer exponents, kept
 * sorted by base id with no zero exponent, so two values are equal exactly
 * when their factor lists are.  Base units live in a table that interns
 * names (compared as model names are, see names.h) and maps synonyms such
 * as Month/Months to one base.  Values are small structs copied by value;
 * only the table owns memory.
 */
#ifndef PLANSIM_UNITS_IMPL_H
#define PLANSIM_UNITS_IMPL_H

#include <stddef.h>

#include "plansim/model.h"
#include "plansim/status.h"
#include "plansim/units.h"

/* A quantity with more distinct base units than this is "unknown". */
#define PS__UNITS_MAX_FACTORS 16
/* Exponents beyond this magnitude are "unknown" too (never overflow). */
#define PS__UNITS_MAX_EXP 64

typedef enum ps__units_kind {
    PS__UNITS_KNOWN,   /* a definite product of base units (n = 0: Dmnl) */
    PS__UNITS_UNKNOWN, /* no information: never the cause of an issue    */
    PS__UNITS_ANY      /* a bare number: dimensionless in products, and
                          takes the other side's units in sums,
                          comparisons and equations                      */
} ps__units_kind;

typedef struct ps__units_factor {
    int base; /* index into the table's bases */
    int exp;  /* never 0                      */
} ps__units_factor;

typedef struct ps__units {
    ps__units_kind kind;
    int n; /* factors used (KNOWN only) */
    ps__units_factor f[PS__UNITS_MAX_FACTORS];
} ps__units;

typedef struct ps__unit_table ps__unit_table;

/* Constructors of the three kinds (Dmnl is KNOWN with no factor). */
ps__units ps__units_unknown(void);
ps__units ps__units_any(void);
ps__units ps__units_dmnl(void);

/* A single base unit to the first power. */
ps__units ps__units_base(int base);

/* Non-zero when u is KNOWN with no factor. */
int ps__units_is_dmnl(const ps__units *u);

/* Non-zero when a and b are KNOWN and the same product. */
int ps__units_equal(const ps__units *a, const ps__units *b);

/*
 * a*b and a/b.  KNOWN with ANY gives the KNOWN side (a number is
 * dimensionless in a product); UNKNOWN with anything gives UNKNOWN; ANY
 * with ANY gives ANY.  A result with too many factors is UNKNOWN.
 */
ps__units ps__units_mul(const ps__units *a, const ps__units *b);
ps__units ps__units_div(const ps__units *a, const ps__units *b);

/*
 * u raised to the constant power p.  Every exponent is multiplied by p;
 * when a product is not an integer (person^0.5) the result is UNKNOWN,
 * since exponents are integers.  ANY and UNKNOWN stay as they are.
 */
ps__units ps__units_pow(const ps__units *u, double p);

/*
 * The table of base units.  `ps__unit_table_new` returns an empty table
 * (NULL when memory runs out); the caller frees it with
 * ps__unit_table_free (NULL allowed).
 */
ps__unit_table *ps__unit_table_new(void);
void ps__unit_table_free(ps__unit_table *t);

/*
 * Declares the names in `group` (comma-separated, as in a Vensim
 * "22:Month,Months" setting line) to be one base unit.  A name already
 * known joins the group's base only if it has not been used yet; blank
 * members are skipped.  Returns PS_OK or PS_ERR_NOMEM.
 */
ps_status ps__unit_table_add_synonyms(ps__unit_table *t, const char *group);

/* Adds Vensim's default synonym groups (see units.h). */
ps_status ps__unit_table_add_defaults(ps__unit_table *t);

/*
 * The base id of name[0..len), creating a base when the name is new;
 * `len` counts bytes.  The first spelling seen becomes the display form.
 * Returns the id (>= 0), or -1 when memory runs out.
 */
int ps__unit_table_intern(ps__unit_table *t, const char *name, size_t len);

/* The display form of a base; never NULL for a valid id. */
const char *ps__unit_table_display(const ps__unit_table *t, int base);

/* The canonical key of a base (used to order printed factors). */
const char *ps__unit_table_key(const ps__unit_table *t, int base);

/*
 * Parses Vensim units text (without its [min,max] range) into *out:
 *   units   := term (('*' | '/') term)*          left to right
 *   term    := primary ('^' exponent)?
 *   primary := name | '1' | '(' units ')'
 *   exponent:= [+-] integer | '(' [+-] integer ')'
 * A name runs up to one of * / ^ ( ) and is trimmed; it may hold inner
 * spaces ("million yuan", "2020 yuan") and any UTF-8, but not '[' or ']'
 * (a range left in the text).  "Dmnl" and "dimensionless" (any case) and
 * "1" are dimensionless; a name that is any other number is an error.
 * Empty or blank text gives UNKNOWN.
 * On a syntax error returns PS_ERR_SYNTAX with `err->column` the 1-based
 * character offset of the fault within `text` and `err->line` 0; *out is
 * then UNKNOWN.  PS_ERR_NOMEM when the table cannot grow.
 */
ps_status ps__units_parse(ps__unit_table *t, const char *text, size_t len,
                          ps__units *out, ps_error *err);

/*
 * Writes u readably into buf[0..cap): factors ordered by key, positive
 * powers first, e.g. "yuan/(person*Year)", "1/Year", "person^2", "Dmnl",
 * "unknown", "any".  Truncates to fit; returns buf.
 */
char *ps__units_format(const ps__unit_table *t, const ps__units *u,
                       char *buf, size_t cap);

/* Room for one units value in a message. */
#define PS__UNITS_TEXT 160

/* One issue waiting to be reported (issues of a variable are sorted). */
typedef struct ps__units_pending {
    ps_loc loc;
    char message[sizeof(((ps_units_issue *)0)->message)];
} ps__units_pending;

/*
 * The state of one ps_units_check run.  `declared` holds each variable's
 * parsed units field (UNKNOWN when absent or unreadable), in model order.
 */
typedef struct ps__units_checker {
    const ps_model *model;
    ps__unit_table *table;
    ps__units *declared;
    ps__units time;          /* the model's time unit, or UNKNOWN        */
    const ps_var *time_source; /* the control variable that gave it     */
    const ps_var *var;       /* the variable being checked               */
    ps__units_pending *pending;
    size_t npending, cap_pending;
    int out_of_memory;       /* a pending issue could not be stored       */
} ps__units_checker;

/*
 * Records an issue of the current variable at `loc` (the variable's own
 * location when `loc` is unknown).  Issues are reported when the variable
 * is done, sorted by position.
 */
void ps__units_issue(ps__units_checker *c, ps_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The inferred units of `e`, recording every disagreement inside it. */
ps__units ps__units_infer(ps__units_checker *c, const ps_expr *e);

/*
 * The units of a builtin call (or a call of a lookup variable), checking
 * its arguments.  Functions it does not know give UNKNOWN, after their
 * arguments have been checked on their own.
 */
ps__units ps__units_infer_call(ps__units_checker *c, const ps_expr *call);

/*
 * Joins two values that must agree (operands of +, -, comparisons, IF
 * branches): the KNOWN one wins, ANY is neutral, UNKNOWN beats ANY.
 * Returns 0, or -1 when both are KNOWN and differ (*out is then UNKNOWN).
 */
int ps__units_join(const ps__units *a, const ps__units *b, ps__units *out);

/* Formats u into buf (PS__UNITS_TEXT bytes) for a message. */
const char *ps__units_show(const ps__units_checker *c, const ps__units *u,
                           char *buf);

/* The value of a tree built from numbers alone (2, -1, 1/2); 0 or -1. */
int ps__units_const_value(const ps_expr *e, double *value);

#endif
