/* parkstat SDK: error codes shared by the core and plugins. */
#ifndef PARKSTAT_ERROR_H
#define PARKSTAT_ERROR_H

/*
 * Every SDK function returns 0 on success or one of these negative codes.
 * The detail (file, line, key, value) goes into the error text the caller
 * owns; the code says only what kind of failure it was.
 */
#define PS_ERRNO_MAP(X)                                                     \
    X(NOMEM,    -1, "out of memory")                                        \
    X(INVAL,    -2, "invalid argument")                                     \
    X(NOENT,    -3, "not found")                                            \
    X(IO,       -4, "input/output error")                                   \
    X(PARSE,    -5, "malformed input")                                      \
    X(RANGE,    -6, "value out of range")                                   \
    X(OVERFLOW, -7, "arithmetic overflow")                                  \
    X(UNIT,     -8, "unit mismatch")                                        \
    X(CONFIG,   -9, "configuration error")                                  \
    X(ABI,     -10, "plugin ABI mismatch")                                  \
    X(PLUGIN,  -11, "plugin failed")                                        \
    X(EXISTS,  -12, "already exists")

typedef enum ps_errno {
    PS_OK = 0,
#define PS_ERRNO_ENUM_(name, code, text) PS_E##name = (code),
    PS_ERRNO_MAP(PS_ERRNO_ENUM_)
#undef PS_ERRNO_ENUM_
} ps_errno_t;

#endif
