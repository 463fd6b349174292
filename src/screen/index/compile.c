/*
 * Turning the builder's entities, names and terms into the sections of an
 * index file (format.h), and writing the file.
 *
 * Everything the query needs is precomputed: term weights, the term ->
 * names postings and the hash table that finds a token here; the lookup
 * structures of fuzzy matching in lookup.c.
 */
#include "builder_int.h"
#include "sim.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void out_release(struct ixb_out *o)
{
    free(o->terms);
    free(o->by_len);
    free(o->postings);
    free(o->pkeys);
    free(o->pkey_terms);
    free(o->term_hash);
    free(o->pkey_hash);
    free(o->gram_offs);
    free(o->gram_terms);
    free(o->gram_stop);
    free(o->del_offs);
    free(o->del_entries);
    free(o->letters);
    free(o->neigh_offs);
    free(o->neigh);
}

size_t ectl_ixb_table_size(size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    return cap;
}

void ectl_ixb_hash_insert(uint64_t *table, size_t cap, const char *key, size_t len, uint32_t id)
{
    uint32_t h = ectl_ix_hash(key, len);
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (ECTL_IX_SLOT_EMPTY(table[i])) {
            table[i] = ECTL_IX_SLOT(h, id);
            return;
        }
    }
}

static int make_terms(struct ectl_ixb *b, struct ixb_out *o)
{
    o->terms = calloc(o->n_terms ? o->n_terms : 1, sizeof *o->terms);
    o->letters = calloc(o->n_terms ? o->n_terms : 1, sizeof *o->letters);
    if (!o->terms || !o->letters)
        return ECTL_ENOMEM;
    for (uint32_t t = 0; t < o->n_terms; t++) {
        const struct ixb_term *x = IXB_AT(b->terms, struct ixb_term, t);
        struct ectl_ix_term *y = &o->terms[t];
        y->text = x->text;
        y->len = x->len;
        y->flags = x->flags;
        y->df = x->df;
        y->pkey = ECTL_IX_NONE;
        y->weight = ectl_ix_weight(x->df, o->n_entities, x->flags);
    }
    o->w_unknown = ectl_ix_weight(0, o->n_entities, 0);
    /* Counting sort by length: the trigram and phonetic-key lists are
     * filled in this order, so each comes out sorted by (length, id). */
    o->by_len = malloc((o->n_terms ? o->n_terms : 1) * sizeof *o->by_len);
    if (!o->by_len)
        return ECTL_ENOMEM;
    uint32_t start[ECTL_IX_MAX_TOKEN_LEN + 2] = {0};
    for (uint32_t t = 0; t < o->n_terms; t++)
        start[o->terms[t].len + 1]++;
    for (size_t l = 1; l < ECTL_IX_MAX_TOKEN_LEN + 2; l++)
        start[l] += start[l - 1];
    for (uint32_t t = 0; t < o->n_terms; t++)
        o->by_len[start[o->terms[t].len]++] = t;
    return 0;
}

/* Every term's letters record, once its phonetic key is known. */
static void make_letters(struct ectl_ixb *b, struct ixb_out *o)
{
    for (uint32_t t = 0; t < o->n_terms; t++) {
        const struct ectl_ix_term *x = &o->terms[t];
        struct ectl_ix_letters *l = &o->letters[t];
        int fast = ectl_sim_letter_masks(b->pool.ptr + x->text, x->len, l->ge, &l->head);
        l->ge[0] |= ECTL_IX_LETTERS_INFO(x->len, x->flags, !fast);
        l->pkey = x->pkey;
    }
}

