/*
 * Fuzz opening an index file, and searching one that opens.
 *
 * A random file never gets past the checksum, so byte 0 picks how the rest
 * is used:
 *   0  the rest is an index file as it is (header checks);
 *   1  the same, with its size and checksum fields put right, so that the
 *      structural checks of every section and reference run;
 *   2  the rest is a list of 5-byte edits (4-byte offset, 1-byte value)
 *      applied to a small valid index built at start-up, then resealed:
 *      damage in the places a real file has them.
 * Whatever opens is searched with queries made of fixed tokens and of the
 * index's own terms, with and without filters, and every string of every
 * answer is read to its end.  Refusing the file is fine; crashes, leaks
 * and UB are not.
 */
#include <stdlib.h>
#include <string.h>

#include "../fuzz_util.h"
#include "screen/index/builder.h"
#include "screen/index/index_int.h"
#include "screen/index/search.h"

static void *base;
static size_t base_len;
static struct ectl_scratch *scratch;

static void add(struct ectl_ixb *b, const char *list, const char *id, enum ectl_entity_type t,
                const char *cc, const char *const *names)
{
    const char *countries[] = {cc};
    struct ectl_entity e = {.list = list, .id = id, .type = t, .n_countries = 1,
                            .countries = countries};
    if (ectl_ixb_entity_begin(b, &e))
        fuzz_die("builder", "begin");
    for (size_t k = 0; names[k]; k++) {
        struct ectl_name_form f = {0};
        char *copy = strdup(names[k]);
        for (char *save = NULL, *tok = strtok_r(copy, " ", &save); tok && f.n < 8;
             tok = strtok_r(NULL, " ", &save)) {
            f.tok[f.n].text = names[k] + (tok - copy);
            f.tok[f.n].len = (uint16_t)strlen(tok);
            f.tok[f.n].flags = strcmp(tok, "llc") ? 0 : ECTL_TOK_LEGAL_FORM;
            f.n++;
        }
        if (ectl_ixb_name(b, names[k], k ? ECTL_NAME_AKA : ECTL_NAME_PRIMARY, &f, 1))
            fuzz_die("builder", "name");
        free(copy);
    }
    ectl_ixb_entity_end(b);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct ectl_ixb *b;
    if (ectl_ixb_new(&b))
        fuzz_die("builder", "new");
    static const char *const a[] = {"kim jong un", "kim jongun", NULL};
    static const char *const c[] = {"acme trading llc", "acme", NULL};
    static const char *const d[] = {"al qaida", "the base", NULL};
    static const char *const v[] = {"sea star 7", NULL};
    add(b, "l1", "1", ECTL_TYPE_PERSON, "KP", a);
    add(b, "l1", "2", ECTL_TYPE_ENTITY, "IR", c);
    add(b, "l2", "3", ECTL_TYPE_UNKNOWN, "", d);
    add(b, "l2", "4", ECTL_TYPE_VESSEL, "RU", v);
    struct ectl_error err = {0};
    if (ectl_ixb_source_done(b, "simple-csv", "2026-01-01") ||
        ectl_ixb_compile(b, 0, &base, &base_len, &err))
        fuzz_die("builder", err.msg);
    ectl_ixb_free(b);
    scratch = ectl_scratch_new();
    if (!scratch)
        fuzz_die("scratch", "");
    return 0;
}

static void query(const struct ectl_index *ix, const char *const *tokens, size_t n,
                  const struct ectl_screen_opts *o)
{
    static struct ectl_norm_result q;
    q.n_variants = 1;
    q.variants[0].n = 0;
    for (size_t i = 0; i < n && i < ECTL_NORM_MAX_TOKENS; i++) {
        struct ectl_token *t = &q.variants[0].tok[q.variants[0].n++];
        t->text = tokens[i];
        t->len = (uint16_t)strlen(tokens[i]);
        t->flags = 0;
    }
    struct ectl_match m[16];
    size_t k;
    struct ectl_error err = {0};
    if (ectl_search(scratch, ix, &q, o, NULL, NULL, m, 16, &k, NULL, &err) != 0) {
        fuzz_touch(err.msg);
        return;
    }
    for (size_t i = 0; i < k; i++) {
        fuzz_touch(m[i].list);
        fuzz_touch(m[i].id);
        fuzz_touch(m[i].name);
        fuzz_touch(m[i].matched_name);
        fuzz_touch(m[i].programs);
        fuzz_touch(m[i].countries);
        fuzz_touch(m[i].explain);
        fuzz_sink += (size_t)(m[i].score * 1000) + m[i].type;
    }
}

static void use(const struct ectl_index *ix)
{
    fuzz_touch(ectl_index_built_at(ix));
    for (size_t i = 0; i < ectl_index_list_count(ix) + 1; i++) {
        struct ectl_list_info li;
        ectl_index_list_info(ix, i, &li);
        fuzz_touch(li.list);
        fuzz_touch(li.format);
        fuzz_touch(li.list_date);
        fuzz_sink += li.entities + li.names + li.by_type[1];
    }
    static const char *const fixed[] = {"kim", "jong", "un", "acme", "alqaida", "trading", "7"};
    struct ectl_screen_opts any = {.threshold = 0.3};
    query(ix, fixed, 3, &any);
    query(ix, fixed + 3, 4, &any);
    /* The index's own terms, and typos of them, reach its postings. */
    const char *own[8];
    char typo[8][32];
    size_t n = 0;
    for (uint32_t t = 0; t < ix->n_terms && n < 4; t++, n++) {
        own[n] = ix->str + ix->terms[t].text;
        size_t l = strlen(own[n]);
        if (l >= sizeof typo[0])
            l = sizeof typo[0] - 1;
        memcpy(typo[n], own[n], l);
        typo[n][l] = '\0';
        if (l > 1) {
            char x = typo[n][0];
            typo[n][0] = typo[n][1];
            typo[n][1] = x;
        }
        own[4 + n] = typo[n];
    }
    query(ix, own, n, &any);
    for (size_t i = 0; i < n; i++)
        own[i] = own[4 + i];
    struct ectl_screen_opts narrow = {.threshold = 0.5, .type = ECTL_TYPE_PERSON, .country = "kp"};
    query(ix, own, n, &narrow);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int mode = data[0] % 3;
    data++;
    size--;
    size_t len = mode == 2 ? base_len : size;
    /* Aligned, and exactly len bytes, so that reads past the end trap. */
    unsigned char *file = malloc(len ? len : 1);
    if (!file || ((uintptr_t)file % 8) != 0)
        fuzz_die("malloc", "");
    if (mode == 2) {
        memcpy(file, base, base_len);
        for (size_t i = 0; i + 5 <= size; i += 5) {
            uint32_t off;
            memcpy(&off, data + i, 4);
            file[off % base_len] = data[i + 4];
        }
    } else if (size) {
        memcpy(file, data, size);
    }
    if (mode != 0 && len >= ECTL_IX_HEADER_SIZE) {
        struct ectl_ix_header h;
        memcpy(&h, file, sizeof h);
        h.file_size = len;
        memcpy(file, &h, sizeof h);
        h.checksum = ectl_ix_checksum(file, len);
        memcpy(file, &h, sizeof h);
    }
    struct ectl_index *ix;
    struct ectl_error err = {0};
    if (ectl_index_open_mem(file, len, "fuzz", &ix, &err) == 0) {
        use(ix);
        ectl_index_close(ix);
    } else {
        fuzz_touch(err.msg);
    }
    free(file);
    return 0;
}
