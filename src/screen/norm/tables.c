/*
 * Word tables: legal forms, generic business words, honorifics.
 *
 * Every table is sorted (strcmp order), so that a reader finds a word and
 * a word is not listed twice; the unit tests check that it stays so
 * (table_self_check).  Entries are tokens as the
 * tokeniser makes them: lower-case ASCII, accents gone, dots gone
 * ("L.L.C." arrives as the letters l, l, c and is matched as "llc").
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "norm_int.h"

static const char *const LEGAL[] = {
    "ab",
    "ad",
    "ag",
    "aktiengesellschaft",
    "ao",
    "aps",
    "as",
    "asa",
    "berhad",
    "bhd",
    "bv",
    "cjsc",
    "co",
    "company",
    "corp",
    "corporation",
    "cv",
    "dac",
    "dd",
    "doo",
    "ehf",
    "eirl",
    "fzc",
    "fzco",
    "fze",
    "fzllc",
    "gbr",
    "gmbh",
    "gmbhco",
    "godogaisha",
    "godokaisha",
    "inc",
    "incorporated",
    "jsc",
    "jushikhoesa",
    "jusikhoesa",
    "kabushikigaisha",
    "kabushikikaisha",
    "kft",
    "kg",
    "kgaa",
    "kk",
    "kommanditgesellschaft",
    "ks",
    "lda",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "ltda",
    "mbh",
    "nv",
    "nyrt",
    "oao",
    "ojsc",
    "ooo",
    "oy",
    "oyj",
    "pao",
    "pjsc",
    "plc",
    "pllc",
    "prat",
    "psc",
    "pt",
    "pte",
    "pty",
    "pvt",
    "qpsc",
    "qsc",
    "sa",
    "sab",
    "sae",
    "sal",
    "saoc",
    "saog",
    "sarl",
    "sas",
    "sdn",
    "se",
    "sl",
    "spa",
    "spc",
    "sprl",
    "srl",
    "sro",
    "tbk",
    "tov",
    "wll",
    "yugengaisha",
    "yugenkaisha",
    "yuhanhoesa",
    "zao",
    "zrt",
};

static const char *const LEGAL_AMBIGUOUS[] = {
    "ab", "ad", "ag", "ao", "as", "bv",  "co", "cv", "dd",  "kk",
    "ks", "lp", "nv", "pt", "sa", "sal", "se", "sl", "spc",
};

/* Function words say nothing of who a name is, even less than a generic
 * word: "The Coca-Cola Company" is Coca-Cola Company and "Chase and Co."
 * is "Chase & Co.". */
static const char *const FUNCTION_WORDS[] = {"and", "for", "of", "the"};

static const char *const GENERIC[] = {
    "bank",        "boeki",      "business",    "capital",       "center",     "centre",
    "commercial",  "consulting", "development", "engineering",   "enterprise", "enterprises",
    "export",      "exports",    "factory",     "firm",          "general",    "global",
    "group",       "gruppa",     "holding",     "holdings",      "import",     "imports",
    "industrial",  "industries", "industry",    "international", "intl",       "investment",
    "investments", "kogyo",      "kompaniya",   "logistics",     "management", "manufacturing",
    "maoyi",       "muyeok",     "national",    "partners",      "products",   "resources",
    "sangsa",      "sangyo",     "service",     "services",      "shipping",   "shoji",
    "solutions",   "systems",    "tech",        "technologies",  "technology", "trade",
    "traders",     "trading",    "transport",   "ventures",      "works",      "zavod",
};

/* Titles before a name: honorifics, and the type prefixes of a ship's
 * name (MV, MT: "MV Hellenic Spirit" is the vessel Hellenic Spirit). */
