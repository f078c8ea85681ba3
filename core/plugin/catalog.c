#include "config.h"

#include "plugin/catalog.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "plugin/loader.h"

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Turns each path of `g` into its module name, in place. */
static int paths_to_names(glob_t *g)
{
    for (size_t i = 0; i < g->gl_pathc; i++) {
        char *name = ps__module_name(g->gl_pathv[i]);
        if (!name)
            return PS_ENOMEM;
        free(g->gl_pathv[i]);
        g->gl_pathv[i] = name;
    }
    return 0;
}

static int glob_modules(const char *dir, glob_t *g)
{
    static const char *const suffixes[] = { "la", "so" };
    int rc = 0;
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        ps__buf_t pattern = PS_BUF_INIT;
        ps__buf_printf(&pattern, "%s/*.%s", dir, suffixes[i]);
        int flags = g->gl_pathc ? GLOB_APPEND : 0;
        if (pattern.failed)
            rc = PS_ENOMEM;
        else if (glob(ps__buf_str(&pattern), flags, NULL, g) == GLOB_NOSPACE)
            rc = PS_ENOMEM;
        ps__buf_free(&pattern);
    }
    return rc;
}

int ps__catalog_read(ps__catalog_t *c, const char *dir)
{
    struct stat st;
    *c = (ps__catalog_t){ .no_dir = stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) };
    glob_t g = { 0 };
    int rc = glob_modules(dir, &g);
    if (rc == 0)
        rc = paths_to_names(&g);
    if (rc == 0 && g.gl_pathc)
        qsort(g.gl_pathv, g.gl_pathc, sizeof *g.gl_pathv, name_cmp);
    c->names = rc == 0 && g.gl_pathc ? calloc(g.gl_pathc, sizeof *c->names) : NULL;
    for (size_t i = 0; c->names && i < g.gl_pathc; i++) {
        if (c->n && strcmp(c->names[c->n - 1], g.gl_pathv[i]) == 0)
            continue; /* tax.la and tax.so are one module */
        c->names[c->n++] = g.gl_pathv[i];
        g.gl_pathv[i] = NULL;
    }
    if (rc == 0 && g.gl_pathc && !c->names)
        rc = PS_ENOMEM;
    globfree(&g);
    return rc;
}

void ps__catalog_free(ps__catalog_t *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    *c = (ps__catalog_t){ .no_dir = c->no_dir };
}

void ps__catalog_hint(const ps__catalog_t *c, const char *dir, const char *wanted,
                      ps__buf_t *out)
{
    if (!c->n) {
        ps__buf_printf(out, c->no_dir ? " (there is no directory %s)" : " (%s holds no plugin)",
                       dir);
        return;
    }
    const char *best = ps__suggest(wanted, (const char *const *)c->names, c->n);
    ps__buf_puts(out, " (");
    if (best)
        ps__buf_printf(out, "did you mean '%s'? ", best);
    ps__buf_printf(out, "%s holds:", dir);
    for (size_t i = 0; i < c->n; i++)
        ps__buf_printf(out, "%s %s", i ? "," : "", c->names[i]);
    ps__buf_puts(out, ")");
}
