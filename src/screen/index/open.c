/*
 * Opening an index file: map it, then check it completely before anything
 * trusts it.  The checks are linear in the file size and cost about as
 * much as reading it once: the header and section table, the checksum,
 * then every reference between sections (format.h).  A file that fails
 * any of them is refused with ECTL_ECORRUPT and a message that says what
 * was wrong; nothing in it is used.
 */
#include "index_int.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- types -------------------------------------------------------------- */

static const char *const type_names[ECTL_TYPE_COUNT] = {"unknown", "person", "entity", "vessel",
                                                         "aircraft"};

const char *ectl_entity_type_name(enum ectl_entity_type t)
{
    return (unsigned)t < ECTL_TYPE_COUNT ? type_names[t] : "unknown";
}

int ectl_entity_type_parse(const char *s, enum ectl_entity_type *out)
{
    for (int t = ECTL_TYPE_PERSON; s && t < ECTL_TYPE_COUNT; t++)
        if (strcmp(s, type_names[t]) == 0) {
            *out = (enum ectl_entity_type)t;
            return 0;
        }
    return ECTL_EINVAL;
}

/* ---- checks ------------------------------------------------------------- */

#define BAD(...) ectl_error_set(err, ECTL_ECORRUPT, __VA_ARGS__)

static int ok_weight(float w)
{
    return isfinite(w) && w >= 0.0f && w <= 1e6f;
}

static int is_pow2(size_t n)
{
    return n && !(n & (n - 1));
}

struct want {
    uint32_t id, elem;
    const char *name;
};

static const struct want wanted[ECTL_IX_SECTION_MAX + 1] = {
    [ECTL_IX_STRINGS] = {ECTL_IX_STRINGS, 1, "strings"},
    [ECTL_IX_LISTS] = {ECTL_IX_LISTS, sizeof(struct ectl_ix_list), "lists"},
    [ECTL_IX_ENTITIES] = {ECTL_IX_ENTITIES, sizeof(struct ectl_ix_entity), "entities"},
    [ECTL_IX_NAMES] = {ECTL_IX_NAMES, sizeof(struct ectl_ix_name), "names"},
    [ECTL_IX_NAME_TERMS] = {ECTL_IX_NAME_TERMS, 4, "name terms"},
    [ECTL_IX_TERMS] = {ECTL_IX_TERMS, sizeof(struct ectl_ix_term), "terms"},
    [ECTL_IX_TERM_HASH] = {ECTL_IX_TERM_HASH, 8, "term hash"},
    [ECTL_IX_POSTINGS] = {ECTL_IX_POSTINGS, 4, "postings"},
    [ECTL_IX_PKEYS] = {ECTL_IX_PKEYS, sizeof(struct ectl_ix_pkey), "phonetic keys"},
    [ECTL_IX_PKEY_HASH] = {ECTL_IX_PKEY_HASH, 8, "phonetic key hash"},
    [ECTL_IX_PKEY_TERMS] = {ECTL_IX_PKEY_TERMS, 4, "phonetic key terms"},
    [ECTL_IX_GRAM_OFFS] = {ECTL_IX_GRAM_OFFS, 4, "trigram offsets"},
    [ECTL_IX_GRAM_TERMS] = {ECTL_IX_GRAM_TERMS, 4, "trigram terms"},
    [ECTL_IX_GRAM_STOP] = {ECTL_IX_GRAM_STOP, 1, "trigram stops"},
    [ECTL_IX_DEL_OFFS] = {ECTL_IX_DEL_OFFS, 4, "deletion offsets"},
    [ECTL_IX_DEL_ENTRIES] = {ECTL_IX_DEL_ENTRIES, 8, "deletion entries"},
    [ECTL_IX_NEIGH_OFFS] = {ECTL_IX_NEIGH_OFFS, 4, "neighbour offsets"},
    [ECTL_IX_NEIGH] = {ECTL_IX_NEIGH, 4, "neighbours"},
    [ECTL_IX_TERM_LETTERS] = {ECTL_IX_TERM_LETTERS, sizeof(struct ectl_ix_letters), "term letters"},
};

