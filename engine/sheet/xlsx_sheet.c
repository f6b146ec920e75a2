/*
 * One worksheet part (xl/worksheets/sheetN.xml): the cells of its
 * <sheetData>, streamed.
 *
 *   <row r="3"><c r="B3" t="s"><v>0</v></c>
 *              <c r="C3" t="inlineStr"><is><t>text</t></is></c>
 *              <c r="D3"><f>B3*2</f><v>4</v></c></row>
 *
 * A cell's kind comes from its t attribute: n (the default) a number, s an
 * index into the shared strings, str a formula's text, inlineStr text in
 * <is>, b a boolean, e an error value, d an ISO 8601 date.  Formulas are
 * not evaluated: their cached <v> is the value.  Cells and rows without an
 * r attribute follow the previous one.  Phonetic runs (<rPh>) are not
 * part of the text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/number.h"
#include "xlsx.h"

typedef enum cell_type {
    T_NUMBER,
    T_SHARED,
    T_FORMULA_STR,
    T_INLINE,
    T_BOOL,
    T_ERROR,
    T_DATE
} cell_type;

typedef struct sheet_reader {
    xlsx_book *x;
    xml_part part;
    size_t sheet;
    int in_data;          /* inside <sheetData> */
    int row_seen;         /* a <row> came before */
    size_t row, next_col; /* current row; column of a cell without r */
    /* the cell being read */
    int in_cell, in_v, in_is, in_t, in_rph, has_is;
    size_t cell_row, cell_col;
    cell_type type;
    xbuf v, is;
} sheet_reader;

static const char *sheet_name(const sheet_reader *s)
{
    return s->x->ld->b->sheets[s->sheet].name;
}

/* Fails naming the sheet and the cell being read. */
static ps_status cell_fail(sheet_reader *s, const char *what, const char *text)
{
    char ref[SHEET_REF_MAX];
    return part_fail(
        s->x->ld, &s->part, "sheet '%s', cell %s: %s '%.40s'", sheet_name(s),
        sheet_ref_format(s->cell_row, s->cell_col, ref), what, text);
}

static int parse_type(const char *t, cell_type *type)
{
    static const struct {
        const char *name;
        cell_type type;
    } types[] = {{"n", T_NUMBER},        {"s", T_SHARED},
                 {"str", T_FORMULA_STR}, {"inlineStr", T_INLINE},
                 {"b", T_BOOL},          {"e", T_ERROR},
                 {"d", T_DATE}};
    if (!t) {
        *type = T_NUMBER;
        return 0;
    }
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(t, types[i].name) == 0) {
            *type = types[i].type;
            return 0;
        }
    }
    return -1;
}

static int is_xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* s[0..n) without the XML white space around it. */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_xml_space(**s))
        (*s)++, (*n)--;
    while (*n > 0 && is_xml_space((*s)[*n - 1]))
        (*n)--;
}

static ps_status put_text(sheet_reader *s, xbuf *b)
{
    size_t n = b->n ? xlsx_unescape(b->s, b->n) : 0;
    return load_string(s->x->ld, s->sheet, s->cell_row, s->cell_col, b->s, n);
}

/* Stores the cell just read, by its type. */
static ps_status end_cell(sheet_reader *s)
{
    book_load *ld = s->x->ld;
    const char *v = s->v.s ? s->v.s : "";
    size_t n = s->v.n;
    double num;
    if (s->type == T_INLINE)
        return put_text(s, s->has_is ? &s->is : &s->v);
    if (s->type == T_FORMULA_STR || s->type == T_ERROR)
        return put_text(s, &s->v);
    trim(&v, &n);
    if (n == 0)
        return PS_OK; /* no value: a styled blank */
    switch (s->type) {
    case T_SHARED:
        if (ps_parse_decimal(v, n, &num) != 0 || !(num >= 0) ||
            num >= (double)s->x->nstrings || num != floor(num))
            return cell_fail(s, "no shared string", v);
        return load_pooled(ld, s->sheet, s->cell_row, s->cell_col,
                           s->x->strings[(size_t)num]);
    case T_BOOL:
        if (n != 1 || (v[0] != '0' && v[0] != '1'))
            return cell_fail(s, "invalid boolean", v);
        return load_number(ld, s->sheet, s->cell_row, s->cell_col, v[0] == '1');
    case T_DATE:
        if (sheet_date_serial(v, n, s->x->date1904, &num) == 0)
            return load_number(ld, s->sheet, s->cell_row, s->cell_col, num);
        return load_string(ld, s->sheet, s->cell_row, s->cell_col, v, n);
    default:
        if (ps_parse_decimal(v, n, &num) != 0)
            return cell_fail(s, "invalid number", v);
        return load_number(ld, s->sheet, s->cell_row, s->cell_col, num);
    }
}

