/*
 * The PostgreSQL back end, shared between its files: store_pg.c (the
 * connection, migrations, transactions, helpers and vtable), pg_accounts.c
 * and pg_records.c (the same queries as the SQLite files, in PostgreSQL's
 * dialect).  Built only when libpq is found.  Internal.
 *
 * Every database call has one shape: fill the parameters, execute, read,
 * and PQclear() at a single out: label.  Integers and text go as text
 * parameters, hashes as binary ones; results come back as text (bytea as
 * "\x" hex).
 */
#ifndef ECTL_STORE_PG_INT_H
#define ECTL_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store_int.h"

struct ectl_pg {
    struct ectl_store base;
    PGconn *conn;
    bool user_tx;
    int version;
};

#define PG(s) ((struct ectl_pg *)(s))

#define ECTL_PG_MAX_PARAMS 10

struct ectl_pg_params {
    int n;
    const char *values[ECTL_PG_MAX_PARAMS];
    int lengths[ECTL_PG_MAX_PARAMS];
    int formats[ECTL_PG_MAX_PARAMS];
    char ints[ECTL_PG_MAX_PARAMS][24];
};

void ectl__pg_int(struct ectl_pg_params *p, int64_t v);
/* NULL is SQL NULL. */
void ectl__pg_text(struct ectl_pg_params *p, const char *s);
void ectl__pg_bytes(struct ectl_pg_params *p, const uint8_t *b, int len);

/* Execute; *res (if not NULL) gets the result to read and PQclear().
 * Errors map as in SQLite: unique_violation -> ECTL_EEXISTS,
 * foreign_key_violation -> ECTL_ENOENT, check_violation -> ECTL_EINVAL,
 * anything else ECTL_ESTORE.  *changes gets the rows affected. */
int ectl__pg_exec(struct ectl_pg *g, const char *sql, const struct ectl_pg_params *p,
                  PGresult **res, int *changes, const char *what, struct ectl_error *err);

int64_t ectl__pg_get_int(const PGresult *r, int row, int col);
/* malloc'd copy ("" for NULL); NULL only when out of memory. */
char *ectl__pg_get_dup(const PGresult *r, int row, int col);
/* A bytea column into out (zero-filled, cut at 32 bytes). */
void ectl__pg_get_blob32(const PGresult *r, int row, int col, uint8_t out[32]);

int ectl__pg_tx_begin(struct ectl_pg *g, struct ectl_error *err);
int ectl__pg_tx_end(struct ectl_pg *g, int rc, struct ectl_error *err);

/* pg_accounts.c */
int ectl__pg_user_add(struct ectl_store *s, const char *name, const char *email,
                      enum ectl_role role, const char *password_hash, ectl_time now, int64_t *id,
                      struct ectl_error *err);
int ectl__pg_user_get(struct ectl_store *s, enum ectl__user_key key, int64_t id, const char *text,
                      struct ectl_user *out, struct ectl_error *err);
int ectl__pg_user_set_password(struct ectl_store *s, int64_t id, const char *password_hash,
                               struct ectl_error *err);
int ectl__pg_user_set_role(struct ectl_store *s, int64_t id, enum ectl_role role,
                           struct ectl_error *err);
int ectl__pg_user_set_disabled(struct ectl_store *s, int64_t id, bool disabled,
                               struct ectl_error *err);
int ectl__pg_user_list(struct ectl_store *s, int (*fn)(void *, const struct ectl_user *), void *ctx,
                       struct ectl_error *err);
int ectl__pg_session_add(struct ectl_store *s, const uint8_t token_hash[32],
                         const struct ectl_session *sess, int64_t *id, struct ectl_error *err);
int ectl__pg_session_get(struct ectl_store *s, const uint8_t token_hash[32],
                         struct ectl_session *out, struct ectl_error *err);
int ectl__pg_session_touch(struct ectl_store *s, int64_t id, ectl_time now, struct ectl_error *err);
int ectl__pg_session_delete(struct ectl_store *s, int64_t id, struct ectl_error *err);
int ectl__pg_session_delete_user(struct ectl_store *s, int64_t user_id, int64_t keep_id,
                                 struct ectl_error *err);
int ectl__pg_reset_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       ectl_time expires_at, struct ectl_error *err);
int ectl__pg_reset_consume(struct ectl_store *s, const uint8_t token_hash[32], ectl_time now,
                           int64_t *user_id, struct ectl_error *err);
int ectl__pg_token_add(struct ectl_store *s, const uint8_t token_hash[32], int64_t user_id,
                       const char *label, ectl_time now, int64_t *id, struct ectl_error *err);
int ectl__pg_token_get(struct ectl_store *s, const uint8_t token_hash[32],
                       struct ectl_api_token *out, struct ectl_error *err);
int ectl__pg_token_revoke(struct ectl_store *s, int64_t id, int64_t user_id, ectl_time now,
                          struct ectl_error *err);
int ectl__pg_token_list(struct ectl_store *s, int64_t user_id,
                        int (*fn)(void *, const struct ectl_api_token *), void *ctx,
                        struct ectl_error *err);
int ectl__pg_failure_add(struct ectl_store *s, const char *key, ectl_time now,
                         struct ectl_error *err);
int ectl__pg_failure_count(struct ectl_store *s, const char *key, ectl_time since, int *count,
                           ectl_time *latest, struct ectl_error *err);
int ectl__pg_failure_clear(struct ectl_store *s, const char *key, struct ectl_error *err);

/* pg_records.c */
int ectl__pg_check_add(struct ectl_store *s, int64_t user_id, ectl_time now, const char *verdict,
                       const char *request_json, const char *result_json, int64_t *id,
                       struct ectl_error *err);
int ectl__pg_check_get(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                       struct ectl_error *err);
int ectl__pg_check_list(struct ectl_store *s, int64_t before_id, size_t limit,
                        int (*fn)(void *, const struct ectl_check_row *), void *ctx,
                        struct ectl_error *err);
int ectl__pg_audit_append(struct ectl_store *s, struct ectl_audit_entry *e, struct ectl_error *err);
int ectl__pg_audit_list(struct ectl_store *s, const struct ectl_audit_filter *f,
                        int (*fn)(void *, const struct ectl_audit_entry *), void *ctx,
                        struct ectl_error *err);
int ectl__pg_audit_scan(struct ectl_store *s, int (*fn)(void *, const struct ectl_audit_entry *),
                        void *ctx, struct ectl_error *err);

#endif
