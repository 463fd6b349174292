/*
 * Internal to src/check: the JSON pieces shared by the determine, screen
 * and check documents, so that all three say the same thing the same way.
 */
#ifndef ECTL_CHECK_INT_H
#define ECTL_CHECK_INT_H

#include <jansson.h>

#include <exportctl/check.h>

/* Scores are rounded to four digits; the screening documents are dumped
 * with this precision so that 0.9333 does not print as 0.93330000000000002.
 * The check result uses 15 digits instead, enough for any quantity or value
 * a person typed to come back unchanged, and still prints rounded scores
 * in four digits. */
#define ECTL__SCREEN_PRECISION 4
#define ECTL__CHECK_PRECISION 15

json_t *ectl__json_determination(const char *query, const struct ectl_determination *d);
json_t *ectl__json_screening(const char *query, double threshold, const struct ectl_match *m,
                             size_t n);
/* Dump j (not consumed) to write; ECTL_EIO if the writer stopped. */
int ectl__json_write(const json_t *j, size_t json_flags, ectl_write_fn write, void *ctx,
                     struct ectl_error *err);

/* ---- json_stream.c: JSON written as it goes, in jansson's layout ---- */

#define ECTL__JSTREAM_MAX_DEPTH 16

struct ectl__jstream {
    ectl_write_fn write;
    void *ctx;
    bool pretty;    /* JSON_INDENT(2), else JSON_COMPACT */
    bool after_key; /* the next value follows a key */
    int depth;
    unsigned has_items; /* bit d: the container at depth d has an item */
    int failed;         /* ECTL_EIO (writer stopped) or ECTL_EINVAL (not UTF-8) */
    size_t len;
    char buf[4096];
};

void ectl__js_init(struct ectl__jstream *j, bool pretty, ectl_write_fn write, void *ctx);
void ectl__js_key(struct ectl__jstream *j, const char *key);
void ectl__js_object(struct ectl__jstream *j);
void ectl__js_object_end(struct ectl__jstream *j);
void ectl__js_array(struct ectl__jstream *j);
void ectl__js_array_end(struct ectl__jstream *j);
void ectl__js_string(struct ectl__jstream *j, const char *s); /* NULL writes null */
void ectl__js_bool(struct ectl__jstream *j, bool b);
void ectl__js_date(struct ectl__jstream *j, ectl_date d); /* open ends write null */
/* Flushes; the first failure of any call above, as an error. */
int ectl__js_finish(struct ectl__jstream *j, struct ectl_error *err);

/* The determination object of ectl__json_determination, streamed. */
void ectl__js_determination(struct ectl__jstream *j, const char *query,
                            const struct ectl_determination *d);

#endif
