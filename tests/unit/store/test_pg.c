/*
 * The PostgreSQL back end through the public API: the same behaviour the
 * SQLite tests pin down, on a real server.  pg.sh starts a throw-away
 * server and passes its URL in ECTL_TEST_PG_URL; without it every test is
 * skipped.  Raw libpq plays the forger, as sqlite3 does for SQLite.
 */
#include "store_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

static const char *url;

static void raw(const char *sql)
{
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PQclear(PQexec(c, "SET client_min_messages = warning"));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("raw SQL '%s': %s", sql, PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
}

static struct ectl_store *pg_open(void)
{
    struct ectl_store *s = NULL;
    struct ectl_error err;
    if (ectl_store_open(url, ECTL_STORE_MIGRATE, &s, &err))
        fail_msg("open %s: %s", url, err.msg);
    return s;
}

/* Every test starts from an empty database. */
static int fresh(void **state)
{
    (void)state;
    if (!url)
        return 0;
    raw("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    return 0;
}

#define NEED_SERVER()                                                                              \
    do {                                                                                           \
        if (!url)                                                                                  \
            skip();                                                                                \
    } while (0)

static void test_migrations(void **state)
{
    (void)state;
    NEED_SERVER();
    struct ectl_store *s = NULL;
    struct ectl_error err;
    FAILS(ectl_store_open(url, 0, &s, &err), ECTL_ESTORE); /* not migrated, not asked to */
    s = pg_open();
    assert_string_equal(ectl_store_backend(s), "postgresql");
    int v = ectl_store_schema_version(s);
    assert_true(v >= 1);
    ectl_store_close(s);
    s = pg_open(); /* idempotent */
    assert_int_equal(ectl_store_schema_version(s), v);
    ectl_store_close(s);
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, 'future', 0)", v + 1);
    raw(sql);
    FAILS(ectl_store_open(url, ECTL_STORE_MIGRATE, &s, &err), ECTL_ESTORE);
    assert_non_null(strstr(err.msg, "newer"));
}

static void test_accounts(void **state)
{
    (void)state;
    NEED_SERVER();
    struct ectl_store *s = pg_open();
    struct ectl_error err;
    struct ectl_user u;
    int64_t alice = add_user(s, "alice"), bob = add_user(s, "bob");
    FAILS(ectl_store_user_add(s, "ALICE", "x@example.com", ECTL_ROLE_VIEWER, "h", NULL, &err),
          ECTL_EEXISTS);
    FAILS(ectl_store_user_add(s, "carol", "Bob@Example.com", ECTL_ROLE_VIEWER, "h", NULL, &err),
          ECTL_EEXISTS);
    OK(ectl_store_user_get_by_name(s, "Alice", &u, &err));
    assert_int_equal(u.id, alice);
    assert_int_equal(u.role, ECTL_ROLE_OFFICER);
    assert_false(u.disabled);
    ectl_user_release(&u);
    OK(ectl_store_user_get_by_email(s, "BOB@example.com", &u, &err));
    assert_int_equal(u.id, bob);
    ectl_user_release(&u);
    FAILS(ectl_store_user_get(s, 99, &u, &err), ECTL_ENOENT);
    OK(ectl_store_user_set_password(s, bob, "new", &err));
    OK(ectl_store_user_set_role(s, bob, ECTL_ROLE_ADMIN, &err));
    OK(ectl_store_user_get(s, bob, &u, &err));
    assert_int_equal(u.role, ECTL_ROLE_ADMIN);
    ectl_user_release(&u);
    FAILS(ectl_store_user_set_role(s, 99, ECTL_ROLE_ADMIN, &err), ECTL_ENOENT);

    uint8_t h1[32] = {1}, h2[32] = {2}, r1[32] = {3}, r2[32] = {4}, t1[32] = {5};
    struct ectl_session in = {
        .user_id = alice, .persistent = true, .created_at = 1, .last_seen = 1, .expires_at = 99};
    in.csrf[31] = 7;
    int64_t sid;
    OK(ectl_store_session_add(s, h1, &in, &sid, &err));
    OK(ectl_store_session_add(s, h2, &in, NULL, &err));
    FAILS(ectl_store_session_add(s, h1, &in, NULL, &err), ECTL_EEXISTS);
    struct ectl_session got;
    OK(ectl_store_session_get(s, h1, &got, &err));
    assert_int_equal(got.id, sid);
    assert_true(got.persistent);
    assert_int_equal(got.csrf[31], 7);
    OK(ectl_store_session_touch(s, sid, 50, &err));
    OK(ectl_store_session_delete_user(s, alice, sid, &err));
    FAILS(ectl_store_session_get(s, h2, &got, &err), ECTL_ENOENT);
    OK(ectl_store_session_delete(s, sid, &err));
    FAILS(ectl_store_session_delete(s, sid, &err), ECTL_ENOENT);

    int64_t uid;
    OK(ectl_store_reset_add(s, r1, bob, 100, &err));
    OK(ectl_store_reset_add(s, r2, bob, 100, &err));
    FAILS(ectl_store_reset_consume(s, r1, 100, &uid, &err), ECTL_ENOENT); /* expired */
    OK(ectl_store_reset_consume(s, r2, 99, &uid, &err));
    assert_int_equal(uid, bob);
    FAILS(ectl_store_reset_consume(s, r2, 99, &uid, &err), ECTL_ENOENT); /* single use */

    int64_t tid;
    struct ectl_api_token tok;
    OK(ectl_store_token_add(s, t1, bob, "ci", &tid, &err));
    OK(ectl_store_token_get(s, t1, &tok, &err));
    assert_string_equal(tok.label, "ci");
    ectl_api_token_release(&tok);
    FAILS(ectl_store_token_revoke(s, tid, alice, 5, &err), ECTL_ENOENT);
    OK(ectl_store_token_revoke(s, tid, bob, 5, &err));
    FAILS(ectl_store_token_get(s, t1, &tok, &err), ECTL_ENOENT);

    int n;
    ectl_time latest;
    OK(ectl_store_failure_add(s, "user:bob", 10, &err));
    OK(ectl_store_failure_add(s, "user:bob", 20, &err));
    OK(ectl_store_failure_count(s, "user:bob", 15, &n, &latest, &err));
    assert_int_equal(n, 1);
    assert_int_equal(latest, 20);
    OK(ectl_store_failure_clear(s, "user:bob", &err));
    OK(ectl_store_failure_count(s, "user:bob", 0, &n, &latest, &err));
    assert_int_equal(n, 0);

    /* Disabling ends sessions. */
    OK(ectl_store_session_add(s, h2, &in, NULL, &err));
    OK(ectl_store_user_set_disabled(s, alice, true, &err));
    FAILS(ectl_store_session_get(s, h2, &got, &err), ECTL_ENOENT);
    ectl_store_close(s);
}

static int count_check(void *ctx, const struct ectl_check_row *c)
{
    int64_t *last = ctx;
    assert_true(*last == 0 || c->id < *last);
    *last = c->id;
    return 0;
}

static void test_checks_and_transactions(void **state)
{
    (void)state;
    NEED_SERVER();
    struct ectl_store *s = pg_open();
    struct ectl_error err;
    int64_t id;
    for (int i = 0; i < 12; i++)
        OK(ectl_store_check_add(s, 0, 100 + i, "review", "{}", "{\"v\": 1}", &id, &err));
    FAILS(ectl_store_check_add(s, 42, 1, "clear", "{}", "{}", NULL, &err), ECTL_ENOENT);
    struct ectl_check_row c;
    OK(ectl_store_check_get(s, id, &c, &err));
    assert_string_equal(c.verdict, "review");
    assert_int_equal(c.user_id, 0);
    ectl_check_row_release(&c);
    int64_t last = 0;
    OK(ectl_store_check_list(s, 0, 5, count_check, &last, &err));
    assert_int_equal(last, id - 4);
    OK(ectl_store_check_list(s, last, 0, count_check, &last, &err));
    assert_int_equal(last, id - 11);

    OK(ectl_store_begin(s, &err));
    add_user(s, "alice");
    OK(ectl_store_audit_append(s, 1, "cli", "user.create", "user:1", "", "{}", NULL, &err));
    ectl_store_rollback(s);
    struct ectl_user u;
    FAILS(ectl_store_user_get_by_name(s, "alice", &u, &err), ECTL_ENOENT);
    int64_t bad, n;
    OK(ectl_store_audit_verify(s, &bad, &n, &err));
    assert_int_equal(n, 0);
    OK(ectl_store_begin(s, &err));
    add_user(s, "alice");
    FAILS(ectl_store_user_set_disabled(s, 99, true, &err), ECTL_ENOENT); /* savepoint undone */
    OK(ectl_store_audit_append(s, 1, "cli", "user.create", "user:1", "", "{}", NULL, &err));
    OK(ectl_store_commit(s, &err));
    OK(ectl_store_user_get_by_name(s, "alice", &u, &err));
    ectl_user_release(&u);
    OK(ectl_store_audit_verify(s, &bad, &n, &err));
    assert_int_equal(n, 1);
    ectl_store_close(s);
}

static void *appender(void *arg)
{
    (void)arg;
    struct ectl_store *s = NULL;
    struct ectl_error err;
    if (ectl_store_open(url, ECTL_STORE_MIGRATE, &s, &err))
        return strdup(err.msg);
    for (int i = 0; i < 25; i++)
        if (ectl_store_audit_append(s, 1000 + i, "thread", "check.create", "", "", "{}", NULL,
                                    &err)) {
            ectl_store_close(s);
            return strdup(err.msg);
        }
    ectl_store_close(s);
    return NULL;
}

static int note_seq(void *ctx, const struct ectl_audit_entry *e)
{
    int64_t *seen = ctx;
    seen[0]++;
    seen[1] = e->seq;
    return 0;
}

static void expect_broken(struct ectl_store *s, int64_t at, const char *words)
{
    struct ectl_error err;
    int64_t bad = -1, n = -1;
    FAILS(ectl_store_audit_verify(s, &bad, &n, &err), ECTL_ECORRUPT);
    assert_int_equal(bad, at);
    if (!strstr(err.msg, words))
        fail_msg("message '%s' lacks '%s'", err.msg, words);
}

static void test_audit_chain(void **state)
{
    (void)state;
    NEED_SERVER();
    struct ectl_store *s = pg_open();
    struct ectl_error err;
    pthread_t th[4];
    for (int t = 0; t < 4; t++)
        assert_int_equal(pthread_create(&th[t], NULL, appender, NULL), 0);
    for (int t = 0; t < 4; t++) {
        void *res = NULL;
        pthread_join(th[t], &res);
        if (res)
            fail_msg("appender failed: %s", (char *)res);
    }
    int64_t bad = -1, n = -1;
    OK(ectl_store_audit_verify(s, &bad, &n, &err));
    assert_int_equal(bad, 0);
    assert_int_equal(n, 100);

    struct ectl_audit_filter f = {.action = "check.", .limit = 2, .before_seq = 4};
    int64_t seen[2] = {0};
    OK(ectl_store_audit_list(s, &f, note_seq, seen, &err));
    assert_int_equal(seen[0], 2); /* two entries, the last one seq 2 */
    assert_int_equal(seen[1], 2);

    raw("DROP TRIGGER audit_log_no_change ON audit_log");
    raw("UPDATE audit_log SET detail_json = '{\"x\": 1}' WHERE seq = 37");
    expect_broken(s, 37, "altered");
    raw("DELETE FROM audit_log WHERE seq <= 37");
    expect_broken(s, 1, "missing");
    ectl_store_close(s);
}

static void test_guards(void **state)
{
    (void)state;
    NEED_SERVER();
    struct ectl_store *s = pg_open();
    struct ectl_error err;
    OK(ectl_store_audit_append(s, 1, "cli", "x", NULL, NULL, NULL, NULL, &err));
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, "UPDATE audit_log SET actor = 'mallory'");
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    assert_non_null(strstr(PQresultErrorMessage(r), "append-only"));
    PQclear(r);
    r = PQexec(c, "TRUNCATE audit_log");
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    PQclear(r);
    PQfinish(c);
    ectl_store_close(s);
}

int main(void)
{
    url = getenv("ECTL_TEST_PG_URL");
    if (url && !*url)
        url = NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_migrations, fresh),
        cmocka_unit_test_setup(test_accounts, fresh),
        cmocka_unit_test_setup(test_checks_and_transactions, fresh),
        cmocka_unit_test_setup(test_audit_chain, fresh),
        cmocka_unit_test_setup(test_guards, fresh),
    };
    return cmocka_run_group_tests_name("store-pg", tests, NULL, NULL);
}
