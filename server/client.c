/*
 * Who the client is: the address the connection comes from, or, when that
 * address is a reverse proxy the operator named with --trusted-proxy, the
 * address the proxy says it forwards for.
 *
 * X-Forwarded-For is a list each proxy appends its own peer to, so only
 * its right end is written by proxies we trust; anything to the left of
 * the first untrusted entry may be whatever the client sent.  The address
 * is therefore the rightmost entry that is not one of our proxies.  A
 * server that trusts no proxy never reads the header at all: otherwise a
 * client could dodge the per-address sign-in throttle, and put any address
 * it likes in the audit log, with one header.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "server.h"

/* One address as inet_pton reads it, or false for anything else (names,
 * ports, CIDR ranges, brackets). */
static bool addr_parse(const char *text, size_t len, struct srv_ip *out)
{
    char buf[INET6_ADDRSTRLEN];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, buf, out->a) == 1) {
        out->family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out->a) == 1) {
        out->family = AF_INET6;
        return true;
    }
    return false;
}

static bool addr_equal(const struct srv_ip *x, const struct srv_ip *y)
{
    return x->family == y->family && !memcmp(x->a, y->a, x->family == AF_INET ? 4 : 16);
}

static void addr_text(const struct srv_ip *ip, char *out, size_t cap)
{
    if (!inet_ntop(ip->family, ip->a, out, (socklen_t)cap))
        snprintf(out, cap, "unknown");
}

int srv_proxies_parse(const char *list, struct srv_proxies *out, char *why, size_t cap)
{
    memset(out, 0, sizeof *out);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (out->n == SRV_MAX_PROXIES) {
            snprintf(why, cap, "at most %d addresses", SRV_MAX_PROXIES);
            return -1;
        }
        if (!addr_parse(p, len, &out->ip[out->n])) {
            snprintf(why, cap, "'%.*s' is not an IPv4 or IPv6 address", (int)(len > 64 ? 64 : len),
                     p);
            return -1;
        }
        out->n++;
        p += len + (p[len] == ',');
    }
    return 0;
}

static bool trusted(const struct srv_proxies *px, const struct srv_ip *ip)
{
    for (int i = 0; i < px->n; i++)
        if (addr_equal(&px->ip[i], ip))
            return true;
    return false;
}

static bool peer_of(struct MHD_Connection *c, struct srv_ip *out)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    memset(out, 0, sizeof *out);
    if (!ci || !ci->client_addr)
        return false;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        out->family = AF_INET;
        memcpy(out->a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        out->family = AF_INET6;
        memcpy(out->a, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

/* Walks every X-Forwarded-For header (a proxy may add its own header
 * rather than extend the last one), keeping the rightmost untrusted entry. */
struct xff_walk {
    const struct srv_proxies *px;
    struct srv_ip found;
    bool have, bad;
};

static void xff_scan(struct xff_walk *w, const char *value)
{
    /* Within one header the rightmost untrusted entry wins; a later header
     * was appended after this one, so its findings replace ours. */
    const char *p = value;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        size_t len = strcspn(p, ",");
        size_t end = len;
        while (end && (p[end - 1] == ' ' || p[end - 1] == '\t'))
            end--;
        if (end) {
            struct srv_ip ip;
            if (!addr_parse(p, end, &ip)) {
                w->have = false;
                w->bad = true;
            } else if (!trusted(w->px, &ip)) {
                w->found = ip;
                w->have = true;
                w->bad = false;
            }
        }
        p += len;
    }
}

static enum MHD_Result xff_each(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    if (value && !strcasecmp(key, "X-Forwarded-For"))
        xff_scan(cls, value);
    return MHD_YES;
}

void srv_client_addr(const struct srv *s, struct MHD_Connection *c, char *out, size_t cap)
{
    struct srv_ip peer;
    if (!peer_of(c, &peer)) {
        snprintf(out, cap, "unknown");
        return;
    }
    addr_text(&peer, out, cap);
    if (!s->proxies.n || !trusted(&s->proxies, &peer))
        return;
    struct xff_walk w = {.px = &s->proxies};
    MHD_get_connection_values(c, MHD_HEADER_KIND, xff_each, &w);
    /* A header our proxy wrote ends in an address; one that does not
     * (garbage, a name) leaves the proxy's own address, which at worst
     * throttles more, never less. */
    if (w.have && !w.bad)
        addr_text(&w.found, out, cap);
}
