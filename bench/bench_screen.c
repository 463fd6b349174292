/*
 * Screening benchmark: exportctl against the alternatives a user would
 * pick - PostgreSQL pg_trgm and a brute-force Jaro-Winkler scan - on the
 * same lists and the same queries, in one run.  Quality on the labelled
 * sets of ../shared/data/matching-cases (yente's UN positives and
 * negatives, our harder variants of the positives, nomenklatura's name
 * pairs, cross-script names), then speed and memory, then a synthetic list
 * of a million names.  Prints one table to standard output; progress and
 * examples of misses and false positives go to standard error.  It
 * measures and reports; it never fails on a slow or a poor result.
 *
 * How each peer is set up, and why, is in docs/screening-bench.md and
 * ../shared/docs/research/peers-baseline.md.
 *
 * usage: bench_screen [--data DIR] [--tmp DIR] [--negatives N] [--synthetic N]
 *                     [--threads N] [--no-pg] [--no-jw] [--queries-out FILE]
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen_run.h"

#ifndef ECTL_BENCH_SHARED_DATA
#error "ECTL_BENCH_SHARED_DATA must name ../shared/data"
#endif

#define OPEN_REPS 50
#define BUILD_REPS 3
/* Five runs: the first makes the threads' states (later runs take them
 * from the library's pool, memos emptied), and the median of five stands
 * a slow spell of the shared machine better than that of three. */
#define TP_REPS 5

static double t_start;

/* "bench_screen [  42 s]: what is being done" on standard error. */
__attribute__((format(printf, 1, 2))) static void progress(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bench_screen [%4.0f s]: ", sb_now() - t_start);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void loadavg(char *out, size_t cap)
{
    FILE *f = fopen("/proc/loadavg", "r");
    float a, b, c;
    if (f && fscanf(f, "%f %f %f", &a, &b, &c) == 3)
        snprintf(out, cap, "%.2f %.2f %.2f", a, b, c);
    else
        snprintf(out, cap, "unknown");
    if (f)
        fclose(f);
}

static void on_signal(int sig)
{
    (void)sig;
    sb_stop = 1;
}

static char tmpdir[1024];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static void remove_tmpdir(void)
{
    if (tmpdir[0])
        nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
}

/* A process that deletes tmpdir once every copy of a pipe's write end is
 * gone, that is when we have ended, however we ended (a kill -9 runs no
 * atexit handler, and the million-name files are 140 MB).  Forked first,
 * before any thread exists. */
static void guard_tmpdir(void)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        close(fds[1]);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
        }
        for (;;) {
            char c;
            ssize_t r = read(fds[0], &c, 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
        }
        remove_tmpdir();
        _exit(0);
    }
    close(fds[0]); /* the write end stays open until we exit */
}

/* ---- engines and passes ---------------------------------------------------- */

/* Every query; the budget only guards against an engine gone badly slow. */
static const struct sampling all_queries = {1, SIZE_MAX, 300, SB_WARMUP};

/* ---- the peers as engines -------------------------------------------------- */

static void *pg_ctx_new(void *shared)
{
    struct pg_shared *s = shared;
    return sb_pg_connect(s->pg, s->table, s->t);
}

static void pg_ctx_free(void *ctx)
{
    sb_pg_disconnect(ctx);
}

static void *jw_ctx_new(void *shared)
{
    return sb_jw_ctx_new(shared);
}

static void jw_ctx_free(void *ctx)
{
    sb_jw_ctx_free(ctx);
}

