/*
 * trade.gov Consolidated Screening List, CSV download
 * (data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv).
 *
 * A header row names the columns (_id, source, entity_number, type,
 * programs, name, title, addresses, ..., alt_names, citizenships,
 * dates_of_birth, nationalities, places_of_birth, source_information_url,
 * ids); columns are found by name, so a reordered file still reads.
 * alt_names, addresses, programs, citizenships, nationalities and
 * dates_of_birth hold several values joined by ';'.
 *
 * One file holds thirteen lists; `source` says which, and each becomes
 * its own list id (table below).  A source not in the table still gets an
 * id, made from the abbreviation in its parentheses, and a note.
 *
 * A copy of the header line in the middle of the file is an artefact of
 * concatenated downloads (the 2023 sample has one on line 2): it is
 * skipped and noted among the problems, without counting as malformed.
 */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

enum {
    K_ID,
    K_SOURCE,
    K_TYPE,
    K_PROGRAMS,
    K_NAME,
    K_ADDRESSES,
    K_VESSEL_FLAG,
    K_ALT_NAMES,
    K_CITIZENSHIPS,
    K_DOBS,
    K_NATIONALITIES,
    K_NCOLS
};

static const char *const col_names[K_NCOLS] = {
    "_id",         "source",    "type",         "programs",       "name",          "addresses",
    "vessel_flag", "alt_names", "citizenships", "dates_of_birth", "nationalities",
};

/* Columns without which a row is not a CSL row. */
static const bool required[K_NCOLS] = {[K_ID] = true, [K_SOURCE] = true, [K_NAME] = true};

/* Sub-lists of the CSL, keyed by the abbreviation in the parentheses of
 * `source` ("Entity List (EL) - Bureau of Industry and Security"): the
 * department part has changed wording over time, the abbreviation has
 * not.  docs/lists.md lists the full source strings of the 2022 file. */
static const struct {
    const char *abbrev;
    const char *list;
} sources[] = {
    {"SDN", "us-csl-sdn"},   {"EL", "us-csl-entity-list"}, {"DTC", "us-csl-itar-debarred"},
    {"DPL", "us-csl-dpl"},   {"SSI", "us-csl-ssi"},        {"UVL", "us-csl-unverified"},
    {"ISN", "us-csl-isn"},   {"PLC", "us-csl-plc"},        {"MEU", "us-csl-meu"},
    {"CMIC", "us-csl-cmic"}, {"CAP", "us-csl-capta"},      {"NS-MBS List", "us-csl-ns-mbs"},
    {"FSE", "us-csl-fse"},
};

struct csl {
    int col[K_NCOLS]; /* index of each column, -1 if absent */
    size_t n_header;
    char list[64]; /* list id made up for an unknown source */
    char unknown_source[64];
};

static int find_columns(struct ectl_csv *c, struct csl *k)
{
    for (int i = 0; i < K_NCOLS; i++)
        k->col[i] = -1;
    for (size_t f = 0; f < c->n_fields; f++) {
        const char *s = c->fields[f];
        size_t n = strlen(s);
        ing_trim(&s, &n);
        for (int i = 0; i < K_NCOLS; i++)
            if (k->col[i] < 0 && n == strlen(col_names[i]) && memcmp(s, col_names[i], n) == 0)
                k->col[i] = (int)f;
    }
    k->n_header = c->n_fields;
    for (int i = 0; i < K_NCOLS; i++)
        if (required[i] && k->col[i] < 0)
            return -1;
    /* The first column of the real header is _id: insist on it, so that
     * some other CSV with a "name" column is not taken for the CSL. */
    return k->col[K_ID] == 0 && k->col[K_SOURCE] >= 0 ? 0 : -1;
}

