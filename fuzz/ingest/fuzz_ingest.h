/*
 * Shared part of the list importer harnesses (header-only: each harness is
 * one translation unit).
 *
 * The consumer reads every string of every entity, so that AddressSanitizer
 * sees a pointer into freed or unterminated memory, and checks the entity
 * contract; run() checks the import's own promises.  A broken promise
 * aborts, which libFuzzer reports like a crash:
 *   - a refused format (ECTL_EFORMAT) never reached the consumer;
 *   - report->entities is the number of consumer calls;
 *   - entities <= records, problems <= the maximum, malformed <= records
 *     (except for the OFAC set, whose damaged companion rows count as
 *     malformed but not as records);
 *   - names[0] is the primary name, every name is non-empty UTF-8, every
 *     country a two-letter code, each at most once.
 * An entity whose id is "stop" makes the consumer cancel, to cover that
 * path too.
 */
#ifndef ECTL_FUZZ_INGEST_H
#define ECTL_FUZZ_INGEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/entity.h"
#include "screen/ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t fuzz_sink;

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, #cond);             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static inline size_t fuzz_touch(const char *s)
{
    FUZZ_CHECK(s != NULL);
    size_t n = strlen(s);
    fuzz_sink += n;
    return n;
}

static int fuzz_consume(void *ctx, const struct ectl_entity *e)
{
    uint64_t *calls = ctx;
    (*calls)++;
    FUZZ_CHECK(fuzz_touch(e->list) > 0);
    FUZZ_CHECK(fuzz_touch(e->id) > 0);
    FUZZ_CHECK((unsigned)e->type < ECTL_TYPE_COUNT);
    FUZZ_CHECK(e->n_names >= 1 && e->names[0].kind == ECTL_NAME_PRIMARY);
    for (size_t i = 0; i < e->n_names; i++) {
        size_t n = fuzz_touch(e->names[i].text);
        FUZZ_CHECK(n > 0);
        FUZZ_CHECK(ectl_utf8_valid_prefix(e->names[i].text, n) == n);
        FUZZ_CHECK(i == 0 || e->names[i].kind != ECTL_NAME_PRIMARY);
        FUZZ_CHECK((unsigned)e->names[i].kind <= ECTL_NAME_ORIGINAL);
    }
    for (size_t i = 0; i < e->n_countries; i++) {
        FUZZ_CHECK(fuzz_touch(e->countries[i]) == 2);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(e->countries[i], e->countries[j]) != 0);
    }
    for (size_t i = 0; i < e->n_programs; i++)
        FUZZ_CHECK(fuzz_touch(e->programs[i]) > 0);
    for (size_t i = 0; i < e->n_dates; i++)
        FUZZ_CHECK(fuzz_touch(e->dates_of_birth[i]) > 0);
    for (size_t i = 0; i < e->n_addresses; i++)
        FUZZ_CHECK(fuzz_touch(e->addresses[i]) > 0);
    fuzz_sink += e->line;
    return strcmp(e->id, "stop") == 0 ? ECTL_ECANCELED : 0;
}

static void fuzz_check_result(int rc, uint64_t calls, const struct ectl_source_report *r,
                              const struct ectl_error *err, bool companions)
{
    if (rc == ECTL_EFORMAT || rc == ECTL_EINVAL)
        FUZZ_CHECK(calls == 0);
    if (rc) {
        FUZZ_CHECK(err->code == rc);
        FUZZ_CHECK(fuzz_touch(err->msg) > 0);
    }
    FUZZ_CHECK(r->entities == calls);
    FUZZ_CHECK(r->entities <= r->records);
    FUZZ_CHECK(companions || r->malformed <= r->records);
    FUZZ_CHECK(r->n_problems <= ECTL_BUILD_MAX_PROBLEMS);
    FUZZ_CHECK(r->n_problems >=
               (r->malformed < ECTL_BUILD_MAX_PROBLEMS ? r->malformed : ECTL_BUILD_MAX_PROBLEMS));
    for (size_t i = 0; i < r->n_problems; i++)
        FUZZ_CHECK(fuzz_touch(r->problems[i]) > 0);
    fuzz_touch(r->list);
    fuzz_touch(r->format);
    fuzz_touch(r->list_date);
}

/* Import one buffer and check the result. */
static inline void fuzz_buffer(const uint8_t *data, size_t size, const char *name,
                               const char *format)
{
    struct ectl_source_report r;
    struct ectl_error err;
    uint64_t calls = 0;
    int rc =
        ectl_ingest_buffer((const char *)data, size, name, format, fuzz_consume, &calls, &r, &err);
    fuzz_check_result(rc, calls, &r, &err, false);
}

#endif
