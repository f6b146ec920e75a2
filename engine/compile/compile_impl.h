/*
 * Private structures of the compiler and of the code it produces.
 *
 * Compilation runs in four passes over a working copy of the model:
 *   lower.c    one equation per model variable, stateful builtins expanded
 *              into hidden equations (stocks, held values, delay state);
 *   resolve    every name bound to a slot (lower.c, resolve_names);
 *   graph.c    equations ordered for start-up and for each step, loops found;
 *   emit.c     each equation turned into stack code for vm.c.
 */
#ifndef PLANSIM_COMPILE_IMPL_H
#define PLANSIM_COMPILE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/expr.h"
#include "plansim/instance.h"
#include "plansim/model.h"
#include "plansim/program.h"
#include "plansim/status.h"

/* ---------------------------------------------------------------- slots */

/* Fixed slots at the start of every value array. */
enum { SLOT_TIME = 0, SLOT_FIRST_EQN = 1 };

/* ------------------------------------------------------------ equations */

typedef enum eqn_kind {
    EQN_AUX,       /* value = expr each step (constants only at start-up) */
    EQN_STOCK,     /* d/dt = expr, value at start = init                  */
    EQN_INITIAL,   /* value = expr evaluated once at start-up, then held  */
    EQN_HELD,      /* SAMPLE IF TRUE's held value: start = init, then set
                      from `source` at the end of each step              */
    EQN_DELAY,     /* DELAY FIXED output: start-up value = init; each step
                      taken from a ring buffer filled from `source`       */
    EQN_LOOKUP     /* a lookup table: no value                            */
} eqn_kind;

/* ------------------------------------------------------------ subscripts */

#define MAX_DIMS 8 /* subscripts of one variable */

/* A subscript range as the compiler sees it: its elements resolved (ranges
   named in its list expanded, equivalences followed) as global element
   ids. */
typedef struct cdim {
    char *name;
    char *key;
    size_t n, cap;
    size_t *elem;      /* element ids, in order                        */
    int anonymous;     /* made for a partly defined variable           */
    size_t model_dim;  /* index in model->dims, or (size_t)-1          */
    size_t *pos_index; /* open-addressing hash: element id -> position
                          + 1 (0 empty); NULL for a temporary range     */
    size_t pos_cap;
} cdim;

/* A variable (a model variable or a builtin's hidden state) and how its
   elements lie in the value array: row-major over its dimensions.
   Hidden variables follow the iterations of the equation that owns them
   (`box_of`): their element i is that equation's iteration i. */
typedef struct cvar {
    char *key;
    char *name;
    int model_var;     /* first definition in the model, or -1        */
    size_t ndims;
    size_t dim[MAX_DIMS];
    size_t len[MAX_DIMS];
    size_t size;       /* number of elements                           */
    size_t first;      /* its first equation                           */
    size_t *node_of;   /* per element: the equation computing it       */
    size_t box_of;     /* hidden: the owning equation; else -1         */
    size_t slot;       /* value of element e at slot + e               */
    size_t stock;      /* stocks: index of element 0 in the state      */
    size_t table_id;   /* lookups: table of element 0                  */
} cvar;

/* The iterations an equation runs over: N tuples of element ids (one per
   dimension of its variable), with the range written on its left-hand
   side at each position (or (size_t)-1 for a single element). */
typedef struct box {
    size_t n;
    size_t ndims;
    size_t *tuple;     /* n * ndims element ids                         */
    size_t bind[MAX_DIMS];
    size_t *flat;      /* n: the variable's element at each iteration   */
} box;

