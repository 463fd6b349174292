/*
 * UN Security Council consolidated list (XML): the real 2026-02-27 list,
 * a truncated copy, and hostile documents.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define UN LISTS "/un/un_consolidated_2026-02-27.xml"

static void un_list(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    collect_want(&c, "6907993");
    collect_want(&c, "6908402");
    collect_want(&c, "6908547");
    collect_want(&c, "6908566");
    collect_want(&c, "110433");
    collect_want(&c, "6908006");
    ingest_path(UN, NULL, &c, &r, &err, 0);
    assert_string_equal(r.list, "un-sc");
    assert_string_equal(r.format, "un-xml");
    assert_string_equal(r.list_date, "2026-02-27");
    assert_int_equal(r.records, 730 + 273);
    assert_int_equal(r.entities, 730 + 273);
    assert_int_equal(r.malformed, 0);
    assert_int_equal(r.n_problems, 0);
    assert_int_equal(c.by_type[ECTL_TYPE_PERSON], 730);
    assert_int_equal(c.by_type[ECTL_TYPE_ENTITY], 273);
    /* Aliases by QUALITY: Good 1,524 + a.k.a. 594 -> AKA, Low 615 -> WEAK,
     * f.k.a. 19 -> FKA; 291 aliases are empty.  27 ALIAS_NAMEs hold several
     * spellings separated by ';', which become separate names: +46 AKA,
     * +2 WEAK.  378 names in their original script. */
    assert_int_equal(c.by_kind[ECTL_NAME_AKA], 1524 + 594 + 46);
    assert_int_equal(c.by_kind[ECTL_NAME_WEAK], 615 + 2);
    assert_int_equal(c.by_kind[ECTL_NAME_FKA], 19);
    assert_int_equal(c.by_kind[ECTL_NAME_ORIGINAL], 378);
    assert_int_equal(r.names, 1003 + 2164 + 617 + 19 + 378);

    const char *d = collect_dump(&c, "6907993");
    assert_contains(d, "line=4\n");
    assert_contains(d, "primary=ERIC BADEGE\n");    /* FIRST_NAME + SECOND_NAME */
    assert_contains(d, "country=CD\ncountry=RW\n"); /* nationality, then address */
    assert_contains(d, "program=DRC\nprogram=CDi.001\n");
    assert_contains(d, "dob=1971\n");
    assert_contains(d, "address=Rwanda\n");
    d = collect_dump(&c, "6908402");
    assert_contains(d, "type=entity\n");
    assert_contains(d, "primary=ADF\n");
    assert_contains(d, "aka=Allied Democratic Forces\n");
    assert_contains(d, "fka=Forces Démocratiques Alliées-Armée Nationale de Libération de "
                       "l’Ouganda\n");
    assert_contains(d, "fka=NALU\n");
    d = collect_dump(&c, "6908547");
    assert_contains(d, "primary=ASLAN AVGAZAROVICH BYUTUKAEV\n");
    assert_contains(d, "original=Аслан Авгазарович Бютукаев\n");
    assert_contains(d, "weak=Amir Khazmat (original script: Амир Хазмат)\n");
    assert_contains(d, "country=RU\n");
    assert_contains(d, "dob=1974-10-22\n");
    d = collect_dump(&c, "6908566");
    assert_contains(d, "aka=Jin Tiesan (金铁三)\n");
    assert_contains(d, "country=KP\n");
    d = collect_dump(&c, "110433");
    assert_contains(d, "aka=Mohammad Islami\naka=Mohamed Islami\naka=Mohammed Islami\n");
    d = collect_dump(&c, "6908006");
    assert_contains(d, "dob=circa 1966\n"); /* TYPE_OF_DATE APPROXIMATELY */
    collect_release(&c);
}

/* The file cut in the middle of a record: what came before stands, the
 * rest is reported with its line. */
static void un_truncated(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    size_t len;
    char *data = read_file(UN, &len);
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    collect_init(&c);
    assert_int_equal(
        ectl_ingest_buffer(data, len / 2, "un-cut.xml", NULL, collect_fn, &c, &r, &err), 0);
    assert_true(r.entities > 300 && r.entities < 1003);
    assert_int_equal(c.calls, r.entities);
    assert_int_equal(r.malformed, 1);
    assert_int_equal(r.records, r.entities + 1);
    assert_problem(&r, "un-cut.xml:", "not well-formed XML");
    assert_problem(&r, "the rest of the file was not read", NULL);
    /* Cut before the first record ends: refused, nothing emitted. */
    collect_init(&c);
    assert_int_equal(ectl_ingest_buffer(data, 1200, "un-cut.xml", NULL, collect_fn, &c, &r, &err),
                     ECTL_EFORMAT);
    assert_int_equal(c.calls, 0);
    assert_contains(err.msg, "un-cut.xml:");
    free(data);
}

