#include "config.h"

#include "base/output_set.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "base/log.h"
#include "base/output.h"

/* What stands at a file's name in the output directory. */
enum view {
    VIEW_ABSENT,   /* nothing */
    VIEW_LINKED,   /* our link into the current set */
    VIEW_DANGLING, /* our link, but the current set lacks the file */
    VIEW_PLAIN,    /* a regular file, as an older parkstat wrote */
    VIEW_FOREIGN,  /* anything else: not ours to replace */
};

typedef struct publication {
    const ps__output_set_t *set;
    int dir_fd;
    char current[NAME_MAX + 1];  /* ".STEM.current" */
    char link_tmp[NAME_MAX + 1]; /* ".STEM.link-PID": a link on its way to its name */
    char live[NAME_MAX + 1];     /* the set .current points to; "" when none */
    enum view *view;             /* one per file */
    ps__buf_t *err;
} pub_t;

/* Every failure leaves the current set as it was, and says so. */
static int failed(pub_t *p, const char *step, const char *name, int errnum)
{
    ps__buf_printf(p->err, "cannot %s %s/%s: %s (the reports in %s are unchanged)", step,
                   p->set->dir, name, strerror(errnum), p->set->dir);
    return -1;
}

/* ".STEM.set-XXXXXX", as mkdtemp fills it in. */
static int is_set_of(const char *stem, const char *name)
{
    size_t n = strlen(stem);
    return name[0] == '.' && strncmp(name + 1, stem, n) == 0 &&
           strncmp(name + 1 + n, ".set-", 5) == 0 && strlen(name + 1 + n + 5) == 6;
}

/* The set directory a stem's .current link points to, in `live` ("" when
   there is none); -1 when the link cannot be read. */
static int read_current(int dir_fd, const char *stem, char live[NAME_MAX + 1])
{
    char current[NAME_MAX + 1];
    snprintf(current, sizeof current, ".%s.current", stem);
    ssize_t n = readlinkat(dir_fd, current, live, NAME_MAX);
    live[n > 0 ? n : 0] = '\0';
    if (n < 0)
        return errno == ENOENT ? 0 : -1;
    return 0;
}

