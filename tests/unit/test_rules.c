/*
 * The rules engine on the bundled data: the reference scenario at every
 * date boundary (the day before and the day of each change), groups, diff,
 * and the refusals (unknown codes, dates before coverage, guards).
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

struct expect {
    const char *regime, *item, *to, *date;
    bool concern;
    const char *outcome; /* or an error name */
    const char *options; /* ";"-joined, in data order */
    const char *rule;
};

static const struct expect scenario[] = {
    /* Japan, 2019-07-04: the three items lose bulk licensing to Korea. */
    {"jp", "3C002", "KR", "2019-07-03", false, "licence_required",
     "general_bulk;special_general_bulk;specific_bulk;individual", "jp-p-listed-a"},
    {"jp", "3C002", "KR", "2019-07-04", false, "licence_required", "individual", "jp-m-2019-07-04"},
    {"jp", "7(19)", "KR", "2019-07-04", false, "licence_required", "individual", "jp-m-2019-07-04"},
    {"jp", "1C009.b", "KR", "2019-07-04", false, "licence_required", "individual",
     "jp-m-2019-07-04"},
    {"jp", "1C350", "KR", "2019-07-04", false, "licence_required", "individual", "jp-m-2019-07-04"},
    {"jp", "3(1)", "KR", "2019-07-03", false, "licence_required",
     "general_bulk;special_general_bulk;specific_bulk;individual", "jp-p-listed-a"},
    /* the measure is for Korea only */
    {"jp", "3C002", "DE", "2019-07-04", false, "licence_required",
     "general_bulk;special_general_bulk;specific_bulk;individual", "jp-p-listed-a"},
    /* product.md: 3C002 to KR on 2019-09-01 -> individual licence only */
    {"jp", "3C002", "KR", "2019-09-01", false, "licence_required", "individual", "jp-m-2019-07-04"},
    /* 2019-08-28: Korea leaves Group A; catch-all now applies to it. */
    {"jp", "none", "KR", "2019-08-27", true, "no_licence_required", "", "jp-p-unlisted-a"},
    {"jp", "none", "KR", "2019-08-28", true, "licence_required", "individual", "jp-p-catchall"},
    {"jp", "none", "KR", "2019-08-28", false, "no_licence_required", "", "jp-p-unlisted-clear"},
    {"jp", "2B001", "KR", "2019-08-27", false, "licence_required",
     "general_bulk;special_general_bulk;specific_bulk;individual", "jp-p-listed-a"},
    {"jp", "2B001", "KR", "2019-08-28", false, "licence_required",
     "special_general_bulk;specific_bulk;individual", "jp-p-listed-other"},
    /* 2019-12-20: resist may ship under a Specific Bulk Licence again. */
    {"jp", "3C002", "KR", "2019-12-19", false, "licence_required", "individual", "jp-m-2019-07-04"},
    {"jp", "3C002", "KR", "2019-12-20", false, "licence_required", "specific_bulk;individual",
     "jp-m-2019-12-20"},
    {"jp", "1C350", "KR", "2019-12-20", false, "licence_required", "individual", "jp-m-2019-07-04"},
    /* 2023-03-23: the three items become eligible for Special General Bulk. */
    {"jp", "3C002", "KR", "2023-03-22", false, "licence_required", "specific_bulk;individual",
     "jp-m-2019-12-20"},
    {"jp", "1C009.b", "KR", "2023-03-22", false, "licence_required", "individual",
     "jp-m-2019-07-04"},
    {"jp", "1C009.b", "KR", "2023-03-23", false, "licence_required",
     "special_general_bulk;specific_bulk;individual", "jp-m-2023-03-23"},
    /* 2023-07-21: Korea back in Group A. */
    {"jp", "3C002", "KR", "2023-07-20", false, "licence_required",
     "special_general_bulk;specific_bulk;individual", "jp-m-2023-03-23"},
    {"jp", "3C002", "KR", "2023-07-21", false, "licence_required",
     "general_bulk;special_general_bulk;specific_bulk;individual", "jp-p-listed-a"},
    {"jp", "none", "KR", "2023-07-20", true, "licence_required", "individual", "jp-p-catchall"},
    {"jp", "none", "KR", "2023-07-21", true, "no_licence_required", "", "jp-p-unlisted-a"},
    /* sub-paragraph resolves to its listed parent */
    {"jp", "3C002.a.2", "KR", "2019-09-01", false, "licence_required", "individual",
     "jp-m-2019-07-04"},
    {"jp", "3A001.a.1", "CN", "2020-01-01", false, "licence_required",
     "special_general_bulk;specific_bulk;individual", "jp-p-listed-other"},
    /* Korea: Japan moved from Ga to Ga-2 on 2019-09-18, back on 2023-04-24. */
    {"kr", "3C002", "JP", "2019-09-17", false, "licence_required", "bulk;individual", "kr-p-ga"},
    {"kr", "3C002", "JP", "2019-09-18", false, "licence_required", "bulk;individual", "kr-p-ga2"},
    {"kr", "3C002", "JP", "2023-04-23", false, "licence_required", "bulk;individual", "kr-p-ga2"},
    {"kr", "3C002", "JP", "2023-04-24", false, "licence_required", "bulk;individual", "kr-p-ga"},
    /* EU: the UK is a member until 2020-12-31, an EU001 destination from 2021-01-01. */
    {"eu", "3C002", "GB", "2020-12-31", false, "no_licence_required", "", "eu-p-intra"},
    {"eu", "3C002", "GB", "2021-01-01", false, "licence_required", "eu001;individual",
     "eu-p-eu001-428"},
    {"eu", "3C002", "JP", "2021-09-09", false, "licence_required", "eu001;individual",
     "eu-p-eu001-821"},
    {"eu", "3C002", "KR", "2021-09-09", false, "licence_required", "individual", "eu-p-listed"},
    {"eu", "none", "CN", "2022-01-01", true, "licence_required", "individual", "eu-p-catchall"},
    /* refusals */
    {"jp", "3C002", "KP", "2020-01-01", false, "ECTL_ENODATA", NULL, NULL},
    {"jp", "3C002", "EE", "2019-08-01", false, "licence_required",
     "special_general_bulk;specific_bulk;individual", "jp-p-listed-other"},
    {"jp", "3C002", "KR", "2012-07-31", false, "ECTL_ENODATA", NULL, NULL},
    {"jp", "1C009", "KR", "2020-01-01", false, "ECTL_EUNKNOWN_ITEM", NULL, NULL},
    {"jp", "4A003", "KR", "2020-01-01", false, "ECTL_EUNKNOWN_ITEM", NULL, NULL},
    {"jp", "3C002", "QQ", "2020-01-01", false, "ECTL_EUNKNOWN_COUNTRY", NULL, NULL},
    {"jp", "3C002", "kr", "2020-01-01", false, "licence_required", "specific_bulk;individual",
     "jp-m-2019-12-20"},
    {"kr", "3C002", "CN", "2020-01-01", false, "ECTL_ENODATA", NULL, NULL},
    {"eu", "3C002", "IS", "2022-01-01", false, "ECTL_ENODATA", NULL, NULL},
};

