/*
 * Name normalisation: the pipeline of src/screen/normalize.h.
 *
 * ASCII input (most list and query names) goes straight to the tokeniser.
 * Anything else is put through NFKC and case folding (utf8proc), cut into
 * runs of one script, and every non-Latin run is romanised by the module
 * that knows its script; see norm_int.h for how the variants are formed and
 * docs/normalisation.md for the reasons behind each rule.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include <exportctl/utf8.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include "norm_int.h"

/* ---- growable code point buffers ------------------------------------- */

int cpbuf_reserve(struct cpbuf *b, size_t extra)
{
    if (b->cap - b->n >= extra)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap - b->n < extra)
        cap *= 2;
    int32_t *v = realloc(b->v, cap * sizeof *v);
    if (!v)
        return ECTL_ENOMEM;
    b->v = v;
    b->cap = cap;
    return 0;
}

int cpbuf_push(struct cpbuf *b, int32_t c)
{
    if (b->n == b->cap && cpbuf_reserve(b, 1))
        return ECTL_ENOMEM;
    b->v[b->n++] = c;
    return 0;
}

int cpbuf_append(struct cpbuf *b, const int32_t *v, size_t n)
{
    if (cpbuf_reserve(b, n))
        return ECTL_ENOMEM;
    if (n)
        memcpy(b->v + b->n, v, n * sizeof *v);
    b->n += n;
    return 0;
}

int cpbuf_puts(struct cpbuf *b, const char *s)
{
    size_t len = strlen(s);
    if (cpbuf_reserve(b, len))
        return ECTL_ENOMEM;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    while (len) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)len, &c);
        if (k <= 0)
            break; /* our own tables are valid UTF-8 */
        b->v[b->n++] = c;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

void cpbuf_release(struct cpbuf *b)
{
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

void alts_reset(struct alts *a)
{
    for (size_t i = 0; i < ECTL_NORM_MAX_VARIANTS; i++)
        a->a[i].n = 0;
    a->n = 0;
}

struct cpbuf *alts_add(struct alts *a)
{
    if (a->n == ECTL_NORM_MAX_VARIANTS)
        return NULL;
    struct cpbuf *b = &a->a[a->n++];
    b->n = 0;
    return b;
}

void alts_dedup_last(struct alts *a)
{
    if (a->n < 2)
        return;
    const struct cpbuf *last = &a->a[a->n - 1];
    for (size_t i = 0; i + 1 < a->n; i++)
        if (a->a[i].n == last->n && !memcmp(a->a[i].v, last->v, last->n * sizeof *last->v)) {
            a->n--;
            return;
        }
}

static int ascii_sep(unsigned char c)
{
    return !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') &&
           c != '\'' && c < 0x80;
}

/* How much of the input to look at: all of it up to NORM_INPUT_MAX bytes,
 * else a prefix ending at an ASCII separator when there is one near the
 * limit, else at a code point boundary (and the last, cut word goes). */
static size_t input_cut(const char *text, size_t len, int *cut_in_word)
{
    *cut_in_word = 0;
    if (len <= NORM_INPUT_MAX)
        return len;
    size_t c = NORM_INPUT_MAX;
    while (c > 0 && ((unsigned char)text[c] & 0xC0) == 0x80)
        c--;
    for (size_t i = c; i > 0 && i + 256 > c; i--)
        if (ascii_sep((unsigned char)text[i - 1]))
            return i;
    *cut_in_word = !ascii_sep((unsigned char)text[c]);
    return c;
}

/* The "SURNAME, Given" test needs the case of the original letters, which
 * case folding removes: look at the raw text.  Only a single comma counts
 * (ASCII or fullwidth); the part before it qualifies when it has capitals
 * and no lower-case letter.  tokens.c adds the rest of the rule. */
static void comma_scan(const char *text, size_t len, int ascii, struct comma_info *ci)
{
    ci->swap_ok = 0;
    size_t commas = 0, at = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == ',' || (c == 0xEF && i + 2 < len && (unsigned char)text[i + 1] == 0xBC &&
                         (unsigned char)text[i + 2] == 0x8C)) {
            if (commas++ == 0)
                at = i;
        }
    }
    if (commas != 1)
        return;
    int upper = 0, lower = 0;
    if (ascii) {
        for (size_t i = 0; i < at; i++) {
            unsigned char c = (unsigned char)text[i];
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
        }
    } else {
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
        size_t i = 0;
        while (i < at) {
            utf8proc_int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(at - i), &c);
            if (k <= 0)
                break;
            utf8proc_category_t cat = utf8proc_category(c);
            upper |= cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
            lower |= cat == UTF8PROC_CATEGORY_LL;
            i += (size_t)k;
        }
    }
    /* bit 0: a single comma; bit 1: the part before it is in capitals */
    ci->swap_ok = 1 | ((upper && !lower) << 1);
}

