/*
 * UTF-8 as the library takes it: well-formed, shortest form, no UTF-16
 * surrogates, nothing above U+10FFFF.  For callers that must check or mend
 * text before it reaches JSON or the library.
 */
#ifndef EXPORTCTL_UTF8_H
#define EXPORTCTL_UTF8_H

#include <stddef.h>

/* The length of the longest prefix of s[0..n) that is well-formed UTF-8;
 * n when all of it is. */
size_t ectl_utf8_valid_prefix(const char *s, size_t n);

#endif
