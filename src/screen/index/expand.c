/*
 * Expanding a query token into the listed terms it may stand for, and the
 * per-form cache of token similarities that expansion and scoring share.
 *
 * A listed token reads its neighbours from the index (found at build time
 * by this same code, ectl_cands_neighbours).  A token the lists lack is
 * looked up by its one-letter deletions (SymSpell), by its phonetic key
 * among terms of a close length, and, when neither came close, by its
 * trigrams.  Every term found is kept only if its similarity, computed
 * once and cached for the scorer, reaches the scorer's floor.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/* Trigram matches verified per query token, at most (best overlap first). */
#define GRAM_SCAN 64

/* How far ahead of the trigram entry being counted its term's cell is
 * fetched. */
#define PREFETCH_AHEAD 16

/* ---- the similarity cache ----------------------------------------------- */

static struct row *row_of(struct ectl_scratch *s, uint32_t u)
{
    struct row *r;
    if (s->trow[u].gen == s->gen)
        return &s->rows[s->trow[u].row];
    if (s->n_rows < ROW_MAX) {
        r = &s->rows[s->n_rows];
        s->trow[u].gen = s->gen;
        s->trow[u].row = (uint32_t)s->n_rows++;
    } else {
        r = &s->tmp_row; /* cache full: computed, not kept */
    }
    r->have = 0;
    return r;
}

/* What the bound says of the pair of query token i and term u, told from
 * u's letters record alone (format.h), without reading the term's record
 * or text: the pair is below the floor (OUT), or reaches it so that only
 * the exact similarity is left to compute (IN).  Pairs that lift() may
 * raise above their letters (said alike, or an initial against a name)
 * and terms whose letters must be counted from the text are left to the
 * whole bounded path (UNSURE). */
enum verdict { OUT, IN, UNSURE };

static enum verdict letters_verdict(const struct ectl_scratch *s, const struct ectl_index *ix,
                                    const struct ectl_sc_params *p, uint32_t u, size_t i)
{
    const struct ectl_ix_letters *l = &ix->letters[u];
    const struct ectl_sc_tok *a = &s->q.tok[i];
    uint32_t len = ECTL_IX_LETTERS_LEN(l);
    if (ECTL_IX_LETTERS_SLOW(l) || s->qpre[i].slow || a->len < 2 || len < 2 ||
        ((a->flags | ECTL_IX_LETTERS_FLAGS(l)) & ECTL_IX_T_DIGITS) ||
        (l->pkey != ECTL_IX_NONE && s->qt[i].pkey == l->pkey))
        return UNSURE;
    float bound = (float)ectl_sim_letters_bound_counts(&s->qpre[i], l->ge, l->head, len);
    return bound < p->sim_floor ? OUT : IN;
}

static void fill(struct ectl_scratch *s, const struct ectl_index *ix,
                 const struct ectl_sc_params *p, uint32_t u, size_t i, struct row *r, int bounded,
                 struct ectl_search_stats *st)
{
    enum verdict b = UNSURE;
    if (s->qt[i].term == u) {
        r->v[i] = 1.0f;
    } else if (bounded && (b = letters_verdict(s, ix, p, u, i)) == OUT) {
        r->v[i] = 0.0f;
        st->sims++;
    } else {
        const struct ectl_ix_term *x = &ix->terms[u];
        struct ectl_sc_tok t = {ix->str + x->text, x->len, x->flags, x->weight};
        int same = x->pkey != ECTL_IX_NONE && s->qt[i].pkey == x->pkey;
        /* IN: the bound is passed, the bounded path would compute it again */
        r->v[i] = ectl_sc_token_sim_pre(p, &s->qpre[i], &s->q.tok[i], &t, same,
                                        bounded && b == UNSURE);
        st->sims++;
    }
    r->have |= (uint64_t)1 << i;
}

/* A value below the floor stands for every such value: the bounded and
 * the exact fill may share the cache. */
float ectl_cand_sim(struct ectl_scratch *s, const struct ectl_index *ix,
                    const struct ectl_sc_params *p, uint32_t u, size_t i, int bounded,
                    struct ectl_search_stats *st)
{
    struct row *r = row_of(s, u);
    if (!(r->have >> i & 1))
        fill(s, ix, p, u, i, r, bounded, st);
    return r->v[i];
}

