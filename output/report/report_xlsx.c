/*
 * report.xlsx: the report's CSV files as one workbook, written by
 * libxlsxwriter.  Each CSV is read back with the project's CSV reader and
 * becomes a sheet; a field is stored as a number exactly when it is
 * written as the CSV writes numbers (the shortest text that reads back),
 * so the workbook holds the CSV's numbers and never turns a name, a hash
 * or a year range into one.  Formats change how numbers show, not what
 * they are.
 */
#include "report_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "plansim/csv.h"
#include "plansim/file.h"
#include "plansim/output_file.h"
#include "plansim_output/report_formats.h"
#include "plansim_output/table.h"

#define CSV_MAX_BYTES (256u << 20)
#define MAX_FORMATS 64

/* One CSV file in memory: rows of fields (row 0 the header). */
typedef struct sheet {
    char ***cells; /* [nrow][ncol]; a short row's missing cells are NULL */
    size_t nrow, ncol, cap;
} sheet;

typedef struct formats {
    lxw_workbook *wb;
    lxw_format *header;
    char *names[MAX_FORMATS];
    lxw_format *fmt[MAX_FORMATS];
    size_t n;
} formats;

static void sheet_free(sheet *s)
{
    for (size_t r = 0; r < s->nrow; r++) {
        for (size_t c = 0; c < s->ncol; c++)
            free(s->cells[r][c]);
        free(s->cells[r]);
    }
    free(s->cells);
    memset(s, 0, sizeof *s);
}

/* Appends the record in `row` (the header fixes the column count; extra
   fields of a longer row are kept by widening). */
static int sheet_add(sheet *s, const ps_csv_row *row)
{
    if (s->nrow == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        char ***c = realloc(s->cells, cap * sizeof *c);
        if (!c)
            return -1;
        s->cells = c;
        s->cap = cap;
    }
    if (row->n > s->ncol) {
        for (size_t r = 0; r < s->nrow; r++) {
            char **w = realloc(s->cells[r], row->n * sizeof *w);
            if (!w)
                return -1;
            memset(w + s->ncol, 0, (row->n - s->ncol) * sizeof *w);
            s->cells[r] = w;
        }
        s->ncol = row->n;
    }
    char **cells = calloc(s->ncol ? s->ncol : 1, sizeof *cells);
    if (!cells)
        return -1;
    s->cells[s->nrow++] = cells;
    for (size_t i = 0; i < row->n; i++)
        if (!(cells[i] = strdup(ps_csv_field_text(row, i))))
            return -1;
    return 0;
}

static ps_status sheet_read(const char *path, sheet *s, ps_error *err)
{
    char *text = NULL;
    size_t len = 0;
    ps_status st = ps_file_read_regular(path, CSV_MAX_BYTES, &text, &len, err);
    if (st != PS_OK)
        return st;
    ps_csv_reader rd;
    ps_csv_row row = {0};
    ps_csv_reader_init(&rd, text, len, ',', path);
    while ((st = ps_csv_read_row(&rd, &row, err)) == PS_OK && row.n > 0) {
        if (row.n == 1 && row.fields[0].len == 0 && !row.fields[0].quoted)
            continue; /* a blank line */
        if (sheet_add(s, &row) != 0) {
            st = rp_nomem(err);
            break;
        }
    }
    ps_csv_row_free(&row);
    free(text);
    if (st == PS_OK && s->nrow == 0)
        st = ps_error_set(err, PS_ERR_DATA, path, 1, 1,
                          "the table has no header row");
    return st;
}

/* Non-zero, with *v, when `s` is a number written as the CSV writes
   numbers: finite, and its shortest exact form is `s` itself. */
static int csv_number(const char *s, double *v)
{
    if (!s || !*s)
        return 0;
    char *end;
    *v = strtod(s, &end);
    if (*end != '\0' || !isfinite(*v))
        return 0;
    char buf[PS_TABLE_NUMBER_MAX];
    return strcmp(ps_table_format_number(*v, buf), s) == 0;
}

/* Non-zero when numbers under this name are probabilities or shares:
   a probability, its interval (ci_low, ci_high), a share of the
   observations inside a band (inside_50). */
static int is_share(const char *name)
{
    return name &&
           (strstr(name, "probability") || strstr(name, "share") ||
            strncmp(name, "inside_", 7) == 0 || strncmp(name, "ci_", 3) == 0);
}

/* Non-zero for a Sobol' index or its interval (S1, ST_low, ...): shown
   with three decimals, as the report rounds them. */
