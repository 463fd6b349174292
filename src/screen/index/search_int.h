/*
 * The search's working state, shared by scratch.c (allocation), expand.c
 * (query tokens to listed terms), cands.c (candidate names) and search.c
 * (scoring and ranking).  Internal to src/screen/index/.
 *
 * Work arrays are stamped with a generation number instead of being
 * cleared: a slot whose stamp is not the current generation is empty.
 * That keeps a query's cost proportional to what it touches, not to the
 * size of the index.
 */
#ifndef ECTL_SCREEN_INDEX_SEARCH_INT_H
#define ECTL_SCREEN_INDEX_SEARCH_INT_H

#include <stdint.h>

#include "search.h"

#define EXP_CAP 64    /* fuzzy terms kept per query token, at most */
#define ROW_MAX 4096  /* distinct terms whose similarities one query form caches */
#define WEAK_FLAGS \
    (ECTL_IX_T_LEGAL | ECTL_IX_T_GENERIC | ECTL_IX_T_HONORIFIC | ECTL_IX_T_FUNCTION)
#define SPELT_SLOTS 512 /* > twice the most candidates a form scores */

struct exp {
    uint32_t term;
    float sim;
};

struct qtok {
    uint32_t term; /* exact term, or ECTL_IX_NONE */
    uint32_t pkey; /* phonetic key id, or ECTL_IX_NONE */
    int gen_ok;    /* takes part in candidate generation */
    size_t n_exp;
    struct exp exp[EXP_CAP]; /* best first */
};

/* Similarities of one term with the query tokens, computed on demand. */
struct row {
    uint64_t have; /* bit i: v[i] is computed */
    float v[ECTL_SC_MAX];
};

/* A name's credit in the form being searched: one 8-byte cell, so that a
 * posting costs one cache line, not three, and eight names share a line.
 * The form's generation and the slot that credited it last share a word,
 * so that one compare tells "credited by this very slot" apart. */
struct ncell {
    uint32_t tag; /* NCELL_TAG(ectl_scratch.gen, last slot): credited in this form */
    float acc;    /* credit so far */
};
#define NCELL_TAG(gen, slot) ((uint32_t)(gen) << 8 | (uint8_t)(slot))
#define NCELL_GEN(tag) ((tag) >> 8)
#define NCELL_SLOT(tag) ((uint8_t)(tag))
/* Generations wrap here (24 bits beside the slot); see
 * ectl_scratch_next_form. */
#define GEN_LIMIT (1u << 24)

/* A term's row in the similarity cache, if gen is the form's. */
struct trow {
    uint32_t gen, row;
};

/* A term's marks for the query token being expanded, in one 8-byte cell
 * so that the trigram count reads one cache line per term, not two.
 * xgen == cgen: the term was tried (or kept).  TCELL_GEN(ctag) == cgen:
 * TCELL_CNT(ctag) is its count of shared trigrams, at most one per
 * distinct trigram of the token, so at most ECTL_IX_MAX_TOKEN_LEN. */
struct tcell {
    uint32_t xgen;
    uint32_t ctag; /* TCELL_TAG(cgen, count) */
};
#define TCELL_TAG(gen, cnt) ((uint32_t)(gen) << 8 | (uint32_t)(cnt))
#define TCELL_GEN(tag) ((tag) >> 8)
#define TCELL_CNT(tag) ((tag) & 0xffu)
_Static_assert(ECTL_IX_MAX_TOKEN_LEN <= 0xff, "a trigram count fits in the tag's low byte");

struct hit {
    uint32_t id;
    float v;
};

/* A name scored in the current form, by its tokens (search.c). */
struct spelt {
    uint32_t gen;  /* == ectl_scratch.gen: filled in this form */
    uint32_t name; /* the first name scored with these tokens */
    double score;  /* ectl_sc_score, before the kind factor */
};

struct ranked {
    const struct ectl_index *ix;
    uint32_t e;
    float score;
};

struct ectl_xmemo;

