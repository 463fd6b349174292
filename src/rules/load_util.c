#include "load_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"

int table_open(struct table *t, const char *dir, const char *name, const char *const *columns,
               size_t n_columns, uint64_t *hash, struct ectl_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/%s", dir, name);
    t->columns = columns;
    t->n_columns = n_columns;
    t->hash = hash;
    int rc = ectl_file_open(&t->file, t->path, err);
    if (rc)
        return rc == ECTL_ENOENT ? ectl_error_set(err, ECTL_EDATA, "%s: missing", t->path) : rc;
    if (hash) {
        uint64_t h = *hash;
        for (size_t i = 0; i < t->file.len; i++) {
            h ^= (unsigned char)t->file.data[i];
            h *= 0x100000001b3ULL;
        }
        *hash = h;
    }
    ectl_csv_init(&t->csv, t->file.data, t->file.len, t->path, ECTL_CSV_COMMENTS);
    rc = ectl_csv_next(&t->csv, err);
    if (rc < 0) {
        table_close(t);
        err->code = ECTL_EDATA; /* a malformed regime file is invalid data */
        return ECTL_EDATA;
    }
    if (rc == 0) {
        table_close(t);
        return ectl_error_set(err, ECTL_EDATA, "%s: empty file, expected a header row",
                              t->path);
    }
    bool ok = t->csv.n_fields == n_columns;
    for (size_t i = 0; ok && i < n_columns; i++)
        ok = strcmp(t->csv.fields[i], columns[i]) == 0;
    if (!ok) {
        struct ectl_buf want = ECTL_BUF_INIT;
        for (size_t i = 0; i < n_columns; i++)
            if (ectl_buf_adds(&want, columns[i]) || (i + 1 < n_columns && ectl_buf_addch(&want, ',')))
                break;
        ectl_error_set(err, ECTL_EDATA, "%s:%llu: header must be '%s'", t->path,
                       (unsigned long long)t->csv.row_line, want.ptr);
        ectl_buf_release(&want);
        table_close(t);
        return ECTL_EDATA;
    }
    return 0;
}

int table_next(struct table *t, struct ectl_error *err)
{
    int rc = ectl_csv_next(&t->csv, err);
    if (rc < 0) {
        err->code = ECTL_EDATA;
        return ECTL_EDATA;
    }
    if (rc == 0)
        return 0;
    if (t->csv.n_fields != t->n_columns)
        return ectl_error_set(err, ECTL_EDATA, "%s:%llu: %zu fields, expected %zu", t->path,
                              (unsigned long long)t->csv.row_line, t->csv.n_fields,
                              t->n_columns);
    return 1;
}

void table_close(struct table *t)
{
    ectl_csv_release(&t->csv);
    ectl_file_release(&t->file);
}

