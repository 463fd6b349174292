/*
 * Screening benchmark: the query slices and the generated lists.
 *
 * The yente positives carry no id.  As in peers-baseline.md, each
 * untreated row is mapped to the UN entity one of whose names it equals
 * after normalisation; when several entities carry that name, the birth
 * year decides; rows that find no entity (persons delisted since yente
 * took its snapshot) are left out, and so is their treated twin.  The
 * harder slices are derived from the mapped rows with a fixed seed, so
 * every run and every engine screens the same strings.
 */
#include "screen_bench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/file.h"

/* ---- Reading the case files ---------------------------------------------- */

typedef int (*row_fn)(void *ctx, const struct ectl_csv *csv);

/* Every data row of a CSV file (the header is skipped), at most max rows. */
static int each_row(const char *path, size_t max, row_fn fn, void *ctx)
{
    struct ectl_file f;
    struct ectl_error err = {0};
    if (ectl_file_open(&f, path, &err)) {
        fprintf(stderr, "bench_screen: %s\n", err.msg);
        return -1;
    }
    struct ectl_csv csv;
    ectl_csv_init(&csv, f.data, f.len, path, 0);
    int rc;
    size_t rows = 0;
    bool header = true;
    while (rows < max && (rc = ectl_csv_next(&csv, &err)) == 1) {
        if (header) {
            header = false;
            continue;
        }
        if (fn(ctx, &csv) < 0) {
            rc = -1;
            break;
        }
        rows++;
    }
    if (rc < 0 && err.msg[0])
        fprintf(stderr, "bench_screen: %s\n", err.msg);
    ectl_csv_release(&csv);
    ectl_file_release(&f);
    return rc < 0 ? -1 : 0;
}

struct rows {
    struct ectl_arena *arena;
    size_t n, cap;
    const char **full_name, **dob;
};

static int keep_row(void *ctx, const struct ectl_csv *csv)
{
    struct rows *r = ctx;
    if (csv->n_fields < 6)
        return 0;
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->full_name = sb_xrealloc(r->full_name, r->cap * sizeof *r->full_name);
        r->dob = sb_xrealloc(r->dob, r->cap * sizeof *r->dob);
    }
    r->full_name[r->n] = sb_strdup(r->arena, csv->fields[0]);
    r->dob[r->n] = sb_strdup(r->arena, csv->fields[5]);
    r->n++;
    return 0;
}

static void rows_free(struct rows *r)
{
    free(r->full_name);
    free(r->dob);
}

struct pairs {
    struct sb_cases *k;
    size_t cap;
};

static uint8_t schema_type(const char *s)
{
    if (!strcmp(s, "Person"))
        return 1; /* ECTL_TYPE_PERSON */
    if (!strcmp(s, "Vessel"))
        return 3;
    return 2; /* Company, Organization, LegalEntity */
}

static int keep_pair(void *ctx, const struct ectl_csv *csv)
{
    struct pairs *p = ctx;
    struct sb_cases *k = p->k;
    if (csv->n_fields < 5)
        return 0;
    if (k->n_pairs == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        k->pairs = sb_xrealloc(k->pairs, p->cap * sizeof *k->pairs);
    }
    k->pairs[k->n_pairs++] = (struct sb_pair){
        .a = sb_strdup(&k->arena, csv->fields[2]),
        .b = sb_strdup(&k->arena, csv->fields[3]),
        .type = schema_type(csv->fields[1]),
        .match = !strcmp(csv->fields[4], "true"),
    };
    return 0;
}

/* ---- Mapping positives to UN entities -------------------------------------- */

struct norm_ent {
    const char *norm;
    uint32_t ent;
};

static int cmp_norm_ent(const void *a, const void *b)
{
    const struct norm_ent *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);
    return c ? c : (x->ent > y->ent) - (x->ent < y->ent);
}

/* The UN entity of a listed name: -1 none, -2 ambiguous even with the
 * year.  *by_year is set when the year decided. */
