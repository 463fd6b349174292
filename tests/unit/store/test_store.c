/*
 * Storage: opening and migrations, users, sessions, reset and API tokens,
 * failed sign-ins, shipment checks and explicit transactions (SQLite);
 * the per-connection statement cache, and writers of one process on
 * separate connections.
 */
#include "store_test.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char HASH[] = "$argon2id$v=19$m=65536,t=2,p=1$fake";

static void h32(uint8_t out[32], int seed)
{
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(seed * 31 + i);
}

/* ---- opening and migrations --------------------------------------------- */

static void test_open_missing(void **state)
{
    (void)state;
    struct ectl_store *s = NULL;
    struct ectl_error err;
    tmp_db_remove();
    FAILS(ectl_store_open(tmp_db_path(), ECTL_STORE_MIGRATE, &s, &err), ECTL_ENOENT);
    assert_null(s);
    assert_non_null(strstr(err.msg, "no database"));
    FAILS(ectl_store_open("", ECTL_STORE_CREATE, &s, &err), ECTL_EINVAL);
}

static void test_create_fresh(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct stat st;
    char sub[400];
    assert_string_equal(ectl_store_backend(s), "sqlite");
    assert_true(ectl_store_schema_version(s) >= 1);
    assert_int_equal(stat(tmp_db_path(), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(sub, sizeof sub, "%s/var", tmp_db_dir());
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT journal_mode = 'wal' FROM pragma_journal_mode"),
                     1);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM schema_migrations"),
                     ectl_store_schema_version(s));
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM users"), 0);
    ectl_store_close(s);
}

static void test_migrations_idempotent(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    int v = ectl_store_schema_version(s);
    add_user(s, "alice");
    ectl_store_close(s);
    s = open_again();
    assert_int_equal(ectl_store_schema_version(s), v);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM schema_migrations"), v);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM users"), 1);
    ectl_store_close(s);
    /* Without MIGRATE, a current database opens as is. */
    struct ectl_error err;
    OK(ectl_store_open(tmp_db_path(), 0, &s, &err));
    ectl_store_close(s);
}

static void test_unmigrated_refused_without_flag(void **state)
{
    (void)state;
    struct ectl_store *s = NULL;
    struct ectl_error err;
    tmp_db_remove();
    FAILS(ectl_store_open(tmp_db_path(), ECTL_STORE_CREATE, &s, &err), ECTL_ESTORE);
    assert_non_null(strstr(err.msg, "older"));
    /* The same file then migrates when asked. */
    OK(ectl_store_open(tmp_db_path(), ECTL_STORE_MIGRATE, &s, &err));
    ectl_store_close(s);
}

static void test_newer_schema_refused(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    int v = ectl_store_schema_version(s);
    ectl_store_close(s);
    char sql[200];
    snprintf(sql, sizeof sql, "INSERT INTO schema_migrations VALUES (%d, 'from_the_future', 0)",
             v + 1);
    raw_sql(tmp_db_path(), sql, 0);
    struct ectl_error err;
    s = NULL;
    FAILS(ectl_store_open(tmp_db_path(), ECTL_STORE_MIGRATE, &s, &err), ECTL_ESTORE);
    assert_null(s);
    assert_non_null(strstr(err.msg, "newer"));
}

static void test_not_a_database(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    ectl_store_close(s);
    FILE *f = fopen(tmp_db_path(), "wb");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database. ", f);
    fclose(f);
    char wal[400];
    snprintf(wal, sizeof wal, "%s-wal", tmp_db_path());
    remove(wal);
    snprintf(wal, sizeof wal, "%s-shm", tmp_db_path());
    remove(wal);
    struct ectl_error err;
    FAILS(ectl_store_open(tmp_db_path(), ECTL_STORE_MIGRATE, &s, &err), ECTL_ESTORE);
}

static void test_roles(void **state)
{
    (void)state;
    enum ectl_role r;
    assert_int_equal(ectl_role_parse("admin", &r), 0);
    assert_int_equal(r, ECTL_ROLE_ADMIN);
    assert_int_equal(ectl_role_parse("officer", &r), 0);
    assert_int_equal(r, ECTL_ROLE_OFFICER);
    assert_int_equal(ectl_role_parse("viewer", &r), 0);
    assert_int_equal(r, ECTL_ROLE_VIEWER);
    assert_int_equal(ectl_role_parse("root", &r), ECTL_EINVAL);
    assert_int_equal(ectl_role_parse(NULL, &r), ECTL_EINVAL);
    assert_string_equal(ectl_role_name(ECTL_ROLE_OFFICER), "officer");
    assert_string_equal(ectl_role_name((enum ectl_role)9), "unknown");
}

