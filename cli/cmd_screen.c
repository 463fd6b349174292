/*
 * exportctl screen --index FILE [options] NAME
 * exportctl screen --index FILE --batch IN.csv [--out OUT.csv] [--json] [--threads N]
 *
 * A batch is screened by worker threads, each taking chunks of rows in
 * turn and formatting its own output; the main thread writes the chunks
 * in input order as they complete, and workers stay at most a few chunks
 * ahead of it, so memory stays bounded however long the input is.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"

/* A printf format: the default threshold is filled in. */
static const char usage_text[] =
    "usage: exportctl screen --index FILE [--threshold T] [--limit N]\n"
    "                        [--type person|entity|vessel|aircraft] [--country CC] [--json] NAME\n"
    "       exportctl screen --index FILE --batch IN.csv [--out OUT.csv] [--json]\n"
    "                        [--threads N] [--threshold T] [--limit N] [--type T] [--country CC]\n\n"
    "Screens NAME against every list in the index FILE (see 'exportctl lists build') and\n"
    "prints the entities whose best name scores at least T (default %.2f), best first,\n"
    "with the tokens that matched.  Scores are in [0, 1]; word order, typos, a missing\n"
    "middle name, spacing and transliteration are allowed for; legal forms and generic\n"
    "words (LLC, TRADING) count for little.  --type and --country narrow the entities\n"
    "(an entity that states no type or no country is kept).\n\n"
    "--batch reads a CSV with a header row and a 'name' column; optional 'id', 'type' and\n"
    "'country' columns narrow each row's query.  The output CSV (to OUT.csv or standard\n"
    "output) has one row per input and match:\n"
    "  input_row,input_id,query,list,match_id,matched_name,score\n"
    "and an input without a match appears once with the match columns empty; --json\n"
    "writes one JSON object per input line instead.  --threads defaults to the number\n"
    "of cores; the output is in input order.\n";

struct opts {
    const char *index, *batch, *out;
    bool json;
    long threads;
    struct ectl_screen_opts so;
    size_t limit;
};

/* ---- output pieces ------------------------------------------------------ */

static json_t *match_json(const struct ectl_match *m)
{
    json_t *progs = json_array();
    for (const char *p = m->programs; *p;) {
        const char *e = strchr(p, ';');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            json_array_append_new(progs, json_stringn(p, n));
        p += n + (e != NULL);
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:f, s:o, s:s}", "list", m->list, "id", m->id,
                     "type", ectl_entity_type_name(m->type), "name", m->name, "matched_name",
                     m->matched_name, "score", (double)(long long)(m->score * 10000 + 0.5) / 10000, "programs", progs,
                     "explain", m->explain);
}

static json_t *result_json(const char *query, double threshold, const struct ectl_match *m,
                           size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, match_json(&m[i]));
    return json_pack("{s:s, s:f, s:o}", "query", query, "threshold", threshold, "matches", arr);
}

/* Scores to four significant digits: 0.9333, not 0.93330000000000002. */
#define JSON_FLAGS JSON_REAL_PRECISION(4)

struct sbuf {
    char *p;
    size_t len, cap;
    bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_adds(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_csv(struct sbuf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        sb_adds(b, s);
        return;
    }
    sb_add(b, "\"", 1);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        sb_add(b, s, (size_t)(q - s));
        sb_add(b, "\"\"", 2);
    }
    sb_adds(b, s);
    sb_add(b, "\"", 1);
}

/* ---- one name ----------------------------------------------------------- */

static void print_text(const char *query, double threshold, const struct ectl_match *m, size_t n)
{
    printf("query: %s (threshold %.2f)\n", query, threshold);
    if (n == 0)
        printf("no match at or above %.2f\n", threshold);
    for (size_t i = 0; i < n; i++) {
        printf("%zu. %.2f  %s %s  %s  %s\n", i + 1, m[i].score, m[i].list, m[i].id,
               ectl_entity_type_name(m[i].type), m[i].name);
        if (strcmp(m[i].matched_name, m[i].name))
            printf("   matched: %s\n", m[i].matched_name);
        if (*m[i].programs)
            printf("   programs: %s\n", m[i].programs);
        if (*m[i].countries)
            printf("   countries: %s\n", m[i].countries);
        printf("   why: %s\n", m[i].explain);
    }
}

