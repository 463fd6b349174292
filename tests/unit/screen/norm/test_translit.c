/*
 * Our own transliteration tables against ICU's rule engine: whenever a table
 * takes a run (cyr_bgn returns 1), its text must be exactly what ICU gives
 * for it (icu_translit, "·" dropped).  Inputs: every Cyrillic run of every
 * text file under ../shared/data/lists and of the yente fixtures, case-folded
 * as the normaliser folds them, and every string of one to three letters
 * from the Cyrillic and Greek blocks, and of four from the letters the
 * context rules name.  Greek runs are checked as they are and as norm.c
 * hands them over (digraphs in Latin letters).  Each test also asserts that the tables took most
 * runs, so that a table that gives up on everything does not pass as "exact".
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

static void utf8(const int32_t *v, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < cap; i++)
        k += (size_t)utf8proc_encode_char(v[i], (utf8proc_uint8_t *)out + k);
    out[k] = '\0';
}

/* rc: what the table returned for s (fast holds its text); when it took
 * the run, ICU's text must be the same. */
static void compare(enum tr_id id, const int32_t *s, size_t len, int rc, struct cpbuf *fast,
                    struct tally *t)
{
    assert_true(rc == 0 || rc == 1);
    t->runs++;
    if (rc == 0) {
        assert_int_equal(fast->n, 0);
        return;
    }
    struct cpbuf icu = {0};
    assert_int_equal(icu_translit(N, id, s, len, &icu), 0);
    if (fast->n != icu.n || memcmp(fast->v, icu.v, fast->n * sizeof *fast->v)) {
        char in[512], a[512], b[512];
        utf8(s, len, in, sizeof in);
        utf8(fast->v, fast->n, a, sizeof a);
        utf8(icu.v, icu.n, b, sizeof b);
        fail_msg("%s: \"%s\" table \"%s\", ICU \"%s\"", icu_tr_name(id), in, a, b);
    }
    t->taken++;
    cpbuf_release(&icu);
}

/* Compare table and ICU for s in each Cyrillic transliterator. */
static void check(const int32_t *s, size_t len, struct tally *t)
{
    for (size_t k = 0; k < sizeof CYR / sizeof *CYR; k++) {
        struct cpbuf fast = {0};
        compare(CYR[k], s, len, cyr_bgn(CYR[k], s, len, &fast), &fast, t);
        cpbuf_release(&fast);
    }
}

/* Greek: the run as given, and as norm.c gives it to the table (its
 * digraphs written in Latin letters). */
static void check_greek(const int32_t *s, size_t len, struct tally *t)
{
    struct cpbuf fast = {0};
    compare(TR_GREEK, s, len, greek_ungegn(s, len, &fast), &fast, t);
    fast.n = 0;
    assert_int_equal(greek_digraphs(N, s, len), 0);
    struct cpbuf in = {0};
    assert_int_equal(cpbuf_append(&in, N->tmp.v, N->tmp.n), 0);
    compare(TR_GREEK, in.v, in.n, greek_ungegn(in.v, in.n, &fast), &fast, t);
    cpbuf_release(&in);
    cpbuf_release(&fast);
}

/* Devanagari: the table against Any-Latin. */
static void check_deva(const int32_t *s, size_t len, struct tally *t)
{
    struct cpbuf fast = {0};
    compare(TR_ANY, s, len, deva_latin(s, len, &fast), &fast, t);
    cpbuf_release(&fast);
}

static int is_deva(int32_t c)
{
    return c >= 0x900 && c <= 0x97F;
}

static int is_cyrillic(int32_t c)
{
    return c >= 0x400 && c <= 0x52F;
}

static int is_greek(int32_t c)
{
    return (c >= 0x370 && c <= 0x3FF) || (c >= 0x1F00 && c <= 0x1FFF);
}

static int is_mark(int32_t c)
{
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_MC || k == UTF8PROC_CATEGORY_ME;
}

static struct tally GREEK, DEVA;

