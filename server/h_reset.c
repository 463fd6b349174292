/*
 * Lost password: POST /api/v1/password-reset and .../confirm.
 *
 * The request handler only checks the address's shape and queues a job; it
 * answers 202 at once, the same for every address, so neither the answer
 * nor its timing tells whether an account exists.  The job (run by the
 * background thread, see mail.c) looks the account up, makes a single-use
 * token valid cfg->reset_ttl seconds, and mails the link to the web UI's
 * reset page.  The token rides in the fragment (#token=), which browsers
 * never send to a server, so it stays out of access logs and proxies.  A few mails per
 * address per throttle window at most, so that the form cannot be used to
 * flood someone's mailbox.
 */
#include <stdio.h>
#include <string.h>

#include "server.h"

static bool email_shape_ok(const char *e)
{
    const char *at = strchr(e, '@');
    if (!at || at == e || !at[1] || strchr(at + 1, '@'))
        return false;
    /* Nothing that could end a header line or an SMTP command. */
    for (const unsigned char *p = (const unsigned char *)e; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';')
            return false;
    return true;
}

int h_reset_request(struct req *r)
{
    const char *email = srv_body_str(r, "email");
    if (!email_shape_ok(email))
        return srv_error(r, 400, "invalid_request", "email: not an e-mail address");
    struct srv_job job = {0};
    snprintf(job.email, sizeof job.email, "%s", email);
    snprintf(job.addr, sizeof job.addr, "%s", r->addr);
    snprintf(job.request_id, sizeof job.request_id, "%s", r->id);
    srv_jobs_push(r->srv, &job);
    return srv_reply_json(r, 202,
                          json_pack("{s:s, s:s}", "status", "accepted", "message",
                                    "if an account has this address, a reset link is "
                                    "on its way"));
}

void srv_reset_job(struct srv *s, struct ectl_store *st, const struct srv_job *job)
{
    const struct ectl_serve_config *cfg = s->cfg;
    ectl_time now = (ectl_time)time(NULL);
    struct ectl_error err = {0};
    char key[300];
    snprintf(key, sizeof key, "reset:%s", job->email);
    int count = 0;
    ectl_time latest = 0;
    if (ectl_store_failure_count(st, key, now - cfg->throttle_window, &count, &latest, &err) == 0 &&
        count >= cfg->reset_per_email) {
        json_t *d = json_pack("{s:s, s:s}", "email", job->email, "addr", job->addr);
        srv_audit_raw(st, now, "anonymous", "password_reset.throttled", "", job->request_id, d);
        json_decref(d);
        return;
    }
    ectl_store_failure_add(st, key, now, &err);

    struct ectl_user u;
    int rc = ectl_store_user_get_by_email(st, job->email, &u, &err);
    if (rc || u.disabled) {
        json_t *d = json_pack("{s:s, s:s, s:b}", "email", job->email, "addr", job->addr, "account",
                              rc == 0);
        srv_audit_raw(st, now, "anonymous", "password_reset.request", "", job->request_id, d);
        json_decref(d);
        if (rc == 0)
            ectl_user_release(&u);
        return;
    }
    char token[ECTL_TOKEN_TEXT_LEN + 1];
    uint8_t hash[32];
    ectl_token_new(token, hash);
    char subject[64];
    snprintf(subject, sizeof subject, "user:%lld", (long long)u.id);
    bool mailed = false;
    char why[256] = "";
    if (ectl_store_reset_add(st, hash, u.id, now + cfg->reset_ttl, &err)) {
        snprintf(why, sizeof why, "%s", err.msg);
    } else if (!cfg->smtp) {
        snprintf(why, sizeof why, "no --smtp server configured");
    } else {
        char body[2048];
        snprintf(body, sizeof body,
                 "Hello %s,\r\n\r\n"
                 "someone (we hope you) asked to reset the password of your exportctl account.\r\n"
                 "To choose a new password, open this link within %lld minutes:\r\n\r\n"
                 "%s/reset.html#token=%s\r\n\r\n"
                 "The link works once.  If you did not ask for it, ignore this mail: your\r\n"
                 "password stays as it is.\r\n",
                 u.name, (long long)(cfg->reset_ttl + 59) / 60, s->public_url, token);
        mailed = srv_mail_send(cfg->smtp, cfg->mail_from, u.email, "exportctl: reset your password",
                               body, why, sizeof why) == 0;
    }
    if (!mailed)
        srv_log("password reset for %s (request %s): mail not sent: %s", subject, job->request_id,
                why);
    json_t *d = json_pack("{s:s, s:s, s:b, s:b}", "email", job->email, "addr", job->addr, "account",
                          1, "mailed", mailed);
    srv_audit_raw(st, now, "anonymous", "password_reset.request", subject, job->request_id, d);
    json_decref(d);
    ectl_user_release(&u);
}

static int invalid_link(struct req *r)
{
    srv_audit(r, "password_reset.fail", "", json_pack("{s:s}", "reason", "invalid_token"));
    return srv_error(r, 400, "invalid_token",
                     "the reset link is not valid: it was used, has expired or never existed");
}

int h_reset_confirm(struct req *r)
{
    const char *token = srv_body_str(r, "token");
    const char *password = srv_body_str(r, "password");
    struct ectl_error err = {0};
    /* The policy first: a weak password must not use up the link. */
    if (ectl_password_check_policy(password, &err))
        return srv_error(r, 400, "weak_password", "password: %s", err.msg);
    uint8_t hash[32];
    if (ectl_token_hash(token, hash))
        return invalid_link(r);
    /* The hash is slow, so it is made before the write lock is taken (and
     * so before the link is known to be good: no more than a sign-in costs,
     * which verifies a hash for anyone who asks). */
    char pw[ECTL_PWHASH_MAX];
    if (ectl_password_hash(password, pw, &err))
        return srv_error_lib(r, &err);
    struct ectl_store *st = srv_store(r);
    if (srv_begin(r, &err))
        return srv_error_lib(r, &err);
    /* One transaction: the link is used up only if the password changes,
     * no session of whoever knew the old password outlives the change,
     * and the change is never without its audit entry. */
    int64_t uid = 0;
    int rc = ectl_store_reset_consume(st, hash, r->now, &uid, &err);
    if (rc == ECTL_ENOENT) {
        /* Nothing changed but an expired token deleted: keep that. */
        if (srv_commit(r, &err))
            srv_rollback(r);
        return invalid_link(r);
    }
    struct ectl_user u;
    if (rc == 0)
        rc = ectl_store_user_set_password(st, uid, pw, &err);
    if (rc == 0)
        rc = ectl_store_session_delete_user(st, uid, 0, &err);
    if (rc == 0 && (rc = ectl_store_user_get(st, uid, &u, &err)) == 0) {
        srv_user_keep(r, &r->user, &u);
        snprintf(r->actor, sizeof r->actor, "%s", r->user.name);
        /* Failed sign-ins with the old password no longer hold the user back. */
        rc = ectl_store_failure_clear(st, srv_printf(r, "user:%s", r->user.name), &err);
    }
    if (srv_end(r, rc, "password_reset.confirm", srv_printf(r, "user:%lld", (long long)uid), NULL,
                &err))
        return srv_error_lib(r, &err);
    srv_auth_forget(r->srv);
    return srv_reply_json(r, 200, json_pack("{s:s}", "status", "password_changed"));
}
