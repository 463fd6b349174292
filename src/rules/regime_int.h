/*
 * Compiled regime (internal).  See include/exportctl/rules.h for the model
 * and docs/regime-data.md for the files.
 *
 * Layout, chosen so that a determination does no allocation and only a few
 * array lookups:
 *   - countries are indices 0..675 (two letters A-Z);
 *   - a membership is (set, country, [from, to)); memberships of one
 *     (set, country) pair are chained, the head kept in set->first[];
 *   - item codes (native, harmonised) sit in one open-addressing hash;
 *   - rules are a small array scanned in order (tens of rows per regime).
 */
#ifndef ECTL_RULES_REGIME_INT_H
#define ECTL_RULES_REGIME_INT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <exportctl/rules.h>

#include "../core/arena.h"

#define ECTL_NCOUNTRIES 676
#define ECTL_MAX_KINDS 16
#define ECTL_MAX_CHART 32
#define ECTL_MAX_TERMS 6

static inline int ectl__cc_index(const char *cc)
{
    unsigned a = (unsigned char)cc[0], b = a ? (unsigned char)cc[1] : 0;
    if (a >= 'a' && a <= 'z')
        a -= 32;
    if (b >= 'a' && b <= 'z')
        b -= 32;
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || cc[2] != '\0')
        return -1;
    return (int)((a - 'A') * 26 + (b - 'A'));
}

enum set_kind { SET_GROUP, SET_CHART, SET_OTHER };

struct membership {
    ectl_date from, to;
    int32_t next; /* next membership of the same (set, country), or -1 */
    const char *source;
    const char *note;
    const char *rule_id; /* "set:B:KR" */
    const char *text;    /* "KR (South Korea) is in group B" */
};

struct cset {
    const char *id;
    enum set_kind kind;
    int chart_bit;  /* bit in item->controls for chart sets, else -1 */
    int32_t first[ECTL_NCOUNTRIES]; /* head of the chain, or -1 */
    const char *rule_id; /* "set:<id>" */
};

struct exception {
    const char *name; /* licence kind, e.g. "LVS" */
    int set;          /* destination must be in this set */
    const char *prefix; /* every hit column must start with this */
};

struct item {
    const char *code;       /* native */
    const char *harmonised; /* or NULL */
    const char *description;
    const char *rule_id;    /* "item:<code>" */
    uint32_t controls;      /* chart bits */
    size_t n_exceptions;
    struct exception *exceptions;
    ectl_date from, to;
    const char *source;
};

enum item_sel { SEL_ANY, SEL_LISTED, SEL_UNLISTED, SEL_CHART, SEL_NOCHART, SEL_UNRATED, SEL_CODES };
enum end_use { EU_ANY, EU_CONCERN, EU_NO_CONCERN };
enum rule_kind { RULE_POLICY, RULE_MEASURE, RULE_GUARD };
#define OUTCOME_REFER 3

struct term {
    bool negate;
    bool is_set;
    int idx; /* set index or country index */
};

struct rule {
    const char *id;
    enum rule_kind kind;
    enum item_sel sel;
    size_t n_codes;
    int32_t *codes; /* item indices, sorted, for SEL_CODES */
    size_t n_terms;
    struct term terms[ECTL_MAX_TERMS];
    enum end_use end_use;
    int outcome; /* enum ectl_outcome or OUTCOME_REFER */
    uint32_t options; /* bits over licence_kinds */
    int priority;
    ectl_date from, to;
    const char *text;
    const char *source;
};

struct ectl_regime {
    atomic_int refs;
    struct ectl_arena arena;
    const char *id;
    const char *name;
    const char *data_version;
    ectl_date covered_from;
    size_t n_kinds;
    const char *kinds[ECTL_MAX_KINDS];
    size_t n_unlisted;
    const char *unlisted[4];

    const char *country_names[ECTL_NCOUNTRIES]; /* NULL: not an ISO code */
    const char *country_codes[ECTL_NCOUNTRIES]; /* "KR" strings */

    size_t n_sets;
    struct cset *sets;
    size_t n_groups;
    int *groups; /* set indices of kind group, in file order */
    size_t n_chart;
    int chart_sets[ECTL_MAX_CHART]; /* set index of each chart bit */
    size_t n_members;
    struct membership *members;

    size_t n_items;
    struct item *items;
    size_t hash_cap; /* power of two */
    int32_t *hash;   /* item index or -1; keys: upper-cased codes */
    const char **hash_keys;

    size_t n_rules;
    struct rule *rules;
};

/* Index of the item whose native or harmonised code equals code
 * (case-insensitive), or -1. */
int32_t ectl__item_find(const struct ectl_regime *r, const char *code, size_t len);

/* Index of the set with this id, or -1. */
int ectl__set_find(const struct ectl_regime *r, const char *id, size_t len);

/* Membership of country in set on date, or NULL. */
const struct membership *ectl__member_on(const struct ectl_regime *r, int set, int country,
                                         ectl_date date);

#endif
