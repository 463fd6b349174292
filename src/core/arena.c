#include "arena.h"

#include <stdlib.h>
#include <string.h>

struct ectl_arena_chunk {
    struct ectl_arena_chunk *next;
    size_t used;
    size_t cap;
    _Alignas(16) unsigned char data[];
};

#define CHUNK_MIN (64 * 1024)

void *ectl_arena_alloc(struct ectl_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct ectl_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = calloc(1, sizeof *c + cap);
        if (!c)
            return NULL;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

char *ectl_arena_strndup(struct ectl_arena *a, const char *s, size_t n)
{
    char *p = ectl_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *ectl_arena_strdup(struct ectl_arena *a, const char *s)
{
    return ectl_arena_strndup(a, s, strlen(s));
}

void ectl_arena_release(struct ectl_arena *a)
{
    struct ectl_arena_chunk *c = a->head;
    while (c) {
        struct ectl_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}
