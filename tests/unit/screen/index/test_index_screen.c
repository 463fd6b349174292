/* End to end through the importers and the normaliser: ectl_lists_build,
 * ectl_index_open, ectl_screen, from one thread and from several; and the
 * UN list from the shared data when it is there. */
#include "index_test.h"
#include "screen/index/search_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ECTL_SHARED_DATA
#error "ECTL_SHARED_DATA must name the shared data directory"
#endif

static const char company_list[] =
    "id,type,name,aliases,countries\n"
    "c-001,entity,Example Trading LLC,EXT LLC;Example Trading,AE;IR\n"
    "c-002,person,KIM Jong Un,Kim Jong-un;Gim Jeong-eun,KP\n"
    "c-003,entity,Al-Qaida,Al Qaeda;The Base,\n"
    "c-004,vessel,SEA STAR,,IR\n"
    "c-005,entity,Huawei Technologies Co. Ltd.,Huawei,CN\n"
    "c-006,person,Tharwat Salah Shihata,Thirwat Salah Shihata,EG\n"
    "c-007,entity,JSC Argument,,RU\n"
    "c-008,entity,11420 Corp.,,US\n"
    "c-009,entity,Bowne Global Solutions (Germany) GmbH,,DE\n";

struct fixture {
    char dir[64];
    char csv[128];
    char idx[128];
    struct ectl_index *ix;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/ectl-screen-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->csv, sizeof f->csv, "%s/blocked.csv", f->dir);
    snprintf(f->idx, sizeof f->idx, "%s/lists.idx", f->dir);
    FILE *fp = fopen(f->csv, "w");
    assert_non_null(fp);
    fputs(company_list, fp);
    fclose(fp);
    const char *src[] = {f->csv};
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    if (ectl_lists_build(src, 1, NULL, f->idx, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    assert_int_equal(rep->n_sources, 1);
    assert_string_equal(rep->sources[0].list, "blocked");
    assert_string_equal(rep->sources[0].format, "simple-csv");
    assert_int_equal(rep->sources[0].entities, 9);
    assert_int_equal(rep->entities, 9);
    assert_true(rep->bytes > 0);
    free(rep);
    assert_int_equal(ectl_index_open(f->idx, &f->ix, &err), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    ectl_index_close(f->ix);
    unlink(f->csv);
    unlink(f->idx);
    rmdir(f->dir);
    free(f);
    return 0;
}

static size_t screen(struct fixture *f, const char *name, const struct ectl_screen_opts *o,
                     struct ectl_match *m)
{
    size_t n;
    struct ectl_error err = {0};
    if (ectl_screen(f->ix, name, o, m, 10, &n, &err) != 0)
        fail_msg("screen '%s': %s", name, err.msg);
    return n;
}

static void finds_variants(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    static const struct {
        const char *query, *id;
    } cases[] = {
        {"Kim Jong Un", "c-002"},          {"KIM, Jong-Un", "c-002"},
        {"Un Kim Jong", "c-002"},          {"Gim Jong Un", "c-002"},
        {"Al Qaeda", "c-003"},             {"alqaida", "c-003"},
        {"Huawei", "c-005"},               {"HUAWEI TECHNOLOGIES", "c-005"},
        {"Tharwat Salah Shihatta", "c-006"}, {"SHIHATA, Tharwat Salah", "c-006"},
        {"JSC Argument", "c-007"},         {"Example Trading L.L.C.", "c-001"},
        /* one rare word and generic ones: like "Huawei" above */
        {"Example", "c-001"},
        {"11420 CORP", "c-008"},
        /* a listed name's bracketed qualifier may be left out */
        {"Bowne Global Solutions GmbH", "c-009"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = screen(f, cases[i].query, NULL, m);
        if (n == 0 || strcmp(m[0].id, cases[i].id))
            fail_msg("'%s': expected %s first, got %s", cases[i].query, cases[i].id,
                     n ? m[0].id : "nothing");
        assert_string_equal(m[0].list, "blocked");
        assert_true(m[0].score >= ECTL_SCREEN_DEFAULT_THRESHOLD && m[0].score <= 1.0);
        assert_true(m[0].explain[0] != '\0');
    }
}

/* An entity's later name that matches better than an earlier one wins:
 * "salah" (the first token walked) finds the primary name before the
 * alias, which is the exact one.  Names that cannot beat their entity's
 * best are not scored; this one can. */
static void better_later_name_wins(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    size_t n = screen(f, "Salah Shihata Thirwat", NULL, m);
    assert_true(n >= 1);
    assert_string_equal(m[0].id, "c-006");
    assert_string_equal(m[0].matched_name, "Thirwat Salah Shihata");
    assert_true(m[0].score == 1.0);
}

/* ... but a query's qualifier is not: another one is another company. */
static void differing_qualifiers(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    assert_int_equal(screen(f, "Bowne Global Solutions (France) SARL", NULL, m), 0);
    assert_int_equal(screen(f, "Bowne Global Solutions (Germany) GmbH", NULL, m), 1);
    assert_true(m[0].score > 0.99);
}

static void refuses_generic(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    static const char *const none[] = {"LLC",         "Corp",       "Trading Company Ltd",
                                       "Mr Smith",    "Sea",        "Salah",
                                       "John Daniels", "",          "!!!",
                                       "Kim"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        size_t n = screen(f, none[i], NULL, m);
        if (n)
            fail_msg("'%s' matched %s (%s) at %.3f", none[i], m[0].id, m[0].matched_name,
                     m[0].score);
    }
}

static void filters_and_errors(void **state)
{
    struct fixture *f = *state;
    struct ectl_match m[10];
    struct ectl_screen_opts o = {.type = ECTL_TYPE_VESSEL};
    assert_int_equal(screen(f, "Sea Star", &o, m), 1);
    o.type = ECTL_TYPE_ENTITY;
    assert_int_equal(screen(f, "Sea Star", &o, m), 0);
    struct ectl_screen_opts c = {.country = "ir"};
    assert_int_equal(screen(f, "Example Trading", &c, m), 1);
    c.country = "KP";
    assert_int_equal(screen(f, "Example Trading", &c, m), 0);
    /* Invalid UTF-8 is the caller's error, with a message. */
    size_t n;
    struct ectl_error err = {0};
    assert_int_not_equal(ectl_screen(f->ix, "Kim \xff\xfe", NULL, m, 10, &n, &err), 0);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(ectl_screen(f->ix, NULL, NULL, m, 10, &n, &err), ECTL_EINVAL);
    /* Type names. */
    enum ectl_entity_type t;
    assert_int_equal(ectl_entity_type_parse("vessel", &t), 0);
    assert_int_equal(t, ECTL_TYPE_VESSEL);
    assert_int_equal(ectl_entity_type_parse("unknown", &t), ECTL_EINVAL);
    assert_int_equal(ectl_entity_type_parse("Vessel", &t), ECTL_EINVAL);
    assert_string_equal(ectl_entity_type_name(ECTL_TYPE_AIRCRAFT), "aircraft");
    assert_string_equal(ectl_entity_type_name((enum ectl_entity_type)42), "unknown");
}

static void build_errors(void **state)
{
    struct fixture *f = *state;
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    char out[160];
    snprintf(out, sizeof out, "%s/other.idx", f->dir);
    const char *missing[] = {"/nonexistent/list.csv"};
    assert_int_not_equal(ectl_lists_build(missing, 1, NULL, out, rep, NULL, NULL, &err), 0);
    assert_int_equal(access(out, F_OK), -1); /* nothing written */
    const char *src[] = {f->csv};
    assert_int_equal(ectl_lists_build(src, 0, NULL, out, rep, NULL, NULL, &err), ECTL_EINVAL);
    assert_int_equal(ectl_lists_build(src, 1, NULL, NULL, rep, NULL, NULL, &err), ECTL_EINVAL);
    /* A failed build leaves the old index in place. */
    assert_int_not_equal(ectl_lists_build(missing, 1, NULL, f->idx, rep, NULL, NULL, &err), 0);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(f->idx, &ix, &err), 0);
    ectl_index_close(ix);
    free(rep);
}

/* Short legal forms that are also words: in a person's name they are
 * words ("PAK HAN SE" is not "pak han llc", so "SE, PAK HAN" finds it), in
 * an organisation's they stay the legal form ("Co." == "Company"). */
static void short_forms_by_type(void **state)
{
    struct fixture *f = *state;
    static const char list[] = "id,type,name,aliases,countries\n"
                               "p-1,person,PAK HAN SE,,KP\n"
                               "p-2,person,KIM SOK CHOL,,KP\n"
                               "p-3,person,RI KWANG AG,,KP\n"
                               "o-1,entity,Kumsong Trading Co.,,KP\n"
                               "o-2,entity,Ryonha Machinery AG,,KP\n"
                               "o-3,entity,Korea Ryonbong General Corporation,,KP\n";
    char csv[160], idx[160];
    snprintf(csv, sizeof csv, "%s/forms.csv", f->dir);
    snprintf(idx, sizeof idx, "%s/forms.idx", f->dir);
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    fputs(list, fp);
    fclose(fp);
    const char *src[] = {csv};
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    if (ectl_lists_build(src, 1, NULL, idx, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    free(rep);
    struct fixture g = *f;
    assert_int_equal(ectl_index_open(idx, &g.ix, &err), 0);
    static const struct {
        const char *query, *id;
        double min;
    } cases[] = {
        {"SE, PAK HAN", "p-1", 0.99},         {"PAK HAN SE", "p-1", 0.99},
        {"Pak Han Se", "p-1", 0.99},          {"HAN SE PAK", "p-1", 0.99},
        {"AG, RI KWANG", "p-3", 0.99},        {"RI KWANG AG", "p-3", 0.99},
        {"Kumsong Trading Company", "o-1", 0.99}, {"Kumsong Trading Co", "o-1", 0.99},
        {"KUMSONG TRADING CO LTD", "o-1", 0.99},  {"Ryonha Machinery AG", "o-2", 0.99},
        {"Ryonha Machinery Aktiengesellschaft", "o-2", 0.99},
        {"Ryonha Machinery", "o-2", ECTL_SCREEN_DEFAULT_THRESHOLD},
    };
    struct ectl_match m[10];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = screen(&g, cases[i].query, NULL, m);
        if (n == 0 || strcmp(m[0].id, cases[i].id) || m[0].score < cases[i].min)
            fail_msg("'%s': expected %s first at >= %.2f, got %s %.3f", cases[i].query,
                     cases[i].id, cases[i].min, n ? m[0].id : "nothing", n ? m[0].score : 0.0);
    }
    /* A person is not found as a company. */
    size_t n = screen(&g, "PAK HAN LLC", NULL, m);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m[i].id, "p-1") && m[i].score > 0.95)
            fail_msg("'PAK HAN LLC' finds the person PAK HAN SE at %.3f", m[i].score);
    ectl_index_close(g.ix);
    unlink(csv);
    unlink(idx);
}

/* Build an index of the simple CSV text `list` in f's directory. */
static struct ectl_index *small_index(struct fixture *f, const char *list, char *csv, char *idx,
                                      size_t cap)
{
    snprintf(csv, cap, "%s/small.csv", f->dir);
    snprintf(idx, cap, "%s/small.idx", f->dir);
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    fputs(list, fp);
    fclose(fp);
    const char *src[] = {csv};
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    if (ectl_lists_build(src, 1, NULL, idx, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    free(rep);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(idx, &ix, &err), 0);
    return ix;
}

/* Two typos, in short tokens: a token the lists lack that is an edit or
 * two from a listed one is taken for a typo of it (two edits from six
 * letters), and a two- or three-letter token finds the terms one edit
 * away that the deletion table does not hold. */
static void two_typos(void **state)
{
    struct fixture *f = *state;
    static const char list[] = "id,type,name,aliases,countries\n"
                               "p-1,person,TAUFIK RIFKI,,ID\n"
                               "p-2,person,KO TAE HUN,,KP\n"
                               "p-3,person,LUCKSON ELAN,,HT\n"
                               "p-4,person,JANAN AGHA,,AF\n"
                               "p-5,person,AYYUB BASHIR,,AF\n"
                               "p-6,person,ANTONIO RODRIGUEZ,,CO\n"
                               "p-7,person,ANTONIA SMITH,,US\n"
                               "p-8,person,WILSON JOSEPH,,HT\n"
                               "p-9,person,KIM SOK CHOL,,KP\n"
                               "p-10,person,ABDUL MANAN AGHA,,AF\n";
    char csv[160], idx[160];
    struct fixture g = *f;
    g.ix = small_index(f, list, csv, idx, sizeof csv);
    static const struct {
        const char *query, *id;
    } found[] = {
        {"TAUFIL RIKI", "p-1"}, {"KCO TAD HUN", "p-2"},  {"LUCKOSN ELAD", "p-3"},
        {"JANAN AGHB", "p-4"},  {"AYYUA BSHIR", "p-5"},
    };
    struct ectl_match m[10];
    for (size_t i = 0; i < sizeof found / sizeof *found; i++) {
        size_t n = screen(&g, found[i].query, NULL, m);
        if (n == 0 || strcmp(m[0].id, found[i].id))
            fail_msg("'%s': expected %s first, got %s", found[i].query, found[i].id,
                     n ? m[0].id : "nothing");
    }
    /* A token three edits away is no typo (Larson / Wilson), nor is a
     * listed name: ANTONIA SMITH does not lift "Antonia Rodriguez". */
    static const char *const none[] = {"Joseph Larson", "Joseph Larsen"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        size_t n = screen(&g, none[i], NULL, m);
        if (n)
            fail_msg("'%s' matched %s (%s) at %.3f", none[i], m[0].id, m[0].matched_name,
                     m[0].score);
    }
    size_t n = screen(&g, "Antonia Rodriguez", NULL, m);
    assert_true(n > 0 && !strcmp(m[0].id, "p-6"));
    double antonia = m[0].score;
    /* unlisted, one edit, less similar by Jaro-Winkler, yet closer */
    n = screen(&g, "Antonjo Rodriguez", NULL, m);
    assert_true(n > 0 && !strcmp(m[0].id, "p-6"));
    assert_true(m[0].score > antonia);
    ectl_index_close(g.ix);
    unlink(csv);
    unlink(idx);
}

struct worker {
    struct fixture *f;
    int failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    struct ectl_match m[10];
    static const char *const q[] = {"Kim Jong Un", "Al Qaeda", "Huawei", "John Daniels"};
    static const char *const want[] = {"c-002", "c-003", "c-005", NULL};
    for (int i = 0; i < 2000; i++) {
        size_t n;
        struct ectl_error err = {0};
        int k = i % 4;
        if (ectl_screen(w->f->ix, q[k], NULL, m, 10, &n, &err) != 0 ||
            (want[k] ? (n == 0 || strcmp(m[0].id, want[k])) : n != 0))
            w->failures++;
    }
    return NULL;
}

static void threads_share_an_index(void **state)
{
    struct fixture *f = *state;
    pthread_t t[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (struct worker){f, 0};
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
}

/* A thread that ends leaves its state for the next thread (screen.c),
 * which takes it with its memos emptied: it answers from its own index,
 * and an unlisted token is expanded again rather than read from the
 * memo (fewer similarities computed would tell a memo hit). */
struct one_query {
    const struct ectl_index *ix;
    const char *name;
    size_t idle_at_start;
    size_t n;
    struct ectl_match m[10];
    int rc;
};

static void *screen_once(void *arg)
{
    struct one_query *q = arg;
    struct ectl_error err = {0};
    q->idle_at_start = ectl_screen_idle_states();
    q->rc = ectl_screen(q->ix, q->name, NULL, q->m, 10, &q->n, &err);
    return NULL;
}

static void run_thread(struct one_query *q)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, screen_once, q), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(q->rc, 0);
}

static void ended_threads_leave_their_state(void **state)
{
    struct fixture *f = *state;
    /* Another index, in which the same name is another entry. */
    char csv[160], idx[160];
    struct ectl_index *other =
        small_index(f, "id,type,name,aliases,countries\no-1,person,Kim Jong Un,,KP\n", csv, idx,
                    sizeof csv);
    struct ectl_error err = {0};

    struct one_query a = {.ix = f->ix, .name = "Kim Jong Un"};
    run_thread(&a);
    assert_true(a.n > 0);
    assert_string_equal(a.m[0].id, "c-002");
    size_t idle = ectl_screen_idle_states();
    assert_true(idle >= 1);
    struct one_query b = {.ix = other, .name = "Kim Jong Un"};
    run_thread(&b);
    assert_int_equal(b.idle_at_start, idle);
    assert_int_equal(ectl_screen_idle_states(), idle); /* taken, then left again */
    assert_true(b.n > 0);
    assert_string_equal(b.m[0].id, "o-1");
    assert_string_equal(b.m[0].list, "small");

    /* The memo of a scratch: filled by a token the list lacks, kept by a
     * query of listed words, emptied once forgotten. */
    struct ectl_norm *norm;
    assert_int_equal(ectl_norm_new(&norm, &err), 0);
    struct ectl_norm_result *q = calloc(1, sizeof *q);
    struct ectl_scratch *s = ectl_scratch_new();
    assert_non_null(s);
    static const char *const names[] = {"Tharwat Salah Shihatta", "Huawei", "Huawei"};
    static const char *const ids[] = {"c-006", "c-005", "c-005"};
    size_t used[3];
    for (int k = 0; k < 3; k++) {
        if (k == 2)
            ectl_scratch_forget(s);
        assert_int_equal(ectl_norm_name(norm, names[k], strlen(names[k]), q, &err), 0);
        struct ectl_match m[10];
        size_t n;
        assert_int_equal(ectl_search(s, f->ix, q, NULL, NULL, NULL, m, 10, &n, NULL, &err), 0);
        assert_true(n > 0 && !strcmp(m[0].id, ids[k]));
        used[k] = ectl_xmemo_used(s->xmemo);
    }
    assert_true(used[0] >= 1);      /* "shihatta" remembered */
    assert_int_equal(used[1], used[0]); /* and kept */
    assert_int_equal(used[2], 0);   /* until forgotten */
    ectl_scratch_free(s);
    free(q);
    ectl_norm_free(norm);
    ectl_index_close(other);
    unlink(csv);
    unlink(idx);
}

/* Every term's similarity with a query token as the search caches it
 * (ectl_cand_sim: the letters record first, the whole computation after)
 * is what the scorer computes from the texts, or both are below the floor,
 * for query tokens listed and unlisted, short and long, said alike or an
 * initial. */
static void cached_sims_agree(const struct ectl_index *ix)
{
    static const char *const tokens[] = {"mohammad", "muhamad", "kim", "ali", "a", "salek",
                                         "abdulhai", "ghazi", "chol", "shihata", "al", "zzxq"};
    const struct ectl_sc_params *p = &ectl_sc_default_params;
    struct ectl_scratch *s = ectl_scratch_new();
    assert_non_null(s);
    assert_int_equal(ectl_scratch_fit(s, ix), 0);
    size_t checked = 0, below = 0;
    for (size_t k = 0; k < sizeof tokens / sizeof *tokens; k++) {
        struct ectl_name_form f;
        test_form(&f, tokens[k]);
        uint32_t term[ECTL_SC_MAX], pkey[ECTL_SC_MAX];
        ectl_search_query_side(ix, &f, &s->q, term, pkey);
        assert_int_equal(s->q.n, 1);
        s->qt[0].term = term[0];
        s->qt[0].pkey = pkey[0];
        ectl_jaro_pre_init(&s->qpre[0], s->q.tok[0].text, s->q.tok[0].len);
        for (uint32_t u = 0; u < ix->n_terms; u++) {
            if ((u & 1023) == 0)
                ectl_scratch_next_form(s); /* the row cache holds 4,096 terms */
            struct ectl_search_stats st = {0};
            float got = ectl_cand_sim(s, ix, p, u, 0, 1, &st);
            const struct ectl_ix_term *x = &ix->terms[u];
            struct ectl_sc_tok t = {ix->str + x->text, x->len, x->flags, x->weight};
            int same = x->pkey != ECTL_IX_NONE && pkey[0] == x->pkey;
            float want = term[0] == u ? 1.0f
                                      : ectl_sc_token_sim(p, &s->q.tok[0], &t, same);
            if (got != want && !(got < p->sim_floor && want < p->sim_floor))
                fail_msg("%s / %s: cached %.9g, from the texts %.9g", tokens[k], t.text, got,
                         want);
            checked++;
            below += want < p->sim_floor;
        }
        test_forms_reset();
    }
    ectl_scratch_free(s);
    /* most pairs are far apart: the shortcut was taken, and checked */
    assert_true(below > checked / 2);
}

static void un_list(void **state)
{
    (void)state;
    const char *un = ECTL_SHARED_DATA "/lists/un/un_consolidated_2026-02-27.xml";
    if (access(un, R_OK) != 0) {
        skip();
        return;
    }
    char out[] = "/tmp/ectl-un-test-XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    struct ectl_error err = {0};
    const char *src[] = {un};
    if (ectl_lists_build(src, 1, NULL, out, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    assert_int_equal(rep->sources[0].entities, 1003);
    free(rep);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(out, &ix, &err), 0);
    struct ectl_list_info li;
    ectl_index_list_info(ix, 0, &li);
    assert_string_equal(li.list, "un-sc");
    assert_string_equal(li.list_date, "2026-02-27");
    struct ectl_match m[10];
    size_t n;
    /* yente fixtures: a name as listed, reordered with a comma, and typos. */
    static const char *const q[] = {"ABDULHAI SALEK", "SALEK, ABDULHAI", "THARWAT SALAH SHIHATA",
                                    "AREFULLAHA REF GHAZI MOHAMMAD", "KIM SKO CHOL", "AFIZ"};
    for (size_t i = 0; i < sizeof q / sizeof *q; i++) {
        assert_int_equal(ectl_screen(ix, q[i], NULL, m, 10, &n, &err), 0);
        if (n == 0)
            fail_msg("'%s' found nothing", q[i]);
    }
    /* Two typos (the short "tad" is found one edit from "tae" although
     * three-letter terms are not in the deletion table), and a person's
     * name ending in the legal form SE, reordered. */
    static const struct {
        const char *query, *id;
    } found[] = {
        {"KCO TAD HUN", "6908512"}, {"TAUFIL RIKI", "113435"}, {"LUCKOSN ELAD", "6909388"},
        {"SE, PAK HAN", "6908589"},
    };
    for (size_t i = 0; i < sizeof found / sizeof *found; i++) {
        assert_int_equal(ectl_screen(ix, found[i].query, NULL, m, 10, &n, &err), 0);
        size_t k = 0;
        while (k < n && strcmp(m[k].id, found[i].id))
            k++;
        if (k == n)
            fail_msg("'%s' does not find %s", found[i].query, found[i].id);
    }
    cached_sims_agree(ix);
    ectl_index_close(ix);
    unlink(out);
}

/* The first CSV field of each data row of a yente fixture, up to max. */
static size_t read_names(const char *path, char **names, size_t max)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    char line[1024];
    size_t n = 0;
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return 0;
    }
    while (n < max && fgets(line, sizeof line, fp)) {
        char buf[1024], *o = buf;
        const char *c = line;
        if (*c == '"') {
            for (c++; *c && !(c[0] == '"' && c[1] != '"'); c++) {
                if (c[0] == '"')
                    c++;
                *o++ = *c;
            }
        } else {
            while (*c && *c != ',' && *c != '\n')
                *o++ = *c++;
        }
        *o = '\0';
        if (buf[0])
            names[n++] = strdup(buf);
    }
    fclose(fp);
    return n;
}

