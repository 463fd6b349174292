/*
 * Bump allocator for data that lives exactly as long as its owner (a loaded
 * regime keeps every string of its files in one arena and frees them in one
 * go).  Internal.
 */
#ifndef ECTL_CORE_ARENA_H
#define ECTL_CORE_ARENA_H

#include <stddef.h>

struct ectl_arena_chunk;

struct ectl_arena {
    struct ectl_arena_chunk *head;
};

#define ECTL_ARENA_INIT {NULL}

/* NULL when out of memory.  Memory is zeroed and 16-byte aligned. */
void *ectl_arena_alloc(struct ectl_arena *a, size_t n);
char *ectl_arena_strdup(struct ectl_arena *a, const char *s);
char *ectl_arena_strndup(struct ectl_arena *a, const char *s, size_t n);
void ectl_arena_release(struct ectl_arena *a);

#endif
