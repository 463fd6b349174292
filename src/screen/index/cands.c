/*
 * Candidate generation: which listed names are worth scoring for a query.
 *
 * 1. Each query token is expanded into listed terms it may stand for
 *    (expand.c): itself, its spelling neighbours, terms said alike.
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

/* ---- accumulation ------------------------------------------------------- */

/* How far ahead of the posting being credited its name's cell is
 * fetched: enough to cover a miss to L3, few enough to stay in L1. */
#define PREFETCH_AHEAD 16

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
    uint32_t g = s->gen, mine = NCELL_TAG(g, slot);
    if (!insert && s->n_live * 4 < t->post_len) {
        /* Each check reads a name record, then its terms: fetch the
         * records eight names ahead and the terms four ahead. */
        const uint32_t *live = s->live;
        size_t n_live = s->n_live;
        for (size_t k = 0; k < n_live; k++) {
            if (k + 8 < n_live)
                __builtin_prefetch(&ix->names[live[k + 8]]);
            if (k + 4 < n_live)
                __builtin_prefetch(&ix->name_terms[ix->names[live[k + 4]].first]);
            struct ncell *c = &s->ncell[live[k]];
            if (c->tag != mine && name_has(ix, live[k], u)) {
                c->acc += v;
                c->tag = mine;
            }
        }
        st->postings += n_live;
        return;
    }
    const uint32_t *post = ix->postings + t->post_off;
    uint32_t len = t->post_len;
    st->postings += len;
    /* Cells are hit in no order the hardware can guess, and the branches
     * below stall a plain walk at each miss: ask for the first cells all
     * at once, then for the one PREFETCH_AHEAD postings on while this one
     * is worked on. */
    for (uint32_t k = 0; k < len && k < PREFETCH_AHEAD; k++)
        __builtin_prefetch(&s->ncell[post[k]], 1);
    if (insert) {
        /* Without branches on what the cell holds, so that a mispredicted
         * one does not throw away the loads already under way: every
         * cell is written (its line is in cache by then), and a name is
         * written past the end of touched unless it is new (touched has
         * one slot more than there are names). */
        uint32_t *touched = s->touched;
        size_t nt = s->n_touched;
        for (uint32_t k = 0; k < len; k++) {
            if (k + PREFETCH_AHEAD < len)
                __builtin_prefetch(&s->ncell[post[k + PREFETCH_AHEAD]], 1);
            uint32_t n = post[k];
            struct ncell *c = &s->ncell[n];
            uint32_t tag = c->tag;
            float acc = c->acc, sum = acc + v;
            size_t fresh = NCELL_GEN(tag) != g;
            c->acc = fresh ? v : tag == mine ? acc : sum;
            c->tag = mine;
            touched[nt] = n;
            nt += fresh;
        }
        s->n_touched = nt;
        return;
    }
    for (uint32_t k = 0; k < len; k++) {
        if (k + PREFETCH_AHEAD < len)
            __builtin_prefetch(&s->ncell[post[k + PREFETCH_AHEAD]], 1);
        uint32_t n = post[k];
        struct ncell *c = &s->ncell[n];
        uint32_t tag = c->tag;
        if (tag == mine)
            continue; /* this slot credited it already */
        if (NCELL_GEN(tag) != g)
            continue; /* not seen in this form, and no longer added */
        c->acc += v;
        c->tag = mine;
    }
}

/* What a pair of similarity sim can credit query token t: as the scorer
 * does, but an unlisted token is credited as a typo whether or not it is
 * one (a bound: the scorer decides). */
static float credit_of(const struct ectl_sc_params *p, const struct ectl_sc_tok *t, float sim)
{
    float e = (t->flags & ECTL_SC_T_UNLISTED) ? p->unlisted_power : p->sim_power;
    if (e > p->sim_power)
        e = p->sim_power;
    return sim >= 1.0f ? 1.0f : e == 2.0f ? sim * sim : e == 1.0f ? sim : powf(sim, e);
}

/* At most this many names near the bar are looked at per token. */
#define NEAR_MAX 32

/* The candidates' order: best credit first, then lower id. */
static int hit_before(const struct hit *x, const struct hit *y)
{
    return x->v != y->v ? x->v > y->v : x->id < y->id;
}

