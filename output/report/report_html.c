/*
 * index.html: the report as one page a browser opens offline.  The page
 * is the report's own Markdown rendered by cmark-gfm (tables through its
 * table extension): index.md, then every Markdown file it links to, each
 * in a section the links now point at.  A paragraph that holds only
 * charts becomes figures with the SVG drawn inline; any other image
 * becomes a link, so the page loads nothing.  cmark's safe mode escapes
 * text and shows raw HTML as a comment; the page has no script.
 */
#define _GNU_SOURCE /* strcasestr */
#include "report_impl.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/file.h"
#include "plansim_output/out_file.h"
#include "plansim_output/report_formats.h"

#define MD_MAX_BYTES (256u << 20)
#define SVG_MAX_BYTES (64u << 20)
#define MAX_SECTIONS 64

static const char page_style[] =
    "body{margin:0;background:#f4f5f7;color:#222;font-family:" RP_FONT_FAMILY
    ";font-size:15px;line-height:1.6}\n"
    "main{max-width:1200px;margin:0 auto;padding:24px 32px 48px;"
    "background:#fff}\n"
    "h1{font-size:1.7em;margin:.4em 0 .6em}\n"
    "h2{font-size:1.35em;margin:1.6em 0 .6em;padding-bottom:.2em;"
    "border-bottom:1px solid #ddd}\n"
    "h3{font-size:1.1em;margin:1.3em 0 .5em}\n"
    "section{border-top:3px solid #08519c;margin-top:2.5em}\n"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.92em;"
    "display:block;overflow-x:auto}\n"
    "th,td{border:1px solid #d0d4da;padding:4px 9px;vertical-align:top}\n"
    "th{background:#eef2f7}\n"
    "tr:nth-child(even) td{background:#fafbfc}\n"
    "th,td{word-break:keep-all}\n"
    "td[align=right]{white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "figure{margin:1em 0}\n"
    "figure svg{max-width:100%;height:auto;border:1px solid #e3e3e3}\n"
    "code{font-size:.92em}\n"
    "a{color:#08519c}\n"
    "@media print{body{background:#fff}main{padding:0}"
    "section,figure{break-inside:avoid-page}}\n";

/* One Markdown file of the page. */
typedef struct md_doc {
    char *name; /* "targets.md" */
    char id[160];
    cmark_node *root;
} md_doc;

typedef struct page {
    const char *dir;
    md_doc docs[MAX_SECTIONS]; /* [0] is index.md */
    size_t ndocs;
    cmark_parser *parser; /* keeps the extensions the nodes point at */
} page;

static char *join(const char *dir, const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (p)
        sprintf(p, "%s/%s", dir, name);
    return p;
}

/* A file name of the folder itself: no directory, no scheme, no query. */
static int local_name(const char *url, const char *ext)
{
    size_t n = strlen(url), e = strlen(ext);
    return n > e && strcmp(url + n - e, ext) == 0 && !strpbrk(url, "/\\:?#") &&
           url[0] != '.';
}

static ps_status parse_file(page *pg, const char *name, md_doc *d,
                            ps_error *err)
{
    char *path = join(pg->dir, name);
    if (!path)
        return rp_nomem(err);
    char *text = NULL;
    size_t len = 0;
    ps_status st = ps_file_read_regular(path, MD_MAX_BYTES, &text, &len, err);
    free(path);
    if (st != PS_OK)
        return st;
    cmark_parser *p = cmark_parser_new(CMARK_OPT_VALIDATE_UTF8);
    cmark_llist *exts = cmark_parser_get_syntax_extensions(pg->parser);
    for (cmark_llist *e = exts; e; e = e->next)
        cmark_parser_attach_syntax_extension(p, e->data);
    cmark_parser_feed(p, text, len);
    d->root = cmark_parser_finish(p);
    cmark_parser_free(p);
    free(text);
    d->name = strdup(name);
    if (!d->root || !d->name)
        return rp_nomem(err);
    char stem[150];
    size_t n = strlen(name) - 3; /* without ".md" */
    snprintf(stem, sizeof stem, "%.*s", (int)(n < 140 ? n : 140), name);
    size_t o = snprintf(d->id, sizeof d->id, "file-");
    rp_name_append(d->id, sizeof d->id, o, stem);
    return PS_OK;
}

static md_doc *find_doc(page *pg, const char *name)
{
    for (size_t i = 0; i < pg->ndocs; i++)
        if (strcmp(pg->docs[i].name, name) == 0)
            return &pg->docs[i];
    return NULL;
}

