/*
 * The compiled screening index: on-disk layout (internal).
 *
 * One file, written by ectl_lists_build() and used in place through mmap by
 * ectl_index_open().  docs/index-format.md describes the same layout with
 * tables; the two must be changed together, and a change that an old reader
 * would misread bumps ECTL_IX_VERSION.
 *
 *   offset 0      struct ectl_ix_header (128 bytes)
 *   128           section table: n_sections x struct ectl_ix_section
 *   ...           sections, each starting on an 8-byte boundary
 *
 * Every integer is in the byte order of the machine that wrote the file
 * (the endian field tells a reader whether that is its own); floats are
 * IEEE 754 binary32.  References between sections are 32-bit indexes into
 * arrays or byte offsets into the string pool.  ectl_index_open() checks
 * every one of them before the index is used, so the query code may
 * dereference them without checks.
 */
#ifndef ECTL_SCREEN_INDEX_FORMAT_H
#define ECTL_SCREEN_INDEX_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define ECTL_IX_MAGIC "ECTLIDX\x1a"
#define ECTL_IX_VERSION 3u
#define ECTL_IX_ENDIAN 0x01020304u
#define ECTL_IX_HEADER_SIZE 128u
#define ECTL_IX_ALIGN 8u
#define ECTL_IX_NONE 0xffffffffu /* "no such record" in a 32-bit reference */

struct ectl_ix_header {
    char magic[8];          /* ECTL_IX_MAGIC */
    uint32_t version;       /* ECTL_IX_VERSION */
    uint32_t endian;        /* ECTL_IX_ENDIAN as written */
    uint64_t file_size;     /* the whole file, header included */
    uint64_t checksum;      /* ectl_ix_checksum() of the file */
    uint32_t header_size;   /* ECTL_IX_HEADER_SIZE */
    uint32_t n_sections;    /* entries in the section table */
    uint64_t section_table; /* offset of the section table (ECTL_IX_HEADER_SIZE) */
    int64_t built_at;       /* seconds since the epoch, UTC */
    char built_at_text[24]; /* "YYYY-MM-DDTHH:MM:SSZ", NUL-padded */
    uint32_t n_entities;    /* quick consistency checks; equal to the section counts */
    uint32_t n_names;
    uint32_t n_terms;
    uint32_t n_lists;
    float w_unknown;        /* weight of a query token the index has never seen */
    uint32_t flags;         /* 0; reserved */
    uint8_t reserved[128 - 104];
};

/* Section ids.  A reader rejects a file that lacks one it needs or that
 * repeats one; ids it does not know are skipped (room for additions that do
 * not change the meaning of the others). */
enum ectl_ix_section_id {
    ECTL_IX_STRINGS = 1,    /* char[]: NUL-terminated strings; byte 0 is "" */
    ECTL_IX_LISTS = 2,      /* struct ectl_ix_list[] */
    ECTL_IX_ENTITIES = 3,   /* struct ectl_ix_entity[] */
    ECTL_IX_NAMES = 4,      /* struct ectl_ix_name[] */
    ECTL_IX_NAME_TERMS = 5, /* uint32_t[]: term ids of every name, name after name */
    ECTL_IX_TERMS = 6,      /* struct ectl_ix_term[] */
    ECTL_IX_TERM_HASH = 7,  /* uint64_t[2^k]: ECTL_IX_SLOT(hash, term id), 0 = empty */
    ECTL_IX_POSTINGS = 8,   /* uint32_t[]: name ids per term, ascending */
    ECTL_IX_PKEYS = 9,      /* struct ectl_ix_pkey[] */
    ECTL_IX_PKEY_HASH = 10, /* uint64_t[2^k]: ECTL_IX_SLOT(hash, key id), 0 = empty */
    ECTL_IX_PKEY_TERMS = 11, /* uint32_t[]: ECTL_IX_GRAM_ENTRY(len, term) per key, ascending */
    ECTL_IX_GRAM_OFFS = 12,  /* uint32_t[ECTL_IX_GRAMS + 1]: start of each trigram's terms */
    ECTL_IX_GRAM_TERMS = 13, /* uint32_t[]: ECTL_IX_GRAM_ENTRY(len, term) per trigram, ascending */
    ECTL_IX_GRAM_STOP = 14,  /* uint8_t[(ECTL_IX_GRAMS + 7) / 8]: trigrams left unindexed */
    ECTL_IX_DEL_OFFS = 15,   /* uint32_t[2^k + 1]: start of each deletion bucket */
    ECTL_IX_DEL_ENTRIES = 16, /* uint64_t[]: ECTL_IX_DEL_ENTRY(hash, term) per bucket */
    ECTL_IX_NEIGH_OFFS = 17,  /* uint32_t[n_terms + 1]: start of each term's neighbours */
    ECTL_IX_NEIGH = 18,       /* uint32_t[]: ECTL_IX_NEIGH_ENTRY(term, q) best first */
    ECTL_IX_TERM_LETTERS = 19, /* struct ectl_ix_letters[n_terms] */
};
#define ECTL_IX_SECTION_MAX 19

