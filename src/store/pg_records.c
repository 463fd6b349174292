/*
 * PostgreSQL back end: shipment checks and the audit log — the queries of
 * sqlite_records.c in PostgreSQL's dialect.
 */
#include <stdlib.h>
#include <string.h>

#include "pg_int.h"

#define NOMEM() ectl_error_set(err, ECTL_ENOMEM, "out of memory")

/* Rows per round trip when walking the whole audit log. */
#define SCAN_BATCH 1000

/* ---- shipment checks ---------------------------------------------------- */

#define CHECK_COLUMNS "id, coalesce(user_id, 0), created_at, verdict, request_json, result_json"

static int read_check(const PGresult *r, int row, struct ectl_check_row *c, struct ectl_error *err)
{
    c->id = ectl__pg_get_int(r, row, 0);
    c->user_id = ectl__pg_get_int(r, row, 1);
    c->created_at = ectl__pg_get_int(r, row, 2);
    c->verdict = ectl__pg_get_dup(r, row, 3);
    c->request_json = ectl__pg_get_dup(r, row, 4);
    c->result_json = ectl__pg_get_dup(r, row, 5);
    if (!c->verdict || !c->request_json || !c->result_json) {
        ectl_check_row_release(c);
        return NOMEM();
    }
    return 0;
}

int ectl__pg_check_add(struct ectl_store *s, int64_t user_id, ectl_time now, const char *verdict,
                       const char *request_json, const char *result_json, int64_t *id,
                       struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_int(&p, user_id);
    ectl__pg_int(&p, now);
    ectl__pg_text(&p, verdict);
    ectl__pg_text(&p, request_json);
    ectl__pg_text(&p, result_json);
    /* Outside ectl_store_begin() the statement commits on its own. */
    int rc = ectl__pg_exec(PG(s),
                           "INSERT INTO checks (user_id, created_at, verdict, request_json,"
                           " result_json) VALUES (nullif($1::bigint, 0), $2::bigint, $3, $4, $5)"
                           " RETURNING id",
                           &p, &r, NULL, "recording check", err);
    if (!rc)
        *id = ectl__pg_get_int(r, 0, 0);
    PQclear(r);
    return rc;
}

int ectl__pg_check_get(struct ectl_store *s, int64_t id, struct ectl_check_row *out,
                       struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_int(&p, id);
    int rc = ectl__pg_exec(PG(s), "SELECT " CHECK_COLUMNS " FROM checks WHERE id = $1::bigint", &p,
                           &r, NULL, "reading check", err);
    if (!rc)
        rc = PQntuples(r) == 1
                 ? read_check(r, 0, out, err)
                 : ectl_error_set(err, ECTL_ENOENT, "no check with id %lld", (long long)id);
    PQclear(r);
    return rc;
}

int ectl__pg_check_list(struct ectl_store *s, int64_t before_id, size_t limit,
                        int (*fn)(void *, const struct ectl_check_row *), void *ctx,
                        struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    ectl__pg_int(&p, before_id);
    if (limit && limit <= INT64_MAX)
        ectl__pg_int(&p, (int64_t)limit);
    else
        ectl__pg_text(&p, NULL); /* LIMIT NULL: no limit */
    int rc = ectl__pg_exec(PG(s),
                           "SELECT " CHECK_COLUMNS " FROM checks"
                           " WHERE ($1::bigint = 0 OR id < $1::bigint)"
                           " ORDER BY id DESC LIMIT $2::bigint",
                           &p, &r, NULL, "listing checks", err);
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct ectl_check_row c = {0};
        if ((rc = read_check(r, i, &c, err)))
            break;
        rc = fn(ctx, &c);
        ectl_check_row_release(&c);
    }
    PQclear(r);
    return rc;
}

/* ---- audit log ---------------------------------------------------------- */

#define AUDIT_COLUMNS "seq, at, actor, action, subject, request_id, detail_json, prev_hash, hash"

static int read_entry(const PGresult *r, int row, struct ectl_audit_entry *e,
                      struct ectl_error *err)
{
    e->seq = ectl__pg_get_int(r, row, 0);
    e->at = ectl__pg_get_int(r, row, 1);
    e->actor = ectl__pg_get_dup(r, row, 2);
    e->action = ectl__pg_get_dup(r, row, 3);
    e->subject = ectl__pg_get_dup(r, row, 4);
    e->request_id = ectl__pg_get_dup(r, row, 5);
    e->detail_json = ectl__pg_get_dup(r, row, 6);
    ectl__pg_get_blob32(r, row, 7, e->prev_hash);
    ectl__pg_get_blob32(r, row, 8, e->hash);
    if (!e->actor || !e->action || !e->subject || !e->request_id || !e->detail_json) {
        ectl_audit_entry_release(e);
        return NOMEM();
    }
    return 0;
}

