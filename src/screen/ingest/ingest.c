/*
 * ectl_ingest_file / ectl_ingest_buffer: pick the format (forced or
 * detected from the content), verify it before a single entity is emitted,
 * and run the reader.
 *
 * Detection looks only at the start of the input, in this order: an XML
 * document whose root is CONSOLIDATED_LIST is the UN list; otherwise the
 * first line is a header (trade.gov CSL, BIS DPL, simple CSV) or the first
 * record of an OFAC legacy file (twelve fields, a numeric ent_num, a known
 * SDN_Type).  Anything else is ECTL_EFORMAT, naming the file, so a wrong
 * file never yields a half-built list.
 */
#include "ingest.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../../core/file.h"

static const char *const format_names[ING_NFORMATS] = {
    [ING_OFAC] = "ofac-csv", [ING_OFAC_CONS] = "ofac-cons-csv",
    [ING_CSL] = "csl-csv",   [ING_UN] = "un-xml",
    [ING_DPL] = "dpl-txt",   [ING_SIMPLE] = "simple-csv",
};

static int check(struct ing *g, enum ing_format f)
{
    switch (f) {
    case ING_OFAC:
    case ING_OFAC_CONS:
        return ectl__ing_check_ofac(g);
    case ING_CSL:
        return ectl__ing_check_csl(g);
    case ING_UN:
        return ectl__ing_check_un(g);
    case ING_DPL:
        return ectl__ing_check_dpl(g);
    case ING_SIMPLE:
        return ectl__ing_check_simple(g);
    case ING_NFORMATS:
        break;
    }
    return ECTL_EINVAL;
}

/* First byte that is not blank, after an optional UTF-8 byte-order mark;
 * -1 if there is none. */
static int first_byte(const char *p, size_t n)
{
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3, n -= 3;
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        p++, n--;
    return n ? (unsigned char)*p : -1;
}

/* The OFAC file names decide between the SDN and the non-SDN list: the
 * Program column cannot, because both lists share programs (NS-PLC,
 * UKRAINE-EO13662, SDGT ... appear in each). */
static enum ing_format ofac_by_name(const char *base)
{
    return strncasecmp(base, "cons", 4) == 0 ? ING_OFAC_CONS : ING_OFAC;
}

static int detect(struct ing *g, enum ing_format *out)
{
    if (first_byte(g->data, g->len) < 0)
        return ectl_error_set(g->err, ECTL_EFORMAT, "%s: empty file, not a list", g->name);
    struct ectl_error tmp;
    struct ectl_error *keep = g->err;
    g->err = &tmp;
    static const enum ing_format order[] = {ING_UN, ING_CSL, ING_DPL, ING_SIMPLE, ING_OFAC};
    int rc = ECTL_EFORMAT;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        ectl_error_clear(&tmp);
        rc = check(g, order[i]);
        if (rc == 0) {
            *out = order[i] == ING_OFAC ? ofac_by_name(g->base) : order[i];
            break;
        }
        if (rc != ECTL_EFORMAT)
            break;
        /* An XML file is not going to be a CSV: say why it is not the UN
         * list instead of listing every format. */
        if (order[i] == ING_UN && first_byte(g->data, g->len) == '<')
            break;
    }
    g->err = keep;
    if (rc == 0)
        return 0;
    if (rc != ECTL_EFORMAT || first_byte(g->data, g->len) == '<' || strstr(tmp.msg, "companion"))
        return ectl_error_set(g->err, rc, "%s", tmp.msg);
    return ectl_error_set(g->err, ECTL_EFORMAT,
                          "%s: not a list format exportctl knows (OFAC sdn.csv or cons_prim.csv, "
                          "trade.gov CSL CSV, UN consolidated XML, BIS DPL text, or a CSV with "
                          "the header id,type,name,aliases,countries)",
                          g->name);
}

