/*
 * libmicrohttpd glue: the listening socket, the thread pool, one struct
 * req per request with its arena and its capped body, dispatch through the
 * route table, and the response.
 *
 * Order of the checks a request goes through, and why:
 *   404/405   the route table (before reading anything else)
 *   413       the body cap (the body was read and dropped, not kept)
 *   400       unknown query parameters
 *   401/403   who is asking, CSRF, role -- before the body is looked at,
 *             so that an anonymous caller learns nothing from validation
 *   415/400   Content-Type, JSON, the route's body schema
 *   handler
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <microhttpd.h>

#include "server.h"

/* A request's arena holds its body, its JSON and its answer; 64 times the
 * body cap leaves room for the largest check result while bounding what a
 * hostile request can make us allocate. */
#define ARENA_FACTOR 64
/* A declared body this many times over the cap is refused before it is
 * read; smaller excess is read and dropped, so that the client (which is
 * still sending) gets the 413 instead of a reset connection. */
#define EARLY_REFUSE_FACTOR 64

#ifndef ECTL_WEB_DIR
#define ECTL_WEB_DIR "web"
#endif

/* One line per request: formatted once, into one buffer, written with one
 * call; the time stamp is made once a second per thread. */
void srv_log(const char *fmt, ...)
{
    static _Thread_local time_t ts_at = -1;
    static _Thread_local char ts[32];
    time_t t = time(NULL);
    if (t != ts_at) {
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        ts_at = t;
    }
    char line[1100];
    int n = snprintf(line, sizeof line, "%s exportctl: ", ts);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        m = 0;
    if ((size_t)(n + m) > sizeof line - 2)
        m = (int)(sizeof line - 2) - n; /* cut, as before */
    line[n + m] = '\n';
    fwrite(line, 1, (size_t)(n + m + 1), stderr);
}

/* ---- answers ------------------------------------------------------------ */

void srv_header(struct req *r, const char *name, const char *value)
{
    if (r->n_headers < SRV_MAX_HEADERS && name && value) {
        r->headers[r->n_headers][0] = name;
        r->headers[r->n_headers][1] = value;
        r->n_headers++;
    }
}

int srv_reply_raw(struct req *r, unsigned status, const char *json, size_t len)
{
    r->status = status;
    r->resp = json;
    r->resp_len = len;
    return 0;
}

int srv_reply_empty(struct req *r, unsigned status)
{
    return srv_reply_raw(r, status, "", 0);
}

int srv_reply_json(struct req *r, unsigned status, json_t *doc)
{
    char *s = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    if (!s) {
        static const char oom[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}";
        return srv_reply_raw(r, 500, oom, sizeof oom - 1);
    }
    return srv_reply_raw(r, status, s, strlen(s));
}

int srv_error(struct req *r, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[ECTL_ERROR_MSG_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* jansson refuses a string that is not UTF-8, which would turn a 4xx
     * into a 500. */
    srv_utf8_scrub(msg);
    return srv_reply_json(r, status,
                          json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg));
}

int srv_error_lib(struct req *r, const struct ectl_error *err)
{
    const char *msg = err->msg[0] ? err->msg : ectl_strerror(err->code);
    switch (err->code) {
    case ECTL_EINVAL:
    case ECTL_EBAD_DATE:
    case ECTL_ERANGE:
        return srv_error(r, 400, "invalid_request", "%s", msg);
    case ECTL_EPARSE:
        return srv_error(r, 400, "malformed_json", "%s", msg);
    case ECTL_EUNKNOWN_ITEM:
        return srv_error(r, 422, "unknown_item", "%s", msg);
    case ECTL_EUNKNOWN_COUNTRY:
        return srv_error(r, 422, "unknown_country", "%s", msg);
    case ECTL_EUNKNOWN_REGIME:
        return srv_error(r, 422, "unknown_regime", "%s", msg);
    case ECTL_ENODATA:
        return srv_error(r, 422, "no_confirmed_rule", "%s", msg);
    case ECTL_ENOENT:
        return srv_error(r, 404, "not_found", "%s", msg);
    case ECTL_EEXISTS:
        return srv_error(r, 409, "conflict", "%s", msg);
    case ECTL_EDENIED:
        return srv_error(r, 403, "forbidden", "%s", msg);
    default:
        srv_log("request %s: %s (%s)", r->id, msg, ectl_err_name(err->code));
        return srv_error(r, 500, "internal", "internal error (request %s)", r->id);
    }
}

