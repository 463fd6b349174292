/*
 * The SQLite back end, shared between its files: store_sqlite.c (the
 * connection, migrations, transactions and vtable), sqlite_accounts.c
 * (users, sessions, tokens, sign-in failures) and sqlite_records.c (checks
 * and the audit log).  Internal.
 *
 * Every database call has one shape: prepare, bind, step, and release at
 * a single out: label, whatever happened.  Statements are prepared once
 * per connection and kept (see ectl__sq_prepare): "release" resets them
 * for the next call rather than finalizing them.
 */
#ifndef ECTL_STORE_SQLITE_INT_H
#define ECTL_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store_int.h"

/* The statement cache: open addressing on a hash of the SQL text.  The
 * queries are a fixed set of string constants (a few dozen), so the table
 * never needs to evict; a full table, or a statement already in use on
 * this connection (a walk whose callback runs the same query), gets a
 * statement of its own that release() finalizes. */
#define ECTL__SQ_CACHE 128 /* slots, a power of two */

struct ectl__sq_slot {
    const char *sql; /* sqlite3_sql(st): owned by the statement */
    sqlite3_stmt *st;
    bool busy; /* handed out and not yet released */
};

struct ectl__sq_wlock;

struct ectl_sq {
    struct ectl_store base;
    sqlite3 *db;
    bool user_tx; /* inside ectl_store_begin() */
    int version;  /* schema version after open */
    struct ectl__sq_slot cache[ECTL__SQ_CACHE];
    struct ectl__sq_wlock *wlock; /* shared by this process's connections to the file */
    bool wlock_held;
    /* The head of the audit chain as this connection's last append left
     * it, inside ectl_store_begin() only: while the transaction holds the
     * write lock nobody else can append, so the next append of a batch
     * chains to it without reading it back.  Forgotten at commit,
     * rollback and on any failed append. */
    bool head_known;
    int64_t head_seq;
    uint8_t head_hash[32];
};

#define SQ(s) ((struct ectl_sq *)(s))

/* Turn SQLite's rc into ours, with "what: sqlite's message" in err:
 * UNIQUE/PRIMARY KEY -> ECTL_EEXISTS, FOREIGN KEY -> ECTL_ENOENT, CHECK ->
 * ECTL_EINVAL, NOMEM -> ECTL_ENOMEM, anything else ECTL_ESTORE. */
int ectl__sq_fail(struct ectl_sq *q, int rc, const char *what, struct ectl_error *err);
/* A statement for sql, ready to bind: the connection's cached one (reset,
 * no bindings), prepared with SQLITE_PREPARE_PERSISTENT on first use.
 * Give it back with ectl__sq_release(), never sqlite3_finalize(). */
int ectl__sq_prepare(struct ectl_sq *q, const char *sql, sqlite3_stmt **st, struct ectl_error *err);
/* Reset a statement from ectl__sq_prepare() and clear its bindings (so no
 * pointer to the caller's memory stays bound); one that is not cached is
 * finalized.  NULL does nothing.  A SELECT must be released before its
 * read transaction ends: an un-reset statement keeps its snapshot. */
void ectl__sq_release(struct ectl_sq *q, sqlite3_stmt *st);
/* Step a statement that returns no rows. */
int ectl__sq_done(struct ectl_sq *q, sqlite3_stmt *st, const char *what, struct ectl_error *err);
/* Prepare, bind n integers as ?1..?n, step to the end, finalize; *changes
 * (if not NULL) gets the number of rows changed. */
int ectl__sq_run(struct ectl_sq *q, const char *sql, int n, const int64_t *args, int *changes,
                 const char *what, struct ectl_error *err);
/* After a failed sqlite3_bind_*(). */
int ectl__sq_bind_fail(struct ectl_sq *q, struct ectl_error *err);
/* Column as a malloc'd string ("" for NULL); NULL only when out of memory. */
char *ectl__sq_dup(sqlite3_stmt *st, int col);
/* Copy a 32-byte blob column; a blob of another size is copied short or
 * cut, which hash checks then catch. */
void ectl__sq_blob32(sqlite3_stmt *st, int col, uint8_t out[32]);

