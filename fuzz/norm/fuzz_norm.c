/*
 * Fuzz the name normaliser: any bytes as a name.  Invalid UTF-8 must be
 * refused with ECTL_EPARSE; anything else must give well-formed variants
 * (tokens of [a-z0-9], NUL-terminated inside their variant's buffer, at
 * most ECTL_NORM_MAX_TOKENS) and never touch memory it does not own.  The
 * phonetic key is fed every token and the raw input.
 *
 * Differentially, the input's code points as a run: wherever our own
 * Devanagari table takes a run, its text must be ICU's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "screen/norm/norm_int.h"
#include "screen/normalize.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ectl_norm *norm;
static struct ectl_norm_result result;
static volatile size_t sink;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct ectl_error err;
    if (ectl_norm_new(&norm, &err)) {
        /* the environment's fault (no ICU data, no MeCab dictionary) */
        fprintf(stderr, "fuzz setup: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

static void check_form(const struct ectl_norm_result *r, size_t v)
{
    const struct ectl_name_form *f = &r->variants[v];
    const char *lo = r->buf + v * ECTL_NORM_BUFSZ, *hi = lo + ECTL_NORM_BUFSZ;
    if (f->n == 0 || f->n > ECTL_NORM_MAX_TOKENS)
        abort();
    for (size_t i = 0; i < f->n; i++) {
        const struct ectl_token *t = &f->tok[i];
        if (t->text < lo || t->text + t->len >= hi || t->len == 0 || t->text[t->len] != '\0')
            abort();
        for (size_t k = 0; k < t->len; k++) {
            char c = t->text[k];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                abort();
        }
        char key[16];
        size_t kl = ectl_norm_phonetic_key(t->text, t->len, key, sizeof key);
        if (kl >= sizeof key || key[kl] != '\0')
            abort();
        sink += kl + t->flags;
    }
}

static void deva_against_icu(const uint8_t *data, size_t size)
{
    int32_t cp[DEVA_RUN_MAX];
    size_t n = 0;
    for (size_t i = 0; i < size && n < DEVA_RUN_MAX;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate(data + i, (utf8proc_ssize_t)(size - i), &c);
        if (k <= 0)
            return;
        cp[n++] = c;
        i += (size_t)k;
    }
    struct cpbuf ours = {0}, icu = {0};
    int rc = deva_latin(cp, n, &ours);
    if (rc == 1) {
        if (icu_translit(norm, TR_ANY, cp, n, &icu) != 0 || icu.n != ours.n ||
            memcmp(icu.v, ours.v, ours.n * sizeof *ours.v))
            abort();
    } else if (rc != 0 || ours.n != 0) {
        abort();
    }
    cpbuf_release(&ours);
    cpbuf_release(&icu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ectl_error err;
    int rc = ectl_norm_name(norm, (const char *)data, size, &result, &err);
    if (rc == 0) {
        if (result.n_variants > ECTL_NORM_MAX_VARIANTS)
            abort();
        for (size_t v = 0; v < result.n_variants; v++)
            check_form(&result, v);
    } else if (rc != ECTL_EPARSE || result.n_variants != 0) {
        abort();
    } else {
        sink += strlen(err.msg);
    }
    deva_against_icu(data, size);
    char key[8];
    size_t kl = ectl_norm_phonetic_key((const char *)data, size, key, sizeof key);
    if (kl >= sizeof key || key[kl] != '\0')
        abort();
    return 0;
}
