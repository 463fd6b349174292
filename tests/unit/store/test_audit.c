/*
 * The audit log: appending, listing with filters, the documented hash, and
 * verification — including the two ways someone with the file could hide
 * an action (altering a row, deleting one) and concurrent appenders on
 * separate connections.
 */
#include "store_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the hash, recomputed independently from docs/audit-log.md ---------- */

static size_t put_be64(uint8_t *p, int64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
    return 8;
}

static size_t put_lp(uint8_t *p, const char *s)
{
    size_t n = strlen(s);
    put_be64(p, (int64_t)n);
    memcpy(p + 8, s, n);
    return 8 + n;
}

static void doc_hash(int64_t seq, int64_t at, const char *actor, const char *action,
                     const char *subject, const char *rid, const char *detail,
                     const uint8_t prev[32], uint8_t out[32])
{
    uint8_t buf[2048];
    size_t n = 0;
    n += put_lp(buf + n, "exportctl-audit-v1");
    n += put_be64(buf + n, seq);
    n += put_be64(buf + n, at);
    n += put_lp(buf + n, actor);
    n += put_lp(buf + n, action);
    n += put_lp(buf + n, subject);
    n += put_lp(buf + n, rid);
    n += put_lp(buf + n, detail);
    memcpy(buf + n, prev, 32);
    n += 32;
    ectl_sha256(buf, n, out);
}

struct entries {
    struct ectl_audit_entry e[128];
    size_t n;
};

static int collect(void *ctx, const struct ectl_audit_entry *e)
{
    struct entries *all = ctx;
    struct ectl_audit_entry *c = &all->e[all->n++];
    *c = *e;
    c->actor = strdup(e->actor);
    c->action = strdup(e->action);
    c->subject = strdup(e->subject);
    c->request_id = strdup(e->request_id);
    c->detail_json = strdup(e->detail_json);
    return 0;
}

static void entries_release(struct entries *all)
{
    for (size_t i = 0; i < all->n; i++)
        ectl_audit_entry_release(&all->e[i]);
    all->n = 0;
}

static void verify_intact(struct ectl_store *s, int64_t want)
{
    struct ectl_error err;
    int64_t bad = -1, n = -1;
    OK(ectl_store_audit_verify(s, &bad, &n, &err));
    assert_int_equal(bad, 0);
    assert_int_equal(n, want);
}

static void test_empty(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    verify_intact(s, 0);
    ectl_store_close(s);
}

static void test_append_and_hash(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    int64_t seq = 0;
    OK(ectl_store_audit_append(s, 1700000000, "alice", "session.create", "user:1", "req-1",
                               "{\"remember\": true}", &seq, &err));
    assert_int_equal(seq, 1);
    OK(ectl_store_audit_append(s, 1700000001, "anonymous", "session.fail", NULL, NULL, NULL, &seq,
                               &err));
    assert_int_equal(seq, 2);
    FAILS(ectl_store_audit_append(s, 1, "", "x", NULL, NULL, NULL, NULL, &err), ECTL_EINVAL);
    FAILS(ectl_store_audit_append(s, 1, "cli", NULL, NULL, NULL, NULL, NULL, &err), ECTL_EINVAL);

    struct entries all = {0};
    OK(ectl_store_audit_list(s, NULL, collect, &all, &err));
    assert_int_equal(all.n, 2);
    struct ectl_audit_entry *second = &all.e[0], *first = &all.e[1]; /* newest first */
    assert_int_equal(first->seq, 1);
    assert_int_equal(first->at, 1700000000);
    assert_string_equal(first->actor, "alice");
    assert_string_equal(first->action, "session.create");
    assert_string_equal(first->subject, "user:1");
    assert_string_equal(first->request_id, "req-1");
    assert_string_equal(first->detail_json, "{\"remember\": true}");
    assert_string_equal(second->subject, "");
    assert_string_equal(second->request_id, "");
    assert_string_equal(second->detail_json, "{}");

    /* The hash is exactly the documented one, seq 1 chaining to zeros. */
    uint8_t zero[32] = {0}, h[32];
    assert_memory_equal(first->prev_hash, zero, 32);
    doc_hash(1, 1700000000, "alice", "session.create", "user:1", "req-1", "{\"remember\": true}",
             zero, h);
    assert_memory_equal(first->hash, h, 32);
    assert_memory_equal(second->prev_hash, first->hash, 32);
    doc_hash(2, 1700000001, "anonymous", "session.fail", "", "", "{}", first->hash, h);
    assert_memory_equal(second->hash, h, 32);
    entries_release(&all);
    verify_intact(s, 2);
    ectl_store_close(s);
}