/* A write that spans statements: BEGIN IMMEDIATE (or a savepoint inside the
 * caller's transaction); end() commits when rc is 0, else rolls back, and
 * returns rc or the commit's own failure.
 *
 * Every write of this process takes the file's writer mutex first (held
 * from BEGIN to COMMIT or ROLLBACK, or around one autocommit write in
 * ectl__sq_done), so the connections of one process queue on a mutex and
 * are woken the moment the writer before them is done, instead of polling
 * in SQLite's busy handler, which sleeps up to 100 ms between tries.
 * busy_timeout still covers other processes (the CLI).  Hence: a thread
 * inside a transaction must not write through another connection to the
 * same file; it would wait for itself (and fail after the busy timeout). */
int ectl__sq_tx_begin(struct ectl_sq *q, struct ectl_error *err);
int ectl__sq_tx_end(struct ectl_sq *q, int rc, struct ectl_error *err);

/* sqlite_accounts.c */
int ectl__sq_user_add(struct ectl_store *s, const char *name, const char *email,
                      enum ectl_role role, const char *password_hash, ectl_time now, int64_t *id,
                      struct ectl_error *err);
int ectl__sq_user_get(struct ectl_store *s, enum ectl__user_key key, int64_t id, const char *text,
                      struct ectl_user *out, struct ectl_error *err);
int ectl__sq_user_set_password(struct ectl_store *s, int64_t id, const char *password_hash,
                               struct ectl_error *err);
int ectl__sq_user_set_role(struct ectl_store *s, int64_t id, enum ectl_role role,
                           struct ectl_error *err);
int ectl__sq_user_set_disabled(struct ectl_store *s, int64_t id, bool disabled,
                               struct ectl_error *err);
int ectl__sq_user_list(struct ectl_store *s, int (*fn)(void *, const struct ectl_user *), void *ctx,
                       struct ectl_error *err);
int ectl__sq_session_add(struct ectl_store *s, const uint8_t token_hash[32],
                         const struct ectl_session *sess, int64_t *id, struct ectl_error *err);
int ectl__sq_session_get(struct ectl_store *s, const uint8_t token_hash[32],
                         struct ectl_session *out, struct ectl_error *err);
int ectl__sq_session_touch(struct ectl_store *s, int64_t id, ectl_time now, struct ectl_error *err);
int ectl__sq_session_delete(struct ectl_store *s, int64_t id, struct ectl_error *err);
int ectl__sq_session_delete_user(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                                 struct ectl_error *err);
int ectl__sq_reset_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       ectl_time expires_at, struct ectl_error *err);
int ectl__sq_reset_consume(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                           int64_t *user_id, struct ectl_error *err);
int ectl__sq_token_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       const char *label, ectl_time now, int64_t *id, struct ectl_error *err);
int ectl__sq_token_get(struct ectl_store *s, const uint8_t token_hash[32],
                       struct ectl_api_token *out, struct ectl_error *err);
int ectl__sq_token_revoke(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                          struct ectl_error *err);
int ectl__sq_token_list(struct ectl_store *s, int64_t user_id,
                        int (*fn)(void *, const struct ectl_api_token *), void *ctx,
                        struct ectl_error *err);
int ectl__sq_failure_add(struct ectl_store *s, const char *key, ectl_time now,
                         struct ectl_error *err);
int ectl__sq_failure_count(struct ectl_store *s, const char *key, ectl_time since, int *count,
                           ectl_time *latest, struct ectl_error *err);
int ectl__sq_failure_clear(struct ectl_store *s, const char *key, struct ectl_error *err);

/* sqlite_records.c */
int ectl__sq_check_add(struct ectl_store *s, int64_t user_id, ectl_time now, const char *verdict,
                       const char *request_json, const char *result_json, int64_t *id,
                       struct ectl_error *err);
int ectl__sq_check_get(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                       struct ectl_error *err);
int ectl__sq_check_list(struct ectl_store *s, int64_t before_id, size_t limit,
                        int (*fn)(void *, const struct ectl_check_row *), void *ctx,
                        struct ectl_error *err);
int ectl__sq_audit_append(struct ectl_store *s, struct ectl_audit_entry *e, struct ectl_error *err);
int ectl__sq_audit_list(struct ectl_store *s, const struct ectl_audit_filter *f,
                        int (*fn)(void *, const struct ectl_audit_entry *), void *ctx,
                        struct ectl_error *err);
int ectl__sq_audit_scan(struct ectl_store *s, int (*fn)(void *, const struct ectl_audit_entry *),
                        void *ctx, struct ectl_error *err);

#endif
