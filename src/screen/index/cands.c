/*
 * Candidate generation: which listed names are worth scoring for a query.
 *
 * 1. Each query token is expanded into listed terms it may stand for: the
 *    term itself, terms with its phonetic key, and terms sharing enough of
 *    its trigrams (typos); each is kept only if its similarity, computed
 *    once and cached for the scorer, reaches the scorer's floor.
 * 2. Spacing: a query token split into two listed terms ("alqaida" ->
 *    "al" + "qaida") and two query tokens written as one listed term.
 * 3. Every name in the postings of those terms collects, per query token,
 *    the weight that token could contribute.  Tokens go rarest first, and
 *    once the tokens left could not lift a name seen for the first time to
 *    the bar, names are no longer added, only credited (MaxScore): a query
 *    with one rare token never walks the long lists of its common ones.
 * 4. Names whose credit reaches threshold * cand_frac of the query's weight
 *    are the candidates, at most cand_max of them, best first.
 */
#include "search_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Trigram matches verified per query token, at most (best overlap first). */
#define GRAM_SCAN 64

/* The cached row of term u, or the spare row when the cache is full. */
static struct row *row_of(struct ectl_scratch *s, uint32_t u)
{
    struct row *r;
    if (s->t_gen[u] == s->gen)
        return &s->rows[s->t_row[u]];
    if (s->n_rows < ROW_MAX) {
        r = &s->rows[s->n_rows];
        s->t_gen[u] = s->gen;
        s->t_row[u] = (uint32_t)s->n_rows++;
    } else {
        r = &s->tmp_row; /* cache full: computed, not kept */
    }
    r->have = 0;
    return r;
}

static void fill(struct ectl_scratch *s, const struct ectl_index *ix,
                 const struct ectl_sc_params *p, uint32_t u, size_t i, struct row *r,
                 struct ectl_search_stats *st)
{
    const struct ectl_ix_term *x = &ix->terms[u];
    if (s->qt[i].term == u) {
        r->v[i] = 1.0f;
    } else {
        struct ectl_sc_tok t = {ix->str + x->text, x->len, x->flags, x->weight};
        int same = x->pkey != ECTL_IX_NONE && s->qt[i].pkey == x->pkey;
        r->v[i] = ectl_sc_token_sim_pre(p, &s->qpre[i], &s->q.tok[i], &t, same);
        st->sims++;
    }
    r->have |= (uint64_t)1 << i;
}

float ectl_cand_sim(struct ectl_scratch *s, const struct ectl_index *ix,
                    const struct ectl_sc_params *p, uint32_t u, size_t i,
                    struct ectl_search_stats *st)
{
    struct row *r = row_of(s, u);
    if (!(r->have >> i & 1))
        fill(s, ix, p, u, i, r, st);
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
                fill(s, ix, p, u, i, r, st);
    return r->v;
}

/* ---- expansion ---------------------------------------------------------- */