typedef struct eqn {
    char *key;         /* canonical key; hidden ones start with '\x01'     */
    char *name;        /* display name (hidden: owner's name + role)       */
    eqn_kind kind;
    ps_expr *expr;     /* AUX value, STOCK rate, INITIAL expr              */
    ps_expr *init;     /* STOCK/HELD/DELAY start value; AUX: ACTIVE INITIAL */
    ps_table *table;   /* LOOKUP                                           */
    ps_loc loc;
    int model_var;     /* index in the model, or -1 for hidden equations   */
    int is_constant;   /* AUX fixed for the whole run                      */
    size_t source;     /* HELD/DELAY: equation whose value is recorded     */
    size_t delay_time; /* DELAY: equation holding the delay time           */
    size_t slot;       /* where its value lives                            */
    size_t stock;      /* STOCK: index in the stock vector                 */
    size_t table_id;   /* LOOKUP: index in the program's tables            */
    size_t var;        /* its variable (cvar)                              */
    box it;            /* the iterations it runs over                      */
    size_t ctx;        /* equation whose left-hand side binds the ranges
                          its subscripts name: itself, or a hidden
                          equation's owner                                 */
    double *values;    /* a constant list over the iterations, or NULL    */
    ps_table **tables; /* LOOKUP: a table per iteration (data read from a
                          file), or NULL: `table` for every element       */
    size_t next;       /* next equation of the same variable, or -1      */
    int macro_depth;   /* macro calls this equation was copied through   */
} eqn;

/* A data file read during compilation (extdata.c). */
struct ps_book;
typedef struct book_entry {
    char *path;
    struct ps_book *book;
} book_entry;

/* The working set of equations during compilation. */
typedef struct eqn_set {
    const ps_model *model;
    const char *path;
    eqn *eqns;
    size_t n, cap;
    size_t *index;     /* open-addressing hash over keys */
    size_t index_cap;
    unsigned hidden_counter;
    cvar *vars;        /* variables; eqns[i].var indexes here */
    size_t nvars, vars_cap;
    cdim *dims;        /* ranges, then anonymous ones */
    size_t ndims;
    char **elem_names; /* global element table: display names */
    char **elem_keys;
    size_t nelems, elems_cap;
    size_t *elem_index; /* open-addressing hash over elem_keys: id + 1 */
    size_t elem_index_cap;
    book_entry *books; /* data files read so far */
    size_t nbooks;
} eqn_set;

/* Appends an equation (taking ownership of its trees and strings even on
   failure); returns its index, or (size_t)-1 on no memory. */
size_t eqn_set_add(eqn_set *set, eqn *e);
/* Frees what an equation not added to a set owns. */
void eqn_discard(eqn *e);

/* Index of the (first) equation with `key`, or (size_t)-1. */
size_t eqn_set_find(const eqn_set *set, const char *key);

/* Adds a variable (taking its strings); its index, or -1 on no memory. */
size_t eqn_set_add_var(eqn_set *set, cvar *v);

/* The variable of the equation with `key`, or NULL. */
cvar *eqn_set_var(const eqn_set *set, const char *key);
void eqn_set_free(eqn_set *set);

/* The expression an equation is computed from at start-up: an
   auxiliary's ACTIVE INITIAL value or its equation, a stock's initial
   value, an INITIAL's argument, a held value's or fixed delay's start
   value.  NULL for lookups. */
const ps_expr *eqn_startup_expr(const eqn *q);

/* Builds the equation set from `model`, expanding stateful builtins. */
ps_status lower_model(const ps_model *model, eqn_set *set, ps_error *err);

/* Marks the auxiliaries whose value cannot change during a run; visits
   equations in start-up order (see order_initial). */
void mark_constants(eqn_set *set, const size_t *initial_order, size_t n);

/* ------------------------------------------------------ subscripts.c */

/* Resolves the model's ranges into set->dims and the element table. */
ps_status subs_build_dims(eqn_set *set, ps_error *err);

/* The range with `key`, or -1; the element with `key`, or -1. */
size_t subs_dim_find(const eqn_set *set, const char *key);
size_t subs_elem_find(const eqn_set *set, const char *key);

/* Position of element `e` in range `d`, or -1. */
size_t subs_pos(const cdim *d, size_t e);

/* Works out the dimensions of the model variable whose first definition
   is model->vars[first] from all its definitions, and the iterations of
   each definition (excepts removed), checking that every element is
   defined exactly once.  Fills v (ndims, dim, len, size) and boxes[k] for
   the k-th definition. */
ps_status subs_shape(eqn_set *set, size_t first, cvar *v, box *boxes,
                     size_t ndefs, ps_error *err);

