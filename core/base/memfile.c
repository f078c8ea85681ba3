#include "config.h"

#include "base/memfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <parkstat/error.h>

/* Appends the whole of file `fd` to `out`. */
static int read_back(int fd, ps__buf_t *out, ps__buf_t *why)
{
    char chunk[65536];
    off_t at = 0;
    for (;;) {
        ssize_t n = pread(fd, chunk, sizeof chunk, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ps__buf_printf(why, "cannot read the memory file back: %s", strerror(errno));
            return PS_EIO;
        }
        if (n == 0)
            return 0;
        ps__buf_append(out, chunk, (size_t)n);
        at += n;
    }
}

int ps__memfile_render(ps__memfile_writer *write, void *ctx, ps__buf_t *out,
                       ps__buf_t *why)
{
    int fd = memfd_create("parkstat", MFD_CLOEXEC);
    if (fd < 0) {
        ps__buf_printf(why, "cannot create a memory file: %s", strerror(errno));
        return PS_EIO;
    }
    /* The library opens the name anew: /proc/self/fd/N reaches the same
       memory file. */
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int rc = write(path, ctx, why);
    if (rc == 0)
        rc = read_back(fd, out, why);
    close(fd);
    return rc;
}
