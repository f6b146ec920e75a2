/*
 * The C source of a compiled program: the interpreter's stack code
 * translated instruction by instruction into C statements over local
 * variables (s0, s1, ... stand for the operand stack's slots, as deep as
 * the code reaches), with the interpreter's registers (the array loop,
 * the reduction loop, the table register) as locals and its jumps as
 * gotos.  Every operation is the one vm.c performs, in the same order,
 * on the same operands; what is not plain arithmetic is a call through
 * native_api to the function vm.c calls.  The C compiler then keeps the
 * stack in registers, folds constant operands and removes the dispatch.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "native_impl.h"

typedef struct gen {
    FILE *f;
    const ps_program *p;
    const code_block *b;
    unsigned char *target; /* per instruction: a jump lands there   */
    int *depth_at;         /* stack depth at a target, or -1         */
    int check;             /* fold each stored value into z0..z3     */
    unsigned nstores;      /* stores so far, to spread them over z*  */
    int failed;            /* out of memory on the way               */
    size_t loop_n, red_m;  /* elements of the loop, terms of the sum */
} gen;

/* In the step function, each stored value x adds x - x (0 when finite,
   NaN when not) to one of four sums, so that one test at the end tells
   whether any value stopped being finite (ps_instance_eval then finds
   the first); four sums keep the additions from waiting on each other. */
static void put_check(gen *g, int t)
{
    if (g->check)
        fprintf(g->f, "    z%u += s%d - s%d;\n", g->nstores++ % 4, t, t);
}

/* A double as a C expression that reads back to the same bits. */
static void put_number(FILE *f, double x)
{
    if (isfinite(x)) {
        fprintf(f, "%a", x);
        return;
    }
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    fprintf(f, "bits(0x%016llxull)", (unsigned long long)u);
}

static const char *const preamble =
    "#include <math.h>\n"
    "#include <stddef.h>\n"
    "#include <stdint.h>\n"
    "typedef struct vm_context vm_context;\n"
    "typedef struct ps_table ps_table;\n"
    "static inline double bits(uint64_t u)\n"
    "{\n"
    "    union { uint64_t u; double d; } x = {u};\n"
    "    return x.d;\n"
    "}\n";

/* ps_fn_min and ps_fn_max (plansim/fn.h), comparison for comparison. */
static const char *const min_max =
    "static inline double min2(double a, double b)\n"
    "{\n"
    "    return isless(b, a) || isnan(a) ? b : a;\n"
    "}\n"
    "static inline double max2(double a, double b)\n"
    "{\n"
    "    return isgreater(b, a) || isnan(a) ? b : a;\n"
    "}\n";

