/* The checksum, token similarity and the name scorer, on hand-made tokens. */
#include "index_test.h"

#include <string.h>

#include "screen/index/format.h"
#include "screen/index/sim.h"

static int teardown(void **state)
{
    (void)state;
    test_forms_reset();
    return 0;
}

static void checksum_vectors(void **state)
{
    (void)state;
    /* Published XXH64 values (seed 0). */
    assert_true(ectl_ix_xxh64("", 0, 0) == 0xEF46DB3751D8E999ULL);
    assert_true(ectl_ix_xxh64("a", 1, 0) == 0xD24EC4F1A98C6E5BULL);
    assert_true(ectl_ix_xxh64("abc", 3, 0) == 0x44BC2CF5AD770999ULL);
    const char *s = "Nobody inspects the spammish repetition";
    assert_true(ectl_ix_xxh64(s, strlen(s), 0) == 0xFBCEA83C8A378BF1ULL);
}

static void jaro_winkler_values(void **state)
{
    (void)state;
    /* The textbook examples (Winkler 1990). */
    assert_float_equal(ectl_sim_jaro_winkler("martha", 6, "marhta", 6), 0.9611, 0.0001);
    assert_float_equal(ectl_sim_jaro_winkler("dwayne", 6, "duane", 5), 0.84, 0.0001);
    assert_float_equal(ectl_sim_jaro_winkler("dixon", 5, "dicksonx", 8), 0.8133, 0.0001);
    assert_float_equal(ectl_sim_jaro("crate", 5, "trace", 5), 0.7333, 0.0001);
    assert_float_equal(ectl_sim_jaro("abc", 3, "xyz", 3), 0.0, 0.0);
    assert_float_equal(ectl_sim_jaro("", 0, "abc", 3), 0.0, 0.0);
    assert_float_equal(ectl_sim_jaro_winkler("kim", 3, "kim", 3), 1.0, 0.0);
    /* Symmetric. */
    assert_float_equal(ectl_sim_jaro_winkler("shihata", 7, "shihatta", 8),
                       ectl_sim_jaro_winkler("shihatta", 8, "shihata", 7), 1e-12);
    /* Long tokens are compared on their first 64 bytes, without overflow. */
    char a[300], b[300];
    memset(a, 'a', sizeof a);
    memset(b, 'a', sizeof b);
    b[299] = 'b';
    assert_true(ectl_sim_jaro_winkler(a, 300, b, 300) > 0.99);
}

/* Jaro the textbook way (window at least 1, as sim.h says). */
static double jaro_textbook(const char *a, size_t la, const char *b, size_t lb)
{
    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 > 1 ? longer / 2 - 1 : 1;
    int ma[8] = {0}, mb[8] = {0};
    size_t m = 0, t = 0, j = 0;
    for (size_t i = 0; i < la; i++)
        for (size_t k = i > window ? i - window : 0; k < lb && k <= i + window; k++)
            if (!mb[k] && a[i] == b[k]) {
                ma[i] = mb[k] = 1;
                m++;
                break;
            }
    if (m == 0)
        return 0.0;
    for (size_t i = 0; i < la; i++) {
        if (!ma[i])
            continue;
        while (!mb[j])
            j++;
        t += a[i] != b[j++];
    }
    double dm = (double)m;
    return (dm / (double)la + dm / (double)lb + (dm - (double)t / 2.0) / dm) / 3.0;
}

/* The bit-parallel Jaro is the textbook one, and the cheap bounds before
 * it are never below it: every pair of strings over {a, b, c, -} up to 5
 * bytes ('-' takes the byte-wise path). */
