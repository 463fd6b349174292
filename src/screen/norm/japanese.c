/*
 * Japanese readings with MeCab and the IPA dictionary.
 *
 * ICU reads every Han character as Mandarin (河野太郎 "he ye tai lang"),
 * which no Japanese name on a list resembles.  MeCab splits the text into
 * words and gives each its dictionary reading in katakana (河野 コウノ,
 * 太郎 タロウ), which kana.c turns into passport Hepburn (kono taro).  The
 * IPA dictionary also tags person names (名詞,固有名詞,人名,姓/名), which is
 * how we tell a Japanese name from a Chinese one when the text is all Han:
 *
 *   - the name has kana: Japanese, the dictionary's reading only;
 *   - all Han, a character the dictionary does not know (simplified forms
 *     such as 伟, 习): Chinese, Mandarin only;
 *   - all Han, starting with a surname the dictionary knows of two or
 *     more characters (河野, 山田, 田中 — most Japanese surnames; most
 *     Chinese ones have one), or written the Japanese way (会社 "company",
 *     the iteration mark 々): Japanese first, the second-best reading next
 *     (河野 is Kono or Kawano), Mandarin last;
 *   - anything else in Han (李明, 金正恩, companies): Mandarin first, then
 *     the Japanese reading.
 *
 * MeCab was chosen over KAKASI: KAKASI keeps its dictionary in global
 * state (one conversion at a time per process, EUC-JP only) and does not
 * tag names; MeCab's tagger is per object, reads UTF-8 and gives n-best
 * readings.  Both give the same readings on the names we measured.
 */
#include <stdlib.h>
#include <string.h>

#include <mecab.h>

#include "norm_int.h"

#define NBEST 3

int ja_open(struct ectl_norm *n, struct ectl_error *err)
{
    /* The system's mecabrc first; then the Debian dictionary directly, in
     * case mecabrc is missing or names a dictionary in another charset. */
    static const char *const ARGS[] = {
        "",
        "-r /dev/null -d /var/lib/mecab/dic/ipadic-utf8",
        "-r /dev/null -d /usr/lib/x86_64-linux-gnu/mecab/dic/ipadic-utf8",
        "-r /dev/null -d /usr/lib/mecab/dic/ipadic-utf8",
    };
    for (size_t i = 0; i < sizeof ARGS / sizeof *ARGS; i++) {
        mecab_model_t *m = mecab_model_new2(ARGS[i]);
        if (!m)
            continue;
        const mecab_dictionary_info_t *d = mecab_model_dictionary_info(m);
        if (!d || !d->charset ||
            (strcmp(d->charset, "utf8") && strcmp(d->charset, "UTF-8") &&
             strcmp(d->charset, "utf-8"))) {
            mecab_model_destroy(m);
            continue;
        }
        mecab_t *t = mecab_model_new_tagger(m);
        mecab_lattice_t *l = mecab_model_new_lattice(m);
        if (!t || !l) {
            if (t)
                mecab_destroy(t);
            if (l)
                mecab_lattice_destroy(l);
            mecab_model_destroy(m);
            return ectl_error_set(err, ECTL_ENOMEM, "mecab: out of memory");
        }
        n->mecab_model = m;
        n->mecab_tagger = t;
        n->mecab_lattice = l;
        return 0;
    }
    return ectl_error_set(err, ECTL_EIO,
                          "mecab: cannot load a UTF-8 IPA dictionary "
                          "(Debian: mecab-ipadic-utf8)");
}

void ja_close(struct ectl_norm *n)
{
    if (n->mecab_lattice)
        mecab_lattice_destroy(n->mecab_lattice);
    if (n->mecab_tagger)
        mecab_destroy(n->mecab_tagger);
    if (n->mecab_model)
        mecab_model_destroy(n->mecab_model);
    n->mecab_lattice = n->mecab_tagger = n->mecab_model = NULL;
}

