/*
 * List importers: what the format readers share (internal to
 * src/screen/ingest/, plus the test hooks at the top).
 *
 * Every reader works the same way: the caller has already decided the
 * format (detect.c) and mapped the file; the reader walks it record by
 * record, builds one entity in a per-record arena with the ing_* calls
 * below, hands it to the consumer (ing_emit) and releases the arena.
 * Nothing outlives a record except the counters in the report, so memory
 * stays flat however long the list is.
 *
 * A bad record is reported (ing_malformed: counted in report->malformed,
 * message kept among the first ECTL_BUILD_MAX_PROBLEMS) and skipped; a note
 * about a record that is kept (a date typo, an unknown sub-list) goes to
 * ing_problem without being counted as malformed.  Only out-of-memory, I/O
 * errors, a refused format and a consumer that asks to stop end an import
 * early.
 */
#ifndef ECTL_SCREEN_INGEST_INGEST_H
#define ECTL_SCREEN_INGEST_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exportctl/utf8.h>

#include "../../core/arena.h"
#include "../../core/buf.h"
#include "../../core/csv.h"
#include "../entity.h"

/* ---- Hooks for tests and diagnostics ---------------------------------- */

/* unmapped_country is called for every value of a field that holds a
 * country (a name or a code, never a free-text address line) that
 * ectl_country_code() does not map; the coverage test uses it to prove
 * that every country string in the real list files is either mapped or
 * deliberately left unmapped. */
struct ectl_ingest_hooks {
    void (*unmapped_country)(void *ctx, const char *file, uint64_t line, const char *value);
    void *ctx;
};

int ectl__ingest_file_hooks(const char *path, const char *format, ectl_entity_fn fn, void *ctx,
                            const struct ectl_ingest_hooks *hooks,
                            struct ectl_source_report *report, struct ectl_error *err)
    __attribute__((warn_unused_result));
