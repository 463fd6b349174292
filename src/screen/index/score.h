/*
 * The name scorer (internal): how well a query name matches one listed
 * name, both given as normalised tokens with rarity weights.
 *
 *  1. Token pairs: every query token against every listed token (the
 *     caller supplies the similarity matrix, so that a search can cache it
 *     per term), plus a run of up to four tokens of one side written as
 *     one token of the other ("al qaida" / "alqaida", "a b c" / "abc") or
 *     abbreviated to its initials ("jc" / "jean claude").  Pairs below a
 *     floor do not match.
 *  2. Best pairs: greedily, most similar first, each token used once.
 *     Token order does not matter.
 *  3. Coverage: the share of the query's weight that is matched (cq) and
 *     the share of the listed name's weight (cc), each matched token
 *     counting by its similarity.  An unmatched token between two matched
 *     ones (a middle name) weighs little; one outside them (another
 *     surname, a given name more) weighs fully.
 *  4. score = cq^gamma_q * cc^gamma_c: a query token that finds nothing
 *     costs more than a listed token nobody asked about, so "Mohammad
 *     Khan" still finds "Mohammad Ali Khan", while "Mohammad" alone does
 *     not find it.  Legal forms, generic business words and honorifics
 *     weigh little (their weights come from the index), and a match made
 *     of nothing else is cut down.
 *
 * Pure functions; thread-safe.
 */
#ifndef ECTL_SCREEN_INDEX_SCORE_H
#define ECTL_SCREEN_INDEX_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "format.h"
#include "sim.h"

#define ECTL_SC_MAX ECTL_IX_MAX_TOKENS

struct ectl_sc_params {
    float sim_floor;     /* a token pair below this does not match */
    float join_floor;    /* a joined pair below this does not match */
    float pkey_bonus;    /* equal phonetic keys add this to a pair's similarity */
    float pkey_short;    /* ...and make two tokens of at most 4 letters this similar */
    float initial_sim;   /* a one-letter token against a token it begins */
    float acronym_sim;   /* a token spelling the initials of a run of tokens */
    float sim_power;     /* a pair of similarity s credits s^sim_power of its weight */
    float unlisted_power; /* ...and s^unlisted_power for a query token the lists lack */
    float middle;        /* weight factor of an unmatched token inside the matched span */
    float gamma_q;       /* exponent of the query coverage */
    float gamma_c;       /* exponent of the listed-name coverage */
    float uninformative; /* factor when only legal forms / generic words matched */
    float number_miss;   /* factor when a number of one name is not in the other */
    float kind_factor[5]; /* per enum ectl_name_kind: primary, aka, fka, weak, original */
};

extern const struct ectl_sc_params ectl_sc_default_params;

/* Scorer-only token flag, beside enum ectl_ix_term_flags: a query token
 * that is no listed term (a typo, more likely than a different name). */
#define ECTL_SC_T_UNLISTED 0x8000u

struct ectl_sc_tok {
    const char *text;
    uint16_t len;
    uint16_t flags; /* enum ectl_ix_term_flags */
    float w;        /* rarity weight */
};

struct ectl_sc_side {
    size_t n;
    struct ectl_sc_tok tok[ECTL_SC_MAX];
};

/* A matched pair: query tokens q0 .. q0+nq-1 with listed tokens
 * c0 .. c0+nc-1 (one of nq, nc is 1; the other at most 6). */
struct ectl_sc_pair {
    uint8_t q0, nq, c0, nc;
    float sim;
};

struct ectl_sc_result {
    double score;
    double cq, cc;
    int number_miss; /* a number of one name is not in the other */
    size_t n_pairs;
    struct ectl_sc_pair pairs[ECTL_SC_MAX];
};

/* Similarity of query token a and listed token b as the scorer sees it:
 * ectl_sim_token (b scanned into a), raised for equal phonetic keys and
 * for an initial.  same_pkey: both tokens have the same (non-empty)
 * phonetic key.  Uses the tokens' DIGITS flags. */
float ectl_sc_token_sim(const struct ectl_sc_params *p, const struct ectl_sc_tok *a,
                        const struct ectl_sc_tok *b, int same_pkey);

/* The same for a query token prepared once with ectl_jaro_pre_init.
 * With bounded, a pair that a cheap bound puts below p->sim_floor is given
 * as 0 without computing it (the scorer treats every value below the floor
 * alike): worth it where most pairs are far apart. */
float ectl_sc_token_sim_pre(const struct ectl_sc_params *p, const struct ectl_jaro_pre *qpre,
                            const struct ectl_sc_tok *a, const struct ectl_sc_tok *b, int same_pkey,
                            int bounded);

/* Score q against c.  sim[i][j] is ectl_sc_token_sim of q->tok[i] and
 * c->tok[j].  Returns the score in [0, 1] and, if out is not NULL, the
 * pairs that made it. */
double ectl_sc_score(const struct ectl_sc_params *p, const struct ectl_sc_side *q,
                     const struct ectl_sc_side *c, const float (*sim)[ECTL_SC_MAX],
                     struct ectl_sc_result *out);

/* "kim=kim 1.00, jongun=jong+un 0.98; unmatched query: x; unmatched name: y"
 * into buf (always NUL-terminated, cut with "..." if it does not fit). */
void ectl_sc_explain(const struct ectl_sc_side *q, const struct ectl_sc_side *c,
                     const struct ectl_sc_result *r, char *buf, size_t cap);

#endif
