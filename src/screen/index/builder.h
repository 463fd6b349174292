/*
 * Building an index file from entities whose names are already normalised
 * (internal).
 *
 * ectl_lists_build() (build.c) feeds this from the importers and the
 * normaliser; the unit tests feed it hand-made tokens.  The builder copies
 * everything it is given, so the caller's entity and tokens need to live
 * only for the call.  Use: ectl_ixb_new, then per entity
 * ectl_ixb_entity_begin / ectl_ixb_name... / ectl_ixb_entity_end, after
 * each source ectl_ixb_source_done, and finally ectl_ixb_write.
 * Not thread-safe.
 */
#ifndef ECTL_SCREEN_INDEX_BUILDER_H
#define ECTL_SCREEN_INDEX_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include <exportctl/error.h>
#include <exportctl/screen.h>

#include "../entity.h"
#include "../normalize.h"

struct ectl_ixb;

int ectl_ixb_new(struct ectl_ixb **out) __attribute__((warn_unused_result));
void ectl_ixb_free(struct ectl_ixb *b);

/* Start an entity: its list, id, type, countries and programs are copied;
 * e->names is not read (names come through ectl_ixb_name). */
int ectl_ixb_entity_begin(struct ectl_ixb *b, const struct ectl_entity *e)
    __attribute__((warn_unused_result));

/* Add one name of the current entity: text as the list writes it, and its
 * normalised readings (forms[0] the most likely).  Empty forms are skipped,
 * and so is a form whose tokens repeat one the entity already has. */
int ectl_ixb_name(struct ectl_ixb *b, const char *text, enum ectl_name_kind kind,
                  const struct ectl_name_form *forms, size_t n_forms)
    __attribute__((warn_unused_result));

void ectl_ixb_entity_end(struct ectl_ixb *b);

/* Record the format and date of the lists first seen since the previous
 * call (one source may hold several lists, as the CSL does). */
int ectl_ixb_source_done(struct ectl_ixb *b, const char *format, const char *date)
    __attribute__((warn_unused_result));

uint64_t ectl_ixb_entities(const struct ectl_ixb *b);
uint64_t ectl_ixb_names(const struct ectl_ixb *b);

/* Compile and write the index to path (through a temporary file in the
 * same directory, renamed into place when complete).  built_at is the
 * build time in seconds since the epoch; *bytes gets the file size. */
int ectl_ixb_write(struct ectl_ixb *b, const char *path, int64_t built_at, uint64_t *bytes,
                   struct ectl_error *err) __attribute__((warn_unused_result));

/* Compile to memory instead (tests and fuzz seeds): *out is malloc'd and
 * the caller frees it. */
int ectl_ixb_compile(struct ectl_ixb *b, int64_t built_at, void **out, size_t *len,
                     struct ectl_error *err) __attribute__((warn_unused_result));

#endif