int ectl__ingest_buffer_hooks(const char *data, size_t len, const char *name, const char *format,
                              ectl_entity_fn fn, void *ctx, const struct ectl_ingest_hooks *hooks,
                              struct ectl_source_report *report, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* True for the values lists write in country fields that on purpose map to
 * no code ("undetermined", "Region: Kafia Kingi", "Netherlands Antilles",
 * ...); see country.c for the list and the reason for each. */
bool ectl__country_unmapped_on_purpose(const char *name, size_t len);
/* The name table, for tests: entry i (NULL past the end) and its code. */
const char *ectl__country_table_entry(size_t i, const char **code);

/* ---- Formats ---------------------------------------------------------- */

enum ing_format {
    ING_OFAC = 0,  /* "ofac-csv" */
    ING_OFAC_CONS, /* "ofac-cons-csv" */
    ING_CSL,       /* "csl-csv" */
    ING_UN,        /* "un-xml" */
    ING_DPL,       /* "dpl-txt" */
    ING_SIMPLE,    /* "simple-csv" */
    ING_NFORMATS
};

/* ---- The import in progress ------------------------------------------- */

/* One growable array of strings of the entity being built. */
struct ing_strs {
    const char **v;
    size_t n, cap;
};

struct ing {
    /* where the input comes from */
    const char *name; /* path or buffer name, for messages */
    const char *dir;  /* directory of the file for OFAC companions; NULL: none */
    const char *base; /* file name without directories */
    const char *data; /* the whole input */
    size_t len;
    enum ing_format format;

    /* where the entities go */
    ectl_entity_fn fn;
    void *fn_ctx;
    const struct ectl_ingest_hooks *hooks;
    struct ectl_source_report *rep;
    struct ectl_error *err;

    /* the entity being built; everything lives in arena until ing_emit */
    struct ectl_arena arena;
    const char *list;
    const char *id;
    enum ectl_entity_type type;
    uint64_t line;
    struct ectl_entity_name *names; /* names[0] is reserved for the primary */
    size_t n_names, cap_names;
    struct ing_strs countries, programs, dobs, addresses;
    bool primary_set;
    bool latin1_noted; /* one note per file is enough */
};

/* Start a new entity (drops anything left of the previous one). */
void ing_begin(struct ing *g, const char *list, enum ectl_entity_type type, uint64_t line);

/* The setters copy what they are given (trimmed; "as in the source"
 * otherwise) into the record's arena; empty values are ignored.  Text that
 * is not valid UTF-8 is read as Latin-1 and converted, with one note per
 * file.  They fail only with ECTL_ENOMEM. */
int ing_set_id(struct ing *g, const char *s, size_t n) __attribute__((warn_unused_result));
int ing_set_primary(struct ing *g, const char *s, size_t n) __attribute__((warn_unused_result));
int ing_add_name(struct ing *g, const char *s, size_t n, enum ectl_name_kind kind)
    __attribute__((warn_unused_result));
/* As ing_add_name, but skip a name the entity already has under any kind:
 * for names fished out of free text, which repeat the structured ones. */
int ing_add_name_unique(struct ing *g, const char *s, size_t n, enum ectl_name_kind kind)
    __attribute__((warn_unused_result));
/* A country as the list writes it (a name or an ISO code).  When
 * `declared` is set the field is meant to hold a country, so a value that
 * does not map goes to the unmapped_country hook; address fragments that
 * may or may not be a country pass false. */
int ing_add_country(struct ing *g, const char *s, size_t n, bool declared)
    __attribute__((warn_unused_result));
int ing_add_str(struct ing *g, struct ing_strs *to, const char *s, size_t n)
    __attribute__((warn_unused_result));
/* Split s on sep and add each trimmed, non-empty piece with add(). */
int ing_add_split(struct ing *g, const char *s, char sep,
                  int (*add)(struct ing *g, const char *p, size_t n, void *arg), void *arg)
    __attribute__((warn_unused_result));

/* Hand the entity to the consumer and release the record's memory.
 * Returns 0, ECTL_ENOMEM, or the consumer's negative code (with err set).
 * An entity without an id or a primary name is reported as malformed
 * instead (returns 0). */
int ing_emit(struct ing *g) __attribute__((warn_unused_result));
/* Forget the entity being built (after a malformed record). */
void ing_drop(struct ing *g);

/* Reports.  Messages follow "file:line: column N (name): what". */
void ing_problem(struct ing *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ing_malformed(struct ing *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Next CSV record for the readers: 1 with c->fields set (and *start, if
 * given, the record's offset from the start of the input), 0 at the end,
 * ING_SKIP after a malformed record (reported; reading resumes at the next
 * physical line), or a fatal negative code with g->err set.  Blank lines
 * (and a lone Ctrl-Z) are skipped silently. */
#define ING_SKIP 1000
int ing_csv_next(struct ing *g, struct ectl_csv *c, size_t *start)
    __attribute__((warn_unused_result));

/* ---- Small text helpers ------------------------------------------------ */

/* Trim ASCII white space (and NBSP) on both ends. */
void ing_trim(const char **s, size_t *n);
bool ing_ieq(const char *a, size_t n, const char *lit);
bool ing_is_digits(const char *s, size_t n);
/* Set of 64-bit keys, for duplicate ids within a file. */
struct ing_idset {
    uint64_t *v;
    size_t n, cap;
};
/* 1 if added, 0 if already present, ECTL_ENOMEM. */
int ing_idset_add(struct ing_idset *s, uint64_t key);
void ing_idset_release(struct ing_idset *s);
uint64_t ing_hash(uint64_t h, const char *s, size_t n);
#define ING_HASH_INIT 0xcbf29ce484222325ULL

/* ---- Readers (one per file) ------------------------------------------- */

int ectl__ing_ofac(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_csl(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_un(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_dpl(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_simple(struct ing *g) __attribute__((warn_unused_result));

/* Format checks run before anything is emitted.  0 when the content is
 * this format; otherwise ECTL_EFORMAT with err saying why.  Each reader
 * calls its own check again, so a forced format is verified too. */
int ectl__ing_check_ofac(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_check_csl(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_check_un(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_check_dpl(struct ing *g) __attribute__((warn_unused_result));
int ectl__ing_check_simple(struct ing *g) __attribute__((warn_unused_result));

#endif
