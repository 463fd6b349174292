/*
 * The audit writer: group commit of audit entries.
 *
 * Every determination and screening is audited, and its answer may go out
 * only once its entry is on disk.  One transaction per entry made the
 * service as fast as the disk's fsync and no faster.  So requests hand
 * their entry to one writer thread, with its own store connection, which
 * appends everything queued in one transaction (one fsync), in queue order
 * (each append reads the head of the chain under the write lock, so the
 * chain stays one line whoever else appends), and then lets the waiters
 * go.  While the writer waits for the disk the next batch gathers, so a
 * busy server commits many entries per fsync and an idle one commits each
 * at once: no timer, no added delay.
 *
 * Two ways to wait:
 *   srv_audit_write()   the calling thread blocks until its entry is
 *                       committed (sign-ins, tokens: rare requests);
 *   srv_audit_submit()  for the answer of determine and screen: the
 *                       libmicrohttpd connection is suspended instead, so
 *                       the pool thread goes on serving other connections,
 *                       and the writer resumes it once the entry is
 *                       committed (or failed); on_request then sends the
 *                       answer (or a 500).
 * An entry made inside a request's own transaction (a check and its entry
 * commit together) is appended on the request's connection, not here.
 *
 * Shutting down: srv_audit_quiesce() stops suspending (later entries are
 * written with srv_audit_write()) and waits for every suspended request
 * to have its answer, because libmicrohttpd must not be stopped with a
 * suspended connection; srv_audit_stop() writes what is left and ends the
 * thread.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "server.h"

/* Entries per transaction at most: bounds how long one commit holds the
 * write lock (a few milliseconds at this size). */
#define BATCH_MAX 1024
/* How long quiesce waits for suspended requests to be answered: longer
 * than a batch can take when another process holds the write lock (the
 * store's busy timeout, 10 s), since libmicrohttpd must not be stopped
 * with a connection still suspended. */
#define QUIESCE_SECONDS 30

struct srv_audit {
    pthread_mutex_t mu;
    pthread_cond_t work; /* the writer waits for entries */
    pthread_cond_t done; /* blocked writers and quiesce wait for the writer */
    struct srv_audit_item *head, *tail;
    bool stop;       /* the writer ends once the queue is empty */
    bool no_suspend; /* quiesced: srv_audit_submit() refuses */
    bool running;
    size_t suspended; /* submitted and not yet answered */
    pthread_t thread;
    struct ectl_store *store;
};

/* ---- the writer thread ---------------------------------------------------- */

static int append(struct ectl_store *st, struct srv_audit_item *it, struct ectl_error *err)
{
    return ectl_store_audit_append(st, it->at, it->actor, it->action, it->subject, it->request_id,
                                   it->detail_json, NULL, err);
}

static void log_failure(const struct srv_audit_item *it, const struct ectl_error *err)
{
    srv_log("audit %s %s: %s", it->action, it->request_id, err->msg);
}

/* All of batch in one transaction.  Should one entry fail, the others
 * must not fail with it: each is then tried in a transaction of its own
 * (which is what the append would have been anyway). */
static void write_batch(struct ectl_store *st, struct srv_audit_item *batch)
{
    struct ectl_error err = {0};
    int rc;
    if (!batch->next) {
        if ((batch->rc = append(st, batch, &err)))
            log_failure(batch, &err);
        return;
    }
    if ((rc = ectl_store_begin(st, &err))) {
        /* No write lock within the busy timeout: the next try would wait
         * as long again. */
        for (struct srv_audit_item *it = batch; it; it = it->next) {
            it->rc = rc;
            log_failure(it, &err);
        }
        return;
    }
    for (struct srv_audit_item *it = batch; it && !rc; it = it->next)
        rc = append(st, it, &err);
    if (!rc)
        rc = ectl_store_commit(st, &err);
    else
        ectl_store_rollback(st);
    if (!rc) {
        for (struct srv_audit_item *it = batch; it; it = it->next)
            it->rc = 0;
        return;
    }
    srv_log("audit: a batch of entries failed (%s); writing them one by one", err.msg);
    for (struct srv_audit_item *it = batch; it; it = it->next)
        if ((it->rc = append(st, it, &err)))
            log_failure(it, &err);
}

