/*
 * ectl_lists_build(): read every source with the importers, normalise every
 * name, and compile the index file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <exportctl/screen.h>

#include "builder.h"

struct run {
    struct ectl_ixb *b;
    struct ectl_norm *norm;
    struct ectl_norm_result nr;
    struct ectl_source_report *rep;
    ectl_build_progress_fn progress;
    void *progress_ctx;
    uint64_t entities;
    struct ectl_error *err;
};

static void note(struct ectl_source_report *rep, const char *fmt, const char *a, uint64_t line)
{
    if (rep->n_problems >= ECTL_BUILD_MAX_PROBLEMS)
        return;
    char tmp[sizeof rep->problems[0]];
    snprintf(tmp, sizeof tmp, fmt, rep->path, (unsigned long long)line, a);
    memcpy(rep->problems[rep->n_problems++], tmp, sizeof tmp);
}

static int on_entity(void *ctx, const struct ectl_entity *e)
{
    struct run *r = ctx;
    int rc = ectl_ixb_entity_begin(r->b, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < e->n_names; i++) {
        const char *text = e->names[i].text;
        if (!text || !*text)
            continue;
        struct ectl_error nerr = {0};
        rc = ectl_norm_name(r->norm, text, strlen(text), &r->nr, &nerr);
        if (rc == ECTL_EPARSE) {
            /* One unreadable alias must not cost the entity its others. */
            note(r->rep, "%s:%llu: name skipped: %s", nerr.msg, e->line);
            continue;
        }
        if (rc) {
            ectl_error_set(r->err, rc, "%s:%llu: %s", r->rep->path, (unsigned long long)e->line,
                           nerr.msg[0] ? nerr.msg : ectl_strerror(rc));
            return rc;
        }
        rc = ectl_ixb_name(r->b, text, e->names[i].kind, r->nr.variants, r->nr.n_variants);
        if (rc)
            return rc;
    }
    ectl_ixb_entity_end(r->b);
    if (r->progress && ++r->entities % 1024 == 0)
        r->progress(r->progress_ctx, "reading", r->entities, 0);
    return 0;
}

/* The build time: now, or SOURCE_DATE_EPOCH when set, the convention of
 * reproducible builds (reproducible-builds.org), so that two builds of the
 * same lists give the same bytes. */
static int64_t build_time(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*end == '\0' && v >= 0)
            return v;
    }
    return (int64_t)time(NULL);
}

int ectl_lists_build(const char *const *sources, size_t n_sources, const char *format,
                     const char *out_path, struct ectl_build_report *report,
                     ectl_build_progress_fn progress, void *progress_ctx, struct ectl_error *err)
{
    struct ectl_build_report dummy;
    if (!report)
        report = &dummy;
    memset(report, 0, sizeof *report);
    if (!sources || n_sources == 0 || !out_path || !*out_path)
        return ectl_error_set(err, ECTL_EINVAL, "lists build: no sources or no output path");
    if (n_sources > ECTL_BUILD_MAX_SOURCES)
        return ectl_error_set(err, ECTL_EINVAL, "lists build: at most %d sources",
                              ECTL_BUILD_MAX_SOURCES);
    struct run *r = calloc(1, sizeof *r);
    if (!r)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    r->progress = progress;
    r->progress_ctx = progress_ctx;
    r->err = err;
    int rc = ectl_norm_new(&r->norm, err);
    if (rc == 0 && ectl_ixb_new(&r->b) != 0)
        rc = ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < n_sources; i++) {
        struct ectl_source_report *rep = &report->sources[i];
        report->n_sources = i + 1;
        snprintf(rep->path, sizeof rep->path, "%s", sources[i]);
        r->rep = rep;
        if (progress)
            progress(progress_ctx, sources[i], i, n_sources);
        ectl_error_clear(err);
        rc = ectl_ingest_file(sources[i], format, on_entity, r, rep, err);
        if (rc == ECTL_ENOMEM && err && !err->msg[0])
            ectl_error_set(err, rc, "%s: out of memory", sources[i]);
        if (rc == 0)
            rc = ectl_ixb_source_done(r->b, rep->format, rep->list_date);
        if (rc && err && !err->msg[0])
            ectl_error_set(err, rc, "%s: %s", sources[i], ectl_strerror(rc));
    }
    if (rc == 0) {
        if (progress)
            progress(progress_ctx, "writing", n_sources, n_sources);
        report->entities = ectl_ixb_entities(r->b);
        report->names = ectl_ixb_names(r->b);
        rc = ectl_ixb_write(r->b, out_path, build_time(), &report->bytes, err);
    }
    ectl_ixb_free(r->b);
    ectl_norm_free(r->norm);
    free(r);
    return rc;
}