static int32_t map_name(const struct norm_ent *v, size_t n, const struct sb_corpus *un,
                        const char *name, const char *dob, bool *by_year)
{
    char norm[1024];
    sb_peer_norm(name, norm, sizeof norm);
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(v[mid].norm, norm) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    int32_t found = -1, n_found = 0, last = -1;
    while (end < n && !strcmp(v[end].norm, norm)) {
        if ((int32_t)v[end].ent != last) {
            n_found++;
            found = (int32_t)v[end].ent;
            last = found;
        }
        end++;
    }
    *by_year = false;
    if (n_found <= 1)
        return found;
    char year[5] = {0};
    memcpy(year, dob, strlen(dob) >= 4 ? 4 : 0);
    int32_t pick = -2;
    int n_pick = 0;
    for (size_t i = lo; i < end; i++)
        if (year[0] && strstr(un->ent[v[i].ent].years, year) && (int32_t)v[i].ent != pick) {
            pick = (int32_t)v[i].ent;
            n_pick++;
        }
    *by_year = n_pick == 1;
    return n_pick == 1 ? pick : -2;
}

/* ---- Harder variants -------------------------------------------------------- */

static size_t split_tokens(const char *s, char tok[][128], size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        size_t l = strcspn(s, " ");
        snprintf(tok[n++], 128, "%.*s", (int)(l < 127 ? l : 127), s);
        s += l;
    }
    return n;
}

static void join_tokens(char tok[][128], size_t n, size_t skip, size_t glue, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i == skip)
            continue;
        bool sep = o > 0 && !(glue != SIZE_MAX && i == glue + 1);
        o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, "%s%s", sep ? " " : "", tok[i]);
        if (o >= cap)
            o = cap - 1;
    }
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One random edit at a letter: substitution, deletion, insertion or
 * transposition with the next letter. */
static void edit_once(char *s, size_t cap, uint64_t *rs)
{
    size_t len = strlen(s), letters = 0;
    for (size_t i = 0; i < len; i++)
        letters += is_letter(s[i]);
    if (letters < 2)
        return;
    size_t pick = sb_rand(rs) % letters, at = 0;
    for (size_t i = 0; i < len; i++)
        if (is_letter(s[i]) && pick-- == 0) {
            at = i;
            break;
        }
    bool upper = s[at] >= 'A' && s[at] <= 'Z';
    char letter = (char)((upper ? 'A' : 'a') + (int)(sb_rand(rs) % 26));
    switch (sb_rand(rs) % 4) {
    case 0:
        if (letter == s[at])
            letter = (char)(letter == 'Z' || letter == 'z' ? letter - 1 : letter + 1);
        s[at] = letter;
        break;
    case 1:
        memmove(s + at, s + at + 1, len - at);
        break;
    case 2:
        if (len + 2 <= cap) {
            memmove(s + at + 1, s + at, len - at + 1);
            s[at] = letter;
        }
        break;
    default:
        if (at + 1 < len && is_letter(s[at + 1]) && s[at] != s[at + 1]) {
            char t = s[at];
            s[at] = s[at + 1];
            s[at + 1] = t;
        } else
            s[at] = letter == s[at] ? (char)(letter ^ 1) : letter;
        break;
    }
}

/* ---- Slices ---------------------------------------------------------------- */

static struct sb_slice *new_slice(struct sb_cases *k, const char *name, const char *about,
                                  enum sb_slice_kind kind, size_t cap)
{
    struct sb_slice *s = &k->slices[k->n_slices++];
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->about, sizeof s->about, "%s", about);
    s->kind = kind;
    s->n = 0;
    s->q = ectl_arena_alloc(&k->arena, (cap ? cap : 1) * sizeof *s->q);
    if (!s->q) {
        fprintf(stderr, "bench_screen: out of memory\n");
        exit(1);
    }
    return s;
}

static void add_query(struct sb_cases *k, struct sb_slice *s, const char *text, const char *id)
{
    s->q[s->n++] = (struct sb_query){.text = sb_strdup(&k->arena, text),
                                     .expect_list = id ? "un-sc" : NULL,
                                     .expect = id,
                                     .latin = sb_is_latin(text)};
}

