/*
 * Growable byte buffer (internal).
 *
 * Invariants, as in git's strbuf: .ptr is never NULL after init (it points
 * at a shared empty string until the first append) and the contents are
 * always NUL-terminated.  Appends fail with ECTL_ENOMEM and leave the buffer
 * as it was.  ectl_buf_detach() hands the memory to the caller.
 */
#ifndef ECTL_CORE_BUF_H
#define ECTL_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct ectl_buf {
    char *ptr;
    size_t len;
    size_t cap; /* 0 while ptr is the shared empty string */
};

extern char ectl__buf_empty[1];
#define ECTL_BUF_INIT {ectl__buf_empty, 0, 0}

void ectl_buf_init(struct ectl_buf *b);
void ectl_buf_release(struct ectl_buf *b);
/* Keep the allocation, drop the contents. */
void ectl_buf_reset(struct ectl_buf *b);
int ectl_buf_grow(struct ectl_buf *b, size_t extra) __attribute__((warn_unused_result));
int ectl_buf_add(struct ectl_buf *b, const void *p, size_t n) __attribute__((warn_unused_result));
int ectl_buf_adds(struct ectl_buf *b, const char *s) __attribute__((warn_unused_result));
int ectl_buf_addch(struct ectl_buf *b, char c) __attribute__((warn_unused_result));
int ectl_buf_addf(struct ectl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)))
__attribute__((warn_unused_result));
/* Returns the malloc'd string (never the shared empty one); b is re-inited. */
char *ectl_buf_detach(struct ectl_buf *b, size_t *len);

#endif
