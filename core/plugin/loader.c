#include "config.h"

#include "plugin/loader.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ltdl.h>

#include "config/settings.h"
#include "plugin/catalog.h"
#include "plugin/probe.h"
#include "plugin/trust.h"

int ps__modules_init(ps__modules_t *m, const char *dir, ps__buf_t *err)
{
    *m = (ps__modules_t){ .dir = strdup(dir), .strict = 1,
                          .probe_timeout_ms = PS_PROBE_TIMEOUT_MS };
    if (!m->dir || lt_dlinit() != 0) {
        ps__buf_printf(err, "cannot start the plugin loader: %s", lt_dlerror());
        return PS_EPLUGIN;
    }
    m->ltdl_ready = 1;
    return 0;
}

int ps__plugin_check(const ps_plugin_t *p, const char *file, ps__buf_t *err)
{
    if (p->abi_major != PS_ABI_MAJOR) {
        ps__buf_printf(err, "%s: plugin ABI %u.%u is not supported by this parkstat "
                       "(ABI %d.%d): rebuild the plugin against parkstat %s",
                       file, p->abi_major, p->abi_minor, PS_ABI_MAJOR, PS_ABI_MINOR,
                       PS_PACKAGE_VERSION);
        return PS_EABI;
    }
    if (p->abi_minor > PS_ABI_MINOR) {
        ps__buf_printf(err, "%s: plugin needs ABI %u.%u but this parkstat provides "
                       "%d.%d: upgrade parkstat", file, p->abi_major, p->abi_minor,
                       PS_ABI_MAJOR, PS_ABI_MINOR);
        return PS_EABI;
    }
    if (!p->name || !*p->name || !p->compute) {
        ps__buf_printf(err, "%s: the plugin descriptor has no %s", file,
                       p->compute ? "name" : "compute callback");
        return PS_EPLUGIN;
    }
    ps__buf_t why = PS_BUF_INIT;
    int rc = ps__key_table_check(p->keys, &why);
    if (rc < 0)
        ps__buf_printf(err, "%s: plugin '%s': %s", file, p->name, ps__buf_str(&why));
    ps__buf_free(&why);
    return rc < 0 ? PS_EPLUGIN : 0;
}

/* Points stdout at /dev/null; returns the descriptor to restore it from,
   or -1 when it is left as it was. */
static int silence_stdout(void)
{
    fflush(stdout);
    int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0 && dup2(null, STDOUT_FILENO) >= 0) {
        close(null);
        return saved;
    }
    if (saved >= 0)
        close(saved);
    if (null >= 0)
        close(null);
    return -1;
}

static void restore_stdout(int saved)
{
    if (saved < 0)
        return;
    fflush(stdout); /* what the module buffered goes to /dev/null too */
    dup2(saved, STDOUT_FILENO);
    close(saved);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The file libltdl would open for `path`: the path itself, or the path
   with .la or .so added; empty when there is none. */
static void existing_file(const char *path, ps__buf_t *found)
{
    static const char *const suffixes[] = { "", ".la", ".so" };
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        ps__buf_reset(found);
        ps__buf_printf(found, "%s%s", path, suffixes[i]);
        if (is_file(ps__buf_str(found)))
            return;
    }
    ps__buf_reset(found);
}

/* Why libltdl opened nothing: the file is there but is no module, or no
   file of the names libltdl tries is there at all. */
static void explain_failure(const char *path, ps__buf_t *err)
{
    ps__buf_t file = PS_BUF_INIT;
    existing_file(path, &file);
    if (file.len)
        ps__buf_printf(err, "%s: not a parkstat plugin: it is not a module this system "
                       "can load", ps__buf_str(&file));
    else
        ps__buf_printf(err, "cannot load plugin %s: no such module (looked for %s, %s.la "
                       "and %s.so)", path, path, path, path);
    ps__buf_free(&file);
}

static lt_dlhandle open_library(const char *path, ps__buf_t *err)
{
    lt_dladvise advise;
    lt_dlhandle h = NULL;
    /* A file named in full is opened as it is: libltdl would try only the
       names with its suffixes added ("libc.so.6.so"). */
    int exact = is_file(path);
    /* The module's constructors run here: what they print must not reach
       a report written to standard output. */
    int saved = silence_stdout();
    /* local: plugins must not see each other's symbols */
    if (lt_dladvise_init(&advise) == 0 && (exact || lt_dladvise_ext(&advise) == 0) &&
        lt_dladvise_local(&advise) == 0)
        h = lt_dlopenadvise(path, advise);
    lt_dladvise_destroy(&advise);
    restore_stdout(saved);
    if (!h) /* libltdl says "file not found" of a file that is there */
        explain_failure(path, err);
    return h;
}