/* ---- users -------------------------------------------------------------- */

static int count_user(void *ctx, const struct ectl_user *u)
{
    int *n = ctx;
    (*n)++;
    assert_int_equal(u->id, *n); /* id order */
    return 0;
}

static int stop_at_two(void *ctx, const struct ectl_user *u)
{
    (void)ctx;
    return u->id == 2 ? 42 : 0;
}

static void test_users(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    struct ectl_user u;
    int64_t id = 0;
    OK(ectl_store_user_add(s, "alice", "Alice@Example.com", ECTL_ROLE_ADMIN, HASH, &id, &err));
    assert_int_equal(id, 1);
    OK(ectl_store_user_get_by_name(s, "alice", &u, &err));
    assert_int_equal(u.id, 1);
    assert_string_equal(u.name, "alice");
    assert_string_equal(u.email, "Alice@Example.com");
    assert_int_equal(u.role, ECTL_ROLE_ADMIN);
    assert_false(u.disabled);
    assert_string_equal(u.password_hash, HASH);
    assert_true(u.created_at > 1600000000);
    ectl_user_release(&u);
    /* Names and emails compare ignoring ASCII case. */
    OK(ectl_store_user_get_by_email(s, "alice@example.COM", &u, &err));
    assert_int_equal(u.id, 1);
    ectl_user_release(&u);
    OK(ectl_store_user_get_by_name(s, "ALICE", &u, &err));
    ectl_user_release(&u);
    OK(ectl_store_user_get(s, 1, &u, &err));
    assert_string_equal(u.name, "alice");
    ectl_user_release(&u);

    /* Uniqueness of name and of email. */
    FAILS(ectl_store_user_add(s, "Alice", "other@example.com", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EEXISTS);
    assert_non_null(strstr(err.msg, "Alice"));
    FAILS(ectl_store_user_add(s, "bob", "ALICE@example.com", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EEXISTS);
    /* Bad input. */
    FAILS(ectl_store_user_add(s, "", "x@example.com", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "bob smith", "x@example.com", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "-bob", "x@example.com", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "bob", "no-at-sign", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "bob", "a@b@c", ECTL_ROLE_VIEWER, HASH, &id, &err), ECTL_EINVAL);
    /* What would end or split the To: line of a reset mail. */
    FAILS(ectl_store_user_add(s, "bob", "b@example.com>,eve@evil.example", ECTL_ROLE_VIEWER, HASH,
                              &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "bob", "\"b\"@example.com", ECTL_ROLE_VIEWER, HASH, &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "bob", "b@example.com", (enum ectl_role)7, HASH, &id, &err),
          ECTL_EINVAL);
    FAILS(ectl_store_user_add(s, "bob", "b@example.com", ECTL_ROLE_VIEWER, "", &id, &err),
          ECTL_EINVAL);
    OK(ectl_store_user_add(s, "bob.s_1-x", "b@example.com", ECTL_ROLE_VIEWER, HASH, NULL, &err));
    add_user(s, "carol");

    /* Unknown users. */
    FAILS(ectl_store_user_get_by_name(s, "nobody", &u, &err), ECTL_ENOENT);
    assert_non_null(strstr(err.msg, "nobody"));
    FAILS(ectl_store_user_get_by_email(s, "nobody@example.com", &u, &err), ECTL_ENOENT);
    FAILS(ectl_store_user_get(s, 99, &u, &err), ECTL_ENOENT);
    FAILS(ectl_store_user_set_password(s, 99, HASH, &err), ECTL_ENOENT);
    FAILS(ectl_store_user_set_disabled(s, 99, true, &err), ECTL_ENOENT);
    FAILS(ectl_store_user_set_role(s, 99, ECTL_ROLE_ADMIN, &err), ECTL_ENOENT);
    FAILS(ectl_store_user_set_role(s, 2, (enum ectl_role)7, &err), ECTL_EINVAL);

    /* Role. */
    OK(ectl_store_user_set_role(s, 2, ECTL_ROLE_OFFICER, &err));
    OK(ectl_store_user_get(s, 2, &u, &err));
    assert_int_equal(u.role, ECTL_ROLE_OFFICER);
    ectl_user_release(&u);

    /* Password and disabled flag. */
    OK(ectl_store_user_set_password(s, 2, "$argon2id$new", &err));
    OK(ectl_store_user_get(s, 2, &u, &err));
    assert_string_equal(u.password_hash, "$argon2id$new");
    ectl_user_release(&u);
    OK(ectl_store_user_set_disabled(s, 2, true, &err));
    OK(ectl_store_user_get(s, 2, &u, &err));
    assert_true(u.disabled);
    ectl_user_release(&u);
    OK(ectl_store_user_set_disabled(s, 2, false, &err));
    OK(ectl_store_user_get(s, 2, &u, &err));
    assert_false(u.disabled);
    ectl_user_release(&u);

    int n = 0;
    OK(ectl_store_user_list(s, count_user, &n, &err));
    assert_int_equal(n, 3);
    assert_int_equal(ectl_store_user_list(s, stop_at_two, NULL, &err), 42);
    ectl_store_close(s);
}

static void test_disable_ends_sessions(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int64_t alice = add_user(s, "alice"), bob = add_user(s, "bob");
    uint8_t a[32], b[32], r[32], t[32];
    h32(a, 1), h32(b, 2), h32(r, 3), h32(t, 4);
    struct ectl_session sess = {
        .user_id = alice, .created_at = 100, .last_seen = 100, .expires_at = 1000};
    OK(ectl_store_session_add(s, a, &sess, NULL, &err));
    sess.user_id = bob;
    OK(ectl_store_session_add(s, b, &sess, NULL, &err));
    OK(ectl_store_reset_add(s, r, alice, 1000, &err));
    OK(ectl_store_token_add(s, t, alice, "ci", NULL, &err));
    OK(ectl_store_user_set_disabled(s, alice, true, &err));
    struct ectl_session got;
    FAILS(ectl_store_session_get(s, a, &got, &err), ECTL_ENOENT);
    OK(ectl_store_session_get(s, b, &got, &err)); /* bob's is untouched */
    int64_t uid;
    FAILS(ectl_store_reset_consume(s, r, 10, &uid, &err), ECTL_ENOENT);
    struct ectl_api_token tok;
    OK(ectl_store_token_get(s, t, &tok, &err)); /* tokens stay; callers check .disabled */
    ectl_api_token_release(&tok);
    ectl_store_close(s);
}

/* ---- sessions ----------------------------------------------------------- */

static void test_sessions(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int64_t alice = add_user(s, "alice");
    uint8_t h1[32], h2[32], h3[32], unknown[32];
    h32(h1, 1), h32(h2, 2), h32(h3, 3), h32(unknown, 9);
    struct ectl_session in = {.user_id = alice,
                              .persistent = true,
                              .created_at = 1000,
                              .last_seen = 1000,
                              .expires_at = 5000};
    h32(in.csrf, 7);
    int64_t id1, id2, id3;
    OK(ectl_store_session_add(s, h1, &in, &id1, &err));
    in.persistent = false;
    OK(ectl_store_session_add(s, h2, &in, &id2, &err));
    OK(ectl_store_session_add(s, h3, &in, &id3, &err));
    FAILS(ectl_store_session_add(s, h1, &in, NULL, &err), ECTL_EEXISTS);
    in.user_id = 77;
    FAILS(ectl_store_session_add(s, unknown, &in, NULL, &err), ECTL_ENOENT); /* no such user */
    in.user_id = 0;
    FAILS(ectl_store_session_add(s, unknown, &in, NULL, &err), ECTL_EINVAL);

    struct ectl_session got;
    OK(ectl_store_session_get(s, h1, &got, &err));
    assert_int_equal(got.id, id1);
    assert_int_equal(got.user_id, alice);
    assert_true(got.persistent);
    assert_int_equal(got.created_at, 1000);
    assert_int_equal(got.expires_at, 5000);
    uint8_t csrf[32];
    h32(csrf, 7);
    assert_memory_equal(got.csrf, csrf, 32);
    FAILS(ectl_store_session_get(s, unknown, &got, &err), ECTL_ENOENT);

    OK(ectl_store_session_touch(s, id1, 2000, &err));
    OK(ectl_store_session_get(s, h1, &got, &err));
    assert_int_equal(got.last_seen, 2000);
    FAILS(ectl_store_session_touch(s, 999, 2000, &err), ECTL_ENOENT);

    OK(ectl_store_session_delete(s, id2, &err));
    FAILS(ectl_store_session_get(s, h2, &got, &err), ECTL_ENOENT);
    FAILS(ectl_store_session_delete(s, id2, &err), ECTL_ENOENT);

    /* Sign out everywhere else: keep id1. */
    OK(ectl_store_session_delete_user(s, alice, id1, &err));
    OK(ectl_store_session_get(s, h1, &got, &err));
    FAILS(ectl_store_session_get(s, h3, &got, &err), ECTL_ENOENT);
    OK(ectl_store_session_delete_user(s, alice, 0, &err));
    FAILS(ectl_store_session_get(s, h1, &got, &err), ECTL_ENOENT);
    ectl_store_close(s);
}

/* ---- reset tokens ------------------------------------------------------- */

static void test_reset_tokens(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int64_t alice = add_user(s, "alice"), bob = add_user(s, "bob");
    uint8_t t1[32], t2[32], t3[32], tb[32];
    h32(t1, 1), h32(t2, 2), h32(t3, 3), h32(tb, 4);
    OK(ectl_store_reset_add(s, t1, alice, 1000, &err));
    OK(ectl_store_reset_add(s, t2, alice, 1000, &err));
    OK(ectl_store_reset_add(s, t3, alice, 500, &err));
    OK(ectl_store_reset_add(s, tb, bob, 1000, &err));
    FAILS(ectl_store_reset_add(s, t1, alice, 1000, &err), ECTL_EEXISTS);
    uint8_t other[32];
    h32(other, 5);
    FAILS(ectl_store_reset_add(s, other, 99, 1000, &err), ECTL_ENOENT); /* no such user */

    /* Expired: refused, and gone. */
    int64_t uid = -1;
    FAILS(ectl_store_reset_consume(s, t3, 500, &uid, &err), ECTL_ENOENT);
    assert_int_equal(uid, 0);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM reset_tokens"), 3);

    /* Valid: once. */
    OK(ectl_store_reset_consume(s, t1, 999, &uid, &err));
    assert_int_equal(uid, alice);
    FAILS(ectl_store_reset_consume(s, t1, 999, &uid, &err), ECTL_ENOENT);
    /* ... and it took alice's other token with it, not bob's. */
    FAILS(ectl_store_reset_consume(s, t2, 999, &uid, &err), ECTL_ENOENT);
    OK(ectl_store_reset_consume(s, tb, 10, &uid, &err));
    assert_int_equal(uid, bob);
    ectl_store_close(s);
}

/* ---- API tokens --------------------------------------------------------- */

static int collect_tokens(void *ctx, const struct ectl_api_token *t)
{
    int64_t *ids = ctx;
    ids[ids[0] + 1] = t->revoked_at ? -t->id : t->id;
    ids[0]++;
    return 0;
}

static void test_api_tokens(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int64_t alice = add_user(s, "alice"), bob = add_user(s, "bob");
    uint8_t t1[32], t2[32], t3[32];
    h32(t1, 1), h32(t2, 2), h32(t3, 3);
    int64_t id1, id2, id3;
    OK(ectl_store_token_add(s, t1, alice, "ci", &id1, &err));
    OK(ectl_store_token_add(s, t2, alice, NULL, &id2, &err));
    OK(ectl_store_token_add(s, t3, bob, "bob's", &id3, &err));
    FAILS(ectl_store_token_add(s, t1, bob, "dup", NULL, &err), ECTL_EEXISTS);
    FAILS(ectl_store_token_add(s, t1, 0, "x", NULL, &err), ECTL_EINVAL);

    struct ectl_api_token tok;
    OK(ectl_store_token_get(s, t1, &tok, &err));
    assert_int_equal(tok.id, id1);
    assert_int_equal(tok.user_id, alice);
    assert_string_equal(tok.label, "ci");
    assert_int_equal(tok.revoked_at, 0);
    assert_true(tok.created_at > 0);
    ectl_api_token_release(&tok);
    OK(ectl_store_token_get(s, t2, &tok, &err));
    assert_string_equal(tok.label, "");
    ectl_api_token_release(&tok);

    /* Only the owner (or user 0, an admin) can revoke. */
    FAILS(ectl_store_token_revoke(s, id1, bob, 50, &err), ECTL_ENOENT);
    OK(ectl_store_token_revoke(s, id1, alice, 50, &err));
    FAILS(ectl_store_token_get(s, t1, &tok, &err), ECTL_ENOENT);
    FAILS(ectl_store_token_revoke(s, id1, alice, 60, &err), ECTL_ENOENT);
    OK(ectl_store_token_revoke(s, id3, 0, 70, &err));
    FAILS(ectl_store_token_revoke(s, id2, alice, 0, &err), ECTL_EINVAL);

    int64_t ids[8] = {0};
    OK(ectl_store_token_list(s, alice, collect_tokens, ids, &err));
    assert_int_equal(ids[0], 2);
    assert_int_equal(ids[1], -id1);
    assert_int_equal(ids[2], id2);
    ectl_store_close(s);
}

/* ---- failed sign-ins ---------------------------------------------------- */

static void test_failures(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int n = -1;
    ectl_time latest = -1;
    OK(ectl_store_failure_count(s, "user:alice", 0, &n, &latest, &err));
    assert_int_equal(n, 0);
    assert_int_equal(latest, 0);
    for (ectl_time t = 100; t <= 500; t += 100)
        OK(ectl_store_failure_add(s, "user:alice", t, &err));
    OK(ectl_store_failure_add(s, "addr:10.0.0.1", 450, &err));
    OK(ectl_store_failure_count(s, "user:alice", 0, &n, &latest, &err));
    assert_int_equal(n, 5);
    assert_int_equal(latest, 500);
    OK(ectl_store_failure_count(s, "user:alice", 300, &n, NULL, &err));
    assert_int_equal(n, 3);
    OK(ectl_store_failure_count(s, "addr:10.0.0.1", 0, &n, &latest, &err));
    assert_int_equal(n, 1);
    assert_int_equal(latest, 450);
    OK(ectl_store_failure_clear(s, "user:alice", &err));
    OK(ectl_store_failure_count(s, "user:alice", 0, &n, &latest, &err));
    assert_int_equal(n, 0);
    OK(ectl_store_failure_count(s, "addr:10.0.0.1", 0, &n, &latest, &err));
    assert_int_equal(n, 1);
    FAILS(ectl_store_failure_add(s, "", 1, &err), ECTL_EINVAL);
    ectl_store_close(s);
}

/* ---- shipment checks ---------------------------------------------------- */

struct page {
    int64_t ids[64];
    size_t n;
};

static int collect_check(void *ctx, const struct ectl_check_row *c)
{
    struct page *p = ctx;
    p->ids[p->n++] = c->id;
    return 0;
}

static void test_checks(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int64_t alice = add_user(s, "alice");
    static const char *const verdicts[] = {"clear", "licence_required", "review", "prohibited"};
    int64_t id = 0;
    for (int i = 1; i <= 25; i++) {
        char req[64];
        snprintf(req, sizeof req, "{\"n\": %d}", i);
        OK(ectl_store_check_add(s, i % 2 ? alice : 0, 1000 + i, verdicts[i % 4], req,
                                "{\"verdict\": \"x\"}", &id, &err));
        assert_int_equal(id, i);
    }
    FAILS(ectl_store_check_add(s, alice, 1, "maybe", "{}", "{}", NULL, &err), ECTL_EINVAL);
    FAILS(ectl_store_check_add(s, alice, 1, NULL, "{}", "{}", NULL, &err), ECTL_EINVAL);
    FAILS(ectl_store_check_add(s, alice, 1, "clear", NULL, "{}", NULL, &err), ECTL_EINVAL);
    FAILS(ectl_store_check_add(s, 99, 1, "clear", "{}", "{}", NULL, &err), ECTL_ENOENT);

    /* Durable on return: a second connection sees it at once. */
    struct ectl_store *other = open_again();
    struct ectl_check_row c;
    OK(ectl_store_check_get(other, 25, &c, &err));
    assert_int_equal(c.user_id, alice);
    assert_int_equal(c.created_at, 1025);
    assert_string_equal(c.verdict, "licence_required");
    assert_string_equal(c.request_json, "{\"n\": 25}");
    assert_string_equal(c.result_json, "{\"verdict\": \"x\"}");
    ectl_check_row_release(&c);
    OK(ectl_store_check_get(other, 24, &c, &err));
    assert_int_equal(c.user_id, 0); /* no user */
    ectl_check_row_release(&c);
    FAILS(ectl_store_check_get(other, 26, &c, &err), ECTL_ENOENT);
    ectl_store_close(other);

    /* Paging, newest first. */
    struct page p = {0};
    OK(ectl_store_check_list(s, 0, 10, collect_check, &p, &err));
    assert_int_equal(p.n, 10);
    assert_int_equal(p.ids[0], 25);
    assert_int_equal(p.ids[9], 16);
    int64_t before = p.ids[9];
    p.n = 0;
    OK(ectl_store_check_list(s, before, 10, collect_check, &p, &err));
    assert_int_equal(p.n, 10);
    assert_int_equal(p.ids[0], 15);
    assert_int_equal(p.ids[9], 6);
    before = p.ids[9];
    p.n = 0;
    OK(ectl_store_check_list(s, before, 10, collect_check, &p, &err));
    assert_int_equal(p.n, 5);
    assert_int_equal(p.ids[4], 1);
    p.n = 0;
    OK(ectl_store_check_list(s, 0, 0, collect_check, &p, &err)); /* 0: no limit */
    assert_int_equal(p.n, 25);
    ectl_store_close(s);
}

/* ---- explicit transactions ---------------------------------------------- */

static void test_transactions(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    OK(ectl_store_begin(s, &err));
    FAILS(ectl_store_begin(s, &err), ECTL_EINVAL);
    add_user(s, "alice");
    OK(ectl_store_audit_append(s, 1, "cli", "user.create", "user:1", "r1", "{}", NULL, &err));
    ectl_store_rollback(s);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM users"), 0);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM audit_log"), 0);
    FAILS(ectl_store_commit(s, &err), ECTL_EINVAL);
    ectl_store_rollback(s); /* harmless */

    OK(ectl_store_begin(s, &err));
    add_user(s, "alice");
    int64_t seq;
    OK(ectl_store_audit_append(s, 1, "cli", "user.create", "user:1", "r1", "{}", &seq, &err));
    assert_int_equal(seq, 1);
    /* A failing call inside leaves the rest of the transaction alone. */
    FAILS(ectl_store_user_set_disabled(s, 99, true, &err), ECTL_ENOENT);
    OK(ectl_store_commit(s, &err));
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM users"), 1);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM audit_log"), 1);
    int64_t bad, n;
    OK(ectl_store_audit_verify(s, &bad, &n, &err));
    assert_int_equal(n, 1);
    ectl_store_close(s);

    /* Closing with a transaction open rolls it back. */
    s = open_again();
    OK(ectl_store_begin(s, &err));
    add_user(s, "bob");
    ectl_store_close(s);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM users"), 1);
}

