/*
 * The streaming JSON writer (src/check/json_stream.c) against jansson: the
 * determine answer is streamed, the shipment check embeds the same object
 * read back into jansson and dumped by jansson, so the stream must print
 * jansson's bytes, compact and indented, for every item of every regime
 * and for strings that need escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/check/check_int.h"
#include "helpers.h"

struct out {
    char buf[1 << 16];
    size_t len;
    int fail_after; /* 0: never fail */
    int calls;
};

static int collect(void *ctx, const char *p, size_t n)
{
    struct out *o = ctx;
    if (o->fail_after && ++o->calls >= o->fail_after)
        return -1;
    assert_true(o->len + n < sizeof o->buf);
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    o->buf[o->len] = '\0';
    return 0;
}

/* jansson's dump of j, in the given mode. */
static char *jansson_text(json_t *j, bool pretty)
{
    char *s = json_dumps(j, pretty ? JSON_INDENT(2) : JSON_COMPACT);
    assert_non_null(s);
    return s;
}

static void strings_and_layout(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "plain",
        "",
        "quote \" and backslash \\",
        "tab\there, newline\nthere, \r \b \f",
        "\x01\x1f control",
        "del \x7f stays",
        "slash / stays",
        "カナ and 한글 and é",
        "\xf0\x9f\x98\x80 beyond the BMP",
    };
    for (int pretty = 0; pretty < 2; pretty++) {
        struct out *o = calloc(1, sizeof *o);
        struct ectl__jstream j;
        ectl__js_init(&j, pretty, collect, o);
        json_t *want = json_object();
        json_t *arr = json_array();
        ectl__js_object(&j);
        ectl__js_key(&j, "empty_array");
        ectl__js_array(&j);
        ectl__js_array_end(&j);
        json_object_set_new(want, "empty_array", json_array());
        ectl__js_key(&j, "empty_object");
        ectl__js_object(&j);
        ectl__js_object_end(&j);
        json_object_set_new(want, "empty_object", json_object());
        ectl__js_key(&j, "flags");
        ectl__js_array(&j);
        ectl__js_bool(&j, true);
        ectl__js_bool(&j, false);
        ectl__js_string(&j, NULL);
        ectl__js_array_end(&j);
        json_object_set_new(want, "flags", json_pack("[b, b, n]", 1, 0));
        ectl__js_key(&j, "texts");
        ectl__js_array(&j);
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            ectl__js_object(&j);
            ectl__js_key(&j, texts[i]);
            ectl__js_string(&j, texts[i]);
            ectl__js_object_end(&j);
            json_array_append_new(arr, json_pack("{s:s}", texts[i], texts[i]));
        }
        ectl__js_array_end(&j);
        json_object_set_new(want, "texts", arr);
        ectl__js_object_end(&j);
        struct ectl_error err = {0};
        assert_int_equal(ectl__js_finish(&j, &err), 0);
        char *w = jansson_text(want, pretty);
        assert_string_equal(o->buf, w);
        free(w);
        json_decref(want);
        free(o);
    }
}

static void refusals(void **state)
{
    (void)state;
    struct ectl_error err = {0};
    struct out *o = calloc(1, sizeof *o);
    struct ectl__jstream j;
    static const char *const bad[] = {"\xff", "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "cut \xe3\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ectl__js_init(&j, false, collect, o);
        ectl__js_string(&j, bad[i]);
        assert_int_equal(ectl__js_finish(&j, &err), ECTL_EINVAL);
    }
    /* A writer that stops: the error says so. */
    o->fail_after = 1;
    ectl__js_init(&j, false, collect, o);
    ectl__js_string(&j, "x");
    assert_int_equal(ectl__js_finish(&j, &err), ECTL_EIO);
    free(o);
}

/* Every item of a regime, on dates around its changes, to a few places:
 * the streamed determination equals jansson's dump of the object the check
 * embeds, byte for byte. */
static void same_as_jansson(const char *regime, const char *const *dates, const char *const *ccs)
{
    struct ectl_regime *r = load_regime(regime);
    char path[512];
    snprintf(path, sizeof path, DATA "/regimes/%s/items.csv", regime);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    size_t compared = 0;
    struct out *o = malloc(sizeof *o);
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || !strncmp(line, "code,", 5))
            continue;
        line[strcspn(line, ",\n")] = '\0';
        for (const char *const *d = dates; *d; d++)
            for (const char *const *cc = ccs; *cc; cc++) {
                struct ectl_determination det;
                struct ectl_error err = {0};
                if (ectl_determine(r, line, *cc, D(*d), false, &det, &err))
                    continue; /* not in force then: nothing to print */
                json_t *want = ectl__json_determination(line, &det);
                assert_non_null(want);
                for (int pretty = 0; pretty < 2; pretty++) {
                    memset(o, 0, sizeof *o);
                    struct ectl__jstream j;
                    ectl__js_init(&j, pretty, collect, o);
                    ectl__js_determination(&j, line, &det);
                    assert_int_equal(ectl__js_finish(&j, &err), 0);
                    char *w = jansson_text(want, pretty);
                    if (strcmp(o->buf, w))
                        fail_msg("%s %s %s %s: streamed\n%s\njansson\n%s", regime, line, *cc, *d,
                                 o->buf, w);
                    free(w);
                }
                json_decref(want);
                compared++;
            }
    }
    fclose(f);
    free(o);
    ectl_regime_unref(r);
    assert_true(compared > 20);
}

static void jp_items(void **state)
{
    (void)state;
    static const char *const dates[] = {"2019-07-03", "2019-07-04", "2019-08-28", "2023-07-21",
                                        NULL};
    static const char *const ccs[] = {"KR", "US", "CN", "KP", NULL};
    same_as_jansson("jp", dates, ccs);
}

static void us_items(void **state)
{
    (void)state;
    static const char *const dates[] = {"2026-09-01", NULL};
    static const char *const ccs[] = {"KR", "CN", "RU", NULL};
    same_as_jansson("us", dates, ccs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strings_and_layout),
        cmocka_unit_test(refusals),
        cmocka_unit_test(jp_items),
        cmocka_unit_test(us_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
