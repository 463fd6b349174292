/*
 * The web UI: the files of web/ (HTML, CSS, JS, images), read once at start
 * and served from memory.  A request can only name a file that was loaded,
 * by its exact name, so no path from a client ever reaches the file system.
 *
 * Pages carry a Content-Security-Policy that allows scripts, styles and
 * requests only from this server, and may not be framed; with the reset
 * token in the URL of reset.html, no Referer leaves the page either.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "server.h"

#define MAX_ASSETS 64
#define MAX_ASSET_BYTES (2u << 20)

struct asset {
    char name[128];
    const char *type;
    char *data;
    size_t len;
};

static struct asset assets[MAX_ASSETS];
static size_t n_assets;

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *type_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return NULL;
}

static int load_one(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return -1;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_ASSET_BYTES) {
        fclose(f);
        return -1;
    }
    struct asset *a = &assets[n_assets];
    a->data = malloc((size_t)st.st_size + 1);
    if (!a->data) {
        fclose(f);
        return -1;
    }
    a->len = fread(a->data, 1, (size_t)st.st_size, f);
    fclose(f);
    snprintf(a->name, sizeof a->name, "/%s", name);
    a->type = type_of(name);
    n_assets++;
    return 0;
}

size_t srv_static_load(const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d) {
        srv_log("web UI: %s: %s (serving the API only)", dir ? dir : "(none)",
                dir ? strerror(errno) : "no folder");
        return 0;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n_assets < MAX_ASSETS) {
        if (e->d_name[0] == '.' || strlen(e->d_name) >= 120 || !type_of(e->d_name))
            continue;
        if (load_one(dir, e->d_name))
            srv_log("web UI: %s/%s: not loaded", dir, e->d_name);
    }
    closedir(d);
    return n_assets;
}

void srv_static_free(void)
{
    for (size_t i = 0; i < n_assets; i++)
        free(assets[i].data);
    n_assets = 0;
}

bool srv_static_serve(struct req *r)
{
    if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
        return false;
    const char *want = strcmp(r->path, "/") ? r->path : "/index.html";
    for (size_t i = 0; i < n_assets; i++) {
        const struct asset *a = &assets[i];
        if (strcmp(a->name, want))
            continue;
        r->content_type = a->type;
        if (!strncmp(a->type, "text/html", 9)) {
            srv_header(r, "Content-Security-Policy",
                       "default-src 'self'; script-src 'self'; style-src 'self'; "
                       "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
                       "base-uri 'none'; form-action 'self'");
            srv_header(r, "X-Frame-Options", "DENY");
            srv_header(r, "Referrer-Policy", "no-referrer");
        }
        srv_reply_raw(r, 200, a->data, a->len);
        return true;
    }
    return false;
}
