/*
 * Collecting entities and their normalised names for an index.  Strings go
 * into one de-duplicated pool; tokens become terms with an entity count
 * (df); names become token-id sequences.  compile.c does the rest.
 */
#include "builder_int.h"
#include "../norm/ambiguous.h"

#include <stdlib.h>
#include <string.h>

int ectl_ixb_new(struct ectl_ixb **out)
{
    struct ectl_ixb *b = calloc(1, sizeof *b);
    if (!b)
        return ECTL_ENOMEM;
    ectl_buf_init(&b->pool);
    ectl_buf_init(&b->lists);
    ectl_buf_init(&b->entities);
    ectl_buf_init(&b->names);
    ectl_buf_init(&b->name_terms);
    ectl_buf_init(&b->terms);
    /* Offset 0 is the empty string, so that 0 means "" everywhere. */
    if (ectl_buf_addch(&b->pool, '\0') != 0) {
        free(b);
        return ECTL_ENOMEM;
    }
    *out = b;
    return 0;
}

void ectl_ixb_free(struct ectl_ixb *b)
{
    if (!b)
        return;
    ectl_buf_release(&b->pool);
    ectl_strmap_release(&b->strings);
    ectl_strmap_release(&b->listmap);
    ectl_strmap_release(&b->termmap);
    ectl_buf_release(&b->lists);
    ectl_buf_release(&b->entities);
    ectl_buf_release(&b->names);
    ectl_buf_release(&b->name_terms);
    ectl_buf_release(&b->terms);
    free(b);
}

uint64_t ectl_ixb_entities(const struct ectl_ixb *b)
{
    return IXB_N(b->entities, struct ectl_ix_entity);
}

uint64_t ectl_ixb_names(const struct ectl_ixb *b)
{
    return b->n_source_names;
}

int ectl_ixb_intern(struct ectl_ixb *b, const char *s, size_t len, uint32_t *off)
{
    if (len == 0) {
        *off = 0;
        return 0;
    }
    /* A NUL inside would cut the string short for every reader. */
    const char *nul = memchr(s, '\0', len);
    if (nul)
        len = (size_t)(nul - s);
    if (b->pool.len + len + 1 > UINT32_MAX)
        return ECTL_ERANGE;
    int inserted;
    struct ectl_strmap_slot *slot =
        ectl_strmap_put(&b->strings, s, len, (uint32_t)b->pool.len, &inserted);
    if (!slot)
        return ECTL_ENOMEM;
    if (inserted) {
        if (ectl_buf_add(&b->pool, s, len) != 0 || ectl_buf_addch(&b->pool, '\0') != 0)
            return ECTL_ENOMEM;
    }
    *off = slot->value;
    return 0;
}

static int intern_z(struct ectl_ixb *b, const char *s, uint32_t *off)
{
    return ectl_ixb_intern(b, s ? s : "", s ? strlen(s) : 0, off);
}

/* Join strings with ';' and intern the result. */
static int intern_joined(struct ectl_ixb *b, const char *const *v, size_t n, uint32_t *off)
{
    struct ectl_buf tmp = ECTL_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (!v[i] || !*v[i])
            continue;
        if (tmp.len)
            rc = ectl_buf_addch(&tmp, ';');
        if (rc == 0)
            rc = ectl_buf_adds(&tmp, v[i]);
    }
    if (rc == 0)
        rc = ectl_ixb_intern(b, tmp.ptr, tmp.len, off);
    ectl_buf_release(&tmp);
    return rc;
}

static int list_index(struct ectl_ixb *b, const char *list, uint32_t *out)
{
    size_t len = strlen(list);
    uint32_t next = (uint32_t)IXB_N(b->lists, struct ectl_ix_list);
    int inserted;
    struct ectl_strmap_slot *slot = ectl_strmap_put(&b->listmap, list, len, next, &inserted);
    if (!slot)
        return ECTL_ENOMEM;
    if (inserted) {
        struct ectl_ix_list l = {0};
        int rc = ectl_ixb_intern(b, list, len, &l.name);
        if (rc == 0 && ectl_buf_add(&b->lists, &l, sizeof l) != 0)
            rc = ECTL_ENOMEM;
        if (rc)
            return rc;
    }
    *out = slot->value;
    return 0;
}

