#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, struct ectl_file *f, const char *path, struct ectl_error *err)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return ectl_error_set(err, ECTL_ENOMEM, "%s: out of memory", path);
    for (;;) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                return ectl_error_set(err, ECTL_ENOMEM, "%s: out of memory", path);
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            return ectl_error_set(err, ECTL_EIO, "%s: %s", path, strerror(e));
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    f->data = buf;
    f->len = len;
    f->mapped = 0;
    return 0;
}

int ectl_file_open(struct ectl_file *f, const char *path, struct ectl_error *err)
{
    memset(f, 0, sizeof *f);
    if (strcmp(path, "-") == 0)
        return read_all(STDIN_FILENO, f, "<stdin>", err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return ectl_error_set(err, e == ENOENT ? ECTL_ENOENT : ECTL_EIO, "%s: %s", path,
                              strerror(e));
    }
    struct stat st;
    int rc;
    if (fstat(fd, &st) != 0) {
        rc = ectl_error_set(err, ECTL_EIO, "%s: %s", path, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        rc = ectl_error_set(err, ECTL_EIO, "%s: is a directory", path);
    } else if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            rc = ectl_error_set(err, ECTL_EIO, "%s: %s", path, strerror(errno));
        } else {
            f->data = p;
            f->len = (size_t)st.st_size;
            f->mapped = 1;
            rc = 0;
        }
    } else {
        rc = read_all(fd, f, path, err);
    }
    close(fd);
    return rc;
}

void ectl_file_release(struct ectl_file *f)
{
    if (f->mapped)
        munmap((void *)f->data, f->len);
    else
        free((void *)f->data);
    memset(f, 0, sizeof *f);
}
