/*
 * ectl_country_code: the table, the spellings the lists use, and coverage:
 * every country string in every real list file either maps to a code or
 * is on the deliberate list of unmapped values.  A new list snapshot with
 * a new spelling makes this test fail until the table (or the deliberate
 * list) learns it.
 */
#include "ingest_test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/csv.h"

static void cc(const char *name, const char *want)
{
    const char *got = ectl_country_code(name, strlen(name));
    if (!want && got)
        fail_msg("'%s' -> %s, want no code", name, got);
    if (want && (!got || strcmp(got, want) != 0))
        fail_msg("'%s' -> %s, want %s", name, got ? got : "NULL", want);
}

static void spellings(void **state)
{
    (void)state;
    cc("Korea, North", "KP");
    cc("Democratic People's Republic of Korea", "KP");
    cc("Democratic People’s Republic of Korea", "KP");
    cc("Korea, South", "KR");
    cc("Iran", "IR");
    cc("Iran (Islamic Republic of)", "IR");
    cc("Russian Federation", "RU");
    cc("Russia", "RU");
    cc("Türkiye", "TR");
    cc("TURKIYE", "TR");
    cc("Turkey", "TR");
    cc("Burma", "MM");
    cc("Cote d Ivoire", "CI");
    cc("Côte d'Ivoire", "CI");
    cc("  united   kingdom  ", "GB");
    cc("United Kingdom of Great Britain and Northern Ireland", "GB");
    cc("China, Hong Kong Special Administrative Region", "HK");
    cc("Congo, Democratic Republic of the", "CD");
    cc("Congo", "CG");
    cc("Kosovo", "XK");
    cc("XK", "XK");
    cc("PRC", "CN");
    cc("Region: Crimea", "UA");
    cc("Region: Gaza", "PS");
    cc("Palestinian", "PS");
    cc("Man, Isle of", "IM");
    cc("St. Kitts & Nevis", "KN");
    cc("Curaçao", "CW");
    cc("Åland Islands", "AX");
    cc("DE", "DE");
    cc("NA", "NA"); /* Namibia, as a code */
    cc("na", NULL); /* the UN's "not available" */
    cc("de", NULL); /* codes only in upper case */
    cc("ZZ", NULL);
    cc("NM", NULL);
    cc("Region: Kafia Kingi", NULL);
    cc("undetermined", NULL);
    cc("", NULL);
    cc("   ", NULL);
    cc("Atlantis", NULL);
    /* The length is respected: no NUL needed. */
    assert_string_equal(ectl_country_code("Iranian", 4), "IR");
    assert_string_equal(ectl_country_code("USA", 2), "US");
    assert_null(ectl_country_code(NULL, 0));
    char long_name[300];
    memset(long_name, 'a', sizeof long_name);
    assert_null(ectl_country_code(long_name, sizeof long_name));
    assert_true(ectl__country_unmapped_on_purpose("Undetermined", 12));
    assert_true(ectl__country_unmapped_on_purpose("Region: Jammu and Kashmir", 25));
    assert_false(ectl__country_unmapped_on_purpose("Germany", 7));
}

/* The table is sorted (bsearch) and every key is already folded, i.e.
 * finds itself; every code and English name of data/countries.csv maps. */
static void table(void **state)
{
    (void)state;
    const char *prev = NULL, *key, *code;
    size_t i = 0;
    for (; (key = ectl__country_table_entry(i, &code)); i++) {
        if (prev && strcmp(prev, key) >= 0)
            fail_msg("table not sorted at '%s' after '%s'", key, prev);
        prev = key;
        cc(key, code);
        assert_string_equal(ectl_country_code(code, 2), code);
    }
    assert_true(i > 300);

    size_t len;
    char *data = read_file(COUNTRIES, &len);
    struct ectl_csv c;
    ectl_csv_init(&c, data, len, COUNTRIES, ECTL_CSV_COMMENTS);
    struct ectl_error err;
    size_t n = 0;
    assert_int_equal(ectl_csv_next(&c, &err), 1); /* header */
    while (ectl_csv_next(&c, &err) == 1) {
        assert_int_equal(c.n_fields, 2);
        cc(c.fields[0], c.fields[0]);
        cc(c.fields[1], c.fields[0]);
        n++;
    }
    assert_int_equal(n, 250);
    ectl_csv_release(&c);
    free(data);
}

