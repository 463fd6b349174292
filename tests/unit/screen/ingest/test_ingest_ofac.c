/*
 * OFAC legacy CSV set: the real 2021-07 SDN set with its alt, add and
 * comments files, the three 2024 sdn.csv snapshots (no companions), the
 * 2025-12 consolidated non-SDN set, the 2025-12 partial set that lacks its
 * sdn.csv, and synthetic files for the quirks.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define SDN21 LISTS "/ofac_sdn_2021-07/sdn.csv"

static void sdn_2021_counts(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    ingest_path(SDN21, NULL, &c, &r, &err, 0);
    assert_string_equal(r.list, "us-ofac-sdn");
    assert_string_equal(r.format, "ofac-csv");
    assert_string_equal(r.list_date, "");
    assert_int_equal(r.records, 8976);
    assert_int_equal(r.entities, 8976);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(r.n_problems, 0);
    assert_int_equal(c.calls, 8976);
    /* README: individual 4,620; entity "-0-" 3,673; vessel 406; aircraft 277. */
    assert_int_equal(c.by_type[ECTL_TYPE_PERSON], 4620);
    assert_int_equal(c.by_type[ECTL_TYPE_ENTITY], 3673);
    assert_int_equal(c.by_type[ECTL_TYPE_VESSEL], 406);
    assert_int_equal(c.by_type[ECTL_TYPE_AIRCRAFT], 277);
    assert_int_equal(c.by_type[ECTL_TYPE_UNKNOWN], 0);
    /* alt.csv: 11,910 aliases = aka 11,523 + nka 18 (both AKA) + fka 369;
     * remarks add 2,417 weak a.k.a.s and 24 f.k.a.s. */
    assert_int_equal(c.by_kind[ECTL_NAME_PRIMARY], 8976);
    assert_int_equal(c.by_kind[ECTL_NAME_AKA], 11523 + 18);
    assert_int_equal(c.by_kind[ECTL_NAME_FKA], 369 + 24);
    assert_int_equal(c.by_kind[ECTL_NAME_WEAK], 2417);
    assert_int_equal(c.by_kind[ECTL_NAME_ORIGINAL], 0);
    assert_int_equal(r.names, 8976 + 11910 + 2417 + 24);
    /* add.csv: 13,837 address records, some of them only "-0-". */
    assert_true(c.addresses > 8000 && c.addresses <= 13837);
    collect_release(&c);
}

