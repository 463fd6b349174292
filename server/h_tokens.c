/*
 * Bearer API tokens for machine clients: POST /api/v1/tokens,
 * GET /api/v1/tokens, DELETE /api/v1/tokens/{id}.
 *
 * A token acts as its user, with the user's role; it is shown once, when it
 * is made, and the store keeps only its hash.  Anyone signed in makes and
 * revokes their own tokens; an admin also those of other users (naming the
 * user), e.g. to give a service account its token or to cut off a leaked one.
 */
#include <string.h>

#include "server.h"

/* The user a token request is about: the caller, or (admins only) the
 * named user.  0, or the request has been answered. */
static int target_user(struct req *r, const char *name, struct ectl_user *out)
{
    if (!name || !strcmp(name, r->user.name)) {
        *out = r->user;
        return 0;
    }
    if (r->user.role < ECTL_ROLE_ADMIN)
        return srv_error(r, 403, "forbidden", "only an admin manages other users' tokens") + 1;
    struct ectl_user u;
    struct ectl_error err = {0};
    int rc = ectl_store_user_get_by_name(srv_store(r), name, &u, &err);
    if (rc == ECTL_ENOENT)
        return srv_error(r, 404, "not_found", "no user '%s'", name) + 1;
    if (rc)
        return srv_error_lib(r, &err) + 1;
    srv_user_keep(r, out, &u);
    return 0;
}

int h_token_create(struct req *r)
{
    const char *label = srv_body_str(r, "label");
    struct ectl_user u;
    if (target_user(r, srv_body_str(r, "user"), &u))
        return 0;
    if (u.disabled)
        return srv_error(r, 409, "conflict", "user '%s' is disabled", u.name);
    char token[ECTL_TOKEN_TEXT_LEN + 1];
    uint8_t hash[32];
    ectl_token_new(token, hash);
    int64_t id;
    struct ectl_error err = {0};
    if (ectl_store_token_add(srv_store(r), hash, u.id, label, &id, &err))
        return srv_error_lib(r, &err);
    srv_audit(r, "token.create", srv_printf(r, "token:%lld", (long long)id),
              json_pack("{s:s, s:s}", "user", u.name, "label", label));
    srv_header(r, "Location", srv_printf(r, "/api/v1/tokens/%lld", (long long)id));
    return srv_reply_json(r, 201,
                          json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)id, "token",
                                    token, "label", label, "user", u.name, "created_at",
                                    srv_json_time(r->now)));
}

int h_token_revoke(struct req *r)
{
    struct ectl_user u;
    if (target_user(r, srv_query(r, "user"), &u))
        return 0;
    struct ectl_error err = {0};
    int rc = ectl_store_token_revoke(srv_store(r), r->path_id, u.id, r->now, &err);
    if (rc == ECTL_ENOENT)
        return srv_error(r, 404, "not_found", "user '%s' has no active token %lld", u.name,
                         (long long)r->path_id);
    if (rc)
        return srv_error_lib(r, &err);
    srv_auth_forget(r->srv); /* refused from the next request on, not after the cache's TTL */
    srv_audit(r, "token.revoke", srv_printf(r, "token:%lld", (long long)r->path_id),
              json_pack("{s:s}", "user", u.name));
    return srv_reply_empty(r, 204);
}

struct list_ctx {
    json_t *arr;
};

static int list_one(void *ctx, const struct ectl_api_token *t)
{
    struct list_ctx *l = ctx;
    json_array_append_new(l->arr, json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)t->id,
                                            "label", t->label ? t->label : "", "created_at",
                                            srv_json_time(t->created_at), "revoked_at",
                                            srv_json_time(t->revoked_at)));
    return 0;
}

int h_token_list(struct req *r)
{
    struct ectl_user u;
    if (target_user(r, srv_query(r, "user"), &u))
        return 0;
    struct list_ctx l = {json_array()};
    struct ectl_error err = {0};
    if (ectl_store_token_list(srv_store(r), u.id, list_one, &l, &err))
        return srv_error_lib(r, &err);
    return srv_reply_json(r, 200, json_pack("{s:s, s:o}", "user", u.name, "tokens", l.arr));
}
