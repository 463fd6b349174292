/*
 * Internals of the name normaliser (src/screen/normalize.h).
 *
 * The pipeline works on code points.  After validation, NFKC and case
 * folding, the text is cut into runs of one kind (Latin, Hangul, Japanese,
 * Han, Cyrillic, ...); each non-Latin run is romanised into up to
 * ECTL_NORM_MAX_VARIANTS alternative Latin spellings, and variant k of the
 * name is the concatenation of alternative min(k, n-1) of every run.  Each
 * variant is then folded to ASCII and tokenised (tokens.c).
 *
 * Romanised text is marked with NORM_MARK_TRANSLIT ... NORM_MARK_END so
 * that the tokens it yields carry ECTL_TOK_TRANSLIT.  Every buffer here is
 * owned by struct ectl_norm and reused from call to call: after warm-up our
 * own code allocates nothing (ICU and MeCab do, inside).
 */
#ifndef ECTL_SCREEN_NORM_INT_H
#define ECTL_SCREEN_NORM_INT_H

#include <stddef.h>
#include <stdint.h>

#include <unicode/utrans.h>

#include "../normalize.h"

/* Markers inside a code point stream; never valid code points. */
#define NORM_MARK_TRANSLIT (-1)
#define NORM_MARK_END (-2)

/* Input beyond this many bytes is not looked at (it is still validated):
 * 32 tokens of any script fit in far less, and the bound keeps the cost of
 * NFKC, ICU and MeCab on a hostile 10 MB "name" small. */
#define NORM_INPUT_MAX 4096
/* A longer token is cut: nothing that long is a name. */
#define NORM_TOKEN_MAX 255

struct cpbuf {
    int32_t *v;
    size_t n;
    size_t cap;
};

int cpbuf_reserve(struct cpbuf *b, size_t extra);
int cpbuf_push(struct cpbuf *b, int32_t c);
/* Append an ASCII/UTF-8 string (decoded). */
int cpbuf_puts(struct cpbuf *b, const char *s);
int cpbuf_append(struct cpbuf *b, const int32_t *v, size_t n);
void cpbuf_release(struct cpbuf *b);

/* What a stretch of text is, for the choice of romaniser. */
enum run_kind {
    RUN_SEP = 0,  /* spaces, punctuation, symbols: copied as they are */
    RUN_LATIN,    /* Latin letters and every digit: folded later */
    RUN_HANGUL,   /* precomposed Hangul syllables */
    RUN_JAPANESE, /* kana, or kanji written with kana */
    RUN_HAN,      /* Han characters with no kana anywhere in the name */
    RUN_CYRILLIC,
    RUN_GREEK,
    RUN_ARABIC,
    RUN_HEBREW,
    RUN_OTHER, /* any other script: ICU Any-Latin */
};

struct run {
    size_t b, e; /* [b, e) in norm->cps */
    enum run_kind kind;
    int script; /* ICU UScriptCode for RUN_OTHER */
};

/* Up to ECTL_NORM_MAX_VARIANTS romanisations of one run. */
struct alts {
    size_t n;
    struct cpbuf a[ECTL_NORM_MAX_VARIANTS];
};

enum cyr_lang { CYR_RU, CYR_UK, CYR_BE };

/* ICU transliterators (translit.c), opened on first use. */
enum tr_id { TR_RU, TR_UK, TR_BE, TR_GREEK, TR_HAN, TR_ANY, TR_COUNT };

struct ectl_norm {
    UTransliterator *tr[TR_COUNT]; /* see translit.c */
    enum tr_id failed_tr;          /* the one that could not be opened */
    struct han_cache *han;         /* pinyin.c, made on first use */
    struct tr_cache *trc;          /* trcache.c, made on first use */
    void *mecab_model;             /* mecab_model_t */
    void *mecab_tagger;            /* mecab_t */
    void *mecab_lattice;           /* mecab_lattice_t */

    /* Latin-1 Supplement and Latin Extended-A/B folded to ASCII, built
     * once so that accented Latin names need no utf8proc call per letter. */
    char latin_fold[0x250 - 0x80][4];

    struct cpbuf cps; /* the name after NFKC and case folding */
    struct run *runs;
    size_t n_runs, cap_runs;
    struct alts alt; /* romanisations of the run being processed */
    struct cpbuf var[ECTL_NORM_MAX_VARIANTS];
    struct cpbuf tmp; /* scratch for the romanisers */
    uint16_t *u16;    /* ICU scratch (UChar) */
    size_t u16_cap;
    char *u8; /* MeCab scratch */
    size_t u8_cap;
    /* tokeniser scratch */
    char *tokbuf;
    size_t tokbuf_cap;
    struct rawtok *raw;
    size_t cap_raw;
};