static const char *const HONORIFIC[] = {
    "adm",         "admiral",      "alhaj",    "alhajj",       "ayatollah",  "bishop",
    "brig",        "brigadier",    "capt",     "captain",      "cmdr",       "col",
    "colonel",     "commander",    "dame",     "dr",           "elnok",      "excellency",
    "father",      "fr",           "frau",     "gen",          "general",    "hadji",
    "haji",        "hajji",        "herr",     "hojatoleslam", "honorable",  "honourable",
    "imam",        "lady",         "lord",     "lt",           "madam",      "madame",
    "maj",         "marshal",      "maulana",  "maulvi",       "miss",       "mister",
    "mlle",        "mme",          "monsieur", "mr",           "mrs",        "ms",
    "mt",          "mulla",        "mullah",   "mv",           "mx",         "prasident",
    "predsjednik", "presedintele", "presiden", "president",    "presidente", "prezident",
    "prof",        "professor",    "rabbi",    "rev",          "reverend",   "sayyid",
    "senhor",      "senhora",      "senor",    "senora",       "sergeant",   "seyyed",
    "sgt",         "shaikh",       "shaykh",   "sheik",        "sheikh",     "sheikha",
    "signor",      "signora",      "signore",  "sir",          "sr",         "sra",
};

/* Words that say "child of" and stand for a patronymic (Azerbaijani and
 * Turkic: "Ilham Heydar oglu Aliyev"). */
static const char *const PATRONYMIC_WORDS[] = {"gizi", "kizi", "kyzy", "ogli",
                                               "oglu", "ogly", "qizi"};

/* Endings of an East Slavic patronymic: Viktorovich, Sergeyevich,
 * Oleksandrovych, Ivanovna, Petrivna, Ilyinichna. */
static const char *const PATRONYMIC_ENDINGS[] = {"ovich",  "evich", "ovych", "evych", "ovitch",
                                                 "evitch", "ovna",  "evna",  "ivna",  "ichna"};

/* Short forms that are also words, initials or name particles.  Suffix
 * forms (CO, SA, AG, AS ...) count as a legal form only as the last word
 * of a name or just before another legal form; prefix forms (AO, PT) only
 * as the first word. */
static const char *const PREFIX_FORMS[] = {"ao", "pt"};

/* Legal forms of more than one word, written as their tokens. */
static const char *const PHRASES[] = {
    "aktsionernoe obshchestvo",
    "aktsionernoye obshchestvo",
    "besloten vennootschap",
    "closed joint stock company",
    "gesellschaft mit beschrankter haftung",
    "godo gaisha",
    "godo kaisha",
    "gu fen you xian gong si",
    "gufen youxian gongsi",
    "joint stock company",
    "joint stock co",
    "jusik hoesa",
    "kabushiki gaisha",
    "kabushiki kaisha",
    "limited liability company",
    "limited liability partnership",
    "limited partnership",
    "naamloze vennootschap",
    "obshchestvo s ogranichennoy otvetstvennostyu",
    "obshchestvo s ogranichennoi otvetstvennostiu",
    "obshestvo s ogranichennoy otvetstvennostyu",
    "open joint stock company",
    "otkrytoe aktsionernoe obshchestvo",
    "otkrytoye aktsionernoye obshchestvo",
    "private joint stock company",
    "private limited company",
    "public joint stock company",
    "public limited company",
    "publichnoe aktsionernoe obshchestvo",
    "publichnoye aktsionernoye obshchestvo",
    "s a de c v",
    "s de r l",
    "s de rl",
    "sa de cv",
    "sociedad anonima",
    "sociedad de responsabilidad limitada",
    "sociedad limitada",
    "sociedade anonima",
    "sociedade limitada",
    "societa a responsabilita limitata",
    "societate pe actiuni",
    "societatea cu raspundere limitata",
    "societatea pe actiuni",
    "societa per azioni",
    "societe a responsabilite limitee",
    "societe anonyme",
    "sp z o o",
    "spolka akcyjna",
    "spolka z ograniczona odpowiedzialnoscia",
    "tovarystvo z obmezhenoyu vidpovidalnistyu",
    "you xian gong si",
    "you xian ze ren gong si",
    "youxian gongsi",
    "youxian zeren gongsi",
    "yugen gaisha",
    "yugen kaisha",
    "zakrytoe aktsionernoe obshchestvo",
    "zakrytoye aktsionernoye obshchestvo",
};