/* ---- script classes --------------------------------------------------- */

int is_hangul_syllable(int32_t c)
{
    return c >= 0xAC00 && c <= 0xD7A3;
}

int is_kana(int32_t c)
{
    return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FA) || c == 0x30FC ||
           (c >= 0x30FD && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF);
}

int is_han(int32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F) || c == 0x3005 ||
           c == 0x3006 || c == 0x3007;
}

static int is_latin_range(int32_t c)
{
    return c < 0x2B0 || (c >= 0x1D00 && c <= 0x1DBF) || (c >= 0x1E00 && c <= 0x1EFF) ||
           (c >= 0x2C60 && c <= 0x2C7F) || (c >= 0xA720 && c <= 0xA7FF) ||
           (c >= 0xAB30 && c <= 0xAB6F);
}

enum { K_MARK = -1 };

/* The kind of one code point (K_MARK for combining marks, which go with
 * the run before them).  has_kana: the name has kana somewhere, so Han
 * characters in it are Japanese. */
static int classify(int32_t c, int has_kana, int *script)
{
    *script = 0;
    if (c < 0x80) {
        unsigned char a = (unsigned char)c;
        return (a >= 'a' && a <= 'z') || (a >= '0' && a <= '9') || (a >= 'A' && a <= 'Z')
                   ? RUN_LATIN
                   : RUN_SEP;
    }
    if (is_hangul_syllable(c))
        return RUN_HANGUL;
    if (is_kana(c))
        return RUN_JAPANESE;
    if (is_han(c))
        return has_kana ? RUN_JAPANESE : RUN_HAN;
    if (c == 0x05F3)
        return RUN_HEBREW; /* geresh: part of the letter before it (ג׳ j) */
    utf8proc_category_t cat = utf8proc_category(c);
    switch (cat) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
        return K_MARK;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
        break;
    case UTF8PROC_CATEGORY_ND:
        return RUN_LATIN; /* every decimal digit becomes ASCII in fold_cp */
    default:
        return RUN_SEP;
    }
    if (is_latin_range(c))
        return RUN_LATIN;
    int s = icu_script(c);
    switch (s) {
    case USCRIPT_LATIN:
    case USCRIPT_COMMON:
    case USCRIPT_INHERITED:
        return RUN_LATIN;
    case USCRIPT_CYRILLIC:
        return RUN_CYRILLIC;
    case USCRIPT_GREEK:
        return RUN_GREEK;
    case USCRIPT_ARABIC:
        return RUN_ARABIC;
    case USCRIPT_HEBREW:
        return RUN_HEBREW;
    case USCRIPT_HAN:
        return has_kana ? RUN_JAPANESE : RUN_HAN;
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
        return RUN_JAPANESE;
    default:
        *script = s;
        return RUN_OTHER;
    }
}

static int add_run(struct ectl_norm *n, size_t b, size_t e, int kind, int script)
{
    if (n->n_runs == n->cap_runs) {
        size_t cap = n->cap_runs ? 2 * n->cap_runs : 16;
        struct run *r = realloc(n->runs, cap * sizeof *r);
        if (!r)
            return ECTL_ENOMEM;
        n->runs = r;
        n->cap_runs = cap;
    }
    n->runs[n->n_runs++] =
        (struct run){.b = b, .e = e, .kind = (enum run_kind)kind, .script = script};
    return 0;
}

static int only_spaces(const int32_t *v, size_t b, size_t e)
{
    for (size_t i = b; i < e; i++)
        if (v[i] != ' ')
            return 0;
    return 1;
}

