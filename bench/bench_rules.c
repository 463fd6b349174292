/*
 * Rules-engine benchmark: determinations per second on one thread, and the
 * change impact of 2019-08-28 on a generated book of a million orders,
 * through the CLI end to end and through the library alone.  Prints one
 * table to standard output (progress goes to standard error).  It measures
 * and reports; it never fails on a slow result, because timings depend on
 * the machine and are not a test.
 *
 * usage: bench_rules [--exportctl PATH] [--data DIR] [--orders N] [--seconds S]
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <exportctl/exportctl.h>

#ifndef ECTL_BENCH_DATA
#error "ECTL_BENCH_DATA must name the data directory"
#endif
#ifndef ECTL_BENCH_BUILD
#define ECTL_BENCH_BUILD "unknown build"
#endif

#define N_QUERIES 4096 /* a mix this size stays in cache, as a server's working set would */
#define REPS 5
#define IMPACT_RUNS 3
#define GOAL_RATE 5e6
#define GOAL_IMPACT_S 2.0

extern char **environ;

/* ---- table ------------------------------------------------------------ */

struct row {
    char metric[64], value[96], goal[32], note[96];
};
static struct row rows[24];
static size_t n_rows;

__attribute__((format(printf, 4, 5))) static void add_row(const char *metric, const char *goal,
                                                          const char *note, const char *fmt, ...)
{
    if (n_rows == sizeof rows / sizeof *rows)
        return;
    struct row *r = &rows[n_rows++];
    snprintf(r->metric, sizeof r->metric, "%s", metric);
    snprintf(r->goal, sizeof r->goal, "%s", goal);
    snprintf(r->note, sizeof r->note, "%s", note);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->value, sizeof r->value, fmt, ap);
    va_end(ap);
}

static void print_table(void)
{
    int w[3] = {6, 5, 4};
    for (size_t i = 0; i < n_rows; i++) {
        int l[3] = {(int)strlen(rows[i].metric), (int)strlen(rows[i].value),
                    (int)strlen(rows[i].goal)};
        for (int k = 0; k < 3; k++)
            w[k] = l[k] > w[k] ? l[k] : w[k];
    }
    printf("\n%-*s  %*s  %-*s  %s\n", w[0], "metric", w[1], "value", w[2], "goal", "note");
    printf("%.*s  %.*s  %.*s  ----\n", w[0], "----------------------------------------------------",
           w[1], "----------------------------------------------------", w[2],
           "--------------------------------");
    for (size_t i = 0; i < n_rows; i++)
        printf("%-*s  %*s  %-*s  %s\n", w[0], rows[i].metric, w[1], rows[i].value, w[2],
               rows[i].goal, rows[i].note);
}