/* ---- the statement cache ------------------------------------------------- */

struct nested {
    struct ectl_store *s;
    int outer, inner;
    int rc;
};

static int count_inner(void *ctx, const struct ectl_user *u)
{
    (void)u;
    ((struct nested *)ctx)->inner++;
    return 0;
}

/* The same query again while its cached statement is still walking. */
static int walk_again(void *ctx, const struct ectl_user *u)
{
    struct nested *n = ctx;
    struct ectl_error err;
    struct ectl_user got;
    n->outer++;
    if ((n->rc = ectl_store_user_list(n->s, count_inner, n, &err)))
        return n->rc;
    if ((n->rc = ectl_store_user_get(n->s, u->id, &got, &err)))
        return n->rc;
    ectl_user_release(&got);
    return 0;
}

/* TRUNCATE checkpoint from a connection of its own: its "busy" column,
 * 0 when no reader kept it from finishing. */
static int checkpoint_busy(void)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(tmp_db_path(), &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int busy = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return busy;
}

static void test_statement_cache(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    add_user(s, "alice");
    add_user(s, "bob");
    add_user(s, "carol");
    struct nested n = {s, 0, 0, 0};
    OK(ectl_store_user_list(s, walk_again, &n, &err));
    assert_int_equal(n.rc, 0);
    assert_int_equal(n.outer, 3);
    assert_int_equal(n.inner, 9);
    /* Reused many times: bindings of one call never leak into the next. */
    for (int i = 0; i < 500; i++) {
        struct ectl_user u;
        OK(ectl_store_user_get_by_name(s, i % 2 ? "alice" : "bob", &u, &err));
        assert_string_equal(u.name, i % 2 ? "alice" : "bob");
        ectl_user_release(&u);
        FAILS(ectl_store_user_get_by_name(s, "nobody", &u, &err), ECTL_ENOENT);
    }
    /* A statement given back holds no read snapshot: a write made on
     * another connection since is seen by the next read. */
    struct ectl_store *other = open_again();
    add_user(other, "dave");
    struct ectl_user u;
    OK(ectl_store_user_get_by_name(s, "dave", &u, &err));
    ectl_user_release(&u);
    /* ... and a checkpoint can reset the WAL to the start: no reader of
     * either connection pins it (the first column is "busy"). */
    assert_int_equal(checkpoint_busy(), 0);
    ectl_store_close(other);
    ectl_store_close(s);
}

