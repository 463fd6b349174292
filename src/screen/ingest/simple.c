/*
 * A company's own list as a simple CSV:
 *
 *   id,type,name,aliases,countries
 *   c-001,entity,Example Trading LLC,EXT LLC;Example Trading,AE;IR
 *
 * type is person, entity, vessel or aircraft; aliases and countries are
 * separated by ';'; countries are ISO 3166-1 alpha-2 codes (either case).
 * The header names the five columns in this order; further columns after
 * them are allowed and ignored, so a list can carry its own notes.  The
 * list id is the file name without its extension ("blocked.csv" ->
 * "blocked").
 *
 * Unlike the official lists, which are taken as they come, this file is
 * written by the user, so a row that breaks the rules (unknown type, a
 * country that is not a code, no id or name, an id seen before) is
 * refused with its line and column, and the user fixes it.
 */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

enum { S_ID, S_TYPE, S_NAME, S_ALIASES, S_COUNTRIES, S_NCOLS };

static const char *const col_names[S_NCOLS] = {"id", "type", "name", "aliases", "countries"};

static int read_header(struct ing *g, struct ectl_csv *c)
{
    struct ectl_error e = {0};
    int rc = ectl_csv_next(c, &e);
    if (rc == ECTL_ENOMEM)
        return ectl_error_set(g->err, rc, "%s: out of memory", g->name);
    bool ok = rc == 1 && c->n_fields >= S_NCOLS;
    for (int i = 0; ok && i < S_NCOLS; i++) {
        const char *s = c->fields[i];
        size_t n = strlen(s);
        ing_trim(&s, &n);
        ok = ing_ieq(s, n, col_names[i]);
    }
    if (!ok)
        return ectl_error_set(g->err, ECTL_EFORMAT,
                              "%s:1: not a simple list CSV (the header must be "
                              "id,type,name,aliases,countries)",
                              g->name);
    return 0;
}

int ectl__ing_check_simple(struct ing *g)
{
    struct ectl_csv c;
    ectl_csv_init(&c, g->data, g->len, g->name, 0);
    int rc = read_header(g, &c);
    ectl_csv_release(&c);
    return rc;
}

static bool parse_type(const char *s, enum ectl_entity_type *t)
{
    size_t n = strlen(s);
    ing_trim(&s, &n);
    static const struct {
        const char *name;
        enum ectl_entity_type type;
    } types[] = {{"person", ECTL_TYPE_PERSON},
                 {"entity", ECTL_TYPE_ENTITY},
                 {"vessel", ECTL_TYPE_VESSEL},
                 {"aircraft", ECTL_TYPE_AIRCRAFT}};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (ing_ieq(s, n, types[i].name)) {
            *t = types[i].type;
            return true;
        }
    }
    return false;
}

/* The first value of a ';'-list that is not an ISO code, or NULL. */
static const char *bad_country(const char *s, size_t *len)
{
    while (*s) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *p = s;
        size_t m = n;
        ing_trim(&p, &m);
        if (m) {
            char code[3] = {0, 0, 0};
            if (m == 2) {
                code[0] = (char)(p[0] >= 'a' && p[0] <= 'z' ? p[0] - 'a' + 'A' : p[0]);
                code[1] = (char)(p[1] >= 'a' && p[1] <= 'z' ? p[1] - 'a' + 'A' : p[1]);
            }
            /* Only codes: a country name here is an error, not a guess. */
            if (m != 2 || !ectl_country_code(code, 2) || strcmp(ectl_country_code(code, 2), code)) {
                *len = m;
                return p;
            }
        }
        s += n;
        if (*s == ';')
            s++;
    }
    return NULL;
}

static int add_alias(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    return ing_add_name(g, p, n, ECTL_NAME_AKA);
}

static int add_country(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    char code[3] = {(char)(p[0] >= 'a' && p[0] <= 'z' ? p[0] - 'a' + 'A' : p[0]),
                    (char)(p[1] >= 'a' && p[1] <= 'z' ? p[1] - 'a' + 'A' : p[1]), '\0'};
    (void)n; /* bad_country() made sure every value is a two-letter code */
    return ing_add_country(g, code, 2, true);
}

static int record(struct ing *g, struct ectl_csv *c, size_t ncols, struct ing_idset *ids)
{
    const char *const *f = (const char *const *)c->fields;
    unsigned long long line = (unsigned long long)c->row_line;
    if (c->n_fields != ncols) {
        ing_malformed(g, "%s:%llu: %zu fields, expected %zu as in the header", g->name, line,
                      c->n_fields, ncols);
        return 0;
    }
    const char *id = f[S_ID], *name = f[S_NAME];
    size_t id_len = strlen(id), name_len = strlen(name);
    ing_trim(&id, &id_len);
    ing_trim(&name, &name_len);
    enum ectl_entity_type type;
    const char *bad;
    size_t bad_len;
    if (!id_len) {
        ing_malformed(g, "%s:%llu: column 1 (id): empty", g->name, line);
        return 0;
    }
    if (!parse_type(f[S_TYPE], &type)) {
        ing_malformed(g,
                      "%s:%llu: column 2 (type): unknown type '%.40s' (expected person, entity, "
                      "vessel or aircraft)",
                      g->name, line, f[S_TYPE]);
        return 0;
    }
    if (!name_len) {
        ing_malformed(g, "%s:%llu: column 3 (name): empty", g->name, line);
        return 0;
    }
    if ((bad = bad_country(f[S_COUNTRIES], &bad_len))) {
        ing_malformed(g,
                      "%s:%llu: column 5 (countries): unknown country code '%.*s' (ISO 3166-1 "
                      "alpha-2, e.g. DE)",
                      g->name, line, (int)(bad_len > 40 ? 40 : bad_len), bad);
        return 0;
    }
    int rc = ing_idset_add(ids, ing_hash(ING_HASH_INIT, id, id_len));
    if (rc < 0)
        return ectl_error_set(g->err, rc, "%s: out of memory", g->name);
    if (rc == 0) {
        ing_malformed(g, "%s:%llu: column 1 (id): duplicate id '%.*s'", g->name, line,
                      (int)(id_len > 60 ? 60 : id_len), id);
        return 0;
    }
    ing_begin(g, g->rep->list, type, c->row_line);
    if ((rc = ing_set_id(g, id, id_len)) || (rc = ing_set_primary(g, name, name_len)) ||
        (rc = ing_add_split(g, f[S_ALIASES], ';', add_alias, NULL)) ||
        (rc = ing_add_split(g, f[S_COUNTRIES], ';', add_country, NULL)))
        return rc;
    return ing_emit(g);
}

int ectl__ing_simple(struct ing *g)
{
    /* The list id: the file's base name without its extension. */
    const char *dot = strrchr(g->base, '.');
    int n = dot && dot != g->base ? (int)(dot - g->base) : (int)strlen(g->base);
    snprintf(g->rep->list, sizeof g->rep->list, "%.*s", n, g->base);

    struct ectl_csv c;
    struct ing_idset ids = {0};
    ectl_csv_init(&c, g->data, g->len, g->name, 0);
    int rc = read_header(g, &c);
    size_t ncols = c.n_fields;
    while (!rc) {
        rc = ing_csv_next(g, &c, NULL);
        if (rc == ING_SKIP) {
            g->rep->records++;
            rc = 0;
            continue;
        }
        if (rc <= 0)
            break;
        g->rep->records++;
        rc = record(g, &c, ncols, &ids);
    }
    ing_idset_release(&ids);
    ectl_csv_release(&c);
    return rc < 0 ? rc : 0;
}
