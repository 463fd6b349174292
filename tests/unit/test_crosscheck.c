/*
 * Cross-check of the project's own regime data against the independent
 * reference copies in ../shared/data/regimes (read from there, never copied
 * into the project).  A transcription slip in data/regimes shows up here as
 * a disagreement with a source that was compiled separately.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rules/regime_int.h"

#ifndef ECTL_SHARED_DATA
#error "ECTL_SHARED_DATA must name ../shared/data"
#endif

static json_t *load_json(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", ECTL_SHARED_DATA, rel);
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j)
        fail_msg("%s: %s (line %d)", path, e.text, e.line);
    return j;
}

static size_t group_index(const struct ectl_regime *r, const char *id)
{
    for (size_t g = 0; g < ectl_regime_group_count(r); g++)
        if (!strcmp(ectl_regime_group_id(r, g), id))
            return g;
    fail_msg("no group %s in %s", id, ectl_regime_id(r));
    return 0;
}

static bool in_group(const struct ectl_regime *r, const char *group, const char *cc, ectl_date d)
{
    const char *m[300];
    size_t n = ectl_regime_group_members(r, group_index(r, group), d, m, 300);
    for (size_t i = 0; i < n && i < 300; i++)
        if (!strcmp(m[i], cc))
            return true;
    return false;
}

static void japan_group_a(void **state)
{
    (void)state;
    json_t *j = load_json("regimes/whitelist-regimes.json");
    json_t *jp = json_object_get(j, "japan");
    struct ectl_regime *r = load_regime("jp");
    /* the e-Gov text of 2026-06-05, member by member */
    json_t *egov = json_object_get(json_object_get(jp, "as_of_2026_06_05_egov"),
                                   "appended_table_3_group_a");
    const char *m[64];
    size_t n = ectl_regime_group_members(r, group_index(r, "A"), D("2026-06-05"), m, 64);
    assert_int_equal(n, json_array_size(egov));
    size_t i;
    json_t *v;
    json_array_foreach(egov, i, v) assert_true(in_group(r, "A", json_string_value(v), D("2026-06-05")));
    /* the counts by period, checked at both ends of each period */
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(jp, "group_a_count_by_date"), "2019-08-28..2023-07-20")),
                     26);
    static const struct {
        const char *date;
        size_t count;
    } counts[] = {{"2012-08-01", 27}, {"2019-08-27", 27}, {"2019-08-28", 26},
                  {"2023-07-20", 26}, {"2023-07-21", 27}};
    for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
        assert_int_equal(ectl_regime_group_members(r, group_index(r, "A"), D(counts[k].date), m, 64),
                         counts[k].count);
    /* Korea's periods as the reference gives them (inclusive end dates) */
    json_array_foreach(json_object_get(jp, "group_a_membership"), i, v)
    {
        if (strcmp(json_string_value(json_object_get(v, "iso2")), "KR"))
            continue;
        size_t k;
        json_t *p;
        json_array_foreach(json_object_get(v, "periods"), k, p)
        {
            const char *to = json_string_value(json_object_get(p, "to"));
            const char *from = json_string_value(json_object_get(p, "from"));
            if (to) {
                assert_true(in_group(r, "A", "KR", D(to)));
                assert_false(in_group(r, "A", "KR", D(to) + 1));
            }
            if (from && strlen(from) == 10) {
                assert_true(in_group(r, "A", "KR", D(from)));
                assert_false(in_group(r, "A", "KR", D(from) - 1));
            }
        }
    }
    ectl_regime_unref(r);
    json_decref(j);
}

static void japan_three_items(void **state)
{
    (void)state;
    json_t *j = load_json("regimes/whitelist-regimes.json");
    json_t *m = json_object_get(json_object_get(j, "japan"), "korea_three_items_2019");
    const char *effective = json_string_value(json_object_get(m, "effective"));
    const char *relax = json_string_value(
        json_object_get(json_object_get(m, "partial_relaxation"), "date"));
    const char *lifted = json_string_value(json_object_get(json_object_get(m, "lifted"), "effective"));
    struct ectl_regime *r = load_regime("jp");
    struct ectl_determination d;
    struct ectl_error err;
    /* individual licence only from the effective date, not the day before */
    assert_int_equal(ectl_determine(r, "1C350", "KR", D(effective), false, &d, &err), 0);
    assert_int_equal(d.n_options, 1);
    assert_int_equal(ectl_determine(r, "1C350", "KR", D(effective) - 1, false, &d, &err), 0);
    assert_true(d.n_options > 1);
    /* resist relaxed on the relaxation date */
    assert_int_equal(ectl_determine(r, "3C002", "KR", D(relax) - 1, false, &d, &err), 0);
    assert_int_equal(d.n_options, 1);
    assert_int_equal(ectl_determine(r, "3C002", "KR", D(relax), false, &d, &err), 0);
    assert_string_equal(d.options[0], "specific_bulk");
    /* special general bulk from the day the measure was lifted */
    assert_int_equal(ectl_determine(r, "1C009.b", "KR", D(lifted), false, &d, &err), 0);
    assert_string_equal(d.options[0], "special_general_bulk");
    assert_int_equal(ectl_determine(r, "1C009.b", "KR", D(lifted) - 1, false, &d, &err), 0);
    assert_string_equal(d.options[0], "individual");
    /* the reference's harmonised codes resolve to the same native entries */
    assert_int_equal(ectl_determine(r, "3C002.a.2", "KR", D(effective), false, &d, &err), 0);
    assert_string_equal(d.regime_item, "7(19)");
    ectl_regime_unref(r);
    json_decref(j);
}

