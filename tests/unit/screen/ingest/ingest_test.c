#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../../../../src/core/buf.h"

static const char *const kind_names[5] = {"primary", "aka", "fka", "weak", "original"};
static const char *const type_names[ECTL_TYPE_COUNT] = {"unknown", "person", "entity", "vessel",
                                                        "aircraft"};

void collect_init(struct collect *c)
{
    memset(c, 0, sizeof *c);
}

void collect_want(struct collect *c, const char *id)
{
    assert_true(c->n_want < MAX_WANT);
    c->want[c->n_want++] = id;
}

void collect_release(struct collect *c)
{
    for (size_t i = 0; i < c->n_want; i++)
        free(c->dump[i]);
    memset(c->dump, 0, sizeof c->dump);
}

static char *dump(const struct ectl_entity *e)
{
    struct ectl_buf b = ECTL_BUF_INIT;
    int rc = ectl_buf_addf(&b, "list=%s\nid=%s\ntype=%s\nline=%llu\n", e->list, e->id,
                           type_names[e->type], (unsigned long long)e->line);
    for (size_t i = 0; !rc && i < e->n_names; i++)
        rc = ectl_buf_addf(&b, "%s=%s\n", kind_names[e->names[i].kind], e->names[i].text);
    for (size_t i = 0; !rc && i < e->n_countries; i++)
        rc = ectl_buf_addf(&b, "country=%s\n", e->countries[i]);
    for (size_t i = 0; !rc && i < e->n_programs; i++)
        rc = ectl_buf_addf(&b, "program=%s\n", e->programs[i]);
    for (size_t i = 0; !rc && i < e->n_dates; i++)
        rc = ectl_buf_addf(&b, "dob=%s\n", e->dates_of_birth[i]);
    for (size_t i = 0; !rc && i < e->n_addresses; i++)
        rc = ectl_buf_addf(&b, "address=%s\n", e->addresses[i]);
    assert_int_equal(rc, 0);
    return ectl_buf_detach(&b, NULL);
}

int collect_fn(void *ctx, const struct ectl_entity *e)
{
    struct collect *c = ctx;
    c->calls++;
    /* The contract every consumer relies on. */
    assert_non_null(e->list);
    assert_non_null(e->id);
    assert_true(e->id[0] != '\0');
    assert_true(e->n_names >= 1);
    assert_int_equal(e->names[0].kind, ECTL_NAME_PRIMARY);
    assert_true((unsigned)e->type < ECTL_TYPE_COUNT);
    for (size_t i = 0; i < e->n_names; i++) {
        assert_non_null(e->names[i].text);
        assert_true(e->names[i].text[0] != '\0');
        assert_true(i == 0 || e->names[i].kind != ECTL_NAME_PRIMARY);
        size_t n = strlen(e->names[i].text);
        assert_int_equal(ectl_utf8_valid_prefix(e->names[i].text, n), n);
        c->by_kind[e->names[i].kind]++;
    }
    for (size_t i = 0; i < e->n_countries; i++) {
        assert_int_equal(strlen(e->countries[i]), 2);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(e->countries[i], e->countries[j]);
    }
    c->by_type[e->type]++;
    c->countries += e->n_countries;
    c->programs += e->n_programs;
    c->dobs += e->n_dates;
    c->addresses += e->n_addresses;
    size_t l = 0;
    while (l < c->n_lists && strcmp(c->lists[l], e->list) != 0)
        l++;
    if (l == c->n_lists) {
        assert_true(l < MAX_LISTS);
        snprintf(c->lists[l], sizeof c->lists[l], "%s", e->list);
        c->n_lists++;
    }
    c->list_count[l]++;
    for (size_t i = 0; i < c->n_want; i++)
        if (!c->dump[i] && strcmp(c->want[i], e->id) == 0)
            c->dump[i] = dump(e);
    if (c->stop_after > 0 && c->calls == (uint64_t)c->stop_after)
        return ECTL_ECANCELED;
    return 0;
}

const char *collect_dump(const struct collect *c, const char *id)
{
    for (size_t i = 0; i < c->n_want; i++)
        if (strcmp(c->want[i], id) == 0) {
            if (!c->dump[i])
                fail_msg("entity %s was not emitted", id);
            return c->dump[i];
        }
    fail_msg("entity %s was not asked for", id);
    return NULL;
}

uint64_t collect_list(const struct collect *c, const char *list)
{
    for (size_t i = 0; i < c->n_lists; i++)
        if (strcmp(c->lists[i], list) == 0)
            return c->list_count[i];
    return 0;
}

void ingest_path(const char *path, const char *format, struct collect *c,
                 struct ectl_source_report *r, struct ectl_error *err, int want_rc)
{
    int rc = ectl_ingest_file(path, format, collect_fn, c, r, err);
    if (rc != want_rc)
        fail_msg("%s: got %s (%s), want %s", path, ectl_err_name(rc), rc ? err->msg : "",
                 ectl_err_name(want_rc));
    if (rc)
        assert_int_equal(err->code, rc);
}

bool lists_present(void)
{
    struct stat st;
    return stat(LISTS "/README.md", &st) == 0;
}

static char dir[256];

const char *tmp_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/ectl-ingest-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
}

void assert_problem(const struct ectl_source_report *r, const char *a, const char *b)
{
    for (size_t i = 0; i < r->n_problems; i++)
        if (strstr(r->problems[i], a) && (!b || strstr(r->problems[i], b)))
            return;
    char all[ECTL_BUILD_MAX_PROBLEMS * 260] = "";
    for (size_t i = 0; i < r->n_problems; i++) {
        strcat(all, r->problems[i]);
        strcat(all, "\n");
    }
    fail_msg("no problem line with '%s'%s%s among:\n%s", a, b ? " and " : "", b ? b : "", all);
}
