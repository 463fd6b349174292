/*
 * SQLite back end: the records the law makes us keep — shipment checks and
 * the hash-chained audit log.  With synchronous=FULL (store_sqlite.c) a
 * record is on disk when its commit returns.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite_int.h"

#define NOMEM() ectl_error_set(err, ECTL_ENOMEM, "out of memory")

/* ---- shipment checks ---------------------------------------------------- */

#define CHECK_COLUMNS "id, coalesce(user_id, 0), created_at, verdict, request_json, result_json"

static int read_check(sqlite3_stmt *st, struct ectl_check_row *c, struct ectl_error *err)
{
    c->id = sqlite3_column_int64(st, 0);
    c->user_id = sqlite3_column_int64(st, 1);
    c->created_at = sqlite3_column_int64(st, 2);
    c->verdict = ectl__sq_dup(st, 3);
    c->request_json = ectl__sq_dup(st, 4);
    c->result_json = ectl__sq_dup(st, 5);
    if (!c->verdict || !c->request_json || !c->result_json) {
        ectl_check_row_release(c);
        return NOMEM();
    }
    return 0;
}

int ectl__sq_check_add(struct ectl_store *s, int64_t user_id, ectl_time now, const char *verdict,
                       const char *request_json, const char *result_json, int64_t *id,
                       struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "INSERT INTO checks (user_id, created_at, verdict, request_json,"
                              " result_json) VALUES (nullif(?1, 0), ?2, ?3, ?4, ?5)",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_int64(st, 1, user_id) || sqlite3_bind_int64(st, 2, now) ||
        sqlite3_bind_text(st, 3, verdict, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 4, request_json, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 5, result_json, -1, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    /* Outside ectl_store_begin() this statement is its own transaction, so
     * the row is committed (and, with synchronous=FULL, synced) here. */
    rc = ectl__sq_done(q, st, "recording check", err);
    if (!rc)
        *id = sqlite3_last_insert_rowid(q->db);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_check_get(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                       struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, "SELECT " CHECK_COLUMNS " FROM checks WHERE id = ?1", &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_int64(st, 1, id)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = read_check(st, out, err);
    else if (rc == SQLITE_DONE)
        rc = ectl_error_set(err, ECTL_ENOENT, "no check with id %lld", (long long)id);
    else
        rc = ectl__sq_fail(q, rc, "reading check", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_check_list(struct ectl_store *s, int64_t before_id, size_t limit,
                        int (*fn)(void *, const struct ectl_check_row *), void *ctx,
                        struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "SELECT " CHECK_COLUMNS " FROM checks WHERE (?1 = 0 OR id < ?1)"
                              " ORDER BY id DESC LIMIT ?2",
                              &st, err);
    if (rc)
        goto out;
    /* LIMIT -1 is SQLite for "no limit". */
    if (sqlite3_bind_int64(st, 1, before_id) ||
        sqlite3_bind_int64(st, 2, limit && limit <= INT64_MAX ? (int64_t)limit : -1)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ectl_check_row c = {0};
        if ((rc = read_check(st, &c, err)))
            goto out;
        rc = fn(ctx, &c);
        ectl_check_row_release(&c);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "listing checks", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* ---- audit log ---------------------------------------------------------- */

#define AUDIT_COLUMNS "seq, at, actor, action, subject, request_id, detail_json, prev_hash, hash"

static int read_entry(sqlite3_stmt *st, struct ectl_audit_entry *e, struct ectl_error *err)
{
    e->seq = sqlite3_column_int64(st, 0);
    e->at = sqlite3_column_int64(st, 1);
    e->actor = ectl__sq_dup(st, 2);
    e->action = ectl__sq_dup(st, 3);
    e->subject = ectl__sq_dup(st, 4);
    e->request_id = ectl__sq_dup(st, 5);
    e->detail_json = ectl__sq_dup(st, 6);
    ectl__sq_blob32(st, 7, e->prev_hash);
    ectl__sq_blob32(st, 8, e->hash);
    if (!e->actor || !e->action || !e->subject || !e->request_id || !e->detail_json) {
        ectl_audit_entry_release(e);
        return NOMEM();
    }
    return 0;
}

/* Reads the head of the chain: seq 0 and a zero hash when the log is empty. */
static int read_head(struct ectl_sq *q, int64_t *seq, uint8_t hash[32], struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc =
        ectl__sq_prepare(q, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st, err);
    if (rc)
        goto out;
    *seq = 0;
    memset(hash, 0, 32);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        ectl__sq_blob32(st, 1, hash);
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "reading the audit head", err);
    }
out:
    ectl__sq_release(q, st);
    return rc;
}

static int insert_entry(struct ectl_sq *q, const struct ectl_audit_entry *e, struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(
        q, "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_int64(st, 1, e->seq) || sqlite3_bind_int64(st, 2, e->at) ||
        sqlite3_bind_text(st, 3, e->actor, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 4, e->action, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 5, e->subject, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 6, e->request_id, -1, SQLITE_STATIC) ||
        sqlite3_bind_text(st, 7, e->detail_json, -1, SQLITE_STATIC) ||
        sqlite3_bind_blob(st, 8, e->prev_hash, 32, SQLITE_STATIC) ||
        sqlite3_bind_blob(st, 9, e->hash, 32, SQLITE_STATIC)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "appending to the audit log", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* Reading the head and inserting after it happen under one write lock
 * (BEGIN IMMEDIATE, taken before the read), so two appenders can never
 * both chain to the same entry: the second waits, then reads the first's
 * row as its head. */
int ectl__sq_audit_append(struct ectl_store *s, struct ectl_audit_entry *e, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    int64_t head = 0;
    bool known = q->user_tx && q->head_known;
    q->head_known = false; /* until this append has succeeded */
    int rc = ectl__sq_tx_begin(q, err);
    if (rc)
        return rc;
    if (known) {
        head = q->head_seq;
        memcpy(e->prev_hash, q->head_hash, 32);
    } else {
        rc = read_head(q, &head, e->prev_hash, err);
    }
    if (!rc) {
        e->seq = head + 1;
        ectl__audit_hash(e, e->hash);
        rc = insert_entry(q, e, err);
    }
    rc = ectl__sq_tx_end(q, rc, err);
    if (!rc && q->user_tx) {
        q->head_known = true;
        q->head_seq = e->seq;
        memcpy(q->head_hash, e->hash, 32);
    }
    return rc;
}

int ectl__sq_audit_list(struct ectl_store *s, const struct ectl_audit_filter *f,
                        int (*fn)(void *, const struct ectl_audit_entry *), void *ctx,
                        struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    /* substr() rather than LIKE: an action prefix is literal text, and
     * '_' is common in it. */
    int rc = ectl__sq_prepare(q,
                              "SELECT " AUDIT_COLUMNS " FROM audit_log"
                              " WHERE (?1 = 0 OR seq < ?1) AND (?2 IS NULL OR actor = ?2)"
                              " AND (?3 IS NULL OR substr(action, 1, length(?3)) = ?3)"
                              " AND (?4 = 0 OR at >= ?4)"
                              " ORDER BY seq DESC LIMIT ?5",
                              &st, err);
    if (rc)
        goto out;
    if (sqlite3_bind_int64(st, 1, f->before_seq) ||
        (f->actor ? sqlite3_bind_text(st, 2, f->actor, -1, SQLITE_STATIC)
                  : sqlite3_bind_null(st, 2)) ||
        (f->action ? sqlite3_bind_text(st, 3, f->action, -1, SQLITE_STATIC)
                   : sqlite3_bind_null(st, 3)) ||
        sqlite3_bind_int64(st, 4, f->since) ||
        sqlite3_bind_int64(st, 5, f->limit && f->limit <= INT64_MAX ? (int64_t)f->limit : -1)) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ectl_audit_entry e = {0};
        if ((rc = read_entry(st, &e, err)))
            goto out;
        rc = fn(ctx, &e);
        ectl_audit_entry_release(&e);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "listing the audit log", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

int ectl__sq_audit_scan(struct ectl_store *s, int (*fn)(void *, const struct ectl_audit_entry *),
                        void *ctx, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    sqlite3_stmt *st = NULL;
    /* One read transaction (the statement's own): in WAL mode the walk sees
     * one snapshot, however many appends land meanwhile. */
    int rc = ectl__sq_prepare(q, "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq", &st, err);
    if (rc)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct ectl_audit_entry e = {0};
        if ((rc = read_entry(st, &e, err)))
            goto out;
        rc = fn(ctx, &e);
        ectl_audit_entry_release(&e);
        if (rc)
            goto out;
    }
    rc = rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, "reading the audit log", err);
out:
    ectl__sq_release(q, st);
    return rc;
}