/* The work a search reuses must not change any answer: the memo of
 * unlisted tokens' expansions kept from query to query (xmemo.c) and the
 * scores of names spelled alike (search.c).  The UN list screened with
 * them, each name twice so that the second search reads the memo, and
 * without them (a copy of the default parameters turns them off), at a
 * low bar so that many names are scored.  The scratch with them starts
 * its generations just short of where they wrap (24 bits, kept beside a
 * slot or a count in the cells), so that the clear at the wrap runs in
 * the middle with every cell stamped. */
static int hit_cmp(const void *a, const void *b)
{
    const struct hit *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The candidates kept when there are too many are the best ones by a full
 * sort: random credits with many ties (ids break them), every k. */
static void select_is_sort(void **state)
{
    (void)state;
    enum { N = 300 };
    struct hit v[N], want[N];
    uint64_t seed = 12345;
    for (size_t round = 0; round < 200; round++) {
        size_t n = 1 + round % N;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            v[i] = (struct hit){(uint32_t)(seed >> 40) ^ (uint32_t)i << 24 ^ (uint32_t)i,
                                (float)(seed >> 61) / 4.0f};
        }
        /* distinct ids */
        for (size_t i = 0; i < n; i++)
            v[i].id = (v[i].id & ~0x3ffu) | (uint32_t)i;
        memcpy(want, v, n * sizeof *v);
        qsort(want, n, sizeof *want, hit_cmp);
        size_t k = round % 7 == 0 ? n : 1 + (round * 37) % n;
        ectl_hits_select(v, n, k);
        qsort(v, k, sizeof *v, hit_cmp);
        for (size_t i = 0; i < k; i++)
            assert_true(v[i].id == want[i].id && v[i].v == want[i].v);
    }
}