/* ---- Coverage over the real files ------------------------------------------ */

struct seen {
    size_t unmapped_values;
    size_t deliberate;
    char bad[4096];
};

static void note(struct seen *s, const char *file, uint64_t line, const char *value)
{
    if (ectl__country_unmapped_on_purpose(value, strlen(value))) {
        s->deliberate++;
        return;
    }
    s->unmapped_values++;
    size_t n = strlen(s->bad);
    snprintf(s->bad + n, sizeof s->bad - n, "%s:%llu: '%s'\n", file, (unsigned long long)line,
             value);
}

static void on_unmapped(void *ctx, const char *file, uint64_t line, const char *value)
{
    note(ctx, file, line, value);
}

static int ignore(void *ctx, const struct ectl_entity *e)
{
    (void)ctx;
    (void)e;
    return 0;
}

/* Country fields of files that cannot be imported on their own (the
 * 2025-12 partial set has no sdn.csv): column col of add.csv, and the
 * nationality segments of the remarks overflow. */
static void scan_column(struct seen *s, const char *path, size_t col, bool remarks)
{
    size_t len;
    char *data = read_file(path, &len);
    while (len && data[len - 1] == 0x1A)
        len--;
    struct ectl_csv c;
    struct ectl_error err;
    ectl_csv_init(&c, data, len, path, 0);
    size_t rows = 0;
    while (ectl_csv_next(&c, &err) == 1) {
        rows++;
        assert_true(col < c.n_fields);
        const char *v = c.fields[col];
        if (!remarks) {
            const char *p = v;
            size_t n = strlen(v);
            ing_trim(&p, &n);
            if (n && !(n == 3 && memcmp(p, "-0-", 3) == 0) && !ectl_country_code(p, n)) {
                char tmp[128];
                snprintf(tmp, sizeof tmp, "%.*s", (int)n, p);
                note(s, path, c.row_line, tmp);
            }
            continue;
        }
        static const char *const keys[] = {"; nationality ", "; citizen ",
                                           "; Nationality of Registration "};
        for (size_t k = 0; k < 3; k++) {
            for (const char *p = strstr(v, keys[k]); p; p = strstr(p + 1, keys[k])) {
                p += strlen(keys[k]);
                size_t n = strcspn(p, ";");
                while (n && (p[n - 1] == '.' || p[n - 1] == ' '))
                    n--;
                if (!ectl_country_code(p, n)) {
                    char tmp[128];
                    snprintf(tmp, sizeof tmp, "%.*s", (int)(n > 100 ? 100 : n), p);
                    note(s, path, c.row_line, tmp);
                }
            }
        }
    }
    assert_true(rows > 0);
    ectl_csv_release(&c);
    free(data);
}

static void coverage(void **state)
{
    (void)state;
    if (!lists_present())
        skip();
    static const char *const files[] = {
        "ofac_sdn_2021-07/sdn.csv",
        "ofac_sdn_snapshots/sdn_2024-04-26.csv",
        "ofac_sdn_snapshots/sdn_2024-05-01.csv",
        "ofac_sdn_snapshots/sdn_2024-05-03.csv",
        "ofac_cons_2025-12/cons_prim.csv",
        "us_csl/consolidated_2022.csv",
        "us_csl/csl_2023-11_partial.csv",
        "un/un_consolidated_2026-02-27.xml",
        "bis_dpl/dpl_2023-11.txt",
    };
    struct seen s;
    memset(&s, 0, sizeof s);
    struct ectl_ingest_hooks hooks = {on_unmapped, &s};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", LISTS, files[i]);
        struct ectl_source_report r;
        struct ectl_error err;
        int rc = ectl__ingest_file_hooks(path, NULL, ignore, NULL, &hooks, &r, &err);
        if (rc)
            fail_msg("%s: %s", path, err.msg);
    }
    scan_column(&s, LISTS "/ofac_sdn_2025-12_partial/add.csv", 4, false);
    scan_column(&s, LISTS "/ofac_sdn_2025-12_partial/sdn_comments.csv", 1, true);
    if (s.unmapped_values)
        fail_msg("%zu country values neither mapped nor deliberately unmapped:\n%s",
                 s.unmapped_values, s.bad);
    /* The deliberate list is in use (undetermined, None Identified, na ...). */
    assert_true(s.deliberate > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spellings),
        cmocka_unit_test(table),
        cmocka_unit_test(coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
