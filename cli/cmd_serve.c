/*
 * exportctl serve [--listen 127.0.0.1:8080] [--db PATH|postgresql://...]
 *                 [--index FILE] [--smtp smtp://host:port] [--public-url URL]
 *                 [--data DIR] [--web DIR] [--mail-from ADDR] [--threads N]
 *                 [--trusted-proxy ADDR[,ADDR...]]
 *
 * Loads every regime under DIR/regimes and the screening index, then hands
 * over to server/ (serve.h) until SIGINT or SIGTERM.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "serve.h"

static const char usage_text[] =
    "usage: exportctl serve [--listen HOST:PORT] [--db PATH|postgresql://...] [--index FILE]\n"
    "                       [--smtp smtp://HOST:PORT] [--public-url URL] [--mail-from ADDR]\n"
    "                       [--data DIR] [--web DIR] [--threads N]\n"
    "                       [--trusted-proxy ADDR[,ADDR...]]\n\n"
    "Serves the JSON API under /api/v1/ (described at /openapi.json) and the web UI at /\n"
    "on HOST:PORT, by default 127.0.0.1:8080, loopback only; port 0 takes a free port.\n"
    "The line 'listening on http://HOST:PORT' on standard output says it is ready.\n"
    "  --db          accounts, sessions, checks and the audit log (default var/exportctl.db)\n"
    "  --index       the screening index (exportctl lists build); without it, screening and\n"
    "                checks with parties answer 503\n"
    "  --smtp        where password-reset mail goes; without it, no mail is sent\n"
    "  --public-url  the address users reach the service at, for links in mail; an https://\n"
    "                URL also marks cookies Secure (as does X-Forwarded-Proto: https)\n"
    "  --web         the web UI's files (default: web/ of the source tree)\n"
    "  --threads     request threads (default 4)\n"
    "  --trusted-proxy  the reverse proxies (IP addresses) whose X-Forwarded-For names the\n"
    "                client, for the audit log and the sign-in throttle; without it the\n"
    "                header is ignored and the client is the connection's address\n"
    "Every regime under DIR/regimes is loaded at start.  SIGINT or SIGTERM stops it.\n";

/* Options the tests use to shorten timeouts and limits; not in the usage
 * text because nobody should need them in production. */
enum {
    O_MAIL_FROM = 256,
    O_THREADS,
    O_MAX_BODY,
    O_SESSION_IDLE,
    O_REMEMBER_AGE,
    O_RESET_TTL,
    O_THROTTLE_WINDOW,
    O_THROTTLE_USER,
    O_THROTTLE_ADDR,
    O_RESET_PER_EMAIL,
    O_PRINT_ROUTES,
};

static int number(const char *opt, const char *v, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi)
        return cli_usage_error("serve", "%s must be a whole number from %lld to %lld, not '%s'",
                               opt, lo, hi, v);
    *out = n;
    return 0;
}

static int skip_entry(const struct dirent *d)
{
    return d->d_name[0] != '.' && strcmp(d->d_name, "agreements") != 0;
}

