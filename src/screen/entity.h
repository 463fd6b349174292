/*
 * The one entity model every list importer produces (internal).
 *
 * An importer reads a file in its official format and calls an
 * ectl_entity_fn once per entity.  Everything the struct points to is
 * owned by the importer and valid only during the call: the consumer copies
 * what it keeps.  Names come primary first; names in their original script
 * (UN NAME_ORIGINAL_SCRIPT, Japanese and Korean forms) are ordinary names
 * with kind ECTL_NAME_ORIGINAL.
 */
#ifndef ECTL_SCREEN_ENTITY_H
#define ECTL_SCREEN_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include <exportctl/screen.h>

enum ectl_name_kind {
    ECTL_NAME_PRIMARY = 0,
    ECTL_NAME_AKA = 1,      /* also known as (strong) */
    ECTL_NAME_FKA = 2,      /* formerly known as */
    ECTL_NAME_WEAK = 3,     /* weak / low-quality a.k.a. */
    ECTL_NAME_ORIGINAL = 4, /* the name in its original script */
};

struct ectl_entity_name {
    const char *text; /* UTF-8, as in the source (trimmed) */
    enum ectl_name_kind kind;
};

struct ectl_entity {
    const char *list; /* list id: "us-ofac-sdn", "us-ofac-cons", "us-csl-<source>", "un-sc",
                         "us-bis-dpl", or a company list's file base name */
    const char *id;   /* the list's own id (OFAC ent_num, UN DATAID, CSL id, ...) */
    enum ectl_entity_type type;
    size_t n_names;
    const struct ectl_entity_name *names; /* names[0] is the primary name */
    size_t n_countries;
    const char *const *countries; /* ISO alpha-2, de-duplicated */
    size_t n_programs;
    const char *const *programs;
    size_t n_dates;
    const char *const *dates_of_birth; /* as written in the source */
    size_t n_addresses;
    const char *const *addresses; /* one line each */
    uint64_t line;                /* where the record starts in its file */
};

/* Return 0 to go on; a negative ECTL_E* stops the import with that code. */
typedef int (*ectl_entity_fn)(void *ctx, const struct ectl_entity *e);

/* Import one source.  format is NULL to detect it from the content (and, for
 * the OFAC legacy set, from sdn.csv/cons_prim.csv beside alt/add/comments
 * files, which are read with it when present).  The report (see screen.h)
 * is filled with counts, the list date and the first problems; malformed
 * records are skipped and counted; a file that is not in the format it
 * claims (or whose format cannot be detected) is ECTL_EFORMAT. */
int ectl_ingest_file(const char *path, const char *format, ectl_entity_fn fn, void *ctx,
                     struct ectl_source_report *report, struct ectl_error *err)
    __attribute__((warn_unused_result));

/* Import from memory (used by the fuzzers); name is used in messages, and
 * no companion files are read. */
int ectl_ingest_buffer(const char *data, size_t len, const char *name, const char *format,
                       ectl_entity_fn fn, void *ctx, struct ectl_source_report *report,
                       struct ectl_error *err) __attribute__((warn_unused_result));

/* Map a country name as lists write it ("Iran", "Korea, North", "Russian
 * Federation", "Türkiye") or an ISO code to an ISO alpha-2 code; NULL if
 * unknown. */
const char *ectl_country_code(const char *name, size_t len);

#endif
