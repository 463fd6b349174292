/*
 * The HTTP service as the command line starts it: `exportctl serve` fills a
 * struct ectl_serve_config and calls ectl_serve(), which runs until SIGINT
 * or SIGTERM.  Everything else in server/ is internal to the service.
 */
#ifndef ECTL_SERVE_H
#define ECTL_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include <exportctl/rules.h>
#include <exportctl/screen.h>

struct ectl_serve_config {
    const char *listen;          /* "127.0.0.1:8080", "[::1]:8080"; port 0 picks a free one */
    const char *db;              /* path or postgresql:// URL */
    const char *smtp;            /* smtp://host:port, or NULL: reset mail is not sent */
    const char *mail_from;       /* envelope and From: address */
    const char *public_url;      /* base of links in mail; NULL: http://<listen> */
    const char *web_dir;         /* the web UI's files; NULL: the source tree's web/ */
    const char *trusted_proxies; /* "ADDR[,ADDR...]" whose X-Forwarded-For is believed */
    struct ectl_regime *const *regimes;
    size_t n_regimes;
    const struct ectl_index *index; /* NULL: screening answers 503 */
    unsigned threads;               /* MHD thread pool size */
    size_t max_body;                /* bytes */
    /* Timeouts in seconds.  The defaults are the product's (30 days, 12 h,
     * 30 min, 15 min); the tests shorten them with hidden options. */
    int64_t remember_age; /* persistent session; also the absolute cap of any session */
    int64_t session_idle; /* browser session idle timeout */
    int64_t reset_ttl;    /* reset link validity */
    int64_t throttle_window;
    int throttle_user;   /* failed sign-ins per account per window */
    int throttle_addr;   /* failed sign-ins per client address per window */
    int reset_per_email; /* reset mails per address per window */
};

/* Call first, before any JSON value exists in the process: the server
 * gives jansson an allocator that serves each request from its arena. */
void ectl_serve_init_json(void);

/* Defaults for every field but the regimes and the index. */
void ectl_serve_config_init(struct ectl_serve_config *c);

/* Serve until SIGINT or SIGTERM.  Prints "listening on http://HOST:PORT"
 * on standard output once the socket accepts connections.  Returns an
 * exit status (0 after a clean stop). */
int ectl_serve(const struct ectl_serve_config *c);

/* The route table as tab-separated lines (method, path, auth, role, body
 * schema, query parameters), written straight from the table and not
 * through the OpenAPI generator, so that a test can hold one against the
 * other. */
int ectl_serve_print_routes(void);

#endif
