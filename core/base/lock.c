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

#include "base/strictmodes.h"

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

/* The directory part of `path`: "/" for "/x", "." for "x". Caller frees. */
static char *directory_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* What is wrong with the lock file at `path` if it is already there: it
   must be a regular file of ours. Says nothing of one not made yet. */
static void check_existing_file(const char *path, ps__buf_t *err)
{
    struct stat st;
    if (lstat(path, &st) < 0) {
        if (errno != ENOENT)
            ps__buf_printf(err, "cannot be read: %s", strerror(errno));
    } else if (S_ISLNK(st.st_mode)) {
        ps__buf_puts(err, "it is a symbolic link: refused (remove it, or set lock_file)");
    } else if (S_ISDIR(st.st_mode)) {
        ps__buf_printf(err, "it is a directory (expected the path of a file, such as "
                       "%s/parkstat.lock)", path);
    } else if (!S_ISREG(st.st_mode)) {
        ps__buf_puts(err, "it is not a regular file (expected the path of a file "
                          "parkstat may create)");
    } else if (st.st_uid != geteuid()) {
        ps__buf_printf(err, "it belongs to uid %u, not to uid %u that runs parkstat: "
                       "refused (remove it, or set lock_file)", (unsigned)st.st_uid,
                       (unsigned)geteuid());
    }
}

int ps__lock_check(const char *path, ps__buf_t *err)
{
    char *dir = directory_of(path);
    if (!dir)
        return PS_ENOMEM;
    ps__buf_t why = PS_BUF_INIT;
    struct stat st;
    if (stat(dir, &st) < 0 && errno == ENOENT)
        ps__buf_printf(err, "its directory %s does not exist (expected a file in an "
                       "existing directory of your own)", dir);
    else if (ps__strict_check(dir, PS_STRICT_STICKY_OK, &why) < 0)
        ps__buf_printf(err, "its directory is not safe: %s", ps__buf_str(&why));
    else
        check_existing_file(path, err);
    ps__buf_free(&why);
    free(dir);
    return err->len ? PS_EINVAL : 0;
}

/* The default lock's own directory is made when it does not exist yet, for
   this user only; when it cannot be, ps__lock_check says it is missing. */
static void make_directory(const char *path)
{
    char *dir = directory_of(path);
    if (dir)
        (void)mkdir(dir, 0700);
    free(dir);
}

/* Opens the lock file without following a symbolic link, and only when it
   is a regular file of ours: another user's planted link or file is
   refused, never truncated or waited on. The checks of ps__lock_check are
   made again on the open file, which a link swapped in since cannot
   change. */
static int open_lock_file(const char *path, ps__buf_t *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat st;
    if (fd < 0 && errno == ELOOP)
        ps__buf_puts(err, "it is a symbolic link: refused (remove it, or set lock_file)");
    else if (fd < 0)
        ps__buf_printf(err, "cannot be opened: %s", strerror(errno));
    else if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        ps__buf_puts(err, "it is not a regular file (expected the path of a file "
                          "parkstat may create)");
    else if (st.st_uid != geteuid())
        ps__buf_printf(err, "it belongs to uid %u, not to uid %u that runs parkstat: "
                       "refused (remove it, or set lock_file)", (unsigned)st.st_uid,
                       (unsigned)geteuid());
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
    ps__buf_t why = PS_BUF_INIT;
    make_directory(path);
    int fd = ps__lock_check(path, &why) == 0 ? open_lock_file(path, &why) : -1;
    if (fd < 0)
        ps__buf_printf(err, "cannot use the lock file %s: %s", path, ps__buf_str(&why));
    ps__buf_free(&why);
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
