/*
 * ectl_screen(): normalise the query, then search.
 *
 * The normaliser holds converters that are expensive to make and not
 * thread-safe, and a search reuses work arrays sized to the index; both
 * are made once per thread on its first query and kept in thread-specific
 * storage.  So any number of threads may screen against one index at
 * once, each with its own normaliser, and a query allocates nothing after
 * a thread's first.
 *
 * When a thread ends, its state goes to a small pool for the next thread
 * rather than back to the allocator.  A state is ~6 MB of work arrays and
 * memos and ICU's transliterators: made anew, its memory is faulted in
 * page by page as queries first touch it (~3,400 page faults for two new
 * threads on the benchmark's 26,062 names; 10 with the pool) and the
 * transliterators are opened again.  A server that runs a thread per
 * request, or a batch that starts its workers afresh, paid that for
 * every thread.  A state from the pool starts with its memos empty
 * (ectl_norm_forget, ectl_scratch_forget), so that it answers and costs
 * as a new one would, only without the set-up.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <exportctl/screen.h>

#include "search.h"

struct per_thread {
    struct ectl_norm *norm;
    struct ectl_scratch *scratch;
    struct ectl_norm_result q;
};

static pthread_key_t tls_key;
static int tls_ok;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;

static void per_thread_free(void *p)
{
    struct per_thread *t = p;
    if (!t)
        return;
    ectl_norm_free(t->norm);
    ectl_scratch_free(t->scratch);
    free(t);
}

/* States of ended threads, for the next ones.  A handful is enough: the
 * pool holds what threads that ended together left, and a process runs
 * about as many screening threads as it has CPUs. */
#define POOL_MAX 8

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct per_thread *pool[POOL_MAX];
static size_t pool_n;
static int pool_closed; /* at exit: states are freed, not kept */

/* The thread-specific storage's destructor: into the pool if there is
 * room, else freed. */
static void per_thread_release(void *p)
{
    struct per_thread *t = p;
    if (!t)
        return;
    pthread_mutex_lock(&pool_lock);
    if (!pool_closed && pool_n < POOL_MAX) {
        pool[pool_n++] = t;
        t = NULL;
    }
    pthread_mutex_unlock(&pool_lock);
    per_thread_free(t);
}

static struct per_thread *pool_take(void)
{
    struct per_thread *t = NULL;
    pthread_mutex_lock(&pool_lock);
    if (pool_n)
        t = pool[--pool_n];
    pthread_mutex_unlock(&pool_lock);
    if (t) {
        ectl_norm_forget(t->norm);
        ectl_scratch_forget(t->scratch);
    }
    return t;
}

size_t ectl_screen_idle_states(void)
{
    pthread_mutex_lock(&pool_lock);
    size_t n = pool_n;
    pthread_mutex_unlock(&pool_lock);
    return n;
}

/* At exit, so that leak checkers see a clean process; threads still
 * running free their own states. */
static void pool_drain(void)
{
    pthread_mutex_lock(&pool_lock);
    pool_closed = 1;
    size_t n = pool_n;
    pool_n = 0;
    pthread_mutex_unlock(&pool_lock);
    for (size_t i = 0; i < n; i++)
        per_thread_free(pool[i]);
}

static void make_key(void)
{
    tls_ok = pthread_key_create(&tls_key, per_thread_release) == 0;
    if (tls_ok)
        atexit(pool_drain);
}

/* The main thread never runs key destructors; free its state at exit so
 * that leak checkers see a clean process. */
static struct per_thread *main_state;

static void free_main_state(void)
{
    if (main_state && tls_ok && pthread_getspecific(tls_key) == main_state)
        pthread_setspecific(tls_key, NULL);
    per_thread_free(main_state);
    main_state = NULL;
}

static int per_thread_get(struct per_thread **out, struct ectl_error *err)
{
    pthread_once(&tls_once, make_key);
    if (!tls_ok)
        return ectl_error_set(err, ECTL_ENOMEM, "cannot create thread-specific storage");
    struct per_thread *t = pthread_getspecific(tls_key);
    if (t) {
        *out = t;
        return 0;
    }
    t = pool_take();
    if (!t) {
        t = calloc(1, sizeof *t);
        if (!t)
            return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
        int rc = ectl_norm_new(&t->norm, err);
        if (rc) {
            free(t);
            return rc;
        }
        t->scratch = ectl_scratch_new();
        if (!t->scratch) {
            per_thread_free(t);
            return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
        }
    }
    if (pthread_setspecific(tls_key, t) != 0) {
        per_thread_free(t);
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    }
    /* Only the main thread's state needs the exit handler; the once-only
     * registration happens on its first query. */
    if (gettid() == getpid()) {
        static int registered;
        if (!registered)
            registered = atexit(free_main_state) == 0;
        if (registered)
            main_state = t;
    }
    *out = t;
    return 0;
}

int ectl_screen(const struct ectl_index *idx, const char *name, const struct ectl_screen_opts *opts,
                struct ectl_match *out, size_t cap, size_t *n, struct ectl_error *err)
{
    *n = 0;
    if (!idx || !name || (!out && cap))
        return ectl_error_set(err, ECTL_EINVAL, "screen: missing index, name or output");
    struct per_thread *t = NULL;
    int rc = per_thread_get(&t, err);
    if (rc)
        return rc;
    rc = ectl_norm_name(t->norm, name, strlen(name), &t->q, err);
    if (rc)
        return rc;
    return ectl_search(t->scratch, idx, &t->q, opts, NULL, NULL, out, cap, n, NULL, err);
}