/* Code points to UTF-8 in n->u8 (NUL-terminated); returns the length. */
static int to_u8(struct ectl_norm *n, const int32_t *s, size_t len, size_t *out_len)
{
    size_t need = 4 * len + 1;
    if (n->u8_cap < need) {
        char *p = realloc(n->u8, need);
        if (!p)
            return ECTL_ENOMEM;
        n->u8 = p;
        n->u8_cap = need;
    }
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        uint32_t c = (uint32_t)s[i];
        unsigned char *o = (unsigned char *)n->u8 + k;
        if (c < 0x80) {
            o[0] = (unsigned char)c;
            k += 1;
        } else if (c < 0x800) {
            o[0] = (unsigned char)(0xC0 | (c >> 6));
            o[1] = (unsigned char)(0x80 | (c & 0x3F));
            k += 2;
        } else if (c < 0x10000) {
            o[0] = (unsigned char)(0xE0 | (c >> 12));
            o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            o[2] = (unsigned char)(0x80 | (c & 0x3F));
            k += 3;
        } else {
            o[0] = (unsigned char)(0xF0 | (c >> 18));
            o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            o[3] = (unsigned char)(0x80 | (c & 0x3F));
            k += 4;
        }
    }
    n->u8[k] = '\0';
    *out_len = k;
    return 0;
}

/* Field k (0-based) of a MeCab feature string, as [*start, *len). */
static int field(const char *f, int k, const char **start, size_t *len)
{
    for (int i = 0; i < k; i++) {
        f = strchr(f, ',');
        if (!f)
            return 0;
        f++;
    }
    *start = f;
    *len = strcspn(f, ",");
    return 1;
}

static int field_is(const char *f, int k, const char *want)
{
    const char *s;
    size_t len;
    return field(f, k, &s, &len) && len == strlen(want) && !memcmp(s, want, len);
}

