/*
 * The per-request arena, and jansson on top of it.
 *
 * Handlers build JSON freely and never decref it: while a request runs, the
 * thread's current arena is set, and jansson's allocator takes memory from
 * it.  Every block carries a 16-byte tag saying where it came from, so a
 * value made on the heap (before serving, or in a background job) and
 * released later still goes back to the heap, and a decref of an arena
 * value is a no-op: the whole arena goes at once after the response.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define CHUNK_MIN (16 * 1024)
#define ALIGN 16

struct srv_arena_chunk {
    struct srv_arena_chunk *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

struct srv_cleanup {
    struct srv_cleanup *next;
    void (*fn)(void *);
    void *arg;
};

void srv_arena_init(struct srv_arena *a, size_t cap)
{
    a->head = NULL;
    a->cleanups = NULL;
    a->used = 0;
    a->cap = cap;
}

void *srv_arena_alloc(struct srv_arena *a, size_t n)
{
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n == 0)
        n = ALIGN;
    /* The cap bounds what one request can take, whatever its JSON is. */
    if (n > a->cap || a->used > a->cap - n)
        return NULL;
    struct srv_arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->used += n;
    return p;
}

void srv_arena_release(struct srv_arena *a)
{
    while (a->cleanups) {
        struct srv_cleanup *c = a->cleanups;
        a->cleanups = c->next;
        c->fn(c->arg);
    }
    while (a->head) {
        struct srv_arena_chunk *c = a->head;
        a->head = c->next;
        free(c);
    }
    a->used = 0;
}

void srv_defer(struct req *r, void (*fn)(void *), void *arg)
{
    struct srv_cleanup *c = srv_arena_alloc(&r->arena, sizeof *c);
    if (!c) {
        /* Without room to remember it, run it now rather than leak. */
        fn(arg);
        return;
    }
    c->fn = fn;
    c->arg = arg;
    c->next = r->arena.cleanups;
    r->arena.cleanups = c;
}

void *srv_alloc(struct req *r, size_t n)
{
    return srv_arena_alloc(&r->arena, n);
}

char *srv_strdup(struct req *r, const char *s)
{
    size_t n = strlen(s);
    char *p = srv_alloc(r, n + 1);
    if (p)
        memcpy(p, s, n + 1);
    return p;
}

char *srv_printf(struct req *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = srv_alloc(r, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- jansson ------------------------------------------------------------ */

static _Thread_local struct srv_arena *current;

enum { TAG_HEAP = 0x68656170, TAG_ARENA = 0x6172656e };

void srv_arena_set_current(struct srv_arena *a)
{
    current = a;
}

static void *json_alloc(size_t n)
{
    if (n > SIZE_MAX - ALIGN)
        return NULL;
    unsigned char *p;
    uint32_t tag;
    if (current) {
        p = srv_arena_alloc(current, n + ALIGN);
        tag = TAG_ARENA;
    } else {
        p = malloc(n + ALIGN);
        tag = TAG_HEAP;
    }
    if (!p)
        return NULL;
    memcpy(p, &tag, sizeof tag);
    return p + ALIGN;
}

static void json_release(void *ptr)
{
    if (!ptr)
        return;
    unsigned char *p = (unsigned char *)ptr - ALIGN;
    uint32_t tag;
    memcpy(&tag, p, sizeof tag);
    if (tag == TAG_HEAP)
        free(p);
}

void srv_json_use_arena(void)
{
    json_set_alloc_funcs(json_alloc, json_release);
}

void ectl_serve_init_json(void)
{
    srv_json_use_arena();
}
