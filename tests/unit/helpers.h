/*
 * Shared helpers for the cmocka unit tests: where the data lives, and
 * throw-away copies of a regime directory with one file edited, so that
 * a test can show that one bad row is refused with its file and line.
 */
#ifndef ECTL_TEST_HELPERS_H
#define ECTL_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <exportctl/exportctl.h>

#ifndef ECTL_TEST_DATA
#error "ECTL_TEST_DATA must name the data directory"
#endif

#define DATA ECTL_TEST_DATA
#define COUNTRIES ECTL_TEST_DATA "/countries.csv"

/* Copy DATA/regimes/<regime> to a new temporary directory; returns its
 * path (static storage, one at a time). */
const char *tmp_regime_copy(const char *regime);
/* In dir/file replace the first occurrence of from with to; fails the test
 * if from is absent.  Returns the line the edit starts on. */
int tmp_edit(const char *dir, const char *file, const char *from, const char *to);
/* Write dir/file with the given contents. */
void tmp_write(const char *dir, const char *file, const char *contents);
void tmp_remove(const char *dir);

struct ectl_regime *load_regime(const char *regime);
ectl_date D(const char *iso);

#endif