/* term -> names, each list ascending and without repeats. */
static int make_postings(struct ectl_ixb *b, struct ixb_out *o)
{
    const struct ectl_ix_name *names = IXB_AT(b->names, struct ectl_ix_name, 0);
    const uint32_t *nt = IXB_AT(b->name_terms, uint32_t, 0);
    uint32_t *last = malloc((o->n_terms ? o->n_terms : 1) * sizeof *last);
    if (!last)
        return ECTL_ENOMEM;
    memset(last, 0xff, (o->n_terms ? o->n_terms : 1) * sizeof *last);
    for (uint32_t n = 0; n < o->n_names; n++)
        for (uint32_t k = 0; k < names[n].n_tokens; k++) {
            uint32_t t = nt[names[n].first + k];
            if (last[t] != n) {
                last[t] = n;
                o->terms[t].post_len++;
            }
        }
    size_t total = 0;
    for (uint32_t t = 0; t < o->n_terms; t++) {
        o->terms[t].post_off = (uint32_t)total;
        total += o->terms[t].post_len;
        o->terms[t].post_len = 0;
    }
    o->n_postings = total;
    o->postings = malloc((total ? total : 1) * sizeof *o->postings);
    if (!o->postings) {
        free(last);
        return ECTL_ENOMEM;
    }
    memset(last, 0xff, (o->n_terms ? o->n_terms : 1) * sizeof *last);
    for (uint32_t n = 0; n < o->n_names; n++)
        for (uint32_t k = 0; k < names[n].n_tokens; k++) {
            uint32_t t = nt[names[n].first + k];
            if (last[t] != n) {
                last[t] = n;
                o->postings[o->terms[t].post_off + o->terms[t].post_len++] = n;
            }
        }
    free(last);
    o->term_hash_n = ectl_ixb_table_size(o->n_terms);
    o->term_hash = calloc(o->term_hash_n, sizeof *o->term_hash);
    if (!o->term_hash)
        return ECTL_ENOMEM;
    for (uint32_t t = 0; t < o->n_terms; t++)
        ectl_ixb_hash_insert(o->term_hash, o->term_hash_n, b->pool.ptr + o->terms[t].text, o->terms[t].len,
                    t);
    return 0;
}

struct sect {
    uint32_t id, elem;
    const void *data;
    size_t len;
};

static size_t align8(size_t n)
{
    return (n + ECTL_IX_ALIGN - 1) & ~(size_t)(ECTL_IX_ALIGN - 1);
}

