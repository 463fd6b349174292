/*
 * GET /openapi.json, generated from the route table at start, so that the
 * published description is the table the server dispatches on: each
 * operation carries its required role (x-required-role), how it
 * authenticates (x-auth), its body schema and query parameters, and the
 * error answers it can give.
 */
#include <stdlib.h>
#include <string.h>

#include <exportctl/version.h>

#include "server.h"

static json_t *error_ref(const char *desc)
{
    return json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", desc, "content", "application/json",
                     "schema", "$ref", "#/components/schemas/Error");
}

static json_t *field_schema(const struct srv_field *f)
{
    json_t *p = json_object();
    switch (f->type) {
    case F_STRING:
        json_object_set_new(p, "type", json_string("string"));
        if (f->values) {
            json_t *e = json_array();
            for (const char *const *v = f->values; *v; v++)
                json_array_append_new(e, json_string(*v));
            json_object_set_new(p, "enum", e);
        } else {
            if (f->min > 0)
                json_object_set_new(p, "minLength", json_integer((json_int_t)f->min));
            if (f->max > 0)
                json_object_set_new(p, "maxLength", json_integer((json_int_t)f->max));
        }
        if (f->format)
            json_object_set_new(p, "format", json_string(f->format));
        break;
    case F_BOOL:
        json_object_set_new(p, "type", json_string("boolean"));
        break;
    case F_INT:
    case F_NUMBER:
        json_object_set_new(p, "type", json_string(f->type == F_INT ? "integer" : "number"));
        json_object_set_new(p, "minimum", json_real(f->min));
        json_object_set_new(p, "maximum", json_real(f->max));
        break;
    case F_STRINGS:
    case F_OBJECTS:
        json_object_set_new(p, "type", json_string("array"));
        json_object_set_new(p, "minItems", json_integer((json_int_t)f->min));
        json_object_set_new(p, "maxItems", json_integer((json_int_t)f->max));
        if (f->type == F_STRINGS)
            json_object_set_new(
                p, "items",
                json_pack("{s:s, s:i, s:i}", "type", "string", "minLength", 1, "maxLength", 64));
        else
            json_object_set_new(p, "items",
                                json_pack("{s:s+}", "$ref", "#/components/schemas/", f->of->name));
        break;
    }
    if (f->desc)
        json_object_set_new(p, "description", json_string(f->desc));
    return p;
}

static void add_schema(json_t *schemas, const struct srv_schema *s)
{
    if (json_object_get(schemas, s->name))
        return;
    json_t *props = json_object(), *req = json_array();
    for (size_t i = 0; i < s->n_fields; i++) {
        const struct srv_field *f = &s->fields[i];
        json_object_set_new(props, f->name, field_schema(f));
        if (f->required)
            json_array_append_new(req, json_string(f->name));
        if (f->type == F_OBJECTS)
            add_schema(schemas, f->of);
    }
    json_t *o = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                          "additionalProperties", 0);
    if (json_array_size(req))
        json_object_set_new(o, "required", req);
    else
        json_decref(req);
    json_object_set_new(schemas, s->name, o);
}