const float *ectl_cand_row(struct ectl_scratch *s, const struct ectl_index *ix,
                           const struct ectl_sc_params *p, uint32_t u,
                           struct ectl_search_stats *st)
{
    struct row *r = row_of(s, u);
    uint64_t all = s->q.n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << s->q.n) - 1;
    if ((r->have & all) != all)
        for (size_t i = 0; i < s->q.n; i++)
            if (!(r->have >> i & 1))
                fill(s, ix, p, u, i, r, 1, st);
    return r->v;
}

/* ---- expansion ---------------------------------------------------------- */

static void add_exp(struct ectl_scratch *s, struct qtok *qt, uint32_t term, float sim)
{
    s->tcell[term].xgen = s->cgen;
    if (qt->n_exp < EXP_CAP) {
        qt->exp[qt->n_exp++] = (struct exp){term, sim};
        return;
    }
    size_t lo = 0;
    for (size_t k = 1; k < qt->n_exp; k++)
        if (qt->exp[k].sim < qt->exp[lo].sim)
            lo = k;
    if (sim > qt->exp[lo].sim)
        qt->exp[lo] = (struct exp){term, sim};
}

/* Best first, ties by term id: a few dozen entries, so insertion sort. */
static void sort_exps(struct exp *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct exp x = v[i];
        size_t j = i;
        while (j > 0 && (v[j - 1].sim < x.sim || (v[j - 1].sim == x.sim && v[j - 1].term > x.term))) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void try_term(struct ectl_scratch *s, const struct ectl_index *ix,
                     const struct ectl_sc_params *p, size_t i, uint32_t u,
                     struct ectl_search_stats *st)
{
    if (s->tcell[u].xgen == s->cgen)
        return;
    float sim = ectl_cand_sim(s, ix, p, u, i, 0, st);
    if (sim >= p->sim_floor)
        add_exp(s, &s->qt[i], u, sim);
    else
        s->tcell[u].xgen = s->cgen; /* tried */
}

/* First index in [lo, hi) whose entry is >= key. */
static uint32_t lower_bound(const uint32_t *v, uint32_t lo, uint32_t hi, uint32_t key)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

struct span {
    uint32_t lo, hi;
};

/* Shortest first; stable, as glibc's qsort (a merge sort) was, so that
 * the terms are met in the same order.  A dozen spans: insertion sort. */
static void sort_spans(struct span *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct span x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1].hi - v[j - 1].lo > x.hi - x.lo) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* t_touched holds ECTL_IX_GRAM_ENTRY(length, term) here, so that the
 * length needs no look-up in the terms.
 * Keep, in order, the counted terms that can still pass: not tried yet
 * and short of their need by no more than the `left` lists to come.  A
 * dropped term keeps its stamp, so later lists do not count it again. */
static size_t gram_keep(struct ectl_scratch *s, const uint16_t *need, size_t n, size_t left)
{
    size_t kept = 0;
    for (size_t x = 0; x < n; x++) {
        uint32_t e = s->t_touched[x], u = ECTL_IX_GRAM_ENTRY_TERM(e);
        const struct tcell *c = &s->tcell[u];
        if (TCELL_CNT(c->ctag) + left >= need[ECTL_IX_GRAM_ENTRY_LEN(e)] && c->xgen != s->cgen)
            s->t_touched[kept++] = e;
    }
    return kept;
}

/* Terms sharing enough trigrams with query token i (Dice >= gram_dice),
 * among the terms of nearly its length.  A term that shares c of the
 * query's G trigrams appears in c of their lists, so it appears in one of
 * any G - c_min + 1 of them: only the shortest lists bring candidates,
 * and the longer ones are probed by binary search for those alone. */
