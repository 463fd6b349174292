/*
 * Kana to Latin, Hepburn style as Japanese passports write names: long
 * vowels are not marked (こうの kouno -> kono, たろう tarou -> taro,
 * おおの oono -> ono, ゆうき yuuki -> yuki), small tsu doubles the next
 * consonant (tch before ch), ん is n, and the katakana spellings of
 * foreign sounds (ティ ti, ファ fa, ヴィ vi, ウィ wi) come out as written.
 */
#include <string.h>

#include "norm_int.h"

/* Hiragana U+3041 .. U+3096; katakana is the same table 0x60 higher. */
static const char *const HIRA[] = {
    "a",  "a",  "i",   "i",  "u",  "u",   "e",  "e",   "o",  "o",  "ka", "ga", "ki", "gi", "ku",
    "gu", "ke", "ge",  "ko", "go", "sa",  "za", "shi", "ji", "su", "zu", "se", "ze", "so", "zo",
    "ta", "da", "chi", "ji", "",   "tsu", "zu", "te",  "de", "to", "do", "na", "ni", "nu", "ne",
    "no", "ha", "ba",  "pa", "hi", "bi",  "pi", "fu",  "bu", "pu", "he", "be", "pe", "ho", "bo",
    "po", "ma", "mi",  "mu", "me", "mo",  "ya", "ya",  "yu", "yu", "yo", "yo", "ra", "ri", "ru",
    "re", "ro", "wa",  "wa", "i",  "e",   "o",  "n",   "vu", "ka", "ke",
};

#define SOKUON 0x3063 /* っ */

static int32_t to_hira(int32_t c)
{
    if (c >= 0x30A1 && c <= 0x30F6)
        return c - 0x60;
    return c;
}

static const char *romaji(int32_t h)
{
    if (h >= 0x3041 && h <= 0x3096)
        return HIRA[h - 0x3041];
    switch (h) {
    case 0x30F7:
        return "va";
    case 0x30F8:
        return "vi";
    case 0x30F9:
        return "ve";
    case 0x30FA:
        return "vo";
    }
    return NULL;
}

static int small_y(int32_t h)
{
    return h == 0x3083 || h == 0x3085 || h == 0x3087;
}

static int small_vowel(int32_t h)
{
    return h == 0x3041 || h == 0x3043 || h == 0x3045 || h == 0x3047 || h == 0x3049;
}

/* A vowel kana (full size), which keeps a preceding う/お from being read
 * as a long vowel: いのうえ is i-no-u-e, not i-no-e. */
static int vowel_kana(int32_t h)
{
    return h == 0x3042 || h == 0x3044 || h == 0x3046 || h == 0x3048 || h == 0x304A ||
           small_vowel(h) || h == 0x30FC;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'i' || c == 'u' || c == 'e' || c == 'o';
}

int kana_romanise(const int32_t *s, size_t len, struct cpbuf *out)
{
    char prev_vowel = 0;
    int sokuon = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t h = to_hira(s[i]);
        if (h == 0x30FC || h == 0x309D || h == 0x309E || h == 0x30FD || h == 0x30FE)
            continue; /* ー and iteration marks: long vowel, folded */
        if (h == SOKUON) {
            sokuon = 1;
            continue;
        }
        const char *r = romaji(h);
        if (!r) {
            /* not kana: a word break */
            if (out->n && out->v[out->n - 1] != ' ' && cpbuf_push(out, ' '))
                return ECTL_ENOMEM;
            prev_vowel = 0;
            sokuon = 0;
            continue;
        }
        char buf[8];
        size_t rl = strlen(r);
        memcpy(buf, r, rl + 1);
        int32_t next = i + 1 < len ? to_hira(s[i + 1]) : 0;
        if (small_y(next) && rl >= 2 && is_vowel(buf[rl - 1])) {
            /* きゃ kya, しゃ sha, ちょ cho, じゅ ju, デュ dyu */
            const char *v = next == 0x3083 ? "a" : next == 0x3085 ? "u" : "o";
            rl--;
            if (!(rl >= 2 && buf[rl - 1] == 'h') && !(rl == 1 && buf[0] == 'j'))
                buf[rl++] = 'y';
            buf[rl++] = v[0];
            buf[rl] = '\0';
            i++;
        } else if (small_vowel(next)) {
            /* ファ fa, ティ ti, ウィ wi, シェ she, ヴォ vo */
            char v = "aiueo"[(next - 0x3041) / 2];
            if (!strcmp(buf, "u")) {
                buf[0] = 'w';
                rl = 1;
            } else if (rl >= 3 && buf[rl - 1] == 'i' && buf[rl - 2] == 'h') {
                rl--; /* shi, chi -> sh, ch */
            } else if (!strcmp(buf, "ji")) {
                rl = 1;
            } else if (!strcmp(buf, "tsu")) {
                rl = 2;
            } else if (rl >= 2 && is_vowel(buf[rl - 1])) {
                rl--;
            }
            buf[rl++] = v;
            buf[rl] = '\0';
            i++;
            next = i + 1 < len ? to_hira(s[i + 1]) : 0;
        }
        if (rl == 1 && (buf[0] == 'u' || buf[0] == 'o') && !vowel_kana(next)) {
            /* おう, おお, うう: one long vowel */
            if ((buf[0] == 'u' && (prev_vowel == 'o' || prev_vowel == 'u')) ||
                (buf[0] == 'o' && prev_vowel == 'o')) {
                prev_vowel = 0;
                continue;
            }
        }
        if (cpbuf_reserve(out, rl + 2))
            return ECTL_ENOMEM;
        if (sokuon && !is_vowel(buf[0]) && buf[0] != 'n') {
            out->v[out->n++] = buf[0] == 'c' ? 't' : buf[0];
        }
        sokuon = 0;
        for (size_t k = 0; k < rl; k++)
            out->v[out->n++] = (unsigned char)buf[k];
        prev_vowel = rl && is_vowel(buf[rl - 1]) && strcmp(buf, "n") ? buf[rl - 1] : 0;
    }
    return 0;
}
