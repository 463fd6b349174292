/* End to end through the importers and the normaliser: ectl_lists_build,
 * ectl_index_open, ectl_screen, from one thread and from several; and the
 * UN list from the shared data when it is there. */
#include "index_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ECTL_SHARED_DATA
#error "ECTL_SHARED_DATA must name the shared data directory"
#endif

static const char company_list[] =
    "id,type,name,aliases,countries\n"
    "c-001,entity,Example Trading LLC,EXT LLC;Example Trading,AE;IR\n"
    "c-002,person,KIM Jong Un,Kim Jong-un;Gim Jeong-eun,KP\n"
    "c-003,entity,Al-Qaida,Al Qaeda;The Base,\n"
    "c-004,vessel,SEA STAR,,IR\n"
    "c-005,entity,Huawei Technologies Co. Ltd.,Huawei,CN\n"
    "c-006,person,Tharwat Salah Shihata,Thirwat Salah Shihata,EG\n"
    "c-007,entity,JSC Argument,,RU\n"
    "c-008,entity,11420 Corp.,,US\n";

struct fixture {
    char dir[64];
    char csv[128];
    char idx[128];
    struct ectl_index *ix;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ectl-screen-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->csv, sizeof f->csv, "%s/blocked.csv", f->dir);
    snprintf(f->idx, sizeof f->idx, "%s/lists.idx", f->dir);
    FILE *fp = fopen(f->csv, "w");
    assert_non_null(fp);
    fputs(company_list, fp);
    fclose(fp);
    const char *src[] = {f->csv};
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    if (ectl_lists_build(src, 1, NULL, f->idx, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    assert_int_equal(rep->n_sources, 1);
    assert_string_equal(rep->sources[0].list, "blocked");
    assert_string_equal(rep->sources[0].format, "simple-csv");
    assert_int_equal(rep->sources[0].entities, 8);
    assert_int_equal(rep->entities, 8);
    assert_true(rep->bytes > 0);
    free(rep);
    assert_int_equal(ectl_index_open(f->idx, &f->ix, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ectl_index_close(f->ix);
    unlink(f->csv);
    unlink(f->idx);
    rmdir(f->dir);
    free(f);
    return 0;
}

static size_t screen(struct fixture *f, const char *name, const struct ectl_screen_opts *o,
                     struct ectl_match *m)
{
    size_t n;
    struct ectl_error err = {0};
    if (ectl_screen(f->ix, name, o, m, 10, &n, &err) != 0)
        fail_msg("screen '%s': %s", name, err.msg);
    return n;
}

static void finds_variants(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    static const struct {
        const char *query, *id;
    } cases[] = {
        {"Kim Jong Un", "c-002"},          {"KIM, Jong-Un", "c-002"},
        {"Un Kim Jong", "c-002"},          {"Gim Jong Un", "c-002"},
        {"Al Qaeda", "c-003"},             {"alqaida", "c-003"},
        {"Huawei", "c-005"},               {"HUAWEI TECHNOLOGIES", "c-005"},
        {"Tharwat Salah Shihatta", "c-006"}, {"SHIHATA, Tharwat Salah", "c-006"},
        {"JSC Argument", "c-007"},         {"Example Trading L.L.C.", "c-001"},
        /* one rare word and generic ones: like "Huawei" above */
        {"Example", "c-001"},
        {"11420 CORP", "c-008"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = screen(f, cases[i].query, NULL, m);
        if (n == 0 || strcmp(m[0].id, cases[i].id))
            fail_msg("'%s': expected %s first, got %s", cases[i].query, cases[i].id,
                     n ? m[0].id : "nothing");
        assert_string_equal(m[0].list, "blocked");
        assert_true(m[0].score >= ECTL_SCREEN_DEFAULT_THRESHOLD && m[0].score <= 1.0);
        assert_true(m[0].explain[0] != '\0');
    }
}

static void refuses_generic(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    static const char *const none[] = {"LLC",         "Corp",       "Trading Company Ltd",
                                       "Mr Smith",    "Sea",        "Salah",
                                       "John Daniels", "",          "!!!",
                                       "Kim"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        size_t n = screen(f, none[i], NULL, m);
        if (n)
            fail_msg("'%s' matched %s (%s) at %.3f", none[i], m[0].id, m[0].matched_name,
                     m[0].score);
    }
}

static void filters_and_errors(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    struct ectl_screen_opts o = {.type = ECTL_TYPE_VESSEL};
    assert_int_equal(screen(f, "Sea Star", &o, m), 1);
    o.type = ECTL_TYPE_ENTITY;
    assert_int_equal(screen(f, "Sea Star", &o, m), 0);
    struct ectl_screen_opts c = {.country = "ir"};
    assert_int_equal(screen(f, "Example Trading", &c, m), 1);
    c.country = "KP";
    assert_int_equal(screen(f, "Example Trading", &c, m), 0);
    /* Invalid UTF-8 is the caller's error, with a message. */
    size_t n;
    struct ectl_error err = {0};
    assert_int_not_equal(ectl_screen(f->ix, "Kim \xff\xfe", NULL, m, 10, &n, &err), 0);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(ectl_screen(f->ix, NULL, NULL, m, 10, &n, &err), ECTL_EINVAL);
    /* Type names. */
    enum ectl_entity_type t;
    assert_int_equal(ectl_entity_type_parse("vessel", &t), 0);
    assert_int_equal(t, ECTL_TYPE_VESSEL);
    assert_int_equal(ectl_entity_type_parse("unknown", &t), ECTL_EINVAL);
    assert_int_equal(ectl_entity_type_parse("Vessel", &t), ECTL_EINVAL);
    assert_string_equal(ectl_entity_type_name(ECTL_TYPE_AIRCRAFT), "aircraft");
    assert_string_equal(ectl_entity_type_name((enum ectl_entity_type)42), "unknown");
}

static void build_errors(void **state)
{
    struct fixture *f = *state;
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    char out[160];
    snprintf(out, sizeof out, "%s/other.idx", f->dir);
    const char *missing[] = {"/nonexistent/list.csv"};
    assert_int_not_equal(ectl_lists_build(missing, 1, NULL, out, rep, NULL, NULL, &err), 0);
    assert_int_equal(access(out, F_OK), -1); /* nothing written */
    const char *src[] = {f->csv};
    assert_int_equal(ectl_lists_build(src, 0, NULL, out, rep, NULL, NULL, &err), ECTL_EINVAL);
    assert_int_equal(ectl_lists_build(src, 1, NULL, NULL, rep, NULL, NULL, &err), ECTL_EINVAL);
    /* A failed build leaves the old index in place. */
    assert_int_not_equal(ectl_lists_build(missing, 1, NULL, f->idx, rep, NULL, NULL, &err), 0);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(f->idx, &ix, &err), 0);
    ectl_index_close(ix);
    free(rep);
}

struct worker {
    struct fixture *f;
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct ectl_match m[10];
    static const char *const q[] = {"Kim Jong Un", "Al Qaeda", "Huawei", "John Daniels"};
    static const char *const want[] = {"c-002", "c-003", "c-005", NULL};
    for (int i = 0; i < 2000; i++) {
        size_t n;
        struct ectl_error err = {0};
        int k = i % 4;
        if (ectl_screen(w->f->ix, q[k], NULL, m, 10, &n, &err) != 0 ||
            (want[k] ? (n == 0 || strcmp(m[0].id, want[k])) : n != 0))
            w->failures++;
    }
    return NULL;
}

static void threads_share_an_index(void **state)
{
    struct fixture *f = *state;
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){f, 0};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
}

static void un_list(void **state)
{
    (void)state;
    const char *un = ECTL_SHARED_DATA "/lists/un/un_consolidated_2026-02-27.xml";
    if (access(un, R_OK) != 0) {
        skip();
        return;
    }
    char out[] = "/tmp/ectl-un-test-XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    const char *src[] = {un};
    if (ectl_lists_build(src, 1, NULL, out, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    assert_int_equal(rep->sources[0].entities, 1003);
    free(rep);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(out, &ix, &err), 0);
    struct ectl_list_info li;
    ectl_index_list_info(ix, 0, &li);
    assert_string_equal(li.list, "un-sc");
    assert_string_equal(li.list_date, "2026-02-27");
    struct ectl_match m[10];
    size_t n;
    /* yente fixtures: a name as listed, reordered with a comma, and typos. */
    static const char *const q[] = {"ABDULHAI SALEK", "SALEK, ABDULHAI", "THARWAT SALAH SHIHATA",
                                    "AREFULLAHA REF GHAZI MOHAMMAD", "KIM SKO CHOL", "AFIZ"};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        assert_int_equal(ectl_screen(ix, q[i], NULL, m, 10, &n, &err), 0);
        if (n == 0)
            fail_msg("'%s' found nothing", q[i]);
    }
    ectl_index_close(ix);
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_variants),
        cmocka_unit_test(refuses_generic),
        cmocka_unit_test(filters_and_errors),
        cmocka_unit_test(build_errors),
        cmocka_unit_test(threads_share_an_index),
        cmocka_unit_test(un_list),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
