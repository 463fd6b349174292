/*
 * Shipment checks: parse and validate a shipment, determine every item,
 * screen every party, set the verdict.  The CLI (exportctl check) and the
 * server (POST /api/v1/checks) both call this file, so one shipment gets
 * one answer whichever way it is asked.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"

/* ---- the parsed shipment ------------------------------------------------ */

struct item {
    const char *code; /* borrowed from the parsed JSON */
    struct ectl_determination det;
};

struct party {
    const char *name;
    enum ectl_entity_type type;
    size_t n_matches;
    struct ectl_match *matches; /* malloc'd by run */
    double threshold;
};

struct ectl_check {
    json_t *root; /* the shipment as parsed; every borrowed string points into it */
    const char *regime_id;
    char destination[3];
    ectl_date date;
    bool end_use_concern;
    size_t n_items, n_parties;
    struct item *items;
    struct party *parties;
    /* After run: */
    bool ran;
    const struct ectl_regime *regime;
    const struct ectl_index *index;
    enum ectl_verdict verdict;
};

const char *ectl_verdict_name(enum ectl_verdict v)
{
    switch (v) {
    case ECTL_VERDICT_CLEAR:
        return "clear";
    case ECTL_VERDICT_LICENCE_REQUIRED:
        return "licence_required";
    case ECTL_VERDICT_REVIEW:
        return "review";
    case ECTL_VERDICT_PROHIBITED:
        return "prohibited";
    }
    return "?";
}

/* ---- validation --------------------------------------------------------- */

/* One table per object kind: the fields a shipment may have, so that an
 * unknown field is refused instead of silently ignored (a typo such as
 * "end_use_concren" would otherwise change the answer). */
enum ftype { T_STRING, T_BOOL, T_NUMBER, T_ARRAY };
struct field {
    const char *name;
    enum ftype type;
    bool required;
};

static const struct field shipment_fields[] = {
    {"regime", T_STRING, true},         {"date", T_STRING, false}, {"destination", T_STRING, true},
    {"end_use_concern", T_BOOL, false}, {"items", T_ARRAY, true},  {"parties", T_ARRAY, false},
};
static const struct field item_fields[] = {
    {"item", T_STRING, true},   {"description", T_STRING, false}, {"quantity", T_NUMBER, false},
    {"value", T_NUMBER, false}, {"currency", T_STRING, false},
};
static const struct field party_fields[] = {
    {"role", T_STRING, true},
    {"name", T_STRING, true},
    {"country", T_STRING, false},
    {"type", T_STRING, false},
};

static const char *type_text(enum ftype t)
{
    switch (t) {
    case T_STRING:
        return "a string";
    case T_BOOL:
        return "true or false";
    case T_NUMBER:
        return "a number";
    case T_ARRAY:
        return "an array";
    }
    return "?";
}

static bool type_ok(const json_t *v, enum ftype t)
{
    switch (t) {
    case T_STRING:
        return json_is_string(v);
    case T_BOOL:
        return json_is_boolean(v);
    case T_NUMBER:
        return json_is_number(v);
    case T_ARRAY:
        return json_is_array(v);
    }
    return false;
}

static int check_object(const json_t *o, const char *path, const struct field *f, size_t n,
                        struct ectl_error *err)
{
    if (!json_is_object(o))
        return ectl_error_set(err, ECTL_EINVAL, "%s: expected an object", path);
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        size_t i = 0;
        while (i < n && strcmp(f[i].name, key))
            i++;
        if (i == n)
            return ectl_error_set(err, ECTL_EINVAL, "%s%s%.64s: unknown field", path,
                                  *path ? "." : "", key);
        if (!type_ok(v, f[i].type))
            return ectl_error_set(err, ECTL_EINVAL, "%s%s%s: expected %s", path, *path ? "." : "",
                                  key, type_text(f[i].type));
        if (json_is_string(v) && json_string_length(v) > ECTL_CHECK_MAX_TEXT)
            return ectl_error_set(err, ECTL_EINVAL, "%s%s%s: longer than %d bytes", path,
                                  *path ? "." : "", key, ECTL_CHECK_MAX_TEXT);
    }
    for (size_t i = 0; i < n; i++)
        if (f[i].required && !json_object_get(o, f[i].name))
            return ectl_error_set(err, ECTL_EINVAL, "%s%s%s: required", path, *path ? "." : "",
                                  f[i].name);
    return 0;
}

