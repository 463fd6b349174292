/*
 * Shipment checks, and the JSON answers the CLI and the server share.
 *
 * A shipment is one order about to leave: a regime, a destination, a date,
 * its line items and its parties (see docs/product.md, "Shipment check"):
 *
 *   {"regime": "jp", "date": "2019-09-01", "destination": "KR",
 *    "end_use_concern": false,
 *    "items": [{"item": "3C002", "description": "...", "quantity": 100,
 *               "value": 25000, "currency": "JPY"}],
 *    "parties": [{"role": "buyer", "name": "...", "country": "KR"}]}
 *
 * Checking it determines every item (ectl_determine) and screens every
 * party (ectl_screen), then sets one verdict, most severe first:
 * prohibited (an item may not go), review (a party may be listed),
 * licence_required (an item needs a licence), else clear.
 *
 * The parser is strict, because a check is a legal record: an unknown
 * field, a wrong type, a missing required field or an out-of-range value is
 * refused with ECTL_EINVAL and a message naming the field
 * ("items[2].quantity: expected a number").  Codes (items, countries,
 * regimes) are checked when the shipment is run, against the loaded data.
 *
 * JSON output goes to a caller's write function, so that the CLI can write
 * to a stream and the server into its per-request memory, and nobody has to
 * free a string allocated by someone else.
 *
 * Thread safety: a struct ectl_check belongs to one thread at a time; the
 * regimes and the index it reads may be shared.  After a run, the check
 * points into them: keep them until the check is freed.
 */
#ifndef EXPORTCTL_CHECK_H
#define EXPORTCTL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include <exportctl/date.h>
#include <exportctl/error.h>
#include <exportctl/rules.h>
#include <exportctl/screen.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Receives consecutive pieces of a document; returns 0 to go on, anything
 * else to stop (the writer then fails with ECTL_EIO). */
typedef int (*ectl_write_fn)(void *ctx, const char *buf, size_t len);

enum ectl_json_flags {
    ECTL_JSON_PRETTY = 1 << 0, /* indented by two, as the CLI prints */
};

/* ---- Answers as JSON ---------------------------------------------------- */

/* The document of `exportctl determine --json`: regime, destination (upper
 * case), date, data_version, end_use_concern and one object per item, in
 * the order given.  Fails, writing nothing, on the first item that cannot
 * be answered (the error says which). */
int ectl_determine_json(const struct ectl_regime *r, const char *const *items, size_t n_items,
                        const char *country, ectl_date date, bool end_use_concern, unsigned flags,
                        ectl_write_fn write, void *ctx, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* The document of `exportctl screen --json NAME`: query, threshold and the
 * matches (scores rounded to four digits). */
int ectl_screen_json(const struct ectl_index *idx, const char *name,
                     const struct ectl_screen_opts *opts, unsigned flags, ectl_write_fn write,
                     void *ctx, struct ectl_error *err) __attribute__((warn_unused_result));

/* ---- Shipment checks ---------------------------------------------------- */

#define ECTL_CHECK_MAX_ITEMS 200
#define ECTL_CHECK_MAX_PARTIES 50
#define ECTL_CHECK_MAX_TEXT 1000 /* bytes in any string of a shipment */

/* In order of severity; a verdict is the most severe of its findings. */
enum ectl_verdict {
    ECTL_VERDICT_CLEAR = 0,
    ECTL_VERDICT_LICENCE_REQUIRED = 1,
    ECTL_VERDICT_REVIEW = 2,
    ECTL_VERDICT_PROHIBITED = 3,
};

/* "clear", "licence_required", "review", "prohibited". */
const char *ectl_verdict_name(enum ectl_verdict v);

/* What a check runs against.  regimes are looked up by ectl_regime_id();
 * index may be NULL, in which case a shipment with parties cannot be
 * checked (ECTL_ENODATA), since an unscreened party is not a clear one. */
struct ectl_check_env {
    struct ectl_regime *const *regimes;
    size_t n_regimes;
    const struct ectl_index *index;
    double threshold; /* 0: ECTL_SCREEN_DEFAULT_THRESHOLD */
};

struct ectl_check;

/* Parse and validate a shipment (len bytes of JSON).  On success *out owns
 * a new check, released with ectl_check_free(). */
int ectl_check_parse(const char *json, size_t len, struct ectl_check **out, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* The regime the shipment names (borrowed; valid until ectl_check_free). */
const char *ectl_check_regime(const struct ectl_check *c);

/* Determine every item and screen every party.  Fails on the first item
 * that cannot be answered (ECTL_EUNKNOWN_ITEM, ECTL_EUNKNOWN_COUNTRY,
 * ECTL_ENODATA ...), an unknown regime (ECTL_EUNKNOWN_REGIME) or parties
 * without an index (ECTL_ENODATA); the message names the line. */
int ectl_check_run(struct ectl_check *c, const struct ectl_check_env *env, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* After a successful run. */
enum ectl_verdict ectl_check_verdict(const struct ectl_check *c);

/* The result of a run as JSON:
 *   {"verdict": "review", "verdict_reasons": ["..."], "regime": "jp",
 *    "destination": "KR", "date": "2019-09-01", "data_version": "...",
 *    "end_use_concern": false, "screened_against": "<index build time>"|null,
 *    "items": [{"line": 1, "input": {...}, "determination": {...}}],
 *    "parties": [{"line": 1, "input": {...}, "may_be_listed": true,
 *                 "screening": {"query": ..., "threshold": ..., "matches": [...]}}]}
 * where a determination is an item object of ectl_determine_json() and a
 * screening the document of ectl_screen_json(). */
int ectl_check_write_result(const struct ectl_check *c, unsigned flags, ectl_write_fn write,
                            void *ctx, struct ectl_error *err) __attribute__((warn_unused_result));

/* The shipment as parsed, compact, for storing beside the result. */
int ectl_check_write_shipment(const struct ectl_check *c, ectl_write_fn write, void *ctx,
                              struct ectl_error *err) __attribute__((warn_unused_result));

void ectl_check_free(struct ectl_check *c);

#ifdef __cplusplus
}
#endif
#endif
