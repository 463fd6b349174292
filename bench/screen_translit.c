/*
 * Screening benchmark: mechanical transliteration of Latin names into
 * Cyrillic, Arabic script and Hangul, for the cross-script slices.
 *
 * These are not how a clerk would write the names (Arabic script leaves
 * short vowels out, so "Mohammad" becomes محمد here as in life, but
 * "Abdul" becomes ابدل rather than عبد ال); they are a reproducible way to
 * ask whether an engine that transliterates its queries recovers a name it
 * has only in Latin letters.  Letters are taken left to right, digraphs
 * first; anything that is not an ASCII letter is copied.
 */
#include "screen_bench.h"

#include <ctype.h>
#include <string.h>

struct out {
    char *p;
    size_t o, cap;
};

static void put(struct out *w, const char *s)
{
    size_t n = strlen(s);
    if (w->o + n + 1 > w->cap)
        return;
    memcpy(w->p + w->o, s, n);
    w->o += n;
    w->p[w->o] = '\0';
}

static void put_cp(struct out *w, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    if (w->o + n + 1 > w->cap)
        return;
    memcpy(w->p + w->o, b, n);
    w->o += n;
    w->p[w->o] = '\0';
}

static void lower_ascii(const char *in, char *buf, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++)
        buf[i] = (char)tolower((unsigned char)in[i]);
    buf[i] = '\0';
}

static bool is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool is_alpha(char c)
{
    return c >= 'a' && c <= 'z';
}

/* ---- Cyrillic ------------------------------------------------------------ */

struct rule {
    const char *lat, *out;
};

static const struct rule cyr_rules[] = {
    {"shch", "щ"}, {"sh", "ш"}, {"ch", "ч"}, {"zh", "ж"}, {"kh", "х"}, {"ts", "ц"}, {"tz", "ц"},
    {"ya", "я"},   {"yu", "ю"}, {"yo", "ё"}, {"ye", "е"}, {"ou", "у"}, {"oo", "у"}, {"ee", "и"},
    {"th", "т"},   {"ph", "ф"}, {"gh", "г"}, {"dh", "д"}, {"ck", "к"}, {"a", "а"},  {"b", "б"},
    {"c", "к"},    {"d", "д"},  {"e", "е"},  {"f", "ф"},  {"g", "г"},  {"h", "х"},  {"i", "и"},
    {"j", "дж"},   {"k", "к"},  {"l", "л"},  {"m", "м"},  {"n", "н"},  {"o", "о"},  {"p", "п"},
    {"q", "к"},    {"r", "р"},  {"s", "с"},  {"t", "т"},  {"u", "у"},  {"v", "в"},  {"w", "в"},
    {"x", "кс"},   {"z", "з"},
};

void sb_to_cyrillic(const char *in, char *outbuf, size_t cap)
{
    char s[1024];
    struct out w = {outbuf, 0, cap};
    outbuf[0] = '\0';
    lower_ascii(in, s, sizeof s);
    for (size_t i = 0; s[i];) {
        if (!is_alpha(s[i])) {
            char c[2] = {s[i++], 0};
            put(&w, c);
            continue;
        }
        if (s[i] == 'y') { /* a lone y: after a vowel й, else ы */
            bool digraph = s[i + 1] == 'a' || s[i + 1] == 'u' || s[i + 1] == 'o' || s[i + 1] == 'e';
            if (!digraph) {
                put(&w, i > 0 && is_vowel(s[i - 1]) ? "й" : "ы");
                i++;
                continue;
            }
        }
        size_t k = 0;
        for (; k < sizeof cyr_rules / sizeof *cyr_rules; k++)
            if (!strncmp(s + i, cyr_rules[k].lat, strlen(cyr_rules[k].lat)))
                break;
        put(&w, cyr_rules[k].out);
        i += strlen(cyr_rules[k].lat);
    }
}

/* ---- Arabic script --------------------------------------------------------- */

static const struct rule ara_rules[] = {
    {"sh", "ش"}, {"kh", "خ"}, {"th", "ث"}, {"dh", "ذ"}, {"gh", "غ"}, {"ch", "تش"}, {"ph", "ف"},
    {"b", "ب"},  {"c", "ك"},  {"d", "د"},  {"f", "ف"},  {"g", "ج"},  {"h", "ه"},   {"j", "ج"},
    {"k", "ك"},  {"l", "ل"},  {"m", "م"},  {"n", "ن"},  {"p", "ب"},  {"q", "ق"},   {"r", "ر"},
    {"s", "س"},  {"t", "ت"},  {"v", "ف"},  {"w", "و"},  {"x", "كس"}, {"y", "ي"},   {"z", "ز"},
};

/* Short vowels are not written: a and e inside a word vanish, i and y are
 * ي, o and u are و; a word-initial vowel is ا and a final a is ا; a doubled
 * consonant is written once (the shadda is left out, as usual). */