/* Reads every Markdown file index.md links to, once each, in order. */
static ps_status gather(page *pg, ps_error *err)
{
    ps_status st = parse_file(pg, "index.md", &pg->docs[0], err);
    if (st != PS_OK)
        return st;
    pg->ndocs = 1;
    cmark_iter *it = cmark_iter_new(pg->docs[0].root);
    cmark_event_type ev;
    while (st == PS_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER ||
            cmark_node_get_type(n) != CMARK_NODE_LINK)
            continue;
        const char *url = cmark_node_get_url(n);
        if (!url || !local_name(url, ".md") || strcmp(url, "index.md") == 0 ||
            find_doc(pg, url))
            continue;
        if (pg->ndocs == MAX_SECTIONS)
            break;
        st = parse_file(pg, url, &pg->docs[pg->ndocs], err);
        pg->ndocs++; /* freed whatever happened */
    }
    cmark_iter_free(it);
    return st;
}

/* Non-zero when `para` holds images of the folder's SVG files and
   nothing else but spaces and line breaks. */
static int chart_paragraph(cmark_node *para)
{
    int images = 0;
    for (cmark_node *c = cmark_node_first_child(para); c;
         c = cmark_node_next(c)) {
        cmark_node_type t = cmark_node_get_type(c);
        if (t == CMARK_NODE_IMAGE) {
            const char *url = cmark_node_get_url(c);
            if (!url || !local_name(url, ".svg"))
                return 0;
            images++;
        } else if (t == CMARK_NODE_TEXT) {
            const char *s = cmark_node_get_literal(c);
            if (s && s[strspn(s, " \t")] != '\0')
                return 0;
        } else if (t != CMARK_NODE_SOFTBREAK && t != CMARK_NODE_LINEBREAK) {
            return 0;
        }
    }
    return images > 0;
}

/* Points links to the Markdown files at their sections, and turns every
   image that will not be drawn inline into a link to its file. */
static void rewrite(page *pg, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    cmark_node *images[256];
    size_t nimages = 0;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        const char *url = t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE
                              ? cmark_node_get_url(n)
                              : NULL;
        if (t == CMARK_NODE_LINK && url) {
            md_doc *d = local_name(url, ".md") ? find_doc(pg, url) : NULL;
            if (d) {
                char anchor[170];
                snprintf(anchor, sizeof anchor, "#%s", d->id);
                cmark_node_set_url(n, anchor);
            }
        } else if (t == CMARK_NODE_IMAGE &&
                   !(cmark_node_get_type(cmark_node_parent(n)) ==
                         CMARK_NODE_PARAGRAPH &&
                     chart_paragraph(cmark_node_parent(n))) &&
                   nimages < sizeof images / sizeof images[0]) {
            images[nimages++] = n;
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < nimages; i++) {
        cmark_node *link = cmark_node_new(CMARK_NODE_LINK);
        cmark_node_set_url(link, cmark_node_get_url(images[i]));
        cmark_node *c;
        while ((c = cmark_node_first_child(images[i])) != NULL) {
            cmark_node_unlink(c);
            cmark_node_append_child(link, c);
        }
        cmark_node_replace(images[i], link);
        cmark_node_free(images[i]);
    }
}

/* The plain text under `n` (its text and code), into buf[size]. */
static void plain_text(cmark_node *n, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    cmark_iter *it = cmark_iter_new(n);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(c);
        if (ev == CMARK_EVENT_ENTER &&
            (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)) {
            const char *s = cmark_node_get_literal(c);
            size_t k = s ? strlen(s) : 0;
            if (o + k < size) {
                memcpy(buf + o, s, k);
                o += k;
                buf[o] = '\0';
            }
        }
    }
    cmark_iter_free(it);
}

/* A chart is inlined only when it is plainly one of the report's: an
   <svg> element and no script, event handler, link or foreign content. */
static ps_status check_svg(const char *svg, const char *path, ps_error *err)
{
    static const char *const refused[] = {"<script", "<foreignobject", "href",
                                          "<iframe", "<!entity"};
    if (!strstr(svg, "<svg"))
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "not an SVG chart: no <svg> element");
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (strcasestr(svg, refused[i]))
            return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                                "the chart holds '%s', which a report's "
                                "chart never does; it is not inlined",
                                refused[i]);
    for (const char *p = svg; (p = strcasestr(p, " on")) != NULL; p += 3) {
        const char *q = p + 3;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
            q++;
        if (q > p + 3 && *q == '=')
            return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                                "the chart holds an event handler; it is "
                                "not inlined");
    }
    return PS_OK;
}