static void *writer_main(void *arg)
{
    struct srv_audit *a = arg;
    pthread_mutex_lock(&a->mu);
    for (;;) {
        while (!a->head && !a->stop)
            pthread_cond_wait(&a->work, &a->mu);
        if (!a->head)
            break;
        struct srv_audit_item *batch = a->head, *last = batch;
        for (size_t n = 1; n < BATCH_MAX && last->next; n++)
            last = last->next;
        a->head = last->next;
        if (!a->head)
            a->tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&a->mu);

        write_batch(a->store, batch);

        /* A blocked writer's item lives on its stack: once done is set and
         * the mutex is let go it may be gone, so it is not touched after.
         * A suspended request's item lives until the request is resumed;
         * those are chained on `resume` and resumed outside the mutex
         * (MHD_resume_connection takes libmicrohttpd's own). */
        struct srv_audit_item *resume = NULL;
        pthread_mutex_lock(&a->mu);
        for (struct srv_audit_item *it = batch, *next; it; it = next) {
            next = it->next;
            if (it->conn) {
                it->next = resume;
                resume = it;
            }
            it->done = true;
        }
        pthread_cond_broadcast(&a->done);
        pthread_mutex_unlock(&a->mu);
        for (struct srv_audit_item *it = resume, *next; it; it = next) {
            next = it->next;
            MHD_resume_connection(it->conn); /* the request may be gone after this */
        }
        pthread_mutex_lock(&a->mu);
    }
    pthread_mutex_unlock(&a->mu);
    return NULL;
}

/* ---- life cycle ------------------------------------------------------------ */

int srv_audit_start(struct srv *s, struct ectl_error *err)
{
    struct srv_audit *a = calloc(1, sizeof *a);
    if (!a)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    int rc = ectl_store_open(s->cfg->db, 0, &a->store, err);
    if (rc) {
        free(a);
        return rc;
    }
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->work, NULL);
    pthread_cond_init(&a->done, NULL);
    if ((rc = pthread_create(&a->thread, NULL, writer_main, a))) {
        ectl_store_close(a->store);
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->work);
        pthread_cond_destroy(&a->done);
        free(a);
        return ectl_error_set(err, ECTL_ENOMEM, "cannot start the audit writer: %s", strerror(rc));
    }
    a->running = true;
    s->audit = a;
    return 0;
}

void srv_audit_quiesce(struct srv *s)
{
    struct srv_audit *a = s->audit;
    if (!a)
        return;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += QUIESCE_SECONDS;
    pthread_mutex_lock(&a->mu);
    a->no_suspend = true;
    while (a->suspended > 0)
        if (pthread_cond_timedwait(&a->done, &a->mu, &until) == ETIMEDOUT)
            break;
    if (a->suspended > 0)
        srv_log("audit: %zu requests still unanswered at shutdown", a->suspended);
    pthread_mutex_unlock(&a->mu);
}

void srv_audit_stop(struct srv *s)
{
    struct srv_audit *a = s->audit;
    if (!a)
        return;
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_signal(&a->work);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->thread, NULL);
    ectl_store_close(a->store);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->work);
    pthread_cond_destroy(&a->done);
    free(a);
    s->audit = NULL;
}

/* ---- handing entries over --------------------------------------------------- */

/* Under a->mu. */
static void enqueue(struct srv_audit *a, struct srv_audit_item *it)
{
    it->next = NULL;
    it->done = false;
    it->rc = ECTL_ESTORE;
    if (a->tail)
        a->tail->next = it;
    else
        a->head = it;
    a->tail = it;
    pthread_cond_signal(&a->work);
}

