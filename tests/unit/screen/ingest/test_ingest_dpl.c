/*
 * BIS Denied Persons List text file: the real 2023-11 file with its date
 * typos, and synthetic rows.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>

#define DPL LISTS "/bis_dpl/dpl_2023-11.txt"

static void dpl_2023(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    /* Ids are hashes of the row; pinned here because an index built
     * yesterday must find the same ids today. */
    collect_want(&c, "c529f2cefb5a4e8b");
    ingest_path(DPL, NULL, &c, &r, &err, 0);
    assert_string_equal(r.list, "us-bis-dpl");
    assert_string_equal(r.format, "dpl-txt");
    assert_int_equal(r.records, 665);
    assert_int_equal(r.entities, 665);
    assert_int_equal(r.names, 665);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(c.by_type[ECTL_TYPE_UNKNOWN], 665);
    /* The newest plausible Last_Update, not 3033-09-30. */
    assert_string_equal(r.list_date, "2023-11-28");
    /* The date typos are reported with their lines; the rows are kept. */
    assert_int_equal(r.n_problems, 4);
    assert_problem(&r, "dpl_2023-11.txt:316: column 10 (Last_Update): year 3033", "entity kept");
    assert_problem(&r, "dpl_2023-11.txt:26: column 10 (Last_Update): year 1023", NULL);
    assert_problem(&r, "dpl_2023-11.txt:218: column 10 (Last_Update): year 1023", NULL);
    assert_problem(&r, "dpl_2023-11.txt:57: column 10 (Last_Update): 2001-12-06 is before",
                   "2021-11-30");
    const char *d = collect_dump(&c, "c529f2cefb5a4e8b");
    assert_contains(d, "line=2\n");
    assert_contains(d, "primary=I. ASH\n");
    assert_contains(d, "country=US\n");
    assert_contains(d, "address=UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, "
                       "FCI SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159, US\n");
    collect_release(&c);
}

static void synthetic(void **state)
{
    (void)state;
    const char *text =
        "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t"
        "\"Effective_Date\"\t\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t"
        "\"FR_Citation\"\n"
        "\"IHSAN \"\"SAMMY\"\" E\"\t\"1 A "
        "ST\"\t\"X\"\t\"TX\"\t\"US\"\t\"1\"\t\"03/04/2002\"\t\"\"\t\"Y\"\t"
        "\"2006-07-11\"\t\"\"\t\"\"\n"
        "\"IHSAN \"\"SAMMY\"\" E\"\t\"1 A "
        "ST\"\t\"X\"\t\"TX\"\t\"US\"\t\"1\"\t\"03/04/2002\"\t\"\"\t\"Y\"\t"
        "\"2006-07-11\"\t\"\"\t\"\"\n"
        "\"JOHNSON HU\"\t\"\"\t\"SHANGHAI\"\t\"\"\t\"PRC\"\t\"\"\t\"02/30/2016\"\t\"\"\t\"Y\"\t"
        "\"2016-02-11\"\t\"\"\t\"\"\n"
        "\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\n"
        "\"SHORT\"\t\"ROW\"\n"
        "\n"
        "\"BROKEN\" x\t\"\"\n"
        "\"LAST\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"\"\t\"01/01/"
        "2020\"\t\"\"\t\"Y\"\t\"2020-01-02\"\t\"\"\t\"";
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    assert_int_equal(
        ectl_ingest_buffer(text, strlen(text), "dpl.txt", NULL, collect_fn, &c, &r, &err), 0);
    assert_string_equal(r.format, "dpl-txt");
    assert_int_equal(r.records, 7);
    assert_int_equal(r.entities, 3);
    assert_int_equal(r.malformed, 4);
    assert_problem(&r, "dpl.txt:4: column 7 (Effective_Date): '02/30/2016' is not a date", NULL);
    assert_problem(&r, "dpl.txt:5: column 1 (Name): empty", NULL);
    assert_problem(&r, "dpl.txt:6: 2 fields, expected 12", NULL);
    assert_problem(&r, "dpl.txt:8: column 1: text after a closing quote", NULL);
    assert_problem(&r, "dpl.txt:9: column 12: unterminated quoted field", "truncated?");
    assert_string_equal(r.list_date, "2016-02-11");
    collect_release(&c);
}

/* The id scheme, restated: FNV-1a 64 over Name, Street_Address, City,
 * State, Country, Postal_Code and Effective_Date, each trimmed and
 * followed by a tab, in hex; exact repeats get "-2", "-3" ... */
static void dpl_id(char out[17], const char *const f[7])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < 7; i++) {
        for (const char *p = f[i]; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 0x100000001b3ULL;
        }
        h ^= '\t';
        h *= 0x100000001b3ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static void ids(void **state)
{
    (void)state;
    const char *text =
        "Name\tStreet_Address\tCity\tState\tCountry\tPostal_Code\tEffective_Date\tExpiration_Date\t"
        "Standard_Order\tLast_Update\tAction\tFR_Citation\n"
        "A\tB\tC\tD\tCN\tF\t01/01/2001\t\tY\t2001-01-02\t\t\n"
        "A\tB\tC\tD\tCN\tF\t01/01/2001\t\tY\t2001-01-02\t\t\n"
        " A \tB\tC\tD\tCN\tF\t01/01/2001\t\tY\t2001-01-02\t\t\n";
    static const char *const fields[7] = {"A", "B", "C", "D", "CN", "F", "01/01/2001"};
    char id[17], id2[20], id3[20];
    dpl_id(id, fields);
    snprintf(id2, sizeof id2, "%s-2", id);
    snprintf(id3, sizeof id3, "%s-3", id);
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, id);
    collect_want(&c, id2);
    collect_want(&c, id3);
    assert_int_equal(
        ectl_ingest_buffer(text, strlen(text), "dpl.txt", NULL, collect_fn, &c, &r, &err), 0);
    assert_int_equal(r.entities, 3);
    assert_contains(collect_dump(&c, id), "line=2\n");
    assert_contains(collect_dump(&c, id2), "line=3\n");
    assert_contains(collect_dump(&c, id3), "line=4\n");
    assert_contains(collect_dump(&c, id3), "country=CN\n");
    collect_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dpl_2023),
        cmocka_unit_test(synthetic),
        cmocka_unit_test(ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