static int load_regimes(const char *data, struct ectl_regime ***out, size_t *n_out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/regimes", data);
    struct dirent **names = NULL;
    int n = scandir(path, &names, skip_entry, alphasort);
    if (n < 0)
        return cli_fail(EXIT_NOINPUT, "%s: %s", path, strerror(errno));
    struct ectl_regime **rs = calloc((size_t)n + 1, sizeof *rs);
    int rc = rs ? 0 : cli_fail(EXIT_SOFTWARE, "out of memory");
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        char dir[4096 + 256];
        snprintf(dir, sizeof dir, "%s/%s", path, names[i]->d_name);
        DIR *d = opendir(dir);
        if (d) {
            closedir(d);
            if (rc == 0 && (rc = cli_load_regime(data, names[i]->d_name, &rs[k])) == 0)
                k++;
        }
        free(names[i]);
    }
    free(names);
    if (rc == 0 && k == 0)
        rc = cli_fail(EXIT_NOINPUT, "%s: no regime to load", path);
    if (rc) {
        for (size_t i = 0; i < k; i++)
            ectl_regime_unref(rs[i]);
        free(rs);
        return rc;
    }
    *out = rs;
    *n_out = k;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'b'},
        {"index", required_argument, NULL, 'i'},
        {"smtp", required_argument, NULL, 's'},
        {"public-url", required_argument, NULL, 'u'},
        {"web", required_argument, NULL, 'w'},
        {"trusted-proxy", required_argument, NULL, 'p'},
        {"mail-from", required_argument, NULL, O_MAIL_FROM},
        {"threads", required_argument, NULL, O_THREADS},
        {"max-body", required_argument, NULL, O_MAX_BODY},
        {"session-idle", required_argument, NULL, O_SESSION_IDLE},
        {"remember-age", required_argument, NULL, O_REMEMBER_AGE},
        {"reset-ttl", required_argument, NULL, O_RESET_TTL},
        {"throttle-window", required_argument, NULL, O_THROTTLE_WINDOW},
        {"throttle-user", required_argument, NULL, O_THROTTLE_USER},
        {"throttle-addr", required_argument, NULL, O_THROTTLE_ADDR},
        {"reset-per-email", required_argument, NULL, O_RESET_PER_EMAIL},
        {"print-routes", no_argument, NULL, O_PRINT_ROUTES},
        CLI_OPT_DATA,
        CLI_OPT_HELP,
        CLI_OPT_END};
    /* Before anything makes a JSON value: the server's allocator for
     * jansson must see every value, or it could not tell heap from arena. */
    ectl_serve_init_json();

    struct ectl_serve_config cfg;
    ectl_serve_config_init(&cfg);
    const char *index_path = NULL;
    struct cli_opts o;
    int c, rc;
    long long v;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "serve", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        rc = 0;
        switch (c) {
        case 'l':
            cfg.listen = optarg;
            break;
        case 'b':
            cfg.db = optarg;
            break;
        case 'i':
            index_path = optarg;
            break;
        case 's':
            cfg.smtp = optarg;
            break;
        case 'u':
            cfg.public_url = optarg;
            break;
        case 'w':
            cfg.web_dir = optarg;
            break;
        case 'p':
            cfg.trusted_proxies = optarg;
            break;
        case O_MAIL_FROM:
            cfg.mail_from = optarg;
            break;
        case O_PRINT_ROUTES:
            return ectl_serve_print_routes();
        case O_THREADS:
            if (!(rc = number("--threads", optarg, 1, 64, &v)))
                cfg.threads = (unsigned)v;
            break;
        case O_MAX_BODY:
            if (!(rc = number("--max-body", optarg, 1024, 64 << 20, &v)))
                cfg.max_body = (size_t)v;
            break;
        case O_SESSION_IDLE:
            if (!(rc = number("--session-idle", optarg, 1, 1LL << 40, &v)))
                cfg.session_idle = v;
            break;
        case O_REMEMBER_AGE:
            if (!(rc = number("--remember-age", optarg, 1, 1LL << 40, &v)))
                cfg.remember_age = v;
            break;
        case O_RESET_TTL:
            if (!(rc = number("--reset-ttl", optarg, 1, 1LL << 40, &v)))
                cfg.reset_ttl = v;
            break;
        case O_THROTTLE_WINDOW:
            if (!(rc = number("--throttle-window", optarg, 1, 1LL << 40, &v)))
                cfg.throttle_window = v;
            break;
        case O_THROTTLE_USER:
            if (!(rc = number("--throttle-user", optarg, 1, 1000000, &v)))
                cfg.throttle_user = (int)v;
            break;
        case O_THROTTLE_ADDR:
            if (!(rc = number("--throttle-addr", optarg, 1, 1000000, &v)))
                cfg.throttle_addr = (int)v;
            break;
        case O_RESET_PER_EMAIL:
            if (!(rc = number("--reset-per-email", optarg, 1, 1000000, &v)))
                cfg.reset_per_email = (int)v;
            break;
        default:
            return cli_usage_error("serve", "unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
    if (cfg.smtp && strncmp(cfg.smtp, "smtp://", 7) && strncmp(cfg.smtp, "smtps://", 8))
        return cli_usage_error("serve", "--smtp must be smtp://HOST:PORT, not '%s'", cfg.smtp);
    if (cfg.public_url && strncmp(cfg.public_url, "http://", 7) &&
        strncmp(cfg.public_url, "https://", 8))
        return cli_usage_error("serve", "--public-url must start with http:// or https://");

    struct ectl_regime **regimes = NULL;
    size_t n_regimes = 0;
    if ((rc = load_regimes(cli_data_dir(o.data), &regimes, &n_regimes)))
        return rc;
    struct ectl_index *idx = NULL;
    struct ectl_error err = {0};
    if (index_path && ectl_index_open(index_path, &idx, &err)) {
        rc = cli_fail_err(&err);
    } else {
        cfg.regimes = regimes;
        cfg.n_regimes = n_regimes;
        cfg.index = idx;
        rc = ectl_serve(&cfg);
    }
    if (idx)
        ectl_index_close(idx);
    for (size_t i = 0; i < n_regimes; i++)
        ectl_regime_unref(regimes[i]);
    free(regimes);
    return rc;
}
