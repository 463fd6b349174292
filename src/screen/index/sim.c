#include "sim.h"

#include <stdint.h>
#include <string.h>

/* Tokens longer than this are compared on their first JARO_MAX bytes: no
 * real name part is that long, and a bound keeps the flags on the stack. */
#define JARO_MAX 64

/* Byte -> 1..36 for [0-9a-z], 0 for anything else (see the slow path). */
#define D(c) [c] = (unsigned char)(1 + (c) - '0')
#define L(c) [c] = (unsigned char)(11 + (c) - 'a')
static const unsigned char codes[256] = {
    D('0'), D('1'), D('2'), D('3'), D('4'), D('5'), D('6'), D('7'), D('8'), D('9'),
    L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'), L('j'),
    L('k'), L('l'), L('m'), L('n'), L('o'), L('p'), L('q'), L('r'), L('s'), L('t'),
    L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
};
#undef D
#undef L

static inline unsigned code(unsigned char c)
{
    return codes[c];
}

/* The textbook algorithm, for bytes outside [0-9a-z]. */
static double jaro_bytes(const char *a, size_t la, const char *b, size_t lb)
{
    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 > 1 ? longer / 2 - 1 : 1;
    uint64_t ma = 0, mb = 0;
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lb ? i + window + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!(mb >> j & 1) && a[i] == b[j]) {
                ma |= (uint64_t)1 << i;
                mb |= (uint64_t)1 << j;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t t = 0, j = 0;
    for (size_t i = 0; i < la; i++) {
        if (!(ma >> i & 1))
            continue;
        while (!(mb >> j & 1))
            j++;
        if (a[i] != b[j])
            t++;
        j++;
    }
    double dm = (double)m;
    return (dm / (double)la + dm / (double)lb + (dm - (double)t / 2.0) / dm) / 3.0;
}

static inline uint64_t low_bits(size_t n)
{
    return n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
}

void ectl_jaro_pre_init(struct ectl_jaro_pre *p, const char *b, size_t lb)
{
    p->full = lb;
    if (lb > JARO_MAX)
        lb = JARO_MAX;
    p->s = b;
    p->len = lb;
    p->slow = 0;
    p->present = 0;
    p->ge[0] = p->ge[1] = p->ge[2] = 0;
    memset(p->cnt, 0, sizeof p->cnt);
    for (size_t j = 0; j < lb; j++) {
        unsigned c = code((unsigned char)b[j]);
        if (!c) {
            p->slow = 1;
            return;
        }
        if (!(p->present >> c & 1)) {
            p->present |= (uint64_t)1 << c;
            p->pos[c] = 0;
        }
        p->pos[c] |= (uint64_t)1 << j;
        if (p->cnt[c] < 3)
            p->ge[p->cnt[c]] |= (uint64_t)1 << c;
        p->cnt[c]++;
    }
}

/* Bit-parallel matching (as in rapidfuzz): pos[c] has bit j set where
 * b[j] == c, so the first free match of a[i] in its window is the lowest
 * bit of pos[a[i]] & window & ~matched.  The same matches as the textbook
 * loop, in a few operations per byte. */
double ectl_sim_jaro_pre(const struct ectl_jaro_pre *p, const char *a, size_t la)
{
    const char *b = p->s;
    size_t lb = p->len;
    if (la > JARO_MAX)
        la = JARO_MAX;
    if (la == 0 || lb == 0)
        return 0.0;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    if (p->slow)
        return jaro_bytes(a, la, b, lb);
    size_t longer = la > lb ? la : lb;
    size_t window = longer / 2 > 1 ? longer / 2 - 1 : 1;
    /* win: the bytes of b within the window of a[i], [i - window, i +
     * window], slid one byte per step (pos[] has no bit at or past lb). */
    uint64_t ma = 0, mb = 0, win = low_bits(window + 1);
    size_t m = 0;
    for (size_t i = 0; i < la; i++, win = i <= window ? win << 1 | 1 : win << 1) {
        unsigned c = code((unsigned char)a[i]);
        if (!c)
            return jaro_bytes(a, la, b, lb);
        if (!(p->present >> c & 1))
            continue;
        uint64_t cand = p->pos[c] & win & ~mb;
        if (cand) {
            mb |= cand & (~cand + 1);
            ma |= (uint64_t)1 << i;
            m++;
        }
    }
    if (m == 0)
        return 0.0;
    /* Transpositions: the matched bytes of a and of b, in order, differ. */
    size_t t = 0;
    uint64_t x = ma, y = mb;
    while (x) {
        size_t i = (size_t)__builtin_ctzll(x), j = (size_t)__builtin_ctzll(y);
        t += a[i] != b[j];
        x &= x - 1;
        y &= y - 1;
    }
    /* (m/la + m/lb + (m - t/2)/m) / 3 with one division. */
    double dm = (double)m, da = (double)la, db = (double)lb;
    return (dm * dm * (da + db) + (dm - (double)t / 2.0) * da * db) / (3.0 * dm * da * db);
}

