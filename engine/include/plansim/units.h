/*
 * plansim: dimensional analysis of model equations (Vensim's Units Check).
 *
 * Each variable's units field is parsed into a product of base units with
 * integer exponents (e.g. "yuan/(person*Year)"); the units of every
 * equation's right-hand side are inferred from its operands, and the two
 * sides are compared.  A stock's rate must have the stock's units per unit
 * of time.
 *
 * Units text
 *   - Products and quotients of names, read left to right ("a/b*c" is
 *     a*c/b), with parentheses and integer powers: "Person/Year",
 *     "yuan/(person*Year)", "Year^-1", "Year^(-1)", "1/Year".
 *   - A name runs up to one of  * / ^ ( )  and may hold spaces and any
 *     UTF-8 ("million yuan", "亿元").  Names compare as model names do
 *     (names.h): case-insensitive, spaces and underscores alike.
 *   - "Dmnl", "dimensionless" (any case) and "1" are dimensionless.  No
 *     other number may appear.  An absent or blank field is unknown.
 *   - Names are literal, as in Vensim: Widget and Widgets differ.  The
 *     exceptions are Vensim's default synonym groups, which every new
 *     Vensim model carries in its settings: {$, Dollar, Dollars, $s},
 *     {Day, Days}, {Hour, Hours}, {Month, Months}, {Person, People,
 *     Persons}, {Unit, Units}, {Week, Weeks}, {Year, Years}; and, so that
 *     any time unit may be written either way, {Second, Seconds},
 *     {Minute, Minutes}, {Quarter, Quarters}.  A model's own synonym
 *     groups (its settings' "22:" lines) are not read yet.
 *   - Units print with factors in name order, positive powers first:
 *     "person/Year", "yuan/(person*Year)", "1/Year^2", "Dmnl".
 *
 * Inference
 *   - A variable's units are its units field.  Without one they are
 *     unknown, and unknown units never cause an issue: a product or
 *     function of them is unknown; in a sum the other operand decides.
 *   - A bare number has "any" units: dimensionless in * and /, and the
 *     other side's units in + - comparisons, MIN/MAX, IF branches and as a
 *     whole equation (x = 5 suits any x).  So "Population * 0.02" is
 *     person, not person/Year.
 *   - + and - need equal units; * and / combine them; a^b needs b
 *     dimensionless, and a constant b multiplies a's exponents (side^2);
 *     a fractional result (K^0.3) or a variable exponent on a base with
 *     units (K^alpha) is unknown.  Comparisons need comparable operands and
 *     give Dmnl, as do :AND:, :OR:, :NOT:.
 *   - TIME has the time unit: the units of TIME STEP, else INITIAL TIME,
 *     FINAL TIME or SAVEPER; the other control variables must agree.
 *     Without a time unit nothing that involves time is checked.
 *   - Functions: ABS INTEGER INITIAL GAME keep units; MIN MAX MODULO
 *     QUANTUM ACTIVE INITIAL and IF THEN ELSE's branches must agree and
 *     keep them; EXP LN LOG SIN COS TAN ARC* *H GAMMA LN need
 *     dimensionless arguments; SQRT halves exponents and POWER is ^;
 *     XIDZ/ZIDZ divide (XIDZ's third argument must match the quotient);
 *     SMOOTH* DELAY* (N too) DELAY FIXED FORECAST SAMPLE IF TRUE keep the
 *     input's units, with delay times in the time unit, initial values in
 *     the input's units and orders dimensionless; TREND gives 1/time;
 *     STEP gives its height's units (step time in time units); RAMP gives
 *     slope*time (a bare-number slope gives any units); PULSE and PULSE
 *     TRAIN give Dmnl with times in time units; RANDOM * keep the units of
 *     their bounds.  Other functions give unknown units, though their
 *     arguments are still checked inside.
 *   - Lookups: calling a lookup variable (or LOOKUP FORWARD/BACKWARD/
 *     EXTRAPOLATE on it) gives the lookup's units field; WITH LOOKUP gives
 *     any units (its variable's field defines them).  The input is not
 *     checked, since a table's x has no units: Vensim only warns when it
 *     is not dimensionless, and there are no warnings here.
 *   - Once a sub-expression disagrees it is reported and its units become
 *     unknown, so one mistake gives one issue.
 *
 * Issues (what is compared, where it is reported)
 *   - an auxiliary: its field against its equation, at the variable's
 *     name: "left side is person/Year, right side is person";
 *   - a stock: the rate against field/time at the rate's expression
 *     ("rate is Widget, expected Widget/Month (stock units per Month)"),
 *     and the initial value against the field at the initial value;
 *   - an ACTIVE INITIAL value, like a stock's initial value;
 *   - a disagreement inside an expression, at that sub-expression:
 *     "operands of '+' differ: person vs Year", "argument 2 of SMOOTH is
 *     Meetings, expected Month (the time unit)";
 *   - an unreadable units field, at the field: "cannot read units ...";
 *   - a control variable not in the time unit, at its units field.
 */
#ifndef PLANSIM_UNITS_H
#define PLANSIM_UNITS_H

#include <stddef.h>

#include "plansim/model.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One disagreement: where it is, which variable, and a readable message
   such as "left side is person, right side is person/Year". */
typedef struct ps_units_issue {
    const char *file; /* the model's path (NULL when it has none)    */
    ps_loc loc;       /* the equation (or sub-expression) at fault */
    const char *var;  /* display name of the variable              */
    char message[512];
} ps_units_issue;

/* Receives each issue; the issue (and its strings) is valid only during
   the call. */
typedef void (*ps_units_report_fn)(const ps_units_issue *issue, void *ctx);

/*
 * Checks every equation of `model`, calling `report` (may be NULL) once
 * per disagreement, in file order (variables in model order, the issues
 * of one variable by line and column), and storing their number in *count
 * (`count` may be NULL).  A units field that cannot be parsed is itself
 * reported as an issue.  Returns PS_OK even when issues were found; an
 * error status only when the check itself could not run: PS_ERR_NOMEM,
 * or PS_ERR_INTERNAL for a NULL model.  The model is not changed.
 */
ps_status ps_units_check(const ps_model *model, ps_units_report_fn report,
                         void *ctx, size_t *count, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
