/*
 * trade.gov Consolidated Screening List CSV: the complete 2022 list, the
 * 2023 partial file (repeated header, truncated last record), and
 * synthetic rows.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void csl_2022(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "26095");
    collect_want(&c, "4398d33e9e93c7477af39f1e0bfffc13ddd47bcc");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ingest_path(LISTS "/us_csl/consolidated_2022.csv", NULL, &c, &r, &err, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("consolidated_2022.csv (5.8 MB): %.3f s\n", secs);
    /* The target is "well under 0.5 s"; sanitizer builds are several times
     * slower, so the test only catches gross regressions. */
    assert_true(secs < 5.0);
    assert_string_equal(r.list, "us-csl");
    assert_string_equal(r.format, "csl-csv");
    assert_int_equal(r.records, 14160);
    assert_int_equal(r.entities, 14160);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(r.n_problems, 0);
    /* 14,160 primary names and 20,011 alt_names. */
    assert_int_equal(c.by_kind[ECTL_NAME_PRIMARY], 14160);
    assert_int_equal(c.by_kind[ECTL_NAME_AKA], 20011);
    assert_int_equal(r.names, 34171);
    /* One list id per source, README counts. */
    static const struct {
        const char *list;
        uint64_t n;
    } per[] = {
        {"us-csl-sdn", 10026}, {"us-csl-entity-list", 2001}, {"us-csl-itar-debarred", 727},
        {"us-csl-dpl", 462},   {"us-csl-ssi", 290},          {"us-csl-unverified", 201},
        {"us-csl-isn", 163},   {"us-csl-plc", 78},           {"us-csl-meu", 71},
        {"us-csl-cmic", 68},   {"us-csl-capta", 53},         {"us-csl-ns-mbs", 17},
        {"us-csl-fse", 3},
    };
    assert_int_equal(c.n_lists, sizeof per / sizeof per[0]);
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++)
        assert_int_equal(collect_list(&c, per[i].list), per[i].n);
    assert_int_equal(c.by_type[ECTL_TYPE_PERSON], 5286);
    assert_int_equal(c.by_type[ECTL_TYPE_ENTITY], 4533);
    assert_int_equal(c.by_type[ECTL_TYPE_VESSEL], 433);
    assert_int_equal(c.by_type[ECTL_TYPE_AIRCRAFT], 283);
    assert_int_equal(c.by_type[ECTL_TYPE_UNKNOWN], 3625); /* BIS and State lists say nothing */

    const char *d = collect_dump(&c, "26095");
    assert_contains(d, "list=us-csl-sdn\n");
    assert_contains(d, "type=person\n");
    assert_contains(d, "primary='ABD AL-NASIR, Hajji\n");
    assert_contains(d, "aka=ABDELNASSER, Hajji\naka=ABD AL-NASR, Hajji\naka=AL-KHUWAYT, Taha\n");
    assert_contains(d, "dob=1967\ndob=1966\ndob=1968\n");
    assert_contains(d, "country=IQ\n"); /* nationalities */
    assert_contains(d, "country=SY\n"); /* the address is just "SY" */
    assert_contains(d, "program=SDGT\n");
    d = collect_dump(&c, "4398d33e9e93c7477af39f1e0bfffc13ddd47bcc");
    assert_contains(d, "list=us-csl-entity-list\n");
    assert_contains(d, "type=unknown\n");
    assert_contains(d, "primary=140 Repair Plant JSC\n");
    assert_contains(d, "address=19 Luysi Chalovskoy St., Borisov, 222512, BY\n");
    assert_contains(d, "country=BY\n");
    collect_release(&c);
}

static void csl_2023_partial(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    ingest_path(LISTS "/us_csl/csl_2023-11_partial.csv", NULL, &c, &r, &err, 0);
    /* 4,228 rows after the header: one is the header again (line 2,
     * skipped and noted, not malformed), and the last one is cut off in
     * the middle of its addresses: the file is truncated. */
    assert_int_equal(r.records, 4227);
    assert_int_equal(r.entities, 4226);
    assert_int_equal(r.malformed, 1);
    assert_int_equal(r.n_problems, 2);
    assert_problem(&r, "csl_2023-11_partial.csv:2: repeated header line skipped", NULL);
    assert_problem(&r, "csl_2023-11_partial.csv:4233: column 8: unterminated quoted field",
                   "truncated?");
    assert_int_equal(collect_list(&c, "us-csl-sdn"), 1737); /* 1,738 with the cut one */
    assert_int_equal(collect_list(&c, "us-csl-entity-list"), 919);
    assert_int_equal(collect_list(&c, "us-csl-dpl"), 577);
    collect_release(&c);
}

static void synthetic(void **state)
{
    (void)state;
    const char *text =
        "_id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,"
        "dates_of_birth,nationalities,vessel_flag\n"
        "1,Entity List (EL) - Bureau of Industry and Security,,,,Acme Ltd,,\"1 Road, Minsk, BY; "
        "2 Street, Moscow, Russia\",ACME;  ;Acme Limited,,,,\n"
        "2,Brand New List (BNL) - Somewhere,,Entity,,Newco,,,,,,,\n"
        "3,No Parentheses,,Entity,,Oldco,,,,,,,\n"
        "4,Specially Designated Nationals (SDN) - Treasury Department,4,Vessel,IRAN; SDGT,SEA,,,,,"
        ",,Democratic People's Republic of Korea\n"
        "5,Specially Designated Nationals (SDN) - Treasury Department,5,Robot,,R2,,,,,,,\n"
        "6,Specially Designated Nationals (SDN) - Treasury Department,6,Individual,,,,,,,,,\n"
        "7,short row\n";
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "1");
    collect_want(&c, "2");
    collect_want(&c, "4");
    collect_want(&c, "5");
    assert_int_equal(
        ectl_ingest_buffer(text, strlen(text), "csl.csv", NULL, collect_fn, &c, &r, &err), 0);
    assert_int_equal(r.records, 7);
    assert_int_equal(r.entities, 4);
    assert_int_equal(r.malformed, 3);
    const char *d = collect_dump(&c, "1");
    assert_contains(d, "aka=ACME\naka=Acme Limited\n");
    assert_contains(d, "country=BY\ncountry=RU\n");
    d = collect_dump(&c, "2");
    assert_contains(d, "list=us-csl-bnl\n");
    assert_problem(&r, "csl.csv:3: column 2 (source): unknown source", "us-csl-bnl");
    assert_problem(&r, "csl.csv:4: column 2 (source)", "names no list");
    d = collect_dump(&c, "4");
    assert_contains(d, "type=vessel\n");
    assert_contains(d, "program=IRAN\nprogram=SDGT\n");
    assert_contains(d, "country=KP\n");
    d = collect_dump(&c, "5");
    assert_contains(d, "type=unknown\n");
    assert_problem(&r, "csl.csv:6: column 4 (type): unknown type 'Robot'", NULL);
    assert_problem(&r, "csl.csv:7: column 6 (name): empty", NULL);
    assert_problem(&r, "csl.csv:8: 2 fields, expected 13", NULL);
    collect_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csl_2022),
        cmocka_unit_test(csl_2023_partial),
        cmocka_unit_test(synthetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