/* ---- helpers ---------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: a fixed seed gives the same mix and the same book on every
 * machine, so that two runs compare like with like. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return v[n / 2];
}

/* 12345678 -> "12,345,678" */
static const char *grouped(char buf[32], double v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%.0f", v), o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

static void cpu_model(char *out, size_t cap)
{
    char line[256];
    FILE *f = fopen("/proc/cpuinfo", "r");
    snprintf(out, cap, "unknown");
    while (f && fgets(line, sizeof line, f)) {
        char *colon = strchr(line, ':');
        if (colon && !strncmp(line, "model name", 10)) {
            colon[1 + strcspn(colon + 1, "\n")] = '\0';
            snprintf(out, cap, "%s", colon + 2);
            break;
        }
    }
    if (f)
        fclose(f);
}

/* ---- determinations per second ---------------------------------------- */

struct query {
    const char *item, *dest;
    ectl_date date;
    bool concern;
};

struct mix {
    const char *regime;
    const char *const *items;
    size_t n_items;
    const char *const *dests;
    size_t n_dests;
};

/* The items and destinations of the 2019 Japan-Korea measures, with dates
 * spread over 2013-2026 (clipped to the data's coverage), half of them with
 * an end-use concern. */
static const char *const jp_items[] = {"3C002", "7(19)", "1C009.b", "3(1)", "none", "3A001.a.1"};
static const char *const jp_dests[] = {"KR", "CN", "US", "DE", "EE", "TW", "VN"};
static const char *const us_items[] = {"3C002", "3B001", "1C350", "5A002", "EAR99", "3A001.a.1"};
static const char *const us_dests[] = {"KR", "CN", "JP", "DE", "EE", "TW", "VN"};
static const struct mix mixes[] = {
    {"jp", jp_items, 6, jp_dests, 7},
    {"us", us_items, 6, us_dests, 7},
};

static volatile unsigned sink;

static double rate_once(const struct ectl_regime *r, const struct query *q, size_t n,
                        double min_seconds)
{
    struct ectl_determination d;
    struct ectl_error err;
    uint64_t done = 0;
    double t0 = now(), t;
    do {
        for (size_t i = 0; i < n; i++)
            if (ectl_determine(r, q[i].item, q[i].dest, q[i].date, q[i].concern, &d, &err) == 0)
                sink += d.outcome;
        done += n;
    } while ((t = now() - t0) < min_seconds);
    return (double)done / t;
}

static void bench_determine(const char *data, const struct mix *m, double seconds)
{
    char dir[4096], countries[4096], metric[64], note[96], num[32];
    snprintf(dir, sizeof dir, "%s/regimes/%s", data, m->regime);
    snprintf(countries, sizeof countries, "%s/countries.csv", data);
    snprintf(metric, sizeof metric, "%s: determinations/s, 1 thread", m->regime);
    struct stat st;
    if (stat(dir, &st) != 0) {
        add_row(metric, ">= 5,000,000", "", "no data");
        return;
    }
    struct ectl_regime *r;
    struct ectl_error err;
    if (ectl_regime_load(dir, countries, &r, &err)) {
        snprintf(note, sizeof note, "%.90s", err.msg);
        add_row(metric, ">= 5,000,000", note, "does not load");
        return;
    }
    ectl_date lo = ectl_date_from_ymd(2013, 1, 1), hi = ectl_date_from_ymd(2026, 12, 31);
    if (lo < ectl_regime_covered_from(r))
        lo = ectl_regime_covered_from(r);
    if (hi < lo)
        hi = lo + 365;

    /* Questions the data refuses are counted and left out of the timing:
     * an error is cheaper than an answer and would flatter the rate. */
    static struct query q[N_QUERIES];
    size_t n = 0, failed[32] = {0}; /* by -code; [0] for codes past the table */
    uint64_t seed = 42;
    for (size_t i = 0; i < N_QUERIES; i++) {
        uint64_t x = next_rand(&seed);
        struct query c = {m->items[x % m->n_items], m->dests[(x >> 8) % m->n_dests],
                          lo + (ectl_date)((x >> 16) % (uint64_t)(hi - lo + 1)), (x >> 48) & 1};
        struct ectl_determination d;
        int rc = ectl_determine(r, c.item, c.dest, c.date, c.concern, &d, &err);
        if (rc == 0)
            q[n++] = c;
        else
            failed[-rc > 0 && -rc < 32 ? -rc : 0]++;
    }
    double rates[REPS];
    fprintf(stderr, "bench: %s determinations, %d runs of %g s\n", m->regime, REPS, seconds);
    for (int k = 0; n && k < REPS; k++)
        rates[k] = rate_once(r, q, n, seconds);
    double med = n ? median(rates, REPS) : 0; /* sorts rates, so [0] and [REPS-1] are the range */
    snprintf(note, sizeof note, "%s; median of %d x %g s, range %.2f-%.2f M/s",
             med >= GOAL_RATE ? "meets goal" : "below goal", REPS, seconds, n ? rates[0] / 1e6 : 0,
             n ? rates[REPS - 1] / 1e6 : 0);
    add_row(metric, ">= 5,000,000", note, "%s", grouped(num, med));

    snprintf(metric, sizeof metric, "%s: mix queries refused (skipped)", m->regime);
    note[0] = '\0';
    for (int c = 0; c < 32; c++)
        if (failed[c])
            snprintf(note + strlen(note), sizeof note - strlen(note), "%s%s %zu", *note ? ", " : "",
                     c ? ectl_err_name(-c) : "other", failed[c]);
    add_row(metric, "-", note, "%zu of %d", N_QUERIES - n, N_QUERIES);
    ectl_regime_unref(r);
}

/* ---- impact on a million orders --------------------------------------- */

static int write_book(const char *path, size_t n)
{
    /* Some customers need quoting, as real exports from an ERP do. */
    static const char *const customers[] = {
        "Samsung Electronics",       "SK hynix", "\"Acme, Inc.\"", "LG Chem", "Tallinn Chemicals",
        "\"Kim \"\"K\"\" Trading\"", "TSMC",     "Viettel"};
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    static char buf[1 << 20];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    uint64_t seed = 20190828;
    fputs("order_id,item,destination,end_use_concern,customer,value\n", f);
    for (size_t i = 0; i < n; i++) {
        uint64_t x = next_rand(&seed);
        fprintf(f, "ORD-%07zu,%s,%s,%d,%s,%llu\n", i + 1, jp_items[x % 6], jp_dests[(x >> 8) % 7],
                (x >> 16) % 8 == 0, customers[(x >> 24) % 8],
                (unsigned long long)(100 + (x >> 32) % 10000000));
    }
    return fclose(f);
}

static int count_change(void *ctx, const struct ectl_order *o, const struct ectl_determination *b,
                        const struct ectl_determination *a)
{
    (void)o;
    (void)b;
    (void)a;
    ++*(uint64_t *)ctx;
    return 0;
}

/* Wall time of one CLI run with its output thrown away, or -1. */
static double time_cli(const char *exe, const char *data, const char *book)
{
    char *argv[] = {(char *)exe,  "impact",     "--regime",   "jp",         "--from",
                    "2019-08-27", "--to",       "2019-08-28", (char *)book, "--json",
                    "--data",     (char *)data, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    double t0 = now();
    int rc = posix_spawn(&pid, exe, &fa, NULL, argv, environ), status = 0;
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "bench: cannot run %s: %s\n", exe, strerror(rc));
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    double t = now() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench: %s impact exited with status %d\n", exe, status);
        return -1;
    }
    return t;
}