/* A reduction in force while resolving: the ranges written with '!'
   inside SUM/PROD/VMIN/VMAX and their product of elements. */
typedef struct reduction {
    size_t ndims;
    size_t dim[MAX_DIMS];
    size_t m;          /* elements reduced over (1 when none) */
} reduction;

/* The elements of variable `target` that the reference `subs` (at `loc`)
   reads, inside equation `node` under reduction `red` (may be NULL):
   out[i * m + r] for iteration i and reduced element r.  out holds
   node's iteration count times m entries. */
ps_status subs_resolve(const eqn_set *set, const eqn *node,
                       const cvar *target, const ps_subscripts *subs,
                       ps_loc loc, const reduction *red, size_t *out,
                       ps_error *err);

/* The outermost range holding every element of `of` (the largest; the
   first defined among equals), or -1.  A range or element used as a
   number counts its position there. */
size_t subs_root(const eqn_set *set, const cdim *of);

/* The value of range `dim` used as a number in equation `node` (at
   `loc`): at each iteration, the 1-based position of the element the
   left-hand side binds, counted in the outermost range holding it. */
ps_status subs_range_values(const eqn_set *set, const eqn *node, size_t dim,
                            ps_loc loc, double *out, ps_error *err);

/* As subs_resolve for a vector function's argument: its last `nv`
   subscripts run over the whole of the variable's ranges there (from the
   element written, when one is; the last over `last_count` elements when
   not 0), the others resolve as usual.  *m receives the elements per
   iteration; out must hold n * VEC_MAX entries. */
ps_status subs_resolve_vector(const eqn_set *set, const eqn *node,
                              const cvar *target, const ps_subscripts *subs,
                              ps_loc loc, size_t nv, size_t last_count,
                              size_t *out, size_t *m, ps_error *err);

/* The position, in its range, of the element equation `node`'s
   iteration i has at position `from_end` (1 = last) of its left-hand
   side: out[i].  0 for a scalar. */
void subs_lhs_positions(const eqn_set *set, const eqn *node, size_t from_end,
                        size_t *out);

/* Collects the ranges written with '!' in e (outside nested reductions)
   into red. */
ps_status subs_reduction(const eqn_set *set, const ps_expr *e,
                         reduction *red, ps_error *err);

/* "name[e1,e2]" of element `flat` of variable v (malloc'd). */
char *subs_element_name(const eqn_set *set, const cvar *v, size_t flat);

/* Frees a box's arrays. */
void box_free(box *b);

/* ---------------------------------------------------------- extdata.c */

/* Non-zero when e calls GET DIRECT <what> or GET XLS <what> ("data",
   "constants", "lookups", "subscript"). */
int ext_is_call(const ps_expr *e, const char *what);

/* GET ... CONSTANTS for the iterations of equation q: out[q->it.n]. */
ps_status ext_constants(eqn_set *set, const ps_expr *call, const eqn *q,
                        double *out, ps_error *err);

/* GET ... DATA / LOOKUPS: n tables, one per element in file order (the
   caller frees them, also on failure). */
ps_status ext_tables(eqn_set *set, const ps_expr *call, size_t n,
                     ps_table **out, ps_error *err);

/* GET ... SUBSCRIPT: the element names, appended to out. */
ps_status ext_subscript(eqn_set *set, const ps_expr *call,
                        ps_subscripts *out, ps_error *err);

/* A data variable without an equation: the series of its variable v's
   elements for the iterations of q, from the model's datasets (columns
   named "Var[e1,e2]"), into out[q->it.n] (the caller frees them). */
ps_status ext_dataset(eqn_set *set, const cvar *v, const eqn *q,
                      ps_table **out, ps_error *err);

/* Closes the data files read. */
void ext_close(eqn_set *set);

/* ------------------------------------------------------------- builtins */

