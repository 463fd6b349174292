/*
 * Screening benchmark (bench_screen): what its parts share.
 *
 * A corpus is a set of list files as every engine sees them: exportctl
 * builds its index from the files themselves, and the peers (pg_trgm and
 * the brute-force Jaro-Winkler scan) get the same (entity, name) rows, read
 * with exportctl's own importers so that nobody screens against different
 * names.  Queries come in slices (the yente positives as listed, with
 * typos, the changed-only subset, our own harder variants, the negatives);
 * a positive names the UN entity it must find.
 *
 * Everything here runs in one thread unless a function says otherwise.
 */
#ifndef ECTL_BENCH_SCREEN_BENCH_H
#define ECTL_BENCH_SCREEN_BENCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* Set by SIGINT/SIGTERM: every loop of the benchmark checks it and stops,
 * so that the PostgreSQL server and the temporary files are cleaned up. */
extern volatile sig_atomic_t sb_stop;

double sb_now(void);
uint64_t sb_rand(uint64_t *state);
/* realloc and an arena strdup that end the process when memory runs out
 * (a benchmark has nothing better to do). */
void *sb_xrealloc(void *p, size_t n);
char *sb_strdup(struct ectl_arena *a, const char *s);

/* ---- Corpus ------------------------------------------------------------ */

struct sb_entity {
    const char *list, *id;
    uint8_t type;                          /* enum ectl_entity_type */
    uint16_t birth_year_lo, birth_year_hi; /* 0 if unknown; for mapping positives */
    const char *years;                     /* every year in its dates of birth, "1965 1966" */
};

struct sb_name {
    uint32_t ent;
    const char *raw;  /* UTF-8 as listed */
    const char *norm; /* peer normalisation (sb_peer_norm), never empty */
};

struct sb_corpus {
    const char *label;
    const char *const *sources;
    size_t n_sources;
    const char *format; /* NULL: detect */
    size_t n_ent, n_names;
    struct sb_entity *ent;
    struct sb_name *names; /* distinct (entity, norm) rows, entity order */
    size_t raw_names;      /* names before de-duplication */
    /* open-addressing map "list\x1fid" -> entity index */
    uint32_t *slots;
    size_t n_slots;
    struct ectl_arena arena;
};

/* screen_corpus.c.  Read every source with ectl_ingest_file.  0, or -1 with a message on
 * standard error. */
int sb_corpus_load(struct sb_corpus *c);
void sb_corpus_free(struct sb_corpus *c);
/* Entity index of (list, id), or -1. */
int32_t sb_corpus_find(const struct sb_corpus *c, const char *list, const char *id);

/* ---- Peer normalisation ------------------------------------------------- */

/* What peers-baseline.md did for every peer: lower-case, apostrophes
 * dropped, every other character that is not a letter or a digit (Unicode
 * categories L and N) to one space, trimmed.  No accent folding, no
 * transliteration.  Writes at most cap-1 bytes plus NUL; returns the
 * length. */
size_t sb_peer_norm(const char *in, char *out, size_t cap);
/* True if every letter of s is in a Latin block. */
bool sb_is_latin(const char *s);

/* ---- Queries ----------------------------------------------------------- */

struct sb_query {
    const char *text;
    const char *expect_list, *expect; /* the entity it must find, or NULL (a negative) */
    bool latin;                       /* every letter is Latin script */
};

enum sb_slice_kind { SB_POSITIVE, SB_NEGATIVE };

#define SB_MAX_SLICES 24

struct sb_slice {
    char name[40];  /* short, for the table: "treated", "negatives global" */
    char about[96]; /* one line for the document */
    enum sb_slice_kind kind;
    bool cross; /* screened against the cross-script corpus, not the lists */
    size_t n;
    struct sb_query *q;
};

struct sb_cases {
    size_t n_slices;
    struct sb_slice slices[SB_MAX_SLICES];
    size_t yente_rows, yente_mapped, yente_by_year;
    /* nomenklatura name pairs */
    size_t n_pairs;
    struct sb_pair {
        const char *a, *b;
        uint8_t type; /* enum ectl_entity_type of the schema */
        bool match;
    } * pairs;
    struct ectl_arena arena;
};