static void sdn_2021_entities(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "36");
    collect_want(&c, "306");
    collect_want(&c, "4243");
    collect_want(&c, "12727");
    collect_want(&c, "12735");
    collect_want(&c, "28263");
    collect_want(&c, "32391");
    ingest_path(SDN21, NULL, &c, &r, &err, 0);

    /* SDN_Type "-0-" is an entity; "-0-" fields are empty. */
    const char *d = collect_dump(&c, "36");
    assert_contains(d, "type=entity\n");
    assert_contains(d, "primary=AEROCARIBBEAN AIRLINES\n");
    assert_contains(d, "aka=AERO-CARIBBEAN\n");
    assert_contains(d, "address=Havana, Cuba\n");
    assert_not_contains(d, "-0-");

    /* Weak a.k.a. from the remarks, addresses from add.csv. */
    d = collect_dump(&c, "306");
    assert_contains(d, "line=3\n");
    assert_contains(d, "primary=BANCO NACIONAL DE CUBA\n");
    assert_contains(d, "aka=NATIONAL BANK OF CUBA\n");
    assert_contains(d, "weak=BNC\n");
    assert_contains(d, "country=CH\ncountry=ES\ncountry=JP\ncountry=PA\n");
    assert_contains(d, "program=CUBA\n");
    assert_contains(d, "address=Zweierstrasse 35, Zurich CH-8022, Switzerland\n");

    /* A vessel: flag country, f.k.a. in the remarks. */
    d = collect_dump(&c, "4243");
    assert_contains(d, "type=vessel\n");
    assert_contains(d, "fka=ANA I\n");
    assert_contains(d, "country=CY\n");

    /* Programs joined by "] ["; fka from alt.csv and from the remarks. */
    d = collect_dump(&c, "12727");
    assert_contains(d, "program=FTO\nprogram=SDGT\nprogram=IRGC\nprogram=IFSR\nprogram=IRAN-HR\n");
    assert_contains(d, "fka=SAZMAN BASIJ MELLI\n");
    assert_contains(d, "fka=NATIONAL MOBILIZATION ORGANIZATION\n");
    assert_contains(d, "weak=MOBILIZATION OF THE OPPRESSED UNIT\n");
    assert_not_contains(d, "ISLAMIC REVOLUTIONARY GUARD"); /* "Linked To:" is not a name */

    /* DOB and nationality from the remarks. */
    d = collect_dump(&c, "12735");
    assert_contains(d, "type=person\n");
    assert_contains(d, "dob=11 Sep 1965\n");
    assert_contains(d, "country=SY\n");
    assert_contains(d, "program=SYRIA\nprogram=SYRIA-EO13894\n");

    /* Remarks overflow: sdn.csv stops at "a.k.a. 'snowsjo", the comments
     * file goes on with "hn'; Linked To: LAZARUS GROUP." */
    d = collect_dump(&c, "28263");
    assert_contains(d, "weak=snowsjohn\n");
    assert_contains(d, "weak=tianyinyin0404\n");
    assert_contains(d, "dob=12 Jul 1986\n");
    assert_not_contains(d, "LAZARUS");

    /* The last record, just before the Ctrl-Z. */
    d = collect_dump(&c, "32391");
    assert_contains(d, "line=8976\n");
    assert_contains(d, "weak=CHAFFORI, Petit\n");
    assert_contains(d, "dob=1984\n");
    assert_contains(d, "country=ML\ncountry=NE\n");
    collect_release(&c);
}

static void snapshots(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    static const struct {
        const char *file;
        uint64_t records;
    } snaps[] = {
        {"sdn_2024-04-26.csv", 14668},
        {"sdn_2024-05-01.csv", 14966},
        {"sdn_2024-05-03.csv", 14965},
    };
    for (size_t i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/ofac_sdn_snapshots/%s", LISTS, snaps[i].file);
        struct collect c;
        struct ectl_source_report r;
        struct ectl_error err;
        collect_init(&c);
        ingest_path(path, NULL, &c, &r, &err, 0);
        /* Not named sdn.csv: still the SDN list, without companions. */
        assert_string_equal(r.list, "us-ofac-sdn");
        assert_string_equal(r.format, "ofac-csv");
        assert_int_equal(r.records, snaps[i].records);
        assert_int_equal(r.entities, snaps[i].records);
        assert_int_equal(r.malformed, 0);
        assert_int_equal(c.by_kind[ECTL_NAME_AKA], 0);
        /* Remarks cut at 1,000 characters whose rest is in the absent
         * comments file: the cut names are dropped and noted. */
        assert_int_equal(r.n_problems, 3);
        assert_problem(&r, "WHOIS HACKIN", "comments file missing");
        assert_problem(&r, ":7128: column 12 (Remarks)", "'snowsjo' ignored");
        collect_release(&c);
    }
}

