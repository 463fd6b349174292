/*
 * Loading a regime directory: read and validate every file, then compile
 * the rows into struct ectl_regime.  Any error frees everything built so
 * far, so a caller never sees a half-loaded regime.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "load_util.h"
#include "loader.h"

#define GROW ECTL_GROW
int ectl__grow(void **arr, size_t *cap, size_t elem)
{
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return ECTL_ENOMEM;
    *arr = p;
    *cap = nc;
    return 0;
}

int ectl__oom(struct ectl_error *err)
{
    return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
}
#define oom ectl__oom

/* ---- countries.csv ---------------------------------------------------- */

static int load_countries(struct loader *L, const char *path, struct ectl_error *err)
{
    static const char *const cols[] = {"code", "name"};
    struct table t;
    const char *slash = strrchr(path, '/');
    char dir[1024];
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    int rc = table_open(&t, dir, slash ? slash + 1 : path, cols, 2, NULL, err);
    if (rc)
        return rc;
    struct ectl_regime *r = L->r;
    while ((rc = table_next(&t, err)) > 0) {
        const char *code = t.csv.fields[0];
        int i = ectl__cc_index(code);
        if (i < 0 || code[0] > 'Z' || code[1] > 'Z') {
            rc = table_fail(&t, 0, err, "'%s' is not an upper-case alpha-2 code", code);
            break;
        }
        if (r->country_names[i]) {
            rc = table_fail(&t, 0, err, "duplicate country '%s'", code);
            break;
        }
        if (!(r->country_names[i] = ectl_arena_strdup(&r->arena, t.csv.fields[1])) ||
            !(r->country_codes[i] = ectl_arena_strdup(&r->arena, code))) {
            rc = oom(err);
            break;
        }
    }
    table_close(&t);
    return rc < 0 ? rc : 0;
}

/* ---- regime.csv ------------------------------------------------------- */

struct list_ctx {
    struct loader *L;
    const char **out;
    size_t *n;
    size_t cap;
    int overflow;
};

static int add_list_item(void *vctx, const char *p, size_t n)
{
    struct list_ctx *c = vctx;
    if (*c->n == c->cap) {
        c->overflow = 1;
        return ECTL_ERANGE;
    }
    if (!(c->out[(*c->n)++] = ectl_arena_strndup(&c->L->r->arena, p, n)))
        return ECTL_ENOMEM;
    return 0;
}

static int load_meta(struct loader *L, struct ectl_error *err)
{
    static const char *const cols[] = {"key", "value"};
    struct ectl_regime *r = L->r;
    struct table t;
    int rc = table_open(&t, L->dir, "regime.csv", cols, 2, &L->hash, err);
    if (rc)
        return rc;
    bool have_cover = false;
    while ((rc = table_next(&t, err)) > 0) {
        const char *k = t.csv.fields[0], *v = t.csv.fields[1];
        if (!strcmp(k, "id") || !strcmp(k, "name")) {
            const char *s = ectl_arena_strdup(&r->arena, v);
            if (!s) {
                rc = oom(err);
                break;
            }
            *(k[0] == 'i' ? &r->id : &r->name) = s;
        } else if (!strcmp(k, "covered_from")) {
            if ((rc = field_date(&t, 1, ECTL_DATE_MIN, &r->covered_from, err)))
                break;
            have_cover = v[0] != '\0';
        } else if (!strcmp(k, "licence_kinds") || !strcmp(k, "unlisted_codes")) {
            bool kinds = k[0] == 'l';
            struct list_ctx c = {L, kinds ? r->kinds : r->unlisted,
                                 kinds ? &r->n_kinds : &r->n_unlisted,
                                 kinds ? ECTL_MAX_KINDS : 4, 0};
            if ((rc = split_list(v, add_list_item, &c))) {
                rc = rc == ECTL_ENOMEM ? oom(err) : table_fail(&t, 1, err, "too many entries");
                break;
            }
        } else {
            rc = table_fail(&t, 0, err, "unknown key '%s'", k);
            break;
        }
    }
    if (rc >= 0) {
        rc = 0;
        if (!r->id || !r->name || !have_cover || !r->n_kinds)
            rc = ectl_error_set(err, ECTL_EDATA,
                                "%s: id, name, covered_from and licence_kinds are required",
                                t.path);
    }
    table_close(&t);
    return rc;
}

/* ---- sets.csv --------------------------------------------------------- */

int ectl__set_find(const struct ectl_regime *r, const char *id, size_t len)
{
    for (size_t i = 0; i < r->n_sets; i++)
        if (strlen(r->sets[i].id) == len && !memcmp(r->sets[i].id, id, len))
            return (int)i;
    return -1;
}

