/*
 * items.csv: control-list entries, and the code hash used to find them.
 */
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "loader.h"

static uint64_t hash_code(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)toupper((unsigned char)s[i]);
        h *= 0x100000001b3ULL;
    }
    return h;
}

int32_t ectl__item_find(const struct ectl_regime *r, const char *code, size_t len)
{
    if (!r->hash_cap)
        return -1;
    size_t mask = r->hash_cap - 1;
    for (size_t i = hash_code(code, len) & mask;; i = (i + 1) & mask) {
        int32_t v = r->hash[i];
        if (v < 0)
            return -1;
        const char *k = r->hash_keys[i];
        if (strncasecmp(k, code, len) == 0 && k[len] == '\0')
            return v;
    }
}

/* Insert key -> item; returns the index already holding key, or -1. */
static int32_t hash_put(struct ectl_regime *r, const char *key, int32_t item)
{
    size_t mask = r->hash_cap - 1;
    size_t len = strlen(key);
    for (size_t i = hash_code(key, len) & mask;; i = (i + 1) & mask) {
        if (r->hash[i] < 0) {
            r->hash[i] = item;
            r->hash_keys[i] = key;
            return -1;
        }
        if (strcasecmp(r->hash_keys[i], key) == 0)
            return r->hash[i];
    }
}

struct ctl_ctx {
    struct loader *L;
    struct item *it;
    const char *bad;
    char badbuf[64];
};

static int add_control(void *vctx, const char *p, size_t n)
{
    struct ctl_ctx *c = vctx;
    int si = ectl__set_find(c->L->r, p, n);
    if (si < 0 || c->L->r->sets[si].kind != SET_CHART) {
        snprintf(c->badbuf, sizeof c->badbuf, "%.*s", (int)(n > 60 ? 60 : n), p);
        c->bad = c->badbuf;
        return ECTL_EDATA;
    }
    c->it->controls |= 1u << c->L->r->sets[si].chart_bit;
    return 0;
}

/* NAME@SET/PREFIX */
static int add_exception(void *vctx, const char *p, size_t n)
{
    struct ctl_ctx *c = vctx;
    struct ectl_regime *r = c->L->r;
    snprintf(c->badbuf, sizeof c->badbuf, "%.*s", (int)(n > 60 ? 60 : n), p);
    c->bad = c->badbuf;
    const char *at = memchr(p, '@', n), *slash = memchr(p, '/', n);
    if (!at || !slash || slash < at)
        return ECTL_EDATA;
    size_t kn = (size_t)(at - p);
    int kind = -1;
    for (size_t k = 0; k < r->n_kinds; k++)
        if (strlen(r->kinds[k]) == kn && !memcmp(r->kinds[k], p, kn))
            kind = (int)k;
    int si = ectl__set_find(r, at + 1, (size_t)(slash - at - 1));
    if (kind < 0 || si < 0)
        return ECTL_EDATA;
    struct exception *e = realloc(c->it->exceptions, (c->it->n_exceptions + 1) * sizeof *e);
    if (!e)
        return ECTL_ENOMEM;
    c->it->exceptions = e;
    e += c->it->n_exceptions++;
    e->name = r->kinds[kind];
    e->set = si;
    e->prefix = ectl_arena_strndup(&r->arena, slash + 1, (size_t)(p + n - slash - 1));
    return e->prefix ? 0 : ECTL_ENOMEM;
}

static bool valid_code(const char *s)
{
    if (!*s || strlen(s) > 48)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr(".()-_/", *s))
            return false;
    return true;
}

