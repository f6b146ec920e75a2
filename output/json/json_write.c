/*
 * The JSON writer: escaping, numbers and layout (plansim_output/json.h).
 */
#include "plansim_output/json.h"

#include <math.h>
#include <string.h>
#include <unistr.h>

#include "plansim_output/table.h"

void ps_json_write_string(FILE *out, const char *s)
{
    const uint8_t *p = (const uint8_t *)(s ? s : "");
    const uint8_t *end = p + strlen((const char *)p);
    fputc('"', out);
    while (p < end) {
        ucs4_t c;
        int n = u8_mbtouc(&c, p, (size_t)(end - p));
        if (c == 0xFFFD && u8_check(p, (size_t)n) != NULL) {
            fputs("\\ufffd", out); /* not UTF-8: the replacement char */
            p += n;
            continue;
        }
        switch (c) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (c < 0x20)
                fprintf(out, "\\u%04x", (unsigned)c);
            else
                fwrite(p, 1, (size_t)n, out);
        }
        p += n;
    }
    fputc('"', out);
}

void ps_json_write_number(FILE *out, double v)
{
    char buf[PS_TABLE_NUMBER_MAX];
    if (!isfinite(v))
        fputs("null", out);
    else
        fputs(ps_table_format_number(v == 0 ? 0.0 : v, buf), out);
}

void ps_json_init(ps_json *j, FILE *out)
{
    memset(j, 0, sizeof *j);
    j->out = out;
}

/* Levels deeper than PS_JSON_MAX_DEPTH share the last slot. */
static int level_of(int depth)
{
    return depth < PS_JSON_MAX_DEPTH ? depth : PS_JSON_MAX_DEPTH - 1;
}

static void indent(ps_json *j)
{
    fputc('\n', j->out);
    for (int i = 0; i < j->depth; i++)
        fputs("  ", j->out);
}

/* Before a value: the comma and line break an array item needs, nothing
   after a key (its ": " is written). */
static void before_value(ps_json *j)
{
    if (j->after_key) {
        j->after_key = 0;
        return;
    }
    if (j->depth > 0) {
        int level = level_of(j->depth - 1);
        if (j->nonempty[level])
            fputc(',', j->out);
        j->nonempty[level] = 1;
        indent(j);
    }
}

static void open(ps_json *j, char c)
{
    before_value(j);
    fputc(c, j->out);
    j->nonempty[level_of(j->depth)] = 0;
    j->is_array[level_of(j->depth)] = c == '[';
    j->depth++;
}

void ps_json_object(ps_json *j)
{
    open(j, '{');
}

void ps_json_array(ps_json *j)
{
    open(j, '[');
}

void ps_json_end(ps_json *j)
{
    j->depth--;
    int level = level_of(j->depth);
    if (j->nonempty[level])
        indent(j);
    fputc(j->is_array[level] ? ']' : '}', j->out);
    if (j->depth == 0)
        fputc('\n', j->out);
}

void ps_json_key(ps_json *j, const char *key)
{
    before_value(j);
    ps_json_write_string(j->out, key);
    fputs(": ", j->out);
    j->after_key = 1;
}

void ps_json_string(ps_json *j, const char *s)
{
    before_value(j);
    if (s)
        ps_json_write_string(j->out, s);
    else
        fputs("null", j->out);
}

void ps_json_number(ps_json *j, double v)
{
    before_value(j);
    ps_json_write_number(j->out, v);
}

void ps_json_integer(ps_json *j, long long v)
{
    before_value(j);
    fprintf(j->out, "%lld", v);
}

void ps_json_bool(ps_json *j, int v)
{
    before_value(j);
    fputs(v ? "true" : "false", j->out);
}

void ps_json_null(ps_json *j)
{
    before_value(j);
    fputs("null", j->out);
}

void ps_json_numbers(ps_json *j, const double *v, size_t n)
{
    before_value(j);
    fputc('[', j->out);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", j->out);
        ps_json_write_number(j->out, v[i]);
    }
    fputc(']', j->out);
}

void ps_json_member_string(ps_json *j, const char *key, const char *s)
{
    ps_json_key(j, key);
    ps_json_string(j, s);
}

void ps_json_member_number(ps_json *j, const char *key, double v)
{
    ps_json_key(j, key);
    ps_json_number(j, v);
}

void ps_json_member_integer(ps_json *j, const char *key, long long v)
{
    ps_json_key(j, key);
    ps_json_integer(j, v);
}

void ps_json_member_bool(ps_json *j, const char *key, int v)
{
    ps_json_key(j, key);
    ps_json_bool(j, v);
}
