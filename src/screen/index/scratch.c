/*
 * A search's work arrays: sized to the largest index they have served,
 * reused from query to query, and never cleared between queries (see the
 * generation stamps in search_int.h).
 */
#include "search_int.h"

#include <stdlib.h>
#include <string.h>

struct ectl_scratch *ectl_scratch_new(void)
{
    struct ectl_scratch *s = calloc(1, sizeof *s);
    if (s) {
        s->rows = malloc(ROW_MAX * sizeof *s->rows);
        s->xmemo = ectl_xmemo_new();
    }
    if (s && (!s->rows || !s->xmemo)) {
        free(s->rows);
        ectl_xmemo_free(s->xmemo);
        free(s);
        return NULL;
    }
    return s;
}

static void free_names(struct ectl_scratch *s)
{
    free(s->ncell);
    free(s->touched);
    free(s->live);
    free(s->cands);
    s->ncell = NULL, s->touched = NULL, s->live = NULL, s->cands = NULL;
    s->cap_names = 0;
}

static void free_terms(struct ectl_scratch *s)
{
    free(s->trow);
    free(s->tcell);
    free(s->t_touched);
    s->trow = NULL, s->tcell = NULL;
    s->t_touched = NULL;
    s->cap_terms = 0;
}

static void free_entities(struct ectl_scratch *s)
{
    free(s->e_gen);
    free(s->e_score);
    free(s->e_name);
    free(s->e_variant);
    free(s->ents);
    free(s->rank);
    s->e_gen = NULL, s->e_score = NULL, s->e_name = NULL, s->e_variant = NULL, s->ents = NULL;
    s->rank = NULL;
    s->cap_entities = 0;
}

void ectl_scratch_free(struct ectl_scratch *s)
{
    if (!s)
        return;
    free_names(s);
    free_terms(s);
    free_entities(s);
    free(s->rows);
    ectl_xmemo_free(s->xmemo);
    free(s);
}

void ectl_scratch_forget(struct ectl_scratch *s)
{
    if (s)
        ectl_xmemo_clear(s->xmemo);
}

/* New arrays are zeroed, which is "empty" for every stamp since
 * generations start at 1. */
int ectl_scratch_fit(struct ectl_scratch *s, const struct ectl_index *ix)
{
    if (ix->n_names > s->cap_names) {
        free_names(s);
        size_t n = ix->n_names;
        s->ncell = calloc(n, sizeof *s->ncell);
        s->touched = malloc((n + 1) * sizeof *s->touched); /* see credit_term */
        s->live = malloc(n * sizeof *s->live);
        s->cands = malloc(n * sizeof *s->cands);
        if (!s->ncell || !s->touched || !s->live || !s->cands) {
            free_names(s);
            return ECTL_ENOMEM;
        }
        s->cap_names = n;
    }
    if (ix->n_terms > s->cap_terms) {
        free_terms(s);
        size_t n = ix->n_terms;
        s->trow = calloc(n, sizeof *s->trow);
        s->tcell = calloc(n, sizeof *s->tcell);
        s->t_touched = malloc(n * sizeof *s->t_touched);
        if (!s->trow || !s->tcell || !s->t_touched) {
            free_terms(s);
            return ECTL_ENOMEM;
        }
        s->cap_terms = n;
    }
    if (ix->n_entities > s->cap_entities) {
        free_entities(s);
        size_t n = ix->n_entities;
        s->e_gen = calloc(n, sizeof *s->e_gen);
        s->e_score = malloc(n * sizeof *s->e_score);
        s->e_name = malloc(n * sizeof *s->e_name);
        s->e_variant = malloc(n);
        s->ents = malloc(n * sizeof *s->ents);
        s->rank = malloc(n * sizeof *s->rank);
        if (!s->e_gen || !s->e_score || !s->e_name || !s->e_variant || !s->ents || !s->rank) {
            free_entities(s);
            return ECTL_ENOMEM;
        }
        s->cap_entities = n;
    }
    return 0;
}

void ectl_scratch_next_form(struct ectl_scratch *s)
{
    if (++s->gen >= GEN_LIMIT) {
        /* Wrapped after 2^24 forms (the name cells keep 24 bits of it):
         * clear the stamps once. */
        memset(s->ncell, 0, s->cap_names * sizeof *s->ncell);
        memset(s->trow, 0, s->cap_terms * sizeof *s->trow);
        memset(s->spelt, 0, sizeof s->spelt);
        s->gen = 1;
    }
    s->n_rows = 0;
    s->n_touched = 0;
}

uint32_t ectl_scratch_next_token(struct ectl_scratch *s)
{
    if (++s->cgen >= GEN_LIMIT) {
        /* 24 bits of it are kept beside the trigram counts. */
        memset(s->tcell, 0, s->cap_terms * sizeof *s->tcell);
        s->cgen = 1;
    }
    return s->cgen;
}
