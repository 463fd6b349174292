/*
 * Fuzz the regime loader.  Input: byte 0 modulo 5 picks one of the five
 * files of data/regimes/jp, the rest replaces its content.  A regime that
 * loads is then queried, so that what the loader accepts is also safe to
 * answer from.  Refusing the data is fine; crashes, leaks and UB are not.
 */
#include "fuzz_util.h"

static const char *const files[] = {"regime.csv", "sources.csv", "sets.csv", "items.csv",
                                    "rules.csv"};
static struct fuzz_dir dir;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir_stage(&dir, ECTL_FUZZ_DATA "/regimes/jp", files, 5);
    return 0;
}

static void query(const struct ectl_regime *r)
{
    /* Codes the real data lists, a sub-paragraph, the unlisted codes and
     * junk; a fuzzed file may well define the junk. */
    static const char *const items[] = {"7(19)", "3C002.a.2", "1C009.b", "none", "EAR99", "x", ""};
    static const char *const dests[] = {"KR", "kr", "US", "KP", "EE", "ZZ", "K"};
    ectl_date cover = ectl_regime_covered_from(r), far = ectl_date_from_ymd(2999, 12, 31);
    const ectl_date dates[] = {cover > ECTL_DATE_MIN ? cover - 1 : cover, cover,
                               ectl_date_from_ymd(2019, 8, 28), far};
    struct ectl_determination d;
    struct ectl_error err;
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        for (size_t c = 0; c < sizeof dests / sizeof *dests; c++)
            for (size_t k = 0; k < sizeof dates / sizeof *dates * 2; k++)
                if (ectl_determine(r, items[i], dests[c], dates[k / 2], k & 1, &d, &err) == 0)
                    fuzz_touch_determination(&d);

    /* A cap of 8 truncates the larger groups; one index past the end must
     * answer nothing rather than read past the table. */
    const char *members[8];
    for (size_t g = 0; g <= ectl_regime_group_count(r); g++) {
        fuzz_touch(ectl_regime_group_id(r, g));
        size_t n = ectl_regime_group_members(r, g, dates[2], members, 8);
        for (size_t m = 0; m < n && m < 8; m++)
            fuzz_touch(members[m]);
    }

    /* Size, then fill a buffer one short, to exercise the truncation. */
    int n = ectl_regime_diff(r, cover, far, NULL, 0, &err);
    struct ectl_change *ch = n > 0 ? calloc((size_t)n, sizeof *ch) : NULL;
    if (ch && ectl_regime_diff(r, cover, far, ch, (size_t)n - 1, &err) >= 0)
        for (int i = 0; i < n - 1; i++) {
            fuzz_touch(ectl_change_kind_name(ch[i].kind));
            fuzz_touch(ch[i].subject);
            fuzz_touch(ch[i].country);
            fuzz_touch(ch[i].change);
            fuzz_touch(ch[i].text);
            fuzz_touch(ch[i].source);
        }
    free(ch);
    fuzz_touch(ectl_regime_id(r));
    fuzz_touch(ectl_regime_name(r));
    fuzz_touch(ectl_regime_data_version(r));
    fuzz_touch(ectl_regime_country_name(r, "kr"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t which = data[0] % 5;
    fuzz_dir_put(&dir, which, data + 1, size - 1);
    struct ectl_regime *r;
    struct ectl_error err;
    if (ectl_regime_load(dir.path, ECTL_FUZZ_DATA "/countries.csv", &r, &err) == 0) {
        query(r);
        ectl_regime_unref(r);
    }
    fuzz_dir_restore(&dir, which);
    return 0;
}
