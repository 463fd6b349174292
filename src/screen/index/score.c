#include "score.h"

#include <math.h>
#include <string.h>

#include "sim.h"

/* Measured on the yente UN fixtures, the nomenklatura name pairs and the
 * negatives (docs/screening.md has the numbers and how they were found). */
const struct ectl_sc_params ectl_sc_default_params = {
    .sim_floor = 0.80f,
    .join_floor = 0.90f,
    .pkey_bonus = 0.10f,
    .pkey_short = 0.85f,
    .acronym_sim = 0.90f,
    .initial_sim = 0.90f,
    .sim_power = 2.0f,
    .unlisted_power = 1.0f,
    .middle = 0.4f,
    .gamma_q = 1.0f,
    .gamma_c = 0.5f,
    .uninformative = 0.5f,
    .number_miss = 0.7f,
    .kind_factor = {1.0f, 1.0f, 0.97f, 0.92f, 1.0f},
};

#define WEAK_FLAGS \
    (ECTL_IX_T_LEGAL | ECTL_IX_T_GENERIC | ECTL_IX_T_HONORIFIC | ECTL_IX_T_FUNCTION)

/* No consonant but y, w, h: Yi, Oh, Woo, Ee. */
static int vowels_only(const struct ectl_sc_tok *t)
{
    for (size_t i = 0; i < t->len; i++)
        if (!strchr("aeiouywh", t->text[i]))
            return 0;
    return 1;
}

static float lift(const struct ectl_sc_params *p, const struct ectl_sc_tok *a,
                  const struct ectl_sc_tok *b, int same_pkey, float s)
{
    /* Said alike: a key is coarse (a consonant skeleton), so it lifts a
     * spelling that is already close (Kim/Gim, Park/Bak) rather than
     * making any two tokens with the key equal (Mahmoud/Mohammed).  A
     * short token of vowels alone is where spelling says least: Yi, I and
     * Oh are Lee, Rhee and O (not Ali, which has a consonant of its own). */
    if (same_pkey) {
        float lifted = s + p->pkey_bonus;
        if (a->len <= 4 && b->len <= 4 && (vowels_only(a) || vowels_only(b)) &&
            lifted < p->pkey_short)
            lifted = p->pkey_short;
        if (lifted > 0.95f)
            lifted = 0.95f;
        if (lifted > s)
            s = lifted;
    }
    /* An initial stands for a name it begins: "j smith" / "john smith". */
    if (((a->len == 1 && b->len > 1) || (b->len == 1 && a->len > 1)) && a->text[0] == b->text[0] &&
        s < p->initial_sim)
        s = p->initial_sim;
    return s;
}

float ectl_sc_token_sim(const struct ectl_sc_params *p, const struct ectl_sc_tok *a,
                        const struct ectl_sc_tok *b, int same_pkey)
{
    if (a->len == b->len && memcmp(a->text, b->text, a->len) == 0)
        return 1.0f;
    if (a->len == 0 || b->len == 0 || ((a->flags | b->flags) & ECTL_IX_T_DIGITS))
        return 0.0f;
    return lift(p, a, b, same_pkey, (float)ectl_sim_letters(b->text, b->len, a->text, a->len));
}

float ectl_sc_token_sim_pre(const struct ectl_sc_params *p, const struct ectl_jaro_pre *qpre,
                            const struct ectl_sc_tok *a, const struct ectl_sc_tok *b, int same_pkey,
                            int bounded)
{
    if (a->len == b->len && memcmp(a->text, b->text, a->len) == 0)
        return 1.0f;
    if (a->len == 0 || b->len == 0 || ((a->flags | b->flags) & ECTL_IX_T_DIGITS))
        return 0.0f;
    if (bounded &&
        lift(p, a, b, same_pkey, (float)ectl_sim_letters_bound_pre(qpre, b->text, b->len)) <
            p->sim_floor)
        return 0.0f;
    return lift(p, a, b, same_pkey, (float)ectl_sim_letters_pre(qpre, b->text, b->len));
}

struct cand {
    uint8_t q0, nq, c0, nc;
    float sim;
    float w;
};

#define MAX_CANDS (ECTL_SC_MAX * ECTL_SC_MAX + 512)
#define JOIN_MAX 4    /* tokens a join may span */
#define ACRONYM_MAX 6 /* letters of an acronym */

static uint64_t span_mask(size_t first, size_t n)
{
    return (((uint64_t)1 << n) - 1) << first;
}

