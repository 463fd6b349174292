/*
 * Who is asking: session cookies, bearer tokens, CSRF, roles, and the
 * throttle on failed sign-ins.
 *
 * A session cookie holds a random token; the store keeps only its hash.
 * A browser session ends after cfg->session_idle seconds without a
 * request; a remembered one ("remember me") after cfg->remember_age, which
 * also caps any session.  Every state-changing request authenticated by a
 * cookie must carry the session's CSRF token in X-CSRF-Token: a cookie is
 * sent by the browser on its own, a header only by our own page.  Bearer
 * tokens are never sent by a browser on its own, so they need no CSRF
 * token.
 *
 * Bearer tokens are remembered for a few seconds (the token cache below):
 * a program sends the same token with every request, and looking up the
 * token and its user took two queries per request.  What this server
 * changes itself (a token revoked, a user disabled or given a password)
 * empties the cache at once; a change made by another process (the CLI,
 * another instance on PostgreSQL) is seen at most AUTH_CACHE_TTL_NS later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <microhttpd.h>

#include "server.h"

/* srv_error() returns 0; the checks below return 1 once they have
 * answered, hence the "+ 1" on each refusal. */

void srv_csrf_text(const struct ectl_session *s, char out[65])
{
    ectl_hex(s->csrf, sizeof s->csrf, out);
}

static bool secure_cookies(struct req *r)
{
    if (r->srv->public_https)
        return true;
    /* A proxy that terminates TLS says so; believing a client that lies
     * here only makes its own cookie stricter. */
    const char *xfp = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    const char *fwd = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Forwarded");
    return (xfp && !strcasecmp(xfp, "https")) || (fwd && strcasestr(fwd, "proto=https"));
}

void srv_set_session_cookie(struct req *r, const char *token, int64_t max_age)
{
    char age[48] = "";
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%lld", (long long)max_age);
    srv_header(r, "Set-Cookie",
               srv_printf(r, "%s=%s; Path=/; HttpOnly; SameSite=Lax%s%s", SRV_COOKIE, token, age,
                          secure_cookies(r) ? "; Secure" : ""));
}

void srv_clear_session_cookie(struct req *r)
{
    srv_set_session_cookie(r, "", 0);
}

void srv_user_keep(struct req *r, struct ectl_user *dst, struct ectl_user *src)
{
    *dst = *src;
    dst->name = srv_strdup(r, src->name ? src->name : "");
    dst->email = srv_strdup(r, src->email ? src->email : "");
    dst->password_hash = NULL; /* never kept past the check that needs it */
    ectl_user_release(src);
}

json_t *srv_user_json(const struct ectl_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:b, s:o}", "id", (json_int_t)u->id, "name", u->name,
                     "email", u->email, "role", ectl_role_name(u->role), "disabled", u->disabled,
                     "created_at", srv_json_time(u->created_at));
}

static int unauthenticated(struct req *r, const char *code, const char *msg)
{
    srv_header(r, "WWW-Authenticate", "Bearer realm=\"exportctl\"");
    return srv_error(r, 401, code, "%s", msg) + 1;
}

/* Load the user behind a session or token; false if gone or disabled. */
static bool load_user(struct req *r, int64_t id)
{
    struct ectl_user u;
    struct ectl_error err = {0};
    if (ectl_store_user_get(srv_store(r), id, &u, &err))
        return false;
    bool ok = !u.disabled;
    srv_user_keep(r, &r->user, &u);
    snprintf(r->actor, sizeof r->actor, "%s", r->user.name);
    return ok;
}