static void jaro_fast_paths_agree(void **state)
{
    (void)state;
    static char str[1364][5];
    static size_t len[1364];
    size_t n = 0;
    for (size_t l = 1; l <= 5; l++) {
        size_t total = (size_t)1 << (2 * l);
        for (size_t c = 0; c < total; c++, n++) {
            for (size_t k = 0; k < l; k++)
                str[n][k] = "abc-"[c >> (2 * k) & 3];
            len[n] = l;
        }
    }
    assert_int_equal(n, 1364);
    for (size_t x = 0; x < n; x++) {
        struct ectl_jaro_pre pre;
        ectl_jaro_pre_init(&pre, str[x], len[x]);
        for (size_t y = 0; y < n; y++) {
            double want = jaro_textbook(str[y], len[y], str[x], len[x]);
            double got = ectl_sim_jaro_pre(&pre, str[y], len[y]);
            if (got < want - 1e-12 || got > want + 1e-12)
                fail_msg("jaro(%.*s, %.*s) = %.17g, want %.17g", (int)len[y], str[y],
                         (int)len[x], str[x], got, want);
            double exact = ectl_sim_letters_pre(&pre, str[y], len[y]);
            if (ectl_sim_letters_bound_pre(&pre, str[y], len[y]) < exact)
                fail_msg("bound(%.*s, %.*s) below %.17g", (int)len[y], str[y], (int)len[x],
                         str[x], exact);
            /* from the letter masks, when they can stand for the text:
             * the very same value */
            uint64_t ge[3];
            uint32_t head;
            int fast = ectl_sim_letter_masks(str[y], len[y], ge, &head);
            int four = 0, odd = 0;
            for (size_t k = 0; k < len[y]; k++) {
                size_t same = 0;
                for (size_t q = 0; q < len[y]; q++)
                    same += str[y][q] == str[y][k];
                four |= same > 3;
                odd |= str[y][k] == '-';
            }
            assert_int_equal(fast, !four && !odd);
            if (fast && !pre.slow &&
                ectl_sim_letters_bound_counts(&pre, ge, head, len[y]) !=
                    ectl_sim_letters_bound_pre(&pre, str[y], len[y]))
                fail_msg("bound from masks(%.*s, %.*s)", (int)len[y], str[y], (int)len[x],
                         str[x]);
            /* the unprepared bound is the prepared one, and so bounds the
             * unprepared letters similarity, which the joins use */
            double bound = ectl_sim_letters_bound(str[y], len[y], str[x], len[x]);
            if (bound != ectl_sim_letters_bound_pre(&pre, str[y], len[y]) ||
                bound < ectl_sim_letters(str[y], len[y], str[x], len[x]))
                fail_msg("unprepared bound(%.*s, %.*s) = %.17g", (int)len[y], str[y],
                         (int)len[x], str[x], bound);
        }
    }
}

static void token_similarity(void **state)
{
    (void)state;
    /* Numbers are identifiers: no fuzzy matching. */
    assert_float_equal(ectl_sim_token("11420", 5, "11421", 5), 0.0, 0.0);
    assert_float_equal(ectl_sim_token("11420", 5, "11420", 5), 1.0, 0.0);
    assert_float_equal(ectl_sim_token("b52", 3, "b", 1), 0.0, 0.0);
    /* A short token inside a long one is not a match. */
    assert_true(ectl_sim_token("ali", 3, "alimov", 6) < 0.8);
    /* A typo is. */
    assert_true(ectl_sim_token("shihata", 7, "shihatta", 8) > 0.95);
    /* The scorer's floors: phonetic keys and initials. */
    const struct ectl_sc_params *p = &ectl_sc_default_params;
    struct ectl_sc_side a, b;
    test_side(&a, "gim j", NULL);
    test_side(&b, "kim john", NULL);
    assert_true(ectl_sc_token_sim(p, &a.tok[0], &b.tok[0], 0) < p->sim_floor);
    float g = ectl_sc_token_sim(p, &a.tok[0], &b.tok[0], 1);
    assert_true(g >= p->sim_floor && g <= 0.95f);
    /* A shared key lifts a long spelling by the bonus, no more. */
    struct ectl_sc_side c, d;
    test_side(&c, "abdulrahman", NULL);
    test_side(&d, "abdelrahmen", NULL);
    float s0 = ectl_sc_token_sim(p, &c.tok[0], &d.tok[0], 0);
    float s1 = ectl_sc_token_sim(p, &c.tok[0], &d.tok[0], 1);
    assert_true(s1 > s0 && s1 <= s0 + p->pkey_bonus + 1e-6f && s1 <= 0.95f);
    assert_float_equal(ectl_sc_token_sim(p, &a.tok[1], &b.tok[1], 0), p->initial_sim, 1e-6);
}

