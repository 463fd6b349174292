/*
 * SQLite back end: the connection, its settings, migrations and
 * transactions, and the vtable.  The queries themselves are in
 * sqlite_accounts.c and sqlite_records.c.
 *
 * Settings, per connection, and why:
 *   journal_mode=WAL   readers (the server's pool, `audit verify`) never
 *                      block the writer, nor it them;
 *   synchronous=FULL   for the whole database, not only audit appends: in
 *                      WAL mode NORMAL may lose the last commits on power
 *                      loss, and the audit log and shipment checks are
 *                      records the law makes us keep, which store.h
 *                      promises are durable on return.  One fsync per
 *                      commit bounds the commits per second, so the server
 *                      commits the audit entries of concurrent requests
 *                      together (server/audit.c) rather than sync less;
 *   foreign_keys=ON    SQLite leaves them off by default;
 *   busy_timeout       concurrent writers (other connections, other
 *                      processes) wait for the lock instead of failing;
 *                      every multi-statement write starts with BEGIN
 *                      IMMEDIATE, so none can deadlock upgrading a read;
 *   DEFENSIVE, trusted_schema=OFF  no writable_schema tricks or functions
 *                      smuggled in through the schema.
 *
 * Per connection, every statement is prepared once and kept
 * (ectl__sq_prepare); per process and database file, one writer mutex
 * queues the writers (see sqlite_int.h), so that they never sleep in the
 * busy handler waiting for each other.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sqlite_int.h"

#define BUSY_TIMEOUT_MS 10000

/* ---- helpers shared by the back end's files ----------------------------- */

int ectl__sq_fail(struct ectl_sq *q, int rc, const char *what, struct ectl_error *err)
{
    const char *msg = q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
    int code;
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        code = ECTL_EEXISTS;
        break;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        code = ECTL_ENOENT;
        break;
    case SQLITE_CONSTRAINT_CHECK:
        code = ECTL_EINVAL;
        break;
    case SQLITE_NOMEM:
        code = ECTL_ENOMEM;
        break;
    default:
        code = ECTL_ESTORE;
    }
    return ectl_error_set(err, code, "%s: %s", what, msg);
}

/* FNV-1a: the keys are a few dozen short constant strings. */
static size_t sql_hash(const char *sql)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (ECTL__SQ_CACHE - 1);
}

int ectl__sq_prepare(struct ectl_sq *q, const char *sql, sqlite3_stmt **st, struct ectl_error *err)
{
    struct ectl__sq_slot *free_slot = NULL;
    size_t h = sql_hash(sql);
    int rc;
    *st = NULL;
    for (size_t i = 0; i < ECTL__SQ_CACHE; i++) {
        struct ectl__sq_slot *slot = &q->cache[(h + i) & (ECTL__SQ_CACHE - 1)];
        if (!slot->st) {
            free_slot = slot;
            break;
        }
        if (slot->sql == sql || !strcmp(slot->sql, sql)) {
            if (slot->busy)
                break; /* in use further up the stack: one of its own */
            slot->busy = true;
            *st = slot->st;
            return 0;
        }
    }
    rc = sqlite3_prepare_v3(q->db, sql, -1, free_slot ? SQLITE_PREPARE_PERSISTENT : 0, st, NULL);
    if (rc != SQLITE_OK) {
        *st = NULL;
        return ectl__sq_fail(q, rc, "preparing a query", err);
    }
    /* sql is one statement (anything after a ';' is not run); an empty
     * one prepares to NULL and is not kept. */
    if (free_slot && *st) {
        free_slot->st = *st;
        free_slot->sql = sqlite3_sql(*st);
        free_slot->busy = true;
    }
    return 0;
}

static struct ectl__sq_slot *find_slot(struct ectl_sq *q, sqlite3_stmt *st)
{
    const char *sql = sqlite3_sql(st);
    if (!sql)
        return NULL;
    size_t h = sql_hash(sql);
    for (size_t i = 0; i < ECTL__SQ_CACHE; i++) {
        struct ectl__sq_slot *slot = &q->cache[(h + i) & (ECTL__SQ_CACHE - 1)];
        if (!slot->st)
            return NULL;
        if (slot->st == st)
            return slot;
    }
    return NULL;
}