typedef enum builtin_class {
    BI_PURE,     /* compiled to one opcode                                */
    BI_TIMED,    /* pure but reads the step time (STEP, PULSE, RAMP...)  */
    BI_RANDOM,   /* draws from the run's random streams                   */
    BI_LAZY,     /* IF THEN ELSE: compiled with jumps                     */
    BI_LOOKUP,   /* first argument names a lookup (LOOKUP FORWARD...)     */
    BI_STATEFUL, /* expanded by lower.c into hidden equations             */
    BI_REDUCE,   /* SUM, PROD, VMIN, VMAX over ranges written with '!'    */
    BI_VECTOR,   /* VECTOR *, ALLOCATE *, INVERT MATRIX: whole vectors    */
    BI_RANGE,    /* ELMCOUNT: a number known from a range                 */
    BI_UNSUPPORTED
} builtin_class;

typedef struct builtin {
    const char *key;  /* canonical key, e.g. "delay_n"                    */
    const char *name; /* Vensim spelling, e.g. "DELAY N"                  */
    builtin_class cls;
    int min_args, max_args;
    int op;           /* opcode for PURE/TIMED/RANDOM/LOOKUP              */
} builtin;

/* The builtin with canonical key `key`, or NULL. */
const builtin *builtin_find(const char *key);

/* ------------------------------------------------------------- bytecode */

typedef enum opcode {
    OP_END,
    OP_CONST,   /* push consts[a]                         */
    OP_LOAD,    /* push v[a]                              */
    OP_STORE,   /* v[a] = pop                             */
    OP_JUMP,    /* pc = a                                 */
    OP_JUMPF,   /* if (pop == 0) pc = a                   */
    OP_NEG, OP_NOT,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE, OP_AND, OP_OR,
    /* one-argument math */
    OP_ABS, OP_EXP, OP_LN, OP_SQRT, OP_SIN, OP_COS, OP_TAN, OP_ASIN,
    OP_ACOS, OP_ATAN, OP_INTEGER, OP_LOG10, OP_SINH, OP_COSH, OP_TANH,
    /* two-argument math */
    OP_MIN, OP_MAX, OP_MODULO, OP_QUANTUM, OP_POWER, OP_LOG, OP_ZIDZ,
    /* three-argument math */
    OP_XIDZ,
    /* timed: read the step time and TIME STEP */
    OP_STEP, OP_PULSE, OP_PULSE_TRAIN, OP_RAMP2, OP_RAMP3, OP_GET_TIME_VALUE,
    /* lookups: a = table id */
    OP_LOOKUP, OP_LOOKUP_EXTRAP, OP_LOOKUP_FORWARD, OP_LOOKUP_BACKWARD,
    OP_LOOKUP_INVERT, OP_LOOKUP_RAW,
    /* random: a = call-site stream */
    OP_RANDOM_UNIFORM, OP_RANDOM_NORMAL, OP_RANDOM_TRIANGULAR,
    OP_RANDOM_EXPONENTIAL,
    /* arrays: an equation over n elements runs as a loop whose counter
       `lin` goes 0..n-1; addresses come from the slot + lin or from an
       address table (atab) indexed by lin */
    OP_LOOP_BEGIN,  /* n = a, lin = 0, the loop's body starts here */
    OP_LOOP_NEXT,   /* if (++lin < n) pc = a                       */
    OP_STORE_LIN_NEXT, /* v[a + lin] = pop, then as OP_LOOP_NEXT to the
                          body's start: one dispatch per element less */
    OP_STORE_TAB_NEXT, /* v[atab[a + lin]] = pop, then the same       */
    OP_LOAD_LIN,    /* push v[a + lin]                             */
    OP_ADD_LIN, OP_SUB_LIN, OP_MUL_LIN, OP_DIV_LIN,
                    /* top = top op v[a + lin]: a load fused into the
                       operator that uses it                        */
    OP_STORE_LIN,   /* v[a + lin] = pop                            */
    OP_LOAD_TAB,    /* push v[atab[a + lin]]                       */
    OP_STORE_TAB,   /* v[atab[a + lin]] = pop                      */
    OP_CONST_LIN,   /* push consts[a + lin]                        */
    OP_LOAD_RTAB,   /* push v[atab[a + lin * m + r]] (in a reduction) */
    OP_RED_BEGIN,   /* a = m * 4 + kind: push the start value, r = 0 */
    OP_RED_NEXT,    /* a = start * 4 + kind: fold pop into the top;
                       if (++r < m) pc = start                    */
    OP_SELECT_TABLE, /* table register = atab[a + lin]            */
    OP_VECTOR,      /* vector function vecops[a]: pops its scalar
                       arguments, pushes one element of its result  */
    OP_COUNT
} opcode;

