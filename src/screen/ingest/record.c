/*
 * Building one entity at a time (see ingest.h), the report, and the small
 * text helpers every reader uses.
 */
#include "ingest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Text helpers ------------------------------------------------------ */

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void ing_trim(const char **s, size_t *n)
{
    const unsigned char *p = (const unsigned char *)*s;
    size_t m = *n;
    for (;;) {
        if (m && is_space(p[0])) {
            p++, m--;
        } else if (m >= 2 && p[0] == 0xC2 && p[1] == 0xA0) { /* NBSP, common in pasted names */
            p += 2, m -= 2;
        } else {
            break;
        }
    }
    for (;;) {
        if (m && is_space(p[m - 1]))
            m--;
        else if (m >= 2 && p[m - 2] == 0xC2 && p[m - 1] == 0xA0)
            m -= 2;
        else
            break;
    }
    *s = (const char *)p;
    *n = m;
}

bool ing_ieq(const char *a, size_t n, const char *lit)
{
    size_t m = strlen(lit);
    if (m != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)lit[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

bool ing_is_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

uint64_t ing_hash(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

int ing_idset_add(struct ing_idset *s, uint64_t key)
{
    /* Open addressing with 0 as the empty slot, so key 0 is remapped. */
    if (key == 0)
        key = 1;
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        uint64_t *v = calloc(cap, sizeof *v);
        if (!v)
            return ECTL_ENOMEM;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->v[i])
                continue;
            size_t j = (size_t)(s->v[i] * 0x9E3779B97F4A7C15ULL) & (cap - 1);
            while (v[j])
                j = (j + 1) & (cap - 1);
            v[j] = s->v[i];
        }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ULL) & (s->cap - 1);
    while (s->v[j]) {
        if (s->v[j] == key)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->v[j] = key;
    s->n++;
    return 1;
}

void ing_idset_release(struct ing_idset *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---- Reports ------------------------------------------------------------ */

static void vproblem(struct ing *g, const char *fmt, va_list ap)
{
    struct ectl_source_report *r = g->rep;
    if (r->n_problems >= ECTL_BUILD_MAX_PROBLEMS)
        return;
    vsnprintf(r->problems[r->n_problems], sizeof r->problems[0], fmt, ap);
    r->n_problems++;
}

void ing_problem(struct ing *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vproblem(g, fmt, ap);
    va_end(ap);
}

void ing_malformed(struct ing *g, const char *fmt, ...)
{
    g->rep->malformed++;
    va_list ap;
    va_start(ap, fmt);
    vproblem(g, fmt, ap);
    va_end(ap);
}

/* ---- The entity being built --------------------------------------------- */

void ing_drop(struct ing *g)
{
    ectl_arena_release(&g->arena);
    g->list = NULL;
    g->id = NULL;
    g->type = ECTL_TYPE_UNKNOWN;
    g->line = 0;
    g->names = NULL;
    g->n_names = g->cap_names = 0;
    memset(&g->countries, 0, sizeof g->countries);
    memset(&g->programs, 0, sizeof g->programs);
    memset(&g->dobs, 0, sizeof g->dobs);
    memset(&g->addresses, 0, sizeof g->addresses);
    g->primary_set = false;
}

void ing_begin(struct ing *g, const char *list, enum ectl_entity_type type, uint64_t line)
{
    ing_drop(g);
    g->list = list;
    g->type = type;
    g->line = line;
    g->n_names = 1; /* names[0] waits for the primary name */
}

/* Copy trimmed text into the arena, converting from Latin-1 when it is
 * not UTF-8: old list files were Latin-1, and a name with one stray byte
 * is still a name that must be screened. */
static const char *dup_text(struct ing *g, const char *s, size_t n, size_t *out_len)
{
    ing_trim(&s, &n);
    if (n == 0)
        return "";
    char *p;
    if (ectl_utf8_valid_prefix(s, n) == n) {
        p = ectl_arena_strndup(&g->arena, s, n);
        if (out_len)
            *out_len = n;
        return p;
    }
    if (!g->latin1_noted) {
        g->latin1_noted = true;
        ing_problem(g, "%s:%llu: text that is not UTF-8 read as Latin-1", g->name,
                    (unsigned long long)g->line);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += (unsigned char)s[i] >= 0x80 ? 2 : 1;
    p = ectl_arena_alloc(&g->arena, m + 1);
    if (!p)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            p[j++] = (char)c;
        } else {
            p[j++] = (char)(0xC0 | (c >> 6));
            p[j++] = (char)(0x80 | (c & 0x3F));
        }
    }
    p[j] = '\0';
    if (out_len)
        *out_len = j;
    return p;
}

static int grow(struct ing *g, void **v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? *cap * 2 : 8;
    void *nv = ectl_arena_alloc(&g->arena, ncap * size);
    if (!nv)
        return ECTL_ENOMEM;
    if (*v && n)
        memcpy(nv, *v, n * size);
    *v = nv;
    *cap = ncap;
    return 0;
}

static int oom(struct ing *g)
{
    return ectl_error_set(g->err, ECTL_ENOMEM, "%s: out of memory", g->name);
}

int ing_set_id(struct ing *g, const char *s, size_t n)
{
    const char *t = dup_text(g, s, n, NULL);
    if (!t)
        return oom(g);
    g->id = *t ? t : NULL;
    return 0;
}

int ing_set_primary(struct ing *g, const char *s, size_t n)
{
    const char *t = dup_text(g, s, n, NULL);
    if (!t)
        return oom(g);
    if (!*t)
        return 0;
    if (!g->names && grow(g, (void **)&g->names, &g->cap_names, 0, sizeof *g->names))
        return oom(g);
    g->names[0].text = t;
    g->names[0].kind = ECTL_NAME_PRIMARY;
    g->primary_set = true;
    return 0;
}

static int add_name(struct ing *g, const char *s, size_t n, enum ectl_name_kind kind, bool unique)
{
    size_t len;
    const char *t = dup_text(g, s, n, &len);
    if (!t)
        return oom(g);
    if (!*t)
        return 0;
    if (unique) {
        for (size_t i = g->primary_set ? 0 : 1; i < g->n_names; i++)
            if (strcmp(g->names[i].text, t) == 0)
                return 0;
    }
    if (grow(g, (void **)&g->names, &g->cap_names, g->n_names, sizeof *g->names))
        return oom(g);
    g->names[g->n_names].text = t;
    g->names[g->n_names].kind = kind;
    g->n_names++;
    return 0;
}

int ing_add_name(struct ing *g, const char *s, size_t n, enum ectl_name_kind kind)
{
    return add_name(g, s, n, kind, false);
}

int ing_add_name_unique(struct ing *g, const char *s, size_t n, enum ectl_name_kind kind)
{
    return add_name(g, s, n, kind, true);
}

int ing_add_str(struct ing *g, struct ing_strs *to, const char *s, size_t n)
{
    const char *t = dup_text(g, s, n, NULL);
    if (!t)
        return oom(g);
    if (!*t)
        return 0;
    if (grow(g, (void **)&to->v, &to->cap, to->n, sizeof *to->v))
        return oom(g);
    to->v[to->n++] = t;
    return 0;
}

int ing_add_country(struct ing *g, const char *s, size_t n, bool declared)
{
    ing_trim(&s, &n);
    if (!n)
        return 0;
    const char *cc = ectl_country_code(s, n);
    if (!cc) {
        if (declared && g->hooks && g->hooks->unmapped_country) {
            const char *t = dup_text(g, s, n, NULL);
            if (!t)
                return oom(g);
            g->hooks->unmapped_country(g->hooks->ctx, g->name, g->line, t);
        }
        return 0;
    }
    for (size_t i = 0; i < g->countries.n; i++)
        if (strcmp(g->countries.v[i], cc) == 0)
            return 0;
    if (grow(g, (void **)&g->countries.v, &g->countries.cap, g->countries.n,
             sizeof *g->countries.v))
        return oom(g);
    g->countries.v[g->countries.n++] = cc;
    return 0;
}

int ing_add_split(struct ing *g, const char *s, char sep,
                  int (*add)(struct ing *g, const char *p, size_t n, void *arg), void *arg)
{
    while (*s) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        const char *p = s;
        size_t m = n;
        ing_trim(&p, &m);
        if (m) {
            int rc = add(g, p, m, arg);
            if (rc)
                return rc;
        }
        s += n;
        if (*s == sep)
            s++;
    }
    return 0;
}

