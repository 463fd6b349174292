/*
 * A map from byte strings to 32-bit values, for building an index
 * (internal).  Keys are copied into the map's own arena; values are the
 * caller's (usually an index into one of its arrays).  Not thread-safe.
 */
#ifndef ECTL_SCREEN_INDEX_STRMAP_H
#define ECTL_SCREEN_INDEX_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "../../core/arena.h"

struct ectl_strmap_slot {
    const char *key; /* NUL-terminated copy in the arena; NULL = empty */
    uint32_t len;
    uint32_t hash;
    uint32_t value;
};

struct ectl_strmap {
    struct ectl_strmap_slot *slots;
    size_t cap; /* power of two */
    size_t n;
    struct ectl_arena keys;
};

#define ECTL_STRMAP_INIT {NULL, 0, 0, ECTL_ARENA_INIT}

void ectl_strmap_release(struct ectl_strmap *m);

/* Find key; returns its slot or NULL. */
const struct ectl_strmap_slot *ectl_strmap_get(const struct ectl_strmap *m, const char *key,
                                               size_t len);

/* Find or insert key.  On insert the slot's value is set to value and
 * *inserted to 1.  Returns the slot (valid until the next insert), or NULL
 * when out of memory. */
struct ectl_strmap_slot *ectl_strmap_put(struct ectl_strmap *m, const char *key, size_t len,
                                         uint32_t value, int *inserted);

#endif
