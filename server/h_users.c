/*
 * Users (admin): GET /api/v1/users, POST /api/v1/users,
 * PATCH /api/v1/users/{id}.
 *
 * A PATCH disables or enables a user, changes their role or sets their
 * password. Disabling and a new password end the user's sessions, since
 * whoever held them may be the reason for the change; a new role does not
 * need to, as the role is read afresh on every request.
 */
#include <string.h>

#include "server.h"

struct list_ctx {
    struct req *r;
    json_t *arr;
};

static int one(void *ctx, const struct ectl_user *u)
{
    struct list_ctx *l = ctx;
    json_array_append_new(l->arr, srv_user_json(u));
    return 0;
}

int h_user_list(struct req *r)
{
    struct list_ctx l = {r, json_array()};
    struct ectl_error err = {0};
    if (ectl_store_user_list(srv_store(r), one, &l, &err))
        return srv_error_lib(r, &err);
    return srv_reply_json(r, 200, json_pack("{s:o}", "users", l.arr));
}

int h_user_create(struct req *r)
{
    const char *name = srv_body_str(r, "name");
    const char *email = srv_body_str(r, "email");
    const char *password = srv_body_str(r, "password");
    enum ectl_role role;
    struct ectl_error err = {0};
    /* The store's own rules, before the slow password hash. */
    if (ectl_store_user_check(name, email, &err))
        return srv_error(r, 400, "invalid_request", "%s", err.msg);
    if (ectl_role_parse(srv_body_str(r, "role"), &role))
        return srv_error(r, 400, "invalid_request", "role: expected viewer, officer or admin");
    if (ectl_password_check_policy(password, &err))
        return srv_error(r, 400, "weak_password", "password: %s", err.msg);
    char hash[ECTL_PWHASH_MAX];
    if (ectl_password_hash(password, hash, &err))
        return srv_error_lib(r, &err);
    int64_t id = 0;
    struct ectl_store *st = srv_store(r);
    /* The change and its audit entry commit together or not at all. */
    if (srv_begin(r, &err))
        return srv_error_lib(r, &err);
    int rc = ectl_store_user_add(st, name, email, role, hash, &id, &err);
    rc = srv_end(
        r, rc, "user.create", srv_printf(r, "user:%lld", (long long)id),
        json_pack("{s:s, s:s, s:s}", "name", name, "email", email, "role", ectl_role_name(role)),
        &err);
    if (rc == ECTL_EEXISTS)
        return srv_error(r, 409, "conflict", "the user name or e-mail address is taken");
    if (rc)
        return srv_error_lib(r, &err);
    struct ectl_user u, kept;
    if (ectl_store_user_get(st, id, &u, &err))
        return srv_error_lib(r, &err);
    srv_user_keep(r, &kept, &u);
    srv_header(r, "Location", srv_printf(r, "/api/v1/users/%lld", (long long)id));
    return srv_reply_json(r, 201, srv_user_json(&kept));
}

int h_user_update(struct req *r)
{
    const json_t *disabled = json_object_get(r->json, "disabled");
    const char *password = srv_body_str(r, "password");
    const char *role_name = srv_body_str(r, "role");
    enum ectl_role role = ECTL_ROLE_VIEWER;
    struct ectl_error err = {0};
    struct ectl_store *st = srv_store(r);
    if (!disabled && !password && !role_name)
        return srv_error(r, 400, "invalid_request", "give disabled, role, password or a mix");
    if (role_name && ectl_role_parse(role_name, &role))
        return srv_error(r, 400, "invalid_request", "role: expected viewer, officer or admin");
    /* Refusing both keeps at least one admin able to sign in: the last admin
     * can lock nobody out, and any other admin can still be changed by them. */
    if (disabled && json_is_true(disabled) && r->path_id == r->user.id)
        return srv_error(r, 409, "conflict", "an admin cannot disable themselves");
    if (role_name && role != ECTL_ROLE_ADMIN && r->path_id == r->user.id)
        return srv_error(r, 409, "conflict", "an admin cannot take away their own admin role");
    struct ectl_user u, kept;
    int rc = ectl_store_user_get(st, r->path_id, &u, &err);
    if (rc == ECTL_ENOENT)
        return srv_error(r, 404, "not_found", "no user %lld", (long long)r->path_id);
    if (rc)
        return srv_error_lib(r, &err);
    srv_user_keep(r, &kept, &u);
    char hash[ECTL_PWHASH_MAX];
    if (password && (ectl_password_check_policy(password, &err)))
        return srv_error(r, 400, "weak_password", "password: %s", err.msg);
    if (password && ectl_password_hash(password, hash, &err))
        return srv_error_lib(r, &err);
    json_t *detail = json_object();
    if (disabled)
        json_object_set_new(detail, "disabled", json_boolean(json_is_true(disabled)));
    if (role_name) {
        json_object_set_new(detail, "role", json_string(ectl_role_name(role)));
        json_object_set_new(detail, "previous_role", json_string(ectl_role_name(kept.role)));
    }
    if (password)
        json_object_set_new(detail, "password", json_string("changed"));
    /* The hash above is slow; the write lock is taken only after it. */
    if (srv_begin(r, &err))
        return srv_error_lib(r, &err);
    rc = 0;
    if (disabled)
        rc = ectl_store_user_set_disabled(st, kept.id, json_is_true(disabled), &err);
    if (rc == 0 && role_name)
        rc = ectl_store_user_set_role(st, kept.id, role, &err);
    if (rc == 0 && password)
        rc = ectl_store_user_set_password(st, kept.id, hash, &err);
    /* Sessions end; the admin's own stays when they change their own password. */
    if (rc == 0 && (password || json_is_true(disabled)))
        rc = ectl_store_session_delete_user(
            st, kept.id, kept.id == r->user.id && r->via == VIA_SESSION ? r->session.id : 0, &err);
    if (srv_end(r, rc, "user.update", srv_printf(r, "user:%lld", (long long)kept.id), detail, &err))
        return srv_error_lib(r, &err);
    /* A disabled user's tokens are refused, and a new role applies, from the
     * next request on: the token cache must not serve the old user. */
    srv_auth_forget(r->srv);
    if (ectl_store_user_get(st, kept.id, &u, &err))
        return srv_error_lib(r, &err);
    srv_user_keep(r, &kept, &u);
    return srv_reply_json(r, 200, srv_user_json(&kept));
}
