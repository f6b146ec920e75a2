/*
 * Private interface of the .mdl reader: the lexer (lex.c), parser
 * plumbing (diag.c), expressions (parse_expr.c), lookup tables (table.c),
 * refused constructs (refuse.c), the free-text fields of an equation
 * (fields.c) and the equation section itself (parse.c).
 */
#ifndef PLANSIM_MDL_IMPL_H
#define PLANSIM_MDL_IMPL_H

#include <stddef.h>

#include "plansim/expr.h"
#include "plansim/model.h"
#include "plansim/status.h"

/* Limits that keep recursion (parser, tree walks) within a small stack. */
#define MDL_MAX_NESTING 200 /* nested parentheses, signs, powers        */
#define MDL_MAX_DEPTH 4000  /* height of one expression tree             */

typedef enum mdl_tok {
    T_EOF,
    T_NAME,    /* a variable or function name, quoted or not   */
    T_NUMBER,  /* an unsigned number literal                    */
    T_KEYWORD, /* :AND: :OR: :NOT: :NA: :MACRO: :EXCEPT: ...    */
    T_LPAREN,
    T_RPAREN,
    T_LBRACKET,
    T_RBRACKET,
    T_COMMA,
    T_SEMI,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_CARET,
    T_LT,
    T_LE,
    T_GT,
    T_GE,
    T_EQ,
    T_EQEQ,
    T_NE,
    T_COLON,
    T_COLONEQ, /* :=  */
    T_EQUIV,   /* <-> */
    T_TILDE,
    T_BAR,
    T_BANG,    /* ! after a range: the whole range, in SUM(x[d!]) */
    T_STRING,  /* 'quoted text' (file names of GET DIRECT ...)   */
    T_BAD /* a character that starts no token */
} mdl_tok;

/* A position in the text: byte offset plus its 1-based line and column
   (columns count code points; a tab is one column). */
typedef struct mdl_cursor {
    size_t pos;
    int line;
    int col;
} mdl_cursor;

typedef struct mdl_token {
    mdl_tok kind;
    size_t start, end; /* byte span [start, end) in the text               */
    ps_loc loc;        /* where the token starts                           */
    double number;     /* T_NUMBER: its value                              */
    int continued;     /* T_NAME: the span holds a '\' line continuation   */
} mdl_token;

typedef struct mdl_lexer {
    const char *text;
    size_t len;
    const char *path; /* for diagnostics; may be NULL */
    mdl_cursor cur;
} mdl_lexer;

/* Starts lexing text[0..len) (a UTF-8 byte-order mark is skipped). */
void mdl_lex_init(mdl_lexer *lx, const char *text, size_t len,
                  const char *path);

/* The location of the cursor. */
ps_loc mdl_lex_loc(const mdl_lexer *lx);

/* Moves the cursor over one character (a CRLF pair counts as one). */
void mdl_lex_advance(mdl_lexer *lx);

/* Skips blanks, line ends, '\' line continuations and {comments}.
   PS_ERR_SYNTAX for a comment that is never closed. */
ps_status mdl_lex_skip_blank(mdl_lexer *lx, ps_error *err);

/* Non-zero when the cursor is at the sketch marker "\\\---///" (two or
   more backslashes), which ends the equation section. */
int mdl_lex_at_sketch(const mdl_lexer *lx);

/* Reads the next token into *tok.  Fails (PS_ERR_SYNTAX) only for a
   comment or quoted name that is never closed; a stray character comes
   back as T_BAD for the parser to report in context. */
ps_status mdl_lex_next(mdl_lexer *lx, mdl_token *tok, ps_error *err);

/* Non-zero when a T_KEYWORD token spells `word` (upper case, single
   spaces), compared ignoring case and blank runs: ":end of  macro:". */
int mdl_tok_is_keyword(const mdl_lexer *lx, const mdl_token *tok,
                       const char *word);

/* Converts the whole of s[0..n) as a decimal number with an optional sign,
   or "inf", "infinity", "nan" (any case), whatever the C locale.  Returns
   0, or -1 when the text is not such a number. */
