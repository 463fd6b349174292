/*
 * GET /api/v1/audit (admin): the hash-chained audit log, newest first,
 * filtered by actor, action prefix and time, in pages.  Each entry carries
 * its hashes so that an outside reviewer can re-check the chain.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server.h"

struct audit_ctx {
    json_t *arr;
    int64_t last;
};

static int one(void *ctx, const struct ectl_audit_entry *e)
{
    struct audit_ctx *a = ctx;
    char h[65], ph[65];
    ectl_hex(e->hash, sizeof e->hash, h);
    ectl_hex(e->prev_hash, sizeof e->prev_hash, ph);
    json_t *detail = json_loads(e->detail_json ? e->detail_json : "{}", 0, NULL);
    json_array_append_new(
        a->arr,
        json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "seq", (json_int_t)e->seq, "at",
                  srv_json_time(e->at), "actor", e->actor ? e->actor : "", "action",
                  e->action ? e->action : "", "subject", e->subject ? e->subject : "", "request_id",
                  e->request_id ? e->request_id : "", "detail",
                  detail ? detail : json_string(e->detail_json ? e->detail_json : ""), "hash", h,
                  "prev_hash", ph));
    a->last = e->seq;
    return 0;
}

/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" as seconds since the epoch. */
static bool parse_since(const char *s, ectl_time *out)
{
    struct tm tm = {0};
    const char *end = strptime(s, "%Y-%m-%d", &tm);
    if (end && *end == 'T')
        end = strptime(end, "T%H:%M:%SZ", &tm);
    if (!end || *end)
        return false;
    *out = (ectl_time)timegm(&tm);
    return true;
}

int h_audit_list(struct req *r)
{
    struct ectl_audit_filter f = {0};
    f.limit = (size_t)srv_query_int(r, "limit", 50);
    f.before_seq = srv_query_int(r, "before", 0);
    f.actor = srv_query(r, "actor");
    f.action = srv_query(r, "action");
    const char *since = srv_query(r, "since");
    if (since && !parse_since(since, &f.since))
        return srv_error(r, 400, "invalid_request",
                         "since: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    struct audit_ctx a = {json_array(), 0};
    struct ectl_error err = {0};
    if (ectl_store_audit_list(srv_store(r), &f, one, &a, &err))
        return srv_error_lib(r, &err);
    json_t *next =
        json_array_size(a.arr) == f.limit && a.last > 1 ? json_integer(a.last) : json_null();
    return srv_reply_json(r, 200, json_pack("{s:o, s:o}", "entries", a.arr, "next_before", next));
}