/* ---- writers of one process -------------------------------------------------
 * Each thread has its own connection, as in the server's pool: explicit
 * transactions and single writes queue on the process's writer mutex. */

#define WRITERS 4
#define WRITES 40

static void *writer(void *arg)
{
    intptr_t t = (intptr_t)arg;
    struct ectl_store *s = NULL;
    struct ectl_error err;
    char name[32], email[64], key[32];
    if (ectl_store_open(tmp_db_path(), 0, &s, &err))
        return strdup(err.msg);
    for (int i = 0; i < WRITES; i++) {
        snprintf(name, sizeof name, "w%d-%d", (int)t, i);
        snprintf(email, sizeof email, "%s@example.com", name);
        snprintf(key, sizeof key, "user:%s", name);
        int64_t id;
        /* A change and its entry in one transaction, then a write alone. */
        if (ectl_store_begin(s, &err) ||
            ectl_store_user_add(s, name, email, ECTL_ROLE_VIEWER, HASH, &id, &err) ||
            ectl_store_audit_append(s, 1, "cli", "user.create", name, "r", "{}", NULL, &err) ||
            ectl_store_commit(s, &err) || ectl_store_failure_add(s, key, 1, &err)) {
            ectl_store_rollback(s);
            ectl_store_close(s);
            return strdup(err.msg);
        }
    }
    ectl_store_close(s);
    return NULL;
}

