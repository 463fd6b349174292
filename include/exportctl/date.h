/*
 * Calendar dates.
 *
 * Rules are dated to the day (the day a Cabinet Order takes effect, the day a
 * notice is published), so a date is a plain day number: days since
 * 1970-01-01 in the proleptic Gregorian calendar.  Intervals are half-open,
 * [from, to): a fact with to = 2019-08-28 no longer holds on 2019-08-28.
 * ECTL_DATE_MIN and ECTL_DATE_MAX stand for "open" ends.
 */
#ifndef EXPORTCTL_DATE_H
#define EXPORTCTL_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t ectl_date;

#define ECTL_DATE_MIN INT32_MIN
#define ECTL_DATE_MAX INT32_MAX

/* "YYYY-MM-DD" plus NUL. */
#define ECTL_DATE_BUFSZ 11

/* Parse exactly len bytes of s as YYYY-MM-DD (years 1900..2999, real
 * calendar days only: 2019-02-29 is refused).  Returns 0 or ECTL_EBAD_DATE. */
int ectl_date_parse(const char *s, size_t len, ectl_date *out);

/* Same for a NUL-terminated string. */
int ectl_date_parse_str(const char *s, ectl_date *out);

/* Write YYYY-MM-DD into buf (at least ECTL_DATE_BUFSZ bytes); returns buf.
 * Open ends are written as the empty string. */
char *ectl_date_format(ectl_date d, char buf[ECTL_DATE_BUFSZ]);

ectl_date ectl_date_from_ymd(int y, int m, int d);
void ectl_date_to_ymd(ectl_date date, int *y, int *m, int *d);

/* Today in UTC. */
ectl_date ectl_date_today(void);

/* Whether d lies in the half-open interval [from, to). */
static inline bool ectl_date_in(ectl_date d, ectl_date from, ectl_date to)
{
    return d >= from && d < to;
}

#ifdef __cplusplus
}
#endif
#endif
