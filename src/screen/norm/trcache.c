/*
 * A small per-normaliser memory of ICU transliterations.
 *
 * Outside Han (pinyin.c), Cyrillic (cyrillic.c), Greek (greek.c) and
 * Devanagari (devanagari.c), which have tables of their own, ICU's rule
 * engine costs ~10,000 instructions a word and takes a process-wide mutex
 * on every call.  Names repeat their words (Kumar, Иванов), so each
 * normaliser keeps the last transliteration of a run per slot of a
 * direct-mapped table: a hit copies ICU's earlier answer.  Han runs keep
 * han_run's readings here too (japanese.c), which spares MeCab and its
 * dictionary.  4,096 slots rather than 256 took 4 % off the mean time per
 * name of 21,366 of yente's names (their Devanagari, Thai and Arabic
 * words no longer evicting one another).  The table belongs to one
 * normaliser, so to one thread; nothing is shared.  A run or an answer
 * too long for a slot is simply not kept.
 */
#include <stdlib.h>
#include <string.h>

#include "norm_int.h"

#define TRC_SLOTS 4096 /* a power of two: ~1 MB a normaliser */
#define TRC_KEY_MAX 16
#define TRC_VAL_MAX 48

struct trc_slot {
    uint8_t used, id;
    uint8_t klen, vlen;
    int32_t key[TRC_KEY_MAX];
    int32_t val[TRC_VAL_MAX];
};

struct tr_cache {
    struct trc_slot slot[TRC_SLOTS];
};

static size_t slot_of(unsigned id, const int32_t *s, size_t len)
{
    uint32_t h = 2166136261u ^ (uint32_t)id;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint32_t)s[i]) * 16777619u;
    return (h ^ (h >> 15)) & (TRC_SLOTS - 1);
}

int trc_get(struct ectl_norm *n, unsigned id, const int32_t *s, size_t len, struct cpbuf *out)
{
    const struct tr_cache *c = n->trc;
    if (!c || len > TRC_KEY_MAX)
        return 0;
    const struct trc_slot *e = &c->slot[slot_of(id, s, len)];
    if (!e->used || e->id != id || e->klen != len || memcmp(e->key, s, len * sizeof *s))
        return 0;
    if (cpbuf_append(out, e->val, e->vlen))
        return -1;
    return 1;
}

void trc_put(struct ectl_norm *n, unsigned id, const int32_t *s, size_t len, const int32_t *v,
             size_t vlen)
{
    if (len > TRC_KEY_MAX || vlen > TRC_VAL_MAX)
        return;
    if (!n->trc && !(n->trc = calloc(1, sizeof *n->trc)))
        return; /* no memory for the cache: ICU every time */
    struct trc_slot *e = &n->trc->slot[slot_of(id, s, len)];
    e->used = 1;
    e->id = (uint8_t)id;
    e->klen = (uint8_t)len;
    e->vlen = (uint8_t)vlen;
    memcpy(e->key, s, len * sizeof *s);
    memcpy(e->val, v, vlen * sizeof *v);
}

void trc_clear(struct ectl_norm *n)
{
    if (n->trc)
        memset(n->trc, 0, sizeof *n->trc);
}

void trc_free(struct ectl_norm *n)
{
    free(n->trc);
    n->trc = NULL;
}
