#include "config.h"

#include "base/strictmodes.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/error.h>

/* As the kernel's own limit on links followed in one lookup. */
#define STRICT_MAX_LINKS 40

/* One walk: the path asked about, what is resolved, what is left. */
typedef struct walk {
    const char *asked;
    unsigned flags;
    ps__buf_t done;   /* the real directories passed so far; "" is '/' */
    ps__buf_t todo;   /* the components still to resolve */
    ps__buf_t *err;
} walk_t;

/* "refusing ASKED: " and, when the culprit is not ASKED itself, what it is. */
static void refusing(walk_t *w, const char *what, const char *culprit)
{
    ps__buf_printf(w->err, "refusing %s: ", w->asked);
    if (what)
        ps__buf_printf(w->err, "%s %s ", what, culprit);
}

static void fix(walk_t *w, const char *command, const char *culprit)
{
    ps__buf_printf(w->err, "(fix: %s %s%s)", command, culprit,
                   w->flags & PS_STRICT_RELAXABLE
                       ? ", or --no-strict-permissions for a development tree" : "");
}

/* Checks one file met on the way; `last` when it is the path asked about. */
static int check_entry(walk_t *w, const char *culprit, const struct stat *st, int last)
{
    const char *what = last ? NULL : S_ISLNK(st->st_mode) ? "symbolic link" : "directory";
    uid_t me = geteuid();
    if (st->st_uid != 0 && st->st_uid != me) {
        refusing(w, what, culprit);
        ps__buf_printf(w->err, "%sowned by uid %u, neither root nor uid %u that runs "
                       "parkstat ", what ? "is " : "", (unsigned)st->st_uid, (unsigned)me);
        fix(w, "chown root", culprit);
        return PS_EINVAL;
    }
    mode_t open_to = st->st_mode & (S_IWGRP | S_IWOTH);
    int sticky_ok = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) &&
                    (!last || (w->flags & PS_STRICT_STICKY_OK));
    if (S_ISLNK(st->st_mode) || !open_to || sticky_ok)
        return 0;
    refusing(w, what, culprit);
    ps__buf_printf(w->err, "%smode %04o: writable by %s ", what ? "has " : "",
                   (unsigned)(st->st_mode & 07777),
                   open_to == (S_IWGRP | S_IWOTH) ? "group and others"
                   : open_to == S_IWGRP ? "group" : "others");
    fix(w, "chmod go-w", culprit);
    return PS_EINVAL;
}

/* Takes the next component of todo into `name`; 0 when none is left. */
static int next_component(walk_t *w, ps__buf_t *name)
{
    const char *p = ps__buf_str(&w->todo);
    p += strspn(p, "/");
    size_t n = strcspn(p, "/");
    ps__buf_reset(name);
    ps__buf_append(name, p, n);
    char *rest = strdup(p + n);
    ps__buf_reset(&w->todo);
    ps__buf_puts(&w->todo, rest ? rest : "");
    free(rest);
    return n > 0;
}

/* Is anything but slashes left to resolve? */
static int more_to_come(const walk_t *w)
{
    const char *p = ps__buf_str(&w->todo);
    return p[strspn(p, "/")] != '\0';
}

/* Puts the target of the link at `at` before the rest of the walk. */
static int follow(walk_t *w, const char *at)
{
    char target[PATH_MAX];
    ssize_t n = readlink(at, target, sizeof target - 1);
    if (n < 0) {
        ps__buf_printf(w->err, "cannot check %s: %s: %s", w->asked, at, strerror(errno));
        return PS_EIO;
    }
    target[n] = '\0';
    ps__buf_t joined = PS_BUF_INIT;
    ps__buf_printf(&joined, "%s/%s", target, ps__buf_str(&w->todo));
    ps__buf_reset(&w->todo);
    ps__buf_puts(&w->todo, ps__buf_str(&joined));
    ps__buf_free(&joined);
    if (target[0] == '/')
        ps__buf_reset(&w->done);
    return 0;
}

