/*
 * Screening benchmark: the table.  Rows are a metric on a slice, columns
 * the three engines and the goal of issue #3; the note says whether
 * exportctl meets the goal and how much of a slice a sampled peer saw.
 * Same layout as bench_rules's table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screen_run.h"

#ifndef ECTL_BENCH_BUILD
#define ECTL_BENCH_BUILD "unknown build"
#endif

#define GOAL_MEDIAN_S 20e-6
#define GOAL_VS_PG 100.0
#define GOAL_TPUT 100000.0
#define GOAL_BUILD_S 2.0
#define GOAL_OPEN_S 10e-3

/* ---- table ------------------------------------------------------------ */

struct row {
    char metric[160], v[N_ENG][40], goal[32], note[160];
    bool section;
};
static struct row rows[200];
static size_t n_rows;

static struct row *add_row(const char *goal, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static struct row *add_row(const char *goal, const char *fmt, ...)
{
    if (n_rows == sizeof rows / sizeof *rows)
        n_rows--; /* overwrite the last rather than overflow */
    struct row *r = &rows[n_rows++];
    memset(r, 0, sizeof *r);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->metric, sizeof r->metric, fmt, ap);
    va_end(ap);
    snprintf(r->goal, sizeof r->goal, "%s", goal);
    for (int e = 0; e < N_ENG; e++)
        snprintf(r->v[e], sizeof r->v[e], "-");
    return r;
}