static int check_header(const unsigned char *base, size_t size, const char *name,
                        struct ectl_error *err)
{
    if (size < ECTL_IX_HEADER_SIZE)
        return BAD("%s: truncated index (%zu bytes, less than its header)", name, size);
    const struct ectl_ix_header *h = (const void *)base;
    if (memcmp(h->magic, ECTL_IX_MAGIC, 8) != 0)
        return BAD("%s: not an exportctl index (bad magic)", name);
    if (h->endian != ECTL_IX_ENDIAN)
        return BAD("%s: index written on a machine of the other byte order; rebuild it here",
                   name);
    if (h->version != ECTL_IX_VERSION)
        return BAD("%s: index format version %u, this build reads version %u; rebuild it", name,
                   h->version, ECTL_IX_VERSION);
    if (h->file_size != size)
        return BAD("%s: truncated or extended index (%zu bytes, header says %llu)", name, size,
                   (unsigned long long)h->file_size);
    if (h->header_size != ECTL_IX_HEADER_SIZE || h->section_table != ECTL_IX_HEADER_SIZE)
        return BAD("%s: bad header size", name);
    if (h->n_sections == 0 || h->n_sections > 64 ||
        h->section_table + (uint64_t)h->n_sections * sizeof(struct ectl_ix_section) > size)
        return BAD("%s: bad section table (%u sections)", name, h->n_sections);
    if (ectl_ix_checksum(base, size) != h->checksum)
        return BAD("%s: checksum mismatch (the file is damaged)", name);
    if (!ok_weight(h->w_unknown))
        return BAD("%s: bad header weight", name);
    if (memchr(h->built_at_text, '\0', sizeof h->built_at_text) == NULL)
        return BAD("%s: bad build time", name);
    return 0;
}

static int map_sections(struct ectl_index *ix, const char *name, struct ectl_error *err)
{
    const struct ectl_ix_header *h = (const void *)ix->base;
    const struct ectl_ix_section *tab = (const void *)(ix->base + h->section_table);
    const unsigned char *at[ECTL_IX_SECTION_MAX + 1] = {0};
    uint64_t n[ECTL_IX_SECTION_MAX + 1] = {0};
    int seen[ECTL_IX_SECTION_MAX + 1] = {0};
    for (uint32_t i = 0; i < h->n_sections; i++) {
        const struct ectl_ix_section *s = &tab[i];
        if (s->id == 0 || s->id > ECTL_IX_SECTION_MAX)
            continue; /* a section this version does not know */
        const struct want *w = &wanted[s->id];
        if (seen[s->id]++)
            return BAD("%s: section '%s' repeated", name, w->name);
        if (s->elem_size != w->elem)
            return BAD("%s: section '%s' has elements of %u bytes, expected %u", name, w->name,
                       s->elem_size, w->elem);
        if (s->offset % ECTL_IX_ALIGN || s->offset < ECTL_IX_HEADER_SIZE ||
            s->offset > ix->size || s->length > ix->size - s->offset)
            return BAD("%s: section '%s' lies outside the file", name, w->name);
        if (s->length % w->elem)
            return BAD("%s: section '%s' is not a whole number of elements", name, w->name);
        if (s->length / w->elem >= ECTL_IX_NONE)
            return BAD("%s: section '%s' is too large", name, w->name);
        at[s->id] = ix->base + s->offset;
        n[s->id] = s->length / w->elem;
    }
    for (uint32_t id = 1; id <= ECTL_IX_SECTION_MAX; id++)
        if (!seen[id])
            return BAD("%s: section '%s' missing", name, wanted[id].name);
    ix->str = (const char *)at[ECTL_IX_STRINGS];
    ix->n_str = n[ECTL_IX_STRINGS];
    ix->lists = (const void *)at[ECTL_IX_LISTS];
    ix->n_lists = (uint32_t)n[ECTL_IX_LISTS];
    ix->entities = (const void *)at[ECTL_IX_ENTITIES];
    ix->n_entities = (uint32_t)n[ECTL_IX_ENTITIES];
    ix->names = (const void *)at[ECTL_IX_NAMES];
    ix->n_names = (uint32_t)n[ECTL_IX_NAMES];
    ix->name_terms = (const void *)at[ECTL_IX_NAME_TERMS];
    ix->n_name_terms = n[ECTL_IX_NAME_TERMS];
    ix->terms = (const void *)at[ECTL_IX_TERMS];
    ix->n_terms = (uint32_t)n[ECTL_IX_TERMS];
    ix->term_hash = (const void *)at[ECTL_IX_TERM_HASH];
    ix->term_hash_n = n[ECTL_IX_TERM_HASH];
    ix->postings = (const void *)at[ECTL_IX_POSTINGS];
    ix->n_postings = n[ECTL_IX_POSTINGS];
    ix->pkeys = (const void *)at[ECTL_IX_PKEYS];
    ix->n_pkeys = (uint32_t)n[ECTL_IX_PKEYS];
    ix->pkey_hash = (const void *)at[ECTL_IX_PKEY_HASH];
    ix->pkey_hash_n = n[ECTL_IX_PKEY_HASH];
    ix->pkey_terms = (const void *)at[ECTL_IX_PKEY_TERMS];
    ix->n_pkey_terms = n[ECTL_IX_PKEY_TERMS];
    ix->gram_offs = (const void *)at[ECTL_IX_GRAM_OFFS];
    ix->gram_terms = (const void *)at[ECTL_IX_GRAM_TERMS];
    ix->n_gram_terms = n[ECTL_IX_GRAM_TERMS];
    ix->gram_stop = (const void *)at[ECTL_IX_GRAM_STOP];
    ix->del_offs = (const void *)at[ECTL_IX_DEL_OFFS];
    ix->del_buckets = n[ECTL_IX_DEL_OFFS] ? n[ECTL_IX_DEL_OFFS] - 1 : 0;
    ix->del_entries = (const void *)at[ECTL_IX_DEL_ENTRIES];
    ix->n_del = n[ECTL_IX_DEL_ENTRIES];
    ix->letters = (const void *)at[ECTL_IX_TERM_LETTERS];
    if (n[ECTL_IX_TERM_LETTERS] != ix->n_terms)
        return BAD("%s: term letters have the wrong size", name);
    ix->neigh_offs = (const void *)at[ECTL_IX_NEIGH_OFFS];
    ix->neigh = (const void *)at[ECTL_IX_NEIGH];
    ix->n_neigh = n[ECTL_IX_NEIGH];
    if (n[ECTL_IX_NEIGH_OFFS] != (uint64_t)ix->n_terms + 1)
        return BAD("%s: neighbour offsets have the wrong size", name);
    if (n[ECTL_IX_GRAM_OFFS] != ECTL_IX_GRAMS + 1 || n[ECTL_IX_GRAM_STOP] != (ECTL_IX_GRAMS + 7) / 8)
        return BAD("%s: trigram tables have the wrong size", name);
    if (h->n_entities != ix->n_entities || h->n_names != ix->n_names ||
        h->n_terms != ix->n_terms || h->n_lists != ix->n_lists)
        return BAD("%s: header counts disagree with the sections", name);
    return 0;
}