static void expand_grams(struct ectl_scratch *s, const struct ectl_index *ix,
                         const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                         size_t i, struct ectl_search_stats *st)
{
    const struct ectl_sc_tok *t = &s->q.tok[i];
    uint32_t cg = s->cgen;
    size_t lq = t->len, lmin = lq > 4 ? lq - 3 : 1, lmax = lq + 3;
    if (lmax > ECTL_IX_MAX_TOKEN_LEN)
        lmax = ECTL_IX_MAX_TOKEN_LEN;
    struct span sp_[ECTL_IX_MAX_TOKEN_LEN];
    uint32_t seen[ECTL_IX_MAX_TOKEN_LEN];
    size_t n_seen = 0, g_total = 0;
    for (size_t k = 0; k < lq; k++) {
        uint32_t g = ectl_ix_gram(t->text, lq, k);
        size_t j = 0;
        while (j < n_seen && seen[j] != g)
            j++;
        if (j < n_seen)
            continue;
        seen[n_seen++] = g;
        if (ectl_ix_gram_stopped(ix, g))
            continue;
        uint32_t lo = ix->gram_offs[g], hi = ix->gram_offs[g + 1];
        lo = lower_bound(ix->gram_terms, lo, hi, ECTL_IX_GRAM_ENTRY(lmin, 0));
        hi = lower_bound(ix->gram_terms, lo, hi, ECTL_IX_GRAM_ENTRY(lmax + 1, 0));
        if (hi - lo > sp->gram_cap)
            continue; /* too common to tell anything */
        sp_[g_total++] = (struct span){lo, hi};
    }
    if (g_total == 0)
        return;
    sort_spans(sp_, g_total);
    /* Fewest shared trigrams any term could pass with (the shortest). */
    size_t c_min = (size_t)(sp->gram_dice * (float)(g_total + lmin) / 2.0f + 0.999f);
    if (c_min < 1)
        c_min = 1;
    if (c_min > g_total)
        return;
    /* need[l]: the fewest shared trigrams with which a term of l letters
     * passes the Dice test below, computed with that very test so that
     * what is dropped early is exactly what it would reject.  A term not
     * seen before the k-th list can share at most g_total - k trigrams,
     * and a counted term at most its count plus the lists left: terms
     * that cannot reach their need are not counted further.  The terms
     * that survive, and their order, are those of the plain count. */
    uint16_t need[ECTL_IX_MAX_TOKEN_LEN + 1];
    for (size_t l = lmin; l <= lmax; l++) {
        size_t c = 0;
        while (2.0f * (float)c < sp->gram_dice * (float)(g_total + l))
            c++;
        need[l] = (uint16_t)c;
    }
    size_t prefix = g_total - c_min + 1, n_touched = 0;
    for (size_t k = 0; k < prefix; k++) {
        size_t left = g_total - k; /* lists not yet counted, this one included */
        for (uint32_t o = sp_[k].lo; o < sp_[k].hi; o++) {
            /* The terms' cells are met in no order a prefetcher could
             * guess: ask for the one PREFETCH_AHEAD entries on. */
            if (o + PREFETCH_AHEAD < sp_[k].hi)
                __builtin_prefetch(
                    &s->tcell[ECTL_IX_GRAM_ENTRY_TERM(ix->gram_terms[o + PREFETCH_AHEAD])], 1);
            uint32_t e = ix->gram_terms[o], u = ECTL_IX_GRAM_ENTRY_TERM(e);
            struct tcell *c = &s->tcell[u];
            if (TCELL_GEN(c->ctag) == cg) {
                c->ctag++;
            } else if (need[ECTL_IX_GRAM_ENTRY_LEN(e)] <= left) {
                c->ctag = TCELL_TAG(cg, 1);
                s->t_touched[n_touched++] = e;
            }
        }
    }
    n_touched = gram_keep(s, need, n_touched, g_total - prefix);
    for (size_t k = prefix; k < g_total && n_touched; k++) {
        uint32_t len = sp_[k].hi - sp_[k].lo;
        if (len < n_touched * 8) {
            for (uint32_t o = sp_[k].lo; o < sp_[k].hi; o++) {
                if (o + PREFETCH_AHEAD < sp_[k].hi)
                    __builtin_prefetch(
                        &s->tcell[ECTL_IX_GRAM_ENTRY_TERM(ix->gram_terms[o + PREFETCH_AHEAD])], 1);
                uint32_t u = ECTL_IX_GRAM_ENTRY_TERM(ix->gram_terms[o]);
                if (TCELL_GEN(s->tcell[u].ctag) == cg)
                    s->tcell[u].ctag++;
            }
        } else {
            for (size_t x = 0; x < n_touched; x++) {
                uint32_t e = s->t_touched[x], u = ECTL_IX_GRAM_ENTRY_TERM(e);
                uint32_t at = lower_bound(ix->gram_terms, sp_[k].lo, sp_[k].hi, e);
                if (at < sp_[k].hi && ix->gram_terms[at] == e)
                    s->tcell[u].ctag++;
            }
        }
        n_touched = gram_keep(s, need, n_touched, g_total - k - 1);
    }
    struct hit pass[GRAM_SCAN];
    size_t n_pass = 0, lo = 0;
    for (size_t k = 0; k < n_touched; k++) {
        uint32_t u = ECTL_IX_GRAM_ENTRY_TERM(s->t_touched[k]);
        size_t lu = ECTL_IX_GRAM_ENTRY_LEN(s->t_touched[k]);
        /* 2c / (G + lu) >= dice, without the division. */
        uint32_t cnt = TCELL_CNT(s->tcell[u].ctag);
        if (2.0f * cnt < sp->gram_dice * (float)(g_total + lu) || s->tcell[u].xgen == cg)
            continue;
        float dice = 2.0f * cnt / (float)(g_total + lu);
        if (n_pass < GRAM_SCAN) {
            pass[n_pass++] = (struct hit){u, dice};
            if (n_pass == GRAM_SCAN)
                for (size_t j = 1; j < n_pass; j++)
                    if (pass[j].v < pass[lo].v)
                        lo = j;
        } else if (dice > pass[lo].v) {
            pass[lo] = (struct hit){u, dice};
            for (size_t j = 0; j < n_pass; j++)
                if (pass[j].v < pass[lo].v)
                    lo = j;
        }
    }
    for (size_t k = 0; k < n_pass; k++)
        try_term(s, ix, p, i, pass[k].id, st);
}

