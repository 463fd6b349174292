/*
 * The builder's state, shared by builder.c (collecting entities and names)
 * and compile.c (turning them into the file's sections).  Internal to
 * src/screen/index/.
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

/* Intern a string into the pool; *off gets its offset. */
int ectl_ixb_intern(struct ectl_ixb *b, const char *s, size_t len, uint32_t *off);

#endif
