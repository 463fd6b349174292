/*
 * A company's own list (simple CSV): good rows, and every kind of bad row
 * reported with its line and column.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void simple_file(void **state)
{
    (void)state;
    const char *dir = tmp_dir();
    char path[512];
    snprintf(path, sizeof path, "%s/blocked-parties.csv", dir);
    const char *text = "id,type,name,aliases,countries,notes\r\n"
                       "c-1,entity,Example Trading LLC,EXT LLC; Example Trading ,ae;IR,ok\r\n"
                       "c-2,Person,\"KIM, Chol\",,KP,\r\n"
                       "c-3,company,Bad Type Ltd,,DE,\r\n"
                       "c-4,entity,Bad Country GmbH,,DE;Germany,\r\n"
                       "c-5,vessel,Bad Code,,XX,\r\n"
                       ",entity,No Id,,,\r\n"
                       "c-6,aircraft,,,,\r\n"
                       "c-1,entity,Duplicate,,,\r\n"
                       "c-7,entity,Short\r\n"
                       "\r\n"
                       "c-8,vessel,Sea \"Star\",,PA,\r\n"
                       "c-9,vessel,OCEAN,,pa ; kr,\r\n";
    write_file(path, text, strlen(text));
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "c-1");
    collect_want(&c, "c-2");
    collect_want(&c, "c-9");
    ingest_path(path, NULL, &c, &r, &err, 0);
    assert_string_equal(r.list, "blocked-parties");
    assert_string_equal(r.format, "simple-csv");
    assert_int_equal(r.records, 11);
    assert_int_equal(r.entities, 3);
    assert_int_equal(r.malformed, 8);
    assert_int_equal(r.n_problems, ECTL_BUILD_MAX_PROBLEMS);
    assert_problem(&r, "blocked-parties.csv:4: column 2 (type): unknown type 'company'", NULL);
    assert_problem(
        &r, "blocked-parties.csv:5: column 5 (countries): unknown country code 'Germany'", NULL);
    assert_problem(&r, "blocked-parties.csv:6: column 5 (countries): unknown country code 'XX'",
                   NULL);
    assert_problem(&r, "blocked-parties.csv:7: column 1 (id): empty", NULL);
    assert_problem(&r, "blocked-parties.csv:8: column 3 (name): empty", NULL);
    assert_problem(&r, "blocked-parties.csv:9: column 1 (id): duplicate id 'c-1'", NULL);
    assert_problem(&r, "blocked-parties.csv:10: 3 fields, expected 6", NULL);
    assert_problem(&r, "blocked-parties.csv:12:", "quote inside an unquoted field");
    const char *d = collect_dump(&c, "c-1");
    assert_contains(d, "list=blocked-parties\n");
    assert_contains(d, "type=entity\n");
    assert_contains(d, "primary=Example Trading LLC\naka=EXT LLC\naka=Example Trading\n");
    assert_contains(d, "country=AE\ncountry=IR\n");
    d = collect_dump(&c, "c-2");
    assert_contains(d, "type=person\n");
    assert_contains(d, "primary=KIM, Chol\n");
    d = collect_dump(&c, "c-9");
    assert_contains(d, "country=PA\ncountry=KR\n");
    collect_release(&c);

    /* Header only: a list with nothing in it is still a list. */
    write_file(path, "id,type,name,aliases,countries\n", 31);
    collect_init(&c);
    ingest_path(path, NULL, &c, &r, &err, 0);
    assert_int_equal(r.entities, 0);
    assert_int_equal(c.calls, 0);
    unlink(path);
    rmdir(dir);
}

/* The header decides; a similar file with another header is refused. */
static void simple_header(void **state)
{
    (void)state;
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    const char *text = "id,name,type,aliases,countries\nx,A,entity,,\n";
    collect_init(&c);
    assert_int_equal(
        ectl_ingest_buffer(text, strlen(text), "mine.csv", "simple-csv", collect_fn, &c, &r, &err),
        ECTL_EFORMAT);
    assert_contains(err.msg, "mine.csv:1: not a simple list CSV");
    assert_int_equal(c.calls, 0);
    /* Upper-case header, no extension in the name. */
    text = "ID,Type,Name,Aliases,Countries\nx,entity,A,,\n";
    collect_init(&c);
    assert_int_equal(
        ectl_ingest_buffer(text, strlen(text), "dir/mylist", NULL, collect_fn, &c, &r, &err), 0);
    assert_string_equal(r.list, "mylist");
    assert_int_equal(r.entities, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_file),
        cmocka_unit_test(simple_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
