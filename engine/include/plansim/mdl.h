/*
 * plansim: the Vensim .mdl equation reader.
 *
 * Reads the equation section of a Vensim model (the sketch section after
 * "\\\---///" is ignored) into a ps_model.  Constructs the engine cannot
 * run (data variables filled from a Vensim dataset, GET DATA functions,
 * string constants...) are refused with PS_ERR_UNSUPPORTED at their
 * position, never misread.
 *
 * What the reader makes of each entry "name = expression ~ units ~ doc |":
 *   - "name = INTEG(rate, init)"           PS_VAR_STOCK, expr = rate
 *   - "name = ACTIVE INITIAL(value, init)" PS_VAR_AUX with init
 *   - "name == expression"                 unchangeable = 1
 *   - "name( [(x0,y0)-(x1,y1)], (x,y), ... )" or "name(x1..xn, y1..yn)"
 *                                          PS_VAR_LOOKUP with its table
 *                                          (points sorted by x); or
 *                                          "name(GET XLS LOOKUPS(...))",
 *                                          PS_VAR_LOOKUP with expr = the call
 *   - "WITH LOOKUP(input, ((x,y), ...))"  a call "with_lookup" whose second
 *                                          argument is a PS_EXPR_TABLE
 *   - "name[a, b] :EXCEPT: [..] = ..."     subs and excepts set; several
 *                                          equations of one variable chain
 *                                          through next_def
 *   - "name[a] = 1, 2; 3, 4" or TABBED ARRAY(...)
 *                                          values (a constant list)
 *   - "name :RAW: := expression"           is_data, data_mode
 *   - "range: a, b, (c1-c5) -> other"      a ps_dim (also "a <-> b" and
 *                                          "range: GET DIRECT SUBSCRIPT(...)")
 *   - ":MACRO: M(x, y) ... :END OF MACRO:" a ps_macro with its own body
 *   - ":THE CONDITION:", ":TEST INPUT:"    reality checks: read past
 *   - anything else                        PS_VAR_AUX, expr = the expression
 * Trees mirror the text: "-10" is PS_OP_NEG applied to 10, parentheses
 * leave no node, and every node carries its position (a binary node that
 * of its left operand).  :NA: is the number PS_NA; 'text' is a
 * PS_EXPR_STRING (arguments of GET DIRECT ...).  A name followed by '(' is
 * a call (of a builtin, a macro or a lookup variable); function names are
 * keyed like variable names ("DELAY N" -> "delay_n").  Operators, loosest
 * first: :OR:, :AND:, :NOT:, comparisons (not chained), + -, * /, unary
 * - +, ^ (right-associative; -2^2 is -(2^2) and 2^-3 is allowed, as in
 * Vensim).  Group markers (****...) and {comments} are skipped; the
 * control variables (INITIAL TIME, ...) are ordinary variables.
 */
#ifndef PLANSIM_MDL_H
#define PLANSIM_MDL_H

#include <stddef.h>

#include "plansim/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parses text[0..len) (UTF-8, any of LF, CRLF or CR line ends).  `path`
 * names the source in diagnostics.  On success *out is a new model owned by
 * the caller; on failure *out is NULL and `err` says what and where
 * (1-based line and column, columns counted in characters).
 */
ps_status ps_mdl_parse(const char *text, size_t len, const char *path,
                       ps_model **out, ps_error *err);

/* Reads and parses a file (a regular file of at most 256 MiB; one that
   is not UTF-8 is read as Windows-1252); PS_ERR_NOINPUT when it cannot
   be read. */
ps_status ps_mdl_read_file(const char *path, ps_model **out, ps_error *err);

/*
 * Reads a model file, choosing the reader by extension (case-insensitive):
 * ".mdl" is Vensim equation text; anything else is PS_ERR_UNSUPPORTED.
 * On failure *out is NULL and `err` holds the file, line and column.
 */
ps_status ps_model_load(const char *path, ps_model **out, ps_error *err);

#ifdef __cplusplus
}
#endif
#endif
