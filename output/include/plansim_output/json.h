/*
 * plansim output: JSON for programs.
 *
 * One writer for every JSON document the commands print (`--format
 * json`), so that they escape text and write numbers the same way:
 * strings are UTF-8 with quotes, backslashes and control characters
 * escaped (a byte that is not part of valid UTF-8 becomes U+FFFD, so the
 * document always parses); numbers are the shortest text that reads back
 * to the same double, and NaN and infinities, which JSON lacks, are
 * written as null.
 *
 * A ps_json writes a document as a stream: open and close objects and
 * arrays, name a member with ps_json_key, then give its value.  It puts
 * the commas, line breaks and two-space indentation itself.  Arrays of
 * numbers written with ps_json_numbers stay on one line.  Write errors
 * are left in the FILE's error flag for the caller to check (ferror).
 */
#ifndef PLANSIM_OUTPUT_JSON_H
#define PLANSIM_OUTPUT_JSON_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest nesting of objects and arrays a writer keeps track of. */
#define PS_JSON_MAX_DEPTH 32

typedef struct ps_json {
    FILE *out;
    int depth;
    int after_key;                             /* a key waits for its value */
    unsigned char nonempty[PS_JSON_MAX_DEPTH]; /* per level: has a value */
    unsigned char is_array[PS_JSON_MAX_DEPTH]; /* per level: [ or {      */
} ps_json;

/* Starts a document on `out` (borrowed, not closed). */
void ps_json_init(ps_json *j, FILE *out);

/* Opens and closes an object or an array; ps_json_end closes whichever
   is innermost.  After the outermost is closed a newline ends the
   document. */
void ps_json_object(ps_json *j);
void ps_json_array(ps_json *j);
void ps_json_end(ps_json *j);

/* Names the next member of the current object. */
void ps_json_key(ps_json *j, const char *key);

/* Values: a string (NULL: null), a number (non-finite: null), a whole
   number, true or false, null. */
void ps_json_string(ps_json *j, const char *s);
void ps_json_number(ps_json *j, double v);
void ps_json_integer(ps_json *j, long long v);
void ps_json_bool(ps_json *j, int v);
void ps_json_null(ps_json *j);

/* An array of n numbers on one line (v may be NULL when n is 0). */
void ps_json_numbers(ps_json *j, const double *v, size_t n);

/* A member in one call: ps_json_key then the value. */
void ps_json_member_string(ps_json *j, const char *key, const char *s);
void ps_json_member_number(ps_json *j, const char *key, double v);
void ps_json_member_integer(ps_json *j, const char *key, long long v);
void ps_json_member_bool(ps_json *j, const char *key, int v);

/* The escaping and number rules alone, for writers that lay out their
   own text: `s` as a JSON string (NULL: ""), `v` as a JSON number or
   null. */
void ps_json_write_string(FILE *out, const char *s);
void ps_json_write_number(FILE *out, double v);

#ifdef __cplusplus
}
#endif
#endif
