/*
 * Russian-, Ukrainian- and Belarusian-Latin/BGN without ICU's rule engine.
 *
 * ICU's rule-based transliterators cost ~10,000 instructions a word and take
 * a process-wide mutex on every call; a Cyrillic name cost ~7 times a Latin
 * one.  The three BGN tables are small (ICU 72, `utrans_toRules`), and the
 * text we give them is case-folded, so only their lower-case rules can
 * apply.  Those are written out here as tables plus the few rules that look
 * at a neighbour:
 *
 *   Russian, a first pass (the rules before "::Null;")
 *     ы after a vowel              -> ·y
 *     э after a letter that is not a vowel or й   -> ·e
 *     е, ё after a vowel, й, ъ, ь   -> ye, yë
 *   and a second pass over its output
 *     е, ё with no letter before   -> ye, yë
 *     й, ы before а у ы э           -> y·
 *     тс -> t·s, шч -> sh·ch, the rest one letter at a time.
 *   Each pass sees the text as the earlier rules of the same pass left it
 *   (ICU rewrites in place), so the "before" of a pass is its own output.
 *
 *   Ukrainian, Belarusian: one letter at a time, except зг кг сг тс цг
 *   (and Ukrainian шч), which get a "·".
 *
 * A run is taken here only when every code point in it is a lower-case
 * letter the language's table has a rule for; anything else (a combining
 * accent, a letter of another language, a run longer than RUN_MAX) is left
 * to ICU, so the answer is ICU's in every case.  BGN's "·" is dropped as
 * icu_translit() drops it.  tests/unit/screen/norm/test_norm.c checks the
 * result against ICU for every Cyrillic run of the lists and for every
 * string of up to four letters from the letters the rules name.
 */
#include <stddef.h>
#include <stdint.h>

#include "norm_int.h"

/* Longer words go to ICU: no name has them, and the first pass's output
 * then fits in a buffer on the stack. */
#define RUN_MAX 64

/* Latin for a lower-case letter; index c - 0x430 (а ... џ).  A null entry:
 * the table has no rule, the run is ICU's. */
typedef const char *const letter_table[48];
typedef const char *const *table_ref;

static letter_table RU = {
    "a",  "b",    "v",      "g",  "d",      "e",  "zh", "z",  "i",  "y",      "k",  "l",
    "m",  "n",    "o",      "p",  "r",      "s",  "t",  "u",  "f",  "kh",     "ts", "ch",
    "sh", "shch", "\u02BA", "y",  "\u02B9", "e",  "yu", "ya", NULL, "\u00EB", NULL, NULL,
    NULL, NULL,   NULL,     NULL, NULL,     NULL, NULL, NULL, NULL, NULL,     NULL, NULL,
};

static letter_table UK = {
    "a",  "b",    "v",  "h",  "d",      "e",  "zh", "z",  "y",  "y",  "k",  "l",
    "m",  "n",    "o",  "p",  "r",      "s",  "t",  "u",  "f",  "kh", "ts", "ch",
    "sh", "shch", NULL, NULL, "\u02B9", NULL, "yu", "ya", NULL, NULL, NULL, NULL,
    "ye", NULL,   "i",  "yi", NULL,     NULL, NULL, NULL, NULL, NULL, NULL, NULL,
};

static letter_table BE = {
    "a",  "b",  "v",  "h",  "d",      "ye", "zh", "z",  NULL, "y",  "k",  "l",
    "m",  "n",  "o",  "p",  "r",      "s",  "t",  "u",  "f",  "kh", "ts", "ch",
    "sh", NULL, NULL, "y",  "\u02B9", "e",  "yu", "ya", NULL, "yo", NULL, NULL,
    NULL, NULL, "i",  NULL, NULL,     NULL, NULL, NULL, NULL, NULL, "w",  NULL,
};

enum {
    A = 0x430,
    E = 0x435,
    ZE = 0x437,
    I = 0x438,
    IK = 0x439,
    KA = 0x43A,
    ES = 0x441,
    TE = 0x442,
    U = 0x443,
    TSE = 0x446,
    CHE = 0x447,
    SHA = 0x448,
    HARD = 0x44A,
    Y = 0x44B,
    SOFT = 0x44C,
    EH = 0x44D,
    YU = 0x44E,
    YA = 0x44F,
    YO = 0x451,
    GHE = 0x433,
    GHE_UP = 0x491,
    DOT = 0xB7,
    E_DIA = 0xEB,
};

/* The Latin for c in table t, or NULL (ґ, the one letter above џ, is g in
 * both tables that have it). */
static const char *latin(table_ref t, int32_t c)
{
    if (c == GHE_UP)
        return t == RU ? NULL : "g";
    if (c < A || c >= A + 48)
        return NULL;
    return t[c - A];
}

