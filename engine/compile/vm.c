/*
 * The stack machine that runs compiled equations.  Each instruction is an
 * opcode and one operand; the operand stack is a local array whose depth
 * the compiler has bounded (VM_STACK_MAX).
 */
#include <math.h>

#include "compile_impl.h"
#include "native_impl.h"
#include "plansim/fn.h"
#include "plansim/rng.h"

static double random_uniform01(const vm_context *ctx, int32_t stream)
{
    ps_rng_address addr = {ctx->seed, ctx->run, (uint64_t)stream};
    return ps_rng_uniform(&addr, ctx->step);
}

size_t vm_vector_arity(vector_kind kind)
{
    return kind == VEC_ALLOCATE_BY_PRIORITY || kind == VEC_SELECT ? 3 : 1;
}

/* One vector function: gathers iteration lin's vectors, pops the scalar
   arguments from the stack at sp and pushes the element of the result
   this iteration defines; returns the new stack top.  Kept out of vm_run
   so that its scratch space does not weigh on every evaluation (and sp
   is passed by value, so that vm_run keeps it in a register). */
__attribute__((noinline)) double *vm_vector(const vec_op *o, const double *v,
                                            size_t lin, const int32_t *atab,
                                            double *sp)
{
    double a[VEC_MAX], b[4 * VEC_MAX];
    size_t work[VEC_MAX];
    size_t m = o->m;
    size_t pos = o->pos >= 0 ? (size_t)atab[(size_t)o->pos + lin] : 0;
    if (o->kind != VEC_ELM_MAP && o->kind != VEC_REORDER)
        for (size_t r = 0; r < m; r++)
            a[r] = v[atab[(size_t)o->tab[0] + lin * m + r]];
    size_t m1 = o->kind == VEC_ALLOCATE_AVAILABLE ? 4 * m : m;
    if (o->tab[1] >= 0)
        for (size_t r = 0; r < m1; r++)
            b[r] = v[atab[(size_t)o->tab[1] + lin * m1 + r]];
    double out;
    switch (o->kind) {
    case VEC_SORT_ORDER:
        out = ps_fn_vector_sort_order(a, m, *--sp, pos, work);
        break;
    case VEC_RANK:
        out = ps_fn_vector_rank(a, m, *--sp, pos, work);
        break;
    case VEC_REORDER: {
        double idx = *--sp;
        out = idx >= 0 && idx < (double)m
                  ? v[atab[(size_t)o->tab[0] + lin * m + (size_t)idx]]
                  : PS_NA;
        break;
    }
    case VEC_ELM_MAP: {
        double off = *--sp;
        double at = (double)atab[(size_t)o->tab[0] + lin] + trunc(off);
        out = at >= (double)o->lo && at < (double)o->hi ? v[(size_t)at]
                                                        : PS_NA;
        break;
    }
    case VEC_INVERT:
        --sp; /* the order, implied by the matrix */
        out = ps_fn_invert_matrix(a, o->n, pos / o->n, pos % o->n, b);
        break;
    case VEC_ALLOCATE_AVAILABLE:
        out = ps_fn_allocate_available(a, b, m, *--sp, pos);
        break;
    case VEC_ALLOCATE_BY_PRIORITY: {
        double supply = *--sp, width = *--sp;
        --sp; /* the size, implied by the vectors */
        double w[4 * VEC_MAX];
        out = ps_fn_allocate_by_priority(a, b, m, width, supply, pos, w);
        break;
    }
    case VEC_SELECT: {
        sp -= 3; /* missing, action, error action */
        out = ps_fn_vector_select(a, b, m, sp[0], sp[1]);
        break;
    }
    default:
        out = NAN;
        break;
    }
    *sp++ = out;
    return sp;
}