bool srv_audit_write(struct srv *s, struct srv_audit_item *it)
{
    struct srv_audit *a = s->audit;
    it->conn = NULL;
    pthread_mutex_lock(&a->mu);
    if (a->stop) {
        pthread_mutex_unlock(&a->mu);
        srv_log("audit %s %s: the audit writer has stopped", it->action, it->request_id);
        return false;
    }
    enqueue(a, it);
    while (!it->done)
        pthread_cond_wait(&a->done, &a->mu);
    pthread_mutex_unlock(&a->mu);
    return it->rc == 0;
}

bool srv_audit_submit(struct srv *s, struct srv_audit_item *it, struct MHD_Connection *conn)
{
    struct srv_audit *a = s->audit;
    pthread_mutex_lock(&a->mu);
    if (a->no_suspend || a->stop) {
        pthread_mutex_unlock(&a->mu);
        return false;
    }
    /* Suspended before the writer can see the item, so that it can never
     * resume a connection that is not suspended yet. */
    MHD_suspend_connection(conn);
    it->conn = conn;
    a->suspended++;
    enqueue(a, it);
    pthread_mutex_unlock(&a->mu);
    return true;
}

void srv_audit_answered(struct srv *s)
{
    struct srv_audit *a = s->audit;
    pthread_mutex_lock(&a->mu);
    if (a->suspended > 0 && --a->suspended == 0 && a->no_suspend)
        pthread_cond_broadcast(&a->done);
    pthread_mutex_unlock(&a->mu);
}

/* ---- what handlers call -------------------------------------------------------- */

/* detail as the exact text to hash: compact, keys sorted.  Made while the
 * request's arena is current, it lives as long as the request. */
static char *detail_text(json_t *detail)
{
    return detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

bool srv_audit_raw(struct ectl_store *s, ectl_time at, const char *actor, const char *action,
                   const char *subject, const char *request_id, json_t *detail)
{
    char *d = detail_text(detail);
    struct ectl_error err = {0};
    int64_t seq;
    int rc = ectl_store_audit_append(s, at, actor, action, subject ? subject : "", request_id,
                                     d ? d : "{}", &seq, &err);
    if (d) {
        /* Heap or arena, jansson's own allocator knows which. */
        json_free_t release;
        json_get_alloc_funcs(NULL, &release);
        release(d);
    }
    if (rc) {
        srv_log("audit %s %s: %s", action, request_id, err.msg);
        return false;
    }
    return true;
}

/* The request's entry: the detail gets how the caller came ("via") and
 * their address. */
static bool make_item(struct req *r, const char *action, const char *subject, json_t *detail,
                      struct srv_audit_item *it)
{
    if (!detail)
        detail = json_object();
    if (r->via == VIA_TOKEN)
        json_object_set_new(detail, "via", json_sprintf("token:%lld", (long long)r->token_id));
    json_object_set_new(detail, "addr", json_string(r->addr));
    char *d = detail_text(detail);
    *it = (struct srv_audit_item){
        .at = r->now,
        .actor = r->actor,
        .action = action,
        .subject = subject ? subject : "",
        .request_id = r->id,
        .detail_json = d ? d : "{}",
    };
    if (!d || !*r->actor || !action || !*action) {
        srv_log("audit %s %s: %s", action ? action : "?", r->id,
                d ? "an audit entry needs an actor and an action" : "out of memory");
        return false;
    }
    return true;
}

bool srv_audit(struct req *r, const char *action, const char *subject, json_t *detail)
{
    struct srv_audit_item it;
    if (!make_item(r, action, subject, detail, &it))
        return false;
    if (r->in_tx) {
        /* Joins the request's transaction: commits with it or not at all. */
        struct ectl_error err = {0};
        int rc = append(srv_store(r), &it, &err);
        if (rc)
            log_failure(&it, &err);
        return rc == 0;
    }
    return srv_audit_write(r->srv, &it);
}

bool srv_audit_answer(struct req *r, const char *action, const char *subject, json_t *detail)
{
    if (r->in_tx)
        return srv_audit(r, action, subject, detail);
    if (!make_item(r, action, subject, detail, &r->audit))
        return false;
    r->audit_state = SRV_AUDIT_PENDING;
    return true;
}
