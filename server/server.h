/*
 * Internal to server/: the request, the route table, and the helpers every
 * handler uses.
 *
 * Memory: each request owns an arena (struct srv_arena).  Handlers allocate
 * only from it -- srv_alloc(), srv_strdup(), srv_printf() -- and jansson
 * values made while a request runs come from it too (see arena.c), so a
 * handler never frees anything: the arena goes when the response has been
 * sent.  What a library hands out with its own release function is given
 * to srv_defer(), which runs it then.
 *
 * Errors: a handler answers with srv_reply_*() or srv_error() and returns
 * 0; returning non-zero without answering means a bug or an internal
 * failure and becomes a 500.
 */
#ifndef ECTL_SERVER_H
#define ECTL_SERVER_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include <exportctl/auth.h>
#include <exportctl/check.h>
#include <exportctl/store.h>

#include "serve.h"

/* ---- arena -------------------------------------------------------------- */

struct srv_arena_chunk;
struct srv_cleanup;

struct srv_arena {
    struct srv_arena_chunk *head;
    struct srv_cleanup *cleanups;
    size_t used; /* bytes handed out, checked against the cap */
    size_t cap;
};

void srv_arena_init(struct srv_arena *a, size_t cap);
/* Runs the cleanups (newest first), then frees every chunk. */
void srv_arena_release(struct srv_arena *a);
void *srv_arena_alloc(struct srv_arena *a, size_t n);
/* Make jansson allocate from the arena current on this thread (or the heap
 * when there is none).  Call once, before any jansson value exists. */
void srv_json_use_arena(void);
/* The arena jansson uses on this thread; NULL restores the heap. */
void srv_arena_set_current(struct srv_arena *a);

/* ---- body schemas (table-driven validation and OpenAPI) ----------------- */

enum srv_ftype { F_STRING, F_BOOL, F_INT, F_NUMBER, F_STRINGS, F_OBJECTS };

struct srv_schema;

struct srv_field {
    const char *name;
    enum srv_ftype type;
    bool required;
    double min, max;             /* strings: length in bytes; numbers: value; arrays: count */
    const char *const *values;   /* allowed strings (NULL-terminated), or NULL */
    const char *format;          /* OpenAPI format: "date", "email", "password" or NULL */
    const struct srv_schema *of; /* F_OBJECTS: the schema of each element */
    const char *desc;
};

struct srv_schema {
    const char *name; /* components/schemas key */
    const struct srv_field *fields;
    size_t n_fields;
};

enum srv_ptype { P_INT, P_STRING };

struct srv_param {
    const char *name;
    enum srv_ptype type;
    double min, max; /* ints: value; strings: length */
    const char *desc;
};

/* ---- routes ------------------------------------------------------------- */

enum srv_auth {
    AUTH_NONE,    /* public: credentials are ignored */
    AUTH_ANY,     /* a session cookie or a bearer token */
    AUTH_SESSION, /* a session cookie only (signing out) */
};

struct req;

struct srv_route {
    const char *method;
    const char *path; /* "{id}" stands for a positive integer segment */
    enum srv_auth auth;
    enum ectl_role role;           /* the least role allowed, when auth != AUTH_NONE */
    const struct srv_schema *body; /* NULL: the request takes no body */
    const struct srv_param *query; /* NULL-name-terminated, or NULL */
    int (*handler)(struct req *r);
    unsigned status; /* on success */
    const char *summary;
    const char *tag;
};

extern const struct srv_route srv_routes[];
extern const size_t srv_n_routes;
const char *srv_auth_name(enum srv_auth a);

/* Find the route for method and path.  NULL with *path_matched set when
 * the path exists under another method; *id receives "{id}". */
const struct srv_route *srv_route_find(const char *method, const char *path, bool *path_matched,
                                       int64_t *id);
/* "GET, POST" for a path, into buf. */
void srv_route_allow(const char *path, char *buf, size_t cap);