__attribute__((format(printf, 1, 2))) static void section(const char *fmt, ...)
{
    struct row *r = add_row("", "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->metric, sizeof r->metric, fmt, ap);
    va_end(ap);
    r->section = true;
}

__attribute__((format(printf, 3, 4))) static void cell(struct row *r, int e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->v[e], sizeof r->v[e], fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void note(struct row *r, const char *fmt, ...)
{
    size_t o = strlen(r->note);
    if (o && o + 2 < sizeof r->note) {
        memcpy(r->note + o, "; ", 3);
        o += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->note + o, sizeof r->note - o, fmt, ap);
    va_end(ap);
}

/* Display width of UTF-8 text (µ, ≥ and ≤ are one column, two or three bytes). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void pad(const char *s, int w, bool right)
{
    int n = w - width(s);
    if (right)
        printf("%*s%s", n > 0 ? n : 0, "", s);
    else
        printf("%s%*s", s, n > 0 ? n : 0, "");
}

static void print_table(void)
{
    static const char *const head[] = {"metric", "exportctl", "pg_trgm", "JW brute force", "goal"};
    int w[5];
    for (int k = 0; k < 5; k++)
        w[k] = width(head[k]);
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i].section)
            continue;
        const char *c[5] = {rows[i].metric, rows[i].v[0], rows[i].v[1], rows[i].v[2], rows[i].goal};
        for (int k = 0; k < 5; k++)
            w[k] = width(c[k]) > w[k] ? width(c[k]) : w[k];
    }
    for (int k = 0; k < 5; k++) {
        pad(head[k], w[k], k > 0 && k < 4);
        printf("  ");
    }
    printf("note\n");
    for (int k = 0; k < 5; k++)
        printf("%.*s  ", w[k],
               "------------------------------------------------------------------"
               "--------------------");
    printf("----\n");
    for (size_t i = 0; i < n_rows; i++) {
        const struct row *r = &rows[i];
        if (r->section) {
            printf("%s%s\n", i ? "\n" : "", r->metric);
            continue;
        }
        const char *c[5] = {r->metric, r->v[0], r->v[1], r->v[2], r->goal};
        for (int k = 0; k < 5; k++) {
            pad(c[k], w[k], k > 0 && k < 4);
            printf("  ");
        }
        printf("%s\n", r->note);
    }
}

/* ---- formatting ------------------------------------------------------------- */

static const char *grouped(char buf[32], double v)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%.0f", v), o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0 && digits[i - 1] != '-')
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* "12.3 µs", "1.74 ms", "0.62 s". */
static const char *dur(char buf[32], double s)
{
    if (s < 1e-3)
        snprintf(buf, 32, "%.1f µs", s * 1e6);
    else if (s < 1)
        snprintf(buf, 32, "%.2f ms", s * 1e3);
    else
        snprintf(buf, 32, "%.2f s", s);
    return buf;
}

static const char *mib(char buf[32], double bytes)
{
    snprintf(buf, 32, "%.1f MiB", bytes / (1024.0 * 1024.0));
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

/* ---- quality rows ------------------------------------------------------------ */

/* hit counts what the row reports: positives found, negatives flagged. */
static double rate(size_t hit, size_t n)
{
    return n ? 100.0 * (double)hit / (double)n : 0;
}

/* The share for one engine on one slice (latin: the Latin-script subset),
 * or -1 if it did not run. */
static double share(const struct bench *b, int e, int c, size_t si, bool latin, size_t *n)
{
    const struct pass *p = &b->pass[e][c];
    const struct slice_res *r = &p->s[si];
    *n = latin ? r->n_latin : r->n;
    if (!b->eng_ok[e][c] || !p->ran || !*n)
        return -1;
    return rate(latin ? r->hit_latin : r->hit, *n);
}

/* One row per slice of corpus c: recall on positives, false-positive rate
 * on negatives (and on the Latin-script negatives of the global file). */
static void quality_rows(const struct bench *b, int c, bool vs_pg)
{
    const struct sb_cases *k = &b->cases;
    for (size_t si = 0; si < k->n_slices; si++) {
        const struct sb_slice *s = &k->slices[si];
        if (s->cross != (c == C_CROSS))
            continue;
        bool positive = s->kind == SB_POSITIVE;
        for (int latin = 0; latin < 1 + (!positive && !strcmp(s->name, "negatives global"));
             latin++) {
            size_t full = 0;
            for (size_t i = 0; i < s->n; i++)
                full += !latin || s->q[i].latin;
            const char *goal = "";
            if (c == C_UN && !strcmp(s->name, "UN untreated"))
                goal = "≥ 99 %";
            else if (c == C_UN && !strcmp(s->name, "UN treated"))
                goal = "≥ 95 %";
            else if (c == C_UN && !positive)
                goal = "≤ 1 %";
            else if (vs_pg)
                goal = positive ? "≥ pg_trgm" : "≤ pg_trgm / 2";
            char num[32];
            struct row *r = add_row(goal, "%s %s%s (%s)", positive ? "recall" : "FPR", s->name,
                                    latin ? ", Latin script" : "", grouped(num, (double)full));
            double v[N_ENG];
            for (int e = 0; e < N_ENG; e++) {
                size_t n;
                v[e] = share(b, e, c, si, latin, &n);
                if (v[e] < 0)
                    continue;
                if (n == full)
                    cell(r, e, "%.1f %%", v[e]);
                else
                    cell(r, e, "%.1f %% of %zu", v[e], n);
            }
            if (v[E_ECTL] < 0 || !goal[0])
                continue;
            bool met;
            if (!strcmp(goal, "≥ 99 %"))
                met = v[E_ECTL] >= 99.0;
            else if (!strcmp(goal, "≥ 95 %"))
                met = v[E_ECTL] >= 95.0;
            else if (!strcmp(goal, "≤ 1 %"))
                met = v[E_ECTL] <= 1.0;
            else if (v[E_PG] < 0) {
                note(r, "pg_trgm not measured");
                continue;
            } else
                met = positive ? v[E_ECTL] >= v[E_PG] - 1e-9 : v[E_ECTL] <= v[E_PG] / 2 + 1e-9;
            note(r, "%s", met ? "meets goal" : "MISSES goal");
        }
    }
}

/* ---- the report ------------------------------------------------------------------- */

static void latency_rows(struct bench *b, int c, bool goals)
{
    char d[N_ENG][32], num[32];
    double med[N_ENG] = {0}, p99[N_ENG] = {0};
    struct row *rm = add_row(goals ? "< 20 µs, ≥ 100x pg" : "", "latency median, 1 thread");
    struct row *rp = add_row("", "latency p99, 1 thread");
    struct row *rq = add_row("", "queries/s, 1 thread (n / sum of latencies)");
    for (int e = 0; e < N_ENG; e++) {
        struct pass *p = &b->pass[e][c];
        if (!b->eng_ok[e][c] || !p->ran || !p->n_lat)
            continue;
        size_t n = p->n_lat;
        double q = (double)n / p->sum;
        med[e] = quantile(p->lat, n, 0.5);
        p99[e] = quantile(p->lat, n, 0.99);
        cell(rm, e, "%s", dur(d[e], med[e]));
        cell(rp, e, "%s", dur(d[e], p99[e]));
        cell(rq, e, "%s", grouped(num, q));
        if (e != E_ECTL)
            note(rm, "%s: %s queries", e == E_PG ? "pg" : "JW", grouped(num, (double)n));
        else
            note(rm, "exportctl: %s queries", grouped(num, (double)n));
    }
    if (med[E_ECTL] > 0 && med[E_PG] > 0) {
        note(rp, "pg_trgm / exportctl: median %.0fx, p99 %.0fx", med[E_PG] / med[E_ECTL],
             p99[E_PG] / p99[E_ECTL]);
        if (goals)
            note(rm, "%s (%s 20 µs, %.0fx pg_trgm)",
                 med[E_ECTL] < GOAL_MEDIAN_S && med[E_PG] / med[E_ECTL] >= GOAL_VS_PG
                     ? "meets goal"
                     : "MISSES goal",
                 med[E_ECTL] < GOAL_MEDIAN_S ? "under" : "over", med[E_PG] / med[E_ECTL]);
    }
    if (c == C_LISTS && b->pg_floor > 0)
        note(rq, "pg round trip alone (SELECT $1): median %s", dur(d[0], b->pg_floor));
}

void report(struct bench *b, double seconds)
{
    char num[32], num2[32], d[32], cpu[128];
    const struct sb_cases *k = &b->cases;

    section("Quality on the UN list alone (%s entities, %s names): exportctl at %.2f, pg_trgm at "
            "%.1f, JW at %.2f",
            grouped(num, (double)b->corpus[C_UN].n_ent),
            grouped(num2, (double)b->corpus[C_UN].n_names), ECTL_SCREEN_DEFAULT_THRESHOLD, PG_T,
            JW_T);
    quality_rows(b, C_UN, false);

    section("Quality on %s (%s entities, %s names)", b->corpus[C_LISTS].label,
            grouped(num, (double)b->corpus[C_LISTS].n_ent),
            grouped(num2, (double)b->corpus[C_LISTS].n_names));
    quality_rows(b, C_LISTS, true);

    section(
        "Name pairs: nomenklatura name_bench_cases.csv (%zu pairs), each engine at its threshold",
        k->n_pairs);
    struct row *rp = add_row("", "precision"), *rr = add_row("", "recall"),
               *rf = add_row("> 0.85", "F1"), *rb = add_row("", "best F1 over thresholds (at t)"),
               *ra = add_row("", "AUC");
    for (int e = 0; e < N_ENG; e++) {
        const struct pair_stats *s = &b->pairs[e];
        if (!s->ran)
            continue;
        cell(rp, e, "%.3f", s->p);
        cell(rr, e, "%.3f", s->r);
        cell(rf, e, "%.3f", s->f1);
        cell(rb, e, "%.3f (%.2f)", s->best_f1, s->best_t);
        cell(ra, e, "%.3f", s->auc);
    }
    note(rf, "logic-v2 reference: 0.79");
    if (b->pairs[E_ECTL].ran)
        note(rf, "%s", b->pairs[E_ECTL].f1 > 0.85 ? "meets goal" : "MISSES goal");
    note(rb, "all pairs called a match: F1 0.680");

    section("Cross-script: an index of the expected Latin names (%s names)",
            grouped(num, (double)b->corpus[C_CROSS].n_names));
    quality_rows(b, C_CROSS, false);

    section("Speed and memory on %s (%s names)", b->corpus[C_LISTS].label,
            grouped(num, (double)b->corpus[C_LISTS].n_names));
    latency_rows(b, C_LISTS, true);
    struct row *rt = add_row("≥ 100,000/s", "throughput, %d threads (names/s)", b->threads);
    for (int e = 0; e < N_ENG; e++)
        if (b->tput[e] > 0) {
            cell(rt, e, "%s", grouped(num, b->tput[e]));
            if (e != E_ECTL)
                note(rt, "%s: %s queries", e == E_PG ? "pg" : "JW",
                     grouped(num2, (double)b->tput_n[e]));
        }
    if (b->tput[E_ECTL] > 0)
        note(rt, "%s; median of %d runs over %s queries, the first %s",
             b->tput[E_ECTL] >= GOAL_TPUT ? "meets goal" : "MISSES goal", b->tput_runs,
             grouped(num, (double)b->tput_n[E_ECTL]), grouped(num2, b->tput_first));
    struct row *rbld = add_row("< 2 s", "index build");
    struct row *rsz = add_row("", "index size");
    for (int e = 0; e < N_ENG; e++) {
        if (b->build_s[e][C_LISTS] > 0)
            cell(rbld, e, "%s", dur(d, b->build_s[e][C_LISTS]));
        if (b->size_bytes[e][C_LISTS] > 0)
            cell(rsz, e, "%s", mib(d, b->size_bytes[e][C_LISTS]));
    }
    if (b->build_s[E_ECTL][C_LISTS] > 0)
        note(rbld, "%s; exportctl: the 3 list files to the index file, median of 3",
             b->build_s[E_ECTL][C_LISTS] < GOAL_BUILD_S ? "meets goal" : "MISSES goal");
    note(rbld, "pg: COPY + CREATE INDEX; JW: decoding the names");
    note(rsz, "exportctl: index file; pg: table + GIN index; JW: code points");
    struct row *ro = add_row("< 10 ms", "index open (ectl_index_open)");
    if (b->open_s[C_LISTS] > 0) {
        cell(ro, E_ECTL, "%s", dur(d, b->open_s[C_LISTS]));
        note(ro, "%s; median of 50, slowest %s",
             b->open_s[C_LISTS] < GOAL_OPEN_S ? "meets goal" : "MISSES goal",
             dur(num, b->open_worst[C_LISTS]));
    }
    struct row *rrb = add_row("report", "peak RSS, building the index");
    if (b->build_rss[C_LISTS])
        cell(rrb, E_ECTL, "%s", mib(d, (double)b->build_rss[C_LISTS] * 1024));
    note(rrb, "a child process that only builds");
    struct row *rrs = add_row("report", "peak RSS, open + screen every query");
    if (b->screen_rss)
        cell(rrs, E_ECTL, "%s", mib(d, (double)b->screen_rss * 1024));
    note(rrs, "a child process that opens the index and screens %s names",
         grouped(num, (double)b->tput_n[E_ECTL]));

    section("Speed on the UN list alone (%s names)", grouped(num, (double)b->corpus[C_UN].n_names));
    latency_rows(b, C_UN, false);
    struct row *rbu = add_row("", "index build");
    for (int e = 0; e < N_ENG; e++)
        if (b->build_s[e][C_UN] > 0)
            cell(rbu, e, "%s", dur(d, b->build_s[e][C_UN]));

    if (b->have[C_SYN]) {
        section("Scale: %s synthetic names + the UN list (%s names)",
                grouped(num, (double)b->synthetic),
                grouped(num2, (double)b->corpus[C_SYN].n_names));
        latency_rows(b, C_SYN, false);
        struct row *r1 = add_row("", "index build"), *r2 = add_row("", "index size");
        for (int e = 0; e < N_ENG; e++) {
            if (b->build_s[e][C_SYN] > 0)
                cell(r1, e, "%s", dur(d, b->build_s[e][C_SYN]));
            if (b->size_bytes[e][C_SYN] > 0)
                cell(r2, e, "%s", mib(d, b->size_bytes[e][C_SYN]));
        }
        struct row *r3 = add_row("", "index open (ectl_index_open)");
        if (b->open_s[C_SYN] > 0)
            cell(r3, E_ECTL, "%s", dur(d, b->open_s[C_SYN]));
        struct row *r4 = add_row("", "peak RSS, building the index");
        if (b->build_rss[C_SYN])
            cell(r4, E_ECTL, "%s", mib(d, (double)b->build_rss[C_SYN] * 1024));
        for (size_t si = 0; si < k->n_slices; si++) {
            const struct sb_slice *s = &k->slices[si];
            if (strcmp(s->name, "UN treated") && strcmp(s->name, "UN changed-only") &&
                strcmp(s->name, "two edits"))
                continue;
            struct row *r = add_row("", "recall %s (%s)", s->name, grouped(num, (double)s->n));
            for (int e = 0; e < N_ENG; e++) {
                size_t n;
                double v = share(b, e, C_SYN, si, false, &n);
                if (v >= 0)
                    cell(r, e, n == s->n ? "%.1f %%" : "%.1f %% of %zu", v, n);
            }
        }
    }

    cpu_model(cpu, sizeof cpu);
    printf("\nexportctl screening benchmark\n");
    printf("machine:   %ld CPUs online (nproc), %s\n", sysconf(_SC_NPROCESSORS_ONLN), cpu);
    printf("build:     %s\n", ECTL_BENCH_BUILD);
    printf("exportctl: ectl_screen() at ECTL_SCREEN_DEFAULT_THRESHOLD %.2f, top %d\n",
           ECTL_SCREEN_DEFAULT_THRESHOLD, SB_TOP);
    if (b->eng_ok[E_PG][C_LISTS])
        printf("pg_trgm:   %s; similarity >= %.1f, GIN gin_trgm_ops, 1 client over TCP "
               "127.0.0.1, prepared statement\n",
               b->pg_version, PG_T);
    else
        printf("pg_trgm:   not measured (%s)\n", b->why[E_PG][0] ? b->why[E_PG] : "failed");
    if (b->eng_ok[E_JW][C_LISTS])
        printf("JW:        token-sorted Jaro-Winkler >= %.2f over every name, in C, best per "
               "entity\n",
               JW_T);
    else
        printf("JW:        not measured (%s)\n", b->why[E_JW][0] ? b->why[E_JW] : "failed");
    printf("peers' names: lower-case, apostrophes dropped, other non-alphanumerics to spaces; "
           "one row per distinct (entity, name)\n");
    printf("positives: yente UN, %zu rows, %zu mapped to an entity of the UN list (%zu by birth "
           "year), the rest are no longer listed\n",
           k->yente_rows, k->yente_mapped, k->yente_by_year);
    printf("negatives: the first %s rows of each yente negatives file\n",
           grouped(num, (double)b->negatives));
    printf("run time:  %.0f s (bench_screen, after reading the lists); load average at start %s, "
           "at end %s\n",
           seconds, b->load_start, b->load_end);
    print_table();
}