static void join_options(const struct ectl_determination *d, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (size_t i = 0; i < d->n_options; i++) {
        if (i)
            strncat(buf, ";", cap - strlen(buf) - 1);
        strncat(buf, d->options[i], cap - strlen(buf) - 1);
    }
}

static void reference_scenario(void **state)
{
    (void)state;
    const char *regimes[] = {"jp", "kr", "eu"};
    struct ectl_regime *loaded[3];
    for (int i = 0; i < 3; i++)
        loaded[i] = load_regime(regimes[i]);
    for (size_t i = 0; i < sizeof scenario / sizeof *scenario; i++) {
        const struct expect *e = &scenario[i];
        struct ectl_regime *r = NULL;
        for (int k = 0; k < 3; k++)
            if (!strcmp(regimes[k], e->regime))
                r = loaded[k];
        struct ectl_determination d;
        struct ectl_error err = {0};
        int rc = ectl_determine(r, e->item, e->to, D(e->date), e->concern, &d, &err);
        char what[128];
        snprintf(what, sizeof what, "%s %s to %s on %s%s", e->regime, e->item, e->to, e->date,
                 e->concern ? " (concern)" : "");
        if (!strncmp(e->outcome, "ECTL_E", 6)) {
            if (strcmp(ectl_err_name(rc), e->outcome))
                fail_msg("%s: expected %s, got %s (%s)", what, e->outcome, ectl_err_name(rc),
                         err.msg);
            assert_true(err.msg[0] != '\0');
            continue;
        }
        if (rc)
            fail_msg("%s: %s", what, err.msg);
        char opts[256];
        join_options(&d, opts, sizeof opts);
        if (strcmp(ectl_outcome_name(d.outcome), e->outcome) || strcmp(opts, e->options) ||
            strcmp(d.decisive_rule, e->rule))
            fail_msg("%s: expected %s [%s] by %s, got %s [%s] by %s", what, e->outcome,
                     e->options, e->rule, ectl_outcome_name(d.outcome), opts, d.decisive_rule);
        /* every answer starts with its decisive rule, and every reason is sourced */
        assert_string_equal(d.reasons[0].rule, d.decisive_rule);
        for (size_t k = 0; k < d.n_reasons; k++)
            assert_true(d.reasons[k].source && d.reasons[k].source[0]);
    }
    for (int i = 0; i < 3; i++)
        ectl_regime_unref(loaded[i]);
}

