/*
 * The display width of UTF-8 text: how many terminal columns it takes
 * (plansim/utf8.h).  East Asian wide and fullwidth characters take two,
 * combining marks and other zero-width code points none, control
 * characters none.
 */
#include <string.h>

#include "plansim/utf8.h"

/* Wide (two-column) code points: East Asian Wide and Fullwidth. */
static const unsigned wide[][2] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},
    {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Zero-width code points: combining marks, joiners, variation selectors. */
static const unsigned zero[][2] = {
    {0x0300, 0x036F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x200B, 0x200F},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

static int in_table(unsigned cp, const unsigned (*t)[2], size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= t[i][0] && cp <= t[i][1])
            return 1;
    return 0;
}

size_t ps_utf8_width(const char *s)
{
    size_t n = strlen(s), w = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        i += ps_utf8_next(s + i, n - i, &cp);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||
            in_table(cp, zero, sizeof zero / sizeof zero[0]))
            continue;
        w += in_table(cp, wide, sizeof wide / sizeof wide[0]) ? 2 : 1;
    }
    return w;
}
