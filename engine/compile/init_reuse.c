/*
 * Which start-up steps give the same values in every run.  A step whose
 * code is plain arithmetic on constants, lookups and the values of steps
 * that give the same values, and none of whose slots is overridden, gives
 * the values it gave the last time; only the other steps need to run
 * again (ps_instance_init).
 */
#include <stdlib.h>
#include <string.h>

#include "compile_impl.h"

/* Whether an operation reads nothing but its operands, the constants,
   the lookup tables and the slots scan_step checks. */
static int plain(opcode op)
{
    switch (op) {
    case OP_STEP:
    case OP_PULSE:
    case OP_PULSE_TRAIN:
    case OP_RAMP2:
    case OP_RAMP3:
    case OP_GET_TIME_VALUE:
    case OP_RANDOM_UNIFORM:
    case OP_RANDOM_NORMAL:
    case OP_RANDOM_TRIANGULAR:
    case OP_RANDOM_EXPONENTIAL:
    case OP_VECTOR:
    case OP_COUNT:
        return 0;
    default:
        return 1;
    }
}

typedef struct scan {
    const ps_program *p;
    int32_t *owner;             /* step of each slot, or -1            */
    int32_t *stored;            /* the last step that stored it, or -1 */
    const unsigned char *fresh; /* per slot: its value may change      */
    int32_t step;
    int reads_fresh; /* step k reads a slot that may change */
    int jumps;       /* step k has jumped so far            */
    size_t lo, hi;   /* the slots it stores are in [lo, hi) */
    int broken;      /* the code breaks the rules above     */
} scan;

/* Notes a read of slots [lo, lo + count). */
static void read_slots(scan *s, size_t lo, size_t count)
{
    if (lo + count > s->p->nslots) {
        s->broken = 1;
        return;
    }
    for (size_t i = lo; i < lo + count; i++) {
        /* a slot of this step not yet stored (for sure), or of a later
           step, would read differently before and after a snapshot */
        if (s->owner[i] > s->step ||
            (s->owner[i] == s->step && (s->jumps || s->stored[i] != s->step)))
            s->broken = 1;
        if (s->fresh[i])
            s->reads_fresh = 1;
    }
}

/* Notes a read through address table entries [a, a + count). */
static void read_table(scan *s, size_t a, size_t count)
{
    if (a + count > s->p->natab) {
        s->broken = 1;
        return;
    }
    for (size_t i = 0; i < count; i++)
        read_slots(s, (size_t)s->p->atab[a + i], 1);
}

/* Notes a store to slots [lo, lo + count): the step's own, or slots no
   step owns (the values computed once for the step code), which become
   its own. */
static void store_slots(scan *s, size_t lo, size_t count)
{
    for (size_t i = lo; i < lo + count; i++) {
        if (i >= s->p->nslots ||
            (s->owner[i] != s->step && s->owner[i] != -1)) {
            s->broken = 1;
            return;
        }
        s->owner[i] = s->step;
        s->stored[i] = s->step;
        s->lo = i < s->lo ? i : s->lo;
        s->hi = i + 1 > s->hi ? i + 1 : s->hi;
    }
}

/* Scans step k's code (to its OP_END), its loops taken at their widest. */
static void scan_step(scan *s, size_t start)
{
    const code_block *b = &s->p->init_code;
    size_t n = 1, m = 1;
    for (size_t pc = start; pc < b->n && !s->broken; pc++) {
        const insn in = b->code[pc];
        const size_t a = (size_t)in.a;
        if (!plain((opcode)in.op)) {
            s->broken = in.op == OP_COUNT;
            s->reads_fresh = 1;
            if (s->broken)
                return;
            continue;
        }
        switch ((opcode)in.op) {
        case OP_END:
            return;
        case OP_JUMP:
        case OP_JUMPF:
            s->jumps = 1;
            break;
        case OP_LOOP_BEGIN:
            n = a > n ? a : n;
            break;
        case OP_RED_BEGIN:
            m = a / 4 > m ? a / 4 : m;
            break;
        case OP_LOAD:
            read_slots(s, a, 1);
            break;
        case OP_LOAD_LIN:
        case OP_ADD_LIN:
        case OP_SUB_LIN:
        case OP_MUL_LIN:
        case OP_DIV_LIN:
            read_slots(s, a, n);
            break;
        case OP_LOAD_TAB:
            read_table(s, a, n);
            break;
        case OP_LOAD_RTAB:
            read_table(s, a, n * m);
            break;
        case OP_STORE:
            store_slots(s, a, 1);
            break;
        case OP_STORE_LIN:
        case OP_STORE_LIN_NEXT:
            store_slots(s, a, n);
            break;
        case OP_STORE_TAB:
        case OP_STORE_TAB_NEXT:
            if (a + n > s->p->natab) {
                s->broken = 1;
                break;
            }
            for (size_t i = 0; i < n; i++)
                store_slots(s, (size_t)s->p->atab[a + i], 1);
            break;
        default:
            break;
        }
    }
    s->broken = 1; /* no OP_END */
}

int init_steps_fresh(const ps_program *p, const unsigned char *overridden,
                     unsigned char *fresh_step)
{
    size_t nslots = p->nslots ? p->nslots : 1;
    int32_t *owner = malloc(nslots * sizeof *owner);
    int32_t *stored = malloc(nslots * sizeof *stored);
    unsigned char *fresh = calloc(nslots, 1);
    if (!owner || !stored || !fresh) {
        free(owner);
        free(stored);
        free(fresh);
        return -1;
    }
    for (size_t i = 0; i < p->nslots; i++)
        owner[i] = stored[i] = -1;
    for (size_t k = 0; k < p->ninit; k++)
        for (size_t i = 0; i < p->init_steps[k].n; i++)
            owner[p->init_slots[p->init_steps[k].first + i]] = (int32_t)k;
    /* Time reads INITIAL TIME, set by its step */
    owner[SLOT_TIME] =
        p->slot_initial_time < p->nslots ? owner[p->slot_initial_time] : -1;
    scan s = {p, owner, stored, fresh, 0, 0, 0, 0, 0, 0};
    for (size_t k = 0; k < p->ninit && !s.broken; k++) {
        const init_step *st = &p->init_steps[k];
        s.step = (int32_t)k;
        s.reads_fresh = 0;
        s.jumps = 0;
        s.lo = p->nslots;
        s.hi = 0;
        scan_step(&s, st->start);
        int again = s.reads_fresh;
        for (size_t i = 0; i < st->n && !again; i++)
            again = st->overridable && overridden[p->init_slots[st->first + i]];
        fresh_step[k] = (unsigned char)again;
        for (size_t i = 0; again && i < st->n; i++)
            fresh[p->init_slots[st->first + i]] = 1;
        for (size_t i = s.lo; again && i < s.hi; i++)
            fresh[i] |= owner[i] == s.step;
        if (again && p->slot_initial_time < p->nslots &&
            owner[p->slot_initial_time] == s.step)
            fresh[SLOT_TIME] = 1;
    }
    free(owner);
    free(stored);
    free(fresh);
    return s.broken ? -1 : 0;
}