static void cons_2025(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "9639");
    collect_want(&c, "17014");
    ingest_path(LISTS "/ofac_cons_2025-12/cons_prim.csv", NULL, &c, &r, &err, 0);
    assert_string_equal(r.list, "us-ofac-cons");
    assert_string_equal(r.format, "ofac-cons-csv");
    assert_int_equal(r.records, 442);
    assert_int_equal(r.entities, 442);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(r.n_problems, 0);
    assert_int_equal(c.by_type[ECTL_TYPE_ENTITY], 363);
    assert_int_equal(c.by_type[ECTL_TYPE_PERSON], 79);
    /* cons_alt.csv: 1,073 aliases; remarks: 69 weak, 3 fka. */
    assert_int_equal(c.by_kind[ECTL_NAME_AKA] + c.by_kind[ECTL_NAME_FKA] - 3, 1073);
    assert_int_equal(c.by_kind[ECTL_NAME_WEAK], 69);
    assert_int_equal(collect_list(&c, "us-ofac-cons"), 442);
    const char *d = collect_dump(&c, "9639");
    assert_contains(d, "primary=HANIYA, Ismail Abdul Salah\n");
    assert_contains(d, "aka=HANIYYA, Ismaeel\n");
    assert_contains(d, "program=NS-PLC\n");
    assert_contains(d, "dob=1962\n");
    /* The weak a.k.a. is in cons_comments.csv, the remarks overflow. */
    d = collect_dump(&c, "17014");
    assert_contains(d, "weak=RUSAG\n");
    assert_contains(d, "country=RU\n");
    assert_contains(d, "program=UKRAINE-EO13662\nprogram=RUSSIA-EO14024\n");
    collect_release(&c);
}

/* The 2025-12 partial set has alt, add and comments files but no sdn.csv:
 * none of them is a list on its own. */
static void companions_alone_refused(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    static const char *const files[] = {"alt.csv", "add.csv", "sdn_comments.csv"};
    for (size_t i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/ofac_sdn_2025-12_partial/%s", LISTS, files[i]);
        struct collect c;
        struct ectl_source_report r;
        struct ectl_error err;
        collect_init(&c);
        ingest_path(path, NULL, &c, &r, &err, ECTL_EFORMAT);
        assert_int_equal(c.calls, 0);
        assert_contains(err.msg, path);
        assert_contains(err.msg, "companion");
        ingest_path(path, "ofac-csv", &c, &r, &err, ECTL_EFORMAT);
        assert_int_equal(c.calls, 0);
    }
}

/* ---- Synthetic sets ------------------------------------------------------ */

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, text, strlen(text));
}

static void rm(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
}

/* Companions out of order, an orphan alias, a bad alias row, a record with
 * a bad ent_num, a missing final CRLF before the Ctrl-Z, and upper-case
 * file names as OFAC's own site serves them. */
static void synthetic_set(void **state)
{
    (void)state;
    const char *dir = tmp_dir();
    put(dir, "SDN.CSV",
        "10,\"ALPHA TRADING\",-0- ,\"IRAN] [SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"a.k.a. 'AT CO'; Linked To: BETA.\"\r\n"
        "x1,\"BROKEN\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "20,\"SMITH, John\",\"individual\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"DOB 01 Jan 1960; alt. DOB 1961; nationality Korea, North; citizen Russia; a.k.a. "
        "'SMITH, J'; f.k.a. 'AL-QA'IDA MAN'.\"\r\n"
        "30,\"OCEAN STAR\",\"vessel\",\"DPRK\",-0- ,-0- ,-0- ,-0- ,-0- ,\"Panama\",-0- ,-0- \x1a");
    put(dir, "ALT.CSV",
        "20,2,\"aka\",\"SMYTH, John\",-0- \r\n"
        "10,1,\"fka\",\"ALPHA TRADING OLD\",-0- \r\n"
        "99,3,\"aka\",\"NOBODY\",-0- \r\n"
        "bad row\r\n"
        "\x1a");
    put(dir, "ADD.CSV", "20,1,-0- ,\"Pyongyang\",\"Korea, North\",-0- \r\n");
    char path[512];
    snprintf(path, sizeof path, "%s/SDN.CSV", dir);
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "10");
    collect_want(&c, "20");
    collect_want(&c, "30");
    ingest_path(path, NULL, &c, &r, &err, 0);
    assert_int_equal(r.records, 4);
    assert_int_equal(r.entities, 3);
    assert_int_equal(r.malformed, 2); /* "x1" and "bad row" */
    assert_problem(&r, "SDN.CSV:2: column 1 (ent_num)", "not a number");
    assert_problem(&r, "ALT.CSV:4:", "1 fields, expected 5");
    assert_problem(&r, "ALT.CSV: 1 row for ent_nums that SDN.CSV does not list", NULL);
    const char *d = collect_dump(&c, "10");
    assert_contains(d, "fka=ALPHA TRADING OLD\n");
    assert_contains(d, "weak=AT CO\n");
    assert_not_contains(d, "BETA");
    assert_contains(d, "program=IRAN\nprogram=SDGT\n");
    d = collect_dump(&c, "20");
    assert_contains(d, "aka=SMYTH, John\n");
    assert_contains(d, "weak=SMITH, J\n");
    assert_contains(d, "fka=AL-QA'IDA MAN\n"); /* a quote inside the quoted name */
    assert_contains(d, "dob=01 Jan 1960\ndob=1961\n");
    assert_contains(d, "country=KP\ncountry=RU\n");
    assert_contains(d, "address=Pyongyang, Korea, North\n");
    d = collect_dump(&c, "30");
    assert_contains(d, "type=vessel\n");
    assert_contains(d, "country=PA\n");
    collect_release(&c);

    /* The same file as a buffer reads no companions. */
    size_t len;
    char *data = read_file(path, &len);
    collect_init(&c);
    collect_want(&c, "20");
    assert_int_equal(ectl_ingest_buffer(data, len, "sdn.csv", NULL, collect_fn, &c, &r, &err), 0);
    assert_int_equal(r.entities, 3);
    assert_not_contains(collect_dump(&c, "20"), "SMYTH");
    free(data);
    collect_release(&c);

    rm(dir, "SDN.CSV");
    rm(dir, "ALT.CSV");
    rm(dir, "ADD.CSV");
    rmdir(dir);
}