/* Every word of the one-word tables, with the classes it is in, in one
 * open-addressing set made on first use: a token is looked up once per
 * class it is asked about, at a hash and (usually) one comparison each,
 * instead of a binary search of each table.  Built once per process
 * (pthread_once), read-only afterwards, so any thread may read it. */
enum {
    W_LEGAL = 1 << 0,
    W_AMBIGUOUS = 1 << 1,
    W_PREFIX = 1 << 2,
    W_GENERIC = 1 << 3,
    W_HONORIFIC = 1 << 4,
    W_FUNCTION = 1 << 5,
    W_PATRONYMIC = 1 << 6,
};
#define WORD_SLOTS 1024 /* a power of two, over twice the words */

struct word_slot {
    const char *w; /* NULL: empty */
    uint8_t len, classes;
};

static struct word_slot words[WORD_SLOTS];
/* The lengths of PATRONYMIC_ENDINGS and LEGAL, and which LEGAL forms have
 * ten letters or more (those a misspelling is looked for). */
static uint8_t ending_len[sizeof PATRONYMIC_ENDINGS / sizeof *PATRONYMIC_ENDINGS];
static uint8_t legal_len[sizeof LEGAL / sizeof *LEGAL];
static uint16_t long_legal[sizeof LEGAL / sizeof *LEGAL];
static size_t n_long_legal;
/* PHRASES[phrase_at[c] .. phrase_at[c + 1]) begin with the byte c;
 * phrase_first_len[p] is the length of the first word of PHRASES[p]. */
static uint16_t phrase_at[257];
static uint8_t phrase_first_len[sizeof PHRASES / sizeof *PHRASES];
/* Bit l of phrase_lens[c]: a phrase beginning with the byte c may begin
 * with a token of l letters (its first word's length, or one off it for a
 * word of five letters or more, which may be misspelt). */
static uint64_t phrase_lens[256];
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static uint32_t word_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void add_words(const char *const *tab, size_t n, unsigned cls)
{
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(tab[k]);
        size_t i = word_hash(tab[k], len) & (WORD_SLOTS - 1);
        while (words[i].w && !(words[i].len == len && !memcmp(words[i].w, tab[k], len)))
            i = (i + 1) & (WORD_SLOTS - 1);
        words[i].w = tab[k];
        words[i].len = (uint8_t)len;
        words[i].classes |= (uint8_t)cls;
    }
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

static void words_init(void)
{
    add_words(LEGAL, COUNT(LEGAL), W_LEGAL);
    add_words(LEGAL_AMBIGUOUS, COUNT(LEGAL_AMBIGUOUS), W_AMBIGUOUS);
    add_words(PREFIX_FORMS, COUNT(PREFIX_FORMS), W_PREFIX);
    add_words(GENERIC, COUNT(GENERIC), W_GENERIC);
    add_words(HONORIFIC, COUNT(HONORIFIC), W_HONORIFIC);
    add_words(FUNCTION_WORDS, COUNT(FUNCTION_WORDS), W_FUNCTION);
    add_words(PATRONYMIC_WORDS, COUNT(PATRONYMIC_WORDS), W_PATRONYMIC);
    /* PHRASES are in order of their first byte (table_self_check). */
    size_t p = 0;
    for (unsigned c = 0; c < 256; c++) {
        phrase_at[c] = (uint16_t)p;
        while (p < COUNT(PHRASES) && (unsigned char)PHRASES[p][0] == c)
            p++;
    }
    phrase_at[256] = (uint16_t)p;
    for (size_t k = 0; k < COUNT(PHRASES); k++) {
        size_t fl = strcspn(PHRASES[k], " ");
        phrase_first_len[k] = (uint8_t)fl;
        uint64_t *m = &phrase_lens[(unsigned char)PHRASES[k][0]];
        for (size_t l = fl >= 5 ? fl - 1 : fl; l <= (fl >= 5 ? fl + 1 : fl) && l < 64; l++)
            *m |= (uint64_t)1 << l;
    }
    for (size_t k = 0; k < COUNT(PATRONYMIC_ENDINGS); k++)
        ending_len[k] = (uint8_t)strlen(PATRONYMIC_ENDINGS[k]);
    for (size_t k = 0; k < COUNT(LEGAL); k++) {
        legal_len[k] = (uint8_t)strlen(LEGAL[k]);
        if (legal_len[k] >= 10)
            long_legal[n_long_legal++] = (uint16_t)k;
    }
}

