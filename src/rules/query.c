/*
 * Read-only views of a compiled regime: identity, group membership on a
 * date, and the changes between two dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regime_int.h"

const char *ectl_regime_id(const struct ectl_regime *r)
{
    return r->id;
}

const char *ectl_regime_name(const struct ectl_regime *r)
{
    return r->name;
}

const char *ectl_regime_data_version(const struct ectl_regime *r)
{
    return r->data_version;
}

ectl_date ectl_regime_covered_from(const struct ectl_regime *r)
{
    return r->covered_from;
}

const char *ectl_regime_country_name(const struct ectl_regime *r, const char *cc)
{
    int i = ectl__cc_index(cc);
    return i < 0 ? NULL : r->country_names[i];
}

size_t ectl_regime_group_count(const struct ectl_regime *r)
{
    return r->n_groups;
}

const char *ectl_regime_group_id(const struct ectl_regime *r, size_t i)
{
    return i < r->n_groups ? r->sets[r->groups[i]].id : NULL;
}

size_t ectl_regime_group_members(const struct ectl_regime *r, size_t i, ectl_date date,
                                 const char **out, size_t cap)
{
    if (i >= r->n_groups)
        return 0;
    size_t n = 0;
    for (int c = 0; c < ECTL_NCOUNTRIES; c++) {
        if (ectl__member_on(r, r->groups[i], c, date)) {
            if (n < cap)
                out[n] = r->country_codes[c];
            n++;
        }
    }
    return n;
}

const char *ectl_change_kind_name(enum ectl_change_kind k)
{
    switch (k) {
    case ECTL_CHANGE_MEMBERSHIP:
        return "membership";
    case ECTL_CHANGE_MEASURE:
        return "measure";
    case ECTL_CHANGE_POLICY:
        return "policy";
    case ECTL_CHANGE_ITEM:
        return "item";
    }
    return "?";
}

static int cmp_change(const void *pa, const void *pb)
{
    const struct ectl_change *a = pa, *b = pb;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->subject, b->subject);
    if (c)
        return c;
    c = strcmp(a->country ? a->country : "", b->country ? b->country : "");
    if (c)
        return c;
    return strcmp(a->change, b->change);
}

struct collector {
    struct ectl_change *v;
    size_t n, cap;
    ectl_date from, to;
    int failed;
};

static void collect(struct collector *c, enum ectl_change_kind kind, const char *subject,
                    const char *country, ectl_date start, ectl_date end, const char *on_start,
                    const char *on_end, const char *text, const char *source)
{
    ectl_date when[2] = {start, end};
    const char *what[2] = {on_start, on_end};
    for (int i = 0; i < 2; i++) {
        if (when[i] <= c->from || when[i] > c->to || when[i] == ECTL_DATE_MIN ||
            when[i] == ECTL_DATE_MAX)
            continue;
        if (c->n == c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 64;
            struct ectl_change *v = realloc(c->v, cap * sizeof *v);
            if (!v) {
                c->failed = 1;
                return;
            }
            c->v = v;
            c->cap = cap;
        }
        c->v[c->n++] = (struct ectl_change){kind, subject, country, what[i], when[i], text, source};
    }
}

int ectl_regime_diff(const struct ectl_regime *r, ectl_date from, ectl_date to,
                     struct ectl_change *out, size_t cap, struct ectl_error *err)
{
    char a[ECTL_DATE_BUFSZ], b[ECTL_DATE_BUFSZ];
    if (from > to)
        return ectl_error_set(err, ECTL_EINVAL, "--from %s is after --to %s",
                              ectl_date_format(from, a), ectl_date_format(to, b));
    if (from < r->covered_from)
        return ectl_error_set(err, ECTL_ENODATA, "%s data starts on %s; cannot compare from %s",
                              r->id, ectl_date_format(r->covered_from, a),
                              ectl_date_format(from, b));
    struct collector c = {NULL, 0, 0, from, to, 0};
    for (size_t s = 0; s < r->n_sets; s++)
        for (int cc = 0; cc < ECTL_NCOUNTRIES; cc++)
            for (int32_t i = r->sets[s].first[cc]; i >= 0; i = r->members[i].next)
                collect(&c, ECTL_CHANGE_MEMBERSHIP, r->sets[s].id, r->country_codes[cc],
                        r->members[i].from, r->members[i].to, "added", "removed",
                        r->members[i].text, r->members[i].source);
    for (size_t i = 0; i < r->n_rules; i++) {
        const struct rule *rule = &r->rules[i];
        collect(&c, rule->kind == RULE_MEASURE ? ECTL_CHANGE_MEASURE : ECTL_CHANGE_POLICY,
                rule->id, NULL, rule->from, rule->to, "started", "ended", rule->text,
                rule->source);
    }
    for (size_t i = 0; i < r->n_items; i++)
        collect(&c, ECTL_CHANGE_ITEM, r->items[i].code, NULL, r->items[i].from, r->items[i].to,
                "added", "removed", r->items[i].description, r->items[i].source);
    if (c.failed) {
        free(c.v);
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    }
    if (c.n)
        qsort(c.v, c.n, sizeof *c.v, cmp_change);
    for (size_t i = 0; i < c.n && i < cap; i++)
        out[i] = c.v[i];
    free(c.v);
    return (int)c.n;
}
