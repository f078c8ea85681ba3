/*
 * Only trusted code is loaded: a plugin file or directory that fails the
 * checks of base/strictmodes.h (others could have written it, or a
 * directory on its way) is refused before it is opened.
 */
#ifndef PS_TRUST_H
#define PS_TRUST_H

#include "base/buf.h"

/*
 * Checks the directory and every file a module request may open: PATH
 * (when it names a file), PATH.la, PATH.so and DIR/.libs/BASE.so. Returns 0,
 * or PS_EPLUGIN with the file and the fix in `err`.
 */
int ps__trust_module(const char *path, ps__buf_t *err);

#endif
