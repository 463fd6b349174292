/*
 * OFAC legacy CSV set: sdn.csv (SDN list) or cons_prim.csv (consolidated
 * non-SDN list), with the alt, add and comments files beside it.
 *
 *   sdn.csv       ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign,
 *                 Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 *   alt.csv       ent_num, alt_num, alt_type (aka|fka|nka), alt_name, alt_remarks
 *   add.csv       ent_num, add_num, address, city/state/postal, country, add_remarks
 *   sdn_comments  ent_num, remarks overflow (continues Remarks mid-word)
 *
 * No header; every field may be "-0-" (with a trailing space) for empty;
 * programs are joined by "] ["; files end with CRLF and a Ctrl-Z.  The
 * cons_ set has the same shapes under cons_prim/cons_alt/cons_add/
 * cons_comments.
 *
 * The companions are keyed by ent_num.  Each is scanned once up front into
 * a sorted (ent_num, offset) index and its rows are parsed again from the
 * mapped file when their entity is emitted: no file is held as records in
 * memory, and the files need not be sorted the same way.
 *
 * Remarks carry more than remarks: "a.k.a. 'X'" there is OFAC's weak
 * a.k.a. (ECTL_NAME_WEAK; never in alt.csv), "f.k.a. 'X'" a former name,
 * "DOB ...", "nationality ...", "citizen ..." and "Nationality of
 * Registration ..." the dates and countries.  "Linked To: X" names another
 * party, not this one, and is deliberately not taken as a name.
 */
#include "ingest.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../core/file.h"

enum {
    P_ENT,
    P_NAME,
    P_TYPE,
    P_PROGRAM,
    P_TITLE,
    P_CALL_SIGN,
    P_VESS_TYPE,
    P_TONNAGE,
    P_GRT,
    P_VESS_FLAG,
    P_VESS_OWNER,
    P_REMARKS,
    P_NCOLS
};

static const char *const prim_cols[P_NCOLS] = {
    "ent_num",   "SDN_Name", "SDN_Type", "Program",   "Title",      "Call_Sign",
    "Vess_type", "Tonnage",  "GRT",      "Vess_flag", "Vess_owner", "Remarks",
};

enum comp_kind { C_ALT, C_ADD, C_COMMENTS, C_N };

static const size_t comp_fields[C_N] = {5, 6, 2};
static const char *const comp_what[C_N] = {"aliases", "addresses", "remarks overflow"};
static const char *const comp_label[C_N] = {"alt.csv", "add.csv", "comments"};

/* ---- Field values ---------------------------------------------------------- */

/* OFAC writes "-0-" (usually "-0- ") for an empty field. */
static void val(const char *s, const char **p, size_t *n)
{
    *p = s;
    *n = strlen(s);
    ing_trim(p, n);
    if (*n == 3 && memcmp(*p, "-0-", 3) == 0)
        *n = 0;
}

/* The data without the trailing Ctrl-Z, so that a file whose last record
 * has no CRLF before it still parses. */
static size_t data_len(const char *d, size_t n)
{
    while (n && d[n - 1] == 0x1A)
        n--;
    return n;
}

static bool parse_ent(const char *s, uint64_t *out)
{
    const char *p;
    size_t n;
    val(s, &p, &n);
    if (!ing_is_digits(p, n) || n > 18)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(p[i] - '0');
    *out = v;
    return true;
}

static bool parse_type(const char *s, enum ectl_entity_type *t)
{
    const char *p;
    size_t n;
    val(s, &p, &n);
    if (n == 0) /* "-0-": OFAC's way of saying "entity" */
        *t = ECTL_TYPE_ENTITY;
    else if (ing_ieq(p, n, "individual"))
        *t = ECTL_TYPE_PERSON;
    else if (ing_ieq(p, n, "vessel"))
        *t = ECTL_TYPE_VESSEL;
    else if (ing_ieq(p, n, "aircraft"))
        *t = ECTL_TYPE_AIRCRAFT;
    else
        return false;
    return true;
}