static ps_status start_row(sheet_reader *s)
{
    char *r = part_attr(&s->part, "r", 0);
    ps_status st = PS_OK;
    if (r) {
        double v;
        if (ps_parse_decimal(r, strlen(r), &v) != 0 || v < 1 ||
            v > (double)PS_SHEET_MAX_ROWS || v != (double)(size_t)v)
            st = part_fail(s->x->ld, &s->part, "sheet '%s': invalid row '%s'",
                           sheet_name(s), r);
        else
            s->row = (size_t)v - 1;
        xmlFree(r);
    } else {
        s->row = s->row_seen ? s->row + 1 : 0;
    }
    s->row_seen = 1;
    s->next_col = 0;
    return st;
}

static ps_status start_cell(sheet_reader *s, int empty)
{
    char *r = part_attr(&s->part, "r", 0);
    char *t = part_attr(&s->part, "t", 0);
    ps_status st = PS_OK;
    s->cell_row = s->row;
    s->cell_col = s->next_col;
    if (r && sheet_ref_parse(r, strlen(r), &s->cell_row, &s->cell_col) != 0)
        st = part_fail(s->x->ld, &s->part,
                       "sheet '%s': invalid cell reference '%s'", sheet_name(s),
                       r);
    else if (parse_type(t, &s->type) != 0)
        st = part_fail(s->x->ld, &s->part, "sheet '%s': unknown cell type '%s'",
                       sheet_name(s), t);
    xmlFree(r);
    xmlFree(t);
    s->next_col = s->cell_col + 1;
    s->in_cell = st == PS_OK && !empty;
    s->in_v = s->in_is = s->in_t = s->in_rph = s->has_is = 0;
    xbuf_clear(&s->v);
    xbuf_clear(&s->is);
    return st;
}

static ps_status on_element(sheet_reader *s)
{
    const char *name = part_local_name(&s->part);
    int empty = xmlTextReaderIsEmptyElement(s->part.r) == 1;
    if (strcmp(name, "sheetData") == 0) {
        s->in_data = !empty;
        return PS_OK;
    }
    if (!s->in_data)
        return PS_OK;
    if (strcmp(name, "row") == 0)
        return start_row(s);
    if (strcmp(name, "c") == 0)
        return start_cell(s, empty);
    if (!s->in_cell || empty)
        return PS_OK;
    if (strcmp(name, "v") == 0 && !s->in_is)
        s->in_v = 1;
    else if (strcmp(name, "is") == 0)
        s->in_is = s->has_is = 1;
    else if (strcmp(name, "rPh") == 0 && s->in_is)
        s->in_rph = 1;
    else if (strcmp(name, "t") == 0 && s->in_is && !s->in_rph)
        s->in_t = 1;
    return PS_OK;
}

static ps_status on_end(sheet_reader *s)
{
    const char *name = part_local_name(&s->part);
    if (strcmp(name, "sheetData") == 0) {
        s->in_data = 0;
    } else if (s->in_cell) {
        if (strcmp(name, "v") == 0) {
            s->in_v = 0;
        } else if (strcmp(name, "t") == 0) {
            s->in_t = 0;
        } else if (strcmp(name, "rPh") == 0) {
            s->in_rph = 0;
        } else if (strcmp(name, "is") == 0) {
            s->in_is = 0;
        } else if (strcmp(name, "c") == 0) {
            s->in_cell = 0;
            return end_cell(s);
        }
    }
    return PS_OK;
}

static ps_status on_text(sheet_reader *s)
{
    xbuf *b = s->in_v ? &s->v : s->in_t ? &s->is : NULL;
    if (!b)
        return PS_OK;
    const xmlChar *text = xmlTextReaderConstValue(s->part.r);
    if (text && xbuf_add(b, (const char *)text, strlen((const char *)text)))
        return load_fail(s->x->ld, PS_ERR_NOMEM, "out of memory");
    return PS_OK;
}

ps_status xlsx_read_sheet(xlsx_book *x, const char *name, size_t sheet)
{
    sheet_reader s = {.x = x, .sheet = sheet};
    ps_status st = part_open(x->ld, x->za, name, 0, &s.part);
    int type = 0;
    while (st == PS_OK && (st = part_next(x->ld, &s.part, &type)) == PS_OK &&
           type != 0) {
        if (type == XML_READER_TYPE_ELEMENT)
            st = on_element(&s);
        else if (type == XML_READER_TYPE_END_ELEMENT)
            st = on_end(&s);
        else if (part_is_text(type))
            st = on_text(&s);
    }
    part_close(&s.part);
    xbuf_free(&s.v);
    xbuf_free(&s.is);
    return st;
}