/* Goes up one directory: `done` holds no link, so its parent is real. */
static void go_up(walk_t *w)
{
    char *slash = strrchr(ps__buf_str(&w->done), '/');
    w->done.len = slash ? (size_t)(slash - ps__buf_str(&w->done)) : 0;
    ps__buf_puts(&w->done, "");
}

/* Steps into the component `name`: checks it and resolves it. */
/* The path ends in "." or "..": the directory reached is the one asked
   about, held to the rules of the last component. */
static int check_reached(walk_t *w)
{
    struct stat st;
    const char *at = w->done.len ? ps__buf_str(&w->done) : "/";
    if (lstat(at, &st) < 0) {
        ps__buf_printf(w->err, "cannot check %s: %s", w->asked, strerror(errno));
        return PS_EIO;
    }
    return check_entry(w, w->asked, &st, 1);
}

static int step(walk_t *w, const char *name, int *links)
{
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
        if (name[1] == '.')
            go_up(w);
        return more_to_come(w) ? 0 : check_reached(w);
    }
    ps__buf_t at = PS_BUF_INIT;
    ps__buf_printf(&at, "%s/%s", ps__buf_str(&w->done), name);
    struct stat st;
    int last = !more_to_come(w), rc = 0;
    if (lstat(ps__buf_str(&at), &st) < 0) {
        rc = errno == ENOENT ? PS_ENOENT : PS_EIO;
        if (rc == PS_ENOENT)
            ps__buf_printf(w->err, "%s does not exist", w->asked);
        else if (last)
            ps__buf_printf(w->err, "cannot check %s: %s", w->asked, strerror(errno));
        else
            ps__buf_printf(w->err, "cannot check %s: %s: %s", w->asked, ps__buf_str(&at),
                           strerror(errno));
    } else if (S_ISLNK(st.st_mode)) {
        rc = check_entry(w, ps__buf_str(&at), &st, 0);
        if (rc == 0 && ++*links > STRICT_MAX_LINKS) {
            ps__buf_printf(w->err, "cannot check %s: more than %d symbolic links",
                           w->asked, STRICT_MAX_LINKS);
            rc = PS_EIO;
        }
        if (rc == 0)
            rc = follow(w, ps__buf_str(&at));
    } else if (!last && !S_ISDIR(st.st_mode)) {
        ps__buf_printf(w->err, "cannot check %s: %s is not a directory", w->asked,
                       ps__buf_str(&at));
        rc = PS_EIO;
    } else {
        /* the fix names the path as the user gave it */
        rc = check_entry(w, last ? w->asked : ps__buf_str(&at), &st, last);
        ps__buf_reset(&w->done);
        ps__buf_puts(&w->done, ps__buf_str(&at));
    }
    ps__buf_free(&at);
    return rc;
}

/* The root directory, checked like any directory on the way. */
static int check_root(walk_t *w)
{
    struct stat st;
    if (lstat("/", &st) < 0) {
        ps__buf_printf(w->err, "cannot check %s: /: %s", w->asked, strerror(errno));
        return PS_EIO;
    }
    return check_entry(w, "/", &st, !more_to_come(w));
}

int ps__strict_check(const char *path, unsigned flags, ps__buf_t *err)
{
    walk_t w = { .asked = path, .flags = flags, .done = PS_BUF_INIT,
                 .todo = PS_BUF_INIT, .err = err };
    if (path[0] != '/') {
        char *cwd = getcwd(NULL, 0);
        if (!cwd) {
            ps__buf_printf(err, "cannot check %s: %s", path, strerror(errno));
            return PS_EIO;
        }
        ps__buf_printf(&w.todo, "%s/", cwd);
        free(cwd);
    }
    ps__buf_puts(&w.todo, path);
    int rc = check_root(&w), links = 0;
    ps__buf_t name = PS_BUF_INIT;
    while (rc == 0 && next_component(&w, &name))
        rc = step(&w, ps__buf_str(&name), &links);
    if (rc == 0 && (w.done.failed || w.todo.failed || name.failed)) {
        ps__buf_printf(err, "cannot check %s: out of memory", path);
        rc = PS_ENOMEM;
    }
    ps__buf_free(&name);
    ps__buf_free(&w.done);
    ps__buf_free(&w.todo);
    return rc;
}
