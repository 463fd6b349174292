/*
 * The determine and screen answers as JSON.  These are the documents of
 * `exportctl determine --json` and `exportctl screen --json`; the server's
 * POST /api/v1/determine and /api/v1/screen send the same bytes, and a
 * shipment check embeds the same objects.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "check_int.h"

static int buf_write(void *ctx, const char *p, size_t n)
{
    return ectl_buf_add(ctx, p, n);
}

/* The shipment check embeds the same object as a jansson value: written
 * by the one renderer below and read back, so the two cannot drift. */
json_t *ectl__json_determination(const char *query, const struct ectl_determination *d)
{
    struct ectl_buf b = ECTL_BUF_INIT;
    struct ectl__jstream j;
    struct ectl_error err;
    ectl__js_init(&j, false, buf_write, &b);
    ectl__js_determination(&j, query, d);
    json_t *v = ectl__js_finish(&j, &err) ? NULL : json_loadb(b.ptr, b.len, 0, NULL);
    ectl_buf_release(&b);
    return v;
}

static json_t *match_json(const struct ectl_match *m)
{
    json_t *progs = json_array();
    for (const char *p = m->programs; *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            json_array_append_new(progs, json_stringn(p, n));
        p += n + (e != NULL);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:o, s:s}", "list", m->list, "id", m->id,
                     "type", ectl_entity_type_name(m->type), "name", m->name, "matched_name",
                     m->matched_name, "score", (double)(long long)(m->score * 10000 + 0.5) / 10000,
                     "programs", progs, "explain", m->explain);
}

json_t *ectl__json_screening(const char *query, double threshold, const struct ectl_match *m,
                             size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, match_json(&m[i]));
    return json_pack("{s:s, s:f, s:o}", "query", query, "threshold", threshold, "matches", arr);
}

struct sink {
    ectl_write_fn write;
    void *ctx;
    int failed;
};

