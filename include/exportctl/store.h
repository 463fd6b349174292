/*
 * Storage for the service: accounts, sessions, API tokens, password-reset
 * tokens, shipment checks and the audit log.
 *
 * One interface, several back ends: ectl_store_open() picks SQLite for a
 * path (the default, "var/exportctl.db") and PostgreSQL for a
 * "postgresql://" URL (when built with libpq).  Handlers and commands call
 * only these functions; no SQL lives outside src/store/.  Numbered
 * migrations are applied by ectl_store_open() (ECTL_STORE_MIGRATE) or
 * refused when the database is newer than the code.
 *
 * Secrets are never stored: session, reset and API tokens are kept as
 * SHA-256 hashes of the token, passwords as Argon2id strings (see
 * auth.h).  The audit log is append-only and hash-chained: each entry's
 * hash covers its own fields and the previous entry's hash, so
 * ectl_store_audit_verify() finds the first altered or deleted row.
 *
 * Thread safety: a struct ectl_store is one connection; use one per thread
 * (the server keeps a small pool).  Strings returned in structs are owned by
 * the struct and released with the matching _release() function.
 *
 * Walks (the _list() functions and their callbacks): fn returns 0 to go on;
 * any other value stops the walk and is returned as is.  A limit of 0
 * means no limit.
 *
 * Errors: ECTL_EINVAL for a bad argument, ECTL_EEXISTS for a taken unique
 * value, ECTL_ENOENT for a missing row (or a missing database without
 * ECTL_STORE_CREATE), ECTL_ESTORE for anything the database itself
 * reports (err says what).
 */
#ifndef EXPORTCTL_STORE_H
#define EXPORTCTL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exportctl/error.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ectl_store;

enum ectl_store_flags {
    ECTL_STORE_MIGRATE = 1 << 0, /* apply pending migrations */
    ECTL_STORE_CREATE = 1 << 1,  /* create the database (and its folder) if missing */
};

int ectl_store_open(const char *where, unsigned flags, struct ectl_store **out,
                    struct ectl_error *err) __attribute__((warn_unused_result));
void ectl_store_close(struct ectl_store *s);
/* "sqlite" or "postgresql". */
const char *ectl_store_backend(const struct ectl_store *s);
int ectl_store_schema_version(struct ectl_store *s);

/* Optional explicit transaction, so that a change and its audit entry
 * commit together or not at all (the CLI wraps each user change with its
 * audit_append in one).  Takes the write lock at begin; calls made inside
 * it, audit_append included, join it.  Without begin, every call commits
 * on its own.  rollback() on a store with no open transaction does
 * nothing. */
int ectl_store_begin(struct ectl_store *s, struct ectl_error *err);
int ectl_store_commit(struct ectl_store *s, struct ectl_error *err);
void ectl_store_rollback(struct ectl_store *s);

/* Wall-clock time in seconds since the epoch, as the store records it. */
typedef int64_t ectl_time;

/* ---- Users ------------------------------------------------------------ */

enum ectl_role { ECTL_ROLE_VIEWER = 0, ECTL_ROLE_OFFICER = 1, ECTL_ROLE_ADMIN = 2 };
const char *ectl_role_name(enum ectl_role r);
int ectl_role_parse(const char *s, enum ectl_role *out);

struct ectl_user {
    int64_t id;
    char *name;
    char *email;
    enum ectl_role role;
    bool disabled;
    char *password_hash; /* Argon2id string */
    ectl_time created_at;
};
void ectl_user_release(struct ectl_user *u);

/* The name and email checks of user_add alone, without a database, so that
 * a caller can refuse bad input before asking for a password. */
int ectl_store_user_check(const char *name, const char *email, struct ectl_error *err);
/* ECTL_EEXISTS if the name or the email is taken (compared ignoring ASCII
 * case); ECTL_EINVAL for a name that is not 1-64 of [A-Za-z0-9._-]
 * starting with a letter or digit, or an email without one '@'. */
