/*
 * The route table: every URL the service answers, with its method, who may
 * call it, and the exact shape of its body and query.  Dispatch, validation
 * and /openapi.json are all driven by this one table, so that none of them
 * can drift from the others; tests/http/test_openapi.py holds the published
 * document against `exportctl serve --print-routes`, which prints this
 * table directly.
 *
 * Roles are ordered viewer < officer < admin; a route names the least role
 * it takes.  Who may do what, and why:
 *   viewer   read checks, ask determinations and screenings (questions
 *            that change no record, though each is audited), manage own
 *            API tokens
 *   officer  also create shipment checks, the records the law asks for
 *   admin    also users, the audit log, and other users' tokens
 */
#include <stdio.h>
#include <string.h>

#include "server.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* ---- body schemas ------------------------------------------------------- */

static const char *const roles[] = {"viewer", "officer", "admin", NULL};
static const char *const types[] = {"person", "entity", "vessel", "aircraft", NULL};
static const char *const party_roles[] = {"buyer", "consignee", "end_user", NULL};

static const struct srv_field session_f[] = {
    {"username", F_STRING, true, 1, 64, NULL, NULL, NULL, "user name"},
    {"password", F_STRING, true, 1, 1024, NULL, "password", NULL, "password"},
    {"remember", F_BOOL, false, 0, 0, NULL, NULL, NULL,
     "keep the session for 30 days (a persistent cookie); otherwise it ends with the browser "
     "session or after 12 hours without use"},
};
static const struct srv_schema session_s = {"SessionCreate", session_f, N(session_f)};

static const struct srv_field reset_f[] = {
    {"email", F_STRING, true, 3, 254, NULL, "email", NULL, "the account's e-mail address"},
};
static const struct srv_schema reset_s = {"PasswordResetRequest", reset_f, N(reset_f)};

static const struct srv_field confirm_f[] = {
    {"token", F_STRING, true, 1, 128, NULL, NULL, NULL, "the token from the mailed link"},
    {"password", F_STRING, true, 1, 1024, NULL, "password", NULL,
     "the new password, 12 to 1024 bytes"},
};
static const struct srv_schema confirm_s = {"PasswordResetConfirm", confirm_f, N(confirm_f)};

static const struct srv_field token_f[] = {
    {"label", F_STRING, true, 1, 100, NULL, NULL, NULL, "what the token is for"},
    {"user", F_STRING, false, 1, 64, NULL, NULL, NULL,
     "the user the token acts as (admin only; default: the caller)"},
};
static const struct srv_schema token_s = {"TokenCreate", token_f, N(token_f)};

static const struct srv_field determine_f[] = {
    {"regime", F_STRING, true, 1, 32, NULL, NULL, NULL, "jp, kr, eu or us"},
    {"items", F_STRINGS, true, 1, 100, NULL, NULL, NULL,
     "control-list codes (native or harmonised), or \"none\" for unlisted goods"},
    {"destination", F_STRING, true, 2, 2, NULL, NULL, NULL, "ISO 3166-1 alpha-2 code"},
    {"date", F_STRING, false, 10, 10, NULL, "date", NULL, "YYYY-MM-DD; default today (UTC)"},
    {"end_use_concern", F_BOOL, false, 0, 0, NULL, NULL, NULL,
     "catch-all: an end-use concern is known"},
};
static const struct srv_schema determine_s = {"DetermineRequest", determine_f, N(determine_f)};

static const struct srv_field screen_f[] = {
    {"name", F_STRING, true, 1, 1000, NULL, NULL, NULL, "the name to screen"},
    {"threshold", F_NUMBER, false, 0.01, 1, NULL, NULL, NULL, "least score, default 0.85"},
    {"limit", F_INT, false, 1, 100, NULL, NULL, NULL, "most matches, default 10"},
    {"type", F_STRING, false, 0, 0, types, NULL, NULL, "only entities of this type"},
    {"country", F_STRING, false, 2, 2, NULL, NULL, NULL, "only entities of this country"},
};
static const struct srv_schema screen_s = {"ScreenRequest", screen_f, N(screen_f)};

