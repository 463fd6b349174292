/*
 * Background jobs (today: password-reset mail) and SMTP through libcurl.
 *
 * One thread with its own store connection works through a bounded queue.
 * Requests only push; they never wait for a mail server, so a slow or dead
 * SMTP server cannot hold a request thread, and a reset request takes the
 * same time whether or not it leads to a mail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "server.h"

#define QUEUE_CAP 64

struct srv_jobs {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping, started;
    size_t head, n;
    struct srv_job q[QUEUE_CAP];
    struct ectl_store *store;
};

static void *run(void *arg)
{
    struct srv *s = arg;
    struct srv_jobs *j = s->jobs;
    for (;;) {
        pthread_mutex_lock(&j->mu);
        while (!j->stopping && j->n == 0)
            pthread_cond_wait(&j->cv, &j->mu);
        if (j->stopping) {
            if (j->n)
                srv_log("stopping with %zu reset mails not sent", j->n);
            pthread_mutex_unlock(&j->mu);
            return NULL;
        }
        struct srv_job job = j->q[j->head];
        j->head = (j->head + 1) % QUEUE_CAP;
        j->n--;
        pthread_mutex_unlock(&j->mu);
        srv_reset_job(s, j->store, &job);
    }
}

int srv_jobs_start(struct srv *s, struct ectl_error *err)
{
    struct srv_jobs *j = calloc(1, sizeof *j);
    if (!j)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    int rc = ectl_store_open(s->cfg->db, 0, &j->store, err);
    if (rc) {
        free(j);
        return rc;
    }
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    s->jobs = j;
    if (pthread_create(&j->thread, NULL, run, s) != 0)
        return ectl_error_set(err, ECTL_EIO, "cannot start the mail thread");
    j->started = true;
    return 0;
}

bool srv_jobs_push(struct srv *s, const struct srv_job *job)
{
    struct srv_jobs *j = s->jobs;
    pthread_mutex_lock(&j->mu);
    bool ok = j->n < QUEUE_CAP && !j->stopping;
    if (ok) {
        j->q[(j->head + j->n) % QUEUE_CAP] = *job;
        j->n++;
        pthread_cond_signal(&j->cv);
    }
    pthread_mutex_unlock(&j->mu);
    if (!ok)
        srv_log("reset queue full: request %s dropped", job->request_id);
    return ok;
}

void srv_jobs_stop(struct srv *s)
{
    struct srv_jobs *j = s->jobs;
    if (!j)
        return;
    pthread_mutex_lock(&j->mu);
    j->stopping = true;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    if (j->started)
        pthread_join(j->thread, NULL);
    ectl_store_close(j->store);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    free(j);
    s->jobs = NULL;
}

/* ---- SMTP --------------------------------------------------------------- */

struct upload {
    const char *p;
    size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ctx)
{
    struct upload *u = ctx;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

int srv_mail_send(const char *smtp_url, const char *from, const char *to, const char *subject,
                  const char *body, char *errbuf, size_t errcap)
{
    char date[64], msgid[128], host[64] = "localhost";
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const char *at = strchr(from, '@');
    if (at)
        snprintf(host, sizeof host, "%s", at + 1);
    /* The body holds a fresh random token, so its hash makes the id unique. */
    char rhex[17];
    uint8_t h[32];
    ectl_sha256(body, strlen(body), h);
    ectl_hex(h, 8, rhex);
    snprintf(msgid, sizeof msgid, "<%lld.%s@%s>", (long long)t, rhex, host);

    char *msg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&msg, &len);
    if (!f) {
        snprintf(errbuf, errcap, "out of memory");
        return -1;
    }
    fprintf(f,
            "Date: %s\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: %s\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n%s",
            date, from, to, subject, msgid, body);
    fclose(f);

    CURL *c = curl_easy_init();
    if (!c) {
        free(msg);
        snprintf(errbuf, errcap, "cannot start libcurl");
        return -1;
    }
    char cerr[CURL_ERROR_SIZE] = "";
    char envfrom[300], envto[300];
    snprintf(envfrom, sizeof envfrom, "<%s>", from);
    snprintf(envto, sizeof envto, "<%s>", to);
    struct curl_slist *rcpt = curl_slist_append(NULL, envto);
    struct upload up = {msg, len};
    curl_easy_setopt(c, CURLOPT_URL, smtp_url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, envfrom);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK)
        snprintf(errbuf, errcap, "%s: %s", smtp_url, *cerr ? cerr : curl_easy_strerror(rc));
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    free(msg);
    return rc == CURLE_OK ? 0 : -1;
}
