/*
 * A1-style cell references: "B12", "$B$12", "xfd1048576".
 */
#include <stdio.h>
#include <string.h>

#include "sheet_impl.h"

int sheet_ref_parse(const char *s, size_t n, size_t *row, size_t *col)
{
    size_t i = 0, c = 0, r = 0, letters = 0, digits = 0;
    if (i < n && s[i] == '$')
        i++;
    for (; i < n && letters < 4; i++, letters++) {
        char ch = s[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z')
            break;
        c = 26 * c + (size_t)(ch - 'A' + 1);
    }
    if (letters == 0 || c > PS_SHEET_MAX_COLS)
        return -1;
    if (i < n && s[i] == '$')
        i++;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && digits < 8; i++, digits++)
        r = 10 * r + (size_t)(s[i] - '0');
    if (i != n || digits == 0 || r == 0 || r > PS_SHEET_MAX_ROWS)
        return -1;
    *row = r - 1;
    *col = c - 1;
    return 0;
}

int ps_cell_ref_parse(const char *ref, size_t *row, size_t *col)
{
    if (!ref)
        return -1;
    return sheet_ref_parse(ref, strlen(ref), row, col);
}

const char *sheet_ref_format(size_t row, size_t col, char *buf)
{
    char letters[8];
    int n = 0, o = 0;
    for (size_t c = col + 1; c > 0 && n < 7; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    while (n > 0)
        buf[o++] = letters[--n];
    snprintf(buf + o, SHEET_REF_MAX - (size_t)o, "%zu", row + 1);
    return buf;
}
