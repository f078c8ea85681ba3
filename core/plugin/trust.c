#include "config.h"

#include "plugin/trust.h"

#include <string.h>

#include <parkstat/error.h>

#include "base/strictmodes.h"

/* 0 when `path` is absent or trusted; PS_EPLUGIN with the reason otherwise. */
static int trust_file(const char *path, ps__buf_t *err)
{
    ps__buf_t why = PS_BUF_INIT;
    int rc = ps__strict_check(path, PS_STRICT_RELAXABLE, &why);
    if (rc != 0 && rc != PS_ENOENT)
        ps__buf_puts(err, ps__buf_str(&why));
    ps__buf_free(&why);
    return rc != 0 && rc != PS_ENOENT ? PS_EPLUGIN : 0;
}

int ps__trust_module(const char *path, ps__buf_t *err)
{
    ps__buf_t dir = PS_BUF_INIT, candidate = PS_BUF_INIT;
    const char *slash = strrchr(path, '/');
    if (slash)
        ps__buf_append(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    else
        ps__buf_puts(&dir, ".");
    const char *base = slash ? slash + 1 : path;
    size_t stem = strlen(base);
    if (stem > 3 && (strcmp(base + stem - 3, ".la") == 0 || strcmp(base + stem - 3, ".so") == 0))
        stem -= 3;
    int rc = trust_file(ps__buf_str(&dir), err);
    static const char *const suffixes[] = { "", ".la", ".so" };
    for (size_t i = 0; rc == 0 && i < sizeof suffixes / sizeof suffixes[0]; i++) {
        ps__buf_reset(&candidate);
        ps__buf_printf(&candidate, "%s%s", path, suffixes[i]);
        rc = trust_file(ps__buf_str(&candidate), err);
    }
    if (rc == 0) {
        ps__buf_reset(&candidate);
        ps__buf_printf(&candidate, "%s/.libs/%.*s.so", ps__buf_str(&dir), (int)stem, base);
        rc = trust_file(ps__buf_str(&candidate), err);
    }
    ps__buf_free(&dir);
    ps__buf_free(&candidate);
    return rc;
}