int mdl_parse_double(const char *s, size_t n, double *out);

/* A malloc'd copy of text[start..end) where each '\' line continuation
   (with the blanks around it) becomes one space; NULL on no memory. */
char *mdl_join_lines(const char *text, size_t start, size_t end);

/* The parser state shared by parse.c and parse_expr.c. */
typedef struct mdl_parser {
    mdl_lexer lx;
    mdl_token tok; /* the current token; the cursor is just after it */
    ps_error *err;
    int nesting;
} mdl_parser;

/* Moves to the next token. */
ps_status mdl_next(mdl_parser *p);

/* Fails with `status` at `loc`: message is printf-style. */
ps_status mdl_fail(mdl_parser *p, ps_status status, ps_loc loc,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Fails with PS_ERR_NOMEM at the current token. */
ps_status mdl_nomem(mdl_parser *p);

/* Fails with PS_ERR_SYNTAX at the current token: "expected <what>, found
   <token>". */
ps_status mdl_expected(mdl_parser *p, const char *what);

/* Writes a short quoted description of `tok` ("'DELAY1'", "'~'", "the end
   of the file") into buf. */
void mdl_describe(const mdl_parser *p, const mdl_token *tok, char *buf,
                  size_t size);

/* Display name of a T_NAME token (quotes off, continuations joined, blanks
   collapsed); malloc'd, NULL on no memory. */
char *mdl_token_display(const mdl_parser *p, const mdl_token *tok);

/* Parses an expression starting at the current token into *out (owned by
   the caller).  On failure *out is NULL and p->err says why. */
ps_status mdl_parse_expr(mdl_parser *p, ps_expr **out);

/* Parses "[a, b!, c]" from the current '[' into *out (appended; the
   caller frees it on failure too).  `allow_bang`: whether "name!" may
   appear (in expressions, not on a left-hand side). */
ps_status mdl_parse_subscripts(mdl_parser *p, ps_subscripts *out,
                               int allow_bang);

/* Parses a subscript range definition after its name and ':' (the
   current token is the first token after ':'): elements, numeric ranges
   "(a1-a5)", GET DIRECT SUBSCRIPT(...), and mappings "-> ...".  Fills
   dim->elems, maps and get. */
ps_status mdl_parse_range(mdl_parser *p, ps_dim *dim);

/* Parses a constant list "1, 2, 3; 4, 5, 6;" whose first number `first`
   (at `at`) was already read; the current token follows it. */
ps_status mdl_parse_values(mdl_parser *p, double first, ps_loc at,
                           ps_var *v);

/* Parses TABBED ARRAY( numbers ) from its name token. */
ps_status mdl_parse_tabbed(mdl_parser *p, ps_var *v);

/* Parses a lookup table starting at the current '(' token: an optional
   [(xmin,ymin)-(xmax,ymax),...] range, then (x,y) points or x values
   followed by y values, then ')'.  `owner` names the table in messages. */
ps_status mdl_parse_table(mdl_parser *p, const char *owner, ps_table **out);

/* Refuses the current :KEYWORD: token that is not an operator:
   PS_ERR_UNSUPPORTED for known Vensim constructs (:MACRO:, :EXCEPT:,
   :INTERPOLATE:, ...), PS_ERR_SYNTAX for unknown ones. */
ps_status mdl_refuse_keyword(mdl_parser *p);

/* The message of an external-data or otherwise unsupported function with
   canonical key `key`, or NULL when the reader accepts the call. */
const char *mdl_unsupported_function(const char *key);

/* Splits a units field (text[start..end), starting at `loc`) into the
   units text (*units, NULL when empty) and an optional trailing
   [min,max] or [min,max,step] range. */
ps_status mdl_split_units(mdl_parser *p, size_t start, size_t end,
                          mdl_cursor at, char **units, int *has_range,
                          double *min, double *max);

/* The documentation text of text[start..end): continuations joined, each
   line's indentation dropped, trimmed; NULL when empty or out of memory
   (*nomem tells which). */
char *mdl_doc_text(const char *text, size_t start, size_t end, int *nomem);

#endif
