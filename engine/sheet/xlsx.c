/*
 * .xlsx books: the Office Open XML package around the worksheets.
 *
 * The archive is opened through libzip on the checked descriptor; then,
 * as the package's relationships say: _rels/.rels names the workbook part
 * (xl/workbook.xml), the workbook's relationships
 * (xl/_rels/workbook.xml.rels) name its sheets' parts and the shared
 * strings, and the workbook lists the sheets in order with their names,
 * the date system and the defined names.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plansim/file.h"
#include "xlsx.h"

/* One relationship: an Id and the part it points to. */
typedef struct rel {
    char *id, *type, *target; /* target resolved to a part name */
} rel;

typedef struct rels {
    rel *items;
    size_t n, cap;
} rels;

/* A sheet or a defined name as the workbook lists it. */
typedef struct entry {
    char *name;
    char *ref;    /* a sheet's relationship Id, a name's formula */
    size_t scope; /* a name's localSheetId, SIZE_MAX for none */
} entry;

typedef struct entries {
    entry *items;
    size_t n, cap;
} entries;

static ps_status no_memory(book_load *ld)
{
    return load_fail(ld, PS_ERR_NOMEM, "out of memory");
}

static void rels_free(rels *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].id);
        free(r->items[i].type);
        free(r->items[i].target);
    }
    free(r->items);
    *r = (rels){0};
}

static void entries_free(entries *e)
{
    for (size_t i = 0; i < e->n; i++) {
        free(e->items[i].name);
        free(e->items[i].ref);
    }
    free(e->items);
    *e = (entries){0};
}

/* A copy of an xmlChar string (xmlFree'd), as a malloc'd one. */
static char *take(char *xml_string)
{
    if (!xml_string)
        return NULL;
    char *s = strdup(xml_string);
    xmlFree(xml_string);
    return s;
}

/*
 * The part a relationship's target names, from the part `base` that holds
 * it: "worksheets/sheet1.xml" from "xl/workbook.xml" is
 * "xl/worksheets/sheet1.xml"; "/xl/x.xml" is absolute; "." and ".."
 * segments are resolved.  NULL on no memory or when ".." climbs out.
 */
static char *resolve(const char *base, const char *target)
{
    size_t dir = 0;
    if (target[0] == '/') {
        target++;
    } else {
        const char *slash = strrchr(base, '/');
        dir = slash ? (size_t)(slash - base) + 1 : 0;
    }
    size_t n = strlen(target);
    char *out = malloc(dir + n + 1);
    if (!out)
        return NULL;
    memcpy(out, base, dir);
    size_t o = dir;
    const char *s = target;
    while (*s) {
        const char *end = strchr(s, '/');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            if (o == 0) {
                free(out);
                return NULL;
            }
            o--; /* the '/' ending the last segment */
            while (o > 0 && out[o - 1] != '/')
                o--;
        } else if (!(len == 1 && s[0] == '.') && len > 0) {
            memcpy(out + o, s, len);
            o += len;
            if (end)
                out[o++] = '/';
        }
        s += len + (end ? 1 : 0);
    }
    out[o] = '\0';
    return out;
}

/* The relationships part of `part`: "xl/_rels/workbook.xml.rels". */
static char *rels_name(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part) + 1 : 0;
    size_t n = strlen(part);
    char *out = malloc(n + sizeof "_rels/" + sizeof ".rels");
    if (!out)
        return NULL;
    memcpy(out, part, dir);
    strcpy(out + dir, "_rels/");
    strcat(out, part + dir);
    strcat(out, ".rels");
    return out;
}

/* Reads the relationships of part `source` (missing: none). */
static ps_status read_rels(book_load *ld, zip_t *za, const char *source,
                           rels *out)
{
    char *name = rels_name(source);
    if (!name)
        return no_memory(ld);
    xml_part p;
    ps_status st = part_open(ld, za, name, 1, &p);
    int type = 0;
    while (st == PS_OK && p.r && (st = part_next(ld, &p, &type)) == PS_OK &&
           type != 0) {
        if (type != XML_READER_TYPE_ELEMENT ||
            strcmp(part_local_name(&p), "Relationship") != 0)
            continue;
        char *id = take(part_attr(&p, "Id", 0));
        char *rtype = take(part_attr(&p, "Type", 0));
        char *target = take(part_attr(&p, "Target", 0));
        char *mode = take(part_attr(&p, "TargetMode", 0));
        int external = mode && strcmp(mode, "External") == 0;
        free(mode);
        char *resolved =
            id && rtype && target && !external ? resolve(source, target) : NULL;
        free(target);
        if (resolved &&
            sheet_grow((void **)&out->items, out->n, &out->cap, sizeof *out->items))
            st = no_memory(ld);
        if (st == PS_OK && resolved) {
            out->items[out->n++] = (rel){id, rtype, resolved};
        } else {
            free(id);
            free(rtype);
            free(resolved);
        }
    }
    part_close(&p);
    free(name);
    return st;
}