void ectl__sq_release(struct ectl_sq *q, sqlite3_stmt *st)
{
    if (!st)
        return;
    struct ectl__sq_slot *slot = find_slot(q, st);
    if (!slot) {
        sqlite3_finalize(st);
        return;
    }
    /* reset() repeats the last step's error, which the caller has had. */
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    slot->busy = false;
}

/* Before sqlite3_close(), which refuses while statements exist. */
static void cache_clear(struct ectl_sq *q)
{
    for (size_t i = 0; i < ECTL__SQ_CACHE; i++) {
        sqlite3_finalize(q->cache[i].st);
        q->cache[i] = (struct ectl__sq_slot){0};
    }
}

static int wlock_take(struct ectl_sq *q, struct ectl_error *err);
static void wlock_drop(struct ectl_sq *q);

int ectl__sq_done(struct ectl_sq *q, sqlite3_stmt *st, const char *what, struct ectl_error *err)
{
    /* A write outside a transaction is one of its own: it takes the write
     * lock for the step, so it queues on the writer mutex like the rest.
     * (BEGIN, COMMIT and the like count as read-only.) */
    bool lock = !q->wlock_held && !sqlite3_stmt_readonly(st);
    int rc;
    if (lock && (rc = wlock_take(q, err)))
        return rc;
    rc = sqlite3_step(st);
    if (lock)
        wlock_drop(q);
    return rc == SQLITE_DONE ? 0 : ectl__sq_fail(q, rc, what, err);
}

int ectl__sq_bind_fail(struct ectl_sq *q, struct ectl_error *err)
{
    return ectl__sq_fail(q, sqlite3_errcode(q->db), "binding a parameter", err);
}

int ectl__sq_run(struct ectl_sq *q, const char *sql, int n, const int64_t *args, int *changes,
                 const char *what, struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, sql, &st, err);
    if (rc)
        goto out;
    for (int i = 0; i < n; i++)
        if (sqlite3_bind_int64(st, i + 1, args[i]) != SQLITE_OK) {
            rc = ectl__sq_bind_fail(q, err);
            goto out;
        }
    rc = ectl__sq_done(q, st, what, err);
    if (!rc && changes)
        *changes = sqlite3_changes(q->db);
out:
    ectl__sq_release(q, st);
    return rc;
}

char *ectl__sq_dup(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return strdup(t ? (const char *)t : "");
}

void ectl__sq_blob32(sqlite3_stmt *st, int col, uint8_t out[32])
{
    const void *b = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    memset(out, 0, 32);
    if (b && n > 0)
        memcpy(out, b, n < 32 ? (size_t)n : 32);
}

static int exec(struct ectl_sq *q, const char *sql, const char *what, struct ectl_error *err)
{
    int rc = sqlite3_exec(q->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : ectl__sq_fail(q, rc, what, err);
}

/* One statement without rows (BEGIN, COMMIT, ...) through the cache:
 * sqlite3_exec() would prepare it again on every transaction. */
static int exec1(struct ectl_sq *q, const char *sql, const char *what, struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q, sql, &st, err);
    if (!rc)
        rc = ectl__sq_done(q, st, what, err);
    ectl__sq_release(q, st);
    return rc;
}

/* ---- the writer mutex ---------------------------------------------------- */

/* One per database file (device and inode, so that two spellings of a
 * path share it) among the open connections of this process. */
struct ectl__sq_wlock {
    struct ectl__sq_wlock *next;
    dev_t dev;
    ino_t ino;
    unsigned refs;
    pthread_mutex_t mu;
};

static pthread_mutex_t wlocks_mu = PTHREAD_MUTEX_INITIALIZER;
static struct ectl__sq_wlock *wlocks;

