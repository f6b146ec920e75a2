/*
 * The report's other formats, made after its Markdown, CSV and SVG files
 * exist: the charts' PNG and PDF, index.html and report.xlsx.  One
 * failing format leaves the others to be written.
 */
#include "report_impl.h"

#include <stdio.h>
#include <string.h>

#include "plansim_output/report_formats.h"

/* Keeps the first error; a later one is only counted. */
static void keep_first(ps_status st, const ps_error *e, ps_status *first,
                       ps_error *err, size_t *failed)
{
    if (st == PS_OK)
        return;
    if (*first == PS_OK) {
        *first = st;
        if (err)
            *err = *e;
    }
    (*failed)++;
}

ps_status ps_report_formats_write(const char *dir,
                                  const char *const *chart_names,
                                  size_t ncharts, const char *const *csv_names,
                                  size_t ncsv, ps_error *err)
{
    ps_status first = PS_OK;
    size_t failed = 0;
    ps_error e;
    ps_status st = ncharts ? ps_report_chart_font_check(&e) : PS_OK;
    if (st != PS_OK) {
        keep_first(st, &e, &first, err, &failed);
    } else {
        for (size_t i = 0; i < ncharts; i++)
            keep_first(ps_report_chart_render(dir, chart_names[i], &e), &e,
                       &first, err, &failed);
    }
    keep_first(ps_report_html_write(dir, &e), &e, &first, err, &failed);
    keep_first(ps_report_xlsx_write(dir, csv_names, ncsv, &e), &e, &first, err,
               &failed);
    if (first != PS_OK && err) {
        char tail[160];
        snprintf(tail, sizeof tail, "%s; the rest of the report is written",
                 failed > 1 ? " (and other formats failed)" : "");
        size_t n = strlen(err->message);
        snprintf(err->message + n, sizeof err->message - n, "%s", tail);
    }
    return first;
}
