/*
 * Helpers shared by the libFuzzer harnesses.  Header-only, because every
 * harness is a single translation unit.
 *
 * The loaders read a directory, not a buffer, so the regime and agreements
 * harnesses stage a private copy of a real data directory once, overwrite
 * one file per input and put the original back afterwards.  Every string a
 * result hands out is read to its end: that read is what lets
 * AddressSanitizer see a pointer into freed or unterminated memory.
 */
#ifndef ECTL_FUZZ_UTIL_H
#define ECTL_FUZZ_UTIL_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <exportctl/exportctl.h>

#ifndef ECTL_FUZZ_DATA
#error "ECTL_FUZZ_DATA must name the data directory"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_FILES 8

struct fuzz_dir {
    char path[PATH_MAX];
    const char *const *names;
    size_t n;
    char *orig[FUZZ_MAX_FILES];
    size_t orig_len[FUZZ_MAX_FILES];
};

/* The sum only keeps the compiler from dropping the reads. */
static volatile size_t fuzz_sink;
static struct fuzz_dir *fuzz_staged;

static inline void fuzz_touch(const char *s)
{
    if (s)
        fuzz_sink += strlen(s);
}

static inline void fuzz_touch_determination(const struct ectl_determination *d)
{
    fuzz_touch(d->item);
    fuzz_touch(d->regime_item);
    fuzz_touch(d->description);
    fuzz_touch(d->decisive_rule);
    fuzz_touch(ectl_outcome_name(d->outcome));
    fuzz_sink += d->listed;
    for (size_t i = 0; i < d->n_options && i < ECTL_MAX_OPTIONS; i++)
        fuzz_touch(d->options[i]);
    for (size_t i = 0; i < d->n_reasons && i < ECTL_MAX_REASONS; i++) {
        fuzz_touch(d->reasons[i].rule);
        fuzz_touch(d->reasons[i].text);
        fuzz_touch(d->reasons[i].source);
        fuzz_sink += (size_t)d->reasons[i].from ^ (size_t)d->reasons[i].to;
    }
}

/* Setup failures are the environment's fault, not a finding: say so and
 * exit rather than abort, so that libFuzzer does not save a "crash". */
static inline void fuzz_die(const char *what, const char *path)
{
    fprintf(stderr, "fuzz setup: %s %s\n", what, path);
    exit(1);
}

static inline void fuzz_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
        fuzz_die("cannot write", path);
}

static inline void fuzz_dir_remove(void)
{
    char path[PATH_MAX + 64];
    for (size_t i = 0; fuzz_staged && i < fuzz_staged->n; i++) {
        snprintf(path, sizeof path, "%s/%s", fuzz_staged->path, fuzz_staged->names[i]);
        unlink(path);
    }
    if (fuzz_staged)
        rmdir(fuzz_staged->path);
}

/* Copy src/names[i] into a new directory under $TMPDIR, keeping each
 * file's original bytes for fuzz_dir_restore(); removed at exit. */
static inline void fuzz_dir_stage(struct fuzz_dir *d, const char *src, const char *const *names,
                                  size_t n)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(d->path, sizeof d->path, "%s/ectl-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (n > FUZZ_MAX_FILES || !mkdtemp(d->path))
        fuzz_die("cannot create a directory like", d->path);
    d->names = names;
    d->n = n;
    fuzz_staged = d;
    atexit(fuzz_dir_remove);
    char path[PATH_MAX + 64];
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/%s", src, names[i]);
        FILE *f = fopen(path, "rb");
        long len = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
        if (len < 0 || fseek(f, 0, SEEK_SET) != 0 || !(d->orig[i] = malloc((size_t)len + 1)) ||
            fread(d->orig[i], 1, (size_t)len, f) != (size_t)len)
            fuzz_die("cannot read", path);
        fclose(f);
        d->orig_len[i] = (size_t)len;
        snprintf(path, sizeof path, "%s/%s", d->path, names[i]);
        fuzz_write(path, d->orig[i], d->orig_len[i]);
    }
}

static inline void fuzz_dir_put(const struct fuzz_dir *d, size_t i, const void *data, size_t len)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", d->path, d->names[i]);
    fuzz_write(path, data, len);
}

static inline void fuzz_dir_restore(const struct fuzz_dir *d, size_t i)
{
    fuzz_dir_put(d, i, d->orig[i], d->orig_len[i]);
}

#endif