static int is_index(const char *name)
{
    return name &&
           (strcmp(name, "S1") == 0 || strcmp(name, "ST") == 0 ||
            strncmp(name, "S1_", 3) == 0 || strncmp(name, "ST_", 3) == 0);
}

static long column_named(const sheet *s, const char *name)
{
    for (size_t c = 0; c < s->ncol; c++)
        if (s->cells[0][c] && strcmp(s->cells[0][c], name) == 0)
            return (long)c;
    return -1;
}

static lxw_format *number_format(formats *f, const char *num_format)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->names[i], num_format) == 0)
            return f->fmt[i];
    if (f->n == MAX_FORMATS)
        return NULL;
    lxw_format *x = workbook_add_format(f->wb);
    format_set_num_format(x, num_format);
    f->names[f->n] = strdup(num_format);
    f->fmt[f->n] = x;
    if (!f->names[f->n])
        return NULL;
    f->n++;
    return x;
}

/* The cells whose numbers are shown alike: same column, same `key`
   field (the row's name), and in a long table the same statistic. */
static int same_group(const sheet *s, size_t a, size_t b, size_t col, long key,
                      long stat, long value)
{
    if (key >= 0) {
        const char *x = s->cells[a][key], *y = s->cells[b][key];
        if (strcmp(x ? x : "", y ? y : "") != 0)
            return 0;
    }
    if (stat >= 0 && (long)col == value) {
        const char *x = s->cells[a][stat], *y = s->cells[b][stat];
        if (strcmp(x ? x : "", y ? y : "") != 0)
            return 0;
    }
    return 1;
}

/* The number format of cell (r, c), which holds a number: percent for a
   share, whole numbers without decimals, else the decimals that show
   the group's largest value with four significant digits. */
static lxw_format *cell_format(formats *f, const sheet *s, size_t r, size_t c,
                               long key, long stat, long value, double *vals)
{
    const char *name = s->cells[0][c];
    if (stat >= 0 && (long)c == value)
        name = s->cells[r][stat];
    if (is_share(name))
        return number_format(f, "0.0%");
    if (is_index(name))
        return number_format(f, "0.000");
    size_t n = 0;
    int whole = 1;
    for (size_t q = 1; q < s->nrow; q++) {
        double v;
        if (!same_group(s, r, q, c, key, stat, value) ||
            !csv_number(s->cells[q][c], &v))
            continue;
        vals[n++] = v;
        if (v != floor(v) || fabs(v) >= 1e15)
            whole = 0;
    }
    if (whole)
        return number_format(f, "0");
    int d = rp_decimals(vals, n);
    if (d < 0)
        return number_format(f, "0.000E+00");
    char fmt[32] = "0";
    if (d > 0) {
        if (d > 15)
            d = 15;
        strcat(fmt, ".");
        for (int i = 0; i < d; i++)
            strcat(fmt, "0");
    }
    return number_format(f, fmt);
}

/* The sheet name: the file name without ".csv", cut to Excel's 31
   characters at a character boundary. */
static void sheet_name(const char *csv_name, char *buf, size_t size)
{
    size_t n = strlen(csv_name);
    if (n > 4 && strcmp(csv_name + n - 4, ".csv") == 0)
        n -= 4;
    if (n >= size)
        n = size - 1;
    memcpy(buf, csv_name, n);
    buf[n] = '\0';
    /* 31 characters, not bytes */
    size_t chars = 0, i = 0;
    for (; buf[i]; i++)
        if (((unsigned char)buf[i] & 0xC0) != 0x80 && ++chars > 31)
            break;
    buf[i] = '\0';
    for (char *p = buf; *p; p++)
        if (strchr("[]:*?/\\", *p))
            *p = '_';
}

static ps_status add_sheet(formats *f, const char *csv_name, const sheet *s,
                           const char *path, ps_error *err)
{
    char name[128];
    sheet_name(csv_name, name, sizeof name);
    lxw_worksheet *ws = workbook_add_worksheet(f->wb, name);
    if (!ws)
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "cannot make a sheet named '%s'", name);
    double *vals = malloc((s->nrow ? s->nrow : 1) * sizeof *vals);
    if (!vals)
        return rp_nomem(err);
    long key = column_named(s, "name");
    if (key < 0)
        key = column_named(s, "variable");
    long stat = column_named(s, "statistic"), value = column_named(s, "value");
    for (size_t c = 0; c < s->ncol; c++) {
        size_t widest = 6;
        for (size_t r = 0; r < s->nrow; r++) {
            const char *t = s->cells[r][c];
            double v;
            if (!t || !*t)
                continue;
            size_t w = rp_width(t);
            if (r > 0 && csv_number(t, &v)) {
                worksheet_write_number(
                    ws, (lxw_row_t)r, (lxw_col_t)c, v,
                    cell_format(f, s, r, c, key, stat, value, vals));
                w = w > 12 ? 12 : w;
            } else {
                worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, t,
                                       r == 0 ? f->header : NULL);
            }
            if (w > widest)
                widest = w;
        }
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
                             (double)(widest > 60 ? 60 : widest) + 2, NULL);
    }
    free(vals);
    worksheet_freeze_panes(ws, 1, 0);
    if (s->ncol > 0)
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)(s->nrow - 1),
                             (lxw_col_t)(s->ncol - 1));
    return PS_OK;
}