static bool is_alt_type(const char *s)
{
    const char *p;
    size_t n;
    val(s, &p, &n);
    return ing_ieq(p, n, "aka") || ing_ieq(p, n, "fka") || ing_ieq(p, n, "nka");
}

/* ---- Format check ------------------------------------------------------------ */

/* What kind of companion file the first record looks like, or -1. */
static int companion_shape(const struct ectl_csv *c)
{
    uint64_t ent;
    if (c->n_fields < 2 || !parse_ent(c->fields[0], &ent))
        return -1;
    if (c->n_fields == 5 && parse_ent(c->fields[1], &ent) && is_alt_type(c->fields[2]))
        return C_ALT;
    if (c->n_fields == 6 && parse_ent(c->fields[1], &ent))
        return C_ADD;
    if (c->n_fields == 2)
        return C_COMMENTS;
    return -1;
}

int ectl__ing_check_ofac(struct ing *g)
{
    struct ectl_csv c;
    ectl_csv_init(&c, g->data, data_len(g->data, g->len), g->name, 0);
    struct ectl_error e = {0};
    int rc = ectl_csv_next(&c, &e);
    int ret = 0;
    uint64_t ent;
    enum ectl_entity_type t;
    const char *name;
    size_t name_len = 0;
    if (rc == 1)
        val(c.fields[1 < c.n_fields ? 1 : 0], &name, &name_len);
    if (rc == ECTL_ENOMEM) {
        ret = ectl_error_set(g->err, rc, "%s: out of memory", g->name);
    } else if (rc == 1 && c.n_fields >= P_NCOLS && parse_ent(c.fields[P_ENT], &ent) &&
               name_len > 0 && parse_type(c.fields[P_TYPE], &t)) {
        ret = 0;
    } else if (rc == 1 && companion_shape(&c) >= 0) {
        int k = companion_shape(&c);
        ret = ectl_error_set(g->err, ECTL_EFORMAT,
                             "%s: an OFAC companion file (%s), not a list: it is read with the "
                             "sdn.csv or cons_prim.csv beside it",
                             g->name, comp_what[k]);
    } else {
        ret = ectl_error_set(g->err, ECTL_EFORMAT,
                             "%s:1: not an OFAC legacy CSV file (the first record must have %d "
                             "fields: a numeric ent_num, a name and an SDN_Type)",
                             g->name, P_NCOLS);
    }
    ectl_csv_release(&c);
    return ret;
}

/* ---- Companion files ------------------------------------------------------------ */

struct comp_row {
    uint64_t ent;
    uint64_t line;
    size_t off;
};

struct companion {
    enum comp_kind kind;
    char path[PATH_MAX];
    bool present;
    struct ectl_file file;
    struct ectl_csv csv;
    struct comp_row *rows;
    size_t n, cap;
    unsigned char *used;
};

static int cmp_row(const void *a, const void *b)
{
    const struct comp_row *x = a, *y = b;
    if (x->ent != y->ent)
        return x->ent < y->ent ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Companion names follow the primary's, case included (OFAC's own site
 * serves SDN.CSV, ALT.CSV ...; mirrors lower-case them).  Other file names
 * have no known companions. */
static bool companion_name(const char *base, enum comp_kind k, char *out, size_t cap)
{
    static const char *const sdn[C_N] = {"alt.csv", "add.csv", "sdn_comments.csv"};
    static const char *const cons[C_N] = {"cons_alt.csv", "cons_add.csv", "cons_comments.csv"};
    const char *name;
    if (strcasecmp(base, "sdn.csv") == 0)
        name = sdn[k];
    else if (strcasecmp(base, "cons_prim.csv") == 0)
        name = cons[k];
    else
        return false;
    bool upper = base[0] >= 'A' && base[0] <= 'Z';
    size_t n = strlen(name);
    if (n + 1 > cap)
        return false;
    for (size_t i = 0; i <= n; i++)
        out[i] = upper && name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 'a' + 'A') : name[i];
    return true;
}

