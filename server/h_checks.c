/*
 * Shipment checks: POST /api/v1/checks, GET /api/v1/checks/{id},
 * GET /api/v1/checks.
 *
 * A check is answered only once it is stored: the record is committed
 * before the 201 goes out, so a client that got its 201 can count on the
 * record surviving a crash of the server the next instant.  POST and GET
 * answer with the same document: the stored result (the shape of
 * `exportctl check --json`) plus id, created_at, created_by and the
 * shipment as stored.
 */
#include <string.h>

#include "server.h"

static void check_free(void *c)
{
    ectl_check_free(c);
}

static void row_release(void *c)
{
    ectl_check_row_release(c);
}

static int reply_check(struct req *r, unsigned status, const struct ectl_check_row *row)
{
    json_t *doc = json_loads(row->result_json, 0, NULL);
    json_t *shipment = json_loads(row->request_json, 0, NULL);
    if (!json_is_object(doc) || !shipment) {
        srv_log("check %lld: the stored record is not JSON", (long long)row->id);
        return srv_error(r, 500, "internal", "check %lld cannot be read (request %s)",
                         (long long)row->id, r->id);
    }
    struct ectl_user u;
    struct ectl_error err = {0};
    const char *by = NULL;
    if (ectl_store_user_get(srv_store(r), row->user_id, &u, &err) == 0) {
        struct ectl_user kept;
        srv_user_keep(r, &kept, &u);
        by = kept.name;
    }
    json_object_set_new(doc, "id", json_integer(row->id));
    json_object_set_new(doc, "created_at", srv_json_time(row->created_at));
    json_object_set_new(doc, "created_by", by ? json_string(by) : json_null());
    json_object_set_new(doc, "shipment", shipment);
    return srv_reply_json(r, status, doc);
}

int h_check_create(struct req *r)
{
    const struct ectl_serve_config *cfg = r->srv->cfg;
    struct ectl_check *c;
    struct ectl_error err = {0};
    if (ectl_check_parse(r->body, r->body_len, &c, &err))
        return srv_error_lib(r, &err);
    srv_defer(r, check_free, c);
    struct ectl_check_env env = {cfg->regimes, cfg->n_regimes, cfg->index, 0};
    if (ectl_check_run(c, &env, &err)) {
        if (err.code == ECTL_ENODATA && !cfg->index)
            return srv_error(r, 503, "no_index", "%s (start the server with --index FILE)",
                             err.msg);
        return srv_error_lib(r, &err);
    }
    struct srv_sink result = {.r = r}, shipment = {.r = r};
    if (ectl_check_write_result(c, 0, srv_sink_write, &result, &err) ||
        ectl_check_write_shipment(c, srv_sink_write, &shipment, &err))
        return srv_error_lib(r, &err);
    const char *verdict = ectl_verdict_name(ectl_check_verdict(c));
    int64_t id = 0;
    /* The record and its audit entry commit together: a crash leaves
     * either both or neither, never a check nobody can account for. */
    struct ectl_store *st = srv_store(r);
    if (srv_begin(r, &err))
        return srv_error_lib(r, &err);
    int rc = ectl_store_check_add(st, r->user.id, r->now, verdict, shipment.p, result.p, &id, &err);
    if (srv_end(r, rc, "check.create", srv_printf(r, "check:%lld", (long long)id),
                json_pack("{s:s}", "verdict", verdict), &err))
        return srv_error_lib(r, &err);
    srv_header(r, "Location", srv_printf(r, "/api/v1/checks/%lld", (long long)id));
    struct ectl_check_row row = {.id = id,
                                 .user_id = r->user.id,
                                 .created_at = r->now,
                                 .request_json = shipment.p,
                                 .result_json = result.p};
    return reply_check(r, 201, &row);
}

int h_check_get(struct req *r)
{
    struct ectl_check_row *row = srv_alloc(r, sizeof *row);
    struct ectl_error err = {0};
    if (!row)
        return -1;
    int rc = ectl_store_check_get(srv_store(r), r->path_id, row, &err);
    if (rc == ECTL_ENOENT)
        return srv_error(r, 404, "not_found", "no check %lld", (long long)r->path_id);
    if (rc)
        return srv_error_lib(r, &err);
    srv_defer(r, row_release, row);
    return reply_check(r, 200, row);
}

struct list_ctx {
    json_t *arr;
    int64_t last;
};

static int list_one(void *ctx, const struct ectl_check_row *c)
{
    struct list_ctx *l = ctx;
    json_array_append_new(l->arr, json_pack("{s:I, s:o, s:I, s:s}", "id", (json_int_t)c->id,
                                            "created_at", srv_json_time(c->created_at), "user_id",
                                            (json_int_t)c->user_id, "verdict", c->verdict));
    l->last = c->id;
    return 0;
}

int h_check_list(struct req *r)
{
    int64_t limit = srv_query_int(r, "limit", 20);
    int64_t before = srv_query_int(r, "before", 0);
    struct list_ctx l = {json_array(), 0};
    struct ectl_error err = {0};
    if (ectl_store_check_list(srv_store(r), before, (size_t)limit, list_one, &l, &err))
        return srv_error_lib(r, &err);
    /* A full page may have a next one; a short page is the last. */
    json_t *next =
        (int64_t)json_array_size(l.arr) == limit && l.last > 1 ? json_integer(l.last) : json_null();
    return srv_reply_json(r, 200, json_pack("{s:o, s:o}", "checks", l.arr, "next_before", next));
}
