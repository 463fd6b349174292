/*
 * ectl_search(): the query side of each reading of the query, candidate
 * generation (cands.c), scoring (score.c), the best name per entity, and
 * the ranked answer with its explanation.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#include "sim.h"

const struct ectl_search_params ectl_search_default_params = {
    .cand_frac = 0.6f,
    .cand_max = 200,
    .gram_dice = 0.5f,
    .exp_max = 16,
    .pkey_max = 48,
    .gram_cap = 1200,
    .gram_min_len = 6,
    .search_known = 0,
};

/* ---- the query side ----------------------------------------------------- */

void ectl_search_query_side(const struct ectl_index *ix, const struct ectl_name_form *f,
                            struct ectl_sc_side *q, uint32_t *term, uint32_t *pkey)
{
    q->n = 0;
    for (size_t i = 0; i < f->n && i < ECTL_NORM_MAX_TOKENS && q->n < ECTL_SC_MAX; i++) {
        const struct ectl_token *t = &f->tok[i];
        if (!t->text || t->len == 0)
            continue;
        size_t len = t->len > ECTL_IX_MAX_TOKEN_LEN ? ECTL_IX_MAX_TOKEN_LEN : t->len;
        const char *nul = memchr(t->text, '\0', len);
        if (nul)
            len = (size_t)(nul - t->text);
        if (len == 0)
            continue;
        struct ectl_sc_tok *x = &q->tok[q->n];
        x->text = t->text;
        x->len = (uint16_t)len;
        x->flags = (uint16_t)ectl_ix_term_flags(t->flags, t->text, len);
        uint32_t id = ectl_ix_term_find(ix, t->text, len);
        x->w = id != ECTL_IX_NONE ? ix->terms[id].weight
                                  : ix->w_unknown * ectl_ix_flag_factor(x->flags);
        if (id == ECTL_IX_NONE && !(t->flags & ECTL_TOK_TRANSLIT))
            x->flags |= ECTL_SC_T_UNLISTED;
        uint32_t k = ECTL_IX_NONE;
        if (id != ECTL_IX_NONE &&
            (ix->terms[id].flags & ECTL_IX_T_DIGITS) == (x->flags & ECTL_IX_T_DIGITS)) {
            /* The builder keyed every term as below (ectl_ixb_make_pkeys;
             * a test checks that the two agree). */
            k = ix->terms[id].pkey;
        } else if (!(x->flags & ECTL_IX_T_DIGITS)) {
            char key[32];
            size_t kl = ectl_norm_phonetic_key(t->text, len, key, sizeof key);
            if (kl > 0 && kl < sizeof key)
                k = ectl_ix_pkey_find(ix, key, kl);
        }
        term[q->n] = id;
        pkey[q->n] = k;
        q->n++;
    }
}

/* ---- scoring the candidates --------------------------------------------- */

static void name_side(const struct ectl_index *ix, uint32_t n, struct ectl_sc_side *c,
                      uint32_t *terms)
{
    const struct ectl_ix_name *x = &ix->names[n];
    c->n = x->n_tokens;
    for (size_t j = 0; j < c->n; j++) {
        terms[j] = ix->name_terms[x->first + j];
        const struct ectl_ix_term *t = &ix->terms[terms[j]];
        c->tok[j] = (struct ectl_sc_tok){ix->str + t->text, t->len, t->flags, t->weight};
    }
}

/* The score of candidate n if a name with the same tokens (the same
 * terms in the same order) was scored in this form, else NULL and *at
 * the slot to fill.  Many listed names are spelled alike (the SDN list
 * is also in the CSL, aliases repeat across entities), and the score of
 * a name is a function of its terms and the query alone. */
static const double *spelt_find(struct ectl_scratch *s, const struct ectl_index *ix, uint32_t n,
                                struct spelt **at)
{
    const struct ectl_ix_name *x = &ix->names[n];
    const uint32_t *t = ix->name_terms + x->first;
    uint32_t h = 2166136261u;
    for (uint32_t j = 0; j < x->n_tokens; j++)
        h = (h ^ t[j]) * 16777619u;
    for (uint32_t k = h & (SPELT_SLOTS - 1);; k = (k + 1) & (SPELT_SLOTS - 1)) {
        struct spelt *e = &s->spelt[k];
        if (e->gen != s->gen) {
            *at = e;
            return NULL;
        }
        const struct ectl_ix_name *y = &ix->names[e->name];
        if (y->n_tokens == x->n_tokens &&
            memcmp(ix->name_terms + y->first, t, x->n_tokens * sizeof *t) == 0)
            return &e->score;
    }
}