static void order_does_not_matter(void **state)
{
    (void)state;
    assert_float_equal(test_score("kim jong un", NULL, "kim jong un", NULL, NULL), 1.0, 1e-9);
    assert_float_equal(test_score("un kim jong", NULL, "kim jong un", NULL, NULL), 1.0, 1e-9);
    assert_float_equal(test_score("salek abdulhai", NULL, "abdulhai salek", NULL, NULL), 1.0,
                       1e-9);
}

static void typos_cost_little(void **state)
{
    (void)state;
    double s = test_score("tharwat salah shihatta", NULL, "tharwat salah shihata", NULL, NULL);
    assert_true(s > 0.9 && s < 1.0);
    s = test_score("arefullaha ref ghazi mohammad", NULL, "arefullah aref ghazi mohammad", NULL,
                   NULL);
    assert_true(s > 0.85);
}

static void osa_distance(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        size_t max, want;
    } t[] = {
        {"taufik", "taufik", 2, 0}, {"taufil", "taufik", 2, 1}, {"riki", "rifki", 2, 1},
        {"hyogn", "hyong", 2, 1},   {"ko", "kco", 2, 1},        {"tad", "tae", 2, 1},
        {"yylmkz", "yilmaz", 2, 2}, {"ca", "abc", 3, 3},        /* OSA, not Damerau: 3 */
        {"larson", "wilson", 2, 3}, {"jensen", "johnson", 2, 3}, {"", "abc", 5, 3},
        {"abc", "", 2, 3},          {"antonia", "antonio", 1, 1}, {"abcdefgh", "ab", 3, 4},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        size_t d = ectl_sim_osa(t[i].a, strlen(t[i].a), t[i].b, strlen(t[i].b), t[i].max);
        if (d != t[i].want)
            fail_msg("osa(%s, %s, max %zu) = %zu, want %zu", t[i].a, t[i].b, t[i].max, d,
                     t[i].want);
    }
}

/* Score q against c, the query tokens listed in `unlisted` (by index)
 * marked as tokens the lists lack. */
static double score_unlisted(const char *q, const char *c, uint64_t unlisted)
{
    const struct ectl_sc_params *p = &ectl_sc_default_params;
    struct ectl_sc_side a, b;
    test_side(&a, q, NULL);
    test_side(&b, c, NULL);
    for (size_t i = 0; i < a.n; i++)
        if (unlisted >> i & 1)
            a.tok[i].flags |= ECTL_SC_T_UNLISTED;
    float sim[ECTL_SC_MAX][ECTL_SC_MAX];
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++)
            sim[i][j] = ectl_sc_token_sim(p, &a.tok[i], &b.tok[j], 0);
    return ectl_sc_score(p, &a, &b, (const float(*)[ECTL_SC_MAX])sim, NULL);
}

/* A query token the lists lack, an edit or two from a listed one, is a
 * typo of it and costs less than a different listed name that close. */
