/*
 * Fuzz the OFAC legacy set with its companion files.  The input is split
 * at 0x1E (ASCII record separator) into up to four parts: sdn.csv,
 * alt.csv, add.csv and sdn_comments.csv, written to a private directory
 * ($TMPDIR/ectl-fuzz-ofac-XXXXXX, removed at exit); a part that is absent
 * removes its file.  ectl_ingest_file() then reads the set as it would
 * from OFAC's download, so the companion index, the merge by ent_num and
 * the remarks overflow are all under test.
 */
#include "fuzz_ingest.h"

#include <limits.h>
#include <stdbool.h>
#include <unistd.h>

static char dir[PATH_MAX];
static const char *const files[4] = {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};

static void path_of(char *out, size_t cap, int i)
{
    snprintf(out, cap, "%s/%s", dir, files[i]);
}

static void cleanup(void)
{
    char path[PATH_MAX + 32];
    for (int i = 0; i < 4; i++) {
        path_of(path, sizeof path, i);
        unlink(path);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/ectl-fuzz-ofac-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        /* The environment's fault, not a finding: exit, do not crash. */
        fprintf(stderr, "fuzz setup: cannot create %s\n", dir);
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[PATH_MAX + 32];
    size_t off = 0;
    bool more = true;
    for (int i = 0; i < 4; i++) {
        path_of(path, sizeof path, i);
        if (!more) {
            unlink(path);
            continue;
        }
        const uint8_t *q = i < 3 ? memchr(data + off, 0x1E, size - off) : NULL;
        size_t n = q ? (size_t)(q - (data + off)) : size - off;
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(data + off, 1, n, f) != n || fclose(f) != 0) {
            fprintf(stderr, "fuzz setup: cannot write %s\n", path);
            exit(1);
        }
        off += n + (q ? 1 : 0);
        more = q != NULL;
    }
    path_of(path, sizeof path, 0);
    struct ectl_source_report r;
    struct ectl_error err;
    uint64_t calls = 0;
    int rc = ectl_ingest_file(path, NULL, fuzz_consume, &calls, &r, &err);
    fuzz_check_result(rc, calls, &r, &err, true);
    return 0;
}