static int comp_open(struct ing *g, struct companion *cp, enum comp_kind k)
{
    memset(cp, 0, sizeof *cp);
    cp->kind = k;
    char name[64];
    if (!g->dir || !companion_name(g->base, k, name, sizeof name))
        return 0;
    int n = snprintf(cp->path, sizeof cp->path, "%s/%s", g->dir, name);
    if (n < 0 || (size_t)n >= sizeof cp->path)
        return 0;
    struct ectl_error e = {0};
    int rc = ectl_file_open(&cp->file, cp->path, &e);
    if (rc == ECTL_ENOENT)
        return 0;
    if (rc)
        return ectl_error_set(g->err, rc, "%s", e.msg);
    cp->present = true;
    ectl_csv_init(&cp->csv, cp->file.data ? cp->file.data : "",
                  data_len(cp->file.data ? cp->file.data : "", cp->file.len), cp->path, 0);
    return 0;
}

static void comp_close(struct companion *cp)
{
    if (!cp->present)
        return;
    ectl_csv_release(&cp->csv);
    ectl_file_release(&cp->file);
    free(cp->rows);
    free(cp->used);
    cp->present = false;
}

/* Scan a companion once: check every row and remember where it starts. */
static int comp_index(struct ing *g, struct companion *cp)
{
    if (!cp->present)
        return 0;
    const char *saved_name = g->name;
    g->name = cp->path;
    bool first = true;
    int rc = 0;
    for (;;) {
        size_t off;
        uint64_t malformed = g->rep->malformed;
        size_t problems = g->rep->n_problems;
        rc = ing_csv_next(g, &cp->csv, &off);
        if (rc == ING_SKIP && first) {
            /* Not counted: the file is refused instead. */
            g->rep->malformed = malformed;
            g->rep->n_problems = problems;
            rc = ectl_error_set(g->err, ECTL_EFORMAT, "%s:%llu: not an OFAC %s file (%s)", cp->path,
                                (unsigned long long)cp->csv.row_line, comp_label[cp->kind],
                                "the first record does not parse");
            break;
        }
        if (rc == ING_SKIP) {
            rc = 0;
            continue;
        }
        if (rc <= 0)
            break;
        uint64_t ent;
        bool was_first = first;
        first = false;
        if (was_first &&
            (cp->csv.n_fields != comp_fields[cp->kind] || !parse_ent(cp->csv.fields[0], &ent))) {
            /* The first record decides, as for the list itself: a file of
             * another shape under this name (add.csv saved as alt.csv)
             * would otherwise pour nonsense into every entity. */
            rc = ectl_error_set(g->err, ECTL_EFORMAT,
                                "%s:%llu: not an OFAC %s file (%zu fields with a numeric ent_num "
                                "expected, the first record has %zu)",
                                cp->path, (unsigned long long)cp->csv.row_line,
                                comp_label[cp->kind], comp_fields[cp->kind], cp->csv.n_fields);
            break;
        }
        if (cp->csv.n_fields != comp_fields[cp->kind]) {
            ing_malformed(g, "%s:%llu: %zu fields, expected %zu", cp->path,
                          (unsigned long long)cp->csv.row_line, cp->csv.n_fields,
                          comp_fields[cp->kind]);
            continue;
        }
        if (!parse_ent(cp->csv.fields[0], &ent)) {
            ing_malformed(g, "%s:%llu: column 1 (ent_num): '%.40s' is not a number", cp->path,
                          (unsigned long long)cp->csv.row_line, cp->csv.fields[0]);
            continue;
        }
        if (cp->n == cp->cap) {
            size_t cap = cp->cap ? cp->cap * 2 : 1024;
            struct comp_row *r = realloc(cp->rows, cap * sizeof *r);
            if (!r) {
                rc = ectl_error_set(g->err, ECTL_ENOMEM, "%s: out of memory", cp->path);
                break;
            }
            cp->rows = r;
            cp->cap = cap;
        }
        cp->rows[cp->n++] = (struct comp_row){ent, cp->csv.row_line, off};
    }
    g->name = saved_name;
    if (rc < 0)
        return rc;
    if (cp->n) {
        qsort(cp->rows, cp->n, sizeof *cp->rows, cmp_row);
        cp->used = calloc(cp->n, 1);
        if (!cp->used)
            return ectl_error_set(g->err, ECTL_ENOMEM, "%s: out of memory", cp->path);
    }
    return 0;
}

