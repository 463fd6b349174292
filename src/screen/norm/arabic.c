/*
 * Arabic script (Arabic, Persian, Urdu) to Latin.
 *
 * Arabic is written without short vowels, so letter-by-letter
 * transliteration gives skeletons (محمد "mhmd") that no list spells.  Two
 * layers instead:
 *   1. a table of the commonest name words with the spellings lists use:
 *      variant 0 the usual English spelling (mohammed, hassan, khaled),
 *      variant 1 the scholarly one (muhammad, hasan, khalid); the phonetic
 *      key folds the rest (mohamed, muhamed);
 *   2. for any other word, letters with the long vowels read as vowels
 *      (و u, ي i, ا a, ى a, ة a), ayn as "a" where a vowel is missing,
 *      short-vowel marks when the text has them, shadda doubling; and a
 *      last variant that reads the word as a foreign name spelled in
 *      Arabic letters (ف v, ب p, ج g: فلاديمير بوتين is Vladimir Putin).
 * "عبد الله" is Abdullah and "عبد ال..." Abdul ...; the article is "al".
 * Persian letters (پ چ ژ گ ک ی) switch و to "v" at the start of a word.
 */
#include <pthread.h>
#include <string.h>

#include "norm_int.h"

static const struct {
    const char *ar;
    const char *rom[2];
} NAMES[] = {
    {"محمد", {"mohammed", "muhammad"}},
    {"أحمد", {"ahmed", "ahmad"}},
    {"محمود", {"mahmoud", "mahmud"}},
    {"علي", {"ali", "ali"}},
    {"عمر", {"omar", "umar"}},
    {"عثمان", {"othman", "uthman"}},
    {"حسن", {"hassan", "hasan"}},
    {"حسين", {"hussein", "husayn"}},
    {"حسني", {"hosni", "husni"}},
    {"خالد", {"khaled", "khalid"}},
    {"عبد", {"abd", "abd"}},
    {"الله", {"allah", "allah"}},
    {"عبدالله", {"abdullah", "abdallah"}},
    {"إبراهيم", {"ibrahim", "ibrahim"}},
    {"يوسف", {"youssef", "yusuf"}},
    {"يونس", {"younis", "yunus"}},
    {"مصطفى", {"mustafa", "mustafa"}},
    {"سعيد", {"saeed", "said"}},
    {"سعد", {"saad", "saad"}},
    {"صالح", {"saleh", "salih"}},
    {"سليمان", {"suleiman", "sulayman"}},
    {"عيسى", {"issa", "isa"}},
    {"موسى", {"musa", "musa"}},
    {"يحيى", {"yahya", "yahya"}},
    {"زكريا", {"zakaria", "zakariya"}},
    {"إسماعيل", {"ismail", "ismail"}},
    {"فاطمة", {"fatima", "fatimah"}},
    {"عائشة", {"aisha", "aishah"}},
    {"مريم", {"maryam", "maryam"}},
    {"زينب", {"zainab", "zaynab"}},
    {"خديجة", {"khadija", "khadijah"}},
    {"نور", {"nour", "nur"}},
    {"أسامة", {"osama", "usama"}},
    {"بن", {"bin", "bin"}},
    {"ابن", {"ibn", "ibn"}},
    {"أبو", {"abu", "abu"}},
    {"بنت", {"bint", "bint"}},
    {"حمد", {"hamad", "hamad"}},
    {"حامد", {"hamed", "hamid"}},
    {"جمال", {"jamal", "jamal"}},
    {"كمال", {"kamal", "kamal"}},
    {"طارق", {"tariq", "tarek"}},
    {"ناصر", {"nasser", "nasir"}},
    {"منصور", {"mansour", "mansur"}},
    {"فيصل", {"faisal", "faysal"}},
    {"سلطان", {"sultan", "sultan"}},
    {"عادل", {"adel", "adil"}},
    {"عزيز", {"aziz", "aziz"}},
    {"رحمن", {"rahman", "rahman"}},
    {"رحيم", {"rahim", "rahim"}},
    {"كريم", {"karim", "karim"}},
    {"جعفر", {"jafar", "jafar"}},
    {"قاسم", {"qasim", "qassem"}},
    {"هاشم", {"hashem", "hashim"}},
    {"هشام", {"hisham", "hisham"}},
    {"وليد", {"walid", "walid"}},
    {"زيد", {"zaid", "zayd"}},
    {"زياد", {"ziad", "ziyad"}},
    {"رشيد", {"rashid", "rashid"}},
    {"ماجد", {"majed", "majid"}},
    {"مجيد", {"majid", "majid"}},
    {"حميد", {"hamid", "hamid"}},
    {"سيف", {"saif", "sayf"}},
    {"دين", {"din", "din"}},
    {"نصر", {"nasr", "nasr"}},
    {"نصرالله", {"nasrallah", "nasrallah"}},
    {"شريف", {"sharif", "sharif"}},
    {"رضا", {"reza", "rida"}},
    {"بكر", {"bakr", "bakr"}},
    {"أبوبكر", {"abubakr", "abubakar"}},
    {"عمار", {"ammar", "ammar"}},
    {"ياسر", {"yasser", "yasir"}},
    {"سامي", {"sami", "sami"}},
    {"سمير", {"samir", "samir"}},
    {"نبيل", {"nabil", "nabil"}},
    {"فؤاد", {"fouad", "fuad"}},
    {"مالك", {"malik", "malik"}},
    {"أمين", {"amin", "amin"}},
    {"حسام", {"hussam", "husam"}},
    {"بشار", {"bashar", "bashar"}},
    {"أسد", {"assad", "asad"}},
    {"صدام", {"saddam", "saddam"}},
    {"معمر", {"muammar", "muammar"}},
    {"قذافي", {"qadhafi", "gaddafi"}},
    {"حافظ", {"hafez", "hafiz"}},
    {"صلاح", {"salah", "salah"}},
    {"جابر", {"jaber", "jabir"}},
    {"جبريل", {"jibril", "jibril"}},
    {"إسحاق", {"ishaq", "ishaq"}},
    {"داود", {"dawood", "dawud"}},
    {"رمضان", {"ramadan", "ramadan"}},
    {"حبيب", {"habib", "habib"}},
    {"لطيف", {"latif", "latif"}},
    {"خليل", {"khalil", "khalil"}},
    {"خليفة", {"khalifa", "khalifah"}},
    {"إدريس", {"idris", "idris"}},
    {"بلال", {"bilal", "bilal"}},
    {"هارون", {"haroun", "harun"}},
    {"أنور", {"anwar", "anwar"}},
    {"منير", {"munir", "munir"}},
    {"نعيم", {"naim", "naim"}},
    {"عبيد", {"obaid", "ubayd"}},
    {"زهير", {"zuhair", "zuhayr"}},
    {"مهدي", {"mahdi", "mehdi"}},
    {"جواد", {"javad", "jawad"}},
    {"لادن", {"laden", "ladin"}},
    {"قاعدة", {"qaida", "qaeda"}},
    {"خامنهای", {"khamenei", "khamenei"}},
    {"سليماني", {"soleimani", "sulaymani"}},
    {"روحاني", {"rouhani", "ruhani"}},
    {"رئيسي", {"raisi", "raisi"}},
    {"ظريف", {"zarif", "zarif"}},
    {"احمدینژاد", {"ahmadinejad", "ahmadinejad"}},
    {"حزب", {"hizb", "hizb"}},
    {"شاه", {"shah", "shah"}},
    {"مراد", {"murad", "murad"}},
    {"عباس", {"abbas", "abbas"}},
    {"عدنان", {"adnan", "adnan"}},
    {"أيمن", {"ayman", "ayman"}},
    {"ظواهري", {"zawahiri", "zawahiri"}},
    {"سلمان", {"salman", "salman"}},
    {"سعود", {"saud", "saud"}},
    {"فهد", {"fahd", "fahd"}},
    {"نايف", {"nayef", "nayif"}},
    {"تركي", {"turki", "turki"}},
    {"بندر", {"bandar", "bandar"}},
    {"عوف", {"awf", "awf"}},
    {"حمزة", {"hamza", "hamzah"}},
    {"أمير", {"amir", "amir"}},
    {"إسلام", {"islam", "islam"}},
    {"جهاد", {"jihad", "jihad"}},
    {"شيخ", {"sheikh", "shaykh"}},
};