/* Cut n->cps into runs.  Arabic and Hebrew runs swallow the spaces
 * between their words, because their romanisers look at word pairs
 * ("عبد الله" is one name, Abdullah). */
static int segment(struct ectl_norm *n)
{
    const int32_t *v = n->cps.v;
    size_t len = n->cps.n;
    int has_kana = 0;
    for (size_t i = 0; i < len && !has_kana; i++)
        has_kana = is_kana(v[i]) && v[i] != 0x30FC && v[i] != 0x30FB;
    n->n_runs = 0;
    size_t i = 0;
    while (i < len) {
        int script;
        int kind = classify(v[i], has_kana, &script);
        if (kind == K_MARK)
            kind = RUN_SEP; /* a mark with nothing to sit on */
        size_t j = i + 1;
        while (j < len) {
            int s2;
            int k2 = classify(v[j], has_kana, &s2);
            if (k2 == K_MARK && kind != RUN_SEP) {
                j++;
                continue;
            }
            if (k2 != kind || (kind == RUN_OTHER && s2 != script))
                break;
            j++;
        }
        if ((kind == RUN_ARABIC || kind == RUN_HEBREW) && n->n_runs >= 2) {
            struct run *sep = &n->runs[n->n_runs - 1];
            struct run *prev = &n->runs[n->n_runs - 2];
            if (prev->kind == (enum run_kind)kind && sep->kind == RUN_SEP &&
                only_spaces(v, sep->b, sep->e)) {
                prev->e = j;
                n->n_runs--;
                i = j;
                continue;
            }
        }
        if (add_run(n, i, j, kind, script))
            return ECTL_ENOMEM;
        i = j;
    }
    return 0;
}

/* ---- building the variants -------------------------------------------- */

/* "(주)" and "㈜" (NFKC gives "(주)") stand for 주식회사. */
static int paren_ju(const struct ectl_norm *n, const struct run *r)
{
    return r->e - r->b == 1 && n->cps.v[r->b] == 0xC8FC && r->b > 0 && r->e < n->cps.n &&
           n->cps.v[r->b - 1] == '(' && n->cps.v[r->e] == ')';
}

/* Korean person mode: the only letters are Hangul, in at most three words,
 * and they read as surname + given name. */
static int korean_person(struct ectl_norm *n)
{
    size_t words = 0, syl = 0;
    int32_t buf[8];
    for (size_t r = 0; r < n->n_runs; r++) {
        const struct run *run = &n->runs[r];
        if (run->kind == RUN_SEP)
            continue;
        if (run->kind != RUN_HANGUL)
            return 0;
        if (hangul_is_legal(n->cps.v + run->b, run->e - run->b) || paren_ju(n, run))
            return 0;
        for (size_t k = run->b; k < run->e; k++) {
            if (!is_hangul_syllable(n->cps.v[k]))
                continue;
            if (syl == 8)
                return 0;
            buf[syl++] = n->cps.v[k];
        }
        words++;
    }
    if (!words || words > 3)
        return 0;
    /* the first word must hold the surname: check it alone when split */
    if (words > 1) {
        size_t first = 0;
        for (size_t r = 0; r < n->n_runs; r++)
            if (n->runs[r].kind == RUN_HANGUL) {
                first = n->runs[r].e - n->runs[r].b;
                break;
            }
        if (first > 2 || !hangul_looks_like_person(buf, first, 2))
            return 0;
        return syl >= 2 && syl <= 5;
    }
    return hangul_looks_like_person(buf, syl, 1);
}

/* Modern Greek spells b, d and g of other languages with two letters
 * (Βλαντίμιρ is Vladimir, Τραμπ Trump): write those as Latin letters before
 * ICU, which leaves Latin alone.  The run goes to n->tmp. */
