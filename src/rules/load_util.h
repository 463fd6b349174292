/*
 * Shared helpers for reading regime CSV files (internal): a table reader
 * that checks the header and formats "file:line: column N (name): ..."
 * messages, and field parsers for dates, lists and codes.
 */
#ifndef ECTL_RULES_LOAD_UTIL_H
#define ECTL_RULES_LOAD_UTIL_H

#include <stdint.h>

#include "../core/csv.h"
#include "../core/arena.h"
#include "../core/file.h"
#include "regime_int.h"

struct table {
    char path[1024];
    struct ectl_file file;
    struct ectl_csv csv;
    const char *const *columns;
    size_t n_columns;
    uint64_t *hash; /* running FNV-1a over every file's bytes */
};

/* Open dir/name, check that the header is exactly the given columns. */
int table_open(struct table *t, const char *dir, const char *name, const char *const *columns,
               size_t n_columns, uint64_t *hash, struct ectl_error *err);
/* 1: a row in t->csv.fields (with exactly n_columns fields), 0: end, <0: error. */
int table_next(struct table *t, struct ectl_error *err);
void table_close(struct table *t);

/* Record "path:line: column N (name): <message>" as ECTL_EDATA for column
 * col (0-based) of the current row; returns ECTL_EDATA. */
int table_fail(struct table *t, size_t col, struct ectl_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Field parsers; each reports through table_err. */
int field_date(struct table *t, size_t col, ectl_date open_value, ectl_date *out,
               struct ectl_error *err);
int field_interval(struct table *t, size_t from_col, ectl_date *from, ectl_date *to,
                   struct ectl_error *err);
int field_country(struct table *t, size_t col, const struct ectl_regime *r, int *out,
                  struct ectl_error *err);

/* Split s on ';' in place-free fashion: calls fn(ctx, piece, len) for each
 * non-empty trimmed piece; stops at the first non-zero return. */
int split_list(const char *s, int (*fn)(void *ctx, const char *p, size_t n), void *ctx);

/* Source table, kept only while loading. */
struct source_row {
    const char *id;
    const char *text; /* "citation (url)" */
};
struct source_table {
    size_t n;
    struct source_row *rows;
};

/* Read dir/sources.csv (id,citation,url) into st, strings in arena; the
 * caller frees st->rows.  hash, if not NULL, takes the file's bytes. */
int ectl__load_sources(const char *dir, struct ectl_arena *arena, struct source_table *st,
                       uint64_t *hash, struct ectl_error *err);

/* Resolve a ';'-list of source ids into "citation (url); ..." in arena. */
int field_sources(struct table *t, size_t col, const struct source_table *st,
                  struct ectl_arena *arena, const char **out, struct ectl_error *err);

#endif