static int ok_str(const struct ectl_index *ix, uint32_t off)
{
    return off < ix->n_str;
}

static int check_records(const struct ectl_index *ix, const char *name, struct ectl_error *err)
{
    if (ix->n_str == 0 || ix->str[ix->n_str - 1] != '\0')
        return BAD("%s: string pool is not terminated", name);
    for (uint32_t i = 0; i < ix->n_lists; i++) {
        const struct ectl_ix_list *l = &ix->lists[i];
        if (!ok_str(ix, l->name) || !ok_str(ix, l->format) || !ok_str(ix, l->date))
            return BAD("%s: list %u has a bad string reference", name, i);
    }
    for (uint32_t i = 0; i < ix->n_entities; i++) {
        const struct ectl_ix_entity *e = &ix->entities[i];
        if (e->list >= ix->n_lists || !ok_str(ix, e->id) || !ok_str(ix, e->name) ||
            !ok_str(ix, e->programs) || !ok_str(ix, e->countries) || e->type >= ECTL_TYPE_COUNT ||
            e->first_name > ix->n_names || e->n_names > ix->n_names - e->first_name)
            return BAD("%s: entity %u has a bad reference", name, i);
    }
    for (uint32_t i = 0; i < ix->n_names; i++) {
        const struct ectl_ix_name *x = &ix->names[i];
        if (x->entity >= ix->n_entities || !ok_str(ix, x->text) || x->n_tokens == 0 ||
            x->n_tokens > ECTL_IX_MAX_TOKENS || x->first > ix->n_name_terms ||
            x->n_tokens > ix->n_name_terms - x->first || x->kind > 4)
            return BAD("%s: name %u has a bad reference", name, i);
    }
    for (size_t i = 0; i < ix->n_name_terms; i++)
        if (ix->name_terms[i] >= ix->n_terms)
            return BAD("%s: name token %zu refers to no term", name, i);
    for (uint32_t i = 0; i < ix->n_terms; i++) {
        const struct ectl_ix_term *t = &ix->terms[i];
        if (t->len == 0 || t->len > ECTL_IX_MAX_TOKEN_LEN || t->text >= ix->n_str ||
            t->len >= ix->n_str - t->text || ix->str[t->text + t->len] != '\0' ||
            t->post_off > ix->n_postings || t->post_len > ix->n_postings - t->post_off ||
            (t->pkey != ECTL_IX_NONE && t->pkey >= ix->n_pkeys) || !ok_weight(t->weight))
            return BAD("%s: term %u has a bad reference", name, i);
    }
    for (size_t i = 0; i < ix->n_postings; i++)
        if (ix->postings[i] >= ix->n_names)
            return BAD("%s: posting %zu refers to no name", name, i);
    return 0;
}