int greek_digraphs(struct ectl_norm *n, const int32_t *s, size_t len)
{
    n->tmp.n = 0;
    if (cpbuf_reserve(&n->tmp, 2 * len))
        return ECTL_ENOMEM;
    for (size_t i = 0; i < len; i++) {
        int32_t c = s[i], d = i + 1 < len ? s[i + 1] : 0;
        int first = i == 0, last = i + 2 >= len;
        if (c == 0x03BD && d == 0x03C4) { /* ντ */
            n->tmp.v[n->tmp.n++] = 'd';
            i++;
        } else if (c == 0x03BC && d == 0x03C0) { /* μπ */
            if (!first)
                n->tmp.v[n->tmp.n++] = 'm';
            n->tmp.v[n->tmp.n++] = first ? 'b' : last ? 'p' : 'b';
            i++;
        } else if (c == 0x03B3 && d == 0x03BA) { /* γκ */
            if (!first && !last)
                n->tmp.v[n->tmp.n++] = 'n';
            n->tmp.v[n->tmp.n++] = 'g';
            i++;
        } else {
            n->tmp.v[n->tmp.n++] = c;
        }
    }
    return 0;
}

static int middle_dot(int32_t c)
{
    return c == 0xB7 || c == 0x30FB || c == 0x2022 || c == 0x2027;
}

/* Is the run next to a middle dot, the separator of transcribed foreign
 * names in Chinese and Japanese? */
static int dotted(const struct ectl_norm *n, const struct run *r)
{
    return (r->b > 0 && middle_dot(n->cps.v[r->b - 1])) ||
           (r->e < n->cps.n && middle_dot(n->cps.v[r->e]));
}

static int run_alts(struct ectl_norm *n, const struct run *r, struct alts *a)
{
    const int32_t *s = n->cps.v + r->b;
    size_t len = r->e - r->b;
    struct cpbuf *out;
    alts_reset(a);
    switch (r->kind) {
    case RUN_HANGUL:
        if (hangul_is_legal(s, len) || paren_ju(n, r)) {
            out = alts_add(a);
            return cpbuf_puts(out, "jusikhoesa");
        }
        return hangul_word(n, s, len, a);
    case RUN_JAPANESE:
        /* Kana alone needs no dictionary (and MeCab would cut an unknown
         * name into syllables); kanji do. */
        for (size_t i = 0; i < len; i++)
            if (is_han(s[i]))
                return ja_run(n, s, len, a);
        out = alts_add(a);
        return kana_romanise(s, len, out);
    case RUN_HAN:
        if (dotted(n, r)) {
            /* 弗拉基米尔·普京: a foreign name spelled in Han, word by word */
            out = alts_add(a);
            return han_pinyin(n, s, len, 0, out);
        }
        return han_run(n, s, len, a);
    case RUN_CYRILLIC:
        out = alts_add(a);
        return icu_cyrillic(n, s, len, out);
    case RUN_GREEK:
        out = alts_add(a);
        if (greek_digraphs(n, s, len))
            return ECTL_ENOMEM;
        {
            /* our table (greek.c) when it covers the run, else ICU */
            int rc = greek_ungegn(n->tmp.v, n->tmp.n, out);
            if (rc)
                return rc < 0 ? rc : 0;
        }
        return icu_translit(n, TR_GREEK, n->tmp.v, n->tmp.n, out);
    case RUN_ARABIC:
        return arabic_run(s, len, a);
    case RUN_HEBREW:
        return hebrew_run(s, len, a);
    case RUN_OTHER:
        out = alts_add(a);
        return other_run(n, r, out);
    case RUN_SEP:
    case RUN_LATIN:
        break;
    }
    return 0;
}

static int wrap_translit(struct cpbuf *dst, const struct cpbuf *src)
{
    if (cpbuf_reserve(dst, src->n + 2))
        return ECTL_ENOMEM;
    dst->v[dst->n++] = NORM_MARK_TRANSLIT;
    memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    dst->v[dst->n++] = NORM_MARK_END;
    return 0;
}

