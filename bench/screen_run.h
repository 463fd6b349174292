/*
 * Screening benchmark: one run's measurements, filled by bench_screen.c
 * and turned into the table by screen_report.c.
 */
#ifndef ECTL_BENCH_SCREEN_RUN_H
#define ECTL_BENCH_SCREEN_RUN_H

#include "screen_bench.h"
#include "screen_ectl.h"

#define PG_T 0.5 /* peers-baseline.md: pg_trgm similarity's best trade-off */
#define JW_T 0.9 /* ...and token-sorted Jaro-Winkler's */

enum { E_ECTL, E_PG, E_JW, N_ENG };
enum { C_UN, C_LISTS, C_CROSS, C_SYN, N_CORPORA };

struct engine {
    double t; /* the threshold its answers are judged at */
    void *shared;
    void *(*ctx_new)(void *shared);
    void (*ctx_free)(void *ctx);
    sb_query_fn query;
};

struct slice_res {
    size_t n, hit, n_latin, hit_latin; /* hit: found (positives) or clean (negatives) */
};

struct pass {
    bool ran;
    struct slice_res s[SB_MAX_SLICES];
    double *lat; /* seconds of every timed query */
    size_t n_lat;
    double sum;
    bool cut; /* stopped by its time budget */
};

/* How much of each slice an engine screens: every stride-th positive, the
 * first max_neg negatives, and nothing after budget seconds (the timed
 * pass; the warm-up is bounded by warmup and the same slices). */
struct sampling {
    size_t stride, max_neg;
    double budget;
    size_t warmup; /* untimed queries first, per slice (the baseline's: 200) */
};

struct pair_stats {
    bool ran;
    double t, p, r, f1, best_f1, best_t, auc;
};

struct pg_shared {
    struct sb_pg *pg;
    char table[32];
    double t;
};

struct bench {
    const char *data, *cases_dir, *tmp;
    size_t negatives, synthetic;
    int threads;
    bool no_pg, no_jw;
    const char *queries_out; /* NULL, or where to keep the throughput queries */
    struct sb_corpus corpus[N_CORPORA];
    bool have[N_CORPORA];
    char idx_path[N_CORPORA][1200];
    struct sb_cases cases;
    struct engine eng[N_ENG][N_CORPORA];
    bool eng_ok[N_ENG][N_CORPORA];
    struct pass pass[N_ENG][N_CORPORA];
    struct sampling smp[N_ENG][N_CORPORA];
    struct pair_stats pairs[N_ENG];
    char why[N_ENG][160]; /* why an engine did not run */
    /* speed and memory */
    double tput[N_ENG];
    size_t tput_n[N_ENG];
    int tput_runs;     /* exportctl's runs, of which tput is the median */
    double tput_first; /* exportctl's first run, its threads' states made anew */
    double build_s[N_ENG][N_CORPORA];
    double open_s[N_CORPORA], open_worst[N_CORPORA];
    double size_bytes[N_ENG][N_CORPORA];
    long build_rss[N_CORPORA], screen_rss;
    size_t screen_rss_queries;
    double pg_floor, pg_floor_p99;
    char pg_version[96];
    char load_start[64], load_end[64]; /* /proc/loadavg: other work on the machine */
    struct se_engine se[N_CORPORA];
    struct pg_shared pgs[N_CORPORA];
    struct sb_jw *jw[N_CORPORA];
};

#define SB_WARMUP 200 /* untimed queries per slice before timing, as the baseline */

/* ---- screen_eval.c ---- */

/* The q-quantile of v (sorted in place), nearest rank; 0 if n is 0. */
double quantile(double *v, size_t n, double q);

/* Screen the slices of k that belong to corpus c (the cross-script ones
 * or the others) with engine e on one thread: untimed warm-up, then every
 * sampled query timed alone and judged; examples: print exportctl's misses
 * and false positives (e must be exportctl's). */
void run_pass(const struct engine *e, const struct sb_corpus *c, const struct sb_cases *k,
              bool cross, struct sampling smp, struct pass *p, bool examples);

/* Queries per second of threads threads screening texts between them
 * (each with its own engine context), or -1. */
double throughput(const struct engine *e, const char *const *texts, size_t n, int threads);

/* Precision, recall and F1 at t, the best F1 over thresholds and the AUC
 * of score[i] for the pairs of k. */
void pair_stats(const struct sb_cases *k, const double *score, double t, struct pair_stats *o);

/* Print the header and the one table to standard output. */
void report(struct bench *b, double seconds);

#endif