double ectl_sim_jaro(const char *a, size_t la, const char *b, size_t lb)
{
    struct ectl_jaro_pre p;
    ectl_jaro_pre_init(&p, b, lb);
    return ectl_sim_jaro_pre(&p, a, la);
}

static double winkler(double j, const char *a, size_t la, const char *b, size_t lb)
{
    if (j <= 0.7)
        return j;
    size_t p = 0, lim = la < lb ? la : lb;
    if (lim > 4)
        lim = 4;
    while (p < lim && a[p] == b[p])
        p++;
    return j + 0.1 * (double)p * (1.0 - j);
}

double ectl_sim_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    return winkler(ectl_sim_jaro(a, la, b, lb), a, la, b, lb);
}

bool ectl_sim_has_digit(const char *a, size_t la)
{
    for (size_t i = 0; i < la; i++)
        if (a[i] >= '0' && a[i] <= '9')
            return true;
    return false;
}

/* Jaro is kind to a short token against a long one that starts the same
 * way ("ali" / "alimov" 0.90); real typos keep the length. */
static double length_penalty(double s, size_t la, size_t lb)
{
    size_t lo = la < lb ? la : lb, hi = la < lb ? lb : la;
    double ratio = (double)lo / (double)hi;
    if (ratio < 0.8)
        s *= 1.0 - (0.8 - ratio) * 0.5;
    return s;
}

double ectl_sim_letters_pre(const struct ectl_jaro_pre *p, const char *a, size_t la)
{
    double j = ectl_sim_jaro_pre(p, a, la);
    return length_penalty(winkler(j, a, la, p->s, p->full), la, p->full);
}

/* The bound of ectl_sim_letters(a, la, b, lb) when at most m letters of
 * a's first n bytes can match b's first lb_cut: Jaro with those matches and
 * no transposition, by the formula ectl_sim_jaro_pre uses (its products are
 * exact and its one division correctly rounded, so the bound is not an ulp
 * below the exact value), then Winkler and the length penalty as
 * ectl_sim_letters.  Winkler reads a's first four bytes at most. */
static inline __attribute__((always_inline)) double
bound_of_matches(size_t m, size_t n, size_t lb_cut, const char *a, size_t la, const char *b,
                 size_t lb)
{
    if (m == 0)
        return 0.0;
    double dm = (double)m, da = (double)n, db = (double)lb_cut;
    double j = (dm * dm * (da + db) + dm * da * db) / (3.0 * dm * da * db);
    return length_penalty(winkler(j, a, la, b, lb), la, lb);
}

/* The bound of ectl_sim_letters(a, la, b, lb), given how many times each
 * letter code occurs in b's first lb_cut bytes (cnt) and b itself. */
static double letters_bound(const uint8_t *cnt, const char *b, size_t lb_cut, size_t lb,
                            const char *a, size_t la)
{
    size_t n = la > JARO_MAX ? JARO_MAX : la;
    if (n == 0 || lb_cut == 0)
        return 0.0;
    /* Each match pairs a letter of a with an equal letter of b, each used
     * once: at most min(count in a, count in b) matches per letter. */
    uint8_t seen[37] = {0};
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = codes[(unsigned char)a[i]];
        if (!c)
            return 1.0; /* the textbook path matches such bytes too */
        if (seen[c] < cnt[c]) {
            seen[c]++;
            m++;
        }
    }
    return bound_of_matches(m, n, lb_cut, a, la, b, lb);
}

double ectl_sim_letters_bound_pre(const struct ectl_jaro_pre *p, const char *a, size_t la)
{
    if (la == 0 || p->len == 0)
        return 0.0;
    if (p->slow)
        return 1.0;
    return letters_bound(p->cnt, p->s, p->len, p->full, a, la);
}

