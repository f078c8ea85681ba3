#include "config.h"

#include "base/errors.h"

#include <parkstat/error.h>

const char *ps_strerror(int code)
{
    switch (code) {
    case PS_OK:
        return "success";
#define PS_ERRNO_TEXT_(name, value, text) case PS_E##name: return text;
        PS_ERRNO_MAP(PS_ERRNO_TEXT_)
#undef PS_ERRNO_TEXT_
    }
    return "unknown error";
}

const char *ps_err_name(int code)
{
    switch (code) {
    case PS_OK:
        return "PS_OK";
#define PS_ERRNO_NAME_(name, value, text) case PS_E##name: return "PS_E" #name;
        PS_ERRNO_MAP(PS_ERRNO_NAME_)
#undef PS_ERRNO_NAME_
    }
    return "PS_E?";
}
