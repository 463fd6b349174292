/*
 * The lookup structures of fuzzy matching, compiled from the terms: the
 * phonetic-key -> terms lists, the trigram -> terms lists, the one-letter
 * deletion buckets, and each term's neighbours (format.h).
 */
#include "builder_int.h"
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

/* A trigram shared by more terms than this is not indexed: it would cost
 * every query that has it a long walk and tells little ("^al", "an$").
 * The query skips such trigrams (GRAM_STOP says which), and the other
 * trigrams of a token still find it. */
#define GRAM_CAP 1200

#define PKEY_MAX 32

/* phonetic key -> terms.  Keys are interned in the pool like any string. */
int ectl_ixb_make_pkeys(struct ectl_ixb *b, struct ixb_out *o)
{
    struct ectl_strmap keys = ECTL_STRMAP_INIT;
    int rc = 0;
    uint32_t *count = NULL;
    for (uint32_t t = 0; t < o->n_terms && rc == 0; t++) {
        if (o->terms[t].flags & ECTL_IX_T_DIGITS)
            continue;
        char key[PKEY_MAX];
        size_t kl = ectl_norm_phonetic_key(b->pool.ptr + o->terms[t].text, o->terms[t].len, key,
                                           sizeof key);
        if (kl == 0 || kl >= sizeof key)
            continue;
        int inserted;
        struct ectl_strmap_slot *s =
            ectl_strmap_put(&keys, key, kl, (uint32_t)o->n_pkeys, &inserted);
        if (!s) {
            rc = ECTL_ENOMEM;
            break;
        }
        if (inserted)
            o->n_pkeys++;
        o->terms[t].pkey = s->value;
    }
    if (rc == 0) {
        o->pkeys = calloc(o->n_pkeys ? o->n_pkeys : 1, sizeof *o->pkeys);
        count = calloc(o->n_pkeys ? o->n_pkeys : 1, sizeof *count);
        o->pkey_hash_n = ectl_ixb_table_size(o->n_pkeys);
        o->pkey_hash = calloc(o->pkey_hash_n, sizeof *o->pkey_hash);
        if (!o->pkeys || !count || !o->pkey_hash)
            rc = ECTL_ENOMEM;
    }
    for (size_t i = 0; rc == 0 && i < keys.cap; i++) {
        const struct ectl_strmap_slot *s = &keys.slots[i];
        if (!s->key)
            continue;
        rc = ectl_ixb_intern(b, s->key, s->len, &o->pkeys[s->value].text);
        ectl_ixb_hash_insert(o->pkey_hash, o->pkey_hash_n, s->key, s->len, s->value);
    }
    for (uint32_t t = 0; rc == 0 && t < o->n_terms; t++)
        if (o->terms[t].pkey != ECTL_IX_NONE)
            o->pkeys[o->terms[t].pkey].len++;
    size_t total = 0;
    for (size_t k = 0; rc == 0 && k < o->n_pkeys; k++) {
        o->pkeys[k].off = (uint32_t)total;
        total += o->pkeys[k].len;
    }
    if (rc == 0) {
        o->n_pkey_terms = total;
        o->pkey_terms = malloc((total ? total : 1) * sizeof *o->pkey_terms);
        if (!o->pkey_terms)
            rc = ECTL_ENOMEM;
    }
    for (uint32_t x = 0; rc == 0 && x < o->n_terms; x++) {
        uint32_t t = o->by_len[x], k = o->terms[t].pkey;
        if (k != ECTL_IX_NONE)
            o->pkey_terms[o->pkeys[k].off + count[k]++] = ECTL_IX_GRAM_ENTRY(o->terms[t].len, t);
    }
    free(count);
    ectl_strmap_release(&keys);
    return rc;
}

/* The distinct trigrams of a token, in order of first appearance. */
static size_t term_grams(const char *text, size_t len, uint32_t *g)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t x = ectl_ix_gram(text, len, i);
        size_t j = 0;
        while (j < n && g[j] != x)
            j++;
        if (j == n)
            g[n++] = x;
    }
    return n;
}

/* trigram -> terms, with the over-common trigrams left out. */
int ectl_ixb_make_grams(struct ectl_ixb *b, struct ixb_out *o)
{
    o->gram_offs = calloc(ECTL_IX_GRAMS + 1, sizeof *o->gram_offs);
    o->gram_stop = calloc((ECTL_IX_GRAMS + 7) / 8, 1);
    uint32_t *fill = calloc(ECTL_IX_GRAMS, sizeof *fill);
    if (!o->gram_offs || !o->gram_stop || !fill) {
        free(fill);
        return ECTL_ENOMEM;
    }
    uint32_t g[ECTL_IX_MAX_TOKEN_LEN];
    for (uint32_t t = 0; t < o->n_terms; t++) {
        size_t n = term_grams(b->pool.ptr + o->terms[t].text, o->terms[t].len, g);
        for (size_t i = 0; i < n; i++)
            fill[g[i]]++;
    }
    size_t total = 0;
    for (uint32_t x = 0; x < ECTL_IX_GRAMS; x++) {
        o->gram_offs[x] = (uint32_t)total;
        if (fill[x] > GRAM_CAP)
            o->gram_stop[x / 8] |= (uint8_t)(1u << (x % 8));
        else
            total += fill[x];
        fill[x] = 0;
    }
    o->gram_offs[ECTL_IX_GRAMS] = (uint32_t)total;
    o->n_gram_terms = total;
    o->gram_terms = malloc((total ? total : 1) * sizeof *o->gram_terms);
    if (!o->gram_terms) {
        free(fill);
        return ECTL_ENOMEM;
    }
    for (uint32_t x = 0; x < o->n_terms; x++) {
        uint32_t t = o->by_len[x];
        size_t n = term_grams(b->pool.ptr + o->terms[t].text, o->terms[t].len, g);
        for (size_t i = 0; i < n; i++)
            if (!(o->gram_stop[g[i] / 8] >> (g[i] % 8) & 1))
                o->gram_terms[o->gram_offs[g[i]] + fill[g[i]]++] =
                    ECTL_IX_GRAM_ENTRY(o->terms[t].len, t);
    }
    free(fill);
    return 0;
}

