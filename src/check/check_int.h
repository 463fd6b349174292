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

json_t *ectl__json_date(ectl_date d);
json_t *ectl__json_determination(const char *query, const struct ectl_determination *d);
json_t *ectl__json_screening(const char *query, double threshold, const struct ectl_match *m,
                             size_t n);
/* Dump j (not consumed) to write; ECTL_EIO if the writer stopped. */
int ectl__json_write(const json_t *j, size_t json_flags, ectl_write_fn write, void *ctx,
                     struct ectl_error *err);

#endif
