/*
 * Screening benchmark: running an engine over the slices (quality and
 * latency in one pass), throughput with several threads, and scoring the
 * name pairs.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen_run.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double quantile(double *v, size_t n, double q)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(q * (double)n);
    return v[i < n ? i : n - 1];
}

static size_t examples_per_slice = 6;

static const char *first_name_of(const struct sb_corpus *c, int32_t e)
{
    if (e < 0)
        return "?";
    size_t lo = 0, hi = c->n_names;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((int32_t)c->names[mid].ent < e)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n_names && (int32_t)c->names[lo].ent == e ? c->names[lo].raw : "?";
}

/* For exportctl: say what went wrong with one query. */
static void example(const struct sb_corpus *c, const struct sb_slice *s, const struct sb_query *q,
                    int32_t want, const struct se_ctx *x, size_t *shown)
{
    if ((*shown)++ >= examples_per_slice)
        return;
    if (s->kind == SB_POSITIVE) {
        fprintf(stderr, "  miss  [%s] %s  -> want %s %s (%s)", s->name, q->text, q->expect_list,
                q->expect, first_name_of(c, want));
        if (x->n)
            fprintf(stderr, "; got %s %.2f", x->m[0].matched_name, x->m[0].score);
        fprintf(stderr, "\n");
    } else
        fprintf(stderr, "  FP    [%s] %s  -> %s %s %s (%.2f; %s)\n", s->name, q->text, x->m[0].list,
                x->m[0].id, x->m[0].matched_name, x->m[0].score, x->m[0].explain);
}

void run_pass(const struct engine *e, const struct sb_corpus *c, const struct sb_cases *k,
              bool cross, struct sampling smp, struct pass *p, bool examples)
{
    memset(p, 0, sizeof *p);
    void *ctx = e->ctx_new(e->shared);
    if (!ctx)
        return;
    size_t total = 0;
    for (size_t si = 0; si < k->n_slices; si++)
        total += k->slices[si].n;
    p->lat = calloc(total ? total : 1, sizeof *p->lat);
    struct sb_hit hits[SB_TOP];
    size_t nh;
    for (size_t si = 0; si < k->n_slices && !sb_stop; si++) {
        const struct sb_slice *s = &k->slices[si];
        if (s->cross != cross)
            continue;
        size_t max = s->kind == SB_POSITIVE ? s->n : (s->n < smp.max_neg ? s->n : smp.max_neg);
        for (size_t i = 0, done = 0; i < max && done < smp.warmup && !sb_stop;
             i += s->kind == SB_POSITIVE ? smp.stride : 1, done++)
            e->query(ctx, s->q[i].text, hits, &nh);
    }
    double t0 = sb_now();
    for (size_t si = 0; si < k->n_slices && !sb_stop && !p->cut; si++) {
        const struct sb_slice *s = &k->slices[si];
        struct slice_res *r = &p->s[si];
        size_t shown = 0;
        if (s->cross != cross)
            continue;
        size_t step = s->kind == SB_POSITIVE ? smp.stride : 1;
        size_t max = s->kind == SB_POSITIVE ? s->n : (s->n < smp.max_neg ? s->n : smp.max_neg);
        for (size_t i = 0; i < max && !sb_stop; i += step) {
            if (sb_now() - t0 > smp.budget) {
                p->cut = true;
                break;
            }
            const struct sb_query *q = &s->q[i];
            double t = e->query(ctx, q->text, hits, &nh);
            if (t < 0) {
                p->cut = true;
                break;
            }
            p->lat[p->n_lat++] = t;
            p->sum += t;
            bool good;
            int32_t want = -1;
            if (s->kind == SB_POSITIVE) {
                want = sb_corpus_find(c, q->expect_list, q->expect);
                good = false;
                for (size_t h = 0; h < nh && !good; h++)
                    good = want >= 0 && hits[h].ent == want && hits[h].score + 1e-6 >= e->t;
            } else
                good = !(nh && hits[0].score + 1e-6 >= e->t); /* no result: not a false positive */
            bool counted = s->kind == SB_POSITIVE ? good : !good; /* found, or a false positive */
            r->n++;
            r->hit += counted;
            if (q->latin) {
                r->n_latin++;
                r->hit_latin += counted;
            }
            if (examples && !good)
                example(c, s, q, want, ctx, &shown);
        }
    }
    p->ran = !sb_stop;
    e->ctx_free(ctx);
}