static void unlisted_typos(void **state)
{
    (void)state;
    /* Two tokens with a typo each: 0.83 when both are names of their own. */
    double listed = score_unlisted("taufil riki", "taufik rifki", 0);
    double typo = score_unlisted("taufil riki", "taufik rifki", 3);
    assert_true(listed < 0.85);
    assert_true(typo >= 0.85 && typo < 1.0);
    assert_true(score_unlisted("luckosn elad", "luckson elan", 3) >= 0.85);
    assert_true(score_unlisted("ayyua bshir", "ayyub bashir", 3) >= 0.85);
    /* More than two edits away is no typo, lacked or not. */
    assert_true(score_unlisted("joseph larson", "wilson joseph", 2) ==
                score_unlisted("joseph larson", "wilson joseph", 0));
    /* The same pair counts less when the query token is a listed name. */
    assert_true(score_unlisted("antonia rodriguez", "antonio rodriguez", 0) <
                score_unlisted("antonia rodriguez", "antonio rodriguez", 1));
}

/* A middle name the query leaves out costs the same however rare it is:
 * "kim chol" is KIM SOK CHOL as much as KIM YONG CHOL. */
static void rare_middle_name_left_out(void **state)
{
    (void)state;
    const float wq[] = {1.0f, 2.0f}, rare[] = {1.0f, 6.0f, 2.0f}, common[] = {1.0f, 1.6f, 2.0f};
    double a = test_score("kim chol", wq, "kim sok chol", rare, NULL);
    double b = test_score("kim chol", wq, "kim yong chol", common, NULL);
    assert_true(a >= 0.85 && a < 1.0);
    assert_true(a > b - 1e-6 && a < b + 1e-6);
    /* ... still less than the name without one, and a differing middle
     * name is still a conflict. */
    assert_true(test_score("kim chol", wq, "kim chol", wq, NULL) > a);
    const float wq3[] = {1.0f, 6.0f, 2.0f};
    assert_true(test_score("kim pak chol", wq3, "kim sok chol", rare, NULL) < 0.85);
}

static void middle_name_versus_surname(void **state)
{
    (void)state;
    const float w3[] = {2.0f, 4.0f, 3.0f};
    const float w2[] = {2.0f, 3.0f};
    /* The listed name has a middle name the query lacks: a small cost. */
    double middle = test_score("mohammad khan", w2, "mohammad ali khan", w3, NULL);
    /* The listed name has a surname the query lacks: a larger one. */
    const float w2b[] = {2.0f, 4.0f};
    double edge = test_score("mohammad ali", w2b, "mohammad ali khan", w3, NULL);
    assert_true(middle > 0.85);
    assert_true(edge < middle);
    assert_true(edge < 0.85);
}

static void one_token_is_not_a_name(void **state)
{
    (void)state;
    const float w1[] = {2.0f};
    const float w3[] = {2.0f, 4.0f, 3.0f};
    assert_true(test_score("mohammad", w1, "mohammad ali khan", w3, NULL) < 0.6);
    /* ...unless the rest of the listed name is legal forms and generic words. */
    const float wh[] = {8.0f};
    const float whl[] = {8.0f, 0.5f, 0.3f};
    assert_true(test_score("huawei", wh, "huawei ~technologies !llc", whl, NULL) > 0.9);
}

static void generic_words_do_not_match(void **state)
{
    (void)state;
    /* "the", "and", "of", "for" weigh as little as a legal form. */
    assert_true(ectl_ix_flag_factor(ECTL_IX_T_FUNCTION) <= ectl_ix_flag_factor(ECTL_IX_T_LEGAL));
    const float wq[] = {0.3f};
    const float wc[] = {6.0f, 0.3f};
    /* "CORP" against "11420 CORP". */
    assert_true(test_score("!llc", wq, "11420 !llc", wc, NULL) < 0.3);
    /* A query of generic words only is cut down even when all of it matches. */
    const float wg[] = {0.3f, 0.3f};
    assert_true(test_score("~trading !llc", wg, "~trading !llc", wg, NULL) <= 0.5);
    /* "emma daniels" against "EMMA LLC". */
    const float wed[] = {5.0f, 6.0f};
    const float wel[] = {5.0f, 0.3f};
    assert_true(test_score("emma daniels", wed, "emma !llc", wel, NULL) < 0.6);
}

