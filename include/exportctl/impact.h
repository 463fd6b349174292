/*
 * Change impact on an order book.
 *
 * An order book is a CSV file with a header row naming at least order_id,
 * item and destination; an optional end_use_concern column holds 0 or 1;
 * every other column is carried through untouched.  Each order is answered
 * on two dates and reported through a callback when its outcome or its
 * licence options differ.
 *
 * The book is read in one streaming pass.  Any malformed row (a missing
 * field, an unknown item or country, a bad end_use_concern value) stops the
 * run with an error naming the line and column: callers must buffer what the
 * callback reports and discard it on error, so that nothing half-written
 * ever reaches a user.
 */
#ifndef EXPORTCTL_IMPACT_H
#define EXPORTCTL_IMPACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <exportctl/rules.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One order as read.  All strings are borrowed for the duration of the
 * callback only. */
struct ectl_order {
    uint64_t line; /* 1-based physical line of the record */
    const char *order_id;
    const char *item;
    const char *destination;
    bool end_use_concern;
    size_t n_columns;            /* every column of the row, header order */
    const char *const *names;    /* header names */
    const char *const *values;   /* this row's values */
};

/* Return 0 to continue, anything else to stop the run with that value. */
typedef int (*ectl_impact_fn)(void *ctx, const struct ectl_order *order,
                              const struct ectl_determination *before,
                              const struct ectl_determination *after);

/* Called now and then with how much of the input has been read. */
typedef void (*ectl_progress_fn)(void *ctx, uint64_t done, uint64_t total);

struct ectl_impact_opts {
    ectl_date from;
    ectl_date to;
    ectl_impact_fn on_change; /* required */
    ectl_progress_fn on_progress; /* optional */
    void *ctx;
};

struct ectl_impact_stats {
    uint64_t orders;  /* data rows evaluated */
    uint64_t changed; /* rows reported */
};

/* Run over the file at path ("-" reads standard input). */
int ectl_impact_file(const struct ectl_regime *r, const char *path,
                     const struct ectl_impact_opts *opts, struct ectl_impact_stats *stats,
                     struct ectl_error *err) __attribute__((warn_unused_result));

/* Run over an in-memory book of len bytes; name is used in messages. */
int ectl_impact_buffer(const struct ectl_regime *r, const char *data, size_t len,
                       const char *name, const struct ectl_impact_opts *opts,
                       struct ectl_impact_stats *stats, struct ectl_error *err)
    __attribute__((warn_unused_result));

#ifdef __cplusplus
}
#endif
#endif
