/*
 * SQLite back end: users, sessions, reset tokens, API tokens and failed
 * sign-ins.  Token hashes are bound as 32-byte blobs; the tokens
 * themselves never reach this file.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

#define NOMEM() ectl_error_set(err, ECTL_ENOMEM, "out of memory")

/* ---- users -------------------------------------------------------------- */

#define USER_COLUMNS "id, name, email, role, disabled, password_hash, created_at"

/* One row of USER_COLUMNS into u (whose strings it allocates). */
static int read_user(sqlite3_stmt *st, struct ectl_user *u, struct ectl_error *err)
{
    u->id = sqlite3_column_int64(st, 0);
    u->name = ectl__sq_dup(st, 1);
    u->email = ectl__sq_dup(st, 2);
    const unsigned char *role = sqlite3_column_text(st, 3);
    u->role = ECTL_ROLE_VIEWER;
    if (role && ectl_role_parse((const char *)role, &u->role))
        u->role = ECTL_ROLE_VIEWER; /* the CHECK constraint makes this unreachable */
    u->disabled = sqlite3_column_int(st, 4) != 0;
    u->password_hash = ectl__sq_dup(st, 5);
    u->created_at = sqlite3_column_int64(st, 6);
    if (!u->name || !u->email || !u->password_hash) {
        ectl_user_release(u);
        return NOMEM();
    }
    return 0;
}

int ectl__sq_user_add(struct ectl_store *s, const char *name, const char *email,
                      enum ectl_role role, const char *password_hash, ectl_time now, int64_t *id,
                      struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "INSERT INTO users (name, email, role, password_hash, created_at) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 2, email, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 3, ectl_role_name(role), -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 4, password_hash, -1, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 5, now)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "adding user", err);
    if (rc == ECTL_EEXISTS)
        rc = ectl_error_set(err, ECTL_EEXISTS, "a user named '%s' or with email '%s' exists", name,
                            email);
    else if (!rc)
        *id = sqlite3_last_insert_rowid(q->db);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_user_get(struct ectl_store *s, enum ectl__user_key key, int64_t id, const char *text,
                      struct ectl_user *out, struct ectl_error *err)
{
    static const char *const sql[] = {
        [ECTL__USER_BY_ID] = "SELECT " USER_COLUMNS " FROM users WHERE id = ?1",
        [ECTL__USER_BY_NAME] = "SELECT " USER_COLUMNS " FROM users WHERE name = ?1",
        [ECTL__USER_BY_EMAIL] = "SELECT " USER_COLUMNS " FROM users WHERE email = ?1",
    };
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, sql[key], &st, err);
    if (rc)
        goto out;
    if (key == ECTL__USER_BY_ID ? sqlite3_bind_int64(st, 1, id)
                                : sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = read_user(st, out, err);
    else if (rc == SQLITE_DONE && key == ECTL__USER_BY_ID)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user with id %lld", (long long)id);
    else if (rc == SQLITE_DONE)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user %s '%s'",
                            key == ECTL__USER_BY_NAME ? "named" : "with email", text);
    else
        rc = ectl__sq_fail(q, rc, "reading user", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* UPDATE users SET <column> = text WHERE id = id, where sql says which
 * column: ECTL_ENOENT when there is no such user. */
static int set_user_text(struct ectl_store *s, const char *sql, const char *text, int64_t id,
                         const char *what, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, sql, &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC) || sqlite3_bind_int64(st, 2, id)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, what, err);
    if (!rc && sqlite3_changes(q->db) == 0)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user with id %lld", (long long)id);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_user_set_password(struct ectl_store *s, int64_t id, const char *password_hash,
                               struct ectl_error *err)
{
    return set_user_text(s, "UPDATE users SET password_hash = ?1 WHERE id = ?2", password_hash, id,
                         "setting password", err);
}

int ectl__sq_user_set_role(struct ectl_store *s, int64_t id, enum ectl_role role,
                           struct ectl_error *err)
{
    return set_user_text(s, "UPDATE users SET role = ?1 WHERE id = ?2", ectl_role_name(role), id,
                         "setting role", err);
}

/* One transaction: a disabled user must not keep a live session, not even
 * for the moment between two statements. */