static int check_lookup(const struct ectl_index *ix, const char *name, struct ectl_error *err)
{
    if (!is_pow2(ix->term_hash_n) || !is_pow2(ix->pkey_hash_n))
        return BAD("%s: hash table sizes are not powers of two", name);
    for (size_t i = 0; i < ix->term_hash_n; i++)
        if (!ECTL_IX_SLOT_EMPTY(ix->term_hash[i]) && ECTL_IX_SLOT_ID(ix->term_hash[i]) >= ix->n_terms)
            return BAD("%s: term hash slot %zu refers to no term", name, i);
    for (size_t i = 0; i < ix->pkey_hash_n; i++)
        if (!ECTL_IX_SLOT_EMPTY(ix->pkey_hash[i]) && ECTL_IX_SLOT_ID(ix->pkey_hash[i]) >= ix->n_pkeys)
            return BAD("%s: phonetic hash slot %zu refers to no key", name, i);
    for (uint32_t i = 0; i < ix->n_pkeys; i++) {
        const struct ectl_ix_pkey *k = &ix->pkeys[i];
        if (!ok_str(ix, k->text) || k->off > ix->n_pkey_terms ||
            k->len > ix->n_pkey_terms - k->off)
            return BAD("%s: phonetic key %u has a bad reference", name, i);
    }
    for (uint32_t k = 0; k < ix->n_pkeys; k++) {
        const struct ectl_ix_pkey *x = &ix->pkeys[k];
        for (uint32_t i = x->off; i < x->off + x->len; i++) {
            uint32_t e = ix->pkey_terms[i], t = ECTL_IX_GRAM_ENTRY_TERM(e);
            if (t >= ix->n_terms || ix->terms[t].len != ECTL_IX_GRAM_ENTRY_LEN(e) ||
                (i > x->off && ix->pkey_terms[i - 1] >= e))
                return BAD("%s: phonetic key term %u is bad or out of order", name, i);
        }
    }
    if (ix->gram_offs[0] != 0 || ix->gram_offs[ECTL_IX_GRAMS] != ix->n_gram_terms)
        return BAD("%s: trigram offsets do not span the trigram terms", name);
    for (uint32_t g = 0; g < ECTL_IX_GRAMS; g++) {
        uint32_t lo = ix->gram_offs[g], hi = ix->gram_offs[g + 1];
        if (lo > hi)
            return BAD("%s: trigram offsets out of order at %u", name, g);
        /* Sorted (the query searches them) and each entry a real term of
         * the length it claims. */
        for (uint32_t i = lo; i < hi; i++) {
            uint32_t e = ix->gram_terms[i], t = ECTL_IX_GRAM_ENTRY_TERM(e);
            if (t >= ix->n_terms || ix->terms[t].len != ECTL_IX_GRAM_ENTRY_LEN(e) ||
                (i > lo && ix->gram_terms[i - 1] >= e))
                return BAD("%s: trigram term %u is bad or out of order", name, i);
        }
    }
    if (!is_pow2(ix->del_buckets) || ix->del_offs[0] != 0 ||
        ix->del_offs[ix->del_buckets] != ix->n_del)
        return BAD("%s: deletion offsets do not span the deletion entries", name);
    for (size_t k = 0; k < ix->del_buckets; k++)
        if (ix->del_offs[k] > ix->del_offs[k + 1])
            return BAD("%s: deletion offsets out of order at %zu", name, k);
    for (size_t i = 0; i < ix->n_del; i++)
        if (ECTL_IX_DEL_ENTRY_TERM(ix->del_entries[i]) >= ix->n_terms)
            return BAD("%s: deletion entry %zu refers to no term", name, i);
    if (ix->neigh_offs[0] != 0 || ix->neigh_offs[ix->n_terms] != ix->n_neigh)
        return BAD("%s: neighbour offsets do not span the neighbours", name);
    for (uint32_t t = 0; t < ix->n_terms; t++)
        if (ix->neigh_offs[t] > ix->neigh_offs[t + 1])
            return BAD("%s: neighbour offsets out of order at %u", name, t);
    for (size_t i = 0; i < ix->n_neigh; i++)
        if (ECTL_IX_NEIGH_TERM(ix->neigh[i]) >= ix->n_terms)
            return BAD("%s: neighbour %zu refers to no term", name, i);
    return 0;
}

