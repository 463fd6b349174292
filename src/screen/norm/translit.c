/*
 * ICU transliterators for the scripts we do not romanise ourselves.
 *
 * Cyrillic uses the BGN/PCGN tables of the language (Khrushchev, Dmitriy,
 * Yeltsin) rather than ICU's generic Cyrillic-Latin (ISO 9: Hruŝëv), since
 * BGN/PCGN is what US and UK lists are written in (our own tables in
 * cyrillic.c take the runs they cover; ICU the rest).  Greek uses UNGEGN
 * (β is v; greek.c likewise).  Han is read as Mandarin pinyin.  Everything else goes through
 * Any-Latin; for the Indic scripts that write an inherent vowel, the
 * final "a" that Hindi and Bengali do not pronounce is dropped
 * (व्लादिमीर पुतिन: ICU "vladimira putina", spoken Vladimir Putin).
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "norm_int.h"

static const char *const TR_IDS[TR_COUNT] = {
    [TR_RU] = "Russian-Latin/BGN",    [TR_UK] = "Ukrainian-Latin/BGN",
    [TR_BE] = "Belarusian-Latin/BGN", [TR_GREEK] = "Greek-Latin/UNGEGN",
    [TR_HAN] = "Han-Latin",           [TR_ANY] = "Any-Latin",
};

/* Transliterators are opened on first use and kept by the normaliser.
 * Opening them all up front would cost every process ~190 ms (ICU compiles
 * Han-Latin's rules on the first open, 170 ms) even when it only ever sees
 * Latin names; ICU caches the compiled rules, so later normalisers open
 * them in well under a millisecond. */
int icu_get(struct ectl_norm *n, enum tr_id id, UTransliterator **out)
{
    if (!n->tr[id]) {
        UChar uid[64];
        u_uastrncpy(uid, TR_IDS[id], 63);
        uid[63] = 0;
        UErrorCode st = U_ZERO_ERROR;
        UParseError pe;
        UTransliterator *t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
        if (U_FAILURE(st) || !t) {
            if (t)
                utrans_close(t);
            n->failed_tr = id;
            return st == U_MEMORY_ALLOCATION_ERROR ? ECTL_ENOMEM : ECTL_EIO;
        }
        n->tr[id] = t;
    }
    *out = n->tr[id];
    return 0;
}

const char *icu_tr_name(enum tr_id id)
{
    return TR_IDS[id];
}

void icu_close(struct ectl_norm *n)
{
    for (size_t i = 0; i < TR_COUNT; i++)
        if (n->tr[i])
            utrans_close(n->tr[i]);
}

int icu_script(int32_t c)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode s = uscript_getScript(c, &st);
    return U_FAILURE(st) ? USCRIPT_UNKNOWN : (int)s;
}

static int u16_reserve(struct ectl_norm *n, size_t cap)
{
    if (n->u16_cap >= cap)
        return 0;
    uint16_t *p = realloc(n->u16, cap * sizeof *p);
    if (!p)
        return ECTL_ENOMEM;
    n->u16 = p;
    n->u16_cap = cap;
    return 0;
}

/* Code points to UTF-16 in n->u16; returns the length. */
static size_t to_u16(struct ectl_norm *n, const int32_t *s, size_t len)
{
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = (uint32_t)s[i];
        if (c >= 0x10000) {
            c -= 0x10000;
            n->u16[k++] = (uint16_t)(0xD800 + (c >> 10));
            n->u16[k++] = (uint16_t)(0xDC00 + (c & 0x3FF));
        } else {
            n->u16[k++] = (uint16_t)c;
        }
    }
    return k;
}

int icu_translit(struct ectl_norm *n, enum tr_id id, const int32_t *s, size_t len,
                 struct cpbuf *out)
{
    size_t start = out->n;
    int hit = trc_get(n, id, s, len, out);
    if (hit)
        return hit < 0 ? ECTL_ENOMEM : 0;
    UTransliterator *t;
    int rc = icu_get(n, id, &t);
    if (rc)
        return rc;
    /* Romanisation rarely more than quadruples the length; on overflow ICU
     * says so and we start again with more room. */
    size_t cap = 8 * len + 64;
    for (int attempt = 0; attempt < 4; attempt++, cap *= 4) {
        if (cap > INT32_MAX / 2 || u16_reserve(n, cap))
            return ECTL_ENOMEM;
        int32_t tl = (int32_t)to_u16(n, s, len);
        int32_t limit = tl;
        UErrorCode st = U_ZERO_ERROR;
        utrans_transUChars(t, (UChar *)n->u16, &tl, (int32_t)cap, 0, &limit, &st);
        if (st == U_BUFFER_OVERFLOW_ERROR)
            continue;
        if (U_FAILURE(st))
            return 0; /* leave the run out rather than fail the name */
        if (cpbuf_reserve(out, (size_t)tl))
            return ECTL_ENOMEM;
        for (int32_t i = 0; i < tl && i < (int32_t)cap; i++) {
            uint32_t c = n->u16[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < tl) {
                uint32_t d = n->u16[i + 1];
                if (d >= 0xDC00 && d <= 0xDFFF) {
                    c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                    i++;
                }
            }
            /* BGN/PCGN's "·" keeps t·s apart from ц (ts); for us it would
             * split the word. */
            if (c != 0xB7)
                out->v[out->n++] = (int32_t)c;
        }
        trc_put(n, id, s, len, out->v + start, out->n - start);
        return 0;
    }
    return 0;
}

/* The letters Kazakh (and Kyrgyz, Tatar, Bashkir) add to the Russian
 * alphabet, as the Russian letter a Russian text writes for them:
 * Тоқаев is Токаев (Tokayev), Қасым Касым.  No BGN table of ICU has them,
 * and Any-Latin splits the word at қ (k + U+02CC). */
