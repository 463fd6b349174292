/*
 * PostgreSQL back end: users, sessions, reset tokens, API tokens and
 * failed sign-ins — the queries of sqlite_accounts.c in PostgreSQL's
 * dialect.  Names and emails compare through lower(), which the unique
 * indexes of migration 0001 use too.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

#define NOMEM() ectl_error_set(err, ECTL_ENOMEM, "out of memory")

/* ---- users -------------------------------------------------------------- */

#define USER_COLUMNS "id, name, email, role, disabled, password_hash, created_at"

static int read_user(const PGresult *r, int row, struct ectl_user *u, struct ectl_error *err)
{
    u->id = ectl__pg_get_int(r, row, 0);
    u->name = ectl__pg_get_dup(r, row, 1);
    u->email = ectl__pg_get_dup(r, row, 2);
    if (ectl_role_parse(PQgetvalue(r, row, 3), &u->role))
        u->role = ECTL_ROLE_VIEWER; /* the CHECK constraint makes this unreachable */
    u->disabled = !strcmp(PQgetvalue(r, row, 4), "t");
    u->password_hash = ectl__pg_get_dup(r, row, 5);
    u->created_at = ectl__pg_get_int(r, row, 6);
    if (!u->name || !u->email || !u->password_hash) {
        ectl_user_release(u);
        return NOMEM();
    }
    return 0;
}

int ectl__pg_user_add(struct ectl_store *s, const char *name, const char *email,
                      enum ectl_role role, const char *password_hash, ectl_time now, int64_t *id,
                      struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_text(&p, name);
    ectl__pg_text(&p, email);
    ectl__pg_text(&p, ectl_role_name(role));
    ectl__pg_text(&p, password_hash);
    ectl__pg_int(&p, now);
    int rc = ectl__pg_exec(PG(s),
                           "INSERT INTO users (name, email, role, password_hash, created_at)"
                           " VALUES ($1, $2, $3, $4, $5::bigint) RETURNING id",
                           &p, &r, NULL, "adding user", err);
    if (rc == ECTL_EEXISTS)
        rc = ectl_error_set(err, ECTL_EEXISTS, "a user named '%s' or with email '%s' exists", name,
                            email);
    else if (!rc)
        *id = ectl__pg_get_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int ectl__pg_user_get(struct ectl_store *s, enum ectl__user_key key, int64_t id, const char *text,
                      struct ectl_user *out, struct ectl_error *err)
{
    static const char *const sql[] = {
        [ECTL__USER_BY_ID] = "SELECT " USER_COLUMNS " FROM users WHERE id = $1::bigint",
        [ECTL__USER_BY_NAME] = "SELECT " USER_COLUMNS " FROM users WHERE lower(name) = lower($1)",
        [ECTL__USER_BY_EMAIL] = "SELECT " USER_COLUMNS " FROM users WHERE lower(email) = lower($1)",
    };
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    if (key == ECTL__USER_BY_ID)
        ectl__pg_int(&p, id);
    else
        ectl__pg_text(&p, text);
    int rc = ectl__pg_exec(PG(s), sql[key], &p, &r, NULL, "reading user", err);
    if (rc)
        goto out;
    if (PQntuples(r) == 1)
        rc = read_user(r, 0, out, err);
    else if (key == ECTL__USER_BY_ID)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user with id %lld", (long long)id);
    else
        rc = ectl_error_set(err, ECTL_ENOENT, "no user %s '%s'",
                            key == ECTL__USER_BY_NAME ? "named" : "with email", text);
out:
    PQclear(r);
    return rc;
}

/* UPDATE users SET <column> = text WHERE id = id, where sql says which
 * column: ECTL_ENOENT when there is no such user. */
static int set_user_text(struct ectl_store *s, const char *sql, const char *text, int64_t id,
                         const char *what, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    int changed = 0;
    ectl__pg_text(&p, text);
    ectl__pg_int(&p, id);
    int rc = ectl__pg_exec(PG(s), sql, &p, NULL, &changed, what, err);
    if (!rc && !changed)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user with id %lld", (long long)id);
    return rc;
}

int ectl__pg_user_set_password(struct ectl_store *s, int64_t id, const char *password_hash,
                               struct ectl_error *err)
{
    return set_user_text(s, "UPDATE users SET password_hash = $1 WHERE id = $2::bigint",
                         password_hash, id, "setting password", err);
}

int ectl__pg_user_set_role(struct ectl_store *s, int64_t id, enum ectl_role role,
                           struct ectl_error *err)
{
    return set_user_text(s, "UPDATE users SET role = $1 WHERE id = $2::bigint",
                         ectl_role_name(role), id, "setting role", err);
}

int ectl__pg_user_set_disabled(struct ectl_store *s, int64_t id, bool disabled,
                               struct ectl_error *err)
{
    struct ectl_pg *g = PG(s);
    struct ectl_pg_params p = {0}, q = {0};
    int changed = 0;
    ectl__pg_text(&p, disabled ? "true" : "false");
    ectl__pg_int(&p, id);
    ectl__pg_int(&q, id);
    int rc = ectl__pg_tx_begin(g, err);
    if (rc)
        return rc;
    rc = ectl__pg_exec(g, "UPDATE users SET disabled = $1::boolean WHERE id = $2::bigint", &p, NULL,
                       &changed, "updating user", err);
    if (!rc && !changed)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user with id %lld", (long long)id);
    if (!rc && disabled)
        rc = ectl__pg_exec(g, "DELETE FROM sessions WHERE user_id = $1::bigint", &q, NULL, NULL,
                           "ending sessions", err);
    if (!rc && disabled)
        rc = ectl__pg_exec(g, "DELETE FROM reset_tokens WHERE user_id = $1::bigint", &q, NULL, NULL,
                           "dropping reset tokens", err);
    return ectl__pg_tx_end(g, rc, err);
}

int ectl__pg_user_list(struct ectl_store *s, int (*fn)(void *, const struct ectl_user *), void *ctx,
                       struct ectl_error *err)
{
    PGresult *r = NULL;
    int rc = ectl__pg_exec(PG(s), "SELECT " USER_COLUMNS " FROM users ORDER BY id", NULL, &r, NULL,
                           "listing users", err);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct ectl_user u = {0};
        if ((rc = read_user(r, i, &u, err)))
            break;
        rc = fn(ctx, &u);
        ectl_user_release(&u);
    }
    PQclear(r);
    return rc;
}