/* ---- open / close ------------------------------------------------------- */

static int open_view(const unsigned char *base, size_t size, int mapped, const char *name,
                     struct ectl_index **out, struct ectl_error *err)
{
    int rc = check_header(base, size, name, err);
    if (rc)
        return rc;
    struct ectl_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return ectl_error_set(err, ECTL_ENOMEM, "%s: out of memory", name);
    ix->base = base;
    ix->size = size;
    if ((rc = map_sections(ix, name, err)) != 0 || (rc = check_records(ix, name, err)) != 0 ||
        (rc = check_lookup(ix, name, err)) != 0) {
        free(ix);
        return rc;
    }
    const struct ectl_ix_header *h = (const void *)base;
    memcpy(ix->built_at, h->built_at_text, sizeof ix->built_at);
    ix->built_at[sizeof ix->built_at - 1] = '\0';
    ix->w_unknown = h->w_unknown;
    ix->mapped = mapped;
    *out = ix;
    return 0;
}

int ectl_index_open_mem(const void *data, size_t len, const char *name, struct ectl_index **out,
                        struct ectl_error *err)
{
    *out = NULL;
    if (!data || ((uintptr_t)data % ECTL_IX_ALIGN) != 0)
        return ectl_error_set(err, ECTL_EINVAL, "%s: index buffer is not 8-byte aligned", name);
    return open_view(data, len, 0, name, out, err);
}

int ectl_index_open(const char *path, struct ectl_index **out, struct ectl_error *err)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return ectl_error_set(err, e == ENOENT ? ECTL_ENOENT : ECTL_EIO, "%s: %s", path,
                              strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return ectl_error_set(err, ECTL_EIO, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return ectl_error_set(err, ECTL_EIO, "%s: %s", path,
                              S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    }
    size_t size = (size_t)st.st_size;
    if (size < ECTL_IX_HEADER_SIZE) {
        close(fd);
        return ectl_error_set(err, ECTL_ECORRUPT, "%s: truncated index (%zu bytes)", path, size);
    }
    /* MAP_POPULATE reads the file in one go: the checks below touch every
     * page anyway, and faulting them in one by one costs more. */
    void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    int e = errno;
    close(fd);
    if (p == MAP_FAILED)
        return ectl_error_set(err, ECTL_EIO, "%s: %s", path, strerror(e));
    int rc = open_view(p, size, 1, path, out, err);
    if (rc)
        munmap(p, size);
    return rc;
}

void ectl_index_close(struct ectl_index *ix)
{
    if (!ix)
        return;
    if (ix->mapped)
        munmap((void *)ix->base, ix->size);
    free(ix);
}

/* ---- information -------------------------------------------------------- */

size_t ectl_index_list_count(const struct ectl_index *ix)
{
    return ix ? ix->n_lists : 0;
}

void ectl_index_list_info(const struct ectl_index *ix, size_t i, struct ectl_list_info *out)
{
    memset(out, 0, sizeof *out);
    if (!ix || i >= ix->n_lists) {
        out->list = out->format = out->list_date = "";
        return;
    }
    const struct ectl_ix_list *l = &ix->lists[i];
    out->list = ectl_ix_str(ix, l->name);
    out->format = ectl_ix_str(ix, l->format);
    out->list_date = ectl_ix_str(ix, l->date);
    out->entities = l->entities;
    out->names = l->names;
    for (int t = 0; t < ECTL_TYPE_COUNT; t++)
        out->by_type[t] = l->by_type[t];
}

const char *ectl_index_built_at(const struct ectl_index *ix)
{
    return ix ? ix->built_at : "";
}