/* First index row for ent, or cp->n. */
static size_t comp_find(const struct companion *cp, uint64_t ent)
{
    size_t lo = 0, hi = cp->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp->rows[mid].ent < ent)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Re-read index row i; false if it no longer parses (it did before). */
static bool comp_read(struct companion *cp, size_t i)
{
    cp->csv.p = cp->csv.start + cp->rows[i].off;
    cp->csv.line = cp->rows[i].line;
    cp->used[i] = 1;
    return ectl_csv_next(&cp->csv, NULL) == 1 && cp->csv.n_fields == comp_fields[cp->kind];
}

/* ---- Remarks ------------------------------------------------------------------- */

struct remarks_ctx {
    const char *path;
    uint64_t line;
};

/* Where the quoted name that starts at s ends: at the first quote that is
 * followed (after an optional full stop) by ';' or the end of the remarks.
 * Names contain quotes themselves (AL-QA'IDA, 'FOOPIE'), so the first
 * quote will not do. */
static const char *quoted_end(const char *s, const char *end)
{
    for (const char *q = s; q < end; q++) {
        if (*q != '\'')
            continue;
        const char *r = q + 1;
        if (r < end && *r == '.')
            r++;
        while (r < end && *r == ' ')
            r++;
        if (r == end || *r == ';')
            return q;
    }
    return NULL;
}

static bool starts(const char *s, const char *end, const char *lit)
{
    size_t n = strlen(lit);
    return (size_t)(end - s) >= n && memcmp(s, lit, n) == 0;
}

static int remark_segment(struct ing *g, const char *s, const char *e)
{
    static const char *const country_keys[] = {
        "nationality ",
        "alt. nationality ",
        "citizen ",
        "alt. citizen ",
        "Nationality of Registration ",
        "alt. Nationality of Registration ",
    };
    size_t n = (size_t)(e - s);
    ing_trim(&s, &n);
    e = s + n;
    /* The last segment ends the remarks with a full stop. */
    if (e > s && e[-1] == '.')
        e--;
    if (starts(s, e, "DOB "))
        return ing_add_str(g, &g->dobs, s + 4, (size_t)(e - s - 4));
    if (starts(s, e, "alt. DOB "))
        return ing_add_str(g, &g->dobs, s + 9, (size_t)(e - s - 9));
    for (size_t i = 0; i < sizeof country_keys / sizeof country_keys[0]; i++) {
        size_t k = strlen(country_keys[i]);
        if (starts(s, e, country_keys[i]))
            return ing_add_country(g, s + k, (size_t)(e - s) - k, true);
    }
    return 0;
}

static int parse_remarks(struct ing *g, const char *s, size_t n, bool overflow_read)
{
    const char *end = s + n;
    const char *p = s;
    int rc;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == ';'))
            p++;
        if (p >= end)
            break;
        enum ectl_name_kind kind = ECTL_NAME_WEAK;
        bool named = false;
        if (starts(p, end, "a.k.a. '") || starts(p, end, "n.k.a. '")) {
            named = true;
        } else if (starts(p, end, "f.k.a. '")) {
            named = true;
            kind = ECTL_NAME_FKA;
        }
        if (named) {
            const char *ns = p + 8;
            const char *q = quoted_end(ns, end);
            if (!q) {
                /* Remarks stop at 1,000 characters and go on in the
                 * comments file; without it the name is cut off. */
                ing_problem(g,
                            "%s:%llu: column 12 (Remarks): the remarks end inside a quoted name%s; "
                            "'%.60s' ignored",
                            g->name, (unsigned long long)g->line,
                            overflow_read ? "" : " (is the comments file missing?)", ns);
                break;
            }
            if ((rc = ing_add_name_unique(g, ns, (size_t)(q - ns), kind)))
                return rc;
            p = q + 1;
            const char *semi = memchr(p, ';', (size_t)(end - p));
            p = semi ? semi + 1 : end;
            continue;
        }
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *e = semi ? semi : end;
        if ((rc = remark_segment(g, p, e)))
            return rc;
        p = semi ? semi + 1 : end;
    }
    return 0;
}