/* UTF-8 of a node's surface or reading into code points (tmp). */
static int decode(const char *s, size_t len, struct cpbuf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        int32_t c;
        unsigned char b = p[i];
        size_t k = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (i + k > len)
            break;
        if (k == 1)
            c = b;
        else if (k == 2)
            c = ((b & 0x1F) << 6) | (p[i + 1] & 0x3F);
        else if (k == 3)
            c = ((b & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
        else
            c = ((b & 0x07) << 18) | ((p[i + 1] & 0x3F) << 12) | ((p[i + 2] & 0x3F) << 6) |
                (p[i + 3] & 0x3F);
        if (cpbuf_push(out, c))
            return ECTL_ENOMEM;
        i += k;
    }
    return 0;
}

struct ja_info {
    int parsed;         /* MeCab read the text */
    size_t surname_len; /* the first word is a surname: its length in characters */
    int unknown_han;    /* a Han word without a reading */
};

/* Walk the analysis now in the lattice: romanise it into out (when out is
 * not NULL) and describe it in info (when info is not NULL). */
static int read_nodes(struct ectl_norm *n, struct cpbuf *out, struct ja_info *info)
{
    mecab_lattice_t *l = n->mecab_lattice;
    int words = 0;
    for (const mecab_node_t *nd = mecab_lattice_get_bos_node(l); nd; nd = nd->next) {
        if (nd->stat == MECAB_BOS_NODE || nd->stat == MECAB_EOS_NODE)
            continue;
        const char *reading;
        size_t rlen;
        int has_reading = nd->stat != MECAB_UNK_NODE && field(nd->feature, 7, &reading, &rlen) &&
                          !(rlen == 1 && reading[0] == '*');
        n->tmp.n = 0;
        if (decode(nd->surface, nd->length, &n->tmp))
            return ECTL_ENOMEM;
        int han = 0;
        for (size_t i = 0; i < n->tmp.n; i++)
            han |= is_han(n->tmp.v[i]);
        if (info) {
            int is_person =
                field_is(nd->feature, 1, "固有名詞") && field_is(nd->feature, 2, "人名");
            if (words == 0 && is_person && field_is(nd->feature, 3, "姓"))
                info->surname_len = n->tmp.n;
            info->unknown_han |= han && !has_reading;
        }
        words++;
        if (!out)
            continue;
        if (out->n && out->v[out->n - 1] != ' ' && cpbuf_push(out, ' '))
            return ECTL_ENOMEM;
        if (has_reading) {
            n->tmp.n = 0;
            if (decode(reading, rlen, &n->tmp) || kana_romanise(n->tmp.v, n->tmp.n, out))
                return ECTL_ENOMEM;
        } else if (han) {
            /* han_mandarin uses n->u16 only, so n->tmp can be read here */
            int rc = han_mandarin(n, n->tmp.v, n->tmp.n, out);
            if (rc)
                return rc;
        } else if (kana_romanise(n->tmp.v, n->tmp.n, out)) {
            return ECTL_ENOMEM;
        }
    }
    return 0;
}

/* Analyse s.  With out, put up to max readings (best first, distinct) in
 * it; with info, describe the best analysis. */
static int analyse(struct ectl_norm *n, const int32_t *s, size_t len, size_t max, struct alts *out,
                   struct ja_info *info)
{
    size_t u8len;
    if (to_u8(n, s, len, &u8len))
        return ECTL_ENOMEM;
    mecab_lattice_t *l = n->mecab_lattice;
    mecab_lattice_clear(l);
    mecab_lattice_set_request_type(l, max > 1 ? MECAB_NBEST : MECAB_ONE_BEST);
    mecab_lattice_set_sentence2(l, n->u8, u8len);
    if (!mecab_parse_lattice(n->mecab_tagger, l))
        return 0; /* MeCab could not read it: the run is left out */
    if (info) {
        info->parsed = 1;
        if (!out)
            return read_nodes(n, NULL, info);
    }
    for (size_t k = 0; k < max; k++) {
        struct cpbuf *b = alts_add(out);
        if (!b)
            break;
        int rc = read_nodes(n, b, k == 0 ? info : NULL);
        if (rc)
            return rc;
        alts_dedup_last(out);
        if (max == 1 || !mecab_lattice_next(l))
            break;
    }
    return 0;
}

int ja_run(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out)
{
    return analyse(n, s, len, 1, out, NULL);
}

/* han_run's readings, remembered per run in the transliteration cache
 * (trcache.c) as one value: the count of readings, then each reading
 * followed by -1 (no code point is negative). */
static int memo_get(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out)
{
    n->tmp.n = 0;
    int hit = trc_get(n, TRC_HAN_RUN, s, len, &n->tmp);
    if (hit <= 0)
        return hit;
    const int32_t *v = n->tmp.v;
    size_t at = 1;
    for (int32_t k = 0; k < v[0]; k++) {
        size_t end = at;
        while (v[end] >= 0)
            end++;
        struct cpbuf *b = alts_add(out);
        if (!b || cpbuf_append(b, v + at, end - at))
            return -1;
        at = end + 1;
    }
    return 1;
}

static void memo_put(struct ectl_norm *n, const int32_t *s, size_t len, const struct alts *a)
{
    n->tmp.n = 0;
    if (cpbuf_push(&n->tmp, (int32_t)a->n))
        return;
    for (size_t k = 0; k < a->n; k++)
        if (cpbuf_append(&n->tmp, a->a[k].v, a->a[k].n) || cpbuf_push(&n->tmp, -1))
            return;
    trc_put(n, TRC_HAN_RUN, s, len, n->tmp.v, n->tmp.n);
}

static int han_run_analysed(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out);

int han_run(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out)
{
    alts_reset(out);
    int hit = memo_get(n, s, len, out);
    if (hit)
        return hit < 0 ? ECTL_ENOMEM : 0;
    int rc = han_run_analysed(n, s, len, out);
    if (!rc)
        memo_put(n, s, len, out);
    return rc;
}

static int han_run_analysed(struct ectl_norm *n, const int32_t *s, size_t len, struct alts *out)
{
    struct ja_info info = {0};
    int japanese_only = 0;
    for (size_t i = 0; i < len; i++)
        japanese_only |= s[i] == 0x3005 || (s[i] == 0x4F1A && i + 1 < len && s[i + 1] == 0x793E);
    /* One cheap analysis to decide; ICU's Han-Latin costs ~30 µs a call,
     * so it runs once per name. */
    int rc = analyse(n, s, len, 1, NULL, &info);
    if (rc)
        return rc;
    struct cpbuf *b;
    if (!info.parsed || info.unknown_han) {
        b = alts_add(out); /* Chinese only */
        return han_mandarin(n, s, len, b);
    }
    if (info.surname_len >= 2 || japanese_only) {
        /* Japanese first, two readings, then Mandarin */
        rc = analyse(n, s, len, NBEST, out, NULL);
        if (rc)
            return rc;
        if (out->n > 2)
            out->n = 2;
        b = alts_add(out);
        if (b && (rc = han_mandarin(n, s, len, b)) == 0)
            alts_dedup_last(out);
        return rc;
    }
    /* Mandarin first, then the best Japanese reading */
    b = alts_add(out);
    rc = han_mandarin(n, s, len, b);
    if (!rc)
        rc = analyse(n, s, len, 1, out, NULL);
    return rc;
}