static void reuse_changes_nothing(void **state)
{
    (void)state;
    const char *un = ECTL_SHARED_DATA "/lists/un/un_consolidated_2026-02-27.xml";
    const char *yente = ECTL_SHARED_DATA "/matching-cases/yente_screening_fixtures/";
    if (access(un, R_OK) != 0) {
        skip();
        return;
    }
    char out[] = "/tmp/ectl-memo-test-XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    struct ectl_error err = {0};
    const char *src[] = {un};
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    if (ectl_lists_build(src, 1, NULL, out, rep, NULL, NULL, &err) != 0)
        fail_msg("build: %s", err.msg);
    free(rep);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open(out, &ix, &err), 0);
    enum { MAX = 2400 };
    char **names = calloc(MAX, sizeof *names);
    char path[512];
    size_t n_names = 0;
    static const char *const files[] = {"positives_un_treated.csv", "negatives_global.csv",
                                        "negatives_us.csv"};
    for (size_t k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s%s", yente, files[k]);
        n_names += read_names(path, names + n_names, k == 0 ? 700 : 800);
    }
    assert_true(n_names > 1000);
    /* A query token the lists have takes its phonetic key from its term:
     * the key the query side would compute for it. */
    for (uint32_t t = 0; t < ix->n_terms; t++) {
        const struct ectl_ix_term *x = &ix->terms[t];
        if (x->flags & ECTL_IX_T_DIGITS) {
            assert_int_equal(x->pkey, ECTL_IX_NONE);
            continue;
        }
        char key[32];
        size_t kl = ectl_norm_phonetic_key(ix->str + x->text, x->len, key, sizeof key);
        uint32_t k = kl > 0 && kl < sizeof key ? ectl_ix_pkey_find(ix, key, kl) : ECTL_IX_NONE;
        if (k != x->pkey)
            fail_msg("term '%s': key %u at build, %u at query", ix->str + x->text, x->pkey, k);
    }
    struct ectl_norm *norm;
    assert_int_equal(ectl_norm_new(&norm, &err), 0);
    struct ectl_norm_result *q = calloc(1, sizeof *q);
    struct ectl_scratch *with = ectl_scratch_new(), *without = ectl_scratch_new();
    assert_non_null(with);
    with->gen = GEN_LIMIT - 2000;
    with->cgen = GEN_LIMIT - 6000;
    struct ectl_search_params plain = ectl_search_default_params;
    struct ectl_screen_opts o = {.threshold = 0.5, .limit = 20};
    struct ectl_match *a = calloc(20, sizeof *a), *b = calloc(20, sizeof *b);
    size_t compared = 0;
    for (size_t r = 0; r < 2; r++)
        for (size_t k = 0; k < n_names; k++) {
            assert_int_equal(ectl_norm_name(norm, names[k], strlen(names[k]), q, &err), 0);
            size_t na, nb;
            assert_int_equal(ectl_search(with, ix, q, &o, NULL, NULL, a, 20, &na, NULL, &err), 0);
            assert_int_equal(ectl_search(without, ix, q, &o, &plain, NULL, b, 20, &nb, NULL, &err),
                             0);
            if (na != nb)
                fail_msg("'%s': %zu matches with the memo, %zu without", names[k], na, nb);
            for (size_t j = 0; j < na; j++) {
                if (a[j].score != b[j].score || strcmp(a[j].id, b[j].id) ||
                    strcmp(a[j].list, b[j].list) || strcmp(a[j].matched_name, b[j].matched_name) ||
                    strcmp(a[j].explain, b[j].explain))
                    fail_msg("'%s', match %zu: %s %.6f '%s' with the memo, %s %.6f '%s' without",
                             names[k], j, a[j].id, a[j].score, a[j].explain, b[j].id, b[j].score,
                             b[j].explain);
                compared++;
            }
        }
    assert_true(compared > 100);
    assert_true(with->gen < GEN_LIMIT - 2000 && with->cgen < GEN_LIMIT - 6000); /* both wrapped */
    free(a);
    free(b);
    ectl_scratch_free(with);
    ectl_scratch_free(without);
    free(q);
    ectl_norm_free(norm);
    for (size_t k = 0; k < n_names; k++)
        free(names[k]);
    free(names);
    ectl_index_close(ix);
    unlink(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_variants),
        cmocka_unit_test(differing_qualifiers),
        cmocka_unit_test(refuses_generic),
        cmocka_unit_test(filters_and_errors),
        cmocka_unit_test(build_errors),
        cmocka_unit_test(short_forms_by_type),
        cmocka_unit_test(two_typos),
        cmocka_unit_test(threads_share_an_index),
        cmocka_unit_test(ended_threads_leave_their_state),
        cmocka_unit_test(un_list),
        cmocka_unit_test(reuse_changes_nothing),
        cmocka_unit_test(select_is_sort),
        cmocka_unit_test(better_later_name_wins),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