int sb_cases_load(struct sb_cases *k, const char *dir, const struct sb_corpus *un, size_t negatives)
{
    char path[4096];
    struct rows unt = {.arena = &k->arena}, tre = {.arena = &k->arena};
    snprintf(path, sizeof path, "%s/yente_screening_fixtures/positives_un_untreated.csv", dir);
    if (each_row(path, SIZE_MAX, keep_row, &unt))
        return -1;
    snprintf(path, sizeof path, "%s/yente_screening_fixtures/positives_un_treated.csv", dir);
    if (each_row(path, SIZE_MAX, keep_row, &tre))
        return -1;
    if (unt.n != tre.n) {
        fprintf(stderr, "bench_screen: the yente positives are not line-aligned (%zu / %zu rows)\n",
                unt.n, tre.n);
        return -1;
    }

    /* Every (normalised name, entity) of the UN list, sorted. */
    struct norm_ent *v = sb_xrealloc(NULL, un->n_names * sizeof *v);
    for (size_t i = 0; i < un->n_names; i++)
        v[i] = (struct norm_ent){un->names[i].norm, un->names[i].ent};
    qsort(v, un->n_names, sizeof *v, cmp_norm_ent);

    size_t n = unt.n;
    struct sb_slice *s_unt = new_slice(
        k, "UN untreated", "yente positives_un_untreated: the UN names as listed", SB_POSITIVE, n);
    struct sb_slice *s_tre =
        new_slice(k, "UN treated", "yente positives_un_treated: typos, reordering, SURNAME, GIVEN",
                  SB_POSITIVE, n);
    struct sb_slice *s_chg = new_slice(
        k, "UN changed-only", "treated rows that differ from the untreated one after normalisation",
        SB_POSITIVE, n);
    struct sb_slice *s_two = new_slice(
        k, "two edits", "ours: two random edits (substitute, drop, insert, swap) per name",
        SB_POSITIVE, n);
    struct sb_slice *s_drop = new_slice(
        k, "dropped word", "ours: one inner word dropped (names of 3+ words)", SB_POSITIVE, n);
    struct sb_slice *s_join =
        new_slice(k, "joined tokens", "ours: two adjacent words written as one", SB_POSITIVE, n);
    struct sb_slice *s_rev = new_slice(
        k, "SURNAME, GIVEN", "ours: last word moved to the front, comma after it", SB_POSITIVE, n);
    struct sb_slice *s_cyr = new_slice(
        k, "Cyrillic", "ours: mechanical Russian-style Cyrillic transliteration", SB_POSITIVE, n);
    struct sb_slice *s_ara =
        new_slice(k, "Arabic script", "ours: mechanical consonantal Arabic-script transliteration",
                  SB_POSITIVE, n);
    struct sb_slice *s_han =
        new_slice(k, "Hangul", "ours: mechanical Hangul syllables (reverse Revised Romanisation)",
                  SB_POSITIVE, n);

    uint64_t seed_two = 2, seed_drop = 3, seed_join = 5;
    for (size_t i = 0; i < n; i++) {
        bool by_year;
        int32_t e = map_name(v, un->n_names, un, unt.full_name[i], unt.dob[i], &by_year);
        if (e < 0)
            continue;
        k->yente_mapped++;
        k->yente_by_year += by_year;
        const char *id = un->ent[e].id;
        add_query(k, s_unt, unt.full_name[i], id);
        add_query(k, s_tre, tre.full_name[i], id);
        char a[1024], b[1024], tok[32][128];
        sb_peer_norm(unt.full_name[i], a, sizeof a);
        sb_peer_norm(tre.full_name[i], b, sizeof b);
        if (strcmp(a, b))
            add_query(k, s_chg, tre.full_name[i], id);

        const char *src = unt.full_name[i];
        snprintf(a, sizeof a, "%s", src);
        edit_once(a, sizeof a, &seed_two);
        edit_once(a, sizeof a, &seed_two);
        add_query(k, s_two, a, id);

        size_t nt = split_tokens(src, tok, 32);
        if (nt >= 3) {
            join_tokens(tok, nt, 1 + sb_rand(&seed_drop) % (nt - 2), SIZE_MAX, a, sizeof a);
            add_query(k, s_drop, a, id);
        }
        if (nt >= 2) {
            join_tokens(tok, nt, SIZE_MAX, sb_rand(&seed_join) % (nt - 1), a, sizeof a);
            add_query(k, s_join, a, id);
            join_tokens(tok, nt - 1, SIZE_MAX, SIZE_MAX, b, sizeof b);
            snprintf(a, sizeof a, "%s, %s", tok[nt - 1], b);
            add_query(k, s_rev, a, id);
        }
        if (sb_is_latin(src)) {
            sb_to_cyrillic(src, a, sizeof a);
            add_query(k, s_cyr, a, id);
            sb_to_arabic(src, a, sizeof a);
            add_query(k, s_ara, a, id);
            sb_to_hangul(src, a, sizeof a);
            add_query(k, s_han, a, id);
        }
    }
    k->yente_rows = n;
    free(v);
    rows_free(&unt);
    rows_free(&tre);

    static const char *const neg_files[] = {"negatives_global", "negatives_us"};
    static const char *const neg_names[] = {"negatives global", "negatives US"};
    for (size_t f = 0; f < 2; f++) {
        struct rows r = {.arena = &k->arena};
        snprintf(path, sizeof path, "%s/yente_screening_fixtures/%s.csv", dir, neg_files[f]);
        if (each_row(path, negatives, keep_row, &r))
            return -1;
        char about[96];
        snprintf(about, sizeof about, "first %zu rows of yente %s.csv (synthetic, not listed)", r.n,
                 neg_files[f]);
        struct sb_slice *s = new_slice(k, neg_names[f], about, SB_NEGATIVE, r.n);
        for (size_t i = 0; i < r.n; i++)
            add_query(k, s, r.full_name[i], NULL);
        rows_free(&r);
    }

    struct pairs p = {.k = k};
    snprintf(path, sizeof path, "%s/nomenklatura/name_bench_cases.csv", dir);
    if (each_row(path, SIZE_MAX, keep_pair, &p))
        return -1;
    return 0;
}

