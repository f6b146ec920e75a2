/*
 * The catalogue of Vensim builtin functions the compiler knows: how many
 * arguments each takes and how it is compiled.
 */
#include <string.h>

#include "compile_impl.h"

#define ANY 255

static const builtin catalogue[] = {
    /* key                  Vensim name            class        args  op */
    {"abs", "ABS", BI_PURE, 1, 1, OP_ABS},
    {"exp", "EXP", BI_PURE, 1, 1, OP_EXP},
    {"ln", "LN", BI_PURE, 1, 1, OP_LN},
    {"sqrt", "SQRT", BI_PURE, 1, 1, OP_SQRT},
    {"sin", "SIN", BI_PURE, 1, 1, OP_SIN},
    {"cos", "COS", BI_PURE, 1, 1, OP_COS},
    {"tan", "TAN", BI_PURE, 1, 1, OP_TAN},
    {"arcsin", "ARCSIN", BI_PURE, 1, 1, OP_ASIN},
    {"arccos", "ARCCOS", BI_PURE, 1, 1, OP_ACOS},
    {"arctan", "ARCTAN", BI_PURE, 1, 1, OP_ATAN},
    {"sinh", "SINH", BI_PURE, 1, 1, OP_SINH},
    {"cosh", "COSH", BI_PURE, 1, 1, OP_COSH},
    {"tanh", "TANH", BI_PURE, 1, 1, OP_TANH},
    {"integer", "INTEGER", BI_PURE, 1, 1, OP_INTEGER},
    {"min", "MIN", BI_PURE, 2, 2, OP_MIN},
    {"max", "MAX", BI_PURE, 2, 2, OP_MAX},
    {"modulo", "MODULO", BI_PURE, 2, 2, OP_MODULO},
    {"quantum", "QUANTUM", BI_PURE, 2, 2, OP_QUANTUM},
    {"power", "POWER", BI_PURE, 2, 2, OP_POWER},
    {"log", "LOG", BI_PURE, 2, 2, OP_LOG},
    {"zidz", "ZIDZ", BI_PURE, 2, 2, OP_ZIDZ},
    {"xidz", "XIDZ", BI_PURE, 3, 3, OP_XIDZ},
    {"game", "GAME", BI_PURE, 1, 1, OP_END},
    {"if_then_else", "IF THEN ELSE", BI_LAZY, 3, 3, OP_END},
    {"step", "STEP", BI_TIMED, 2, 2, OP_STEP},
    {"pulse", "PULSE", BI_TIMED, 2, 2, OP_PULSE},
    {"pulse_train", "PULSE TRAIN", BI_TIMED, 4, 4, OP_PULSE_TRAIN},
    {"ramp", "RAMP", BI_TIMED, 2, 3, OP_RAMP2},
    {"with_lookup", "WITH LOOKUP", BI_LOOKUP, 2, 2, OP_LOOKUP},
    {"lookup_extrapolate", "LOOKUP EXTRAPOLATE", BI_LOOKUP, 2, 2,
     OP_LOOKUP_EXTRAP},
    {"lookup_forward", "LOOKUP FORWARD", BI_LOOKUP, 2, 2, OP_LOOKUP_FORWARD},
    {"lookup_backward", "LOOKUP BACKWARD", BI_LOOKUP, 2, 2,
     OP_LOOKUP_BACKWARD},
    {"lookup_invert", "LOOKUP INVERT", BI_LOOKUP, 2, 2, OP_LOOKUP_INVERT},
    {RAW_DATA_KEY, ":RAW: data", BI_LOOKUP, 2, 2, OP_LOOKUP_RAW},
    {"random_uniform", "RANDOM UNIFORM", BI_RANDOM, 3, 3, OP_RANDOM_UNIFORM},
    {"random_normal", "RANDOM NORMAL", BI_RANDOM, 5, 5, OP_RANDOM_NORMAL},
    {"random_triangular", "RANDOM TRIANGULAR", BI_RANDOM, 6, 6,
     OP_RANDOM_TRIANGULAR},
    {"random_exponential", "RANDOM EXPONENTIAL", BI_RANDOM, 5, 5,
     OP_RANDOM_EXPONENTIAL},
    {"integ", "INTEG", BI_STATEFUL, 2, 2, OP_END},
    {"active_initial", "ACTIVE INITIAL", BI_STATEFUL, 2, 2, OP_END},
    {"initial", "INITIAL", BI_STATEFUL, 1, 1, OP_END},
    {"smooth", "SMOOTH", BI_STATEFUL, 2, 2, OP_END},
    {"smoothi", "SMOOTHI", BI_STATEFUL, 3, 3, OP_END},
    {"smooth3", "SMOOTH3", BI_STATEFUL, 2, 2, OP_END},
    {"smooth3i", "SMOOTH3I", BI_STATEFUL, 3, 3, OP_END},
    {"smooth_n", "SMOOTH N", BI_STATEFUL, 4, 4, OP_END},
    {"delay1", "DELAY1", BI_STATEFUL, 2, 2, OP_END},
    {"delay1i", "DELAY1I", BI_STATEFUL, 3, 3, OP_END},
    {"delay3", "DELAY3", BI_STATEFUL, 2, 2, OP_END},
    {"delay3i", "DELAY3I", BI_STATEFUL, 3, 3, OP_END},
    {"delay_n", "DELAY N", BI_STATEFUL, 4, 4, OP_END},
    {"delay_fixed", "DELAY FIXED", BI_STATEFUL, 3, 3, OP_END},
    {"trend", "TREND", BI_STATEFUL, 3, 3, OP_END},
    {"forecast", "FORECAST", BI_STATEFUL, 3, 3, OP_END},
    {"sample_if_true", "SAMPLE IF TRUE", BI_STATEFUL, 3, 3, OP_END},
    /* Known Vensim functions this engine does not run yet. */
    {"delay_material", "DELAY MATERIAL", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"delay_conveyor", "DELAY CONVEYOR", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"delay_batch", "DELAY BATCH", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"delay_profile", "DELAY PROFILE", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"delay_information", "DELAY INFORMATION", BI_UNSUPPORTED, 0, ANY,
     OP_END},
    {"npv", "NPV", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"npve", "NPVE", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"lookup_area", "LOOKUP AREA", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"random_0_1", "RANDOM 0 1", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"random_poisson", "RANDOM POISSON", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"random_beta", "RANDOM BETA", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"random_gamma", "RANDOM GAMMA", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"random_lognormal", "RANDOM LOGNORMAL", BI_UNSUPPORTED, 0, ANY, OP_END},
    {"random_pink_noise", "RANDOM PINK NOISE", BI_UNSUPPORTED, 0, ANY,
     OP_END},
    {"get_time_value", "GET TIME VALUE", BI_TIMED, 3, 3, OP_GET_TIME_VALUE},
    {"vector_select", "VECTOR SELECT", BI_VECTOR, 5, 5, VEC_SELECT},
    {"vector_sort_order", "VECTOR SORT ORDER", BI_VECTOR, 2, 2,
     VEC_SORT_ORDER},
    {"vector_rank", "VECTOR RANK", BI_VECTOR, 2, 2, VEC_RANK},
    {"vector_reorder", "VECTOR REORDER", BI_VECTOR, 2, 2, VEC_REORDER},
    {"vector_elm_map", "VECTOR ELM MAP", BI_VECTOR, 2, 2, VEC_ELM_MAP},
    {"allocate_available", "ALLOCATE AVAILABLE", BI_VECTOR, 3, 3,
     VEC_ALLOCATE_AVAILABLE},
    {"allocate_by_priority", "ALLOCATE BY PRIORITY", BI_VECTOR, 5, 5,
     VEC_ALLOCATE_BY_PRIORITY},
    {"sum", "SUM", BI_REDUCE, 1, 1, RED_SUM},
    {"prod", "PROD", BI_REDUCE, 1, 1, RED_PROD},
    {"vmin", "VMIN", BI_REDUCE, 1, 1, RED_MIN},
    {"vmax", "VMAX", BI_REDUCE, 1, 1, RED_MAX},
    {"elmcount", "ELMCOUNT", BI_RANGE, 1, 1, OP_END},
    {"invert_matrix", "INVERT MATRIX", BI_VECTOR, 2, 2, VEC_INVERT},
};

const builtin *builtin_find(const char *key)
{
    for (size_t i = 0; i < sizeof catalogue / sizeof catalogue[0]; i++)
        if (strcmp(catalogue[i].key, key) == 0)
            return &catalogue[i];
    return NULL;
}