/* ---- the server and the request ----------------------------------------- */

struct srv_pool;
struct srv_jobs;
struct srv_audit;
struct srv_auth_cache;
struct MHD_Connection;

/* An audit entry on its way to the audit writer (audit.c).  The strings
 * are the caller's and must outlive the wait. */
struct srv_audit_item {
    struct srv_audit_item *next;
    ectl_time at;
    const char *actor, *action, *subject, *request_id, *detail_json;
    struct MHD_Connection *conn; /* suspended until done; NULL: a thread waits */
    bool done;
    int rc; /* once done: 0 when committed */
};

/* ---- client addresses (client.c) ---------------------------------------- */

#define SRV_MAX_PROXIES 16

struct srv_ip {
    int family; /* AF_INET or AF_INET6 */
    unsigned char a[16];
};

/* The reverse proxies whose X-Forwarded-For is believed (--trusted-proxy). */
struct srv_proxies {
    int n;
    struct srv_ip ip[SRV_MAX_PROXIES];
};

/* "ADDR[,ADDR...]" (IPv4 or IPv6, no names, no ranges); -1 with why set
 * on a bad list.  NULL or "" trusts nobody. */
int srv_proxies_parse(const char *list, struct srv_proxies *out, char *why, size_t cap);

struct srv;
/* The client's address as text: the connection's, or what a trusted proxy
 * forwards for (the rightmost X-Forwarded-For entry that is not a trusted
 * proxy itself). */
void srv_client_addr(const struct srv *s, struct MHD_Connection *c, char *out, size_t cap);

struct srv {
    const struct ectl_serve_config *cfg;
    struct srv_proxies proxies;
    struct srv_pool *pool;
    struct srv_jobs *jobs;
    struct srv_audit *audit;
    struct srv_auth_cache *auth_cache;
    char public_url[256];
    bool public_https;
    char dummy_hash[ECTL_PWHASH_MAX]; /* verified against when the user is unknown */
    const char *openapi;              /* the document, built once at start */
    size_t openapi_len;
};

enum srv_via { VIA_NONE, VIA_SESSION, VIA_TOKEN };

/* Where the request's deferred audit entry (srv_audit_answer) is. */
enum srv_audit_state {
    SRV_AUDIT_NONE,
    SRV_AUDIT_PENDING,   /* made by the handler, to be handed to the writer */
    SRV_AUDIT_SUSPENDED, /* with the writer; the connection is suspended */
    SRV_AUDIT_DONE,      /* written or failed (audit.rc) */
};

#define SRV_MAX_HEADERS 8

struct req {
    struct srv *srv;
    struct srv_arena arena;
    struct MHD_Connection *conn;
    const struct srv_route *route;
    const char *method;
    const char *path;
    char id[33];   /* request id, 32 hex digits */
    char addr[64]; /* client address */
    ectl_time now;
    int64_t path_id;
    /* body */
    char *body;
    size_t body_len, body_cap;
    bool body_too_large;
    json_t *json; /* the parsed body, when the route takes one */
    /* who is asking */
    struct ectl_store *store;
    bool in_tx; /* inside srv_begin() */
    enum srv_via via;
    struct ectl_user user; /* strings in the arena */
    struct ectl_session session;
    int64_t token_id;
    char actor[80]; /* for the audit log: the user name, or "anonymous" */
    /* the answer */
    unsigned status;
    const char *resp;
    size_t resp_len;
    const char *headers[SRV_MAX_HEADERS][2];
    size_t n_headers;
    bool clear_cookie;        /* a stale session cookie came in */
    const char *content_type; /* NULL: JSON */
    /* the answer's audit entry, when the handler deferred it */
    enum srv_audit_state audit_state;
    struct srv_audit_item audit;
};