static int layout(struct ectl_ixb *b, const struct ixb_out *o, int64_t built_at, void **out,
                  size_t *out_len)
{
    const struct sect s[] = {
        {ECTL_IX_STRINGS, 1, b->pool.ptr, b->pool.len},
        {ECTL_IX_LISTS, sizeof(struct ectl_ix_list), b->lists.ptr, b->lists.len},
        {ECTL_IX_ENTITIES, sizeof(struct ectl_ix_entity), b->entities.ptr, b->entities.len},
        {ECTL_IX_NAMES, sizeof(struct ectl_ix_name), b->names.ptr, b->names.len},
        {ECTL_IX_NAME_TERMS, 4, b->name_terms.ptr, b->name_terms.len},
        {ECTL_IX_TERMS, sizeof(struct ectl_ix_term), o->terms, o->n_terms * sizeof *o->terms},
        {ECTL_IX_TERM_HASH, 8, o->term_hash, o->term_hash_n * 8},
        {ECTL_IX_POSTINGS, 4, o->postings, o->n_postings * 4},
        {ECTL_IX_PKEYS, sizeof(struct ectl_ix_pkey), o->pkeys, o->n_pkeys * sizeof *o->pkeys},
        {ECTL_IX_PKEY_HASH, 8, o->pkey_hash, o->pkey_hash_n * 8},
        {ECTL_IX_PKEY_TERMS, 4, o->pkey_terms, o->n_pkey_terms * 4},
        {ECTL_IX_GRAM_OFFS, 4, o->gram_offs, (ECTL_IX_GRAMS + 1) * 4},
        {ECTL_IX_GRAM_TERMS, 4, o->gram_terms, o->n_gram_terms * 4},
        {ECTL_IX_GRAM_STOP, 1, o->gram_stop, (ECTL_IX_GRAMS + 7) / 8},
        {ECTL_IX_DEL_OFFS, 4, o->del_offs, (o->del_buckets + 1) * 4},
        {ECTL_IX_DEL_ENTRIES, 8, o->del_entries, o->n_del * 8},
        {ECTL_IX_NEIGH_OFFS, 4, o->neigh_offs, ((size_t)o->n_terms + 1) * 4},
        {ECTL_IX_NEIGH, 4, o->neigh, o->n_neigh * 4},
        {ECTL_IX_TERM_LETTERS, sizeof(struct ectl_ix_letters), o->letters,
         (size_t)o->n_terms * sizeof *o->letters},
    };
    size_t ns = sizeof s / sizeof *s;
    size_t size = ECTL_IX_HEADER_SIZE + align8(ns * sizeof(struct ectl_ix_section));
    for (size_t i = 0; i < ns; i++)
        size += align8(s[i].len);
    unsigned char *file = calloc(1, size);
    if (!file)
        return ECTL_ENOMEM;
    struct ectl_ix_header h = {0};
    memcpy(h.magic, ECTL_IX_MAGIC, 8);
    h.version = ECTL_IX_VERSION;
    h.endian = ECTL_IX_ENDIAN;
    h.file_size = size;
    h.header_size = ECTL_IX_HEADER_SIZE;
    h.n_sections = (uint32_t)ns;
    h.section_table = ECTL_IX_HEADER_SIZE;
    h.built_at = built_at;
    time_t tt = (time_t)built_at;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(h.built_at_text, sizeof h.built_at_text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    h.n_entities = o->n_entities;
    h.n_names = o->n_names;
    h.n_terms = o->n_terms;
    h.n_lists = o->n_lists;
    h.w_unknown = o->w_unknown;
    size_t at = ECTL_IX_HEADER_SIZE + align8(ns * sizeof(struct ectl_ix_section));
    struct ectl_ix_section *table = (struct ectl_ix_section *)(void *)(file + ECTL_IX_HEADER_SIZE);
    for (size_t i = 0; i < ns; i++) {
        table[i].id = s[i].id;
        table[i].elem_size = s[i].elem;
        table[i].offset = at;
        table[i].length = s[i].len;
        if (s[i].len)
            memcpy(file + at, s[i].data, s[i].len);
        at += align8(s[i].len);
    }
    memcpy(file, &h, sizeof h);
    h.checksum = ectl_ix_checksum(file, size);
    memcpy(file, &h, sizeof h);
    *out = file;
    *out_len = size;
    return 0;
}

int ectl_ixb_compile(struct ectl_ixb *b, int64_t built_at, void **out, size_t *len,
                     struct ectl_error *err)
{
    ectl_ixb_entity_end(b);
    struct ixb_out o = {
        .n_terms = (uint32_t)IXB_N(b->terms, struct ixb_term),
        .n_names = (uint32_t)IXB_N(b->names, struct ectl_ix_name),
        .n_entities = (uint32_t)IXB_N(b->entities, struct ectl_ix_entity),
        .n_lists = (uint32_t)IXB_N(b->lists, struct ectl_ix_list),
    };
    int rc = o.n_terms >= ECTL_IX_GRAM_TERM_MAX ? ECTL_ERANGE : make_terms(b, &o);
    if (rc == 0)
        rc = make_postings(b, &o);
    if (rc == 0)
        rc = ectl_ixb_make_pkeys(b, &o);
    if (rc == 0) {
        make_letters(b, &o);
        rc = ectl_ixb_make_grams(b, &o);
    }
    if (rc == 0)
        rc = ectl_ixb_make_dels(b, &o);
    if (rc == 0) {
        o.neigh_offs = calloc((size_t)o.n_terms + 1, sizeof *o.neigh_offs);
        if (!o.neigh_offs)
            rc = ECTL_ENOMEM;
    }
    if (rc == 0 && (b->pool.len > UINT32_MAX || o.n_terms >= ECTL_IX_GRAM_TERM_MAX))
        rc = ECTL_ERANGE;
    void *first = NULL;
    size_t first_len = 0;
    if (rc == 0)
        rc = layout(b, &o, built_at, &first, &first_len);
    if (rc == 0) {
        rc = ectl_ixb_make_neighbours(&o, first, first_len, err);
        free(first);
    }
    if (rc == 0)
        rc = layout(b, &o, built_at, out, len);
    out_release(&o);
    /* ECTL_ECORRUPT: the reader refused the first image, a bug here; err
     * already says what it refused. */
    if (rc && rc != ECTL_ECORRUPT)
        return ectl_error_set(err, rc, rc == ECTL_ERANGE ? "the lists are too large for one index"
                                                         : "out of memory compiling the index");
    return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int ectl_ixb_write(struct ectl_ixb *b, const char *path, int64_t built_at, uint64_t *bytes,
                   struct ectl_error *err)
{
    void *file;
    size_t len;
    int rc = ectl_ixb_compile(b, built_at, &file, &len, err);
    if (rc)
        return rc;
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= sizeof tmp) {
        free(file);
        return ectl_error_set(err, ECTL_EINVAL, "%s: path too long", path);
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(file);
        return ectl_error_set(err, e == ENOENT ? ECTL_ENOENT : ECTL_EIO, "%s: %s", path,
                              strerror(e));
    }
    /* mkstemp makes the file 0600; an index is no secret. */
    if (fchmod(fd, 0644) != 0 || write_all(fd, file, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(file);
        return ectl_error_set(err, ECTL_EIO, "%s: %s", tmp, strerror(e));
    }
    free(file);
    if (close(fd) != 0 || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return ectl_error_set(err, ECTL_EIO, "%s: %s", path, strerror(e));
    }
    if (bytes)
        *bytes = len;
    return 0;
}