/* Terms filed under the deletion hash h. */
static void probe_dels(struct ectl_scratch *s, const struct ectl_index *ix,
                       const struct ectl_sc_params *p, size_t i, uint32_t h,
                       struct ectl_search_stats *st)
{
    size_t k = h & (ix->del_buckets - 1);
    for (uint32_t o = ix->del_offs[k]; o < ix->del_offs[k + 1]; o++)
        if (ECTL_IX_DEL_ENTRY_HASH(ix->del_entries[o]) == h)
            try_term(s, ix, p, i, ECTL_IX_DEL_ENTRY_TERM(ix->del_entries[o]), st);
}

/* Dropping letter k of t gives what dropping letter k - 1 gave. */
static int repeats(const char *t, size_t k)
{
    return k > 0 && t[k] == t[k - 1];
}

/* Terms one edit away from query token i: a letter more (the token is one
 * of their deletions), a letter changed or two swapped (a deletion in
 * common), a letter fewer (a deletion of the token is the term).
 * Each probe waits on two misses (the bucket's offsets, then its
 * entries) and each term look-up on one: the hashes are made first and
 * all the buckets and slots asked for together, then the entries, so
 * that the misses overlap instead of following one another. */
static void expand_dels(struct ectl_scratch *s, const struct ectl_index *ix,
                        const struct ectl_sc_params *p, size_t i, struct ectl_search_stats *st)
{
    const struct ectl_sc_tok *t = &s->q.tok[i];
    size_t len = t->len;
    if (len + 1 < ECTL_IX_DEL_MIN)
        return;
    size_t mask = ix->del_buckets - 1;
    /* h[k]: the hash of the token without letter k (k < len; unset when
     * the letter repeats the one before), h[len] the token's own. */
    uint32_t h[ECTL_IX_MAX_TOKEN_LEN + 1];
    h[len] = ectl_ix_hash(t->text, len);
    __builtin_prefetch(&ix->del_offs[h[len] & mask]);
    size_t n = len >= ECTL_IX_DEL_MIN ? len : 0;
    uint32_t pre = ECTL_IX_HASH_SEED; /* hash of text[0 .. k) */
    for (size_t k = 0; k < n; k++) {
        if (!repeats(t->text, k)) {
            uint32_t x = pre;
            for (size_t j = k + 1; j < len; j++)
                x = ectl_ix_hash_step(x, (unsigned char)t->text[j]);
            h[k] = x;
            __builtin_prefetch(&ix->del_offs[x & mask]);
            ectl_ix_term_prefetch(ix, x);
        }
        pre = ectl_ix_hash_step(pre, (unsigned char)t->text[k]);
    }
    __builtin_prefetch(&ix->del_entries[ix->del_offs[h[len] & mask]]);
    for (size_t k = 0; k < n; k++)
        if (!repeats(t->text, k))
            __builtin_prefetch(&ix->del_entries[ix->del_offs[h[k] & mask]]);
    probe_dels(s, ix, p, i, h[len], st);
    char buf[ECTL_IX_MAX_TOKEN_LEN];
    for (size_t k = 0; k < n; k++) {
        if (repeats(t->text, k))
            continue;
        memcpy(buf, t->text, k);
        memcpy(buf + k, t->text + k + 1, len - k - 1);
        probe_dels(s, ix, p, i, h[k], st);
        uint32_t u = ectl_ix_term_find_h(ix, buf, len - 1, h[k]);
        if (u != ECTL_IX_NONE)
            try_term(s, ix, p, i, u, st);
    }
}

