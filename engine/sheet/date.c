/*
 * Dates and times written as ISO 8601 text, turned back into the serial
 * numbers spreadsheets store (libfreexl hands dates over as text, and
 * .xlsx may hold t="d" cells).
 *
 * Excel's 1900 system counts 1900-01-01 as day 1 and, like Lotus 1-2-3,
 * takes 1900 for a leap year: from 1900-03-01 on (day 61) a serial is the
 * number of days since 1899-12-30; before, one less.  The 1904 system
 * counts days since 1904-01-01.
 */
#include "sheet_impl.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
   days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const long yoe = y - era * 400;
    const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(long y, long m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : days[m - 1];
}

/* Reads exactly `width` digits at s[*i]; -1 when they are not there. */
static long digits(const char *s, size_t n, size_t *i, int width)
{
    long v = 0;
    for (int k = 0; k < width; k++, (*i)++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = 10 * v + (s[*i] - '0');
    }
    return v;
}

static int expect(const char *s, size_t n, size_t *i, char c)
{
    if (*i >= n || s[*i] != c)
        return -1;
    (*i)++;
    return 0;
}

/* "HH:MM:SS[.fff]" at s[*i] as a fraction of a day. */
static int time_of_day(const char *s, size_t n, size_t *i, double *frac)
{
    long h = digits(s, n, i, 2);
    if (h < 0 || h > 23 || expect(s, n, i, ':') != 0)
        return -1;
    long m = digits(s, n, i, 2);
    if (m < 0 || m > 59 || expect(s, n, i, ':') != 0)
        return -1;
    long sec = digits(s, n, i, 2);
    if (sec < 0 || sec > 59)
        return -1;
    double fraction = 0, scale = 0.1;
    if (*i < n && s[*i] == '.') {
        (*i)++;
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return -1;
        for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++, scale /= 10)
            fraction += scale * (s[*i] - '0');
    }
    *frac = ((double)(h * 3600 + m * 60 + sec) + fraction) / 86400.0;
    return 0;
}

int sheet_date_serial(const char *s, size_t n, int date1904, double *out)
{
    size_t i = 0;
    double frac = 0;
    if (n == 8 && s[2] == ':') {
        if (time_of_day(s, n, &i, &frac) != 0 || i != n)
            return -1;
        *out = frac;
        return 0;
    }
    long y = digits(s, n, &i, 4);
    if (y < 0 || expect(s, n, &i, '-') != 0)
        return -1;
    long m = digits(s, n, &i, 2);
    if (m < 1 || m > 12 || expect(s, n, &i, '-') != 0)
        return -1;
    long d = digits(s, n, &i, 2);
    if (d < 1 || d > days_in_month(y, m))
        return -1;
    if (i < n && (s[i] == 'T' || s[i] == ' ')) {
        i++;
        if (time_of_day(s, n, &i, &frac) != 0)
            return -1;
        if (i < n && s[i] == 'Z')
            i++;
    }
    if (i != n)
        return -1;
    long serial;
    if (date1904) {
        serial = days_from_civil(y, m, d) - days_from_civil(1904, 1, 1);
    } else {
        serial = days_from_civil(y, m, d) - days_from_civil(1899, 12, 30);
        if (serial < 61)
            serial--; /* before Lotus's 1900-02-29 */
    }
    *out = (double)serial + frac;
    return 0;
}