/* ---- the store pool ----------------------------------------------------- */

struct srv_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t n, free_n;
    struct ectl_store **all, **free_list;
};

int srv_pool_open(struct srv *s, unsigned n, struct ectl_error *err)
{
    struct srv_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->all = calloc(n, sizeof *p->all)) ||
        !(p->free_list = calloc(n, sizeof *p->free_list))) {
        if (p)
            free(p->all);
        free(p);
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    s->pool = p;
    for (unsigned i = 0; i < n; i++) {
        /* The first connection migrates; the others find it done. */
        int rc = ectl_store_open(s->cfg->db, i == 0 ? ECTL_STORE_MIGRATE | ECTL_STORE_CREATE : 0,
                                 &p->all[i], err);
        if (rc)
            return rc;
        p->n++;
        p->free_list[p->free_n++] = p->all[i];
    }
    return 0;
}

struct ectl_store *srv_pool_get(struct srv *s)
{
    struct srv_pool *p = s->pool;
    pthread_mutex_lock(&p->mu);
    while (p->free_n == 0)
        pthread_cond_wait(&p->cv, &p->mu);
    struct ectl_store *st = p->free_list[--p->free_n];
    pthread_mutex_unlock(&p->mu);
    return st;
}

void srv_pool_put(struct srv *s, struct ectl_store *st)
{
    struct srv_pool *p = s->pool;
    pthread_mutex_lock(&p->mu);
    p->free_list[p->free_n++] = st;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void srv_pool_close(struct srv *s)
{
    struct srv_pool *p = s->pool;
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        ectl_store_close(p->all[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->all);
    free(p->free_list);
    free(p);
    s->pool = NULL;
}

struct ectl_store *srv_store(struct req *r)
{
    if (!r->store)
        r->store = srv_pool_get(r->srv);
    return r->store;
}

int srv_begin(struct req *r, struct ectl_error *err)
{
    int rc = ectl_store_begin(srv_store(r), err);
    r->in_tx = rc == 0;
    return rc;
}

int srv_commit(struct req *r, struct ectl_error *err)
{
    int rc = ectl_store_commit(srv_store(r), err);
    r->in_tx = false;
    return rc;
}

void srv_rollback(struct req *r)
{
    if (r->store)
        ectl_store_rollback(r->store);
    r->in_tx = false;
}

int srv_end(struct req *r, int rc, const char *action, const char *subject, json_t *detail,
            struct ectl_error *err)
{
    if (rc == 0 && !srv_audit(r, action, subject, detail))
        rc = ectl_error_set(err, ECTL_ESTORE, "the audit entry could not be written");
    if (rc == 0)
        rc = srv_commit(r, err);
    if (rc)
        srv_rollback(r);
    return rc;
}

/* ---- query parameters ----------------------------------------------------- */

struct query_check {
    struct req *r;
    char bad[160];
};

static enum MHD_Result query_cb(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct query_check *q = cls;
    const struct srv_param *p = q->r->route->query;
    for (; p && p->name; p++)
        if (!strcmp(p->name, key))
            break;
    if (!p || !p->name) {
        snprintf(q->bad, sizeof q->bad, "unknown query parameter '%.64s'", key);
        return MHD_NO;
    }
    if (!value)
        value = "";
    if (p->type == P_INT) {
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end || v < p->min || v > p->max) {
            snprintf(q->bad, sizeof q->bad,
                     "query parameter '%s' must be an integer from %.0f to %.0f", p->name, p->min,
                     p->max);
            return MHD_NO;
        }
    } else {
        size_t n = strlen(value);
        if (n < p->min || n > p->max) {
            snprintf(q->bad, sizeof q->bad, "query parameter '%s' must be %.0f to %.0f bytes",
                     p->name, p->min, p->max);
            return MHD_NO;
        }
    }
    return MHD_YES;
}

const char *srv_query(struct req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int64_t srv_query_int(struct req *r, const char *name, int64_t dflt)
{
    const char *v = srv_query(r, name);
    return v && *v ? strtoll(v, NULL, 10) : dflt;
}

/* ---- dispatch ----------------------------------------------------------- */

static bool is_json_type(const char *ct)
{
    if (!ct)
        return false;
    while (*ct == ' ')
        ct++;
    static const char want[] = "application/json";
    return !strncasecmp(ct, want, sizeof want - 1) &&
           (ct[sizeof want - 1] == '\0' || ct[sizeof want - 1] == ';' ||
            ct[sizeof want - 1] == ' ');
}

static void dispatch(struct req *r)
{
    if (srv_static_serve(r))
        return;
    bool path_matched = false;
    r->route = srv_route_find(r->method, r->path, &path_matched, &r->path_id);
    if (!r->route) {
        if (path_matched) {
            char allow[96];
            srv_route_allow(r->path, allow, sizeof allow);
            srv_header(r, "Allow", srv_strdup(r, allow));
            srv_error(r, 405, "method_not_allowed", "%s does not take %s (allowed: %s)", r->path,
                      r->method, allow);
        } else {
            srv_error(r, 404, "not_found", "no such resource");
        }
        return;
    }
    if (r->body_too_large) {
        srv_error(r, 413, "body_too_large", "the request body is larger than %zu bytes",
                  r->srv->cfg->max_body);
        return;
    }
    struct query_check q = {r, ""};
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_cb, &q);
    if (q.bad[0]) {
        srv_error(r, 400, "invalid_request", "%s", q.bad);
        return;
    }
    if (srv_authenticate(r))
        return;
    const struct srv_route *rt = r->route;
    if (!rt->body && r->body_len) {
        srv_error(r, 400, "invalid_request", "%s %s takes no body", rt->method, rt->path);
        return;
    }
    if (rt->body) {
        const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
        if (!is_json_type(ct)) {
            srv_error(r, 415, "unsupported_media_type",
                      "send the body as Content-Type: application/json");
            return;
        }
        json_error_t je;
        r->json = json_loadb(r->body ? r->body : "", r->body_len, JSON_REJECT_DUPLICATES, &je);
        if (!r->json) {
            srv_error(r, 400, "malformed_json", "malformed JSON at line %d, column %d: %s", je.line,
                      je.column, je.text);
            return;
        }
        char msg[256];
        if (!srv_schema_check(rt->body, r->json, "", msg, sizeof msg)) {
            srv_error(r, 400, "invalid_request", "%s", msg);
            return;
        }
    }
    if (rt->handler(r) != 0 && !r->resp)
        srv_error(r, 500, "internal", "internal error (request %s)", r->id);
}

/* ---- libmicrohttpd callbacks --------------------------------------------- */

static void new_request_id(char out[33])
{
    unsigned char b[16];
    if (getrandom(b, sizeof b, 0) != (ssize_t)sizeof b) {
        /* Unique enough for correlating logs when the kernel cannot say. */
        static _Atomic unsigned long counter;
        unsigned long c = ++counter;
        snprintf(out, 33, "%016lx%016lx", (unsigned long)time(NULL), c);
        return;
    }
    ectl_hex(b, sizeof b, out);
}

static enum MHD_Result send_answer(struct req *r)
{
    if (!r->resp)
        srv_error(r, 500, "internal", "no answer (request %s)", r->id);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->resp_len, (void *)r->resp, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    if (r->resp_len)
        MHD_add_response_header(resp, "Content-Type",
                                r->content_type ? r->content_type
                                                : "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Request-Id", r->id);
    for (size_t i = 0; i < r->n_headers; i++)
        MHD_add_response_header(resp, r->headers[i][0], r->headers[i][1]);
    enum MHD_Result rc = MHD_queue_response(r->conn, r->status, resp);
    MHD_destroy_response(resp);
    srv_log("%s %s %s %u %s %s", r->addr, r->method, r->path, r->status, r->id,
            r->via == VIA_NONE ? "-" : r->actor);
    return rc;
}

/* A deferred audit entry that failed turns the answer into a 500: no
 * answer goes out without its record. */
static void audit_outcome(struct req *r)
{
    if (r->audit.rc == 0)
        return;
    r->n_headers = 0;
    srv_error(r, 500, "internal", "the answer could not be recorded (request %s)", r->id);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct srv *s = cls;
    struct req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        srv_arena_init(&r->arena, s->cfg->max_body * ARENA_FACTOR);
        r->srv = s;
        r->conn = conn;
        r->status = 500;
        new_request_id(r->id);
        srv_client_addr(s, conn, r->addr, sizeof r->addr);
        r->method = srv_strdup(r, method);
        r->path = srv_strdup(r, url);
        snprintf(r->actor, sizeof r->actor, "anonymous");
        *con_cls = r;
        if (!r->method || !r->path)
            return MHD_NO;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (cl &&
            strtoull(cl, NULL, 10) > (unsigned long long)s->cfg->max_body * EARLY_REFUSE_FACTOR) {
            srv_arena_set_current(&r->arena);
            srv_error(r, 413, "body_too_large", "the request body is larger than %zu bytes",
                      s->cfg->max_body);
            enum MHD_Result rc = send_answer(r);
            srv_arena_set_current(NULL);
            return rc;
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->body_too_large || r->resp)
            return MHD_YES;
        if (n > s->cfg->max_body - r->body_len) {
            r->body_too_large = true;
            return MHD_YES;
        }
        if (r->body_len + n > r->body_cap) {
            /* Grow by doubling up to the cap: a small body costs little, and
             * the copies add up to less than twice the final size. */
            size_t cap = r->body_cap ? r->body_cap : 4096;
            while (cap < r->body_len + n)
                cap *= 2;
            if (cap > s->cfg->max_body)
                cap = s->cfg->max_body;
            char *p = srv_alloc(r, cap + 1);
            if (!p)
                return MHD_NO;
            if (r->body_len)
                memcpy(p, r->body, r->body_len);
            r->body = p;
            r->body_cap = cap;
        }
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        r->body[r->body_len] = '\0';
        return MHD_YES;
    }
    enum MHD_Result rc;
    if (r->audit_state == SRV_AUDIT_SUSPENDED) {
        /* Resumed by the audit writer: the entry is committed, or failed. */
        srv_arena_set_current(&r->arena);
        r->audit_state = SRV_AUDIT_DONE;
        audit_outcome(r);
        rc = send_answer(r);
        srv_audit_answered(s);
        srv_arena_set_current(NULL);
        return rc;
    }
    if (r->resp) /* answered early */
        return MHD_YES;
    srv_arena_set_current(&r->arena);
    r->now = (ectl_time)time(NULL);
    dispatch(r);
    if (r->in_tx) {
        srv_log("request %s: the handler left a transaction open", r->id);
        srv_rollback(r);
    }
    if (r->store) {
        srv_pool_put(s, r->store);
        r->store = NULL;
    }
    if (r->audit_state == SRV_AUDIT_PENDING) {
        /* The answer waits for its audit entry, without holding this
         * thread: on_request is called again when the writer resumes the
         * connection. */
        r->audit_state = SRV_AUDIT_SUSPENDED;
        if (srv_audit_submit(s, &r->audit, conn)) {
            srv_arena_set_current(NULL);
            return MHD_YES;
        }
        srv_audit_write(s, &r->audit); /* shutting down: wait here */
        r->audit_state = SRV_AUDIT_DONE;
        audit_outcome(r);
    }
    rc = send_answer(r);
    srv_arena_set_current(NULL);
    return rc;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct req *r = *con_cls;
    if (!r)
        return;
    /* Resumed, but the connection ended before it was answered. */
    if (r->audit_state == SRV_AUDIT_SUSPENDED)
        srv_audit_answered(r->srv);
    if (r->store)
        srv_pool_put(r->srv, r->store);
    srv_arena_release(&r->arena);
    free(r);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        msg[--n] = '\0';
    srv_log("http: %s", msg);
}

