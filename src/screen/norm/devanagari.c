/*
 * Devanagari-Latin without ICU's rule engine.
 *
 * ICU's Any-Latin reads Devanagari through InterIndic into an ISO 15919
 * style romanisation, at ~30,000 instructions a word and under ICU's
 * process-wide mutex (a Hindi or Nepali name on two threads went no
 * faster than on one).  Its output for a well-formed word is one Latin
 * string per letter plus a few rules that look at a neighbour, written
 * out here:
 *
 *   a consonant is followed by its inherent "a" unless a vowel sign or
 *   the virama follows it;
 *   the anusvara is the nasal of the consonant after it (ṅ before
 *   k-kh-g-gh-ṅ, n̄ before the palatals, ṇ before the retroflexes, n
 *   before the dentals and y r l v ś ṣ s h, m before the labials), ṁ
 *   before anything else;
 *   an independent vowel after a vowel, or after r with the virama, has
 *   an apostrophe before it (ka'i, r'a);
 *   a consonant with the virama and one of the consonants ICU keeps apart
 *   has an apostrophe between them (k'ha t'tha d'dha n'ya m'ma s'sa ...).
 *
 * A run is taken here only when it is well formed - vowel signs and the
 * virama after a consonant, the nukta after a consonant that has a nukta
 * letter, the anusvara, candrabindu and visarga after a vowel or a
 * consonant - and does not contain ड, a vowel sign, then ह (where ICU puts
 * an apostrophe after the ḍ, a rule for ड्ह that misfires).  Anything else
 * (digits, danda, avagraha, om, Vedic marks, a stray sign) is left to
 * ICU, so the answer is ICU's in every case:
 * tests/unit/screen/norm/test_translit.c compares the two on every
 * Devanagari word of the list files and test data, on every string of up
 * to three letters and on random longer ones.
 */
#include <stddef.h>
#include <stdint.h>

#include "norm_int.h"

#define VIRAMA 0x94D
#define NUKTA 0x93C
#define CANDRABINDU 0x901
#define ANUSVARA 0x902
#define VISARGA 0x903
#define HA 0x939
#define DDA 0x921
#define RA 0x930

/* Latin as up to four code points, NFC as ICU writes them; 0 ends. */
typedef int32_t latin[4];

/* Consonants क (U+0915) to ह (U+0939). */
static const latin CONSONANT[] = {
    {'k'},          {'k', 'h'},          {'g'},          {'g', 'h'},          {0x1E45},
    {'c'},          {'c', 'h'},          {'j'},          {'j', 'h'},          {0xF1},
    {0x1E6D},       {0x1E6D, 'h'},       {0x1E0D},       {0x1E0D, 'h'},       {0x1E47},
    {'t'},          {'t', 'h'},          {'d'},          {'d', 'h'},          {'n'},
    {0x1E49},       {'p'},               {'p', 'h'},     {'b'},               {'b', 'h'},
    {'m'},          {'y'},               {'r'},          {0x1E5F},            {'l'},
    {0x1E37},       {0x1E3B},            {'v'},          {0x15B},             {0x1E63},
    {'s'},          {'h'},
};

/* A consonant with the nukta: the letter it makes, or none. */
static const int32_t *nukta_latin(int32_t c)
{
    static const latin Q = {'q'}, KHH = {0x1E35, 0x1E96}, GH = {0x121}, Z = {'z'},
                       RR = {0x1E5B}, RRH = {0x1E5B, 'h'}, F = {'f'}, YY = {0x1E8F},
                       NNN = {0x1E49}, RRR = {0x1E5F}, LLL = {0x1E3B};
    switch (c) {
    case 0x915:
        return Q;
    case 0x916:
        return KHH;
    case 0x917:
        return GH;
    case 0x91C:
        return Z;
    case 0x921:
        return RR;
    case 0x922:
        return RRH;
    case 0x92B:
        return F;
    case 0x92F:
        return YY;
    case 0x928:
        return NNN;
    case 0x930:
        return RRR;
    case 0x933:
        return LLL;
    default:
        return NULL;
    }
}