static int in_the_way(pub_t *p, const char *name)
{
    struct stat st;
    char target[PATH_MAX] = "";
    ps__buf_t what = PS_BUF_INIT;
    ssize_t n = readlinkat(p->dir_fd, name, target, sizeof target - 1);
    if (n >= 0) {
        target[n] = '\0';
        ps__buf_printf(&what, "a symbolic link to %s", target);
    } else if (fstatat(p->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
        ps__buf_puts(&what, "a directory");
    } else {
        ps__buf_puts(&what, "not a regular file");
    }
    ps__buf_printf(p->err, "%s/%s is in the way (%s, not a report parkstat wrote): "
                   "nothing was written", p->set->dir, name, ps__buf_str(&what));
    ps__buf_free(&what);
    return -1;
}

/* The current link must be ours: absent, or a link to one of our sets. A
   link to a set that is gone counts as none (the switch replaces it). */
static int check_current(pub_t *p)
{
    struct stat st;
    if (read_current(p->dir_fd, p->set->stem, p->live) < 0)
        return errno == EINVAL ? in_the_way(p, p->current)
                               : failed(p, "read", p->current, errno);
    if (*p->live && !is_set_of(p->set->stem, p->live))
        return in_the_way(p, p->current);
    if (*p->live && fstatat(p->dir_fd, p->live, &st, AT_SYMLINK_NOFOLLOW) < 0)
        p->live[0] = '\0';
    return 0;
}

static enum view classify(pub_t *p, const char *name)
{
    struct stat st;
    if (fstatat(p->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? VIEW_ABSENT : VIEW_FOREIGN;
    if (S_ISREG(st.st_mode))
        return VIEW_PLAIN;
    if (!S_ISLNK(st.st_mode))
        return VIEW_FOREIGN;
    char want[PATH_MAX], got[PATH_MAX];
    int want_len = snprintf(want, sizeof want, "%s/%s", p->current, name);
    ssize_t n = readlinkat(p->dir_fd, name, got, sizeof got);
    if (n != want_len || memcmp(got, want, (size_t)n) != 0)
        return VIEW_FOREIGN;
    return fstatat(p->dir_fd, name, &st, 0) == 0 ? VIEW_LINKED : VIEW_DANGLING;
}

/* Removes a set directory and the files in it; what fails to go is left
   for the next run. */
static void remove_set(pub_t *p, const char *name)
{
    int fd = openat(p->dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(fd, e->d_name, 0);
    closedir(d);
    unlinkat(p->dir_fd, name, AT_REMOVEDIR);
}

/* Whether an entry of the output directory is something a killed run left:
   a set that is not its stem's current one, a link on its way, or an older
   parkstat's temporary file (".report-2023-10.txt.Ab12Cd"). Only names of
   our family; the caller holds the lock, so no live run is writing them. */
static int is_stale(pub_t *p, const char *name, int *is_set)
{
    char pattern[NAME_MAX + 1], live[NAME_MAX + 1], stem[NAME_MAX + 1];
    struct stat st;
    const char *family = p->set->family;
    *is_set = 0;
    if (name[0] != '.' || strncmp(name + 1, family, strlen(family)) != 0 ||
        fstatat(p->dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return 0;
    snprintf(pattern, sizeof pattern, ".%s*.set-??????", family);
    if (S_ISDIR(st.st_mode) && fnmatch(pattern, name, 0) == 0) {
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(name) - 12), name + 1);
        *is_set = 1;
        return read_current(p->dir_fd, stem, live) == 0 && strcmp(live, name) != 0;
    }
    snprintf(pattern, sizeof pattern, ".%s*.link-*", family);
    if (S_ISLNK(st.st_mode) && fnmatch(pattern, name, 0) == 0)
        return 1;
    snprintf(pattern, sizeof pattern, ".%s*.*.??????", family);
    return S_ISREG(st.st_mode) && fnmatch(pattern, name, 0) == 0;
}

static void remove_stale(pub_t *p)
{
    for (size_t i = 0; i < p->set->n_files; i++)
        if (p->view[i] == VIEW_DANGLING && unlinkat(p->dir_fd, p->set->files[i].name, 0) == 0)
            p->view[i] = VIEW_ABSENT;
    int fd = dup(p->dir_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    int is_set;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_stale(p, e->d_name, &is_set))
            continue;
        if (is_set)
            remove_set(p, e->d_name);
        else
            unlinkat(p->dir_fd, e->d_name, 0);
    }
    closedir(d);
}

/* A new, empty set directory, readable by whoever reads the reports. */
static int new_set(pub_t *p, char name[NAME_MAX + 1])
{
    snprintf(name, NAME_MAX + 1, ".%s.set-XXXXXX", p->set->stem);
    ps__buf_t path = PS_BUF_INIT;
    ps__buf_printf(&path, "%s/%s", p->set->dir, name);
    char *made = path.failed ? NULL : mkdtemp(path.data);
    int rc = made ? 0 : failed(p, "create", name, path.failed ? ENOMEM : errno);
    if (made)
        snprintf(name, NAME_MAX + 1, "%s", strrchr(made, '/') + 1);
    if (made && fchmodat(p->dir_fd, name, 0755, 0) < 0) {
        rc = failed(p, "set the mode of", name, errno);
        unlinkat(p->dir_fd, name, AT_REMOVEDIR);
    }
    ps__buf_free(&path);
    return rc;
}

/* Writes a file into the set, flushed; a failure names the file as the
   reader knows it. */
static int put_file(pub_t *p, int set_fd, const ps__output_file_t *f)
{
    int fd = openat(set_fd, f->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    const char *step = NULL;
    if (fd < 0)
        step = "create";
    else if (ps__write_all(fd, f->data, f->len) < 0)
        step = "write";
    else if (fchmod(fd, 0644) < 0)
        step = "set the mode of";
    else if (fsync(fd) < 0)
        step = "flush";
    int saved_errno = errno;
    if (fd >= 0 && close(fd) < 0 && !step) {
        step = "close";
        saved_errno = errno;
    }
    return step ? failed(p, step, f->name, saved_errno) : 0;
}

/* A file this run does not write keeps its current version: the same file,
   linked into the new set, so that its name never dangles. */
static int carry(pub_t *p, int set_fd, size_t i)
{
    const char *name = p->set->files[i].name;
    char from[PATH_MAX];
    if (p->view[i] == VIEW_PLAIN)
        snprintf(from, sizeof from, "%s", name);
    else
        snprintf(from, sizeof from, "%s/%s", p->live, name);
    return linkat(p->dir_fd, from, set_fd, name, 0) < 0 ? failed(p, "keep", name, errno) : 0;
}

/* Fills a new set: this run's files (unless only_keep), and the current
   version of every other file of the month. */
static int fill_set(pub_t *p, const char *set_name, int only_keep)
{
    int set_fd = openat(p->dir_fd, set_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (set_fd < 0)
        return failed(p, "open", set_name, errno);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < p->set->n_files; i++) {
        const ps__output_file_t *f = &p->set->files[i];
        if (f->data && !only_keep)
            rc = put_file(p, set_fd, f);
        else if (p->view[i] == VIEW_PLAIN || p->view[i] == VIEW_LINKED)
            rc = carry(p, set_fd, i);
    }
    if (rc == 0 && fsync(set_fd) < 0)
        rc = failed(p, "flush", set_name, errno);
    close(set_fd);
    return rc;
}

/* Makes `name` a link to `target` in one step: a link made aside, renamed
   over whatever stands at the name. */
static int place_link(pub_t *p, const char *target, const char *name)
{
    unlinkat(p->dir_fd, p->link_tmp, 0);
    if (symlinkat(target, p->dir_fd, p->link_tmp) < 0)
        return failed(p, "make the link", p->link_tmp, errno);
    if (renameat(p->dir_fd, p->link_tmp, p->dir_fd, name) < 0) {
        int saved_errno = errno;
        unlinkat(p->dir_fd, p->link_tmp, 0);
        return failed(p, "replace", name, saved_errno);
    }
    return 0;
}

/* The switch: from here on every name shows the new set. */
static int switch_to(pub_t *p, const char *set_name)
{
    if (place_link(p, set_name, p->current) < 0)
        return -1;
    if (fsync(p->dir_fd) < 0) /* done, but maybe not on disk: the old set may come back */
        ps__log(PS_LOG_WARNING, "the reports in %s were switched, but the directory could "
                "not be flushed: %s; after a power failure the previous ones may be back",
                p->set->dir, strerror(errno));
    if (*p->live)
        remove_set(p, p->live);
    snprintf(p->live, sizeof p->live, "%s", set_name);
    return 0;
}

static int link_name(pub_t *p, size_t i)
{
    char target[PATH_MAX];
    snprintf(target, sizeof target, "%s/%s", p->current, p->set->files[i].name);
    return place_link(p, target, p->set->files[i].name);
}

/* Regular files of an older parkstat: first taken, unchanged, into a set
   of their own with the current versions of the others, and replaced by
   links showing the same bytes; the switch to this run's set then changes
   every format at once. */
static int adopt_plain_files(pub_t *p)
{
    size_t plain = 0;
    for (size_t i = 0; i < p->set->n_files; i++)
        plain += p->view[i] == VIEW_PLAIN;
    char set_name[NAME_MAX + 1];
    if (!plain || new_set(p, set_name) < 0)
        return plain ? -1 : 0;
    if (fill_set(p, set_name, 1) < 0 || switch_to(p, set_name) < 0) {
        remove_set(p, set_name);
        return -1;
    }
    for (size_t i = 0; i < p->set->n_files; i++) {
        if (p->view[i] != VIEW_PLAIN)
            continue;
        if (link_name(p, i) < 0)
            return -1;
        p->view[i] = VIEW_LINKED;
    }
    fsync(p->dir_fd); /* either way a name shows the same bytes */
    return 0;
}

/* This run's set. A file new to the month gets its link before the switch,
   dangling until then, so that it appears together with the others. */
static int publish_new_set(pub_t *p)
{
    char set_name[NAME_MAX + 1];
    if (new_set(p, set_name) < 0)
        return -1;
    int rc = fill_set(p, set_name, 0);
    for (size_t i = 0; rc == 0 && i < p->set->n_files; i++) {
        if (!p->set->files[i].data || p->view[i] != VIEW_ABSENT)
            continue;
        rc = link_name(p, i);
        if (rc == 0)
            p->view[i] = VIEW_DANGLING;
    }
    if (rc == 0)
        rc = switch_to(p, set_name);
    if (rc < 0) {
        remove_set(p, set_name);
        for (size_t i = 0; i < p->set->n_files; i++)
            if (p->view[i] == VIEW_DANGLING)
                unlinkat(p->dir_fd, p->set->files[i].name, 0);
    }
    return rc;
}

/* Every name this run writes must be free or ours: checked before anything
   changes. */
static int check_names(pub_t *p)
{
    if (check_current(p) < 0)
        return -1;
    for (size_t i = 0; i < p->set->n_files; i++) {
        p->view[i] = classify(p, p->set->files[i].name);
        if (p->view[i] == VIEW_FOREIGN && p->set->files[i].data)
            return in_the_way(p, p->set->files[i].name);
    }
    return 0;
}

int ps__output_set_publish(const ps__output_set_t *set, ps__buf_t *err)
{
    pub_t p = { .set = set, .err = err };
    p.view = calloc(set->n_files ? set->n_files : 1, sizeof *p.view);
    if (!p.view) {
        ps__buf_printf(err, "cannot write into %s: %s", set->dir, strerror(ENOMEM));
        return PS_ENOMEM;
    }
    snprintf(p.current, sizeof p.current, ".%s.current", set->stem);
    snprintf(p.link_tmp, sizeof p.link_tmp, ".%s.link-%ld", set->stem, (long)getpid());
    p.dir_fd = open(set->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = 0;
    if (p.dir_fd < 0) {
        ps__buf_printf(err, "cannot open the output directory %s: %s", set->dir,
                       strerror(errno));
        rc = -1;
    }
    if (rc == 0)
        rc = check_names(&p);
    if (rc == 0) {
        remove_stale(&p);
        rc = adopt_plain_files(&p);
    }
    if (rc == 0)
        rc = publish_new_set(&p);
    if (p.dir_fd >= 0)
        close(p.dir_fd);
    free(p.view);
    return rc < 0 ? PS_EIO : 0;
}