/* ---- life cycle ---------------------------------------------------------- */

void ectl_serve_config_init(struct ectl_serve_config *c)
{
    memset(c, 0, sizeof *c);
    c->listen = "127.0.0.1:8080";
    c->db = "var/exportctl.db";
    c->mail_from = "exportctl@localhost";
    c->threads = 4;
    c->max_body = 256 * 1024;
    c->remember_age = 30 * 86400;
    c->session_idle = 12 * 3600;
    c->reset_ttl = 30 * 60;
    c->throttle_window = 15 * 60;
    c->throttle_user = 5;
    c->throttle_addr = 20;
    c->reset_per_email = 3;
}

/* "host:port" or "[v6]:port" into a bound, listening socket. */
static int listen_on(const char *spec, char *shown, size_t cap)
{
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *e = strchr(spec, ']');
        if (!e || e[1] != ':' || (size_t)(e - spec - 1) >= sizeof host)
            return -1;
        memcpy(host, spec + 1, (size_t)(e - spec - 1));
        host[e - spec - 1] = '\0';
        port = e + 2;
    } else {
        const char *e = strrchr(spec, ':');
        if (!e || (size_t)(e - spec) >= sizeof host)
            return -1;
        memcpy(host, spec, (size_t)(e - spec));
        host[e - spec] = '\0';
        port = e + 1;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_NUMERICSERV | AI_PASSIVE};
    struct addrinfo *ai = NULL;
    int gai = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
    if (gai) {
        srv_log("--listen %s: %s", spec, gai_strerror(gai));
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, a->ai_addr, a->ai_addrlen) || listen(fd, 128)) {
            srv_log("--listen %s: %s", spec, strerror(errno));
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(ai);
    if (fd < 0)
        return -1;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    char h[INET6_ADDRSTRLEN] = "?";
    unsigned p = 0;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;
            inet_ntop(AF_INET, &in->sin_addr, h, sizeof h);
            p = ntohs(in->sin_port);
            snprintf(shown, cap, "%s:%u", h, p);
        } else {
            const struct sockaddr_in6 *in = (const struct sockaddr_in6 *)&ss;
            inet_ntop(AF_INET6, &in->sin6_addr, h, sizeof h);
            p = ntohs(in->sin6_port);
            snprintf(shown, cap, "[%s]:%u", h, p);
        }
    }
    return fd;
}

