/*
 * The public storage API (store.h): argument checks, then dispatch through
 * the back end's vtable.  Checks live here, once, so that every back end
 * refuses the same bad input with the same message; the back ends only
 * talk to their database.  The audit-log entry points are in audit.c.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <exportctl/auth.h>

#include "store_int.h"

#define BAD(...) ectl_error_set(err, ECTL_EINVAL, __VA_ARGS__)

static bool is_pg_url(const char *where)
{
    return !strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11);
}

int ectl_store_open(const char *where, unsigned flags, struct ectl_store **out,
                    struct ectl_error *err)
{
    ectl_error_clear(err);
    *out = NULL;
    if (!where || !*where)
        return BAD("no database given");
    /* The audit chain hashes with libsodium's SHA-256. */
    int rc = ectl_auth_init(err);
    if (rc)
        return rc;
    if (is_pg_url(where))
        return ectl__store_pg_open(where, flags, out, err);
    return ectl__store_sqlite_open(where, flags, out, err);
}

void ectl_store_close(struct ectl_store *s)
{
    if (s)
        s->ops->close(s);
}

const char *ectl_store_backend(const struct ectl_store *s)
{
    return s->ops->name;
}

int ectl_store_schema_version(struct ectl_store *s)
{
    return s->ops->schema_version(s);
}

int ectl_store_begin(struct ectl_store *s, struct ectl_error *err)
{
    return s->ops->begin(s, err);
}

int ectl_store_commit(struct ectl_store *s, struct ectl_error *err)
{
    return s->ops->commit(s, err);
}

void ectl_store_rollback(struct ectl_store *s)
{
    s->ops->rollback(s);
}

/* ---- roles and releases ------------------------------------------------- */

static const char *const role_names[] = {"viewer", "officer", "admin"};

const char *ectl_role_name(enum ectl_role r)
{
    return (unsigned)r < 3 ? role_names[r] : "unknown";
}

int ectl_role_parse(const char *s, enum ectl_role *out)
{
    for (int r = 0; s && r < 3; r++)
        if (!strcmp(s, role_names[r])) {
            *out = (enum ectl_role)r;
            return 0;
        }
    return ECTL_EINVAL;
}

void ectl_user_release(struct ectl_user *u)
{
    if (!u)
        return;
    free(u->name);
    free(u->email);
    free(u->password_hash);
    memset(u, 0, sizeof *u);
}

void ectl_api_token_release(struct ectl_api_token *t)
{
    if (!t)
        return;
    free(t->label);
    memset(t, 0, sizeof *t);
}

void ectl_check_row_release(struct ectl_check_row *c)
{
    if (!c)
        return;
    free(c->verdict);
    free(c->request_json);
    free(c->result_json);
    memset(c, 0, sizeof *c);
}

bool ectl__verdict_valid(const char *v)
{
    static const char *const ok[] = {"clear", "licence_required", "review", "prohibited"};
    for (size_t i = 0; v && i < sizeof ok / sizeof *ok; i++)
        if (!strcmp(v, ok[i]))
            return true;
    return false;
}

/* ---- users -------------------------------------------------------------- */

/* Names appear in audit subjects, URLs and sign-in keys: keep them plain. */
static int check_name(const char *name, struct ectl_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64)
        return BAD("user name must be 1 to 64 characters");
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return BAD("user name '%s' must be letters, digits, '.', '_' or '-', starting with "
                       "a letter or digit",
                       name);
    }
    return 0;
}

/* Deliverability is the mail server's business; we only refuse what is
 * certainly not an address, and what could end or split a mail header
 * line when the address goes into a reset mail's To:. */
static int check_email(const char *email, struct ectl_error *err)
{
    size_t n = email ? strlen(email) : 0;
    const char *at = n ? strchr(email, '@') : NULL;
    if (n == 0 || n > 254 || !at || at == email || !at[1] || strchr(at + 1, '@'))
        return BAD("'%s' is not an email address", email ? email : "");
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)email[i] <= ' ' || email[i] == 0x7f || strchr("<>,;\"\\", email[i]))
            return BAD("email address contains a space, a control character or one of <>,;\"\\");
    return 0;
}

