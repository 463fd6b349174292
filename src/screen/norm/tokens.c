/*
 * From a romanised code point stream to the tokens of one name variant:
 * ASCII folding, word splitting, legal forms, "SURNAME, Given" order and
 * the generic / honorific flags.
 */
#include <stdlib.h>
#include <string.h>

#include "ambiguous.h"
#include "norm_int.h"

/* Internal token bits, cleared before the tokens are handed out. */
#define TOK_BEFORE_COMMA 0x8000u
#define TOK_DOT_JOINED 0x4000u /* closed by a dot with a letter right after it: "A.B" */
#define TOK_INTERNAL (TOK_BEFORE_COMMA | TOK_DOT_JOINED)

struct toks {
    struct ectl_norm *n;
    int no_brackets; /* leave out what is in brackets */
    size_t len;      /* bytes used in n->tokbuf */
    size_t count;
};

static int tokbuf_reserve(struct ectl_norm *n, size_t need)
{
    if (n->tokbuf_cap >= need)
        return 0;
    size_t cap = n->tokbuf_cap ? n->tokbuf_cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(n->tokbuf, cap);
    if (!p)
        return ECTL_ENOMEM;
    n->tokbuf = p;
    n->tokbuf_cap = cap;
    return 0;
}

static int raw_reserve(struct ectl_norm *n, size_t need)
{
    if (n->cap_raw >= need)
        return 0;
    size_t cap = n->cap_raw ? n->cap_raw : 32;
    while (cap < need)
        cap *= 2;
    struct rawtok *r = realloc(n->raw, cap * sizeof *r);
    if (!r)
        return ECTL_ENOMEM;
    n->raw = r;
    n->cap_raw = cap;
    return 0;
}

/* Split the stream into ASCII words.  Each word's bytes are appended to
 * tokbuf; a word is closed by any separator.  Commas are remembered by
 * marking the words before the first one. */
static int split(struct ectl_norm *n, const struct cpbuf *s, struct toks *t)
{
    /* A code point folds to at most 8 bytes (fold_slow) plus a NUL; a
     * merge adds at most 8 bytes, and there are fewer tokens than
     * s->n / 2 + 2. */
    if (tokbuf_reserve(n, 16 * s->n + 64) || raw_reserve(n, s->n / 2 + 2))
        return ECTL_ENOMEM;
    t->len = 0;
    t->count = 0;
    int in_tr = 0, in_word = 0, seen_comma = 0, depth = 0;
    struct rawtok *cur = NULL;
    char tmp[16];
    for (size_t i = 0; i <= s->n; i++) {
        int32_t c = i < s->n ? s->v[i] : ' ';
        const char *f;
        if (c == NORM_MARK_TRANSLIT) {
            in_tr = 1;
            continue;
        }
        if (c == NORM_MARK_END) {
            in_tr = 0;
            continue;
        }
        if (c == '(' || c == '[')
            depth++;
        if (c == ',') {
            seen_comma = 1;
            f = "";
        } else if (c == ')' || c == ']') {
            depth -= depth > 0;
            f = "";
        } else if (depth && t->no_brackets) {
            f = "";
        } else {
            f = fold_cp(n, c, tmp);
        }
        if (f[0] == '\'')
            continue;
        if (!f[0]) {
            if (in_word) {
                n->tokbuf[t->len++] = '\0';
                in_word = 0;
                if (c == '.' && i + 1 < s->n && s->v[i + 1] < 0x80 &&
                    fold_cp(n, s->v[i + 1], tmp)[0] > '\'')
                    cur->flags |= TOK_DOT_JOINED;
            }
            continue;
        }
        if (!in_word) {
            cur = &n->raw[t->count++];
            cur->off = (uint32_t)t->len;
            cur->len = 0;
            cur->flags = seen_comma ? 0 : TOK_BEFORE_COMMA;
            in_word = 1;
        }
        if (in_tr)
            cur->flags |= ECTL_TOK_TRANSLIT;
        for (; *f; f++)
            if (cur->len < NORM_TOKEN_MAX) {
                n->tokbuf[t->len++] = *f;
                cur->len++;
            }
    }
    if (!seen_comma)
        for (size_t k = 0; k < t->count; k++)
            n->raw[k].flags &= (uint16_t)~TOK_BEFORE_COMMA;
    return 0;
}

static const char *tok_text(const struct toks *t, size_t i)
{
    return t->n->tokbuf + t->n->raw[i].off;
}

/* Replace tokens [i, i+k) by one token with the given text and flags. */
static void merge(struct toks *t, size_t i, size_t k, const char *text, size_t len, uint16_t flags)
{
    struct rawtok *r = t->n->raw;
    uint16_t keep = 0;
    for (size_t j = i; j < i + k; j++)
        keep |= r[j].flags & (ECTL_TOK_TRANSLIT | TOK_BEFORE_COMMA);
    /* The new text goes after everything else: split() reserved room for
     * one merge per token. */
    char *dst = t->n->tokbuf + t->len;
    memmove(dst, text, len);
    dst[len] = '\0';
    r[i].off = (uint32_t)t->len;
    t->len += len + 1;
    r[i].len = (uint16_t)len;
    r[i].flags = (uint16_t)(flags | keep);
    memmove(&r[i + 1], &r[i + k], (t->count - i - k) * sizeof *r);
    t->count -= k - 1;
}