static ps_status write_figures(FILE *out, page *pg, cmark_node *para,
                               ps_error *err)
{
    ps_status st = PS_OK;
    for (cmark_node *c = cmark_node_first_child(para); c && st == PS_OK;
         c = cmark_node_next(c)) {
        if (cmark_node_get_type(c) != CMARK_NODE_IMAGE)
            continue;
        char *path = join(pg->dir, cmark_node_get_url(c));
        char *svg = NULL;
        size_t len;
        if (!path)
            st = rp_nomem(err);
        if (st == PS_OK)
            st = ps_file_read_regular(path, SVG_MAX_BYTES, &svg, &len, err);
        if (st == PS_OK)
            st = check_svg(svg, path, err);
        if (st == PS_OK) {
            char alt[1024];
            plain_text(c, alt, sizeof alt);
            fputs("<figure role=\"img\" aria-label=\"", out);
            rp_xml(out, alt);
            fputs("\">\n", out);
            fputs(strstr(svg, "<svg"), out); /* without the XML declaration */
            fputs("</figure>\n", out);
        }
        free(svg);
        free(path);
    }
    return st;
}

static ps_status write_doc(FILE *out, page *pg, md_doc *d, ps_error *err)
{
    cmark_llist *exts = cmark_parser_get_syntax_extensions(pg->parser);
    ps_status st = PS_OK;
    for (cmark_node *b = cmark_node_first_child(d->root); b && st == PS_OK;
         b = cmark_node_next(b)) {
        if (cmark_node_get_type(b) == CMARK_NODE_PARAGRAPH &&
            chart_paragraph(b)) {
            st = write_figures(out, pg, b, err);
            continue;
        }
        char *html = cmark_render_html(b, CMARK_OPT_DEFAULT, exts);
        if (!html)
            return rp_nomem(err);
        fputs(html, out);
        cmark_get_default_mem_allocator()->free(html);
    }
    return st;
}

/* "zh" when the page's text has Chinese characters, else "en". */
static const char *page_lang(cmark_node *root)
{
    const char *lang = "en";
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *c = cmark_iter_get_node(it);
        const char *s = cmark_node_get_type(c) == CMARK_NODE_TEXT
                            ? cmark_node_get_literal(c)
                            : NULL;
        /* U+4E00..U+9FFF: E4 B8 80 .. E9 BF BF */
        for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
            if (*p >= 0xE4 && *p <= 0xE9 && p[1] >= 0x80)
                lang = "zh";
    }
    cmark_iter_free(it);
    return lang;
}

static ps_status write_page(FILE *out, page *pg, ps_error *err)
{
    char title[1024] = "";
    for (cmark_node *b = cmark_node_first_child(pg->docs[0].root); b;
         b = cmark_node_next(b))
        if (cmark_node_get_type(b) == CMARK_NODE_HEADING) {
            plain_text(b, title, sizeof title);
            break;
        }
    fprintf(out,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
            "<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" "
            "content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src 'none'\">\n"
            "<meta name=\"generator\" content=\"plansim\">\n<title>",
            page_lang(pg->docs[0].root));
    rp_xml(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n",
            page_style);
    ps_status st = write_doc(out, pg, &pg->docs[0], err);
    for (size_t i = 1; i < pg->ndocs && st == PS_OK; i++) {
        fprintf(out, "<section id=\"%s\">\n", pg->docs[i].id);
        st = write_doc(out, pg, &pg->docs[i], err);
        fputs("</section>\n", out);
    }
    fputs("</main>\n</body>\n</html>\n", out);
    return st;
}

ps_status ps_report_html_write(const char *dir, ps_error *err)
{
    cmark_gfm_core_extensions_ensure_registered();
    page pg = {.dir = dir};
    pg.parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (!pg.parser || !table)
        return ps_error_set(err, PS_ERR_INTERNAL, NULL, 0, 0,
                            "cmark-gfm has no table extension");
    cmark_parser_attach_syntax_extension(pg.parser, table);
    ps_status st = gather(&pg, err);
    for (size_t i = 0; i < pg.ndocs && st == PS_OK; i++)
        rewrite(&pg, pg.docs[i].root);
    char *path = st == PS_OK ? join(dir, "index.html") : NULL;
    if (st == PS_OK && !path)
        st = rp_nomem(err);
    ps_out_file *f = NULL;
    if (st == PS_OK)
        st = ps_out_file_open(path, &f, err);
    if (st == PS_OK) {
        st = write_page(ps_out_file_stream(f), &pg, err);
        if (st == PS_OK && ferror(ps_out_file_stream(f)))
            st = ps_error_set(err, PS_ERR_IO, path, 0, 0,
                              "cannot write the page");
        if (st == PS_OK)
            st = ps_out_file_commit(&f, err);
        else
            ps_out_file_discard(&f);
    }
    free(path);
    for (size_t i = 0; i < pg.ndocs; i++) {
        if (pg.docs[i].root)
            cmark_node_free(pg.docs[i].root);
        free(pg.docs[i].name);
    }
    cmark_parser_free(pg.parser);
    return st;
}
