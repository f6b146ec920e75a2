/*
 * Text for the report files: escaping for XML, CSV and Markdown, display
 * widths of Chinese text, numbers for people, and lookups in a summary.
 */
#include "report_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plansim/csv.h"
#include "plansim/utf8.h"
#include "plansim_output/prob_text.h"
#include "plansim_output/table.h"

/* ---- UTF-8 ---------------------------------------------------------------- */

size_t rp_width(const char *s)
{
    return ps_utf8_width(s);
}

/* Is the character at p[0..n) invalid UTF-8 (ps_utf8_next's one-byte
   U+FFFD)? */
static int invalid(size_t n, unsigned cp)
{
    return n == 1 && cp == 0xFFFD;
}

/* The width of code point cp in a proportional font, in em: a wide
   (CJK) character fills the em square, others about half of it. */
static double em_width(unsigned cp)
{
    return ps_uc_width(cp) == 2 ? 1.0 : 0.56;
}

double rp_text_em(const char *s)
{
    double em = 0;
    s = s ? s : "";
    for (size_t i = 0, len = strlen(s); i < len;) {
        unsigned cp;
        i += ps_utf8_next(s + i, len - i, &cp);
        em += em_width(cp);
    }
    return em;
}

char *rp_fit_text(const char *s, double max_em, char *buf, size_t size)
{
    static const char ellipsis[] = "\u2026";
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t len = strlen((const char *)p);
    if (size < sizeof ellipsis) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    if (rp_text_em((const char *)p) <= max_em && len < size) {
        memcpy(buf, p, len + 1);
        return buf;
    }
    /* Room for the ellipsis (one wide character) and the NUL. */
    double em = 1.0;
    size_t keep = 0;
    while (p[keep]) {
        unsigned cp;
        size_t n = ps_utf8_next((const char *)p + keep, len - keep, &cp);
        double w = em_width(cp);
        if (em + w > max_em || keep + n + sizeof ellipsis > size)
            break;
        em += w;
        keep += n;
    }
    memcpy(buf, p, keep);
    memcpy(buf + keep, ellipsis, sizeof ellipsis);
    return buf;
}

/* ---- escaping ----------------------------------------------------------- */

void rp_xml(FILE *out, const char *s)
{
    const char *p = s ? s : "";
    for (size_t len = strlen(p); *p;) {
        unsigned cp;
        size_t n = ps_utf8_next(p, len, &cp);
        if (invalid(n, cp)) {
            fputs("\xEF\xBF\xBD", out); /* U+FFFD for a stray byte */
            p++, len--;
            continue;
        }
        switch (cp) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            /* XML 1.0 allows no control characters but tab and line ends,
               and neither U+FFFE nor U+FFFF; in a label a space does. */
            if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
                cp == 0xFFFE || cp == 0xFFFF)
                fputc(' ', out);
            else
                fwrite(p, 1, n, out);
        }
        p += n, len -= n;
    }
}

void rp_csv(FILE *out, const char *s)
{
    ps_csv_write_field(out, s, ',');
}

void rp_csv_num(FILE *out, double v)
{
    char buf[PS_TABLE_NUMBER_MAX];
    fputs(ps_table_format_number(v, buf), out);
}

char *rp_md(const char *s)
{
    s = s ? s : "";
    char *out = malloc(2 * strlen(s) + 1);
    if (!out)
        return NULL;
    char *q = out;
    /* At the start of a line, > opens a quote and # a heading; elsewhere
       > is plain text (< is escaped, so no HTML tag can form). */
    if (*s == '>' || *s == '#')
        *q++ = '\\';
    const char *end = s + strlen(s);
    unsigned last = 0; /* the last character written, 0 at the start */
    while (*s) {
        if (*s == '\n' || *s == '\r') {
            while (*s == '\n' || *s == '\r')
                s++;
            unsigned next = 0;
            if (*s)
                ps_utf8_next(s, (size_t)(end - s), &next);
            int join = !*s || (last && ps_uc_width(last) == 2 &&
                               ps_uc_width(next) == 2);
            if (!join)
                *q++ = ' ';
            last = ' ';
            continue;
        }
        if (*s == '\t') {
            *q++ = ' ';
            last = ' ';
            s++;
            continue;
        }
        if (strchr("\\`*[]<|", *s))
            *q++ = '\\';
        size_t len = ps_utf8_next(s, (size_t)(end - s), &last);
        memcpy(q, s, len);
        q += len;
        s += len;
    }
    *q = '\0';
    return out;
}

