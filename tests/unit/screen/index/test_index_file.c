/* The index file: writing, opening, list information, and refusing every
 * kind of damage without crashing. */
#include "index_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct test_entity ents[] = {
    {"blocked", "c-1", ECTL_TYPE_ENTITY, "IR;AE", {"acme ~trading !llc", "acme ~trading"}},
    {"blocked", "c-2", ECTL_TYPE_PERSON, "KP", {"kim jong un", "kim jongun"}},
    {"other", "o-1", ECTL_TYPE_VESSEL, "", {"sea star"}},
    {"other", "o-2", ECTL_TYPE_AIRCRAFT, "RU", {"tu 154"}},
};
#define N_ENTS (sizeof ents / sizeof *ents)

static int teardown(void **state)
{
    (void)state;
    test_forms_reset();
    return 0;
}

static void open_and_describe(void **state)
{
    (void)state;
    void *mem;
    size_t len;
    struct ectl_index *ix = test_index(ents, N_ENTS, &mem, &len);
    assert_int_equal(ectl_index_list_count(ix), 2);
    struct ectl_list_info li;
    ectl_index_list_info(ix, 0, &li);
    assert_string_equal(li.list, "blocked");
    assert_string_equal(li.format, "simple-csv");
    assert_string_equal(li.list_date, "2026-01-02");
    assert_int_equal(li.entities, 2);
    assert_int_equal(li.names, 4);
    assert_int_equal(li.by_type[ECTL_TYPE_PERSON], 1);
    assert_int_equal(li.by_type[ECTL_TYPE_ENTITY], 1);
    ectl_index_list_info(ix, 1, &li);
    assert_string_equal(li.list, "other");
    assert_int_equal(li.by_type[ECTL_TYPE_VESSEL], 1);
    assert_int_equal(li.by_type[ECTL_TYPE_AIRCRAFT], 1);
    /* Out of range: empty, not a crash. */
    ectl_index_list_info(ix, 9, &li);
    assert_string_equal(li.list, "");
    assert_string_equal(ectl_index_built_at(ix), "2026-01-01T00:00:00Z");
    /* Terms are shared: "acme" and "trading" once each. */
    assert_int_not_equal(ectl_ix_term_find(ix, "acme", 4), ECTL_IX_NONE);
    assert_int_equal(ectl_ix_term_find(ix, "nosuch", 6), ECTL_IX_NONE);
    uint32_t t = ectl_ix_term_find(ix, "kim", 3);
    assert_int_equal(ix->terms[t].df, 1);
    assert_int_equal(ix->terms[t].post_len, 2);
    /* A legal form weighs far less than a name. */
    uint32_t llc = ectl_ix_term_find(ix, "llc", 3);
    assert_true(ix->terms[llc].weight < 0.1f * ix->terms[t].weight);
    ectl_index_close(ix);
    free(mem);
}

static void write_and_open_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/ectl-index-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/lists.idx", dir);
    struct ectl_ixb *b;
    assert_int_equal(ectl_ixb_new(&b), 0);
    struct ectl_entity_name nm = {"Kim Jong Un", ECTL_NAME_PRIMARY};
    struct ectl_entity e = {.list = "l", .id = "1", .type = ECTL_TYPE_PERSON, .n_names = 1,
                            .names = &nm};
    assert_int_equal(ectl_ixb_entity_begin(b, &e), 0);
    struct ectl_name_form f;
    test_form(&f, "kim jong un");
    assert_int_equal(ectl_ixb_name(b, nm.text, nm.kind, &f, 1), 0);
    ectl_ixb_entity_end(b);
    struct ectl_error err = {0};
    uint64_t bytes = 0;
    assert_int_equal(ectl_ixb_write(b, path, 0, &bytes, &err), 0);
    ectl_ixb_free(b);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal((uint64_t)st.st_size, bytes);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(path, &ix, &err), 0);
    assert_string_equal(ectl_index_built_at(ix), "1970-01-01T00:00:00Z");
    ectl_index_close(ix);
    /* Truncated on disk. */
    assert_int_equal(truncate(path, (off_t)bytes - 1), 0);
    assert_int_equal(ectl_index_open(path, &ix, &err), ECTL_ECORRUPT);
    assert_non_null(strstr(err.msg, "truncated"));
    assert_int_equal(truncate(path, 10), 0);
    assert_int_equal(ectl_index_open(path, &ix, &err), ECTL_ECORRUPT);
    /* Not there; a directory. */
    assert_int_equal(ectl_index_open("/nonexistent/x.idx", &ix, &err), ECTL_ENOENT);
    assert_int_equal(ectl_index_open(dir, &ix, &err), ECTL_EIO);
    unlink(path);
    rmdir(dir);
}