static int set_new(struct loader *L, const char *id, enum set_kind kind, struct ectl_error *err)
{
    struct ectl_regime *r = L->r;
    if (GROW(r->sets, r->n_sets, L->sets_cap))
        return oom(err);
    struct cset *s = &r->sets[r->n_sets];
    memset(s, 0, sizeof *s);
    for (int c = 0; c < ECTL_NCOUNTRIES; c++)
        s->first[c] = -1;
    s->kind = kind;
    s->chart_bit = -1;
    struct ectl_buf b = ECTL_BUF_INIT;
    if (!(s->id = ectl_arena_strdup(&r->arena, id)) || ectl_buf_addf(&b, "set:%s", id) ||
        !(s->rule_id = ectl_arena_strdup(&r->arena, b.ptr))) {
        ectl_buf_release(&b);
        return oom(err);
    }
    ectl_buf_release(&b);
    if (kind == SET_CHART) {
        if (r->n_chart >= ECTL_MAX_CHART)
            return ectl_error_set(err, ECTL_EDATA, "too many chart sets (max %d)",
                                  ECTL_MAX_CHART);
        s->chart_bit = (int)r->n_chart;
        r->chart_sets[r->n_chart++] = (int)r->n_sets;
    }
    return (int)r->n_sets++;
}

static int membership_text(struct ectl_regime *r, int si, int cc, struct membership *m,
                           struct ectl_error *err)
{
    const struct cset *s = &r->sets[si];
    const char *code = r->country_codes[cc], *name = r->country_names[cc];
    struct ectl_buf id = ECTL_BUF_INIT, text = ECTL_BUF_INIT;
    int e = ectl_buf_addf(&id, "set:%s:%s", s->id, code);
    switch (s->kind) {
    case SET_GROUP:
        e = e ? e : ectl_buf_addf(&text, "%s (%s) is in group %s", code, name, s->id);
        break;
    case SET_CHART:
        e = e ? e : ectl_buf_addf(&text, "Country Chart: %s (%s) has an X in column %s", code, name, s->id);
        break;
    case SET_OTHER:
        e = e ? e : ectl_buf_addf(&text, "%s (%s) is in %s", code, name, s->id);
        break;
    }
    if (!e && m->note)
        e = ectl_buf_addf(&text, " (%s)", m->note);
    if (!e && (!(m->rule_id = ectl_arena_strdup(&r->arena, id.ptr)) ||
               !(m->text = ectl_arena_strdup(&r->arena, text.ptr))))
        e = ECTL_ENOMEM;
    ectl_buf_release(&id);
    ectl_buf_release(&text);
    return e ? oom(err) : 0;
}