void vm_run(const code_block *b, size_t start, double *v,
            const vm_context *ctx)
{
    double stack[VM_STACK_MAX];
    double *sp = stack; /* next free */
    const insn *code = b->code;
    const int32_t *atab = ctx->atab;
    size_t pc = start;
    size_t lin = 0, n = 1;  /* the array loop                 */
    size_t body = 0;        /* where the loop's body starts   */
    double *vl = v;         /* v + lin                         */
    size_t r = 0, m = 1;    /* the reduction loop             */
    int32_t table = 0;      /* the table register             */
    for (;;) {
        const insn in = code[pc++];
        switch ((opcode)in.op) {
        case OP_END:
            return;
        case OP_CONST:
            *sp++ = ctx->consts[in.a];
            break;
        case OP_LOAD:
            *sp++ = v[in.a];
            break;
        case OP_STORE:
            v[in.a] = *--sp;
            break;
        case OP_JUMP:
            pc = (size_t)in.a;
            break;
        case OP_JUMPF:
            if (*--sp == 0)
                pc = (size_t)in.a;
            break;
        case OP_NEG:
            sp[-1] = -sp[-1];
            break;
        case OP_NOT:
            sp[-1] = sp[-1] == 0;
            break;
#define BINARY(opc, expr)                                                    \
    case opc: {                                                              \
        double y = *--sp, x = sp[-1];                                        \
        sp[-1] = (expr);                                                     \
        break;                                                               \
    }
            BINARY(OP_ADD, x + y)
            BINARY(OP_SUB, x - y)
            BINARY(OP_MUL, x * y)
            BINARY(OP_DIV, x / y)
            BINARY(OP_POW, ps_fn_power(x, y))
            BINARY(OP_LT, x < y)
            BINARY(OP_LE, x <= y)
            BINARY(OP_GT, x > y)
            BINARY(OP_GE, x >= y)
            BINARY(OP_EQ, x == y)
            BINARY(OP_NE, x != y)
            BINARY(OP_AND, x != 0 && y != 0)
            BINARY(OP_OR, x != 0 || y != 0)
            BINARY(OP_MIN, ps_fn_min(x, y))
            BINARY(OP_MAX, ps_fn_max(x, y))
            BINARY(OP_MODULO, ps_fn_modulo(x, y))
            BINARY(OP_QUANTUM, ps_fn_quantum(x, y))
            BINARY(OP_POWER, ps_fn_power(x, y))
            BINARY(OP_LOG, ps_fn_log(x, y))
            BINARY(OP_ZIDZ, ps_fn_zidz(x, y))
            BINARY(OP_STEP, ps_fn_step(x, y, ctx->step_time, ctx->dt))
            BINARY(OP_PULSE, ps_fn_pulse(x, y, ctx->step_time, ctx->dt))
            BINARY(OP_RAMP2,
                   ps_fn_ramp(x, y, INFINITY, ctx->step_time, ctx->dt))
#undef BINARY
#define UNARY(opc, expr)                                                     \
    case opc: {                                                              \
        double x = sp[-1];                                                   \
        sp[-1] = (expr);                                                     \
        break;                                                               \
    }
            UNARY(OP_ABS, fabs(x))
            UNARY(OP_EXP, exp(x))
            UNARY(OP_LN, log(x))
            UNARY(OP_SQRT, sqrt(x))
            UNARY(OP_SIN, sin(x))
            UNARY(OP_COS, cos(x))
            UNARY(OP_TAN, tan(x))
            UNARY(OP_ASIN, asin(x))
            UNARY(OP_ACOS, acos(x))
            UNARY(OP_ATAN, atan(x))
            UNARY(OP_SINH, sinh(x))
            UNARY(OP_COSH, cosh(x))
            UNARY(OP_TANH, tanh(x))
            UNARY(OP_INTEGER, ps_fn_integer(x))
            UNARY(OP_LOG10, log10(x))
#define TABLE (ctx->tables[in.a == TABLE_FROM_REGISTER ? table : in.a])
            UNARY(OP_LOOKUP, ps_fn_lookup(TABLE, x))
            UNARY(OP_LOOKUP_EXTRAP, ps_fn_lookup_extrapolate(TABLE, x))
            UNARY(OP_LOOKUP_FORWARD, ps_fn_lookup_forward(TABLE, x))
            UNARY(OP_LOOKUP_BACKWARD, ps_fn_lookup_backward(TABLE, x))
            UNARY(OP_LOOKUP_INVERT, ps_fn_lookup_invert(TABLE, x))
            UNARY(OP_LOOKUP_RAW, ps_fn_lookup_raw(TABLE, x))
#undef TABLE
#undef UNARY
        case OP_XIDZ: {
            sp -= 2;
            sp[-1] = ps_fn_xidz(sp[-1], sp[0], sp[1]);
            break;
        }
        case OP_RAMP3: {
            sp -= 2;
            sp[-1] = ps_fn_ramp(sp[-1], sp[0], sp[1], ctx->step_time, ctx->dt);
            break;
        }
        case OP_GET_TIME_VALUE: {
            sp -= 2;
            sp[-1] = ps_fn_get_time_value(sp[-1], sp[0], sp[1],
                                          ctx->step_time, ctx->initial_time);
            break;
        }
        case OP_PULSE_TRAIN: {
            sp -= 3;
            sp[-1] = ps_fn_pulse_train(sp[-1], sp[0], sp[1], sp[2],
                                       ctx->step_time, ctx->dt);
            break;
        }
        case OP_RANDOM_UNIFORM: { /* min, max, seed */
            sp -= 2;
            sp[-1] = ps_fn_random_uniform(sp[-1], sp[0],
                                          random_uniform01(ctx, in.a));
            break;
        }
        case OP_RANDOM_NORMAL: { /* min, max, mean, sd, seed */
            sp -= 4;
            sp[-1] = ps_fn_random_normal(sp[-1], sp[0], sp[1], sp[2],
                                         random_uniform01(ctx, in.a));
            break;
        }
        case OP_RANDOM_EXPONENTIAL: { /* min, max, shift, stretch, seed */
            sp -= 4;
            sp[-1] = ps_fn_random_exponential(sp[-1], sp[0], sp[1], sp[2],
                                              random_uniform01(ctx, in.a));
            break;
        }
        case OP_RANDOM_TRIANGULAR: { /* min, max, lower, mode, upper, seed */
            sp -= 5;
            sp[-1] = ps_fn_random_triangular(sp[-1], sp[0], sp[1], sp[2],
                                             sp[3], random_uniform01(ctx, in.a));
            break;
        }
        case OP_LOOP_BEGIN:
            n = (size_t)in.a;
            lin = 0;
            vl = v;
            body = pc;
            break;
/* the next element of the loop, or the end of it */
#define NEXT_ELEMENT(start)                                                  \
    do {                                                                     \
        vl++;                                                                \
        if (++lin < n) {                                                     \
            pc = (start);                                                    \
        } else { /* code after the loop is not in one */                     \
            lin = 0;                                                         \
            vl = v;                                                          \
        }                                                                    \
    } while (0)
        case OP_STORE_LIN_NEXT:
            vl[in.a] = *--sp;
            NEXT_ELEMENT(body);
            break;
        case OP_STORE_TAB_NEXT:
            v[atab[(size_t)in.a + lin]] = *--sp;
            NEXT_ELEMENT(body);
            break;
        case OP_LOOP_NEXT:
            NEXT_ELEMENT((size_t)in.a);
            break;
        case OP_LOAD_LIN:
            *sp++ = vl[in.a];
            break;
        case OP_ADD_LIN:
            sp[-1] = sp[-1] + vl[in.a];
            break;
        case OP_SUB_LIN:
            sp[-1] = sp[-1] - vl[in.a];
            break;
        case OP_MUL_LIN:
            sp[-1] = sp[-1] * vl[in.a];
            break;
        case OP_DIV_LIN:
            sp[-1] = sp[-1] / vl[in.a];
            break;
        case OP_STORE_LIN:
            vl[in.a] = *--sp;
            break;
        case OP_LOAD_TAB:
            *sp++ = v[atab[(size_t)in.a + lin]];
            break;
        case OP_STORE_TAB:
            v[atab[(size_t)in.a + lin]] = *--sp;
            break;
        case OP_CONST_LIN:
            *sp++ = ctx->consts[(size_t)in.a + lin];
            break;
        case OP_LOAD_RTAB:
            *sp++ = v[atab[(size_t)in.a + lin * m + r]];
            break;
        case OP_RED_BEGIN: {
            static const double start_value[] = {0, 1, INFINITY, -INFINITY};
            m = (size_t)in.a / 4;
            r = 0;
            *sp++ = start_value[in.a % 4];
            break;
        }
        case OP_RED_NEXT: {
            double x = *--sp;
            switch (in.a % 4) {
            case RED_SUM: sp[-1] += x; break;
            case RED_PROD: sp[-1] *= x; break;
            case RED_MIN: sp[-1] = ps_fn_min(sp[-1], x); break;
            default: sp[-1] = ps_fn_max(sp[-1], x); break;
            }
            if (++r < m)
                pc = (size_t)in.a / 4;
            break;
        }
        case OP_SELECT_TABLE:
            table = atab[(size_t)in.a + lin];
            break;
        case OP_VECTOR:
            sp = vm_vector(&ctx->vecops[in.a], v, lin, atab, sp);
            break;
        case OP_COUNT:
            return;
        }
    }
#undef NEXT_ELEMENT
}