static int covered(table_ref t, const int32_t *s, size_t len)
{
    if (len == 0 || len > RUN_MAX)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!latin(t, s[i]))
            return 0;
    return 1;
}

/* BGN's digraphs that keep two letters apart with "·" (т·с is not ц). */
static int split_pair(table_ref t, int32_t c, int32_t d)
{
    if (c == TE && d == ES)
        return 1;
    if (t == RU)
        return c == SHA && d == CHE;
    if (d == GHE)
        return c == ZE || c == KA || c == ES || c == TSE;
    return t == UK && c == SHA && d == CHE;
}

static int ru_vowel(int32_t c)
{
    return c == A || c == E || c == I || c == 0x43E || c == U || c == Y || c == EH || c == YU ||
           c == YA || c == YO;
}

/* What the first Russian pass leaves of s: Cyrillic where no rule
 * applied, else the Latin (and "·") it wrote.  p has room for 2 * len. */
static size_t ru_first_pass(const int32_t *s, size_t len, int32_t *p)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t c = s[i];
        int32_t prev = k ? p[k - 1] : 0;
        /* Before: Cyrillic of this run, or the Latin y, e, ë of a rule;
         * every one of them is a letter. */
        if (c == Y && ru_vowel(prev)) {
            p[k++] = DOT;
            p[k++] = 'y';
        } else if (c == EH && prev && !ru_vowel(prev) && prev != IK) {
            p[k++] = DOT;
            p[k++] = 'e';
        } else if ((c == E || c == YO) &&
                   (ru_vowel(prev) || prev == IK || prev == HARD || prev == SOFT)) {
            p[k++] = 'y';
            p[k++] = c == E ? 'e' : E_DIA;
        } else {
            p[k++] = c;
        }
    }
    return k;
}

/* Append a table entry: ASCII, or the two-byte UTF-8 of ë ʺ ʹ.  The
 * caller has reserved room (at most 4 code points a letter). */
static void put(struct cpbuf *out, const char *lat)
{
    for (const unsigned char *p = (const unsigned char *)lat; *p;) {
        if (*p < 0x80) {
            out->v[out->n++] = *p++;
        } else {
            out->v[out->n++] = (int32_t)(((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu));
            p += 2;
        }
    }
}

static void ru_second_pass(const int32_t *p, size_t k, struct cpbuf *out)
{
    /* the last character written, for "no letter before" (only "·" and
     * the start of the run are no letter here) */
    int32_t prev = 0;
    for (size_t j = 0; j < k; j++) {
        int32_t c = p[j], d = j + 1 < k ? p[j + 1] : 0;
        if (c < A) { /* Latin or "·" of the first pass: kept */
            if (c != DOT)
                out->v[out->n++] = c;
            prev = c;
            continue;
        }
        int word_start = prev == 0 || prev == DOT;
        if (c == E || c == YO) {
            if (word_start)
                out->v[out->n++] = 'y';
            prev = out->v[out->n++] = c == E ? 'e' : E_DIA;
        } else if ((c == IK || c == Y) && (d == A || d == U || d == Y || d == EH)) {
            out->v[out->n++] = 'y';
            prev = DOT; /* y·: the "·" is dropped but is what comes before */
        } else if (split_pair(RU, c, d)) {
            put(out, latin(RU, c));
            put(out, latin(RU, d));
            prev = d == ES ? 's' : 'h';
            j++;
        } else {
            put(out, latin(RU, c));
            prev = 'x'; /* every entry ends in a letter (ʺ ʹ are letters) */
        }
    }
}

static void one_pass(table_ref t, const int32_t *s, size_t len, struct cpbuf *out)
{
    for (size_t i = 0; i < len; i++) {
        int32_t c = s[i], d = i + 1 < len ? s[i + 1] : 0;
        put(out, latin(t, c));
        if (split_pair(t, c, d)) {
            put(out, latin(t, d));
            i++;
        }
    }
}

int cyr_bgn(enum tr_id id, const int32_t *s, size_t len, struct cpbuf *out)
{
    table_ref t = id == TR_RU ? RU : id == TR_UK ? UK : id == TR_BE ? BE : NULL;
    if (!t || !covered(t, s, len))
        return 0;
    /* shch is the longest entry; the first pass only shortens what the
     * second writes */
    if (cpbuf_reserve(out, 4 * len))
        return ECTL_ENOMEM;
    if (t == RU) {
        int32_t p[2 * RUN_MAX];
        ru_second_pass(p, ru_first_pass(s, len, p), out);
    } else {
        one_pass(t, s, len, out);
    }
    return 1;
}