static void groups_on_dates(void **state)
{
    (void)state;
    struct ectl_regime *r = load_regime("jp");
    const char *m[64];
    assert_string_equal(ectl_regime_group_id(r, 0), "A");
    assert_int_equal(ectl_regime_group_members(r, 0, D("2019-08-27"), m, 64), 27);
    assert_int_equal(ectl_regime_group_members(r, 0, D("2019-08-28"), m, 64), 26);
    for (int i = 0; i < 26; i++)
        assert_string_not_equal(m[i], "KR");
    assert_int_equal(ectl_regime_group_members(r, 0, D("2023-07-20"), m, 64), 26);
    assert_int_equal(ectl_regime_group_members(r, 0, D("2023-07-21"), m, 64), 27);
    /* members come back sorted */
    for (int i = 1; i < 27; i++)
        assert_true(strcmp(m[i - 1], m[i]) < 0);
    ectl_regime_unref(r);
}

static void diff_korea_leaves_a(void **state)
{
    (void)state;
    struct ectl_regime *r = load_regime("jp");
    struct ectl_change ch[8];
    struct ectl_error err;
    int n = ectl_regime_diff(r, D("2019-08-27"), D("2019-08-28"), ch, 8, &err);
    assert_int_equal(n, 2);
    assert_int_equal(ch[0].kind, ECTL_CHANGE_MEMBERSHIP);
    assert_string_equal(ch[0].subject, "A");
    assert_string_equal(ch[0].country, "KR");
    assert_string_equal(ch[0].change, "removed");
    assert_int_equal(ch[0].date, D("2019-08-28"));
    assert_string_equal(ch[1].subject, "B");
    assert_string_equal(ch[1].country, "KR");
    assert_string_equal(ch[1].change, "added");
    /* nothing happens on either side of the day */
    assert_int_equal(ectl_regime_diff(r, D("2019-08-26"), D("2019-08-27"), ch, 8, &err), 0);
    assert_int_equal(ectl_regime_diff(r, D("2019-08-28"), D("2019-09-30"), ch, 8, &err), 0);
    /* 2019-07-04: the measure starts, nothing else */
    n = ectl_regime_diff(r, D("2019-07-03"), D("2019-07-04"), ch, 8, &err);
    assert_int_equal(n, 1);
    assert_int_equal(ch[0].kind, ECTL_CHANGE_MEASURE);
    assert_string_equal(ch[0].subject, "jp-m-2019-07-04");
    assert_string_equal(ch[0].change, "started");
    /* counting mode and refusals */
    assert_int_equal(ectl_regime_diff(r, D("2019-01-01"), D("2024-01-01"), NULL, 0, &err), 14);
    assert_int_equal(ectl_regime_diff(r, D("2020-01-01"), D("2019-01-01"), ch, 8, &err),
                     ECTL_EINVAL);
    assert_int_equal(ectl_regime_diff(r, D("2010-01-01"), D("2019-01-01"), ch, 8, &err),
                     ECTL_ENODATA);
    ectl_regime_unref(r);
}

