/*
 * Text inputs are UTF-8 without NUL bytes: checked before any parser
 * sees them, so that no parser meets bytes it was not written for.
 */
#include <string.h>

#include "plansim/file.h"
#include "plansim/utf8.h"

size_t ps_text_invalid_at(const char *text, size_t len, const char **why)
{
    const char *nul = memchr(text, '\0', len);
    size_t n = nul ? (size_t)(nul - text) : len;
    size_t bad = ps_utf8_invalid_at(text, n);
    if (why)
        *why = bad < n ? "a byte that starts no UTF-8 character"
               : nul   ? "a NUL byte (this is not a text file)"
                       : NULL;
    return bad < n ? bad : n;
}

ps_status ps_text_check(const char *path, const char *text, size_t len,
                        ps_error *err)
{
    const char *why;
    size_t at = ps_text_invalid_at(text, len, &why);
    if (at == len)
        return PS_OK;
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n') {
            line++;
            line_start = i + 1;
        }
    int column = (int)ps_utf8_count(text + line_start, at - line_start) + 1;
    if (text[at] == '\0')
        return ps_error_set(err, PS_ERR_DATA, path, line, column,
                            "not UTF-8 text: %s", why);
    return ps_error_set(err, PS_ERR_DATA, path, line, column,
                        "not UTF-8 text: byte 0x%02X starts no UTF-8 "
                        "character (save the file as UTF-8)",
                        (unsigned char)text[at]);
}
