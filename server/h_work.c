/*
 * POST /api/v1/determine and POST /api/v1/screen: the same questions as
 * `exportctl determine` and `exportctl screen`, answered with the same
 * JSON, rendered by the same library code (ectl_determine_json,
 * ectl_screen_json).  Each answer is audited with what was asked, and is
 * sent only once its entry is committed: srv_audit_answer() hands the
 * entry to the audit writer, which commits it with others in one
 * transaction (audit.c), and the answer goes out after that.
 */
#include <ctype.h>
#include <string.h>

#include "server.h"

static const struct ectl_regime *find_regime(struct req *r, const char *id)
{
    const struct ectl_serve_config *cfg = r->srv->cfg;
    for (size_t i = 0; i < cfg->n_regimes; i++)
        if (!strcmp(ectl_regime_id(cfg->regimes[i]), id))
            return cfg->regimes[i];
    return NULL;
}

static int unknown_regime(struct req *r, const char *id)
{
    const struct ectl_serve_config *cfg = r->srv->cfg;
    json_t *known = json_array();
    for (size_t i = 0; i < cfg->n_regimes; i++)
        json_array_append_new(known, json_string(ectl_regime_id(cfg->regimes[i])));
    char *list = json_dumps(known, JSON_COMPACT);
    return srv_error(r, 422, "unknown_regime", "regime: unknown regime '%s' (known: %s)", id,
                     list ? list : "?");
}

int h_determine(struct req *r)
{
    const char *regime = srv_body_str(r, "regime");
    const char *dest = srv_body_str(r, "destination");
    const char *date_s = srv_body_str(r, "date");
    bool concern = srv_body_bool(r, "end_use_concern", false);
    const json_t *items = json_object_get(r->json, "items");
    const struct ectl_regime *rg = find_regime(r, regime);
    if (!rg)
        return unknown_regime(r, regime);
    ectl_date date = ectl_date_today();
    if (date_s && ectl_date_parse_str(date_s, &date))
        return srv_error(r, 400, "invalid_request", "date: '%s' is not a date (YYYY-MM-DD)",
                         date_s);
    size_t n = json_array_size(items);
    const char **codes = srv_alloc(r, n * sizeof *codes);
    if (!codes)
        return -1;
    for (size_t i = 0; i < n; i++)
        codes[i] = json_string_value(json_array_get(items, i));
    struct srv_sink out = {.r = r};
    struct ectl_error err = {0};
    if (ectl_determine_json(rg, codes, n, dest, date, concern, 0, srv_sink_write, &out, &err))
        return srv_error_lib(r, &err);
    char ds[ECTL_DATE_BUFSZ];
    json_t *detail =
        json_pack("{s:s, s:O, s:s, s:s, s:b}", "regime", regime, "items", items, "destination",
                  dest, "date", ectl_date_format(date, ds), "end_use_concern", concern);
    if (!srv_audit_answer(r, "determine", "", detail))
        return srv_error(r, 500, "internal", "the answer could not be recorded (request %s)",
                         r->id);
    return srv_reply_raw(r, 200, out.p, out.len);
}

int h_screen(struct req *r)
{
    const struct ectl_index *idx = r->srv->cfg->index;
    if (!idx)
        return srv_error(r, 503, "no_index",
                         "no screening index is loaded (start the server with --index FILE)");
    struct ectl_screen_opts o = {0};
    const char *name = srv_body_str(r, "name");
    const json_t *v;
    if ((v = json_object_get(r->json, "threshold")))
        o.threshold = json_number_value(v);
    if ((v = json_object_get(r->json, "limit")))
        o.limit = (size_t)json_integer_value(v);
    const char *type = srv_body_str(r, "type");
    if (type && ectl_entity_type_parse(type, &o.type))
        return srv_error(r, 400, "invalid_request", "type: unknown type '%s'", type);
    const char *cc = srv_body_str(r, "country");
    if (cc && !(isalpha((unsigned char)cc[0]) && isalpha((unsigned char)cc[1])))
        return srv_error(r, 400, "invalid_request", "country: expected an ISO alpha-2 code");
    o.country = cc;
    struct srv_sink out = {.r = r};
    struct ectl_error err = {0};
    if (ectl_screen_json(idx, name, &o, 0, srv_sink_write, &out, &err))
        return srv_error_lib(r, &err);
    /* The audit entry records how many matches the answer had, so that a
     * reviewer can find the screenings that found something. */
    json_t *doc = json_loadb(out.p, out.len, 0, NULL);
    json_t *detail = json_pack("{s:s, s:f, s:I}", "name", name, "threshold",
                               o.threshold ? o.threshold : ECTL_SCREEN_DEFAULT_THRESHOLD, "matches",
                               (json_int_t)json_array_size(json_object_get(doc, "matches")));
    if (!srv_audit_answer(r, "screen", "", detail))
        return srv_error(r, 500, "internal", "the answer could not be recorded (request %s)",
                         r->id);
    return srv_reply_raw(r, 200, out.p, out.len);
}