int ectl_ixb_entity_begin(struct ectl_ixb *b, const struct ectl_entity *e)
{
    if (b->in_entity)
        ectl_ixb_entity_end(b);
    size_t n = IXB_N(b->entities, struct ectl_ix_entity);
    if (n >= ECTL_IX_NONE - 1)
        return ECTL_ERANGE;
    struct ectl_ix_entity x = {0};
    int rc = list_index(b, e->list && *e->list ? e->list : "unnamed", &x.list);
    if (rc == 0)
        rc = intern_z(b, e->id, &x.id);
    if (rc == 0)
        rc = intern_z(b, e->n_names ? e->names[0].text : "", &x.name);
    if (rc == 0)
        rc = intern_joined(b, e->programs, e->n_programs, &x.programs);
    if (rc == 0)
        rc = intern_joined(b, e->countries, e->n_countries, &x.countries);
    if (rc)
        return rc;
    x.type = (uint16_t)((unsigned)e->type < ECTL_TYPE_COUNT ? e->type : ECTL_TYPE_UNKNOWN);
    x.first_name = (uint32_t)IXB_N(b->names, struct ectl_ix_name);
    if (ectl_buf_add(&b->entities, &x, sizeof x) != 0)
        return ECTL_ENOMEM;
    b->in_entity = 1;
    b->n_seen = 0;
    b->cur_names = 0;
    return 0;
}

static int term_id(struct ectl_ixb *b, const struct ectl_token *t, uint32_t entity, uint32_t *out)
{
    size_t len = t->len > ECTL_IX_MAX_TOKEN_LEN ? ECTL_IX_MAX_TOKEN_LEN : t->len;
    uint32_t next = (uint32_t)IXB_N(b->terms, struct ixb_term);
    int inserted;
    struct ectl_strmap_slot *slot = ectl_strmap_put(&b->termmap, t->text, len, next, &inserted);
    if (!slot)
        return ECTL_ENOMEM;
    if (inserted) {
        struct ixb_term x = {0};
        int rc = ectl_ixb_intern(b, t->text, len, &x.text);
        if (rc)
            return rc;
        x.len = (uint16_t)len;
        x.last_entity = ECTL_IX_NONE;
        if (ectl_buf_add(&b->terms, &x, sizeof x) != 0)
            return ECTL_ENOMEM;
    }
    struct ixb_term *x = IXB_AT(b->terms, struct ixb_term, slot->value);
    x->flags |= (uint16_t)ectl_ix_term_flags(t->flags, t->text, t->len);
    if (x->last_entity != entity) {
        x->last_entity = entity;
        x->df++;
    }
    *out = slot->value;
    return 0;
}

/* Tokens a name part can use: non-empty, no NUL inside. */
static int usable(const struct ectl_token *t)
{
    return t->text && t->len > 0 && memchr(t->text, '\0', t->len) == NULL;
}

static int add_form(struct ectl_ixb *b, uint32_t text, enum ectl_name_kind kind, size_t variant,
                    const struct ectl_name_form *f, int *added)
{
    uint32_t entity = (uint32_t)IXB_N(b->entities, struct ectl_ix_entity) - 1;
    uint32_t ids[ECTL_IX_MAX_TOKENS];
    size_t n = 0;
    for (size_t i = 0; i < f->n && i < ECTL_NORM_MAX_TOKENS && n < ECTL_IX_MAX_TOKENS; i++) {
        if (!usable(&f->tok[i]))
            continue;
        int rc = term_id(b, &f->tok[i], entity, &ids[n]);
        if (rc)
            return rc;
        n++;
    }
    if (n == 0)
        return 0;
    uint64_t h = ectl_ix_xxh64(ids, n * sizeof *ids, n);
    for (size_t i = 0; i < b->n_seen; i++)
        if (b->seen[i] == h)
            return 0;
    if (b->n_seen < IXB_SEEN_MAX)
        b->seen[b->n_seen++] = h;
    size_t first = IXB_N(b->name_terms, uint32_t);
    if (first + n > ECTL_IX_NONE || IXB_N(b->names, struct ectl_ix_name) >= ECTL_IX_NONE - 1)
        return ECTL_ERANGE;
    struct ectl_ix_name x = {
        .entity = entity,
        .text = text,
        .first = (uint32_t)first,
        .n_tokens = (uint8_t)n,
        .kind = (uint8_t)kind,
        .variant = (uint8_t)(variant < 255 ? variant : 255),
    };
    if (ectl_buf_add(&b->name_terms, ids, n * sizeof *ids) != 0 ||
        ectl_buf_add(&b->names, &x, sizeof x) != 0)
        return ECTL_ENOMEM;
    struct ectl_ix_entity *e = IXB_AT(b->entities, struct ectl_ix_entity, entity);
    if (e->n_names < UINT16_MAX)
        e->n_names++;
    *added = 1;
    return 0;
}