/* Load the yente positives and negatives, map the positives to UN entities
 * of un (exact normalised name, else name + birth year), derive the
 * changed-only slice and our harder slices, read the nomenklatura pairs.
 * negatives: how many rows of each negatives file. */
int sb_cases_load(struct sb_cases *k, const char *cases_dir, const struct sb_corpus *un,
                  size_t negatives);
void sb_cases_free(struct sb_cases *k);
/* Write the cross-script corpus (a simple-csv list "crossscript": the Latin
 * names of watchman's cross_script_pairs.csv and Vladimir Putin) to
 * csv_path and add its two slices (cross-script pairs, Putin spellings). */
int sb_cross_load(struct sb_cases *k, const char *cases_dir, const char *csv_path);
/* Write a simple-csv list "synthetic" of n names (85 % persons, 15 %
 * companies) made of the given and family names of the negatives files
 * past row skip (the rows screened as negatives are not used), seeded. */
int sb_synthetic_write(const char *cases_dir, size_t skip, size_t n, const char *csv_path);

/* Mechanical transliteration of a Latin name (sb_translit.c): Russian-style
 * Cyrillic, consonantal Arabic script, Hangul syllables.  Write at most
 * cap-1 bytes plus NUL. */
void sb_to_cyrillic(const char *in, char *out, size_t cap);
void sb_to_arabic(const char *in, char *out, size_t cap);
void sb_to_hangul(const char *in, char *out, size_t cap);

/* ---- Engines ----------------------------------------------------------- */

struct sb_hit {
    int32_t ent; /* index into the corpus, or -1 for a result the corpus does not know */
    float score;
};

#define SB_TOP 10

/* One query: fills up to SB_TOP hits, best first, and returns the seconds
 * the engine took (its own call only), or a negative number on failure. */
typedef double (*sb_query_fn)(void *self, const char *text, struct sb_hit *hits, size_t *n);

/* ---- Brute-force Jaro-Winkler (screen_jw.c) ------------------------------ */

struct sb_jw;
struct sb_jw *sb_jw_new(const struct sb_corpus *c);
void sb_jw_free(struct sb_jw *j);
size_t sb_jw_bytes(const struct sb_jw *j);
/* Thread-safe with one sb_jw_ctx per thread. */
struct sb_jw_ctx;
struct sb_jw_ctx *sb_jw_ctx_new(struct sb_jw *j);
void sb_jw_ctx_free(struct sb_jw_ctx *x);
double sb_jw_query(void *ctx, const char *text, struct sb_hit *hits, size_t *n);
/* Token-sorted JW of two names after peer normalisation. */
double sb_jw_pair(const char *a, const char *b);

/* ---- PostgreSQL pg_trgm (screen_pg.c) ------------------------------------ */

struct sb_pg;
/* Start a private server (initdb under tmpdir), or NULL with the reason in
 * why. */
struct sb_pg *sb_pg_start(const char *tmpdir, char *why, size_t cap);
void sb_pg_stop(struct sb_pg *p);
const char *sb_pg_version(struct sb_pg *p);
/* Load a corpus into its own table and build the GIN index; seconds and
 * bytes of the COPY and the index. */
struct sb_pg_load {
    double copy_s, index_s;
    uint64_t table_bytes, index_bytes;
};
int sb_pg_load(struct sb_pg *p, const struct sb_corpus *c, const char *table,
               struct sb_pg_load *out);
/* A client connection with the query prepared against table at threshold
 * t; one per thread. */
struct sb_pg_conn;
struct sb_pg_conn *sb_pg_connect(struct sb_pg *p, const char *table, double t);
void sb_pg_disconnect(struct sb_pg_conn *c);
double sb_pg_query(void *conn, const char *text, struct sb_hit *hits, size_t *n);
/* similarity() of two normalised names, or -1. */
double sb_pg_pair(struct sb_pg_conn *c, const char *a, const char *b);
/* The round trip alone: EXECUTE of SELECT $1. */
double sb_pg_floor(struct sb_pg_conn *c);

#endif