static const char *str_field(const json_t *o, const char *name)
{
    return json_string_value(json_object_get(o, name));
}

static bool is_alpha2(const char *s)
{
    return s && strlen(s) == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]);
}

static bool is_currency(const char *s)
{
    return s && strlen(s) == 3 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
           isupper((unsigned char)s[2]);
}

static bool has_text(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

static int parse_item(struct ectl_check *c, size_t i, const json_t *o, struct ectl_error *err)
{
    char path[32];
    snprintf(path, sizeof path, "items[%zu]", i);
    int rc = check_object(o, path, item_fields, sizeof item_fields / sizeof *item_fields, err);
    if (rc)
        return rc;
    const char *code = str_field(o, "item");
    if (!has_text(code) || strlen(code) > 64)
        return ectl_error_set(err, ECTL_EINVAL, "%s.item: expected a control-list code", path);
    static const char *const nums[] = {"quantity", "value"};
    for (size_t k = 0; k < 2; k++) {
        const json_t *v = json_object_get(o, nums[k]);
        if (v && !(json_number_value(v) >= 0 && json_number_value(v) <= 1e15))
            return ectl_error_set(err, ECTL_EINVAL, "%s.%s: must be 0 or more", path, nums[k]);
    }
    const char *cur = str_field(o, "currency");
    if (cur && !is_currency(cur))
        return ectl_error_set(err, ECTL_EINVAL,
                              "%s.currency: expected an ISO 4217 code such as JPY", path);
    c->items[i].code = code;
    return 0;
}

static int parse_party(struct ectl_check *c, size_t i, const json_t *o, struct ectl_error *err)
{
    char path[32];
    snprintf(path, sizeof path, "parties[%zu]", i);
    int rc = check_object(o, path, party_fields, sizeof party_fields / sizeof *party_fields, err);
    if (rc)
        return rc;
    const char *role = str_field(o, "role");
    if (strcmp(role, "buyer") && strcmp(role, "consignee") && strcmp(role, "end_user"))
        return ectl_error_set(err, ECTL_EINVAL, "%s.role: expected buyer, consignee or end_user",
                              path);
    const char *name = str_field(o, "name");
    if (!has_text(name))
        return ectl_error_set(err, ECTL_EINVAL, "%s.name: must not be empty", path);
    const char *cc = str_field(o, "country");
    if (cc && !is_alpha2(cc))
        return ectl_error_set(err, ECTL_EINVAL, "%s.country: expected an ISO alpha-2 code", path);
    const char *type = str_field(o, "type");
    c->parties[i].type = ECTL_TYPE_UNKNOWN;
    if (type && ectl_entity_type_parse(type, &c->parties[i].type))
        return ectl_error_set(err, ECTL_EINVAL,
                              "%s.type: expected person, entity, vessel or aircraft", path);
    c->parties[i].name = name;
    return 0;
}

static int parse_root(struct ectl_check *c, struct ectl_error *err)
{
    const json_t *root = c->root;
    int rc = check_object(root, "", shipment_fields,
                          sizeof shipment_fields / sizeof *shipment_fields, err);
    if (rc)
        return rc;
    c->regime_id = str_field(root, "regime");
    if (!has_text(c->regime_id) || strlen(c->regime_id) > 32)
        return ectl_error_set(err, ECTL_EINVAL, "regime: expected a regime id such as jp");
    const char *dest = str_field(root, "destination");
    if (!is_alpha2(dest))
        return ectl_error_set(err, ECTL_EINVAL, "destination: expected an ISO alpha-2 code");
    c->destination[0] = (char)toupper((unsigned char)dest[0]);
    c->destination[1] = (char)toupper((unsigned char)dest[1]);
    const char *date = str_field(root, "date");
    c->date = ectl_date_today();
    if (date && ectl_date_parse_str(date, &c->date))
        return ectl_error_set(err, ECTL_EINVAL, "date: '%.32s' is not a date (YYYY-MM-DD)", date);
    c->end_use_concern = json_is_true(json_object_get(root, "end_use_concern"));

    const json_t *items = json_object_get(root, "items");
    const json_t *parties = json_object_get(root, "parties");
    c->n_items = json_array_size(items);
    c->n_parties = json_array_size(parties);
    if (c->n_items == 0 || c->n_items > ECTL_CHECK_MAX_ITEMS)
        return ectl_error_set(err, ECTL_EINVAL, "items: expected 1 to %d items",
                              ECTL_CHECK_MAX_ITEMS);
    if (c->n_parties > ECTL_CHECK_MAX_PARTIES)
        return ectl_error_set(err, ECTL_EINVAL, "parties: at most %d parties",
                              ECTL_CHECK_MAX_PARTIES);
    c->items = calloc(c->n_items, sizeof *c->items);
    c->parties = calloc(c->n_parties + 1, sizeof *c->parties);
    if (!c->items || !c->parties)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->n_items; i++)
        if ((rc = parse_item(c, i, json_array_get(items, i), err)))
            return rc;
    for (size_t i = 0; i < c->n_parties; i++)
        if ((rc = parse_party(c, i, json_array_get(parties, i), err)))
            return rc;
    return 0;
}