int ectl_store_user_check(const char *name, const char *email, struct ectl_error *err)
{
    int rc;
    ectl_error_clear(err);
    if ((rc = check_name(name, err)) || (rc = check_email(email, err)))
        return rc;
    return 0;
}

int ectl_store_user_add(struct ectl_store *s, const char *name, const char *email,
                        enum ectl_role role, const char *password_hash, int64_t *id,
                        struct ectl_error *err)
{
    int rc;
    if ((rc = ectl_store_user_check(name, email, err)))
        return rc;
    if ((unsigned)role > ECTL_ROLE_ADMIN)
        return BAD("unknown role %d", (int)role);
    if (!password_hash || !*password_hash)
        return BAD("no password hash");
    int64_t ignored;
    return s->ops->user_add(s, name, email, role, password_hash, (ectl_time)time(NULL),
                            id ? id : &ignored, err);
}

int ectl_store_user_get_by_name(struct ectl_store *s, const char *name, struct ectl_user *out,
                                struct ectl_error *err)
{
    ectl_error_clear(err);
    memset(out, 0, sizeof *out);
    if (!name)
        return BAD("no user name");
    return s->ops->user_get(s, ECTL__USER_BY_NAME, 0, name, out, err);
}

int ectl_store_user_get_by_email(struct ectl_store *s, const char *email, struct ectl_user *out,
                                 struct ectl_error *err)
{
    ectl_error_clear(err);
    memset(out, 0, sizeof *out);
    if (!email)
        return BAD("no email address");
    return s->ops->user_get(s, ECTL__USER_BY_EMAIL, 0, email, out, err);
}

int ectl_store_user_get(struct ectl_store *s, int64_t id, struct ectl_user *out,
                        struct ectl_error *err)
{
    ectl_error_clear(err);
    memset(out, 0, sizeof *out);
    return s->ops->user_get(s, ECTL__USER_BY_ID, id, NULL, out, err);
}

int ectl_store_user_set_password(struct ectl_store *s, int64_t id, const char *password_hash,
                                 struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!password_hash || !*password_hash)
        return BAD("no password hash");
    return s->ops->user_set_password(s, id, password_hash, err);
}

int ectl_store_user_set_disabled(struct ectl_store *s, int64_t id, bool disabled,
                                 struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->user_set_disabled(s, id, disabled, err);
}

int ectl_store_user_set_role(struct ectl_store *s, int64_t id, enum ectl_role role,
                             struct ectl_error *err)
{
    ectl_error_clear(err);
    if ((unsigned)role >= 3)
        return BAD("unknown role %d", (int)role);
    return s->ops->user_set_role(s, id, role, err);
}

int ectl_store_user_list(struct ectl_store *s, int (*fn)(void *ctx, const struct ectl_user *u),
                         void *ctx, struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->user_list(s, fn, ctx, err);
}

/* ---- sessions, reset tokens, API tokens ---------------------------------- */

int ectl_store_session_add(struct ectl_store *s, const uint8_t token_hash[32],
                           const struct ectl_session *sess, int64_t *id, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!token_hash || !sess || sess->user_id <= 0)
        return BAD("session needs a token hash and a user");
    int64_t ignored;
    return s->ops->session_add(s, token_hash, sess, id ? id : &ignored, err);
}

int ectl_store_session_get(struct ectl_store *s, const uint8_t token_hash[32],
                           struct ectl_session *out, struct ectl_error *err)
{
    ectl_error_clear(err);
    memset(out, 0, sizeof *out);
    if (!token_hash)
        return BAD("no token hash");
    return s->ops->session_get(s, token_hash, out, err);
}

int ectl_store_session_touch(struct ectl_store *s, int64_t id, ectl_time now,
                             struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->session_touch(s, id, now, err);
}