/* ---- sessions ----------------------------------------------------------- */

int ectl__pg_session_add(struct ectl_store *s, const uint8_t token_hash[32],
                         const struct ectl_session *sess, int64_t *id, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_bytes(&p, token_hash, 32);
    ectl__pg_int(&p, sess->user_id);
    ectl__pg_text(&p, sess->persistent ? "true" : "false");
    ectl__pg_int(&p, sess->created_at);
    ectl__pg_int(&p, sess->last_seen);
    ectl__pg_int(&p, sess->expires_at);
    ectl__pg_bytes(&p, sess->csrf, 32);
    int rc = ectl__pg_exec(PG(s),
                           "INSERT INTO sessions (token_hash, user_id, persistent, created_at,"
                           " last_seen, expires_at, csrf) VALUES ($1, $2::bigint, $3::boolean,"
                           " $4::bigint, $5::bigint, $6::bigint, $7) RETURNING id",
                           &p, &r, NULL, "adding session", err);
    if (!rc)
        *id = ectl__pg_get_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int ectl__pg_session_get(struct ectl_store *s, const uint8_t token_hash[32],
                         struct ectl_session *out, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_bytes(&p, token_hash, 32);
    int rc = ectl__pg_exec(PG(s),
                           "SELECT id, user_id, persistent, created_at, last_seen, expires_at,"
                           " csrf FROM sessions WHERE token_hash = $1",
                           &p, &r, NULL, "reading session", err);
    if (rc)
        goto out;
    if (PQntuples(r) != 1) {
        rc = ectl_error_set(err, ECTL_ENOENT, "no such session");
        goto out;
    }
    out->id = ectl__pg_get_int(r, 0, 0);
    out->user_id = ectl__pg_get_int(r, 0, 1);
    out->persistent = !strcmp(PQgetvalue(r, 0, 2), "t");
    out->created_at = ectl__pg_get_int(r, 0, 3);
    out->last_seen = ectl__pg_get_int(r, 0, 4);
    out->expires_at = ectl__pg_get_int(r, 0, 5);
    ectl__pg_get_blob32(r, 0, 6, out->csrf);
out:
    PQclear(r);
    return rc;
}

/* Run sql with integer parameters; ENOENT (with what_missing) when it
 * changes no row and what_missing is not NULL. */
static int run_ints(struct ectl_store *s, const char *sql, int n, const int64_t *args,
                    const char *what, const char *what_missing, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    int changed = 0;
    for (int i = 0; i < n; i++)
        ectl__pg_int(&p, args[i]);
    int rc = ectl__pg_exec(PG(s), sql, &p, NULL, &changed, what, err);
    if (!rc && !changed && what_missing)
        rc = ectl_error_set(err, ECTL_ENOENT, "%s", what_missing);
    return rc;
}

int ectl__pg_session_touch(struct ectl_store *s, int64_t id, ectl_time now, struct ectl_error *err)
{
    int64_t args[2] = {now, id};
    return run_ints(s, "UPDATE sessions SET last_seen = $1::bigint WHERE id = $2::bigint", 2, args,
                    "touching session", "no such session", err);
}

int ectl__pg_session_delete(struct ectl_store *s, int64_t id, struct ectl_error *err)
{
    return run_ints(s, "DELETE FROM sessions WHERE id = $1::bigint", 1, &id, "deleting session",
                    "no such session", err);
}

int ectl__pg_session_delete_user(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                                 struct ectl_error *err)
{
    int64_t args[2] = {user_id, keep_id};
    return run_ints(s, "DELETE FROM sessions WHERE user_id = $1::bigint AND id <> $2::bigint", 2,
                    args, "deleting sessions", NULL, err);
}

/* ---- reset tokens ------------------------------------------------------- */

int ectl__pg_reset_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       ectl_time expires_at, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    ectl__pg_bytes(&p, token_hash, 32);
    ectl__pg_int(&p, user_id);
    ectl__pg_int(&p, expires_at);
    return ectl__pg_exec(PG(s),
                         "INSERT INTO reset_tokens (token_hash, user_id, expires_at)"
                         " VALUES ($1, $2::bigint, $3::bigint)",
                         &p, NULL, NULL, "adding reset token", err);
}