int ectl_serve(const struct ectl_serve_config *cfg)
{
    struct srv s = {.cfg = cfg};
    struct ectl_error err = {0};
    int status = 0;

    /* Block the stop signals before any thread starts, so that every
     * thread inherits the mask and only sigwait() below sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    char why[128];
    if (srv_proxies_parse(cfg->trusted_proxies, &s.proxies, why, sizeof why)) {
        srv_log("--trusted-proxy: %s", why);
        return 64;
    }
    if (ectl_auth_init(&err) ||
        ectl_password_hash("not a password of anyone", s.dummy_hash, &err)) {
        srv_log("%s", err.msg);
        return 70;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        srv_log("cannot initialise libcurl");
        return 70;
    }
    char *openapi = srv_openapi_build();
    if (!openapi) {
        srv_log("out of memory building the OpenAPI document");
        curl_global_cleanup();
        return 70;
    }
    s.openapi = openapi;
    s.openapi_len = strlen(openapi);
    size_t n_web = srv_static_load(cfg->web_dir ? cfg->web_dir : ECTL_WEB_DIR);

    char shown[300] = "";
    int fd = -1;
    struct MHD_Daemon *d = NULL;
    if (srv_pool_open(&s, cfg->threads, &err)) {
        srv_log("--db %s: %s", cfg->db, err.msg);
        status = err.code == ECTL_ENOENT ? 66 : 74;
        goto out;
    }
    if (srv_auth_cache_init(&s))
        srv_log("out of memory for the token cache: every request looks its token up");
    if (srv_audit_start(&s, &err)) {
        srv_log("--db %s: %s", cfg->db, err.msg);
        status = 74;
        goto out;
    }
    if (srv_jobs_start(&s, &err)) {
        srv_log("%s", err.msg);
        status = 70;
        goto out;
    }
    fd = listen_on(cfg->listen, shown, sizeof shown);
    if (fd < 0) {
        srv_log("cannot listen on %s", cfg->listen);
        status = 69;
        goto out;
    }
    if (cfg->public_url) {
        snprintf(s.public_url, sizeof s.public_url, "%s", cfg->public_url);
    } else {
        snprintf(s.public_url, sizeof s.public_url, "http://%s", shown);
    }
    size_t n = strlen(s.public_url);
    while (n && s.public_url[n - 1] == '/')
        s.public_url[--n] = '\0';
    s.public_https = !strncasecmp(s.public_url, "https://", 8);

    d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
        on_request, &s, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)256, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s, MHD_OPTION_END);
    if (!d) {
        srv_log("cannot start the HTTP server");
        status = 70;
        goto out;
    }
    fd = -1; /* the daemon owns the socket now and closes it when it stops */
    printf("listening on http://%s\n", shown);
    fflush(stdout);
    srv_log("serving on http://%s (database %s, %zu regimes, %s, %zu web files)", shown, cfg->db,
            cfg->n_regimes, cfg->index ? "screening index loaded" : "no screening index", n_web);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    srv_log("%s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");

out:
    /* Stop taking requests first (libmicrohttpd must have no suspended
     * connection by then: the audit writer answers them first, and writes
     * later entries with the request waiting), then the jobs that may
     * still use the store, then the audit writer, then the store. */
    if (d) {
        srv_audit_quiesce(&s);
        MHD_stop_daemon(d);
    }
    if (fd >= 0)
        close(fd);
    srv_jobs_stop(&s);
    srv_audit_stop(&s);
    srv_pool_close(&s);
    srv_auth_cache_free(&s);
    free(openapi);
    srv_static_free();
    curl_global_cleanup();
    return status;
}
