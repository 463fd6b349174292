/*
 * Hangul to Latin.
 *
 * ICU's Hangul-Latin gives the Revised Romanisation (강경화 "gang
 * gyeonghwa"), which is not how Korean names are written in passports and
 * on sanctions lists.  Those use common usage (South: KANG Kyung-wha, LEE,
 * PARK, CHOI) or the DPRK's own McCune-Reischauer-like system (KIM Jong Un,
 * RI Yong Ho, PAK Pong Ju, CHOE Ryong Hae).  So a Korean person's name
 * gets four variants:
 *   0  South common usage, given-name syllables as words: kang kyung hwa
 *   1  DPRK / McCune-Reischauer without breves:          kang kyong hwa
 *   2  Revised Romanisation:                              gang gyeong hwa
 *   3  South common usage, given name joined:             kang kyunghwa
 * with the surname from a table (Lee, Park, Choi ... are not what the
 * letter rules give).  Other Hangul words (companies, foreign names written
 * in Hangul) get common usage joined (삼성 samsung, 현대 hyundae), a
 * loanword reading that drops the vowel ㅡ Korean inserts between foreign
 * consonants (블라디미르 -> bladimir), and the Revised Romanisation.
 */
#include <string.h>

#include "norm_int.h"

enum style { ST_SOUTH, ST_NORTH, ST_RR, ST_LOAN };

static const char *const INIT[3][19] = {
    /* ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ */
    {"k", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
     "h"},
    {"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th",
     "ph", "h"},
    {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
     "h"},
};