/* DELETE ... RETURNING takes the token in one statement: of two requests
 * racing with the same link, one finds nothing. */
int ectl__pg_reset_consume(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                           int64_t *user_id, struct ectl_error *err)
{
    struct ectl_pg *g = PG(s);
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    int64_t uid = 0, expires = 0;
    bool found = false;
    ectl__pg_bytes(&p, token_hash, 32);
    int rc = ectl__pg_tx_begin(g, err);
    if (rc)
        return rc;
    rc = ectl__pg_exec(g,
                       "DELETE FROM reset_tokens WHERE token_hash = $1"
                       " RETURNING user_id, expires_at",
                       &p, &r, NULL, "taking reset token", err);
    if (!rc && PQntuples(r) == 1) {
        found = true;
        uid = ectl__pg_get_int(r, 0, 0);
        expires = ectl__pg_get_int(r, 0, 1);
    }
    PQclear(r);
    if (!rc && found && now < expires)
        rc = run_ints(s, "DELETE FROM reset_tokens WHERE user_id = $1::bigint", 1, &uid,
                      "dropping other reset tokens", NULL, err);
    if ((rc = ectl__pg_tx_end(g, rc, err)))
        return rc;
    if (!found || now >= expires)
        return ectl_error_set(err, ECTL_ENOENT, "unknown or expired reset token");
    *user_id = uid;
    return 0;
}

/* ---- API tokens --------------------------------------------------------- */

#define TOKEN_COLUMNS "id, user_id, label, created_at, revoked_at"

