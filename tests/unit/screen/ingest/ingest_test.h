/*
 * Shared helpers for the importer tests: a consumer that counts what it is
 * given and keeps a text dump of the entities a test asks about, and
 * throw-away files for the synthetic cases.
 *
 * The dump of one entity is line-oriented, so that a test can look for
 * "weak=BNC\n" or "country=CH\n" with strstr:
 *
 *   list=us-ofac-sdn  id=306  type=entity  line=3
 *   primary=BANCO NACIONAL DE CUBA
 *   aka=NATIONAL BANK OF CUBA       (also fka=, weak=, original=)
 *   country=CH  program=CUBA  dob=...  address=...
 */
#ifndef ECTL_TEST_INGEST_H
#define ECTL_TEST_INGEST_H

#include "../../helpers.h"

#include <stdbool.h>
#include <string.h>

#include "screen/entity.h"
#include "screen/ingest/ingest.h"

#ifndef ECTL_LISTS
#error "ECTL_LISTS must name shared/data/lists"
#endif
#define LISTS ECTL_LISTS

#define MAX_WANT 16
#define MAX_LISTS 32

struct collect {
    /* counts */
    uint64_t calls;
    uint64_t by_type[ECTL_TYPE_COUNT];
    uint64_t by_kind[5];
    uint64_t countries, programs, dobs, addresses;
    size_t n_lists;
    char lists[MAX_LISTS][64];
    uint64_t list_count[MAX_LISTS];
    /* entities to keep, by id; dump[i] is NULL until seen */
    size_t n_want;
    const char *want[MAX_WANT];
    char *dump[MAX_WANT];
    int stop_after; /* > 0: return ECTL_ECANCELED on that call */
};

void collect_init(struct collect *c);
void collect_want(struct collect *c, const char *id);
void collect_release(struct collect *c);
int collect_fn(void *ctx, const struct ectl_entity *e);
/* The dump of entity id (fails the test if it was not seen). */
const char *collect_dump(const struct collect *c, const char *id);
uint64_t collect_list(const struct collect *c, const char *list);

/* Import a file and fail the test unless it returns want_rc. */
void ingest_path(const char *path, const char *format, struct collect *c,
                 struct ectl_source_report *r, struct ectl_error *err, int want_rc);

/* Is the shared list data present?  Tests of real files skip without it. */
bool lists_present(void);

/* A new temporary directory (static storage, one at a time). */
const char *tmp_dir(void);
char *read_file(const char *path, size_t *len);
void write_file(const char *path, const void *data, size_t len);

/* Assert that some problem line contains all of the given pieces. */
void assert_problem(const struct ectl_source_report *r, const char *a, const char *b);

#define assert_contains(hay, needle)                                                               \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (!h_ || !strstr(h_, n_))                                                                \
            fail_msg("'%s' not found in:\n%s", n_, h_ ? h_ : "(null)");                            \
    } while (0)
#define assert_not_contains(hay, needle)                                                           \
    do {                                                                                           \
        const char *h_ = (hay), *n_ = (needle);                                                    \
        if (h_ && strstr(h_, n_))                                                                  \
            fail_msg("'%s' unexpectedly found in:\n%s", n_, h_);                                   \
    } while (0)

#endif
