/*
 * Similarity of two normalised tokens (internal).
 *
 * Tokens are what the normaliser hands out: lower-case ASCII letters and
 * digits, compared byte by byte.  Every function here is pure and
 * thread-safe.
 */
#ifndef ECTL_SCREEN_INDEX_SIM_H
#define ECTL_SCREEN_INDEX_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One token prepared for many comparisons: where each letter occurs.  A
 * query token is prepared once and compared with every listed term the
 * search meets, so each comparison scans only the term. */
struct ectl_jaro_pre {
    const char *s;
    size_t len;      /* bytes used: at most 64 */
    size_t full;     /* the token's length */
    int slow;        /* a byte outside [0-9a-z]: compare the textbook way */
    uint64_t present; /* bit c: letter code c occurs */
    uint64_t pos[37]; /* pos[c]: where letter code c occurs (valid if present) */
    uint8_t cnt[37];  /* how many times letter code c occurs */
    uint64_t ge[3];   /* bit c of ge[k]: cnt[c] > k (ectl_sim_letter_masks) */
};

void ectl_jaro_pre_init(struct ectl_jaro_pre *p, const char *b, size_t lb);

/* ectl_sim_jaro(a, la, p->s, p->len), without preparing b again. */
double ectl_sim_jaro_pre(const struct ectl_jaro_pre *p, const char *a, size_t la);

/* ectl_sim_letters(a, la, p->s, p->len) likewise. */
double ectl_sim_letters_pre(const struct ectl_jaro_pre *p, const char *a, size_t la);

/* A cheap upper bound of ectl_sim_letters_pre(p, a, la): Jaro can match
 * no more of a's letters c than c occurs in p, and no transposition.  Lets a caller skip the
 * exact computation for pairs that cannot reach its floor. */
double ectl_sim_letters_bound_pre(const struct ectl_jaro_pre *p, const char *a, size_t la);

/* The letters of s[0 .. min(len, 64)) as the bound counts them: bit c of
 * ge[k] set when letter code c occurs more than k times (k < 3), head the
 * first four bytes (byte k in bits 8k..8k+7, zero-padded).  Returns 1 when
 * ectl_sim_letters_bound_counts can stand for ectl_sim_letters_bound_pre
 * on s: every byte a digit or a lower-case letter, none more than three
 * times; else 0. */
int ectl_sim_letter_masks(const char *s, size_t len, uint64_t ge[3], uint32_t *head);

/* ectl_sim_letters_bound_pre(p, a, la), the same value, from a's letter
 * masks (ectl_sim_letter_masks returned 1 for a) instead of its text:
 * each letter's matches, at most three, are counted by three popcounts
 * (bits of ge above bit 36 are ignored).  p must not be slow. */
double ectl_sim_letters_bound_counts(const struct ectl_jaro_pre *p, const uint64_t ge[3],
                                     uint32_t head, size_t la);

/* The same bound of ectl_sim_letters(a, la, b, lb), with b unprepared. */
double ectl_sim_letters_bound(const char *a, size_t la, const char *b, size_t lb);

/* Jaro similarity in [0, 1]; two empty strings are 0.  The match window
 * is at least one byte (the textbook's is 0 below four bytes), so that a
 * transposition in a short token counts as one: "abd" / "adb" 0.89, not
 * 0.56.  Short name parts are where typos hurt most. */
double ectl_sim_jaro(const char *a, size_t la, const char *b, size_t lb);

/* Jaro-Winkler: Jaro plus 0.1 per shared leading byte (at most 4) times
 * what is left, applied only above 0.7 (Winkler's boost threshold).
 * Matching is greedy from a into b, so the order of the arguments can
 * matter in rare ties: callers that cache results keep one order (the
 * listed term as a, the query token as b). */
double ectl_sim_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);

/* True if the token contains a digit.  Numbers in names ("11420 CORP",
 * "PE Fund 1") are identifiers: they match only themselves. */
bool ectl_sim_has_digit(const char *a, size_t la);

/* Jaro-Winkler lowered when the lengths differ much, so that a short
 * token does not score high inside a long one ("al" in "alexander").  For
 * tokens already known to be different and free of digits. */
double ectl_sim_letters(const char *a, size_t la, const char *b, size_t lb);

/* The token similarity the scorer uses, in [0, 1]:
 *   equal tokens 1; a token with a digit against anything else 0;
 *   otherwise ectl_sim_letters().
 * Phonetic equality is added by the caller, which has the keys. */
double ectl_sim_token(const char *a, size_t la, const char *b, size_t lb);

/* Optimal string alignment distance (Damerau-Levenshtein where no
 * substring is edited twice: a swap of two adjacent letters is one edit)
 * between a and b, or max + 1 when it exceeds max.  Tokens are compared on
 * their first 64 bytes. */
size_t ectl_sim_osa(const char *a, size_t la, const char *b, size_t lb, size_t max);

#endif