/* Three or more single letters written with dots and no space ("A.B.C.",
 * "U.S.A.") are one word, an acronym: "A.B.C. Company" is ABC Company and
 * not C.B.A. Company.  Two ("S.A.", "J.C.") are left to the legal forms
 * and to the scorer's initials. */
static void join_dotted(struct toks *t)
{
    struct rawtok *r = t->n->raw;
    for (size_t i = 0; i < t->count; i++) {
        size_t k = 0;
        while (i + k < t->count && r[i + k].len == 1 && k < 8 &&
               (k == 0 || (r[i + k - 1].flags & TOK_DOT_JOINED)))
            k++;
        if (k < 3)
            continue;
        char w[8];
        for (size_t j = 0; j < k; j++)
            w[j] = tok_text(t, i + j)[0];
        merge(t, i, k, w, k, r[i].flags & ECTL_TOK_TRANSLIT);
    }
}

/* Number words to digits ("forty four" -> "44"), before the legal forms
 * so that a merged number is one token like a written one. */
static void mark_numbers(struct toks *t)
{
    struct rawtok *r = t->n->raw;
    for (size_t i = 0; i < t->count; i++) {
        const char *words[2];
        uint16_t lens[2];
        size_t m = t->count - i < 2 ? t->count - i : 2;
        for (size_t j = 0; j < m; j++) {
            words[j] = tok_text(t, i + j);
            lens[j] = r[i + j].len;
        }
        char digits[NUMBERS_OUT_MAX];
        size_t dl = 0;
        size_t k = numbers_read(words, lens, m, digits, &dl);
        if (k)
            merge(t, i, k, digits, dl, r[i].flags & ECTL_TOK_TRANSLIT);
    }
}

/* Short forms that are also words, initials or name particles (CO, SA, AS,
 * AB, AO ...) count only where legal forms stand: a suffix form last or
 * just before another legal form, a prefix form (AO, PT) first, and never
 * as the whole name.  Tokens [i, i+k) would be the form. */
static int legal_position(const struct toks *t, size_t i, size_t k, int amb)
{
    const struct rawtok *r = t->n->raw;
    if (t->count <= k)
        return 0;
    if (amb == 2)
        return i == 0;
    return i + k == t->count || (r[i + k].flags & ECTL_TOK_LEGAL_FORM) ||
           table_is_legal(tok_text(t, i + k), r[i + k].len);
}

/* literal: leave the ambiguous short forms as words (the second reading
 * of a name that has one).  Returns whether an ambiguous form was mapped. */
static int mark_legal(struct toks *t, int literal)
{
    int amb_mapped = 0;
    struct rawtok *r = t->n->raw;
    const char *words[8];
    uint16_t lens[8];
    /* 1. forms of several words, as written: "joint stock company",
     *    "s a de c v" */
    for (size_t i = 0; i < t->count; i++) {
        size_t m = t->count - i < 8 ? t->count - i : 8;
        for (size_t j = 0; j < m; j++) {
            words[j] = tok_text(t, i + j);
            lens[j] = r[i + j].len;
        }
        size_t k = table_legal_phrase(words, lens, m);
        if (k >= 2)
            merge(t, i, k, "llc", 3, ECTL_TOK_LEGAL_FORM);
    }
    /* 2. single letters that spell a form: L.L.C., S.A., S.p.A. */
    for (size_t i = 0; i < t->count; i++) {
        size_t run = 0;
        while (i + run < t->count && r[i + run].len == 1 && run < 6)
            run++;
        for (size_t k = run; k >= 2; k--) {
            char w[8];
            for (size_t j = 0; j < k; j++)
                w[j] = tok_text(t, i + j)[0];
            w[k] = '\0';
            if (!table_is_legal(w, k))
                continue;
            int amb = table_is_legal_ambiguous(w, k);
            if (amb && literal) {
                for (size_t j = 0; j < k; j++)
                    r[i + j].flags |= ECTL_TOK_AMBIGUOUS_FORM;
                continue;
            }
            if (amb ? legal_position(t, i, k, amb) : t->count > k) {
                merge(t, i, k, "llc", 3, ECTL_TOK_LEGAL_FORM);
                amb_mapped |= amb != 0;
                break;
            }
        }
    }
    /* 3. single words */
    for (size_t i = 0; i < t->count; i++) {
        const char *w = tok_text(t, i);
        if (r[i].flags & ECTL_TOK_LEGAL_FORM)
            continue;
        if (!table_is_legal(w, r[i].len)) {
            /* "Siemens Aktiengeselschaft" is Siemens AG: a typo in a long
             * form must not turn it into a rare word of the name. */
            if (t->count > 1 && table_is_legal_misspelt(w, r[i].len))
                merge(t, i, 1, "llc", 3, ECTL_TOK_LEGAL_FORM);
            continue;
        }
        int amb = table_is_legal_ambiguous(w, r[i].len);
        if (amb && literal) {
            r[i].flags |= ECTL_TOK_AMBIGUOUS_FORM;
            continue;
        }
        if (!amb || legal_position(t, i, 1, amb)) {
            merge(t, i, 1, "llc", 3, ECTL_TOK_LEGAL_FORM);
            amb_mapped |= amb != 0;
        }
    }
    /* 4. "Co., Ltd." is one legal form, not two: keep one token */
    for (size_t i = 0; i + 1 < t->count;) {
        if ((r[i].flags & ECTL_TOK_LEGAL_FORM) && (r[i + 1].flags & ECTL_TOK_LEGAL_FORM))
            merge(t, i, 2, "llc", 3, ECTL_TOK_LEGAL_FORM);
        else
            i++;
    }
    return amb_mapped;
}

