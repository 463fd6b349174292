/*
 * RFC 4180 CSV reader over an in-memory buffer (internal).
 *
 * The reader never copies the input; each row's fields are unescaped into a
 * scratch buffer owned by the reader and handed out as NUL-terminated
 * strings that stay valid until the next call.  Records may span lines
 * (quoted newlines); .line is the physical line a record starts on, so that
 * messages can point at it.  A UTF-8 byte-order mark is skipped; CRLF and LF
 * both end a record.  With ECTL_CSV_COMMENTS, lines starting with '#' and
 * blank lines are skipped (regime data files use them for notes).
 */
#ifndef ECTL_CORE_CSV_H
#define ECTL_CORE_CSV_H

#include <stddef.h>
#include <stdint.h>

#include <exportctl/error.h>

#include "buf.h"

enum ectl_csv_flags {
    ECTL_CSV_COMMENTS = 1 << 0,
};

struct ectl_csv {
    const char *name; /* for messages: a path or "<stdin>" */
    const char *p;
    const char *end;
    const char *start;
    unsigned flags;
    uint64_t line;      /* next physical line */
    uint64_t row_line;  /* line the current record started on */
    struct ectl_buf scratch;
    size_t *offs;       /* field offsets into scratch */
    size_t n_fields;
    size_t cap_fields;
    const char **fields; /* pointers into scratch, rebuilt per row */
};

void ectl_csv_init(struct ectl_csv *c, const char *data, size_t len, const char *name,
                   unsigned flags);
void ectl_csv_release(struct ectl_csv *c);

/* Read the next record.  Returns 1 with c->fields/c->n_fields set, 0 at the
 * end of input, or a negative code with err naming the line. */
int ectl_csv_next(struct ectl_csv *c, struct ectl_error *err);

/* Bytes consumed so far (for progress). */
static inline uint64_t ectl_csv_offset(const struct ectl_csv *c)
{
    return (uint64_t)(c->p - c->start);
}

#endif