static void add_cand(struct cand *v, size_t *n, size_t q0, size_t nq, size_t c0, size_t nc,
                     float sim, float w)
{
    if (*n < MAX_CANDS)
        v[(*n)++] = (struct cand){(uint8_t)q0, (uint8_t)nq, (uint8_t)c0, (uint8_t)nc, sim, w};
}

/* Similarity of the k tokens a[0..k) written as one with c, or 0 when it
 * cannot be a join: the joined length must be close to c's and the first
 * letters equal.  A join is kept only at floor or above and above best:
 * one whose letters alone (ectl_sim_letters_bound) rule that out is given
 * as 0 without the Jaro-Winkler, as it would be rejected anyway. */
static float join_sim(const struct ectl_sc_tok *a, size_t k, const struct ectl_sc_tok *c,
                      float floor, float best)
{
    size_t l = 0;
    for (size_t i = 0; i < k; i++)
        l += a[i].len;
    if (l > c->len + 2u || l + 2u < c->len || a[0].text[0] != c->text[0])
        return 0.0f;
    char buf[JOIN_MAX * ECTL_IX_MAX_TOKEN_LEN];
    size_t at = 0;
    for (size_t i = 0; i < k; i++) {
        memcpy(buf + at, a[i].text, a[i].len);
        at += a[i].len;
    }
    float bound = (float)ectl_sim_letters_bound(buf, l, c->text, c->len);
    if (bound < floor || bound <= best)
        return 0.0f;
    return (float)ectl_sim_token(buf, l, c->text, c->len);
}

/* x is the initials of the len(x) tokens a[0..): "jc" / "jean claude",
 * "irgc" / "islamic revolutionary guard corps". */
static int is_acronym(const struct ectl_sc_tok *x, const struct ectl_sc_tok *a, size_t avail)
{
    if (x->len < 2 || x->len > ACRONYM_MAX || x->len > avail || (x->flags & ECTL_IX_T_DIGITS))
        return 0;
    for (size_t i = 0; i < x->len; i++)
        if (a[i].text[0] != x->text[i] || a[i].len < 2)
            return 0;
    return 1;
}

/* Pairs of one token with a run of k tokens on the other side, where the
 * run reads as that token.  Worth a pair only when it beats what the
 * run's tokens score alone.  sim[i][j] is always query i, listed j. */
static void gather_runs(const struct ectl_sc_params *p, const struct ectl_sc_side *a,
                        const struct ectl_sc_side *b, const float (*sim)[ECTL_SC_MAX], int a_is_q,
                        struct cand *v, size_t *n)
{
    if (a->n < 2)
        return;
    for (size_t i = 0; i + 1 < a->n; i++)
        for (size_t j = 0; j < b->n; j++) {
            const struct ectl_sc_tok *t = &b->tok[j];
            /* A join and an acronym both begin with t's first letter. */
            if (a->tok[i].text[0] != t->text[0])
                continue;
            float best = a_is_q ? sim[i][j] : sim[j][i];
            double w = t->w + a->tok[i].w;
            size_t l = a->tok[i].len;
            for (size_t k = 2; k <= JOIN_MAX && i + k <= a->n; k++) {
                float part = a_is_q ? sim[i + k - 1][j] : sim[j][i + k - 1];
                if (part > best)
                    best = part;
                w += a->tok[i + k - 1].w;
                l += a->tok[i + k - 1].len;
                if (l > t->len + 2u)
                    break;
                if (l + 2u < t->len)
                    continue;
                float s = join_sim(&a->tok[i], k, t, p->join_floor, best);
                if (s >= p->join_floor && s > best) {
                    if (a_is_q)
                        add_cand(v, n, i, k, j, 1, s, (float)w);
                    else
                        add_cand(v, n, j, 1, i, k, s, (float)w);
                }
            }
            if (is_acronym(t, &a->tok[i], a->n - i)) {
                size_t k = t->len;
                if (a_is_q)
                    add_cand(v, n, i, k, j, 1, p->acronym_sim, (float)t->w);
                else
                    add_cand(v, n, j, 1, i, k, p->acronym_sim, (float)t->w);
            }
        }
}

/* "son/daughter of" in Arabic names: the word after it is the father's
 * name (MUHAMMAD BIN SALMAN is Muhammad, son of Salman). */
