/*
 * The .mdl lexer: turns the equation text into tokens, tracking 1-based
 * lines and code-point columns.  Names may hold inner blanks ("Teacup
 * Temperature", "DELAY N"), so a name token runs over blanks as long as
 * another name character follows on the same logical line.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mdl_impl.h"
#include "plansim/number.h"
#include "plansim/utf8.h"

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_ascii_letter(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Bytes in the UTF-8 character at s[0..n) (1 for an invalid byte). */
static size_t utf8_len(const char *s, size_t n)
{
    unsigned cp;
    return ps_utf8_next(s, n, &cp);
}

static int at(const mdl_lexer *lx, size_t pos)
{
    return pos < lx->len ? (unsigned char)lx->text[pos] : -1;
}

/* A no-break space (U+00A0) is a blank, as in names.h. */
static int is_nbsp(const mdl_lexer *lx, size_t pos)
{
    return at(lx, pos) == 0xC2 && at(lx, pos + 1) == 0xA0;
}

/* Bytes of the line-internal blank at pos (space, tab, NBSP), or 0. */
static size_t blank_len(const mdl_lexer *lx, size_t pos)
{
    int c = at(lx, pos);
    if (c == ' ' || c == '\t' || c == '\f' || c == '\v')
        return 1;
    return is_nbsp(lx, pos) ? 2 : 0;
}

/* Non-zero when pos starts a '\' line continuation: a backslash, optional
   blanks, then a line end. */
static int is_continuation(const mdl_lexer *lx, size_t pos)
{
    if (at(lx, pos) != '\\')
        return 0;
    size_t i = pos + 1;
    while (at(lx, i) == ' ' || at(lx, i) == '\t')
        i++;
    return at(lx, i) == '\n' || at(lx, i) == '\r';
}

/* Moves over a continuation known to start at the cursor. */
static void skip_continuation(mdl_lexer *lx)
{
    mdl_lex_advance(lx); /* the backslash */
    while (at(lx, lx->cur.pos) == ' ' || at(lx, lx->cur.pos) == '\t')
        mdl_lex_advance(lx);
    mdl_lex_advance(lx); /* the line end */
}

/* Bytes of the name character at pos (letters of any script, digits, '_',
   '$', '\''), or 0. */
static size_t name_char_len(const mdl_lexer *lx, size_t pos)
{
    int c = at(lx, pos);
    if (c < 0)
        return 0;
    if (is_ascii_letter((unsigned char)c) || is_digit((unsigned char)c) ||
        c == '_' || c == '$' || c == '\'')
        return 1;
    if (c >= 0x80 && !is_nbsp(lx, pos))
        return utf8_len(lx->text + pos, lx->len - pos);
    return 0;
}

/* Non-zero when an unquoted name may start at pos: a letter (any script)
   or '_'; Vensim names that start otherwise must be quoted. */
static int name_starts(const mdl_lexer *lx, size_t pos)
{
    int c = at(lx, pos);
    return c >= 0 && (is_ascii_letter((unsigned char)c) || c == '_' ||
                      (c >= 0x80 && !is_nbsp(lx, pos)));
}