int ectl_check_parse(const char *json, size_t len, struct ectl_check **out, struct ectl_error *err)
{
    *out = NULL;
    struct ectl_check *c = calloc(1, sizeof *c);
    if (!c)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    json_error_t je;
    /* Duplicate keys are refused: which of two "destination"s counts
     * would otherwise depend on the parser. */
    c->root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!c->root) {
        ectl_check_free(c);
        return ectl_error_set(err, ECTL_EPARSE, "malformed JSON at line %d, column %d: %s", je.line,
                              je.column, je.text);
    }
    int rc = parse_root(c, err);
    if (rc) {
        ectl_check_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void ectl_check_free(struct ectl_check *c)
{
    if (!c)
        return;
    for (size_t i = 0; c->parties && i < c->n_parties; i++)
        free(c->parties[i].matches);
    free(c->items);
    free(c->parties);
    json_decref(c->root);
    free(c);
}

/* ---- running ------------------------------------------------------------ */

int ectl_check_run(struct ectl_check *c, const struct ectl_check_env *env, struct ectl_error *err)
{
    if (!c || !env)
        return ectl_error_set(err, ECTL_EINVAL, "ectl_check_run: missing argument");
    c->ran = false;
    c->regime = NULL;
    for (size_t i = 0; i < env->n_regimes; i++)
        if (env->regimes[i] && !strcmp(ectl_regime_id(env->regimes[i]), c->regime_id))
            c->regime = env->regimes[i];
    if (!c->regime) {
        char known[256] = "";
        for (size_t i = 0; i < env->n_regimes; i++)
            if (env->regimes[i] && strlen(known) + 40 < sizeof known)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                         *known ? ", " : "", ectl_regime_id(env->regimes[i]));
        return ectl_error_set(err, ECTL_EUNKNOWN_REGIME, "regime: unknown regime '%s' (known: %s)",
                              c->regime_id, *known ? known : "none");
    }
    if (c->n_parties && !env->index)
        return ectl_error_set(err, ECTL_ENODATA,
                              "the shipment names parties but no screening index is loaded");
    enum ectl_verdict v = ECTL_VERDICT_CLEAR;
    for (size_t i = 0; i < c->n_items; i++) {
        struct item *it = &c->items[i];
        int rc = ectl_determine(c->regime, it->code, c->destination, c->date, c->end_use_concern,
                                &it->det, err);
        if (rc) {
            char where[96];
            snprintf(where, sizeof where, "items[%zu] (%.64s)", i, it->code);
            return ectl_error_prefix(err, where);
        }
        if (it->det.outcome == ECTL_PROHIBITED)
            v = ECTL_VERDICT_PROHIBITED;
        else if (it->det.outcome == ECTL_LICENCE_REQUIRED && v < ECTL_VERDICT_LICENCE_REQUIRED)
            v = ECTL_VERDICT_LICENCE_REQUIRED;
    }
    for (size_t i = 0; i < c->n_parties; i++) {
        struct party *p = &c->parties[i];
        free(p->matches);
        p->matches = calloc(ECTL_SCREEN_DEFAULT_LIMIT, sizeof *p->matches);
        if (!p->matches)
            return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
        /* No country filter: a listed front company is often registered
         * somewhere other than where the goods go, and an entity whose
         * listing names another country is still the same entity. */
        struct ectl_screen_opts o = {.threshold = env->threshold, .type = p->type};
        p->threshold = env->threshold ? env->threshold : ECTL_SCREEN_DEFAULT_THRESHOLD;
        int rc = ectl_screen(env->index, p->name, &o, p->matches, ECTL_SCREEN_DEFAULT_LIMIT,
                             &p->n_matches, err);
        if (rc) {
            char where[48];
            snprintf(where, sizeof where, "parties[%zu]", i);
            return ectl_error_prefix(err, where);
        }
        if (p->n_matches && v < ECTL_VERDICT_REVIEW)
            v = ECTL_VERDICT_REVIEW;
    }
    c->index = env->index;
    c->verdict = v;
    c->ran = true;
    return 0;
}

