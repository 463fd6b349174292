/* Dates, the CSV reader and the byte buffer. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/csv.h"

static void date_roundtrip(void **state)
{
    (void)state;
    ectl_date d;
    char buf[ECTL_DATE_BUFSZ];
    assert_int_equal(ectl_date_parse_str("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(ectl_date_parse_str("2019-08-28", &d), 0);
    assert_string_equal(ectl_date_format(d, buf), "2019-08-28");
    assert_int_equal(D("2019-08-28") - D("2019-08-27"), 1);
    assert_int_equal(D("2020-03-01") - D("2020-02-28"), 2); /* leap year */
    assert_int_equal(D("2100-03-01") - D("2100-02-28"), 1); /* not a leap year */
    assert_int_equal(D("2019-11-23") - 90, D("2019-08-25"));
    /* every day of a span survives the round trip */
    for (ectl_date x = D("1999-12-25"); x < D("2031-01-05"); x++) {
        int y, m, dd;
        ectl_date_to_ymd(x, &y, &m, &dd);
        assert_int_equal(ectl_date_from_ymd(y, m, dd), x);
    }
}

static void date_rejects(void **state)
{
    (void)state;
    static const char *bad[] = {"",           "2019-02-29", "2019-13-01", "2019-00-10",
                                "2019-1-01",  "2019-01-1",  "19-01-01",   "2019/01/01",
                                "2019-01-32", "1899-12-31", "3000-01-01", "2019-01-01x",
                                " 2019-01-01", "2019-04-31"};
    ectl_date d;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(ectl_date_parse_str(bad[i], &d), ECTL_EBAD_DATE);
    assert_int_equal(ectl_date_parse_str("2020-02-29", &d), 0);
}

static int next(struct ectl_csv *c, struct ectl_error *err)
{
    return ectl_csv_next(c, err);
}

static void csv_fields(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF" "a,b,c\r\n"
                       "1,\"two, with comma\",\"say \"\"hi\"\"\"\n"
                       "\"multi\nline\",,x\n"
                       "last,row,no-newline";
    struct ectl_csv c;
    struct ectl_error err = {0};
    ectl_csv_init(&c, text, strlen(text), "t.csv", 0);
    assert_int_equal(next(&c, &err), 1);
    assert_int_equal(c.n_fields, 3);
    assert_string_equal(c.fields[0], "a");
    assert_int_equal(c.row_line, 1);
    assert_int_equal(next(&c, &err), 1);
    assert_string_equal(c.fields[1], "two, with comma");
    assert_string_equal(c.fields[2], "say \"hi\"");
    assert_int_equal(c.row_line, 2);
    assert_int_equal(next(&c, &err), 1);
    assert_string_equal(c.fields[0], "multi\nline");
    assert_string_equal(c.fields[1], "");
    assert_int_equal(c.row_line, 3);
    assert_int_equal(next(&c, &err), 1);
    assert_int_equal(c.row_line, 5);
    assert_string_equal(c.fields[2], "no-newline");
    assert_int_equal(next(&c, &err), 0);
    ectl_csv_release(&c);
}

static void csv_comments(void **state)
{
    (void)state;
    const char *text = "# note, with comma\n\nk,v\n# another\nx,1\n";
    struct ectl_csv c;
    struct ectl_error err = {0};
    ectl_csv_init(&c, text, strlen(text), "t.csv", ECTL_CSV_COMMENTS);
    assert_int_equal(next(&c, &err), 1);
    assert_string_equal(c.fields[0], "k");
    assert_int_equal(c.row_line, 3);
    assert_int_equal(next(&c, &err), 1);
    assert_string_equal(c.fields[0], "x");
    assert_int_equal(c.row_line, 5);
    assert_int_equal(next(&c, &err), 0);
    ectl_csv_release(&c);
}

static void csv_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"a,b\n\"open,c\n", "t.csv:2: column 1: unterminated quoted field"},
        {"a,b\nx,\"q\"y\n", "t.csv:2: column 2: text after a closing quote"},
        {"a,b\nx,ab\"c\n", "t.csv:2: column 2: quote inside an unquoted field"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct ectl_csv c;
        struct ectl_error err = {0};
        ectl_csv_init(&c, cases[i].text, strlen(cases[i].text), "t.csv", 0);
        assert_int_equal(next(&c, &err), 1);
        assert_int_equal(next(&c, &err), ECTL_EPARSE);
        assert_string_equal(err.msg, cases[i].msg);
        ectl_csv_release(&c);
    }
}

static void buf_basics(void **state)
{
    (void)state;
    struct ectl_buf b = ECTL_BUF_INIT;
    assert_string_equal(b.ptr, "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(ectl_buf_addf(&b, "%d,", i), 0);
    assert_int_equal(strncmp(b.ptr, "0,1,2,", 6), 0);
    assert_int_equal(b.len, strlen(b.ptr));
    size_t len;
    char *p = ectl_buf_detach(&b, &len);
    assert_int_equal(len, strlen(p));
    assert_string_equal(b.ptr, "");
    free(p);
}

static void error_names(void **state)
{
    (void)state;
    assert_string_equal(ectl_err_name(ECTL_EUNKNOWN_ITEM), "ECTL_EUNKNOWN_ITEM");
    assert_string_equal(ectl_strerror(ECTL_EBAD_DATE), "malformed date");
    assert_string_equal(ectl_strerror(12345), "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(date_roundtrip), cmocka_unit_test(date_rejects),
        cmocka_unit_test(csv_fields),     cmocka_unit_test(csv_comments),
        cmocka_unit_test(csv_errors),     cmocka_unit_test(buf_basics),
        cmocka_unit_test(error_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