static int32_t turkic_letter(int32_t c)
{
    switch (c) {
    case 0x04D9: /* ә */
        return 0x0430;
    case 0x0493: /* ғ */
        return 0x0433;
    case 0x049B: /* қ */
        return 0x043A;
    case 0x04A3: /* ң */
        return 0x043D;
    case 0x04E9: /* ө */
        return 0x043E;
    case 0x04B1: /* ұ */
    case 0x04AF: /* ү */
        return 0x0443;
    case 0x04BB: /* һ */
        return 0x0445;
    default:
        return 0;
    }
}

int icu_cyrillic(struct ectl_norm *n, const int32_t *s, size_t len, struct cpbuf *out)
{
    size_t start = out->n;
    /* Input is case-folded: the lower-case letters are enough. */
    size_t k = 0;
    while (k < len && !turkic_letter(s[k]))
        k++;
    if (k < len) {
        n->tmp.n = 0;
        if (cpbuf_reserve(&n->tmp, len))
            return ECTL_ENOMEM;
        for (size_t i = 0; i < len; i++) {
            int32_t r = turkic_letter(s[i]);
            n->tmp.v[n->tmp.n++] = r ? r : s[i];
        }
        s = n->tmp.v; /* icu_translit copies it before tmp is used again */
    }
    /* the language is guessed from the whole name, not this one word */
    static const enum tr_id LANG[] = {[CYR_RU] = TR_RU, [CYR_UK] = TR_UK, [CYR_BE] = TR_BE};
    enum tr_id id = LANG[cyr_guess(n->cps.v, n->cps.n)];
    /* Our tables when they cover every letter of the run (cyrillic.c);
     * they leave nothing in Cyrillic, so Any-Latin is not needed. */
    int rc = cyr_bgn(id, s, len, out);
    if (rc)
        return rc < 0 ? rc : 0;
    rc = icu_translit(n, id, s, len, out);
    if (rc)
        return rc;
    /* Letters the language's table lacks (Serbian ђ, Kazakh ғ ...) are
     * left in Cyrillic: give those to Any-Latin. */
    int left = 0;
    for (size_t i = start; i < out->n && !left; i++)
        left = out->v[i] >= 0x400 && out->v[i] <= 0x52F;
    if (!left)
        return 0;
    n->tmp.n = 0;
    if (cpbuf_append(&n->tmp, out->v + start, out->n - start))
        return ECTL_ENOMEM;
    out->n = start;
    return icu_translit(n, TR_ANY, n->tmp.v, n->tmp.n, out);
}

enum cyr_lang cyr_guess(const int32_t *s, size_t len)
{
    int i_dot = 0, i_plain = 0, uk = 0, be = 0;
    for (size_t k = 0; k < len; k++) {
        switch (s[k]) {
        case 0x0456: /* і */
            i_dot = 1;
            break;
        case 0x0438: /* и */
            i_plain = 1;
            break;
        case 0x0457: /* ї */
        case 0x0454: /* є */
        case 0x0491: /* ґ */
            uk = 1;
            break;
        case 0x045E: /* ў */
            be = 1;
            break;
        }
    }
    if (be)
        return CYR_BE;
    if (uk)
        return CYR_UK;
    if (i_dot)
        return i_plain ? CYR_UK : CYR_BE;
    return CYR_RU;
}

int han_mandarin(struct ectl_norm *n, const int32_t *s, size_t len, struct cpbuf *out)
{
    return han_pinyin(n, s, len, len >= 2 && len <= 4 ? 1 : -1, out);
}

int han_pinyin(struct ectl_norm *n, const int32_t *s, size_t len, int keep, struct cpbuf *out)
{
    size_t start = out->n;
    int rc = han_latin(n, s, len, out);
    if (rc)
        return rc;
    /* Chinese names: surname, then the given name as one word (xi jinping);
     * a foreign name written in Han, all one word (普京 pujing). */
    if (keep >= 0) {
        size_t i = start, o = start;
        int spaces = 0;
        while (i < out->n && out->v[i] == ' ')
            i++;
        for (; i < out->n; i++) {
            if (out->v[i] == ' ' && spaces++ >= keep)
                continue;
            out->v[o++] = out->v[i];
        }
        out->n = o;
    }
    return 0;
}

static int indic_schwa(int script)
{
    return script == USCRIPT_DEVANAGARI || script == USCRIPT_BENGALI ||
           script == USCRIPT_GURMUKHI || script == USCRIPT_GUJARATI || script == USCRIPT_ORIYA;
}

int other_run(struct ectl_norm *n, const struct run *r, struct cpbuf *out)
{
    const int32_t *s = n->cps.v + r->b;
    size_t len = r->e - r->b;
    size_t start = out->n;
    /* Devanagari from our own table where it gives ICU's text
     * (devanagari.c) */
    int rc = r->script == USCRIPT_DEVANAGARI ? deva_latin(s, len, out) : 0;
    if (rc < 0)
        return rc;
    if (rc == 0 && (rc = icu_translit(n, TR_ANY, s, len, out)) != 0)
        return rc;
    if (!indic_schwa(r->script) || out->n == start)
        return 0;
    /* The last letter a consonant (offsets 0x15-0x39 and 0x58-0x5F of each
     * Indic block): its inherent vowel is silent at the end of a word. */
    int32_t last = s[len - 1];
    int off = last & 0x7F;
    if (((off >= 0x15 && off <= 0x39) || (off >= 0x58 && off <= 0x5F)) && out->v[out->n - 1] == 'a')
        out->n--;
    return 0;
}
