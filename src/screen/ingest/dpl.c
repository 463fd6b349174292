/*
 * BIS Denied Persons List, the legacy text download (dpl.txt).
 *
 * Tab-separated, every field quoted ("" inside a field is a quote), a
 * header line, LF line ends:
 *
 *   Name, Street_Address, City, State, Country, Postal_Code,
 *   Effective_Date (MM/DD/YYYY), Expiration_Date (MM/DD/YYYY or empty),
 *   Standard_Order, Last_Update (YYYY-MM-DD), Action, FR_Citation
 *
 * One row per denial order and address, so a person denied at two
 * addresses is two rows and two entities, each with its own address.  The
 * file has no ids; an entity's id is a hash of the fields that identify
 * the row (Name to Postal_Code and Effective_Date), stable across
 * downloads as long as the row does not change, with "-2", "-3" ...
 * appended to exact repeats.  Type is unknown: the list mixes people and
 * companies without saying which.
 *
 * Dates are checked because the source has typos (Last_Update
 * "3033-09-30", "1023-11-01", and one before its Effective_Date): such a
 * row is noted among the problems with its line and kept.  The list date
 * is the newest plausible Last_Update.
 */
#include "ingest.h"

#include <stdio.h>
#include <string.h>

/* ---- A tab-separated, quoted reader ------------------------------------------ */

#define TSV_MAX_FIELDS 64

struct tsv {
    const char *name;
    const char *p, *end;
    uint64_t line, row_line;
    struct ectl_buf scratch;
    size_t offs[TSV_MAX_FIELDS];
    const char *fields[TSV_MAX_FIELDS];
    size_t n_fields;
};

static void tsv_init(struct tsv *t, const char *data, size_t len, const char *name)
{
    memset(t, 0, sizeof *t);
    t->name = name;
    t->p = data;
    t->end = data + len;
    t->line = 1;
    ectl_buf_init(&t->scratch);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        t->p += 3;
}

static void tsv_release(struct tsv *t)
{
    ectl_buf_release(&t->scratch);
}

/* 1 with a record, 0 at the end, ECTL_EPARSE (message in err, t->p left
 * at the record) or ECTL_ENOMEM. */
static int tsv_next(struct tsv *t, struct ectl_error *err)
{
    if (t->p >= t->end)
        return 0;
    ectl_buf_reset(&t->scratch);
    t->n_fields = 0;
    t->row_line = t->line;
    uint64_t line = t->line;
    const char *p = t->p;
    for (;;) {
        if (t->n_fields == TSV_MAX_FIELDS)
            return ectl_error_set(err, ECTL_EPARSE, "%s:%llu: more than %d fields", t->name,
                                  (unsigned long long)t->row_line, TSV_MAX_FIELDS);
        t->offs[t->n_fields++] = t->scratch.len;
        if (p < t->end && *p == '"') {
            p++;
            for (;;) {
                const char *q = p;
                while (q < t->end && *q != '"') {
                    line += *q == '\n';
                    q++;
                }
                if (ectl_buf_add(&t->scratch, p, (size_t)(q - p)))
                    return ECTL_ENOMEM;
                if (q >= t->end)
                    return ectl_error_set(err, ECTL_EPARSE,
                                          "%s:%llu: column %zu: unterminated quoted field", t->name,
                                          (unsigned long long)t->row_line, t->n_fields);
                p = q + 1;
                if (p < t->end && *p == '"') {
                    if (ectl_buf_addch(&t->scratch, '"'))
                        return ECTL_ENOMEM;
                    p++;
                    continue;
                }
                break;
            }
            if (p < t->end && *p != '\t' && *p != '\r' && *p != '\n')
                return ectl_error_set(err, ECTL_EPARSE,
                                      "%s:%llu: column %zu: text after a closing quote", t->name,
                                      (unsigned long long)line, t->n_fields);
        } else {
            const char *q = p;
            while (q < t->end && *q != '\t' && *q != '\r' && *q != '\n')
                q++;
            if (ectl_buf_add(&t->scratch, p, (size_t)(q - p)))
                return ECTL_ENOMEM;
            p = q;
        }
        if (ectl_buf_addch(&t->scratch, '\0'))
            return ECTL_ENOMEM;
        if (p < t->end && *p == '\t') {
            p++;
            continue;
        }
        if (p < t->end && *p == '\r')
            p++;
        if (p < t->end && *p == '\n')
            p++;
        line++;
        break;
    }
    t->p = p;
    t->line = line;
    for (size_t i = 0; i < t->n_fields; i++)
        t->fields[i] = t->scratch.ptr + t->offs[i];
    return 1;
}

/* ---- Columns ---------------------------------------------------------------------- */

enum {
    D_NAME,
    D_STREET,
    D_CITY,
    D_STATE,
    D_COUNTRY,
    D_POSTAL,
    D_EFFECTIVE,
    D_EXPIRATION,
    D_STANDARD_ORDER,
    D_LAST_UPDATE,
    D_ACTION,
    D_FR_CITATION,
    D_NCOLS
};