/* The vector functions (builtin op of BI_VECTOR). */
typedef enum vector_kind {
    VEC_SORT_ORDER,
    VEC_RANK,
    VEC_REORDER,
    VEC_SELECT,
    VEC_ELM_MAP,
    VEC_INVERT,
    VEC_ALLOCATE_AVAILABLE,
    VEC_ALLOCATE_BY_PRIORITY
} vector_kind;

/* Longest vector (elements, or matrix cells) a vector function takes. */
#define VEC_MAX 1024

/* One call of a vector function in compiled code.  Its vector arguments
   are address tables of n * m entries (iteration i's vector at
   atab[tab + i * m ...]); `pos` is an address table of the element of
   the result each iteration wants. */
typedef struct vec_op {
    vector_kind kind;
    size_t m;          /* vector length (INVERT: n * n)              */
    size_t n;          /* INVERT: matrix order; ALLOCATE AVAILABLE: 4 */
    int32_t tab[2];    /* address tables of the vector arguments     */
    int32_t pos;       /* address table of result positions          */
    size_t lo, hi;     /* ELM MAP: the variable's slots [lo, hi)     */
} vec_op;

/* Reductions: the kind in the low two bits of OP_RED_* operands. */
enum { RED_SUM, RED_PROD, RED_MIN, RED_MAX };

/* Lookup opcodes take their table from the table register when their
   operand is this value. */
#define TABLE_FROM_REGISTER (-1)

/* One instruction: an opcode and one operand (slot, constant, jump target,
   table or stream). */
typedef struct insn {
    int32_t op;
    int32_t a;
} insn;

/* A block of code: one or more equations, each ending in OP_STORE. */
typedef struct code_block {
    insn *code;
    size_t n, cap;
    size_t max_stack;
} code_block;

/* What the VM needs besides the value array. */
typedef struct vm_context {
    double step_time;  /* t_k: STEP/PULSE/RAMP hold it across a step */
    double dt;         /* TIME STEP                                 */
    double initial_time; /* INITIAL TIME of the run                 */
    uint64_t step;     /* k: RANDOM draws one number per step       */
    uint64_t seed, run;
    const double *consts;
    ps_table *const *tables;
    const int32_t *atab;
    const vec_op *vecops;
} vm_context;

/* Runs block b from instruction `start` to the next OP_END over the value
   array v. */
void vm_run(const code_block *b, size_t start, double *v,
            const vm_context *ctx);

/* Deepest operand stack the VM supports; deeper expressions are refused
   at compile time. */
#define VM_STACK_MAX 256

/* ------------------------------------------------------------- programs */

/* One start-up step: evaluate equation `eqn` (code at [start, end)) into
   `slot`, unless the instance overrides that slot. */
typedef struct init_step {
    size_t first;      /* its slots: init_slots[first .. first + n)  */
    size_t n;
    size_t start;
    int overridable;   /* a model constant */
} init_step;

typedef struct fixed_delay {
    size_t out_slot;   /* EQN_DELAY value                  */
    size_t in_slot;    /* source equation's value          */
    size_t time_slot;  /* delay time, read at start-up     */
} fixed_delay;

typedef struct held_value {
    size_t slot;       /* EQN_HELD value (the held state)  */
    size_t source;     /* value to keep at the end of step */
} held_value;

typedef struct program_var {
    char *name;
    char *key;
    char *units;
    char *doc;
    ps_var_class cls;
    size_t slot;       /* element 0; (size_t)-1 for lookups          */
    size_t size;       /* elements, row-major over dims              */
    size_t ndims;
    size_t dim[MAX_DIMS]; /* program ranges                          */
} program_var;

typedef struct program_dim {
    char *name;
    size_t n;
    char **elems;      /* display names                              */
} program_dim;

struct ps_program {
    char *path;
    size_t nslots;
    char **slot_names;       /* display names, for diagnostics        */
    size_t nstocks;
    size_t stock_base;       /* stocks occupy slots [base, base+n)     */
    size_t *rate_slots;      /* per stock: slot of its net rate        */