/* ---- Records ---------------------------------------------------------------------- */

static int add_program(struct ing *g, const char *s, size_t n, void *arg)
{
    (void)arg;
    while (n && (*s == '[' || *s == ' '))
        s++, n--;
    while (n && (s[n - 1] == ']' || s[n - 1] == ' '))
        n--;
    return ing_add_str(g, &g->programs, s, n);
}

/* Programs are written "IRAN] [SDGT] [IFSR": split on "] [". */
static int add_programs(struct ing *g, const char *s)
{
    const char *p;
    size_t n;
    val(s, &p, &n);
    const char *end = p + n;
    while (p < end) {
        const char *q = p;
        while (q < end && !(q + 2 < end && q[0] == ']' && q[1] == ' ' && q[2] == '['))
            q++;
        if (q + 2 >= end)
            q = end;
        int rc = add_program(g, p, (size_t)(q - p), NULL);
        if (rc)
            return rc;
        p = q < end ? q + 3 : end;
    }
    return 0;
}

static int add_alt(struct ing *g, struct companion *cp, size_t i)
{
    const char *const *f = (const char *const *)cp->csv.fields;
    const char *t, *name;
    size_t tn, nn;
    val(f[2], &t, &tn);
    val(f[3], &name, &nn);
    enum ectl_name_kind kind = ECTL_NAME_AKA; /* aka, and nka: the name now in use */
    if (ing_ieq(t, tn, "fka"))
        kind = ECTL_NAME_FKA;
    else if (!ing_ieq(t, tn, "aka") && !ing_ieq(t, tn, "nka"))
        ing_problem(g, "%s:%llu: column 3 (alt_type): unknown alias type '%.20s', read as aka",
                    cp->path, (unsigned long long)cp->rows[i].line, f[2]);
    return ing_add_name(g, name, nn, kind);
}

static int add_address(struct ing *g, struct companion *cp)
{
    const char *const *f = (const char *const *)cp->csv.fields;
    struct ectl_buf line = ECTL_BUF_INIT;
    int rc = 0;
    for (int col = 2; col <= 4 && !rc; col++) {
        const char *p;
        size_t n;
        val(f[col], &p, &n);
        if (!n)
            continue;
        if (line.len)
            rc = ectl_buf_adds(&line, ", ");
        if (!rc)
            rc = ectl_buf_add(&line, p, n);
    }
    if (!rc)
        rc = ing_add_str(g, &g->addresses, line.ptr, line.len);
    ectl_buf_release(&line);
    if (rc)
        return rc == ECTL_ENOMEM ? ectl_error_set(g->err, rc, "%s: out of memory", g->name) : rc;
    const char *country;
    size_t cn;
    val(f[4], &country, &cn);
    return ing_add_country(g, country, cn, true);
}

