/*
 * exportctl error model.
 *
 * Every fallible library function returns an int: 0 on success, a negative
 * ECTL_E* code on failure.  Callers that want to know *where* something went
 * wrong (file, line, column, the offending value) pass a struct ectl_error,
 * which the library fills with a code and a one-line, lower-case message.
 * The library never prints and never exits; the CLI and the server turn the
 * message into output and the code into an exit status or HTTP status.
 */
#ifndef EXPORTCTL_ERROR_H
#define EXPORTCTL_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: name, value, default text.  One list generates the enum,
 * ectl_strerror() and ectl_err_name(). */
#define ECTL_ERRNO_MAP(XX)                                                     \
    XX(NOMEM, -1, "out of memory")                                             \
    XX(INVAL, -2, "invalid argument")                                          \
    XX(IO, -3, "input/output error")                                           \
    XX(NOENT, -4, "no such file or directory")                                 \
    XX(PARSE, -5, "malformed input")                                           \
    XX(UNKNOWN_ITEM, -6, "unknown item code")                                  \
    XX(UNKNOWN_COUNTRY, -7, "unknown country code")                            \
    XX(BAD_DATE, -8, "malformed date")                                         \
    XX(NODATA, -9, "no confirmed rule covers this question")                   \
    XX(UNKNOWN_REGIME, -10, "unknown regime")                                  \
    XX(DATA, -11, "invalid regime data")                                       \
    XX(RANGE, -12, "value out of range")                                       \
    XX(CANCELED, -13, "operation canceled")                                    \
    XX(FORMAT, -14, "input is not in the expected format")                     \
    XX(CORRUPT, -15, "file is corrupt or truncated")                           \
    XX(EXISTS, -16, "already exists")                                          \
    XX(DENIED, -17, "permission denied")                                       \
    XX(STORE, -18, "storage error")

enum ectl_errno {
    ECTL_OK = 0,
#define ECTL__ERR_ENUM(name, value, text) ECTL_E##name = (value),
    ECTL_ERRNO_MAP(ECTL__ERR_ENUM)
#undef ECTL__ERR_ENUM
};

#define ECTL_ERROR_MSG_MAX 512

/* Detail for a failure.  Zero-initialise it (or call ectl_error_clear());
 * after a failed call, .code holds the same negative code the function
 * returned and .msg a message such as
 *   "data/regimes/jp/sets.csv:14:3: unknown country code 'XX'". */
struct ectl_error {
    int code;
    char msg[ECTL_ERROR_MSG_MAX];
};

/* Static text for a code; never NULL (unknown codes give "unknown error"). */
const char *ectl_strerror(int code);

/* Symbolic name for a code, e.g. "ECTL_EPARSE"; never NULL. */
const char *ectl_err_name(int code);

void ectl_error_clear(struct ectl_error *err);

/* Record code and a printf-style message in err (err may be NULL).
 * Returns code, so that library code can write `return ectl_error_set(...)`. */
int ectl_error_set(struct ectl_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix an existing message with "prefix: " (used to add a file name to an
 * error raised by a lower layer).  Returns err->code. */
int ectl_error_prefix(struct ectl_error *err, const char *prefix);

#ifdef __cplusplus
}
#endif
#endif
