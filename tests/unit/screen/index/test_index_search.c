/* Searching a hand-made index: candidates, ranking, filters, limits. */
#include "index_test.h"

#include <stdlib.h>
#include <string.h>

/* Enough ordinary names that rarity weights mean something. */
static const struct test_entity ents[] = {
    {"un-sc", "6908555", ECTL_TYPE_PERSON, "AF", {"abdulhai salek"}},
    {"un-sc", "6908556", ECTL_TYPE_PERSON, "EG", {"tharwat salah shihata", "thirwat salah shihata"}},
    {"un-sc", "6908557", ECTL_TYPE_PERSON, "AF", {"mohammad ali khan"}},
    {"un-sc", "6908558", ECTL_TYPE_PERSON, "PK", {"mohammad hassan"}},
    {"un-sc", "6908559", ECTL_TYPE_PERSON, "", {"mohammad"}},
    {"un-sc", "6908560", ECTL_TYPE_ENTITY, "", {"al qaida", "the base"}},
    {"us-ofac-sdn", "306", ECTL_TYPE_ENTITY, "CU", {"banco nacional de cuba", "bnc"}},
    {"us-ofac-sdn", "307", ECTL_TYPE_ENTITY, "RU", {"jsc argument"}},
    {"us-ofac-sdn", "308", ECTL_TYPE_ENTITY, "US", {"11420 !llc"}},
    {"us-ofac-sdn", "309", ECTL_TYPE_ENTITY, "AE", {"emma !llc"}},
    {"us-ofac-sdn", "310", ECTL_TYPE_VESSEL, "IR", {"sea star"}},
    {"us-ofac-sdn", "311", ECTL_TYPE_PERSON, "KP", {"kim jong un"}},
    {"us-ofac-sdn", "312", ECTL_TYPE_PERSON, "KP", {"kim yo jong"}},
    {"us-csl-el", "e-1", ECTL_TYPE_ENTITY, "CN", {"huawei ~technologies !llc", "huawei"}},
    {"us-csl-el", "e-2", ECTL_TYPE_ENTITY, "CN", {"hikvision ~digital ~technology !llc"}},
    {"us-csl-el", "e-3", ECTL_TYPE_ENTITY, "CN", {"guangzhou haige communications ~group"}},
    {"us-csl-el", "e-4", ECTL_TYPE_ENTITY, "RU", {"rostec ~trading !llc"}},
    {"us-csl-el", "e-5", ECTL_TYPE_ENTITY, "AE", {"gulf star ~trading !llc"}},
    {"us-csl-el", "e-6", ECTL_TYPE_PERSON, "IR", {"ali reza hosseini"}},
    {"us-csl-el", "e-7", ECTL_TYPE_PERSON, "IR", {"reza ahmadi"}},
};
#define N_ENTS (sizeof ents / sizeof *ents)

struct fixture {
    void *mem;
    size_t len;
    struct ectl_index *ix;
    struct ectl_scratch *s;
    struct ectl_norm_result q;
    struct ectl_match m[ECTL_SCREEN_MAX_LIMIT];
    size_t n;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->ix = test_index(ents, N_ENTS, &f->mem, &f->len);
    f->s = ectl_scratch_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ectl_scratch_free(f->s);
    ectl_index_close(f->ix);
    free(f->mem);
    free(f);
    test_forms_reset();
    return 0;
}

static size_t run(struct fixture *f, const char *q, const struct ectl_screen_opts *o)
{
    static const struct ectl_screen_opts none = {0};
    struct ectl_error err = {0};
    test_query(&f->q, q);
    assert_int_equal(ectl_search(f->s, f->ix, &f->q, o ? o : &none, NULL, NULL, f->m,
                                 ECTL_SCREEN_MAX_LIMIT, &f->n, NULL, &err),
                     0);
    return f->n;
}

static void exact_and_reordered(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(run(f, "kim jong un", NULL), 1);
    assert_string_equal(f->m[0].id, "311");
    assert_string_equal(f->m[0].list, "us-ofac-sdn");
    assert_int_equal(f->m[0].type, ECTL_TYPE_PERSON);
    assert_float_equal(f->m[0].score, 1.0, 1e-6);
    assert_string_equal(f->m[0].explain, "kim=kim 1.00, jong=jong 1.00, un=un 1.00");
    assert_string_equal(f->m[0].countries, "KP");
    assert_int_equal(run(f, "salek abdulhai", NULL), 1);
    assert_string_equal(f->m[0].id, "6908555");
}

static void typos_found(void **state)
{
    struct fixture *f = *state;
    /* One typo in every token: only trigrams and phonetics can find it. */
    assert_true(run(f, "tharwet salah shihatta", NULL) >= 1);
    assert_string_equal(f->m[0].id, "6908556");
    assert_true(run(f, "hikvisoin ~digital ~technology", NULL) >= 1);
    assert_string_equal(f->m[0].id, "e-2");
}

