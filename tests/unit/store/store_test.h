/*
 * Helpers for the store tests: a throw-away database per test, raw SQL on
 * it (to play the part of someone editing the file behind our back), and
 * assertions that print the library's message when a call fails.
 */
#ifndef ECTL_STORE_TEST_H
#define ECTL_STORE_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <exportctl/auth.h>
#include <exportctl/store.h>

/* A new empty folder; the database path is <dir>/var/sub/test.db, below
 * folders that do not exist yet.  Both strings are static, one at a time. */
const char *tmp_db_path(void);
const char *tmp_db_dir(void);
void tmp_db_remove(void);

/* Fresh store at tmp_db_path(), created and migrated. */
struct ectl_store *open_new(void);
struct ectl_store *open_again(void);

/* Run SQL on the file with a separate raw connection; fails the test on
 * error unless may_fail, and returns SQLite's result code. */
int raw_sql(const char *path, const char *sql, int may_fail);
/* First column of the first row as an integer. */
long long raw_int(const char *path, const char *sql);

/* The caller has a struct ectl_error named err. */
#define OK(call)                                                                                   \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ != 0)                                                                              \
            fail_msg("%s -> %s (%s)", #call, ectl_err_name(rc_), err.msg);                         \
    } while (0)
#define FAILS(call, code)                                                                          \
    do {                                                                                           \
        int rc_ = (call);                                                                          \
        if (rc_ != (code))                                                                         \
            fail_msg("%s -> %s, expected %s (%s)", #call, ectl_err_name(rc_), ectl_err_name(code), \
                     err.msg);                                                                     \
    } while (0)

/* Add a user with a fixed hash; returns its id. */
int64_t add_user(struct ectl_store *s, const char *name);

#endif
