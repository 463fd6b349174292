/*
 * UN Security Council consolidated list, XML
 * (scsanctions.un.org/resources/xml/en/consolidated.xml).
 *
 *   CONSOLIDATED_LIST @dateGenerated
 *     INDIVIDUALS/INDIVIDUAL, ENTITIES/ENTITY
 *       DATAID, FIRST_NAME .. FOURTH_NAME, UN_LIST_TYPE, REFERENCE_NUMBER,
 *       NAME_ORIGINAL_SCRIPT, NATIONALITY/VALUE*,
 *       INDIVIDUAL_ALIAS|ENTITY_ALIAS (QUALITY, ALIAS_NAME)*,
 *       INDIVIDUAL_ADDRESS|ENTITY_ADDRESS (STREET, CITY, STATE_PROVINCE,
 *         ZIP_CODE, COUNTRY, NOTE)*,
 *       INDIVIDUAL_DATE_OF_BIRTH (TYPE_OF_DATE, DATE | YEAR |
 *         FROM_YEAR + TO_YEAR, NOTE)*
 *
 * Read with libxml2's xmlTextReader, one node at a time: the only state is
 * the record being built.  Alias QUALITY maps to name kinds: Good and
 * a.k.a. -> AKA, Low -> WEAK, f.k.a. -> FKA.  Programs are the UN_LIST_TYPE
 * (the sanctions regime, e.g. "DPRK") and the REFERENCE_NUMBER
 * ("KPi.001"), which is how UN documents cite an entry.  Places of birth
 * are not countries of the party and are left out.
 *
 * The file is untrusted: no network access, no entity substitution, no
 * DTD loading, and a document with a DOCTYPE at all is refused (the UN
 * never sends one), which rules out entity expansion attacks whatever the
 * libxml2 version.  libxml2 must not print: its errors are caught here and
 * reported with their line.
 */
#include "ingest.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#define ROOT "CONSOLIDATED_LIST"
#define MAX_DEPTH 12
#define TAG_MAX 32

/* ---- Format check ------------------------------------------------------- */

static const char *skip_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++;
    return p;
}

/* Cheap look at the root element's name without parsing: skip the XML
 * declaration, processing instructions and comments. */
int ectl__ing_check_un(struct ing *g)
{
    const char *p = g->data, *end = g->data + g->len;
    if (g->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (;;) {
        p = skip_ws(p, end);
        if (end - p >= 2 && p[0] == '<' && p[1] == '?') {
            const char *q = memmem(p, (size_t)(end - p), "?>", 2);
            if (!q)
                break;
            p = q + 2;
        } else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            const char *q = memmem(p, (size_t)(end - p), "-->", 3);
            if (!q)
                break;
            p = q + 3;
        } else {
            break;
        }
    }
    size_t n = strlen(ROOT);
    if ((size_t)(end - p) > n + 1 && p[0] == '<' && memcmp(p + 1, ROOT, n) == 0 &&
        (p[n + 1] == '>' || p[n + 1] == ' ' || p[n + 1] == '\t' || p[n + 1] == '\r' ||
         p[n + 1] == '\n' || p[n + 1] == '/'))
        return 0;
    if (end - p >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0)
        return ectl_error_set(g->err, ECTL_EFORMAT,
                              "%s: an XML document with a DOCTYPE is not the UN consolidated list "
                              "(refused: DTDs are not accepted in list files)",
                              g->name);
    return ectl_error_set(g->err, ECTL_EFORMAT,
                          "%s: not the UN consolidated list (the root element must be " ROOT ")",
                          g->name);
}

/* ---- Reading -------------------------------------------------------------- */

struct un {
    struct ing *g;
    xmlTextReaderPtr rd;
    char stack[MAX_DEPTH][TAG_MAX]; /* element names by depth ("" beyond TAG_MAX) */
    struct ectl_buf text;           /* text of the current leaf element */
    bool in_record;
    uint64_t record_line;
    bool record_bad;
    /* parts kept until the record ends, in the record's arena */
    const char *name_part[4];
    struct ing_strs originals, aliases; /* aliases: kind char + text */
    /* the current alias, address and date of birth */
    const char *quality, *alias;
    const char *addr[6]; /* STREET, CITY, STATE_PROVINCE, ZIP_CODE, COUNTRY, NOTE */
    const char *dob_type, *dob_date, *dob_year, *dob_from, *dob_to;
    /* the first libxml2 error, and the first message of its generic
     * channel (encoding errors are reported only there) */
    bool failed, err_fatal;
    int err_line;
    char err_msg[200];
    char generic_msg[200];
};

