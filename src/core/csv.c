#include "csv.h"

#include <stdlib.h>
#include <string.h>

void ectl_csv_init(struct ectl_csv *c, const char *data, size_t len, const char *name,
                   unsigned flags)
{
    memset(c, 0, sizeof *c);
    c->name = name;
    c->start = data;
    c->p = data;
    c->end = data + len;
    c->flags = flags;
    c->line = 1;
    ectl_buf_init(&c->scratch);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c->p += 3;
}

void ectl_csv_release(struct ectl_csv *c)
{
    ectl_buf_release(&c->scratch);
    free(c->offs);
    free(c->fields);
    c->offs = NULL;
    c->fields = NULL;
}

static int push_field(struct ectl_csv *c, size_t off)
{
    if (c->n_fields == c->cap_fields) {
        size_t cap = c->cap_fields ? c->cap_fields * 2 : 16;
        size_t *o = realloc(c->offs, cap * sizeof *o);
        if (!o)
            return ECTL_ENOMEM;
        c->offs = o;
        const char **f = realloc(c->fields, cap * sizeof *f);
        if (!f)
            return ECTL_ENOMEM;
        c->fields = f;
        c->cap_fields = cap;
    }
    c->offs[c->n_fields++] = off;
    return 0;
}

/* Skip comment and blank lines when asked to. */
static void skip_ignorable(struct ectl_csv *c)
{
    while (c->p < c->end) {
        const char *q = c->p;
        if (*q == '#') {
            while (q < c->end && *q != '\n')
                q++;
        } else if (*q == '\r' || *q == '\n') {
            /* blank line */
        } else {
            return;
        }
        if (q < c->end && *q == '\r')
            q++;
        if (q < c->end && *q == '\n')
            q++;
        c->p = q;
        c->line++;
    }
}

int ectl_csv_next(struct ectl_csv *c, struct ectl_error *err)
{
    if (c->flags & ECTL_CSV_COMMENTS)
        skip_ignorable(c);
    if (c->p >= c->end)
        return 0;
    ectl_buf_reset(&c->scratch);
    c->n_fields = 0;
    c->row_line = c->line;
    int rc;
    const char *p = c->p;
    for (;;) {
        size_t off = c->scratch.len;
        if ((rc = push_field(c, off)))
            return ectl_error_set(err, rc, "%s: out of memory", c->name);
        if (p < c->end && *p == '"') {
            p++;
            for (;;) {
                const char *q = p;
                while (q < c->end && *q != '"') {
                    if (*q == '\n')
                        c->line++;
                    q++;
                }
                if ((rc = ectl_buf_add(&c->scratch, p, (size_t)(q - p))))
                    return ectl_error_set(err, rc, "%s: out of memory", c->name);
                if (q >= c->end)
                    return ectl_error_set(err, ECTL_EPARSE,
                                          "%s:%llu: column %zu: unterminated quoted field",
                                          c->name, (unsigned long long)c->row_line,
                                          c->n_fields);
                p = q + 1;
                if (p < c->end && *p == '"') {
                    if ((rc = ectl_buf_addch(&c->scratch, '"')))
                        return ectl_error_set(err, rc, "%s: out of memory", c->name);
                    p++;
                    continue;
                }
                break;
            }
            if (p < c->end && *p != ',' && *p != '\n' && *p != '\r')
                return ectl_error_set(err, ECTL_EPARSE,
                                      "%s:%llu: column %zu: text after a closing quote",
                                      c->name, (unsigned long long)c->line, c->n_fields);
        } else {
            const char *q = p;
            while (q < c->end && *q != ',' && *q != '\n' && *q != '\r') {
                if (*q == '"')
                    return ectl_error_set(err, ECTL_EPARSE,
                                          "%s:%llu: column %zu: quote inside an unquoted field",
                                          c->name, (unsigned long long)c->line, c->n_fields);
                if (*q == '\0')
                    return ectl_error_set(err, ECTL_EPARSE, "%s:%llu: column %zu: NUL byte",
                                          c->name, (unsigned long long)c->line, c->n_fields);
                q++;
            }
            if ((rc = ectl_buf_add(&c->scratch, p, (size_t)(q - p))))
                return ectl_error_set(err, rc, "%s: out of memory", c->name);
            p = q;
        }
        if ((rc = ectl_buf_addch(&c->scratch, '\0')))
            return ectl_error_set(err, rc, "%s: out of memory", c->name);
        if (p < c->end && *p == ',') {
            p++;
            continue;
        }
        /* end of record */
        if (p < c->end && *p == '\r')
            p++;
        if (p < c->end && *p == '\n')
            p++;
        c->line++;
        break;
    }
    c->p = p;
    for (size_t i = 0; i < c->n_fields; i++)
        c->fields[i] = c->scratch.ptr + c->offs[i];
    return 1;
}