const char *ectl_check_regime(const struct ectl_check *c)
{
    return c->regime_id;
}

enum ectl_verdict ectl_check_verdict(const struct ectl_check *c)
{
    return c->verdict;
}

/* ---- output ------------------------------------------------------------- */

/* One sentence per finding that raised the verdict above clear, most
 * severe first, so a reader sees at once why a shipment is held. */
static json_t *verdict_reasons(const struct ectl_check *c)
{
    json_t *arr = json_array();
    for (int pass = ECTL_PROHIBITED; pass >= ECTL_LICENCE_REQUIRED; pass--) {
        for (size_t i = 0; i < c->n_items; i++) {
            const struct ectl_determination *d = &c->items[i].det;
            if ((int)d->outcome != pass)
                continue;
            json_array_append_new(arr, json_sprintf("item %zu (%s): %s under %s", i + 1,
                                                    c->items[i].code, ectl_outcome_name(d->outcome),
                                                    d->decisive_rule));
        }
        if (pass != ECTL_PROHIBITED)
            continue;
        for (size_t i = 0; i < c->n_parties; i++) {
            const struct party *p = &c->parties[i];
            if (!p->n_matches)
                continue;
            json_array_append_new(arr,
                                  json_sprintf("party %zu (%s) may be listed: %s %s "
                                               "\"%s\" scores %.2f",
                                               i + 1, p->name, p->matches[0].list, p->matches[0].id,
                                               p->matches[0].name, p->matches[0].score));
        }
    }
    return arr;
}

int ectl_check_write_result(const struct ectl_check *c, unsigned flags, ectl_write_fn write,
                            void *ctx, struct ectl_error *err)
{
    if (!c || !c->ran || !write)
        return ectl_error_set(err, ECTL_EINVAL, "ectl_check_write_result: the check has not run");
    const json_t *items_in = json_object_get(c->root, "items");
    const json_t *parties_in = json_object_get(c->root, "parties");
    json_t *items = json_array(), *parties = json_array();
    for (size_t i = 0; i < c->n_items; i++)
        json_array_append_new(
            items, json_pack("{s:I, s:O, s:o}", "line", (json_int_t)i + 1, "input",
                             json_array_get(items_in, i), "determination",
                             ectl__json_determination(c->items[i].code, &c->items[i].det)));
    for (size_t i = 0; i < c->n_parties; i++) {
        const struct party *p = &c->parties[i];
        json_array_append_new(
            parties,
            json_pack("{s:I, s:O, s:b, s:o}", "line", (json_int_t)i + 1, "input",
                      json_array_get(parties_in, i), "may_be_listed", p->n_matches > 0, "screening",
                      ectl__json_screening(p->name, p->threshold, p->matches, p->n_matches)));
    }
    char ds[ECTL_DATE_BUFSZ];
    json_t *doc = json_pack(
        "{s:s, s:o, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "verdict",
        ectl_verdict_name(c->verdict), "verdict_reasons", verdict_reasons(c), "regime",
        c->regime_id, "destination", c->destination, "date", ectl_date_format(c->date, ds),
        "data_version", ectl_regime_data_version(c->regime), "end_use_concern", c->end_use_concern,
        "screened_against",
        c->index && c->n_parties ? json_string(ectl_index_built_at(c->index)) : json_null(),
        "items", items, "parties", parties);
    size_t jf = (flags & ECTL_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) |
                JSON_REAL_PRECISION(ECTL__CHECK_PRECISION);
    int rc = ectl__json_write(doc, jf, write, ctx, err);
    json_decref(doc);
    return rc;
}

int ectl_check_write_shipment(const struct ectl_check *c, ectl_write_fn write, void *ctx,
                              struct ectl_error *err)
{
    if (!c || !write)
        return ectl_error_set(err, ECTL_EINVAL, "ectl_check_write_shipment: missing argument");
    return ectl__json_write(c->root, JSON_COMPACT | JSON_REAL_PRECISION(ECTL__CHECK_PRECISION),
                            write, ctx, err);
}