/* ---- throughput ------------------------------------------------------------ */

struct tp {
    const struct engine *e;
    const char *const *texts;
    size_t n;
    atomic_size_t next;
    pthread_barrier_t bar;
    double end[64];
    bool failed;
};

struct tp_arg {
    struct tp *tp;
    int id;
};

static void *tp_worker(void *arg)
{
    struct tp_arg *a = arg;
    struct tp *tp = a->tp;
    void *ctx = tp->e->ctx_new(tp->e->shared);
    struct sb_hit hits[SB_TOP];
    size_t nh;
    if (!ctx)
        tp->failed = true;
    for (size_t i = 0; ctx && i < 20 && i < tp->n; i++) /* per-thread set-up out of the timing */
        tp->e->query(ctx, tp->texts[i], hits, &nh);
    pthread_barrier_wait(&tp->bar);
    size_t i;
    while (ctx && !sb_stop && (i = atomic_fetch_add(&tp->next, 1)) < tp->n)
        if (tp->e->query(ctx, tp->texts[i], hits, &nh) < 0) {
            tp->failed = true;
            break;
        }
    tp->end[a->id] = sb_now();
    if (ctx)
        tp->e->ctx_free(ctx);
    return NULL;
}

/* Queries per second of threads threads screening texts between them. */
double throughput(const struct engine *e, const char *const *texts, size_t n, int threads)
{
    struct tp tp = {.e = e, .texts = texts, .n = n};
    pthread_t th[64];
    struct tp_arg args[64];
    atomic_init(&tp.next, 0);
    pthread_barrier_init(&tp.bar, NULL, (unsigned)threads + 1);
    for (int t = 0; t < threads; t++) {
        args[t] = (struct tp_arg){&tp, t};
        pthread_create(&th[t], NULL, tp_worker, &args[t]);
    }
    pthread_barrier_wait(&tp.bar);
    double t0 = sb_now(), end = t0;
    for (int t = 0; t < threads; t++) {
        pthread_join(th[t], NULL);
        end = tp.end[t] > end ? tp.end[t] : end;
    }
    pthread_barrier_destroy(&tp.bar);
    return tp.failed || sb_stop || end <= t0 ? -1 : (double)n / (end - t0);
}

/* ---- pairs ------------------------------------------------------------------ */

void pair_stats(const struct sb_cases *k, const double *score, double t, struct pair_stats *o)
{
    size_t tp = 0, fp = 0, fn = 0, pos = 0, neg = 0;
    for (size_t i = 0; i < k->n_pairs; i++) {
        bool yes = score[i] + 1e-9 >= t;
        tp += yes && k->pairs[i].match;
        fp += yes && !k->pairs[i].match;
        fn += !yes && k->pairs[i].match;
        pos += k->pairs[i].match;
        neg += !k->pairs[i].match;
    }
    o->ran = true;
    o->t = t;
    o->p = tp + fp ? (double)tp / (double)(tp + fp) : 0;
    o->r = tp + fn ? (double)tp / (double)(tp + fn) : 0;
    o->f1 = o->p + o->r > 0 ? 2 * o->p * o->r / (o->p + o->r) : 0;
    o->best_f1 = 0;
    for (int step = 1; step <= 99; step++) {
        double bt = step / 100.0;
        size_t a = 0, b = 0, c = 0;
        for (size_t i = 0; i < k->n_pairs; i++) {
            bool yes = score[i] + 1e-9 >= bt;
            a += yes && k->pairs[i].match;
            b += yes && !k->pairs[i].match;
            c += !yes && k->pairs[i].match;
        }
        double f = a ? 2.0 * (double)a / (double)(2 * a + b + c) : 0;
        if (f > o->best_f1) {
            o->best_f1 = f;
            o->best_t = bt;
        }
    }
    double wins = 0; /* AUC: a match pair outscores a no-match pair, ties count half */
    for (size_t i = 0; i < k->n_pairs; i++)
        for (size_t j = 0; k->pairs[i].match && j < k->n_pairs; j++)
            if (!k->pairs[j].match)
                wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
    o->auc = pos && neg ? wins / ((double)pos * (double)neg) : 0;
}

/* exportctl scores a pair by screening name1 against an index of every
 * distinct name2 (as one entity each, typed by the pair's schema) at a
 * threshold of 0.01 and reading name2's entity from the answer. */