int ectl_store_user_add(struct ectl_store *s, const char *name, const char *email,
                        enum ectl_role role, const char *password_hash, int64_t *id,
                        struct ectl_error *err);
/* ECTL_ENOENT if there is no such user. */
int ectl_store_user_get_by_name(struct ectl_store *s, const char *name, struct ectl_user *out,
                                struct ectl_error *err);
int ectl_store_user_get_by_email(struct ectl_store *s, const char *email, struct ectl_user *out,
                                 struct ectl_error *err);
int ectl_store_user_get(struct ectl_store *s, int64_t id, struct ectl_user *out,
                        struct ectl_error *err);
int ectl_store_user_set_password(struct ectl_store *s, int64_t id, const char *password_hash,
                                 struct ectl_error *err);
/* Disabling also deletes the user's sessions and reset tokens in the same
 * transaction; API tokens stay (and work again on enable), so token users
 * must check the owner's .disabled. */
int ectl_store_user_set_disabled(struct ectl_store *s, int64_t id, bool disabled,
                                 struct ectl_error *err);
/* ECTL_ENOENT if there is no such user. Sessions stay: the role is read
 * afresh on every request, so the new role applies from the next one. */
int ectl_store_user_set_role(struct ectl_store *s, int64_t id, enum ectl_role role,
                             struct ectl_error *err);
/* Calls fn for every user in id order; fn's user is valid during the call. */
int ectl_store_user_list(struct ectl_store *s,
                         int (*fn)(void *ctx, const struct ectl_user *u), void *ctx,
                         struct ectl_error *err);

/* ---- Sessions, reset tokens, API tokens --------------------------------
 * token_hash is the 32-byte SHA-256 of the token the client holds. */

struct ectl_session {
    int64_t id;
    int64_t user_id;
    bool persistent;       /* "remember me" */
    ectl_time created_at;
    ectl_time last_seen;
    ectl_time expires_at;  /* absolute expiry */
    uint8_t csrf[32];      /* the session's CSRF secret */
};

int ectl_store_session_add(struct ectl_store *s, const uint8_t token_hash[32],
                           const struct ectl_session *sess, int64_t *id, struct ectl_error *err);
/* ECTL_ENOENT when unknown.  Expiry is the caller's to check. */
int ectl_store_session_get(struct ectl_store *s, const uint8_t token_hash[32],
                           struct ectl_session *out, struct ectl_error *err);
int ectl_store_session_touch(struct ectl_store *s, int64_t id, ectl_time now,
                             struct ectl_error *err);
int ectl_store_session_delete(struct ectl_store *s, int64_t id, struct ectl_error *err);
/* Delete every session of the user except keep_id (0: delete all). */
int ectl_store_session_delete_user(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                                   struct ectl_error *err);

/* A reset token is single-use: consume() deletes it and returns its user
 * only if it exists and has not expired (ECTL_ENOENT otherwise).  A
 * successful consume also deletes the user's other reset tokens. */
int ectl_store_reset_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                         ectl_time expires_at, struct ectl_error *err);
int ectl_store_reset_consume(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                             int64_t *user_id, struct ectl_error *err);

struct ectl_api_token {
    int64_t id;
    int64_t user_id;
    char *label;
    ectl_time created_at;
    ectl_time revoked_at; /* 0 while valid */
};
void ectl_api_token_release(struct ectl_api_token *t);
int ectl_store_token_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                         const char *label, int64_t *id, struct ectl_error *err);
/* ECTL_ENOENT when unknown or revoked. */
int ectl_store_token_get(struct ectl_store *s, const uint8_t token_hash[32],
                         struct ectl_api_token *out, struct ectl_error *err);
/* Revoke token id of user_id (0: of any user, for admins); ECTL_ENOENT if
 * there is no such valid token. */