static void joined_and_split_tokens(void **state)
{
    (void)state;
    struct ectl_sc_result r;
    assert_true(test_score("jsc argument", NULL, "jscargument", NULL, &r) > 0.95);
    assert_int_equal(r.n_pairs, 1);
    assert_int_equal(r.pairs[0].nq, 2);
    assert_true(test_score("alqaida", NULL, "al qaida", NULL, &r) > 0.95);
    assert_int_equal(r.pairs[0].nc, 2);
}

/* An initial is a name it begins, but says little: one letter in 26. */
static void initials(void **state)
{
    (void)state;
    const float fi = ectl_ix_flag_factor(ECTL_IX_T_INITIAL);
    assert_true(fi < 0.5f);
    const float wq[] = {6.0f * fi, 5.0f}, wc[] = {4.0f, 5.0f};
    assert_true(test_score("v putin", wq, "vladimir putin", wc, NULL) >= 0.85);
    /* An initial of another name is no match. */
    assert_true(test_score("o putin", wq, "vladimir putin", wc, NULL) < 0.6);
    const float w3[] = {3.0f, 6.0f * fi, 5.0f}, wl[] = {3.0f, 5.0f, 5.0f};
    assert_true(test_score("hans j friedrich", w3, "hans joachim friedrich", wl, NULL) >= 0.85);
    assert_true(test_score("hans o friedrich", w3, "hans joachim friedrich", wl, NULL) < 0.85);
    /* A middle initial the listed name leaves out costs little. */
    const float w2[] = {3.0f, 5.0f};
    assert_true(test_score("thomas a lindemann", w3, "thomas lindemann", w2, NULL) >= 0.85);
}

/* A father's name left out costs little, on either side. */
static void patronymics(void **state)
{
    (void)state;
    const float fp = ectl_ix_flag_factor(ECTL_IX_T_PATRONYMIC);
    assert_true(fp < 0.5f);
    const float w3[] = {3.0f, 6.0f * fp, 5.0f}, w2[] = {3.0f, 5.0f};
    assert_true(test_score("sergey viktorovich lavrov", w3, "sergey lavrov", w2, NULL) >= 0.85);
    assert_true(test_score("sergey lavrov", w2, "sergey viktorovich lavrov", w3, NULL) >= 0.9);
    /* ... while a different surname still sinks the match. */
    assert_true(test_score("sergey viktorovich ivanov", w3, "sergey viktorovich lavrov", w3,
                           NULL) < 0.6);
}

/* When both names say whose son he is (bin, ibn), the father's name on one
 * side is not the given name on the other. */
static void father_is_not_son(void **state)
{
    (void)state;
    assert_true(test_score("salman bin muhammad al rawi", NULL, "muhammad bin salman al rawi",
                           NULL, NULL) < 0.85);
    assert_true(test_score("ibrahim bin al din al masri", NULL, "saif al din bin ibrahim al masri",
                           NULL, NULL) < 0.85);
    /* The same order matches; order is free where a name does not say it. */
    assert_float_equal(test_score("muhammad bin salman al rawi", NULL,
                                  "muhammad bin salman al rawi", NULL, NULL),
                       1.0, 1e-9);
    assert_true(test_score("osama bin laden", NULL, "osama bin muhammad ibn awad ibn laden", NULL,
                           NULL) > 0.5);
    assert_true(test_score("al rawi salman muhammad", NULL, "muhammad bin salman al rawi", NULL,
                           NULL) >= 0.85);
}

/* A number one name has and the other lacks, or writes differently, is
 * another fund, series or ship. */
