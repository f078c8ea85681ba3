#include "config.h"

#include "base/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/error.h>

char *ps__lock_default_path(void)
{
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    const char *tmp = getenv("TMPDIR");
    ps__buf_t b = PS_BUF_INIT;
    if (runtime && *runtime)
        ps__buf_printf(&b, "%s/parkstat.lock", runtime);
    else
        ps__buf_printf(&b, "%s/parkstat-%u/parkstat.lock", tmp && *tmp ? tmp : "/tmp",
                       (unsigned)geteuid());
    return ps__buf_take(&b);
}

/* The lock's directory must be one that no other user can change: ours or
   root's, and writable by others only when sticky (/tmp), where the lock
   file's own checks hold. Made (0700) when it does not exist yet. */
static int check_directory(const char *path, ps__buf_t *err)
{
    const char *slash = strrchr(path, '/');
    ps__buf_t dir = PS_BUF_INIT;
    ps__buf_append(&dir, path, slash ? (size_t)(slash - path) : 0);
    const char *d = slash == path ? "/" : slash ? ps__buf_str(&dir) : ".";
    struct stat st;
    int rc = 0;
    if (lstat(d, &st) < 0 && errno == ENOENT && mkdir(d, 0700) < 0 && errno != EEXIST)
        ps__buf_printf(err, "cannot create the lock's directory %s: %s", d, strerror(errno));
    else if (lstat(d, &st) < 0)
        ps__buf_printf(err, "cannot read the lock's directory %s: %s", d, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        ps__buf_printf(err, "the lock's directory %s is not a directory (a symbolic link?): "
                       "refused", d);
    else if (st.st_uid != geteuid() && st.st_uid != 0)
        ps__buf_printf(err, "the lock's directory %s belongs to uid %u, not to uid %u that "
                       "runs parkstat: refused (set lock_file in a directory of your own)",
                       d, (unsigned)st.st_uid, (unsigned)geteuid());
    else if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
        ps__buf_printf(err, "the lock's directory %s is writable by others: refused (set "
                       "lock_file in a directory only you can write)", d);
    rc = err->len ? PS_EIO : 0;
    ps__buf_free(&dir);
    return rc;
}

/* Opens the lock file without following a symbolic link, and only when it
   is a regular file of ours: another user's planted link or file is
   refused, never truncated or waited on. */
static int open_lock_file(const char *path, ps__buf_t *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat st;
    if (fd < 0 && errno == ELOOP)
        ps__buf_printf(err, "the lock file %s is a symbolic link: refused (remove it, or "
                       "set lock_file)", path);
    else if (fd < 0)
        ps__buf_printf(err, "cannot open the lock file %s: %s", path, strerror(errno));
    else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        ps__buf_printf(err, "the lock file %s is not a regular file: refused", path);
    else if (st.st_uid != geteuid())
        ps__buf_printf(err, "the lock file %s belongs to uid %u, not to uid %u that runs "
                       "parkstat: refused (remove it, or set lock_file)", path,
                       (unsigned)st.st_uid, (unsigned)geteuid());
    if (fd >= 0 && err->len) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static int held_fd = -1; /* the descriptor whose open file holds the lock */

/* The pid the holder wrote, or 0 when it cannot be read. */
static long holder_pid(int fd)
{
    char text[32] = "";
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    return n > 0 ? strtol(text, NULL, 10) : 0;
}

int ps__lock_take(const char *path, ps__buf_t *err)
{
    if (check_directory(path, err) < 0)
        return PS_EIO;
    int fd = open_lock_file(path, err);
    if (fd < 0)
        return PS_EIO;
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int busy = errno == EWOULDBLOCK;
        long pid = busy ? holder_pid(fd) : 0;
        if (busy && pid > 0)
            ps__buf_printf(err, "another run (pid %ld) holds the lock %s", pid, path);
        else if (busy)
            ps__buf_printf(err, "another run holds the lock %s", path);
        else
            ps__buf_printf(err, "cannot lock %s: %s", path, strerror(errno));
        close(fd);
        return busy ? PS_EEXISTS : PS_EIO;
    }
    char pid[32];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
        ps__buf_printf(err, "cannot write the lock file %s: %s", path, strerror(errno));
        close(fd);
        return PS_EIO;
    }
    held_fd = fd; /* stays open: the lock lives as long as the process */
    return 0;
}

void ps__lock_close_inherited(void)
{
    /* flock belongs to the open file, shared with the parent: closing the
       child's copy leaves the parent's lock in place */
    if (held_fd >= 0)
        close(held_fd);
    held_fd = -1;
}
