/*
 * The tokenizer of delimited text (see csv.h).  It walks the text once;
 * a record's fields are kept in one reusable buffer.  Columns are counted
 * from the last position measured on the line, so long lines cost linear
 * time.
 */
#include "plansim/csv.h"

#include <stdlib.h>
#include <string.h>

#include "plansim/utf8.h"

void ps_csv_reader_init(ps_csv_reader *rd, const char *text, size_t len,
                        char sep, const char *path)
{
    rd->p = text;
    rd->end = text + len;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        rd->p += 3; /* UTF-8 byte order mark */
    rd->col_at = rd->p;
    rd->col = 1;
    rd->line = 1;
    rd->sep = sep;
    rd->path = path;
}

/* 1-based column of p (at or after the last measured position) on the
   current line, counted in UTF-8 characters. */
static int column_of(ps_csv_reader *rd, const char *p)
{
    rd->col += (int)ps_utf8_count(rd->col_at, (size_t)(p - rd->col_at));
    rd->col_at = p;
    return rd->col;
}

/* Appends s[0..n) to the row's buffer.  0, or -1 on no memory. */
static int buf_append(ps_csv_row *r, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (r->bcap - r->blen < n) {
        size_t cap = r->bcap ? r->bcap : 256;
        while (cap - r->blen < n)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b)
            return -1;
        r->buf = b;
        r->bcap = cap;
    }
    memcpy(r->buf + r->blen, s, n);
    r->blen += n;
    return 0;
}

static int buf_put(ps_csv_row *r, char ch)
{
    return buf_append(r, &ch, 1);
}

static ps_csv_field *field_push(ps_csv_row *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        ps_csv_field *f = realloc(r->fields, cap * sizeof *f);
        if (!f)
            return NULL;
        r->fields = f;
        r->cap = cap;
    }
    return &r->fields[r->n++];
}

/* If p is at a line end, steps over it (CRLF counts once) and starts a new
   line; returns non-zero when it did. */
static int skip_line_end(ps_csv_reader *rd)
{
    if (rd->p >= rd->end || (*rd->p != '\r' && *rd->p != '\n'))
        return 0;
    if (*rd->p == '\r' && rd->p + 1 < rd->end && rd->p[1] == '\n')
        rd->p++;
    rd->p++;
    rd->line++;
    rd->col_at = rd->p;
    rd->col = 1;
    return 1;
}

static ps_status no_memory(const ps_csv_reader *rd, ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, rd->path, 0, 0, "out of memory");
}

/* Reads a quoted field's text (the reader is on the opening quote). */
static ps_status read_quoted(ps_csv_reader *rd, ps_csv_row *r,
                             const ps_csv_field *f, ps_error *err)
{
    rd->p++;
    for (;;) {
        if (rd->p >= rd->end)
            return ps_error_set(err, PS_ERR_DATA, rd->path, f->line, f->column,
                                "unterminated quoted cell");
        char ch = *rd->p;
        if (ch == '"') {
            if (rd->p + 1 < rd->end && rd->p[1] == '"') {
                /* a doubled quote stands for one quote */
                if (buf_put(r, '"') != 0)
                    return no_memory(rd, err);
                rd->p += 2;
                continue;
            }
            rd->p++;
            break;
        }
        if (ch == '\r' || ch == '\n') {
            /* a line end inside quotes belongs to the field */
            const char *from = rd->p;
            skip_line_end(rd);
            if (buf_append(r, from, (size_t)(rd->p - from)) != 0)
                return no_memory(rd, err);
            continue;
        }
        if (buf_put(r, ch) != 0)
            return no_memory(rd, err);
        rd->p++;
    }
    if (rd->p < rd->end && *rd->p != rd->sep && *rd->p != '\r' &&
        *rd->p != '\n')
        return ps_error_set(err, PS_ERR_DATA, rd->path, rd->line,
                            column_of(rd, rd->p),
                            "unexpected text after a closing quote");
    return PS_OK;
}

ps_status ps_csv_read_row(ps_csv_reader *rd, ps_csv_row *r, ps_error *err)
{
    r->n = 0;
    r->blen = 0;
    if (rd->p >= rd->end)
        return PS_OK;
    for (;;) {
        ps_csv_field *f = field_push(r);
        if (!f)
            return no_memory(rd, err);
        f->off = r->blen;
        f->line = rd->line;
        f->column = column_of(rd, rd->p);
        f->quoted = rd->p < rd->end && *rd->p == '"';
        if (f->quoted) {
            ps_status st = read_quoted(rd, r, f, err);
            if (st != PS_OK)
                return st;
        } else {
            const char *from = rd->p;
            while (rd->p < rd->end && *rd->p != rd->sep && *rd->p != '\r' &&
                   *rd->p != '\n')
                rd->p++;
            if (buf_append(r, from, (size_t)(rd->p - from)) != 0)
                return no_memory(rd, err);
        }
        f->len = r->blen - f->off;
        if (buf_put(r, '\0') != 0)
            return no_memory(rd, err);
        if (rd->p < rd->end && *rd->p == rd->sep) {
            rd->p++;
            continue;
        }
        skip_line_end(rd);
        return PS_OK;
    }
}

const char *ps_csv_field_text(const ps_csv_row *row, size_t i)
{
    return row->buf + row->fields[i].off;
}

void ps_csv_row_free(ps_csv_row *row)
{
    if (!row)
        return;
    free(row->buf);
    free(row->fields);
    *row = (ps_csv_row){0};
}