/* The normaliser's literal reading of a name with a short legal form
 * (../norm/ambiguous.h). */
static int is_literal(const struct ectl_name_form *f)
{
    for (size_t i = 0; i < f->n && i < ECTL_NORM_MAX_TOKENS; i++)
        if (f->tok[i].flags & ECTL_TOK_AMBIGUOUS_FORM)
            return 1;
    return 0;
}

static int has_legal(const struct ectl_name_form *f)
{
    for (size_t i = 0; i < f->n && i < ECTL_NORM_MAX_TOKENS; i++)
        if (f->tok[i].flags & ECTL_TOK_LEGAL_FORM)
            return 1;
    return 0;
}

int ectl_ixb_name(struct ectl_ixb *b, const char *text, enum ectl_name_kind kind,
                  const struct ectl_name_form *forms, size_t n_forms)
{
    if (!b->in_entity)
        return ECTL_EINVAL;
    struct ectl_ix_entity *e =
        IXB_AT(b->entities, struct ectl_ix_entity, IXB_N(b->entities, struct ectl_ix_entity) - 1);
    /* An entity's names must stay contiguous and countable in 16 bits. */
    if (e->n_names >= UINT16_MAX - ECTL_NORM_MAX_VARIANTS)
        return 0;
    uint32_t off;
    int rc = intern_z(b, text, &off);
    if (rc)
        return rc;
    if ((unsigned)kind > ECTL_NAME_ORIGINAL)
        kind = ECTL_NAME_AKA;
    /* Short legal forms are also words (SE, AS, CO, PT ...): the
     * normaliser then adds a literal reading.  The entity type decides: a
     * person's name holds no legal form ("PAK HAN SE" is filed as "pak han
     * se", not "pak han llc"), an organisation's, vessel's or aircraft's
     * does ("NDUT Co" stays "ndut llc"); a name of unknown type is filed
     * under both. */
    int literal = 0;
    for (size_t v = 0; v < n_forms && v < ECTL_NORM_MAX_VARIANTS; v++)
        literal |= is_literal(&forms[v]);
    int added = 0;
    for (size_t v = 0; v < n_forms && v < ECTL_NORM_MAX_VARIANTS; v++) {
        if (literal && e->type == ECTL_TYPE_PERSON && !is_literal(&forms[v]) &&
            has_legal(&forms[v]))
            continue;
        if (literal && e->type != ECTL_TYPE_PERSON && e->type != ECTL_TYPE_UNKNOWN &&
            is_literal(&forms[v]))
            continue;
        if ((rc = add_form(b, off, kind, v, &forms[v], &added)) != 0)
            return rc;
    }
    if (added)
        b->cur_names++;
    return 0;
}

void ectl_ixb_entity_end(struct ectl_ixb *b)
{
    if (!b->in_entity)
        return;
    b->in_entity = 0;
    const struct ectl_ix_entity *e =
        IXB_AT(b->entities, struct ectl_ix_entity, IXB_N(b->entities, struct ectl_ix_entity) - 1);
    struct ectl_ix_list *l = IXB_AT(b->lists, struct ectl_ix_list, e->list);
    l->entities++;
    l->names += b->cur_names;
    l->by_type[e->type]++;
    b->n_source_names += b->cur_names;
}

int ectl_ixb_source_done(struct ectl_ixb *b, const char *format, const char *date)
{
    uint32_t f, d;
    int rc = intern_z(b, format, &f);
    if (rc == 0)
        rc = intern_z(b, date, &d);
    if (rc)
        return rc;
    size_t n = IXB_N(b->lists, struct ectl_ix_list);
    for (; b->lists_done < n; b->lists_done++) {
        struct ectl_ix_list *l = IXB_AT(b->lists, struct ectl_ix_list, b->lists_done);
        l->format = f;
        l->date = d;
    }
    return 0;
}
