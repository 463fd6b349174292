/*
 * Screening benchmark: the corpora, read with exportctl's own importers
 * (ectl_ingest_file, src/screen/entity.h) so that the peers screen exactly
 * the entities and names the index holds, and the peers' normalisation
 * (peers-baseline.md: lower-case, apostrophes dropped, other
 * non-alphanumerics to spaces).
 */
#include "screen_bench.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <utf8proc.h>

#include "screen/entity.h"

volatile sig_atomic_t sb_stop;

double sb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64, as in bench_rules.c. */
uint64_t sb_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void *sb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "bench_screen: out of memory\n");
        exit(1);
    }
    return q;
}

char *sb_strdup(struct ectl_arena *a, const char *s)
{
    char *d = ectl_arena_strdup(a, s);
    if (!d) {
        fprintf(stderr, "bench_screen: out of memory\n");
        exit(1);
    }
    return d;
}

/* ---- Peer normalisation ------------------------------------------------ */

static bool is_apostrophe(int32_t c)
{
    return c == 0x27 || c == 0x60 || c == 0xB4 || c == 0x2018 || c == 0x2019 || c == 0x02BC ||
           c == 0x02BB;
}

size_t sb_peer_norm(const char *in, char *out, size_t cap)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)in;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(in);
    size_t o = 0;
    bool space = false;
    while (left > 0) {
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
        if (k <= 0) {
            k = 1;
            c = ' ';
        }
        p += k;
        left -= k;
        if (is_apostrophe(c))
            continue;
        utf8proc_category_t cat = utf8proc_category(c);
        bool alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                     (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!alnum) {
            space = o > 0;
            continue;
        }
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t e = utf8proc_encode_char(utf8proc_tolower(c), enc);
        if (o + (size_t)e + (space ? 1 : 0) + 1 > cap)
            break;
        if (space)
            out[o++] = ' ';
        space = false;
        memcpy(out + o, enc, (size_t)e);
        o += (size_t)e;
    }
    if (cap)
        out[o] = '\0';
    return o;
}

bool sb_is_latin(const char *s)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(s);
    while (left > 0) {
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(p, left, &c);
        if (k <= 0)
            return false;
        p += k;
        left -= k;
        utf8proc_category_t cat = utf8proc_category(c);
        if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
            continue;
        if (!(c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2C60 && c <= 0x2C7F) ||
              (c >= 0xA720 && c <= 0xA7FF)))
            return false;
    }
    return true;
}

/* ---- Corpus ------------------------------------------------------------ */

struct loader {
    struct sb_corpus *c;
    size_t cap_ent, cap_names;
};

static void years_of(const struct ectl_entity *e, char *out, size_t cap, uint16_t *lo, uint16_t *hi)
{
    size_t o = 0;
    out[0] = '\0';
    *lo = *hi = 0;
    for (size_t d = 0; d < e->n_dates; d++)
        for (const char *p = e->dates_of_birth[d]; *p; p++) {
            if (!isdigit((unsigned char)p[0]) ||
                (p > e->dates_of_birth[d] && isdigit((unsigned char)p[-1])))
                continue;
            size_t n = 0;
            while (isdigit((unsigned char)p[n]))
                n++;
            if (n != 4)
                continue;
            unsigned y = (unsigned)atoi(p);
            if (y < 1800 || y > 2100)
                continue;
            if (!*lo || y < *lo)
                *lo = (uint16_t)y;
            if (y > *hi)
                *hi = (uint16_t)y;
            if (o + 6 < cap)
                o += (size_t)snprintf(out + o, cap - o, "%s%u", o ? " " : "", y);
        }
}