static unsigned classes(const char *s, size_t len)
{
    pthread_once(&words_once, words_init);
    if (len == 0 || len > 255)
        return 0;
    for (size_t i = word_hash(s, len) & (WORD_SLOTS - 1); words[i].w;
         i = (i + 1) & (WORD_SLOTS - 1))
        if (words[i].len == len && !memcmp(words[i].w, s, len))
            return words[i].classes;
    return 0;
}

int table_is_legal(const char *s, size_t len)
{
    return (classes(s, len) & W_LEGAL) != 0;
}

int table_is_legal_ambiguous(const char *s, size_t len)
{
    unsigned c = classes(s, len);
    return c & W_PREFIX ? 2 : (c & W_AMBIGUOUS) != 0;
}

/* Abbreviations of generic words, written out: "First Bank Int'l" is
 * First International Bank. */
static const struct {
    const char *abbr;
    size_t len;
    const char *full;
} ABBREV[] = {
    {"intl", 4, "international"},
    {"mfg", 3, "manufacturing"},
    {"natl", 4, "national"},
};

const char *table_abbreviation(const char *s, size_t len)
{
    for (size_t i = 0; i < COUNT(ABBREV); i++)
        if (ABBREV[i].len == len && !memcmp(ABBREV[i].abbr, s, len))
            return ABBREV[i].full;
    return NULL;
}

unsigned table_word_flags(const char *s, size_t len)
{
    unsigned c = classes(s, len), f = 0;
    if (c & W_GENERIC)
        f |= ECTL_TOK_GENERIC;
    if (c & W_HONORIFIC)
        f |= ECTL_TOK_HONORIFIC;
    if (c & W_FUNCTION)
        f |= ECTL_TOK_FUNCTION;
    return f;
}

int table_is_patronymic(const char *s, size_t len)
{
    if (classes(s, len) & W_PATRONYMIC)
        return 1;
    /* A stem of three letters at least: "Bovich" is no patronymic.  Every
     * ending ends in h or a. */
    if (len < 7 || (s[len - 1] != 'h' && s[len - 1] != 'a'))
        return 0;
    for (size_t i = 0; i < COUNT(PATRONYMIC_ENDINGS); i++) {
        size_t el = ending_len[i];
        if (len >= el + 3 && !memcmp(s + len - el, PATRONYMIC_ENDINGS[i], el))
            return 1;
    }
    return 0;
}

/* Optimal string alignment distance of a and b if at most max, else
 * max + 1 (both at most 32 bytes). */
static size_t osa_small(const char *a, size_t la, const char *b, size_t lb, size_t max)
{
    if (la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > max)
        return max + 1;
    size_t d[33][33];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    /* No cell of a row is below the smallest of the row before (a swap
     * costs d[i-2][j-2] + 1, never less than d[i-1][j-1]), so once a whole
     * row is past max, so is the answer: most words are far from most
     * phrases, and this stops at their first letters. */
    for (size_t i = 1; i <= la; i++) {
        size_t row_min = d[i][0];
        for (size_t j = 1; j <= lb; j++) {
            size_t x = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < x)
                x = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < x)
                x = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < x)
                x = d[i - 2][j - 2] + 1;
            d[i][j] = x;
            if (x < row_min)
                row_min = x;
        }
        if (row_min > max)
            return max + 1;
    }
    return d[la][lb] > max ? max + 1 : d[la][lb];
}

/* osa_small(a, la, b, lb, 1) <= 1 in one pass: equal, or equal after the
 * first difference but for one letter changed, dropped, added, or two
 * swapped.  A letter dropped anywhere in a run of equal letters gives
 * the same string as dropping it at the run's end, where the first
 * difference is. */