/* The callback table, member for member as the engine declares it. */
static void put_api(FILE *f)
{
    fputs("typedef struct native_api {\n", f);
#define NATIVE_MEMBER_TEXT(name, params)                                       \
    fputs("    double (*" #name ")" #params ";\n", f);
    NATIVE_API(NATIVE_MEMBER_TEXT)
#undef NATIVE_MEMBER_TEXT
    fputs("} native_api;\n", f);
}

/* Marks where the code from `start` to its OP_END jumps to. */
static void mark_targets(gen *g, size_t start)
{
    const insn *code = g->b->code;
    size_t body = start;
    for (size_t pc = start; pc < g->b->n; pc++) {
        const insn in = code[pc];
        switch ((opcode)in.op) {
        case OP_END:
        case OP_COUNT:
            return;
        case OP_JUMP:
        case OP_JUMPF:
        case OP_LOOP_NEXT:
            g->target[in.a] = 1;
            break;
        case OP_LOOP_BEGIN:
            body = pc + 1;
            break;
        case OP_STORE_LIN_NEXT:
        case OP_STORE_TAB_NEXT:
            g->target[body] = 1;
            break;
        case OP_RED_NEXT:
            g->target[(size_t)in.a / 4] = 1;
            break;
        default:
            break;
        }
    }
}

static const char *binary_infix(opcode op)
{
    switch (op) {
    case OP_ADD:
        return "+";
    case OP_SUB:
        return "-";
    case OP_MUL:
        return "*";
    case OP_DIV:
        return "/";
    case OP_LT:
        return "<";
    case OP_LE:
        return "<=";
    case OP_GT:
        return ">";
    case OP_GE:
        return ">=";
    case OP_EQ:
        return "==";
    case OP_NE:
        return "!=";
    default:
        return NULL;
    }
}

/* The native_api member of a two-argument function opcode. */
static const char *binary_call(opcode op, int *timed)
{
    *timed = 0;
    switch (op) {
    case OP_MODULO:
        return "modulo";
    case OP_QUANTUM:
        return "quantum";
    case OP_LOG:
        return "log2";
    case OP_ZIDZ:
        return "zidz";
    default:
        break;
    }
    *timed = 1;
    switch (op) {
    case OP_STEP:
        return "step";
    case OP_PULSE:
        return "pulse";
    case OP_RAMP2:
        return "ramp2";
    default:
        return NULL;
    }
}

static const char *unary_call(opcode op)
{
    switch (op) {
    case OP_EXP:
        return "exp";
    case OP_LN:
        return "ln";
    case OP_SIN:
        return "sin";
    case OP_COS:
        return "cos";
    case OP_TAN:
        return "tan";
    case OP_ASIN:
        return "asin";
    case OP_ACOS:
        return "acos";
    case OP_ATAN:
        return "atan";
    case OP_SINH:
        return "sinh";
    case OP_COSH:
        return "cosh";
    case OP_TANH:
        return "tanh";
    case OP_INTEGER:
        return "integer";
    case OP_LOG10:
        return "log10";
    case OP_LOOKUP:
        return "lookup";
    case OP_LOOKUP_EXTRAP:
        return "lookup_extrap";
    case OP_LOOKUP_FORWARD:
        return "lookup_forward";
    case OP_LOOKUP_BACKWARD:
        return "lookup_backward";
    case OP_LOOKUP_INVERT:
        return "lookup_invert";
    case OP_LOOKUP_RAW:
        return "lookup_raw";
    default:
        return NULL;
    }
}

/* Writes `args` stack slots from s[first] as ", s<first>, ...". */
static void put_args(FILE *f, int first, int count)
{
    for (int i = 0; i < count; i++)
        fprintf(f, ", s%d", first + i);
}

/* Whether address table entries atab[a + lin * m + r] (lin < n, r < m)
   are base + lin * di + r * dr, so that the code can compute the slot
   instead of reading it; then *base, *di and *dr are set. */
static int affine_table(const ps_program *p, size_t a, size_t n, size_t m,
                        long long *base, long long *di, long long *dr)
{
    if (n == 0 || m == 0 || a + n * m > p->natab)
        return 0;
    const int32_t *t = p->atab + a;
    *base = t[0];
    *di = n > 1 ? (long long)t[m] - t[0] : 0;
    *dr = m > 1 ? (long long)t[1] - t[0] : 0;
    for (size_t i = 0; i < n; i++)
        for (size_t r = 0; r < m; r++)
            if (t[i * m + r] != *base + (long long)i * *di + (long long)r * *dr)
                return 0;
    return 1;
}

/* Writes the slot of entry a + lin * m + r ("+ r" only when in_sum). */
static void put_table_slot(gen *g, int32_t a, int in_sum)
{
    size_t m = in_sum ? g->red_m : 1;
    long long base, di, dr;
    if (affine_table(g->p, (size_t)a, g->loop_n, m, &base, &di, &dr)) {
        fprintf(g->f, "v[%lld + (ptrdiff_t)lin * %lld", base, di);
        if (in_sum)
            fprintf(g->f, " + (ptrdiff_t)r * %lld", dr);
        fputc(']', g->f);
    } else if (in_sum)
        fprintf(g->f, "v[atab[%d + lin * m + r]]", a);
    else
        fprintf(g->f, "v[atab[%d + lin]]", a);
}

/* Translates one instruction; *d is the stack depth before and after.
   Returns 0 at the end of the code, 1 to go on. */
static int put_insn(gen *g, size_t pc, int *d, size_t body, int *after_jump)
{
    FILE *f = g->f;
    const insn in = g->b->code[pc];
    const opcode op = (opcode)in.op;
    const int a = in.a;
    int t = *d - 1; /* top */
    *after_jump = 0;
    const char *name;
    int timed;
    if ((name = binary_infix(op))) {
        fprintf(f, "    s%d = s%d %s s%d;\n", t - 1, t - 1, name, t);
        --*d;
        return 1;
    }
    if (op == OP_MIN || op == OP_MAX) {
        fprintf(f, "    s%d = %s(s%d, s%d);\n", t - 1,
                op == OP_MIN ? "min2" : "max2", t - 1, t);
        --*d;
        return 1;
    }
    if ((name = binary_call(op, &timed))) {
        fprintf(f, "    s%d = api->%s(%ss%d, s%d);\n", t - 1, name,
                timed ? "ctx, " : "", t - 1, t);
        --*d;
        return 1;
    }
    if ((name = unary_call(op))) {
        if (op >= OP_LOOKUP && op <= OP_LOOKUP_RAW) {
            if (a == TABLE_FROM_REGISTER)
                fprintf(f, "    s%d = api->%s(tables[table], s%d);\n", t, name,
                        t);
            else
                fprintf(f, "    s%d = api->%s(tables[%d], s%d);\n", t, name, a,
                        t);
        } else {
            fprintf(f, "    s%d = api->%s(s%d);\n", t, name, t);
        }
        return 1;
    }
    switch (op) {
    case OP_END:
    case OP_COUNT:
        if (g->check)
            fputs("    return z0 + z1 + z2 + z3 == 0;\n", f);
        else
            fputs("    return 1;\n", f);
        return 0;
    case OP_POW:
    case OP_POWER: /* ps_fn_power: NaN when either is, else pow */
        fprintf(f,
                "    s%d = isnan(s%d) || isnan(s%d) ? NAN : api->pow(s%d, "
                "s%d);\n",
                t - 1, t - 1, t, t - 1, t);
        --*d;
        break;
    case OP_CONST:
        fprintf(f, "    s%d = ", *d);
        put_number(f, g->p->consts[a]);
        fputs(";\n", f);
        ++*d;
        break;
    case OP_LOAD:
        fprintf(f, "    s%d = v[%d];\n", *d, a);
        ++*d;
        break;
    case OP_STORE:
        fprintf(f, "    v[%d] = s%d;\n", a, t);
        put_check(g, t);
        --*d;
        break;
    case OP_JUMP:
        fprintf(f, "    goto L%d;\n", a);
        g->depth_at[a] = *d;
        *after_jump = 1;
        break;
    case OP_JUMPF:
        fprintf(f, "    if (s%d == 0)\n        goto L%d;\n", t, a);
        --*d;
        g->depth_at[a] = *d;
        break;
    case OP_NEG:
        fprintf(f, "    s%d = -s%d;\n", t, t);
        break;
    case OP_NOT:
        fprintf(f, "    s%d = s%d == 0;\n", t, t);
        break;
    case OP_AND:
    case OP_OR:
        fprintf(f, "    s%d = s%d != 0 %s s%d != 0;\n", t - 1, t - 1,
                op == OP_AND ? "&&" : "||", t);
        --*d;
        break;
    case OP_ABS:
        fprintf(f, "    s%d = fabs(s%d);\n", t, t);
        break;
    case OP_SQRT:
        fprintf(f, "    s%d = sqrt(s%d);\n", t, t);
        break;
    case OP_XIDZ:
    case OP_RAMP3:
    case OP_GET_TIME_VALUE:
        *d -= 2;
        fprintf(f, "    s%d = api->%s(%ss%d", *d - 1,
                op == OP_XIDZ    ? "xidz"
                : op == OP_RAMP3 ? "ramp3"
                                 : "get_time_value",
                op == OP_XIDZ ? "" : "ctx, ", *d - 1);
        put_args(f, *d, 2);
        fputs(");\n", f);
        break;
    case OP_PULSE_TRAIN:
        *d -= 3;
        fprintf(f, "    s%d = api->pulse_train(ctx, s%d", *d - 1, *d - 1);
        put_args(f, *d, 3);
        fputs(");\n", f);
        break;
    case OP_RANDOM_UNIFORM:
    case OP_RANDOM_NORMAL:
    case OP_RANDOM_EXPONENTIAL:
    case OP_RANDOM_TRIANGULAR: {
        int popped = op == OP_RANDOM_UNIFORM      ? 2
                     : op == OP_RANDOM_TRIANGULAR ? 5
                                                  : 4;
        *d -= popped;
        fprintf(f, "    s%d = api->%s(ctx, %d, s%d", *d - 1,
                op == OP_RANDOM_UNIFORM       ? "random_uniform"
                : op == OP_RANDOM_NORMAL      ? "random_normal"
                : op == OP_RANDOM_EXPONENTIAL ? "random_exponential"
                                              : "random_triangular",
                a, *d - 1);
        put_args(f, *d, popped - 1); /* the seed argument is not passed */
        fputs(");\n", f);
        break;
    }
    case OP_LOOP_BEGIN:
        g->loop_n = (size_t)a;
        fprintf(f, "    n = %d;\n    lin = 0;\n    vl = v;\n", a);
        break;
    case OP_STORE_LIN_NEXT:
    case OP_STORE_TAB_NEXT:
    case OP_LOOP_NEXT:
        if (op == OP_STORE_LIN_NEXT)
            fprintf(f, "    vl[%d] = s%d;\n", a, t);
        else if (op == OP_STORE_TAB_NEXT)
            fprintf(f, "    v[atab[%d + lin]] = s%d;\n", a, t);
        if (op != OP_LOOP_NEXT) {
            put_check(g, t);
            --*d;
        }
        fprintf(f,
                "    vl++;\n    if (++lin < n)\n        goto L%zu;\n"
                "    lin = 0;\n    vl = v;\n",
                op == OP_LOOP_NEXT ? (size_t)a : body);
        break;
    case OP_LOAD_LIN:
        fprintf(f, "    s%d = vl[%d];\n", *d, a);
        ++*d;
        break;
    case OP_ADD_LIN:
    case OP_SUB_LIN:
    case OP_MUL_LIN:
    case OP_DIV_LIN:
        fprintf(f, "    s%d = s%d %c vl[%d];\n", t, t, "+-*/"[op - OP_ADD_LIN],
                a);
        break;
    case OP_STORE_LIN:
        fprintf(f, "    vl[%d] = s%d;\n", a, t);
        put_check(g, t);
        --*d;
        break;
    case OP_LOAD_TAB:
        fprintf(f, "    s%d = ", *d);
        put_table_slot(g, a, 0);
        fputs(";\n", f);
        ++*d;
        break;
    case OP_STORE_TAB:
        fprintf(f, "    v[atab[%d + lin]] = s%d;\n", a, t);
        put_check(g, t);
        --*d;
        break;
    case OP_CONST_LIN:
        fprintf(f, "    s%d = consts[%d + lin].d;\n", *d, a);
        ++*d;
        break;
    case OP_LOAD_RTAB:
        fprintf(f, "    s%d = ", *d);
        put_table_slot(g, a, 1);
        fputs(";\n", f);
        ++*d;
        break;
    case OP_RED_BEGIN: {
        static const char *const start_value[] = {"0.0", "1.0", "INFINITY",
                                                  "-INFINITY"};
        g->red_m = (size_t)a / 4;
        fprintf(f, "    m = %d;\n    r = 0;\n    s%d = %s;\n", a / 4, *d,
                start_value[a % 4]);
        ++*d;
        break;
    }
    case OP_RED_NEXT:
        switch (a % 4) {
        case RED_SUM:
            fprintf(f, "    s%d += s%d;\n", t - 1, t);
            break;
        case RED_PROD:
            fprintf(f, "    s%d *= s%d;\n", t - 1, t);
            break;
        default:
            fprintf(f, "    s%d = %s(s%d, s%d);\n", t - 1,
                    a % 4 == RED_MIN ? "min2" : "max2", t - 1, t);
            break;
        }
        --*d;
        fprintf(f, "    if (++r < m)\n        goto L%d;\n", a / 4);
        break;
    case OP_SELECT_TABLE:
        fprintf(f, "    table = atab[%d + lin];\n", a);
        break;
    case OP_VECTOR: {
        int k = (int)vm_vector_arity(g->p->vecops[a].kind);
        *d -= k;
        fprintf(f, "    {\n        double args[%d] = {s%d", k, *d);
        for (int i = 1; i < k; i++)
            fprintf(f, ", s%d", *d + i);
        fprintf(f,
                "};\n        s%d = api->vector(ctx, %d, v, lin, args);\n"
                "    }\n",
                *d, a);
        ++*d;
        break;
    }
    default:
        fprintf(f, "#error opcode %d\n", (int)op);
        break;
    }
    return 1;
}

/*
 * Interleaved loops.  In a loop over an array equation's elements where
 * each element is one reduction (SUM, PROD, VMIN, VMAX over a second
 * range), the time goes to waiting on the reduction's chain of
 * operations, one after the other.  Several elements (lanes) are then
 * computed side by side: all of them when there are at most JAM_MAX_ALL,
 * else JAM_LANES at a time, each in its own variables (s3_1 for lane 1's s3,
 * and lin_1, vl_1) and with its own operations in its own order, so that their
 * chains overlap; the elements left over run in the loop as written.  Only
 * loops whose elements cannot see each other qualify: no call, no jump, and no
 * load from the slots the loop stores.
 */
enum { JAM_LANES = 4, JAM_MAX_ALL = 8, JAM_MIN_REDUCTION = 4 };

typedef struct jam {
    size_t begin;     /* OP_LOOP_BEGIN                      */
    size_t red_begin; /* OP_RED_BEGIN                       */
    size_t red_next;  /* OP_RED_NEXT                        */
    size_t close;     /* the OP_STORE_LIN_NEXT that ends it */
    size_t n, m;      /* elements, and terms of each sum    */
    int lanes;        /* elements computed side by side     */
} jam;

/* Whether an operation may be computed lane by lane. */
static int jam_pure(opcode op)
{
    if (binary_infix(op))
        return 1;
    switch (op) {
    case OP_CONST:
    case OP_LOAD:
    case OP_LOAD_LIN:
    case OP_LOAD_TAB:
    case OP_LOAD_RTAB:
    case OP_CONST_LIN:
    case OP_ADD_LIN:
    case OP_SUB_LIN:
    case OP_MUL_LIN:
    case OP_DIV_LIN:
    case OP_NEG:
    case OP_NOT:
    case OP_AND:
    case OP_OR:
    case OP_ABS:
    case OP_SQRT:
    case OP_MIN:
    case OP_MAX:
        return 1;
    default:
        return 0;
    }
}

/* Whether slots [lo, lo + count) miss the slots [s, s + n) the loop
   stores. */
static int misses(size_t lo, size_t count, size_t s, size_t n)
{
    return lo + count <= s || s + n <= lo;
}

/* Whether operation pc of the loop reads none of the slots it stores. */
static int jam_reads_apart(const gen *g, const jam *j, size_t pc)
{
    const insn in = g->b->code[pc];
    size_t a = (size_t)in.a, s = (size_t)g->b->code[j->close].a, n = j->n;
    size_t entries = 0;
    switch ((opcode)in.op) {
    case OP_LOAD:
        return misses(a, 1, s, n);
    case OP_LOAD_LIN:
    case OP_ADD_LIN:
    case OP_SUB_LIN:
    case OP_MUL_LIN:
    case OP_DIV_LIN:
        return misses(a, n, s, n);
    case OP_LOAD_TAB:
        entries = n;
        break;
    case OP_LOAD_RTAB:
        entries = n * j->m;
        break;
    default:
        return 1;
    }
    if (a + entries > g->p->natab)
        return 0;
    for (size_t i = 0; i < entries; i++)
        if (!misses((size_t)g->p->atab[a + i], 1, s, n))
            return 0;
    return 1;
}

/* Whether the loop at `begin` can be interleaved; its parts in *j. */
static int jam_find(const gen *g, size_t begin, jam *j)
{
    const insn *code = g->b->code;
    size_t reds = 0, nexts = 0, pc;
    j->begin = begin;
    j->n = (size_t)code[begin].a;
    if (j->n < 2)
        return 0;
    j->lanes = j->n <= JAM_MAX_ALL ? (int)j->n : JAM_LANES;
    for (pc = begin + 1; pc < g->b->n; pc++) {
        const insn in = code[pc];
        if (in.op == OP_STORE_LIN_NEXT)
            break;
        if (pc > begin + 1 && g->target[pc] &&
            !(reds == 1 && pc == j->red_begin + 1))
            return 0;
        if (in.op == OP_RED_BEGIN) {
            if (reds++)
                return 0;
            j->red_begin = pc;
            j->m = (size_t)in.a / 4;
        } else if (in.op == OP_RED_NEXT) {
            if (nexts++ || !reds || (size_t)in.a / 4 != j->red_begin + 1 ||
                in.a % 4 != code[j->red_begin].a % 4)
                return 0;
            j->red_next = pc;
        } else if (!jam_pure((opcode)in.op) ||
                   (in.op == OP_LOAD_RTAB && (!reds || nexts))) {
            return 0;
        }
    }
    if (pc == g->b->n || reds != 1 || nexts != 1 || j->m < JAM_MIN_REDUCTION)
        return 0;
    j->close = pc;
    for (pc = begin + 1; pc < j->close; pc++)
        if (!jam_reads_apart(g, j, pc))
            return 0;
    return 1;
}

/* Writes `text` (lane 0's code) for lane k: s<digits>, lin and vl take
   the suffix _k; numbers are copied whole. */
static void put_lane_text(FILE *f, const char *text, int k)
{
    const char *c = text;
    while (*c) {
        if (isalpha((unsigned char)*c) || *c == '_') {
            const char *e = c;
            while (isalnum((unsigned char)*e) || *e == '_')
                e++;
            size_t len = (size_t)(e - c);
            int stack = c[0] == 's' && len > 1 &&
                        strspn(c + 1, "0123456789") == len - 1;
            int reg = (len == 3 && !strncmp(c, "lin", 3)) ||
                      (len == 2 && !strncmp(c, "vl", 2));
            fwrite(c, 1, len, f);
            if (k && (stack || reg))
                fprintf(f, "_%d", k);
            c = e;
        } else if (isdigit((unsigned char)*c)) {
            const char *e = c;
            while (isalnum((unsigned char)*e) || *e == '.' ||
                   ((*e == '+' || *e == '-') && (e[-1] == 'p' || e[-1] == 'P')))
                e++;
            fwrite(c, 1, (size_t)(e - c), f);
            c = e;
        } else {
            fputc(*c++, f);
        }
    }
}

enum jam_part { JAM_PRE, JAM_RED_START, JAM_RED_BODY, JAM_RED_FOLD, JAM_POST };

/* Writes one part of the loop body for lane 0, from stack depth d;
   returns the depth after it. */
static int put_jam_part(gen *g, const jam *j, enum jam_part part, int d)
{
    FILE *f = g->f;
    const insn *code = g->b->code;
    size_t from = 0, to = 0;
    int after_jump;
    switch (part) {
    case JAM_PRE:
        from = j->begin + 1, to = j->red_begin;
        break;
    case JAM_RED_START: {
        static const char *const start_value[] = {"0.0", "1.0", "INFINITY",
                                                  "-INFINITY"};
        fprintf(f, "    s%d = %s;\n", d, start_value[code[j->red_begin].a % 4]);
        return d + 1;
    }
    case JAM_RED_BODY:
        from = j->red_begin + 1, to = j->red_next;
        break;
    case JAM_RED_FOLD: {
        static const char *const fold[] = {"s%d += s%d;\n", "s%d *= s%d;\n",
                                           "s%d = min2(s%d, ",
                                           "s%d = max2(s%d, "};
        int kind = code[j->red_next].a % 4, t = d - 1;
        fputs("    ", f);
        fprintf(f, fold[kind], t - 1, kind < 2 ? t : t - 1);
        if (kind >= 2)
            fprintf(f, "s%d);\n", t);
        return d - 1;
    }
    case JAM_POST:
        from = j->red_next + 1, to = j->close;
        break;
    }
    for (size_t pc = from; pc < to; pc++)
        put_insn(g, pc, &d, j->begin + 1, &after_jump);
    if (part == JAM_POST) {
        fprintf(f, "    vl[%d] = s%d;\n", code[j->close].a, d - 1);
        put_check(g, d - 1);
        d--;
    }
    return d;
}

/* Writes one part of the loop body for every lane. */
static int put_jam_lanes(gen *g, const jam *j, enum jam_part part, int d)
{
    FILE *out = g->f;
    char *text = NULL;
    size_t len = 0;
    g->f = open_memstream(&text, &len);
    if (!g->f) {
        g->f = out;
        g->failed = 1;
        return d;
    }
    int after = put_jam_part(g, j, part, d);
    g->failed |= ferror(g->f) != 0;
    if (fclose(g->f) != 0)
        g->failed = 1;
    g->f = out;
    for (int k = 0; text && k < j->lanes; k++)
        put_lane_text(out, text, k);
    free(text);
    return after;
}

/* Writes the interleaved loop over the elements of j, from an empty
   stack, then a jump past the loop as written when no element is left
   (to J<begin>, which put_code writes after it). */
static void put_jam(gen *g, const jam *j)
{
    FILE *f = g->f;
    size_t nstack = g->b->max_stack ? g->b->max_stack : 1;
    fputs("    {\n", f);
    for (int k = 1; k < j->lanes; k++) {
        fprintf(f, "    size_t lin_%d;\n    double *vl_%d", k, k);
        for (size_t i = 0; i < nstack; i++)
            fprintf(f, ", s%zu_%d", i, k);
        fputs(";\n", f);
    }
    fprintf(f, "    while (lin + %d <= n) {\n", j->lanes);
    for (int k = 1; k < j->lanes; k++)
        fprintf(f, "    lin_%d = lin + %d;\n    vl_%d = vl + %d;\n", k, k, k,
                k);
    int d = put_jam_lanes(g, j, JAM_PRE, 0);
    fprintf(f, "    m = %zu;\n    r = 0;\n", j->m);
    g->red_m = j->m;
    d = put_jam_lanes(g, j, JAM_RED_START, d);
    fputs("    do {\n", f);
    int body = put_jam_lanes(g, j, JAM_RED_BODY, d);
    put_jam_lanes(g, j, JAM_RED_FOLD, body);
    fputs("    } while (++r < m);\n", f);
    put_jam_lanes(g, j, JAM_POST, d);
    fprintf(f, "    lin += %d;\n    vl += %d;\n    }\n    }\n", j->lanes,
            j->lanes);
    fprintf(f, "    if (lin >= n)\n        goto J%zu;\n", j->begin);
}

/* Start-up steps per generated function, and step equations per part
   of the step function: a compiler takes much longer over one function
   of thousands of statements than over many of hundreds. */
enum { INIT_PER_FUNCTION = 64, STORES_PER_PART = 128 };

/* The opening of a generated function, its locals declared. */
static void put_header(gen *g, const char *name)
{
    FILE *f = g->f;
    fprintf(f,
            "static int %s(double *restrict v, const vm_context *ctx,\n"
            "    const native_api *api, const int32_t *atab,\n"
            "    ps_table *const *tables, size_t k)\n{\n"
            "    double z0 = 0, z1 = 0, z2 = 0, z3 = 0;\n"
            "    (void)tables; (void)k; (void)z0; (void)z1; (void)z2;\n"
            "    (void)z3;\n",
            name);
    size_t nstack = g->b->max_stack ? g->b->max_stack : 1;
    fputs("    double s0", f);
    for (size_t i = 1; i < nstack; i++)
        fprintf(f, ", s%zu", i);
    fputs(";\n    size_t lin = 0, n = 1, r = 0, m = 1;\n"
          "    double *vl = v;\n    int32_t table = 0;\n"
          "    (void)ctx; (void)api; (void)atab; (void)lin; (void)n;\n"
          "    (void)r; (void)m; (void)vl; (void)table;\n",
          f);
}

static int is_store(int32_t op)
{
    return op == OP_STORE || op == OP_STORE_LIN_NEXT ||
           op == OP_STORE_TAB_NEXT || op == OP_STORE_LIN || op == OP_STORE_TAB;
}

/* Translates block g->b from `start` to its OP_END.  With part_name (the
   step), the code is cut into functions part_name0, part_name1, ... after
   every STORES_PER_PART equations (where the operand stack is empty and
   no loop runs); returns how many. */
static size_t put_code(gen *g, size_t start, const char *part_name)
{
    FILE *f = g->f;
    char name[64];
    size_t parts = 0, stores = 0;
    int d = 0, after_jump = 0, jammed = 0;
    size_t body = start;
    jam j;
    mark_targets(g, start);
    if (part_name) {
        snprintf(name, sizeof name, "%s%zu", part_name, parts++);
        put_header(g, name);
    }
    for (size_t pc = start; pc < g->b->n; pc++) {
        if (g->target[pc]) {
            fprintf(f, "L%zu:;\n", pc);
            if (after_jump && g->depth_at[pc] >= 0)
                d = g->depth_at[pc];
        }
        if (g->b->code[pc].op == OP_LOOP_BEGIN)
            body = pc + 1;
        int at = d;
        if (!put_insn(g, pc, &d, body, &after_jump))
            break;
        int32_t op = g->b->code[pc].op;
        if (op == OP_LOOP_BEGIN && at == 0 && jam_find(g, pc, &j)) {
            put_jam(g, &j);
            jammed = 1;
        }
        if (jammed && pc == j.close) {
            fprintf(f, "J%zu:;\n    lin = 0;\n    vl = v;\n", j.begin);
            jammed = 0;
        }
        if (part_name && is_store(op) && op != OP_STORE_LIN &&
            op != OP_STORE_TAB && d == 0 && ++stores % STORES_PER_PART == 0 &&
            g->b->code[pc + 1].op != OP_END) {
            snprintf(name, sizeof name, "%s%zu", part_name, parts++);
            fputs("    return z0 + z1 + z2 + z3 == 0;\n}\n", f);
            put_header(g, name);
        }
    }
    if (part_name)
        fputs("}\n", f);
    return parts;
}

/* The start-up steps [first, end) as one function: a case each. */
static void put_init_group(gen *g, size_t group, size_t first, size_t end)
{
    char name[48];
    snprintf(name, sizeof name, "init%zu", group);
    put_header(g, name);
    fputs("    switch (k) {\n", g->f);
    for (size_t k = first; k < end; k++) {
        fprintf(g->f, "    case %zu:\n", k);
        put_code(g, g->p->init_steps[k].start, NULL);
    }
    fputs("    }\n    return 1;\n}\n", g->f);
}

/* The step: its parts, then the function that runs them all (each part
   tells whether the values it stored are finite). */
static void put_step(gen *g)
{
    size_t parts = put_code(g, 0, "step");
    fputs("static int step(double *restrict v, const vm_context *ctx,\n"
          "    const native_api *api, const int32_t *atab,\n"
          "    ps_table *const *tables, size_t k)\n{\n"
          "    int ok = 1;\n",
          g->f);
    for (size_t i = 0; i < parts; i++)
        fprintf(g->f, "    ok &= step%zu(v, ctx, api, atab, tables, k);\n", i);
    fputs("    return ok;\n}\n", g->f);
}

/* The program's constants (read by OP_CONST_LIN), as their bits: a
   constant initializer for every double, NaN and infinities included. */
static void put_consts(gen *g)
{
    FILE *f = g->f;
    fputs("static const union { uint64_t u; double d; } consts[] = {\n", f);
    for (size_t i = 0; i < g->p->nconsts; i++) {
        uint64_t u;
        memcpy(&u, &g->p->consts[i], sizeof u);
        fprintf(f, "    {0x%016llxull},\n", (unsigned long long)u);
    }
    if (!g->p->nconsts)
        fputs("    {0},\n", f);
    fputs("};\n", f);
}

/* Resets the marks for a new block. */
static int begin_block(gen *g, const code_block *b)
{
    free(g->target);
    free(g->depth_at);
    g->b = b;
    g->target = calloc(b->n ? b->n : 1, 1);
    g->depth_at = malloc((b->n ? b->n : 1) * sizeof *g->depth_at);
    if (!g->target || !g->depth_at)
        return -1;
    for (size_t i = 0; i < b->n; i++)
        g->depth_at[i] = -1;
    return 0;
}

ps_status native_emit(const ps_program *p, char **src, size_t *len,
                      ps_error *err)
{
    *src = NULL;
    *len = 0;
    gen g = {0};
    g.p = p;
    g.f = open_memstream(src, len);
    if (!g.f)
        return ps_error_set(err, PS_ERR_NOMEM, p->path, 0, 0,
                            "out of memory for the model's C source");
    fputs(preamble, g.f);
    put_api(g.f);
    fputs(min_max, g.f);
    put_consts(&g);
    int failed = begin_block(&g, &p->init_code);
    for (size_t k = 0; k < p->ninit && !failed; k += INIT_PER_FUNCTION)
        put_init_group(&g, k / INIT_PER_FUNCTION, k,
                       k + INIT_PER_FUNCTION < p->ninit ? k + INIT_PER_FUNCTION
                                                        : p->ninit);
    failed = failed || begin_block(&g, &p->step_code);
    g.check = 1;
    if (!failed)
        put_step(&g);
    fputs("typedef int native_fn(double *, const vm_context *,\n"
          "    const native_api *, const int32_t *, ps_table *const *,\n"
          "    size_t);\n"
          "native_fn *const ps_native_init[] = {\n",
          g.f);
    for (size_t k = 0; k < p->ninit; k++)
        fprintf(g.f, "    init%zu,\n", k / INIT_PER_FUNCTION);
    if (!p->ninit)
        fputs("    0,\n", g.f);
    fprintf(g.f,
            "};\nnative_fn *const ps_native_step = step;\n"
            "const unsigned ps_native_abi = %uu;\n"
            "const size_t ps_native_ninit = %zu;\n",
            NATIVE_ABI_VERSION, p->ninit);
    free(g.target);
    free(g.depth_at);
    failed |= g.failed | ferror(g.f);
    if (fclose(g.f) != 0 || failed) {
        free(*src);
        *src = NULL;
        return ps_error_set(err, PS_ERR_NOMEM, p->path, 0, 0,
                            "out of memory for the model's C source");
    }
    return PS_OK;
}
