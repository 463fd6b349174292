#include "index_test.h"

#include <stdlib.h>
#include <string.h>

static char *pool[4096];
static size_t n_pool;

void test_forms_reset(void)
{
    for (size_t i = 0; i < n_pool; i++)
        free(pool[i]);
    n_pool = 0;
}

static unsigned prefix_flags(const char **s)
{
    switch (**s) {
    case '!': (*s)++; return ECTL_TOK_LEGAL_FORM;
    case '~': (*s)++; return ECTL_TOK_GENERIC;
    case '^': (*s)++; return ECTL_TOK_HONORIFIC;
    default: return 0;
    }
}

void test_form(struct ectl_name_form *f, const char *tokens)
{
    memset(f, 0, sizeof *f);
    char *copy = strdup(tokens);
    assert_non_null(copy);
    assert_true(n_pool < sizeof pool / sizeof *pool);
    pool[n_pool++] = copy;
    for (char *save = NULL, *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        const char *s = t;
        unsigned fl = prefix_flags(&s);
        assert_true(f->n < ECTL_NORM_MAX_TOKENS);
        f->tok[f->n].text = s;
        f->tok[f->n].len = (uint16_t)strlen(s);
        f->tok[f->n].flags = (uint16_t)fl;
        f->n++;
    }
}

void test_query(struct ectl_norm_result *q, const char *tokens)
{
    memset(q, 0, offsetof(struct ectl_norm_result, buf));
    q->n_variants = 1;
    test_form(&q->variants[0], tokens);
}

struct ectl_index *test_index(const struct test_entity *e, size_t n, void **mem, size_t *len)
{
    struct ectl_ixb *b;
    assert_int_equal(ectl_ixb_new(&b), 0);
    for (size_t i = 0; i < n; i++) {
        const char *countries[8];
        size_t nc = 0;
        char *cc = strdup(e[i].countries ? e[i].countries : "");
        for (char *save = NULL, *t = strtok_r(cc, ";", &save); t && nc < 8;
             t = strtok_r(NULL, ";", &save))
            countries[nc++] = t;
        struct ectl_entity_name names[8];
        size_t nn = 0;
        while (nn < 8 && e[i].names[nn]) {
            names[nn].text = e[i].names[nn];
            names[nn].kind = nn == 0 ? ECTL_NAME_PRIMARY : ECTL_NAME_AKA;
            nn++;
        }
        struct ectl_entity x = {.list = e[i].list,
                                .id = e[i].id,
                                .type = e[i].type,
                                .n_names = nn,
                                .names = names,
                                .n_countries = nc,
                                .countries = countries};
        assert_int_equal(ectl_ixb_entity_begin(b, &x), 0);
        for (size_t k = 0; k < nn; k++) {
            struct ectl_name_form f;
            test_form(&f, e[i].names[k]);
            assert_int_equal(ectl_ixb_name(b, e[i].names[k], names[k].kind, &f, 1), 0);
        }
        ectl_ixb_entity_end(b);
        free(cc);
        assert_int_equal(ectl_ixb_source_done(b, "simple-csv", "2026-01-02"), 0);
    }
    struct ectl_error err = {0};
    assert_int_equal(ectl_ixb_compile(b, 1767225600, mem, len, &err), 0);
    ectl_ixb_free(b);
    struct ectl_index *ix;
    assert_int_equal(ectl_index_open_mem(*mem, *len, "test", &ix, &err), 0);
    return ix;
}

void test_side(struct ectl_sc_side *s, const char *tokens, const float *w)
{
    struct ectl_name_form f;
    test_form(&f, tokens);
    s->n = f.n;
    for (size_t i = 0; i < f.n; i++) {
        s->tok[i].text = f.tok[i].text;
        s->tok[i].len = f.tok[i].len;
        unsigned fl = 0;
        if (f.tok[i].flags & ECTL_TOK_LEGAL_FORM)
            fl |= ECTL_IX_T_LEGAL;
        if (f.tok[i].flags & ECTL_TOK_GENERIC)
            fl |= ECTL_IX_T_GENERIC;
        if (f.tok[i].flags & ECTL_TOK_HONORIFIC)
            fl |= ECTL_IX_T_HONORIFIC;
        s->tok[i].flags = (uint16_t)fl;
        s->tok[i].w = w ? w[i] : 1.0f;
    }
}

double test_score(const char *q, const float *wq, const char *c, const float *wc,
                  struct ectl_sc_result *r)
{
    const struct ectl_sc_params *p = &ectl_sc_default_params;
    struct ectl_sc_side a, b;
    test_side(&a, q, wq);
    test_side(&b, c, wc);
    float sim[ECTL_SC_MAX][ECTL_SC_MAX];
    for (size_t i = 0; i < a.n; i++)
        for (size_t j = 0; j < b.n; j++)
            sim[i][j] = ectl_sc_token_sim(p, &a.tok[i], &b.tok[j], 0);
    return ectl_sc_score(p, &a, &b, (const float(*)[ECTL_SC_MAX])sim, r);
}