int ectl_store_token_revoke(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                            struct ectl_error *err);
/* The user's tokens, revoked ones included, in id order. */
int ectl_store_token_list(struct ectl_store *s, int64_t user_id,
                          int (*fn)(void *ctx, const struct ectl_api_token *t), void *ctx,
                          struct ectl_error *err);

/* ---- Failed sign-ins (throttling) ---------------------------------------
 * key is "user:<name>" or "addr:<ip>"; counts failures since `since`. */
int ectl_store_failure_add(struct ectl_store *s, const char *key, ectl_time now,
                           struct ectl_error *err);
int ectl_store_failure_count(struct ectl_store *s, const char *key, ectl_time since,
                             int *count, ectl_time *latest, struct ectl_error *err);
int ectl_store_failure_clear(struct ectl_store *s, const char *key, struct ectl_error *err);

/* ---- Shipment checks ---------------------------------------------------- */

struct ectl_check_row {
    int64_t id;
    int64_t user_id;
    ectl_time created_at;
    char *verdict;      /* clear, licence_required, review, prohibited */
    char *request_json; /* the shipment as received */
    char *result_json;  /* the answer as sent */
};
void ectl_check_row_release(struct ectl_check_row *c);
/* Durable when it returns 0 (the transaction is committed; inside
 * ectl_store_begin(), at commit).  user_id 0: no user (the CLI). */
int ectl_store_check_add(struct ectl_store *s, int64_t user_id, ectl_time now,
                         const char *verdict, const char *request_json, const char *result_json,
                         int64_t *id, struct ectl_error *err);
int ectl_store_check_get(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                         struct ectl_error *err);
/* Newest first; ids below before_id (0: from the newest), at most limit. */
int ectl_store_check_list(struct ectl_store *s, int64_t before_id, size_t limit,
                          int (*fn)(void *ctx, const struct ectl_check_row *c), void *ctx,
                          struct ectl_error *err);

/* ---- Audit log ---------------------------------------------------------- */

struct ectl_audit_entry {
    int64_t seq;        /* 1, 2, 3 ... with no gaps */
    ectl_time at;
    char *actor;        /* "alice", "token:7", "cli", "anonymous" */
    char *action;       /* "session.create", "session.fail", "check.create", ... */
    char *subject;      /* what it concerns, e.g. "user:3", "check:42" */
    char *request_id;
    char *detail_json;  /* small JSON object */
    uint8_t prev_hash[32];
    uint8_t hash[32];
};
void ectl_audit_entry_release(struct ectl_audit_entry *e);

/* Append one entry (in its own transaction, synchronous=FULL for SQLite),
 * chaining it to the last one.  Safe against concurrent appenders.  A NULL
 * subject or request_id is stored as "", a NULL detail_json as "{}".  The
 * hash is defined in docs/audit-log.md. */
int ectl_store_audit_append(struct ectl_store *s, ectl_time at, const char *actor,
                            const char *action, const char *subject, const char *request_id,
                            const char *detail_json, int64_t *seq, struct ectl_error *err);

/* Newest first. */
struct ectl_audit_filter {
    int64_t before_seq; /* 0: from the newest */
    size_t limit;
    const char *actor;  /* NULL: any */
    const char *action; /* prefix, NULL: any */
    ectl_time since;    /* 0: any */
};
int ectl_store_audit_list(struct ectl_store *s, const struct ectl_audit_filter *f,
                          int (*fn)(void *ctx, const struct ectl_audit_entry *e), void *ctx,
                          struct ectl_error *err);

/* Walk the whole chain.  Returns 0 with *first_bad = 0 when intact; else
 * *first_bad is the first seq whose hash, link or numbering is wrong (a
 * deleted row shows as a gap), and err says what: the return is then
 * ECTL_ECORRUPT (any other error means the walk itself failed, and
 * *first_bad is 0).  *entries counts the entries found good. */
int ectl_store_audit_verify(struct ectl_store *s, int64_t *first_bad, int64_t *entries,
                            struct ectl_error *err);

#ifdef __cplusplus
}
#endif
#endif
