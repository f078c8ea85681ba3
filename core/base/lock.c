#include "config.h"

#include "base/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <parkstat/error.h>

char *ps__lock_default_path(void)
{
    const char *dir = getenv("TMPDIR");
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_printf(&b, "%s/parkstat-%u.lock", dir && *dir ? dir : "/tmp",
                   (unsigned)getuid());
    return ps__buf_take(&b);
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
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        ps__buf_printf(err, "cannot open the lock file %s: %s", path, strerror(errno));
        return PS_EIO;
    }
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
