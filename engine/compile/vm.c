/*
 * The stack machine that runs compiled equations.  Each instruction is an
 * opcode and one operand; the operand stack is a local array whose depth
 * the compiler has bounded (VM_STACK_MAX).
 */
#include <math.h>

#include "compile_impl.h"
#include "plansim/fn.h"
#include "plansim/rng.h"

static double random_uniform01(const vm_context *ctx, int32_t stream)
{
    ps_rng_address addr = {ctx->seed, ctx->run, (uint64_t)stream};
    return ps_rng_uniform(&addr, ctx->step);
}

void vm_run(const code_block *b, size_t start, double *v,
            const vm_context *ctx)
{
    double stack[VM_STACK_MAX];
    double *sp = stack; /* next free */
    const insn *code = b->code;
    size_t pc = start;
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
            BINARY(OP_MIN, fmin(x, y))
            BINARY(OP_MAX, fmax(x, y))
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
            UNARY(OP_INTEGER, ps_fn_integer(x))
            UNARY(OP_LOG10, log10(x))
            UNARY(OP_LOOKUP, ps_fn_lookup(ctx->tables[in.a], x))
            UNARY(OP_LOOKUP_EXTRAP, ps_fn_lookup_extrapolate(ctx->tables[in.a], x))
            UNARY(OP_LOOKUP_FORWARD, ps_fn_lookup_forward(ctx->tables[in.a], x))
            UNARY(OP_LOOKUP_BACKWARD,
                  ps_fn_lookup_backward(ctx->tables[in.a], x))
            UNARY(OP_LOOKUP_INVERT, ps_fn_lookup_invert(ctx->tables[in.a], x))
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
        case OP_COUNT:
            return;
        }
    }
}
