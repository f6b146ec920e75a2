/*
 * plansim: decimal numbers in text files, read the same in every locale.
 *
 * Data files (spreadsheet cells, delimited tables) write numbers the C way,
 * with a '.' for the decimal point, whatever the reader's LC_NUMERIC says.
 */
#ifndef PLANSIM_NUMBER_H
#define PLANSIM_NUMBER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Parses s[0..n) (not necessarily NUL-terminated) as a decimal number:
 * an optional sign, digits with an optional '.' and fraction (at least
 * one digit in all), and an optional exponent ("e" or "E", an optional
 * sign, digits).  Nothing else is taken: no spaces, no hexadecimal, no
 * "inf" or "nan".  The value is the nearest double (strtod's), with the
 * decimal point read as '.' in every locale.  Returns 0 and sets *out, or
 * -1 (leaving *out alone) when the text is not such a number or its
 * magnitude overflows a double.  Thread-safe.
 */
int ps_parse_decimal(const char *s, size_t n, double *out);

#ifdef __cplusplus
}
#endif
#endif
