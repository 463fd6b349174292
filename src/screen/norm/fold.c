/*
 * Latin letters to ASCII: diacritics removed (é -> e), letters that are not
 * a base letter plus a mark spelled out the way names are written in ASCII
 * (ß -> ss, æ -> ae, ø -> o, ł -> l, þ -> th), apostrophes dropped so that
 * O'Brien stays one word, and every other non-letter a word break.
 */
#include <string.h>

#include <utf8proc.h>

#include <unicode/uchar.h>

#include "norm_int.h"

/* Letters that Unicode does not decompose into base + mark. */
static const struct {
    int32_t c;
    const char *ascii;
} SPECIAL[] = {
    {0x00DF, "ss"}, {0x00E6, "ae"}, {0x00F0, "d"}, {0x00F8, "o"}, {0x00FE, "th"}, {0x0111, "d"},
    {0x0127, "h"},  {0x0131, "i"},  {0x0138, "k"}, {0x0140, "l"}, {0x0142, "l"},  {0x014B, "ng"},
    {0x0153, "oe"}, {0x0167, "t"},  {0x017F, "s"}, {0x0180, "b"}, {0x0183, "b"},  {0x0188, "c"},
    {0x018C, "d"},  {0x0192, "f"},  {0x0199, "k"}, {0x019A, "l"}, {0x019E, "n"},  {0x01A5, "p"},
    {0x01AB, "t"},  {0x01AD, "t"},  {0x01B4, "y"}, {0x01B6, "z"}, {0x01DD, "e"},  {0x01E5, "g"},
    {0x0225, "z"},  {0x0234, "l"},  {0x0235, "n"}, {0x0236, "t"}, {0x0237, "j"},  {0x023C, "c"},
    {0x023F, "s"},  {0x0240, "z"},  {0x0247, "e"}, {0x0249, "j"}, {0x024B, "q"},  {0x024D, "r"},
    {0x024F, "y"},  {0x0250, "a"},  {0x0251, "a"}, {0x0253, "b"}, {0x0254, "o"},  {0x0256, "d"},
    {0x0257, "d"},  {0x0259, "e"},  {0x025B, "e"}, {0x0260, "g"}, {0x0261, "g"},  {0x0263, "gh"},
    {0x0268, "i"},  {0x0269, "i"},  {0x026B, "l"}, {0x0272, "n"}, {0x0275, "o"},  {0x0280, "r"},
    {0x0283, "sh"}, {0x0288, "t"},  {0x0289, "u"}, {0x028B, "v"}, {0x0292, "zh"}, {0x1D6B, "ue"},
    {0x1E9E, "ss"}, {0xA78C, ""},
};

int is_apostrophe(int32_t c)
{
    switch (c) {
    case '\'':
    case '`':
    case 0x00B4: /* acute accent */
    case 0x02B9: /* modifier prime */
    case 0x02BB: /* ʻokina */
    case 0x02BC: /* modifier apostrophe */
    case 0x02BD:
    case 0x02BE: /* ʾ (hamza in transliterations) */
    case 0x02BF: /* ʿ (ayn in transliterations) */
    case 0x02C8:
    case 0x055A: /* Armenian apostrophe */
    case 0x2018:
    case 0x2019:
    case 0x201B:
    case 0x2032:
    case 0xA78C: /* saltillo */
        return 1;
    }
    return 0;
}

static int ascii_alnum(int32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Fold by decomposition: keep the ASCII letters of the compatibility
 * decomposition with marks stripped. */
static const char *fold_slow(int32_t c, char tmp[16])
{
    for (size_t i = 0; i < sizeof SPECIAL / sizeof *SPECIAL; i++)
        if (SPECIAL[i].c == c)
            return SPECIAL[i].ascii;
    if (is_apostrophe(c))
        return "'";
    utf8proc_category_t cat = utf8proc_category(c);
    if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME)
        return "'"; /* a combining accent: nothing, but no word break either */
    if (cat == UTF8PROC_CATEGORY_ND) {
        int d = u_charDigitValue(c);
        if (d < 0 || d > 9)
            return "";
        tmp[0] = (char)('0' + d);
        tmp[1] = '\0';
        return tmp;
    }
    if (cat > UTF8PROC_CATEGORY_LO && cat != UTF8PROC_CATEGORY_NL)
        return "";
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        c, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD,
        &last);
    size_t o = 0;
    for (utf8proc_ssize_t i = 0; i < k && i < 8 && o < 15; i++) {
        int32_t x = d[i];
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (ascii_alnum(x))
            tmp[o++] = (char)x;
    }
    tmp[o] = '\0';
    return tmp;
}

void fold_init_table(struct ectl_norm *n)
{
    char tmp[16];
    for (int32_t c = 0x80; c < 0x250; c++) {
        const char *s = fold_slow(c, tmp);
        size_t len = strlen(s);
        if (len > 3)
            len = 3;
        memcpy(n->latin_fold[c - 0x80], s, len);
        n->latin_fold[c - 0x80][len] = '\0';
    }
}

const char *fold_cp(const struct ectl_norm *n, int32_t c, char tmp[16])
{
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (ascii_alnum(c)) {
            tmp[0] = (char)c;
            tmp[1] = '\0';
            return tmp;
        }
        return c == '\'' || c == '`' ? "'" : "";
    }
    if (c < 0x250)
        return n->latin_fold[c - 0x80];
    return fold_slow(c, tmp);
}