static int read_header(struct ing *g, struct ectl_csv *c, struct csl *k)
{
    struct ectl_error e = {0};
    int rc = ectl_csv_next(c, &e);
    if (rc == ECTL_ENOMEM)
        return ectl_error_set(g->err, rc, "%s: out of memory", g->name);
    if (rc != 1 || find_columns(c, k) != 0)
        return ectl_error_set(g->err, ECTL_EFORMAT,
                              "%s:1: not a trade.gov CSL file (the header must start with _id and "
                              "name the columns source and name)",
                              g->name);
    return 0;
}

int ectl__ing_check_csl(struct ing *g)
{
    struct ectl_csv c;
    struct csl k;
    ectl_csv_init(&c, g->data, g->len, g->name, 0);
    int rc = read_header(g, &c, &k);
    ectl_csv_release(&c);
    return rc;
}

static const char *field(const struct ectl_csv *c, const struct csl *k, int col)
{
    return k->col[col] >= 0 ? c->fields[k->col[col]] : "";
}

static bool is_header(const struct ectl_csv *c, const struct csl *k)
{
    return strcmp(field(c, k, K_ID), "_id") == 0 && strcmp(field(c, k, K_NAME), "name") == 0;
}

/* List id for a source string: the abbreviation in its last parentheses
 * ("Entity List (EL) - Bureau ..." -> EL) looked up in the table. */