static int ectl_pairs(const struct sb_cases *k, const char *dir, double *score)
{
    char csv[1200], idx_path[1200];
    snprintf(csv, sizeof csv, "%s/pairs.csv", dir);
    snprintf(idx_path, sizeof idx_path, "%s/pairs.idx", dir);
    FILE *f = fopen(csv, "w");
    if (!f)
        return -1;
    fputs("id,type,name,aliases,countries\n", f);
    static const char *const types[] = {"entity", "person", "entity", "vessel", "aircraft"};
    for (size_t i = 0; i < k->n_pairs; i++) {
        size_t first = i;
        for (size_t j = 0; j < i && first == i; j++)
            if (!strcmp(k->pairs[j].b, k->pairs[i].b) && k->pairs[j].type == k->pairs[i].type)
                first = j;
        if (first != i)
            continue;
        fprintf(f, "p%zu,%s,\"", i, types[k->pairs[i].type]);
        for (const char *s = k->pairs[i].b; *s; s++)
            fprintf(f, *s == '"' ? "\"\"" : "%c", *s);
        fputs("\",,\n", f);
    }
    if (fclose(f))
        return -1;
    const char *src[] = {csv};
    static struct ectl_build_report rep;
    struct ectl_error err = {0};
    struct ectl_index *idx;
    if (ectl_lists_build(src, 1, "simple-csv", idx_path, &rep, NULL, NULL, &err) ||
        ectl_index_open(idx_path, &idx, &err)) {
        fprintf(stderr, "bench_screen: pairs index: %s\n", err.msg);
        return -1;
    }
    static struct ectl_match m[ECTL_SCREEN_MAX_LIMIT];
    struct ectl_screen_opts opts = {.threshold = 0.01, .limit = ECTL_SCREEN_MAX_LIMIT};
    const char *dump_path = getenv("BENCH_PAIRS_DUMP");
    FILE *dump = dump_path && *dump_path ? fopen(dump_path, "w") : NULL;
    for (size_t i = 0; i < k->n_pairs && !sb_stop; i++) {
        char want[32];
        size_t first = i, n = 0;
        for (size_t j = 0; j < i && first == i; j++)
            if (!strcmp(k->pairs[j].b, k->pairs[i].b) && k->pairs[j].type == k->pairs[i].type)
                first = j;
        snprintf(want, sizeof want, "p%zu", first);
        score[i] = 0;
        if (ectl_screen(idx, k->pairs[i].a, &opts, m, ECTL_SCREEN_MAX_LIMIT, &n, &err))
            continue;
        const char *why = "";
        for (size_t h = 0; h < n; h++)
            if (!strcmp(m[h].id, want)) {
                score[i] = m[h].score;
                why = m[h].explain;
                break;
            }
        /* BENCH_PAIRS_DUMP=file: one line per pair, to read the errors by class */
        if (dump)
            fprintf(dump, "%.3f\t%d\t%s\t%s\t%s\t%s\n", score[i], k->pairs[i].match,
                    types[k->pairs[i].type], k->pairs[i].a, k->pairs[i].b, why);
    }
    if (dump)
        fclose(dump);
    ectl_index_close(idx);
    return sb_stop ? -1 : 0;
}

/* ---- the benchmark ------------------------------------------------------------ */

static struct bench B;

static int load_corpora(struct bench *b)
{
    static char un[1024], sdn[1024], csl[1024], cross[1200], syn[1200];
    snprintf(un, sizeof un, "%s/lists/un/un_consolidated_2026-02-27.xml", b->data);
    snprintf(sdn, sizeof sdn, "%s/lists/ofac_sdn_snapshots/sdn_2024-05-03.csv", b->data);
    snprintf(csl, sizeof csl, "%s/lists/us_csl/consolidated_2022.csv", b->data);
    snprintf(cross, sizeof cross, "%s/crossscript.csv", tmpdir);
    snprintf(syn, sizeof syn, "%s/synthetic.csv", tmpdir);
    static const char *src_un[1], *src_lists[3], *src_cross[1], *src_syn[2];
    src_un[0] = un;
    src_lists[0] = sdn;
    src_lists[1] = csl;
    src_lists[2] = un;
    src_cross[0] = cross;
    src_syn[0] = syn;
    src_syn[1] = un;
    struct sb_corpus *c = b->corpus;
    c[C_UN] = (struct sb_corpus){.label = "UN", .sources = src_un, .n_sources = 1};
    c[C_LISTS] = (struct sb_corpus){
        .label = "SDN 2024-05-03 + CSL 2022 + UN", .sources = src_lists, .n_sources = 3};
    c[C_CROSS] = (struct sb_corpus){
        .label = "cross-script", .sources = src_cross, .n_sources = 1, .format = "simple-csv"};
    c[C_SYN] = (struct sb_corpus){.label = "synthetic + UN", .sources = src_syn, .n_sources = 2};

    progress("reading the lists and the cases\n");
    if (sb_corpus_load(&c[C_UN]) ||
        sb_cases_load(&b->cases, b->cases_dir, &c[C_UN], b->negatives) ||
        sb_cross_load(&b->cases, b->cases_dir, cross) || sb_corpus_load(&c[C_LISTS]) ||
        sb_corpus_load(&c[C_CROSS]))
        return -1;
    b->have[C_UN] = b->have[C_LISTS] = b->have[C_CROSS] = true;
    for (int k = 0; k < N_CORPORA; k++)
        snprintf(b->idx_path[k], sizeof b->idx_path[k], "%s/corpus%d.idx", tmpdir, k);
    return 0;
}

