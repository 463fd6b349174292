/*
 * Name normalisation and transliteration (internal).
 *
 * Every name, listed or queried, goes through the same pipeline so that
 * what is compared is comparable:
 *   UTF-8 validation -> NFKC + case folding (utf8proc) -> transliteration of
 *   non-Latin scripts to Latin (ICU; a reading dictionary for Japanese kanji;
 *   Korean romanisation) -> removal of diacritics -> punctuation to spaces ->
 *   tokens, with "SURNAME, Given" order undone, legal-form words (LLC, LTD,
 *   CO., OOO, GMBH, JSC, 株式会社, 주식회사 ...) mapped to one class and
 *   honorifics (MR, DR, SHEIKH ...) marked.
 *
 * A struct ectl_norm holds the expensive converters (ICU transliterators,
 * the MeCab tagger); it is not thread-safe: use one per thread.
 */
#ifndef ECTL_SCREEN_NORMALIZE_H
#define ECTL_SCREEN_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include <exportctl/error.h>

#define ECTL_NORM_MAX_TOKENS 32
#define ECTL_NORM_MAX_VARIANTS 4
#define ECTL_NORM_BUFSZ 1024

enum ectl_token_flags {
    ECTL_TOK_LEGAL_FORM = 1 << 0, /* LLC, LTD, 株式会社 ... (text is the class "llc") */
    ECTL_TOK_HONORIFIC = 1 << 1,  /* MR, DR, SHEIKH ... */
    ECTL_TOK_GENERIC = 1 << 2,    /* common business words: TRADING, COMPANY, GROUP ... */
    ECTL_TOK_TRANSLIT = 1 << 3,   /* came from a non-Latin script */
    /* bit 4 is internal (ambiguous.h) */
    ECTL_TOK_PATRONYMIC = 1 << 5, /* Viktorovich, Ivanovna, oglu: a father's name */
    ECTL_TOK_FUNCTION = 1 << 6,   /* the, and, of, for */
};

struct ectl_token {
    const char *text; /* lower-case ASCII letters and digits, NUL-terminated, in buf */
    uint16_t len;
    uint16_t flags;
};

/* One spelling of a name as tokens. */
struct ectl_name_form {
    size_t n;
    struct ectl_token tok[ECTL_NORM_MAX_TOKENS];
};

/* A name may have several readings (河野 is Kono or Kawano; Korean
 * romanisations differ): variants[0] is the most likely. */
struct ectl_norm_result {
    size_t n_variants;
    /* Bit v: variants[v] is the name without its bracketed part ("Deutsche
     * Bank (Schweiz) AG" read as "deutsche bank llc").  A listed name is
     * filed under it, so that a query may leave a qualifier out; a query
     * is not read that way, so that two different qualifiers still differ
     * ("Bank of China (Hong Kong)" is not "Bank of China (Singapore)"). */
    unsigned unbracketed;
    struct ectl_name_form variants[ECTL_NORM_MAX_VARIANTS];
    char buf[ECTL_NORM_BUFSZ * ECTL_NORM_MAX_VARIANTS];
};

struct ectl_norm;

int ectl_norm_new(struct ectl_norm **out, struct ectl_error *err)
    __attribute__((warn_unused_result));
void ectl_norm_free(struct ectl_norm *n);
/* Empty the normaliser's memos (the romanisations it remembers), keeping
 * its converters and its memory: it then answers as a new one would,
 * without opening ICU's transliterators or MeCab again. */
void ectl_norm_forget(struct ectl_norm *n);

/* Normalise len bytes of UTF-8 text.  Invalid UTF-8 is ECTL_EPARSE; an
 * empty result (nothing but punctuation) gives n_variants = 0 and 0. */
int ectl_norm_name(struct ectl_norm *n, const char *text, size_t len,
                   struct ectl_norm_result *out, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* A phonetic key of one token (for candidate generation: names spelled
 * differently but said alike share it, e.g. Korean Kim/Gim, Park/Pak/Bak,
 * Lee/Yi/Rhee).  Writes at most cap-1 bytes plus NUL; returns the length. */
size_t ectl_norm_phonetic_key(const char *token, size_t len, char *out, size_t cap);

#endif