static const char *list_for(struct ing *g, struct csl *k, const char *src, uint64_t line)
{
    const char *open = strrchr(src, '(');
    const char *close = open ? strchr(open, ')') : NULL;
    if (open && close) {
        const char *a = open + 1;
        size_t n = (size_t)(close - a);
        ing_trim(&a, &n);
        for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
            if (strlen(sources[i].abbrev) == n && memcmp(sources[i].abbrev, a, n) == 0)
                return sources[i].list;
        /* A sub-list this table does not know yet: keep its parties under
         * an id made from the abbreviation, and say so once. */
        char slug[40];
        size_t m = 0;
        for (size_t i = 0; i < n && m + 1 < sizeof slug; i++) {
            unsigned char ch = (unsigned char)a[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                slug[m++] = (char)ch;
            else if (ch >= 'A' && ch <= 'Z')
                slug[m++] = (char)(ch - 'A' + 'a');
            else if (m && slug[m - 1] != '-')
                slug[m++] = '-';
        }
        while (m && slug[m - 1] == '-')
            m--;
        slug[m] = '\0';
        if (m) {
            if (strncmp(k->unknown_source, a, n) != 0 || k->unknown_source[n] != '\0') {
                snprintf(k->unknown_source, sizeof k->unknown_source, "%.*s", (int)n, a);
                snprintf(k->list, sizeof k->list, "us-csl-%s", slug);
                ing_problem(g, "%s:%llu: column %d (source): unknown source '%.80s', listed as %s",
                            g->name, (unsigned long long)line, k->col[K_SOURCE] + 1, src, k->list);
            }
            return k->list;
        }
    }
    return NULL;
}

static enum ectl_entity_type csl_type(const char *s, bool *known)
{
    size_t n = strlen(s);
    ing_trim(&s, &n);
    *known = true;
    if (ing_ieq(s, n, "individual"))
        return ECTL_TYPE_PERSON;
    if (ing_ieq(s, n, "entity"))
        return ECTL_TYPE_ENTITY;
    if (ing_ieq(s, n, "vessel"))
        return ECTL_TYPE_VESSEL;
    if (ing_ieq(s, n, "aircraft"))
        return ECTL_TYPE_AIRCRAFT;
    /* Empty for every BIS and State list: they do not say. */
    *known = n == 0;
    return ECTL_TYPE_UNKNOWN;
}

static int add_alias(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    return ing_add_name(g, p, n, ECTL_NAME_AKA);
}

static int add_program(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    return ing_add_str(g, &g->programs, p, n);
}

static int add_dob(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    return ing_add_str(g, &g->dobs, p, n);
}

static int add_code(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    return ing_add_country(g, p, n, true);
}

/* Addresses end with the country code ("31 Jinrong Street, Beijing,
 * 100033, CN"), sometimes with a name, sometimes with nothing: try the
 * last part, quietly. */
static int add_address(struct ing *g, const char *p, size_t n, void *arg)
{
    (void)arg;
    int rc = ing_add_str(g, &g->addresses, p, n);
    if (rc)
        return rc;
    const char *last = p + n;
    while (last > p && last[-1] != ',')
        last--;
    return ing_add_country(g, last, (size_t)(p + n - last), false);
}

static int record(struct ing *g, struct ectl_csv *c, struct csl *k)
{
    uint64_t line = c->row_line;
    if (c->n_fields != k->n_header) {
        ing_malformed(g, "%s:%llu: %zu fields, expected %zu as in the header", g->name,
                      (unsigned long long)line, c->n_fields, k->n_header);
        return 0;
    }
    const char *id = field(c, k, K_ID), *name = field(c, k, K_NAME);
    size_t id_len = strlen(id), name_len = strlen(name);
    ing_trim(&id, &id_len);
    ing_trim(&name, &name_len);
    if (!id_len || !name_len) {
        int col = !id_len ? K_ID : K_NAME;
        ing_malformed(g, "%s:%llu: column %d (%s): empty", g->name, (unsigned long long)line,
                      k->col[col] + 1, col_names[col]);
        return 0;
    }
    const char *list = list_for(g, k, field(c, k, K_SOURCE), line);
    if (!list) {
        ing_malformed(g, "%s:%llu: column %d (source): '%.80s' names no list", g->name,
                      (unsigned long long)line, k->col[K_SOURCE] + 1, field(c, k, K_SOURCE));
        return 0;
    }
    bool known;
    enum ectl_entity_type type = csl_type(field(c, k, K_TYPE), &known);
    if (!known)
        ing_problem(g, "%s:%llu: column %d (type): unknown type '%.20s', kept as unknown", g->name,
                    (unsigned long long)line, k->col[K_TYPE] + 1, field(c, k, K_TYPE));
    ing_begin(g, list, type, line);
    int rc;
    if ((rc = ing_set_id(g, id, id_len)) || (rc = ing_set_primary(g, name, name_len)) ||
        (rc = ing_add_split(g, field(c, k, K_ALT_NAMES), ';', add_alias, NULL)) ||
        (rc = ing_add_split(g, field(c, k, K_PROGRAMS), ';', add_program, NULL)) ||
        (rc = ing_add_split(g, field(c, k, K_CITIZENSHIPS), ';', add_code, NULL)) ||
        (rc = ing_add_split(g, field(c, k, K_NATIONALITIES), ';', add_code, NULL)) ||
        (rc = ing_add_split(g, field(c, k, K_ADDRESSES), ';', add_address, NULL)) ||
        (rc = ing_add_split(g, field(c, k, K_DOBS), ';', add_dob, NULL)) ||
        (rc = ing_add_country(g, field(c, k, K_VESSEL_FLAG), strlen(field(c, k, K_VESSEL_FLAG)),
                              true)))
        return rc;
    return ing_emit(g);
}

int ectl__ing_csl(struct ing *g)
{
    struct ectl_csv c;
    struct csl k;
    memset(&k, 0, sizeof k);
    snprintf(g->rep->list, sizeof g->rep->list, "us-csl");
    ectl_csv_init(&c, g->data, g->len, g->name, 0);
    int rc = read_header(g, &c, &k);
    while (!rc) {
        rc = ing_csv_next(g, &c, NULL);
        if (rc == ING_SKIP) {
            g->rep->records++;
            rc = 0;
            continue;
        }
        if (rc <= 0)
            break;
        if (c.n_fields == k.n_header && is_header(&c, &k)) {
            ing_problem(g, "%s:%llu: repeated header line skipped (concatenated download)", g->name,
                        (unsigned long long)c.row_line);
            rc = 0;
            continue;
        }
        g->rep->records++;
        rc = record(g, &c, &k);
    }
    ectl_csv_release(&c);
    return rc < 0 ? rc : 0;
}
