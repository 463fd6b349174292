#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <exportctl/error.h>

char ectl__buf_empty[1];

void ectl_buf_init(struct ectl_buf *b)
{
    b->ptr = ectl__buf_empty;
    b->len = 0;
    b->cap = 0;
}

void ectl_buf_release(struct ectl_buf *b)
{
    if (b->cap)
        free(b->ptr);
    ectl_buf_init(b);
}

void ectl_buf_reset(struct ectl_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->ptr[0] = '\0';
}

int ectl_buf_grow(struct ectl_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return 0;
    if (extra > SIZE_MAX / 2 - b->len)
        return ECTL_ENOMEM;
    size_t want = b->len + extra + 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap *= 2;
    char *p = realloc(b->cap ? b->ptr : NULL, cap);
    if (!p)
        return ECTL_ENOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int ectl_buf_add(struct ectl_buf *b, const void *p, size_t n)
{
    int rc = ectl_buf_grow(b, n);
    if (rc)
        return rc;
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

int ectl_buf_adds(struct ectl_buf *b, const char *s)
{
    return ectl_buf_add(b, s, strlen(s));
}

int ectl_buf_addch(struct ectl_buf *b, char c)
{
    return ectl_buf_add(b, &c, 1);
}

int ectl_buf_addf(struct ectl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[256];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    int rc = 0;
    if (n < 0) {
        rc = ECTL_EINVAL;
    } else if ((size_t)n < sizeof tmp) {
        rc = ectl_buf_add(b, tmp, (size_t)n);
    } else if (!(rc = ectl_buf_grow(b, (size_t)n))) {
        vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
    return rc;
}

char *ectl_buf_detach(struct ectl_buf *b, size_t *len)
{
    char *p = b->cap ? b->ptr : calloc(1, 1);
    if (len)
        *len = b->len;
    ectl_buf_init(b);
    return p;
}
