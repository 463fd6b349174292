/*
 * Whole-file input (internal).  Regular files are mapped read-only; pipes
 * and standard input ("-") are read into memory.  Either way the caller gets
 * one contiguous, read-only view and releases it with ectl_file_release().
 */
#ifndef ECTL_CORE_FILE_H
#define ECTL_CORE_FILE_H

#include <stddef.h>

#include <exportctl/error.h>

struct ectl_file {
    const char *data;
    size_t len;
    int mapped; /* 1: munmap, 0: free */
};

int ectl_file_open(struct ectl_file *f, const char *path, struct ectl_error *err)
    __attribute__((warn_unused_result));
void ectl_file_release(struct ectl_file *f);

#endif