static int wlock_attach(struct ectl_sq *q, const char *path, struct ectl_error *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return ectl_error_set(err, ECTL_EIO, "cannot stat '%s': %s", path, strerror(errno));
    pthread_mutex_lock(&wlocks_mu);
    struct ectl__sq_wlock *w = wlocks;
    while (w && !(w->dev == sb.st_dev && w->ino == sb.st_ino))
        w = w->next;
    if (!w && (w = calloc(1, sizeof *w))) {
        w->dev = sb.st_dev;
        w->ino = sb.st_ino;
        pthread_mutex_init(&w->mu, NULL);
        w->next = wlocks;
        wlocks = w;
    }
    if (w)
        w->refs++;
    pthread_mutex_unlock(&wlocks_mu);
    q->wlock = w;
    return w ? 0 : ectl_error_set(err, ECTL_ENOMEM, "out of memory");
}

static void wlock_detach(struct ectl_sq *q)
{
    struct ectl__sq_wlock *w = q->wlock;
    if (!w)
        return;
    pthread_mutex_lock(&wlocks_mu);
    if (--w->refs == 0) {
        struct ectl__sq_wlock **pp = &wlocks;
        while (*pp != w)
            pp = &(*pp)->next;
        *pp = w->next;
        pthread_mutex_destroy(&w->mu);
        free(w);
    }
    pthread_mutex_unlock(&wlocks_mu);
    q->wlock = NULL;
}

/* Waits at most as long as SQLite's busy handler would, and fails the
 * same way ("database is locked") after that. */
static int wlock_take(struct ectl_sq *q, struct ectl_error *err)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BUSY_TIMEOUT_MS / 1000;
    until.tv_nsec += (long)(BUSY_TIMEOUT_MS % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    int rc = pthread_mutex_timedlock(&q->wlock->mu, &until);
    if (rc)
        return ectl_error_set(err, ECTL_ESTORE, "taking the write lock: %s",
                              rc == ETIMEDOUT ? "database is locked" : strerror(rc));
    q->wlock_held = true;
    return 0;
}

static void wlock_drop(struct ectl_sq *q)
{
    if (q->wlock_held) {
        q->wlock_held = false;
        pthread_mutex_unlock(&q->wlock->mu);
    }
}

/* ---- transactions ------------------------------------------------------- */

/* BEGIN IMMEDIATE under the writer mutex; on failure neither is held. */
static int begin_immediate(struct ectl_sq *q, struct ectl_error *err)
{
    int rc = wlock_take(q, err);
    if (rc)
        return rc;
    if ((rc = exec1(q, "BEGIN IMMEDIATE", "starting a transaction", err)))
        wlock_drop(q);
    return rc;
}

int ectl__sq_tx_begin(struct ectl_sq *q, struct ectl_error *err)
{
    if (q->user_tx)
        return exec1(q, "SAVEPOINT ectl_op", "starting a transaction", err);
    return begin_immediate(q, err);
}

int ectl__sq_tx_end(struct ectl_sq *q, int rc, struct ectl_error *err)
{
    if (!rc) {
        rc = exec1(q, q->user_tx ? "RELEASE ectl_op" : "COMMIT", "committing", err);
        if (!rc) {
            if (!q->user_tx)
                wlock_drop(q);
            return 0;
        }
    }
    /* Errors here are ignored: rc already says what went wrong first. */
    if (q->user_tx) {
        sqlite3_exec(q->db, "ROLLBACK TO ectl_op; RELEASE ectl_op", NULL, NULL, NULL);
    } else {
        if (!sqlite3_get_autocommit(q->db))
            sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        wlock_drop(q);
    }
    return rc;
}

static int sq_begin(struct ectl_store *s, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    ectl_error_clear(err);
    if (q->user_tx)
        return ectl_error_set(err, ECTL_EINVAL, "a transaction is already open");
    int rc = begin_immediate(q, err);
    q->user_tx = rc == 0;
    q->head_known = false;
    return rc;
}