static void spacing_variants(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(run(f, "jscargument", NULL), 1);
    assert_string_equal(f->m[0].id, "307");
    assert_int_equal(run(f, "alqaida", NULL), 1);
    assert_string_equal(f->m[0].id, "6908560");
    assert_non_null(strstr(f->m[0].explain, "alqaida=al+qaida"));
}

static void aliases_and_best_name(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(run(f, "thirwat salah shihata", NULL), 1);
    assert_string_equal(f->m[0].name, "tharwat salah shihata");
    assert_string_equal(f->m[0].matched_name, "thirwat salah shihata");
    assert_int_equal(run(f, "huawei", NULL), 1);
    assert_string_equal(f->m[0].id, "e-1");
}

static void generic_queries_find_nothing(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(run(f, "!llc", NULL), 0);
    assert_int_equal(run(f, "~trading !llc", NULL), 0);
    assert_int_equal(run(f, "emma daniels", NULL), 0);
    assert_int_equal(run(f, "star", NULL), 0);
    assert_int_equal(run(f, "", NULL), 0);
    /* One common given name finds the one-word alias only. */
    run(f, "mohammad", NULL);
    for (size_t i = 0; i < f->n; i++)
        assert_string_equal(f->m[i].id, "6908559");
}

static void filters(void **state)
{
    struct fixture *f = *state;
    struct ectl_screen_opts o = {.type = ECTL_TYPE_ENTITY};
    assert_int_equal(run(f, "kim jong un", &o), 0);
    o.type = ECTL_TYPE_PERSON;
    assert_int_equal(run(f, "kim jong un", &o), 1);
    o.country = "kp";
    assert_int_equal(run(f, "kim jong un", &o), 1);
    o.country = "IR";
    assert_int_equal(run(f, "kim jong un", &o), 0);
    /* An entity that states no country stays in. */
    struct ectl_screen_opts o2 = {.country = "IR"};
    assert_int_equal(run(f, "al qaida", &o2), 1);
}

static void threshold_and_limit(void **state)
{
    struct fixture *f = *state;
    struct ectl_screen_opts o = {.threshold = 0.3};
    size_t n = run(f, "kim jong", &o);
    assert_true(n >= 2);
    for (size_t i = 1; i < n; i++)
        assert_true(f->m[i - 1].score >= f->m[i].score);
    o.limit = 1;
    assert_int_equal(run(f, "kim jong", &o), 1);
    /* cap smaller than the limit wins */
    struct ectl_error err = {0};
    struct ectl_screen_opts o3 = {.threshold = 0.3};
    test_query(&f->q, "kim jong");
    assert_int_equal(ectl_search(f->s, f->ix, &f->q, &o3, NULL, NULL, f->m, 1, &f->n, NULL, &err),
                     0);
    assert_int_equal(f->n, 1);
    /* Bad options. */
    struct ectl_screen_opts bad = {.threshold = 1.5};
    assert_int_equal(ectl_search(f->s, f->ix, &f->q, &bad, NULL, NULL, f->m, 10, &f->n, NULL, &err),
                     ECTL_EINVAL);
    bad = (struct ectl_screen_opts){.country = "IRN"};
    assert_int_equal(ectl_search(f->s, f->ix, &f->q, &bad, NULL, NULL, f->m, 10, &f->n, NULL, &err),
                     ECTL_EINVAL);
    bad = (struct ectl_screen_opts){.type = (enum ectl_entity_type)9};
    assert_int_equal(ectl_search(f->s, f->ix, &f->q, &bad, NULL, NULL, f->m, 10, &f->n, NULL, &err),
                     ECTL_EINVAL);
}

static void deterministic_and_reusable(void **state)
{
    struct fixture *f = *state;
    struct ectl_screen_opts o = {.threshold = 0.2};
    size_t n = run(f, "reza", &o);
    struct ectl_match first[ECTL_SCREEN_MAX_LIMIT];
    memcpy(first, f->m, n * sizeof *first);
    /* Many queries later (generations move on), the same answer. */
    for (int i = 0; i < 1000; i++)
        run(f, i % 2 ? "gulf star" : "banco nacional cuba", NULL);
    assert_int_equal(run(f, "reza", &o), n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(first[i].id, f->m[i].id);
        assert_float_equal(first[i].score, f->m[i].score, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(exact_and_reordered, setup, teardown),
        cmocka_unit_test_setup_teardown(typos_found, setup, teardown),
        cmocka_unit_test_setup_teardown(spacing_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(aliases_and_best_name, setup, teardown),
        cmocka_unit_test_setup_teardown(generic_queries_find_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(filters, setup, teardown),
        cmocka_unit_test_setup_teardown(threshold_and_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(deterministic_and_reusable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