/* ---- fold.c: Latin to ASCII ------------------------------------------ */

void fold_init_table(struct ectl_norm *n);
/* ASCII letters and digits of one code point (lower case), or "" for a
 * separator, or "'" for an apostrophe (dropped without splitting). */
const char *fold_cp(const struct ectl_norm *n, int32_t c, char tmp[16]);
int is_apostrophe(int32_t c);

/* ---- script classes (norm.c) ------------------------------------------ */

int is_hangul_syllable(int32_t c);
int is_kana(int32_t c);
int is_han(int32_t c);

/* ---- tokens.c: ASCII tokens, comma order, legal forms ------------------ */

struct rawtok {
    uint32_t off; /* in tokbuf */
    uint16_t len;
    uint16_t flags;
};

/* What the raw text says about "SURNAME, Given" (norm.c comma_scan). */
struct comma_info {
    int swap_ok; /* bit 0: exactly one comma; bit 1: the part before it is in capitals */
};

/* Tokenise one variant stream and write it as out->variants[v] (text in
 * out->buf[v * ECTL_NORM_BUFSZ ...]).  drop_last drops the last raw token
 * (the input was cut inside a word).  literal leaves the ambiguous short
 * legal forms (SE, AS, CO, PT ...) as words; *amb_mapped (when not NULL)
 * tells whether one was mapped to the class.  no_brackets leaves out the
 * words in round or square brackets.  Returns 0 or ECTL_ENOMEM. */
int tokens_build(struct ectl_norm *n, const struct cpbuf *stream, const struct comma_info *ci,
                 int drop_last, int literal, int no_brackets, struct ectl_norm_result *out,
                 size_t v, int *amb_mapped);

/* Tables (tables.c).  Lookups on lower-case ASCII tokens. */
int table_is_legal(const char *s, size_t len);
/* 0: not ambiguous; 1: a suffix form (CO, SA, AG ...); 2: a prefix form
 * (AO, PT). */
int table_is_legal_ambiguous(const char *s, size_t len);
/* The ECTL_TOK_GENERIC, ECTL_TOK_HONORIFIC and ECTL_TOK_FUNCTION flags of
 * a word: whether it is a generic business word, an honorific, a function
 * word (one look-up for the three). */
unsigned table_word_flags(const char *s, size_t len);
/* The generic word an abbreviation stands for ("intl": "international"), or NULL. */
const char *table_abbreviation(const char *s, size_t len);
/* ---- numbers.c --------------------------------------------------------- */

/* An English number written in words at the start of tok[0..n) ("forty
 * four", "forty-fourth", "three", "first") or a digit ordinal ("1st"):
 * writes its digits to out (NUMBERS_OUT_MAX bytes, not NUL-terminated) and
 * returns how many tokens it took, else 0.  An ordinal with more digits
 * than out holds is left as it is written. */
#define NUMBERS_OUT_MAX 16
size_t numbers_read(const char *const *tok, const uint16_t *len, size_t n, char *out,
                    size_t *out_len);

/* A patronymic: an East Slavic one by its ending (Viktorovich, Ivanovna)
 * or a Turkic "son/daughter of" word (oglu, kyzy). */
int table_is_patronymic(const char *s, size_t len);
/* A long single-word legal form misspelt by an edit (10-13 letters) or
 * two (14 or more): "Aktiengeselschaft", "Corporaton". */
int table_is_legal_misspelt(const char *s, size_t len);
/* A multi-token legal form starting at tok[i]: returns how many tokens it
 * spans (0 if none). */
size_t table_legal_phrase(const char *const *tok, const uint16_t *len, size_t n);
/* 1 when every table is sorted and consistent (for the unit tests). */
int table_self_check(void);

/* ---- romanisers: each appends to alts (norm->alt) ---------------------- */

/* hangul.c.  person: treat the Hangul runs as one Korean person's name. */
int hangul_person(struct ectl_norm *n, const struct run *runs, size_t n_runs, struct alts *out);
int hangul_word(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out);
/* Could s (Hangul syllables) be a person's name: a known surname, then a
 * two-syllable given name (one or two after a two-syllable surname)?  With
 * n_words >= 2, s is the first of several words: is it a surname alone? */
int hangul_looks_like_person(const int32_t *s, size_t len, size_t n_words);
int hangul_is_legal(const int32_t *s, size_t len);

/* kana.c: kana to Hepburn, long vowels folded (kouno -> kono). */
int kana_romanise(const int32_t *s, size_t len, struct cpbuf *out);

