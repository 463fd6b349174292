/*
 * Restricted-party screening.
 *
 * Lists are imported from their official formats into one entity model and
 * compiled into a single index file (ectl_lists_build).  The index is opened
 * with mmap and used as it lies on disk, without parsing (ectl_index_open);
 * a corrupt or truncated file is refused.  ectl_screen() answers one name
 * against every entity of every list in the index, best first.
 *
 * Scores are in [0, 1].  ECTL_SCREEN_DEFAULT_THRESHOLD is the one default
 * used by the library, the CLI and the server.
 *
 * Thread safety: an open index is immutable; any number of threads may call
 * ectl_screen() on it at once.  Each thread's working state (~6 MB) is
 * made on its first call; when the thread ends, up to eight such states
 * are kept for the threads that come next, and freed at exit.
 * Ownership: every const char * in a match points into the index and
 * stays valid until ectl_index_close().
 */
#ifndef EXPORTCTL_SCREEN_H
#define EXPORTCTL_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exportctl/error.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ectl_entity_type {
    ECTL_TYPE_UNKNOWN = 0,
    ECTL_TYPE_PERSON = 1,
    ECTL_TYPE_ENTITY = 2,
    ECTL_TYPE_VESSEL = 3,
    ECTL_TYPE_AIRCRAFT = 4,
};
#define ECTL_TYPE_COUNT 5

/* "unknown", "person", "entity", "vessel", "aircraft". */
const char *ectl_entity_type_name(enum ectl_entity_type t);
/* Parse one of the names above (not "unknown"); ECTL_EINVAL otherwise. */
int ectl_entity_type_parse(const char *s, enum ectl_entity_type *out);

/* ---- Building an index ------------------------------------------------ */

#define ECTL_BUILD_MAX_SOURCES 32
#define ECTL_BUILD_MAX_PROBLEMS 8

struct ectl_source_report {
    char path[512];
    char list[64];    /* list id, e.g. "us-ofac-sdn", "un-sc", or the file's base name */
    char format[32];  /* detected or forced format, e.g. "ofac-csv" */
    char list_date[16]; /* YYYY-MM-DD if the file says, else "" */
    uint64_t records;   /* records read */
    uint64_t entities;  /* entities kept */
    uint64_t names;     /* names kept (primary + aliases) */
    uint64_t malformed; /* records reported and skipped */
    size_t n_problems;  /* first problems, "file:line: what" */
    char problems[ECTL_BUILD_MAX_PROBLEMS][256];
};

struct ectl_build_report {
    size_t n_sources;
    struct ectl_source_report sources[ECTL_BUILD_MAX_SOURCES];
    uint64_t entities;
    uint64_t names;
    uint64_t bytes; /* size of the index file written */
};

typedef void (*ectl_build_progress_fn)(void *ctx, const char *stage, uint64_t done,
                                       uint64_t total);

/* Read every source (format detected from content unless format is given:
 * "ofac-csv", "ofac-cons-csv", "csl-csv", "un-xml", "dpl-txt", "simple-csv")
 * and write the index to out_path.  The file is written to a temporary name
 * and renamed into place only when complete, so an existing index at
 * out_path stays in use if anything fails.  A malformed record is skipped
 * and reported; a file that is not the format it claims fails the build. */
int ectl_lists_build(const char *const *sources, size_t n_sources, const char *format,
                     const char *out_path, struct ectl_build_report *report,
                     ectl_build_progress_fn progress, void *progress_ctx, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* ---- Using an index --------------------------------------------------- */

struct ectl_index;

int ectl_index_open(const char *path, struct ectl_index **out, struct ectl_error *err)
    __attribute__((warn_unused_result));
void ectl_index_close(struct ectl_index *idx);

struct ectl_list_info {
    const char *list;
    const char *format;
    const char *list_date; /* "" when unknown */
    uint64_t entities;
    uint64_t names;
    uint64_t by_type[ECTL_TYPE_COUNT];
};
size_t ectl_index_list_count(const struct ectl_index *idx);
void ectl_index_list_info(const struct ectl_index *idx, size_t i, struct ectl_list_info *out);
/* When the index was built, "YYYY-MM-DDTHH:MM:SSZ". */
const char *ectl_index_built_at(const struct ectl_index *idx);

#define ECTL_SCREEN_DEFAULT_THRESHOLD 0.85
#define ECTL_SCREEN_DEFAULT_LIMIT 10
#define ECTL_SCREEN_MAX_LIMIT 100

struct ectl_screen_opts {
    double threshold;          /* 0 means ECTL_SCREEN_DEFAULT_THRESHOLD */
    size_t limit;              /* 0 means ECTL_SCREEN_DEFAULT_LIMIT */
    enum ectl_entity_type type; /* ECTL_TYPE_UNKNOWN: any type */
    const char *country;       /* ISO alpha-2, or NULL for any */
};

#define ECTL_EXPLAIN_MAX 320

struct ectl_match {
    const char *list;
    const char *id;
    enum ectl_entity_type type;
    const char *name;         /* the entity's primary name */
    const char *matched_name; /* the name (primary or alias) that scored best */
    double score;
    const char *programs;     /* ";"-joined, may be "" */
    const char *countries;    /* ";"-joined ISO codes, may be "" */
    char explain[ECTL_EXPLAIN_MAX]; /* which tokens matched, e.g. "kim=kim 1.00, ..." */
};

/* Screen one name.  Writes up to cap matches (best first, one per entity,
 * score >= threshold) and sets *n.  Allocates only per-call scratch. */
int ectl_screen(const struct ectl_index *idx, const char *name, const struct ectl_screen_opts *opts,
                struct ectl_match *out, size_t cap, size_t *n, struct ectl_error *err)
    __attribute__((warn_unused_result));

#ifdef __cplusplus
}
#endif
#endif