static int record(struct ing *g, struct ectl_csv *c, size_t ncols, struct companion *comp)
{
    const char *const *f = (const char *const *)c->fields;
    uint64_t ent;
    int rc;
    if (c->n_fields != ncols) {
        ing_malformed(g, "%s:%llu: %zu fields, expected %zu", g->name,
                      (unsigned long long)c->row_line, c->n_fields, ncols);
        return 0;
    }
    if (!parse_ent(f[P_ENT], &ent)) {
        ing_malformed(g, "%s:%llu: column 1 (%s): '%.40s' is not a number", g->name,
                      (unsigned long long)c->row_line, prim_cols[P_ENT], f[P_ENT]);
        return 0;
    }
    const char *name;
    size_t name_len;
    val(f[P_NAME], &name, &name_len);
    if (!name_len) {
        ing_malformed(g, "%s:%llu: column 2 (%s): empty name", g->name,
                      (unsigned long long)c->row_line, prim_cols[P_NAME]);
        return 0;
    }
    enum ectl_entity_type type;
    if (!parse_type(f[P_TYPE], &type)) {
        /* Keep the party: a new type is no reason to stop screening it. */
        type = ECTL_TYPE_UNKNOWN;
        ing_problem(g, "%s:%llu: column 3 (%s): unknown type '%.20s', kept as unknown", g->name,
                    (unsigned long long)c->row_line, prim_cols[P_TYPE], f[P_TYPE]);
    }
    ing_begin(g, g->rep->list, type, c->row_line);
    const char *id;
    size_t id_len;
    val(f[P_ENT], &id, &id_len);
    if ((rc = ing_set_id(g, id, id_len)) || (rc = ing_set_primary(g, name, name_len)) ||
        (rc = add_programs(g, f[P_PROGRAM])))
        return rc;
    const char *flag;
    size_t flag_len;
    val(f[P_VESS_FLAG], &flag, &flag_len);
    if ((rc = ing_add_country(g, flag, flag_len, true)))
        return rc;

    for (size_t i = comp_find(&comp[C_ALT], ent);
         i < comp[C_ALT].n && comp[C_ALT].rows[i].ent == ent; i++)
        if (comp_read(&comp[C_ALT], i) && (rc = add_alt(g, &comp[C_ALT], i)))
            return rc;
    for (size_t i = comp_find(&comp[C_ADD], ent);
         i < comp[C_ADD].n && comp[C_ADD].rows[i].ent == ent; i++)
        if (comp_read(&comp[C_ADD], i) && (rc = add_address(g, &comp[C_ADD])))
            return rc;

    /* Remarks, continued by the comments file where it overflowed. */
    const char *rem;
    size_t rem_len;
    val(f[P_REMARKS], &rem, &rem_len);
    struct ectl_buf all = ECTL_BUF_INIT;
    rc = ectl_buf_add(&all, rem, rem_len);
    bool overflow = comp[C_COMMENTS].present;
    struct companion *cm = &comp[C_COMMENTS];
    for (size_t i = comp_find(cm, ent); !rc && i < cm->n && cm->rows[i].ent == ent; i++) {
        if (!comp_read(cm, i))
            continue;
        /* Not trimmed: the overflow continues the remarks mid-word. */
        rc = ectl_buf_adds(&all, cm->csv.fields[1]);
    }
    if (!rc)
        rc = parse_remarks(g, all.ptr, all.len, overflow);
    ectl_buf_release(&all);
    if (rc)
        return rc == ECTL_ENOMEM ? ectl_error_set(g->err, rc, "%s: out of memory", g->name) : rc;
    return ing_emit(g);
}

int ectl__ing_ofac(struct ing *g)
{
    int rc = ectl__ing_check_ofac(g);
    if (rc)
        return rc;
    snprintf(g->rep->list, sizeof g->rep->list, "%s",
             g->format == ING_OFAC_CONS ? "us-ofac-cons" : "us-ofac-sdn");

    struct companion comp[C_N];
    for (int k = 0; k < C_N; k++)
        memset(&comp[k], 0, sizeof comp[k]);
    for (int k = 0; k < C_N && !rc; k++)
        if (!(rc = comp_open(g, &comp[k], (enum comp_kind)k)))
            rc = comp_index(g, &comp[k]);

    struct ectl_csv c;
    ectl_csv_init(&c, g->data, data_len(g->data, g->len), g->name, 0);
    size_t ncols = 0;
    while (!rc) {
        rc = ing_csv_next(g, &c, NULL);
        if (rc == ING_SKIP) {
            g->rep->records++;
            rc = 0;
            continue;
        }
        if (rc <= 0)
            break;
        g->rep->records++;
        if (!ncols)
            ncols = c.n_fields; /* the check made sure it is at least 12 */
        rc = record(g, &c, ncols, comp);
    }
    ectl_csv_release(&c);

    for (int k = 0; k < C_N; k++) {
        size_t orphans = 0;
        for (size_t i = 0; i < comp[k].n; i++)
            orphans += !comp[k].used[i];
        if (!rc && orphans)
            ing_problem(g, "%s: %zu row%s for ent_nums that %s does not list, ignored",
                        comp[k].path, orphans, orphans == 1 ? "" : "s", g->base);
        comp_close(&comp[k]);
    }
    return rc < 0 ? rc : 0;
}