/* All non-cross queries, every stride-th, for throughput runs. */
static const char **flat_queries(const struct sb_cases *k, size_t stride, size_t *n)
{
    size_t total = 0;
    for (size_t si = 0; si < k->n_slices; si++)
        total += k->slices[si].cross ? 0 : k->slices[si].n;
    const char **v = calloc(total ? total : 1, sizeof *v);
    size_t o = 0, i = 0;
    for (size_t si = 0; v && si < k->n_slices; si++)
        for (size_t q = 0; !k->slices[si].cross && q < k->slices[si].n; q++, i++)
            if (i % stride == 0)
                v[o++] = k->slices[si].q[q].text;
    *n = o;
    return v;
}

static void bench_ectl(struct bench *b)
{
    for (int k = 0; k < N_CORPORA && !sb_stop; k++) {
        if (!b->have[k])
            continue;
        int reps = k == C_LISTS ? BUILD_REPS : 1;
        double t[BUILD_REPS];
        struct se_build bl;
        progress("exportctl: building the %s index (%d run%s)\n", b->corpus[k].label, reps,
                 reps > 1 ? "s" : "");
        int ok = 0;
        for (int r = 0; r < reps && !sb_stop; r++)
            if (se_build(&b->corpus[k], b->idx_path[k], &bl) == 0) {
                t[ok++] = bl.seconds;
                b->build_rss[k] = bl.rss_kib > b->build_rss[k] ? bl.rss_kib : b->build_rss[k];
                b->size_bytes[E_ECTL][k] = (double)bl.bytes;
            }
        if (!ok) {
            fprintf(stderr, "bench_screen: exportctl: the %s index does not build\n",
                    b->corpus[k].label);
            continue;
        }
        b->build_s[E_ECTL][k] = quantile(t, (size_t)ok, 0.5);
        b->open_s[k] = se_open_seconds(b->idx_path[k], k == C_LISTS || k == C_SYN ? OPEN_REPS : 5,
                                       &b->open_worst[k]);
        struct ectl_error err = {0};
        if (ectl_index_open(b->idx_path[k], &b->se[k].idx, &err)) {
            fprintf(stderr, "bench_screen: %s\n", err.msg);
            continue;
        }
        b->se[k].corpus = &b->corpus[k];
        b->eng[E_ECTL][k] = (struct engine){0, &b->se[k], se_ctx_new, se_ctx_free, se_query};
        b->eng[E_ECTL][k].t = ECTL_SCREEN_DEFAULT_THRESHOLD;
        b->eng_ok[E_ECTL][k] = true;
        b->smp[E_ECTL][k] = all_queries;
        if (k == C_SYN) /* every positive, the first 2,000 of each negatives file */
            b->smp[E_ECTL][k].max_neg = 2000;
        progress("exportctl: screening against %s (%zu names)%s\n", b->corpus[k].label,
                 b->corpus[k].n_names, k == C_SYN ? "" : "; misses and FPs:");
        run_pass(&b->eng[E_ECTL][k], &b->corpus[k], &b->cases, k == C_CROSS, b->smp[E_ECTL][k],
                 &b->pass[E_ECTL][k], k != C_SYN);
    }
    if (sb_stop || !b->eng_ok[E_ECTL][C_LISTS])
        return;

    progress("exportctl: name pairs\n");
    double *score = calloc(b->cases.n_pairs ? b->cases.n_pairs : 1, sizeof *score);
    if (score && ectl_pairs(&b->cases, tmpdir, score) == 0)
        pair_stats(&b->cases, score, ECTL_SCREEN_DEFAULT_THRESHOLD, &b->pairs[E_ECTL]);
    free(score);

    size_t n;
    const char **texts = flat_queries(&b->cases, 1, &n);
    double r[TP_REPS];
    int ok = 0;
    progress("exportctl: throughput, %d threads, %zu queries x %d\n", b->threads, n, TP_REPS);
    for (int k = 0; k < TP_REPS && texts; k++)
        if ((r[ok] = throughput(&b->eng[E_ECTL][C_LISTS], texts, n, b->threads)) > 0)
            ok++;
    b->tput_runs = ok;
    b->tput_first = ok ? r[0] : -1;
    b->tput[E_ECTL] = ok ? quantile(r, (size_t)ok, 0.5) : -1;
    b->tput_n[E_ECTL] = n;

    /* Peak RSS of a process that opens the index and screens every query;
     * the same file, a query a line, is kept where --queries-out says, so
     * that a profiler or another tool can be run on the very same names. */
    char qpath[1200];
    snprintf(qpath, sizeof qpath, "%s", b->queries_out ? b->queries_out : "");
    if (!b->queries_out)
        snprintf(qpath, sizeof qpath, "%s/queries.txt", tmpdir);
    FILE *f = fopen(qpath, "w");
    for (size_t i = 0; f && i < n; i++)
        fprintf(f, "%s\n", texts[i]);
    double secs;
    if (f && fclose(f) == 0 && se_screen_rss(b->idx_path[C_LISTS], qpath, &b->screen_rss, &secs))
        b->screen_rss = 0;
    free(texts);
}