/* Build n->var[0 .. *n_var) from the runs. */
static int build_variants(struct ectl_norm *n, size_t *n_var)
{
    size_t built = 1;
    for (size_t v = 0; v < ECTL_NORM_MAX_VARIANTS; v++)
        n->var[v].n = 0;
    if (korean_person(n)) {
        alts_reset(&n->alt);
        int rc = hangul_person(n, n->runs, n->n_runs, &n->alt);
        if (rc)
            return rc;
        for (size_t v = 0; v < n->alt.n; v++)
            if (wrap_translit(&n->var[v], &n->alt.a[v]))
                return ECTL_ENOMEM;
        if (n->alt.n) {
            *n_var = n->alt.n;
            return 0;
        }
    }
    int prev_letters = 0;
    for (size_t r = 0; r < n->n_runs; r++) {
        const struct run *run = &n->runs[r];
        if (run->kind == RUN_SEP || run->kind == RUN_LATIN) {
            for (size_t v = 0; v < built; v++)
                if (cpbuf_append(&n->var[v], n->cps.v + run->b, run->e - run->b))
                    return ECTL_ENOMEM;
            prev_letters = run->kind == RUN_LATIN;
            continue;
        }
        int rc = run_alts(n, run, &n->alt);
        if (rc)
            return rc;
        if (!n->alt.n)
            continue;
        for (size_t v = built; v < n->alt.n; v++) {
            n->var[v].n = 0;
            if (cpbuf_append(&n->var[v], n->var[built - 1].v, n->var[built - 1].n))
                return ECTL_ENOMEM;
        }
        if (n->alt.n > built)
            built = n->alt.n;
        for (size_t v = 0; v < built; v++) {
            /* Scripts written without spaces between them ("ABC株式会社")
             * still make separate words. */
            if (prev_letters && cpbuf_push(&n->var[v], ' '))
                return ECTL_ENOMEM;
            size_t k = v < n->alt.n ? v : n->alt.n - 1;
            if (wrap_translit(&n->var[v], &n->alt.a[k]))
                return ECTL_ENOMEM;
        }
        prev_letters = 1;
    }
    *n_var = built;
    return 0;
}

static int variants_equal(const struct ectl_name_form *a, const struct ectl_name_form *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->tok[i].len != b->tok[i].len || memcmp(a->tok[i].text, b->tok[i].text, a->tok[i].len))
            return 0;
    return 1;
}

/* ---- public API -------------------------------------------------------- */

int ectl_norm_new(struct ectl_norm **out, struct ectl_error *err)
{
    if (!out)
        return ectl_error_set(err, ECTL_EINVAL, "ectl_norm_new: no output pointer");
    *out = NULL;
    struct ectl_norm *n = calloc(1, sizeof *n);
    if (!n)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    fold_init_table(n);
    int rc = ja_open(n, err);
    if (rc) {
        ectl_norm_free(n);
        return rc;
    }
    *out = n;
    return 0;
}

void ectl_norm_free(struct ectl_norm *n)
{
    if (!n)
        return;
    han_cache_free(n);
    trc_free(n);
    icu_close(n);
    ja_close(n);
    cpbuf_release(&n->cps);
    cpbuf_release(&n->tmp);
    for (size_t i = 0; i < ECTL_NORM_MAX_VARIANTS; i++) {
        cpbuf_release(&n->var[i]);
        cpbuf_release(&n->alt.a[i]);
    }
    free(n->runs);
    free(n->u16);
    free(n->u8);
    free(n->tokbuf);
    free(n->raw);
    free(n);
}

void ectl_norm_forget(struct ectl_norm *n)
{
    if (!n)
        return;
    trc_clear(n); /* the Han readings are the process's (pinyin.c) */
}