void mdl_lex_init(mdl_lexer *lx, const char *text, size_t len,
                  const char *path)
{
    lx->text = text;
    lx->len = text ? len : 0;
    lx->path = path;
    lx->cur.pos = 0;
    lx->cur.line = 1;
    lx->cur.col = 1;
    /* A byte-order mark is not part of the text: it takes no column. */
    if (lx->len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        lx->cur.pos = 3;
}

ps_loc mdl_lex_loc(const mdl_lexer *lx)
{
    ps_loc loc = {lx->cur.line, lx->cur.col};
    return loc;
}

void mdl_lex_advance(mdl_lexer *lx)
{
    size_t i = lx->cur.pos;
    if (i >= lx->len)
        return;
    unsigned char c = (unsigned char)lx->text[i];
    if (c == '\r' || c == '\n') {
        i++;
        if (c == '\r' && at(lx, i) == '\n')
            i++;
        lx->cur.line++;
        lx->cur.col = 1;
    } else {
        i += utf8_len(lx->text + i, lx->len - i);
        lx->cur.col++;
    }
    lx->cur.pos = i;
}

ps_status mdl_lex_skip_blank(mdl_lexer *lx, ps_error *err)
{
    for (;;) {
        size_t pos = lx->cur.pos;
        int c = at(lx, pos);
        if (c == '\n' || c == '\r' || blank_len(lx, pos) > 0) {
            mdl_lex_advance(lx);
        } else if (is_continuation(lx, pos)) {
            skip_continuation(lx);
        } else if (c == '{') {
            ps_loc open = mdl_lex_loc(lx);
            while (at(lx, lx->cur.pos) >= 0 && at(lx, lx->cur.pos) != '}')
                mdl_lex_advance(lx);
            if (at(lx, lx->cur.pos) < 0)
                return ps_error_set(err, PS_ERR_SYNTAX, lx->path, open.line,
                                    open.column,
                                    "comment opened here is never closed "
                                    "(expected '}')");
            mdl_lex_advance(lx);
        } else {
            return PS_OK;
        }
    }
}

int mdl_lex_at_sketch(const mdl_lexer *lx)
{
    size_t i = lx->cur.pos;
    while (at(lx, i) == '\\')
        i++;
    return i - lx->cur.pos >= 2 && i + 6 <= lx->len &&
           memcmp(lx->text + i, "---///", 6) == 0;
}

/* Scans an unquoted name starting at the cursor. */
static void scan_name(mdl_lexer *lx, mdl_token *tok)
{
    /* Underscores are blanks: a run of them alone names nothing. */
    int named = at(lx, lx->cur.pos) != '_';
    mdl_lex_advance(lx);
    mdl_cursor end = lx->cur;
    for (;;) {
        if (name_char_len(lx, lx->cur.pos) > 0) {
            named |= at(lx, lx->cur.pos) != '_';
            mdl_lex_advance(lx);
            end = lx->cur;
            continue;
        }
        /* Blanks (and continuations) belong to the name only when more of
           the name follows them. */
        int continued = 0;
        for (;;) {
            if (blank_len(lx, lx->cur.pos) > 0) {
                mdl_lex_advance(lx);
            } else if (is_continuation(lx, lx->cur.pos)) {
                skip_continuation(lx);
                continued = 1;
            } else {
                break;
            }
        }
        if (name_char_len(lx, lx->cur.pos) == 0)
            break;
        tok->continued |= continued;
    }
    lx->cur = end;
    tok->end = end.pos;
    tok->kind = named ? T_NAME : T_BAD;
}

/* Scans a "quoted name" starting at the cursor. */
static ps_status scan_quoted(mdl_lexer *lx, mdl_token *tok, ps_error *err)
{
    tok->kind = T_NAME;
    mdl_lex_advance(lx);
    for (;;) {
        int c = at(lx, lx->cur.pos);
        if (c < 0 || c == '\n' || c == '\r')
            return ps_error_set(err, PS_ERR_SYNTAX, lx->path, tok->loc.line,
                                tok->loc.column,
                                "quoted name opened here is not closed on "
                                "its line (expected '\"')");
        if (c == '"') {
            mdl_lex_advance(lx);
            break;
        }
        if (c == '\\' && is_continuation(lx, lx->cur.pos)) {
            skip_continuation(lx);
            tok->continued = 1;
            continue;
        }
        if (c == '\\') /* an escaped character, such as \" */
            mdl_lex_advance(lx);
        mdl_lex_advance(lx);
    }
    tok->end = lx->cur.pos;
    return PS_OK;
}

/* Scans a 'single-quoted' text starting at the cursor (its bytes, quotes
   included, are the token's span). */
static ps_status scan_string(mdl_lexer *lx, mdl_token *tok, ps_error *err)
{
    tok->kind = T_STRING;
    mdl_lex_advance(lx);
    for (;;) {
        int c = at(lx, lx->cur.pos);
        if (c < 0 || c == '\n' || c == '\r')
            return ps_error_set(err, PS_ERR_SYNTAX, lx->path, tok->loc.line,
                                tok->loc.column,
                                "text opened here is not closed on its line "
                                "(expected \"'\")");
        mdl_lex_advance(lx);
        if (c == '\'')
            break;
    }
    tok->end = lx->cur.pos;
    return PS_OK;
}

/* Scans an unsigned number (1, 1.5, .5, 5., 1e-3) starting at the cursor. */
static ps_status scan_number(mdl_lexer *lx, mdl_token *tok, ps_error *err)
{
    size_t i = lx->cur.pos;
    while (is_digit((unsigned char)at(lx, i)))
        i++;
    if (at(lx, i) == '.') {
        i++;
        while (is_digit((unsigned char)at(lx, i)))
            i++;
    }
    if (at(lx, i) == 'e' || at(lx, i) == 'E') {
        size_t k = i + 1;
        if (at(lx, k) == '+' || at(lx, k) == '-')
            k++;
        if (is_digit((unsigned char)at(lx, k))) {
            while (is_digit((unsigned char)at(lx, k)))
                k++;
            i = k;
        }
    }
    tok->kind = T_NUMBER;
    tok->end = i;
    if (mdl_parse_double(lx->text + tok->start, i - tok->start,
                         &tok->number) != 0)
        return ps_error_set(err, PS_ERR_SYNTAX, lx->path, tok->loc.line,
                            tok->loc.column, "number '%.*s' is out of range",
                            (int)(i - tok->start), lx->text + tok->start);
    while (lx->cur.pos < i)
        mdl_lex_advance(lx);
    return PS_OK;
}

/* Length of a :KEYWORD: at pos (letters and blanks between two colons on
   one line), or 0. */
static size_t keyword_len(const mdl_lexer *lx, size_t pos)
{
    size_t i = pos + 1;
    int letters = 0;
    while (i - pos < 48) {
        int c = at(lx, i);
        if (c >= 0 && is_ascii_letter((unsigned char)c))
            letters++;
        else if (c != ' ' && c != '\t')
            break;
        i++;
    }
    return letters > 0 && at(lx, i) == ':' ? i + 1 - pos : 0;
}

/* Sets a punctuation token of `n` ASCII bytes. */
static void punct(mdl_lexer *lx, mdl_token *tok, mdl_tok kind, size_t n)
{
    tok->kind = kind;
    for (size_t k = 0; k < n; k++)
        mdl_lex_advance(lx);
    tok->end = lx->cur.pos;
}

ps_status mdl_lex_next(mdl_lexer *lx, mdl_token *tok, ps_error *err)
{
    ps_status st = mdl_lex_skip_blank(lx, err);
    if (st != PS_OK)
        return st;
    memset(tok, 0, sizeof *tok);
    tok->start = tok->end = lx->cur.pos;
    tok->loc = mdl_lex_loc(lx);
    size_t pos = lx->cur.pos;
    int c = at(lx, pos);
    if (c < 0) {
        tok->kind = T_EOF;
        return PS_OK;
    }
    if (name_starts(lx, pos)) {
        scan_name(lx, tok);
        return PS_OK;
    }
    if (c == '"')
        return scan_quoted(lx, tok, err);
    if (c == '\'')
        return scan_string(lx, tok, err);
    if (is_digit((unsigned char)c) ||
        (c == '.' && is_digit((unsigned char)at(lx, pos + 1))))
        return scan_number(lx, tok, err);
    size_t kw;
    switch (c) {
    case '(': punct(lx, tok, T_LPAREN, 1); break;
    case ')': punct(lx, tok, T_RPAREN, 1); break;
    case '[': punct(lx, tok, T_LBRACKET, 1); break;
    case ']': punct(lx, tok, T_RBRACKET, 1); break;
    case ',': punct(lx, tok, T_COMMA, 1); break;
    case ';': punct(lx, tok, T_SEMI, 1); break;
    case '+': punct(lx, tok, T_PLUS, 1); break;
    case '-': punct(lx, tok, T_MINUS, 1); break;
    case '*': punct(lx, tok, T_STAR, 1); break;
    case '/': punct(lx, tok, T_SLASH, 1); break;
    case '^': punct(lx, tok, T_CARET, 1); break;
    case '~': punct(lx, tok, T_TILDE, 1); break;
    case '|': punct(lx, tok, T_BAR, 1); break;
    case '!': punct(lx, tok, T_BANG, 1); break;
    case '<':
        if (at(lx, pos + 1) == '=')
            punct(lx, tok, T_LE, 2);
        else if (at(lx, pos + 1) == '>')
            punct(lx, tok, T_NE, 2);
        else if (at(lx, pos + 1) == '-' && at(lx, pos + 2) == '>')
            punct(lx, tok, T_EQUIV, 3);
        else
            punct(lx, tok, T_LT, 1);
        break;
    case '>':
        punct(lx, tok, at(lx, pos + 1) == '=' ? T_GE : T_GT,
              at(lx, pos + 1) == '=' ? 2 : 1);
        break;
    case '=':
        punct(lx, tok, at(lx, pos + 1) == '=' ? T_EQEQ : T_EQ,
              at(lx, pos + 1) == '=' ? 2 : 1);
        break;
    case ':':
        if ((kw = keyword_len(lx, pos)) > 0)
            punct(lx, tok, T_KEYWORD, kw);
        else if (at(lx, pos + 1) == '=')
            punct(lx, tok, T_COLONEQ, 2);
        else
            punct(lx, tok, T_COLON, 1);
        break;
    default:
        punct(lx, tok, T_BAD, 1);
        break;
    }
    return PS_OK;
}

int mdl_tok_is_keyword(const mdl_lexer *lx, const mdl_token *tok,
                       const char *word)
{
    if (tok->kind != T_KEYWORD)
        return 0;
    const char *s = lx->text + tok->start + 1;
    const char *e = lx->text + tok->end - 1;
    while (s < e && (*s == ' ' || *s == '\t'))
        s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    while (s < e && *word) {
        if (*s == ' ' || *s == '\t') {
            if (*word != ' ')
                return 0;
            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            word++;
            continue;
        }
        if (toupper((unsigned char)*s) != (unsigned char)*word)
            return 0;
        s++;
        word++;
    }
    return s == e && *word == '\0';
}

/* Case-insensitive comparison of s[0..n) with the lower-case word w. */
static int word_is(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != w[i])
            return 0;
    return 1;
}

