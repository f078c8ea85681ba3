/* One run at a time: an advisory lock (flock) on a file, never waited for. */
#ifndef PS_LOCK_H
#define PS_LOCK_H

#include <sys/types.h>

#include "base/buf.h"

/*
 * Takes the lock at `path` without waiting and writes our pid into the file;
 * the lock lasts until the process ends. PS_EEXISTS when another process
 * holds it (err names its pid), PS_EIO when the file cannot be opened.
 */
int ps__lock_take(const char *path, ps__buf_t *err);

/* The default lock file: $TMPDIR (or /tmp)/parkstat-UID.lock. Caller frees. */
char *ps__lock_default_path(void);

/* In a forked child: closes its copy of the lock's descriptor, so that a
   child still dying after its run was killed never keeps the next run
   out. The parent's lock is untouched. */
void ps__lock_close_inherited(void);

#endif