int ectl_sim_letter_masks(const char *s, size_t len, uint64_t ge[3], uint32_t *head)
{
    size_t n = len > JARO_MAX ? JARO_MAX : len;
    uint8_t cnt[37] = {0};
    int ok = 1;
    ge[0] = ge[1] = ge[2] = 0;
    *head = 0;
    for (size_t i = 0; i < len && i < 4; i++)
        *head |= (uint32_t)(unsigned char)s[i] << (8 * i);
    for (size_t i = 0; i < n; i++) {
        unsigned c = codes[(unsigned char)s[i]];
        if (!c || cnt[c] == 3) {
            ok = 0;
            continue;
        }
        ge[cnt[c]++] |= (uint64_t)1 << c;
    }
    return ok;
}

/* The x86-64 baseline has no popcount instruction (libgcc counts in
 * software, a call and a dozen operations a word): with GCC a second copy
 * for the processors that have it (all since 2008), chosen once at load
 * time.  (Clang 14 emits such clones in a form that another object file
 * of a static library cannot link to; its builds, the fuzzers', count in
 * software.  Under ThreadSanitizer the resolver would run, instrumented,
 * before the sanitizer's runtime is up, and crash the program at load.) */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && \
    !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("popcnt", "default")))
#endif
double ectl_sim_letters_bound_counts(const struct ectl_jaro_pre *p, const uint64_t ge[3],
                                     uint32_t head, size_t la)
{
    size_t n = la > JARO_MAX ? JARO_MAX : la;
    if (n == 0 || p->len == 0)
        return 0.0;
    /* A term with no letter more than three times: min(count in the term,
     * count in p) summed over the letters is the matches at levels 1-3.
     * p->ge has no bits above the letters': what ge keeps there goes. */
    size_t m = (size_t)__builtin_popcountll(ge[0] & p->ge[0]) +
               (size_t)__builtin_popcountll(ge[1] & p->ge[1]) +
               (size_t)__builtin_popcountll(ge[2] & p->ge[2]);
    /* the head bytes are all of the term that Winkler reads */
    char a[4] = {(char)head, (char)(head >> 8), (char)(head >> 16), (char)(head >> 24)};
    return bound_of_matches(m, n, p->len, a, la, p->s, p->full);
}

double ectl_sim_letters_bound(const char *a, size_t la, const char *b, size_t lb)
{
    size_t cut = lb > JARO_MAX ? JARO_MAX : lb;
    if (la == 0 || cut == 0)
        return 0.0;
    uint8_t cnt[37] = {0};
    for (size_t j = 0; j < cut; j++) {
        unsigned c = codes[(unsigned char)b[j]];
        if (!c)
            return 1.0; /* ectl_jaro_pre_init's slow path */
        cnt[c]++;
    }
    return letters_bound(cnt, b, cut, lb, a, la);
}

double ectl_sim_letters(const char *a, size_t la, const char *b, size_t lb)
{
    return length_penalty(ectl_sim_jaro_winkler(a, la, b, lb), la, lb);
}

double ectl_sim_token(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    if (la == 0 || lb == 0 || ectl_sim_has_digit(a, la) || ectl_sim_has_digit(b, lb))
        return 0.0;
    return ectl_sim_letters(a, la, b, lb);
}

size_t ectl_sim_osa(const char *a, size_t la, const char *b, size_t lb, size_t max)
{
    if (la > JARO_MAX)
        la = JARO_MAX;
    if (lb > JARO_MAX)
        lb = JARO_MAX;
    if ((la > lb ? la - lb : lb - la) > max)
        return max + 1;
    /* Three rows of the dynamic programme: i-2, i-1, i. */
    size_t r0[JARO_MAX + 1], r1[JARO_MAX + 1], r2[JARO_MAX + 1];
    size_t *pp = r0, *p = r1, *c = r2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        size_t row_min = c[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t d = p[j - 1] + cost;
            if (p[j] + 1 < d)
                d = p[j] + 1;
            if (c[j - 1] + 1 < d)
                d = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            c[j] = d;
            if (d < row_min)
                row_min = d;
        }
        if (row_min > max)
            return max + 1;
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb] > max ? max + 1 : p[lb];
}