static void refuse_damage(void **state)
{
    (void)state;
    void *mem;
    size_t len;
    struct ectl_index *ix = test_index(ents, N_ENTS, &mem, &len);
    ectl_index_close(ix);
    unsigned char *copy = aligned_alloc(8, (len + 7) & ~(size_t)7);
    assert_non_null(copy);
    struct ectl_error err = {0};
    /* Every truncation of the header and section table, and some beyond. */
    for (size_t n = 0; n < 600 && n < len; n++) {
        memcpy(copy, mem, n);
        assert_int_equal(ectl_index_open_mem(copy, n, "t", &ix, &err), ECTL_ECORRUPT);
    }
    /* A flipped bit anywhere fails the checksum. */
    for (size_t i = 0; i < len; i += 97) {
        memcpy(copy, mem, len);
        copy[i] ^= 0x10;
        assert_int_equal(ectl_index_open_mem(copy, len, "t", &ix, &err), ECTL_ECORRUPT);
    }
    /* Bad magic, other byte order, other version: each with its message. */
    memcpy(copy, mem, len);
    copy[0] = 'X';
    assert_int_equal(ectl_index_open_mem(copy, len, "t", &ix, &err), ECTL_ECORRUPT);
    assert_non_null(strstr(err.msg, "magic"));
    memcpy(copy, mem, len);
    struct ectl_ix_header *h = (void *)copy;
    h->endian = 0x04030201u;
    assert_int_equal(ectl_index_open_mem(copy, len, "t", &ix, &err), ECTL_ECORRUPT);
    assert_non_null(strstr(err.msg, "byte order"));
    memcpy(copy, mem, len);
    h->version = 99;
    assert_int_equal(ectl_index_open_mem(copy, len, "t", &ix, &err), ECTL_ECORRUPT);
    assert_non_null(strstr(err.msg, "version 99"));
    /* Misaligned memory is refused, not read. */
    assert_int_equal(ectl_index_open_mem(copy + 1, len - 1, "t", &ix, &err), ECTL_EINVAL);
    free(copy);
    free(mem);
}

/* Damage that keeps a valid checksum: the structural checks must catch
 * every bad reference.  Each case edits one field and re-seals the file. */
static void reseal(unsigned char *f, size_t len)
{
    struct ectl_ix_header *h = (void *)f;
    h->checksum = ectl_ix_checksum(f, len);
}

static unsigned char *section(unsigned char *f, uint32_t id, uint64_t *length)
{
    struct ectl_ix_header *h = (void *)f;
    struct ectl_ix_section *t = (void *)(f + h->section_table);
    for (uint32_t i = 0; i < h->n_sections; i++)
        if (t[i].id == id) {
            *length = t[i].length;
            return f + t[i].offset;
        }
    fail();
    return NULL;
}