void *srv_alloc(struct req *r, size_t n);
char *srv_strdup(struct req *r, const char *s);
char *srv_printf(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Run fn(arg) when the request's arena goes. */
void srv_defer(struct req *r, void (*fn)(void *), void *arg);

/* Answers. */
int srv_reply_json(struct req *r, unsigned status, json_t *doc);
int srv_reply_raw(struct req *r, unsigned status, const char *json, size_t len);
int srv_reply_empty(struct req *r, unsigned status);
int srv_error(struct req *r, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Map a library error to a status and code and answer with its message. */
int srv_error_lib(struct req *r, const struct ectl_error *err);
void srv_header(struct req *r, const char *name, const char *value);

/* Query parameters (already validated against the route). */
const char *srv_query(struct req *r, const char *name);
int64_t srv_query_int(struct req *r, const char *name, int64_t dflt);

/* An ectl_write_fn that appends to a buffer in the request's arena. */
struct srv_sink {
    struct req *r;
    char *p;
    size_t len, cap;
};
int srv_sink_write(void *ctx, const char *buf, size_t len);

/* JSON helpers. */
/* Makes s valid UTF-8 in place: every byte that does not start a whole,
 * shortest-form sequence becomes '?'.  For messages that quote what a
 * client sent, or that snprintf cut in the middle of a character. */
void srv_utf8_scrub(char *s);
json_t *srv_json_time(ectl_time t);                         /* "2024-05-01T12:00:00Z" */
const char *srv_body_str(struct req *r, const char *field); /* NULL if absent */
bool srv_body_bool(struct req *r, const char *field, bool dflt);
/* Validate a value against a schema; on failure writes a message naming
 * the field into msg. */
bool srv_schema_check(const struct srv_schema *s, const json_t *v, const char *path, char *msg,
                      size_t cap);

/* ---- audit (audit.c) ------------------------------------------------------ */

/* Appends one entry for this request and returns once it is committed;
 * false (and logs) on failure.  Inside srv_begin() it joins the request's
 * transaction, else it goes through the audit writer. */
bool srv_audit(struct req *r, const char *action, const char *subject, json_t *detail);
/* The same for an entry that must be on disk before the answer, and need
 * not be before the handler returns: the handler answers as if it were
 * written; on_request suspends the connection until the writer has
 * committed it, then sends that answer, or a 500 if the entry failed.
 * false (and logs) when the entry cannot even be made. */
bool srv_audit_answer(struct req *r, const char *action, const char *subject, json_t *detail);
/* The same as srv_audit from outside a request (the background jobs),
 * appended on the caller's own connection. */
bool srv_audit_raw(struct ectl_store *s, ectl_time at, const char *actor, const char *action,
                   const char *subject, const char *request_id, json_t *detail);

/* The writer thread and its connection. */
int srv_audit_start(struct srv *s, struct ectl_error *err);
/* Block until it is committed (or failed); true when committed. */
bool srv_audit_write(struct srv *s, struct srv_audit_item *it);
/* Suspend conn and queue it (called from the access handler); the writer
 * resumes conn when done.  false, with nothing done, once quiesced. */
bool srv_audit_submit(struct srv *s, struct srv_audit_item *it, struct MHD_Connection *conn);
/* A resumed request has been answered (or has ended). */
void srv_audit_answered(struct srv *s);
/* No more suspending; wait (bounded) until every suspended request is
 * answered.  Before MHD_stop_daemon(). */
void srv_audit_quiesce(struct srv *s);
/* Write what is queued, end the thread, close its connection. */
void srv_audit_stop(struct srv *s);

/* A transaction on the request's connection: srv_audit() inside it joins
 * it, so that a change and its entry commit together. */
int srv_begin(struct req *r, struct ectl_error *err);
int srv_commit(struct req *r, struct ectl_error *err);
void srv_rollback(struct req *r);
/* Ends the transaction srv_begin() opened: when rc is 0, appends the audit
 * entry (as srv_audit) and commits; otherwise, or when either fails,
 * rolls back.  Returns the first failure (err set) or 0: the change and
 * its entry are stored together or not at all. */
int srv_end(struct req *r, int rc, const char *action, const char *subject, json_t *detail,
            struct ectl_error *err);

/* ---- store pool --------------------------------------------------------- */

int srv_pool_open(struct srv *s, unsigned n, struct ectl_error *err);
struct ectl_store *srv_pool_get(struct srv *s);
void srv_pool_put(struct srv *s, struct ectl_store *st);
void srv_pool_close(struct srv *s);
/* The request's store connection, taken from the pool on first use and
 * given back when the handler is done. */
struct ectl_store *srv_store(struct req *r);

/* ---- authentication (auth.c) -------------------------------------------- */

#define SRV_COOKIE "ectl_session"

/* Establish who sends r, as its route requires: 0 to go on, else the
 * request has been answered (401, 403). */
int srv_authenticate(struct req *r);
/* The CSRF token of a session, 64 hex digits. */
void srv_csrf_text(const struct ectl_session *s, char out[65]);
/* Set-Cookie for a new session (max_age < 0: a browser-session cookie). */
void srv_set_session_cookie(struct req *r, const char *token, int64_t max_age);
void srv_clear_session_cookie(struct req *r);
json_t *srv_user_json(const struct ectl_user *u);
/* Copy a store user into the arena and release the original. */
void srv_user_keep(struct req *r, struct ectl_user *dst, struct ectl_user *src);

/* The bearer-token cache (token hash -> user, a few seconds).  init: 0,
 * or -1 when out of memory (the server then runs without it).  forget:
 * after anything that may refuse a token that worked (a token revoked, a
 * user disabled, a password set), so that this server refuses it at once. */
int srv_auth_cache_init(struct srv *s);
void srv_auth_cache_free(struct srv *s);
void srv_auth_forget(struct srv *s);

/* Failed sign-in throttling: 0 when under the limits, else seconds to wait. */
int64_t srv_throttle_wait(struct req *r, const char *user_key, const char *addr_key);

/* ---- background jobs and mail (mail.c) ---------------------------------- */

struct srv_job {
    char email[256];
    char addr[64];
    char request_id[33];
};

int srv_jobs_start(struct srv *s, struct ectl_error *err);
/* false when the queue is full (the job is dropped and logged). */
bool srv_jobs_push(struct srv *s, const struct srv_job *job);
void srv_jobs_stop(struct srv *s);
/* Send one text/plain mail through smtp_url; 0 or -1 with errbuf set. */
int srv_mail_send(const char *smtp_url, const char *from, const char *to, const char *subject,
                  const char *body, char *errbuf, size_t errcap);
/* The reset job itself (h_reset.c), run by the job thread. */
void srv_reset_job(struct srv *s, struct ectl_store *st, const struct srv_job *job);

/* ---- the web UI (static.c) -------------------------------------------- */

/* Load the files of dir once, at start; returns how many. */
size_t srv_static_load(const char *dir);
void srv_static_free(void);
/* Answer a GET or HEAD for a loaded file; false if the path names none. */
bool srv_static_serve(struct req *r);

/* ---- OpenAPI (openapi.c) ------------------------------------------------ */

/* The document as a heap string (built once at start); NULL on OOM. */
char *srv_openapi_build(void);

/* ---- handlers ----------------------------------------------------------- */

int h_health(struct req *r);
int h_openapi(struct req *r);
int h_session_create(struct req *r);
int h_session_delete(struct req *r);
int h_me(struct req *r);
int h_reset_request(struct req *r);
int h_reset_confirm(struct req *r);
int h_token_create(struct req *r);
int h_token_revoke(struct req *r);
int h_token_list(struct req *r);
int h_determine(struct req *r);
int h_screen(struct req *r);
int h_check_create(struct req *r);
int h_check_get(struct req *r);
int h_check_list(struct req *r);
int h_audit_list(struct req *r);
int h_user_list(struct req *r);
int h_user_create(struct req *r);
int h_user_update(struct req *r);

/* Logging to standard error, one line each. */
void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