static void search_form(struct ectl_scratch *s, const struct ectl_index *ix, size_t v,
                        const struct ectl_screen_opts *o, double threshold,
                        const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                        struct ectl_search_stats *st)
{
    ectl_scratch_next_form(s);
    size_t nc = ectl_cands(s, ix, o, threshold, sp, p, st);
    s->qside[v] = s->q;
    struct ectl_sc_side c;
    uint32_t cterms[ECTL_SC_MAX];
    float sim[ECTL_SC_MAX][ECTL_SC_MAX];
    for (size_t k = 0; k < nc; k++) {
        uint32_t n = s->cands[k].id;
        const struct ectl_ix_name *x = &ix->names[n];
        uint32_t e = x->entity;
        /* A score is at most 1 before the kind factor (ectl_sc_score), so a
         * name of an entity whose best already reaches that factor cannot
         * replace it (ties keep the first): not worth scoring. */
        if (s->e_gen[e] == s->egen && s->e_score[e] >= p->kind_factor[x->kind])
            continue;
        struct spelt *slot = NULL;
        const double *known =
            s->reuse && nc < SPELT_SLOTS / 2 ? spelt_find(s, ix, n, &slot) : NULL;
        double raw;
        if (known) {
            raw = *known;
        } else {
            name_side(ix, n, &c, cterms);
            for (size_t j = 0; j < c.n; j++) {
                const float *row = ectl_cand_row(s, ix, p, cterms[j], st);
                for (size_t i = 0; i < s->q.n; i++)
                    sim[i][j] = row[i];
            }
            raw = ectl_sc_score(p, &s->q, &c, (const float(*)[ECTL_SC_MAX])sim, NULL);
            st->scored++;
            if (slot)
                *slot = (struct spelt){s->gen, n, raw};
        }
        float score = (float)(raw * p->kind_factor[x->kind]);
        if (s->e_gen[e] != s->egen) {
            s->e_gen[e] = s->egen;
            s->ents[s->n_ents++] = e;
        } else if (score <= s->e_score[e]) {
            continue;
        }
        s->e_score[e] = score;
        s->e_name[e] = n;
        s->e_variant[e] = (uint8_t)v;
    }
}

/* ---- the answer --------------------------------------------------------- */

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    const struct ectl_index *ix = x->ix;
    const struct ectl_ix_entity *ex = &ix->entities[x->e], *ey = &ix->entities[y->e];
    int c = strcmp(ix->str + ix->lists[ex->list].name, ix->str + ix->lists[ey->list].name);
    if (c)
        return c;
    c = strcmp(ix->str + ex->id, ix->str + ey->id);
    if (c)
        return c;
    return x->e < y->e ? -1 : x->e > y->e;
}

/* Score the winning name again, keeping the pairs, to say why.  When it
 * won in the form searched last, its similarities are still in that
 * form's cache (ectl_cand_row: the values the ranking used, a value below
 * the floor possibly as 0, which the scorer reads as it reads any value
 * below the floor); otherwise, and on the plain path, they are computed
 * afresh. */
static void explain(struct ectl_scratch *s, const struct ectl_index *ix,
                    const struct ectl_sc_params *p, uint32_t e, size_t last, char *buf, size_t cap)
{
    size_t v = s->e_variant[e];
    const uint32_t *term = s->qterm[v], *pkey = s->qpk[v];
    s->q = s->qside[v];
    struct ectl_sc_side c;
    uint32_t cterms[ECTL_SC_MAX];
    name_side(ix, s->e_name[e], &c, cterms);
    float sim[ECTL_SC_MAX][ECTL_SC_MAX];
    if (v == last && s->reuse) {
        struct ectl_search_stats st = {0};
        for (size_t j = 0; j < c.n; j++) {
            const float *row = ectl_cand_row(s, ix, p, cterms[j], &st);
            for (size_t i = 0; i < s->q.n; i++)
                sim[i][j] = row[i];
        }
    } else {
        for (size_t i = 0; i < s->q.n; i++)
            for (size_t j = 0; j < c.n; j++) {
                uint32_t pk = ix->terms[cterms[j]].pkey;
                sim[i][j] = term[i] == cterms[j]
                                ? 1.0f
                                : ectl_sc_token_sim(p, &s->q.tok[i], &c.tok[j],
                                                    pk != ECTL_IX_NONE && pkey[i] == pk);
            }
    }
    struct ectl_sc_result r;
    ectl_sc_score(p, &s->q, &c, (const float(*)[ECTL_SC_MAX])sim, &r);
    ectl_sc_explain(&s->q, &c, &r, buf, cap);
}