static void korea_regions_for_japan(void **state)
{
    (void)state;
    json_t *j = load_json("regimes/whitelist-regimes.json");
    struct ectl_regime *r = load_regime("kr");
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(json_object_get(j, "korea"), "japan_status"), i, p)
    {
        const char *region = json_string_value(json_object_get(p, "region"));
        const char *group = !strcmp(region, "가") ? "Ga" : !strcmp(region, "가의2") ? "Ga-2" : NULL;
        assert_non_null(group);
        const char *from = json_string_value(json_object_get(p, "from"));
        const char *to = json_string_value(json_object_get(p, "to"));
        if (from)
            assert_true(in_group(r, group, "JP", D(from)));
        if (to) {
            assert_true(in_group(r, group, "JP", D(to)));
            assert_false(in_group(r, group, "JP", D(to) + 1));
        }
    }
    ectl_regime_unref(r);
    json_decref(j);
}

static void eu001_destinations(void **state)
{
    (void)state;
    json_t *j = load_json("regimes/whitelist-regimes.json");
    struct ectl_regime *r = load_regime("eu");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(json_object_get(j, "eu"), "destinations"), i, v)
    {
        const char *cc = json_string_value(json_object_get(v, "iso2"));
        const char *from = json_string_value(json_object_get(v, "from"));
        if (from && !strcmp(from, "UNCONFIRMED")) {
            /* left out on purpose, and guarded */
            assert_false(in_group(r, "EU001", cc, D("2026-06-01")));
            struct ectl_determination d;
            struct ectl_error err;
            assert_int_equal(ectl_determine(r, "3C002", cc, D("2026-06-01"), false, &d, &err),
                             ECTL_ENODATA);
            continue;
        }
        assert_true(in_group(r, "EU001", cc, D("2026-06-01")));
        if (from) {
            assert_true(in_group(r, "EU001", cc, D(from)));
            assert_false(in_group(r, "EU001", cc, D(from) - 1));
        }
    }
    assert_false(in_group(r, "EU001", "KR", D("2026-06-01")));
    ectl_regime_unref(r);
    json_decref(j);
}

static void gsomia_dates(void **state)
{
    (void)state;
    json_t *j = load_json("regimes/whitelist-regimes.json");
    json_t *g = json_object_get(j, "gsomia_japan_korea");
    struct ectl_agreements *a;
    struct ectl_error err;
    assert_int_equal(ectl_agreements_load(DATA "/regimes/agreements", &a, &err), 0);
    struct ectl_agreement_status s;
    char signed_on[11], suspended[11];
    snprintf(signed_on, sizeof signed_on, "%s", json_string_value(json_object_get(g, "signed")));
    snprintf(suspended, sizeof suspended, "%s",
             json_string_value(json_object_get(g, "notice_suspended")));
    const char *notice = json_string_value(json_object_get(g, "termination_notice_dated"));
    const char *expiry = json_string_value(json_object_get(g, "would_have_expired"));
    assert_int_equal(ectl_agreement_status(a, 0, D(signed_on), &s, &err), 0);
    assert_int_equal(s.status, ECTL_AGREEMENT_IN_FORCE);
    assert_int_equal(ectl_agreement_status(a, 0, D(notice), &s, &err), 0);
    assert_int_equal(s.pending_termination, D(expiry));
    assert_int_equal(ectl_agreement_status(a, 0, D(notice) - 1, &s, &err), 0);
    assert_int_equal(s.pending_termination, ECTL_DATE_MIN);
    assert_int_equal(ectl_agreement_status(a, 0, D(suspended), &s, &err), 0);
    assert_int_equal(s.pending_termination, ECTL_DATE_MIN);
    ectl_agreements_free(a);
    json_decref(j);
}

/* Country Chart: per column, our member count equals the reference's
 * count plus the destinations the EAR sends to another row (Hong Kong to
 * China, the Cayman Islands to the United Kingdom). */