#if LIBXML_VERSION >= 21200
static void on_error(void *ctx, const xmlError *e)
#else
static void on_error(void *ctx, xmlErrorPtr e)
#endif
{
    struct un *u = ctx;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    /* Keep the first error, unless a fatal one follows a recoverable one:
     * the fatal one is why reading stopped. */
    if (u->failed && (u->err_fatal || e->level != XML_ERR_FATAL))
        return;
    u->failed = true;
    u->err_fatal = e->level == XML_ERR_FATAL;
    u->err_line = e->line;
    snprintf(u->err_msg, sizeof u->err_msg, "%s", e->message ? e->message : "XML error");
    size_t n = strlen(u->err_msg);
    while (n && (u->err_msg[n - 1] == '\n' || u->err_msg[n - 1] == ' '))
        u->err_msg[--n] = '\0';
}

/* libxml2 reports some errors (encoding, I/O) through its generic
 * channel, which prints to stderr unless replaced; the library must never
 * print.  The channel is per thread in libxml2, so replacing it for the
 * length of an import touches no other thread. */
static void on_generic_error(void *ctx, const char *fmt, ...)
{
    struct un *u = ctx;
    if (u->generic_msg[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->generic_msg, sizeof u->generic_msg, fmt, ap);
    va_end(ap);
    size_t n = strlen(u->generic_msg);
    while (n && (u->generic_msg[n - 1] == '\n' || u->generic_msg[n - 1] == ' '))
        u->generic_msg[--n] = '\0';
}

static bool is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

/* A copy of the current text in the record's arena ("" when empty). */
static const char *keep_text(struct un *u)
{
    const char *s = u->text.ptr;
    size_t n = u->text.len;
    ing_trim(&s, &n);
    return n ? ectl_arena_strndup(&u->g->arena, s, n) : "";
}

static void record_start(struct un *u, enum ectl_entity_type type)
{
    struct ing *g = u->g;
    u->in_record = true;
    u->record_bad = false;
    /* The node's own line: the parser's position is already ahead. */
    xmlNodePtr node = xmlTextReaderCurrentNode(u->rd);
    long line = node ? xmlGetLineNo(node) : -1;
    u->record_line = line > 0 ? (uint64_t)line : (uint64_t)xmlTextReaderGetParserLineNumber(u->rd);
    g->rep->records++;
    ing_begin(g, "un-sc", type, u->record_line);
    memset(u->name_part, 0, sizeof u->name_part);
    memset(&u->originals, 0, sizeof u->originals);
    memset(&u->aliases, 0, sizeof u->aliases);
    u->quality = u->alias = NULL;
    memset(u->addr, 0, sizeof u->addr);
    u->dob_type = u->dob_date = u->dob_year = u->dob_from = u->dob_to = NULL;
}

static int add_alias(struct un *u)
{
    struct ing *g = u->g;
    if (!u->alias || !*u->alias)
        return 0;
    const char *q = u->quality ? u->quality : "";
    enum ectl_name_kind kind = ECTL_NAME_AKA; /* Good, a.k.a., and anything new */
    if (ing_ieq(q, strlen(q), "Low"))
        kind = ECTL_NAME_WEAK;
    else if (ing_ieq(q, strlen(q), "f.k.a."))
        kind = ECTL_NAME_FKA;
    /* Held back until the record ends: the primary name must come first
     * and the name parts may follow the aliases in a valid file. */
    /* One ALIAS_NAME may hold several spellings separated by ';'
     * ("Qasim Soleimani; Qasem Sulaimani; ..."): each is a name.  A ';'
     * inside parentheses is part of a gloss and stays. */
    const char *s = u->alias;
    while (*s) {
        const char *e = s;
        int depth = 0;
        for (; *e && !(*e == ';' && depth == 0); e++) {
            if (*e == '(')
                depth++;
            else if (*e == ')' && depth > 0)
                depth--;
        }
        const char *p = s;
        size_t n = (size_t)(e - s);
        ing_trim(&p, &n);
        if (n) {
            char *t = ectl_arena_alloc(&g->arena, n + 2);
            if (!t)
                return ECTL_ENOMEM;
            t[0] = (char)('0' + kind);
            memcpy(t + 1, p, n);
            t[n + 1] = '\0';
            int rc = ing_add_str(g, &u->aliases, t, n + 1);
            if (rc)
                return rc;
        }
        s = *e ? e + 1 : e;
    }
    return 0;
}

static int add_address(struct un *u)
{
    struct ing *g = u->g;
    struct ectl_buf b = ECTL_BUF_INIT;
    int rc = 0;
    for (int i = 0; i < 5 && !rc; i++) { /* the NOTE ("as of 2016") is not part of it */
        if (!u->addr[i] || !*u->addr[i])
            continue;
        if (b.len)
            rc = ectl_buf_adds(&b, ", ");
        if (!rc)
            rc = ectl_buf_adds(&b, u->addr[i]);
    }
    if (!rc && b.len)
        rc = ing_add_str(g, &g->addresses, b.ptr, b.len);
    ectl_buf_release(&b);
    if (!rc && u->addr[4])
        rc = ing_add_country(g, u->addr[4], strlen(u->addr[4]), true);
    return rc;
}

/* Dates of birth in the style of the OFAC remarks, so that every list
 * reads alike: "1971-03-12", "1971", "1960 to 1962", "circa 1955". */
static int add_dob(struct un *u)
{
    char buf[64];
    const char *circa =
        u->dob_type && ing_ieq(u->dob_type, strlen(u->dob_type), "APPROXIMATELY") ? "circa " : "";
    if (u->dob_date && *u->dob_date)
        snprintf(buf, sizeof buf, "%s%.40s", circa, u->dob_date);
    else if (u->dob_year && *u->dob_year)
        snprintf(buf, sizeof buf, "%s%.20s", circa, u->dob_year);
    else if (u->dob_from && *u->dob_from && u->dob_to && *u->dob_to)
        snprintf(buf, sizeof buf, "%.20s to %.20s", u->dob_from, u->dob_to);
    else
        return 0;
    return ing_add_str(u->g, &u->g->dobs, buf, strlen(buf));
}

static int record_end(struct un *u)
{
    struct ing *g = u->g;
    u->in_record = false;
    if (u->record_bad) {
        ing_drop(g);
        return 0;
    }
    /* FIRST_NAME .. FOURTH_NAME joined: "ERIC BADEGE". */
    struct ectl_buf full = ECTL_BUF_INIT;
    int rc = 0;
    for (int i = 0; i < 4 && !rc; i++) {
        if (!u->name_part[i] || !*u->name_part[i])
            continue;
        if (full.len)
            rc = ectl_buf_addch(&full, ' ');
        if (!rc)
            rc = ectl_buf_adds(&full, u->name_part[i]);
    }
    if (!rc && full.len)
        rc = ing_set_primary(g, full.ptr, full.len);
    ectl_buf_release(&full);
    for (size_t i = 0; !rc && i < u->originals.n; i++)
        rc = ing_add_name(g, u->originals.v[i], strlen(u->originals.v[i]), ECTL_NAME_ORIGINAL);
    for (size_t i = 0; !rc && i < u->aliases.n; i++) {
        const char *a = u->aliases.v[i];
        rc = ing_add_name(g, a + 1, strlen(a + 1), (enum ectl_name_kind)(a[0] - '0'));
    }
    if (rc)
        return rc;
    if (!g->id) {
        ing_malformed(g, "%s:%llu: %s without a DATAID, skipped", g->name,
                      (unsigned long long)u->record_line, u->stack[2]);
        ing_drop(g);
        return 0;
    }
    if (!g->primary_set) {
        ing_malformed(g, "%s:%llu: %s %s without a name (FIRST_NAME), skipped", g->name,
                      (unsigned long long)u->record_line, u->stack[2], g->id);
        ing_drop(g);
        return 0;
    }
    return ing_emit(g);
}

/* An element inside a record ends: file its text. */
static int leaf_end(struct un *u, int depth)
{
    struct ing *g = u->g;
    const char *tag = u->stack[depth];
    const char *parent = u->stack[depth - 1];
    int rc = 0;
    if (depth == 3) {
        static const char *const parts[4] = {"FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                             "FOURTH_NAME"};
        for (int i = 0; i < 4; i++) {
            if (is(tag, parts[i])) {
                if (!(u->name_part[i] = keep_text(u)))
                    return ECTL_ENOMEM;
                return 0;
            }
        }
        if (is(tag, "DATAID"))
            return ing_set_id(g, u->text.ptr, u->text.len);
        if (is(tag, "UN_LIST_TYPE") || is(tag, "REFERENCE_NUMBER"))
            return ing_add_str(g, &g->programs, u->text.ptr, u->text.len);
        if (is(tag, "NAME_ORIGINAL_SCRIPT"))
            return ing_add_str(g, &u->originals, u->text.ptr, u->text.len);
        if (is(tag, "INDIVIDUAL_ALIAS") || is(tag, "ENTITY_ALIAS")) {
            rc = add_alias(u);
            u->quality = u->alias = NULL;
        } else if (is(tag, "INDIVIDUAL_ADDRESS") || is(tag, "ENTITY_ADDRESS")) {
            rc = add_address(u);
            memset(u->addr, 0, sizeof u->addr);
        } else if (is(tag, "INDIVIDUAL_DATE_OF_BIRTH")) {
            rc = add_dob(u);
            u->dob_type = u->dob_date = u->dob_year = u->dob_from = u->dob_to = NULL;
        }
        return rc;
    }
    if (depth != 4)
        return 0;
    const char **slot = NULL;
    if (is(parent, "NATIONALITY") && is(tag, "VALUE")) {
        return ing_add_country(g, u->text.ptr, u->text.len, true);
    } else if (is(parent, "INDIVIDUAL_ALIAS") || is(parent, "ENTITY_ALIAS")) {
        if (is(tag, "QUALITY"))
            slot = &u->quality;
        else if (is(tag, "ALIAS_NAME"))
            slot = &u->alias;
    } else if (is(parent, "INDIVIDUAL_ADDRESS") || is(parent, "ENTITY_ADDRESS")) {
        static const char *const parts[6] = {"STREET",   "CITY",    "STATE_PROVINCE",
                                             "ZIP_CODE", "COUNTRY", "NOTE"};
        for (int i = 0; i < 6; i++)
            if (is(tag, parts[i]))
                slot = &u->addr[i];
    } else if (is(parent, "INDIVIDUAL_DATE_OF_BIRTH")) {
        if (is(tag, "TYPE_OF_DATE"))
            slot = &u->dob_type;
        else if (is(tag, "DATE"))
            slot = &u->dob_date;
        else if (is(tag, "YEAR"))
            slot = &u->dob_year;
        else if (is(tag, "FROM_YEAR"))
            slot = &u->dob_from;
        else if (is(tag, "TO_YEAR"))
            slot = &u->dob_to;
    }
    if (slot && !(*slot = keep_text(u)))
        return ECTL_ENOMEM;
    return 0;
}

static int element_end(struct un *u, int depth)
{
    if (!u->in_record)
        return 0;
    if (depth == 2)
        return record_end(u);
    if (depth >= 3 && depth < MAX_DEPTH)
        return leaf_end(u, depth);
    return 0;
}

static int root_start(struct un *u)
{
    struct ing *g = u->g;
    const xmlChar *name = xmlTextReaderConstName(u->rd);
    if (!name || strcmp((const char *)name, ROOT) != 0)
        return ectl_error_set(g->err, ECTL_EFORMAT,
                              "%s: not the UN consolidated list (the root element is '%.40s', "
                              "not " ROOT ")",
                              g->name, name ? (const char *)name : "");
    xmlChar *date = xmlTextReaderGetAttribute(u->rd, (const xmlChar *)"dateGenerated");
    if (date) {
        /* "2026-02-27T00:00:09.554Z": the day is the list date. */
        const char *d = (const char *)date;
        if (strlen(d) >= 10 && ing_is_digits(d, 4) && d[4] == '-' && ing_is_digits(d + 5, 2) &&
            d[7] == '-' && ing_is_digits(d + 8, 2))
            snprintf(g->rep->list_date, sizeof g->rep->list_date, "%.10s", d);
        xmlFree(date);
    }
    return 0;
}

static int element_start(struct un *u, int depth)
{
    const xmlChar *name = xmlTextReaderConstName(u->rd);
    const char *tag = name ? (const char *)name : "";
    if (depth < MAX_DEPTH)
        snprintf(u->stack[depth], TAG_MAX, "%s", strlen(tag) < TAG_MAX ? tag : "");
    ectl_buf_reset(&u->text);
    int rc = 0;
    if (depth == 0)
        rc = root_start(u);
    else if (depth == 2 && !u->in_record) {
        if (is(u->stack[1], "INDIVIDUALS") && is(tag, "INDIVIDUAL"))
            record_start(u, ECTL_TYPE_PERSON);
        else if (is(u->stack[1], "ENTITIES") && is(tag, "ENTITY"))
            record_start(u, ECTL_TYPE_ENTITY);
    }
    if (!rc && xmlTextReaderIsEmptyElement(u->rd))
        rc = element_end(u, depth);
    return rc;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_libxml(void)
{
    xmlInitParser();
}

/* The option set: never the network, never substitute entities, never
 * load a DTD, never print. */
static int parse_options(void)
{
    int opt = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
#if LIBXML_VERSION >= 21300
    opt |= XML_PARSE_NO_XXE;
#endif
    return opt;
}

static int fail_xml(struct un *u)
{
    struct ing *g = u->g;
    uint64_t line =
        u->err_line > 0 ? (uint64_t)u->err_line : (uint64_t)xmlTextReaderGetParserLineNumber(u->rd);
    const char *msg = u->failed ? u->err_msg : u->generic_msg[0] ? u->generic_msg : "malformed XML";
    /* Refuse outright while nothing has been handed out; afterwards the
     * entities read so far stand and the rest is reported. */
    if (g->rep->entities == 0) {
        /* Nothing was read, as far as the report goes either. */
        g->rep->records = g->rep->malformed = 0;
        g->rep->n_problems = 0;
        g->rep->list_date[0] = '\0';
        ing_drop(g);
        return ectl_error_set(g->err, ECTL_EFORMAT, "%s:%llu: not well-formed XML: %s", g->name,
                              (unsigned long long)line, msg);
    }
    if (!u->in_record)
        g->rep->records++; /* the record the error is in never started */
    ing_malformed(g, "%s:%llu: not well-formed XML: %s; the rest of the file was not read", g->name,
                  (unsigned long long)line, msg);
    ing_drop(g);
    return 0;
}

int ectl__ing_un(struct ing *g)
{
    int rc = ectl__ing_check_un(g);
    if (rc)
        return rc;
    if (g->len > INT_MAX)
        return ectl_error_set(g->err, ECTL_ERANGE, "%s: too large for the XML reader", g->name);
    snprintf(g->rep->list, sizeof g->rep->list, "un-sc");
    pthread_once(&init_once, init_libxml);

    struct un u;
    memset(&u, 0, sizeof u);
    u.g = g;
    ectl_buf_init(&u.text);
    xmlGenericErrorFunc saved_fn = xmlGenericError;
    void *saved_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(&u, on_generic_error);
    u.rd = xmlReaderForMemory(g->data, (int)g->len, NULL, NULL, parse_options());
    if (!u.rd) {
        xmlSetGenericErrorFunc(saved_ctx, saved_fn);
        return ectl_error_set(g->err, ECTL_ENOMEM, "%s: out of memory", g->name);
    }
    xmlTextReaderSetStructuredErrorHandler(u.rd, on_error, &u);

    int r = 0;
    while (!rc && (r = xmlTextReaderRead(u.rd)) == 1) {
        int type = xmlTextReaderNodeType(u.rd);
        int depth = xmlTextReaderDepth(u.rd);
        if (depth < 0)
            continue;
        switch (type) {
        case XML_READER_TYPE_ELEMENT:
            rc = element_start(&u, depth);
            break;
        case XML_READER_TYPE_END_ELEMENT:
            rc = element_end(&u, depth);
            break;
        case XML_READER_TYPE_TEXT:
        case XML_READER_TYPE_CDATA:
        case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
            if (u.in_record) {
                const xmlChar *v = xmlTextReaderConstValue(u.rd);
                if (v && ectl_buf_adds(&u.text, (const char *)v))
                    rc = ECTL_ENOMEM;
            }
            break;
        case XML_READER_TYPE_DOCUMENT_TYPE:
            rc = ectl_error_set(g->err, ECTL_EFORMAT,
                                "%s: the document has a DOCTYPE (refused: DTDs are not accepted "
                                "in list files)",
                                g->name);
            break;
        case XML_READER_TYPE_ENTITY_REFERENCE:
            /* Only reachable with a DTD, which is refused above. */
            rc = ectl_error_set(g->err, ECTL_EFORMAT, "%s: entity references are not accepted",
                                g->name);
            break;
        default:
            break;
        }
        if (rc == ECTL_ENOMEM && g->err->code != ECTL_ENOMEM)
            rc = ectl_error_set(g->err, rc, "%s: out of memory", g->name);
    }
    if (!rc && r < 0) {
        rc = fail_xml(&u);
    } else if (!rc && u.failed) {
        /* An error libxml2 recovered from (an undeclared namespace
         * prefix, say): everything was read, so it is only a note. */
        ing_problem(g, "%s:%d: XML error, recovered: %s", g->name, u.err_line, u.err_msg);
    }
    xmlFreeTextReader(u.rd);
    xmlSetGenericErrorFunc(saved_ctx, saved_fn);
    ectl_buf_release(&u.text);
    return rc;
}