/* The distinct one-letter deletions of a token, as hashes. */
static size_t term_dels(const char *text, size_t len, uint32_t *h)
{
    char buf[ECTL_IX_MAX_TOKEN_LEN];
    size_t n = 0;
    for (size_t k = 0; k < len; k++) {
        /* Deleting either letter of a double gives the same string. */
        if (k > 0 && text[k] == text[k - 1])
            continue;
        memcpy(buf, text, k);
        memcpy(buf + k, text + k + 1, len - k - 1);
        h[n++] = ectl_ix_hash(buf, len - 1);
    }
    return n;
}

static int del_ok(const struct ectl_ix_term *t)
{
    return t->len >= ECTL_IX_DEL_MIN && !(t->flags & ECTL_IX_T_DIGITS);
}

/* deletion hash -> terms, in power-of-two buckets. */
int ectl_ixb_make_dels(struct ectl_ixb *b, struct ixb_out *o)
{
    uint32_t h[ECTL_IX_MAX_TOKEN_LEN];
    size_t total = 0;
    for (uint32_t t = 0; t < o->n_terms; t++)
        if (del_ok(&o->terms[t]))
            total += term_dels(b->pool.ptr + o->terms[t].text, o->terms[t].len, h);
    o->del_buckets = 16;
    while (o->del_buckets < total)
        o->del_buckets *= 2;
    o->del_offs = calloc(o->del_buckets + 1, sizeof *o->del_offs);
    o->del_entries = malloc((total ? total : 1) * sizeof *o->del_entries);
    uint32_t *fill = calloc(o->del_buckets, sizeof *fill);
    if (!o->del_offs || !o->del_entries || !fill) {
        free(fill);
        return ECTL_ENOMEM;
    }
    size_t mask = o->del_buckets - 1;
    for (uint32_t t = 0; t < o->n_terms; t++) {
        if (!del_ok(&o->terms[t]))
            continue;
        size_t n = term_dels(b->pool.ptr + o->terms[t].text, o->terms[t].len, h);
        for (size_t i = 0; i < n; i++)
            o->del_offs[(h[i] & mask) + 1]++;
    }
    for (size_t k = 0; k < o->del_buckets; k++)
        o->del_offs[k + 1] += o->del_offs[k];
    for (uint32_t t = 0; t < o->n_terms; t++) {
        if (!del_ok(&o->terms[t]))
            continue;
        size_t n = term_dels(b->pool.ptr + o->terms[t].text, o->terms[t].len, h);
        for (size_t i = 0; i < n; i++) {
            size_t k = h[i] & mask;
            o->del_entries[o->del_offs[k] + fill[k]++] = ECTL_IX_DEL_ENTRY(h[i], t);
        }
    }
    o->n_del = total;
    free(fill);
    return 0;
}

/* Every term's neighbours, found by the search's own expansion run on a
 * first image of the file (whose neighbour lists are still empty). */
int ectl_ixb_make_neighbours(struct ixb_out *o, const void *file, size_t len, struct ectl_error *err)
{
    struct ectl_index *ix;
    int rc = ectl_index_open_mem(file, len, "index being built", &ix, err);
    if (rc)
        return rc;
    struct ectl_scratch *s = ectl_scratch_new();
    size_t cap = (size_t)o->n_terms * 4 + 16;
    uint32_t *v = malloc(cap * sizeof *v);
    if (!s || !v) {
        rc = ECTL_ENOMEM;
        goto out;
    }
    size_t n = 0;
    for (uint32_t t = 0; t < o->n_terms; t++) {
        uint32_t got[EXP_CAP];
        size_t k = ectl_cands_neighbours(s, ix, t, got, EXP_CAP);
        if (n + k > cap) {
            uint32_t *nv = realloc(v, (cap = (n + k) * 2) * sizeof *v);
            if (!nv) {
                rc = ECTL_ENOMEM;
                goto out;
            }
            v = nv;
        }
        o->neigh_offs[t] = (uint32_t)n;
        memcpy(v + n, got, k * sizeof *got);
        n += k;
    }
    o->neigh_offs[o->n_terms] = (uint32_t)n;
    free(o->neigh);
    o->neigh = v;
    o->n_neigh = n;
    v = NULL;
out:
    free(v);
    ectl_scratch_free(s);
    ectl_index_close(ix);
    return rc;
}