static const struct srv_field item_f[] = {
    {"item", F_STRING, true, 1, 64, NULL, NULL, NULL, "control-list code, or \"none\""},
    {"description", F_STRING, false, 0, 1000, NULL, NULL, NULL, NULL},
    {"quantity", F_NUMBER, false, 0, 1e15, NULL, NULL, NULL, NULL},
    {"value", F_NUMBER, false, 0, 1e15, NULL, NULL, NULL, NULL},
    {"currency", F_STRING, false, 3, 3, NULL, NULL, NULL, "ISO 4217 code"},
};
static const struct srv_schema item_s = {"ShipmentItem", item_f, N(item_f)};

static const struct srv_field party_f[] = {
    {"role", F_STRING, true, 0, 0, party_roles, NULL, NULL, NULL},
    {"name", F_STRING, true, 1, 1000, NULL, NULL, NULL, NULL},
    {"country", F_STRING, false, 2, 2, NULL, NULL, NULL, "ISO 3166-1 alpha-2 code"},
    {"type", F_STRING, false, 0, 0, types, NULL, NULL, NULL},
};
static const struct srv_schema party_s = {"ShipmentParty", party_f, N(party_f)};

static const struct srv_field shipment_f[] = {
    {"regime", F_STRING, true, 1, 32, NULL, NULL, NULL, "jp, kr, eu or us"},
    {"date", F_STRING, false, 10, 10, NULL, "date", NULL, "YYYY-MM-DD; default today (UTC)"},
    {"destination", F_STRING, true, 2, 2, NULL, NULL, NULL, "ISO 3166-1 alpha-2 code"},
    {"end_use_concern", F_BOOL, false, 0, 0, NULL, NULL, NULL, NULL},
    {"items", F_OBJECTS, true, 1, ECTL_CHECK_MAX_ITEMS, NULL, NULL, &item_s, NULL},
    {"parties", F_OBJECTS, false, 0, ECTL_CHECK_MAX_PARTIES, NULL, NULL, &party_s, NULL},
};
static const struct srv_schema shipment_s = {"Shipment", shipment_f, N(shipment_f)};

static const struct srv_field user_f[] = {
    {"name", F_STRING, true, 1, 64, NULL, NULL, NULL, "letters, digits, '.', '_', '-'"},
    {"email", F_STRING, true, 3, 254, NULL, "email", NULL, NULL},
    {"role", F_STRING, true, 0, 0, roles, NULL, NULL, NULL},
    {"password", F_STRING, true, 1, 1024, NULL, "password", NULL, "12 to 1024 bytes"},
};
static const struct srv_schema user_s = {"UserCreate", user_f, N(user_f)};

static const struct srv_field user_update_f[] = {
    {"disabled", F_BOOL, false, 0, 0, NULL, NULL, NULL,
     "a disabled user cannot sign in; their sessions end"},
    {"role", F_STRING, false, 0, 0, roles, NULL, NULL,
     "the new role, in force from the user's next request"},
    {"password", F_STRING, false, 1, 1024, NULL, "password", NULL,
     "a new password; the user's sessions end"},
};
static const struct srv_schema user_update_s = {"UserUpdate", user_update_f, N(user_update_f)};

/* ---- query parameters --------------------------------------------------- */