static void sq_rollback(struct ectl_store *s)
{
    struct ectl_sq *q = SQ(s);
    if (q->user_tx && !sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    if (q->user_tx)
        wlock_drop(q);
    q->user_tx = false;
    q->head_known = false;
}

static int sq_commit(struct ectl_store *s, struct ectl_error *err)
{
    struct ectl_sq *q = SQ(s);
    ectl_error_clear(err);
    if (!q->user_tx)
        return ectl_error_set(err, ECTL_EINVAL, "no transaction is open");
    int rc = exec1(q, "COMMIT", "committing", err);
    sq_rollback(s); /* after a failed COMMIT the transaction is still open */
    return rc;
}

/* ---- opening ------------------------------------------------------------ */

/* mkdir -p for the folders above path (0700: the database holds password
 * hashes), then the file itself with 0600.  Existing ones are left alone. */
static int create_file(const char *path, struct ectl_error *err)
{
    char *dir = strdup(path);
    int rc = 0, fd;
    if (!dir)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            rc = ectl_error_set(err, ECTL_EIO, "cannot create folder '%s': %s", dir,
                                strerror(errno));
            goto out;
        }
        *p = '/';
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        rc = ectl_error_set(err, errno == ENOENT ? ECTL_ENOENT : ECTL_EIO,
                            "cannot create database '%s': %s", path, strerror(errno));
    else
        close(fd);
out:
    free(dir);
    return rc;
}

static int read_version(struct ectl_sq *q, int *version, struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(q,
                              "SELECT count(*) FROM sqlite_master "
                              "WHERE type = 'table' AND name = 'schema_migrations'",
                              &st, err);
    if (rc)
        goto out;
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        rc = ectl__sq_fail(q, rc, "reading the schema", err);
        goto out;
    }
    *version = 0;
    rc = 0;
    if (sqlite3_column_int(st, 0) == 0)
        goto out;
    ectl__sq_release(q, st);
    st = NULL;
    if ((rc = ectl__sq_prepare(q, "SELECT coalesce(max(version), 0) FROM schema_migrations", &st,
                               err)))
        goto out;
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        rc = ectl__sq_fail(q, rc, "reading the schema version", err);
        goto out;
    }
    *version = sqlite3_column_int(st, 0);
    rc = 0;
out:
    ectl__sq_release(q, st);
    return rc;
}

static int check_version(int version, struct ectl_error *err)
{
    if ((size_t)version > ectl__sqlite_migration_count)
        return ectl_error_set(err, ECTL_ESTORE,
                              "database schema version %d is newer than this exportctl "
                              "(which knows up to %zu): use a newer exportctl",
                              version, ectl__sqlite_migration_count);
    return 0;
}

static int record_migration(struct ectl_sq *q, int version, const char *name,
                            struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = ectl__sq_prepare(
        q, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)", &st,
        err);
    if (rc)
        goto out;
    if (sqlite3_bind_int(st, 1, version) || sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC) ||
        sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL))) {
        rc = ectl__sq_bind_fail(q, err);
        goto out;
    }
    rc = ectl__sq_done(q, st, "recording a migration", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

/* Apply what is missing, all in one transaction: a database is at one
 * version or the next, never half-way.  The version is read again under
 * the write lock, since another process may have migrated meanwhile. */
static int migrate(struct ectl_sq *q, unsigned flags, struct ectl_error *err)
{
    int rc = read_version(q, &q->version, err);
    if (rc || (rc = check_version(q->version, err)))
        return rc;
    if ((size_t)q->version == ectl__sqlite_migration_count)
        return 0;
    if (!(flags & ECTL_STORE_MIGRATE))
        return ectl_error_set(err, ECTL_ESTORE,
                              "database schema version %d is older than this exportctl's (%zu) "
                              "and migrations were not asked for",
                              q->version, ectl__sqlite_migration_count);
    if ((rc = ectl__sq_tx_begin(q, err)))
        return rc;
    rc = exec(q,
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL"
              ") STRICT",
              "creating schema_migrations", err);
    if (!rc && !(rc = read_version(q, &q->version, err)))
        rc = check_version(q->version, err);
    for (size_t i = (size_t)q->version; !rc && i < ectl__sqlite_migration_count; i++) {
        const struct ectl__migration *m = &ectl__sqlite_migrations[i];
        char what[128];
        snprintf(what, sizeof what, "applying migration %s", m->name);
        if (!(rc = exec(q, m->sql, what, err)))
            rc = record_migration(q, (int)i + 1, m->name, err);
    }
    rc = ectl__sq_tx_end(q, rc, err);
    if (!rc)
        q->version = (int)ectl__sqlite_migration_count;
    return rc;
}

static int configure(struct ectl_sq *q, struct ectl_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, BUSY_TIMEOUT_MS);
    sqlite3_db_config(q->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    if ((rc = exec(q, "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF",
                   "configuring the connection", err)))
        goto out;
    /* The answer is the mode now in force: anything but "wal" means the
     * file system refused it, and we would rather say so than run
     * without. */
    if ((rc = ectl__sq_prepare(q, "PRAGMA journal_mode = WAL", &st, err)))
        goto out;
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        rc = ectl__sq_fail(q, rc, "switching to WAL", err);
        goto out;
    }
    const unsigned char *mode = sqlite3_column_text(st, 0);
    if (!mode || strcmp((const char *)mode, "wal")) {
        rc = ectl_error_set(err, ECTL_ESTORE, "cannot use WAL journaling (got '%s')",
                            mode ? (const char *)mode : "?");
        goto out;
    }
    /* After journal_mode: synchronous is per connection and per mode. */
    rc = exec(q, "PRAGMA synchronous = FULL", "configuring the connection", err);
out:
    ectl__sq_release(q, st);
    return rc;
}

