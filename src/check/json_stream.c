/*
 * A streaming JSON writer for the hottest document, the determine answer.
 *
 * Building that answer as jansson values (an object per item and reason,
 * a hash table per object) and then dumping it took about a third of the
 * server's CPU on POST /api/v1/determine.  This writer emits the same bytes
 * straight into a buffer: jansson's layout for JSON_COMPACT and for
 * JSON_INDENT(2) (two spaces a level, ": " after a key, "[]" and "{}" when
 * empty) and its escaping (\" \\ \b \f \n \r \t, other controls as \u00XX,
 * nothing else).  A unit test holds the two against each other.
 */
#include <stdio.h>
#include <string.h>

#include <exportctl/utf8.h>

#include "check_int.h"

static void flush(struct ectl__jstream *j)
{
    if (j->len && !j->failed && j->write(j->ctx, j->buf, j->len))
        j->failed = ECTL_EIO;
    j->len = 0;
}

static void put(struct ectl__jstream *j, const char *s, size_t n)
{
    while (n) {
        if (j->len == sizeof j->buf)
            flush(j);
        size_t k = sizeof j->buf - j->len;
        if (k > n)
            k = n;
        memcpy(j->buf + j->len, s, k);
        j->len += k;
        s += k;
        n -= k;
    }
}

static void putc1(struct ectl__jstream *j, char c)
{
    if (j->len == sizeof j->buf)
        flush(j);
    j->buf[j->len++] = c;
}

static void newline(struct ectl__jstream *j)
{
    putc1(j, '\n');
    for (int i = 0; i < j->depth * 2; i++)
        putc1(j, ' ');
}

/* Before a value or a key: the separator from the previous one. */
static void before_item(struct ectl__jstream *j)
{
    if (j->depth == 0)
        return;
    if (j->has_items & (1u << j->depth))
        putc1(j, ',');
    j->has_items |= 1u << j->depth;
    if (j->pretty)
        newline(j);
}

static void open_(struct ectl__jstream *j, char c)
{
    putc1(j, c);
    if (++j->depth >= ECTL__JSTREAM_MAX_DEPTH) {
        j->failed = ECTL_EINVAL;
        j->depth = ECTL__JSTREAM_MAX_DEPTH - 1;
    }
    j->has_items &= ~(1u << j->depth);
}

static void close_(struct ectl__jstream *j, char c)
{
    bool any = j->has_items & (1u << j->depth);
    j->depth--;
    if (any && j->pretty)
        newline(j);
    putc1(j, c);
}

static void string(struct ectl__jstream *j, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t left = strlen(text);
    /* Text that is not UTF-8 fails the document, as json_string() would
     * have refused it. */
    if (ectl_utf8_valid_prefix(text, left) != left) {
        j->failed = ECTL_EINVAL;
        return;
    }
    putc1(j, '"');
    while (left) {
        const unsigned char *run = s;
        while (left && *s >= 0x20 && *s != '"' && *s != '\\')
            s++, left--;
        put(j, (const char *)run, (size_t)(s - run));
        if (!left)
            break;
        char seq[8] = {'\\', 0};
        switch (*s) {
        case '"':
        case '\\':
            seq[1] = (char)*s;
            break;
        case '\b':
            seq[1] = 'b';
            break;
        case '\f':
            seq[1] = 'f';
            break;
        case '\n':
            seq[1] = 'n';
            break;
        case '\r':
            seq[1] = 'r';
            break;
        case '\t':
            seq[1] = 't';
            break;
        default:
            snprintf(seq, sizeof seq, "\\u%04X", *s);
        }
        put(j, seq, seq[1] == 'u' ? 6 : 2);
        s++, left--;
    }
    putc1(j, '"');
}

void ectl__js_init(struct ectl__jstream *j, bool pretty, ectl_write_fn write, void *ctx)
{
    /* Field by field: zeroing the 4 KiB buffer would cost more than the
     * document, and it needs no zeroes. */
    j->write = write;
    j->ctx = ctx;
    j->pretty = pretty;
    j->after_key = false;
    j->depth = 0;
    j->has_items = 0;
    j->failed = 0;
    j->len = 0;
}

void ectl__js_key(struct ectl__jstream *j, const char *key)
{
    before_item(j);
    string(j, key);
    if (j->pretty)
        put(j, ": ", 2);
    else
        putc1(j, ':');
    j->after_key = true;
}

/* A value after a key takes no separator of its own. */
static void before_value(struct ectl__jstream *j)
{
    if (j->after_key)
        j->after_key = false;
    else
        before_item(j);
}

void ectl__js_object(struct ectl__jstream *j)
{
    before_value(j);
    open_(j, '{');
}

void ectl__js_object_end(struct ectl__jstream *j)
{
    close_(j, '}');
}

void ectl__js_array(struct ectl__jstream *j)
{
    before_value(j);
    open_(j, '[');
}

void ectl__js_array_end(struct ectl__jstream *j)
{
    close_(j, ']');
}

void ectl__js_string(struct ectl__jstream *j, const char *s)
{
    before_value(j);
    if (s)
        string(j, s);
    else
        put(j, "null", 4);
}

void ectl__js_bool(struct ectl__jstream *j, bool b)
{
    before_value(j);
    if (b)
        put(j, "true", 4);
    else
        put(j, "false", 5);
}

void ectl__js_date(struct ectl__jstream *j, ectl_date d)
{
    char buf[ECTL_DATE_BUFSZ];
    ectl__js_string(j, d == ECTL_DATE_MIN || d == ECTL_DATE_MAX ? NULL : ectl_date_format(d, buf));
}

int ectl__js_finish(struct ectl__jstream *j, struct ectl_error *err)
{
    flush(j);
    if (j->failed == ECTL_EINVAL)
        return ectl_error_set(err, ECTL_EINVAL, "text that is not UTF-8 cannot go into JSON");
    if (j->failed)
        return ectl_error_set(err, ECTL_EIO, "cannot write the JSON document");
    return 0;
}
