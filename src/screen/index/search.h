/*
 * Searching an open index with a normalised query (internal).
 *
 * Two stages.  Candidate generation never looks at a name the query has
 * no token in common with: every query token is looked up exactly, then
 * expanded into the listed terms one edit away or said alike (and, for a
 * token the lists lack, sharing its trigrams), joined with its neighbour
 * and split in two (spacing variants); the names those terms occur in
 * collect the query weight their tokens could match.  Only names that
 * could reach the threshold are scored (score.h), best first, and each
 * entity keeps its best name.  docs/screening.md has the details and the
 * measurements behind them.
 *
 * A struct ectl_scratch holds the per-query work arrays, sized to the
 * largest index it has served and reused from query to query; it belongs
 * to one thread at a time.
 */
#ifndef ECTL_SCREEN_INDEX_SEARCH_H
#define ECTL_SCREEN_INDEX_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include <exportctl/screen.h>

#include "index_int.h"
#include "score.h"
#include "../normalize.h"

struct ectl_scratch;

struct ectl_scratch *ectl_scratch_new(void);
void ectl_scratch_free(struct ectl_scratch *s);
/* Empty the memo of expansions kept from query to query, keeping the
 * memory: the scratch then costs what a new one would, without a new
 * one's allocations. */
void ectl_scratch_forget(struct ectl_scratch *s);

/* How many ended threads' states ectl_screen keeps for the next threads
 * (screen.c); for the tests. */
size_t ectl_screen_idle_states(void);

/* Tuning knobs of candidate generation (score.h has the scorer's). */
struct ectl_search_params {
    float cand_frac;      /* a name is scored if its bound reaches threshold * cand_frac */
    unsigned cand_max;    /* at most this many names are scored, best bounds first */
    float gram_dice;      /* trigram overlap (Dice) a fuzzy term needs */
    unsigned exp_max;     /* fuzzy terms kept per query token */
    unsigned pkey_max;    /* more terms than this with the key, of a close length: not used */
    unsigned gram_cap;    /* trigrams shared by more terms than this are skipped */
    unsigned gram_min_len; /* expand by trigrams only tokens this long */
    unsigned search_known; /* search a listed token's variants instead of reading
                              them from the index (the builder does, to store them) */
};

extern const struct ectl_search_params ectl_search_default_params;

/* What a search did (for the benchmarks and the tuning tools). */
struct ectl_search_stats {
    uint64_t postings; /* name postings walked */
    uint64_t touched;  /* distinct names reached */
    uint64_t scored;   /* names scored */
    uint64_t sims;     /* token similarities computed */
};

/* Search ix for the query q (as ectl_norm_name gives it).  Options,
 * output and errors as ectl_screen(); sp / p NULL mean the defaults;
 * stats may be NULL. */
int ectl_search(struct ectl_scratch *s, const struct ectl_index *ix,
                const struct ectl_norm_result *q, const struct ectl_screen_opts *opts,
                const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                struct ectl_match *out, size_t cap, size_t *n, struct ectl_search_stats *stats,
                struct ectl_error *err) __attribute__((warn_unused_result));

/* The query side of one normalised form, as the scorer takes it; term,
 * pkey get each token's term id and phonetic key id (ECTL_IX_NONE when
 * the index lacks it).  Exposed for the tests and the pairwise tools. */
void ectl_search_query_side(const struct ectl_index *ix, const struct ectl_name_form *f,
                            struct ectl_sc_side *q, uint32_t *term, uint32_t *pkey);

#endif
