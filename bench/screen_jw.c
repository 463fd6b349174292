/*
 * Screening benchmark: the brute-force Jaro-Winkler peer.
 *
 * What a team writes in an afternoon: normalise (sb_peer_norm), sort the
 * words of both names (without that, "SALEK, ABDULHAI" never finds
 * "Abdulhai Salek"; peers-baseline.md measured both and the sorted form is
 * the better one), and compute Jaro-Winkler against every listed name,
 * keeping each entity's best.  The kernel is jellyfish's: code points,
 * match window max(len)/2 - 1, prefix bonus 0.1 per common character up
 * to 4 when Jaro exceeds 0.7.  No index, no pruning.
 */
#include "screen_bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#define MAX_CP 1024

struct sb_jw {
    const struct sb_corpus *c;
    uint32_t *cp;  /* every name's code points, one after the other */
    uint32_t *off; /* name i is cp[off[i] .. off[i+1]) */
    uint32_t max_len;
};

struct sb_jw_ctx {
    struct sb_jw *j;
    uint8_t f1[MAX_CP], f2[MAX_CP];
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Normalise, sort the words, decode to code points; returns the count. */
static size_t prepare(const char *text, uint32_t *out, size_t cap)
{
    char norm[4096], *tok[256], *save = NULL;
    size_t n = 0;
    sb_peer_norm(text, norm, sizeof norm);
    for (char *p = strtok_r(norm, " ", &save); p && n < 256; p = strtok_r(NULL, " ", &save))
        tok[n++] = p;
    qsort(tok, n, sizeof *tok, cmp_str);
    size_t o = 0;
    for (size_t t = 0; t < n; t++) {
        if (t && o < cap)
            out[o++] = ' ';
        const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)tok[t];
        utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(tok[t]);
        while (left > 0 && o < cap) {
            int32_t c;
            utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
            if (k <= 0)
                break;
            out[o++] = (uint32_t)c;
            p += k;
            left -= k;
        }
    }
    return o;
}

static double jaro_winkler(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, uint8_t *fa,
                           uint8_t *fb)
{
    if (!la || !lb)
        return 0.0;
    size_t range = (la > lb ? la : lb) / 2;
    range = range ? range - 1 : 0;
    memset(fa, 0, la);
    memset(fb, 0, lb);
    size_t common = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0, hi = i + range < lb - 1 ? i + range : lb - 1;
        for (size_t j = lo; j <= hi; j++)
            if (!fb[j] && b[j] == a[i]) {
                fa[i] = fb[j] = 1;
                common++;
                break;
            }
    }
    if (!common)
        return 0.0;
    size_t k = 0, trans = 0;
    for (size_t i = 0; i < la; i++) {
        if (!fa[i])
            continue;
        while (!fb[k])
            k++;
        if (a[i] != b[k])
            trans++;
        k++;
    }
    double m = (double)common;
    double w = (m / (double)la + m / (double)lb + (m - (double)(trans / 2)) / m) / 3.0;
    if (w > 0.7) {
        size_t pmax = la < lb ? la : lb, p = 0;
        pmax = pmax < 4 ? pmax : 4;
        while (p < pmax && a[p] == b[p])
            p++;
        w += (double)p * 0.1 * (1.0 - w);
    }
    return w;
}

struct sb_jw *sb_jw_new(const struct sb_corpus *c)
{
    struct sb_jw *j = calloc(1, sizeof *j);
    size_t cap = 1 << 20, used = 0;
    if (!j || !(j->cp = malloc(cap * sizeof *j->cp)) ||
        !(j->off = malloc((c->n_names + 1) * sizeof *j->off)))
        goto oom;
    j->c = c;
    for (size_t i = 0; i < c->n_names; i++) {
        uint32_t buf[MAX_CP];
        size_t n = prepare(c->names[i].raw, buf, MAX_CP);
        if (used + n > cap) {
            while (used + n > cap)
                cap *= 2;
            uint32_t *p = realloc(j->cp, cap * sizeof *p);
            if (!p)
                goto oom;
            j->cp = p;
        }
        memcpy(j->cp + used, buf, n * sizeof *buf);
        j->off[i] = (uint32_t)used;
        used += n;
        if (n > j->max_len)
            j->max_len = (uint32_t)n;
    }
    j->off[c->n_names] = (uint32_t)used;
    return j;
oom:
    fprintf(stderr, "bench_screen: out of memory\n");
    sb_jw_free(j);
    return NULL;
}

void sb_jw_free(struct sb_jw *j)
{
    if (!j)
        return;
    free(j->cp);
    free(j->off);
    free(j);
}

size_t sb_jw_bytes(const struct sb_jw *j)
{
    return (size_t)j->off[j->c->n_names] * sizeof *j->cp + (j->c->n_names + 1) * sizeof *j->off;
}

struct sb_jw_ctx *sb_jw_ctx_new(struct sb_jw *j)
{
    struct sb_jw_ctx *x = calloc(1, sizeof *x);
    if (x)
        x->j = j;
    return x;
}

void sb_jw_ctx_free(struct sb_jw_ctx *x)
{
    free(x);
}

static void push_top(struct sb_hit *top, size_t *n, int32_t ent, float s)
{
    if (*n == SB_TOP && s <= top[SB_TOP - 1].score)
        return;
    size_t i = *n < SB_TOP ? (*n)++ : SB_TOP - 1;
    while (i > 0 && top[i - 1].score < s) {
        top[i] = top[i - 1];
        i--;
    }
    top[i] = (struct sb_hit){ent, s};
}

double sb_jw_query(void *ctx, const char *text, struct sb_hit *hits, size_t *n)
{
    struct sb_jw_ctx *x = ctx;
    const struct sb_jw *j = x->j;
    const struct sb_corpus *c = j->c;
    double t0 = sb_now();
    uint32_t q[MAX_CP];
    size_t lq = prepare(text, q, MAX_CP);
    *n = 0;
    int32_t cur = -1;
    float best = 0;
    for (size_t i = 0; i < c->n_names; i++) {
        int32_t e = (int32_t)c->names[i].ent;
        if (e != cur) {
            if (cur >= 0)
                push_top(hits, n, cur, best);
            cur = e;
            best = 0;
        }
        float s =
            (float)jaro_winkler(q, lq, j->cp + j->off[i], j->off[i + 1] - j->off[i], x->f1, x->f2);
        if (s > best)
            best = s;
    }
    if (cur >= 0)
        push_top(hits, n, cur, best);
    return sb_now() - t0;
}

double sb_jw_pair(const char *a, const char *b)
{
    static _Thread_local uint8_t fa[MAX_CP], fb[MAX_CP];
    uint32_t qa[MAX_CP], qb[MAX_CP];
    size_t la = prepare(a, qa, MAX_CP), lb = prepare(b, qb, MAX_CP);
    return jaro_winkler(qa, la, qb, lb, fa, fb);
}
