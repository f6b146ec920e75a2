/*
 * Quoting a field of delimited text for writing (see csv.h): the one
 * rule every CSV and tab-separated writer of plansim follows.
 */
#include "plansim/csv.h"

int ps_csv_needs_quotes(const char *text, char sep)
{
    for (const char *p = text ? text : ""; *p; p++)
        if (*p == sep || *p == '"' || *p == '\n' || *p == '\r')
            return 1;
    return 0;
}

void ps_csv_write_field(FILE *out, const char *text, char sep)
{
    text = text ? text : "";
    if (!ps_csv_needs_quotes(text, sep)) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out); /* a quote inside is written twice */
        fputc(*p, out);
    }
    fputc('"', out);
}
