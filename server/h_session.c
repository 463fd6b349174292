/*
 * POST /api/v1/session (sign in), DELETE /api/v1/session (sign out),
 * GET /api/v1/me.
 *
 * A failed sign-in says only "wrong user name or password", takes as long
 * for an unknown user as for a known one (the password is checked against
 * a dummy hash), and counts against both the account and the client
 * address; past the limits every attempt is answered 429 with Retry-After
 * before any password is looked at.
 */
#include <string.h>
#include <sys/random.h>

#include "server.h"

static json_t *session_json(struct req *r, const struct ectl_session *s)
{
    return json_pack("{s:b, s:o, s:o, s:I}", "persistent", s->persistent, "created_at",
                     srv_json_time(s->created_at), "expires_at", srv_json_time(s->expires_at),
                     "idle_timeout", (json_int_t)(s->persistent ? 0 : r->srv->cfg->session_idle));
}

static int refuse(struct req *r, const char *username, const char *why)
{
    struct ectl_error err = {0};
    struct ectl_store *st = srv_store(r);
    ectl_store_failure_add(st, srv_printf(r, "user:%s", username), r->now, &err);
    ectl_store_failure_add(st, srv_printf(r, "addr:%s", r->addr), r->now, &err);
    srv_audit(r, "session.fail", srv_printf(r, "user:%s", username),
              json_pack("{s:s}", "reason", why));
    return srv_error(r, 401, "invalid_credentials", "wrong user name or password");
}

int h_session_create(struct req *r)
{
    const struct ectl_serve_config *cfg = r->srv->cfg;
    const char *username = srv_body_str(r, "username");
    const char *password = srv_body_str(r, "password");
    bool remember = srv_body_bool(r, "remember", false);
    const char *user_key = srv_printf(r, "user:%s", username);
    const char *addr_key = srv_printf(r, "addr:%s", r->addr);
    struct ectl_store *st = srv_store(r);

    int64_t wait = srv_throttle_wait(r, user_key, addr_key);
    if (wait > 0) {
        srv_audit(r, "session.throttled", user_key,
                  json_pack("{s:I}", "retry_after", (json_int_t)wait));
        srv_header(r, "Retry-After", srv_printf(r, "%lld", (long long)wait));
        return srv_error(r, 429, "too_many_requests",
                         "too many failed sign-ins; try again in %lld seconds", (long long)wait);
    }

    struct ectl_user found;
    struct ectl_error err = {0};
    int rc = ectl_store_user_get_by_name(st, username, &found, &err);
    if (rc && rc != ECTL_ENOENT)
        return srv_error_lib(r, &err);
    bool known = rc == 0;
    bool ok = ectl_password_verify(password, known ? found.password_hash : r->srv->dummy_hash);
    struct ectl_user u = {0};
    if (known)
        srv_user_keep(r, &u, &found);
    if (!known)
        return refuse(r, username, "unknown_user");
    if (u.disabled)
        return refuse(r, username, "disabled");
    if (!ok)
        return refuse(r, username, "wrong_password");

    ectl_store_failure_clear(st, user_key, &err);
    char token[ECTL_TOKEN_TEXT_LEN + 1];
    uint8_t hash[32];
    ectl_token_new(token, hash);
    struct ectl_session s = {.user_id = u.id,
                             .persistent = remember,
                             .created_at = r->now,
                             .last_seen = r->now,
                             .expires_at = r->now + cfg->remember_age};
    if (getrandom(s.csrf, sizeof s.csrf, 0) != (ssize_t)sizeof s.csrf)
        return srv_error(r, 500, "internal", "no randomness for the CSRF token");
    if ((rc = ectl_store_session_add(st, hash, &s, &s.id, &err)))
        return srv_error_lib(r, &err);
    r->user = u;
    r->session = s;
    r->via = VIA_SESSION;
    snprintf(r->actor, sizeof r->actor, "%s", u.name);
    srv_audit(r, "session.create", srv_printf(r, "user:%lld", (long long)u.id),
              json_pack("{s:b}", "remember", remember));
    srv_set_session_cookie(r, token, remember ? cfg->remember_age : -1);
    char csrf[65];
    srv_csrf_text(&s, csrf);
    return srv_reply_json(r, 201,
                          json_pack("{s:o, s:s, s:o}", "user", srv_user_json(&u), "csrf_token",
                                    csrf, "session", session_json(r, &s)));
}

int h_session_delete(struct req *r)
{
    struct ectl_error err = {0};
    if (ectl_store_session_delete(srv_store(r), r->session.id, &err))
        return srv_error_lib(r, &err);
    srv_audit(r, "session.delete", srv_printf(r, "user:%lld", (long long)r->user.id), NULL);
    srv_clear_session_cookie(r);
    return srv_reply_empty(r, 204);
}

int h_me(struct req *r)
{
    json_t *doc = json_pack("{s:o, s:s}", "user", srv_user_json(&r->user), "auth",
                            r->via == VIA_SESSION ? "session" : "token");
    if (r->via == VIA_SESSION) {
        char csrf[65];
        srv_csrf_text(&r->session, csrf);
        json_object_set_new(doc, "csrf_token", json_string(csrf));
        json_object_set_new(doc, "session", session_json(r, &r->session));
    } else {
        json_object_set_new(doc, "csrf_token", json_null());
        json_object_set_new(doc, "token", json_pack("{s:I}", "id", (json_int_t)r->token_id));
    }
    return srv_reply_json(r, 200, doc);
}

int h_health(struct req *r)
{
    return srv_reply_json(r, 200,
                          json_pack("{s:s, s:b, s:I}", "status", "ok", "index",
                                    r->srv->cfg->index != NULL, "regimes",
                                    (json_int_t)r->srv->cfg->n_regimes));
}

int h_openapi(struct req *r)
{
    return srv_reply_raw(r, 200, r->srv->openapi, r->srv->openapi_len);
}
