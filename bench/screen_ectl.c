/*
 * Screening benchmark: exportctl through its public API (screen.h), and
 * the child processes that measure what a build and a screening cost in
 * memory.
 *
 * Peak RSS is a per-process number, and this process also holds the
 * peers' data, so builds and a screening run are measured in a child: the
 * benchmark executes itself (/proc/self/exe) with --child-build or
 * --child-screen, and the child reports its own VmHWM from
 * /proc/self/status.  (Not wait4()'s ru_maxrss: Linux folds the address
 * space a process had before exec into it, and posix_spawn's child
 * starts out sharing ours.)  The child starts from nothing, so its peak
 * is the engine's plus a small process (libc, ICU and MeCab loaded).
 */
#include "screen_ectl.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* ---- Child processes ---------------------------------------------------------- */

/* The peak resident set of this process in KiB, or 0. */
static long vm_hwm_kib(void)
{
    char line[256];
    long kib = 0;
    FILE *f = fopen("/proc/self/status", "r");
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kib = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kib;
}

/* Run ourselves with argv; the child's standard output into out (NUL-
 * terminated).  Returns the exit status or -1. */
static int run_child(char *const argv[], char *out, size_t cap)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        fprintf(stderr, "bench_screen: cannot run a child: %s\n", strerror(rc));
        return -1;
    }
    size_t o = 0;
    for (;;) {
        ssize_t r = read(fds[0], out + o, cap - 1 - o);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        o += (size_t)r;
        if (o == cap - 1)
            o = 0; /* keep the tail only; the children print one short line */
    }
    out[o] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int se_build(const struct sb_corpus *c, const char *out_path, struct se_build *b)
{
    char *argv[4 + ECTL_BUILD_MAX_SOURCES + 1], line[512];
    size_t a = 0;
    argv[a++] = "bench_screen";
    argv[a++] = "--child-build";
    argv[a++] = (char *)out_path;
    argv[a++] = (char *)(c->format ? c->format : "-");
    for (size_t i = 0; i < c->n_sources && i < ECTL_BUILD_MAX_SOURCES; i++)
        argv[a++] = (char *)c->sources[i];
    argv[a] = NULL;
    memset(b, 0, sizeof *b);
    int rc = run_child(argv, line, sizeof line);
    unsigned long long bytes = 0, ents = 0, names = 0;
    if (rc != 0 || sscanf(line, "%lf %llu %llu %llu %ld", &b->seconds, &bytes, &ents, &names,
                          &b->rss_kib) != 5)
        return -1;
    b->bytes = bytes;
    b->entities = ents;
    b->names = names;
    return 0;
}

int se_screen_rss(const char *index_path, const char *queries_path, long *rss_kib, double *seconds)
{
    char *argv[] = {"bench_screen", "--child-screen", (char *)index_path, (char *)queries_path,
                    NULL};
    char line[256];
    if (run_child(argv, line, sizeof line) != 0 || sscanf(line, "%lf %ld", seconds, rss_kib) != 2)
        return -1;
    return 0;
}

static int child_build(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    const char *out = argv[2], *format = strcmp(argv[3], "-") ? argv[3] : NULL;
    static struct ectl_build_report rep;
    struct ectl_error err = {0};
    double t0 = sb_now();
    int rc = ectl_lists_build((const char *const *)argv + 4, (size_t)(argc - 4), format, out, &rep,
                              NULL, NULL, &err);
    double t = sb_now() - t0;
    if (rc) {
        fprintf(stderr, "bench_screen: build %s: %s\n", out, err.msg);
        return 1;
    }
    printf("%.6f %llu %llu %llu %ld\n", t, (unsigned long long)rep.bytes,
           (unsigned long long)rep.entities, (unsigned long long)rep.names, vm_hwm_kib());
    return 0;
}

static int child_screen(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    struct ectl_index *idx;
    struct ectl_error err = {0};
    if (ectl_index_open(argv[2], &idx, &err)) {
        fprintf(stderr, "bench_screen: %s\n", err.msg);
        return 1;
    }
    FILE *f = fopen(argv[3], "r");
    if (!f) {
        ectl_index_close(idx);
        return 1;
    }
    char line[2048];
    struct ectl_match m[SB_TOP];
    struct ectl_screen_opts opts = {0};
    size_t n;
    double t0 = sb_now();
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (ectl_screen(idx, line, &opts, m, SB_TOP, &n, &err))
            fprintf(stderr, "bench_screen: screen '%s': %s\n", line, err.msg);
    }
    double t = sb_now() - t0;
    fclose(f);
    printf("%.6f %ld\n", t, vm_hwm_kib()); /* before closing: the index is still mapped */
    ectl_index_close(idx);
    return 0;
}

int se_child_main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "--child-build"))
        return child_build(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "--child-screen"))
        return child_screen(argc, argv);
    return -1;
}

/* ---- Queries ------------------------------------------------------------------- */

double se_open_seconds(const char *path, int reps, double *worst)
{
    double *t = calloc((size_t)reps, sizeof *t), med = -1;
    int ok = 0;
    *worst = 0;
    for (int k = 0; t && k < reps && !sb_stop; k++) {
        struct ectl_index *idx;
        struct ectl_error err = {0};
        double t0 = sb_now();
        if (ectl_index_open(path, &idx, &err)) {
            fprintf(stderr, "bench_screen: open %s: %s\n", path, err.msg);
            break;
        }
        t[ok++] = sb_now() - t0;
        ectl_index_close(idx);
        if (t[ok - 1] > *worst)
            *worst = t[ok - 1];
    }
    if (ok) {
        for (int i = 1; i < ok; i++) /* insertion sort: reps is small */
            for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
                double x = t[j];
                t[j] = t[j - 1];
                t[j - 1] = x;
            }
        med = t[ok / 2];
    }
    free(t);
    return med;
}

void *se_ctx_new(void *shared)
{
    struct se_ctx *x = calloc(1, sizeof *x);
    if (x)
        x->e = shared;
    return x;
}

void se_ctx_free(void *ctx)
{
    free(ctx);
}

double se_query(void *ctx, const char *text, struct sb_hit *hits, size_t *n)
{
    struct se_ctx *x = ctx;
    const struct se_engine *e = x->e;
    struct ectl_screen_opts opts = {.threshold = e->threshold, .limit = SB_TOP};
    struct ectl_error err = {0};
    double t0 = sb_now();
    int rc = ectl_screen(e->idx, text, &opts, x->m, SB_TOP, &x->n, &err);
    double t = sb_now() - t0;
    *n = 0;
    if (rc) {
        /* A query the normaliser refuses (invalid UTF-8) is an answer with
         * no match, as the CLI would give; say so once. */
        static int said;
        if (!said++)
            fprintf(stderr, "bench_screen: exportctl refused '%s': %s\n", text, err.msg);
        x->n = 0;
        return t;
    }
    for (size_t i = 0; i < x->n; i++)
        hits[(*n)++] = (struct sb_hit){sb_corpus_find(e->corpus, x->m[i].list, x->m[i].id),
                                       (float)x->m[i].score};
    return t;
}