static const char *const col_names[D_NCOLS] = {
    "Name",           "Street_Address",  "City",           "State",       "Country", "Postal_Code",
    "Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update", "Action",  "FR_Citation",
};

struct dpl {
    int col[D_NCOLS];
    size_t n_header;
    struct ing_idset ids;
    char newest[11]; /* newest plausible Last_Update */
};

static int read_header(struct ing *g, struct tsv *t, struct dpl *d)
{
    struct ectl_error e = {0};
    int rc = tsv_next(t, &e);
    if (rc == ECTL_ENOMEM)
        return ectl_error_set(g->err, rc, "%s: out of memory", g->name);
    for (int i = 0; i < D_NCOLS; i++)
        d->col[i] = -1;
    if (rc == 1) {
        for (size_t f = 0; f < t->n_fields; f++) {
            const char *s = t->fields[f];
            size_t n = strlen(s);
            ing_trim(&s, &n);
            for (int i = 0; i < D_NCOLS; i++)
                if (d->col[i] < 0 && n == strlen(col_names[i]) && memcmp(s, col_names[i], n) == 0)
                    d->col[i] = (int)f;
        }
        d->n_header = t->n_fields;
    }
    if (rc != 1 || d->col[D_NAME] != 0 || d->col[D_STREET] < 0 || d->col[D_COUNTRY] < 0 ||
        d->col[D_EFFECTIVE] < 0 || d->col[D_LAST_UPDATE] < 0)
        return ectl_error_set(g->err, ECTL_EFORMAT,
                              "%s:1: not a BIS Denied Persons List file (the tab-separated header "
                              "must start with Name and name Street_Address, Country, "
                              "Effective_Date and Last_Update)",
                              g->name);
    return 0;
}

int ectl__ing_check_dpl(struct ing *g)
{
    struct tsv t;
    struct dpl d;
    tsv_init(&t, g->data, g->len, g->name);
    int rc = read_header(g, &t, &d);
    tsv_release(&t);
    return rc;
}

static const char *field(const struct tsv *t, const struct dpl *d, int col)
{
    return d->col[col] >= 0 ? t->fields[d->col[col]] : "";
}

/* ---- Dates ----------------------------------------------------------------------------- */

