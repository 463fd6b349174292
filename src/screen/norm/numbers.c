/*
 * English number words as digits: "Brigade Forty-Four" is Brigade 44,
 * "Three Percenters" 3 Percenters, "First International Bank" 1st
 * International Bank.  A number in a name is an identifier (the scorer
 * matches it only to itself), so it must be written one way whichever
 * way the list or the query spelt it.
 */
#include <stdio.h>
#include <string.h>

#include "norm_int.h"

struct word {
    const char *w;
    size_t len;
    int v;
};
#define W(s, v) {s, sizeof s - 1, v}

/* 1-19, and their ordinals. */
static const struct word UNITS[] = {
    W("one", 1),      W("two", 2),        W("three", 3),     W("four", 4),      W("five", 5),
    W("six", 6),      W("seven", 7),      W("eight", 8),     W("nine", 9),      W("ten", 10),
    W("eleven", 11),  W("twelve", 12),    W("thirteen", 13), W("fourteen", 14), W("fifteen", 15),
    W("sixteen", 16), W("seventeen", 17), W("eighteen", 18), W("nineteen", 19), W("first", 1),
    W("second", 2),   W("third", 3),      W("fourth", 4),    W("fifth", 5),     W("sixth", 6),
    W("seventh", 7),  W("eighth", 8),     W("ninth", 9),     W("tenth", 10),    W("eleventh", 11),
    W("twelfth", 12),
};

/* Tens; "fourty" is the common misspelling, and no other word. */
static const struct word TENS[] = {
    W("twenty", 20), W("thirty", 30),  W("forty", 40),  W("fourty", 40), W("fifty", 50),
    W("sixty", 60),  W("seventy", 70), W("eighty", 80), W("ninety", 90),
};

static int lookup(const struct word *t, size_t n, const char *s, size_t len)
{
    /* The first letter first: every token of every name is asked. */
    for (size_t i = 0; i < n; i++)
        if (t[i].len == len && t[i].w[0] == s[0] && !memcmp(t[i].w, s, len))
            return t[i].v;
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* A single digit 1-9 written as a token ("forty 4"). */
static int digit_unit(const char *s, size_t len)
{
    return len == 1 && s[0] >= '1' && s[0] <= '9' ? s[0] - '0' : 0;
}

/* "1st", "22nd", "3rd", "44th": the digits, else 0 digits. */
static size_t digit_ordinal(const char *s, size_t len)
{
    size_t d = 0;
    while (d < len && s[d] >= '0' && s[d] <= '9')
        d++;
    if (d == 0 || d + 2 != len)
        return 0;
    const char *x = s + d;
    if (!memcmp(x, "st", 2) || !memcmp(x, "nd", 2) || !memcmp(x, "rd", 2) || !memcmp(x, "th", 2))
        return d;
    return 0;
}

size_t numbers_read(const char *const *tok, const uint16_t *len, size_t n, char *out,
                    size_t *out_len)
{
    if (n == 0)
        return 0;
    size_t d = digit_ordinal(tok[0], len[0]);
    if (d > NUMBERS_OUT_MAX)
        return 0; /* "274757270123456789th": not a number anyone writes out */
    if (d) {
        memcpy(out, tok[0], d);
        *out_len = d;
        return 1;
    }
    /* Every word of UNITS and TENS begins with one of these letters: most
     * tokens stop here. */
    if (len[0] == 0 || !memchr("efnost", tok[0][0], 6))
        return 0;
    int v = lookup(UNITS, COUNT(UNITS), tok[0], len[0]);
    size_t used = 1;
    if (!v) {
        v = lookup(TENS, COUNT(TENS), tok[0], len[0]);
        if (!v)
            return 0;
        /* "forty four", "forty-fourth", "forty 4" */
        if (n > 1) {
            int u = lookup(UNITS, COUNT(UNITS), tok[1], len[1]);
            if (!u)
                u = digit_unit(tok[1], len[1]);
            if (u >= 1 && u <= 9) {
                v += u;
                used = 2;
            }
        }
    }
    *out_len = (size_t)snprintf(out, NUMBERS_OUT_MAX, "%d", v);
    return used;
}