static int screen_one(const struct ectl_index *ix, const struct opts *o, const char *name)
{
    struct ectl_match m[ECTL_SCREEN_MAX_LIMIT];
    size_t n;
    struct ectl_error err = {0};
    if (ectl_screen(ix, name, &o->so, m, o->limit, &n, &err))
        return cli_fail_err(&err);
    double t = o->so.threshold ? o->so.threshold : ECTL_SCREEN_DEFAULT_THRESHOLD;
    if (!o->json) {
        print_text(name, t, m, n);
        return fflush(stdout) ? cli_fail(EXIT_IOERR, "cannot write to standard output") : 0;
    }
    json_t *j = result_json(name, t, m, n);
    if (!j)
        return cli_fail(EXIT_SOFTWARE, "out of memory building JSON");
    int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_FLAGS);
    json_decref(j);
    if (rc || fputc('\n', stdout) == EOF || fflush(stdout))
        return cli_fail(EXIT_IOERR, "cannot write to standard output");
    return 0;
}

/* ---- batch input -------------------------------------------------------- */

struct row {
    size_t line;
    const char *name, *id, *country;
    enum ectl_entity_type type;
};

struct input {
    char *data; /* the file, then the unescaped fields */
    size_t len;
    struct row *rows;
    size_t n_rows;
};

/* One CSV record: fields are unescaped in place (an unescaped field is
 * never longer than its escaped form) and NUL-terminated.  Returns the
 * number of fields (at most max), 0 at the end, -1 for an open quote. */
static int csv_record(char **pp, char *end, size_t *line, char **f, int max)
{
    char *p = *pp;
    if (p >= end)
        return 0;
    int n = 0;
    for (;;) {
        char *w = p, *start = p;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                if (p >= end)
                    return -1;
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    (*line)++;
                *w++ = *p++;
            }
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                *w++ = *p++;
        } else {
            while (p < end && *p != ',' && *p != '\n' && *p != '\r')
                p++;
            w = p;
        }
        char sep = p < end ? *p : '\n';
        *w = '\0'; /* may overwrite the separator, read above */
        if (n < max)
            f[n] = start;
        n++;
        p++;
        if (sep == ',')
            continue;
        if (sep == '\r' && p < end && *p == '\n')
            p++;
        (*line)++;
        break;
    }
    *pp = p;
    return n < max ? n : max;
}

enum { C_NAME, C_ID, C_TYPE, C_COUNTRY, C_N };

