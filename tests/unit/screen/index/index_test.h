/*
 * Helpers for the index tests: names as hand-made token lists, so that the
 * index and the scorer can be tested apart from the normaliser.
 *
 * A token list is a string of space-separated tokens; a token may carry a
 * prefix that sets its flag: '!' legal form, '~' generic word, '^'
 * honorific ("acme ~trading !llc").
 */
#ifndef ECTL_TEST_INDEX_H
#define ECTL_TEST_INDEX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <exportctl/exportctl.h>

#include "screen/index/builder.h"
#include "screen/index/index_int.h"
#include "screen/index/score.h"
#include "screen/index/search.h"

/* Parse a token list into f; token texts live until test_forms_reset(). */
void test_form(struct ectl_name_form *f, const char *tokens);
void test_forms_reset(void);

/* A query of one variant. */
void test_query(struct ectl_norm_result *q, const char *tokens);

/* One entity of a hand-made list: names[0] primary, up to 8 names, each a
 * token list; countries ';'-joined. */
struct test_entity {
    const char *list, *id;
    enum ectl_entity_type type;
    const char *countries;
    const char *names[8];
};

/* Compile the entities into an index in memory and open it.  *mem gets
 * the file (free it after ectl_index_close). */
struct ectl_index *test_index(const struct test_entity *e, size_t n, void **mem, size_t *len);

/* Scorer side from a token list, weights all 1 unless w is given. */
void test_side(struct ectl_sc_side *s, const char *tokens, const float *w);

/* Score two token lists with the default parameters and weights w. */
double test_score(const char *q, const float *wq, const char *c, const float *wc,
                  struct ectl_sc_result *r);

#endif