static int harakah(int32_t c)
{
    return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 ||
           (c >= 0x06D6 && c <= 0x06ED);
}

/* The letter as the name table compares it: hamza carriers, alef maqsura,
 * ta marbuta and the Persian forms of ya and kaf are one letter each. */
static int32_t fold_letter(int32_t c)
{
    switch (c) {
    case 0x0622:
    case 0x0623:
    case 0x0625:
    case 0x0671:
        return 0x0627;
    case 0x0649:
    case 0x06CC:
    case 0x0626:
    case 0x06D2:
        return 0x064A;
    case 0x06A9:
        return 0x0643;
    case 0x0629:
    case 0x06C1:
    case 0x06D5:
        return 0x0647;
    case 0x0624:
        return 0x0648;
    }
    return c;
}

static size_t utf8_next(const unsigned char **p, int32_t *c)
{
    const unsigned char *s = *p;
    if (s[0] < 0x80) {
        *c = s[0];
        *p += 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        *c = ((s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        *p += 2;
    } else if ((s[0] & 0xF0) == 0xE0) {
        *c = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        *p += 3;
    } else {
        *c = ((s[0] & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        *p += 4;
    }
    return 1;
}

/* Does the folded word w[0..len) equal the table entry? */
static int same_word(const int32_t *w, size_t len, const char *entry)
{
    const unsigned char *p = (const unsigned char *)entry;
    size_t i = 0;
    while (*p) {
        int32_t c;
        utf8_next(&p, &c);
        if (harakah(c))
            continue;
        if (i == len || fold_letter(c) != w[i])
            return 0;
        i++;
    }
    return i == len;
}

/* The table's words folded as same_word() folds them, made once per
 * process (pthread_once: read-only after that, so threads may share it),
 * so that a lookup compares lengths and code points instead of decoding
 * every entry's UTF-8 for every word of every name. */
#define N_NAMES (sizeof NAMES / sizeof *NAMES)
#define NAME_MAX_LETTERS 16
static int32_t folded[N_NAMES][NAME_MAX_LETTERS];
static uint8_t folded_len[N_NAMES]; /* 0: longer than NAME_MAX_LETTERS */
static pthread_once_t folded_once = PTHREAD_ONCE_INIT;

static void fold_names(void)
{
    for (size_t i = 0; i < N_NAMES; i++) {
        const unsigned char *p = (const unsigned char *)NAMES[i].ar;
        size_t n = 0;
        while (*p) {
            int32_t c;
            utf8_next(&p, &c);
            if (harakah(c))
                continue;
            if (n == NAME_MAX_LETTERS) {
                n = 0;
                break;
            }
            folded[i][n++] = fold_letter(c);
        }
        folded_len[i] = (uint8_t)n;
    }
}

static int lookup(const int32_t *w, size_t len)
{
    pthread_once(&folded_once, fold_names);
    for (size_t i = 0; i < N_NAMES; i++) {
        /* the first letter before memcmp: most words of a name have the
         * length of some entry, few share its first letter too */
        if (folded_len[i] ? folded_len[i] == len && folded[i][0] == w[0] &&
                                !memcmp(folded[i], w, len * sizeof *w)
                          : same_word(w, len, NAMES[i].ar))
            return (int)i;
    }
    return -1;
}

static int is_persian_letter(int32_t c)
{
    return c == 0x067E || c == 0x0686 || c == 0x0698 || c == 0x06AF || c == 0x06A9 || c == 0x06CC;
}

static int vowel_letter(int32_t c)
{
    return c == 0x0627 || c == 0x0648 || c == 0x064A || c == 0x0649 || c == 0x0622 || c == 0x06CC ||
           c == 0x0626 || c == 0x0623 || c == 0x0625;
}

static const char *consonant(int32_t c)
{
    switch (c) {
    case 0x0628:
        return "b";
    case 0x062A:
        return "t";
    case 0x062B:
        return "th";
    case 0x062C:
        return "j";
    case 0x062D:
        return "h";
    case 0x062E:
        return "kh";
    case 0x062F:
        return "d";
    case 0x0630:
        return "dh";
    case 0x0631:
        return "r";
    case 0x0632:
        return "z";
    case 0x0633:
        return "s";
    case 0x0634:
        return "sh";
    case 0x0635:
        return "s";
    case 0x0636:
        return "d";
    case 0x0637:
        return "t";
    case 0x0638:
        return "z";
    case 0x063A:
        return "gh";
    case 0x0641:
        return "f";
    case 0x0642:
        return "q";
    case 0x0643:
        return "k";
    case 0x06A9:
        return "k";
    case 0x0644:
        return "l";
    case 0x0645:
        return "m";
    case 0x0646:
        return "n";
    case 0x0647:
        return "h";
    case 0x06C1:
        return "h";
    case 0x06BE:
        return "h";
    case 0x067E:
        return "p";
    case 0x0686:
        return "ch";
    case 0x0698:
        return "zh";
    case 0x06AF:
        return "g";
    case 0x0679:
        return "t";
    case 0x0688:
        return "d";
    case 0x0691:
        return "r";
    case 0x06BA:
        return "n";
    }
    return NULL;
}

static int last_is_vowel(const struct cpbuf *o, size_t start)
{
    if (o->n <= start)
        return 0;
    int32_t c = o->v[o->n - 1];
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Letter rules for a word not in the table. */
static int spell(const int32_t *w, size_t len, int persian, int loan, struct cpbuf *o)
{
    size_t start = o->n;
    for (size_t i = 0; i < len; i++) {
        int32_t c = w[i];
        size_t j = i + 1;
        while (j < len && harakah(w[j]) && w[j] != 0x0651)
            j++;
        int32_t next = j < len ? w[j] : 0;
        int at_start = o->n == start;
        const char *s = NULL;
        switch (c) {
        case 0x064E:
            s = "a";
            break; /* fatha */
        case 0x064F:
            s = "u";
            break; /* damma */
        case 0x0650:
            s = "i";
            break;   /* kasra */
        case 0x0651: /* shadda: double the consonant */
            if (o->n > start && !last_is_vowel(o, start) && cpbuf_push(o, o->v[o->n - 1]))
                return ECTL_ENOMEM;
            continue;
        case 0x0627:
        case 0x0622:
        case 0x0671:
        case 0x0623:
            s = o->n > start && o->v[o->n - 1] == 'a' ? "" : "a";
            break;
        case 0x0625:
            s = "i";
            break;
        case 0x0621:
            s = "";
            break;
        case 0x0624:
            s = "u";
            break;
        case 0x0626:
            s = next && vowel_letter(next) ? "y" : "i";
            break;
        case 0x0649:
            s = "a";
            break;
        case 0x0629:
            s = j >= len ? "a" : "at";
            break;
        case 0x0639: /* ayn: an "a" where no vowel letter follows */
            s = next && vowel_letter(next) ? "" : (at_start || !last_is_vowel(o, start)) ? "a" : "";
            break;
        case 0x0648:
            if (at_start)
                s = persian ? "v" : "w";
            else if (next == 0x0627 || last_is_vowel(o, start))
                s = "w";
            else
                s = "u";
            break;
        case 0x064A:
        case 0x06CC:
            if (at_start || next == 0x0627 || next == 0x0648 || last_is_vowel(o, start))
                s = "y";
            else
                s = "i";
            break;
        case 0x06D2:
        case 0x06D3:
            s = "e";
            break;
        case 0x0647:
            /* Persian final he is a vowel: zadeh, khamene */
            s = persian && j >= len && !at_start ? "e" : "h";
            break;
        default:
            if (harakah(c))
                continue;
            s = consonant(c);
            if (!s)
                continue;
            if (loan) {
                /* the letters Arabic uses for sounds it lacks */
                if (c == 0x0641)
                    s = "v";
                else if (c == 0x0628)
                    s = "p";
                else if (c == 0x062C)
                    s = "g";
                else if (c == 0x0642)
                    s = "k";
            }
        }
        if (cpbuf_puts(o, s))
            return ECTL_ENOMEM;
    }
    return 0;
}

/* Index in w just past its first k letters (vowel marks skipped). */
static size_t past_letters(const int32_t *w, size_t wl, size_t k)
{
    size_t i = 0;
    while (i < wl && k) {
        if (!harakah(w[i]))
            k--;
        i++;
    }
    return i;
}

/* The table entries a word may take (word_rom): whole is lookup() of the
 * word, bare that of the word without its article (-1 when it has none or
 * the article may not be split off).  Found once per word rather than once
 * per alternative: the lookup was three quarters of arabic_run. */
struct word_hit {
    int whole, bare;
};

static int has_article(const int32_t *f, size_t fl)
{
    return fl > 3 && f[0] == 0x0627 && f[1] == 0x0644;
}

static struct word_hit word_look(const int32_t *f, size_t fl, int article_ok)
{
    struct word_hit h = {lookup(f, fl), -1};
    if (h.whole < 0 && article_ok && has_article(f, fl))
        h.bare = lookup(f + 2, fl - 2);
    return h;
}

/* One word into alternative v: the table, else the article and the table,
 * else the letter rules.  w is the word as written, f its folded letters,
 * h its table entries (word_look with the same article_ok). */
static int word_rom(struct cpbuf *o, size_t v, const int32_t *w, size_t wl, const int32_t *f,
                    size_t fl, int persian, int article_ok, struct word_hit h)
{
    if (h.whole >= 0)
        return cpbuf_puts(o, NAMES[h.whole].rom[v > 1 ? 0 : v]);
    if (article_ok && has_article(f, fl)) {
        size_t k = past_letters(w, wl, 2);
        if (cpbuf_puts(o, "al "))
            return ECTL_ENOMEM;
        return word_rom(o, v, w + k, wl - k, f + 2, fl - 2, persian, 0,
                        (struct word_hit){h.bare, -1});
    }
    return spell(w, wl, persian, v == 2, o);
}

static int put_word(struct alts *out, const int32_t *w, size_t wl, const int32_t *f, size_t fl,
                    int persian, int article_ok)
{
    struct word_hit h = word_look(f, fl, article_ok);
    for (size_t v = 0; v < out->n; v++) {
        struct cpbuf *o = &out->a[v];
        if ((o->n && cpbuf_push(o, ' ')) || word_rom(o, v, w, wl, f, fl, persian, article_ok, h))
            return ECTL_ENOMEM;
    }
    return 0;
}

int arabic_run(const int32_t *s, size_t len, struct alts *out)
{
    int persian = 0;
    for (size_t i = 0; i < len; i++)
        persian |= is_persian_letter(s[i]);
    /* 0: common spellings; 1: scholarly spellings; 2: a foreign name
     * written in Arabic letters, read back (فلاديمير بوتين: ف for v, ب for
     * p).  Variant 2 differs only for words outside the table. */
    struct cpbuf *a = alts_add(out), *b = alts_add(out), *c = alts_add(out);
    if (!a || !b || !c)
        return 0;
    /* Words, with a folded copy (no vowel marks) for the table. */
    int32_t w[64], f[64];
    size_t i = 0;
    static const int32_t ABD[] = {0x0639, 0x0628, 0x062F};
    static const int32_t ALLAH[] = {0x0627, 0x0644, 0x0644, 0x0647};
    int pending_abd = 0;
    while (i < len) {
        while (i < len && s[i] == ' ')
            i++;
        size_t wl = 0, fl = 0;
        while (i < len && s[i] != ' ') {
            if (wl < 64)
                w[wl++] = s[i];
            if (!harakah(s[i]) && fl < 64)
                f[fl++] = fold_letter(s[i]);
            i++;
        }
        if (!wl)
            break;
        if (fl == 3 && !memcmp(f, ABD, sizeof ABD)) {
            /* "abd" joins the next word: Abdullah, Abdul Rahman */
            pending_abd = 1;
            continue;
        }
        if (fl > 5 && !memcmp(f, ABD, sizeof ABD) && lookup(f, fl) < 0) {
            /* written as one word: عبدالرحمن is عبد الرحمن */
            size_t k = past_letters(w, wl, 3);
            memmove(w, w + k, (wl - k) * sizeof *w);
            memmove(f, f + 3, (fl - 3) * sizeof *f);
            wl -= k;
            fl -= 3;
            pending_abd = 1;
        }
        if (pending_abd) {
            pending_abd = 0;
            if (fl == 4 && !memcmp(f, ALLAH, sizeof ALLAH)) {
                for (size_t v = 0; v < out->n; v++)
                    if ((out->a[v].n && cpbuf_push(&out->a[v], ' ')) ||
                        cpbuf_puts(&out->a[v], v == 1 ? "abdallah" : "abdullah"))
                        return ECTL_ENOMEM;
                continue;
            }
            int al = fl > 3 && f[0] == 0x0627 && f[1] == 0x0644;
            for (size_t v = 0; v < out->n; v++)
                if ((out->a[v].n && cpbuf_push(&out->a[v], ' ')) ||
                    cpbuf_puts(&out->a[v], !al      ? "abd"
                                           : v == 1 ? "abd al"
                                                    : "abdul"))
                    return ECTL_ENOMEM;
            /* the article went into "abdul" / "abd al" above */
            size_t k = al ? past_letters(w, wl, 2) : 0;
            const int32_t *fb = f + (al ? 2 : 0);
            size_t fbl = fl - (al ? 2 : 0);
            struct word_hit h = word_look(fb, fbl, 0);
            for (size_t v = 0; v < out->n; v++)
                if (cpbuf_push(&out->a[v], ' ') ||
                    word_rom(&out->a[v], v, w + k, wl - k, fb, fbl, persian, 0, h))
                    return ECTL_ENOMEM;
            continue;
        }
        if (put_word(out, w, wl, f, fl, persian, 1))
            return ECTL_ENOMEM;
    }
    if (pending_abd)
        for (size_t v = 0; v < out->n; v++)
            if ((out->a[v].n && cpbuf_push(&out->a[v], ' ')) || cpbuf_puts(&out->a[v], "abd"))
                return ECTL_ENOMEM;
    alts_dedup_last(out);
    if (out->n == 3) {
        /* drop variant 1 when it is variant 0 again, keeping 2 */
        if (out->a[1].n == out->a[0].n &&
            !memcmp(out->a[1].v, out->a[0].v, out->a[0].n * sizeof *out->a[0].v)) {
            struct cpbuf t = out->a[1];
            out->a[1] = out->a[2];
            out->a[2] = t;
            out->n = 2;
        }
    }
    return 0;
}