static void test_concurrent_writers(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    pthread_t th[WRITERS];
    for (intptr_t t = 0; t < WRITERS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, writer, (void *)t), 0);
    for (int t = 0; t < WRITERS; t++) {
        void *res = NULL;
        pthread_join(th[t], &res);
        if (res)
            fail_msg("writer %d failed: %s", t, (char *)res);
    }
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM users"), WRITERS * WRITES);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM signin_failures"),
                     WRITERS * WRITES);
    int64_t bad = -1, n = -1;
    OK(ectl_store_audit_verify(s, &bad, &n, &err));
    assert_int_equal(n, WRITERS * WRITES);
    /* The lock is free again: this connection writes at once. */
    add_user(s, "last");
    ectl_store_close(s);
}

static void test_pg_url_without_libpq_or_server(void **state)
{
    (void)state;
    struct ectl_store *s = NULL;
    struct ectl_error err;
    /* Either built without libpq, or nothing listens on port 1: an error
     * either way, never a file called "postgresql:". */
    assert_int_not_equal(
        ectl_store_open("postgresql://127.0.0.1:1/none?connect_timeout=2", 0, &s, &err), 0);
    assert_null(s);
    assert_int_equal(err.code, ECTL_ESTORE);
}

static int teardown(void **state)
{
    (void)state;
    tmp_db_remove();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_open_missing, teardown),
        cmocka_unit_test_teardown(test_create_fresh, teardown),
        cmocka_unit_test_teardown(test_migrations_idempotent, teardown),
        cmocka_unit_test_teardown(test_unmigrated_refused_without_flag, teardown),
        cmocka_unit_test_teardown(test_newer_schema_refused, teardown),
        cmocka_unit_test_teardown(test_not_a_database, teardown),
        cmocka_unit_test(test_roles),
        cmocka_unit_test_teardown(test_users, teardown),
        cmocka_unit_test_teardown(test_disable_ends_sessions, teardown),
        cmocka_unit_test_teardown(test_sessions, teardown),
        cmocka_unit_test_teardown(test_reset_tokens, teardown),
        cmocka_unit_test_teardown(test_api_tokens, teardown),
        cmocka_unit_test_teardown(test_failures, teardown),
        cmocka_unit_test_teardown(test_checks, teardown),
        cmocka_unit_test_teardown(test_transactions, teardown),
        cmocka_unit_test_teardown(test_statement_cache, teardown),
        cmocka_unit_test_teardown(test_concurrent_writers, teardown),
        cmocka_unit_test(test_pg_url_without_libpq_or_server),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