/* The Cyrillic and Greek runs (with the marks on them) of one line, folded as the
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
    n = utf8proc_decompose_custom(
        (const utf8proc_uint8_t *)line, (utf8proc_ssize_t)len, cp, n,
        UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, NULL, NULL);
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
        if (is_deva(v[i])) {
            size_t j = i;
            while (j < m && is_deva(v[j]))
                j++;
            check_deva(v + i, j - i, &DEVA);
            i = j;
            continue;
        }
        int cyr = is_cyrillic(v[i]);
        if (!cyr && !is_greek(v[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < m && ((cyr ? is_cyrillic(v[j]) : is_greek(v[j])) || is_mark(v[j])))
            j++;
        if (cyr)
            check(v + i, j - i, t);
        else
            check_greek(v + i, j - i, &GREEK);
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

static void tables_on_the_lists(void **state)
{
    (void)state;
    assert_int_equal(nftw(ECTL_SHARED_DATA "/lists", one_file, 16, FTW_PHYS), 0);
    assert_int_equal(
        nftw(ECTL_SHARED_DATA "/matching-cases/yente_screening_fixtures", one_file, 16, FTW_PHYS),
        0);
    print_message("Cyrillic runs x 3 tables: %zu, taken by the tables: %zu (%zu files)\n",
                  FILES.runs, FILES.taken, N_FILES);
    print_message("Greek runs x (as given, after digraphs): %zu, taken by the table: %zu\n",
                  GREEK.runs, GREEK.taken);
    print_message("Devanagari runs: %zu, taken by the table: %zu\n", DEVA.runs, DEVA.taken);
    assert_true(FILES.runs > 1000);
    assert_true(FILES.taken * 10 > FILES.runs * 5);
    /* the yente fixtures' Hindi and Nepali names; words the table leaves
     * to ICU hold a ZWJ or a digit */
    assert_true(DEVA.runs > 1000);
    assert_true(DEVA.taken * 10 > DEVA.runs * 9);
    /* the lists hold (almost) no Greek: greek_generated is its test */
    assert_true(GREEK.taken * 10 >= GREEK.runs * 5);
}

/* Every string of length 1..max over the letters in alpha. */
typedef void checker(const int32_t *s, size_t len, struct tally *t);