    code_block init_code;    /* start-up, in start-up order            */
    init_step *init_steps;
    size_t ninit;
    size_t *init_slots;      /* the slots each start-up step writes    */
    size_t ninit_slots;
    code_block step_code;    /* each evaluation: auxiliaries then rates */
    size_t *step_slots;      /* slots written by step_code, in order    */
    size_t nstep_slots;

    fixed_delay *delays;
    size_t ndelays;
    held_value *helds;
    size_t nhelds;

    double *consts;
    size_t nconsts, consts_cap;
    int32_t *atab;           /* address tables of array equations       */
    size_t natab, atab_cap;
    vec_op *vecops;          /* vector function calls                   */
    size_t nvecops;
    ps_table **tables;
    size_t ntables;
    size_t nrandom;          /* RANDOM call sites (one stream each)     */

    program_var *vars;       /* model variables in file order          */
    size_t nvars;
    program_dim *dims;       /* the ranges variables run over          */
    size_t ndims;
    size_t slot_initial_time, slot_final_time, slot_time_step, slot_saveper;
    ps_loc control_loc[4];   /* where the model defines each of those four */
    int dynamic_time;        /* FINAL TIME, TIME STEP or SAVEPER change
                                during the run                         */
    struct native_code *native; /* native code, or NULL: the VM runs it */
    char *engine_note;       /* why native code is not used, or NULL   */
};

/*
 * Which start-up steps of p may give other values than in the last run,
 * given the slots `overridden` (one flag per slot) now: fresh_step[k] is
 * 1 when step k reads the run (RANDOM, the timed functions, the vector
 * functions), has an overridden slot, or reads a slot of such a step,
 * else 0 (init_reuse.c).  Returns 0, or -1 when the code cannot be
 * judged (or memory is short): then every step must run.
 */
int init_steps_fresh(const ps_program *p, const unsigned char *overridden,
                     unsigned char *fresh_step);

/* Ends a run of code in block b with OP_END. */
ps_status emit_end(code_block *b, ps_error *err);

/* Appends the code of block `src` to `dst`. */
ps_status emit_append(code_block *dst, const code_block *src, ps_error *err);

/* Subexpressions of step code that cannot change during a run (pure
   operations on constants and on slots fixed at start-up), moved out of
   the step: each is computed once, at the end of start-up, into a slot of
   its own that the step reads. */
typedef struct hoist {
    const unsigned char *fixed; /* per slot: fixed for the whole run    */
    size_t nfixed;              /* slots at or above: hoisted ones,
                                   fixed too                           */
    code_block code;            /* each: its code, then OP_STORE        */
} hoist;

/* Emits code computing `e` for every iteration of equation `node` and
   storing iteration i's value at slot base + flat[i] (a loop when the
   equation has several iterations).  A NULL `e` stores the equation's
   constant list.  With h (step code), run-constant subexpressions go to
   h's code and new slots. */
ps_status emit_node(ps_program *p, code_block *b, const eqn_set *set,
                    size_t node, const ps_expr *e, size_t base, hoist *h,
                    ps_error *err);

/* Orders equations for start-up (all) and for each step (non-constant
   auxiliaries).  order_* receive equation indices; an algebraic loop is
   reported with the names of its members. */
ps_status order_initial(const eqn_set *set, size_t *order, size_t *n,
                        ps_error *err);
ps_status order_step(const eqn_set *set, size_t *order, size_t *n,
                     ps_error *err);

/* Evaluates `e` at start-up from the model's own equations, for values the
   compiler needs before running (the order of DELAY N and SMOOTH N).
   Fails with PS_ERR_SEMANTIC when `e` depends on anything not known at
   start-up. */
ps_status const_eval(const eqn_set *set, const ps_expr *e, double *out,
                     ps_error *err);

/* Hidden keys start with this byte so no model name can collide. */
#define HIDDEN_KEY_MARK '\x01'

/* The builtin that reads a :RAW: data variable (no model can name it). */
#define RAW_DATA_KEY "\x01lookup_raw"

#endif