static void add_exp(struct ectl_scratch *s, struct qtok *qt, uint32_t term, float sim)
{
    s->t_xgen[term] = s->cgen;
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

static int exp_desc(const void *a, const void *b)
{
    const struct exp *x = a, *y = b;
    if (x->sim != y->sim)
        return x->sim < y->sim ? 1 : -1;
    return x->term < y->term ? -1 : x->term > y->term;
}

static void try_term(struct ectl_scratch *s, const struct ectl_index *ix,
                     const struct ectl_sc_params *p, size_t i, uint32_t u,
                     struct ectl_search_stats *st)
{
    if (s->t_xgen[u] == s->cgen)
        return;
    float sim = ectl_cand_sim(s, ix, p, u, i, st);
    if (sim >= p->sim_floor)
        add_exp(s, &s->qt[i], u, sim);
    else
        s->t_xgen[u] = s->cgen; /* tried */
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

static int span_shorter(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    uint32_t lx = x->hi - x->lo, ly = y->hi - y->lo;
    return lx < ly ? -1 : lx > ly;
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
    qsort(sp_, g_total, sizeof *sp_, span_shorter);
    /* Fewest shared trigrams any term could pass with (the shortest). */
    size_t c_min = (size_t)(sp->gram_dice * (float)(g_total + lmin) / 2.0f + 0.999f);
    if (c_min < 1)
        c_min = 1;
    if (c_min > g_total)
        return;
    size_t prefix = g_total - c_min + 1, n_touched = 0;
    for (size_t k = 0; k < prefix; k++)
        for (uint32_t o = sp_[k].lo; o < sp_[k].hi; o++) {
            uint32_t u = ECTL_IX_GRAM_ENTRY_TERM(ix->gram_terms[o]);
            if (s->t_cgen[u] != cg) {
                s->t_cgen[u] = cg;
                s->t_cnt[u] = 0;
                s->t_touched[n_touched++] = u;
            }
            s->t_cnt[u]++;
        }
    for (size_t k = prefix; k < g_total && n_touched; k++) {
        uint32_t len = sp_[k].hi - sp_[k].lo;
        if (len < n_touched * 8) {
            for (uint32_t o = sp_[k].lo; o < sp_[k].hi; o++) {
                uint32_t u = ECTL_IX_GRAM_ENTRY_TERM(ix->gram_terms[o]);
                if (s->t_cgen[u] == cg)
                    s->t_cnt[u]++;
            }
        } else {
            for (size_t x = 0; x < n_touched; x++) {
                uint32_t u = s->t_touched[x];
                uint32_t e = ECTL_IX_GRAM_ENTRY(ix->terms[u].len, u);
                uint32_t at = lower_bound(ix->gram_terms, sp_[k].lo, sp_[k].hi, e);
                if (at < sp_[k].hi && ix->gram_terms[at] == e)
                    s->t_cnt[u]++;
            }
        }
    }
    struct hit pass[GRAM_SCAN];
    size_t n_pass = 0, lo = 0;
    for (size_t k = 0; k < n_touched; k++) {
        uint32_t u = s->t_touched[k];
        size_t lu = ix->terms[u].len;
        /* 2c / (G + lu) >= dice, without the division. */
        if (2.0f * s->t_cnt[u] < sp->gram_dice * (float)(g_total + lu) || s->t_xgen[u] == cg)
            continue;
        float dice = 2.0f * s->t_cnt[u] / (float)(g_total + lu);
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

/* Terms filed under the deletion hash of str. */
static void probe_dels(struct ectl_scratch *s, const struct ectl_index *ix,
                       const struct ectl_sc_params *p, size_t i, const char *str, size_t len,
                       struct ectl_search_stats *st)
{
    uint32_t h = ectl_ix_hash(str, len);
    size_t k = h & (ix->del_buckets - 1);
    for (uint32_t o = ix->del_offs[k]; o < ix->del_offs[k + 1]; o++)
        if (ECTL_IX_DEL_ENTRY_HASH(ix->del_entries[o]) == h)
            try_term(s, ix, p, i, ECTL_IX_DEL_ENTRY_TERM(ix->del_entries[o]), st);
}

/* Terms one edit away from query token i: a letter more (the token is one
 * of their deletions), a letter changed or two swapped (a deletion in
 * common), a letter fewer (a deletion of the token is the term). */
static void expand_dels(struct ectl_scratch *s, const struct ectl_index *ix,
                        const struct ectl_sc_params *p, size_t i, struct ectl_search_stats *st)
{
    const struct ectl_sc_tok *t = &s->q.tok[i];
    size_t len = t->len;
    if (len + 1 < ECTL_IX_DEL_MIN)
        return;
    probe_dels(s, ix, p, i, t->text, len, st);
    if (len < ECTL_IX_DEL_MIN)
        return;
    char buf[ECTL_IX_MAX_TOKEN_LEN];
    for (size_t k = 0; k < len; k++) {
        if (k > 0 && t->text[k] == t->text[k - 1])
            continue;
        memcpy(buf, t->text, k);
        memcpy(buf + k, t->text + k + 1, len - k - 1);
        probe_dels(s, ix, p, i, buf, len - 1, st);
        uint32_t u = ectl_ix_term_find(ix, buf, len - 1);
        if (u != ECTL_IX_NONE)
            try_term(s, ix, p, i, u, st);
    }
}

static void expand(struct ectl_scratch *s, const struct ectl_index *ix,
                   const struct ectl_search_params *sp, const struct ectl_sc_params *p, size_t i,
                   struct ectl_search_stats *st)
{
    struct qtok *qt = &s->qt[i];
    const struct ectl_sc_tok *t = &s->q.tok[i];
    qt->n_exp = 0;
    ectl_scratch_next_token(s);
    if (qt->term != ECTL_IX_NONE)
        add_exp(s, qt, qt->term, 1.0f);
    if (t->flags & ECTL_IX_T_DIGITS)
        return;
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
    /* Trigrams are the costly fallback, for a token the lists lack that
     * nothing within one edit or said alike came close to (two typos in a
     * long token). */
    float best = 0;
    for (size_t k = 0; k < qt->n_exp; k++)
        if (qt->exp[k].sim > best)
            best = qt->exp[k].sim;
    if ((qt->term == ECTL_IX_NONE || sp->gram_known) && t->len >= sp->gram_min_len &&
        best < 0.9f)
        expand_grams(s, ix, sp, p, i, st);
    qsort(qt->exp, qt->n_exp, sizeof *qt->exp, exp_desc);
    size_t keep = sp->exp_max < EXP_CAP ? sp->exp_max : EXP_CAP;
    if (qt->n_exp > keep)
        qt->n_exp = keep;
    /* A token the lists lack, spelled like one they have, is as rare as
     * that one: a typo must not make it weigh more. */
    if (qt->term == ECTL_IX_NONE && qt->n_exp && qt->exp[0].sim >= 0.85f)
        s->q.tok[i].w = ix->terms[qt->exp[0].term].weight;
}

/* ---- accumulation ------------------------------------------------------- */

static int name_has(const struct ectl_index *ix, uint32_t n, uint32_t u)
{
    const struct ectl_ix_name *x = &ix->names[n];
    const uint32_t *t = ix->name_terms + x->first;
    for (uint32_t j = 0; j < x->n_tokens; j++)
        if (t[j] == u)
            return 1;
    return 0;
}

/* The names of term u may match query slot `slot` for v (once per slot:
 * the first, largest credit wins).  Without insert, only names already
 * seen are credited; when they are few, they are checked one by one
 * instead of walking a long posting list. */
static void credit_term(struct ectl_scratch *s, const struct ectl_index *ix, uint32_t u,
                        uint8_t slot, float v, int insert, struct ectl_search_stats *st)
{
    const struct ectl_ix_term *t = &ix->terms[u];
    uint32_t g = s->gen;
    if (!insert && s->n_touched * 4 < t->post_len) {
        for (size_t k = 0; k < s->n_touched; k++) {
            uint32_t n = s->touched[k];
            if (s->n_last[n] != slot && name_has(ix, n, u)) {
                s->n_acc[n] += v;
                s->n_last[n] = slot;
            }
        }
        st->postings += s->n_touched;
        return;
    }
    const uint32_t *post = ix->postings + t->post_off;
    st->postings += t->post_len;
    for (uint32_t k = 0; k < t->post_len; k++) {
        uint32_t n = post[k];
        if (s->n_gen[n] != g) {
            if (!insert)
                continue;
            s->n_gen[n] = g;
            s->n_acc[n] = v;
            s->n_last[n] = slot;
            s->touched[s->n_touched++] = n;
        } else if (s->n_last[n] != slot) {
            s->n_acc[n] += v;
            s->n_last[n] = slot;
        }
    }
}

static float credit_of(const struct ectl_sc_params *p, float sim)
{
    return sim >= 1.0f ? 1.0f : p->sim_power == 2.0f ? sim * sim : powf(sim, p->sim_power);
}

/* For names that token i could still lift over the bar but that do not
 * contain it exactly: the best similarity of any of their tokens with it.
 * This stands in for expanding a known token into its spelling variants
 * once it can no longer bring new names (see ectl_cands). */
static void credit_near(struct ectl_scratch *s, const struct ectl_index *ix,
                        const struct ectl_sc_params *p, size_t i, float w, float need,
                        struct ectl_search_stats *st)
{
    for (size_t k = 0; k < s->n_touched; k++) {
        uint32_t n = s->touched[k];
        if (s->n_last[n] == i || s->n_acc[n] >= need || s->n_acc[n] + w < need)
            continue;
        const struct ectl_ix_name *x = &ix->names[n];
        float best = 0;
        for (uint32_t j = 0; j < x->n_tokens; j++) {
            float sim = ectl_cand_sim(s, ix, p, ix->name_terms[x->first + j], i, st);
            if (sim > best)
                best = sim;
        }
        if (best >= p->sim_floor) {
            s->n_acc[n] += w * credit_of(p, best);
            s->n_last[n] = (uint8_t)i;
        }
    }
}

/* Spacing variants: query token i split in two listed terms, and tokens i
 * and i+1 written as one listed term. */
static void credit_spacing(struct ectl_scratch *s, const struct ectl_index *ix, size_t i,
                           struct ectl_search_stats *st)
{
    const struct ectl_sc_tok *t = &s->q.tok[i];
    for (size_t k = 2; k + 2 <= t->len; k++) {
        uint32_t a = ectl_ix_term_find(ix, t->text, k);
        if (a == ECTL_IX_NONE)
            continue;
        uint32_t b = ectl_ix_term_find(ix, t->text + k, t->len - k);
        if (b == ECTL_IX_NONE)
            continue;
        /* The rarer half finds the name; the scorer checks the other. */
        uint32_t r = ix->terms[a].post_len <= ix->terms[b].post_len ? a : b;
        credit_term(s, ix, r, (uint8_t)i, t->w, 1, st);
    }
    if (i + 1 < s->q.n && s->qt[i + 1].gen_ok) {
        const struct ectl_sc_tok *n = &s->q.tok[i + 1];
        char buf[2 * ECTL_IX_MAX_TOKEN_LEN];
        size_t l = (size_t)t->len + n->len;
        if (l <= ECTL_IX_MAX_TOKEN_LEN) {
            memcpy(buf, t->text, t->len);
            memcpy(buf + t->len, n->text, n->len);
            uint32_t j = ectl_ix_term_find(ix, buf, l);
            if (j != ECTL_IX_NONE)
                credit_term(s, ix, j, (uint8_t)(ECTL_SC_MAX + i), t->w + n->w, 1, st);
        }
    }
}

/* ---- filters ------------------------------------------------------------ */

static int country_ok(const char *list, const char *cc)
{
    if (!*list)
        return 1; /* a list that names no country cannot be excluded by one */
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && (p[0] | 0x20) == (cc[0] | 0x20) && (p[1] | 0x20) == (cc[1] | 0x20))
            return 1;
        p += n + (e != NULL);
    }
    return 0;
}

static int entity_ok(const struct ectl_index *ix, uint32_t e, const struct ectl_screen_opts *o)
{
    const struct ectl_ix_entity *x = &ix->entities[e];
    if (o->type != ECTL_TYPE_UNKNOWN && x->type != o->type && x->type != ECTL_TYPE_UNKNOWN)
        return 0;
    return !o->country || country_ok(ix->str + x->countries, o->country);
}

static int hit_desc(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- the whole stage ---------------------------------------------------- */

size_t ectl_cands(struct ectl_scratch *s, const struct ectl_index *ix,
                  const struct ectl_screen_opts *o, double threshold,
                  const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                  struct ectl_search_stats *st)
{
    size_t order[ECTL_SC_MAX], n_gen = 0;
    /* Unknown tokens first: their expansions decide their weights. */
    for (size_t i = 0; i < s->q.n; i++) {
        s->qt[i].n_exp = 0;
        s->qt[i].gen_ok = !(s->q.tok[i].flags & WEAK_FLAGS);
        if (s->qt[i].gen_ok) {
            if (s->qt[i].term == ECTL_IX_NONE)
                expand(s, ix, sp, p, i, st);
            order[n_gen++] = i;
        }
    }
    if (n_gen == 0)
        return 0; /* nothing but legal forms and generic words */
    double wq = 0;
    for (size_t i = 0; i < s->q.n; i++)
        wq += s->q.tok[i].w;
    /* Rarest first. */
    for (size_t a = 1; a < n_gen; a++)
        for (size_t b = a; b > 0 && s->q.tok[order[b]].w > s->q.tok[order[b - 1]].w; b--) {
            size_t x = order[b];
            order[b] = order[b - 1];
            order[b - 1] = x;
        }
    float need = (float)(threshold * sp->cand_frac * wq);
    for (size_t k = 0; k < n_gen; k++)
        credit_spacing(s, ix, order[k], st);
    double rest = 0;
    for (size_t k = 0; k < n_gen; k++)
        rest += s->q.tok[order[k]].w;
    for (size_t k = 0; k < n_gen; k++) {
        size_t i = order[k];
        struct qtok *qt = &s->qt[i];
        float w = s->q.tok[i].w;
        int insert = rest >= need;
        /* A known token that can no longer bring new names only credits
         * the names it is in; its spelling variants would only refine
         * bounds that the scorer computes exactly anyway. */
        int lazy = qt->term != ECTL_IX_NONE && !insert;
        if (lazy) {
            qt->exp[0] = (struct exp){qt->term, 1.0f};
            qt->n_exp = 1;
        } else if (qt->term != ECTL_IX_NONE) {
            expand(s, ix, sp, p, i, st);
        }
        for (size_t e = 0; e < qt->n_exp; e++)
            credit_term(s, ix, qt->exp[e].term, (uint8_t)i, w * credit_of(p, qt->exp[e].sim),
                        insert, st);
        if (lazy)
            credit_near(s, ix, p, i, w, need, st);
        rest -= w;
    }
    st->touched += s->n_touched;
    size_t nc = 0;
    for (size_t k = 0; k < s->n_touched; k++) {
        uint32_t n = s->touched[k];
        if (s->n_acc[n] >= need && entity_ok(ix, ix->names[n].entity, o))
            s->cands[nc++] = (struct hit){n, s->n_acc[n]};
    }
    if (nc > sp->cand_max) {
        qsort(s->cands, nc, sizeof *s->cands, hit_desc);
        nc = sp->cand_max;
    }
    return nc;
}
