/*
 * The audit chain: how an entry is hashed, and the walk that checks every
 * link.  Both back ends call ectl__audit_hash(), so the bytes hashed are
 * defined once, here and in docs/audit-log.md (which has a script that
 * re-verifies a database without this code).
 *
 * The entry hash is SHA-256 over, in order:
 *
 *   lp("exportctl-audit-v1") be64(seq) be64(at) lp(actor) lp(action)
 *   lp(subject) lp(request_id) lp(detail_json) prev_hash
 *
 * where be64 is a signed 64-bit big-endian integer, lp(s) is be64(length
 * in bytes) followed by the bytes, and prev_hash is the 32 raw bytes of the
 * previous entry's hash (32 zero bytes for seq 1).  Length prefixes make
 * the encoding unambiguous: no choice of field contents can make two
 * different entries hash the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include <exportctl/auth.h>

#include "store_int.h"

#define TAG "exportctl-audit-v1"

static void add_be64(crypto_hash_sha256_state *st, int64_t v)
{
    uint64_t u = (uint64_t)v;
    unsigned char b[8];
    for (int i = 7; i >= 0; i--, u >>= 8)
        b[i] = (unsigned char)(u & 0xff);
    crypto_hash_sha256_update(st, b, sizeof b);
}

static void add_str(crypto_hash_sha256_state *st, const char *s)
{
    size_t n = strlen(s);
    add_be64(st, (int64_t)n);
    crypto_hash_sha256_update(st, (const unsigned char *)s, n);
}

void ectl__audit_hash(const struct ectl_audit_entry *e, uint8_t out[32])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    add_str(&st, TAG);
    add_be64(&st, e->seq);
    add_be64(&st, e->at);
    add_str(&st, e->actor);
    add_str(&st, e->action);
    add_str(&st, e->subject);
    add_str(&st, e->request_id);
    add_str(&st, e->detail_json);
    crypto_hash_sha256_update(&st, e->prev_hash, 32);
    crypto_hash_sha256_final(&st, out);
}

void ectl_audit_entry_release(struct ectl_audit_entry *e)
{
    if (!e)
        return;
    free(e->actor);
    free(e->action);
    free(e->subject);
    free(e->request_id);
    free(e->detail_json);
    memset(e, 0, sizeof *e);
}

int ectl_store_audit_append(struct ectl_store *s, ectl_time at, const char *actor,
                            const char *action, const char *subject, const char *request_id,
                            const char *detail_json, int64_t *seq, struct ectl_error *err)
{
    ectl_error_clear(err);
    if (!actor || !*actor || !action || !*action)
        return ectl_error_set(err, ECTL_EINVAL, "an audit entry needs an actor and an action");
    /* The strings are only read; the cast lets one struct carry them. */
    struct ectl_audit_entry e = {
        .at = at,
        .actor = (char *)actor,
        .action = (char *)action,
        .subject = (char *)(subject ? subject : ""),
        .request_id = (char *)(request_id ? request_id : ""),
        .detail_json = (char *)(detail_json ? detail_json : "{}"),
    };
    int rc = s->ops->audit_append(s, &e, err);
    if (!rc && seq)
        *seq = e.seq;
    return rc;
}

int ectl_store_audit_list(struct ectl_store *s, const struct ectl_audit_filter *f,
                          int (*fn)(void *ctx, const struct ectl_audit_entry *e), void *ctx,
                          struct ectl_error *err)
{
    static const struct ectl_audit_filter all = {0};
    ectl_error_clear(err);
    return s->ops->audit_list(s, f ? f : &all, fn, ctx, err);
}

/* ---- verify --------------------------------------------------------------- */

struct walk {
    int64_t expect;   /* seq the next entry must have */
    uint8_t prev[32]; /* hash of the entry before it */
    int64_t first_bad;
    struct ectl_error *err;
};

/* Stop at the first fault: everything after it chains to a bad link. */
enum { WALK_STOP = 1 };

static int check_entry(void *ctx, const struct ectl_audit_entry *e)
{
    struct walk *w = ctx;
    uint8_t h[32];
    char hex[65];
    if (e->seq != w->expect) {
        long long want = w->expect, got = e->seq;
        char where[96];
        w->first_bad = w->expect;
        if (want == 1)
            snprintf(where, sizeof where, "the log starts at entry %lld", got);
        else
            snprintf(where, sizeof where, "entry %lld is followed by %lld", want - 1, got);
        if (got == want + 1)
            ectl_error_set(w->err, ECTL_ECORRUPT, "entry %lld is missing (%s)", want, where);
        else if (got > want)
            ectl_error_set(w->err, ECTL_ECORRUPT, "entries %lld to %lld are missing (%s)", want,
                           got - 1, where);
        else
            ectl_error_set(w->err, ECTL_ECORRUPT, "entry numbered %lld where %lld was expected",
                           got, want);
        return WALK_STOP;
    }
    ectl__audit_hash(e, h);
    if (!ectl_equal_ct(h, e->hash, 32)) {
        w->first_bad = e->seq;
        ectl_hex(e->hash, 32, hex);
        ectl_error_set(w->err, ECTL_ECORRUPT,
                       "contents do not match the stored hash %.16s... (the entry was altered)",
                       hex);
        return WALK_STOP;
    }
    if (!ectl_equal_ct(w->prev, e->prev_hash, 32)) {
        w->first_bad = e->seq;
        if (e->seq == 1)
            ectl_error_set(w->err, ECTL_ECORRUPT,
                           "the first entry does not start the chain (prev_hash is not zero)");
        else
            ectl_error_set(w->err, ECTL_ECORRUPT,
                           "prev_hash does not match entry %lld (that entry was rewritten, or "
                           "entries were replaced)",
                           (long long)e->seq - 1);
        return WALK_STOP;
    }
    memcpy(w->prev, e->hash, 32);
    w->expect++;
    return 0;
}

int ectl_store_audit_verify(struct ectl_store *s, int64_t *first_bad, int64_t *entries,
                            struct ectl_error *err)
{
    ectl_error_clear(err);
    struct walk w = {.expect = 1, .err = err};
    int rc = s->ops->audit_scan(s, check_entry, &w, err);
    if (first_bad)
        *first_bad = w.first_bad;
    if (entries)
        *entries = w.expect - 1;
    if (rc == WALK_STOP)
        return ECTL_ECORRUPT;
    return rc;
}