static void bench_pg(struct bench *b)
{
    char why[256];
    progress("pg_trgm: starting a private PostgreSQL server\n");
    /* Not inside our own 0700 directory: the server may run as another user. */
    struct sb_pg *pg = sb_pg_start(b->tmp, why, sizeof why);
    if (!pg) {
        snprintf(b->why[E_PG], sizeof b->why[E_PG], "%s", why);
        fprintf(stderr, "bench_screen: pg_trgm not measured: %s\n", why);
        return;
    }
    snprintf(b->pg_version, sizeof b->pg_version, "%s", sb_pg_version(pg));
    for (int k = 0; k < N_CORPORA && !sb_stop; k++) {
        if (!b->have[k])
            continue;
        struct pg_shared *s = &b->pgs[k];
        struct sb_pg_load ld;
        s->pg = pg;
        s->t = PG_T;
        snprintf(s->table, sizeof s->table, "names_%d", k);
        progress("pg_trgm: COPY + GIN index of %s (%zu rows)\n", b->corpus[k].label,
                 b->corpus[k].n_names);
        if (sb_pg_load(pg, &b->corpus[k], s->table, &ld))
            continue;
        b->build_s[E_PG][k] = ld.copy_s + ld.index_s;
        b->size_bytes[E_PG][k] = (double)(ld.table_bytes + ld.index_bytes);
        b->eng[E_PG][k] = (struct engine){PG_T, s, pg_ctx_new, pg_ctx_free, sb_pg_query};
        b->eng_ok[E_PG][k] = true;
        b->smp[E_PG][k] = all_queries;
        if (k == C_SYN) /* every 7th positive, 500 negatives per file */
            b->smp[E_PG][k] = (struct sampling){7, 500, 90, 20};
        progress("pg_trgm: screening against %s\n", b->corpus[k].label);
        run_pass(&b->eng[E_PG][k], &b->corpus[k], &b->cases, k == C_CROSS, b->smp[E_PG][k],
                 &b->pass[E_PG][k], false);
    }
    struct sb_pg_conn *c =
        b->eng_ok[E_PG][C_LISTS] ? sb_pg_connect(pg, b->pgs[C_LISTS].table, PG_T) : NULL;
    if (c && !sb_stop) {
        double fl[1000];
        size_t n = 0;
        for (int i = 0; i < 1000; i++) {
            double t = sb_pg_floor(c);
            if (t >= 0)
                fl[n++] = t;
        }
        b->pg_floor = quantile(fl, n, 0.5);
        progress("pg_trgm: name pairs\n");
        double *score = calloc(b->cases.n_pairs ? b->cases.n_pairs : 1, sizeof *score);
        for (size_t i = 0; score && i < b->cases.n_pairs; i++)
            score[i] = sb_pg_pair(c, b->cases.pairs[i].a, b->cases.pairs[i].b);
        if (score)
            pair_stats(&b->cases, score, PG_T, &b->pairs[E_PG]);
        free(score);
        size_t n_q;
        const char **texts = flat_queries(&b->cases, 5, &n_q);
        progress("pg_trgm: throughput, %d clients, %zu queries\n", b->threads, n_q);
        b->tput[E_PG] = texts ? throughput(&b->eng[E_PG][C_LISTS], texts, n_q, b->threads) : -1;
        b->tput_n[E_PG] = n_q;
        free(texts);
    }
    sb_pg_disconnect(c);
    progress("pg_trgm: stopping the server\n");
    sb_pg_stop(pg);
}

