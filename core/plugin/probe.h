/*
 * A module's code runs the moment it is loaded (its constructors), and the
 * loader reads what it points to (its descriptor, its key table) before
 * any check can tell a good module from a broken one. So the loader first
 * loads each module once in a child process (plugin/child.h), where a crash,
 * an exit or a hang costs only that child, and refuses the module, naming
 * its file and how the child ended, unless the child came back.
 */
#ifndef PS_PROBE_H
#define PS_PROBE_H

#include "base/buf.h"

/* How long a module may take to load before it is refused. */
#define PS_PROBE_TIMEOUT_MS 10000

/* The loader's own steps on the module at `path`, run in the child. */
typedef void ps__probe_load_fn(const char *path, void *arg);

/*
 * Runs load(path, arg) in a child process. Returns 0 when it came back,
 * whatever it found (the loader finds it again, and says it, in this
 * process). Otherwise returns PS_EPLUGIN with the reason in `err`:
 *
 *   plugin 'NAME' (FILE): crashed while loading (signal 11, Segmentation fault)
 *   plugin 'NAME' (FILE): exited while loading (status 3)
 *   plugin 'NAME' (FILE): did not finish loading within 10 s
 *
 * where FILE is the shared object libltdl was opening (`path` if it had
 * opened none); what the child wrote to stderr is then logged under NAME.
 */
int ps__probe_module(const char *name, const char *path, ps__probe_load_fn *load,
                     void *arg, long long timeout_ms, ps__buf_t *err);

#endif