int ectl_store_session_delete(struct ectl_store *s, int64_t id, struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->session_delete(s, id, err);
}

int ectl_store_session_delete_user(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                                   struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->session_delete_user(s, user_id, keep_id, err);
}

int ectl_store_reset_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                         ectl_time expires_at, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!token_hash || user_id <= 0)
        return BAD("reset token needs a token hash and a user");
    return s->ops->reset_add(s, token_hash, user_id, expires_at, err);
}

int ectl_store_reset_consume(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                             int64_t *user_id, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!token_hash || !user_id)
        return BAD("no token hash");
    *user_id = 0;
    return s->ops->reset_consume(s, token_hash, now, user_id, err);
}

int ectl_store_token_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                         const char *label, int64_t *id, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!token_hash || user_id <= 0)
        return BAD("API token needs a token hash and a user");
    if (label && strlen(label) > 200)
        return BAD("token label longer than 200 bytes");
    int64_t ignored;
    return s->ops->token_add(s, token_hash, user_id, label ? label : "", (ectl_time)time(NULL),
                             id ? id : &ignored, err);
}

int ectl_store_token_get(struct ectl_store *s, const uint8_t token_hash[32],
                         struct ectl_api_token *out, struct ectl_error *err)
{
    ectl_error_clear(err);
    memset(out, 0, sizeof *out);
    if (!token_hash)
        return BAD("no token hash");
    return s->ops->token_get(s, token_hash, out, err);
}

int ectl_store_token_revoke(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                            struct ectl_error *err)
{
    ectl_error_clear(err);
    if (now <= 0)
        return BAD("revocation time must be positive (0 means valid)");
    return s->ops->token_revoke(s, id, user_id, now, err);
}

int ectl_store_token_list(struct ectl_store *s, int64_t user_id,
                          int (*fn)(void *ctx, const struct ectl_api_token *t), void *ctx,
                          struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->token_list(s, user_id, fn, ctx, err);
}

/* ---- failed sign-ins ------------------------------------------------------ */

int ectl_store_failure_add(struct ectl_store *s, const char *key, ectl_time now,
                           struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!key || !*key)
        return BAD("no failure key");
    return s->ops->failure_add(s, key, now, err);
}

int ectl_store_failure_count(struct ectl_store *s, const char *key, ectl_time since, int *count,
                             ectl_time *latest, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!key || !count)
        return BAD("no failure key");
    ectl_time ignored;
    *count = 0;
    if (latest)
        *latest = 0;
    return s->ops->failure_count(s, key, since, count, latest ? latest : &ignored, err);
}

int ectl_store_failure_clear(struct ectl_store *s, const char *key, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!key)
        return BAD("no failure key");
    return s->ops->failure_clear(s, key, err);
}

/* ---- shipment checks ------------------------------------------------------ */

int ectl_store_check_add(struct ectl_store *s, int64_t user_id, ectl_time now, const char *verdict,
                         const char *request_json, const char *result_json, int64_t *id,
                         struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!ectl__verdict_valid(verdict))
        return BAD("unknown verdict '%s'", verdict ? verdict : "");
    if (!request_json || !result_json)
        return BAD("a check needs its request and its result");
    if (user_id < 0)
        return BAD("bad user id");
    int64_t ignored;
    return s->ops->check_add(s, user_id, now, verdict, request_json, result_json,
                             id ? id : &ignored, err);
}

int ectl_store_check_get(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                         struct ectl_error *err)
{
    ectl_error_clear(err);
    memset(out, 0, sizeof *out);
    return s->ops->check_get(s, id, out, err);
}

int ectl_store_check_list(struct ectl_store *s, int64_t before_id, size_t limit,
                          int (*fn)(void *ctx, const struct ectl_check_row *c), void *ctx,
                          struct ectl_error *err)
{
    ectl_error_clear(err);
    return s->ops->check_list(s, before_id, limit, fn, ctx, err);
}