static void bench_jw(struct bench *b)
{
    for (int k = 0; k < N_CORPORA && !sb_stop; k++) {
        if (!b->have[k])
            continue;
        double t0 = sb_now();
        b->jw[k] = sb_jw_new(&b->corpus[k]);
        if (!b->jw[k])
            continue;
        b->build_s[E_JW][k] = sb_now() - t0;
        b->size_bytes[E_JW][k] = (double)sb_jw_bytes(b->jw[k]);
        b->eng[E_JW][k] = (struct engine){JW_T, b->jw[k], jw_ctx_new, jw_ctx_free, sb_jw_query};
        b->eng_ok[E_JW][k] = true;
        b->smp[E_JW][k] = all_queries;
        /* A scan costs ~1 µs per name: a sample, and a time budget. */
        if (k ==
            C_UN) /* every positive, the first 2,000 negatives of each file (as the baseline) */
            b->smp[E_JW][k] = (struct sampling){1, 2000, 120, 20};
        if (k == C_LISTS) /* every 8th positive, the first 250 negatives of each file */
            b->smp[E_JW][k] = (struct sampling){8, 250, 120, 2};
        if (k == C_SYN) /* 2 per positive slice, 3 negatives per file */
            b->smp[E_JW][k] = (struct sampling){340, 3, 40, 1};
        progress("JW: screening against %s\n", b->corpus[k].label);
        run_pass(&b->eng[E_JW][k], &b->corpus[k], &b->cases, k == C_CROSS, b->smp[E_JW][k],
                 &b->pass[E_JW][k], false);
    }
    if (sb_stop || !b->eng_ok[E_JW][C_LISTS])
        return;
    double *score = calloc(b->cases.n_pairs ? b->cases.n_pairs : 1, sizeof *score);
    for (size_t i = 0; score && i < b->cases.n_pairs; i++)
        score[i] = sb_jw_pair(b->cases.pairs[i].a, b->cases.pairs[i].b);
    if (score)
        pair_stats(&b->cases, score, JW_T, &b->pairs[E_JW]);
    free(score);
    size_t n_q;
    const char **texts = flat_queries(&b->cases, 80, &n_q);
    progress("JW: throughput, %d threads, %zu queries\n", b->threads, n_q);
    b->tput[E_JW] = texts ? throughput(&b->eng[E_JW][C_LISTS], texts, n_q, b->threads) : -1;
    b->tput_n[E_JW] = n_q;
    free(texts);
}

