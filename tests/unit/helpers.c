#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tmpdir[256];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

void tmp_write(const char *dir, const char *file, const char *contents)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(contents, f);
    fclose(f);
}

const char *tmp_regime_copy(const char *regime)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/ectl-test-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    char src[512];
    snprintf(src, sizeof src, "%s/regimes/%s", DATA, regime);
    DIR *d = opendir(src);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", src, e->d_name);
        char *text = slurp(path, NULL);
        tmp_write(tmpdir, e->d_name, text);
        free(text);
    }
    closedir(d);
    return tmpdir;
}

int tmp_edit(const char *dir, const char *file, const char *from, const char *to)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text = slurp(path, NULL);
    char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' not found in %s", from, path);
    size_t out_len = strlen(text) - strlen(from) + strlen(to) + 1;
    char *out = malloc(out_len);
    assert_non_null(out);
    snprintf(out, out_len, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    tmp_write(dir, file, out);
    int line = 1;
    for (const char *p = text; p < at; p++)
        line += *p == '\n';
    free(out);
    free(text);
    return line;
}

void tmp_remove(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

struct ectl_regime *load_regime(const char *regime)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/regimes/%s", DATA, regime);
    struct ectl_regime *r = NULL;
    struct ectl_error err;
    int rc = ectl_regime_load(dir, COUNTRIES, &r, &err);
    if (rc)
        fail_msg("loading %s: %s", regime, err.msg);
    return r;
}

ectl_date D(const char *iso)
{
    ectl_date d;
    if (ectl_date_parse_str(iso, &d))
        fail_msg("bad date in test: %s", iso);
    return d;
}
