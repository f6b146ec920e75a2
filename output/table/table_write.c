/*
 * Writing a series as a delimited table: RFC 4180 quoting of names and the
 * shortest decimal form of each number that reads back exactly.
 */
#include "plansim_output/table.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plansim/csv.h"
#include "plansim_output/out_file.h"

char ps_table_separator(ps_table_format fmt)
{
    return fmt == PS_TABLE_TAB ? '\t' : ',';
}

int ps_table_format_from_path(const char *path, ps_table_format *fmt)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return -1;
    if (strcasecmp(dot, ".csv") == 0) {
        *fmt = PS_TABLE_CSV;
        return 0;
    }
    if (strcasecmp(dot, ".tab") == 0 || strcasecmp(dot, ".tsv") == 0) {
        *fmt = PS_TABLE_TAB;
        return 0;
    }
    return -1;
}

char *ps_table_format_number(double v, char *buf)
{
    if (isnan(v)) {
        buf[0] = '\0';
        return buf;
    }
    if (isinf(v)) {
        strcpy(buf, v > 0 ? "inf" : "-inf");
        return buf;
    }
    /* 17 significant digits always round-trip a double; fewer usually do
       and read better, so take the first precision that gives v back. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, PS_TABLE_NUMBER_MAX, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    return buf;
}

ps_status ps_table_write(FILE *out, const ps_series *s, ps_table_format fmt,
                         const char *path, ps_error *err)
{
    char sep = ps_table_separator(fmt);
    char num[PS_TABLE_NUMBER_MAX];

    errno = 0;
    fputs("Time", out);
    for (size_t c = 0; c < s->ncols; c++) {
        fputc(sep, out);
        ps_csv_write_field(out, s->names[c], sep);
    }
    fputc('\n', out);
    for (size_t r = 0; r < s->nrows && !ferror(out); r++) {
        fputs(ps_table_format_number(s->time[r], num), out);
        for (size_t c = 0; c < s->ncols; c++) {
            fputc(sep, out);
            fputs(ps_table_format_number(ps_series_get(s, r, c), num), out);
        }
        fputc('\n', out);
    }
    /* Flush so that a full disk or a closed pipe shows up here, not later
       when nobody checks. */
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, path, 0, 0,
                            "cannot write the table: %s",
                            errno ? strerror(errno) : "write error");
    return PS_OK;
}

ps_status ps_table_write_file(const char *path, const ps_series *s,
                              ps_table_format fmt, ps_error *err)
{
    ps_out_file *f;
    ps_status st = ps_out_file_open(path, &f, err);
    if (st != PS_OK)
        return st;
    st = ps_table_write(ps_out_file_stream(f), s, fmt, path, err);
    if (st != PS_OK) {
        ps_out_file_discard(&f);
        return st;
    }
    return ps_out_file_commit(&f, err);
}
