/*
 * Determination: which rule governs one item to one destination on one
 * day, and the facts it rests on.  Runs on the compiled regime without
 * allocating, so many threads can answer at once.
 */
#include <stdio.h>
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "regime_int.h"

const char *ectl_outcome_name(enum ectl_outcome o)
{
    switch (o) {
    case ECTL_NO_LICENCE_REQUIRED:
        return "no_licence_required";
    case ECTL_LICENCE_REQUIRED:
        return "licence_required";
    case ECTL_PROHIBITED:
        return "prohibited";
    }
    return "?";
}

const struct membership *ectl__member_on(const struct ectl_regime *r, int set, int country,
                                         ectl_date date)
{
    for (int32_t i = r->sets[set].first[country]; i >= 0; i = r->members[i].next) {
        const struct membership *m = &r->members[i];
        if (m->from > date)
            return NULL;
        if (date < m->to)
            return m;
    }
    return NULL;
}

/* What the query resolved to. */
struct subject {
    int32_t item;     /* -1 when unlisted */
    bool via_harmonised;
    uint32_t hits;    /* chart bits that mark the destination */
};

static int find_item(const struct ectl_regime *r, const char *q, struct subject *s,
                     struct ectl_error *err)
{
    size_t len = strlen(q);
    while (len && isspace((unsigned char)q[len - 1]))
        len--;
    while (len && isspace((unsigned char)*q))
        q++, len--;
    s->item = -1;
    s->hits = 0;
    for (size_t u = 0; u < r->n_unlisted; u++)
        if (strlen(r->unlisted[u]) == len && !strncasecmp(r->unlisted[u], q, len))
            return 0;
    /* A sub-paragraph (3C002.a.2) is controlled by its listed parent. */
    size_t n = len;
    for (;;) {
        int32_t i = ectl__item_find(r, q, n);
        if (i >= 0) {
            const char *h = r->items[i].harmonised;
            s->item = i;
            s->via_harmonised = h && strlen(h) == n && !strncasecmp(h, q, n);
            return 0;
        }
        const char *dot = memrchr(q, '.', n);
        if (!dot || dot == q)
            break;
        n = (size_t)(dot - q);
    }
    /* The data encodes part of each control list, so a miss is not proof
     * that an item is unlisted: say so, and never suggest 'none'. */
    return ectl_error_set(err, ECTL_EUNKNOWN_ITEM,
                          "item '%.*s' is not in the %s control-list data; give a code the data "
                          "lists (its native or harmonised number) or, for goods classified as "
                          "not listed, '%s'",
                          (int)(len > 64 ? 64 : len), q, r->id,
                          r->n_unlisted ? r->unlisted[0] : "none");
}

static bool terms_hold(const struct ectl_regime *r, const struct rule *rule, int cc,
                       ectl_date date)
{
    for (size_t i = 0; i < rule->n_terms; i++) {
        const struct term *t = &rule->terms[i];
        bool in = t->is_set ? ectl__member_on(r, t->idx, cc, date) != NULL : t->idx == cc;
        if (in == t->negate)
            return false;
    }
    return true;
}

static bool rule_matches(const struct ectl_regime *r, const struct rule *rule,
                         const struct subject *s, int cc, ectl_date date, bool concern)
{
    if (!ectl_date_in(date, rule->from, rule->to))
        return false;
    if ((rule->end_use == EU_CONCERN && !concern) || (rule->end_use == EU_NO_CONCERN && concern))
        return false;
    bool listed = s->item >= 0;
    switch (rule->sel) {
    case SEL_ANY:
        break;
    case SEL_LISTED:
        if (!listed)
            return false;
        break;
    case SEL_UNLISTED:
        if (listed)
            return false;
        break;
    case SEL_CHART:
        if (!listed || !s->hits)
            return false;
        break;
    case SEL_NOCHART:
        if (!listed || !r->items[s->item].controls || s->hits)
            return false;
        break;
    case SEL_UNRATED:
        if (!listed || r->items[s->item].controls)
            return false;
        break;
    case SEL_CODES: {
        /* codes are sorted at load: the US guard lists 168 ECCNs */
        size_t lo = 0, hi = rule->n_codes;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (rule->codes[mid] < s->item)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == rule->n_codes || rule->codes[lo] != s->item)
            return false;
        break;
    }
    }
    return terms_hold(r, rule, cc, date);
}

static void add_reason(struct ectl_determination *out, const char *rule, const char *text,
                       ectl_date from, ectl_date to, const char *source)
{
    for (size_t i = 0; i < out->n_reasons; i++)
        if (out->reasons[i].rule == rule)
            return;
    if (out->n_reasons == ECTL_MAX_REASONS)
        return;
    struct ectl_reason *x = &out->reasons[out->n_reasons++];
    x->rule = rule;
    x->text = text;
    x->from = from;
    x->to = to;
    x->source = source;
}

static void add_membership(const struct ectl_regime *r, struct ectl_determination *out, int set,
                           int cc, ectl_date date)
{
    const struct membership *m = ectl__member_on(r, set, cc, date);
    if (m)
        add_reason(out, m->rule_id, m->text, m->from, m->to, m->source);
}

static void add_option(struct ectl_determination *out, const char *kind)
{
    for (size_t i = 0; i < out->n_options; i++)
        if (out->options[i] == kind)
            return;
    if (out->n_options < ECTL_MAX_OPTIONS)
        out->options[out->n_options++] = kind;
}

