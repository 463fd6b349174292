/*
 * Our own transliteration tables against ICU's rule engine: whenever a table
 * takes a run (cyr_bgn returns 1), its text must be exactly what ICU gives
 * for it (icu_translit, "·" dropped).  Inputs: every Cyrillic run of every
 * text file under ../shared/data/lists and of the yente fixtures, case-folded
 * as the normaliser folds them, and every string of one to three letters
 * from the Cyrillic block, and of four from the letters the context rules
 * name.  Each test also asserts that the tables took most runs, so that a
 * table that gives up on everything does not pass as "exact".
 */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "screen/norm/norm_int.h"

#ifndef ECTL_SHARED_DATA
#error "ECTL_SHARED_DATA must name ../shared/data"
#endif

static struct ectl_norm *N;

static int setup(void **state)
{
    (void)state;
    struct ectl_error err = {0};
    return ectl_norm_new(&N, &err) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    ectl_norm_free(N);
    return 0;
}

static const enum tr_id CYR[] = {TR_RU, TR_UK, TR_BE};

struct tally {
    size_t runs, taken;
};

/* Compare table and ICU for s in each Cyrillic transliterator. */
static void check(const int32_t *s, size_t len, struct tally *t)
{
    for (size_t k = 0; k < sizeof CYR / sizeof *CYR; k++) {
        struct cpbuf fast = {0}, icu = {0};
        int rc = cyr_bgn(CYR[k], s, len, &fast);
        assert_true(rc == 0 || rc == 1);
        t->runs++;
        if (rc == 1) {
            assert_int_equal(icu_translit(N, CYR[k], s, len, &icu), 0);
            if (fast.n != icu.n || memcmp(fast.v, icu.v, fast.n * sizeof *fast.v)) {
                char in[512] = "", a[512] = "", b[512] = "";
                for (size_t i = 0; i < len && i < 100; i++)
                    utf8proc_encode_char(s[i], (utf8proc_uint8_t *)in + strlen(in));
                for (size_t i = 0; i < fast.n && i < 100; i++)
                    utf8proc_encode_char(fast.v[i], (utf8proc_uint8_t *)a + strlen(a));
                for (size_t i = 0; i < icu.n && i < 100; i++)
                    utf8proc_encode_char(icu.v[i], (utf8proc_uint8_t *)b + strlen(b));
                fail_msg("%s: \"%s\" table \"%s\", ICU \"%s\"", icu_tr_name(CYR[k]), in, a, b);
            }
            t->taken++;
        } else {
            assert_int_equal(fast.n, 0);
        }
        cpbuf_release(&fast);
        cpbuf_release(&icu);
    }
}

static int is_cyrillic(int32_t c)
{
    return c >= 0x400 && c <= 0x52F;
}

static int is_mark(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}

/* The Cyrillic runs (with the marks on them) of one line, folded as the
 * normaliser folds it. */