static int nfkc_casefold(struct ectl_norm *n, const char *text, size_t len)
{
    const utf8proc_option_t opt =
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    n->cps.n = 0;
    if (cpbuf_reserve(&n->cps, len + 16))
        return ECTL_ENOMEM;
    for (;;) {
        utf8proc_ssize_t got =
            utf8proc_decompose((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len, n->cps.v,
                               (utf8proc_ssize_t)n->cps.cap, opt);
        if (got < 0)
            return ECTL_EPARSE; /* cannot happen: the input was validated */
        if ((size_t)got <= n->cps.cap) {
            got = utf8proc_normalize_utf32(n->cps.v, got, opt);
            if (got < 0)
                return ECTL_EPARSE;
            n->cps.n = (size_t)got;
            return 0;
        }
        if (cpbuf_reserve(&n->cps, (size_t)got))
            return ECTL_ENOMEM;
    }
}

/* Whether the text has a bracketed part with a word after it is closed
 * or before it is opened: "X (Y)", not "(Y)" alone. */
static int has_brackets(const struct cpbuf *s)
{
    size_t open = s->n;
    for (size_t i = 0; i < s->n && open == s->n; i++)
        if (s->v[i] == '(' || s->v[i] == '[')
            open = i;
    return open < s->n;
}

int ectl_norm_name(struct ectl_norm *n, const char *text, size_t len, struct ectl_norm_result *out,
                   struct ectl_error *err)
{
    if (!out)
        return ectl_error_set(err, ECTL_EINVAL, "ectl_norm_name: no result");
    out->n_variants = 0;
    out->unbracketed = 0;
    if (!n || (!text && len))
        return ectl_error_set(err, ECTL_EINVAL, "ectl_norm_name: no normaliser or text");
    size_t bad = ectl_utf8_valid_prefix(text, len);
    if (bad != len)
        return ectl_error_set(err, ECTL_EPARSE, "invalid UTF-8 at byte %zu of the name", bad);
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)text[i] < 0x80;
    int cut_in_word;
    len = input_cut(text, len, &cut_in_word);
    struct comma_info ci;
    comma_scan(text, len, ascii, &ci);

    int rc;
    size_t n_var = 1;
    const struct cpbuf *streams = n->var;
    if (ascii) {
        /* The fast path: no Unicode work at all. */
        n->var[0].n = 0;
        if (cpbuf_reserve(&n->var[0], len))
            goto nomem;
        for (size_t i = 0; i < len; i++)
            n->var[0].v[i] = (unsigned char)text[i];
        n->var[0].n = len;
    } else {
        rc = nfkc_casefold(n, text, len);
        if (rc == ECTL_ENOMEM)
            goto nomem;
        if (rc)
            return ectl_error_set(err, rc, "name cannot be normalised");
        if (segment(n))
            goto nomem;
        int latin_only = 1;
        for (size_t r = 0; r < n->n_runs && latin_only; r++)
            latin_only = n->runs[r].kind == RUN_SEP || n->runs[r].kind == RUN_LATIN;
        if (latin_only) {
            streams = &n->cps;
        } else {
            rc = build_variants(n, &n_var);
            if (rc == ECTL_ENOMEM)
                goto nomem;
            if (rc)
                return ectl_error_set(err, rc, "icu: cannot open transliterator %s",
                                      icu_tr_name(n->failed_tr));
        }
    }
    /* A short ambiguous legal form (SE, AS, CO, PT ...) may be a word of
     * a person's name ("PAK HAN SE"): when the first reading mapped one,
     * the same text with those words kept literal is a further variant,
     * after the others (the index keeps it alone for persons, a query
     * matches with either). */
    int amb_first = 0;
    for (size_t v = 0; v <= n_var && out->n_variants < ECTL_NORM_MAX_VARIANTS; v++) {
        int literal = v == n_var;
        if (literal && !amb_first)
            break;
        size_t at = out->n_variants;
        int amb = 0;
        if (tokens_build(n, &streams[literal ? 0 : v], &ci, cut_in_word, literal, 0, out, at,
                         &amb))
            goto nomem;
        if (v == 0)
            amb_first = amb;
        if (!out->variants[at].n)
            continue;
        int dup = 0;
        for (size_t k = 0; k < at && !dup; k++)
            dup = variants_equal(&out->variants[k], &out->variants[at]);
        if (!dup)
            out->n_variants++;
    }
    /* A part in brackets qualifies the name: a country ("Deutsche Bank
     * (Schweiz) AG"), an acronym, a former name.  The name without it is
     * a further reading, so that either side may leave it out. */
    if (out->n_variants && out->n_variants < ECTL_NORM_MAX_VARIANTS && has_brackets(&streams[0])) {
        size_t at = out->n_variants;
        if (tokens_build(n, &streams[0], &ci, cut_in_word, 0, 1, out, at, NULL))
            goto nomem;
        int dup = !out->variants[at].n;
        for (size_t k = 0; k < at && !dup; k++)
            dup = variants_equal(&out->variants[k], &out->variants[at]);
        if (!dup)
            out->unbracketed |= 1u << out->n_variants++;
    }
    return 0;
nomem:
    out->n_variants = 0;
    return ectl_error_set(err, ECTL_ENOMEM, "out of memory normalising a name");
}