struct ectl_ix_section {
    uint32_t id;
    uint32_t elem_size; /* size of one element: the length is a multiple of it */
    uint64_t offset;    /* from the start of the file; a multiple of ECTL_IX_ALIGN */
    uint64_t length;    /* bytes */
};

struct ectl_ix_list {
    uint32_t name;   /* string: list id ("us-ofac-sdn") */
    uint32_t format; /* string: source format ("ofac-csv") */
    uint32_t date;   /* string: list date "YYYY-MM-DD" or "" */
    uint32_t pad;
    uint64_t entities;
    uint64_t names;
    uint64_t by_type[5]; /* indexed by enum ectl_entity_type */
};

struct ectl_ix_entity {
    uint32_t list;       /* index into LISTS */
    uint32_t id;         /* string: the list's own id */
    uint32_t name;       /* string: the primary name as the list writes it */
    uint32_t programs;   /* string: programs joined with ';' */
    uint32_t countries;  /* string: ISO alpha-2 codes joined with ';' */
    uint32_t first_name; /* index into NAMES of the entity's first name */
    uint16_t n_names;    /* its names are first_name .. first_name + n_names - 1 */
    uint16_t type;       /* enum ectl_entity_type */
};

/* One searchable spelling: a name of an entity in one normalised variant. */
struct ectl_ix_name {
    uint32_t entity;   /* index into ENTITIES */
    uint32_t text;     /* string: the name as the list writes it */
    uint32_t first;    /* index into NAME_TERMS of its first token */
    uint8_t n_tokens;  /* 1 .. ECTL_IX_MAX_TOKENS */
    uint8_t kind;      /* enum ectl_name_kind */
    uint8_t variant;   /* which reading of the name (0 = most likely) */
    uint8_t flags;     /* 0; reserved */
};
#define ECTL_IX_MAX_TOKENS 32

enum ectl_ix_term_flags {
    ECTL_IX_T_LEGAL = 1 << 0,     /* legal-form class (ECTL_TOK_LEGAL_FORM) */
    ECTL_IX_T_HONORIFIC = 1 << 1, /* ECTL_TOK_HONORIFIC */
    ECTL_IX_T_GENERIC = 1 << 2,   /* ECTL_TOK_GENERIC */
    ECTL_IX_T_DIGITS = 1 << 3,    /* contains a digit: matches only itself */
    ECTL_IX_T_INITIAL = 1 << 4,   /* one letter: an initial, or a letter of an acronym */
    ECTL_IX_T_PATRONYMIC = 1 << 5, /* ECTL_TOK_PATRONYMIC */
    ECTL_IX_T_FUNCTION = 1 << 6,  /* ECTL_TOK_FUNCTION: the, and, of, for */
};

struct ectl_ix_term {
    uint32_t text;     /* string: the normalised token (lower-case ASCII letters and digits) */
    uint32_t post_off; /* index into POSTINGS */
    uint32_t post_len; /* number of names that contain the token */
    uint32_t pkey;     /* index into PKEYS, or ECTL_IX_NONE */
    uint32_t df;       /* number of entities one of whose names contains the token */
    float weight;      /* rarity weight, flags already applied; >= 0 */
    uint16_t len;      /* strlen(text), 1 .. ECTL_IX_MAX_TOKEN_LEN */
    uint16_t flags;    /* enum ectl_ix_term_flags */
};
#define ECTL_IX_MAX_TOKEN_LEN 255