static void bench_impact(const char *data, const char *exe, size_t n_orders)
{
    char book[4096], num[32], num2[32], metric[64];
    const char *tmp = getenv("TMPDIR");
    snprintf(book, sizeof book, "%s/ectl-bench-XXXXXX.csv", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemps(book, 4);
    if (fd < 0 || close(fd) || write_book(book, n_orders)) {
        add_row("impact: order book", "-", strerror(errno), "cannot write");
        return;
    }
    struct stat st = {0};
    stat(book, &st);
    snprintf(metric, sizeof metric, "impact: order book size (%s orders)",
             grouped(num, (double)n_orders));
    add_row(metric, "-", "generated, seeded", "%.1f MB", (double)st.st_size / 1e6);

    char dir[4096], countries[4096];
    snprintf(dir, sizeof dir, "%s/regimes/jp", data);
    snprintf(countries, sizeof countries, "%s/countries.csv", data);
    struct ectl_regime *r;
    struct ectl_error err;
    if (ectl_regime_load(dir, countries, &r, &err)) {
        add_row("impact: ectl_impact_file", "< 2 s", err.msg, "jp does not load");
        unlink(book);
        return;
    }
    uint64_t changed = 0;
    struct ectl_impact_opts opts = {.from = ectl_date_from_ymd(2019, 8, 27),
                                    .to = ectl_date_from_ymd(2019, 8, 28),
                                    .on_change = count_change,
                                    .ctx = &changed};
    struct ectl_impact_stats stats = {0, 0};
    double lib[IMPACT_RUNS], cli[IMPACT_RUNS];
    int lib_ok = 1, cli_ok = exe != NULL;
    fprintf(stderr, "bench: impact on %s orders, %d runs each\n", num, IMPACT_RUNS);
    for (int k = 0; k < IMPACT_RUNS && lib_ok; k++) {
        double t0 = now();
        lib_ok = ectl_impact_file(r, book, &opts, &stats, &err) == 0;
        lib[k] = now() - t0;
    }
    for (int k = 0; k < IMPACT_RUNS && cli_ok; k++)
        cli_ok = (cli[k] = time_cli(exe, data, book)) >= 0;

    if (cli_ok) {
        double t = median(cli, IMPACT_RUNS);
        add_row("impact: exportctl impact --json, wall", "< 2 s",
                t < GOAL_IMPACT_S ? "meets goal; median of 3, spawn to exit"
                                  : "below goal; median of 3, spawn to exit",
                "%.3f s", t);
    } else
        add_row("impact: exportctl impact --json, wall", "< 2 s",
                exe ? exe : "--exportctl not given", "not measured");
    if (lib_ok) {
        double t = median(lib, IMPACT_RUNS);
        add_row("impact: ectl_impact_file", "< 2 s",
                t < GOAL_IMPACT_S ? "meets goal; median of 3, regime already loaded"
                                  : "below goal; median of 3, regime already loaded",
                "%.3f s", t);
    } else
        add_row("impact: ectl_impact_file", "< 2 s", err.msg, "failed");
    add_row("impact: orders read / changed", "-", "2019-08-27 -> 2019-08-28", "%s / %s",
            grouped(num, (double)stats.orders), grouped(num2, (double)stats.changed));
    ectl_regime_unref(r);
    unlink(book);
}

int main(int argc, char **argv)
{
    const char *data = ECTL_BENCH_DATA, *exe = NULL;
    size_t n_orders = 1000000;
    double seconds = 2;
    int i = 1;
    for (; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--exportctl"))
            exe = argv[i + 1];
        else if (!strcmp(argv[i], "--data"))
            data = argv[i + 1];
        else if (!strcmp(argv[i], "--orders"))
            n_orders = strtoul(argv[i + 1], NULL, 10);
        else if (!strcmp(argv[i], "--seconds"))
            seconds = strtod(argv[i + 1], NULL);
        else
            break;
    }
    if (i != argc || n_orders == 0 || !(seconds > 0)) {
        fprintf(stderr, "usage: bench_rules [--exportctl PATH] [--data DIR] [--orders N] "
                        "[--seconds S]\n");
        return 2;
    }
    for (size_t k = 0; k < sizeof mixes / sizeof *mixes; k++)
        bench_determine(data, &mixes[k], seconds);
    bench_impact(data, exe, n_orders);
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    printf("\nexportctl rules benchmark\nmachine: %ld CPUs online (nproc), %s\nbuild:   %s\n",
           sysconf(_SC_NPROCESSORS_ONLN), cpu, ECTL_BENCH_BUILD);
    print_table();
    return 0;
}