static int run(const char *xml, struct collect *c, struct ectl_source_report *r,
               struct ectl_error *err)
{
    collect_init(c);
    return ectl_ingest_buffer(xml, strlen(xml), "t.xml", NULL, collect_fn, c, r, err);
}

static void un_hostile(void **state)
{
    (void)state;
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    /* External entity: refused before anything is read. */
    const char *xxe = "<?xml version=\"1.0\"?>\n"
                      "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
                      "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
                      "<FIRST_NAME>&x;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    assert_int_equal(run(xxe, &c, &r, &err), ECTL_EFORMAT);
    assert_int_equal(c.calls, 0);
    assert_contains(err.msg, "DOCTYPE");
    /* Forcing the format does not get a DTD past the reader either. */
    collect_init(&c);
    assert_int_equal(
        ectl_ingest_buffer(xxe, strlen(xxe), "t.xml", "un-xml", collect_fn, &c, &r, &err),
        ECTL_EFORMAT);
    assert_int_equal(c.calls, 0);
    /* Billion laughs, DOCTYPE after a comment. */
    const char *lol = "<!-- x --><!DOCTYPE CONSOLIDATED_LIST [<!ENTITY a \"aaaaaaaaaa\">"
                      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                      "<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>";
    assert_int_equal(run(lol, &c, &r, &err), ECTL_EFORMAT);
    assert_int_equal(c.calls, 0);
    /* Another root. */
    assert_int_equal(run("<?xml version=\"1.0\"?><sanctionsData/>", &c, &r, &err), ECTL_EFORMAT);
    assert_contains(err.msg, "t.xml: not the UN consolidated list");
    /* Not well-formed before any record. */
    assert_int_equal(run("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL></ENTITY>", &c, &r, &err),
                     ECTL_EFORMAT);
    assert_contains(err.msg, "t.xml:1: not well-formed XML");
    assert_int_equal(c.calls, 0);
    /* Records without an id or a name are malformed; the others stand. */
    const char *bad = "<CONSOLIDATED_LIST dateGenerated=\"garbage\"><INDIVIDUALS>\n"
                      "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME> A </FIRST_NAME>"
                      "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>B;C</ALIAS_NAME>"
                      "</INDIVIDUAL_ALIAS></INDIVIDUAL>\n"
                      "<INDIVIDUAL><FIRST_NAME>NO ID</FIRST_NAME></INDIVIDUAL>\n"
                      "<INDIVIDUAL><DATAID>3</DATAID></INDIVIDUAL>\n"
                      "</INDIVIDUALS><ENTITIES><ENTITY><DATAID>4</DATAID><FIRST_NAME><![CDATA[E "
                      "&amp; F]]></FIRST_NAME></ENTITY></ENTITIES></CONSOLIDATED_LIST>";
    collect_init(&c);
    collect_want(&c, "1");
    collect_want(&c, "4");
    assert_int_equal(ectl_ingest_buffer(bad, strlen(bad), "t.xml", NULL, collect_fn, &c, &r, &err),
                     0);
    assert_int_equal(r.records, 4);
    assert_int_equal(r.entities, 2);
    assert_int_equal(r.malformed, 2);
    assert_string_equal(r.list_date, "");
    assert_problem(&r, "t.xml:3: INDIVIDUAL without a DATAID", NULL);
    assert_problem(&r, "t.xml:4: INDIVIDUAL 3 without a name", NULL);
    assert_contains(collect_dump(&c, "1"), "primary=A\nweak=B\nweak=C\n");
    assert_contains(collect_dump(&c, "4"), "primary=E &amp; F\n");
    collect_release(&c);
}

/* libxml2 reports encoding errors on its generic channel, which prints to
 * stderr unless replaced: the library must print nothing. */
static void un_silent(void **state)
{
    (void)state;
    const char *xml = "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n"
                      "<CONSOLIDATED_LIST><INDIVIDUALS>\xbf"
                      "ENT</INDIVIDUALS></CONSOLIDATED_LIST>";
    char path[] = "/tmp/ectl-stderr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    struct collect c;
    struct ectl_source_report r;
    struct ectl_error err;
    int rc = run(xml, &c, &r, &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    assert_int_equal(rc, ECTL_EFORMAT);
    assert_contains(err.msg, "t.xml:2: not well-formed XML: input conversion failed");
    assert_int_equal(size, 0);
    /* A recoverable error (an undeclared namespace prefix) is a note. */
    const char *ns = "<CONSOLIDATED_LIST x:a=\"1\"><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
                     "<FIRST_NAME>A</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>";
    assert_int_equal(run(ns, &c, &r, &err), 0);
    assert_int_equal(r.entities, 1);
    assert_int_equal(r.malformed, 0);
    assert_problem(&r, "t.xml:1: XML error, recovered", "x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(un_list),
        cmocka_unit_test(un_truncated),
        cmocka_unit_test(un_hostile),
        cmocka_unit_test(un_silent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
