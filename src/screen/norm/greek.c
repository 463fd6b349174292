/*
 * Greek-Latin/UNGEGN without ICU's rule engine, for the text we give it.
 *
 * ICU's transliterator (72, `utrans_toRules`) is: a filter (Greek letters,
 * combining marks, some punctuation), NFD, one pass of rules, NFC.  Our
 * input is case-folded, and norm.c has already written ντ, μπ and γκ as
 * Latin letters (greek_digraphs), so of its rules only these can apply:
 *
 *   η -> i̱, ω -> o̱, ψ -> ps, θ -> th, χ -> ch, ξ -> x, β -> v, ...
 *   ου -> ou
 *   υ after a, e, i (optionally with the macron below of i̱), its accent
 *     moved in front: -> v̱ before β γ δ ζ λ μ ν ρ or a vowel, else f̱;
 *     elsewhere υ -> y
 *   γ, ν before γ κ ξ χ -> n, n'
 *   p before σ: an apostrophe between (p's)
 *   σ before a letter -> s; after a letter (apostrophes and marks between
 *     allowed) -> s̱; else s
 *
 * Rules look at the text as ICU has rewritten it so far (before the
 * cursor) and as it was (after it); Latin letters are outside the filter
 * but still seen as context (aυ -> af̱).  Then the marks compose as NFC
 * composes them (ή -> í̱, ΐ -> ḯ).
 *
 * A run is taken only when each code point is a lower-case Greek letter
 * below (basic, tonos, dialytika) or an ASCII letter, with no μπ (whose
 * rules look for word edges) and at most RUN_MAX long; anything else is
 * ICU's.  tests/unit/screen/norm/test_translit.c compares the two.
 */
#include <stddef.h>
#include <stdint.h>

#include "norm_int.h"

#define RUN_MAX 64

enum {
    ACUTE = 0x301,
    DIAER = 0x308,
    MACRON_BELOW = 0x331,
    G_ALPHA = 0x3B1,
    G_GAMMA = 0x3B3,
    G_KAPPA = 0x3BA,
    G_MU = 0x3BC,
    G_NU = 0x3BD,
    G_XI = 0x3BE,
    G_OMICRON = 0x3BF,
    G_PI = 0x3C0,
    G_FINAL_SIGMA = 0x3C2,
    G_SIGMA = 0x3C3,
    G_UPSILON = 0x3C5,
    G_CHI = 0x3C7,
};

/* Latin for α ... ω (index c - 0x3B1); NULL: a rule with context. */
static const char *const LETTER[25] = {
    "a", "v", "g", "d", "e",  "z",  NULL, "th", "i", "k",  "l",  "m",  "n",
    "x", "o", "p", "r", NULL, NULL, "t",  NULL, "f", "ch", "ps", NULL,
};

/* NFD of the accented lower-case letters: base letter and marks. */
static int nfd(int32_t c, int32_t out[3])
{
    switch (c) {
    case 0x3AC:
        out[0] = 0x3B1;
        break; /* ά */
    case 0x3AD:
        out[0] = 0x3B5;
        break; /* έ */
    case 0x3AE:
        out[0] = 0x3B7;
        break; /* ή */
    case 0x3AF:
        out[0] = 0x3B9;
        break; /* ί */
    case 0x3CC:
        out[0] = 0x3BF;
        break; /* ό */
    case 0x3CD:
        out[0] = 0x3C5;
        break; /* ύ */
    case 0x3CE:
        out[0] = 0x3C9;
        break; /* ώ */
    case 0x3CA:
        out[0] = 0x3B9;
        out[1] = DIAER;
        return 2; /* ϊ */
    case 0x3CB:
        out[0] = 0x3C5;
        out[1] = DIAER;
        return 2; /* ϋ */
    case 0x390:
        out[0] = 0x3B9;
        out[1] = DIAER;
        out[2] = ACUTE;
        return 3; /* ΐ */
    case 0x3B0:
        out[0] = 0x3C5;
        out[1] = DIAER;
        out[2] = ACUTE;
        return 3; /* ΰ */
    default:
        if ((c >= G_ALPHA && c <= 0x3C9 && c != G_FINAL_SIGMA) || (c >= 'a' && c <= 'z')) {
            out[0] = c;
            return 1;
        }
        return 0;
    }
    out[1] = ACUTE;
    return 2;
}

static int is_ascii_letter(int32_t c)
{
    return c >= 'a' && c <= 'z';
}

static int is_mark(int32_t c)
{
    return c == ACUTE || c == DIAER || c == MACRON_BELOW;
}

/* [βγδζλμνρ] or a vowel: υ after a, e, i reads v before these. */
static int voiced_or_vowel(int32_t c)
{
    switch (c) {
    case 0x3B2:
    case 0x3B3:
    case 0x3B4:
    case 0x3B6:
    case 0x3BB:
    case 0x3BC:
    case 0x3BD:
    case 0x3C1:
    case 0x3B1:
    case 0x3B5:
    case 0x3B7:
    case 0x3B9:
    case 0x3BF:
    case 0x3C5:
    case 0x3C9:
        return 1;
    default:
        return 0;
    }
}

static int before_velar(int32_t c)
{
    return c == G_GAMMA || c == G_KAPPA || c == G_XI || c == G_CHI;
}

