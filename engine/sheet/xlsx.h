/*
 * The .xlsx reader's private contracts: parts of the zip archive read as
 * XML streams (xlsx_part.c), and the worksheet reader (xlsx_sheet.c)
 * that xlsx.c drives.
 */
#ifndef PS_SHEET_XLSX_H
#define PS_SHEET_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "sheet_impl.h"

/* A growable text buffer, NUL-terminated once anything is in it. */
typedef struct xbuf {
    char *s;
    size_t n, cap;
} xbuf;

/* Appends s[0..n).  0, or -1 on no memory. */
int xbuf_add(xbuf *b, const char *s, size_t n);

/* Empties the buffer, keeping its memory. */
void xbuf_clear(xbuf *b);

/* Frees the buffer's memory and resets it to {0}. */
void xbuf_free(xbuf *b);

/* Decodes the _xHHHH_ escapes of OOXML strings (ST_Xstring: "_x000D_" is a
   carriage return, "_x005F_" a '_') in place; returns the new length. */
size_t xlsx_unescape(char *s, size_t n);

/* One part of the archive read as an XML stream. */
typedef struct xml_part {
    xmlTextReaderPtr r;
    zip_file_t *zf;
    const char *name; /* the part's name, borrowed */
    uint64_t read;    /* bytes unpacked so far */
    int io_error;     /* the archive could not be read */
    int too_big;      /* unpacked past PS_SHEET_MAX_PART_BYTES */
    int xml_line;     /* first XML error: line and message */
    char xml_message[200];
} xml_part;

/*
 * Opens part `name` of the archive (names compare ignoring case, as OPC
 * says).  PS_OK with p->r set; PS_OK with p->r NULL when the part is
 * absent and `optional` is set; otherwise PS_ERR_DATA (absent, larger than
 * PS_SHEET_MAX_PART_BYTES, unreadable) or PS_ERR_NOMEM through `ld`.  The
 * XML is read without network, entity substitution or DTD loading.
 */
ps_status part_open(book_load *ld, zip_t *za, const char *name, int optional,
                    xml_part *p);

/* Moves to the next node: *type is its xmlReaderTypes value, or 0 at the
   end of the part.  PS_ERR_DATA (naming the part and the XML line) for
   malformed XML, a DOCTYPE, or an archive that cannot be unpacked. */
ps_status part_next(book_load *ld, xml_part *p, int *type);

/* Non-zero for the node types that carry characters: text, CDATA, white
   space. */
int part_is_text(int type);

/* The node's local name (no prefix), "" when it has none. */
const char *part_local_name(const xml_part *p);

/* The value of the current element's attribute `name` (no namespace), or,
   with `any_ns` set, of its first attribute of local name `name` in any
   namespace (r:id).  A new string (xmlFree()), or NULL when absent. */
char *part_attr(xml_part *p, const char *name, int any_ns);

/* Fails the load with PS_ERR_DATA, naming the part and the XML line. */
ps_status part_fail(book_load *ld, const xml_part *p, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Closes the part; p->r is NULL afterwards.  A closed part is allowed. */
void part_close(xml_part *p);

/* The archive as the worksheet reader needs it. */
typedef struct xlsx_book {
    book_load *ld;
    zip_t *za;
    uint64_t *strings; /* shared strings, as pool offsets */
    size_t nstrings, strings_cap;
    int date1904;
} xlsx_book;

/* Reads the worksheet part `name` into sheet `sheet` of the book. */
ps_status xlsx_read_sheet(xlsx_book *x, const char *name, size_t sheet);

#endif