static void mark_words(struct toks *t)
{
    struct rawtok *r = t->n->raw;
    for (size_t i = 0; i < t->count; i++) {
        if (r[i].flags & ECTL_TOK_LEGAL_FORM)
            continue;
        const char *full = table_abbreviation(tok_text(t, i), r[i].len);
        if (full)
            merge(t, i, 1, full, strlen(full), r[i].flags);
        r[i].flags |= (uint16_t)table_word_flags(tok_text(t, i), r[i].len);
    }
}

/* A patronymic stands between the given name and the surname (Sergey
 * Viktorovich Lavrov, and LAVROV, Sergey Viktorovich once the comma is
 * undone); first or last, a word with its ending is a surname
 * (Lukashevich, Abramovich). */
static void mark_patronymics(struct toks *t)
{
    struct rawtok *r = t->n->raw;
    for (size_t i = 1; i + 1 < t->count; i++)
        if (!(r[i].flags & ECTL_TOK_LEGAL_FORM) && table_is_patronymic(tok_text(t, i), r[i].len))
            r[i].flags |= ECTL_TOK_PATRONYMIC;
}

/* "PUTIN, Vladimir" -> "vladimir putin".  Only for one comma, with words
 * on both sides, the part before the comma one word or in capitals, and no
 * legal-form or generic word anywhere (so "ACME TRADING, LTD" stays). */
static void undo_comma(struct toks *t, const struct comma_info *ci)
{
    struct rawtok *r = t->n->raw;
    if (!(ci->swap_ok & 1))
        return;
    size_t before = 0;
    while (before < t->count && (r[before].flags & TOK_BEFORE_COMMA))
        before++;
    if (before == 0 || before == t->count)
        return;
    for (size_t i = 0; i < t->count; i++)
        if (r[i].flags & (ECTL_TOK_LEGAL_FORM | ECTL_TOK_GENERIC))
            return;
    if (before > 1 && !(ci->swap_ok & 2))
        return;
    /* rotate left by `before` (token records only; the text stays) */
    struct rawtok tmp[ECTL_NORM_MAX_TOKENS];
    if (before > ECTL_NORM_MAX_TOKENS)
        return;
    memcpy(tmp, r, before * sizeof *r);
    memmove(r, r + before, (t->count - before) * sizeof *r);
    memcpy(r + t->count - before, tmp, before * sizeof *r);
}

int tokens_build(struct ectl_norm *n, const struct cpbuf *stream, const struct comma_info *ci,
                 int drop_last, int literal, int no_brackets, struct ectl_norm_result *out,
                 size_t v, int *amb_mapped)
{
    struct toks t = {.n = n, .no_brackets = no_brackets};
    struct ectl_name_form *form = &out->variants[v];
    form->n = 0;
    if (split(n, stream, &t))
        return ECTL_ENOMEM;
    /* The input was cut inside a word: that word is a fragment, unless it
     * is the only one (a 10 kB "word" keeps its first letters). */
    if (drop_last && t.count > 1)
        t.count--;
    join_dotted(&t);
    mark_numbers(&t);
    int amb = mark_legal(&t, literal);
    if (amb_mapped)
        *amb_mapped = amb;
    mark_words(&t);
    undo_comma(&t, ci);
    mark_patronymics(&t);
    char *dst = out->buf + v * ECTL_NORM_BUFSZ;
    size_t used = 0;
    for (size_t i = 0; i < t.count && form->n < ECTL_NORM_MAX_TOKENS; i++) {
        const struct rawtok *r = &n->raw[i];
        if (used + r->len + 1 > ECTL_NORM_BUFSZ)
            break; /* truncated at a token boundary */
        memcpy(dst + used, n->tokbuf + r->off, r->len);
        dst[used + r->len] = '\0';
        form->tok[form->n].text = dst + used;
        form->tok[form->n].len = r->len;
        form->tok[form->n].flags = (uint16_t)(r->flags & ~TOK_INTERNAL);
        form->n++;
        used += r->len + 1u;
    }
    return 0;
}