/* Syncs the finished workbook behind the write-only `fd` and checks it,
   read back through `fd_name`: a zip archive (it starts with a local file
   header).  0 or an errno. */
static int check_workbook(int fd, const char *fd_name)
{
    unsigned char head[4];
    if (fsync(fd) != 0 && errno != EINVAL)
        return errno;
    int rd = open(fd_name, O_RDONLY | O_CLOEXEC);
    if (rd < 0)
        return errno;
    int e = 0;
    if (read(rd, head, sizeof head) != (ssize_t)sizeof head ||
        memcmp(head, "PK\x03\x04", 4) != 0)
        e = EIO;
    close(rd);
    return e;
}

ps_status ps_report_xlsx_write(const char *dir, const char *const *csv_names,
                               size_t n, ps_error *err)
{
    size_t dl = strlen(dir);
    char *final = malloc(dl + 32), *partial = NULL;
    if (final) {
        sprintf(final, "%s/report.xlsx", dir);
        partial = ps_output_partial_name(final);
    }
    if (!final || !partial) {
        free(final);
        free(partial);
        return rp_nomem(err);
    }
    ps_status st = PS_OK;
    /* libxlsxwriter opens the file by name, truncating and following
       links: it is given the descriptor's own name instead, the file this
       process created exclusively. */
    int fd = ps_output_create_partial(partial, 0, err);
    if (fd < 0) {
        free(final);
        free(partial);
        return err ? err->status : PS_ERR_CANTCREAT;
    }
    char fd_name[64];
    snprintf(fd_name, sizeof fd_name, "/proc/self/fd/%d", fd);
    lxw_workbook_options wopt = {0};
    formats f = {0};
    f.wb = workbook_new_opt(fd_name, &wopt);
    if (!f.wb)
        st = ps_error_set(err, PS_ERR_CANTCREAT, partial, 0, 0,
                          "cannot create the workbook");
    if (st == PS_OK) {
        /* A fixed creation time: the same tables give the same bytes. */
        lxw_doc_properties props = {.author = "plansim",
                                    .created = 315532800 /* 1980-01-01 */};
        workbook_set_properties(f.wb, &props);
        f.header = workbook_add_format(f.wb);
        format_set_bold(f.header);
        format_set_bottom(f.header, LXW_BORDER_THIN);
        format_set_bg_color(f.header, 0xEEF2F7);
    }
    for (size_t i = 0; i < n && st == PS_OK; i++) {
        char *path = malloc(dl + strlen(csv_names[i]) + 2);
        if (!path) {
            st = rp_nomem(err);
            break;
        }
        sprintf(path, "%s/%s", dir, csv_names[i]);
        sheet s = {0};
        st = sheet_read(path, &s, err);
        if (st == PS_OK)
            st = add_sheet(&f, csv_names[i], &s, path, err);
        sheet_free(&s);
        free(path);
    }
    if (f.wb) {
        lxw_error e = workbook_close(f.wb);
        if (st == PS_OK && e == LXW_ERROR_MEMORY_MALLOC_FAILED)
            st = rp_nomem(err);
        else if (st == PS_OK && e != LXW_NO_ERROR)
            st = ps_error_set(err, PS_ERR_IO, partial, 0, 0,
                              "cannot write the workbook: %s", lxw_strerror(e));
    }
    int e = st == PS_OK ? check_workbook(fd, fd_name) : 0;
    if (close(fd) != 0 && !e)
        e = errno;
    if (st == PS_OK && e)
        st = ps_error_set(err, PS_ERR_IO, partial, 0, 0,
                          "cannot write the workbook: %s", strerror(e));
    if (st == PS_OK && rename(partial, final) != 0)
        st = ps_error_set(err, PS_ERR_IO, final, 0, 0,
                          "cannot rename the workbook into place: %s",
                          strerror(errno));
    if (st != PS_OK)
        remove(partial);
    for (size_t i = 0; i < f.n; i++)
        free(f.names[i]);
    free(final);
    free(partial);
    return st;
}
