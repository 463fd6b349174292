/*
 * Fuzz the name normaliser: any bytes as a name.  Invalid UTF-8 must be
 * refused with ECTL_EPARSE; anything else must give well-formed variants
 * (tokens of [a-z0-9], NUL-terminated inside their variant's buffer, at
 * most ECTL_NORM_MAX_TOKENS) and never touch memory it does not own.  The
 * phonetic key is fed every token and the raw input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    char key[8];
    size_t kl = ectl_norm_phonetic_key((const char *)data, size, key, sizeof key);
    if (kl >= sizeof key || key[kl] != '\0')
        abort();
    return 0;
}
