/*
 * plansim: the stateless builtin functions of Vensim, as plain C.
 *
 * The compiled model calls these while it runs; each is a pure function of
 * its arguments, so it is trivially thread-safe.  `time` is the simulation
 * time the function sees and `dt` is TIME STEP: Vensim judges time events
 * at "time plus" = time + dt/2, so that float time steps never miss them.
 * Stateful builtins (INTEG, DELAY*, SMOOTH*, TREND, FORECAST, SAMPLE IF TRUE,
 * INITIAL) are not here: the compiler turns them into stocks and state.
 *
 * NaN arguments give NaN unless a contract says otherwise; the engine's
 * finiteness check then reports the variable and time.
 */
#ifndef PLANSIM_FN_H
#define PLANSIM_FN_H

#include <math.h>
#include <stddef.h>

#include "plansim/expr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The magnitude below which XIDZ and ZIDZ treat a divisor as zero. */
#define PS_FN_ZIDZ_EPSILON 1e-6

/* ---- Test inputs ------------------------------------------------------- */

/* STEP(height, step time): 0 until step time, then height; the step is
   taken when time + dt/2 > step time. */
double ps_fn_step(double height, double step_time, double time, double dt);

/* PULSE(start, width): 1 while start < time + dt/2 < start + width, else 0.
   A width of exactly 0 is replaced by dt (a pulse one step long); a width
   in (0, dt/2] gives no pulse at all, as in Vensim. */
double ps_fn_pulse(double start, double width, double time, double dt);

/* PULSE TRAIN(start, width, tbetween, end): PULSE(start + k*tbetween, width)
   for k = 0, 1, ..., while time + dt/2 < end (end is exclusive).  A width
   <= dt gives pulses one step long; tbetween <= width gives 1 throughout
   [start, end); tbetween <= 0 gives the single pulse at start. */
double ps_fn_pulse_train(double start, double width, double tbetween,
                         double end, double time, double dt);

/* RAMP(slope, start, end): 0 while time <= start, slope*(time - start)
   while time < end, then slope*(end - start).  Pass end = INFINITY when
   the model gives no end time (the XMILE form).  RAMP is continuous in
   time, so it needs no half-step tolerance; dt is accepted for symmetry
   with the other test inputs and ignored. */
double ps_fn_ramp(double slope, double start, double end, double time,
                  double dt);

/* GET TIME VALUE(relativeto, offset, measure): with measure 0 (units of
   the model's time), the current time (relativeto 0) or the initial time
   (relativeto 1) plus offset.  The computer's clock (relativeto 2) and
   calendar measures would make runs depend on when they run: NaN. */
double ps_fn_get_time_value(double relativeto, double offset, double measure,
                            double time, double initial_time);

/* ---- Arithmetic ---------------------------------------------------------- */

/* XIDZ(a, b, x): a/b, or x when |b| < PS_FN_ZIDZ_EPSILON.
   ZIDZ(a, b):    a/b, or 0 when |b| < PS_FN_ZIDZ_EPSILON. */
double ps_fn_xidz(double a, double b, double x);
double ps_fn_zidz(double a, double b);

/* MIN(a, b) and MAX(a, b): the smaller (larger) operand; a on a tie, so
   MIN(0, -0) is 0 and MIN(-0, 0) is -0; the other operand when one is
   NaN.  C's fmin and fmax leave ties of signed zeros open (and compilers
   swap their operands), so both engines use these; generated native code
   spells out the same comparisons (native_emit.c). */
static inline double ps_fn_min(double a, double b)
{
    return isless(b, a) || isnan(a) ? b : a;
}

static inline double ps_fn_max(double a, double b)
{
    return isgreater(b, a) || isnan(a) ? b : a;
}

/* MODULO(a, b) = a - QUANTUM(a, b): for b > 0 the remainder of a truncated
   division, with the sign of a (C's fmod; MODULO(-7, 3) = -1); 0 when
   b <= 0. */
double ps_fn_modulo(double a, double b);

/* QUANTUM(a, q): q*INTEGER(a/q), the multiple of q nearest zero; a itself
   when q <= 0. */
double ps_fn_quantum(double a, double q);

/* INTEGER(x): x truncated toward zero (INTEGER(-1.5) = -1). */
double ps_fn_integer(double x);

/* LOG(x, base): ln(x)/ln(base) (NaN for a negative argument). */
double ps_fn_log(double x, double base);

/* POWER(a, b) and a^b: pow(a, b), except that NaN in either argument gives
   NaN (C's pow(1, NaN) and pow(NaN, 0) are 1).  A negative base with a
   non-integer exponent gives NaN. */
double ps_fn_power(double a, double b);

/* ---- Lookups ------------------------------------------------------------- */

