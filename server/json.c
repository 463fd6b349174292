/*
 * JSON helpers for handlers: schema validation driven by the route table,
 * a writer into the request's arena for documents the library renders,
 * and times.  (The audit log's helpers are in audit.c.)
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <exportctl/utf8.h>

#include "server.h"

/* ---- text that must become a JSON string --------------------------------- */

void srv_utf8_scrub(char *s)
{
    size_t n = strlen(s);
    for (size_t i = ectl_utf8_valid_prefix(s, n); i < n; i += ectl_utf8_valid_prefix(s + i, n - i))
        s[i++] = '?';
}

/* ---- schema validation -------------------------------------------------- */

static const char *type_text(enum srv_ftype t)
{
    switch (t) {
    case F_STRING:
        return "a string";
    case F_BOOL:
        return "true or false";
    case F_INT:
        return "an integer";
    case F_NUMBER:
        return "a number";
    case F_STRINGS:
        return "an array of strings";
    case F_OBJECTS:
        return "an array of objects";
    }
    return "?";
}

static bool check_string(const struct srv_field *f, const char *s, size_t len, const char *where,
                         char *msg, size_t cap)
{
    if (f->values) {
        for (const char *const *v = f->values; *v; v++)
            if (!strcmp(*v, s))
                return true;
        size_t n = (size_t)snprintf(msg, cap, "%s: expected one of", where);
        for (const char *const *v = f->values; *v && n < cap; v++)
            n += (size_t)snprintf(msg + n, cap - n, " %s", *v);
        return false;
    }
    if ((f->min > 0 && len < f->min) || (f->max > 0 && len > f->max)) {
        snprintf(msg, cap, "%s: expected %.0f to %.0f bytes", where, f->min, f->max);
        return false;
    }
    return true;
}

bool srv_schema_check(const struct srv_schema *s, const json_t *v, const char *path, char *msg,
                      size_t cap)
{
    if (!json_is_object(v)) {
        snprintf(msg, cap, "%s: expected an object", *path ? path : "body");
        return false;
    }
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val)
    {
        size_t i = 0;
        while (i < s->n_fields && strcmp(s->fields[i].name, key))
            i++;
        if (i == s->n_fields) {
            snprintf(msg, cap, "%s%s%.64s: unknown field", path, *path ? "." : "", key);
            return false;
        }
        const struct srv_field *f = &s->fields[i];
        char where[160];
        snprintf(where, sizeof where, "%s%s%s", path, *path ? "." : "", key);
        bool ok = false;
        switch (f->type) {
        case F_STRING:
            ok = json_is_string(val);
            if (ok &&
                !check_string(f, json_string_value(val), json_string_length(val), where, msg, cap))
                return false;
            break;
        case F_BOOL:
            ok = json_is_boolean(val);
            break;
        case F_INT:
            ok = json_is_integer(val);
            if (ok && (json_integer_value(val) < f->min || json_integer_value(val) > f->max)) {
                snprintf(msg, cap, "%s: expected %.0f to %.0f", where, f->min, f->max);
                return false;
            }
            break;
        case F_NUMBER:
            ok = json_is_number(val);
            if (ok && !(json_number_value(val) >= f->min && json_number_value(val) <= f->max)) {
                snprintf(msg, cap, "%s: expected a number from %g to %g", where, f->min, f->max);
                return false;
            }
            break;
        case F_STRINGS:
        case F_OBJECTS:
            ok = json_is_array(val);
            if (!ok)
                break;
            if (json_array_size(val) < f->min || json_array_size(val) > f->max) {
                snprintf(msg, cap, "%s: expected %.0f to %.0f elements", where, f->min, f->max);
                return false;
            }
            for (size_t k = 0; k < json_array_size(val); k++) {
                const json_t *e = json_array_get(val, k);
                char sub[192];
                snprintf(sub, sizeof sub, "%s[%zu]", where, k);
                if (f->type == F_OBJECTS) {
                    if (!srv_schema_check(f->of, e, sub, msg, cap))
                        return false;
                } else if (!json_is_string(e) || json_string_length(e) == 0 ||
                           json_string_length(e) > 64) {
                    snprintf(msg, cap, "%s: expected a string of 1 to 64 bytes", sub);
                    return false;
                }
            }
            break;
        }
        if (!ok) {
            snprintf(msg, cap, "%s: expected %s", where, type_text(f->type));
            return false;
        }
    }
    for (size_t i = 0; i < s->n_fields; i++)
        if (s->fields[i].required && !json_object_get(v, s->fields[i].name)) {
            snprintf(msg, cap, "%s%s%s: required", path, *path ? "." : "", s->fields[i].name);
            return false;
        }
    return true;
}

const char *srv_body_str(struct req *r, const char *field)
{
    return json_string_value(json_object_get(r->json, field));
}

bool srv_body_bool(struct req *r, const char *field, bool dflt)
{
    const json_t *v = json_object_get(r->json, field);
    return v ? json_is_true(v) : dflt;
}

/* ---- writing into the arena --------------------------------------------- */

int srv_sink_write(void *ctx, const char *buf, size_t len)
{
    struct srv_sink *s = ctx;
    if (s->len + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        while (cap < s->len + len + 1)
            cap *= 2;
        char *p = srv_alloc(s->r, cap);
        if (!p)
            return -1;
        if (s->len)
            memcpy(p, s->p, s->len);
        s->p = p;
        s->cap = cap;
    }
    memcpy(s->p + s->len, buf, len);
    s->len += len;
    s->p[s->len] = '\0';
    return 0;
}

json_t *srv_json_time(ectl_time t)
{
    if (t <= 0)
        return json_null();
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[32];
    gmtime_r(&tt, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(buf);
}