/* ㅏ ㅐ ㅑ ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ */
static const char *const VOW_RR[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                       "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                       "wo", "we", "wi", "yu",  "eu", "ui", "i"};
static const char *const VOW_NORTH[21] = {"a",  "ae", "ya", "yae", "o",  "e",  "yo",
                                          "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                          "wo", "we", "wi", "yu",  "u",  "ui", "i"};
/* South common usage: ㅓ/ㅕ are eo/yeo in an open syllable but u/yu before
 * a final (jung, sung, kyung, hyun); ㅜ is oo when open (soo, joo). */
static const char *const VOW_SOUTH_OPEN[21] = {"a",  "ae", "ya", "yae", "eo", "e",  "yeo",
                                               "ye", "o",  "wa", "wae", "oe", "yo", "oo",
                                               "wo", "we", "wi", "yu",  "eu", "ui", "i"};
static const char *const VOW_SOUTH_CLOSED[21] = {"a",  "ae", "ya", "yae", "u",  "e",  "yu",
                                                 "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                                 "wo", "we", "wi", "yu",  "eu", "ui", "i"};
static const char *const FIN[28] = {"",  "k",  "k", "k", "n", "n", "n", "t", "l", "k",
                                    "m", "l",  "l", "l", "p", "l", "m", "p", "p", "t",
                                    "t", "ng", "t", "t", "k", "t", "p", "t"};

enum { L_G = 0, L_N = 2, L_R = 5, L_S = 9, L_NG = 11, L_J = 12, L_CH = 14, L_H = 18 };
enum { V_EO = 4, V_YEO = 6, V_U = 13, V_EU = 18, V_UI = 19, V_I = 20 };
enum { F_N = 4, F_L = 8, F_NG = 21 };

/* The most common surnames: South common usage, DPRK, RR. */
static const struct surname {
    const char *hangul;
    const char *rom[3];
} SURNAMES[] = {
    {"김", {"kim", "kim", "gim"}},
    {"이", {"lee", "ri", "yi"}},
    {"리", {"ri", "ri", "ri"}},
    {"박", {"park", "pak", "bak"}},
    {"최", {"choi", "choe", "choe"}},
    {"정", {"jung", "jong", "jeong"}},
    {"강", {"kang", "kang", "gang"}},
    {"조", {"cho", "jo", "jo"}},
    {"윤", {"yoon", "yun", "yun"}},
    {"장", {"jang", "jang", "jang"}},
    {"임", {"lim", "rim", "im"}},
    {"림", {"lim", "rim", "rim"}},
    {"한", {"han", "han", "han"}},
    {"오", {"oh", "o", "o"}},
    {"서", {"seo", "so", "seo"}},
    {"신", {"shin", "sin", "sin"}},
    {"권", {"kwon", "kwon", "gwon"}},
    {"황", {"hwang", "hwang", "hwang"}},
    {"안", {"ahn", "an", "an"}},
    {"송", {"song", "song", "song"}},
    {"류", {"ryu", "ryu", "ryu"}},
    {"유", {"yoo", "yu", "yu"}},
    {"전", {"jeon", "jon", "jeon"}},
    {"홍", {"hong", "hong", "hong"}},
    {"고", {"ko", "ko", "go"}},
    {"문", {"moon", "mun", "mun"}},
    {"양", {"yang", "ryang", "yang"}},
    {"량", {"yang", "ryang", "ryang"}},
    {"손", {"son", "son", "son"}},
    {"배", {"bae", "pae", "bae"}},
    {"백", {"baek", "paek", "baek"}},
    {"허", {"heo", "ho", "heo"}},
    {"남", {"nam", "nam", "nam"}},
    {"심", {"shim", "sim", "sim"}},
    {"노", {"noh", "no", "no"}},
    {"로", {"ro", "ro", "ro"}},
    {"하", {"ha", "ha", "ha"}},
    {"곽", {"kwak", "kwak", "gwak"}},
    {"성", {"sung", "song", "seong"}},
    {"차", {"cha", "cha", "cha"}},
    {"주", {"joo", "ju", "ju"}},
    {"우", {"woo", "u", "u"}},
    {"구", {"koo", "ku", "gu"}},
    {"민", {"min", "min", "min"}},
    {"진", {"jin", "jin", "jin"}},
    {"나", {"na", "na", "na"}},
    {"라", {"ra", "ra", "ra"}},
    {"지", {"ji", "ji", "ji"}},
    {"엄", {"um", "om", "eom"}},
    {"변", {"byun", "pyon", "byeon"}},
    {"채", {"chae", "chae", "chae"}},
    {"원", {"won", "won", "won"}},
    {"방", {"bang", "pang", "bang"}},
    {"천", {"chun", "chon", "cheon"}},
    {"현", {"hyun", "hyon", "hyeon"}},
    {"함", {"ham", "ham", "ham"}},
    {"염", {"yeom", "yom", "yeom"}},
    {"여", {"yeo", "yo", "yeo"}},
    {"추", {"choo", "chu", "chu"}},
    {"석", {"seok", "sok", "seok"}},
    {"선", {"sun", "son", "seon"}},
    {"설", {"sul", "sol", "seol"}},
    {"마", {"ma", "ma", "ma"}},
    {"길", {"gil", "kil", "gil"}},
    {"연", {"yeon", "yon", "yeon"}},
    {"위", {"wi", "wi", "wi"}},
    {"표", {"pyo", "pyo", "pyo"}},
    {"명", {"myung", "myong", "myeong"}},
    {"기", {"ki", "ki", "gi"}},
    {"반", {"ban", "pan", "ban"}},
    {"왕", {"wang", "wang", "wang"}},
    {"금", {"keum", "kum", "geum"}},
    {"옥", {"ok", "ok", "ok"}},
    {"육", {"yook", "yuk", "yuk"}},
    {"인", {"in", "in", "in"}},
    {"맹", {"maeng", "maeng", "maeng"}},
    {"제", {"je", "je", "je"}},
    {"모", {"mo", "mo", "mo"}},
    {"탁", {"tak", "thak", "tak"}},
    {"국", {"kook", "kuk", "guk"}},
    {"편", {"pyun", "phyon", "pyeon"}},
    {"용", {"yong", "ryong", "yong"}},
    {"태", {"tae", "thae", "tae"}},
    {"봉", {"bong", "pong", "bong"}},
    {"계", {"kye", "kye", "gye"}},
    {"도", {"do", "to", "do"}},
    {"승", {"seung", "sung", "seung"}},
    {"공", {"kong", "kong", "gong"}},
    {"남궁", {"namgung", "namgung", "namgung"}},
    {"제갈", {"jegal", "jegal", "jegal"}},
    {"선우", {"sunwoo", "sonu", "seonu"}},
    {"황보", {"hwangbo", "hwangbo", "hwangbo"}},
    {"독고", {"dokgo", "tokko", "dokgo"}},
    {"사공", {"sagong", "sagong", "sagong"}},
    {"서문", {"seomun", "somun", "seomun"}},
};

/* Decode the UTF-8 of a table entry into at most two syllables. */
static size_t decode2(const char *s, int32_t out[2])
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < 2) {
        /* Hangul syllables are three-byte sequences */
        out[n++] = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        p += 3;
    }
    return n;
}

/* Surname at the start of s: its table entry and length in syllables (the
 * two-syllable surnames only when a given name follows). */
static const struct surname *surname_at(const int32_t *s, size_t len, size_t *slen)
{
    for (size_t i = 0; i < sizeof SURNAMES / sizeof *SURNAMES; i++) {
        int32_t h[2];
        size_t k = decode2(SURNAMES[i].hangul, h);
        if (k > len || (k == 2 && len < 3))
            continue;
        if (h[0] == s[0] && (k == 1 || h[1] == s[1])) {
            /* prefer the two-syllable surname: they come last in the table */
            const struct surname *best = &SURNAMES[i];
            *slen = k;
            for (size_t j = i + 1; j < sizeof SURNAMES / sizeof *SURNAMES; j++) {
                int32_t g[2];
                size_t m = decode2(SURNAMES[j].hangul, g);
                if (m == 2 && len >= 3 && g[0] == s[0] && g[1] == s[1]) {
                    *slen = 2;
                    return &SURNAMES[j];
                }
            }
            return best;
        }
    }
    return NULL;
}

int hangul_looks_like_person(const int32_t *s, size_t len, size_t n_words)
{
    if (len < 1)
        return 0;
    size_t slen;
    if (!surname_at(s, len, &slen))
        return 0;
    if (n_words >= 2) /* checking the first word of several: a surname alone */
        return len == slen;
    /* One word: surname + a two-syllable given name (the usual Korean
     * name, 강경화), or one or two after a two-syllable surname.  Two
     * syllables in one word are more often a company or a place (현대,
     * 한화, 기아) than a person. */
    size_t given = len - slen;
    return slen == 1 ? given == 2 : given >= 1 && given <= 2;
}

int hangul_is_legal(const int32_t *s, size_t len)
{
    static const char *const FORMS[] = {"주식회사", "유한회사", "유한책임회사", "합자회사",
                                        "합명회사"};
    for (size_t i = 0; i < sizeof FORMS / sizeof *FORMS; i++) {
        const unsigned char *p = (const unsigned char *)FORMS[i];
        size_t k = 0;
        while (*p && k < len) {
            int32_t c = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            if (c != s[k])
                break;
            p += 3;
            k++;
        }
        if (!*p && k == len)
            return 1;
    }
    return 0;
}

/* One syllable in a style.  next_l: the initial of the next syllable of
 * the word (-1 at the end), for the loanword reading. */
static int syllable(struct cpbuf *out, int32_t c, enum style st, int next_l, int prev_f)
{
    int idx = c - 0xAC00;
    int l = idx / (21 * 28), v = (idx / 28) % 21, f = idx % 28;
    const char *ls, *vs, *fs = FIN[f];
    char vbuf[8];
    switch (st) {
    case ST_SOUTH:
        ls = INIT[0][l];
        vs = f ? VOW_SOUTH_CLOSED[v] : VOW_SOUTH_OPEN[v];
        if (l == L_S && v == V_I)
            ls = "sh"; /* shin, shim, shik */
        if (l == L_NG && (v == V_EO || v == V_YEO) && f) {
            vs = v == V_EO ? "eo" : (f == F_NG ? "you" : "yeo"); /* eon, yeon, young */
        }
        if (v == V_U && (!f || (f == F_N && l != L_J && l != L_CH)))
            vs = "oo"; /* soo, hoon, moon; but jun, chun */
        if (l == L_NG && v == V_U)
            ls = "w"; /* woo, woon */
        if (v == V_UI && l == L_H)
            vs = "ee"; /* hee */
        if (v == V_UI && l == L_NG)
            vs = "eui";
        break;
    case ST_NORTH:
        ls = INIT[1][l];
        vs = VOW_NORTH[v];
        break;
    case ST_RR:
        ls = INIT[2][l];
        vs = VOW_RR[v];
        break;
    case ST_LOAN:
    default:
        /* Foreign words: ㅡ is only a filler between consonants (블라디미르
         * b(eu)l-la-di-mi-r(eu)), ㄹㄹ is one l, ㅓ stands for o. */
        ls = INIT[2][l];
        vs = VOW_RR[v];
        if (l == L_R && prev_f == F_L)
            ls = "";
        if (v == V_EU && l != L_NG)
            vs = "";
        if (v == V_EO)
            vs = "o";
        if (v == V_YEO)
            vs = "yo";
        if (l == L_J && v == V_EU)
            ls = "z";
        if (f == F_L && next_l == L_R)
            fs = "l";
        break;
    }
    size_t vl = strlen(vs);
    memcpy(vbuf, vs, vl + 1);
    if (cpbuf_puts(out, ls) || cpbuf_puts(out, vbuf) || cpbuf_puts(out, fs))
        return ECTL_ENOMEM;
    return 0;
}

static int word(struct cpbuf *out, const int32_t *s, size_t len, enum style st, int split)
{
    int prev_f = 0;
    for (size_t i = 0; i < len; i++) {
        if (!is_hangul_syllable(s[i]))
            continue;
        if (split && i && out->n && out->v[out->n - 1] != ' ' && cpbuf_push(out, ' '))
            return ECTL_ENOMEM;
        int next_l = -1;
        if (i + 1 < len && is_hangul_syllable(s[i + 1]))
            next_l = (s[i + 1] - 0xAC00) / (21 * 28);
        if (syllable(out, s[i], st, next_l, prev_f))
            return ECTL_ENOMEM;
        prev_f = (s[i] - 0xAC00) % 28;
    }
    return 0;
}

int hangul_word(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out)
{
    (void)n;
    static const enum style order[] = {ST_SOUTH, ST_LOAN, ST_RR};
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        struct cpbuf *b = alts_add(out);
        if (!b)
            break;
        if (word(b, s, len, order[k], 0))
            return ECTL_ENOMEM;
        alts_dedup_last(out);
    }
    return 0;
}