static int sink_cb(const char *buf, size_t size, void *data)
{
    struct sink *s = data;
    if (s->write(s->ctx, buf, size)) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

int ectl__json_write(const json_t *j, size_t json_flags, ectl_write_fn write, void *ctx,
                     struct ectl_error *err)
{
    if (!j)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory building JSON");
    struct sink s = {write, ctx, 0};
    if (json_dump_callback(j, sink_cb, &s, json_flags) != 0)
        return s.failed ? ectl_error_set(err, ECTL_EIO, "cannot write the JSON document")
                        : ectl_error_set(err, ECTL_ENOMEM, "out of memory writing JSON");
    return 0;
}

static size_t dump_flags(unsigned flags, int precision)
{
    return (flags & ECTL_JSON_PRETTY ? JSON_INDENT(2) : JSON_COMPACT) |
           (precision ? JSON_REAL_PRECISION(precision) : 0);
}

int ectl_determine_json(const struct ectl_regime *r, const char *const *items, size_t n_items,
                        const char *country, ectl_date date, bool end_use_concern, unsigned flags,
                        ectl_write_fn write, void *ctx, struct ectl_error *err)
{
    if (!r || !country || !write || (n_items && !items))
        return ectl_error_set(err, ECTL_EINVAL, "ectl_determine_json: missing argument");
    if (n_items == 0)
        return ectl_error_set(err, ECTL_EINVAL, "no item to determine");
    /* Checked before anything is written, so that a bad item leaves no
     * half document behind. */
    for (size_t i = 0; i < n_items; i++) {
        struct ectl_determination d;
        int rc = ectl_determine(r, items[i], country, date, end_use_concern, &d, err);
        if (rc)
            return rc;
    }
    char cc[3] = {0};
    for (size_t i = 0; i < 2 && country[i]; i++)
        cc[i] = (char)toupper((unsigned char)country[i]);
    char ds[ECTL_DATE_BUFSZ];
    struct ectl__jstream j;
    ectl__js_init(&j, flags & ECTL_JSON_PRETTY, write, ctx);
    ectl__js_object(&j);
    ectl__js_key(&j, "regime");
    ectl__js_string(&j, ectl_regime_id(r));
    ectl__js_key(&j, "destination");
    ectl__js_string(&j, cc);
    ectl__js_key(&j, "date");
    ectl__js_string(&j, ectl_date_format(date, ds));
    ectl__js_key(&j, "data_version");
    ectl__js_string(&j, ectl_regime_data_version(r));
    ectl__js_key(&j, "end_use_concern");
    ectl__js_bool(&j, end_use_concern);
    ectl__js_key(&j, "items");
    ectl__js_array(&j);
    for (size_t i = 0; i < n_items; i++) {
        struct ectl_determination d;
        /* Determination is pure and cheap (well under a microsecond):
         * asking twice costs less than keeping every answer. */
        if (ectl_determine(r, items[i], country, date, end_use_concern, &d, err) == 0)
            ectl__js_determination(&j, items[i], &d);
    }
    ectl__js_array_end(&j);
    ectl__js_object_end(&j);
    return ectl__js_finish(&j, err);
}

void ectl__js_determination(struct ectl__jstream *j, const char *query,
                            const struct ectl_determination *d)
{
    ectl__js_object(j);
    ectl__js_key(j, "item");
    ectl__js_string(j, query);
    ectl__js_key(j, "regime_item");
    ectl__js_string(j, d->regime_item);
    ectl__js_key(j, "description");
    ectl__js_string(j, d->description);
    ectl__js_key(j, "listed");
    ectl__js_bool(j, d->listed);
    ectl__js_key(j, "outcome");
    ectl__js_string(j, ectl_outcome_name(d->outcome));
    ectl__js_key(j, "licence_options");
    ectl__js_array(j);
    for (size_t i = 0; i < d->n_options; i++)
        ectl__js_string(j, d->options[i]);
    ectl__js_array_end(j);
    ectl__js_key(j, "decisive_rule");
    ectl__js_string(j, d->decisive_rule);
    ectl__js_key(j, "reasons");
    ectl__js_array(j);
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct ectl_reason *r = &d->reasons[i];
        ectl__js_object(j);
        ectl__js_key(j, "rule");
        ectl__js_string(j, r->rule);
        ectl__js_key(j, "text");
        ectl__js_string(j, r->text);
        ectl__js_key(j, "from");
        ectl__js_date(j, r->from);
        ectl__js_key(j, "to");
        ectl__js_date(j, r->to);
        ectl__js_key(j, "source");
        ectl__js_string(j, r->source);
        ectl__js_object_end(j);
    }
    ectl__js_array_end(j);
    ectl__js_object_end(j);
}

int ectl_screen_json(const struct ectl_index *idx, const char *name,
                     const struct ectl_screen_opts *opts, unsigned flags, ectl_write_fn write,
                     void *ctx, struct ectl_error *err)
{
    if (!idx || !name || !write)
        return ectl_error_set(err, ECTL_EINVAL, "ectl_screen_json: missing argument");
    struct ectl_screen_opts o = {0};
    if (opts)
        o = *opts;
    size_t cap = o.limit ? o.limit : ECTL_SCREEN_DEFAULT_LIMIT;
    if (cap > ECTL_SCREEN_MAX_LIMIT)
        return ectl_error_set(err, ECTL_ERANGE, "limit must be 1 to %d", ECTL_SCREEN_MAX_LIMIT);
    /* A hundred matches with their explanations are ~40 KiB: too much for
     * a server thread's stack, so they go on the heap. */
    struct ectl_match *m = calloc(cap, sizeof *m);
    if (!m)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    size_t n = 0;
    int rc = ectl_screen(idx, name, &o, m, cap, &n, err);
    if (rc == 0) {
        double t = o.threshold ? o.threshold : ECTL_SCREEN_DEFAULT_THRESHOLD;
        json_t *doc = ectl__json_screening(name, t, m, n);
        rc = ectl__json_write(doc, dump_flags(flags, ECTL__SCREEN_PRECISION), write, ctx, err);
        json_decref(doc);
    }
    free(m);
    return rc;
}