static int read_input(const char *path, struct input *in)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return cli_fail(EXIT_NOINPUT, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, got;
    in->data = malloc(cap + 1);
    while (in->data && (got = fread(in->data + in->len, 1, cap - in->len, f)) > 0) {
        in->len += got;
        if (in->len == cap) {
            char *p = realloc(in->data, cap * 2 + 1);
            if (!p)
                free(in->data);
            in->data = p;
            cap *= 2;
        }
    }
    bool bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!in->data)
        return cli_fail(EXIT_SOFTWARE, "out of memory reading %s", path);
    if (bad)
        return cli_fail(EXIT_IOERR, "%s: read error", path);
    in->data[in->len] = '\0';
    char *p = in->data, *end = in->data + in->len;
    if (in->len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    size_t line = 1;
    char *f8[64];
    int n = csv_record(&p, end, &line, f8, 64);
    if (n <= 0)
        return cli_fail(EXIT_DATAERR, "%s: no header row", path);
    int col[C_N] = {-1, -1, -1, -1};
    static const char *const names[C_N] = {"name", "id", "type", "country"};
    for (int i = 0; i < n; i++)
        for (int k = 0; k < C_N; k++)
            if (!strcasecmp(f8[i], names[k]) && col[k] < 0)
                col[k] = i;
    if (col[C_NAME] < 0)
        return cli_fail(EXIT_DATAERR, "%s:1: the header has no 'name' column", path);
    size_t rows_cap = 1024;
    in->rows = malloc(rows_cap * sizeof *in->rows);
    while (in->rows) {
        size_t at = line;
        n = csv_record(&p, end, &line, f8, 64);
        if (n == 0)
            break;
        if (n < 0)
            return cli_fail(EXIT_DATAERR, "%s:%zu: unterminated quoted field", path, at);
        if (n == 1 && !*f8[0])
            continue; /* a blank line */
        if (in->n_rows == rows_cap) {
            struct row *r = realloc(in->rows, (rows_cap *= 2) * sizeof *r);
            if (!r)
                break;
            in->rows = r;
        }
        struct row *r = &in->rows[in->n_rows++];
        const char *v[C_N];
        for (int k = 0; k < C_N; k++)
            v[k] = col[k] >= 0 && col[k] < n ? f8[col[k]] : "";
        r->line = at;
        r->name = v[C_NAME];
        r->id = v[C_ID];
        r->country = *v[C_COUNTRY] ? v[C_COUNTRY] : NULL;
        r->type = ECTL_TYPE_UNKNOWN;
        if (ectl_utf8_valid_prefix(r->name, strlen(r->name)) != strlen(r->name))
            return cli_fail(EXIT_DATAERR, "%s:%zu: the name is not valid UTF-8", path, at);
        if (*v[C_TYPE] && ectl_entity_type_parse(v[C_TYPE], &r->type))
            return cli_fail(EXIT_DATAERR,
                            "%s:%zu: unknown type '%s' (person, entity, vessel or aircraft)",
                            path, at, v[C_TYPE]);
        if (r->country && (strlen(r->country) != 2 || !((r->country[0] | 0x20) >= 'a' &&
                                                         (r->country[0] | 0x20) <= 'z' &&
                                                         (r->country[1] | 0x20) >= 'a' &&
                                                         (r->country[1] | 0x20) <= 'z')))
            return cli_fail(EXIT_DATAERR, "%s:%zu: country '%s' is not an ISO alpha-2 code",
                            path, at, r->country);
    }
    if (!in->rows)
        return cli_fail(EXIT_SOFTWARE, "out of memory reading %s", path);
    return 0;
}

/* ---- batch screening ---------------------------------------------------- */

#define CHUNK 128

struct batch {
    const struct ectl_index *ix;
    const struct opts *o;
    const struct input *in;
    double threshold;
    size_t n_chunks, next, written, window;
    struct sbuf *out; /* per chunk, ready when done[c] */
    bool *done;
    bool failed;
    struct ectl_error err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static void format_row(struct batch *b, size_t r, const struct ectl_match *m, size_t n,
                       struct sbuf *sb)
{
    const struct row *row = &b->in->rows[r];
    if (b->o->json) {
        json_t *j = json_pack("{s:I, s:s}", "input_row", (json_int_t)r + 1, "input_id", row->id);
        json_t *res = result_json(row->name, b->threshold, m, n);
        char *s = NULL;
        if (j && res && json_object_update(j, res) == 0)
            s = json_dumps(j, JSON_COMPACT | JSON_FLAGS);
        json_decref(j);
        json_decref(res);
        if (!s) {
            sb->oom = true;
            return;
        }
        sb_adds(sb, s);
        sb_add(sb, "\n", 1);
        free(s);
        return;
    }
    char num[32];
    snprintf(num, sizeof num, "%zu", r + 1);
    for (size_t i = 0; i == 0 || i < n; i++) {
        sb_adds(sb, num);
        sb_add(sb, ",", 1);
        sb_csv(sb, row->id);
        sb_add(sb, ",", 1);
        sb_csv(sb, row->name);
        if (n) {
            char score[16];
            snprintf(score, sizeof score, "%.4f", m[i].score);
            sb_add(sb, ",", 1);
            sb_csv(sb, m[i].list);
            sb_add(sb, ",", 1);
            sb_csv(sb, m[i].id);
            sb_add(sb, ",", 1);
            sb_csv(sb, m[i].matched_name);
            sb_add(sb, ",", 1);
            sb_adds(sb, score);
            sb_add(sb, "\n", 1);
        } else {
            sb_adds(sb, ",,,,\n");
        }
    }
}

static void *worker(void *arg)
{
    struct batch *b = arg;
    struct ectl_match m[ECTL_SCREEN_MAX_LIMIT];
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (!b->failed && b->next < b->n_chunks && b->next >= b->written + b->window)
            pthread_cond_wait(&b->cv, &b->mu);
        size_t c = b->next;
        if (b->failed || c >= b->n_chunks) {
            pthread_mutex_unlock(&b->mu);
            return NULL;
        }
        b->next++;
        pthread_mutex_unlock(&b->mu);
        struct sbuf sb = {0};
        struct ectl_error err = {0};
        int rc = 0;
        size_t end = (c + 1) * CHUNK < b->in->n_rows ? (c + 1) * CHUNK : b->in->n_rows;
        for (size_t r = c * CHUNK; r < end && rc == 0 && !sb.oom; r++) {
            const struct row *row = &b->in->rows[r];
            struct ectl_screen_opts so = b->o->so;
            if (row->type != ECTL_TYPE_UNKNOWN)
                so.type = row->type;
            if (row->country)
                so.country = row->country;
            size_t n;
            rc = ectl_screen(b->ix, row->name, &so, m, b->o->limit, &n, &err);
            if (rc == 0) {
                format_row(b, r, m, n, &sb);
            } else {
                char where[600];
                snprintf(where, sizeof where, "%s:%zu", b->o->batch, row->line);
                ectl_error_prefix(&err, where);
            }
        }
        if (rc == 0 && sb.oom)
            rc = ectl_error_set(&err, ECTL_ENOMEM, "out of memory formatting the output");
        pthread_mutex_lock(&b->mu);
        if (rc) {
            if (!b->failed)
                b->err = err;
            b->failed = true;
            free(sb.p);
        } else {
            b->out[c] = sb;
            b->done[c] = true;
        }
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
    }
}