static int prepare_synthetic(struct bench *b)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/synthetic.csv", tmpdir);
    progress("writing a synthetic list of %zu names\n", b->synthetic);
    if (sb_synthetic_write(b->cases_dir, b->negatives, b->synthetic, path) ||
        sb_corpus_load(&b->corpus[C_SYN]))
        return -1;
    b->have[C_SYN] = true;
    return 0;
}

int main(int argc, char **argv)
{
    int child = se_child_main(argc, argv);
    if (child >= 0)
        return child;
    struct bench *b = &B;
    t_start = sb_now();
    const char *tmp = getenv("TMPDIR");
    b->data = ECTL_BENCH_SHARED_DATA;
    b->negatives = 10000;
    b->synthetic = 1000000;
    b->threads = 2;
    tmp = tmp && *tmp ? tmp : "/tmp";
    b->tmp = tmp;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-pg"))
            b->no_pg = true;
        else if (!strcmp(a, "--no-jw"))
            b->no_jw = true;
        else if (v && !strcmp(a, "--data"))
            b->data = argv[++i];
        else if (v && !strcmp(a, "--tmp"))
            tmp = b->tmp = argv[++i];
        else if (v && !strcmp(a, "--negatives"))
            b->negatives = strtoul(argv[++i], NULL, 10);
        else if (v && !strcmp(a, "--synthetic"))
            b->synthetic = strtoul(argv[++i], NULL, 10);
        else if (v && !strcmp(a, "--threads"))
            b->threads = atoi(argv[++i]);
        else if (v && !strcmp(a, "--queries-out"))
            b->queries_out = argv[++i];
        else
            break;
    }
    bool help = i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"));
    if (i != argc || b->negatives == 0 || b->threads < 1 || b->threads > 64) {
        fprintf(help ? stdout : stderr,
                "usage: bench_screen [--data DIR] [--tmp DIR] [--negatives N] "
                "[--synthetic N] [--threads N] [--no-pg] [--no-jw] [--queries-out FILE]\n"
                "see docs/screening-bench.md\n");
        return help ? 0 : 2;
    }
    static char cases_dir[1200];
    snprintf(cases_dir, sizeof cases_dir, "%s/matching-cases", b->data);
    b->cases_dir = cases_dir;

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends it at once; the guardian still cleans up */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    snprintf(tmpdir, sizeof tmpdir, "%s/ectl-bench-screen-XXXXXX", tmp);
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "bench_screen: %s: %s\n", tmpdir, strerror(errno));
        return 1;
    }
    atexit(remove_tmpdir);
    guard_tmpdir();
    if (load_corpora(b) || (b->synthetic && prepare_synthetic(b)))
        return 1;

    double t0 = sb_now();
    loadavg(b->load_start, sizeof b->load_start);
    /* PostgreSQL first: its server and guardian are forked before any
     * thread of ours exists. */
    if (!b->no_pg)
        bench_pg(b);
    else
        snprintf(b->why[E_PG], sizeof b->why[E_PG], "--no-pg");
    bench_ectl(b);
    if (!b->no_jw)
        bench_jw(b);
    else
        snprintf(b->why[E_JW], sizeof b->why[E_JW], "--no-jw");
    if (sb_stop) {
        fprintf(stderr, "bench_screen: interrupted\n");
        return 130;
    }
    loadavg(b->load_end, sizeof b->load_end);
    report(b, sb_now() - t0);
    for (int k = 0; k < N_CORPORA; k++) {
        if (b->se[k].idx)
            ectl_index_close(b->se[k].idx);
        sb_jw_free(b->jw[k]);
        for (int e = 0; e < N_ENG; e++)
            free(b->pass[e][k].lat);
        sb_corpus_free(&b->corpus[k]);
    }
    sb_cases_free(&b->cases);
    return 0;
}
