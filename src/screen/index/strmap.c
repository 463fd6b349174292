#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"

void ectl_strmap_release(struct ectl_strmap *m)
{
    free(m->slots);
    ectl_arena_release(&m->keys);
    m->slots = NULL;
    m->cap = m->n = 0;
}

static struct ectl_strmap_slot *find(struct ectl_strmap_slot *slots, size_t cap, const char *key,
                                     size_t len, uint32_t h)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        struct ectl_strmap_slot *s = &slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
    }
}

const struct ectl_strmap_slot *ectl_strmap_get(const struct ectl_strmap *m, const char *key,
                                               size_t len)
{
    if (!m->cap)
        return NULL;
    const struct ectl_strmap_slot *s = find(m->slots, m->cap, key, len, ectl_ix_hash(key, len));
    return s->key ? s : NULL;
}

static int grow(struct ectl_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    struct ectl_strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find(slots, cap, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return 0;
}

struct ectl_strmap_slot *ectl_strmap_put(struct ectl_strmap *m, const char *key, size_t len,
                                         uint32_t value, int *inserted)
{
    *inserted = 0;
    if (len > UINT32_MAX)
        return NULL;
    if ((m->n + 1) * 2 > m->cap && grow(m) != 0)
        return NULL;
    uint32_t h = ectl_ix_hash(key, len);
    struct ectl_strmap_slot *s = find(m->slots, m->cap, key, len, h);
    if (s->key)
        return s;
    char *copy = ectl_arena_strndup(&m->keys, key, len);
    if (!copy)
        return NULL;
    s->key = copy;
    s->len = (uint32_t)len;
    s->hash = h;
    s->value = value;
    m->n++;
    *inserted = 1;
    return s;
}
