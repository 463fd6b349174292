/*
 * rules.csv: policies, measures and guards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

struct codes_ctx {
    struct ectl_regime *r;
    struct rule *rule;
    const char *bad;
    char badbuf[64];
};

static int add_code(void *vctx, const char *p, size_t n)
{
    struct codes_ctx *c = vctx;
    int32_t i = ectl__item_find(c->r, p, n);
    if (i < 0) {
        snprintf(c->badbuf, sizeof c->badbuf, "%.*s", (int)(n > 60 ? 60 : n), p);
        c->bad = c->badbuf;
        return ECTL_EDATA;
    }
    int32_t *codes = realloc(c->rule->codes, (c->rule->n_codes + 1) * sizeof *codes);
    if (!codes)
        return ECTL_ENOMEM;
    c->rule->codes = codes;
    codes[c->rule->n_codes++] = i;
    return 0;
}

static int add_term(void *vctx, const char *p, size_t n)
{
    struct codes_ctx *c = vctx;
    snprintf(c->badbuf, sizeof c->badbuf, "%.*s", (int)(n > 60 ? 60 : n), p);
    c->bad = c->badbuf;
    struct rule *rule = c->rule;
    if (rule->n_terms == ECTL_MAX_TERMS)
        return ECTL_ERANGE;
    struct term t = {0};
    if (*p == '!') {
        t.negate = true;
        p++, n--;
    }
    if (n && *p == '@') {
        t.is_set = true;
        t.idx = ectl__set_find(c->r, p + 1, n - 1);
    } else {
        char cc[3] = {0};
        t.idx = -1;
        if (n == 2) {
            memcpy(cc, p, 2);
            int i = ectl__cc_index(cc);
            if (i >= 0 && c->r->country_names[i] && cc[0] <= 'Z' && cc[1] <= 'Z')
                t.idx = i;
        }
    }
    if (t.idx < 0)
        return ECTL_EDATA;
    rule->terms[rule->n_terms++] = t;
    return 0;
}

static int add_option(void *vctx, const char *p, size_t n)
{
    struct codes_ctx *c = vctx;
    for (size_t k = 0; k < c->r->n_kinds; k++) {
        if (strlen(c->r->kinds[k]) == n && !memcmp(c->r->kinds[k], p, n)) {
            c->rule->options |= 1u << k;
            return 0;
        }
    }
    snprintf(c->badbuf, sizeof c->badbuf, "%.*s", (int)(n > 60 ? 60 : n), p);
    c->bad = c->badbuf;
    return ECTL_EDATA;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int lookup(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

int ectl__load_rules(struct loader *L, struct ectl_error *err)
{
    static const char *const cols[] = {"id",       "kind",     "items", "destination",
                                       "end_use",  "outcome",  "licence_options",
                                       "priority", "from",     "to",    "text",
                                       "source"};
    static const char *const kinds[] = {"policy", "measure", "guard"};
    static const char *const sels[] = {"*",        "*listed",  "*unlisted",
                                       "*chart",   "*nochart", "*unrated"};
    static const char *const uses[] = {"any", "concern", "no_concern"};
    static const char *const outcomes[] = {"no_licence_required", "licence_required",
                                           "prohibited", "refer"};
    struct ectl_regime *r = L->r;
    struct table t;
    int rc = table_open(&t, L->dir, "rules.csv", cols, 12, &L->hash, err);
    if (rc)
        return rc;
    size_t cap = 0;
    while ((rc = table_next(&t, err)) > 0) {
        const char *const *f = t.csv.fields;
        if (ECTL_GROW(r->rules, r->n_rules, cap)) {
            rc = ectl__oom(err);
            break;
        }
        struct rule *rule = &r->rules[r->n_rules];
        memset(rule, 0, sizeof *rule);
        r->n_rules++;
        if (!*f[0] || strpbrk(f[0], " ,;")) {
            rc = table_fail(&t, 0, err, "'%s' is not a valid rule id", f[0]);
            break;
        }
        for (size_t i = 0; i + 1 < r->n_rules; i++)
            if (!strcmp(r->rules[i].id, f[0]))
                rc = table_fail(&t, 0, err, "duplicate rule id '%s'", f[0]);
        if (rc < 0)
            break;
        int k = lookup(f[1], kinds, 3), u = lookup(f[4], uses, 3), o = lookup(f[5], outcomes, 4);
        if (k < 0) {
            rc = table_fail(&t, 1, err, "'%s' is not one of policy, measure, guard", f[1]);
            break;
        }
        if (u < 0) {
            rc = table_fail(&t, 4, err, "'%s' is not one of any, concern, no_concern", f[4]);
            break;
        }
        if (o < 0) {
            rc = table_fail(&t, 5, err, "'%s' is not a known outcome", f[5]);
            break;
        }
        rule->kind = (enum rule_kind)k;
        rule->end_use = (enum end_use)u;
        rule->outcome = o;
        struct codes_ctx c = {r, rule, NULL, {0}};
        int s = lookup(f[2], sels, 6);
        if (s >= 0) {
            rule->sel = (enum item_sel)s;
        } else {
            rule->sel = SEL_CODES;
            if ((rc = split_list(f[2], add_code, &c)) || !rule->n_codes) {
                rc = rc == ECTL_ENOMEM ? ectl__oom(err)
                                       : table_fail(&t, 2, err, "unknown item code '%s'",
                                                    c.bad ? c.bad : f[2]);
                break;
            }
        }
        if (rule->n_codes > 1)
            qsort(rule->codes, rule->n_codes, sizeof *rule->codes, cmp_i32);
        if (strcmp(f[3], "*") != 0 && ((rc = split_list(f[3], add_term, &c)) || !rule->n_terms)) {
            rc = rc == ECTL_ERANGE ? table_fail(&t, 3, err, "more than %d terms", ECTL_MAX_TERMS)
                                   : table_fail(&t, 3, err,
                                                "'%s' is not CC, !CC, @SET or !@SET with a known "
                                                "country or set",
                                                c.bad ? c.bad : f[3]);
            break;
        }
        if ((rc = split_list(f[6], add_option, &c))) {
            rc = rc == ECTL_ENOMEM ? ectl__oom(err)
                                   : table_fail(&t, 6, err, "'%s' is not in licence_kinds", c.bad);
            break;
        }
        bool needs_options = o == ECTL_LICENCE_REQUIRED;
        if (needs_options != (rule->options != 0)) {
            rc = table_fail(&t, 6, err, needs_options ? "a licence_required rule must name options"
                                                      : "only licence_required rules name options");
            break;
        }
        char *end;
        errno = 0;
        long prio = strtol(f[7], &end, 10);
        if (!*f[7] || *end || errno || prio < -1000 || prio > 1000) {
            rc = table_fail(&t, 7, err, "'%s' is not an integer from -1000 to 1000", f[7]);
            break;
        }
        rule->priority = (int)prio;
        if ((rc = field_interval(&t, 8, &rule->from, &rule->to, err)))
            break;
        if (!*f[10]) {
            rc = table_fail(&t, 10, err, "every rule needs a text");
            break;
        }
        if (!(rule->id = ectl_arena_strdup(&r->arena, f[0])) ||
            !(rule->text = ectl_arena_strdup(&r->arena, f[10]))) {
            rc = ectl__oom(err);
            break;
        }
        if ((rc = field_sources(&t, 11, &L->src, &r->arena, &rule->source, err)))
            break;
        ectl__note_date(L, rule->from);
        ectl__note_date(L, rule->to);
    }
    table_close(&t);
    return rc < 0 ? rc : 0;
}