void sb_to_arabic(const char *in, char *outbuf, size_t cap)
{
    char s[1024];
    struct out w = {outbuf, 0, cap};
    outbuf[0] = '\0';
    lower_ascii(in, s, sizeof s);
    for (size_t i = 0; s[i];) {
        if (!is_alpha(s[i])) {
            char c[2] = {s[i++], 0};
            put(&w, c);
            continue;
        }
        bool start = i == 0 || !is_alpha(s[i - 1]);
        if (is_vowel(s[i])) {
            size_t run = 1;
            while (is_vowel(s[i + run]))
                run++;
            bool end = !is_alpha(s[i + run]);
            if (start)
                put(&w, "ا");
            else if (run > 1 && (s[i] == 'a' && s[i + 1] == 'a'))
                put(&w, "ا");
            else if (s[i] == 'i' || (run > 1 && s[i + run - 1] == 'i') || (run > 1 && s[i] == 'e'))
                put(&w, "ي");
            else if (s[i] == 'o' || s[i] == 'u' || (run > 1 && s[i + run - 1] == 'u'))
                put(&w, "و");
            else if (end && s[i] == 'a')
                put(&w, "ا");
            i += run;
            continue;
        }
        size_t k = 0;
        for (; k < sizeof ara_rules / sizeof *ara_rules; k++)
            if (!strncmp(s + i, ara_rules[k].lat, strlen(ara_rules[k].lat)))
                break;
        size_t len = strlen(ara_rules[k].lat);
        put(&w, ara_rules[k].out);
        i += len;
        if (len == 1 && s[i] == s[i - 1]) /* doubled consonant */
            i++;
    }
}

/* ---- Hangul ---------------------------------------------------------------- */

/* Initial, medial and final jamo indexes of the Unicode composition
 * formula 0xAC00 + (L * 21 + V) * 28 + T. */
struct jamo {
    const char *lat;
    int idx;
};

static const struct jamo onsets[] = {
    {"kh", 15}, {"gh", 0}, {"ch", 14}, {"sh", 9}, {"th", 16}, {"ph", 17}, {"ts", 14},
    {"g", 0},   {"k", 15}, {"c", 15},  {"q", 15}, {"n", 2},   {"d", 3},   {"t", 16},
    {"r", 5},   {"l", 5},  {"m", 6},   {"b", 7},  {"v", 7},   {"p", 17},  {"f", 17},
    {"s", 9},   {"x", 9},  {"j", 12},  {"z", 12}, {"h", 18},
};
static const struct jamo vowels[] = {
    {"yeo", 6}, {"ae", 1}, {"eo", 4}, {"eu", 18}, {"ui", 19}, {"oe", 11}, {"ya", 2},  {"yo", 12},
    {"yu", 17}, {"ye", 7}, {"wa", 9}, {"wo", 14}, {"we", 15}, {"wi", 16}, {"ou", 13}, {"oo", 13},
    {"ee", 20}, {"a", 0},  {"e", 5},  {"i", 20},  {"o", 8},   {"u", 13},  {"y", 20},  {"w", 13},
};
static const struct jamo codas[] = {
    {"ng", 21}, {"k", 1},  {"g", 1},  {"n", 4},  {"l", 8},
    {"r", 8},   {"m", 16}, {"p", 17}, {"b", 17}, {"t", 19},
};

static const struct jamo *match(const struct jamo *t, size_t n, const char *s)
{
    for (size_t k = 0; k < n; k++)
        if (!strncmp(s, t[k].lat, strlen(t[k].lat)))
            return &t[k];
    return NULL;
}

static bool hangul_vowel_at(const char *s)
{
    return is_vowel(s[0]) || s[0] == 'y' || s[0] == 'w';
}

/* Syllables: onset (or none) + vowel (or ㅡ when a consonant has none, as
 * loanwords are written) + a final consonant when the next letter is a
 * consonant too or the word ends. */
void sb_to_hangul(const char *in, char *outbuf, size_t cap)
{
    char s[1024];
    struct out w = {outbuf, 0, cap};
    outbuf[0] = '\0';
    lower_ascii(in, s, sizeof s);
    for (size_t i = 0; s[i];) {
        if (!is_alpha(s[i])) {
            char c[2] = {s[i++], 0};
            put(&w, c);
            continue;
        }
        int L = 11, V = 18, T = 0; /* ㅇ, ㅡ, none */
        const struct jamo *j = NULL;
        if (!hangul_vowel_at(s + i)) {
            j = match(onsets, sizeof onsets / sizeof *onsets, s + i);
            if (j) {
                L = j->idx;
                i += strlen(j->lat);
            } else
                i++; /* cannot happen: every consonant has an onset */
        }
        if (s[i] && is_alpha(s[i]) && hangul_vowel_at(s + i)) {
            j = match(vowels, sizeof vowels / sizeof *vowels, s + i);
            V = j->idx;
            i += strlen(j->lat);
            const struct jamo *c = match(codas, sizeof codas / sizeof *codas, s + i);
            if (c && is_alpha(s[i])) {
                const char *after = s + i + strlen(c->lat);
                if (!is_alpha(*after) || !hangul_vowel_at(after)) {
                    T = c->idx;
                    i += strlen(c->lat);
                }
            }
        }
        put_cp(&w, 0xAC00u + (unsigned)((L * 21 + V) * 28 + T));
    }
}