static void check_line(const char *line, size_t len, struct tally *t)
{
    utf8proc_int32_t *cp = NULL;
    utf8proc_ssize_t n = utf8proc_decompose_custom(
        (const utf8proc_uint8_t *)line, (utf8proc_ssize_t)len, NULL, 0,
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, NULL, NULL);
    if (n <= 0)
        return; /* not UTF-8: the normaliser would refuse it */
    cp = malloc(((size_t)n + 1) * sizeof *cp);
    assert_non_null(cp);
    n = utf8proc_decompose_custom((const utf8proc_uint8_t *)line, (utf8proc_ssize_t)len, cp, n,
                                  UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                      UTF8PROC_IGNORE,
                                  NULL, NULL);
    n = utf8proc_reencode(cp, n, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    /* reencode leaves UTF-8 in cp: decode it again */
    const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)cp;
    int32_t *v = malloc(((size_t)n + 1) * sizeof *v);
    assert_non_null(v);
    size_t m = 0;
    for (utf8proc_ssize_t i = 0; i < n;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t step = utf8proc_iterate(u + i, n - i, &c);
        assert_true(step > 0);
        v[m++] = c;
        i += step;
    }
    for (size_t i = 0; i < m;) {
        if (!is_cyrillic(v[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < m && (is_cyrillic(v[j]) || is_mark(v[j])))
            j++;
        check(v + i, j - i, t);
        i = j;
    }
    free(v);
    free(cp);
}

static struct tally FILES;
static size_t N_FILES;

static int one_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    size_t pl = strlen(path);
    if (flag != FTW_F || st->st_size == 0 || (pl > 4 && !strcasecmp(path + pl - 4, ".zip")))
        return 0;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc((size_t)st->st_size + 1);
    assert_non_null(buf);
    size_t got = fread(buf, 1, (size_t)st->st_size, f);
    fclose(f);
    buf[got] = '\0';
    for (char *l = buf; l < buf + got;) {
        char *e = memchr(l, '\n', (size_t)(buf + got - l));
        if (!e)
            e = buf + got;
        check_line(l, (size_t)(e - l), &FILES);
        l = e + 1;
    }
    free(buf);
    N_FILES++;
    return 0;
}

static void cyrillic_lists(void **state)
{
    (void)state;
    assert_int_equal(nftw(ECTL_SHARED_DATA "/lists", one_file, 16, FTW_PHYS), 0);
    assert_int_equal(
        nftw(ECTL_SHARED_DATA "/matching-cases/yente_screening_fixtures", one_file, 16, FTW_PHYS),
        0);
    print_message("Cyrillic runs x 3 tables: %zu, taken by the tables: %zu (%zu files)\n",
                  FILES.runs, FILES.taken, N_FILES);
    assert_true(FILES.runs > 1000);
    assert_true(FILES.taken * 10 > FILES.runs * 5);
}

/* Every string of length 1..max over the letters in alpha. */
static void all_strings(const int32_t *alpha, size_t n_alpha, size_t max, struct tally *t)
{
    int32_t s[8];
    size_t idx[8];
    for (size_t len = 1; len <= max; len++) {
        memset(idx, 0, sizeof idx);
        for (;;) {
            for (size_t i = 0; i < len; i++)
                s[i] = alpha[idx[i]];
            check(s, len, t);
            size_t i = len;
            while (i > 0 && ++idx[i - 1] == n_alpha)
                idx[--i] = 0;
            if (i == 0)
                break;
        }
    }
}

static void cyrillic_generated(void **state)
{
    (void)state;
    struct tally t = {0};
    /* the block's letters, upper and lower case (upper case is never
     * taken: the normaliser folds it) */
    int32_t block[0x60 + 2];
    size_t nb = 0;
    for (int32_t c = 0x400; c < 0x460; c++)
        block[nb++] = c;
    block[nb++] = 0x490;
    block[nb++] = 0x491;
    all_strings(block, nb, 2, &t);
    /* the lower-case letters, and an accent */
    int32_t lower[0x30 + 3];
    size_t nl = 0;
    for (int32_t c = 0x430; c < 0x460; c++)
        lower[nl++] = c;
    lower[nl++] = 0x491;
    lower[nl++] = 0x301;
    all_strings(lower, nl, 3, &t);
    /* the letters the context rules and digraphs name, and one plain
     * consonant */
    static const int32_t ctx[] = {0x430, 0x435, 0x451, 0x438, 0x43E, 0x443, 0x44B, 0x44D,
                                  0x44E, 0x44F, 0x439, 0x44A, 0x44C, 0x442, 0x441, 0x448,
                                  0x447, 0x437, 0x43A, 0x446, 0x433, 0x431, 0x456, 0x454};
    all_strings(ctx, sizeof ctx / sizeof *ctx, 4, &t);
    print_message("generated Cyrillic strings x 3 tables: %zu, taken by the tables: %zu\n",
                  t.runs, t.taken);
    assert_true(t.taken * 10 > t.runs * 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cyrillic_lists),
        cmocka_unit_test(cyrillic_generated),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
