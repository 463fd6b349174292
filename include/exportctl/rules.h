/*
 * The dated rules engine.
 *
 * A regime (jp, kr, eu, us) is a set of dated facts read from a directory of
 * CSV files (see docs/regime-data.md for the format):
 *
 *   regime.csv   identity, the first day the data covers, licence kinds
 *   sources.csv  every source cited by a row
 *   sets.csv     country sets with [from, to) memberships: country groups
 *                (kind "group", shown by `exportctl groups`) and other sets
 *                such as the US Country Chart columns (kind "chart")
 *   items.csv    control-list entries: native code, harmonised code,
 *                chart columns (US reasons for control), exceptions
 *   rules.csv    policies and special measures: which items, which
 *                destinations, which end use, what outcome, which licences
 *
 * ectl_regime_load() validates everything (a bad row is an error naming the
 * file, line and column) and compiles it into an immutable struct
 * ectl_regime.  Nothing half-loaded is ever returned.  A loaded regime is
 * read-only: any number of threads may query it at once.
 *
 * Determination never guesses.  An item not on the control list (other than
 * the explicit "none"/EAR99 codes), an unknown country, a date before the
 * data's coverage, or a question no confirmed rule answers is an error, not
 * "no licence required".
 *
 * Ownership: every const char * in a result points into the regime and is
 * valid until the regime is released.  Do not free it.
 */
#ifndef EXPORTCTL_RULES_H
#define EXPORTCTL_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exportctl/date.h>
#include <exportctl/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ectl_regime;

enum ectl_outcome {
    ECTL_NO_LICENCE_REQUIRED = 0,
    ECTL_LICENCE_REQUIRED = 1,
    ECTL_PROHIBITED = 2,
};

/* "no_licence_required", "licence_required", "prohibited". */
const char *ectl_outcome_name(enum ectl_outcome o);

/* ---- Life cycle ------------------------------------------------------- */

/* Load and compile the regime in directory dir (e.g. "data/regimes/jp").
 * On success *out owns a new regime with one reference.  countries_csv is
 * the ISO 3166-1 table (data/countries.csv) every country code is checked
 * against. */
int ectl_regime_load(const char *dir, const char *countries_csv, struct ectl_regime **out,
                     struct ectl_error *err) __attribute__((warn_unused_result));

/* Reference counting, so a server can swap in a reloaded regime while
 * requests still hold the old one.  Safe to call from any thread. */
struct ectl_regime *ectl_regime_ref(struct ectl_regime *r);
void ectl_regime_unref(struct ectl_regime *r);

/* ---- Identity --------------------------------------------------------- */

const char *ectl_regime_id(const struct ectl_regime *r);
const char *ectl_regime_name(const struct ectl_regime *r);
/* Latest effective date in the data plus a hash of the files, e.g.
 * "2023-07-21+5c1e0a9b3f2d7e61". */
const char *ectl_regime_data_version(const struct ectl_regime *r);
/* First day the data answers for; earlier dates are ECTL_ENODATA. */
ectl_date ectl_regime_covered_from(const struct ectl_regime *r);

/* Country name for an ISO alpha-2 code, or NULL when unknown. */
const char *ectl_regime_country_name(const struct ectl_regime *r, const char *cc);

/* ---- Determination ---------------------------------------------------- */

#define ECTL_MAX_REASONS 24
#define ECTL_MAX_OPTIONS 8

/* Why an answer is what it is: one dated, sourced fact. */
struct ectl_reason {
    const char *rule;   /* stable id, e.g. "jp-m-2019-07-04" or "set:B:KR" */
    const char *text;   /* one sentence for a person */
    ectl_date from;     /* validity of that fact, [from, to) */
    ectl_date to;
    const char *source; /* resolved citations, "; "-separated */
};

struct ectl_determination {
    const char *item;          /* the listed code that matched (the harmonised code when the
                                  query named it or a sub-paragraph of it); "none" if unlisted */
    const char *regime_item;   /* the regime-native code; "none" for unlisted */
    const char *description;   /* the entry's description */
    bool listed;               /* on the control list */
    enum ectl_outcome outcome;
    size_t n_options;
    const char *options[ECTL_MAX_OPTIONS]; /* licence kinds that can cover it */
    const char *decisive_rule; /* id of the rule that set the outcome */
    size_t n_reasons;
    struct ectl_reason reasons[ECTL_MAX_REASONS]; /* decisive rule first */
};

/* Answer one item to one destination on one date.  item is the native code,
 * the harmonised code (a sub-paragraph such as 3C002.a.2 resolves to the
 * nearest listed parent), or "none"/"EAR99" for unlisted goods.  country is
 * an ISO alpha-2 code (any case).  Thread-safe; does not allocate. */
int ectl_determine(const struct ectl_regime *r, const char *item, const char *country,
                   ectl_date date, bool end_use_concern, struct ectl_determination *out,
                   struct ectl_error *err) __attribute__((warn_unused_result));

/* Two answers are the same for impact purposes: same outcome and the same
 * set of licence options. */
bool ectl_determination_same(const struct ectl_determination *a,
                             const struct ectl_determination *b);

/* ---- Groups ----------------------------------------------------------- */

size_t ectl_regime_group_count(const struct ectl_regime *r);
const char *ectl_regime_group_id(const struct ectl_regime *r, size_t i);

/* Members of group i on date, in ascending code order.  Writes at most cap
 * codes (borrowed "KR"-style strings) to out and returns how many members
 * there are (which may exceed cap). */
size_t ectl_regime_group_members(const struct ectl_regime *r, size_t i, ectl_date date,
                                 const char **out, size_t cap);

/* ---- Changes between two dates ---------------------------------------- */

enum ectl_change_kind {
    ECTL_CHANGE_MEMBERSHIP,
    ECTL_CHANGE_MEASURE,
    ECTL_CHANGE_POLICY,
    ECTL_CHANGE_ITEM,
};
const char *ectl_change_kind_name(enum ectl_change_kind k);

struct ectl_change {
    enum ectl_change_kind kind;
    const char *subject; /* group/set id, rule id or item code */
    const char *country; /* for memberships (and country measures), else NULL */
    const char *change;  /* "added"/"removed" or "started"/"ended" */
    ectl_date date;
    const char *text;
    const char *source;
};

/* Every change effective on a day d with from < d <= to, ordered by date,
 * then kind, then subject.  Writes at most cap changes and returns how many
 * there are; call with cap 0 to size a buffer.  Fails (negative) only for
 * dates before coverage or from > to. */
int ectl_regime_diff(const struct ectl_regime *r, ectl_date from, ectl_date to,
                     struct ectl_change *out, size_t cap, struct ectl_error *err);

#ifdef __cplusplus
}
#endif
#endif