static int is_connector(const struct ectl_sc_tok *t)
{
    static const char *const w[] = {"bin", "bint", "binti", "ibn", "ould"};
    static const unsigned char wl[] = {3, 4, 5, 3, 4};
    /* Every connector starts with b, i or o: most tokens stop here (the
     * scorer asks this of every token of every candidate). */
    if (t->len < 3 || t->len > 5 || (t->text[0] != 'b' && t->text[0] != 'i' && t->text[0] != 'o'))
        return 0;
    for (size_t i = 0; i < sizeof w / sizeof *w; i++)
        if (t->len == wl[i] && !memcmp(t->text, w[i], t->len))
            return 1;
    return 0;
}

/* Where a side's first connector is (s->n if none) and, as a bit mask,
 * the tokens right after a connector: the fathers' names. */
static size_t lineage(const struct ectl_sc_side *s, uint64_t *father)
{
    size_t first = s->n;
    *father = 0;
    for (size_t i = 0; i + 1 < s->n; i++)
        if (is_connector(&s->tok[i])) {
            if (first == s->n)
                first = i;
            *father |= (uint64_t)1 << (i + 1);
        }
    return first;
}

static void gather(const struct ectl_sc_params *p, const struct ectl_sc_side *q,
                   const struct ectl_sc_side *c, const float (*sim)[ECTL_SC_MAX], struct cand *v,
                   size_t *n)
{
    uint64_t good_q = 0, good_c = 0;
    /* When both names say whose son he is, a father's name on one side is
     * not the person's own (given) name on the other: SALMAN BIN MUHAMMAD
     * is not MUHAMMAD BIN SALMAN, though every token agrees. */
    uint64_t fq, fc;
    size_t cq = lineage(q, &fq), cc = lineage(c, &fc);
    int both = cq < q->n && cc < c->n;
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < c->n; j++)
            if (sim[i][j] >= p->sim_floor) {
                if (both && (((fq >> i & 1) && j < cc) || ((fc >> j & 1) && i < cq)))
                    continue;
                add_cand(v, n, i, 1, j, 1, sim[i][j], q->tok[i].w + c->tok[j].w);
                if (sim[i][j] >= p->join_floor) {
                    good_q |= (uint64_t)1 << i;
                    good_c |= (uint64_t)1 << j;
                }
            }
    /* A run is worth a pair only if it beats its parts' pairs, which a
     * pair at or above join_floor on every token of both sides rules out
     * for the common case of two names that agree token for token. */
    if (good_q == span_mask(0, q->n) && good_c == span_mask(0, c->n) && q->n == c->n)
        return;
    gather_runs(p, q, c, sim, 1, v, n);
    gather_runs(p, c, q, sim, 0, v, n);
}

static int cand_before(const struct cand *a, const struct cand *b)
{
    if (a->sim != b->sim)
        return a->sim > b->sim;
    if (a->w != b->w)
        return a->w > b->w;
    if (a->q0 != b->q0)
        return a->q0 < b->q0;
    return a->c0 < b->c0;
}

static void sort_cands(struct cand *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct cand x = v[i];
        size_t j = i;
        while (j > 0 && cand_before(&x, &v[j - 1])) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}


/* Total weight of one side.  An unmatched token inside the span of the
 * matched informative tokens (a middle name) counts by the middle factor,
 * unless the other side has unmatched tokens too: a middle name that one
 * name lacks is no evidence against a match, one that differs is. */
static double side_weight(const struct ectl_sc_params *p, const struct ectl_sc_side *s,
                          uint64_t used, int conflict)
{
    /* A middle name the query leaves out weighs at most as much as the
     * average matched informative token: that it is rare makes it no more
     * evidence against the match ("KIM CHOL" is as much KIM SOK CHOL as
     * KIM YONG CHOL). */
    size_t lo = s->n, hi = 0, nm = 0;
    double mw = 0;
    for (size_t i = 0; i < s->n; i++)
        if ((used >> i & 1) && !(s->tok[i].flags & WEAK_FLAGS)) {
            if (lo == s->n)
                lo = i;
            hi = i;
            mw += s->tok[i].w;
            nm++;
        }
    mw = nm ? mw / (double)nm : 0;
    double w = 0;
    for (size_t i = 0; i < s->n; i++) {
        double x = s->tok[i].w;
        if (!conflict && !(used >> i & 1) && lo < i && i < hi)
            x = p->middle * (x < mw ? x : mw);
        w += x;
    }
    return w;
}

/* Weight of the informative tokens a side left unmatched. */
static double unmatched_weight(const struct ectl_sc_side *s, uint64_t used)
{
    double w = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!(used >> i & 1) && !(s->tok[i].flags & WEAK_FLAGS))
            w += s->tok[i].w;
    return w;
}