/* The target of the relationship whose Id is `id`, or NULL. */
static const char *rel_by_id(const rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->items[i].id, id) == 0)
            return r->items[i].target;
    return NULL;
}

/* The target of the first relationship whose Type ends with "/" `tail`
   (the type URIs of transitional and strict OOXML differ before it). */
static const char *rel_by_type(const rels *r, const char *tail)
{
    size_t k = strlen(tail);
    for (size_t i = 0; i < r->n; i++) {
        const char *type = r->items[i].type;
        size_t n = strlen(type);
        if (n > k && type[n - k - 1] == '/' && strcmp(type + n - k, tail) == 0)
            return r->items[i].target;
    }
    return NULL;
}

static int is_true(const char *s)
{
    return s && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0);
}

static ps_status add_entry(book_load *ld, entries *e, char *name, char *ref,
                           size_t scope)
{
    if (!name || !ref ||
        sheet_grow((void **)&e->items, e->n, &e->cap, sizeof *e->items) != 0) {
        free(name);
        free(ref);
        return no_memory(ld);
    }
    e->items[e->n++] = (entry){name, ref, scope};
    return PS_OK;
}

/* A defined name's localSheetId, SIZE_MAX when absent or invalid. */
static size_t scope_of(char *local)
{
    size_t scope = (size_t)-1;
    if (local && *local && strspn(local, "0123456789") == strlen(local) &&
        strlen(local) < 10)
        scope = (size_t)strtoul(local, NULL, 10);
    free(local);
    return scope;
}

/* Reads the workbook part: its sheets, defined names and date system. */
static ps_status read_workbook(xlsx_book *x, const char *name, entries *sheets,
                               entries *names)
{
    book_load *ld = x->ld;
    xml_part p;
    ps_status st = part_open(ld, x->za, name, 0, &p);
    xbuf text = {0};
    char *dn_name = NULL;
    size_t dn_scope = (size_t)-1;
    int type = 0;
    while (st == PS_OK && (st = part_next(ld, &p, &type)) == PS_OK &&
           type != 0) {
        const char *local = part_local_name(&p);
        /* <workbook><workbookPr/><sheets><sheet/></sheets><definedNames>
           <definedName/>: depths 1 and 2 (extensions hold look-alikes) */
        int depth = xmlTextReaderDepth(p.r);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (depth == 1 && strcmp(local, "workbookPr") == 0) {
                char *v = take(part_attr(&p, "date1904", 0));
                x->date1904 = is_true(v);
                free(v);
            } else if (depth == 2 && strcmp(local, "sheet") == 0) {
                char *sn = take(part_attr(&p, "name", 0));
                char *id = take(part_attr(&p, "id", 1));
                if (!sn || !id) {
                    free(sn);
                    free(id);
                    st = part_fail(ld, &p, "a sheet without a name or an id");
                } else {
                    st = add_entry(ld, sheets, sn, id, 0);
                }
            } else if (depth == 2 && strcmp(local, "definedName") == 0 &&
                       !xmlTextReaderIsEmptyElement(p.r)) {
                free(dn_name);
                dn_name = take(part_attr(&p, "name", 0));
                dn_scope = scope_of(take(part_attr(&p, "localSheetId", 0)));
                xbuf_clear(&text);
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(local, "definedName") == 0 && dn_name) {
                st = add_entry(ld, names, dn_name, strdup(text.s ? text.s : ""),
                               dn_scope);
                dn_name = NULL;
            }
        } else if (dn_name && part_is_text(type)) {
            const char *v = (const char *)xmlTextReaderConstValue(p.r);
            if (v && xbuf_add(&text, v, strlen(v)) != 0)
                st = no_memory(ld);
        }
    }
    if (st == PS_OK && sheets->n == 0)
        st = part_fail(ld, &p, "the workbook has no sheet");
    part_close(&p);
    free(dn_name);
    xbuf_free(&text);
    return st;
}

/* Ends one <si>: decodes its text and stores it in the pool. */
static ps_status add_shared(xlsx_book *x, xbuf *b)
{
    uint64_t off;
    size_t n = b->n ? xlsx_unescape(b->s, b->n) : 0;
    ps_status st = load_text(x->ld, b->s, n, &off);
    if (st != PS_OK)
        return st;
    if (sheet_grow((void **)&x->strings, x->nstrings, &x->strings_cap,
             sizeof *x->strings) != 0)
        return no_memory(x->ld);
    x->strings[x->nstrings++] = off;
    xbuf_clear(b);
    return PS_OK;
}

/* Reads the shared strings: each <si>'s <t>, or its runs' <r><t>, without
   the phonetic runs <rPh>. */
