/*
 * Phonetic key of one token: a consonant skeleton in nine classes.
 *
 * Candidate generation needs names that are spelled differently but said
 * alike to meet.  Metaphone and Soundex are built for English and keep
 * apart exactly what romanisations of Korean, Arabic and Russian confuse:
 * voiced and unvoiced stops (Kim/Gim, Park/Bak, Kang/Gang), l and r
 * (Lee/Rhee/Ri), j and ch (Jung/Chung), s and sh (Shin/Sin).  So:
 *
 *   p  b p            f  f v ph, w before l/r (Wladimir)
 *   t  d t th         k  g k q c(a/o/u) ck kh gh
 *   s  s z c(e/i/y) sh sch sz ts tz
 *   c  j ch cz tch zh dj dzh
 *   l  l r            m  m            n  n ng
 *
 * Vowels, y, w and h are dropped (Hwang/Whang/Wang, Kyung/Gyeong); x is
 * "ks"; r after a vowel before a consonant, and r at the end, is dropped
 * (Park/Pak, Aleksandr/Alexander).  A letter doubled in the spelling counts
 * once (Hassan/Hasan, Mohammed/Mohamed) but the same class on both sides
 * of a vowel counts twice (Mohamed and Muhammad are both "mmt").
 *
 * Tokens with no consonant left get a vowel key: "l" when their vowels are
 * only e/i (Yi, I, Ee: the same surname as Lee, Rhee, Ri, whose key is
 * "l" too), "u" for o/u (Oh, O, Woo, U, Yoo), else "a".  A token with a
 * digit is its own key: numbers must match exactly.
 */
#include <string.h>

#include "../normalize.h"

static int vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

size_t ectl_norm_phonetic_key(const char *token, size_t len, char *out, size_t cap)
{
    if (!out || !cap)
        return 0;
    char w[128];
    size_t n = 0;
    int digits = 0;
    for (size_t i = 0; token && i < len && n < sizeof w - 1; i++) {
        char c = token[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            w[n++] = c;
            digits |= c >= '0' && c <= '9';
        }
    }
    w[n] = '\0';
    size_t o = 0;
    if (digits) {
        for (size_t i = 0; i < n && o + 1 < cap; i++)
            out[o++] = w[i];
        out[o] = '\0';
        return o;
    }
    char key[256];
    size_t k = 0;
    char last = 0; /* last class written, 0 after a vowel */
    int front = 0, back = 0, open = 0;
    for (size_t i = 0; i < n; i++) {
        char c = w[i], nx = i + 1 < n ? w[i + 1] : 0, nx2 = i + 2 < n ? w[i + 2] : 0;
        char cls = 0, cls2 = 0;
        if (vowel(c)) {
            front |= c == 'e' || c == 'i' || c == 'y';
            back |= c == 'o' || c == 'u';
            open |= c == 'a';
            last = 0;
            continue;
        }
        switch (c) {
        case 'h':
            continue;
        case 'w':
            if (nx == 'l' || nx == 'r')
                cls = 'f';
            else
                continue;
            break;
        case 'b':
            cls = 'p';
            break;
        case 'p':
            cls = nx == 'h' ? (i++, 'f') : 'p';
            break;
        case 'f':
        case 'v':
            cls = 'f';
            break;
        case 'd':
            if (nx == 'j') {
                cls = 'c', i++;
            } else if (nx == 'z' && nx2 == 'h') {
                cls = 'c', i += 2;
            } else {
                cls = 't';
            }
            break;
        case 't':
            if (nx == 'h') {
                cls = 't', i++;
            } else if (nx == 'c' && nx2 == 'h') {
                cls = 'c', i += 2;
            } else if (nx == 's' && nx2 == 'c' && i + 3 < n && w[i + 3] == 'h') {
                cls = 'c', i += 3;
            } else if (nx == 's' || nx == 'z') {
                cls = 's', i++;
            } else {
                cls = 't';
            }
            break;
        case 'g':
        case 'k':
        case 'q':
            cls = 'k';
            if (nx == 'h')
                i++;
            break;
        case 'c':
            if (nx == 'h' || nx == 'z' || nx == 's') {
                cls = 'c', i++;
            } else if (nx == 'k') {
                cls = 'k', i++;
            } else {
                cls = nx == 'e' || nx == 'i' || nx == 'y' ? 's' : 'k';
            }
            break;
        case 's':
            cls = 's';
            if (nx == 'c' && nx2 == 'h')
                i += 2;
            else if (nx == 'h' || nx == 'z')
                i++;
            break;
        case 'z':
            cls = nx == 'h' ? (i++, 'c') : 's';
            break;
        case 'j':
            cls = 'c';
            break;
        case 'x':
            cls = 'k', cls2 = 's';
            break;
        case 'l':
            cls = 'l';
            break;
        case 'r':
            /* non-rhotic: Park = Pak, Aleksandr = Alexander */
            if (i + 1 == n || (i > 0 && vowel(w[i - 1]) && !vowel(nx) && nx != 'r'))
                continue;
            cls = 'l';
            break;
        case 'm':
            cls = 'm';
            break;
        case 'n':
            cls = 'n';
            if (nx == 'g')
                i++;
            break;
        default:
            continue;
        }
        if (cls != last && k < sizeof key)
            key[k++] = cls;
        last = cls;
        if (cls2) {
            if (k < sizeof key)
                key[k++] = cls2;
            last = cls2;
        }
    }
    if (k == 0 && n > 0)
        key[k++] = back && !open ? 'u' : front && !open ? 'l' : 'a';
    for (size_t i = 0; i < k && o + 1 < cap; i++)
        out[o++] = key[i];
    out[o] = '\0';
    return o;
}