/* Independent vowels अ (U+0905) to औ (U+0914); ॠ ॡ apart. */
static const latin VOWEL[] = {
    {'a'},           {0x101},        {'i'},          {0x12B},   {'u'},    {0x16B},
    {'r', 0x325},    {'l', 0x325},   {0x115},        {'e'},     {0x113},  {'a', 'i'},
    {0x14F},         {'o'},          {0x14D},        {'a', 'u'},
};
static const latin VOWEL_RR = {'r', 0x325, 0x304}, VOWEL_LL = {'l', 0x325, 0x304};

/* Vowel signs ा (U+093E) to ौ (U+094C); ॢ ॣ apart. */
static const latin SIGN[] = {
    {0x101},   {'i'},     {0x12B},  {'u'},    {0x16B},  {'r', 0x325}, {'r', 0x325, 0x304},
    {0x115},   {'e'},     {0x113},  {'a', 'i'}, {0x14F}, {'o'},       {0x14D},
    {'a', 'u'},
};
static const latin SIGN_L = {'l', 0x325}, SIGN_LL = {'l', 0x325, 0x304};

enum kind { K_CONSONANT, K_VOWEL, K_SIGN, K_VIRAMA, K_ANUSVARA, K_OTHER_SIGN };

struct tok {
    enum kind kind;
    int32_t base;         /* the letter, without its nukta */
    int nukta;            /* a consonant with the nukta */
    const int32_t *latin; /* NULL for the virama and the anusvara */
};

static int is_consonant(int32_t c)
{
    return (c >= 0x915 && c <= 0x939) || (c >= 0x958 && c <= 0x95F);
}

/* The nukta letters U+0958-U+095F as their consonant. */
static int32_t nukta_base(int32_t c)
{
    static const int32_t base[] = {0x915, 0x916, 0x917, 0x91C, 0x921, 0x922, 0x92B, 0x92F};
    return base[c - 0x958];
}

/* The run as tokens; 0 when a code point is not ours. */
static size_t tokens(const int32_t *s, size_t len, struct tok *t)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int32_t c = s[i];
        struct tok x = {0};
        if (is_consonant(c)) {
            x.kind = K_CONSONANT;
            x.nukta = c >= 0x958;
            x.base = x.nukta ? nukta_base(c) : c;
            if (!x.nukta && i + 1 < len && s[i + 1] == NUKTA) {
                x.nukta = 1;
                i++;
            }
            x.latin = x.nukta ? nukta_latin(x.base) : CONSONANT[x.base - 0x915];
            if (!x.latin)
                return 0;
        } else if (c >= 0x905 && c <= 0x914) {
            x = (struct tok){K_VOWEL, c, 0, VOWEL[c - 0x905]};
        } else if (c == 0x960 || c == 0x961) {
            x = (struct tok){K_VOWEL, c, 0, c == 0x960 ? VOWEL_RR : VOWEL_LL};
        } else if (c >= 0x93E && c <= 0x94C) {
            x = (struct tok){K_SIGN, c, 0, SIGN[c - 0x93E]};
        } else if (c == 0x962 || c == 0x963) {
            x = (struct tok){K_SIGN, c, 0, c == 0x962 ? SIGN_L : SIGN_LL};
        } else if (c == VIRAMA) {
            x = (struct tok){K_VIRAMA, c, 0, NULL};
        } else if (c == ANUSVARA) {
            x = (struct tok){K_ANUSVARA, c, 0, NULL};
        } else if (c == CANDRABINDU) {
            static const latin M = {'m', 0x310};
            x = (struct tok){K_OTHER_SIGN, c, 0, M};
        } else if (c == VISARGA) {
            static const latin H = {0x1E25};
            x = (struct tok){K_OTHER_SIGN, c, 0, H};
        } else {
            return 0;
        }
        t[n++] = x;
    }
    return n;
}

/* Well formed, and clear of ICU's misfiring ḍ rule. */
static int well_formed(const struct tok *t, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        enum kind prev = k ? t[k - 1].kind : K_VIRAMA;
        switch (t[k].kind) {
        case K_SIGN:
        case K_VIRAMA:
            if (prev != K_CONSONANT)
                return 0;
            break;
        case K_ANUSVARA:
        case K_OTHER_SIGN:
            if (prev != K_CONSONANT && prev != K_SIGN && prev != K_VOWEL)
                return 0;
            break;
        default:
            break;
        }
        if (k + 2 < n && t[k].kind == K_CONSONANT && t[k].base == DDA && !t[k].nukta &&
            t[k + 1].kind == K_SIGN && t[k + 2].kind == K_CONSONANT && t[k + 2].base == HA)
            return 0;
    }
    return 1;
}