static int each_entry(PGresult *r, int (*fn)(void *, const struct ectl_audit_entry *), void *ctx,
                      int64_t *last, struct ectl_error *err)
{
    int rc = 0;
    for (int i = 0; !rc && i < PQntuples(r); i++) {
        struct ectl_audit_entry e = {0};
        if ((rc = read_entry(r, i, &e, err)))
            break;
        *last = e.seq;
        rc = fn(ctx, &e);
        ectl_audit_entry_release(&e);
    }
    return rc;
}

/* EXCLUSIVE mode lets readers in but no other writer: the head read and
 * the insert after it are one step for every other appender, which waits
 * here and then reads this entry as its head. */
int ectl__pg_audit_append(struct ectl_store *s, struct ectl_audit_entry *e, struct ectl_error *err)
{
    struct ectl_pg *g = PG(s);
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    int rc = ectl__pg_tx_begin(g, err);
    if (rc)
        return rc;
    rc = ectl__pg_exec(g, "LOCK TABLE audit_log IN EXCLUSIVE MODE", NULL, NULL, NULL,
                       "locking the audit log", err);
    if (!rc)
        rc = ectl__pg_exec(g, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL, &r,
                           NULL, "reading the audit head", err);
    if (!rc) {
        e->seq = PQntuples(r) ? ectl__pg_get_int(r, 0, 0) + 1 : 1;
        if (PQntuples(r))
            ectl__pg_get_blob32(r, 0, 1, e->prev_hash);
        else
            memset(e->prev_hash, 0, 32);
        ectl__audit_hash(e, e->hash);
        ectl__pg_int(&p, e->seq);
        ectl__pg_int(&p, e->at);
        ectl__pg_text(&p, e->actor);
        ectl__pg_text(&p, e->action);
        ectl__pg_text(&p, e->subject);
        ectl__pg_text(&p, e->request_id);
        ectl__pg_text(&p, e->detail_json);
        ectl__pg_bytes(&p, e->prev_hash, 32);
        ectl__pg_bytes(&p, e->hash, 32);
        rc = ectl__pg_exec(g,
                           "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES ($1::bigint,"
                           " $2::bigint, $3, $4, $5, $6, $7, $8, $9)",
                           &p, NULL, NULL, "appending to the audit log", err);
    }
    PQclear(r);
    return ectl__pg_tx_end(g, rc, err);
}

int ectl__pg_audit_list(struct ectl_store *s, const struct ectl_audit_filter *f,
                        int (*fn)(void *, const struct ectl_audit_entry *), void *ctx,
                        struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    PGresult *r = NULL;
    int64_t last = 0;
    ectl__pg_int(&p, f->before_seq);
    ectl__pg_text(&p, f->actor);
    ectl__pg_text(&p, f->action);
    ectl__pg_int(&p, f->since);
    if (f->limit && f->limit <= INT64_MAX)
        ectl__pg_int(&p, (int64_t)f->limit);
    else
        ectl__pg_text(&p, NULL);
    /* left() rather than LIKE: an action prefix is literal text. */
    int rc = ectl__pg_exec(PG(s),
                           "SELECT " AUDIT_COLUMNS " FROM audit_log"
                           " WHERE ($1::bigint = 0 OR seq < $1::bigint)"
                           " AND ($2::text IS NULL OR actor = $2::text)"
                           " AND ($3::text IS NULL OR left(action, length($3::text)) = $3::text)"
                           " AND ($4::bigint = 0 OR at >= $4::bigint)"
                           " ORDER BY seq DESC LIMIT $5::bigint",
                           &p, &r, NULL, "listing the audit log", err);
    if (!rc)
        rc = each_entry(r, fn, ctx, &last, err);
    PQclear(r);
    return rc;
}

/* In batches by seq, so that a long log never sits in memory whole. */
int ectl__pg_audit_scan(struct ectl_store *s, int (*fn)(void *, const struct ectl_audit_entry *),
                        void *ctx, struct ectl_error *err)
{
    int64_t last = 0;
    int rc = 0, rows;
    do {
        struct ectl_pg_params p = {0};
        PGresult *r = NULL;
        ectl__pg_int(&p, last);
        ectl__pg_int(&p, SCAN_BATCH);
        rc = ectl__pg_exec(PG(s),
                           "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE seq > $1::bigint"
                           " ORDER BY seq LIMIT $2::bigint",
                           &p, &r, NULL, "reading the audit log", err);
        rows = rc ? 0 : PQntuples(r);
        if (!rc)
            rc = each_entry(r, fn, ctx, &last, err);
        PQclear(r);
    } while (!rc && rows == SCAN_BATCH);
    return rc;
}
