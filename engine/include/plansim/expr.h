/*
 * plansim: expression trees of model equations.
 *
 * The model reader builds these trees; the compiler, the units checker and
 * `plansim check` read them.  A tree owns all its children and strings:
 * ps_expr_free() releases the whole tree.
 */
#ifndef PLANSIM_EXPR_H
#define PLANSIM_EXPR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A position in a source file, 1-based; 0 when unknown. */
typedef struct ps_loc {
    int line;
    int column;
} ps_loc;

/* Vensim's :NA: value, a large finite negative number (-2^109). */
#define PS_NA (-6.4903710731685345e32)

typedef enum ps_expr_kind {
    PS_EXPR_NUMBER, /* literal number (also :NA:)                           */
    PS_EXPR_REF,    /* reference to a model variable by name                 */
    PS_EXPR_CALL,   /* call of a builtin function or of a lookup variable    */
    PS_EXPR_UNARY,  /* - + :NOT: applied to one operand                      */
    PS_EXPR_BINARY, /* arithmetic, comparison and logical operators          */
    PS_EXPR_TABLE,  /* a lookup table literal, e.g. WITH LOOKUP's 2nd argument */
    PS_EXPR_STRING  /* a quoted text argument: GET DIRECT DATA('f.csv', ...) */
} ps_expr_kind;

typedef enum ps_op {
    PS_OP_NEG,
    PS_OP_POS,
    PS_OP_NOT,
    PS_OP_ADD,
    PS_OP_SUB,
    PS_OP_MUL,
    PS_OP_DIV,
    PS_OP_POW,
    PS_OP_LT,
    PS_OP_LE,
    PS_OP_GT,
    PS_OP_GE,
    PS_OP_EQ,
    PS_OP_NE,
    PS_OP_AND,
    PS_OP_OR
} ps_op;

/*
 * A lookup table: n points (x[i], y[i]) with x non-decreasing.  The optional
 * range header [(x_min,y_min)-(x_max,y_max)] is kept for display only; it
 * does not change evaluation.  Owns x and y.
 */
typedef struct ps_table {
    size_t n;
    double *x;
    double *y;
    int has_range;
    double x_min, y_min, x_max, y_max;
    ps_loc loc;
} ps_table;

/*
 * One subscript as written in brackets: a range name ("Dim1"), an element
 * name ("Entry 1"), or a range followed by '!' ("Dim1!"), which asks a
 * vector function (SUM, PROD, VMIN, VMAX...) to run over the whole range.
 */
typedef struct ps_subscript {
    char *name; /* display form                 */
    char *key;  /* canonical key (ps_name_key)  */
    ps_loc loc;
    int bang;   /* written with a trailing '!'  */
} ps_subscript;

/* A bracketed list of subscripts; owns its entries.  Grow it only with
   ps_subscripts_push (ps_grow): the allocation is sized from n. */
typedef struct ps_subscripts {
    ps_subscript *v;
    size_t n;
} ps_subscripts;

typedef struct ps_expr ps_expr;
struct ps_expr {
    ps_expr_kind kind;
    ps_loc loc; /* where the expression starts in the model file */
    union {
        double number;
        struct {
            char *name; /* as written (display form)           */
            char *key;  /* canonical key, see ps_name_key()   */
            ps_subscripts subs; /* [a, b] after the name, or empty */
        } ref;
        struct {
            char *name; /* function name as written            */
            char *key;  /* canonical key: "delay_n", "if_then_else" */
            size_t argc;
            ps_expr **argv;
            ps_subscripts subs; /* a subscripted lookup: lk[a](x) */
        } call;
        struct {
            ps_op op;
            ps_expr *arg;
        } unary;
        struct {
            ps_op op;
            ps_expr *lhs;
            ps_expr *rhs;
        } binary;
        ps_table *table;
        char *string; /* PS_EXPR_STRING: the text between the quotes */
    } u;
};

/*
 * Constructors.  Each returns a new node owning its arguments (children,
 * tables) — on failure (NULL, out of memory) the arguments are freed too, so
 * callers never leak on error paths.  A NULL child counts as a failure, so
 * a failed sub-construction can be passed straight in.
 *
 * Names: name[0..len) is Vensim name text, possibly "quoted"; the node
 * stores its display form (ps_name_display: quotes off, blanks collapsed)
 * and its canonical key (ps_name_key).  ps_expr_call takes over the
 * argv[0..argc) nodes but copies the array itself, which stays the
 * caller's (argv may be NULL when argc is 0).
 */
ps_expr *ps_expr_number(double value, ps_loc loc);
ps_expr *ps_expr_ref(const char *name, size_t len, ps_loc loc);
ps_expr *ps_expr_call(const char *name, size_t len, ps_expr **argv,
                      size_t argc, ps_loc loc);
ps_expr *ps_expr_unary(ps_op op, ps_expr *arg, ps_loc loc);
ps_expr *ps_expr_binary(ps_op op, ps_expr *lhs, ps_expr *rhs, ps_loc loc);
ps_expr *ps_expr_table(ps_table *table, ps_loc loc);
ps_expr *ps_expr_string(const char *text, size_t len, ps_loc loc);

/* Appends a subscript (name[0..len), possibly quoted, with `bang` for a
   trailing '!') to `subs`.  Returns 0, or -1 when memory runs out (subs is
   unchanged then). */
int ps_subscripts_push(ps_subscripts *subs, const char *name, size_t len,
                       ps_loc loc, int bang);

/* Deep copy of `from` into *to (empty first); 0, or -1 on no memory (then
   *to is empty). */
int ps_subscripts_copy(ps_subscripts *to, const ps_subscripts *from);

/* Frees the entries of `subs` and empties it.  NULL is allowed. */
void ps_subscripts_clear(ps_subscripts *subs);

/* The subscripts of a reference or call node (NULL for other kinds). */
ps_subscripts *ps_expr_subs(ps_expr *e);
const ps_subscripts *ps_expr_csubs(const ps_expr *e);

/* Deep copy of a tree; NULL when memory runs out.  The caller owns it. */
ps_expr *ps_expr_clone(const ps_expr *e);

/* Frees a tree and everything it owns.  NULL is allowed. */
void ps_expr_free(ps_expr *e);

/* A new empty table (n = 0, no range); the caller owns it.  NULL on no
   memory. */
ps_table *ps_table_new(void);

/* Appends the point (x, y) (the caller keeps x non-decreasing).  Returns
   0, or -1 when memory runs out (or t is NULL); t is unchanged then. */
int ps_table_push(ps_table *t, double x, double y);

/* Deep copy; NULL on no memory. */
ps_table *ps_table_clone(const ps_table *t);

/* Frees a table.  NULL is allowed. */
void ps_table_free(ps_table *t);

/* The operator's text as Vensim writes it ("+", "<=", ":AND:"). */
const char *ps_op_text(ps_op op);

#ifdef __cplusplus
}
#endif
#endif