static int load_sets(struct loader *L, struct ectl_error *err)
{
    static const char *const cols[] = {"set", "kind", "country", "from", "to", "source", "note"};
    struct ectl_regime *r = L->r;
    struct table t;
    int rc = table_open(&t, L->dir, "sets.csv", cols, 7, &L->hash, err);
    if (rc)
        return rc;
    size_t members_cap = 0, groups_cap = 0;
    while ((rc = table_next(&t, err)) > 0) {
        const char *id = t.csv.fields[0], *kind_s = t.csv.fields[1];
        enum set_kind kind;
        if (!strcmp(kind_s, "group"))
            kind = SET_GROUP;
        else if (!strcmp(kind_s, "chart"))
            kind = SET_CHART;
        else if (!strcmp(kind_s, "set"))
            kind = SET_OTHER;
        else {
            rc = table_fail(&t, 1, err, "'%s' is not one of group, chart, set", kind_s);
            break;
        }
        if (!*id || strpbrk(id, " ;@!*,")) {
            rc = table_fail(&t, 0, err, "'%s' is not a valid set id", id);
            break;
        }
        int si = ectl__set_find(r, id, strlen(id));
        if (si < 0) {
            if ((si = set_new(L, id, kind, err)) < 0) {
                rc = si;
                break;
            }
            if (kind == SET_GROUP) {
                if (GROW(r->groups, r->n_groups, groups_cap)) {
                    rc = oom(err);
                    break;
                }
                r->groups[r->n_groups++] = si;
            }
        } else if (r->sets[si].kind != kind) {
            rc = table_fail(&t, 1, err, "set '%s' was declared with another kind", id);
            break;
        }
        if (!*t.csv.fields[2]) {
            /* A row without a country only declares the set (a group whose
             * members are not confirmed); it must say nothing else. */
            if (*t.csv.fields[3] || *t.csv.fields[4]) {
                rc = table_fail(&t, 3, err, "a row without a country takes no dates");
                break;
            }
            const char *ignored;
            if ((rc = field_sources(&t, 5, &L->src, &r->arena, &ignored, err)))
                break;
            continue;
        }
        int cc;
        struct membership m = {0};
        if ((rc = field_country(&t, 2, r, &cc, err)) ||
            (rc = field_interval(&t, 3, &m.from, &m.to, err)) ||
            (rc = field_sources(&t, 5, &L->src, &r->arena, &m.source, err)))
            break;
        ectl__note_date(L, m.from);
        ectl__note_date(L, m.to);
        /* Each (set, country) chain is kept sorted by from, and overlap is
         * refused: two rows saying a country is in a group on the same day
         * is a data error, not something to resolve silently. */
        if (*t.csv.fields[6] && !(m.note = ectl_arena_strdup(&r->arena, t.csv.fields[6]))) {
            rc = oom(err);
            break;
        }
        if ((rc = membership_text(r, si, cc, &m, err)))
            break;
        int32_t prev = -1, cur = r->sets[si].first[cc];
        while (cur >= 0 && r->members[cur].from < m.from) {
            prev = cur;
            cur = r->members[cur].next;
        }
        if ((cur >= 0 && r->members[cur].from < m.to) ||
            (prev >= 0 && r->members[prev].to > m.from)) {
            rc = table_fail(&t, 3, err, "%s is already in set '%s' for part of this period",
                            t.csv.fields[2], id);
            break;
        }
        if (GROW(r->members, r->n_members, members_cap)) {
            rc = oom(err);
            break;
        }
        m.next = cur;
        r->members[r->n_members] = m;
        if (prev >= 0)
            r->members[prev].next = (int32_t)r->n_members;
        else
            r->sets[si].first[cc] = (int32_t)r->n_members;
        r->n_members++;
    }
    table_close(&t);
    return rc < 0 ? rc : 0;
}

/* ---- assembly --------------------------------------------------------- */

static void regime_free(struct ectl_regime *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_items; i++)
        free(r->items[i].exceptions);
    for (size_t i = 0; i < r->n_rules; i++)
        free(r->rules[i].codes);
    free(r->sets);
    free(r->groups);
    free(r->members);
    free(r->items);
    free(r->hash);
    free(r->hash_keys);
    free(r->rules);
    ectl_arena_release(&r->arena);
    free(r);
}

int ectl_regime_load(const char *dir, const char *countries_csv, struct ectl_regime **out,
                     struct ectl_error *err)
{
    struct ectl_error local;
    if (!err)
        err = &local;
    ectl_error_clear(err);
    *out = NULL;
    struct loader L = {0};
    L.dir = dir;
    L.hash = 0xcbf29ce484222325ULL;
    L.latest = ECTL_DATE_MIN;
    if (!(L.r = calloc(1, sizeof *L.r)))
        return oom(err);
    atomic_init(&L.r->refs, 1);
    int rc;
    if ((rc = load_countries(&L, countries_csv, err)) || (rc = load_meta(&L, err)) ||
        (L.latest = L.r->covered_from, 0) || (rc = ectl__load_sources(L.dir, &L.r->arena, &L.src, &L.hash, err)) ||
        (rc = load_sets(&L, err)) ||
        (rc = ectl__load_items(&L, err)) || (rc = ectl__load_rules(&L, err))) {
        free(L.src.rows);
        regime_free(L.r);
        return rc;
    }
    free(L.src.rows);
    struct ectl_regime *r = L.r;
    char d[ECTL_DATE_BUFSZ];
    struct ectl_buf b = ECTL_BUF_INIT;
    if (ectl_buf_addf(&b, "%s+%016llx", L.latest == ECTL_DATE_MIN ? "0000-00-00" : ectl_date_format(L.latest, d),
                      (unsigned long long)L.hash) ||
        !(r->data_version = ectl_arena_strdup(&r->arena, b.ptr))) {
        ectl_buf_release(&b);
        regime_free(r);
        return oom(err);
    }
    ectl_buf_release(&b);
    *out = r;
    return 0;
}

struct ectl_regime *ectl_regime_ref(struct ectl_regime *r)
{
    atomic_fetch_add_explicit(&r->refs, 1, memory_order_relaxed);
    return r;
}

void ectl_regime_unref(struct ectl_regime *r)
{
    if (r && atomic_fetch_sub_explicit(&r->refs, 1, memory_order_acq_rel) == 1)
        regime_free(r);
}