static int from_session(struct req *r, const char *cookie)
{
    uint8_t hash[32];
    struct ectl_error err = {0};
    struct ectl_store *st = srv_store(r);
    const struct ectl_serve_config *cfg = r->srv->cfg;
    if (ectl_token_hash(cookie, hash))
        goto stale;
    int rc = ectl_store_session_get(st, hash, &r->session, &err);
    if (rc == ECTL_ENOENT)
        goto stale;
    if (rc)
        return srv_error_lib(r, &err) + 1;
    bool expired = r->now >= r->session.expires_at ||
                   (!r->session.persistent && r->now - r->session.last_seen > cfg->session_idle);
    if (expired) {
        ectl_store_session_delete(st, r->session.id, &err);
        goto stale;
    }
    if (!load_user(r, r->session.user_id))
        goto stale;
    /* Writing last_seen on every request would make every read a write;
     * a resolution of a sixteenth of the idle timeout is plenty. */
    int64_t step = cfg->session_idle / 16 > 60 ? 60 : cfg->session_idle / 16;
    if (r->now - r->session.last_seen >= step) {
        if (ectl_store_session_touch(st, r->session.id, r->now, &err) == 0)
            r->session.last_seen = r->now;
    }
    r->via = VIA_SESSION;
    return 0;
stale:
    r->clear_cookie = true;
    srv_clear_session_cookie(r);
    return unauthenticated(r, "session_expired", "the session has ended; sign in again");
}

/* ---- the token cache --------------------------------------------------------
 * Token hash -> token id and its (enabled) user, for AUTH_CACHE_TTL_NS.
 * Direct-mapped on the hash, which is uniformly random: a collision just
 * replaces the older entry.  Only good answers are kept; an unknown,
 * revoked or disabled token is looked up every time.  Forgetting bumps a
 * generation: an entry of an older generation is not used, and a lookup
 * that started before a forget does not store its (maybe stale) answer. */

#define AUTH_CACHE_SLOTS 1024 /* a power of two */
#define AUTH_CACHE_TTL_NS (5 * 1000000000LL)

struct auth_slot {
    uint8_t hash[32];
    uint64_t gen; /* 0: empty */
    int64_t expires_ns;
    int64_t token_id;
    int64_t user_id;
    enum ectl_role role;
    ectl_time created_at;
    char name[65];
    char email[255];
};