int table_fail(struct table *t, size_t col, struct ectl_error *err, const char *fmt, ...)
{
    char what[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ectl_error_set(err, ECTL_EDATA, "%s:%llu: column %zu (%s): %s", t->path,
                          (unsigned long long)t->csv.row_line, col + 1, t->columns[col], what);
}

int field_date(struct table *t, size_t col, ectl_date open_value, ectl_date *out,
               struct ectl_error *err)
{
    const char *s = t->csv.fields[col];
    if (!*s) {
        *out = open_value;
        return 0;
    }
    if (ectl_date_parse_str(s, out))
        return table_fail(t, col, err, "malformed date '%s', expected YYYY-MM-DD", s);
    return 0;
}

int field_interval(struct table *t, size_t from_col, ectl_date *from, ectl_date *to,
                   struct ectl_error *err)
{
    int rc;
    if ((rc = field_date(t, from_col, ECTL_DATE_MIN, from, err)) ||
        (rc = field_date(t, from_col + 1, ECTL_DATE_MAX, to, err)))
        return rc;
    if (*from >= *to)
        return table_fail(t, from_col + 1, err, "'%s' is not after 'from'", t->csv.fields[from_col + 1]);
    return 0;
}

int field_country(struct table *t, size_t col, const struct ectl_regime *r, int *out,
                  struct ectl_error *err)
{
    const char *s = t->csv.fields[col];
    int i = ectl__cc_index(s);
    if (i < 0 || !r->country_names[i] || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z')
        return table_fail(t, col, err, "unknown country code '%s' (ISO 3166-1 alpha-2, upper case)", s);
    *out = i;
    return 0;
}

struct src_ctx {
    const struct source_table *st;
    struct ectl_buf *out;
    const char *bad;
    char badbuf[64];
};

static int add_source(void *vctx, const char *p, size_t n)
{
    struct src_ctx *ctx = vctx;
    const struct source_table *st = ctx->st;
    for (size_t i = 0; st && i < st->n; i++) {
        if (strlen(st->rows[i].id) == n && memcmp(st->rows[i].id, p, n) == 0) {
            if (ctx->out->len && ectl_buf_adds(ctx->out, "; "))
                return ECTL_ENOMEM;
            return ectl_buf_adds(ctx->out, st->rows[i].text);
        }
    }
    snprintf(ctx->badbuf, sizeof ctx->badbuf, "%.*s", (int)(n > 60 ? 60 : n), p);
    ctx->bad = ctx->badbuf;
    return ECTL_EDATA;
}

int field_sources(struct table *t, size_t col, const struct source_table *st,
                  struct ectl_arena *arena, const char **out, struct ectl_error *err)
{
    struct ectl_buf b = ECTL_BUF_INIT;
    struct src_ctx ctx = {st, &b, NULL, {0}};
    int rc = split_list(t->csv.fields[col], add_source, &ctx);
    if (rc == 0 && b.len == 0)
        rc = table_fail(t, col, err, "every row needs a source");
    else if (rc == ECTL_ENOMEM)
        rc = ectl_error_set(err, rc, "out of memory");
    else if (rc)
        rc = table_fail(t, col, err, "unknown source id '%s' (see sources.csv)", ctx.bad);
    if (!rc && !(*out = ectl_arena_strdup(arena, b.ptr)))
        rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    ectl_buf_release(&b);
    return rc;
}

int split_list(const char *s, int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
    while (*s) {
        const char *e = strchr(s, ';');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *p = s;
        size_t m = n;
        while (m && (*p == ' ' || *p == '\t'))
            p++, m--;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m) {
            int rc = fn(ctx, p, m);
            if (rc)
                return rc;
        }
        s += n;
        if (*s == ';')
            s++;
    }
    return 0;
}

int ectl__load_sources(const char *dir, struct ectl_arena *arena, struct source_table *st,
                       uint64_t *hash, struct ectl_error *err)
{
    static const char *const cols[] = {"id", "citation", "url"};
    struct table t;
    int rc = table_open(&t, dir, "sources.csv", cols, 3, hash, err);
    if (rc)
        return rc;
    while ((rc = table_next(&t, err)) > 0) {
        const char *id = t.csv.fields[0], *cit = t.csv.fields[1], *url = t.csv.fields[2];
        if (!*id || !*cit) {
            rc = table_fail(&t, *id ? 1 : 0, err, "must not be empty");
            break;
        }
        for (size_t i = 0; i < st->n; i++)
            if (!strcmp(st->rows[i].id, id))
                rc = table_fail(&t, 0, err, "duplicate source id '%s'", id);
        if (rc < 0)
            break;
        struct source_row *rows = realloc(st->rows, (st->n + 1) * sizeof *rows);
        if (!rows) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            break;
        }
        st->rows = rows;
        struct ectl_buf b = ECTL_BUF_INIT;
        int e = *url ? ectl_buf_addf(&b, "%s (%s)", cit, url) : ectl_buf_adds(&b, cit);
        struct source_row *row = &st->rows[st->n++];
        row->id = ectl_arena_strdup(arena, id);
        row->text = e ? NULL : ectl_arena_strdup(arena, b.ptr);
        ectl_buf_release(&b);
        if (!row->id || !row->text) {
            rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
            break;
        }
    }
    table_close(&t);
    return rc < 0 ? rc : 0;
}
