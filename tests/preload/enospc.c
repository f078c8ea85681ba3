/*
 * A full disk for the tests, preloaded with LD_PRELOAD into parkstat.
 *
 * PS_SHIM_ENOSPC_AFTER=N: once N bytes have gone to regular files, write()
 * fails with ENOSPC (the write that crosses N is cut short at N). With
 * PS_SHIM_ENOSPC_AT=fsync the writes all go through and fsync() fails
 * instead once more than N bytes were written, as on a file system that
 * allocates late (NFS, delayed allocation).
 *
 * Standard input, output and error are never limited, so that the error
 * message still reaches the test.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long long written; /* bytes written to regular files so far */

/* The limit, or -1 when the environment sets none. */
static long long limit(void)
{
    const char *after = getenv("PS_SHIM_ENOSPC_AFTER");
    return after && *after ? atoll(after) : -1;
}

static int at_fsync(void)
{
    const char *at = getenv("PS_SHIM_ENOSPC_AT");
    return at && strcmp(at, "fsync") == 0;
}

static int is_limited_file(int fd)
{
    struct stat st;
    return fd > 2 && limit() >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

ssize_t write(int fd, const void *data, size_t len)
{
    ssize_t (*real_write)(int, const void *, size_t) =
        (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    if (!is_limited_file(fd))
        return real_write(fd, data, len);
    long long left = limit() - written;
    if (!at_fsync() && left <= 0) {
        errno = ENOSPC;
        return -1;
    }
    if (!at_fsync() && (long long)len > left)
        len = (size_t)left;
    ssize_t n = real_write(fd, data, len);
    if (n > 0)
        written += n;
    return n;
}

int fsync(int fd)
{
    int (*real_fsync)(int) = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    if (at_fsync() && limit() >= 0 && written > limit()) {
        errno = ENOSPC;
        return -1;
    }
    return real_fsync(fd);
}