static bool valid_ymd(int y, int m, int d)
{
    static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* "MM/DD/YYYY" or "YYYY-MM-DD" to "YYYY-MM-DD"; false if neither. */
static bool parse_date(const char *s, char out[11], int *year)
{
    size_t n = strlen(s);
    ing_trim(&s, &n);
    int y, m, d;
    if (n == 10 && ing_is_digits(s, 2) && s[2] == '/' && ing_is_digits(s + 3, 2) && s[5] == '/' &&
        ing_is_digits(s + 6, 4)) {
        m = num(s, 2), d = num(s + 3, 2), y = num(s + 6, 4);
    } else if (n == 10 && ing_is_digits(s, 4) && s[4] == '-' && ing_is_digits(s + 5, 2) &&
               s[7] == '-' && ing_is_digits(s + 8, 2)) {
        y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    } else {
        return false;
    }
    if (!valid_ymd(y, m, d))
        return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    *year = y;
    return true;
}

/* The list began in the 1980s and orders run for at most 50 years or so:
 * anything outside 1900..2099 is a typo. */
static bool plausible(int year)
{
    return year >= 1900 && year <= 2099;
}

static void check_dates(struct ing *g, const struct tsv *t, struct dpl *d)
{
    static const int cols[] = {D_EFFECTIVE, D_EXPIRATION, D_LAST_UPDATE};
    char iso[3][11] = {"", "", ""};
    bool ok[3] = {false, false, false};
    for (int i = 0; i < 3; i++) {
        const char *s = field(t, d, cols[i]);
        int year;
        size_t n = strlen(s);
        ing_trim(&s, &n);
        if (n == 0 || d->col[cols[i]] < 0)
            continue; /* no expiration: a standing order */
        if (!parse_date(s, iso[i], &year))
            ing_problem(g, "%s:%llu: column %d (%s): '%.20s' is not a date; entity kept", g->name,
                        (unsigned long long)t->row_line, d->col[cols[i]] + 1, col_names[cols[i]],
                        s);
        else if (!plausible(year))
            ing_problem(g,
                        "%s:%llu: column %d (%s): year %d in '%.20s' is implausible (typo?); "
                        "entity kept",
                        g->name, (unsigned long long)t->row_line, d->col[cols[i]] + 1,
                        col_names[cols[i]], year, s);
        else
            ok[i] = true;
    }
    if (ok[0] && ok[2] && strcmp(iso[2], iso[0]) < 0) {
        ing_problem(g,
                    "%s:%llu: column %d (Last_Update): %s is before the Effective_Date %s "
                    "(typo?); entity kept",
                    g->name, (unsigned long long)t->row_line, d->col[D_LAST_UPDATE] + 1, iso[2],
                    iso[0]);
        ok[2] = false;
    }
    if (ok[2] && strcmp(iso[2], d->newest) > 0)
        memcpy(d->newest, iso[2], sizeof d->newest);
}

/* ---- Records ------------------------------------------------------------------------------ */

static int set_id(struct ing *g, const struct tsv *t, struct dpl *d)
{
    static const int key[] = {D_NAME, D_STREET, D_CITY, D_STATE, D_COUNTRY, D_POSTAL, D_EFFECTIVE};
    uint64_t h = ING_HASH_INIT;
    for (size_t i = 0; i < sizeof key / sizeof key[0]; i++) {
        const char *s = field(t, d, key[i]);
        size_t n = strlen(s);
        ing_trim(&s, &n);
        h = ing_hash(h, s, n);
        h = ing_hash(h, "\t", 1);
    }
    char id[40];
    snprintf(id, sizeof id, "%016llx", (unsigned long long)h);
    for (unsigned k = 2;; k++) {
        int rc = ing_idset_add(&d->ids, h);
        if (rc < 0)
            return ectl_error_set(g->err, rc, "%s: out of memory", g->name);
        if (rc == 1)
            break;
        char suffix[16];
        int n = snprintf(suffix, sizeof suffix, "#%u", k);
        h = ing_hash(h, suffix, (size_t)n);
        snprintf(id + 16, sizeof id - 16, "-%u", k);
    }
    return ing_set_id(g, id, strlen(id));
}

static int record(struct ing *g, const struct tsv *t, struct dpl *d)
{
    if (t->n_fields != d->n_header) {
        ing_malformed(g, "%s:%llu: %zu fields, expected %zu as in the header", g->name,
                      (unsigned long long)t->row_line, t->n_fields, d->n_header);
        return 0;
    }
    const char *name = field(t, d, D_NAME);
    size_t name_len = strlen(name);
    ing_trim(&name, &name_len);
    if (!name_len) {
        ing_malformed(g, "%s:%llu: column 1 (Name): empty", g->name,
                      (unsigned long long)t->row_line);
        return 0;
    }
    check_dates(g, t, d);
    ing_begin(g, "us-bis-dpl", ECTL_TYPE_UNKNOWN, t->row_line);
    int rc;
    if ((rc = set_id(g, t, d)) || (rc = ing_set_primary(g, name, name_len)))
        return rc;
    static const int addr[] = {D_STREET, D_CITY, D_STATE, D_POSTAL, D_COUNTRY};
    struct ectl_buf b = ECTL_BUF_INIT;
    for (size_t i = 0; i < sizeof addr / sizeof addr[0] && !rc; i++) {
        const char *s = field(t, d, addr[i]);
        size_t n = strlen(s);
        ing_trim(&s, &n);
        if (!n)
            continue;
        if (b.len)
            rc = ectl_buf_adds(&b, ", ");
        if (!rc)
            rc = ectl_buf_add(&b, s, n);
    }
    if (!rc)
        rc = ing_add_str(g, &g->addresses, b.ptr, b.len);
    ectl_buf_release(&b);
    if (rc)
        return rc == ECTL_ENOMEM && g->err->code != ECTL_ENOMEM
                   ? ectl_error_set(g->err, rc, "%s: out of memory", g->name)
                   : rc;
    const char *cc = field(t, d, D_COUNTRY);
    if ((rc = ing_add_country(g, cc, strlen(cc), true)))
        return rc;
    return ing_emit(g);
}

int ectl__ing_dpl(struct ing *g)
{
    struct tsv t;
    struct dpl d;
    memset(&d, 0, sizeof d);
    snprintf(g->rep->list, sizeof g->rep->list, "us-bis-dpl");
    tsv_init(&t, g->data, g->len, g->name);
    int rc = read_header(g, &t, &d);
    while (!rc) {
        struct ectl_error e = {0};
        rc = tsv_next(&t, &e);
        if (rc == 0)
            break;
        if (rc == ECTL_ENOMEM) {
            rc = ectl_error_set(g->err, rc, "%s: out of memory", g->name);
            break;
        }
        if (rc == ECTL_EPARSE) {
            /* Resume at the next physical line, as for CSV. */
            g->rep->records++;
            const char *nl = memchr(t.p, '\n', (size_t)(t.end - t.p));
            ing_malformed(g, "%s%s", e.msg,
                          !nl && strstr(e.msg, "unterminated")
                              ? " (the file ends inside this record: truncated?)"
                              : "");
            t.p = nl ? nl + 1 : t.end;
            t.line = t.row_line + 1;
            rc = 0;
            continue;
        }
        if (t.n_fields == 1 && t.fields[0][strspn(t.fields[0], " \t\r\n")] == '\0') {
            rc = 0; /* a blank line */
            continue;
        }
        g->rep->records++;
        rc = record(g, &t, &d);
    }
    if (!rc && d.newest[0])
        memcpy(g->rep->list_date, d.newest, sizeof d.newest);
    ing_idset_release(&d.ids);
    tsv_release(&t);
    return rc < 0 ? rc : 0;
}
