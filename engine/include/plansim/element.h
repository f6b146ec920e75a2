/*
 * plansim: naming one element of a compiled program's variable.
 *
 * Vensim writes an element of a subscripted variable as the variable's
 * name followed by its element names in brackets, one per range of the
 * variable, separated by commas: "capacity[新材料]", "flow[north,c2]".
 * Output columns, scenario files, observed data and command-line options
 * use that form; these functions turn it into a program variable and a
 * row-major element index (ps_program_var_size, ps_instance_element).
 * Names and element names are compared as Vensim compares names (case,
 * spaces and underscores do not matter).
 */
#ifndef PLANSIM_ELEMENT_H
#define PLANSIM_ELEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "plansim/program.h"
#include "plansim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An element index that means every element of a variable. */
#define PS_ALL_ELEMENTS SIZE_MAX

/*
 * Finds `text` in `prog`: a variable's name gives its index in *var and
 * *element = PS_ALL_ELEMENTS; "Name[e1,e2]" gives the variable and the
 * row-major index of that element.  PS_ERR_USAGE, with a message naming
 * what is wrong, for no such variable, subscripts on a variable that has
 * none, the wrong number of subscripts, or an element its range does not
 * have (the message lists the range's elements); PS_ERR_NOMEM.
 */
ps_status ps_element_find(const ps_program *prog, const char *text, size_t *var,
                          size_t *element, ps_error *err);

/* The row-major index of the element of variable `var` whose element
   names, one per range, are names[0..n), or PS_ALL_ELEMENTS when there
   is none (n differs from the variable's ranges, or a name is not an
   element of its range). */
size_t ps_element_index(const ps_program *prog, size_t var,
                        const char *const *names, size_t n);

/* Splits "Name[a, b]" into the name (*name_len bytes from text, blanks
   before the bracket left out) and the bracketed part, whose elements
   ps_element_split_next returns one by one.  Returns 0 when text ends
   with a bracketed list (*subs points after '['), -1 when it has none
   (*name_len is then the whole length). */
int ps_element_split(const char *text, size_t *name_len, const char **subs);

/* The next comma-separated element of a list from ps_element_split:
   *start and *len delimit it (blanks trimmed), and the returned pointer
   is where the following one starts, or NULL after the last (at ']'). */
const char *ps_element_split_next(const char *p, const char **start,
                                  size_t *len);

#ifdef __cplusplus
}
#endif
#endif