struct ectl_scratch {
    uint32_t gen;  /* per query form: name accumulators, similarity rows */
    uint32_t cgen; /* per query token: trigram counts, expansion marks */
    uint32_t egen; /* per query: entity bests */
    size_t cap_names, cap_terms, cap_entities;
    /* per name */
    struct ncell *ncell;
    uint32_t *touched;
    size_t n_touched;
    /* Once tokens no longer add names: the touched names, in order, that
     * the tokens left could still lift to the bar (cands.c). */
    uint32_t *live;
    size_t n_live;
    int lazy_phase;
    struct hit *cands;
    /* per term */
    struct trow *trow;
    struct tcell *tcell; /* per query token: expansion mark, trigram count */
    uint32_t *t_touched;
    struct row *rows;
    size_t n_rows;
    struct row tmp_row;
    /* per entity */
    uint32_t *e_gen;
    float *e_score;
    uint32_t *e_name;
    uint8_t *e_variant;
    uint32_t *ents;
    size_t n_ents;
    struct ranked *rank;
    /* the query form being searched */
    struct ectl_sc_side q;
    struct qtok qt[ECTL_SC_MAX];
    struct ectl_jaro_pre qpre[ECTL_SC_MAX]; /* the query tokens, prepared */
    /* each form's query side as searched (weights after expansion), and
     * its tokens' term and key ids, for explaining the answer */
    struct ectl_sc_side qside[ECTL_NORM_MAX_VARIANTS];
    uint32_t qterm[ECTL_NORM_MAX_VARIANTS][ECTL_SC_MAX];
    uint32_t qpk[ECTL_NORM_MAX_VARIANTS][ECTL_SC_MAX];
    /* unlisted tokens' expansions, kept from query to query (xmemo.c) */
    struct ectl_xmemo *xmemo;
    /* scores of this form's candidates by their tokens (search.c) */
    struct spelt spelt[SPELT_SLOTS];
    /* Reuse work between queries (xmemo) and names (spelt): only with
     * the default parameters, so that other parameters run the plain
     * path, which the tests compare the shortcuts with. */
    int reuse;
};

/* The memo of unlisted tokens' expansions (xmemo.c).  bind empties it
 * unless it was filled from this very index; get copies a remembered
 * expansion of t (its terms and its weight after expansion) and says
 * whether there was one; put remembers one, t->w being w_in before. */
struct ectl_xmemo *ectl_xmemo_new(void);
void ectl_xmemo_free(struct ectl_xmemo *m);
void ectl_xmemo_bind(struct ectl_xmemo *m, const struct ectl_index *ix);
void ectl_xmemo_clear(struct ectl_xmemo *m); /* bound to no index: emptied by the next bind */
size_t ectl_xmemo_used(const struct ectl_xmemo *m); /* slots holding a token, for the tests */
int ectl_xmemo_get(const struct ectl_xmemo *m, const struct ectl_sc_tok *t, struct exp *exp,
                   size_t *n_exp, float *w);
void ectl_xmemo_put(struct ectl_xmemo *m, const struct ectl_sc_tok *t, float w_in,
                    const struct exp *exp, size_t n_exp, float w_out);

/* Grow the arrays to the index's sizes (scratch.c). */
int ectl_scratch_fit(struct ectl_scratch *s, const struct ectl_index *ix);

/* Start a new query form: every name and term slot becomes empty. */
void ectl_scratch_next_form(struct ectl_scratch *s);

/* Next per-token generation (trigram counts, expansion marks). */
uint32_t ectl_scratch_next_token(struct ectl_scratch *s);

/* Similarity of query token i with term u (cached for the form).  With
 * bounded, a pair that cannot reach the scorer's floor may be given as 0
 * without computing it (ectl_sc_token_sim_pre). */
float ectl_cand_sim(struct ectl_scratch *s, const struct ectl_index *ix,
                    const struct ectl_sc_params *p, uint32_t u, size_t i, int bounded,
                    struct ectl_search_stats *st);

/* All the similarities of term u with the query tokens (cached). */
const float *ectl_cand_row(struct ectl_scratch *s, const struct ectl_index *ix,
                           const struct ectl_sc_params *p, uint32_t u,
                           struct ectl_search_stats *st);

/* Expand query token i of the form in s (expand.c): s->qt[i].exp gets
 * the listed terms it may stand for, best first; an unknown token's
 * weight may be lowered to that of the listed token it misspells. */
void ectl_cand_expand(struct ectl_scratch *s, const struct ectl_index *ix,
                      const struct ectl_search_params *sp, const struct ectl_sc_params *p, size_t i,
                      struct ectl_search_stats *st);

/* The neighbours of term u (ECTL_IX_NEIGH_ENTRY values, best first, at
 * most cap): what expanding a query token equal to u finds in ix by one
 * edit or sound, u itself excluded.  For the index builder, which stores
 * them so that queries need not search for them. */
size_t ectl_cands_neighbours(struct ectl_scratch *s, const struct ectl_index *ix, uint32_t u,
                             uint32_t *out, size_t cap);

/* Move the k first of v[0 .. n) (k <= n) in the candidates' order, best
 * credit first and then lower id (a strict total order: ids differ), to
 * v[0 .. k), in no particular order (cands.c). */
void ectl_hits_select(struct hit *v, size_t n, size_t k);

/* Candidate generation for the form in s->q / s->qt (cands.c): expands the
 * tokens, may lower an unknown token's weight to that of the listed token
 * it is a misspelling of, and leaves in s->cands[0 .. return) the names
 * worth scoring, best bound first. */
size_t ectl_cands(struct ectl_scratch *s, const struct ectl_index *ix,
                  const struct ectl_screen_opts *o, double threshold,
                  const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                  struct ectl_search_stats *st);

#endif