/*
 * Lookup evaluation over the points of `t` (x non-decreasing; duplicate x
 * allowed: at such an x the first of the duplicates answers, above it the
 * last one starts the next segment).  A NULL or empty table, or NaN input,
 * yields NaN.  Tables of more than 8 points are searched by bisection.
 *   lookup:      linear interpolation; the end y values are held outside
 *                the x range (Vensim's rule).
 *   extrapolate: as lookup, but the first and last segments' slopes are
 *                continued outside the range (a zero-width end segment
 *                has no slope: its end y is held).
 *   forward:     the y of the next point at or after x (no interpolation).
 *   backward:    the y of the last point at or before x.
 *   invert:      LOOKUP INVERT: the smallest x at which the piecewise-linear
 *                table reaches y; when no point or segment reaches it, the
 *                x of the first point whose y is nearest (for a monotone
 *                table: the end is held).
 */
double ps_fn_lookup(const ps_table *t, double x);
double ps_fn_lookup_extrapolate(const ps_table *t, double x);
double ps_fn_lookup_forward(const ps_table *t, double x);
double ps_fn_lookup_backward(const ps_table *t, double x);
double ps_fn_lookup_invert(const ps_table *t, double y);

/* A :RAW: data series read at x: the y of a point at x (within a
   billionth of the table's span), else :NA: (Vensim's value for data
   that has none at this time). */
double ps_fn_lookup_raw(const ps_table *t, double x);

/* ---- Random builtins ----------------------------------------------------- */

/*
 * Each maps one uniform u in (0,1) to a draw by inverse transform, so the
 * compiled model can take u from an addressed stream (rng.h) and stay
 * reproducible at any thread count.  The Vensim argument lists are given
 * below; Vensim's last argument, `seed`, is not passed here: the compiler
 * turns (call site, seed) into the stream that supplies u.  Every draw lies
 * in [min, max]; when max <= min the functions return min.  Truncation is
 * exact: u is mapped through the inverse CDF restricted to [min, max], not
 * by rejection.
 *
 *   RANDOM UNIFORM(min, max, seed): uniform on [min, max].
 *   RANDOM NORMAL(min, max, mean, stdev, seed): normal(mean, stdev)
 *     truncated to [min, max]; stdev <= 0 gives mean clipped to the range.
 *   RANDOM EXPONENTIAL(min, max, shift, stretch, seed): shift + stretch*E
 *     with E exponential of mean 1, truncated to [min, max]; stretch = 0
 *     gives shift clipped to the range.
 *   RANDOM TRIANGULAR(min, max, start, peak, end, seed): triangular on
 *     [start, end] with mode peak (clipped into [start, end]), truncated to
 *     [min, max]; end <= start gives start clipped to the range.
 * When the distribution has no mass inside [min, max] the bound nearest to
 * it is returned.
 */
double ps_fn_random_uniform(double min, double max, double u);
double ps_fn_random_normal(double min, double max, double mean, double stdev,
                           double u);
double ps_fn_random_exponential(double min, double max, double shift,
                                double stretch, double u);
double ps_fn_random_triangular(double min, double max, double start,
                               double peak, double end, double u);

/*
 * Vector functions over one vector v[0..m) (the last subscript of their
 * argument).  Each returns element `pos` of its result; `work` is scratch
 * space the caller provides (m entries, or as stated).
 *   VECTOR SORT ORDER(v, direction): the 0-based index of the element
 *     that comes pos-th when v is sorted ascending (stable), or
 *     descending when direction <= 0.
 *   VECTOR RANK(v, direction): the 1-based place of element pos in that
 *     order.
 *   VECTOR SELECT(sel, x, missing, action): over the elements where sel
 *     is non-zero, action 0 sum of sel*x, 1 product of sel*x, 2 minimum,
 *     3 maximum, 4 mean of sel*x, 5 product of x^sel, 6-10 the sum,
 *     product, minimum, maximum and mean of x; `missing` when none is
 *     selected; NaN for an action Vensim does not define.
 *   INVERT MATRIX: element (row, col) of the inverse of the n x n
 *     row-major matrix a (work: n*n); NaN when it is singular.
 *   ALLOCATE AVAILABLE(req, pp, avail): what request pos receives when
 *     `avail` is shared by priority; pp holds 4 values per request
 *     (profile type 1 rectangular, 2 triangular, 3 normal, 4 exponential;
 *     priority; width; extra).  NaN for a negative request or supply, an
 *     unknown profile or a width that is not positive.
 *   ALLOCATE BY PRIORITY(req, prio, width, supply): what request pos
 *     receives (work: 4*m).  NaN for a negative request or supply or a
 *     width that is not positive.
 * A `pos` outside the vector gives :NA:.
 */
double ps_fn_vector_sort_order(const double *v, size_t m, double direction,
                               size_t pos, size_t *work);
double ps_fn_vector_rank(const double *v, size_t m, double direction,
                         size_t pos, size_t *work);
double ps_fn_vector_select(const double *sel, const double *x, size_t m,
                           double missing, double action);
double ps_fn_invert_matrix(const double *a, size_t n, size_t row, size_t col,
                           double *work);
double ps_fn_allocate_available(const double *req, const double *pp,
                                size_t m, double avail, size_t pos);
double ps_fn_allocate_by_priority(const double *req, const double *prio,
                                  size_t m, double width, double supply,
                                  size_t pos, double *work);

#ifdef __cplusplus
}
#endif
#endif