void sb_cases_free(struct sb_cases *k)
{
    free(k->pairs);
    ectl_arena_release(&k->arena);
    memset(k, 0, sizeof *k);
}

/* ---- Cross-script corpus --------------------------------------------------- */

static void csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int sb_cross_load(struct sb_cases *k, const char *dir, const char *csv_path)
{
    char path[4096];
    struct ectl_file f;
    struct ectl_error err = {0};
    snprintf(path, sizeof path, "%s/watchman/cross_script_pairs.csv", dir);
    if (ectl_file_open(&f, path, &err)) {
        fprintf(stderr, "bench_screen: %s\n", err.msg);
        return -1;
    }
    FILE *out = fopen(csv_path, "w");
    if (!out) {
        fprintf(stderr, "bench_screen: %s: %s\n", csv_path, strerror(errno));
        ectl_file_release(&f);
        return -1;
    }
    fputs("id,type,name,aliases,countries\n", out);
    struct sb_slice *s =
        new_slice(k, "cross-script pairs",
                  "watchman cross_script_pairs.csv: Arabic, Cyrillic, CJK, Hangul, "
                  "Greek, Hebrew, Thai query vs Latin name",
                  SB_POSITIVE, 64);
    s->cross = true;
    const char *ids[64], *names[64];
    size_t n_ent = 0;
    struct ectl_csv csv;
    ectl_csv_init(&csv, f.data, f.len, path, ECTL_CSV_COMMENTS);
    int rc;
    while ((rc = ectl_csv_next(&csv, &err)) == 1 && s->n < 64) {
        if (csv.n_fields < 2)
            continue;
        size_t e = 0;
        while (e < n_ent && strcmp(names[e], csv.fields[1]))
            e++;
        if (e == n_ent) {
            char id[16];
            snprintf(id, sizeof id, "x%02zu", e + 1);
            ids[e] = sb_strdup(&k->arena, id);
            names[e] = sb_strdup(&k->arena, csv.fields[1]);
            n_ent++;
            fprintf(out, "%s,person,", id);
            csv_field(out, csv.fields[1]);
            fputs(",,\n", out);
        }
        add_query(k, s, csv.fields[0], ids[e]);
        s->q[s->n - 1].expect_list = "crossscript";
    }
    ectl_csv_release(&csv);
    ectl_file_release(&f);
    fputs("putin,person,Vladimir Vladimirovich PUTIN,Vladimir Putin,RU\n", out);
    if (fclose(out) || rc < 0) {
        fprintf(stderr, "bench_screen: %s: cannot write or read\n", csv_path);
        return -1;
    }

    snprintf(path, sizeof path, "%s/nomenklatura/putin_names.txt", dir);
    FILE *in = fopen(path, "r");
    if (!in) {
        fprintf(stderr, "bench_screen: %s: %s\n", path, strerror(errno));
        return -1;
    }
    struct sb_slice *p =
        new_slice(k, "Putin spellings",
                  "nomenklatura putin_names.txt: 80 spellings in many scripts", SB_POSITIVE, 128);
    p->cross = true;
    char line[1024];
    while (p->n < 128 && fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        add_query(k, p, line, "putin");
        p->q[p->n - 1].expect_list = "crossscript";
    }
    fclose(in);
    return 0;
}