static int screen_batch(const struct ectl_index *ix, const struct opts *o)
{
    struct input in = {0};
    int status = read_input(o->batch, &in);
    FILE *out = NULL;
    if (status == 0) {
        out = o->out ? fopen(o->out, "w") : stdout;
        if (!out)
            status = cli_fail(EXIT_CANTCREAT, "%s: %s", o->out, strerror(errno));
    }
    if (status) {
        free(in.rows);
        free(in.data);
        return status;
    }
    struct batch b = {.ix = ix, .o = o, .in = &in};
    b.threshold = o->so.threshold ? o->so.threshold : ECTL_SCREEN_DEFAULT_THRESHOLD;
    b.n_chunks = (in.n_rows + CHUNK - 1) / CHUNK;
    size_t threads = (size_t)o->threads;
    b.window = threads * 4;
    b.out = calloc(b.n_chunks + 1, sizeof *b.out);
    b.done = calloc(b.n_chunks + 1, sizeof *b.done);
    pthread_t *tid = calloc(threads, sizeof *tid);
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.cv, NULL);
    size_t started = 0;
    if (!b.out || !b.done || !tid)
        status = cli_fail(EXIT_SOFTWARE, "out of memory");
    for (; status == 0 && started < threads && started < b.n_chunks; started++)
        if (pthread_create(&tid[started], NULL, worker, &b) != 0)
            break;
    if (status == 0 && started == 0 && b.n_chunks)
        status = cli_fail(EXIT_SOFTWARE, "cannot start a thread");
    if (status == 0 && !o->json)
        fputs("input_row,input_id,query,list,match_id,matched_name,score\n", out);
    bool tty = isatty(STDERR_FILENO);
    for (size_t c = 0; status == 0 && c < b.n_chunks; c++) {
        pthread_mutex_lock(&b.mu);
        while (!b.done[c] && !b.failed)
            pthread_cond_wait(&b.cv, &b.mu);
        bool ok = b.done[c];
        pthread_mutex_unlock(&b.mu);
        if (!ok)
            break;
        if (b.out[c].len && fwrite(b.out[c].p, 1, b.out[c].len, out) != b.out[c].len)
            status = cli_fail(EXIT_IOERR, "%s: write error", o->out ? o->out : "standard output");
        free(b.out[c].p);
        b.out[c].p = NULL;
        pthread_mutex_lock(&b.mu);
        b.written = c + 1;
        if (status)
            b.failed = true;
        pthread_cond_broadcast(&b.cv);
        pthread_mutex_unlock(&b.mu);
        if (tty && (c % 16 == 15 || c + 1 == b.n_chunks))
            fprintf(stderr, "\r\033[Kscreen: %zu of %zu names",
                    (c + 1) * CHUNK < in.n_rows ? (c + 1) * CHUNK : in.n_rows, in.n_rows);
    }
    pthread_mutex_lock(&b.mu);
    bool failed = b.failed;
    b.failed = true; /* stop the workers, whatever happened */
    pthread_cond_broadcast(&b.cv);
    pthread_mutex_unlock(&b.mu);
    for (size_t t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    if (tty && b.n_chunks)
        fputs("\r\033[K", stderr);
    if (status == 0 && failed)
        status = cli_fail_err(&b.err);
    if (out && ((out == stdout ? fflush(out) : fclose(out)) != 0) && status == 0)
        status = cli_fail(EXIT_IOERR, "%s: write error", o->out ? o->out : "standard output");
    for (size_t c = 0; b.out && c < b.n_chunks; c++)
        free(b.out[c].p);
    free(b.out);
    free(b.done);
    free(tid);
    pthread_mutex_destroy(&b.mu);
    pthread_cond_destroy(&b.cv);
    free(in.rows);
    free(in.data);
    return status;
}

