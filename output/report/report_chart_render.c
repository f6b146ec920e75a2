/*
 * The report's SVG charts as PNG (twice their size, for print) and PDF,
 * drawn by librsvg on cairo surfaces.  Text goes through fontconfig to
 * the font the SVGs name first; the check below makes a missing font an
 * error rather than a silent fallback to whatever the machine has.
 */
#include "report_impl.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <librsvg/rsvg.h>
#include <png.h>
#include <zlib.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/file.h"
#include "plansim_output/out_file.h"
#include "plansim_output/report_formats.h"

enum { PNG_SCALE = 2 };
#define SVG_MAX_BYTES (64u << 20)
#define PT_PER_PX 0.75 /* 72 points to the inch, 96 pixels */

/* Non-zero when fontconfig's best match for `family` in `weight` is that
   family itself, not a substitute. */
static int font_installed(FcConfig *fc, const char *family, int weight)
{
    FcPattern *want = FcPatternCreate();
    if (!want)
        return 0;
    FcPatternAddString(want, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(want, FC_WEIGHT, weight);
    FcConfigSubstitute(fc, want, FcMatchPattern);
    FcDefaultSubstitute(want);
    FcResult res;
    FcPattern *got = FcFontMatch(fc, want, &res);
    int ok = 0;
    if (got) {
        FcChar8 *name;
        int w;
        for (int i = 0; !ok && FcPatternGetString(got, FC_FAMILY, i, &name) ==
                                   FcResultMatch;
             i++)
            ok = strcmp((const char *)name, family) == 0;
        if (ok && FcPatternGetInteger(got, FC_WEIGHT, 0, &w) == FcResultMatch)
            ok = w == weight;
        FcPatternDestroy(got);
    }
    FcPatternDestroy(want);
    return ok;
}

ps_status ps_report_chart_font_check(ps_error *err)
{
    FcConfig *fc = FcInitLoadConfigAndFonts();
    if (!fc)
        return ps_error_set(err, PS_ERR_UNAVAILABLE, NULL, 0, 0,
                            "fontconfig could not load its configuration");
    int regular = font_installed(fc, PS_REPORT_CHART_FONT, FC_WEIGHT_REGULAR);
    int bold = font_installed(fc, PS_REPORT_CHART_FONT, FC_WEIGHT_BOLD);
    FcConfigDestroy(fc);
    if (!regular || !bold)
        return ps_error_set(err, PS_ERR_UNAVAILABLE, NULL, 0, 0,
                            "the font '%s'%s is not installed (Debian "
                            "package fonts-noto-cjk); the charts need it "
                            "for PNG and PDF",
                            PS_REPORT_CHART_FONT, regular ? " Bold" : "");
    return PS_OK;
}

/* "dir/name" with its ".svg" replaced by `ext`, or NULL when out of
   memory. */
static char *sibling(const char *dir, const char *svg_name, const char *ext)
{
    size_t n = strlen(svg_name);
    if (n > 4 && strcmp(svg_name + n - 4, ".svg") == 0)
        n -= 4;
    size_t d = strlen(dir);
    char *p = malloc(d + n + strlen(ext) + 2);
    if (p)
        sprintf(p, "%s/%.*s%s", dir, (int)n, svg_name, ext);
    return p;
}

static cairo_status_t to_stream(void *closure, const unsigned char *data,
                                unsigned int length)
{
    return fwrite(data, 1, length, closure) == length
               ? CAIRO_STATUS_SUCCESS
               : CAIRO_STATUS_WRITE_ERROR;
}

/* Draws the document on `cr` over width x height user units. */
static ps_status draw(RsvgHandle *svg, cairo_t *cr, double width, double height,
                      const char *path, ps_error *err)
{
    RsvgRectangle viewport = {0, 0, width, height};
    GError *gerr = NULL;
    if (!rsvg_handle_render_document(svg, cr, &viewport, &gerr)) {
        ps_status st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                                    "librsvg cannot draw the chart: %s",
                                    gerr ? gerr->message : "unknown error");
        if (gerr)
            g_error_free(gerr);
        return st;
    }
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "cairo cannot draw the chart: %s",
                            cairo_status_to_string(cairo_status(cr)));
    return PS_OK;
}

/* Finishes writing `f` (committed when st is PS_OK, else discarded);
   a write failure names `path`. */
static ps_status finish(ps_out_file **f, ps_status st, const char *path,
                        ps_error *err)
{
    if (st == PS_OK)
        return ps_out_file_commit(f, err);
    ps_out_file_discard(f);
    if (st == PS_ERR_IO)
        ps_error_set(err, st, path, 0, 0, "cannot write the chart");
    return st;
}