/* Licence exceptions (US LVS, GBS) apply when the destination is in the
 * exception's set and every column that requires a licence is one the
 * exception can overcome. */
static void add_exceptions(const struct ectl_regime *r, const struct item *it, uint32_t hits,
                           int cc, ectl_date date, struct ectl_determination *out)
{
    for (size_t e = 0; e < it->n_exceptions; e++) {
        const struct exception *x = &it->exceptions[e];
        if (!ectl__member_on(r, x->set, cc, date))
            continue;
        bool all = true;
        size_t plen = strlen(x->prefix);
        for (int b = 0; b < ECTL_MAX_CHART && all; b++)
            if (hits & (1u << b))
                all = strncmp(r->sets[r->chart_sets[b]].id, x->prefix, plen) == 0;
        if (all) {
            add_option(out, x->name);
            add_membership(r, out, x->set, cc, date);
        }
    }
}

int ectl_determine(const struct ectl_regime *r, const char *item, const char *country,
                   ectl_date date, bool end_use_concern, struct ectl_determination *out,
                   struct ectl_error *err)
{
    int cc = ectl__cc_index(country);
    if (cc < 0 || !r->country_names[cc])
        return ectl_error_set(err, ECTL_EUNKNOWN_COUNTRY,
                              "'%.8s' is not an ISO 3166-1 alpha-2 country code", country);
    if (date < r->covered_from) {
        char a[ECTL_DATE_BUFSZ], b[ECTL_DATE_BUFSZ];
        return ectl_error_set(err, ECTL_ENODATA, "%s data starts on %s; no answer for %s", r->id,
                              ectl_date_format(r->covered_from, a), ectl_date_format(date, b));
    }
    struct subject s;
    int rc = find_item(r, item, &s, err);
    if (rc)
        return rc;
    const struct item *it = s.item >= 0 ? &r->items[s.item] : NULL;
    if (it && !ectl_date_in(date, it->from, it->to)) {
        it = NULL; /* not on the list that day: treated as unlisted goods */
        s.item = -1;
    }
    for (uint32_t bits = it ? it->controls : 0; bits; bits &= bits - 1) {
        int b = __builtin_ctz(bits);
        if (ectl__member_on(r, r->chart_sets[b], cc, date))
            s.hits |= 1u << b;
    }

    const struct rule *best = NULL;
    for (size_t i = 0; i < r->n_rules; i++) {
        const struct rule *rule = &r->rules[i];
        if (!rule_matches(r, rule, &s, cc, date, end_use_concern))
            continue;
        if (!best || rule->priority > best->priority ||
            (rule->priority == best->priority && rule->from >= best->from))
            best = rule;
    }
    char d[ECTL_DATE_BUFSZ];
    if (!best)
        return ectl_error_set(err, ECTL_ENODATA,
                              "no confirmed %s rule covers %s to %s on %s; the data does not "
                              "guess",
                              r->id, it ? it->code : "unlisted goods", r->country_codes[cc],
                              ectl_date_format(date, d));
    if (best->outcome == OUTCOME_REFER)
        return ectl_error_set(err, ECTL_ENODATA, "%s to %s on %s: %s (rule %s)",
                              it ? it->code : "unlisted goods", r->country_codes[cc],
                              ectl_date_format(date, d), best->text, best->id);

    memset(out, 0, offsetof(struct ectl_determination, reasons));
    out->listed = it != NULL;
    out->item = it ? (s.via_harmonised ? it->harmonised : it->code) : "none";
    out->regime_item = it ? it->code : "none";
    out->description = it ? it->description : "not on the control list";
    out->outcome = (enum ectl_outcome)best->outcome;
    out->decisive_rule = best->id;
    for (size_t k = 0; k < r->n_kinds; k++)
        if (best->options & (1u << k))
            add_option(out, r->kinds[k]);
    add_reason(out, best->id, best->text, best->from, best->to, best->source);
    if (it)
        add_reason(out, it->rule_id, it->description, it->from, it->to, it->source);
    bool named_set = false;
    for (size_t i = 0; i < best->n_terms; i++) {
        if (best->terms[i].is_set && !best->terms[i].negate) {
            add_membership(r, out, best->terms[i].idx, cc, date);
            named_set = true;
        }
    }
    if (!named_set && !(it && it->controls))
        for (size_t g = 0; g < r->n_groups; g++)
            add_membership(r, out, r->groups[g], cc, date);
    for (uint32_t bits = s.hits; bits; bits &= bits - 1)
        add_membership(r, out, r->chart_sets[__builtin_ctz(bits)], cc, date);
    if (it && best->sel == SEL_CHART && out->outcome == ECTL_LICENCE_REQUIRED)
        add_exceptions(r, it, s.hits, cc, date, out);
    return 0;
}

bool ectl_determination_same(const struct ectl_determination *a,
                             const struct ectl_determination *b)
{
    if (a->outcome != b->outcome || a->n_options != b->n_options)
        return false;
    for (size_t i = 0; i < a->n_options; i++) {
        bool found = false;
        for (size_t j = 0; j < b->n_options && !found; j++)
            found = strcmp(a->options[i], b->options[j]) == 0;
        if (!found)
            return false;
    }
    return true;
}