static int hit_desc(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    return hit_before(x, y) ? -1 : hit_before(y, x);
}

/* Quickselect (search_int.h), so that only the names kept are sorted,
 * not every name over the bar. */
void ectl_hits_select(struct hit *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        /* the median of three as the pivot, moved to the end */
        size_t a = lo, b = lo + (hi - lo) / 2, c = hi - 1, m;
        if (hit_before(&v[a], &v[b]))
            m = hit_before(&v[b], &v[c]) ? b : hit_before(&v[a], &v[c]) ? c : a;
        else
            m = hit_before(&v[a], &v[c]) ? a : hit_before(&v[b], &v[c]) ? c : b;
        struct hit t = v[m];
        v[m] = v[hi - 1];
        v[hi - 1] = t;
        const struct hit piv = t;
        size_t store = lo;
        for (size_t i = lo; i + 1 < hi; i++)
            if (hit_before(&v[i], &piv)) {
                t = v[i];
                v[i] = v[store];
                v[store++] = t;
            }
        v[hi - 1] = v[store];
        v[store] = piv;
        /* v[lo .. store) before the pivot, v[store + 1 .. hi) after it */
        if (k == store || k == store + 1)
            return;
        if (k < store)
            hi = store;
        else
            lo = store + 1;
    }
}

/* For names that token i could still lift over the bar but that do not
 * contain it exactly: the best similarity of any of their tokens with it.
 * This stands in for expanding a known token into its spelling variants
 * once it can no longer bring new names (see ectl_cands); the names
 * closest to the bar go first, NEAR_MAX of them. */
static void credit_near(struct ectl_scratch *s, const struct ectl_index *ix,
                        const struct ectl_sc_params *p, size_t i, float w, float need,
                        struct ectl_search_stats *st)
{
    /* The NEAR_MAX best, kept sorted best first as they come. */
    struct hit top[NEAR_MAX];
    size_t n_near = 0;
    for (size_t k = 0; k < s->n_live; k++) {
        uint32_t n = s->live[k];
        float acc = s->ncell[n].acc;
        if (NCELL_SLOT(s->ncell[n].tag) == i || acc >= need || acc + w < need)
            continue;
        if (n_near == NEAR_MAX && acc <= top[NEAR_MAX - 1].v)
            continue;
        size_t at = n_near < NEAR_MAX ? n_near++ : NEAR_MAX - 1;
        while (at > 0 && top[at - 1].v < acc) {
            top[at] = top[at - 1];
            at--;
        }
        top[at] = (struct hit){n, acc};
    }
    /* The names near the bar are scattered over the index: fetch their
     * records at once, and each one's terms a name ahead. */
    for (size_t k = 0; k < n_near; k++)
        __builtin_prefetch(&ix->names[top[k].id]);
    if (n_near)
        __builtin_prefetch(&ix->name_terms[ix->names[top[0].id].first]);
    for (size_t k = 0; k < n_near; k++) {
        uint32_t n = top[k].id;
        const struct ectl_ix_name *x = &ix->names[n];
        if (k + 1 < n_near)
            __builtin_prefetch(&ix->name_terms[ix->names[top[k + 1].id].first]);
        float best = 0;
        for (uint32_t j = 0; j < x->n_tokens; j++) {
            float sim = ectl_cand_sim(s, ix, p, ix->name_terms[x->first + j], i, 1, st);
            if (sim > best)
                best = sim;
        }
        if (best >= p->sim_floor) {
            s->ncell[n].acc += w * credit_of(p, &s->q.tok[i], best);
            s->ncell[n].tag = NCELL_TAG(s->gen, i);
        }
    }
}

/* Spacing variants: query token i split in two listed terms, and tokens i
 * and i+1 written as one listed term. */