static ps_status read_shared_strings(xlsx_book *x, const char *name)
{
    xml_part p;
    ps_status st = part_open(x->ld, x->za, name, 1, &p);
    xbuf text = {0};
    int type = 0, in_si = 0, in_t = 0, in_rph = 0;
    while (st == PS_OK && p.r && (st = part_next(x->ld, &p, &type)) == PS_OK &&
           type != 0) {
        const char *local = part_local_name(&p);
        if (type == XML_READER_TYPE_ELEMENT) {
            int empty = xmlTextReaderIsEmptyElement(p.r) == 1;
            if (strcmp(local, "si") == 0) {
                xbuf_clear(&text);
                in_si = !empty;
                if (empty)
                    st = add_shared(x, &text);
            } else if (in_si && strcmp(local, "rPh") == 0) {
                in_rph = !empty;
            } else if (in_si && !in_rph && strcmp(local, "t") == 0) {
                in_t = !empty;
            }
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            if (strcmp(local, "si") == 0 && in_si) {
                in_si = in_t = in_rph = 0;
                st = add_shared(x, &text);
            } else if (strcmp(local, "rPh") == 0) {
                in_rph = 0;
            } else if (strcmp(local, "t") == 0) {
                in_t = 0;
            }
        } else if (in_t && part_is_text(type)) {
            const char *v = (const char *)xmlTextReaderConstValue(p.r);
            if (v && xbuf_add(&text, v, strlen(v)) != 0)
                st = no_memory(x->ld);
        }
    }
    part_close(&p);
    xbuf_free(&text);
    return st;
}

/* The workbook part, as _rels/.rels names it (xl/workbook.xml without). */
static ps_status find_workbook(book_load *ld, zip_t *za, char **name)
{
    rels root = {0};
    ps_status st = read_rels(ld, za, "", &root);
    const char *target = rel_by_type(&root, "officeDocument");
    *name = st == PS_OK ? strdup(target ? target : "xl/workbook.xml") : NULL;
    rels_free(&root);
    if (st == PS_OK && !*name)
        st = no_memory(ld);
    return st;
}

static ps_status read_package(xlsx_book *x)
{
    book_load *ld = x->ld;
    char *workbook = NULL;
    rels wb_rels = {0};
    entries sheets = {0}, names = {0};
    ps_status st = find_workbook(ld, x->za, &workbook);
    if (st == PS_OK)
        st = read_rels(ld, x->za, workbook, &wb_rels);
    if (st == PS_OK)
        st = read_workbook(x, workbook, &sheets, &names);
    if (st == PS_OK) {
        const char *sst = rel_by_type(&wb_rels, "sharedStrings");
        st = read_shared_strings(x, sst ? sst : "xl/sharedStrings.xml");
    }
    for (size_t i = 0; st == PS_OK && i < sheets.n; i++) {
        const entry *e = &sheets.items[i];
        const char *part = rel_by_id(&wb_rels, e->ref);
        size_t index;
        st = load_sheet(ld, e->name, strlen(e->name), &index);
        if (st == PS_OK && !part)
            st = load_fail(ld, PS_ERR_DATA,
                           "%s: sheet '%s' has no part (relationship %s)",
                           workbook, e->name, e->ref);
        if (st == PS_OK)
            st = xlsx_read_sheet(x, part, index);
    }
    if (st == PS_OK)
        st = load_finish(ld);
    for (size_t i = 0; st == PS_OK && i < names.n; i++) {
        const entry *e = &names.items[i];
        size_t scope = e->scope < sheets.n ? e->scope : (size_t)-1;
        st = load_defined_name(ld, e->name, scope, e->ref);
    }
    free(workbook);
    rels_free(&wb_rels);
    entries_free(&sheets);
    entries_free(&names);
    return st;
}

/* Says what an archive libzip refuses is, with a hint when it is the
   old binary format. */
static ps_status fail_zip(book_load *ld, int fd, int zerr)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    unsigned char magic[4] = {0};
    ssize_t got = pread(fd, magic, sizeof magic, 0);
    ps_status st;
    if (zerr == ZIP_ER_MEMORY)
        st = load_fail(ld, PS_ERR_NOMEM, "out of memory");
    else if (got == 4 && memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0)
        st = load_fail(ld, PS_ERR_DATA,
                       "not an .xlsx workbook: it is an old binary (.xls) "
                       "one; name it .xls");
    else
        st = load_fail(ld, PS_ERR_DATA,
                       "not an .xlsx workbook (not a zip archive: %s)",
                       zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return st;
}

ps_status sheet_read_xlsx(book_load *ld)
{
    int fd;
    ps_status st = ps_file_open_input(ld->path, &fd, NULL, ld->err);
    if (st != PS_OK)
        return st;
    xmlInitParser();
    int zerr = 0;
    zip_t *za = zip_fdopen(fd, 0, &zerr); /* owns fd from here on */
    if (!za) {
        st = fail_zip(ld, fd, zerr);
        close(fd);
        return st;
    }
    xlsx_book x = {.ld = ld, .za = za};
    st = read_package(&x);
    free(x.strings);
    zip_discard(za);
    return st;
}
