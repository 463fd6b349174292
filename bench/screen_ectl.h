/*
 * Screening benchmark: exportctl as one of the engines (screen_ectl.c).
 */
#ifndef ECTL_BENCH_SCREEN_ECTL_H
#define ECTL_BENCH_SCREEN_ECTL_H

#include <exportctl/screen.h>

#include "screen_bench.h"

struct se_build {
    double seconds; /* ectl_lists_build, measured in the child */
    long rss_kib;   /* the child's peak RSS (VmHWM) */
    uint64_t bytes, entities, names;
};

/* Build c's index at out_path in a child process. */
int se_build(const struct sb_corpus *c, const char *out_path, struct se_build *b);
/* Open index_path and screen every line of queries_path in a child; its
 * peak RSS and the seconds the screening took. */
int se_screen_rss(const char *index_path, const char *queries_path, long *rss_kib, double *seconds);
/* The children's entry point: returns an exit status if argv asks for a
 * child, else -1. */
int se_child_main(int argc, char **argv);

/* Median seconds of reps ectl_index_open + close (the close not timed);
 * the slowest in *worst.  -1 if it fails. */
double se_open_seconds(const char *path, int reps, double *worst);

struct se_engine {
    struct ectl_index *idx;
    const struct sb_corpus *corpus;
    double threshold; /* 0: ECTL_SCREEN_DEFAULT_THRESHOLD */
};

/* Per-thread state: the last answer, for examples. */
struct se_ctx {
    const struct se_engine *e;
    struct ectl_match m[SB_TOP];
    size_t n;
};

void *se_ctx_new(void *shared);
void se_ctx_free(void *ctx);
/* sb_query_fn: times ectl_screen() alone (normalisation included), then
 * maps the answer to corpus entities. */
double se_query(void *ctx, const char *text, struct sb_hit *hits, size_t *n);

#endif