/* A term's letters as the similarity bound counts them (sim.h,
 * ectl_sim_letters_bound_counts), with what else a token similarity asks
 * of the term before that bound, so that a pair the bound rules out (most
 * pairs) reads this one record: neither the term's record nor its text.
 * Over the term's first 64 bytes (JARO_MAX): bit c of ge[k] (c 1-36) is
 * set when letter code c (sim.c: 1-10 the digits, 11-36 a-z) occurs more
 * than k times.  The bits above hold the term's length and flags and the
 * slow mark (ECTL_IX_LETTERS_*): slow when a letter occurs more than three
 * times or a byte is no digit or lower-case letter, and the bound must
 * then be counted from the text.  head is the first four bytes,
 * zero-padded; pkey is the term's. */
struct ectl_ix_letters {
    uint64_t ge[3];
    uint32_t head;
    uint32_t pkey;
};
#define ECTL_IX_LETTERS_INFO(len, flags, slow)                                                 \
    ((uint64_t)((len) & 0xffu) << 40 | (uint64_t)((flags) & 0xffffu) << 48 |                 \
     (uint64_t)((slow) != 0) << 39)
#define ECTL_IX_LETTERS_LEN(l) ((uint32_t)((l)->ge[0] >> 40) & 0xffu)
#define ECTL_IX_LETTERS_FLAGS(l) ((uint16_t)((l)->ge[0] >> 48))
#define ECTL_IX_LETTERS_SLOW(l) ((uint32_t)((l)->ge[0] >> 39) & 1u)

struct ectl_ix_pkey {
    uint32_t text; /* string: the key as ectl_norm_phonetic_key() writes it */
    uint32_t off;  /* index into PKEY_TERMS */
    uint32_t len;  /* number of terms with this key */
    uint32_t pad;
};

/* The sizes docs/index-format.md gives. */
_Static_assert(sizeof(struct ectl_ix_section) == 24, "section entry is 24 bytes");
_Static_assert(sizeof(struct ectl_ix_list) == 72, "list record is 72 bytes");
_Static_assert(sizeof(struct ectl_ix_entity) == 28, "entity record is 28 bytes");
_Static_assert(sizeof(struct ectl_ix_name) == 16, "name record is 16 bytes");
_Static_assert(sizeof(struct ectl_ix_term) == 28, "term record is 28 bytes");
_Static_assert(sizeof(struct ectl_ix_pkey) == 16, "phonetic key record is 16 bytes");

/* Trigrams over "^" token "$" in a 37-letter alphabet: 0 is the boundary,
 * 1-10 the digits, 11-36 the letters; a token of n bytes has n trigrams. */
#define ECTL_IX_GRAM_ALPHA 37u
#define ECTL_IX_GRAMS (ECTL_IX_GRAM_ALPHA * ECTL_IX_GRAM_ALPHA * ECTL_IX_GRAM_ALPHA)

/* A trigram or phonetic-key posting: the term's length in the top 8 bits,
 * its id in the low 24, so that a list sorted ascending is sorted by
 * length and a query finds the terms of the lengths it wants by binary
 * search. */
#define ECTL_IX_GRAM_TERM_MAX (1u << 24)
#define ECTL_IX_GRAM_ENTRY(len, term) (((uint32_t)(len) << 24) | (uint32_t)(term))
#define ECTL_IX_GRAM_ENTRY_TERM(e) ((e) & (ECTL_IX_GRAM_TERM_MAX - 1))
#define ECTL_IX_GRAM_ENTRY_LEN(e) ((e) >> 24)

static inline unsigned ectl_ix_gram_char(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return 11u + (unsigned)(c - 'a');
    if (c >= '0' && c <= '9')
        return 1u + (unsigned)(c - '0');
    return 0u;
}

/* The i-th trigram (0 <= i < len) of a token. */
static inline uint32_t ectl_ix_gram(const char *tok, size_t len, size_t i)
{
    unsigned a = i == 0 ? 0u : ectl_ix_gram_char((unsigned char)tok[i - 1]);
    unsigned b = ectl_ix_gram_char((unsigned char)tok[i]);
    unsigned c = i + 1 >= len ? 0u : ectl_ix_gram_char((unsigned char)tok[i + 1]);
    return (a * ECTL_IX_GRAM_ALPHA + b) * ECTL_IX_GRAM_ALPHA + c;
}