/* Terms one edit from a short query token the lists lack, which the
 * deletion table (terms of ECTL_IX_DEL_MIN letters or more) cannot see:
 * a letter changed, two swapped, one dropped, or (for two letters) one
 * added, each looked up in the term dictionary: "tad" / "tae".  About
 * 80 lookups for three letters, 130 for two. */
static void expand_short(struct ectl_scratch *s, const struct ectl_index *ix,
                         const struct ectl_sc_params *p, size_t i, struct ectl_search_stats *st)
{
    static const char abc[] = "abcdefghijklmnopqrstuvwxyz";
    const struct ectl_sc_tok *t = &s->q.tok[i];
    size_t len = t->len;
    if (len < 2 || len >= ECTL_IX_DEL_MIN)
        return;
    char buf[ECTL_IX_DEL_MIN + 1];
    for (size_t k = 0; k < len; k++) {
        memcpy(buf, t->text, len);
        for (const char *c = abc; *c; c++) {
            if (*c == t->text[k])
                continue;
            buf[k] = *c;
            uint32_t u = ectl_ix_term_find(ix, buf, len);
            if (u != ECTL_IX_NONE)
                try_term(s, ix, p, i, u, st);
        }
        if (k + 1 < len && t->text[k] != t->text[k + 1]) {
            memcpy(buf, t->text, len);
            buf[k] = t->text[k + 1];
            buf[k + 1] = t->text[k];
            uint32_t u = ectl_ix_term_find(ix, buf, len);
            if (u != ECTL_IX_NONE)
                try_term(s, ix, p, i, u, st);
        }
        if (len > 2) {
            memcpy(buf, t->text, k);
            memcpy(buf + k, t->text + k + 1, len - k - 1);
            uint32_t u = ectl_ix_term_find(ix, buf, len - 1);
            if (u != ECTL_IX_NONE)
                try_term(s, ix, p, i, u, st);
        }
    }
    if (len + 1 < ECTL_IX_DEL_MIN)
        for (size_t k = 0; k <= len; k++) {
            memcpy(buf, t->text, k);
            memcpy(buf + k + 1, t->text + k, len - k);
            for (const char *c = abc; *c; c++) {
                buf[k] = *c;
                uint32_t u = ectl_ix_term_find(ix, buf, len + 1);
                if (u != ECTL_IX_NONE)
                    try_term(s, ix, p, i, u, st);
            }
        }
}

