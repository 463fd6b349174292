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
 * So the process keeps the reading ICU gives each character alone - a
 * table filled as characters are first met, shared by every normaliser
 * and thread - and a run is written as those readings joined by spaces.
 * A run falls back to ICU as a whole when one of its characters is named
 * in a phrase rule (found in the transliterator's own rules, so a newer
 * ICU with more phrases stays exact) or has no plain reading (ICU left it
 * as it was).  The result is the same text ICU gives for the run.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "norm_int.h"

/* Per normaliser: room for ICU's reading of one character; not n->tmp,
 * which may hold the run (japanese.c reads MeCab's words into it). */
struct han_cache {
    struct cpbuf one;
};

/* ---- the process's readings ---------------------------------------------
 *
 * A reading is a property of the character, not of a query: ICU gives
 * every Han-Latin transliterator the same one.  So one table serves the
 * process, in blocks of 256 code points made when a character of the
 * block is first met.  ICU takes ~12 µs a character (all 98,579 of them:
 * 1.2 s), and per normaliser every new thread asked it again, queueing on
 * ICU's mutex with the others.  The longest plain reading has 6 code
 * points, all below U+10000.
 *
 * Readers take an entry without a lock: its state is written last, with
 * release order, after the reading; the one thread that moves it from
 * EMPTY to BUSY writes it, and one that finds it BUSY asks ICU itself. */
#define RD_MAX 6
#define RD_LAST 0x3134F /* the last code point is_han() takes */
#define RD_BLOCK 256

enum { RD_EMPTY, RD_BUSY, RD_PLAIN, RD_NONE };

struct rd_entry {
    _Atomic uint8_t state;
    uint8_t len;
    uint16_t cp[RD_MAX];
};

static _Atomic(struct rd_entry *) rd_blocks[RD_LAST / RD_BLOCK + 1];

/* The entry of cp, its block made if need be; NULL without memory. */
static struct rd_entry *rd_entry(int32_t cp)
{
    if (cp < 0 || cp > RD_LAST)
        return NULL;
    _Atomic(struct rd_entry *) *slot = &rd_blocks[cp / RD_BLOCK];
    struct rd_entry *b = atomic_load_explicit(slot, memory_order_acquire);
    if (!b) {
        struct rd_entry *fresh = calloc(RD_BLOCK, sizeof *fresh);
        if (!fresh)
            return NULL;
        if (atomic_compare_exchange_strong_explicit(slot, &b, fresh, memory_order_acq_rel,
                                                    memory_order_acquire))
            b = fresh;
        else
            free(fresh); /* another thread made it first: b is theirs */
    }
    return &b[cp % RD_BLOCK];
}

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

static int load_context(UTransliterator *t)
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
    return rc;
}

/* Whether cp is named in a phrase rule.  Read without the lock: the list
 * is set once, and this thread took the lock after it was (load_context,
 * before its normaliser's han_cache was made). */
static int in_context(int32_t cp)
{
    return n_context && bsearch(&cp, context, n_context, sizeof cp, cmp_i32) != NULL;
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

/* The reading of one character in v, its length in *len; 0 when it has
 * no plain reading. */
static int reading(struct ectl_norm *n, int32_t cp, int32_t v[RD_MAX], size_t *len)
{
    struct rd_entry *e = rd_entry(cp);
    uint8_t state = e ? atomic_load_explicit(&e->state, memory_order_acquire) : RD_EMPTY;
    if (state == RD_PLAIN || state == RD_NONE) {
        *len = state == RD_PLAIN ? e->len : 0;
        for (size_t i = 0; i < *len; i++)
            v[i] = e->cp[i];
        return 0;
    }
    struct han_cache *c = n->han;
    c->one.n = 0;
    int rc = icu_translit(n, TR_HAN, &cp, 1, &c->one);
    if (rc)
        return rc;
    size_t k = plain(c->one.v, c->one.n) && c->one.n <= RD_MAX ? c->one.n : 0;
    for (size_t i = 0; i < k; i++)
        if (c->one.v[i] > 0xFFFF)
            k = 0; /* not kept in 16 bits: ICU for the run (none does) */
    for (size_t i = 0; i < k; i++)
        v[i] = c->one.v[i];
    *len = k;
    uint8_t empty = RD_EMPTY;
    if (e && atomic_compare_exchange_strong_explicit(&e->state, &empty, RD_BUSY,
                                                     memory_order_acquire, memory_order_relaxed)) {
        e->len = (uint8_t)k;
        for (size_t i = 0; i < k; i++)
            e->cp[i] = (uint16_t)v[i];
        atomic_store_explicit(&e->state, k ? RD_PLAIN : RD_NONE, memory_order_release);
    }
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
    rc = load_context(t);
    if (rc) {
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
        int32_t v[RD_MAX];
        size_t k;
        if (!is_han(s[i]) || in_context(s[i]))
            goto whole;
        if ((rc = reading(n, s[i], v, &k)))
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

void han_readings_reset(void)
{
    for (size_t b = 0; b < sizeof rd_blocks / sizeof *rd_blocks; b++)
        free(atomic_exchange(&rd_blocks[b], NULL));
}

size_t han_readings_kept(void)
{
    size_t n = 0;
    for (size_t b = 0; b < sizeof rd_blocks / sizeof *rd_blocks; b++) {
        const struct rd_entry *x = atomic_load(&rd_blocks[b]);
        for (size_t i = 0; x && i < RD_BLOCK; i++)
            n += atomic_load(&x[i].state) >= RD_PLAIN;
    }
    return n;
}

void han_cache_free(struct ectl_norm *n)
{
    struct han_cache *c = n->han;
    if (!c)
        return;
    cpbuf_release(&c->one);
    free(c);
    n->han = NULL;
}
