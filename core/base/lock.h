/* One run at a time: an advisory lock (flock) on a file, never waited for. */
#ifndef PS_LOCK_H
#define PS_LOCK_H

#include <sys/types.h>

#include "base/buf.h"

/*
 * Takes the lock at `path` without waiting and writes our pid into the file;
 * the lock lasts until the process ends. PS_EEXISTS when another process
 * holds it (err names its pid). PS_EIO, saying why, when the file cannot be
 * opened or is not to be trusted (ps__lock_check). A missing directory is
 * made, mode 0700 (the default's: a configured one was checked to exist).
 */
int ps__lock_take(const char *path, ps__buf_t *err);

/*
 * What is wrong with `path` as a lock file, checked without changing
 * anything (for --check too): its directory must exist and pass the checks
 * of base/strictmodes.h (a sticky one, as /tmp, may be writable by others),
 * and a file already there must be a regular file of ours, not a link.
 * Returns 0, or PS_EINVAL with a phrase in `err` ("its directory /x does
 * not exist (expected …)") that the caller prefixes with what it names.
 */
int ps__lock_check(const char *path, ps__buf_t *err);

/* The default lock file: $XDG_RUNTIME_DIR/parkstat.lock, or else
   $TMPDIR (or /tmp)/parkstat-UID/parkstat.lock, in a directory of its own
   that ps__lock_take makes 0700. Caller frees. */
char *ps__lock_default_path(void);

/* In a forked child: closes its copy of the lock's descriptor, so that a
   child still dying after its run was killed never keeps the next run
   out. The parent's lock is untouched. */
void ps__lock_close_inherited(void);

#endif