/* The anusvara before consonant c, or at the end / before a vowel (c 0). */
static const int32_t *anusvara(int32_t c)
{
    static const latin NG = {0x1E45}, NY = {'n', 0x304}, NN = {0x1E47}, N = {'n'}, M = {'m'},
                       MDOT = {0x1E41};
    if (c >= 0x915 && c <= 0x919)
        return NG;
    if (c >= 0x91A && c <= 0x91E)
        return NY;
    if (c >= 0x91F && c <= 0x923)
        return NN;
    if (c >= 0x92A && c <= 0x92E)
        return M;
    if (c >= 0x924 && c <= 0x939)
        return N; /* the dentals, and y r l v ś ṣ s h */
    return MDOT;
}

/* ICU writes an apostrophe between consonant a with the virama and b. */
static int kept_apart(int32_t a, int32_t b)
{
    if (b == HA)
        switch (a) {
        case 0x915: case 0x917: case 0x91A: case 0x91C: case 0x91F: case 0x924:
        case 0x926: case 0x92A: case 0x92C: case 0x930: case 0x932: case 0x933:
        case 0x938:
            return 1;
        default:
            return 0;
        }
    switch (a) {
    case 0x924: /* t'ṭ t'ṭh t'th */
        return b == 0x91F || b == 0x920 || b == 0x925;
    case 0x926: /* d'ḍ d'ḍh d'dh */
        return b == 0x921 || b == 0x922 || b == 0x927;
    case 0x928: /* n'g n'y */
        return b == 0x917 || b == 0x92F;
    case 0x92E: /* m'm */
        return b == 0x92E;
    case 0x938: /* s'ś s'ṣ s's */
        return b == 0x936 || b == 0x937 || b == 0x938;
    default:
        return 0;
    }
}

static void put(struct cpbuf *out, const int32_t *l)
{
    for (size_t i = 0; i < 4 && l[i]; i++)
        out->v[out->n++] = l[i];
}

int deva_latin(const int32_t *s, size_t len, struct cpbuf *out)
{
    struct tok t[DEVA_RUN_MAX];
    if (len == 0 || len > DEVA_RUN_MAX)
        return 0;
    size_t n = tokens(s, len, t);
    if (n == 0 || !well_formed(t, n))
        return 0;
    /* each token writes at most 4 code points and an apostrophe, the
     * consonant's "a" one more */
    if (cpbuf_reserve(out, 6 * n))
        return ECTL_ENOMEM;
    int vowel_end = 0; /* what is written so far ends in a vowel */
    for (size_t k = 0; k < n; k++) {
        const struct tok *x = &t[k], *next = k + 1 < n ? &t[k + 1] : NULL;
        const struct tok *before = k >= 2 && t[k - 1].kind == K_VIRAMA ? &t[k - 2] : NULL;
        switch (x->kind) {
        case K_CONSONANT:
            if (before && !before->nukta && kept_apart(before->base, x->base))
                out->v[out->n++] = '\'';
            put(out, x->latin);
            vowel_end = !next || (next->kind != K_VIRAMA && next->kind != K_SIGN);
            if (vowel_end)
                out->v[out->n++] = 'a';
            break;
        case K_VOWEL:
            if (vowel_end || (before && before->base == RA && !before->nukta))
                out->v[out->n++] = '\'';
            put(out, x->latin);
            vowel_end = 1;
            break;
        case K_SIGN:
            put(out, x->latin);
            vowel_end = 1;
            break;
        case K_VIRAMA:
            break;
        case K_ANUSVARA:
            put(out, anusvara(next && next->kind == K_CONSONANT ? next->base : 0));
            vowel_end = 0;
            break;
        case K_OTHER_SIGN:
            put(out, x->latin);
            vowel_end = 0;
            break;
        }
    }
    return 1;
}
