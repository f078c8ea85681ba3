/*
 * The plugin loader: opens modules with libltdl, finds their descriptor,
 * and refuses, naming the file, anything it cannot trust to run: a module
 * that crashes, exits or hangs while loading (tried first in a child
 * process: plugin/probe.h), a missing descriptor, another ABI, a malformed
 * key table, a name already taken.
 */
#ifndef PS_LOADER_H
#define PS_LOADER_H

#include <stddef.h>

#include <parkstat/plugin.h>

#include "base/buf.h"

typedef struct ps__module {
    char *request;   /* as the INI names it: "tax" or a path */
    char *file;      /* the file libltdl opened */
    void *handle;    /* lt_dlhandle */
    const ps_plugin_t *plugin;
} ps__module_t;

typedef struct ps__modules {
    char *dir;       /* the plugin directory */
    ps__module_t **items; /* each allocated alone: pointers stay valid */
    size_t n;
    int ltdl_ready;
    int strict;      /* refuse files others could have written (trust.h) */
    long long probe_timeout_ms; /* how long a module may take to load */
} ps__modules_t;

/* Starts libltdl for modules in `dir`; strict permissions are on, and a
   module has PS_PROBE_TIMEOUT_MS to load. */
int ps__modules_init(ps__modules_t *m, const char *dir, ps__buf_t *err);
/*
 * Opens `request` (a module name in the plugin directory, or a path with a
 * '/') once, however many instances use it. On failure the library is
 * closed and `err` says why.
 */
int ps__modules_open(ps__modules_t *m, const char *request,
                     const ps__module_t **out, ps__buf_t *err);
void ps__modules_close(ps__modules_t *m);

/* The name a module is known by: its file's base name without extension
   ("tax" for /usr/lib/parkstat/tax.la). NULL when out of memory. */
char *ps__module_name(const char *path);

/* Checks a descriptor: ABI, name, callbacks, key table. */
int ps__plugin_check(const ps_plugin_t *p, const char *file, ps__buf_t *err);

#endif
