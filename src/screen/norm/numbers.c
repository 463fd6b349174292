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
    int v;
};

/* 1-19, and their ordinals. */
static const struct word UNITS[] = {
    {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},      {"five", 5},
    {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},      {"ten", 10},
    {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15},
    {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"first", 1},
    {"second", 2},   {"third", 3},      {"fourth", 4},    {"fifth", 5},     {"sixth", 6},
    {"seventh", 7},  {"eighth", 8},     {"ninth", 9},     {"tenth", 10},    {"eleventh", 11},
    {"twelfth", 12},
};

/* Tens; "fourty" is the common misspelling, and no other word. */
static const struct word TENS[] = {
    {"twenty", 20}, {"thirty", 30},  {"forty", 40},  {"fourty", 40}, {"fifty", 50},
    {"sixty", 60},  {"seventy", 70}, {"eighty", 80}, {"ninety", 90},
};

static int lookup(const struct word *t, size_t n, const char *s, size_t len)
{
    /* The first letter first: every token of every name is asked. */
    for (size_t i = 0; i < n; i++)
        if (len && t[i].w[0] == s[0] && strlen(t[i].w) == len && !memcmp(t[i].w, s, len))
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