static void test_list_filters(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    static const char *const actors[] = {"alice", "bob", "cli"};
    static const char *const actions[] = {"session.create", "session.fail", "user.create",
                                          "check.create", "user_x.update"};
    for (int i = 1; i <= 30; i++)
        OK(ectl_store_audit_append(s, 1000 + i, actors[i % 3], actions[i % 5], "", "", "{}", NULL,
                                   &err));
    struct entries all = {0};
    struct ectl_audit_filter f = {.actor = "bob"};
    OK(ectl_store_audit_list(s, &f, collect, &all, &err));
    assert_int_equal(all.n, 10);
    for (size_t i = 0; i < all.n; i++)
        assert_string_equal(all.e[i].actor, "bob");
    assert_int_equal(all.e[0].seq, 28);
    entries_release(&all);

    f = (struct ectl_audit_filter){.action = "session."};
    OK(ectl_store_audit_list(s, &f, collect, &all, &err));
    assert_int_equal(all.n, 12);
    entries_release(&all);
    /* The prefix is literal: '_' is not a wildcard. */
    f = (struct ectl_audit_filter){.action = "user_"};
    OK(ectl_store_audit_list(s, &f, collect, &all, &err));
    assert_int_equal(all.n, 6);
    entries_release(&all);

    f = (struct ectl_audit_filter){.before_seq = 11, .limit = 4};
    OK(ectl_store_audit_list(s, &f, collect, &all, &err));
    assert_int_equal(all.n, 4);
    assert_int_equal(all.e[0].seq, 10);
    assert_int_equal(all.e[3].seq, 7);
    entries_release(&all);

    f = (struct ectl_audit_filter){.since = 1026, .actor = "cli"};
    OK(ectl_store_audit_list(s, &f, collect, &all, &err));
    assert_int_equal(all.n, 2); /* seq 26 and 29 */
    assert_int_equal(all.e[0].seq, 29);
    assert_int_equal(all.e[1].seq, 26);
    entries_release(&all);
    ectl_store_close(s);
}

/* ---- concurrent appenders ----------------------------------------------- */

#define THREADS 4
#define PER_THREAD 25

static void *appender(void *arg)
{
    intptr_t t = (intptr_t)arg;
    struct ectl_store *s = NULL;
    struct ectl_error err;
    if (ectl_store_open(tmp_db_path(), ECTL_STORE_MIGRATE, &s, &err))
        return strdup(err.msg);
    for (int i = 0; i < PER_THREAD; i++) {
        char actor[32], detail[64];
        snprintf(actor, sizeof actor, "thread-%d", (int)t);
        snprintf(detail, sizeof detail, "{\"i\": %d}", i);
        if (ectl_store_audit_append(s, 1000 + i, actor, "check.create", "check:1", "r", detail,
                                    NULL, &err)) {
            ectl_store_close(s);
            return strdup(err.msg);
        }
    }
    ectl_store_close(s);
    return NULL;
}

/* Fills a fresh database with 100 entries from 4 threads. */
static struct ectl_store *hundred_entries(void)
{
    struct ectl_store *s = open_new();
    pthread_t th[THREADS];
    for (intptr_t t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&th[t], NULL, appender, (void *)t), 0);
    for (int t = 0; t < THREADS; t++) {
        void *res = NULL;
        pthread_join(th[t], &res);
        if (res)
            fail_msg("appender %d failed: %s", t, (char *)res);
    }
    return s;
}

static void test_concurrent_appenders(void **state)
{
    (void)state;
    struct ectl_store *s = hundred_entries();
    verify_intact(s, THREADS * PER_THREAD);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(*) FROM audit_log"), 100);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT max(seq) FROM audit_log"), 100);
    assert_int_equal(raw_int(tmp_db_path(), "SELECT count(DISTINCT actor) FROM audit_log"), 4);
    ectl_store_close(s);
}

/* ---- batches: many appends in one transaction ---------------------------- */

static void test_batches(void **state)
{
    (void)state;
    struct ectl_store *a = open_new(), *b = open_again();
    struct ectl_error err;
    int64_t seq = 0;
    OK(ectl_store_begin(a, &err));
    for (int i = 0; i < 5; i++)
        OK(ectl_store_audit_append(a, 10 + i, "alice", "determine", "", "r", "{}", &seq, &err));
    assert_int_equal(seq, 5);
    OK(ectl_store_commit(a, &err));
    /* Another connection appends between two batches of the first: the
     * next batch must chain to that entry, not to its own last one. */
    OK(ectl_store_audit_append(b, 20, "bob", "screen", "", "r", "{}", &seq, &err));
    assert_int_equal(seq, 6);
    OK(ectl_store_begin(a, &err));
    OK(ectl_store_audit_append(a, 21, "alice", "determine", "", "r", "{}", &seq, &err));
    assert_int_equal(seq, 7);
    OK(ectl_store_commit(a, &err));
    /* A batch rolled back leaves no trace, and no head to chain to. */
    OK(ectl_store_begin(a, &err));
    OK(ectl_store_audit_append(a, 22, "alice", "determine", "", "r", "{}", &seq, &err));
    OK(ectl_store_audit_append(a, 23, "alice", "determine", "", "r", "{}", &seq, &err));
    assert_int_equal(seq, 9);
    ectl_store_rollback(a);
    OK(ectl_store_audit_append(b, 24, "bob", "screen", "", "r", "{}", &seq, &err));
    assert_int_equal(seq, 8);
    OK(ectl_store_begin(a, &err));
    /* A refused append in the middle of a batch changes nothing either. */
    FAILS(ectl_store_audit_append(a, 25, "", "determine", "", "r", "{}", &seq, &err), ECTL_EINVAL);
    OK(ectl_store_audit_append(a, 26, "alice", "determine", "", "r", "{}", &seq, &err));
    assert_int_equal(seq, 9);
    OK(ectl_store_commit(a, &err));
    verify_intact(a, 9);
    ectl_store_close(b);
    ectl_store_close(a);
}