/* The ARGB32 surface (opaque: every chart paints a white page first;
   any other alpha is composed over white) as 8-bit RGB through libpng.
   Every row is filtered with "up", which suits charts of flat colour:
   files as small as with libpng's adaptive filters (cairo's writer) in
   half the time. */
static ps_status png_encode(cairo_surface_t *s, FILE *out)
{
    int w = cairo_image_surface_get_width(s);
    int h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *data = cairo_image_surface_get_data(s);
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    unsigned char *row = malloc((size_t)w * 3);
    if (!png || !info || !row) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return PS_ERR_NOMEM;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(row);
        return PS_ERR_IO;
    }
    png_init_io(png, out);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
    png_set_compression_strategy(png, Z_DEFAULT_STRATEGY);
    png_set_compression_level(png, 6);
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *px = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            /* premultiplied: colour + (255 - alpha) of white */
            uint32_t p = px[x], white = 255 - (p >> 24);
            row[3 * x] = (unsigned char)(((p >> 16) & 255) + white);
            row[3 * x + 1] = (unsigned char)(((p >> 8) & 255) + white);
            row[3 * x + 2] = (unsigned char)((p & 255) + white);
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    free(row);
    return PS_OK;
}

static ps_status write_png(RsvgHandle *svg, double w, double h,
                           const char *svg_path, const char *path,
                           ps_error *err)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                                    (int)(w * PNG_SCALE + 0.5),
                                                    (int)(h * PNG_SCALE + 0.5));
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return rp_nomem(err);
    }
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, PNG_SCALE, PNG_SCALE);
    ps_status st = draw(svg, cr, w, h, svg_path, err);
    cairo_destroy(cr);
    ps_out_file *f = NULL;
    if (st == PS_OK)
        st = ps_out_file_open(path, &f, err);
    if (st == PS_OK) {
        cairo_surface_flush(s);
        st = png_encode(s, ps_out_file_stream(f));
        if (st == PS_ERR_NOMEM) {
            ps_out_file_discard(&f);
            st = rp_nomem(err);
        } else {
            st = finish(&f, st, path, err);
        }
    }
    cairo_surface_destroy(s);
    return st;
}

static ps_status write_pdf(RsvgHandle *svg, double w, double h,
                           const char *svg_path, const char *path,
                           ps_error *err)
{
    ps_out_file *f = NULL;
    ps_status st = ps_out_file_open(path, &f, err);
    if (st != PS_OK)
        return st;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(
        to_stream, ps_out_file_stream(f), w * PT_PER_PX, h * PT_PER_PX);
    /* No creation date: the same chart gives the same bytes. */
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "plansim");
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, PT_PER_PX, PT_PER_PX);
    st = draw(svg, cr, w, h, svg_path, err);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (st == PS_OK && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = PS_ERR_IO;
    cairo_surface_destroy(s);
    return finish(&f, st, path, err);
}

ps_status ps_report_chart_render(const char *dir, const char *svg_name,
                                 ps_error *err)
{
    char *svg_path = sibling(dir, svg_name, ".svg");
    char *png_path = sibling(dir, svg_name, ".png");
    char *pdf_path = sibling(dir, svg_name, ".pdf");
    char *data = NULL;
    size_t len = 0;
    RsvgHandle *svg = NULL;
    ps_status st = PS_OK;
    if (!svg_path || !png_path || !pdf_path)
        st = rp_nomem(err);
    if (st == PS_OK)
        st = ps_file_read_regular(svg_path, SVG_MAX_BYTES, &data, &len, err);
    if (st == PS_OK) {
        GError *gerr = NULL;
        svg = rsvg_handle_new_from_data((const guint8 *)data, len, &gerr);
        if (!svg) {
            st = ps_error_set(err, PS_ERR_DATA, svg_path, 0, 0,
                              "librsvg cannot read the chart: %s",
                              gerr ? gerr->message : "unknown error");
            if (gerr)
                g_error_free(gerr);
        }
    }
    double w = 0, h = 0;
    if (st == PS_OK) {
        rsvg_handle_set_dpi(svg, 96);
        if (!rsvg_handle_get_intrinsic_size_in_pixels(svg, &w, &h) ||
            !(w >= 1 && h >= 1 && w <= 16384 && h <= 16384))
            st = ps_error_set(err, PS_ERR_DATA, svg_path, 0, 0,
                              "the chart has no width and height in "
                              "pixels");
    }
    if (st == PS_OK)
        st = write_png(svg, w, h, svg_path, png_path, err);
    if (st == PS_OK)
        st = write_pdf(svg, w, h, svg_path, pdf_path, err);
    if (svg)
        g_object_unref(svg);
    free(data);
    free(svg_path);
    free(png_path);
    free(pdf_path);
    return st;
}
