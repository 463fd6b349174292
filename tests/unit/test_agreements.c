/* GSOMIA: entry into force, the 2019 notice and its suspension, renewals. */
#include "helpers.h"

#include <string.h>

static struct ectl_agreements *load(const char *dir)
{
    struct ectl_agreements *a = NULL;
    struct ectl_error err;
    if (ectl_agreements_load(dir, &a, &err))
        fail_msg("%s", err.msg);
    return a;
}

static void gsomia_timeline(void **state)
{
    (void)state;
    struct ectl_agreements *a = load(DATA "/regimes/agreements");
    assert_int_equal(ectl_agreements_count(a), 1);
    static const struct {
        const char *date, *status, *pending, *renewal, *deadline;
    } cases[] = {
        {"2016-11-22", "not_yet_in_force", NULL, NULL, NULL},
        {"2016-11-23", "in_force", NULL, "2017-11-23", "2017-08-25"},
        {"2019-08-22", "in_force", NULL, "2019-11-23", "2019-08-25"},
        {"2019-08-23", "in_force", "2019-11-23", NULL, NULL},
        {"2019-11-21", "in_force", "2019-11-23", NULL, NULL},
        {"2019-11-22", "in_force", NULL, "2019-11-23", "2019-08-25"},
        {"2019-11-23", "in_force", NULL, "2020-11-23", "2020-08-25"},
        {"2026-11-29", "in_force", NULL, "2027-11-23", "2027-08-25"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct ectl_agreement_status s;
        struct ectl_error err;
        assert_int_equal(ectl_agreement_status(a, 0, D(cases[i].date), &s, &err), 0);
        assert_string_equal(s.id, "jp-kr-gsomia");
        if (strcmp(ectl_agreement_state_name(s.status), cases[i].status))
            fail_msg("%s: %s", cases[i].date, ectl_agreement_state_name(s.status));
        char buf[ECTL_DATE_BUFSZ];
        assert_string_equal(cases[i].pending ? cases[i].pending : "",
                            ectl_date_format(s.pending_termination, buf));
        assert_string_equal(cases[i].renewal ? cases[i].renewal : "",
                            ectl_date_format(s.next_renewal, buf));
        assert_string_equal(cases[i].deadline ? cases[i].deadline : "",
                            ectl_date_format(s.notice_deadline, buf));
    }
    ectl_agreements_free(a);
}

static void notice_without_suspension_terminates(void **state)
{
    (void)state;
    const char *dir = tmp_regime_copy("agreements");
    tmp_edit(dir, "events.csv", "jp-kr-gsomia,2019-11-22,notice_suspended",
             "jp-kr-gsomia,2019-11-22,note");
    struct ectl_agreements *a = load(dir);
    struct ectl_agreement_status s;
    struct ectl_error err;
    assert_int_equal(ectl_agreement_status(a, 0, D("2019-11-22"), &s, &err), 0);
    assert_int_equal(s.status, ECTL_AGREEMENT_IN_FORCE);
    assert_int_equal(ectl_agreement_status(a, 0, D("2019-11-23"), &s, &err), 0);
    assert_int_equal(s.status, ECTL_AGREEMENT_TERMINATED);
    ectl_agreements_free(a);
    tmp_remove(dir);
}

static void late_notice_is_refused(void **state)
{
    (void)state;
    const char *dir = tmp_regime_copy("agreements");
    tmp_edit(dir, "events.csv", "jp-kr-gsomia,2019-08-23,notice,2019-11-23",
             "jp-kr-gsomia,2019-08-26,notice,2019-11-23");
    struct ectl_agreements *a = NULL;
    struct ectl_error err;
    assert_int_equal(ectl_agreements_load(dir, &a, &err), ECTL_EDATA);
    assert_null(a);
    assert_non_null(strstr(err.msg, "events.csv:2: column 2 (date): notice given less than 90 days"));
    tmp_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gsomia_timeline),
        cmocka_unit_test(notice_without_suspension_terminates),
        cmocka_unit_test(late_notice_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