static json_t *operation(const struct srv_route *r, json_t *schemas)
{
    json_t *op = json_object();
    json_object_set_new(op, "summary", json_string(r->summary));
    json_object_set_new(op, "tags", json_pack("[s]", r->tag));
    json_object_set_new(op, "x-auth", json_string(srv_auth_name(r->auth)));
    json_object_set_new(op, "x-required-role",
                        r->auth == AUTH_NONE ? json_null() : json_string(ectl_role_name(r->role)));
    if (r->auth == AUTH_NONE)
        json_object_set_new(op, "security", json_array());
    else if (r->auth == AUTH_SESSION)
        json_object_set_new(op, "security", json_pack("[{s:[]}]", "cookie"));
    else
        json_object_set_new(op, "security", json_pack("[{s:[]}, {s:[]}]", "cookie", "bearer"));

    json_t *params = json_array();
    if (strstr(r->path, "{id}"))
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:b, s:{s:s, s:i}}", "name", "id", "in", "path",
                                        "required", 1, "schema", "type", "integer", "minimum", 1));
    for (const struct srv_param *p = r->query; p && p->name; p++) {
        json_t *schema = p->type == P_INT
                             ? json_pack("{s:s, s:f, s:f}", "type", "integer", "minimum", p->min,
                                         "maximum", p->max)
                             : json_pack("{s:s, s:I, s:I}", "type", "string", "minLength",
                                         (json_int_t)p->min, "maxLength", (json_int_t)p->max);
        json_array_append_new(params,
                              json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", p->name, "in", "query",
                                        "required", 0, "description", p->desc, "schema", schema));
    }
    if (json_array_size(params))
        json_object_set_new(op, "parameters", params);
    else
        json_decref(params);

    json_t *resp = json_object();
    char code[8];
    snprintf(code, sizeof code, "%u", r->status);
    json_object_set_new(resp, code,
                        r->status == 204
                            ? json_pack("{s:s}", "description", "done; no body")
                            : json_pack("{s:s, s:{s:{s:{s:s}}}}", "description", "success",
                                        "content", "application/json", "schema", "type", "object"));
    if (r->body) {
        add_schema(schemas, r->body);
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b, s:{s:{s:{s:s+}}}}", "required", 1, "content",
                                      "application/json", "schema", "$ref", "#/components/schemas/",
                                      r->body->name));
        json_object_set_new(resp, "400",
                            error_ref("malformed JSON, an unknown field, a wrong type"));
        json_object_set_new(resp, "413", error_ref("the body is larger than the cap"));
        json_object_set_new(resp, "415", error_ref("the body is not application/json"));
    } else if (r->query) {
        json_object_set_new(resp, "400", error_ref("an unknown or invalid query parameter"));
    }
    if (r->auth != AUTH_NONE) {
        json_object_set_new(resp, "401", error_ref("not signed in, or the session or token ended"));
        json_object_set_new(resp, "403",
                            error_ref("the role is not enough, or the CSRF token is "
                                      "missing or wrong"));
    }
    if (strstr(r->path, "{id}"))
        json_object_set_new(resp, "404", error_ref("no such record"));
    if (r->handler == h_session_create)
        json_object_set_new(resp, "429", error_ref("too many failed sign-ins; see Retry-After"));
    if (r->handler == h_screen || r->handler == h_check_create)
        json_object_set_new(resp, "503", error_ref("no screening index is loaded"));
    if (r->handler == h_determine || r->handler == h_check_create)
        json_object_set_new(resp, "422",
                            error_ref("an unknown regime, item or country, or no "
                                      "confirmed rule"));
    json_object_set_new(op, "responses", resp);
    return op;
}

char *srv_openapi_build(void)
{
    json_t *schemas = json_object();
    json_object_set_new(schemas, "Error",
                        json_pack("{s:s, s:[s], s:{s:{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}}}}}",
                                  "type", "object", "required", "error", "properties", "error",
                                  "type", "object", "required", "code", "message", "properties",
                                  "code", "type", "string", "message", "type", "string"));
    json_t *paths = json_object();
    for (size_t i = 0; i < srv_n_routes; i++) {
        const struct srv_route *r = &srv_routes[i];
        json_t *item = json_object_get(paths, r->path);
        if (!item) {
            item = json_object();
            json_object_set_new(paths, r->path, item);
        }
        char method[16];
        size_t k = 0;
        for (; r->method[k] && k < sizeof method - 1; k++)
            method[k] = (char)(r->method[k] | 0x20);
        method[k] = '\0';
        json_object_set_new(item, method, operation(r, schemas));
    }
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}, s:o}}", "openapi",
        "3.0.3", "info", "title", "exportctl", "version", ectl_version(), "description",
        "Export-control licence determination, restricted-party screening and shipment "
        "checks. Errors are {\"error\": {\"code\", \"message\"}}. A state-changing request "
        "made with the session cookie must send the session's CSRF token in X-CSRF-Token.",
        "paths", paths, "components", "securitySchemes", "cookie", "type", "apiKey", "in", "cookie",
        "name", SRV_COOKIE, "bearer", "type", "http", "scheme", "bearer", "schemas", schemas);
    if (!doc)
        return NULL;
    size_t flags = JSON_INDENT(1) | JSON_REAL_PRECISION(15);
    size_t n = json_dumpb(doc, NULL, 0, flags);
    char *s = n ? malloc(n + 1) : NULL;
    if (s) {
        json_dumpb(doc, s, n, flags);
        s[n] = '\0';
    }
    json_decref(doc);
    return s;
}