static double credit(const struct ectl_sc_params *p, float sim, int unlisted)
{
    if (sim >= 1.0f)
        return 1.0;
    float e = unlisted ? p->unlisted_power : p->sim_power;
    return e == 2.0f ? (double)sim * sim : e == 1.0f ? (double)sim : pow(sim, e);
}

/* A query token the lists lack, within an edit or two of the listed one it
 * is paired with (one edit up to 5 letters, two from 6), is taken for a
 * typo of it: its pair is credited by unlisted_power.  A token the lists
 * have is a name of its own (Antonia is not Antonio), and one further off
 * is not a typo (Larson is not Wilson). */
static int typo(const struct ectl_sc_params *p, int single, const struct ectl_sc_tok *a,
                const struct ectl_sc_tok *b)
{
    if (!single || !(a->flags & ECTL_SC_T_UNLISTED) || p->unlisted_power == p->sim_power)
        return 0;
    size_t shorter = a->len < b->len ? a->len : b->len;
    size_t max = shorter >= 6 ? 2 : 1;
    return ectl_sim_osa(a->text, a->len, b->text, b->len, max) <= max;
}

/* A Roman numeral from II to XXXIX, as a fund or a subsidiary is
 * numbered ("Fund III", "Solutions II"). */
static int roman(const struct ectl_sc_tok *t)
{
    static const char *const units[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
    /* Every numeral begins with i, v or x: most tokens stop here. */
    if (t->len < 2 || t->len > 8 || (t->text[0] != 'i' && t->text[0] != 'v' && t->text[0] != 'x'))
        return 0;
    /* Tens first (at most three x), then one of the units, and the whole
     * token used: the same set as every "x"*tens + unit of length >= 2. */
    size_t tens = 0;
    while (tens < t->len && tens < 3 && t->text[tens] == 'x')
        tens++;
    const char *u = t->text + tens;
    size_t ul = t->len - tens;
    if (ul > 4)
        return 0;
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strlen(units[k]) == ul && !memcmp(units[k], u, ul))
            return 1;
    return 0;
}

/* Whether a side leaves a number unmatched: a token with a digit, or, in
 * an organisation's name (one with a legal form or a generic word), a
 * Roman numeral.  A person's "Xi" or "Ii" is a name. */
static int unmatched_number(const struct ectl_sc_side *s, uint64_t used)
{
    int org = -1; /* not yet known: most names leave no number-like token */
    for (size_t i = 0; i < s->n; i++) {
        if (used >> i & 1)
            continue;
        const struct ectl_sc_tok *t = &s->tok[i];
        if (t->flags & ECTL_IX_T_DIGITS)
            return 1;
        if (!roman(t))
            continue;
        if (org < 0) {
            org = 0;
            for (size_t j = 0; j < s->n; j++)
                if (s->tok[j].flags & (ECTL_IX_T_LEGAL | ECTL_IX_T_GENERIC))
                    org = 1;
        }
        if (org)
            return 1;
    }
    return 0;
}

double ectl_sc_score(const struct ectl_sc_params *p, const struct ectl_sc_side *q,
                     const struct ectl_sc_side *c, const float (*sim)[ECTL_SC_MAX],
                     struct ectl_sc_result *out)
{
    struct cand v[MAX_CANDS];
    size_t n = 0;
    if (out) {
        out->score = out->cq = out->cc = 0;
        out->number_miss = 0;
        out->n_pairs = 0;
    }
    if (q->n == 0 || c->n == 0)
        return 0.0;
    gather(p, q, c, sim, v, &n);
    sort_cands(v, n);
    uint64_t uq = 0, uc = 0;
    double mq = 0, mc = 0;
    int informative = 0;
    size_t np = 0;
    for (size_t k = 0; k < n; k++) {
        uint64_t bq = span_mask(v[k].q0, v[k].nq), bc = span_mask(v[k].c0, v[k].nc);
        if ((uq & bq) || (uc & bc))
            continue;
        uq |= bq;
        uc |= bc;
        double cr = credit(p, v[k].sim, typo(p, v[k].nq == 1 && v[k].nc == 1, &q->tok[v[k].q0],
                                             &c->tok[v[k].c0]));
        for (size_t i = v[k].q0; i < (size_t)v[k].q0 + v[k].nq; i++) {
            mq += cr * q->tok[i].w;
            if (!(q->tok[i].flags & WEAK_FLAGS))
                informative = 1;
        }
        for (size_t j = v[k].c0; j < (size_t)v[k].c0 + v[k].nc; j++)
            mc += cr * c->tok[j].w;
        if (out)
            out->pairs[np] = (struct ectl_sc_pair){v[k].q0, v[k].nq, v[k].c0, v[k].nc, v[k].sim};
        np++;
    }
    if (np == 0)
        return 0.0;
    int conflict = unmatched_weight(q, uq) > 0 && unmatched_weight(c, uc) > 0;
    double wq = side_weight(p, q, uq, conflict), wc = side_weight(p, c, uc, conflict);
    double cq = wq > 0 ? mq / wq : 0, cc = wc > 0 ? mc / wc : 0;
    if (cq > 1)
        cq = 1;
    if (cc > 1)
        cc = 1;
    double score = (p->gamma_q == 1.0f ? cq : pow(cq, p->gamma_q)) *
                   (p->gamma_c == 0.5f ? sqrt(cc) : pow(cc, p->gamma_c));
    if (!informative)
        score *= p->uninformative;
    /* A number in a name is an identifier ("Fund II", "2004-1", "Victory
     * 3"): one that the other name lacks or writes differently is another
     * fund, series or ship, whatever the rest of the name says. */
    int nm = unmatched_number(q, uq) || unmatched_number(c, uc);
    if (nm)
        score *= p->number_miss;
    if (out) {
        out->score = score;
        out->cq = cq;
        out->cc = cc;
        out->number_miss = nm;
        out->n_pairs = np;
    }
    return score;
}

