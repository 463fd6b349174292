#include "store_test.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static char dir[256], path[320];

const char *tmp_db_path(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/ectl-store-XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/var/sub/test.db", dir);
    }
    return path;
}

const char *tmp_db_dir(void)
{
    tmp_db_path();
    return dir;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

void tmp_db_remove(void)
{
    if (dir[0])
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    dir[0] = '\0';
}

struct ectl_store *open_again(void)
{
    struct ectl_store *s = NULL;
    struct ectl_error err;
    int rc = ectl_store_open(tmp_db_path(), ECTL_STORE_CREATE | ECTL_STORE_MIGRATE, &s, &err);
    if (rc)
        fail_msg("open %s: %s", tmp_db_path(), err.msg);
    return s;
}

struct ectl_store *open_new(void)
{
    tmp_db_remove();
    return open_again();
}

int raw_sql(const char *p, const char *sql, int may_fail)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK && !may_fail)
        fail_msg("raw SQL '%s': %s", sql, msg ? msg : "?");
    sqlite3_free(msg);
    sqlite3_close(db);
    return rc;
}

long long raw_int(const char *p, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("raw SQL '%s': %s", sql, sqlite3_errmsg(db));
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

int64_t add_user(struct ectl_store *s, const char *name)
{
    char email[128];
    struct ectl_error err;
    int64_t id = 0;
    snprintf(email, sizeof email, "%s@example.com", name);
    int rc = ectl_store_user_add(s, name, email, ECTL_ROLE_OFFICER,
                                 "$argon2id$v=19$m=65536,t=2,p=1$fake", &id, &err);
    if (rc)
        fail_msg("adding %s: %s", name, err.msg);
    return id;
}