static void credit_spacing(struct ectl_scratch *s, const struct ectl_index *ix, size_t i,
                           struct ectl_search_stats *st)
{
    const struct ectl_sc_tok *t = &s->q.tok[i];
    /* Every split is looked up, each lookup a miss or two: hash the
     * halves first and ask for all their slots at once. */
    uint32_t hp[ECTL_IX_MAX_TOKEN_LEN + 1], hs[ECTL_IX_MAX_TOKEN_LEN + 1];
    uint32_t h = ECTL_IX_HASH_SEED;
    for (size_t k = 0; k + 2 < t->len; k++) {
        h = ectl_ix_hash_step(h, (unsigned char)t->text[k]);
        if (k + 1 >= 2) {
            hp[k + 1] = h;
            hs[k + 1] = ectl_ix_hash(t->text + k + 1, t->len - k - 1);
            ectl_ix_term_prefetch(ix, hp[k + 1]);
            ectl_ix_term_prefetch(ix, hs[k + 1]);
        }
    }
    for (size_t k = 2; k + 2 <= t->len; k++) {
        uint32_t a = ectl_ix_term_find_h(ix, t->text, k, hp[k]);
        if (a == ECTL_IX_NONE)
            continue;
        uint32_t b = ectl_ix_term_find_h(ix, t->text + k, t->len - k, hs[k]);
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

/* Keep in live, in their order, the names that the tokens still to come
 * (weighing rest between them) could lift to need: each token credits a
 * name once at most and by its weight at most, so a name below need by
 * more than rest never gets there, and crediting it or looking at it
 * near the bar changes nothing.  A margin keeps the names that float
 * rounding could still carry over.  The first call (lazy_phase 0) takes
 * the touched names. */
static void prune_live(struct ectl_scratch *s, double rest, float need)
{
    const uint32_t *from = s->lazy_phase ? s->live : s->touched;
    size_t n = s->lazy_phase ? s->n_live : s->n_touched, kept = 0;
    double bar = (double)need - 1e-4 * (double)need - rest;
    /* the bar as a float no higher than bar, to compare floats */
    float barf = (float)bar;
    if ((double)barf > bar)
        barf = nextafterf(barf, -INFINITY);
    uint32_t *live = s->live;
    for (size_t k = 0; k < n; k++) {
        uint32_t x = from[k];
        live[kept] = x; /* kept only if it stays: no branch to mispredict */
        kept += s->ncell[x].acc >= barf;
    }
    s->n_live = kept;
    s->lazy_phase = 1;
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
                ectl_cand_expand(s, ix, sp, p, i, st);
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
    s->lazy_phase = 0;
    s->n_live = 0;
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
        if (!insert)
            prune_live(s, rest, need);
        /* A known token that can no longer bring new names only credits
         * the names it is in; its spelling variants would only refine
         * bounds that the scorer computes exactly anyway. */
        int lazy = qt->term != ECTL_IX_NONE && !insert;
        if (lazy) {
            qt->exp[0] = (struct exp){qt->term, 1.0f};
            qt->n_exp = 1;
        } else if (qt->term != ECTL_IX_NONE) {
            ectl_cand_expand(s, ix, sp, p, i, st);
        }
        /* The expansions' terms and the heads of their posting lists
         * are far apart in the index: ask for all of them before the
         * first walk waits on one. */
        for (size_t e = 0; e < qt->n_exp; e++)
            __builtin_prefetch(&ix->terms[qt->exp[e].term]);
        for (size_t e = 0; e < qt->n_exp; e++)
            __builtin_prefetch(ix->postings + ix->terms[qt->exp[e].term].post_off);
        for (size_t e = 0; e < qt->n_exp; e++)
            credit_term(s, ix, qt->exp[e].term, (uint8_t)i, w * credit_of(p, &s->q.tok[i], qt->exp[e].sim),
                        insert, st);
        if (lazy)
            credit_near(s, ix, p, i, w, need, st);
        rest -= w;
    }
    st->touched += s->n_touched;
    size_t nc = 0;
    for (size_t k = 0; k < s->n_touched; k++) {
        uint32_t n = s->touched[k];
        if (s->ncell[n].acc >= need && entity_ok(ix, ix->names[n].entity, o))
            s->cands[nc++] = (struct hit){n, s->ncell[n].acc};
    }
    if (nc > sp->cand_max) {
        ectl_hits_select(s->cands, nc, sp->cand_max);
        nc = sp->cand_max;
        qsort(s->cands, nc, sizeof *s->cands, hit_desc);
    }
    return nc;
}