struct srv_auth_cache {
    pthread_mutex_t mu;
    uint64_t gen;
    struct auth_slot slots[AUTH_CACHE_SLOTS];
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int srv_auth_cache_init(struct srv *s)
{
    struct srv_auth_cache *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    pthread_mutex_init(&c->mu, NULL);
    c->gen = 1;
    s->auth_cache = c;
    return 0;
}

void srv_auth_cache_free(struct srv *s)
{
    struct srv_auth_cache *c = s->auth_cache;
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    free(c);
    s->auth_cache = NULL;
}

void srv_auth_forget(struct srv *s)
{
    struct srv_auth_cache *c = s->auth_cache;
    if (!c)
        return;
    pthread_mutex_lock(&c->mu);
    c->gen++;
    pthread_mutex_unlock(&c->mu);
}

static struct auth_slot *slot_of(struct srv_auth_cache *c, const uint8_t hash[32])
{
    uint32_t k;
    memcpy(&k, hash, sizeof k);
    return &c->slots[k & (AUTH_CACHE_SLOTS - 1)];
}

/* Fills r's user and token id from the cache; false on a miss. *gen gets
 * the generation to store a looked-up answer under. */
static bool cache_get(struct req *r, const uint8_t hash[32], uint64_t *gen)
{
    struct srv_auth_cache *c = r->srv->auth_cache;
    struct auth_slot hit;
    bool found = false;
    *gen = 0;
    if (!c)
        return false;
    int64_t now = mono_ns();
    pthread_mutex_lock(&c->mu);
    struct auth_slot *sl = slot_of(c, hash);
    *gen = c->gen;
    if (sl->gen == c->gen && now < sl->expires_ns && ectl_equal_ct(sl->hash, hash, 32)) {
        hit = *sl;
        found = true;
    }
    pthread_mutex_unlock(&c->mu);
    if (!found)
        return false;
    r->token_id = hit.token_id;
    r->user = (struct ectl_user){.id = hit.user_id,
                                 .name = srv_strdup(r, hit.name),
                                 .email = srv_strdup(r, hit.email),
                                 .role = hit.role,
                                 .created_at = hit.created_at};
    if (!r->user.name || !r->user.email)
        return false;
    snprintf(r->actor, sizeof r->actor, "%s", r->user.name);
    return true;
}

static void cache_put(struct req *r, const uint8_t hash[32], uint64_t gen)
{
    struct srv_auth_cache *c = r->srv->auth_cache;
    const struct ectl_user *u = &r->user;
    if (!c || strlen(u->name) >= sizeof c->slots[0].name ||
        strlen(u->email) >= sizeof c->slots[0].email)
        return;
    int64_t expires = mono_ns() + AUTH_CACHE_TTL_NS;
    pthread_mutex_lock(&c->mu);
    if (gen == c->gen) {
        struct auth_slot *sl = slot_of(c, hash);
        memcpy(sl->hash, hash, 32);
        sl->gen = gen;
        sl->expires_ns = expires;
        sl->token_id = r->token_id;
        sl->user_id = u->id;
        sl->role = u->role;
        sl->created_at = u->created_at;
        snprintf(sl->name, sizeof sl->name, "%s", u->name);
        snprintf(sl->email, sizeof sl->email, "%s", u->email);
    }
    pthread_mutex_unlock(&c->mu);
}

static int from_bearer(struct req *r, const char *token)
{
    uint8_t hash[32];
    struct ectl_api_token t;
    struct ectl_error err = {0};
    uint64_t gen;
    if (ectl_token_hash(token, hash))
        return unauthenticated(r, "invalid_token", "the bearer token is not valid");
    if (cache_get(r, hash, &gen)) {
        r->via = VIA_TOKEN;
        return 0;
    }
    int rc = ectl_store_token_get(srv_store(r), hash, &t, &err);
    if (rc == ECTL_ENOENT)
        return unauthenticated(r, "invalid_token", "the bearer token is not valid or revoked");
    if (rc)
        return srv_error_lib(r, &err) + 1;
    r->token_id = t.id;
    int64_t uid = t.user_id;
    ectl_api_token_release(&t);
    if (!load_user(r, uid))
        return unauthenticated(r, "invalid_token", "the token's user is disabled");
    r->via = VIA_TOKEN;
    cache_put(r, hash, gen);
    return 0;
}

static bool changes_state(const char *method)
{
    return strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS");
}

int srv_authenticate(struct req *r)
{
    const struct srv_route *rt = r->route;
    if (rt->auth == AUTH_NONE)
        return 0;
    const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SRV_COOKIE);
    int rc;
    if (authz && rt->auth == AUTH_ANY) {
        if (strncasecmp(authz, "Bearer ", 7))
            return unauthenticated(r, "invalid_token", "use Authorization: Bearer <token>");
        rc = from_bearer(r, authz + 7);
    } else if (cookie && *cookie) {
        rc = from_session(r, cookie);
    } else {
        return unauthenticated(r, "unauthenticated", "sign in or send a bearer token");
    }
    if (rc)
        return rc;
    if (r->via == VIA_SESSION && changes_state(r->method)) {
        const char *sent = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        char want[65];
        srv_csrf_text(&r->session, want);
        if (!sent || !*sent)
            return srv_error(r, 403, "csrf_missing",
                             "send the session's CSRF token in X-CSRF-Token") +
                   1;
        if (strlen(sent) != 64 || !ectl_equal_ct(sent, want, 64))
            return srv_error(r, 403, "csrf_invalid",
                             "the X-CSRF-Token does not match the session") +
                   1;
    }
    if (r->user.role < rt->role)
        return srv_error(r, 403, "forbidden", "this needs the %s role (you are %s)",
                         ectl_role_name(rt->role), ectl_role_name(r->user.role)) +
               1;
    return 0;
}

int64_t srv_throttle_wait(struct req *r, const char *user_key, const char *addr_key)
{
    const struct ectl_serve_config *cfg = r->srv->cfg;
    const char *keys[2] = {user_key, addr_key};
    const int limits[2] = {cfg->throttle_user, cfg->throttle_addr};
    int64_t wait = 0;
    for (int i = 0; i < 2; i++) {
        int count = 0;
        ectl_time latest = 0;
        struct ectl_error err = {0};
        if (ectl_store_failure_count(srv_store(r), keys[i], r->now - cfg->throttle_window, &count,
                                     &latest, &err)) {
            srv_log("throttle %s: %s", keys[i], err.msg);
            continue;
        }
        /* The count drops below the limit at the latest when the latest
         * failure leaves the window. */
        if (count >= limits[i]) {
            int64_t w = latest + cfg->throttle_window - r->now;
            if (w < 1)
                w = 1;
            if (w > wait)
                wait = w;
        }
    }
    return wait;
}