int ing_emit(struct ing *g)
{
    if (!g->id || !g->primary_set) {
        ing_malformed(g, "%s:%llu: record without %s, skipped", g->name,
                      (unsigned long long)g->line, g->id ? "a name" : "an id");
        ing_drop(g);
        return 0;
    }
    struct ectl_entity e = {
        .list = g->list,
        .id = g->id,
        .type = g->type,
        .n_names = g->n_names,
        .names = g->names,
        .n_countries = g->countries.n,
        .countries = g->countries.v,
        .n_programs = g->programs.n,
        .programs = g->programs.v,
        .n_dates = g->dobs.n,
        .dates_of_birth = g->dobs.v,
        .n_addresses = g->addresses.n,
        .addresses = g->addresses.v,
        .line = g->line,
    };
    int rc = g->fn(g->fn_ctx, &e);
    g->rep->entities++;
    g->rep->names += g->n_names;
    uint64_t line = g->line;
    ing_drop(g);
    if (rc < 0)
        return ectl_error_set(g->err, rc, "%s:%llu: import stopped by the consumer (%s)", g->name,
                              (unsigned long long)line, ectl_strerror(rc));
    return 0;
}

/* ---- CSV records ----------------------------------------------------------- */

static bool blank_record(const struct ectl_csv *c)
{
    if (c->n_fields != 1)
        return false;
    const char *s = c->fields[0];
    size_t n = strlen(s);
    ing_trim(&s, &n);
    /* OFAC files end with a Ctrl-Z (0x1A) after the last CRLF, a relic of
     * DOS text files: it is an end-of-file mark, not a record. */
    while (n && s[n - 1] == 0x1A)
        n--;
    return n == 0;
}

int ing_csv_next(struct ing *g, struct ectl_csv *c, size_t *start)
{
    for (;;) {
        struct ectl_error e = {0};
        size_t off = (size_t)ectl_csv_offset(c);
        int rc = ectl_csv_next(c, &e);
        if (rc == 0)
            return 0;
        if (rc == 1) {
            if (blank_record(c))
                continue;
            if (start)
                *start = off;
            return 1;
        }
        if (rc != ECTL_EPARSE)
            return ectl_error_set(g->err, rc, "%s", e.msg);
        /* The reader leaves c->p at the start of the bad record.  Resume at
         * the next physical line: a stray quote then costs one record, not
         * the rest of the file. */
        const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
        if (!nl && strstr(e.msg, "unterminated"))
            ing_malformed(g, "%s (the file ends inside this record: truncated?)", e.msg);
        else
            ing_malformed(g, "%s", e.msg);
        c->p = nl ? nl + 1 : c->end;
        c->line = c->row_line + 1;
        return ING_SKIP;
    }
}