/* ---- numbers ------------------------------------------------------------ */

int rp_decimals(const double *v, size_t n)
{
    double most = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]) && fabs(v[i]) > most)
            most = fabs(v[i]);
    if (most == 0.0)
        return 0;
    if (most < 1e-4 || most >= 1e15)
        return -1;
    int mag = (int)floor(log10(most));
    return mag >= 3 ? 0 : 3 - mag;
}

char *rp_num(double v, int decimals, char buf[RP_NUM_MAX])
{
    if (isnan(v))
        snprintf(buf, RP_NUM_MAX, "n/a");
    else if (decimals < 0 || isinf(v))
        snprintf(buf, RP_NUM_MAX, "%.4g", v);
    else
        snprintf(buf, RP_NUM_MAX, "%.*f", decimals, v);
    /* A negative value that rounds to zero prints without its sign. */
    if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
        memmove(buf, buf + 1, strlen(buf));
    return buf;
}

char *rp_exact(double v, char buf[RP_NUM_MAX])
{
    if (isnan(v)) {
        snprintf(buf, RP_NUM_MAX, "n/a");
        return buf;
    }
    char tmp[PS_TABLE_NUMBER_MAX];
    snprintf(buf, RP_NUM_MAX, "%s", ps_table_format_number(v, tmp));
    return buf;
}

char *rp_pct(double p, char buf[RP_NUM_MAX])
{
    return ps_prob_text(p, PS_PROB_PERCENT, buf, RP_NUM_MAX);
}

char *rp_ess(double ess, char buf[RP_NUM_MAX])
{
    return rp_num(ess, fabs(ess) >= 100 ? 0 : 1, buf);
}

char *rp_time(double t, char buf[RP_NUM_MAX])
{
    snprintf(buf, RP_NUM_MAX, "%.10g", t);
    return buf;
}

/* ---- summaries ------------------------------------------------------------ */

void rp_rule(char *buf, size_t size, const ps_h5_target_summary *t)
{
    char lo[RP_NUM_MAX], hi[RP_NUM_MAX];
    rp_exact(t->lo, lo);
    rp_exact(t->hi, hi);
    switch (t->compare) {
    case PS_SC_AT_LEAST:
        snprintf(buf, size, "\u2265 %s", lo);
        break;
    case PS_SC_AT_MOST:
        snprintf(buf, size, "\u2264 %s", hi);
        break;
    case PS_SC_BETWEEN:
        snprintf(buf, size, "%s – %s", lo, hi);
        break;
    default:
        snprintf(buf, size, "?");
    }
}

const char *rp_kind_zh(int binding)
{
    return binding ? "约束性" : "预期性";
}

int rp_time_is_year(const ps_h5_summary *s)
{
    const char *u = s->time_units ? s->time_units : "";
    return strcasecmp(u, "year") == 0 || strcasecmp(u, "years") == 0 ||
           strcasecmp(u, "yr") == 0 || strcmp(u, "年") == 0;
}

double rp_quantile(const ps_h5_summary *s, const ps_h5_var_summary *v,
                   double p, size_t t)
{
    for (size_t k = 0; k < s->nquantiles; k++)
        if (fabs(s->quantiles[k] - p) < 1e-9)
            return v->quantiles[k * s->ntimes + t];
    return NAN;
}

const ps_h5_var_summary *rp_find_var(const ps_h5_summary *s,
                                     const char *model_name)
{
    for (size_t v = 0; model_name && v < s->nvars; v++)
        if (strcmp(s->vars[v].model_name, model_name) == 0)
            return &s->vars[v];
    return NULL;
}

long rp_time_index(const ps_h5_summary *s, double t)
{
    /* Saved times are computed as start + i * saveper: allow rounding. */
    double tol = 1e-9 * (fabs(t) > 1.0 ? fabs(t) : 1.0);
    for (size_t i = 0; i < s->ntimes; i++)
        if (fabs(s->times[i] - t) <= tol)
            return (long)i;
    return -1;
}

const char *rp_var_title(const ps_h5_var_summary *v)
{
    return v->long_name && *v->long_name ? v->long_name : v->model_name;
}

int rp_is_calibrated(const ps_h5_summary *s)
{
    return s->calibration_file && *s->calibration_file;
}

ps_status rp_finish(FILE *out, ps_error *err)
{
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the report");
    return PS_OK;
}

ps_status rp_nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}