static void all_strings(const int32_t *alpha, size_t n_alpha, size_t max, checker *f,
                        struct tally *t)
{
    int32_t s[8];
    size_t idx[8];
    for (size_t len = 1; len <= max; len++) {
        memset(idx, 0, sizeof idx);
        for (;;) {
            for (size_t i = 0; i < len; i++)
                s[i] = alpha[idx[i]];
            f(s, len, t);
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
    all_strings(block, nb, 2, check, &t);
    /* the lower-case letters, and an accent */
    int32_t lower[0x30 + 3];
    size_t nl = 0;
    for (int32_t c = 0x430; c < 0x460; c++)
        lower[nl++] = c;
    lower[nl++] = 0x491;
    lower[nl++] = 0x301;
    all_strings(lower, nl, 3, check, &t);
    /* the letters the context rules and digraphs name, and one plain
     * consonant */
    static const int32_t ctx[] = {0x430, 0x435, 0x451, 0x438, 0x43E, 0x443, 0x44B, 0x44D,
                                  0x44E, 0x44F, 0x439, 0x44A, 0x44C, 0x442, 0x441, 0x448,
                                  0x447, 0x437, 0x43A, 0x446, 0x433, 0x431, 0x456, 0x454};
    all_strings(ctx, sizeof ctx / sizeof *ctx, 4, check, &t);
    print_message("generated Cyrillic strings x 3 tables: %zu, taken by the tables: %zu\n", t.runs,
                  t.taken);
    assert_true(t.taken * 10 > t.runs * 5);
}

static void greek_generated(void **state)
{
    (void)state;
    struct tally t = {0};
    /* the Greek and Coptic block, upper and lower case, and the Latin
     * letters norm.c writes for digraphs plus a, e, i, x */
    int32_t block[0x90 + 12];
    size_t nb = 0;
    for (int32_t c = 0x370; c < 0x400; c++)
        block[nb++] = c;
    static const char latin[] = "abdegimnpx";
    for (const char *l = latin; *l; l++)
        block[nb++] = *l;
    block[nb++] = 0x301;
    block[nb++] = 0x308;
    all_strings(block, nb, 2, check_greek, &t);
    /* lower case with accents, three at a time */
    int32_t lower[64];
    size_t nl = 0;
    for (int32_t c = 0x3AC; c <= 0x3CE; c++)
        lower[nl++] = c;
    lower[nl++] = 0x390;
    for (const char *l = "apx"; *l; l++)
        lower[nl++] = *l;
    all_strings(lower, nl, 3, check_greek, &t);
    /* the letters the context rules name, four at a time */
    static const int32_t ctx[] = {0x3B1, 0x3B5, 0x3B7, 0x3B9, 0x3BF, 0x3C5, 0x3C9, 0x3CD,
                                  0x3CB, 0x3B0, 0x3AE, 0x3B3, 0x3BD, 0x3BA, 0x3C3, 0x3C0,
                                  0x3BC, 0x3B2, 0x3C4, 'p',   'a',   'd'};
    all_strings(ctx, sizeof ctx / sizeof *ctx, 4, check_greek, &t);
    print_message("generated Greek strings x 2: %zu, taken by the table: %zu\n", t.runs, t.taken);
    assert_true(t.taken * 10 > t.runs * 3);
}

/* Devanagari: every string of one or two code points of the block's
 * letters and signs, three of those the context rules name, and random
 * words of four to eight. */
static void deva_generated(void **state)
{
    (void)state;
    struct tally t = {0};
    int32_t block[0x80];
    size_t nb = 0;
    for (int32_t c = 0x900; c < 0x980; c++)
        block[nb++] = c;
    all_strings(block, nb, 2, check_deva, &t);
    static const int32_t ctx[] = {
        0x915, 0x917, 0x91A, 0x91C, 0x91F, 0x920, 0x921, 0x922, 0x924, 0x925, 0x926, 0x927,
        0x928, 0x92A, 0x92E, 0x92F, 0x930, 0x932, 0x933, 0x936, 0x937, 0x938, 0x939, 0x929,
        0x931, 0x93C, 0x94D, 0x93E, 0x947, 0x905, 0x907, 0x901, 0x902, 0x903, 0x95C};
    all_strings(ctx, sizeof ctx / sizeof *ctx, 3, check_deva, &t);
    /* the letters, signs and marks names use, with a few the table does
     * not take */
    int32_t word[0x60];
    size_t nw = 0;
    for (int32_t c = 0x901; c <= 0x94D; c++)
        if (c != 0x93A && c != 0x93B && c != 0x94E)
            word[nw++] = c;
    uint64_t seed = 0x5eed;
    for (size_t k = 0; k < 30000; k++) {
        int32_t s[8];
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t len = 4 + (size_t)(seed >> 61) % 5;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            s[i] = word[(seed >> 33) % nw];
        }
        check_deva(s, len, &t);
    }
    print_message("generated Devanagari strings: %zu, taken by the table: %zu\n", t.runs,
                  t.taken);
    assert_true(t.taken * 10 > t.runs * 3);
}

/* ectl_norm_forget empties the memo of ICU's answers per run, and the
 * normaliser fills it again with the same answers; the Han readings per
 * character are the process's and stay. */
static void forget_empties_memos(void **state)
{
    (void)state;
    struct ectl_error err = {0};
    struct ectl_norm *n;
    assert_int_equal(ectl_norm_new(&n, &err), 0);
    struct ectl_norm_result *r = calloc(1, sizeof *r);
    assert_non_null(r);
    static const int32_t somchai[] = {0xE2A, 0xE21, 0xE0A, 0xE32, 0xE22}; /* สมชาย */
    const char *name = "สมชาย 习近平";
    char first[ECTL_NORM_BUFSZ] = "", now[ECTL_NORM_BUFSZ];
    struct cpbuf got = {0};
    for (int round = 0; round < 2; round++) {
        assert_int_equal(ectl_norm_name(n, name, strlen(name), r, &err), 0);
        assert_true(r->n_variants >= 1);
        size_t k = 0;
        for (size_t t = 0; t < r->variants[0].n && k + 64 < sizeof now; t++)
            k += (size_t)snprintf(now + k, sizeof now - k, "%s ", r->variants[0].tok[t].text);
        now[k] = '\0';
        if (round == 0)
            memcpy(first, now, sizeof first);
        assert_string_equal(now, first);
        got.n = 0;
        assert_int_equal(trc_get(n, TR_ANY, somchai, 5, &got), 1); /* remembered */
        size_t kept = han_readings_kept();
        assert_true(kept >= 3);
        ectl_norm_forget(n);
        got.n = 0;
        assert_int_equal(trc_get(n, TR_ANY, somchai, 5, &got), 0); /* forgotten */
        assert_int_equal(han_readings_kept(), kept);
    }
    cpbuf_release(&got);
    free(r);
    ectl_norm_free(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tables_on_the_lists),
        cmocka_unit_test(cyrillic_generated),
        cmocka_unit_test(greek_generated),
        cmocka_unit_test(deva_generated),
        cmocka_unit_test(forget_empties_memos),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