static int read_token(const PGresult *r, int row, struct ectl_api_token *t, struct ectl_error *err)
{
    t->id = ectl__pg_get_int(r, row, 0);
    t->user_id = ectl__pg_get_int(r, row, 1);
    t->label = ectl__pg_get_dup(r, row, 2);
    t->created_at = ectl__pg_get_int(r, row, 3);
    t->revoked_at = ectl__pg_get_int(r, row, 4);
    return t->label ? 0 : NOMEM();
}

int ectl__pg_token_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       const char *label, ectl_time now, int64_t *id, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_bytes(&p, token_hash, 32);
    ectl__pg_int(&p, user_id);
    ectl__pg_text(&p, label);
    ectl__pg_int(&p, now);
    int rc = ectl__pg_exec(PG(s),
                           "INSERT INTO api_tokens (token_hash, user_id, label, created_at)"
                           " VALUES ($1, $2::bigint, $3, $4::bigint) RETURNING id",
                           &p, &r, NULL, "adding API token", err);
    if (!rc)
        *id = ectl__pg_get_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int ectl__pg_token_get(struct ectl_store *s, const uint8_t token_hash[32],
                       struct ectl_api_token *out, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_bytes(&p, token_hash, 32);
    int rc = ectl__pg_exec(
        PG(s), "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = $1 AND revoked_at = 0",
        &p, &r, NULL, "reading API token", err);
    if (!rc)
        rc = PQntuples(r) == 1 ? read_token(r, 0, out, err)
                               : ectl_error_set(err, ECTL_ENOENT, "unknown or revoked API token");
    PQclear(r);
    return rc;
}

int ectl__pg_token_revoke(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                          struct ectl_error *err)
{
    int64_t args[3] = {id, user_id, now};
    int rc = run_ints(s,
                      "UPDATE api_tokens SET revoked_at = $3::bigint WHERE id = $1::bigint"
                      " AND revoked_at = 0 AND ($2::bigint = 0 OR user_id = $2::bigint)",
                      3, args, "revoking API token", "", err);
    if (rc == ECTL_ENOENT)
        rc = ectl_error_set(err, ECTL_ENOENT, "no valid API token %lld%s", (long long)id,
                            user_id ? " of this user" : "");
    return rc;
}

int ectl__pg_token_list(struct ectl_store *s, int64_t user_id,
                        int (*fn)(void *, const struct ectl_api_token *), void *ctx,
                        struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_int(&p, user_id);
    int rc = ectl__pg_exec(
        PG(s), "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE user_id = $1::bigint ORDER BY id",
        &p, &r, NULL, "listing API tokens", err);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct ectl_api_token t = {0};
        if ((rc = read_token(r, i, &t, err)))
            break;
        rc = fn(ctx, &t);
        ectl_api_token_release(&t);
    }
    PQclear(r);
    return rc;
}

/* ---- failed sign-ins ---------------------------------------------------- */

int ectl__pg_failure_add(struct ectl_store *s, const char *key, ectl_time now,
                         struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    ectl__pg_text(&p, key);
    ectl__pg_int(&p, now);
    return ectl__pg_exec(PG(s), "INSERT INTO signin_failures (key, at) VALUES ($1, $2::bigint)", &p,
                         NULL, NULL, "recording failed sign-in", err);
}

int ectl__pg_failure_count(struct ectl_store *s, const char *key, ectl_time since, int *count,
                           ectl_time *latest, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_text(&p, key);
    ectl__pg_int(&p, since);
    int rc = ectl__pg_exec(PG(s),
                           "SELECT count(*), coalesce(max(at), 0) FROM signin_failures"
                           " WHERE key = $1 AND at >= $2::bigint",
                           &p, &r, NULL, "counting failed sign-ins", err);
    if (!rc) {
        *count = (int)ectl__pg_get_int(r, 0, 0);
        *latest = ectl__pg_get_int(r, 0, 1);
    }
    PQclear(r);
    return rc;
}

int ectl__pg_failure_clear(struct ectl_store *s, const char *key, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    ectl__pg_text(&p, key);
    return ectl__pg_exec(PG(s), "DELETE FROM signin_failures WHERE key = $1", &p, NULL, NULL,
                         "clearing failed sign-ins", err);
}
