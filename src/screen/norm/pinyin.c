/*
 * Han-Latin without ICU's rule engine on every name.
 *
 * ICU's Han-Latin is a table of single characters (one pinyin syllable
 * each), a space between syllables, and a handful of phrase rules where
 * the next character decides the reading (重庆 chóng qìng, not zhòng).
 * Running it costs ~15,000 instructions a character, and ICU takes a
 * process-wide mutex inside every rule-based transliteration, so two
 * threads screening Chinese names queue on it.
 *
 * So each normaliser remembers the reading ICU gives each character alone
 * and writes a run as those readings joined by spaces.  A run falls back
 * to ICU as a whole when one of its characters is named in a phrase rule
 * (found in the transliterator's own rules, so a newer ICU with more
 * phrases stays exact) or has no plain reading (ICU left it as it was).
 * The result is the same text ICU gives for the run.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "norm_int.h"

/* Readings kept per normaliser; names use a few thousand characters at
 * most, so a full table just means ICU for the rest. */
#define HAN_CACHE_MAX 32768

/* A slot of the open-addressing table: key is the code point + 1 (0 is
 * empty); len 0 with a key means "no plain reading: use ICU". */
struct han_slot {
    uint32_t key;
    uint32_t off; /* in han_cache.pool.v */
    uint32_t len;
};

struct han_cache {
    struct han_slot *slot;
    size_t cap, used; /* cap: a power of two */
    struct cpbuf pool; /* every reading, one after another */
    /* Characters named in a phrase rule, sorted: the process-wide list
     * (load_context), not the cache's own. */
    const int32_t *ctx;
    size_t n_ctx;
    /* ICU's reading of one character; not n->tmp, which may hold the run
     * (japanese.c reads MeCab's words into it) */
    struct cpbuf one;
};

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The characters of every rule that is neither a character class nor a
 * stage ("[...] > x;", "::Han-Spacedhan();"): those are the phrase rules,
 * and any Han character in them may read differently in context. */
