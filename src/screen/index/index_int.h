/*
 * An open index: typed views into the mapped file (internal).
 *
 * ectl_index_open() fills this only after checking every reference in the
 * file (open.c), so code holding a struct ectl_index may index the arrays
 * with the ids it finds in them without further checks.
 */
#ifndef ECTL_SCREEN_INDEX_INDEX_INT_H
#define ECTL_SCREEN_INDEX_INDEX_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <exportctl/screen.h>

#include "format.h"

struct ectl_index {
    const unsigned char *base;
    size_t size;
    int mapped; /* 1: munmap(base) at close */

    const char *str; /* string pool; str[n_str - 1] == '\0' */
    size_t n_str;
    const struct ectl_ix_list *lists;
    uint32_t n_lists;
    const struct ectl_ix_entity *entities;
    uint32_t n_entities;
    const struct ectl_ix_name *names;
    uint32_t n_names;
    const uint32_t *name_terms;
    size_t n_name_terms;
    const struct ectl_ix_term *terms;
    uint32_t n_terms;
    const struct ectl_ix_letters *letters; /* n_terms */
    const uint64_t *term_hash; /* ECTL_IX_SLOT */
    size_t term_hash_n; /* power of two */
    const uint32_t *postings;
    size_t n_postings;
    const struct ectl_ix_pkey *pkeys;
    uint32_t n_pkeys;
    const uint64_t *pkey_hash; /* ECTL_IX_SLOT */
    size_t pkey_hash_n; /* power of two */
    const uint32_t *pkey_terms;
    size_t n_pkey_terms;
    const uint32_t *gram_offs; /* ECTL_IX_GRAMS + 1 */
    const uint32_t *gram_terms;
    size_t n_gram_terms;
    const uint8_t *gram_stop;
    const uint32_t *del_offs; /* del_buckets + 1 */
    size_t del_buckets;       /* power of two */
    const uint64_t *del_entries;
    size_t n_del;
    const uint32_t *neigh_offs; /* n_terms + 1 */
    const uint32_t *neigh;
    size_t n_neigh;
    float w_unknown;
    char built_at[24];
};

/* Open an index held in memory: data must be 8-byte aligned and outlive
 * the index (ectl_index_close() does not free it).  name is used in
 * messages.  The same checks as ectl_index_open(). */
int ectl_index_open_mem(const void *data, size_t len, const char *name, struct ectl_index **out,
                        struct ectl_error *err) __attribute__((warn_unused_result));

static inline const char *ectl_ix_str(const struct ectl_index *ix, uint32_t off)
{
    return ix->str + off;
}

/* A term by its text whose ectl_ix_hash is h, or ECTL_IX_NONE. */
static inline uint32_t ectl_ix_term_find_h(const struct ectl_index *ix, const char *s, size_t len,
                                           uint32_t h)
{
    size_t mask = ix->term_hash_n - 1;
    size_t i = h & mask;
    for (size_t probes = 0; probes < ix->term_hash_n; probes++, i = (i + 1) & mask) {
        uint64_t v = ix->term_hash[i];
        if (ECTL_IX_SLOT_EMPTY(v))
            return ECTL_IX_NONE;
        if (ECTL_IX_SLOT_HASH(v) != h)
            continue;
        const struct ectl_ix_term *t = &ix->terms[ECTL_IX_SLOT_ID(v)];
        if (t->len == len && memcmp(ix->str + t->text, s, len) == 0)
            return ECTL_IX_SLOT_ID(v);
    }
    return ECTL_IX_NONE;
}

/* A term by its text, or ECTL_IX_NONE. */
static inline uint32_t ectl_ix_term_find(const struct ectl_index *ix, const char *s, size_t len)
{
    return ectl_ix_term_find_h(ix, s, len, ectl_ix_hash(s, len));
}

/* Ask for the hash slot of h before ectl_ix_term_find_h needs it, so that
 * several lookups wait for memory together. */
static inline void ectl_ix_term_prefetch(const struct ectl_index *ix, uint32_t h)
{
    __builtin_prefetch(&ix->term_hash[h & (ix->term_hash_n - 1)]);
}

/* A phonetic key by its text, or ECTL_IX_NONE. */
static inline uint32_t ectl_ix_pkey_find(const struct ectl_index *ix, const char *s, size_t len)
{
    if (ix->pkey_hash_n == 0)
        return ECTL_IX_NONE;
    size_t mask = ix->pkey_hash_n - 1;
    uint32_t h = ectl_ix_hash(s, len);
    size_t i = h & mask;
    for (size_t probes = 0; probes < ix->pkey_hash_n; probes++, i = (i + 1) & mask) {
        uint64_t v = ix->pkey_hash[i];
        if (ECTL_IX_SLOT_EMPTY(v))
            return ECTL_IX_NONE;
        if (ECTL_IX_SLOT_HASH(v) != h)
            continue;
        const char *k = ix->str + ix->pkeys[ECTL_IX_SLOT_ID(v)].text;
        if (strncmp(k, s, len) == 0 && k[len] == '\0')
            return ECTL_IX_SLOT_ID(v);
    }
    return ECTL_IX_NONE;
}

static inline int ectl_ix_gram_stopped(const struct ectl_index *ix, uint32_t g)
{
    return ix->gram_stop[g / 8] >> (g % 8) & 1;
}

#endif