static void expand_token(struct ectl_scratch *s, const struct ectl_index *ix,
                         const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                         size_t i, struct ectl_search_stats *st)
{
    struct qtok *qt = &s->qt[i];
    const struct ectl_sc_tok *t = &s->q.tok[i];
    qt->n_exp = 0;
    ectl_scratch_next_token(s);
    if (qt->term != ECTL_IX_NONE)
        add_exp(s, qt, qt->term, 1.0f);
    if (t->flags & ECTL_IX_T_DIGITS)
        return;
    /* A listed token's variants were found when the index was built. */
    if (qt->term != ECTL_IX_NONE && !sp->search_known) {
        size_t keep = sp->exp_max < EXP_CAP ? sp->exp_max : EXP_CAP;
        for (uint32_t o = ix->neigh_offs[qt->term]; o < ix->neigh_offs[qt->term + 1]; o++)
            if (qt->n_exp < keep)
                qt->exp[qt->n_exp++] = (struct exp){ECTL_IX_NEIGH_TERM(ix->neigh[o]),
                                                    ECTL_IX_NEIGH_SIM(ix->neigh[o])};
        return;
    }
    /* Terms said alike, of a length a spelling variant can have (a short
     * name is often spelled shorter: Lee / Yi).  A key that much of the
     * dictionary shares tells nothing and is skipped. */
    if (qt->pkey != ECTL_IX_NONE) {
        const struct ectl_ix_pkey *k = &ix->pkeys[qt->pkey];
        size_t lmin = t->len <= 4 ? 1 : t->len - 2, lmax = t->len + 2;
        uint32_t lo = lower_bound(ix->pkey_terms, k->off, k->off + k->len,
                                  ECTL_IX_GRAM_ENTRY(lmin, 0));
        uint32_t hi = lower_bound(ix->pkey_terms, lo, k->off + k->len,
                                  ECTL_IX_GRAM_ENTRY(lmax + 1, 0));
        if (hi - lo <= sp->pkey_max)
            for (uint32_t o = lo; o < hi; o++)
                try_term(s, ix, p, i, ECTL_IX_GRAM_ENTRY_TERM(ix->pkey_terms[o]), st);
    }
    expand_dels(s, ix, p, i, st);
    if (qt->term == ECTL_IX_NONE)
        expand_short(s, ix, p, i, st);
    /* Trigrams are the costly fallback, for a token the lists lack that
     * nothing within one edit or said alike came close to (two typos in a
     * long token). */
    float best = 0;
    for (size_t k = 0; k < qt->n_exp; k++)
        if (qt->exp[k].sim > best)
            best = qt->exp[k].sim;
    if (qt->term == ECTL_IX_NONE && t->len >= sp->gram_min_len && best < 0.9f)
        expand_grams(s, ix, sp, p, i, st);
    sort_exps(qt->exp, qt->n_exp);
    size_t keep = sp->exp_max < EXP_CAP ? sp->exp_max : EXP_CAP;
    if (qt->n_exp > keep)
        qt->n_exp = keep;
    /* A token the lists lack, spelled like one they have, is as rare as
     * that one: a typo must not make it weigh more.  Nor less than it
     * weighs by its class: an initial is similar to every name it begins,
     * and stays an initial. */
    if (qt->term == ECTL_IX_NONE && qt->n_exp && qt->exp[0].sim >= 0.85f &&
        ix->terms[qt->exp[0].term].weight < s->q.tok[i].w)
        s->q.tok[i].w = ix->terms[qt->exp[0].term].weight;
}

/* A token the lists lack is expanded once per thread while the memo
 * keeps it (xmemo.c); a listed one only reads its stored neighbours. */
void ectl_cand_expand(struct ectl_scratch *s, const struct ectl_index *ix,
                      const struct ectl_search_params *sp, const struct ectl_sc_params *p, size_t i,
                      struct ectl_search_stats *st)
{
    struct qtok *qt = &s->qt[i];
    struct ectl_sc_tok *t = &s->q.tok[i];
    int memo = s->reuse && qt->term == ECTL_IX_NONE;
    if (memo && ectl_xmemo_get(s->xmemo, t, qt->exp, &qt->n_exp, &t->w))
        return;
    float w_in = t->w;
    expand_token(s, ix, sp, p, i, st);
    if (memo)
        ectl_xmemo_put(s->xmemo, t, w_in, qt->exp, qt->n_exp, t->w);
}

/* ---- neighbours, for the builder ----------------------------------------- */

size_t ectl_cands_neighbours(struct ectl_scratch *s, const struct ectl_index *ix, uint32_t u,
                             uint32_t *out, size_t cap)
{
    if (ectl_scratch_fit(s, ix) != 0)
        return 0;
    struct ectl_search_params sp = ectl_search_default_params;
    sp.search_known = 1;
    s->reuse = 0; /* not the query's parameters */
    const struct ectl_sc_params *p = &ectl_sc_default_params;
    const struct ectl_ix_term *x = &ix->terms[u];
    ectl_scratch_next_form(s);
    s->q.n = 1;
    s->q.tok[0] = (struct ectl_sc_tok){ix->str + x->text, x->len, x->flags, x->weight};
    s->qt[0].term = u;
    s->qt[0].pkey = x->pkey;
    ectl_jaro_pre_init(&s->qpre[0], s->q.tok[0].text, x->len);
    struct ectl_search_stats st = {0};
    ectl_cand_expand(s, ix, &sp, p, 0, &st);
    size_t n = 0;
    for (size_t k = 0; k < s->qt[0].n_exp && n < cap; k++) {
        const struct exp *e = &s->qt[0].exp[k];
        if (e->term != u)
            out[n++] = ECTL_IX_NEIGH_ENTRY(e->term, (uint32_t)(e->sim * 255.0f + 0.5f));
    }
    return n;
}