/* japanese.c: MeCab. */
int ja_open(struct ectl_norm *n, struct ectl_error *err);
void ja_close(struct ectl_norm *n);
/* Japanese run (kana and kanji). */
int ja_run(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out);
/* Han-only run: Japanese reading and/or Mandarin, the likelier first. */
int han_run(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out);

/* arabic.c, hebrew.c: own romanisers with a table of common names. */
int arabic_run(const int32_t *s, size_t len, struct alts *out);
int hebrew_run(const int32_t *s, size_t len, struct alts *out);

/* translit.c: ICU. */
void icu_close(struct ectl_norm *n);
const char *icu_tr_name(enum tr_id id);
/* Transliterate s with transliterator id, appending to out.  ECTL_EIO when
 * ICU cannot open it (n->failed_tr says which). */
int icu_translit(struct ectl_norm *n, enum tr_id id, const int32_t *s, size_t len,
                 struct cpbuf *out);
/* The transliterator id, opened on first use. */
int icu_get(struct ectl_norm *n, enum tr_id id, UTransliterator **out);
int icu_script(int32_t c);
enum cyr_lang cyr_guess(const int32_t *s, size_t len);
/* A Cyrillic run: BGN/PCGN of the language cyr_guess() picks. */
int icu_cyrillic(struct ectl_norm *n, const int32_t *s, size_t len, struct cpbuf *out);
/* cyrillic.c: BGN/PCGN of a case-folded Cyrillic run (id TR_RU, TR_UK or
 * TR_BE) from our own tables, the same text as icu_translit().  Returns 1
 * when done, 0 when a letter or the length is not covered (nothing
 * appended: use ICU), ECTL_ENOMEM. */
int cyr_bgn(enum tr_id id, const int32_t *s, size_t len, struct cpbuf *out);
/* norm.c: ντ, μπ, γκ of a Greek run as the Latin letters they stand for,
 * the run to n->tmp (ECTL_ENOMEM). */
int greek_digraphs(struct ectl_norm *n, const int32_t *s, size_t len);
/* greek.c: Greek-Latin/UNGEGN of a case-folded Greek run (after
 * norm.c's digraphs), the same text as icu_translit(); returns as cyr_bgn. */
int greek_ungegn(const int32_t *s, size_t len, struct cpbuf *out);
/* devanagari.c: Any-Latin of a case-folded Devanagari run of at most
 * DEVA_RUN_MAX code points, the same text as icu_translit(); returns as
 * cyr_bgn. */
#define DEVA_RUN_MAX 64
int deva_latin(const int32_t *s, size_t len, struct cpbuf *out);
/* Mandarin pinyin of a Han run: for 2-4 characters (a name) the surname
 * apart and the given name joined, else a syllable per word. */
int han_mandarin(struct ectl_norm *n, const int32_t *s, size_t len, struct cpbuf *out);
/* Pinyin keeping the first `keep` spaces (-1: all of them). */
int han_pinyin(struct ectl_norm *n, const int32_t *s, size_t len, int keep, struct cpbuf *out);
/* trcache.c: the earlier answer for the same run and kind of answer: an
 * ICU transliterator (enum tr_id) or TRC_HAN_RUN, han_run's readings.
 * trc_get appends it to out and returns 1, or returns 0 (not kept) or -1
 * (out of memory); trc_put keeps v as the answer. */
#define TRC_HAN_RUN ((unsigned)TR_COUNT)
int trc_get(struct ectl_norm *n, unsigned kind, const int32_t *s, size_t len, struct cpbuf *out);
void trc_put(struct ectl_norm *n, unsigned kind, const int32_t *s, size_t len, const int32_t *v,
             size_t vlen);
void trc_free(struct ectl_norm *n);
void trc_clear(struct ectl_norm *n); /* forget every answer, keep the memory */
/* pinyin.c: Han-Latin of a run, the same text as ICU's, from readings
 * of single characters the process keeps. */
int han_latin(struct ectl_norm *n, const int32_t *s, size_t len, struct cpbuf *out);
void han_cache_free(struct ectl_norm *n);
/* The process's table of single characters' readings (pinyin.c), for the
 * tests: how many it holds, and emptying it (no other thread may be
 * normalising). */
size_t han_readings_kept(void);
void han_readings_reset(void);
/* A run of another script (Indic final schwa dropped). */
int other_run(struct ectl_norm *n, const struct run *r, struct cpbuf *out);

void alts_reset(struct alts *a);
/* Start a new alternative; returns it (NULL when all slots are used). */
struct cpbuf *alts_add(struct alts *a);
/* Drop the last alternative if it equals an earlier one. */
void alts_dedup_last(struct alts *a);

#endif