static int parse_format(const char *s, enum ing_format *out)
{
    for (int i = 0; i < ING_NFORMATS; i++) {
        if (strcmp(s, format_names[i]) == 0) {
            *out = (enum ing_format)i;
            return 0;
        }
    }
    return ECTL_EINVAL;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

static int run(struct ing *g, const char *format)
{
    enum ing_format f;
    int rc;
    if (format) {
        if (parse_format(format, &f))
            return ectl_error_set(g->err, ECTL_EINVAL,
                                  "unknown list format '%s' (expected ofac-csv, ofac-cons-csv, "
                                  "csl-csv, un-xml, dpl-txt or simple-csv)",
                                  format);
        if ((rc = check(g, f)) != 0)
            return rc;
    } else if ((rc = detect(g, &f)) != 0) {
        return rc;
    }
    g->format = f;
    copy_str(g->rep->format, sizeof g->rep->format, format_names[f]);
    switch (f) {
    case ING_OFAC:
    case ING_OFAC_CONS:
        rc = ectl__ing_ofac(g);
        break;
    case ING_CSL:
        rc = ectl__ing_csl(g);
        break;
    case ING_UN:
        rc = ectl__ing_un(g);
        break;
    case ING_DPL:
        rc = ectl__ing_dpl(g);
        break;
    case ING_SIMPLE:
        rc = ectl__ing_simple(g);
        break;
    case ING_NFORMATS:
        rc = ECTL_EINVAL;
        break;
    }
    ing_drop(g);
    return rc;
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static void setup(struct ing *g, const char *name, ectl_entity_fn fn, void *ctx,
                  const struct ectl_ingest_hooks *hooks, struct ectl_source_report *report,
                  struct ectl_error *err)
{
    memset(g, 0, sizeof *g);
    memset(report, 0, sizeof *report);
    ectl_error_clear(err);
    copy_str(report->path, sizeof report->path, name);
    g->name = name;
    g->base = base_name(name);
    g->fn = fn;
    g->fn_ctx = ctx;
    g->hooks = hooks;
    g->rep = report;
    g->err = err;
}

int ectl__ingest_buffer_hooks(const char *data, size_t len, const char *name, const char *format,
                              ectl_entity_fn fn, void *ctx, const struct ectl_ingest_hooks *hooks,
                              struct ectl_source_report *report, struct ectl_error *err)
{
    struct ectl_source_report local_report;
    struct ectl_error local_err;
    if (!report)
        report = &local_report;
    if (!err)
        err = &local_err;
    if (!name)
        name = "<buffer>";
    if (!fn || (!data && len))
        return ectl_error_set(err, ECTL_EINVAL, "%s: no input or no consumer", name);
    struct ing g;
    setup(&g, name, fn, ctx, hooks, report, err);
    g.data = data ? data : "";
    g.len = len;
    return run(&g, format);
}

int ectl__ingest_file_hooks(const char *path, const char *format, ectl_entity_fn fn, void *ctx,
                            const struct ectl_ingest_hooks *hooks,
                            struct ectl_source_report *report, struct ectl_error *err)
{
    struct ectl_source_report local_report;
    struct ectl_error local_err;
    if (!report)
        report = &local_report;
    if (!err)
        err = &local_err;
    if (!path || !fn)
        return ectl_error_set(err, ECTL_EINVAL, "no file or no consumer");
    struct ing g;
    setup(&g, path, fn, ctx, hooks, report, err);
    char dir[PATH_MAX];
    /* Standard input has no neighbours, so no OFAC companion files. */
    const char *slash = strrchr(path, '/');
    if (strcmp(path, "-") != 0) {
        size_t n = slash ? (size_t)(slash - path) : 0;
        if (!slash) {
            g.dir = ".";
        } else if (n == 0) {
            g.dir = "/";
        } else if (n < sizeof dir) {
            memcpy(dir, path, n);
            dir[n] = '\0';
            g.dir = dir;
        }
    }
    struct ectl_file file;
    int rc = ectl_file_open(&file, path, err);
    if (rc)
        return rc;
    g.data = file.data ? file.data : "";
    g.len = file.len;
    rc = run(&g, format);
    ectl_file_release(&file);
    return rc;
}

int ectl_ingest_file(const char *path, const char *format, ectl_entity_fn fn, void *ctx,
                     struct ectl_source_report *report, struct ectl_error *err)
{
    return ectl__ingest_file_hooks(path, format, fn, ctx, NULL, report, err);
}

int ectl_ingest_buffer(const char *data, size_t len, const char *name, const char *format,
                       ectl_entity_fn fn, void *ctx, struct ectl_source_report *report,
                       struct ectl_error *err)
{
    return ectl__ingest_buffer_hooks(data, len, name, format, fn, ctx, NULL, report, err);
}
