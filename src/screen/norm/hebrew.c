/*
 * Hebrew to Latin.  Like Arabic, Hebrew omits most vowels (משה "msh"), so
 * common names come from a table (variant 0 the Israeli spelling, variant
 * 1 the English one: yosef / joseph) and other words from letter rules:
 * ו and י read as vowels inside a word, ב/כ/פ as b/k/p at the start of a
 * word and v/ch/f after a vowel (no dagesh in unpointed text), final ה as
 * "a", and geresh for the sounds Hebrew borrows (ג׳ j, ז׳ zh, צ׳ ch).
 */
#include <string.h>

#include "norm_int.h"

static const struct {
    const char *he;
    const char *rom[2];
} NAMES[] = {
    {"משה", {"moshe", "moses"}},
    {"דוד", {"david", "david"}},
    {"יוסף", {"yosef", "joseph"}},
    {"אברהם", {"avraham", "abraham"}},
    {"יצחק", {"yitzhak", "isaac"}},
    {"יעקב", {"yaakov", "jacob"}},
    {"שמואל", {"shmuel", "samuel"}},
    {"דניאל", {"daniel", "daniel"}},
    {"מיכאל", {"michael", "michael"}},
    {"אהרון", {"aharon", "aaron"}},
    {"אהרן", {"aharon", "aaron"}},
    {"שלמה", {"shlomo", "solomon"}},
    {"בנימין", {"binyamin", "benjamin"}},
    {"חיים", {"chaim", "haim"}},
    {"יהודה", {"yehuda", "judah"}},
    {"אליהו", {"eliyahu", "elijah"}},
    {"שרה", {"sarah", "sara"}},
    {"רחל", {"rachel", "rachel"}},
    {"לאה", {"leah", "lea"}},
    {"רבקה", {"rivka", "rebecca"}},
    {"מרים", {"miriam", "miriam"}},
    {"כהן", {"cohen", "kohen"}},
    {"לוי", {"levi", "levy"}},
    {"ישראל", {"israel", "yisrael"}},
    {"נתניהו", {"netanyahu", "netanyahu"}},
    {"בן", {"ben", "ben"}},
    {"שמעון", {"shimon", "simon"}},
    {"יונתן", {"yonatan", "jonathan"}},
    {"נתן", {"natan", "nathan"}},
    {"אלי", {"eli", "eli"}},
    {"אורי", {"uri", "uri"}},
    {"רון", {"ron", "ron"}},
    {"אהוד", {"ehud", "ehud"}},
    {"ברק", {"barak", "barak"}},
    {"אריאל", {"ariel", "ariel"}},
    {"עמית", {"amit", "amit"}},
    {"פרץ", {"peretz", "perez"}},
    {"שפירא", {"shapira", "shapiro"}},
    {"אברמוביץ", {"abramovich", "abramovitz"}},
    {"ליברמן", {"liberman", "lieberman"}},
    {"גולדברג", {"goldberg", "goldberg"}},
    {"פרידמן", {"fridman", "friedman"}},
    {"רוזנברג", {"rozenberg", "rosenberg"}},
    {"קפלן", {"kaplan", "kaplan"}},
    {"אבי", {"avi", "avi"}},
    {"יוסי", {"yossi", "yossi"}},
    {"גדעון", {"gideon", "gideon"}},
    {"עזרא", {"ezra", "ezra"}},
    {"מרדכי", {"mordechai", "mordecai"}},
    {"אסתר", {"esther", "esther"}},
};

static int niqqud(int32_t c)
{
    return (c >= 0x0591 && c <= 0x05C7) && c != 0x05BE && c != 0x05C0 && c != 0x05C3 && c != 0x05C6;
}

static int same_word(const int32_t *w, size_t len, const char *entry)
{
    const unsigned char *p = (const unsigned char *)entry;
    size_t i = 0;
    while (*p) {
        /* Hebrew letters are two-byte sequences */
        int32_t c = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        p += 2;
        if (i == len || c != w[i])
            return 0;
        i++;
    }
    return i == len;
}