/* One-letter deletions (typos within one edit, as in SymSpell): every
 * term of at least ECTL_IX_DEL_MIN letters without digits is filed under
 * the hash of each string it gives with one letter deleted, in bucket
 * hash & (buckets - 1).  A query finds the terms one edit away from a
 * token by looking up the token and its own deletions. */
#define ECTL_IX_DEL_MIN 4
#define ECTL_IX_DEL_ENTRY(hash, term) (((uint64_t)(hash) << 32) | (uint32_t)(term))
#define ECTL_IX_DEL_ENTRY_HASH(e) ((uint32_t)((e) >> 32))
#define ECTL_IX_DEL_ENTRY_TERM(e) ((uint32_t)(e))

/* A term's neighbours: the terms a query token equal to it expands to
 * (one edit away, or said alike and close), found at build time with the
 * search's own expansion and stored so that a query for a listed token
 * reads them instead of searching.  q is the similarity times 255. */
#define ECTL_IX_NEIGH_ENTRY(term, q) (((uint32_t)(term) << 8) | ((uint32_t)(q) & 0xffu))
#define ECTL_IX_NEIGH_TERM(e) ((e) >> 8)
#define ECTL_IX_NEIGH_SIM(e) ((float)((e) & 0xffu) / 255.0f)

/* Hash of a token or phonetic key for the TERM_HASH and PKEY_HASH tables:
 * 32-bit FNV-1a.  Slots are probed linearly from hash & (size - 1).  The
 * deletion buckets use the same hash.
 *
 * A slot holds the key's hash beside its id + 1, so that a look-up passes
 * over slots of other keys without reading their records and strings:
 * most look-ups (a query token's deletions and splits) are of strings the
 * lists lack, and each record read is a cache miss. */
#define ECTL_IX_SLOT(hash, id) (((uint64_t)(hash) << 32) | ((uint32_t)(id) + 1u))
#define ECTL_IX_SLOT_HASH(e) ((uint32_t)((e) >> 32))
#define ECTL_IX_SLOT_ID(e) ((uint32_t)(e) - 1u) /* only for a slot that is not 0 */
#define ECTL_IX_SLOT_EMPTY(e) ((uint32_t)(e) == 0)
#define ECTL_IX_HASH_SEED 2166136261u

/* One byte more of ectl_ix_hash: the hashes of all prefixes of a string
 * come in one pass. */
static inline uint32_t ectl_ix_hash_step(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}

static inline uint32_t ectl_ix_hash(const char *s, size_t len)
{
    uint32_t h = ECTL_IX_HASH_SEED;
    for (size_t i = 0; i < len; i++)
        h = ectl_ix_hash_step(h, (unsigned char)s[i]);
    return h;
}

/* The weight of a token that occurs in df of n entities (df 0: a token the
 * index has never seen), flags (enum ectl_ix_term_flags) applied: inverse
 * document frequency over entities, so that a name repeated in an entity's
 * aliases counts once, times ectl_ix_flag_factor().  The builder stores it
 * per term; the query uses it for tokens the index lacks. */
float ectl_ix_weight(uint32_t df, uint32_t n, unsigned flags);

/* The term flags (enum ectl_ix_term_flags) of a token of text[0..len)
 * whose normaliser flags (ECTL_TOK_*) are tok_flags.  The builder and the
 * query side both call it, so that a query token is classed as the same
 * listed token would be. */
unsigned ectl_ix_term_flags(unsigned tok_flags, const char *text, size_t len);

/* How much less a legal form, an honorific or a generic business word
 * weighs than an ordinary token of the same rarity (1 for ordinary). */
float ectl_ix_flag_factor(unsigned flags);

/* The file's checksum: XXH64 of everything after the header, seeded with
 * XXH64 (seed 0) of the header with its checksum field zero.  len is the
 * whole file and at least ECTL_IX_HEADER_SIZE. */
uint64_t ectl_ix_checksum(const void *data, size_t len);

/* XXH64 of one buffer (exposed for the tests). */
uint64_t ectl_ix_xxh64(const void *data, size_t len, uint64_t seed);

#endif
