/*
 * Inside the store: the back-end vtable and what the back ends share.
 *
 * store.c checks arguments and dispatches every public ectl_store_*()
 * call through struct ectl_store_ops; audit.c owns the audit chain (its
 * hash, and the walk that verifies it) so that both back ends hash the
 * same bytes.  A back end embeds struct ectl_store first in its own
 * connection struct.  Internal: nothing here is part of the public API.
 */
#ifndef ECTL_STORE_INT_H
#define ECTL_STORE_INT_H

#include <stddef.h>

#include <exportctl/store.h>

/* How user_get finds its row. */
enum ectl__user_key { ECTL__USER_BY_ID, ECTL__USER_BY_NAME, ECTL__USER_BY_EMAIL };

/* Arguments have been checked by store.c when these are called: strings
 * are non-NULL, ids positive, out pointers valid. */
struct ectl_store_ops {
    const char *name; /* "sqlite", "postgresql" */
    void (*close)(struct ectl_store *s);
    int (*schema_version)(struct ectl_store *s);
    int (*begin)(struct ectl_store *s, struct ectl_error *err);
    int (*commit)(struct ectl_store *s, struct ectl_error *err);
    void (*rollback)(struct ectl_store *s);

    int (*user_add)(struct ectl_store *s, const char *name, const char *email, enum ectl_role role,
                    const char *password_hash, ectl_time now, int64_t *id, struct ectl_error *err);
    int (*user_get)(struct ectl_store *s, enum ectl__user_key key, int64_t id, const char *text,
                    struct ectl_user *out, struct ectl_error *err);
    int (*user_set_password)(struct ectl_store *s, int64_t id, const char *password_hash,
                             struct ectl_error *err);
    int (*user_set_role)(struct ectl_store *s, int64_t id, enum ectl_role role,
                         struct ectl_error *err);
    int (*user_set_disabled)(struct ectl_store *s, int64_t id, bool disabled,
                             struct ectl_error *err);
    int (*user_list)(struct ectl_store *s, int (*fn)(void *, const struct ectl_user *), void *ctx,
                     struct ectl_error *err);

    int (*session_add)(struct ectl_store *s, const uint8_t token_hash[32],
                       const struct ectl_session *sess, int64_t *id, struct ectl_error *err);
    int (*session_get)(struct ectl_store *s, const uint8_t token_hash[32], struct ectl_session *out,
                       struct ectl_error *err);
    int (*session_touch)(struct ectl_store *s, int64_t id, ectl_time now, struct ectl_error *err);
    int (*session_delete)(struct ectl_store *s, int64_t id, struct ectl_error *err);
    int (*session_delete_user)(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                               struct ectl_error *err);

    int (*reset_add)(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                     ectl_time expires_at, struct ectl_error *err);
    int (*reset_consume)(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                         int64_t *user_id, struct ectl_error *err);

    int (*token_add)(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                     const char *label, ectl_time now, int64_t *id, struct ectl_error *err);
    int (*token_get)(struct ectl_store *s, const uint8_t token_hash[32], struct ectl_api_token *out,
                     struct ectl_error *err);
    int (*token_revoke)(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                        struct ectl_error *err);
    int (*token_list)(struct ectl_store *s, int64_t user_id,
                      int (*fn)(void *, const struct ectl_api_token *), void *ctx,
                      struct ectl_error *err);

    int (*failure_add)(struct ectl_store *s, const char *key, ectl_time now,
                       struct ectl_error *err);
    int (*failure_count)(struct ectl_store *s, const char *key, ectl_time since, int *count,
                         ectl_time *latest, struct ectl_error *err);
    int (*failure_clear)(struct ectl_store *s, const char *key, struct ectl_error *err);

    int (*check_add)(struct ectl_store *s, int64_t user_id, ectl_time now, const char *verdict,
                     const char *request_json, const char *result_json, int64_t *id,
                     struct ectl_error *err);
    int (*check_get)(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                     struct ectl_error *err);
    int (*check_list)(struct ectl_store *s, int64_t before_id, size_t limit,
                      int (*fn)(void *, const struct ectl_check_row *), void *ctx,
                      struct ectl_error *err);

    /* e carries at, actor, action, subject, request_id and detail_json (all
     * non-NULL); the back end, holding the write lock, reads the last entry,
     * sets e->seq and e->prev_hash, calls ectl__audit_hash() for e->hash and
     * inserts the row. */
    int (*audit_append)(struct ectl_store *s, struct ectl_audit_entry *e, struct ectl_error *err);
    int (*audit_list)(struct ectl_store *s, const struct ectl_audit_filter *f,
                      int (*fn)(void *, const struct ectl_audit_entry *), void *ctx,
                      struct ectl_error *err);
    /* Every entry, oldest first, as stored (for verify). */
    int (*audit_scan)(struct ectl_store *s, int (*fn)(void *, const struct ectl_audit_entry *),
                      void *ctx, struct ectl_error *err);
};

struct ectl_store {
    const struct ectl_store_ops *ops;
};

/* Back ends.  where is a file path for SQLite, a libpq URL for PostgreSQL. */
int ectl__store_sqlite_open(const char *where, unsigned flags, struct ectl_store **out,
                            struct ectl_error *err);
int ectl__store_pg_open(const char *where, unsigned flags, struct ectl_store **out,
                        struct ectl_error *err);

/* The entry hash of docs/audit-log.md over e's fields and e->prev_hash. */
void ectl__audit_hash(const struct ectl_audit_entry *e, uint8_t out[32]);

/* Migrations, generated at build time from migrations/<backend>/NNNN_name.sql
 * by migrations/embed.py: element i is schema version i + 1. */
struct ectl__migration {
    const char *name;
    const char *sql;
};
extern const struct ectl__migration ectl__sqlite_migrations[];
extern const size_t ectl__sqlite_migration_count;
extern const struct ectl__migration ectl__pg_migrations[];
extern const size_t ectl__pg_migration_count;

/* Verdicts a check may carry. */
bool ectl__verdict_valid(const char *v);

#endif