static int geresh(int32_t c)
{
    return c == 0x05F3 || c == '\'' || c == 0x2019;
}

static int spell(const int32_t *w, size_t len, struct cpbuf *o)
{
    size_t start = o->n;
    for (size_t i = 0; i < len; i++) {
        int32_t c = w[i];
        int32_t next = i + 1 < len ? w[i + 1] : 0;
        int first = o->n == start, last = i + 1 == len;
        int after_vowel = o->n > start && strchr("aeiou", (char)o->v[o->n - 1]) != NULL;
        const char *s = "";
        switch (c) {
        case 0x05D0:
            s = first ? "a" : "";
            break; /* alef */
        case 0x05D1:
            s = first ? "b" : "v";
            break; /* bet */
        case 0x05D2:
            s = geresh(next) ? "j" : "g";
            break; /* gimel */
        case 0x05D3:
            s = "d";
            break;
        case 0x05D4:
            s = last && !first ? "a" : "h";
            break;   /* he */
        case 0x05D5: /* vav */
            if (next == 0x05D5) {
                s = "v";
                i++;
            } else {
                s = first || after_vowel ? "v" : "o";
            }
            break;
        case 0x05F0:
            s = "v";
            break;
        case 0x05D6:
            s = geresh(next) ? "zh" : "z";
            break;
        case 0x05D7:
            s = "ch";
            break;
        case 0x05D8:
            s = "t";
            break;
        case 0x05D9: /* yod */
            if (next == 0x05D9) {
                s = "y";
                i++;
            } else {
                s = first || after_vowel ? "y" : "i";
            }
            break;
        case 0x05F2:
            s = "y";
            break;
        case 0x05DA:
            s = "ch";
            break;
        case 0x05DB:
            s = first ? "k" : "ch";
            break;
        case 0x05DC:
            s = "l";
            break;
        case 0x05DD:
        case 0x05DE:
            s = "m";
            break;
        case 0x05DF:
        case 0x05E0:
            s = "n";
            break;
        case 0x05E1:
            s = "s";
            break;
        case 0x05E2:
            s = first ? "a" : "";
            break; /* ayin */
        case 0x05E3:
            s = "f";
            break;
        case 0x05E4:
            s = first ? "p" : "f";
            break;
        case 0x05E5:
        case 0x05E6:
            s = geresh(next) ? "ch" : "tz";
            break;
        case 0x05E7:
            s = "k";
            break;
        case 0x05E8:
            s = "r";
            break;
        case 0x05E9:
            s = "sh";
            break;
        case 0x05EA:
            s = "t";
            break;
        default:
            continue;
        }
        if (cpbuf_puts(o, s))
            return ECTL_ENOMEM;
    }
    return 0;
}

int hebrew_run(const int32_t *s, size_t len, struct alts *out)
{
    struct cpbuf *a = alts_add(out), *b = alts_add(out);
    if (!a || !b)
        return 0;
    int32_t w[64];
    size_t i = 0;
    while (i < len) {
        while (i < len && s[i] == ' ')
            i++;
        size_t wl = 0;
        while (i < len && s[i] != ' ') {
            if (!niqqud(s[i]) && wl < 64)
                w[wl++] = s[i];
            i++;
        }
        if (!wl)
            break;
        int idx = -1;
        for (size_t k = 0; k < sizeof NAMES / sizeof *NAMES && idx < 0; k++)
            if (same_word(w, wl, NAMES[k].he))
                idx = (int)k;
        for (size_t v = 0; v < out->n; v++) {
            struct cpbuf *o = &out->a[v];
            if (o->n && cpbuf_push(o, ' '))
                return ECTL_ENOMEM;
            if (idx >= 0 ? cpbuf_puts(o, NAMES[idx].rom[v]) : spell(w, wl, o))
                return ECTL_ENOMEM;
        }
    }
    alts_dedup_last(out);
    return 0;
}