static int is_alpha(char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int check_opts(const struct ectl_screen_opts *o, double *threshold, size_t *limit,
                      struct ectl_error *err)
{
    double t = o->threshold;
    if (t == 0)
        t = ECTL_SCREEN_DEFAULT_THRESHOLD;
    if (!(t > 0 && t <= 1))
        return ectl_error_set(err, ECTL_EINVAL, "threshold %g is not in (0, 1]", o->threshold);
    if ((unsigned)o->type >= ECTL_TYPE_COUNT)
        return ectl_error_set(err, ECTL_EINVAL, "unknown entity type %d", (int)o->type);
    const char *c = o->country;
    if (c && !(is_alpha(c[0]) && is_alpha(c[1]) && !c[2]))
        return ectl_error_set(err, ECTL_EINVAL, "country '%s' is not an ISO 3166-1 alpha-2 code",
                              c);
    size_t l = o->limit ? o->limit : ECTL_SCREEN_DEFAULT_LIMIT;
    *limit = l > ECTL_SCREEN_MAX_LIMIT ? ECTL_SCREEN_MAX_LIMIT : l;
    *threshold = t;
    return 0;
}

int ectl_search(struct ectl_scratch *s, const struct ectl_index *ix,
                const struct ectl_norm_result *q, const struct ectl_screen_opts *opts,
                const struct ectl_search_params *sp, const struct ectl_sc_params *p,
                struct ectl_match *out, size_t cap, size_t *n, struct ectl_search_stats *stats,
                struct ectl_error *err)
{
    static const struct ectl_screen_opts none = {0};
    struct ectl_search_stats dummy;
    double threshold = ECTL_SCREEN_DEFAULT_THRESHOLD;
    size_t limit = 0;
    *n = 0;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    opts = opts ? opts : &none;
    sp = sp ? sp : &ectl_search_default_params;
    p = p ? p : &ectl_sc_default_params;
    int rc = check_opts(opts, &threshold, &limit, err);
    if (rc)
        return rc;
    if (limit > cap)
        limit = cap;
    if ((rc = ectl_scratch_fit(s, ix)) != 0)
        return ectl_error_set(err, rc, "out of memory for the search");
    /* Expansions are remembered only for the parameters they were made
     * with: the defaults (ectl_screen's); other parameters take the plain
     * path throughout (search_int.h). */
    s->reuse = sp == &ectl_search_default_params && p == &ectl_sc_default_params;
    if (s->reuse)
        ectl_xmemo_bind(s->xmemo, ix);
    if (++s->egen == 0) {
        memset(s->e_gen, 0, s->cap_entities * sizeof *s->e_gen);
        s->egen = 1;
    }
    s->n_ents = 0;
    size_t last = 0; /* the form searched last, whose caches are current */
    for (size_t v = 0; v < q->n_variants && v < ECTL_NORM_MAX_VARIANTS; v++) {
        if (q->unbracketed >> v & 1)
            continue; /* for listed names only (normalize.h) */
        last = v;
        uint32_t *term = s->qterm[v];
        ectl_search_query_side(ix, &q->variants[v], &s->q, term, s->qpk[v]);
        for (size_t i = 0; i < s->q.n; i++) {
            s->qt[i].term = term[i];
            s->qt[i].pkey = s->qpk[v][i];
            ectl_jaro_pre_init(&s->qpre[i], s->q.tok[i].text, s->q.tok[i].len);
        }
        search_form(s, ix, v, opts, threshold, sp, p, stats);
    }
    size_t nt = 0;
    for (size_t k = 0; k < s->n_ents; k++) {
        uint32_t e = s->ents[k];
        if (s->e_score[e] + 1e-6 >= threshold)
            s->rank[nt++] = (struct ranked){ix, e, s->e_score[e]};
    }
    qsort(s->rank, nt, sizeof *s->rank, ranked_cmp);
    if (nt > limit)
        nt = limit;
    for (size_t k = 0; k < nt; k++) {
        uint32_t e = s->rank[k].e;
        const struct ectl_ix_entity *x = &ix->entities[e];
        struct ectl_match *m = &out[k];
        m->list = ix->str + ix->lists[x->list].name;
        m->id = ix->str + x->id;
        m->type = (enum ectl_entity_type)x->type;
        m->name = ix->str + x->name;
        m->matched_name = ix->str + ix->names[s->e_name[e]].text;
        m->score = s->rank[k].score > 1.0f ? 1.0 : (double)s->rank[k].score;
        m->programs = ix->str + x->programs;
        m->countries = ix->str + x->countries;
        explain(s, ix, p, e, last, m->explain, sizeof m->explain);
    }
    *n = nt;
    return 0;
}