int ectl__load_items(struct loader *L, struct ectl_error *err)
{
    static const char *const cols[] = {"code",       "harmonised", "description", "controls",
                                       "exceptions", "from",       "to",          "source"};
    struct ectl_regime *r = L->r;
    struct table t;
    int rc = table_open(&t, L->dir, "items.csv", cols, 8, &L->hash, err);
    if (rc)
        return rc;
    size_t cap = 0;
    struct ectl_arena *A = &r->arena;
    while ((rc = table_next(&t, err)) > 0) {
        const char *const *f = t.csv.fields;
        for (int c = 0; c < 2; c++)
            if ((c == 0 || *f[c]) && !valid_code(f[c]))
                rc = table_fail(&t, (size_t)c, err, "'%s' is not a valid item code", f[c]);
        if (rc < 0)
            break;
        if (ECTL_GROW(r->items, r->n_items, cap)) {
            rc = ectl__oom(err);
            break;
        }
        struct item *it = &r->items[r->n_items];
        memset(it, 0, sizeof *it);
        r->n_items++;
        struct ectl_buf b = ECTL_BUF_INIT;
        it->code = ectl_arena_strdup(A, f[0]);
        it->harmonised = *f[1] ? ectl_arena_strdup(A, f[1]) : NULL;
        it->description = ectl_arena_strdup(A, f[2]);
        int e = ectl_buf_addf(&b, "item:%s", f[0]);
        it->rule_id = e ? NULL : ectl_arena_strdup(A, b.ptr);
        ectl_buf_release(&b);
        if (!it->code || (*f[1] && !it->harmonised) || !it->description || !it->rule_id) {
            rc = ectl__oom(err);
            break;
        }
        struct ctl_ctx c = {L, it, NULL, {0}};
        if ((rc = split_list(f[3], add_control, &c))) {
            rc = rc == ECTL_ENOMEM ? ectl__oom(err)
                                   : table_fail(&t, 3, err, "'%s' is not a chart set", c.bad);
            break;
        }
        if ((rc = split_list(f[4], add_exception, &c))) {
            rc = rc == ECTL_ENOMEM
                     ? ectl__oom(err)
                     : table_fail(&t, 4, err,
                                  "'%s' is not NAME@SET/PREFIX with a known licence kind and set",
                                  c.bad);
            break;
        }
        if ((rc = field_interval(&t, 5, &it->from, &it->to, err)) ||
            (rc = field_sources(&t, 7, &L->src, A, &it->source, err)))
            break;
        ectl__note_date(L, it->from);
        ectl__note_date(L, it->to);
    }
    if (rc < 0) {
        table_close(&t);
        return rc;
    }
    /* Build the code hash: native and harmonised codes, and the regime's
     * own words for "unlisted" must all be distinct. */
    size_t keys = r->n_items * 2 + 1;
    r->hash_cap = 16;
    while (r->hash_cap < keys * 2)
        r->hash_cap *= 2;
    r->hash = malloc(r->hash_cap * sizeof *r->hash);
    r->hash_keys = calloc(r->hash_cap, sizeof *r->hash_keys);
    if (!r->hash || !r->hash_keys) {
        table_close(&t);
        return ectl__oom(err);
    }
    for (size_t i = 0; i < r->hash_cap; i++)
        r->hash[i] = -1;
    rc = 0;
    for (size_t i = 0; i < r->n_items && !rc; i++) {
        const char *k[2] = {r->items[i].code, r->items[i].harmonised};
        for (int j = 0; j < 2 && !rc; j++) {
            if (!k[j])
                continue;
            bool unlisted = false;
            for (size_t u = 0; u < r->n_unlisted; u++)
                unlisted |= strcasecmp(k[j], r->unlisted[u]) == 0;
            int32_t prev = unlisted ? (int32_t)i : hash_put(r, k[j], (int32_t)i);
            if (prev >= 0 && !(j == 1 && prev == (int32_t)i))
                rc = ectl_error_set(err, ECTL_EDATA,
                                    "%s: code '%s' of item '%s' already names item '%s'", t.path,
                                    k[j], r->items[i].code,
                                    unlisted ? "(unlisted)" : r->items[prev].code);
        }
    }
    table_close(&t);
    return rc;
}
