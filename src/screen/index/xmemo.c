/*
 * The expansions of query tokens the lists lack, remembered from query to
 * query by each thread's scratch.
 *
 * Expanding such a token (deletion probes, its phonetic key's terms,
 * trigrams: expand.c) is most of what a Latin name costs, and a batch
 * repeats the same given names and surnames again and again.  What the
 * expansion yields depends only on the token (its letters and flags), the
 * index and the parameters, so the memo is keyed on the token, emptied
 * when the index changes, and used only with the default parameters.
 *
 * What is not remembered is the similarity cache that expansion fills for
 * the scorer: the scorer computes those values again with the floor
 * bound, which gives the same value at or above the floor and 0 for one
 * below it, and a value below the floor counts as no match wherever it is
 * read (ectl_cand_sim).  So a name scores the same with the memo or
 * without it; tests/unit/screen compares the two.
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

#include "index_int.h"

/* A power of two.  At 168 bytes a slot, 2.6 MiB per thread; on a batch
 * of 14,620 real names (yente's) 5-7 % less time per name than 4,096
 * slots gave, the repeated given names and surnames no longer evicting
 * one another. */
#define XMEMO_SLOTS 16384
#define XMEMO_TEXT 24    /* longer tokens are not remembered */
#define XMEMO_EXP 16     /* the default exp_max */

struct xmemo_slot {
    uint32_t hash; /* 0: empty */
    uint16_t flags;
    uint8_t len;
    uint8_t n_exp;
    float w_in, w_out;
    char text[XMEMO_TEXT];
    struct exp exp[XMEMO_EXP];
};

struct ectl_xmemo {
    /* The index the slots were filled from: its mapping and checksum. */
    const void *base;
    size_t size;
    uint64_t checksum;
    struct xmemo_slot slot[XMEMO_SLOTS];
};

struct ectl_xmemo *ectl_xmemo_new(void)
{
    return calloc(1, sizeof(struct ectl_xmemo));
}

void ectl_xmemo_free(struct ectl_xmemo *m)
{
    free(m);
}

void ectl_xmemo_clear(struct ectl_xmemo *m)
{
    /* Bound to no index: the next bind empties every slot. */
    m->base = NULL;
    m->size = 0;
    m->checksum = 0;
}

size_t ectl_xmemo_used(const struct ectl_xmemo *m)
{
    size_t n = 0;
    for (size_t i = 0; i < XMEMO_SLOTS; i++)
        n += m->slot[i].hash != 0;
    return n;
}

void ectl_xmemo_bind(struct ectl_xmemo *m, const struct ectl_index *ix)
{
    uint64_t ck = 0;
    if (ix->size >= 32)
        memcpy(&ck, ix->base + 24, sizeof ck); /* the header's checksum */
    if (m->base == ix->base && m->size == ix->size && m->checksum == ck)
        return;
    memset(m->slot, 0, sizeof m->slot);
    m->base = ix->base;
    m->size = ix->size;
    m->checksum = ck;
}

static uint32_t key_hash(const struct ectl_sc_tok *t)
{
    uint32_t h = ectl_ix_hash(t->text, t->len) ^ (uint32_t)t->flags * 0x9e3779b1u;
    return h ? h : 1;
}

static int same_key(const struct xmemo_slot *x, uint32_t h, const struct ectl_sc_tok *t)
{
    return x->hash == h && x->len == t->len && x->flags == t->flags && x->w_in == t->w &&
           memcmp(x->text, t->text, t->len) == 0;
}

int ectl_xmemo_get(const struct ectl_xmemo *m, const struct ectl_sc_tok *t, struct exp *exp,
                   size_t *n_exp, float *w)
{
    if (t->len > XMEMO_TEXT)
        return 0;
    uint32_t h = key_hash(t);
    const struct xmemo_slot *x = &m->slot[h & (XMEMO_SLOTS - 1)];
    if (!same_key(x, h, t))
        return 0;
    memcpy(exp, x->exp, x->n_exp * sizeof *exp);
    *n_exp = x->n_exp;
    *w = x->w_out;
    return 1;
}

void ectl_xmemo_put(struct ectl_xmemo *m, const struct ectl_sc_tok *t, float w_in,
                    const struct exp *exp, size_t n_exp, float w_out)
{
    if (t->len > XMEMO_TEXT || n_exp > XMEMO_EXP)
        return;
    struct ectl_sc_tok k = *t;
    k.w = w_in;
    uint32_t h = key_hash(&k);
    struct xmemo_slot *x = &m->slot[h & (XMEMO_SLOTS - 1)];
    x->hash = h;
    x->flags = t->flags;
    x->len = (uint8_t)t->len;
    x->n_exp = (uint8_t)n_exp;
    x->w_in = w_in;
    x->w_out = w_out;
    memcpy(x->text, t->text, t->len);
    memcpy(x->exp, exp, n_exp * sizeof *exp);
}