static void refuse_bad_references(void **state)
{
    (void)state;
    void *mem;
    size_t len;
    struct ectl_index *ix = test_index(ents, N_ENTS, &mem, &len);
    ectl_index_close(ix);
    unsigned char *f = aligned_alloc(8, (len + 7) & ~(size_t)7);
    struct ectl_error err = {0};
    uint64_t sl = 0;
    struct {
        uint32_t section;
        size_t offset; /* byte offset of a uint32_t in the section */
        uint32_t value;
        const char *what;
    } cases[] = {
        {ECTL_IX_ENTITIES, offsetof(struct ectl_ix_entity, list), 7, "entity"},
        {ECTL_IX_ENTITIES, offsetof(struct ectl_ix_entity, name), 0x7fffffff, "entity"},
        {ECTL_IX_NAMES, offsetof(struct ectl_ix_name, entity), 1000, "name"},
        {ECTL_IX_NAMES, offsetof(struct ectl_ix_name, first), 0xfffffff0u, "name"},
        {ECTL_IX_NAME_TERMS, 0, 5000, "name token"},
        {ECTL_IX_TERMS, offsetof(struct ectl_ix_term, post_off), 0xffffff00u, "term"},
        {ECTL_IX_TERMS, offsetof(struct ectl_ix_term, text), 0xfffffff0u, "term"},
        {ECTL_IX_TERMS, offsetof(struct ectl_ix_term, pkey), 12345, "term"},
        {ECTL_IX_POSTINGS, 0, 99999, "posting"},
        {ECTL_IX_TERM_HASH, 0, 0xffffffffu, "term hash"},
        {ECTL_IX_GRAM_OFFS, 4 * 100, 0xffffffffu, "trigram"},
        {ECTL_IX_PKEY_TERMS, 0, 77777, "phonetic"},
        {ECTL_IX_LISTS, offsetof(struct ectl_ix_list, date), 0xffffff00u, "list"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        memcpy(f, mem, len);
        unsigned char *s = section(f, cases[k].section, &sl);
        if (sl < cases[k].offset + 4)
            continue;
        memcpy(s + cases[k].offset, &cases[k].value, 4);
        reseal(f, len);
        err.msg[0] = '\0';
        assert_int_equal(ectl_index_open_mem(f, len, "t", &ix, &err), ECTL_ECORRUPT);
        if (!strstr(err.msg, cases[k].what))
            fail_msg("case %zu: '%s' lacks '%s'", k, err.msg, cases[k].what);
    }
    /* A section pointing outside the file. */
    memcpy(f, mem, len);
    struct ectl_ix_header *h = (void *)f;
    struct ectl_ix_section *t = (void *)(f + h->section_table);
    t[3].length = len;
    reseal(f, len);
    assert_int_equal(ectl_index_open_mem(f, len, "t", &ix, &err), ECTL_ECORRUPT);
    /* A section missing (its id made unknown). */
    memcpy(f, mem, len);
    t[2].id = 200;
    reseal(f, len);
    assert_int_equal(ectl_index_open_mem(f, len, "t", &ix, &err), ECTL_ECORRUPT);
    assert_non_null(strstr(err.msg, "missing"));
    /* A string pool without its final NUL. */
    memcpy(f, mem, len);
    unsigned char *pool = section(f, ECTL_IX_STRINGS, &sl);
    pool[sl - 1] = 'x';
    reseal(f, len);
    assert_int_equal(ectl_index_open_mem(f, len, "t", &ix, &err), ECTL_ECORRUPT);
    free(f);
    free(mem);
}

/* Random damage with a valid checksum: the file is refused or opens and
 * answers queries; AddressSanitizer watches the queries. */
static void random_damage_is_safe(void **state)
{
    (void)state;
    void *mem;
    size_t len;
    struct ectl_index *ix = test_index(ents, N_ENTS, &mem, &len);
    ectl_index_close(ix);
    unsigned char *f = aligned_alloc(8, (len + 7) & ~(size_t)7);
    struct ectl_scratch *s = ectl_scratch_new();
    struct ectl_norm_result *q = malloc(sizeof *q);
    test_query(q, "kim jong un acme");
    srand(7);
    size_t opened = 0;
    for (int round = 0; round < 3000; round++) {
        memcpy(f, mem, len);
        int edits = 1 + rand() % 4;
        for (int e = 0; e < edits; e++) {
            /* Most of the file is the trigram offsets; aim at the rest too. */
            size_t at = rand() % 2 ? (size_t)rand() % len : (size_t)rand() % 2048;
            f[at] = (unsigned char)rand();
        }
        reseal(f, len);
        struct ectl_error err = {0};
        if (ectl_index_open_mem(f, len, "t", &ix, &err) != 0) {
            assert_int_equal(err.code, ECTL_ECORRUPT);
            continue;
        }
        opened++;
        struct ectl_match m[10];
        size_t n;
        struct ectl_screen_opts o = {.threshold = 0.3};
        assert_int_equal(ectl_search(s, ix, q, &o, NULL, NULL, m, 10, &n, NULL, &err), 0);
        for (size_t i = 0; i < n; i++)
            assert_true(strlen(m[i].list) + strlen(m[i].name) + strlen(m[i].matched_name) +
                            strlen(m[i].programs) + strlen(m[i].explain) <
                        (size_t)-1);
        ectl_index_close(ix);
    }
    assert_true(opened > 0);
    free(q);
    ectl_scratch_free(s);
    free(f);
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(open_and_describe, teardown),
        cmocka_unit_test_teardown(write_and_open_file, teardown),
        cmocka_unit_test_teardown(refuse_damage, teardown),
        cmocka_unit_test_teardown(refuse_bad_references, teardown),
        cmocka_unit_test_teardown(random_damage_is_safe, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