static void us_country_chart(void **state)
{
    (void)state;
    json_t *j = load_json("regimes/us-ear/country-chart.ecfr-2026-07-23.json");
    json_t *countries = json_object_get(j, "countries");
    struct ectl_regime *r = load_regime("us");
    json_t *cn = json_object_get(json_object_get(countries, "China"), "marks");
    json_t *gb = json_object_get(json_object_get(countries, "United Kingdom"), "marks");
    size_t i;
    json_t *col;
    json_array_foreach(json_object_get(j, "columns"), i, col)
    {
        char id[8];
        const char *c = json_string_value(col);
        snprintf(id, sizeof id, "%.2s%s", c, c + 3); /* "NS 2" -> "NS2" */
        size_t want = 0;
        const char *name;
        json_t *row;
        json_object_foreach(countries, name, row)
        {
            size_t k;
            json_t *mk;
            json_array_foreach(json_object_get(row, "marks"), k, mk) want += !strcmp(json_string_value(mk), c);
        }
        size_t k;
        json_t *mk;
        json_array_foreach(cn, k, mk) want += !strcmp(json_string_value(mk), c);
        json_array_foreach(gb, k, mk) want += !strcmp(json_string_value(mk), c);
        int si = ectl__set_find(r, id, strlen(id));
        assert_true(si >= 0);
        size_t have = 0;
        for (int cc = 0; cc < ECTL_NCOUNTRIES; cc++)
            have += ectl__member_on(r, si, cc, D("2026-08-01")) != NULL;
        if (have != want)
            fail_msg("column %s: %zu members, reference says %zu", id, have, want);
    }
    /* row by row for the destinations of the scenario */
    static const struct {
        const char *name, *cc;
    } rows[] = {{"Japan", "JP"},   {"Korea, South", "KR"}, {"China", "CN"},
                {"Germany", "DE"}, {"India", "IN"},        {"Canada", "CA"},
                {"United Kingdom", "GB"}, {"Australia", "AU"}, {"Russia", "RU"}};
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        json_t *marks = json_object_get(json_object_get(countries, rows[k].name), "marks");
        assert_non_null(marks);
        int cc = ectl__cc_index(rows[k].cc);
        size_t n = 0;
        for (size_t b = 0; b < r->n_chart; b++) {
            const struct cset *s = &r->sets[r->chart_sets[b]];
            bool ours = ectl__member_on(r, r->chart_sets[b], cc, D("2026-08-01")) != NULL;
            bool theirs = false;
            size_t m;
            json_t *mk;
            json_array_foreach(marks, m, mk)
            {
                const char *c = json_string_value(mk);
                theirs |= strlen(c) == 4 && !strncmp(c, s->id, 2) && c[3] == s->id[2];
            }
            if (ours != theirs)
                fail_msg("%s column %s: ours %d, reference %d", rows[k].cc, s->id, ours, theirs);
            n += ours;
        }
        assert_int_equal(n, json_array_size(marks));
    }
    ectl_regime_unref(r);
    json_decref(j);
}

/* Country Groups: same member count per group (Hong Kong, which the EAR
 * treats as China, is our only addition), and every ECCN of the CCL is an
 * item with the chart columns its entry names. */
static void us_groups_and_ccl(void **state)
{
    (void)state;
    json_t *g = load_json("regimes/us-ear/country-groups.ecfr-2026-07-23.json");
    struct ectl_regime *r = load_regime("us");
    const char *id;
    json_t *members;
    json_object_foreach(json_object_get(g, "groups"), id, members)
    {
        const char *m[300];
        size_t n = ectl_regime_group_members(r, group_index(r, id), D("2026-08-01"), m, 300);
        size_t hk = in_group(r, id, "HK", D("2026-08-01"));
        if (n - hk != json_array_size(members))
            fail_msg("group %s: %zu members (+HK %zu), reference %zu", id, n - hk, hk,
                     json_array_size(members));
    }
    json_decref(g);
    json_t *ccl = load_json("regimes/us-ear/ccl.ecfr-2026-07-23.json");
    json_t *entries = json_object_get(ccl, "entries");
    assert_int_equal(json_array_size(entries), r->n_items);
    size_t i, checked = 0;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        const char *eccn = json_string_value(json_object_get(e, "eccn"));
        int32_t it = ectl__item_find(r, eccn, strlen(eccn));
        if (it < 0)
            fail_msg("ECCN %s missing", eccn);
        size_t k;
        json_t *row;
        json_array_foreach(json_object_get(e, "countryChart"), k, row)
        {
            const char *t = json_string_value(json_object_get(row, "countryChart"));
            /* every "XX Column N" the entry names must be among its controls */
            for (const char *p = t ? strstr(t, " Column ") : NULL; p; p = strstr(p + 1, " Column ")) {
                if (p - t < 2 || p[8] < '1' || p[8] > '3')
                    continue;
                char set[4] = {p[-2], p[-1], p[8], 0};
                int si = ectl__set_find(r, set, 3);
                if (si < 0 || !(r->items[it].controls & (1u << r->sets[si].chart_bit)))
                    fail_msg("%s: column %s named by the CCL is not in its controls", eccn, set);
                checked++;
            }
        }
    }
    assert_true(checked > 500);
    ectl_regime_unref(r);
    json_decref(ccl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(japan_group_a),   cmocka_unit_test(japan_three_items),
        cmocka_unit_test(korea_regions_for_japan), cmocka_unit_test(eu001_destinations),
        cmocka_unit_test(gsomia_dates),    cmocka_unit_test(us_country_chart),
        cmocka_unit_test(us_groups_and_ccl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