static int name_taken(const ps__modules_t *m, const ps__module_t *mod, ps__buf_t *err)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i]->plugin->name, mod->plugin->name) == 0) {
            ps__buf_printf(err, "%s: plugin name '%s' is already taken by %s",
                           mod->file, mod->plugin->name, m->items[i]->file);
            return 1;
        }
    return 0;
}

char *ps__module_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return strndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

/* Opens the library at `path` and checks its descriptor: the steps that
   run the module's code and read what it points to. */
static int open_module(const ps__modules_t *m, ps__module_t *mod, const char *path,
                       ps__buf_t *err)
{
    mod->handle = open_library(path, err);
    if (!mod->handle)
        return PS_EPLUGIN;
    const lt_dlinfo *info = lt_dlgetinfo(mod->handle);
    mod->file = strdup(info && info->filename ? info->filename : path);
    mod->plugin = lt_dlsym(mod->handle, PS_PLUGIN_SYMBOL);
    if (!mod->plugin) {
        ps__buf_printf(err, "%s: not a parkstat plugin: it exports no descriptor "
                       "(expected %s_LTX_%s or %s, defined with PS_PLUGIN)",
                       mod->file, info && info->name ? info->name : "NAME",
                       PS_PLUGIN_SYMBOL, PS_PLUGIN_SYMBOL);
        return PS_EPLUGIN;
    }
    int rc = ps__plugin_check(mod->plugin, mod->file, err);
    if (rc == 0 && name_taken(m, mod, err))
        rc = PS_EEXISTS;
    return rc;
}

/* The same steps in the probe's child, which only has to come back. */
static void probe_load(const char *path, void *modules)
{
    ps__module_t scratch = { 0 };
    ps__buf_t ignored = PS_BUF_INIT;
    open_module(modules, &scratch, path, &ignored);
    free(scratch.file); /* memcheck looks for leaks in the child too */
    ps__buf_free(&ignored);
}

/* A module named without a path that the plugin directory does not hold
   is most likely a typo: say so with the names it does hold. */
static int check_named_module(const ps__modules_t *m, const char *request,
                              const char *path, ps__buf_t *err)
{
    ps__buf_t file = PS_BUF_INIT;
    existing_file(path, &file);
    int missing = !file.len && !strchr(request, '/');
    ps__buf_free(&file);
    if (!missing)
        return 0;
    ps__catalog_t held;
    if (ps__catalog_read(&held, m->dir) < 0)
        return PS_ENOMEM;
    ps__buf_printf(err, "no plugin '%s' in the plugin directory", request);
    ps__catalog_hint(&held, m->dir, request, err);
    ps__catalog_free(&held);
    return PS_ENOENT;
}

static int load(ps__modules_t *m, ps__module_t *mod, ps__buf_t *err)
{
    ps__buf_t path = PS_BUF_INIT;
    if (strchr(mod->request, '/'))
        ps__buf_puts(&path, mod->request);
    else
        ps__buf_printf(&path, "%s/%s", m->dir, mod->request);
    char *name = ps__module_name(mod->request);
    int rc = PS_ENOMEM;
    if (name && !path.failed) {
        rc = check_named_module(m, mod->request, ps__buf_str(&path), err);
        if (rc == 0 && m->strict)
            rc = ps__trust_module(ps__buf_str(&path), err);
        if (rc == 0)
            rc = ps__probe_module(name, ps__buf_str(&path), probe_load, m,
                                  m->probe_timeout_ms, err);
        if (rc == 0)
            rc = open_module(m, mod, ps__buf_str(&path), err);
    }
    free(name);
    ps__buf_free(&path);
    return rc;
}

static void module_free(ps__module_t *mod)
{
    if (!mod)
        return;
    if (mod->handle)
        lt_dlclose(mod->handle);
    free(mod->request);
    free(mod->file);
    free(mod);
}

int ps__modules_open(ps__modules_t *m, const char *request,
                     const ps__module_t **out, ps__buf_t *err)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i]->request, request) == 0) {
            *out = m->items[i];
            return 0;
        }
    ps__module_t *mod = calloc(1, sizeof *mod);
    int rc = mod && (mod->request = strdup(request)) ? load(m, mod, err) : PS_ENOMEM;
    ps__module_t **grown = rc == 0 ? realloc(m->items, (m->n + 1) * sizeof *grown) : NULL;
    if (!grown) {
        module_free(mod);
        return rc < 0 ? rc : PS_ENOMEM;
    }
    m->items = grown;
    m->items[m->n++] = mod;
    *out = mod;
    return 0;
}

void ps__modules_close(ps__modules_t *m)
{
    for (size_t i = 0; i < m->n; i++)
        module_free(m->items[i]);
    free(m->items);
    free(m->dir);
    if (m->ltdl_ready)
        lt_dlexit();
    *m = (ps__modules_t){ 0 };
}
