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
} eqn;

/* The working set of equations during compilation. */
typedef struct eqn_set {
    const ps_model *model;
    const char *path;
    eqn *eqns;
    size_t n, cap;
    size_t *index;     /* open-addressing hash over keys */
    size_t index_cap;
    unsigned hidden_counter;
} eqn_set;

/* Appends an equation (taking ownership of its trees and strings even on
   failure); returns its index, or (size_t)-1 on no memory. */
size_t eqn_set_add(eqn_set *set, eqn *e);
/* Index of the equation with `key`, or (size_t)-1. */
size_t eqn_set_find(const eqn_set *set, const char *key);
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

/* ------------------------------------------------------------- builtins */

typedef enum builtin_class {
    BI_PURE,     /* compiled to one opcode                                */
    BI_TIMED,    /* pure but reads the step time (STEP, PULSE, RAMP...)  */
    BI_RANDOM,   /* draws from the run's random streams                   */
    BI_LAZY,     /* IF THEN ELSE: compiled with jumps                     */
    BI_LOOKUP,   /* first argument names a lookup (LOOKUP FORWARD...)     */
    BI_STATEFUL, /* expanded by lower.c into hidden equations             */
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
    OP_ACOS, OP_ATAN, OP_INTEGER, OP_LOG10,
    /* two-argument math */
    OP_MIN, OP_MAX, OP_MODULO, OP_QUANTUM, OP_POWER, OP_LOG, OP_ZIDZ,
    /* three-argument math */
    OP_XIDZ,
    /* timed: read the step time and TIME STEP */
    OP_STEP, OP_PULSE, OP_PULSE_TRAIN, OP_RAMP2, OP_RAMP3,
    /* lookups: a = table id */
    OP_LOOKUP, OP_LOOKUP_EXTRAP, OP_LOOKUP_FORWARD, OP_LOOKUP_BACKWARD,
    OP_LOOKUP_INVERT,
    /* random: a = call-site stream */
    OP_RANDOM_UNIFORM, OP_RANDOM_NORMAL, OP_RANDOM_TRIANGULAR,
    OP_RANDOM_EXPONENTIAL,
    OP_COUNT
} opcode;

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
    uint64_t step;     /* k: RANDOM draws one number per step       */
    uint64_t seed, run;
    const double *consts;
    ps_table *const *tables;
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
    size_t slot;
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
    size_t slot;       /* (size_t)-1 for lookups */
} program_var;

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
    code_block step_code;    /* each evaluation: auxiliaries then rates */
    size_t *step_slots;      /* slots written by step_code, in order    */
    size_t nstep_slots;

    fixed_delay *delays;
    size_t ndelays;
    held_value *helds;
    size_t nhelds;

    double *consts;
    size_t nconsts, consts_cap;
    ps_table **tables;
    size_t ntables;
    size_t nrandom;          /* RANDOM call sites (one stream each)     */

    program_var *vars;       /* model variables in file order          */
    size_t nvars;
    size_t slot_initial_time, slot_final_time, slot_time_step, slot_saveper;
};

/* Ends a run of code in block b with OP_END. */
ps_status emit_end(code_block *b, ps_error *err);

/* Emits code computing `e` and storing it in `slot` into block b. */
ps_status emit_equation(ps_program *p, code_block *b, const eqn_set *set,
                        const ps_expr *e, size_t slot, ps_error *err);

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

#endif