int hangul_person(struct ectl_norm *n, const struct run *runs, size_t n_runs, struct alts *out)
{
    /* Gather the syllables and where the first word ends. */
    int32_t syl[8] = {0};
    size_t len = 0, first = 0;
    for (size_t r = 0; r < n_runs; r++) {
        if (runs[r].kind != RUN_HANGUL)
            continue;
        for (size_t k = runs[r].b; k < runs[r].e && len < 8; k++)
            if (is_hangul_syllable(n->cps.v[k]))
                syl[len++] = n->cps.v[k];
        if (!first)
            first = len;
    }
    size_t slen = 0;
    const struct surname *sn = len ? surname_at(syl, len, &slen) : NULL;
    if (!sn || (first < len && first != slen))
        return 0;
    alts_reset(out);
    static const struct {
        enum style st;
        int table; /* column of SURNAMES */
        int split;
    } FORMS[] = {{ST_SOUTH, 0, 1}, {ST_NORTH, 1, 1}, {ST_RR, 2, 1}, {ST_SOUTH, 0, 0}};
    for (size_t k = 0; k < sizeof FORMS / sizeof *FORMS; k++) {
        struct cpbuf *b = alts_add(out);
        if (!b)
            break;
        if (cpbuf_puts(b, sn->rom[FORMS[k].table]) || cpbuf_push(b, ' ') ||
            word(b, syl + slen, len - slen, FORMS[k].st, FORMS[k].split))
            return ECTL_ENOMEM;
        alts_dedup_last(out);
    }
    return 0;
}