/* A name cut off by a missing quote and a stray quote: the bad line is
 * skipped and reading goes on at the next one. */
static void stray_quote(void **state)
{
    (void)state;
    const char *text = "1,\"A\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
                       "2,\"B\"x,-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
                       "3,\"C\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
                       "4,\"D\",-0- ,\"X\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"cut";
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    assert_int_equal(
        ectl_ingest_buffer(text, strlen(text), "sdn.csv", "ofac-csv", collect_fn, &c, &r, &err), 0);
    assert_int_equal(r.records, 4);
    assert_int_equal(r.entities, 2);
    assert_int_equal(r.malformed, 2);
    assert_problem(&r, "sdn.csv:2:", "text after a closing quote");
    assert_problem(&r, "sdn.csv:4:", "truncated?");
}

/* add.csv saved as alt.csv: refused before any entity is emitted, rather
 * than read as nonsense aliases. */
static void companion_wrong_shape(void **state)
{
    (void)state;
    const char *dir = tmp_dir();
    put(dir, "sdn.csv", "10,\"ALPHA\",-0- ,\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");
    put(dir, "alt.csv", "10,1,-0- ,\"Tehran\",\"Iran\",-0- \r\n");
    char path[512];
    snprintf(path, sizeof path, "%s/sdn.csv", dir);
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    ingest_path(path, NULL, &c, &r, &err, ECTL_EFORMAT);
    assert_int_equal(c.calls, 0);
    assert_contains(err.msg, "alt.csv:1: not an OFAC alt.csv file");
    put(dir, "alt.csv", "10,1,\"aka\"x,\"A\",-0- \r\n");
    ingest_path(path, NULL, &c, &r, &err, ECTL_EFORMAT);
    assert_contains(err.msg, "the first record does not parse");
    assert_int_equal(r.malformed, 0);
    assert_int_equal(c.calls, 0);
    rm(dir, "sdn.csv");
    rm(dir, "alt.csv");
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sdn_2021_counts),
        cmocka_unit_test(sdn_2021_entities),
        cmocka_unit_test(snapshots),
        cmocka_unit_test(cons_2025),
        cmocka_unit_test(companions_alone_refused),
        cmocka_unit_test(synthetic_set),
        cmocka_unit_test(stray_quote),
        cmocka_unit_test(companion_wrong_shape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