static int on_entity(void *ctx, const struct ectl_entity *e)
{
    struct loader *l = ctx;
    struct sb_corpus *c = l->c;
    if (sb_stop)
        return -13; /* ECTL_ECANCELED */
    if (c->n_ent == l->cap_ent) {
        l->cap_ent = l->cap_ent ? 2 * l->cap_ent : 4096;
        c->ent = sb_xrealloc(c->ent, l->cap_ent * sizeof *c->ent);
    }
    uint32_t ei = (uint32_t)c->n_ent++;
    struct sb_entity *se = &c->ent[ei];
    char years[128];
    se->list = sb_strdup(&c->arena, e->list);
    se->id = sb_strdup(&c->arena, e->id);
    se->type = (uint8_t)e->type;
    years_of(e, years, sizeof years, &se->birth_year_lo, &se->birth_year_hi);
    se->years = sb_strdup(&c->arena, years);
    size_t first = c->n_names;
    for (size_t i = 0; i < e->n_names; i++) {
        char norm[1024];
        c->raw_names++;
        if (!sb_peer_norm(e->names[i].text, norm, sizeof norm))
            continue;
        bool dup = false;
        for (size_t k = first; k < c->n_names && !dup; k++)
            dup = !strcmp(c->names[k].norm, norm);
        if (dup)
            continue;
        if (c->n_names == l->cap_names) {
            l->cap_names = l->cap_names ? 2 * l->cap_names : 8192;
            c->names = sb_xrealloc(c->names, l->cap_names * sizeof *c->names);
        }
        c->names[c->n_names++] = (struct sb_name){.ent = ei,
                                                  .raw = sb_strdup(&c->arena, e->names[i].text),
                                                  .norm = sb_strdup(&c->arena, norm)};
    }
    return 0;
}

static uint64_t key_hash(const char *list, const char *id)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *p = list; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0x1f) * 1099511628211ULL;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

int32_t sb_corpus_find(const struct sb_corpus *c, const char *list, const char *id)
{
    if (!c->n_slots)
        return -1;
    size_t mask = c->n_slots - 1;
    for (size_t s = key_hash(list, id) & mask;; s = (s + 1) & mask) {
        uint32_t v = c->slots[s];
        if (v == UINT32_MAX)
            return -1;
        if (!strcmp(c->ent[v].id, id) && !strcmp(c->ent[v].list, list))
            return (int32_t)v;
    }
}

int sb_corpus_load(struct sb_corpus *c)
{
    struct loader l = {.c = c};
    for (size_t i = 0; i < c->n_sources; i++) {
        static struct ectl_source_report rep;
        struct ectl_error err = {0};
        memset(&rep, 0, sizeof rep);
        if (ectl_ingest_file(c->sources[i], c->format, on_entity, &l, &rep, &err)) {
            fprintf(stderr, "bench_screen: %s: %s\n", c->sources[i], err.msg);
            return -1;
        }
    }
    c->n_slots = 16;
    while (c->n_slots < 2 * c->n_ent)
        c->n_slots *= 2;
    c->slots = sb_xrealloc(NULL, c->n_slots * sizeof *c->slots);
    memset(c->slots, 0xff, c->n_slots * sizeof *c->slots);
    size_t mask = c->n_slots - 1;
    for (uint32_t e = 0; e < c->n_ent; e++) {
        size_t s = key_hash(c->ent[e].list, c->ent[e].id) & mask;
        while (c->slots[s] != UINT32_MAX) {
            uint32_t v = c->slots[s];
            if (!strcmp(c->ent[v].id, c->ent[e].id) && !strcmp(c->ent[v].list, c->ent[e].list))
                break; /* the same (list, id) twice: the first one keeps the key */
            s = (s + 1) & mask;
        }
        if (c->slots[s] == UINT32_MAX)
            c->slots[s] = e;
    }
    return 0;
}

void sb_corpus_free(struct sb_corpus *c)
{
    free(c->ent);
    free(c->names);
    free(c->slots);
    ectl_arena_release(&c->arena);
    c->ent = NULL;
    c->names = NULL;
    c->slots = NULL;
    c->n_ent = c->n_names = c->n_slots = 0;
}
