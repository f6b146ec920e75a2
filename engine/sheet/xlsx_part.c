/*
 * Parts of an .xlsx archive read as XML streams: libzip unpacks the part
 * as libxml2's text reader asks for bytes, so a worksheet is never held
 * whole in memory, and what is unpacked is counted against the limit
 * whatever the archive's directory claims.
 *
 * Parsing is safe for files from anywhere: no network (XML_PARSE_NONET),
 * no entity substitution (XML_PARSE_NOENT is not set), no DTD loading,
 * and a part with a DOCTYPE is refused (OOXML has none).  libxml2's errors
 * go to the part (the first one is kept for the message), never to
 * stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

int xbuf_add(xbuf *b, const char *s, size_t n)
{
    if (b->cap - b->n < n + 1) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->n < n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p)
            return -1;
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
    return 0;
}

void xbuf_clear(xbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

void xbuf_free(xbuf *b)
{
    free(b->s);
    *b = (xbuf){0};
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Writes code point u (< 0x10000) as UTF-8 at out; returns its length. */
static size_t put_utf8(char *out, unsigned u)
{
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        out[0] = (char)(0xC0 | u >> 6);
        out[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | u >> 12);
    out[1] = (char)(0x80 | (u >> 6 & 0x3F));
    out[2] = (char)(0x80 | (u & 0x3F));
    return 3;
}

size_t xlsx_unescape(char *s, size_t n)
{
    size_t i = 0, o = 0;
    while (i < n) {
        if (i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h[4];
            unsigned u = 0;
            int ok = 1;
            for (int k = 0; k < 4; k++) {
                h[k] = hex_value(s[i + 2 + k]);
                ok = ok && h[k] >= 0;
                u = 16 * u + (unsigned)(h[k] >= 0 ? h[k] : 0);
            }
            /* a lone surrogate would make invalid UTF-8: keep the text */
            if (ok && u != 0 && (u < 0xD800 || u > 0xDFFF)) {
                o += put_utf8(s + o, u); /* at most 3 bytes for 7 read */
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    if (o < n)
        s[o] = '\0';
    return o;
}

/* libxml2 asks for bytes: unpack them, counting.  An archive error or the
   limit ends the stream (0) with a flag, so that the part reports the
   real cause rather than libxml2's "premature end". */
static int part_read(void *ctx, char *buf, int len)
{
    xml_part *p = ctx;
    if (p->io_error || p->too_big || len <= 0)
        return 0;
    zip_int64_t got = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (got < 0) {
        p->io_error = 1;
        return 0;
    }
    p->read += (uint64_t)got;
    if (p->read > PS_SHEET_MAX_PART_BYTES) {
        p->too_big = 1;
        return 0;
    }
    return (int)got;
}

static int part_io_close(void *ctx)
{
    (void)ctx; /* the zip file is closed by part_close() */
    return 0;
}

#if LIBXML_VERSION >= 21200
static void part_error(void *ctx, const xmlError *e)
#else
static void part_error(void *ctx, xmlErrorPtr e)
#endif
{
    xml_part *p = ctx;
    if (!e || e->level < XML_ERR_ERROR || p->xml_message[0])
        return;
    p->xml_line = e->line;
    snprintf(p->xml_message, sizeof p->xml_message, "%s",
             e->message ? e->message : "malformed XML");
    size_t n = strlen(p->xml_message);
    while (n > 0 &&
           (p->xml_message[n - 1] == '\n' || p->xml_message[n - 1] == ' '))
        p->xml_message[--n] = '\0';
}

ps_status part_fail(book_load *ld, const xml_part *p, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    int line = p->r ? xmlTextReaderGetParserLineNumber(p->r) : 0;
    if (line > 0)
        return load_fail(ld, PS_ERR_DATA, "%s, line %d: %s", p->name, line,
                         what);
    return load_fail(ld, PS_ERR_DATA, "%s: %s", p->name, what);
}

ps_status part_open(book_load *ld, zip_t *za, const char *name, int optional,
                    xml_part *p)
{
    *p = (xml_part){.name = name};
    zip_int64_t index = zip_name_locate(za, name, ZIP_FL_NOCASE);
    if (index < 0) {
        if (optional)
            return PS_OK;
        return load_fail(ld, PS_ERR_DATA,
                         "not a valid .xlsx workbook: part %s is missing",
                         name);
    }
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat_index(za, (zip_uint64_t)index, 0, &zs) != 0)
        return load_fail(ld, PS_ERR_DATA, "%s: %s", name, zip_strerror(za));
    if ((zs.valid & ZIP_STAT_SIZE) && zs.size > PS_SHEET_MAX_PART_BYTES)
        return load_fail(ld, PS_ERR_DATA,
                         "%s unpacks to %llu bytes (at most %zu)", name,
                         (unsigned long long)zs.size, PS_SHEET_MAX_PART_BYTES);
    p->zf = zip_fopen_index(za, (zip_uint64_t)index, 0);
    if (!p->zf)
        return load_fail(ld, PS_ERR_DATA, "%s: cannot unpack: %s", name,
                         zip_strerror(za));
    p->r = xmlReaderForIO(part_read, part_io_close, p, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!p->r) {
        part_close(p);
        return load_fail(ld, PS_ERR_NOMEM, "%s: cannot start the XML reader",
                         name);
    }
    xmlTextReaderSetStructuredErrorHandler(p->r, part_error, p);
    return PS_OK;
}

ps_status part_next(book_load *ld, xml_part *p, int *type)
{
    *type = 0;
    int rc = xmlTextReaderRead(p->r);
    if (p->too_big)
        return load_fail(ld, PS_ERR_DATA, "%s unpacks to more than %zu bytes",
                         p->name, PS_SHEET_MAX_PART_BYTES);
    if (p->io_error)
        return load_fail(ld, PS_ERR_DATA, "%s: cannot unpack: %s", p->name,
                         zip_file_strerror(p->zf));
    if (rc < 0) {
        if (p->xml_message[0])
            return load_fail(ld, PS_ERR_DATA, "%s, line %d: %s", p->name,
                             p->xml_line, p->xml_message);
        return part_fail(ld, p, "malformed XML");
    }
    if (rc == 0)
        return PS_OK;
    *type = xmlTextReaderNodeType(p->r);
    if (*type == XML_READER_TYPE_DOCUMENT_TYPE)
        return part_fail(ld, p, "a DOCTYPE is not allowed in a workbook");
    if (*type == XML_READER_TYPE_ENTITY_REFERENCE)
        return part_fail(ld, p, "entity references are not allowed");
    return PS_OK;
}

int part_is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_WHITESPACE ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

const char *part_local_name(const xml_part *p)
{
    const xmlChar *name = xmlTextReaderConstLocalName(p->r);
    return name ? (const char *)name : "";
}

char *part_attr(xml_part *p, const char *name, int any_ns)
{
    if (!any_ns)
        return (char *)xmlTextReaderGetAttribute(p->r, (const xmlChar *)name);
    char *value = NULL;
    while (!value && xmlTextReaderMoveToNextAttribute(p->r) == 1) {
        const xmlChar *local = xmlTextReaderConstLocalName(p->r);
        const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->r);
        if (ns && local && strcmp((const char *)local, name) == 0)
            value = (char *)xmlTextReaderValue(p->r);
    }
    xmlTextReaderMoveToElement(p->r);
    return value;
}

void part_close(xml_part *p)
{
    if (p->r)
        xmlFreeTextReader(p->r);
    if (p->zf)
        zip_fclose(p->zf);
    p->r = NULL;
    p->zf = NULL;
}