/* ---- options ------------------------------------------------------------ */

int cmd_screen(int argc, char **argv)
{
    static const struct option lo[] = {
        {"index", required_argument, NULL, 'i'},  {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},  {"type", required_argument, NULL, 'T'},
        {"country", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
        {"batch", required_argument, NULL, 'b'},  {"out", required_argument, NULL, 'o'},
        {"threads", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct opts o = {0};
    o.limit = ECTL_SCREEN_DEFAULT_LIMIT;
    long nproc = sysconf(_SC_NPROCESSORS_ONLN);
    o.threads = nproc > 0 ? nproc : 1;
    int c;
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
        switch (c) {
        case 'i': o.index = optarg; break;
        case 't':
            o.so.threshold = strtod(optarg, &end);
            if (*end || end == optarg || !(o.so.threshold > 0 && o.so.threshold <= 1))
                return cli_usage_error("screen", "--threshold must be a number in (0, 1], not '%s'",
                                       optarg);
            break;
        case 'l': {
            long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 1 || v > ECTL_SCREEN_MAX_LIMIT)
                return cli_usage_error("screen", "--limit must be 1 to %d, not '%s'",
                                       ECTL_SCREEN_MAX_LIMIT, optarg);
            o.limit = (size_t)v;
            o.so.limit = (size_t)v;
            break;
        }
        case 'T':
            if (ectl_entity_type_parse(optarg, &o.so.type))
                return cli_usage_error("screen",
                                       "--type must be person, entity, vessel or aircraft, not '%s'",
                                       optarg);
            break;
        case 'c':
            if (strlen(optarg) != 2 || !((optarg[0] | 0x20) >= 'a' && (optarg[0] | 0x20) <= 'z' &&
                                         (optarg[1] | 0x20) >= 'a' && (optarg[1] | 0x20) <= 'z'))
                return cli_usage_error("screen", "--country must be an ISO alpha-2 code, not '%s'",
                                       optarg);
            o.so.country = optarg;
            break;
        case 'j': o.json = true; break;
        case 'b': o.batch = optarg; break;
        case 'o': o.out = optarg; break;
        case 'n':
            o.threads = strtol(optarg, &end, 10);
            if (*end || end == optarg || o.threads < 1 || o.threads > 256)
                return cli_usage_error("screen", "--threads must be 1 to 256, not '%s'", optarg);
            break;
        case 'h': printf(usage_text, ECTL_SCREEN_DEFAULT_THRESHOLD); return 0;
        default:
            return cli_usage_error("screen", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (!o.index)
        return cli_usage_error("screen", "--index FILE is required");
    if (o.batch && optind < argc)
        return cli_usage_error("screen", "give either NAME or --batch, not both");
    if (!o.batch && argc - optind != 1)
        return cli_usage_error("screen", "give one NAME (quote a name of several words)");
    if (!o.batch && o.out)
        return cli_usage_error("screen", "--out goes with --batch");
    struct ectl_index *ix;
    struct ectl_error err = {0};
    if (ectl_index_open(o.index, &ix, &err))
        return cli_fail_err(&err);
    int status = o.batch ? screen_batch(ix, &o) : screen_one(ix, &o, argv[optind]);
    ectl_index_close(ix);
    return status;
}
