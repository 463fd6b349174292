/*
 * The builder's state, shared by builder.c (collecting entities and names),
 * compile.c (turning them into the file's sections) and lookup.c (the
 * fuzzy-matching sections).  Internal to src/screen/index/.
 */
#ifndef ECTL_SCREEN_INDEX_BUILDER_INT_H
#define ECTL_SCREEN_INDEX_BUILDER_INT_H

#include <stdint.h>

#include "builder.h"
#include "../../core/buf.h"
#include "format.h"
#include "strmap.h"

struct ixb_term {
    uint32_t text; /* pool offset */
    uint16_t len;
    uint16_t flags; /* enum ectl_ix_term_flags */
    uint32_t df;
    uint32_t last_entity; /* for counting df once per entity */
};

/* An entity may repeat a name (an alias equal to the primary name once
 * normalised); such repeats are dropped by comparing token sequences. */
#define IXB_SEEN_MAX 512

struct ectl_ixb {
    struct ectl_buf pool; /* the string pool, byte 0 = "" */
    struct ectl_strmap strings;
    struct ectl_strmap listmap;
    struct ectl_strmap termmap;
    struct ectl_buf lists;      /* struct ectl_ix_list[] */
    struct ectl_buf entities;   /* struct ectl_ix_entity[] */
    struct ectl_buf names;      /* struct ectl_ix_name[] */
    struct ectl_buf name_terms; /* uint32_t[] */
    struct ectl_buf terms;      /* struct ixb_term[] */
    size_t lists_done;
    int in_entity;
    uint64_t n_source_names; /* names given (not forms), for the report */
    uint32_t cur_names;      /* source names of the current entity with a form */
    size_t n_seen;
    uint64_t seen[IXB_SEEN_MAX];
};

#define IXB_N(buf, type) ((buf).len / sizeof(type))
#define IXB_AT(buf, type, i) (&((type *)(void *)(buf).ptr)[i])

/* The sections being compiled (compile.c, lookup.c). */
struct ixb_out {
    uint32_t n_terms, n_names, n_entities, n_lists;
    struct ectl_ix_term *terms;
    struct ectl_ix_letters *letters;
    uint32_t *by_len; /* term ids by length, then id */
    uint32_t *postings;
    size_t n_postings;
    struct ectl_ix_pkey *pkeys;
    size_t n_pkeys;
    uint32_t *pkey_terms;
    size_t n_pkey_terms;
    uint64_t *term_hash;
    size_t term_hash_n;
    uint64_t *pkey_hash;
    size_t pkey_hash_n;
    uint32_t *gram_offs; /* ECTL_IX_GRAMS + 1 */
    uint32_t *gram_terms;
    size_t n_gram_terms;
    uint8_t *gram_stop;
    uint32_t *del_offs; /* del_buckets + 1 */
    size_t del_buckets;
    uint64_t *del_entries;
    size_t n_del;
    uint32_t *neigh_offs; /* n_terms + 1 */
    uint32_t *neigh;
    size_t n_neigh;
    float w_unknown;
};

/* Lookup structures for fuzzy matching (lookup.c); each fills its part of
 * o from the terms. */
int ectl_ixb_make_pkeys(struct ectl_ixb *b, struct ixb_out *o);
int ectl_ixb_make_grams(struct ectl_ixb *b, struct ixb_out *o);
int ectl_ixb_make_dels(struct ectl_ixb *b, struct ixb_out *o);
/* Every term's neighbours, from a first image of the file. */
int ectl_ixb_make_neighbours(struct ixb_out *o, const void *file, size_t len,
                             struct ectl_error *err);

/* An open-addressing table of at least 2n slots, and an insert into it
 * (FNV-1a, linear probing, slots ECTL_IX_SLOT(hash, id)). */
size_t ectl_ixb_table_size(size_t n);
void ectl_ixb_hash_insert(uint64_t *table, size_t cap, const char *key, size_t len, uint32_t id);

/* Intern a string into the pool; *off gets its offset. */
int ectl_ixb_intern(struct ectl_ixb *b, const char *s, size_t len, uint32_t *off);

#endif
