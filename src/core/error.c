#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <exportctl/error.h>

const char *ectl_strerror(int code)
{
    switch (code) {
    case ECTL_OK:
        return "success";
#define XX(name, value, text)                                                  \
    case ECTL_E##name:                                                         \
        return text;
        ECTL_ERRNO_MAP(XX)
#undef XX
    }
    return "unknown error";
}

const char *ectl_err_name(int code)
{
    switch (code) {
    case ECTL_OK:
        return "ECTL_OK";
#define XX(name, value, text)                                                  \
    case ECTL_E##name:                                                         \
        return "ECTL_E" #name;
        ECTL_ERRNO_MAP(XX)
#undef XX
    }
    return "ECTL_E?";
}

void ectl_error_clear(struct ectl_error *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
    }
}

int ectl_error_set(struct ectl_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int ectl_error_prefix(struct ectl_error *err, const char *prefix)
{
    if (!err)
        return ECTL_EINVAL;
    char tmp[ECTL_ERROR_MSG_MAX];
    snprintf(tmp, sizeof tmp, "%s: %s", prefix, err->msg);
    memcpy(err->msg, tmp, sizeof tmp);
    return err->code;
}
