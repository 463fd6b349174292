/*
 * Format detection and refusal: every real file is recognised; a wrong
 * forced format, garbage, an empty file and a file of another kind are
 * refused with ECTL_EFORMAT naming the file, before the consumer has seen
 * a single entity.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const struct {
    const char *file;
    const char *format;
    const char *list;
} real[] = {
    {"ofac_sdn_2021-07/sdn.csv", "ofac-csv", "us-ofac-sdn"},
    {"ofac_sdn_snapshots/sdn_2024-04-26.csv", "ofac-csv", "us-ofac-sdn"},
    {"ofac_sdn_snapshots/sdn_2024-05-01.csv", "ofac-csv", "us-ofac-sdn"},
    {"ofac_sdn_snapshots/sdn_2024-05-03.csv", "ofac-csv", "us-ofac-sdn"},
    {"ofac_cons_2025-12/cons_prim.csv", "ofac-cons-csv", "us-ofac-cons"},
    {"us_csl/consolidated_2022.csv", "csl-csv", "us-csl"},
    {"us_csl/csl_2023-11_partial.csv", "csl-csv", "us-csl"},
    {"un/un_consolidated_2026-02-27.xml", "un-xml", "un-sc"},
    {"bis_dpl/dpl_2023-11.txt", "dpl-txt", "us-bis-dpl"},
};
#define N_REAL (sizeof real / sizeof real[0])

static void detect_real(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    for (size_t i = 0; i < N_REAL; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", LISTS, real[i].file);
        struct collect c;
        struct ectl_source_report r;
        struct ectl_error err;
        collect_init(&c);
        c.stop_after = 1; /* detection is all this test is about */
        ingest_path(path, NULL, &c, &r, &err, ECTL_ECANCELED);
        assert_string_equal(r.format, real[i].format);
        assert_string_equal(r.list, real[i].list);
        assert_string_equal(r.path, path);
        assert_int_equal(c.calls, 1);
        assert_contains(err.msg, "import stopped by the consumer");
        /* The same format forced works too. */
        collect_init(&c);
        c.stop_after = 1;
        ingest_path(path, real[i].format, &c, &r, &err, ECTL_ECANCELED);
    }
}

/* Every real file forced into every other format is refused untouched. */
static void wrong_format(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    static const char *const formats[] = {"ofac-csv", "csl-csv", "un-xml", "dpl-txt", "simple-csv"};
    for (size_t i = 0; i < N_REAL; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", LISTS, real[i].file);
        for (size_t f = 0; f < sizeof formats / sizeof formats[0]; f++) {
            if (strncmp(formats[f], real[i].format, 4) == 0)
                continue;
            struct collect c;
            struct ectl_source_report r;
            struct ectl_error err;
            collect_init(&c);
            ingest_path(path, formats[f], &c, &r, &err, ECTL_EFORMAT);
            assert_int_equal(c.calls, 0);
            assert_int_equal(r.entities, 0);
            assert_contains(err.msg, path);
        }
    }
}

static void not_lists(void **state)
{
    (void)state;
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    static const struct {
        const char *data;
        size_t len;
        const char *why;
    } cases[] = {
        {"", 0, "empty file"},
        {"\n\r\n  ", 5, "empty file"},
        {"\xEF\xBB\xBF", 3, "empty file"},
        {"\x00\x01\x02\xff\xfe garbage", 14, "not a list format"},
        {"order_id,item,destination\n1,3C002,KR\n", 38, "not a list format"},
        {"1,2,3,4,5,6,7,8,9,10,11,12\n", 27, "not a list format"}, /* no name, no type */
        {"{\"entities\": []}", 16, "not a list format"},
        {"<html><body>Service unavailable</body></html>", 45, "root element must be"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        collect_init(&c);
        int rc = ectl_ingest_buffer(cases[i].data, cases[i].len, "junk.bin", NULL, collect_fn, &c,
                                    &r, &err);
        if (rc != ECTL_EFORMAT)
            fail_msg("case %zu: %s", i, ectl_err_name(rc));
        assert_int_equal(c.calls, 0);
        assert_contains(err.msg, "junk.bin");
        assert_contains(err.msg, cases[i].why);
    }
    /* A text file from the shared data that is no list format. */
    if (lists_present()) {
        collect_init(&c);
        ingest_path(LISTS "/jp_meti_ru/list_belarus_tokutei.pdf.txt", NULL, &c, &r, &err,
                    ECTL_EFORMAT);
        assert_int_equal(c.calls, 0);
    }
}

static void bad_arguments(void **state)
{
    (void)state;
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    assert_int_equal(ectl_ingest_buffer("x", 1, "x", "xml", collect_fn, &c, &r, &err), ECTL_EINVAL);
    assert_contains(err.msg, "unknown list format 'xml'");
    assert_int_equal(ectl_ingest_file("/nonexistent/sdn.csv", NULL, collect_fn, &c, &r, &err),
                     ECTL_ENOENT);
    assert_contains(err.msg, "/nonexistent/sdn.csv");
    assert_int_equal(ectl_ingest_file("/tmp", NULL, collect_fn, &c, &r, &err), ECTL_EIO);
    /* NULL report and error are allowed. */
    const char *t = "id,type,name,aliases,countries\nx,entity,A,,\n";
    assert_int_equal(ectl_ingest_buffer(t, strlen(t), NULL, NULL, collect_fn, &c, NULL, NULL), 0);
    assert_int_equal(c.calls, 1);
}

/* OFAC file names pick the list; a forced format overrides the name. */
static void ofac_names(void **state)
{
    (void)state;
    const char *rec = "1,\"A\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a";
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    static const struct {
        const char *name, *format, *list;
    } cases[] = {
        {"sdn.csv", NULL, "us-ofac-sdn"},
        {"dir/CONS_PRIM.CSV", NULL, "us-ofac-cons"},
        {"cons_prim_2025-12.csv", NULL, "us-ofac-cons"},
        {"anything.csv", NULL, "us-ofac-sdn"},
        {"cons_prim.csv", "ofac-csv", "us-ofac-sdn"},
        {"sdn.csv", "ofac-cons-csv", "us-ofac-cons"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        collect_init(&c);
        assert_int_equal(ectl_ingest_buffer(rec, strlen(rec), cases[i].name, cases[i].format,
                                            collect_fn, &c, &r, &err),
                         0);
        assert_string_equal(r.list, cases[i].list);
        assert_int_equal(collect_list(&c, cases[i].list), 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect_real), cmocka_unit_test(wrong_format),
        cmocka_unit_test(not_lists),   cmocka_unit_test(bad_arguments),
        cmocka_unit_test(ofac_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