/* The rule pass over q (NFD), writing the text before NFC to o. */
static size_t rules(const int32_t *q, size_t n, int32_t *o)
{
    size_t k = 0;
    for (size_t j = 0; j < n; j++) {
        int32_t c = q[j], d = j + 1 < n ? q[j + 1] : 0;
        if (is_ascii_letter(c)) { /* outside the filter: kept, marked for nfc() */
            o[k++] = -c;
            continue;
        }
        if (is_mark(c)) { /* no rule: kept */
            o[k++] = c;
            continue;
        }
        const char *l = LETTER[c - G_ALPHA];
        if (c == 0x3B7 || c == 0x3C9) { /* η ω */
            o[k++] = c == 0x3B7 ? 'i' : 'o';
            o[k++] = MACRON_BELOW;
        } else if (c == G_OMICRON && d == G_UPSILON) {
            o[k++] = 'o';
            o[k++] = 'u';
            j++;
        } else if (c == G_UPSILON) {
            size_t b = k && o[k - 1] == MACRON_BELOW ? k - 1 : k;
            int32_t prev = b ? (o[b - 1] < 0 ? -o[b - 1] : o[b - 1]) : 0;
            if (prev == 'a' || prev == 'e' || prev == 'i') {
                size_t m = j + 1;
                while (m < n && q[m] == ACUTE) /* every mark but the diaeresis */
                    o[k++] = q[m++];
                o[k++] = m < n && voiced_or_vowel(q[m]) ? 'v' : 'f';
                o[k++] = MACRON_BELOW;
                j = m - 1;
            } else {
                o[k++] = 'y';
            }
        } else if (c == G_GAMMA || c == G_NU) {
            o[k++] = before_velar(d) ? 'n' : c == G_GAMMA ? 'g' : 'n';
            if (c == G_NU && before_velar(d))
                o[k++] = '\'';
        } else if (c == G_SIGMA) {
            if (k && (o[k - 1] == 'p' || o[k - 1] == -'p'))
                o[k++] = '\'';
            size_t m = j + 1;
            while (m < n && is_mark(q[m]))
                m++;
            /* before: a letter behind apostrophes and marks; every other
             * character written here is a letter */
            size_t b = k;
            while (b && (o[b - 1] == '\'' || is_mark(o[b - 1])))
                b--;
            o[k++] = 's';
            if (m >= n && b)
                o[k++] = MACRON_BELOW;
        } else {
            for (; *l; l++)
                o[k++] = (unsigned char)*l;
        }
    }
    return k;
}

/* NFC of o: the only compositions its letters and marks allow.  ICU's NFC
 * step is filtered too, so it composes within a stretch of Greek input
 * only: a Latin letter of the input (negative in o) takes no mark, and a
 * mark after it has no letter to compose with (aύ is a, U+0301, f̱). */
static int32_t compose(int32_t base, int32_t mark)
{
    if (mark == ACUTE) {
        switch (base) {
        case 'a':
            return 0xE1;
        case 'e':
            return 0xE9;
        case 'i':
            return 0xED;
        case 'o':
            return 0xF3;
        case 'u':
            return 0xFA;
        case 'y':
            return 0xFD;
        case 's':
            return 0x15B;
        case 0xEF:
            return 0x1E2F; /* ḯ */
        case 0xFC:
            return 0x1D8; /* ǘ */
        default:
            return 0;
        }
    }
    if (mark == DIAER) {
        switch (base) {
        case 'i':
            return 0xEF;
        case 'u':
            return 0xFC;
        case 'y':
            return 0xFF;
        default:
            return 0;
        }
    }
    return 0; /* no Latin letter here has a composite with the macron below */
}

static int nfc(const int32_t *o, size_t k, struct cpbuf *out)
{
    if (cpbuf_reserve(out, k))
        return ECTL_ENOMEM;
    size_t starter = 0; /* index in out of the last letter, when have */
    int have = 0, last_ccc = 0;
    for (size_t i = 0; i < k; i++) {
        int32_t c = o[i];
        if (c < 0) {
            out->v[out->n++] = -c;
            have = 0;
            continue;
        }
        if (!is_mark(c)) {
            starter = out->n;
            have = 1;
            last_ccc = 0;
            out->v[out->n++] = c;
            continue;
        }
        int ccc = c == MACRON_BELOW ? 220 : 230;
        /* blocked when a mark of the same or a higher class came between */
        int32_t comp = have && last_ccc < ccc ? compose(out->v[starter], c) : 0;
        if (comp) {
            out->v[starter] = comp;
        } else {
            out->v[out->n++] = c;
            last_ccc = ccc;
        }
    }
    return 0;
}

int greek_ungegn(const int32_t *s, size_t len, struct cpbuf *out)
{
    if (len == 0 || len > RUN_MAX)
        return 0;
    int32_t q[3 * RUN_MAX];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int got = nfd(s[i], q + n);
        if (!got || (s[i] == G_MU && i + 1 < len && s[i + 1] == G_PI))
            return 0;
        n += (size_t)got;
    }
    int32_t o[4 * 3 * RUN_MAX]; /* at most 3 written per code point, + ' */
    size_t k = rules(q, n, o);
    return nfc(o, k, out) ? ECTL_ENOMEM : 1;
}