/* ---- Synthetic list ---------------------------------------------------------- */

struct pools {
    struct ectl_arena *arena;
    size_t skip, seen;
    size_t n_given, n_family, cap_given, cap_family;
    const char **given, **family;
};

static void pool_add(struct pools *p, const char ***v, size_t *n, size_t *cap, const char *s)
{
    if (!*s || strchr(s, ',') || strchr(s, '"'))
        return;
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 4096;
        *v = sb_xrealloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = sb_strdup(p->arena, s);
}

static int pool_row(void *ctx, const struct ectl_csv *csv)
{
    struct pools *p = ctx;
    if (p->seen++ < p->skip || csv->n_fields < 4)
        return 0;
    pool_add(p, &p->given, &p->n_given, &p->cap_given, csv->fields[1]);
    pool_add(p, &p->given, &p->n_given, &p->cap_given, csv->fields[2]);
    pool_add(p, &p->family, &p->n_family, &p->cap_family, csv->fields[3]);
    return 0;
}

int sb_synthetic_write(const char *dir, size_t skip, size_t n, const char *csv_path)
{
    static const char *const generic[] = {
        "Trading", "Holdings",     "Industries",    "Logistics",   "Shipping",
        "Group",   "Technologies", "International", "Engineering", "Import Export"};
    static const char *const legal[] = {"LLC",  "Ltd",     "GmbH", "JSC",
                                        "S.A.", "Co. Ltd", "FZE",  "OOO"};
    struct ectl_arena arena = ECTL_ARENA_INIT;
    struct pools p = {.arena = &arena, .skip = skip};
    char path[4096];
    static const char *const files[] = {"negatives_global", "negatives_us"};
    for (size_t f = 0; f < 2; f++) {
        p.seen = 0;
        snprintf(path, sizeof path, "%s/yente_screening_fixtures/%s.csv", dir, files[f]);
        if (each_row(path, SIZE_MAX, pool_row, &p))
            goto fail;
    }
    if (!p.n_given || !p.n_family) {
        fprintf(stderr, "bench_screen: no names past row %zu of the negatives files\n", skip);
        goto fail;
    }
    FILE *out = fopen(csv_path, "w");
    if (!out) {
        fprintf(stderr, "bench_screen: %s: %s\n", csv_path, strerror(errno));
        goto fail;
    }
    static char buf[1 << 20];
    setvbuf(out, buf, _IOFBF, sizeof buf);
    fputs("id,type,name,aliases,countries\n", out);
    uint64_t seed = 1000000;
    for (size_t i = 0; i < n && !sb_stop; i++) {
        uint64_t r = sb_rand(&seed), r2 = sb_rand(&seed);
        const char *g = p.given[r % p.n_given], *fam = p.family[(r >> 24) % p.n_family];
        if ((r >> 48) % 100 < 85) {
            const char *mid = (r >> 56) % 10 < 3 ? p.given[r2 % p.n_given] : NULL;
            const char *fam2 = (r2 >> 40) % 10 == 0 ? p.family[(r2 >> 20) % p.n_family] : NULL;
            fprintf(out, "s%07zu,person,%s%s%s %s%s%s,,\n", i + 1, g, mid ? " " : "",
                    mid ? mid : "", fam, fam2 ? " " : "", fam2 ? fam2 : "");
        } else {
            fprintf(out, "s%07zu,entity,%s %s %s,,\n", i + 1, fam, generic[r2 % 10],
                    legal[(r2 >> 8) % 8]);
        }
    }
    if (fclose(out) != 0 || sb_stop) {
        fprintf(stderr, "bench_screen: %s: not written\n", csv_path);
        goto fail;
    }
    free(p.given);
    free(p.family);
    ectl_arena_release(&arena);
    return 0;
fail:
    free(p.given);
    free(p.family);
    ectl_arena_release(&arena);
    return -1;
}