static const struct srv_param page_q[] = {
    {"limit", P_INT, 1, 100, "at most this many, default 20"},
    {"before", P_INT, 1, 9e15, "only ids below this one (the previous page's next_before)"},
    {NULL, P_INT, 0, 0, NULL},
};
static const struct srv_param audit_q[] = {
    {"limit", P_INT, 1, 500, "at most this many, default 50"},
    {"before", P_INT, 1, 9e15, "only entries below this seq (the previous page's next_before)"},
    {"actor", P_STRING, 1, 80, "only this actor"},
    {"action", P_STRING, 1, 64, "only actions starting with this, e.g. \"session.\""},
    {"since", P_STRING, 10, 20, "only from this time: YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ"},
    {NULL, P_INT, 0, 0, NULL},
};
static const struct srv_param revoke_q[] = {
    {"user", P_STRING, 1, 64, "the tokens' owner, when an admin manages another user's tokens"},
    {NULL, P_INT, 0, 0, NULL},
};

/* ---- the table ---------------------------------------------------------- */

const struct srv_route srv_routes[] = {
    {"GET", "/openapi.json", AUTH_NONE, ECTL_ROLE_VIEWER, NULL, NULL, h_openapi, 200,
     "this document", "meta"},
    {"GET", "/api/v1/health", AUTH_NONE, ECTL_ROLE_VIEWER, NULL, NULL, h_health, 200,
     "liveness, and whether a screening index is loaded", "meta"},
    {"POST", "/api/v1/session", AUTH_NONE, ECTL_ROLE_VIEWER, &session_s, NULL, h_session_create,
     201, "sign in; sets the session cookie and returns the CSRF token", "session"},
    {"DELETE", "/api/v1/session", AUTH_SESSION, ECTL_ROLE_VIEWER, NULL, NULL, h_session_delete, 204,
     "sign out", "session"},
    {"GET", "/api/v1/me", AUTH_ANY, ECTL_ROLE_VIEWER, NULL, NULL, h_me, 200,
     "the signed-in user, and the session's CSRF token", "session"},
    {"POST", "/api/v1/password-reset", AUTH_NONE, ECTL_ROLE_VIEWER, &reset_s, NULL, h_reset_request,
     202, "mail a single-use reset link (always 202, whether or not the account exists)",
     "session"},
    {"POST", "/api/v1/password-reset/confirm", AUTH_NONE, ECTL_ROLE_VIEWER, &confirm_s, NULL,
     h_reset_confirm, 200, "set a new password with a reset token; ends the user's sessions",
     "session"},
    {"POST", "/api/v1/tokens", AUTH_ANY, ECTL_ROLE_VIEWER, &token_s, NULL, h_token_create, 201,
     "create a bearer API token (shown once)", "tokens"},
    {"GET", "/api/v1/tokens", AUTH_ANY, ECTL_ROLE_VIEWER, NULL, revoke_q, h_token_list, 200,
     "API tokens (never their secret), revoked ones included", "tokens"},
    {"DELETE", "/api/v1/tokens/{id}", AUTH_ANY, ECTL_ROLE_VIEWER, NULL, revoke_q, h_token_revoke,
     204, "revoke an API token", "tokens"},
    {"POST", "/api/v1/determine", AUTH_ANY, ECTL_ROLE_VIEWER, &determine_s, NULL, h_determine, 200,
     "licence determination, as `exportctl determine --json`", "work"},
    {"POST", "/api/v1/screen", AUTH_ANY, ECTL_ROLE_VIEWER, &screen_s, NULL, h_screen, 200,
     "restricted-party screening, as `exportctl screen --json`", "work"},
    {"POST", "/api/v1/checks", AUTH_ANY, ECTL_ROLE_OFFICER, &shipment_s, NULL, h_check_create, 201,
     "check a shipment and keep the record", "checks"},
    {"GET", "/api/v1/checks", AUTH_ANY, ECTL_ROLE_VIEWER, NULL, page_q, h_check_list, 200,
     "stored checks, newest first", "checks"},
    {"GET", "/api/v1/checks/{id}", AUTH_ANY, ECTL_ROLE_VIEWER, NULL, NULL, h_check_get, 200,
     "one stored check", "checks"},
    {"GET", "/api/v1/audit", AUTH_ANY, ECTL_ROLE_ADMIN, NULL, audit_q, h_audit_list, 200,
     "the audit log, newest first", "admin"},
    {"GET", "/api/v1/users", AUTH_ANY, ECTL_ROLE_ADMIN, NULL, NULL, h_user_list, 200, "every user",
     "admin"},
    {"POST", "/api/v1/users", AUTH_ANY, ECTL_ROLE_ADMIN, &user_s, NULL, h_user_create, 201,
     "create a user", "admin"},
    {"PATCH", "/api/v1/users/{id}", AUTH_ANY, ECTL_ROLE_ADMIN, &user_update_s, NULL, h_user_update,
     200, "disable or enable a user, change their role or set their password", "admin"},
};
const size_t srv_n_routes = N(srv_routes);

