#include "config.h"

#include "base/outdir.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the walk down the path found. */
typedef struct walk {
    const char *dir;
    ps__buf_t part;    /* the path up to the component looked at */
    size_t writable_end; /* length of the deepest directory that exists */
    int missing, created;
} walk_t;

/* Looks at walk->part: a directory to go on from, a missing one to make
   (or, without `create`, to note), or something in the way. */
static int step(walk_t *w, int create, ps__buf_t *err)
{
    const char *part = ps__buf_str(&w->part);
    struct stat st;
    if (!w->missing && stat(part, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            w->writable_end = w->part.len;
            return 0;
        }
        ps__buf_printf(err, "the output directory %s cannot be made: %s is not a "
                       "directory", w->dir, part);
        return -1;
    }
    if (!w->missing && errno != ENOENT) {
        ps__buf_printf(err, "cannot reach the output directory %s: %s: %s", w->dir, part,
                       strerror(errno));
        return -1;
    }
    w->missing = 1;
    if (!create)
        return 0;
    if (mkdir(part, 0755) < 0 && errno != EEXIST) {
        ps__buf_printf(err, "cannot create the output directory %s: %s: %s", w->dir,
                       part, strerror(errno));
        return -1;
    }
    w->created = 1;
    w->missing = 0;
    w->writable_end = w->part.len;
    return 0;
}

/* Steps through each leading part of the path, "/a", "/a/b", then the whole. */
static int walk_down(walk_t *w, int create, ps__buf_t *err)
{
    const char *p = w->dir;
    while (*p) {
        const char *slash = strchr(p + 1, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        ps__buf_append(&w->part, p, len);
        p += len;
        if (w->part.failed) {
            ps__buf_printf(err, "cannot reach the output directory %s: %s", w->dir,
                           strerror(ENOMEM));
            return -1;
        }
        if (step(w, create, err) < 0)
            return -1;
    }
    return 0;
}

int ps__outdir_prepare(const char *dir, int create, ps__buf_t *err)
{
    walk_t w = { .dir = dir, .part = PS_BUF_INIT };
    int rc = walk_down(&w, create, err);
    if (rc == 0) {
        /* The deepest directory that exists: where the files, or the rest
           of the path, will be written. */
        ps__buf_t deepest = PS_BUF_INIT;
        if (w.writable_end)
            ps__buf_append(&deepest, ps__buf_str(&w.part), w.writable_end);
        else
            ps__buf_puts(&deepest, dir[0] == '/' ? "/" : ".");
        if (access(ps__buf_str(&deepest), W_OK | X_OK) < 0) {
            ps__buf_printf(err, w.missing ? "cannot create the output directory %s: "
                           "%s: %s" : "cannot write into the output directory %s: %s: %s",
                           dir, ps__buf_str(&deepest), strerror(errno));
            rc = -1;
        }
        ps__buf_free(&deepest);
    }
    ps__buf_free(&w.part);
    return rc < 0 ? -1 : w.created;
}