static int read_context(UTransliterator *t, int32_t **out, size_t *out_n)
{
    int32_t *ctx = NULL;
    size_t n_ctx = 0;
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = utrans_toRules(t, 0, NULL, 0, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
        return ECTL_EIO;
    UChar *r = malloc(((size_t)len + 1) * sizeof *r);
    if (!r)
        return ECTL_ENOMEM;
    st = U_ZERO_ERROR;
    utrans_toRules(t, 0, r, len + 1, &st);
    if (U_FAILURE(st)) {
        free(r);
        return ECTL_EIO;
    }
    size_t cap = 0;
    int rc = 0;
    int32_t i = 0;
    while (i < len && !rc) {
        int32_t e = i;
        while (e < len && r[e] != '\n')
            e++;
        int skip = e - i == 0 || r[i] == '[' || (r[i] == ':' && i + 1 < e && r[i + 1] == ':');
        for (int32_t k = i; !skip && k < e;) {
            UChar32 cp;
            U16_NEXT(r, k, e, cp);
            if (!is_han(cp))
                continue;
            if (n_ctx == cap) {
                cap = cap ? 2 * cap : 16;
                int32_t *p = realloc(ctx, cap * sizeof *p);
                if (!p) {
                    rc = ECTL_ENOMEM;
                    break;
                }
                ctx = p;
            }
            ctx[n_ctx++] = cp;
        }
        i = e + 1;
    }
    free(r);
    if (rc) {
        free(ctx);
        return rc;
    }
    if (n_ctx)
        qsort(ctx, n_ctx, sizeof *ctx, cmp_i32);
    *out = ctx;
    *out_n = n_ctx;
    return 0;
}

/* The phrase rules are ICU's, the same for every normaliser, and reading
 * them out costs ~85 million instructions (utrans_toRules of the whole
 * Han-Latin table): the first normaliser to need them reads them for
 * the process, and the others (a new thread's) share the sorted list,
 * which is never changed or freed after. */
static pthread_mutex_t context_lock = PTHREAD_MUTEX_INITIALIZER;
static const int32_t *context;
static size_t n_context;
static int context_ready;

static int load_context(struct han_cache *c, UTransliterator *t)
{
    int rc = 0;
    pthread_mutex_lock(&context_lock);
    if (!context_ready) {
        int32_t *ctx = NULL;
        size_t n = 0;
        rc = read_context(t, &ctx, &n);
        if (!rc) {
            context = ctx;
            n_context = n;
            context_ready = 1;
        }
    }
    pthread_mutex_unlock(&context_lock);
    if (!rc) {
        c->ctx = context;
        c->n_ctx = n_context;
    }
    return rc;
}



static int in_context(const struct han_cache *c, int32_t cp)
{
    return c->n_ctx && bsearch(&cp, c->ctx, c->n_ctx, sizeof cp, cmp_i32) != NULL;
}

static size_t slot_of(const struct han_cache *c, int32_t cp)
{
    size_t h = ((uint32_t)cp * 2654435761u) & (c->cap - 1);
    while (c->slot[h].key && c->slot[h].key != (uint32_t)cp + 1)
        h = (h + 1) & (c->cap - 1);
    return h;
}

static int grow(struct han_cache *c)
{
    size_t cap = c->cap ? 2 * c->cap : 1024;
    struct han_slot *s = calloc(cap, sizeof *s);
    if (!s)
        return ECTL_ENOMEM;
    struct han_slot *old = c->slot;
    size_t old_cap = c->cap;
    c->slot = s;
    c->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            c->slot[slot_of(c, (int32_t)old[i].key - 1)] = old[i];
    free(old);
    return 0;
}

/* A plain reading: letters only, no space, nothing ICU left as Han. */
static int plain(const int32_t *v, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (v[i] == ' ' || v[i] < 0x41 || is_han(v[i]) || v[i] >= 0x2E80)
            return 0;
    return 1;
}

/* The reading of one character: *v and *len in the pool, *len 0 when it has
 * no plain reading. */
static int reading(struct ectl_norm *n, int32_t cp, const int32_t **v, size_t *len)
{
    struct han_cache *c = n->han;
    size_t h = slot_of(c, cp);
    if (!c->slot[h].key) {
        if (c->used >= HAN_CACHE_MAX) {
            *len = 0;
            return 0;
        }
        c->one.n = 0;
        int rc = icu_translit(n, TR_HAN, &cp, 1, &c->one);
        if (rc)
            return rc;
        size_t k = plain(c->one.v, c->one.n) ? c->one.n : 0, off = c->pool.n;
        if (cpbuf_append(&c->pool, c->one.v, k))
            return ECTL_ENOMEM;
        if (2 * (c->used + 1) > c->cap) {
            if (grow(c))
                return ECTL_ENOMEM;
            h = slot_of(c, cp);
        }
        c->slot[h] = (struct han_slot){.key = (uint32_t)cp + 1, .off = (uint32_t)off,
                                       .len = (uint32_t)k};
        c->used++;
    }
    *v = c->pool.v + c->slot[h].off;
    *len = c->slot[h].len;
    return 0;
}

/* n->han on first use, with the phrase rules of Han-Latin. */
static int cache_get(struct ectl_norm *n)
{
    if (n->han)
        return 0;
    UTransliterator *t;
    int rc = icu_get(n, TR_HAN, &t);
    if (rc)
        return rc;
    struct han_cache *c = calloc(1, sizeof *c);
    if (!c)
        return ECTL_ENOMEM;
    rc = load_context(c, t);
    if (!rc)
        rc = grow(c);
    if (rc) {
        free(c->slot);
        free(c);
        return rc;
    }
    n->han = c;
    return 0;
}

int han_latin(struct ectl_norm *n, const int32_t *s, size_t len, struct cpbuf *out)
{
    int rc = cache_get(n);
    if (rc)
        return rc;
    size_t start = out->n;
    for (size_t i = 0; i < len; i++) {
        const int32_t *v;
        size_t k;
        if (!is_han(s[i]) || in_context(n->han, s[i]))
            goto whole;
        if ((rc = reading(n, s[i], &v, &k)))
            return rc;
        if (!k)
            goto whole;
        if (cpbuf_reserve(out, k + 1))
            return ECTL_ENOMEM;
        if (i)
            out->v[out->n++] = ' ';
        memcpy(out->v + out->n, v, k * sizeof *v);
        out->n += k;
    }
    return 0;
whole:
    out->n = start;
    return icu_translit(n, TR_HAN, s, len, out);
}

size_t han_cache_used(const struct ectl_norm *n)
{
    return n->han ? n->han->used : 0;
}

void han_cache_clear(struct ectl_norm *n)
{
    struct han_cache *c = n->han;
    if (!c)
        return;
    if (c->slot)
        memset(c->slot, 0, c->cap * sizeof *c->slot);
    c->used = 0;
    c->pool.n = 0;
}

void han_cache_free(struct ectl_norm *n)
{
    struct han_cache *c = n->han;
    if (!c)
        return;
    free(c->slot);
    cpbuf_release(&c->pool);
    cpbuf_release(&c->one);
    free(c);
    n->han = NULL;
}
