/*
 * Locale-independent decimal numbers: the form is checked here, then
 * strtod converts it (correctly rounded) with the '.' respelled as the
 * current locale's decimal point.
 */
#include "plansim/number.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the decimal number at the start of s[0..n), with the
   position of its '.' in *dot (n when none); 0 when the form is wrong. */
static size_t decimal_form(const char *s, size_t n, size_t *dot)
{
    size_t k = 0, digits = 0;
    *dot = n;
    if (k < n && (s[k] == '+' || s[k] == '-'))
        k++;
    for (; k < n && is_digit(s[k]); k++)
        digits++;
    if (k < n && s[k] == '.') {
        *dot = k++;
        for (; k < n && is_digit(s[k]); k++)
            digits++;
    }
    if (digits == 0)
        return 0;
    if (k < n && (s[k] == 'e' || s[k] == 'E')) {
        k++;
        if (k < n && (s[k] == '+' || s[k] == '-'))
            k++;
        if (k == n || !is_digit(s[k]))
            return 0;
        while (k < n && is_digit(s[k]))
            k++;
    }
    return k;
}

int ps_parse_decimal(const char *s, size_t n, double *out)
{
    size_t dot;
    if (!s || n == 0 || decimal_form(s, n, &dot) != n)
        return -1;
    /* strtod follows LC_NUMERIC: spell the decimal point its way. */
    const char *point = localeconv()->decimal_point;
    size_t plen = point && *point ? strlen(point) : 0;
    char small[128];
    char *buf = n + plen < sizeof small ? small : malloc(n + plen + 1);
    if (!buf)
        return -1;
    size_t o = 0;
    for (size_t j = 0; j < n; j++) {
        if (j == dot && plen > 0) {
            memcpy(buf + o, point, plen);
            o += plen;
        } else {
            buf[o++] = s[j];
        }
    }
    buf[o] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    int ok = end == buf + o && !(errno == ERANGE && isinf(v));
    if (buf != small)
        free(buf);
    if (!ok)
        return -1;
    *out = v;
    return 0;
}