/* A bad row must be refused with file, line and column, and nothing loaded. */
static void bad_data_is_refused(void **state)
{
    (void)state;
    static const struct {
        const char *file, *from, *to, *msg;
    } cases[] = {
        {"sets.csv", "A,group,KR,,2019-08-28", "A,group,KX,,2019-08-28",
         "sets.csv:{L}: column 3 (country): unknown country code 'KX'"},
        {"sets.csv", "A,group,KR,2023-07-21,", "A,group,KR,2019-07-21,",
         "sets.csv:{L}: column 4 (from): KR is already in set 'A' for part of this period"},
        {"sets.csv", "B,group,KR,2019-08-28,2023-07-21", "B,group,KR,2019-08-28,2019-02-30",
         "sets.csv:{L}: column 5 (to): malformed date '2019-02-30', expected YYYY-MM-DD"},
        {"rules.csv", "measure,3(1);5(17);7(19),KR,any,licence_required,individual",
         "measure,3(1);5(17);7(99),KR,any,licence_required,individual",
         "rules.csv:{L}: column 3 (items): unknown item code '7(99)'"},
        {"rules.csv", "jp-m-2019-12-20,measure,7(19),KR,any,licence_required,specific_bulk",
         "jp-m-2019-12-20,measure,7(19),KR,any,licence_required,specific_bulkk",
         "rules.csv:{L}: column 7 (licence_options): 'specific_bulkk' is not in licence_kinds"},
        {"rules.csv", "2019-07-04,2023-03-23", "2023-07-04,2023-03-23",
         "rules.csv:{L}: column 10 (to): '2023-03-23' is not after 'from'"},
        {"items.csv", "7(19),3C002,Resist", "7(99),3C002,Resist",
         "rules.csv:9: column 3 (items): unknown item code '7(19)'"},
        {"items.csv", ",,ETCO-T1;S25", ",,ETCO-T1;S99",
         "items.csv:{L}: column 8 (source): unknown source id 'S99' (see sources.csv)"},
        {"regime.csv", "covered_from,2012-08-01", "covered_from,2012-8-01",
         "regime.csv:{L}: column 2 (value): malformed date '2012-8-01', expected YYYY-MM-DD"},
        {"sources.csv", "id,citation,url", "id,citation",
         "sources.csv:1: header must be 'id,citation,url'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *dir = tmp_regime_copy("jp");
        int line = tmp_edit(dir, cases[i].file, cases[i].from, cases[i].to);
        /* "{L}" in the expected message stands for the edited line */
        char want[512];
        const char *tok = strstr(cases[i].msg, "{L}");
        if (tok)
            snprintf(want, sizeof want, "%.*s%d%s", (int)(tok - cases[i].msg), cases[i].msg, line,
                     tok + 3);
        else
            snprintf(want, sizeof want, "%s", cases[i].msg);
        struct ectl_regime *r = (struct ectl_regime *)0x1;
        struct ectl_error err = {0};
        int rc = ectl_regime_load(dir, COUNTRIES, &r, &err);
        assert_int_equal(rc, ECTL_EDATA);
        assert_null(r);
        if (!strstr(err.msg, want))
            fail_msg("case %zu: expected '%s' in '%s'", i, want, err.msg);
        tmp_remove(dir);
    }
}

static void missing_file_is_refused(void **state)
{
    (void)state;
    const char *dir = tmp_regime_copy("jp");
    char path[512];
    snprintf(path, sizeof path, "%s/rules.csv", dir);
    assert_int_equal(remove(path), 0);
    struct ectl_regime *r;
    struct ectl_error err;
    assert_int_equal(ectl_regime_load(dir, COUNTRIES, &r, &err), ECTL_EDATA);
    assert_non_null(strstr(err.msg, "rules.csv: missing"));
    tmp_remove(dir);
}

static void reasons_carry_the_membership(void **state)
{
    (void)state;
    struct ectl_regime *r = load_regime("jp");
    struct ectl_determination d;
    struct ectl_error err;
    assert_int_equal(ectl_determine(r, "2B001", "KR", D("2020-06-01"), false, &d, &err), 0);
    bool saw_b = false;
    for (size_t i = 0; i < d.n_reasons; i++)
        if (!strcmp(d.reasons[i].rule, "set:B:KR")) {
            saw_b = true;
            assert_int_equal(d.reasons[i].from, D("2019-08-28"));
            assert_int_equal(d.reasons[i].to, D("2023-07-21"));
        }
    assert_true(saw_b);
    assert_string_equal(d.regime_item, "6(2)");
    assert_string_equal(d.item, "2B001");
    assert_true(strlen(ectl_regime_data_version(r)) > 11);
    ectl_regime_unref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reference_scenario),   cmocka_unit_test(groups_on_dates),
        cmocka_unit_test(diff_korea_leaves_a),  cmocka_unit_test(bad_data_is_refused),
        cmocka_unit_test(missing_file_is_refused), cmocka_unit_test(reasons_carry_the_membership),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
