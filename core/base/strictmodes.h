/*
 * StrictModes, as sshd has them: a file that decides what parkstat runs
 * (the configuration, the plugin directory, a module) is trusted only when
 * nobody but root and the user running parkstat could have written it, or
 * put another file in its place.
 */
#ifndef PS_STRICTMODES_H
#define PS_STRICTMODES_H

#include "base/buf.h"

enum ps__strict_flags {
    /* The path itself may be a directory writable by others when it has
       the sticky bit, as /tmp (the lock's directory: the lock file has
       checks of its own). Otherwise only directories on the way may. */
    PS_STRICT_STICKY_OK = 1u << 0,
    /* The fix offered names --no-strict-permissions too. */
    PS_STRICT_RELAXABLE = 1u << 1
};

/*
 * Checks `path` (as given: a relative one starts at the working directory),
 * every directory on the way to it from '/' and every symbolic link on the
 * way: each must belong to root or to the effective user, and none may be
 * writable by its group or by others, except a directory on the way that
 * has the sticky bit (others may add names there, but not replace ours).
 * The mode of a symbolic link means nothing: only its owner is checked.
 *
 * Returns 0 when trusted. Otherwise `err` says which file, what is wrong
 * and the fix, as "refusing PATH: mode 0664: writable by group (fix: chmod
 * go-w PATH)", and the code is PS_EINVAL (not to be trusted), PS_ENOENT
 * (PATH or a directory on its way does not exist) or PS_EIO (it cannot be
 * checked: not searchable, not a directory, a loop of links).
 */
int ps__strict_check(const char *path, unsigned flags, ps__buf_t *err);

#endif