/* ---- tampering ---------------------------------------------------------- */

static const char DROP_GUARDS[] = "DROP TRIGGER audit_log_no_update;"
                                  "DROP TRIGGER audit_log_no_delete;";

static void expect_broken(struct ectl_store *s, int64_t at, const char *words)
{
    struct ectl_error err;
    int64_t bad = -1, n = -1;
    FAILS(ectl_store_audit_verify(s, &bad, &n, &err), ECTL_ECORRUPT);
    assert_int_equal(bad, at);
    assert_int_equal(n, at - 1);
    if (!strstr(err.msg, words))
        fail_msg("message '%s' lacks '%s'", err.msg, words);
}

static void test_guards(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    OK(ectl_store_audit_append(s, 1, "cli", "user.create", "", "", "{}", NULL, &err));
    /* The application cannot change the log by accident. */
    assert_int_not_equal(raw_sql(tmp_db_path(), "UPDATE audit_log SET actor = 'x'", 1), 0);
    assert_int_not_equal(raw_sql(tmp_db_path(), "DELETE FROM audit_log", 1), 0);
    verify_intact(s, 1);
    ectl_store_close(s);
}

static void test_altered_row(void **state)
{
    (void)state;
    struct ectl_store *s = hundred_entries();
    raw_sql(tmp_db_path(), DROP_GUARDS, 0);
    raw_sql(tmp_db_path(), "UPDATE audit_log SET detail_json = '{\"i\": 999}' WHERE seq = 37", 0);
    expect_broken(s, 37, "altered");
    ectl_store_close(s);
}

static void test_deleted_row(void **state)
{
    (void)state;
    struct ectl_store *s = hundred_entries();
    raw_sql(tmp_db_path(), DROP_GUARDS, 0);
    raw_sql(tmp_db_path(), "DELETE FROM audit_log WHERE seq = 50", 0);
    expect_broken(s, 50, "entry 50 is missing");
    ectl_store_close(s);
}

static void test_deleted_first_rows(void **state)
{
    (void)state;
    struct ectl_store *s = hundred_entries();
    raw_sql(tmp_db_path(), DROP_GUARDS, 0);
    raw_sql(tmp_db_path(), "DELETE FROM audit_log WHERE seq <= 3", 0);
    expect_broken(s, 1, "missing");
    ectl_store_close(s);
}

/* A forger who rewrites a row and its hash still breaks the next link. */
static void test_rewritten_row(void **state)
{
    (void)state;
    struct ectl_store *s = open_new();
    struct ectl_error err;
    for (int i = 1; i <= 5; i++)
        OK(ectl_store_audit_append(s, 100 + i, "alice", "check.create", "", "", "{}", NULL, &err));
    struct entries all = {0};
    struct ectl_audit_filter f = {.before_seq = 4, .limit = 1};
    OK(ectl_store_audit_list(s, &f, collect, &all, &err));
    assert_int_equal(all.e[0].seq, 3);
    uint8_t h[32];
    char hex[65], sql[512];
    doc_hash(3, 103, "mallory", "check.create", "", "", "{}", all.e[0].prev_hash, h);
    ectl_hex(h, 32, hex);
    snprintf(sql, sizeof sql, "UPDATE audit_log SET actor = 'mallory', hash = x'%s' WHERE seq = 3",
             hex);
    entries_release(&all);
    raw_sql(tmp_db_path(), DROP_GUARDS, 0);
    raw_sql(tmp_db_path(), sql, 0);
    expect_broken(s, 4, "prev_hash does not match entry 3");
    ectl_store_close(s);
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
        cmocka_unit_test_teardown(test_empty, teardown),
        cmocka_unit_test_teardown(test_append_and_hash, teardown),
        cmocka_unit_test_teardown(test_list_filters, teardown),
        cmocka_unit_test_teardown(test_concurrent_appenders, teardown),
        cmocka_unit_test_teardown(test_batches, teardown),
        cmocka_unit_test_teardown(test_guards, teardown),
        cmocka_unit_test_teardown(test_altered_row, teardown),
        cmocka_unit_test_teardown(test_deleted_row, teardown),
        cmocka_unit_test_teardown(test_deleted_first_rows, teardown),
        cmocka_unit_test_teardown(test_rewritten_row, teardown),
    };
    return cmocka_run_group_tests_name("audit", tests, NULL, NULL);
}