const char *srv_auth_name(enum srv_auth a)
{
    switch (a) {
    case AUTH_NONE:
        return "none";
    case AUTH_ANY:
        return "any";
    case AUTH_SESSION:
        return "session";
    }
    return "?";
}

/* ---- matching ----------------------------------------------------------- */

static bool path_match(const char *pattern, const char *path, int64_t *id)
{
    while (*pattern && *path) {
        if (!strncmp(pattern, "{id}", 4)) {
            int64_t v = 0;
            const char *p = path;
            if (*p < '1' || *p > '9')
                return false;
            for (; *p >= '0' && *p <= '9'; p++) {
                if (v > (INT64_MAX - 9) / 10)
                    return false;
                v = v * 10 + (*p - '0');
            }
            if (*p && *p != '/')
                return false;
            *id = v;
            pattern += 4;
            path = p;
            continue;
        }
        if (*pattern != *path)
            return false;
        pattern++;
        path++;
    }
    return !*pattern && !*path;
}

const struct srv_route *srv_route_find(const char *method, const char *path, bool *path_matched,
                                       int64_t *id)
{
    *path_matched = false;
    for (size_t i = 0; i < srv_n_routes; i++) {
        int64_t v = 0;
        if (!path_match(srv_routes[i].path, path, &v))
            continue;
        *path_matched = true;
        if (!strcmp(srv_routes[i].method, method)) {
            *id = v;
            return &srv_routes[i];
        }
    }
    return NULL;
}

void srv_route_allow(const char *path, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < srv_n_routes; i++) {
        int64_t v;
        if (path_match(srv_routes[i].path, path, &v) && len < cap)
            len += (size_t)snprintf(buf + len, cap - len, "%s%s", len ? ", " : "",
                                    srv_routes[i].method);
    }
}

static void print_schema_fields(const struct srv_schema *s, const char *prefix)
{
    for (size_t i = 0; i < s->n_fields; i++) {
        const struct srv_field *f = &s->fields[i];
        static const char *const names[] = {"string", "boolean",  "integer",
                                            "number", "string[]", "object[]"};
        printf("%s%s%s:%s%s", i || *prefix ? "," : "", prefix, f->name, names[f->type],
               f->required ? "!" : "");
        if (f->type == F_OBJECTS) {
            char sub[128];
            snprintf(sub, sizeof sub, "%s%s.", prefix, f->name);
            print_schema_fields(f->of, sub);
        }
    }
}

int ectl_serve_print_routes(void)
{
    for (size_t i = 0; i < srv_n_routes; i++) {
        const struct srv_route *r = &srv_routes[i];
        printf("%s\t%s\t%s\t%s\t%u\t", r->method, r->path, srv_auth_name(r->auth),
               r->auth == AUTH_NONE ? "-" : ectl_role_name(r->role), r->status);
        if (r->body) {
            printf("%s:", r->body->name);
            print_schema_fields(r->body, "");
        } else {
            printf("-");
        }
        putchar('\t');
        if (!r->query || !r->query->name)
            putchar('-');
        for (const struct srv_param *p = r->query; p && p->name; p++)
            printf("%s%s", p == r->query ? "" : ",", p->name);
        putchar('\n');
    }
    return fflush(stdout) ? 74 : 0;
}
