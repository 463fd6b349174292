/* Impact over an order book held in memory. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

struct seen {
    int n;
    char ids[16][32];
    char before[16][64];
    char after[16][64];
    char extra[16][32];
    int stop_after;
};

static int on_change(void *ctx, const struct ectl_order *o, const struct ectl_determination *b,
                     const struct ectl_determination *a)
{
    struct seen *s = ctx;
    if (s->n < 16) {
        snprintf(s->ids[s->n], 32, "%s", o->order_id);
        snprintf(s->before[s->n], 64, "%s/%s", ectl_outcome_name(b->outcome), b->decisive_rule);
        snprintf(s->after[s->n], 64, "%s/%s", ectl_outcome_name(a->outcome), a->decisive_rule);
        for (size_t i = 0; i < o->n_columns; i++)
            if (!strcmp(o->names[i], "customer"))
                snprintf(s->extra[s->n], 32, "%s", o->values[i]);
    }
    s->n++;
    return s->stop_after && s->n >= s->stop_after;
}

static int run(const char *book, const char *from, const char *to, struct seen *s,
               struct ectl_impact_stats *st, struct ectl_error *err)
{
    struct ectl_regime *r = load_regime("jp");
    struct ectl_impact_opts o = {D(from), D(to), on_change, NULL, s};
    int rc = ectl_impact_buffer(r, book, strlen(book), "book.csv", &o, st, err);
    ectl_regime_unref(r);
    return rc;
}

static void korea_leaves_group_a(void **state)
{
    (void)state;
    const char *book = "order_id,customer,item,destination,end_use_concern\r\n"
                       "PO-1,Acme,3C002,KR,0\r\n"
                       "PO-2,\"Kim, Ltd\",2B001,KR,0\r\n"
                       "PO-3,Beta,2B001,DE,0\r\n"
                       "PO-4,Gamma,none,KR,1\r\n"
                       "PO-5,Delta,none,KR,0\r\n";
    struct seen s = {0};
    struct ectl_impact_stats st;
    struct ectl_error err;
    assert_int_equal(run(book, "2019-08-27", "2019-08-28", &s, &st, &err), 0);
    assert_int_equal(st.orders, 5);
    assert_int_equal(st.changed, 2);
    assert_string_equal(s.ids[0], "PO-2");
    assert_string_equal(s.before[0], "licence_required/jp-p-listed-a");
    assert_string_equal(s.after[0], "licence_required/jp-p-listed-other");
    assert_string_equal(s.extra[0], "Kim, Ltd");
    assert_string_equal(s.ids[1], "PO-4");
    assert_string_equal(s.before[1], "no_licence_required/jp-p-unlisted-a");
    assert_string_equal(s.after[1], "licence_required/jp-p-catchall");
    /* 3C002 was already under the 2019-07-04 measure: unchanged */
    memset(&s, 0, sizeof s);
    assert_int_equal(run(book, "2019-07-03", "2019-07-04", &s, &st, &err), 0);
    assert_int_equal(st.changed, 1);
    assert_string_equal(s.ids[0], "PO-1");
}

static void bad_rows_name_line_and_column(void **state)
{
    (void)state;
    static const struct {
        const char *book, *msg;
        int code;
    } cases[] = {
        {"order_id,item,destination\nA,3C002,KR\nB,9Z999,KR\n",
         "book.csv:3: column 2 (item): item '9Z999' is not in the jp control-list data",
         ECTL_EUNKNOWN_ITEM},
        {"order_id,item,destination\nA,3C002,KR\nB,3C002,ZZ\n",
         "book.csv:3: column 3 (destination): 'ZZ' is not an ISO", ECTL_EUNKNOWN_COUNTRY},
        {"order_id,item,destination,end_use_concern\nA,3C002,KR,yes\n",
         "book.csv:2: column 4 (end_use_concern): 'yes' is not 0 or 1", ECTL_EPARSE},
        {"order_id,item\nA,3C002\n", "book.csv:1: the header row must name order_id, item and "
                                     "destination (missing 'destination')",
         ECTL_EPARSE},
        {"order_id,item,destination\nA,3C002\n", "book.csv:2: 2 fields, the header has 3",
         ECTL_EPARSE},
        {"", "book.csv: empty order book", ECTL_EPARSE},
        {"order_id,item,destination\n,3C002,KR\n", "book.csv:2: column 1 (order_id): empty order_id",
         ECTL_EPARSE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct seen s = {0};
        struct ectl_impact_stats st;
        struct ectl_error err = {0};
        int rc = run(cases[i].book, "2019-08-27", "2019-08-28", &s, &st, &err);
        if (rc != cases[i].code || !strstr(err.msg, cases[i].msg))
            fail_msg("case %zu: got %s '%s'", i, ectl_err_name(rc), err.msg);
    }
}

static void caller_can_stop(void **state)
{
    (void)state;
    const char *book = "order_id,item,destination,end_use_concern\n"
                       "1,none,KR,1\n2,none,KR,1\n3,none,KR,1\n";
    struct seen s = {0};
    s.stop_after = 2;
    struct ectl_impact_stats st;
    struct ectl_error err;
    assert_int_equal(run(book, "2019-08-27", "2019-08-28", &s, &st, &err), ECTL_ECANCELED);
    assert_int_equal(s.n, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(korea_leaves_group_a),
        cmocka_unit_test(bad_rows_name_line_and_column),
        cmocka_unit_test(caller_can_stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