static void numbers_must_agree(void **state)
{
    (void)state;
    struct ectl_sc_result r;
    const float w5[] = {4.0f, 0.3f, 0.3f, 2.0f, 0.05f}, w4[] = {4.0f, 0.3f, 0.3f, 0.05f};
    double s = test_score("bowne ~global ~solutions !llc", w4,
                          "bowne ~global ~solutions ii !llc", w5, &r);
    assert_true(s < 0.85);
    assert_true(r.number_miss);
    char buf[ECTL_EXPLAIN_MAX];
    struct ectl_sc_side q, c;
    test_side(&q, "bowne ~global ~solutions !llc", w4);
    test_side(&c, "bowne ~global ~solutions ii !llc", w5);
    ectl_sc_explain(&q, &c, &r, buf, sizeof buf);
    assert_non_null(strstr(buf, "numbers differ"));
    /* digits, on either side */
    assert_true(test_score("snow storm 1", NULL, "snow storm 2", NULL, NULL) < 0.6);
    assert_true(test_score("victory 3", NULL, "victory", NULL, NULL) < 0.6);
    assert_float_equal(test_score("snow storm 2", NULL, "snow storm 2", NULL, NULL), 1.0, 1e-9);
    /* "Xi" and "Ii" in a person's name are names, not numerals. */
    const float wp[] = {3.0f, 4.0f}, wp1[] = {4.0f};
    assert_float_equal(test_score("jinping", wp1, "xi jinping", wp, &r),
                       test_score("jinping", wp1, "yu jinping", wp, NULL), 1e-9);
    assert_false(r.number_miss);
}

static void explain_text(void **state)
{
    (void)state;
    struct ectl_sc_result r;
    struct ectl_sc_side q, c;
    test_side(&q, "jong kim xx", NULL);
    test_side(&c, "kim jongun", NULL);
    const struct ectl_sc_params *p = &ectl_sc_default_params;
    float sim[ECTL_SC_MAX][ECTL_SC_MAX];
    for (size_t i = 0; i < q.n; i++)
        for (size_t j = 0; j < c.n; j++)
            sim[i][j] = ectl_sc_token_sim(p, &q.tok[i], &c.tok[j], 0);
    ectl_sc_score(p, &q, &c, (const float(*)[ECTL_SC_MAX])sim, &r);
    char buf[ECTL_EXPLAIN_MAX];
    ectl_sc_explain(&q, &c, &r, buf, sizeof buf);
    assert_string_equal(buf, "jong=jongun 0.87, kim=kim 1.00; unmatched query: xx");
    /* A small buffer is cut cleanly. */
    char small[12];
    ectl_sc_explain(&q, &c, &r, small, sizeof small);
    assert_string_equal(small, "jong=jon...");
    char tiny[1];
    ectl_sc_explain(&q, &c, &r, tiny, sizeof tiny);
    assert_string_equal(tiny, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(checksum_vectors, teardown),
        cmocka_unit_test_teardown(jaro_winkler_values, teardown),
        cmocka_unit_test_teardown(jaro_fast_paths_agree, teardown),
        cmocka_unit_test_teardown(token_similarity, teardown),
        cmocka_unit_test_teardown(order_does_not_matter, teardown),
        cmocka_unit_test_teardown(typos_cost_little, teardown),
        cmocka_unit_test_teardown(osa_distance, teardown),
        cmocka_unit_test_teardown(unlisted_typos, teardown),
        cmocka_unit_test_teardown(middle_name_versus_surname, teardown),
        cmocka_unit_test_teardown(rare_middle_name_left_out, teardown),
        cmocka_unit_test_teardown(one_token_is_not_a_name, teardown),
        cmocka_unit_test_teardown(generic_words_do_not_match, teardown),
        cmocka_unit_test_teardown(joined_and_split_tokens, teardown),
        cmocka_unit_test_teardown(initials, teardown),
        cmocka_unit_test_teardown(patronymics, teardown),
        cmocka_unit_test_teardown(father_is_not_son, teardown),
        cmocka_unit_test_teardown(numbers_must_agree, teardown),
        cmocka_unit_test_teardown(explain_text, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