int ectl__sq_user_set_disabled(struct ectl_store *s, int64_t id, bool disabled,
                               struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    int64_t args[2] = {disabled, id};
    int changed = 0;
    int rc = ectl__sq_tx_begin(q, err);
    if (rc)
        return rc;
    rc = ectl__sq_run(q, "UPDATE users SET disabled = ?1 WHERE id = ?2", 2, args, &changed,
                      "updating user", err);
    if (!rc && !changed)
        rc = ectl_error_set(err, ECTL_ENOENT, "no user with id %lld", (long long)id);
    if (!rc && disabled)
        rc = ectl__sq_run(q, "DELETE FROM sessions WHERE user_id = ?1", 1, &id, NULL,
                          "ending sessions", err);
    if (!rc && disabled)
        rc = ectl__sq_run(q, "DELETE FROM reset_tokens WHERE user_id = ?1", 1, &id, NULL,
                          "dropping reset tokens", err);
    return ectl__sq_tx_end(q, rc, err);
}

int ectl__sq_user_list(struct ectl_store *s, int (*fn)(void *, const struct ectl_user *), void *ctx,
                       struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, "SELECT " USER_COLUMNS " FROM users ORDER BY id", &st, err);
    if (rc)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ectl_user u = {0};
        if ((rc = read_user(st, &u, err)))
            goto out;
        rc = fn(ctx, &u);
        ectl_user_release(&u);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "listing users", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* ---- sessions ----------------------------------------------------------- */

int ectl__sq_session_add(struct ectl_store *s, const uint8_t token_hash[32],
                         const struct ectl_session *sess, int64_t *id, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "INSERT INTO sessions (token_hash, user_id, persistent, created_at,"
                              " last_seen, expires_at, csrf) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 2, sess->user_id) || sqlite3_bind_int(st, 3, sess->persistent) ||
        sqlite3_bind_int64(st, 4, sess->created_at) || sqlite3_bind_int64(st, 5, sess->last_seen) ||
        sqlite3_bind_int64(st, 6, sess->expires_at) ||
        sqlite3_bind_blob(st, 7, sess->csrf, 32, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "adding session", err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(q->db);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_session_get(struct ectl_store *s, const uint8_t token_hash[32],
                         struct ectl_session *out, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "SELECT id, user_id, persistent, created_at, last_seen, expires_at,"
                              " csrf FROM sessions WHERE token_hash = ?1",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->user_id = sqlite3_column_int64(st, 1);
        out->persistent = sqlite3_column_int(st, 2) != 0;
        out->created_at = sqlite3_column_int64(st, 3);
        out->last_seen = sqlite3_column_int64(st, 4);
        out->expires_at = sqlite3_column_int64(st, 5);
        ectl__sq_blob32(st, 6, out->csrf);
        rc = 0;
    } else if (rc == SQLITE_DONE) {
        rc = ectl_error_set(err, ECTL_ENOENT, "no such session");
    } else {
        rc = ectl__sq_fail(q, rc, "reading session", err);
    }
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_session_touch(struct ectl_store *s, int64_t id, ectl_time now, struct ectl_error *err)
{
    int64_t args[2] = {now, id};
    int changed = 0;
    int rc = ectl__sq_run(SQ(s), "UPDATE sessions SET last_seen = ?1 WHERE id = ?2", 2, args,
                          &changed, "touching session", err);
    if (!rc && !changed)
        rc = ectl_error_set(err, ECTL_ENOENT, "no such session");
    return rc;
}

int ectl__sq_session_delete(struct ectl_store *s, int64_t id, struct ectl_error *err)
{
    int changed = 0;
    int rc = ectl__sq_run(SQ(s), "DELETE FROM sessions WHERE id = ?1", 1, &id, &changed,
                          "deleting session", err);
    if (!rc && !changed)
        rc = ectl_error_set(err, ECTL_ENOENT, "no such session");
    return rc;
}

int ectl__sq_session_delete_user(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                                 struct ectl_error *err)
{
    int64_t args[2] = {user_id, keep_id};
    return ectl__sq_run(SQ(s), "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2", 2, args,
                        NULL, "deleting sessions", err);
}

/* ---- reset tokens ------------------------------------------------------- */

int ectl__sq_reset_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       ectl_time expires_at, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(
        q, "INSERT INTO reset_tokens (token_hash, user_id, expires_at) VALUES (?1, ?2, ?3)", &st,
        err);
    if (rc)
        goto out;
    if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 2, user_id) || sqlite3_bind_int64(st, 3, expires_at)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "adding reset token", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* DELETE ... RETURNING takes the token in one statement, so two requests
 * racing with the same link cannot both succeed.  An expired token is
 * deleted all the same (and reported as unknown). */
int ectl__sq_reset_consume(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                           int64_t *user_id, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int64_t uid = 0, expires = 0;
    bool found = false;
    int rc = ectl__sq_tx_begin(q, err);
    if (rc)
        return rc;
    if ((rc = ectl__sq_prepare(
             q, "DELETE FROM reset_tokens WHERE token_hash = ?1 RETURNING user_id, expires_at", &st,
             err)))
        goto out;
    if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        found = true;
        uid = sqlite3_column_int64(st, 0);
        expires = sqlite3_column_int64(st, 1);
        rc = sqlite3_step(st);
    }
    rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "taking reset token", err);
    if (!rc && found && now < expires)
        rc = ectl__sq_run(q, "DELETE FROM reset_tokens WHERE user_id = ?1", 1, &uid, NULL,
                          "dropping other reset tokens", err);