/* ---- explanation -------------------------------------------------------- */

struct out {
    char *p;
    size_t cap, len;
    int full;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->full)
        return;
    /* Keep room for "..." and the NUL. */
    if (o->len + n + 4 > o->cap) {
        size_t room = o->cap > o->len + 4 ? o->cap - o->len - 4 : 0;
        memcpy(o->p + o->len, s, room);
        o->len += room;
        memcpy(o->p + o->len, "...", 3);
        o->len += 3;
        o->full = 1;
        return;
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
}

static void put_z(struct out *o, const char *s)
{
    put(o, s, strlen(s));
}

static void put_span(struct out *o, const struct ectl_sc_side *s, size_t first, size_t n)
{
    for (size_t i = first; i < first + n; i++) {
        if (i > first)
            put_z(o, "+");
        put(o, s->tok[i].text, s->tok[i].len);
    }
}

void ectl_sc_explain(const struct ectl_sc_side *q, const struct ectl_sc_side *c,
                     const struct ectl_sc_result *r, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    struct out o = {buf, cap, 0, cap < 8};
    /* Pairs in query order reads like the query. */
    size_t order[ECTL_SC_MAX];
    for (size_t k = 0; k < r->n_pairs; k++) {
        size_t j = k;
        while (j > 0 && r->pairs[order[j - 1]].q0 > r->pairs[k].q0) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = k;
    }
    uint64_t uq = 0, uc = 0;
    for (size_t k = 0; k < r->n_pairs; k++) {
        const struct ectl_sc_pair *x = &r->pairs[order[k]];
        uq |= span_mask(x->q0, x->nq);
        uc |= span_mask(x->c0, x->nc);
        if (k)
            put_z(&o, ", ");
        put_span(&o, q, x->q0, x->nq);
        put_z(&o, "=");
        put_span(&o, c, x->c0, x->nc);
        /* " 0.97": two decimals, rounded */
        int pct = (int)(x->sim * 100.0f + 0.5f);
        char num[6] = {' ', (char)('0' + pct / 100), '.', (char)('0' + pct / 10 % 10),
                       (char)('0' + pct % 10), '\0'};
        put_z(&o, num);
    }
    const struct ectl_sc_side *side[2] = {q, c};
    const uint64_t used[2] = {uq, uc};
    static const char *const label[2] = {"unmatched query: ", "unmatched name: "};
    for (int s = 0; s < 2; s++) {
        int first = 1;
        for (size_t i = 0; i < side[s]->n; i++) {
            if (used[s] >> i & 1)
                continue;
            put_z(&o, first ? (o.len ? "; " : "") : " ");
            if (first)
                put_z(&o, label[s]);
            first = 0;
            put(&o, side[s]->tok[i].text, side[s]->tok[i].len);
        }
    }
    if (r->number_miss)
        put_z(&o, o.len ? "; numbers differ" : "numbers differ");
    if (o.len == 0 && !o.full)
        put_z(&o, "no token matched");
    buf[o.len < cap ? o.len : cap - 1] = '\0';
}