static void sq_close(struct ectl_store *s)
{
    struct ectl_sq *q = SQ(s);
    sq_rollback(s);
    cache_clear(q);
    sqlite3_close(q->db);
    wlock_detach(q);
    free(q);
}

static int sq_schema_version(struct ectl_store *s)
{
    return SQ(s)->version;
}

static const struct ectl_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sq_close,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .user_add = ectl__sq_user_add,
    .user_get = ectl__sq_user_get,
    .user_set_password = ectl__sq_user_set_password,
    .user_set_disabled = ectl__sq_user_set_disabled,
    .user_set_role = ectl__sq_user_set_role,
    .user_list = ectl__sq_user_list,
    .session_add = ectl__sq_session_add,
    .session_get = ectl__sq_session_get,
    .session_touch = ectl__sq_session_touch,
    .session_delete = ectl__sq_session_delete,
    .session_delete_user = ectl__sq_session_delete_user,
    .reset_add = ectl__sq_reset_add,
    .reset_consume = ectl__sq_reset_consume,
    .token_add = ectl__sq_token_add,
    .token_get = ectl__sq_token_get,
    .token_revoke = ectl__sq_token_revoke,
    .token_list = ectl__sq_token_list,
    .failure_add = ectl__sq_failure_add,
    .failure_count = ectl__sq_failure_count,
    .failure_clear = ectl__sq_failure_clear,
    .check_add = ectl__sq_check_add,
    .check_get = ectl__sq_check_get,
    .check_list = ectl__sq_check_list,
    .audit_append = ectl__sq_audit_append,
    .audit_list = ectl__sq_audit_list,
    .audit_scan = ectl__sq_audit_scan,
};

int ectl__store_sqlite_open(const char *path, unsigned flags, struct ectl_store **out,
                            struct ectl_error *err)
{
    struct ectl_sq *q = calloc(1, sizeof *q);
    int rc;
    if (!q)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    q->base.ops = &sqlite_ops;
    if (flags & ECTL_STORE_CREATE)
        rc = create_file(path, err);
    else if (access(path, F_OK) != 0)
        rc = ectl_error_set(err, ECTL_ENOENT, "no database at '%s'", path);
    else
        rc = 0;
    if (rc)
        goto fail;
    /* We create the file ourselves (above), so SQLite never does: a
     * missing database without ECTL_STORE_CREATE stays an error. */
    if ((rc = sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE, NULL)) != SQLITE_OK) {
        rc = ectl__sq_fail(q, rc, path, err);
        goto fail;
    }
    if ((rc = wlock_attach(q, path, err)) || (rc = configure(q, err)) ||
        (rc = migrate(q, flags, err))) {
        ectl_error_prefix(err, path);
        goto fail;
    }
    *out = &q->base;
    return 0;
fail:
    cache_clear(q);
    sqlite3_close(q->db);
    wlock_detach(q);
    free(q);
    return rc;
}