static int osa_within_one(const char *a, size_t la, const char *b, size_t lb)
{
    if (la > 32 || lb > 32 || (la > lb ? la - lb : lb - la) > 1)
        return 0;
    size_t i = 0, n = la < lb ? la : lb;
    while (i < n && a[i] == b[i])
        i++;
    if (i == n)
        return 1;
    if (la == lb)
        return !memcmp(a + i + 1, b + i + 1, la - i - 1) ||
               (i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] &&
                !memcmp(a + i + 2, b + i + 2, la - i - 2));
    if (la > lb)
        return !memcmp(a + i + 1, b + i, lb - i);
    return !memcmp(a + i, b + i + 1, la - i);
}

int table_is_legal_misspelt(const char *s, size_t len)
{
    /* Only long forms: nothing else is an edit or two from
     * "aktiengesellschaft", while "corp" is an edit from "core". */
    if (len < 10)
        return 0;
    pthread_once(&words_once, words_init);
    for (size_t k = 0; k < n_long_legal; k++) {
        size_t i = long_legal[k], el = legal_len[i];
        size_t max = el >= 14 ? 2 : 1;
        if (max == 1 ? osa_within_one(s, len, LEGAL[i], el)
                     : osa_small(s, len, LEGAL[i], el, max) <= max)
            return 1;
    }
    return 0;
}

size_t table_legal_phrase(const char *const *tok, const uint16_t *len, size_t n)
{
    if (!n)
        return 0;
    pthread_once(&words_once, words_init);
    size_t best = 0;
    unsigned c0 = (unsigned char)tok[0][0];
    if (len[0] >= 64 || !(phrase_lens[c0] >> len[0] & 1))
        return 0;
    for (size_t p = phrase_at[c0]; p < phrase_at[c0 + 1]; p++) {
        /* The first word must be the token, or (five letters or more) an
         * edit from it, which changes the length by one at most. */
        size_t fl = phrase_first_len[p], l0 = len[0];
        if (fl != l0 && (fl < 5 || fl + 1 < l0 || l0 + 1 < fl))
            continue;
        const char *ph = PHRASES[p];
        size_t k = 0;
        while (k < n) {
            size_t wl = strcspn(ph, " ");
            /* A word of five letters or more may be misspelt by an edit
             * ("Joynt Stock Company"): the phrase around it says what it is. */
            if ((wl != len[k] || memcmp(ph, tok[k], wl)) &&
                (wl < 5 || !osa_within_one(ph, wl, tok[k], len[k])))
                break;
            k++;
            ph += wl;
            if (!*ph)
                break;
            ph++;
        }
        if (!*ph && k > best)
            best = k;
    }
    return best;
}

static int sorted(const char *const *tab, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (strcmp(tab[i - 1], tab[i]) >= 0)
            return 0;
    return 1;
}

int table_self_check(void)
{
    if (!sorted(LEGAL, COUNT(LEGAL)) || !sorted(LEGAL_AMBIGUOUS, COUNT(LEGAL_AMBIGUOUS)) ||
        !sorted(GENERIC, COUNT(GENERIC)) || !sorted(HONORIFIC, COUNT(HONORIFIC)) ||
        !sorted(PATRONYMIC_WORDS, COUNT(PATRONYMIC_WORDS)) ||
        !sorted(FUNCTION_WORDS, COUNT(FUNCTION_WORDS)))
        return 0;
    for (size_t i = 0; i < COUNT(LEGAL_AMBIGUOUS); i++)
        if (!table_is_legal(LEGAL_AMBIGUOUS[i], strlen(LEGAL_AMBIGUOUS[i])))
            return 0;
    /* The word set stays at most half full. */
    if (2 * (COUNT(LEGAL) + COUNT(LEGAL_AMBIGUOUS) + COUNT(PREFIX_FORMS) + COUNT(GENERIC) +
             COUNT(HONORIFIC) + COUNT(FUNCTION_WORDS) + COUNT(PATRONYMIC_WORDS)) >
        WORD_SLOTS)
        return 0;
    for (size_t i = 1; i < COUNT(PHRASES); i++)
        if ((unsigned char)PHRASES[i - 1][0] > (unsigned char)PHRASES[i][0])
            return 0;
    return 1;
}