int mdl_parse_double(const char *s, size_t n, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (word_is(s + i, n - i, "inf") || word_is(s + i, n - i, "infinity")) {
        *out = neg ? -HUGE_VAL : HUGE_VAL;
        return 0;
    }
    if (word_is(s + i, n - i, "nan")) {
        *out = NAN;
        return 0;
    }
    /* one parser of decimal numbers for every input (plansim/number.h) */
    return ps_parse_decimal(s, n, out);
}

char *mdl_join_lines(const char *text, size_t start, size_t end)
{
    char *out = malloc(end - start + 1);
    if (!out)
        return NULL;
    size_t o = 0, i = start;
    while (i < end) {
        if (text[i] == '\\') {
            size_t k = i + 1;
            while (k < end && (text[k] == ' ' || text[k] == '\t'))
                k++;
            if (k < end && (text[k] == '\n' || text[k] == '\r')) {
                k += text[k] == '\r' && k + 1 < end && text[k + 1] == '\n'
                         ? 2 : 1;
                while (k < end && (text[k] == ' ' || text[k] == '\t'))
                    k++;
                while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '\t'))
                    o--;
                out[o++] = ' ';
                i = k;
                continue;
            }
        }
        out[o++] = text[i++];
    }
    out[o] = '\0';
    return out;
}
