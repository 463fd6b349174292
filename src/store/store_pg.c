/*
 * PostgreSQL back end (multi-instance deployments): the connection,
 * migrations, transactions, the helpers its query files share, and the
 * vtable.  Same tables, same numbering of migrations and same audit hash
 * as SQLite (migrations/pg/ mirrors migrations/sqlite/).
 *
 * Durability is the server's: PostgreSQL's default synchronous_commit=on
 * means a commit has returned only once its WAL is flushed, which is what
 * store.h promises for checks and audit entries.  Concurrent appenders are
 * serialised by a table lock taken in the append's transaction (pg_records.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pg_int.h"

/* Any constant will do: it names "exportctl migrations" among the
 * advisory locks of this database. */
#define MIGRATION_LOCK 0x6563746c6d6967LL

/* ---- parameters and results ---------------------------------------------- */

void ectl__pg_int(struct ectl_pg_params *p, int64_t v)
{
    snprintf(p->ints[p->n], sizeof p->ints[p->n], "%lld", (long long)v);
    p->values[p->n] = p->ints[p->n];
    p->lengths[p->n] = 0;
    p->formats[p->n++] = 0;
}

void ectl__pg_text(struct ectl_pg_params *p, const char *s)
{
    p->values[p->n] = s;
    p->lengths[p->n] = 0;
    p->formats[p->n++] = 0;
}

void ectl__pg_bytes(struct ectl_pg_params *p, const uint8_t *b, int len)
{
    p->values[p->n] = (const char *)b;
    p->lengths[p->n] = len;
    p->formats[p->n++] = 1;
}

int ectl__pg_exec(struct ectl_pg *g, const char *sql, const struct ectl_pg_params *p,
                  PGresult **res, int *changes, const char *what, struct ectl_error *err)
{
    PGresult *r = PQexecParams(g->conn, sql, p ? p->n : 0, NULL, p ? p->values : NULL,
                               p ? p->lengths : NULL, p ? p->formats : NULL, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
        if (changes)
            *changes = atoi(PQcmdTuples(r));
        if (res)
            *res = r;
        else
            PQclear(r);
        return 0;
    }
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    char msg[400];
    snprintf(msg, sizeof msg, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(g->conn));
    msg[strcspn(msg, "\n")] = '\0';
    int code = ECTL_ESTORE;
    if (state && !strcmp(state, "23505"))
        code = ECTL_EEXISTS;
    else if (state && !strcmp(state, "23503"))
        code = ECTL_ENOENT;
    else if (state && !strcmp(state, "23514"))
        code = ECTL_EINVAL;
    PQclear(r);
    return ectl_error_set(err, code, "%s: %s", what, msg);
}

