/*
 * Civil-date arithmetic on day numbers (days since 1970-01-01), using the
 * well-known era-based conversion so that no time zone or libc time
 * function is involved: a rule date is a calendar day, not an instant.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <exportctl/date.h>
#include <exportctl/error.h>

ectl_date ectl_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (ectl_date)(era * 146097 + (int)doe - 719468);
}

void ectl_date_to_ymd(ectl_date date, int *y, int *m, int *d)
{
    const int z = date + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)yoe + era * 400 + (mm <= 2);
    *m = (int)mm;
    *d = (int)dd;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int ectl_date_parse(const char *s, size_t len, ectl_date *out)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return ECTL_EBAD_DATE;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return ECTL_EBAD_DATE;
    *out = ectl_date_from_ymd(y, m, d);
    return 0;
}

int ectl_date_parse_str(const char *s, ectl_date *out)
{
    return ectl_date_parse(s, strlen(s), out);
}

char *ectl_date_format(ectl_date date, char buf[ECTL_DATE_BUFSZ])
{
    if (date == ECTL_DATE_MIN || date == ECTL_DATE_MAX) {
        buf[0] = '\0';
        return buf;
    }
    int y, m, d;
    ectl_date_to_ymd(date, &y, &m, &d);
    /* Years are 1900..2999 for parsed dates, but a day number can come from
     * arithmetic: clamp rather than write past the buffer. */
    if (y < 0)
        y = 0;
    if (y > 9999)
        y = 9999;
    snprintf(buf, ECTL_DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
    return buf;
}

ectl_date ectl_date_today(void)
{
    return (ectl_date)(time(NULL) / 86400);
}