out:
    ectl__sq_release(q, st);
    if ((rc = ectl__sq_tx_end(q, rc, err)))
        return rc;
    if (!found || now >= expires)
        return ectl_error_set(err, ECTL_ENOENT, "unknown or expired reset token");
    *user_id = uid;
    return 0;
}

/* ---- API tokens --------------------------------------------------------- */

#define TOKEN_COLUMNS "id, user_id, label, created_at, revoked_at"

static int read_token(sqlite3_stmt *st, struct ectl_api_token *t, struct ectl_error *err)
{
    t->id = sqlite3_column_int64(st, 0);
    t->user_id = sqlite3_column_int64(st, 1);
    t->label = ectl__sq_dup(st, 2);
    t->created_at = sqlite3_column_int64(st, 3);
    t->revoked_at = sqlite3_column_int64(st, 4);
    return t->label ? 0 : NOMEM();
}

int ectl__sq_token_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       const char *label, ectl_time now, int64_t *id, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "INSERT INTO api_tokens (token_hash, user_id, label, created_at) "
                              "VALUES (?1, ?2, ?3, ?4)",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 2, user_id) || sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 4, now)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "adding API token", err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(q->db);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_token_get(struct ectl_store *s, const uint8_t token_hash[32],
                       struct ectl_api_token *out, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(
        q, "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?1 AND revoked_at = 0", &st,
        err);
    if (rc)
        goto out;
    if (sqlite3_bind_blob(st, 1, token_hash, 32, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = read_token(st, out, err);
    else if (rc == SQLITE_DONE)
        rc = ectl_error_set(err, ECTL_ENOENT, "unknown or revoked API token");
    else
        rc = ectl__sq_fail(q, rc, "reading API token", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_token_revoke(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                          struct ectl_error *err)
{
    int64_t args[3] = {id, user_id, now};
    int changed = 0;
    int rc = ectl__sq_run(SQ(s),
                          "UPDATE api_tokens SET revoked_at = ?3 WHERE id = ?1 AND revoked_at = 0"
                          " AND (?2 = 0 OR user_id = ?2)",
                          3, args, &changed, "revoking API token", err);
    if (!rc && !changed)
        rc = ectl_error_set(err, ECTL_ENOENT, "no valid API token %lld%s", (long long)id,
                            user_id ? " of this user" : "");
    return rc;
}

int ectl__sq_token_list(struct ectl_store *s, int64_t user_id,
                        int (*fn)(void *, const struct ectl_api_token *), void *ctx,
                        struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(
        q, "SELECT " TOKEN_COLUMNS " FROM api_tokens WHERE user_id = ?1 ORDER BY id", &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_int64(st, 1, user_id)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ectl_api_token t = {0};
        if ((rc = read_token(st, &t, err)))
            goto out;
        rc = fn(ctx, &t);
        ectl_api_token_release(&t);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "listing API tokens", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* ---- failed sign-ins ---------------------------------------------------- */

int ectl__sq_failure_add(struct ectl_store *s, const char *key, ectl_time now,
                         struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, "INSERT INTO signin_failures (key, at) VALUES (?1, ?2)", &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) || sqlite3_bind_int64(st, 2, now)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "recording failed sign-in", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_failure_count(struct ectl_store *s, const char *key, ectl_time since, int *count,
                           ectl_time *latest, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "SELECT count(*), coalesce(max(at), 0) FROM signin_failures"
                              " WHERE key = ?1 AND at >= ?2",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC) || sqlite3_bind_int64(st, 2, since)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        rc = ectl__sq_fail(q, rc, "counting failed sign-ins", err);
        goto out;
    }
    *count = sqlite3_column_int(st, 0);
    *latest = sqlite3_column_int64(st, 1);
    rc = 0;
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_failure_clear(struct ectl_store *s, const char *key, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, "DELETE FROM signin_failures WHERE key = ?1", &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "clearing failed sign-ins", err);
out:
    ectl__sq_release(q, st);
    return rc;
}