int64_t ectl__pg_get_int(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

char *ectl__pg_get_dup(const PGresult *r, int row, int col)
{
    return strdup(PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col));
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void ectl__pg_get_blob32(const PGresult *r, int row, int col, uint8_t out[32])
{
    const char *v = PQgetvalue(r, row, col);
    memset(out, 0, 32);
    if (PQgetisnull(r, row, col) || strncmp(v, "\\x", 2))
        return;
    v += 2;
    for (int i = 0; i < 32 && hexval(v[0]) >= 0 && hexval(v[1]) >= 0; i++, v += 2)
        out[i] = (uint8_t)(hexval(v[0]) << 4 | hexval(v[1]));
}

/* ---- transactions ------------------------------------------------------- */

int ectl__pg_tx_begin(struct ectl_pg *g, struct ectl_error *err)
{
    return ectl__pg_exec(g, g->user_tx ? "SAVEPOINT ectl_op" : "BEGIN", NULL, NULL, NULL,
                         "starting a transaction", err);
}

int ectl__pg_tx_end(struct ectl_pg *g, int rc, struct ectl_error *err)
{
    if (!rc) {
        rc = ectl__pg_exec(g, g->user_tx ? "RELEASE SAVEPOINT ectl_op" : "COMMIT", NULL, NULL, NULL,
                           "committing", err);
        if (!rc)
            return 0;
    }
    PQclear(PQexec(g->conn,
                   g->user_tx ? "ROLLBACK TO SAVEPOINT ectl_op; RELEASE ectl_op" : "ROLLBACK"));
    return rc;
}

static int pg_begin(struct ectl_store *s, struct ectl_error *err)
{
    struct ectl_pg *g = PG(s);
    ectl_error_clear(err);
    if (g->user_tx)
        return ectl_error_set(err, ECTL_EINVAL, "a transaction is already open");
    int rc = ectl__pg_exec(g, "BEGIN", NULL, NULL, NULL, "starting a transaction", err);
    g->user_tx = rc == 0;
    return rc;
}

static void pg_rollback(struct ectl_store *s)
{
    struct ectl_pg *g = PG(s);
    if (g->user_tx && PQtransactionStatus(g->conn) != PQTRANS_IDLE)
        PQclear(PQexec(g->conn, "ROLLBACK"));
    g->user_tx = false;
}

static int pg_commit(struct ectl_store *s, struct ectl_error *err)
{
    struct ectl_pg *g = PG(s);
    ectl_error_clear(err);
    if (!g->user_tx)
        return ectl_error_set(err, ECTL_EINVAL, "no transaction is open");
    /* COMMIT of a transaction that had failed answers "ROLLBACK" without
     * an error: that is a failure for us. */
    PGresult *r = NULL;
    int rc = ectl__pg_exec(g, "COMMIT", NULL, &r, NULL, "committing", err);
    if (!rc && strcmp(PQcmdStatus(r), "COMMIT"))
        rc = ectl_error_set(err, ECTL_ESTORE, "committing: the transaction had failed");
    PQclear(r);
    pg_rollback(s);
    return rc;
}

/* ---- opening and migrations ---------------------------------------------- */

static int read_version(struct ectl_pg *g, int *version, struct ectl_error *err)
{
    PGresult *r = NULL;
    int rc = ectl__pg_exec(g, "SELECT to_regclass('schema_migrations') IS NOT NULL", NULL, &r, NULL,
                           "reading the schema", err);
    if (rc)
        goto out;
    *version = 0;
    if (strcmp(PQgetvalue(r, 0, 0), "t"))
        goto out;
    PQclear(r);
    r = NULL;
    if ((rc = ectl__pg_exec(g, "SELECT coalesce(max(version), 0) FROM schema_migrations", NULL, &r,
                            NULL, "reading the schema version", err)))
        goto out;
    *version = (int)ectl__pg_get_int(r, 0, 0);
out:
    PQclear(r);
    return rc;
}

static int check_version(int version, struct ectl_error *err)
{
    if ((size_t)version > ectl__pg_migration_count)
        return ectl_error_set(err, ECTL_ESTORE,
                              "database schema version %d is newer than this exportctl "
                              "(which knows up to %zu): use a newer exportctl",
                              version, ectl__pg_migration_count);
    return 0;
}

/* All pending migrations in one transaction, under an advisory lock so
 * that two servers starting together do not both apply them. */
static int migrate(struct ectl_pg *g, unsigned flags, struct ectl_error *err)
{
    struct ectl_pg_params p = {0};
    int rc = read_version(g, &g->version, err);
    if (rc || (rc = check_version(g->version, err)))
        return rc;
    if ((size_t)g->version == ectl__pg_migration_count)
        return 0;
    if (!(flags & ECTL_STORE_MIGRATE))
        return ectl_error_set(err, ECTL_ESTORE,
                              "database schema version %d is older than this exportctl's (%zu) "
                              "and migrations were not asked for",
                              g->version, ectl__pg_migration_count);
    if ((rc = ectl__pg_tx_begin(g, err)))
        return rc;
    ectl__pg_int(&p, MIGRATION_LOCK);
    rc = ectl__pg_exec(g, "SELECT pg_advisory_xact_lock($1::bigint)", &p, NULL, NULL,
                       "locking for migrations", err);
    if (!rc)
        rc = ectl__pg_exec(g,
                           "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY"
                           " KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                           NULL, NULL, NULL, "creating schema_migrations", err);
    if (!rc && !(rc = read_version(g, &g->version, err)))
        rc = check_version(g->version, err);
    for (size_t i = (size_t)g->version; !rc && i < ectl__pg_migration_count; i++) {
        const struct ectl__migration *m = &ectl__pg_migrations[i];
        char what[128];
        snprintf(what, sizeof what, "applying migration %s", m->name);
        /* PQexec, not PQexecParams: a migration is several statements. */
        PGresult *r = PQexec(g->conn, m->sql);
        if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
            char msg[400];
            snprintf(msg, sizeof msg, "%s", PQresultErrorMessage(r));
            msg[strcspn(msg, "\n")] = '\0';
            rc = ectl_error_set(err, ECTL_ESTORE, "%s: %s", what, msg);
        }
        PQclear(r);
        if (rc)
            break;
        struct ectl_pg_params q = {0};
        ectl__pg_int(&q, (int64_t)i + 1);
        ectl__pg_text(&q, m->name);
        ectl__pg_int(&q, (int64_t)time(NULL));
        rc = ectl__pg_exec(g,
                           "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES ($1::int, $2, $3::bigint)",
                           &q, NULL, NULL, "recording a migration", err);
    }
    rc = ectl__pg_tx_end(g, rc, err);
    if (!rc)
        g->version = (int)ectl__pg_migration_count;
    return rc;
}

/* The library never prints: PostgreSQL's notices are dropped. */
static void quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void pg_close(struct ectl_store *s)
{
    struct ectl_pg *g = PG(s);
    pg_rollback(s);
    PQfinish(g->conn);
    free(g);
}

static int pg_schema_version(struct ectl_store *s)
{
    return PG(s)->version;
}

static const struct ectl_store_ops pg_ops = {
    .name = "postgresql",
    .close = pg_close,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .user_add = ectl__pg_user_add,
    .user_get = ectl__pg_user_get,
    .user_set_password = ectl__pg_user_set_password,
    .user_set_disabled = ectl__pg_user_set_disabled,
    .user_set_role = ectl__pg_user_set_role,
    .user_list = ectl__pg_user_list,
    .session_add = ectl__pg_session_add,
    .session_get = ectl__pg_session_get,
    .session_touch = ectl__pg_session_touch,
    .session_delete = ectl__pg_session_delete,
    .session_delete_user = ectl__pg_session_delete_user,
    .reset_add = ectl__pg_reset_add,
    .reset_consume = ectl__pg_reset_consume,
    .token_add = ectl__pg_token_add,
    .token_get = ectl__pg_token_get,
    .token_revoke = ectl__pg_token_revoke,
    .token_list = ectl__pg_token_list,
    .failure_add = ectl__pg_failure_add,
    .failure_count = ectl__pg_failure_count,
    .failure_clear = ectl__pg_failure_clear,
    .check_add = ectl__pg_check_add,
    .check_get = ectl__pg_check_get,
    .check_list = ectl__pg_check_list,
    .audit_append = ectl__pg_audit_append,
    .audit_list = ectl__pg_audit_list,
    .audit_scan = ectl__pg_audit_scan,
};

int ectl__store_pg_open(const char *where, unsigned flags, struct ectl_store **out,
                        struct ectl_error *err)
{
    struct ectl_pg *g = calloc(1, sizeof *g);
    int rc;
    if (!g)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    g->base.ops = &pg_ops;
    /* ECTL_STORE_CREATE does not apply: the database is the DBA's to
     * create; we only create our tables in it. */
    g->conn = PQconnectdb(where);
    if (!g->conn || PQstatus(g->conn) != CONNECTION_OK) {
        char msg[400];
        snprintf(msg, sizeof msg, "%s", g->conn ? PQerrorMessage(g->conn) : "out of memory");
        msg[strcspn(msg, "\n")] = '\0';
        rc = ectl_error_set(err, ECTL_ESTORE, "cannot connect to PostgreSQL: %s", msg);
        goto fail;
    }
    PQsetNoticeProcessor(g->conn, quiet, NULL);
    if ((rc = ectl__pg_exec(g, "SET client_min_messages = warning", NULL, NULL, NULL,
                            "configuring the connection", err)) ||
        (rc = migrate(g, flags, err)))
        goto fail;
    *out = &g->base;
    return 0;
fail:
    PQfinish(g->conn);
    free(g);
    return rc;
}
